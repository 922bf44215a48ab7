"""Tests that read ../shared skip with the reason outside CI and fail, never skip,
when CHANNELGUARD_REQUIRE_SHARED=1 (what .ci/run sets where ../shared exists)."""

from __future__ import annotations

import pytest

from tests.conftest import REQUIRE_SHARED, shared_file


def test_a_missing_shared_file_skips_with_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_SHARED, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"needs .*no-such-file.*skipped outside CI"):
        shared_file("reference", "no-such-file.yaml")


def test_a_missing_shared_file_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_SHARED, "1")
    with pytest.raises(pytest.fail.Exception, match=r"no-such-file.*CHANNELGUARD_REQUIRE_SHARED"):
        shared_file("reference", "no-such-file.yaml")
