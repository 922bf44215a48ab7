"""Factor classes read from the contract's own fields, for factors without `evidence`."""

from __future__ import annotations

import json

import pytest

from channelguard import Decider, load_model
from channelguard.model.evidence import derive_evidence
from channelguard.model.schema import Evidence, FactorSpec
from channelguard.review.policy import check_policy
from tests.conftest import EXAMPLES, run_cli

CONTRACT = EXAMPLES / "contract_only.yaml"


@pytest.mark.parametrize(
    ("fid", "label", "resistant", "expected"),
    [
        ("my_key", "Hardware security key", None, Evidence.PHISHING_RESISTANT),
        ("thing", None, True, Evidence.PHISHING_RESISTANT),
        ("sms_code", "Code by text message", None, Evidence.PSTN_CODE),
        ("push_ok", None, None, Evidence.BOUND_APP),
        ("ring_back", "Call back the number on file", None, Evidence.CALLBACK),
        ("sup", "Supervisor override", None, Evidence.APPROVAL),
        ("id_scan", "Photo ID check", None, Evidence.DOCUMENT),
        ("mother_maiden", None, None, Evidence.KNOWLEDGE),
        ("zzz", None, None, Evidence.KNOWLEDGE),
    ],
)
def test_the_class_comes_from_the_contract_fields(
    fid: str, label: str | None, resistant: bool | None, expected: Evidence
) -> None:
    spec = FactorSpec(label=label, phishing_resistant=resistant)
    assert derive_evidence(fid, spec).evidence is expected


def test_a_factor_that_says_nothing_stays_knowledge_and_says_so() -> None:
    derived = derive_evidence("zzz", FactorSpec())
    assert derived.evidence is Evidence.KNOWLEDGE and "fail closed" in derived.reason


def test_a_contract_passkey_is_not_kba_and_a_passkey_user_is_allowed() -> None:
    loaded = load_model(CONTRACT)
    assert loaded.factors["my_passkey"].evidence is Evidence.PHISHING_RESISTANT
    passkey_findings = [f for f in check_policy(loaded) if f.path == "passkey"]
    assert not passkey_findings
    decider = Decider(loaded)
    base = {"session": "a", "channel": "app"}
    decider.feed({**base, "type": "verification", "factor": "my_passkey", "result": "pass"})
    decision = decider.feed({**base, "type": "action_request", "action": "reset_password"})
    assert decision is not None and decision.decision == "allow"


def test_a_logged_in_app_session_satisfies_a_t2_refund() -> None:
    decider = Decider(load_model(CONTRACT))
    base = {"session": "b", "channel": "app"}
    decider.feed({**base, "type": "verification", "factor": "app_session", "result": "pass"})
    decision = decider.feed({**base, "type": "action_request", "action": "refund_small"})
    assert decision is not None and decision.decision == "allow"


def test_lint_and_review_say_which_class_was_chosen_and_why() -> None:
    lint = run_cli("lint", str(CONTRACT))
    assert lint.returncode == 0
    assert (
        "factors.my_passkey: read as phishing_resistant evidence (phishing_resistant: true)"
        in lint.stdout
    )
    assert "factors.mystery: read as knowledge evidence" in lint.stdout
    review = run_cli("review", str(CONTRACT), "--format", "json", "--no-plan")
    derived = {d["factor"]: d for d in json.loads(review.stdout)["factor_classes_derived"]}
    assert derived["secret_word"]["evidence"] == "knowledge"
    assert derived["app_session"]["why"] == "phishing_resistant: true"
