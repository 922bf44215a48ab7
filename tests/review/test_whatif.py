"""`review --what-if`: a patch's effect equals the review of the model edited by hand,
and a bad patch is one line per problem naming file:line:field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from channelguard.errors import ModelError
from channelguard.model.loader import load_data, load_file
from channelguard.review.delta import DeltaStatus, Posture, compare
from channelguard.review.engine import cheapest_attacks
from channelguard.review.whatif import what_if
from tests.conftest import EXAMPLES, run_cli

BANK = EXAMPLES / "bank.yaml"


def _action(data: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(a for a in data["actions"] if a["id"] == action_id)


def _path(data: dict[str, Any], action_id: str, path_id: str) -> dict[str, Any]:
    return next(p for p in _action(data, action_id)["paths"] if p["id"] == path_id)


def _patch(tmp_path: Path, text: str) -> Path:
    patch = tmp_path / "patch.yaml"
    patch.write_text(text)
    return patch


def test_effect_equals_the_model_edited_by_hand(tmp_path: Path) -> None:
    patch = _patch(
        tmp_path,
        "changes:\n"
        "  - {op: add_factor, action: wire_transfer, path: ai_agent_tool, factor: passkey}\n"
        "  - {op: remove_path, action: card_reissue_new_address, path: after_hours}\n"
        "  - {op: set_factor, factor: kba, attacker_cost_usd: 400}\n"
        "  - {op: set_impact, action: goodwill_credit, impact_usd: 1}\n",
    )
    data = yaml.safe_load(BANK.read_text())
    _path(data, "wire_transfer", "ai_agent_tool")["requires"].append("passkey")
    reissue = _action(data, "card_reissue_new_address")
    reissue["paths"] = [p for p in reissue["paths"] if p["id"] != "after_hours"]
    data.setdefault("factors", {})["kba"] = {"attacker_cost_usd": 400, "source": "hand"}
    _action(data, "goodwill_credit")["impact_usd"] = 1
    by_hand = cheapest_attacks(load_data(data))

    result = what_if(load_file(BANK), patch)
    after = {d.action: d.after for d in result.deltas}
    for action_id, posture in after.items():
        assert posture is not None
        assert posture.expected_cost_usd == pytest.approx(by_hand.expected_cost(action_id))
    statuses = {d.action: d.status for d in result.deltas}
    assert statuses["goodwill_credit"] is DeltaStatus.NO_LONGER_EXPOSED
    assert len(result.changes) == 4


def test_newly_exposed_comes_first() -> None:
    inf = float("inf")
    before = {
        "same": Posture(impact_usd=10, expected_cost_usd=100),
        "closes": Posture(impact_usd=1000, expected_cost_usd=5),
        "opens": Posture(impact_usd=10, expected_cost_usd=100),
        "gone": Posture(impact_usd=10, expected_cost_usd=inf),
    }
    after = {
        "same": Posture(impact_usd=10, expected_cost_usd=100),
        "closes": Posture(impact_usd=1000, expected_cost_usd=inf),
        "opens": Posture(impact_usd=10, expected_cost_usd=2),
        "new": Posture(impact_usd=5, expected_cost_usd=1),
    }
    statuses = [(d.action, d.status.value) for d in compare(before, after)]
    assert statuses == [
        ("opens", "newly_exposed"),
        ("new", "added"),
        ("closes", "no_longer_exposed"),
        ("gone", "removed"),
        ("same", "unchanged"),
    ]


def test_a_catalogue_control_applies_where_it_fits(tmp_path: Path) -> None:
    patch = _patch(
        tmp_path,
        "changes:\n"
        "  - {op: add_control, control: second_approver, action: wire_transfer,"
        " path: agent_callback}\n",
    )
    result = what_if(load_file(BANK), patch)
    assert result.changes and "agent_callback" in result.changes[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "changes:\n  - {op: add_factor, action: wire_transfr, path: app, factor: passkey}\n",
            ":2: changes[0].action: unknown action 'wire_transfr' (did you mean 'wire_transfer'?)",
        ),
        (
            "changes:\n  - {op: add_factor, action: wire_transfer, path: ap, factor: passkey}\n",
            ":2: changes[0].path: 'wire_transfer' has no path 'ap' (did you mean 'app'?)",
        ),
        (
            "changes:\n  - {op: add_factor, action: wire_transfer, path: app, factor: pasky}\n",
            ":2: changes[0].factor: unknown factor 'pasky' (did you mean 'passkey'?)",
        ),
        (
            "changes:\n  - {op: add_factr, action: x}\n",
            ":2: changes[0].op: unknown op 'add_factr' (did you mean 'add_factor'",
        ),
        (
            "changes:\n  - op: set_factor\n    factor: kba\n    atacker_cost_usd: 1\n",
            ":4: changes[0].atacker_cost_usd: unknown key (did you mean 'attacker_cost_usd'?)",
        ),
        (
            "changes:\n  - {op: set_impact, action: wire_transfer, impact_usd: .inf}\n",
            ":2: changes[0].impact_usd:",
        ),
        (
            "changes:\n  - {op: add_control, control: second_aprover, action: wire_transfer}\n",
            "unknown control 'second_aprover' (did you mean 'second_approver'?)",
        ),
        (
            "changes:\n  - {op: remove_path, action: change_phone_number, path: standard}\n",
            ":2: changes[0]: leaves the model invalid: ",
        ),
        ("- just a list\n", ":1: a patch is a mapping"),
        ("changes: []\n", ":1: changes: List should have at least 1 item"),
        ("changes:\n  - {op: set_factor, factor: kba}\n", "set_factor sets no figure"),
    ],
)
def test_a_bad_patch_is_one_line_naming_file_line_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    patch = _patch(tmp_path, text)
    done = run_cli("review", str(BANK), "--what-if", str(patch))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(patch)), lines
    assert expected in lines[0]


def test_json_and_table_output(tmp_path: Path) -> None:
    patch = _patch(
        tmp_path, "changes:\n  - {op: set_impact, action: goodwill_credit, impact_usd: 1}\n"
    )
    done = run_cli("review", str(BANK), "--what-if", str(patch), "-f", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exposed_after"] == data["exposed_before"] - 1
    row = next(a for a in data["actions"] if a["action"] == "goodwill_credit")
    assert row["status"] == "no_longer_exposed" and row["after"]["impact_usd"] == 1
    assert data["actions"][0]["action"] == "goodwill_credit"  # the only change first
    table = run_cli("review", str(BANK), "--what-if", str(patch))
    assert table.returncode == 0 and "goodwill_credit" in table.stdout
    assert "no longer exposed" in table.stdout


def test_the_patch_cannot_escape_model_limits(tmp_path: Path) -> None:
    patch = _patch(
        tmp_path, "changes:\n  - {op: set_factor, factor: kba, success_probability: 0}\n"
    )
    with pytest.raises(ModelError, match="success_probability"):
        what_if(load_file(BANK), patch)


def test_fail_on_exposed_reads_the_patched_model(tmp_path: Path) -> None:
    """Exit 1 while anything is exposed after the patch; 0 once the patch closes all."""
    some = _patch(
        tmp_path, "changes:\n  - {op: set_impact, action: goodwill_credit, impact_usd: 1}\n"
    )
    done = run_cli("review", str(BANK), "--what-if", str(some), "--fail-on-exposed", "-f", "json")
    assert done.returncode == 1 and json.loads(done.stdout)["exposed_after"] > 0
    ids = [a["id"] for a in yaml.safe_load(BANK.read_text())["actions"]]
    every = "changes:\n" + "".join(
        f"  - {{op: set_impact, action: {a}, impact_usd: 0}}\n" for a in ids
    )
    clean = run_cli("review", str(BANK), "--what-if", str(_patch(tmp_path, every)),
                    "--fail-on-exposed", "-f", "json")  # fmt: skip
    assert clean.returncode == 0 and json.loads(clean.stdout)["exposed_after"] == 0
