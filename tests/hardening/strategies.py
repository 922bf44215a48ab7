"""Hypothesis strategies for hostile and odd input: channel models (valid and not),
event streams and JSONL lines. Shared by the property tests and `bench/fuzz.py`."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

FACTORS = ["kba", "otp_sms", "passkey", "manager_override", "callback_known_number", "pin"]
CHANNEL_KINDS = ["voice", "chat", "email", "sms", "video", "ai_agent", "web", "in_person"]
STAFF = ["human", "ai", "ivr", "self_service"]
TIERS = ["T0", "T1", "T2", "T3", "T4"]
EDGE_FLOATS = st.one_of(
    st.floats(min_value=5e-324, max_value=1.0),
    st.sampled_from([5e-324, 1e-300, 1e-17, 1e-9, 0.5, 1.0]),
)
MONEY = st.one_of(  # within the contract's range; out-of-range values come from _break
    st.floats(min_value=0, max_value=5e11, allow_nan=False),
    st.sampled_from([0.0, 1e-300, 1e9, 5e11]),
)
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([1e300, 1e16, -0.0, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)
IDS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def factor_specs(draw: st.DrawFn) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "attacker_cost_usd": draw(MONEY),
        "attacker_minutes": draw(MONEY),
        "success_probability": draw(EDGE_FLOATS),
        "source": "fuzz",
    }
    if draw(st.booleans()):
        spec["attempts"] = draw(st.integers(min_value=1, max_value=1000))
    if draw(st.booleans()):
        spec["phishing_resistant"] = draw(st.booleans())
    return spec


@st.composite
def models(draw: st.DrawFn, *, valid_only: bool = False) -> dict[str, Any]:
    """A channel model dict; unless valid_only, sometimes broken in one or more places."""
    channels = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    own = draw(st.dictionaries(IDS.map(lambda s: "f_" + s), factor_specs(), max_size=3))
    names = FACTORS + list(own)
    action_ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    actions = []
    for aid in action_ids:
        paths = []
        path_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
        for i, pid in enumerate(path_ids):
            path: dict[str, Any] = {
                "id": pid,
                "channel": draw(st.sampled_from(channels)),
                "requires": draw(
                    st.lists(
                        st.one_of(
                            st.sampled_from(names),
                            st.lists(st.sampled_from(names), min_size=1, max_size=3).map(
                                lambda xs: {"any_of": xs}
                            ),
                        ),
                        max_size=3,
                    )
                ),
            }
            if i and draw(st.booleans()):
                path["fallback_of"] = path_ids[0]
            if draw(st.booleans()):
                path["approvals"] = draw(st.integers(min_value=0, max_value=3))
            paths.append(path)
        action: dict[str, Any] = {
            "id": aid,
            "description": "fuzzed",
            "tier": draw(st.sampled_from(TIERS)),
            "impact_usd": draw(MONEY),
            "owner": "operations",
            "paths": paths,
        }
        if draw(st.booleans()):
            action["cooling_off_hours"] = draw(st.integers(min_value=0, max_value=72))
            action["notifies_old_contact"] = draw(st.booleans())
        actions.append(action)
    for fid in own:
        if draw(st.booleans()):
            own[fid]["obtainable_via"] = draw(
                st.lists(st.sampled_from(action_ids), min_size=1, max_size=2, unique=True)
            )
    model: dict[str, Any] = {
        "organization": "Fuzz",
        "version": "1",
        "factors": own,
        "channels": [
            {
                "id": c,
                "kind": draw(st.sampled_from(CHANNEL_KINDS)),
                "hours": "24/7",
                "staffed_by": draw(st.sampled_from(STAFF)),
            }
            for c in channels
        ],
        "actions": actions,
    }
    if not valid_only and draw(st.booleans()):
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            _break(draw, model)
    return model


def _break(draw: st.DrawFn, model: dict[str, Any]) -> None:
    """One defect: an odd value where a field was, an unknown key, a dropped key."""
    target: Any = model
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if isinstance(target, dict) and target:
            target = target[draw(st.sampled_from(sorted(target)))]
        elif isinstance(target, list) and target:
            target = target[draw(st.integers(min_value=0, max_value=len(target) - 1))]
    if isinstance(target, dict) and target:
        key = draw(st.sampled_from(sorted(target)))
        how = draw(st.sampled_from(["odd", "drop", "unknown"]))
        if how == "odd":
            target[key] = draw(ODD)
        elif how == "drop":
            del target[key]
        else:
            target["zz_" + key] = 1
    elif isinstance(target, list):
        target.append(draw(ODD))


EVENT_TYPES = ["message", "verification", "signal", "action_request", "bogus"]


@st.composite
def events(draw: st.DrawFn, actions: list[str], channels: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(EVENT_TYPES))
    event: dict[str, Any] = {"session": draw(st.sampled_from(["s1", "s2", "s3"])), "type": kind}
    if draw(st.booleans()):
        event["channel"] = draw(st.one_of(st.sampled_from(channels), ODD))
    if kind == "message":
        event["text"] = draw(st.one_of(st.text(max_size=200), ODD))
        event["role"] = draw(st.sampled_from(["customer", "agent", "assistant", "document", "x"]))
    elif kind == "verification":
        event["factor"] = draw(st.one_of(st.sampled_from(FACTORS), ODD))
        event["result"] = draw(st.sampled_from(["pass", "fail", "maybe"]))
    elif kind == "signal":
        event["name"] = draw(st.sampled_from(["caller_id_mismatch", "recent_sim_swap", "odd"]))
        if draw(st.integers(min_value=0, max_value=4)):
            event["value"] = draw(st.one_of(st.booleans(), EDGE_FLOATS, ODD))
    elif kind == "action_request":
        event["action"] = draw(st.one_of(st.sampled_from(actions + ["unknown_action"]), ODD))
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        del event[draw(st.sampled_from(sorted(event)))]
    return event


def jsonl_lines() -> st.SearchStrategy[str]:
    """Lines a JSONL reader may meet: records, odd JSON, broken JSON, deep nesting,
    lone surrogate escapes, control characters."""
    record = st.fixed_dictionaries(
        {"text": st.one_of(st.text(max_size=300), ODD)},
        optional={"role": st.one_of(st.sampled_from(["user", "document", "assistant"]), ODD)},
    ).map(lambda r: json.dumps(r))
    return st.one_of(
        record,
        st.text(max_size=200).map(lambda t: t.replace("\n", " ").replace("\r", " ")),
        st.integers(min_value=1, max_value=3000).map(
            lambda n: '{"text": ' + "[" * n + "]" * n + "}"
        ),
        st.sampled_from(
            [
                '{"text": "\\ud800"}',
                '{"text": "a\\udfff\\ud83d"}',
                '{"text": 1e999}',
                '{"text": NaN}',
                "[1, 2",
                '{"text": "x", "text": "y"}',
                '"just a string"',
            ]
        ),
    )
