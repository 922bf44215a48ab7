"""Every validation error names file:line and what is wrong; lint lists them all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from channelguard.errors import InputError, ModelError
from channelguard.model.loader import lint_file, load_data, load_file
from tests.conftest import EXAMPLES

GOOD = """\
organization: Org
version: "1"
factors:
  my_factor:
    attacker_cost_usd: 10
    attacker_minutes: 5
    success_probability: 0.5
    source: "test"
channels:
  - id: phone
    kind: voice
    hours: "Mon-Fri 08:00-20:00"
    staffed_by: human
actions:
  - id: change_phone
    tier: T3
    impact_usd: 1000
    owner: operations
    paths:
      - id: standard
        channel: phone
        requires: [kba, {any_of: [otp_sms, my_factor]}]
      - id: fallback
        channel: phone
        fallback_of: standard
        requires: [kba]
"""


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_loads(example: Path) -> None:
    loaded = load_file(example)
    assert loaded.model.actions
    assert lint_file(example) == []


def test_good_model_resolves_library_and_own_factors(write_yaml: Callable[[str], Path]) -> None:
    loaded = load_file(write_yaml(GOOD))
    assert loaded.factors["kba"].success_probability == pytest.approx(0.53)
    assert loaded.factors["my_factor"].attacker_cost_usd == 10
    assert loaded.factors["kba"].source  # library figures carry a source


# (description, text transformation, expected line, expected fragment)
CASES = [
    ("unknown top-level key", lambda t: t + "extra_key: 1\n", 27, "extra_key: unknown key"),
    (
        "unknown action key",
        lambda t: t.replace("    owner: operations\n", "    owner: operations\n    colour: red\n"),
        19,
        "colour: unknown key",
    ),
    (
        "unknown factor",
        lambda t: t.replace("requires: [kba]", "requires: [kbaa]"),
        26,
        "unknown factor 'kbaa'",
    ),
    (
        "unknown factor in any_of",
        lambda t: t.replace("otp_sms, my_factor", "otp_sms, nope"),
        22,
        "unknown factor 'nope'",
    ),
    (
        "duplicate action id",
        lambda t: t + t[t.index("  - id: change_phone") :],
        27,
        "duplicate id 'change_phone'",
    ),
    (
        "duplicate path id",
        lambda t: t.replace("id: fallback", "id: standard"),
        23,
        "duplicate path id 'standard'",
    ),
    (
        "dangling channel",
        lambda t: t.replace("channel: phone\n        fallback", "channel: fax\n        fallback"),
        24,
        "unknown channel 'fax'",
    ),
    (
        "dangling fallback_of",
        lambda t: t.replace("fallback_of: standard", "fallback_of: nowhere"),
        25,
        "fallback_of 'nowhere'",
    ),
    (
        "dangling obtainable_via",
        lambda t: t.replace(
            '    source: "test"', '    source: "test"\n    obtainable_via: [ghost]'
        ),
        9,
        "unknown action 'ghost'",
    ),
    (
        "probability zero",
        lambda t: t.replace("success_probability: 0.5", "success_probability: 0"),
        7,
        "greater than 0",
    ),
    (
        "probability above one",
        lambda t: t.replace("success_probability: 0.5", "success_probability: 1.5"),
        7,
        "less than or equal to 1",
    ),
    (
        "negative cost",
        lambda t: t.replace("attacker_cost_usd: 10", "attacker_cost_usd: -1"),
        5,
        "greater than or equal to 0",
    ),
    (
        "non-integer attempts",
        lambda t: t.replace('    source: "test"', '    source: "test"\n    attempts: 2.5'),
        9,
        "attempts",
    ),
    ("bad tier", lambda t: t.replace("tier: T3", "tier: T9"), 16, "tier"),
    ("bad impact", lambda t: t.replace("impact_usd: 1000", "impact_usd: lots"), 17, "impact_usd"),
    (
        "bad hours",
        lambda t: t.replace("Mon-Fri 08:00-20:00", "weekdays"),
        12,
        "'weekdays' is not '24/7'",
    ),
    ("bad channel kind", lambda t: t.replace("kind: voice", "kind: pigeon"), 11, "kind"),
    (
        "duplicate YAML key",
        lambda t: t.replace("    tier: T3\n", "    tier: T3\n    tier: T2\n"),
        17,
        "duplicate key 'tier'",
    ),
    (
        "missing required key",
        lambda t: t.replace("    owner: operations\n", ""),
        15,
        "owner: required key is missing",
    ),
    ("factor without source", lambda t: t.replace('    source: "test"\n', ""), 4, "needs a source"),
    (
        "new factor without figures",
        lambda t: t.replace("    attacker_minutes: 5\n", ""),
        4,
        "needs attacker_minutes",
    ),
    (
        "bad requirement shape",
        lambda t: t.replace("requires: [kba]", "requires: [{all_of: [kba]}]"),
        26,
        "factor id or {any_of",
    ),
    ("YAML syntax error", lambda t: t.replace("requires: [kba]", "requires: [kba"), None, "YAML"),
    ("empty id", lambda t: t.replace("id: fallback", 'id: ""'), 23, "id"),
]


@pytest.mark.parametrize(("name", "change", "line", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_each_error_names_file_line_and_problem(
    write_yaml: Callable[[str], Path],
    name: str,
    change: Callable[[str], str],
    line: int | None,
    fragment: str,
) -> None:
    target = write_yaml(change(GOOD))
    issues = lint_file(target)
    assert issues, name
    text = [str(i) for i in issues]
    match = [t for t in text if fragment in t]
    assert match, text
    if line is not None:
        assert any(t.startswith(f"{target}:{line}:") for t in match), text
    with pytest.raises(ModelError):
        load_file(target)


def test_lint_lists_every_problem_at_once(write_yaml: Callable[[str], Path]) -> None:
    text = GOOD.replace("requires: [kba]", "requires: [kbaa]").replace(
        "channel: phone\n        fallback", "channel: fax\n        fallback"
    )
    issues = lint_file(write_yaml(text))
    assert {"unknown factor 'kbaa' (did you mean 'kba'?)", "unknown channel 'fax'"} <= {
        i.message for i in issues
    }


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "absent.yaml")


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just a string\n"])
def test_empty_or_wrong_top_level(write_yaml: Callable[[str], Path], text: str) -> None:
    assert lint_file(write_yaml(text))


def test_unquoted_date_version_is_accepted(write_yaml: Callable[[str], Path]) -> None:
    loaded = load_file(write_yaml(GOOD.replace('version: "1"', "version: 2026-11-01")))
    assert loaded.model.version == "2026-11-01"


def test_lint_lists_an_unknown_key_and_unknown_references_at_once(tmp_path: Path) -> None:
    from channelguard.model.loader import lint_file

    model = tmp_path / "two.yaml"
    model.write_text(
        "organization: X\nversion: '1'\nchannels:\n"
        "  - {id: phone, kind: voice, staffed_by: human, colour: blue}\n"
        "actions:\n  - id: wire\n    tier: T4\n    impact_usd: 5\n    owner: finance\n"
        "    paths:\n      - {id: a, channel: fax, requires: [kba, ghost]}\n"
    )
    messages = [f"{i.line}: {i.message}" for i in lint_file(model)]
    assert messages == [
        "4: unknown key",
        "11: unknown channel 'fax'",
        "11: unknown factor 'ghost'",
    ]


@pytest.mark.parametrize("bad_id", [["a"], {"a": 1}, 7, None])
def test_a_channel_id_of_the_wrong_type_is_an_issue_not_a_crash(bad_id: object) -> None:
    """Found by bench/fuzz.py (10,000 generated models): a list as a channel id
    crashed the cross-reference pass that runs when the schema fails."""
    data = {
        "organization": "X",
        "version": "1",
        "channels": [{"id": bad_id, "kind": "voice", "hours": "24/7", "staffed_by": "human"}],
        "actions": [
            {
                "id": "a",
                "tier": "T1",
                "impact_usd": 10,
                "paths": [{"channel": "phone", "requires": ["knowledge_pin"]}],
            }
        ],
    }
    with pytest.raises(ModelError) as caught:
        load_data(data)
    fields = {i.field for i in caught.value.issues}
    assert "channels[0].id" in fields
    assert any("unknown channel 'phone'" in i.message for i in caught.value.issues)
