"""`channelguard guard detectors`: what scan can run, default or opt-in."""

from __future__ import annotations

import json

from channelguard.guard.registry import build_registry
from tests.conftest import run_cli


def test_every_detector_is_listed_with_whether_it_runs_by_default() -> None:
    done = run_cli("guard", "detectors")
    assert done.returncode == 0, done.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in done.stdout.splitlines()}
    assert set(rows) == set(build_registry())
    assert rows["fraud_classifier"][1:3] == ["security", "opt-in"]
    assert rows["uk_bank_account"][1:3] == ["safety", "opt-in"]
    assert rows["prompt_injection"][1:3] == ["security", "default"]


def test_json_names_roles_and_a_bad_format_is_refused() -> None:
    done = run_cli("guard", "detectors", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = {d["id"]: d for d in json.loads(done.stdout)}
    assert listed["credential_request"]["roles"] == ["agent", "assistant"]
    assert listed["uk_bank_account"]["default"] is False and listed["rules"]["default"] is True
    bad = run_cli("guard", "detectors", "--format", "yaml")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
