"""The contracts kept in docs/spec are the shared text, word for word."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, shared_file


@pytest.mark.parametrize("name", ["channel-model.md", "io-formats.md"])
def test_the_repository_keeps_the_current_contract_text(name: str) -> None:
    shared = shared_file("spec", name).read_text(encoding="utf-8")
    assert (ROOT / "docs" / "spec" / name).read_text(encoding="utf-8") == shared
