"""Saved reviews (`review --save`, `review --diff`) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from channelguard.errors import InputError, NotFoundError
from channelguard.model.loader import load_file
from channelguard.register.db import Database
from channelguard.register.reviews import get_review, list_reviews, save_review
from channelguard.report.review_json import review_to_dict
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES, run_cli

DIGEST = "ab" * 32


@pytest.fixture
def bank_review() -> dict[str, object]:
    return review_to_dict(run_review(load_file(EXAMPLES / "bank.yaml"), with_plan=False))


def test_save_list_get_per_tenant(db_url: str, bank_review: dict[str, object]) -> None:
    db = Database(db_url).open()
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    first = save_review(db, tenant="acme", model_name="Bank", model_digest=DIGEST,
                        review=bank_review, created_at=t0 + timedelta(days=1))  # fmt: skip
    older = save_review(db, tenant="acme", model_name="Bank", model_digest=DIGEST,
                        review=bank_review, created_at=t0)  # fmt: skip
    save_review(db, tenant="acme", model_name="Telco", model_digest=DIGEST, review=bank_review)
    save_review(db, tenant="other", model_name="Bank", model_digest=DIGEST, review=bank_review)

    listed = list_reviews(db, tenant="acme", model="Bank")
    assert [r.id for r in listed] == [older.id, first.id]  # oldest first, for a trend
    assert listed[0].created_at == t0
    assert len(list_reviews(db, tenant="acme")) == 3
    assert len(list_reviews(db, tenant="other")) == 1
    assert list_reviews(db, tenant="nobody") == []

    got = get_review(db, first.id, tenant="acme")
    assert got.review == bank_review and got.model_digest == DIGEST
    assert got.summary["exposed"] == 10 and got.summary["actions"] == 10
    assert got.summary["cheapest"]["wire_transfer"] == pytest.approx(33.33)
    assert got.summary["impact"]["goodwill_credit"] == 150
    with pytest.raises(NotFoundError):
        get_review(db, first.id, tenant="other")
    with pytest.raises(NotFoundError):
        get_review(db, 10_000, tenant="acme")
    db.close()


@pytest.mark.parametrize(
    "bad",
    [
        {"actions": "x"},
        {"actions": [{"id": "a"}]},
        {"actions": [{"id": "a", "impact_usd": -1}]},
        {"actions": [{"id": "a", "impact_usd": float("nan")}]},
        {"actions": [{"id": ["a"], "impact_usd": 1}]},
    ],
)
def test_a_malformed_review_is_refused(tmp_path: Path, bad: dict[str, object]) -> None:
    db = Database(f"sqlite:///{tmp_path / 'r.db'}").open()
    with pytest.raises(InputError):
        save_review(db, tenant="acme", model_name="X", model_digest=DIGEST, review=bad)
    with pytest.raises(InputError, match="tenant"):
        save_review(db, tenant="../x", model_name="X", model_digest=DIGEST, review={"actions": []})
    db.close()


def test_cli_save_then_diff_newly_exposed_first(db_url: str, tmp_path: Path) -> None:
    safer = tmp_path / "safer.yaml"
    # the old review: the goodwill credit is worth less than its attack, so not exposed
    safer.write_text(
        (EXAMPLES / "bank.yaml").read_text().replace("impact_usd: 150\n", "impact_usd: 1\n")
    )
    old = run_cli(
        "review", str(safer), "--no-plan", "--save", "--database", db_url, "--tenant", "acme"
    )
    assert old.returncode == 0, old.stderr
    assert "saved review 1 " in old.stderr
    new = run_cli("review", str(EXAMPLES / "bank.yaml"), "--no-plan", "-f", "json", "--save",
                  "--database", db_url, "--tenant", "acme")  # fmt: skip
    assert new.returncode == 0, new.stderr
    done = run_cli("review", "--diff", "1", "2", "--database", db_url, "--tenant", "acme",
                   "-f", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exposed_before"] == 9 and data["exposed_after"] == 10
    assert data["actions"][0]["action"] == "goodwill_credit"
    assert data["actions"][0]["status"] == "newly_exposed"
    # a saved review against a review file: the same answer
    file = tmp_path / "new.json"
    file.write_text(new.stdout)
    mixed = run_cli("review", "--diff", "1", str(file), "--database", db_url, "--tenant", "acme",
                    "-f", "json")  # fmt: skip
    assert json.loads(mixed.stdout)["actions"] == data["actions"]
    table = run_cli("review", "--diff", "1", "2", "--database", db_url, "--tenant", "acme")
    assert "newly exposed" in table.stdout and "exposed: 9 → 10" in table.stdout
    other = run_cli("review", "--diff", "1", "2", "--database", db_url, "--tenant", "other")
    assert other.returncode == 4 and other.stderr.strip() == "channelguard: no saved review 1"
    for odd in ("99999999999999999999", "\u00b2"):  # past any id; a digit int() refuses
        done = run_cli("review", "--diff", odd, "2", "--database", db_url, "--tenant", "acme")
        assert done.returncode in (2, 4) and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content", ["[1, 2]", "{not json", '{"actions": [{"id": 1}]}', "[" * 100_000 + "]" * 100_000]
)
def test_diff_of_a_hostile_file_is_one_line(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    done = run_cli("review", "--diff", str(bad), str(bad), "--database",
                   f"sqlite:///{tmp_path / 'r.db'}")  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(bad) in done.stderr


def test_diff_compares_the_cost_after_the_plan(db_url: str, tmp_path: Path) -> None:
    safer = tmp_path / "safer.yaml"
    safer.write_text(
        (EXAMPLES / "bank.yaml").read_text().replace("impact_usd: 150\n", "impact_usd: 1\n")
    )
    for model in (safer, EXAMPLES / "bank.yaml"):
        saved = run_cli("review", str(model), "--save", "--database", db_url, "--tenant", "acme")
        assert saved.returncode in (0, 1), saved.stderr
    done = run_cli("review", "--diff", "1", "2", "--database", db_url, "--tenant", "acme",
                   "-f", "json")  # fmt: skip
    data = json.loads(done.stdout)
    # both sides computed a plan: its figures are compared, not only the cheapest costs
    assert isinstance(data["exposed_after_plan_before"], int)
    assert isinstance(data["exposed_after_plan_after"], int)
    for row in data["actions"]:
        assert row["plan_change"] != "not_recorded"
        assert row["before"]["after_plan_recorded"] and row["after"]["after_plan_recorded"]
    wire = next(r for r in data["actions"] if r["action"] == "wire_transfer")
    assert wire["after"]["expected_cost_after_plan_usd"] > wire["after"]["expected_cost_usd"]

    # the plan got weaker on one action while its cheapest cost stayed: the diff says so
    old = json.loads(run_cli("review", str(EXAMPLES / "bank.yaml"), "-f", "json").stdout)
    new = json.loads(json.dumps(old))
    action = next(a for a in new["actions"] if a["id"] == "wire_transfer")
    action["expected_cost_after_plan_usd"] = action["cheapest"]["expected_cost_usd"]
    action["exposed_after_plan"] = True
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    sides = (str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    done = run_cli("review", "--diff", *sides, "-f", "json")
    row = next(r for r in json.loads(done.stdout)["actions"] if r["action"] == "wire_transfer")
    assert row["status"] == "unchanged" and row["plan_change"] == "newly_exposed"
    table = run_cli("review", "--diff", *sides)
    assert "wire_transfer" in table.stdout and "Cost after plan" in table.stdout
    assert "exposed after the plan:" in table.stdout


def test_diff_says_not_recorded_without_a_plan(tmp_path: Path) -> None:
    with_plan = run_cli("review", str(EXAMPLES / "bank.yaml"), "-f", "json")
    no_plan = run_cli("review", str(EXAMPLES / "bank.yaml"), "--no-plan", "-f", "json")
    # a review written before the cost after the plan was recorded: no such fields
    old_format = json.loads(with_plan.stdout)
    for a in old_format["actions"]:
        del a["expected_cost_after_plan_usd"], a["exposed_after_plan"]
    files = {"plan": with_plan.stdout, "none": no_plan.stdout, "old": json.dumps(old_format)}
    for name, text in files.items():
        (tmp_path / f"{name}.json").write_text(text)
    for other in ("none", "old"):
        sides = (str(tmp_path / f"{other}.json"), str(tmp_path / "plan.json"))
        data = json.loads(run_cli("review", "--diff", *sides, "-f", "json").stdout)
        assert data["exposed_after_plan_before"] is None  # never 0: that would read as safe
        assert isinstance(data["exposed_after_plan_after"], int)
        assert {r["plan_change"] for r in data["actions"]} == {"not_recorded"}
        row = data["actions"][0]
        assert row["before"]["after_plan_recorded"] is False
        assert row["before"]["exposed_after_plan"] is None
        table = run_cli("review", "--diff", *sides)
        assert "not recorded" in table.stdout
    # a hostile side: exposed after the plan with no cost after it
    bad = json.loads(with_plan.stdout)
    bad["actions"][0]["expected_cost_after_plan_usd"] = None
    bad["actions"][0]["exposed_after_plan"] = True
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    done = run_cli("review", "--diff", str(tmp_path / "bad.json"), str(tmp_path / "plan.json"))
    assert done.returncode == 2 and "after the plan" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
