"""Docs cannot drift: every `$ channelguard …` line in the README runs and exits 0."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

COMMANDS = [
    line[2:].strip()
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("$ channelguard ")
]


def test_readme_has_examples() -> None:
    assert len(COMMANDS) >= 4


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command: str, tmp_path: Path) -> None:
    args = shlex.split(command)[1:]
    args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
