"""`review --paths-to ACTION`: every path to one action, ranked by attacker cost."""

from __future__ import annotations

import json
import math

import pytest

from channelguard.errors import InputError
from channelguard.model.loader import load_file
from channelguard.review.engine import cheapest_attacks
from channelguard.review.paths import paths_to
from tests.conftest import EXAMPLES, run_cli


def test_every_path_ranked_and_the_first_is_the_cheapest_attack() -> None:
    loaded = load_file(EXAMPLES / "bank.yaml")
    result = cheapest_attacks(loaded)
    ranked = paths_to(loaded, result, "wire_transfer")
    action = next(a for a in loaded.model.actions if a.id == "wire_transfer")
    assert sorted(r.path for r in ranked) == sorted(p.id for p in action.paths)
    costs = [r.expected_cost_usd for r in ranked]
    assert costs == sorted(costs) and [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert math.isclose(costs[0], result.expected_cost("wire_transfer"))
    for r in ranked:  # each attack ends on its own path of the action
        assert r.attack is not None and r.attack.final.action == "wire_transfer"
        assert r.attack.final.path == r.path


def test_unknown_action_names_the_closest() -> None:
    loaded = load_file(EXAMPLES / "bank.yaml")
    with pytest.raises(InputError, match="did you mean 'wire_transfer'"):
        paths_to(loaded, cheapest_attacks(loaded), "wire_transfr")


def test_cli_json_and_table() -> None:
    done = run_cli(
        "review", str(EXAMPLES / "bank.yaml"), "--paths-to", "wire_transfer", "-f", "json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["action"] == "wire_transfer"
    paths = data["paths"]
    assert len(paths) >= 2
    costs = [p["expected_cost_usd"] for p in paths]
    assert costs == sorted(costs)
    first = paths[0]["attack"]
    assert first["steps"][-1] == {**first["steps"][-1], "action": "wire_transfer"}
    assert all("terms" in s for p in paths for s in p["attack"]["steps"])
    table = run_cli("review", str(EXAMPLES / "bank.yaml"), "--paths-to", "wire_transfer")
    assert table.returncode == 0, table.stderr
    assert all(p["path"] in table.stdout for p in paths)


def test_cli_unknown_action_is_one_line() -> None:
    done = run_cli("review", str(EXAMPLES / "bank.yaml"), "--paths-to", "wire_transfr")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "channelguard: --paths-to: no action 'wire_transfr' in the model; "
        "did you mean 'wire_transfer'?"
    ]
