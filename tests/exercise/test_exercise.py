"""`channelguard exercise`: the shipped scenarios pass, a wrong expectation fails, bad files are named."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES, run_cli

SCENARIOS = EXAMPLES / "scenarios"


def test_every_shipped_scenario_passes() -> None:
    done = run_cli("exercise", str(SCENARIOS), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    outcomes = json.loads(done.stdout)
    assert len(outcomes) == 9 and all(o["passed"] for o in outcomes)
    by_name = {o["name"]: o for o in outcomes}
    wire = by_name["Deepfaked CEO orders a wire"]["decisions"][0]
    assert wire["decision"] in ("hold", "deny") and wire["reasons"]


def test_a_wrong_expectation_fails_with_the_reason(tmp_path: Path) -> None:
    text = (SCENARIOS / "01_deepfake_ceo_wire.yaml").read_text()
    bad = tmp_path / "wrong.yaml"
    bad.write_text(
        text.replace("decision: [hold, deny]", "decision: allow").replace(
            "../bank.yaml", str(EXAMPLES / "bank.yaml")
        )
    )
    table = run_cli("exercise", str(bad))
    assert table.returncode == 1 and "0 of 1 scenarios passed" in table.stdout
    done = run_cli("exercise", str(bad), "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["problems"][0].startswith("request 1: expected allow, got")


def test_a_bad_scenario_file_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nevents: []\nexpect: []\nsurprise: 1\n")
    done = run_cli("exercise", str(bad), "--model", str(EXAMPLES / "bank.yaml"))
    assert done.returncode == 2
    assert f"{bad}:2" in done.stderr and f"{bad}:4" in done.stderr
    assert "Traceback" not in done.stderr
