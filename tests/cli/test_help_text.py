"""What a newcomer reads at 80 columns: help that says how to use each option, and
tables that never break an identifier mid-word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

NARROW = {"COLUMNS": "80"}


@pytest.mark.parametrize(
    "command", [["decide"], ["scan"], ["review"], ["serve"], ["mcp"], ["ocsf"]]
)
def test_flags_show_no_value_type_and_no_option_is_cut(command: list[str]) -> None:
    done = run_cli(*command, "--help", env=NARROW)
    assert done.returncode == 0, done.stderr
    assert "<bool>" not in done.stdout
    assert "…" not in done.stdout  # rich cut long option names with an ellipsis


def test_a_flag_is_used_as_the_help_shows_it() -> None:
    done = run_cli("decide", "--help", env=NARROW)
    assert re.search(r"--lenient\s", done.stdout)
    assert not re.search(r"--lenient\W+<", done.stdout)  # `--lenient true` fails


def test_serve_describes_where_it_listens() -> None:
    done = run_cli("serve", "--help", env=NARROW)
    assert "Address to listen on" in done.stdout and "Port to listen on" in done.stdout


def test_exercise_at_80_columns_keeps_every_identifier_whole() -> None:
    done = run_cli("exercise", str(ROOT / "examples" / "scenarios"), env=NARROW)
    assert done.returncode == 0, done.stderr
    assert "replace_kba_with_app_push" in done.stdout
    assert "change_phone_number: hold" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def test_incidents_list_at_80_columns_keeps_values_whole(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.db'}"
    made = run_cli(
        "incidents", "create", "--database", db, "--title", "Agent read back a one-time code",
        "--domain", "safety", "--cause", "accidental", "--harm-type", "personal_data_leak",
        "--severity", "high",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = run_cli("incidents", "list", "--database", db, env=NARROW)
    assert done.returncode == 0, done.stderr
    assert "Agent read back a one-time code" in done.stdout
    assert "investigating" in done.stdout or "open" in done.stdout
