"""Lint lists schema and semantic errors together, with lines, hints and notes."""

from __future__ import annotations

import json
from pathlib import Path

from channelguard.model.lint import lint_model
from tests.conftest import EXAMPLES, run_cli

BAD = """\
organization: X
version: '1'
factors:
  my_secret:
    attacker_cost_usd: 5
    attacker_minutes: 1
    success_probability: 0.5
  spare:
    attacker_cost_usd: 5
    attacker_minutes: 1
    success_probability: 0.5
    source: me
channels:
  - {id: phone, kind: voice, staffed_by: human, colour: blue}
  - {id: chat, kind: chat, staffed_by: ai}
actions:
  - id: wire_transfer
    tier: T4
    impact_usd: 5
    owner: finance
    paths:
      - {id: a, channel: phon, requires: [kbaa, my_secret]}
      - {id: b, channel: phone, requires: [kba], fallback_of: aa}
      - {id: c, channel: phone, requirs: [kba]}
"""


def _lines(path: Path) -> list[str]:
    return [f"{n.issue.line} {n.severity}: {n.issue.message}" for n in lint_model(path).notes]


def test_schema_and_semantic_errors_come_together_with_lines(tmp_path: Path) -> None:
    model = tmp_path / "bad.yaml"
    model.write_text(BAD)
    assert _lines(model) == [
        "4 error: a factor that sets figures needs a source",
        "8 note: factor 'spare' is defined but no path requires it",
        "14 error: unknown key",
        "15 note: channel 'chat' has no path",
        "22 error: unknown channel 'phon' (did you mean 'phone'?)",
        "22 error: unknown factor 'kbaa' (did you mean 'kba'?)",
        "23 error: fallback_of 'aa' is not another path of 'wire_transfer' (did you mean 'a'?)",
        "24 error: unknown key (did you mean 'requires'?)",
    ]


def test_semantic_errors_of_a_schema_valid_model_get_hints(tmp_path: Path) -> None:
    model = tmp_path / "typed.yaml"
    text = BAD.replace(", colour: blue", "").replace("requirs", "requires")
    text = text.replace("    source: me\n", "    source: me\n    obtainable_via: [wire_transfr]\n")
    model.write_text(text)
    errors = [line for line in _lines(model) if " error: " in line]
    assert "13 error: unknown action 'wire_transfr' (did you mean 'wire_transfer'?)" in errors
    assert any("did you mean 'phone'" in e for e in errors)
    assert any("fallback_of 'aa'" in e for e in errors)


def test_a_clean_model_has_notes_only_and_exits_zero(tmp_path: Path) -> None:
    # the example written to the contract alone: its kinds are read from words
    done = run_cli("lint", str(EXAMPLES / "contract_only.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["errors"] == 0 and report["notes"] > 0
    guessed = [p for p in report["problems"] if "read as kind" in p["message"]]
    assert guessed and all(p["line"] and p["severity"] == "note" for p in guessed)


def test_cli_exit_code_and_streams(tmp_path: Path) -> None:
    model = tmp_path / "bad.yaml"
    model.write_text(BAD)
    done = run_cli("lint", str(model))
    assert done.returncode == 2
    assert f"{model}:22: actions[0].paths[0].channel: unknown channel 'phon'" in done.stderr
    assert done.stderr.strip().endswith("6 error(s), 2 note(s)")
    assert "note: " in done.stdout and "Traceback" not in done.stderr
    as_json = json.loads(run_cli("lint", str(model), "-f", "json").stdout)
    assert as_json["errors"] == 6 and as_json["notes"] == 2


def test_a_stated_kind_is_not_reported_as_guessed(tmp_path: Path) -> None:
    model = tmp_path / "kind.yaml"
    text = BAD.replace(", colour: blue", "").replace("requirs", "requires")
    text = text.replace("fallback_of: aa", "fallback_of: a").replace("phon,", "phone,")
    text = text.replace("[kbaa,", "[kba,").replace("    source: me\n", "    source: me\n", 1)
    text = text.replace("  my_secret:\n", "  my_secret:\n    source: mine\n")
    model.write_text(text)
    assert any("read as kind payment" in line for line in _lines(model))
    model.write_text(
        text.replace("    owner: finance\n", "    owner: finance\n    kind: payout_change\n")
    )
    assert not any("read as kind" in line for line in _lines(model))


def test_ids_of_the_wrong_type_beside_a_bad_fallback_are_issues_not_a_crash(
    tmp_path: Path,
) -> None:
    model = tmp_path / "odd.yaml"
    model.write_text(
        BAD.replace("{id: b, channel: phone", "{id: [b], channel: phone").replace(
            "{id: a, channel: phon", "{id: {x: 1}, channel: phon"
        )
    )
    messages = [n.issue.message for n in lint_model(model).notes]
    assert any("fallback_of 'aa'" in m for m in messages)
    assert sum("Input should be a valid string" in m for m in messages) == 2


def test_a_misspelt_top_level_key_comes_first_without_the_notes_it_causes(
    tmp_path: Path,
) -> None:
    """`actoins:` makes every action unknown: the misspelling leads the report, and no
    factor or channel is called unused because no action was read."""
    text = (EXAMPLES / "bank.yaml").read_text().replace("\nactions:", "\nactoins:")
    model = tmp_path / "typo.yaml"
    model.write_text(text)
    notes = lint_model(model).notes
    first = notes[0].issue
    assert first.field == "actoins" and "did you mean 'actions'" in first.message
    assert not any("no path requires it" in n.issue.message for n in notes)
    assert not any("has no path" in n.issue.message for n in notes)
