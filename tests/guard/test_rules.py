"""Rules as data: the pack format, the ATR import, the matcher, the default selection."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from channelguard.errors import ConfigError, InputError
from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.detectors.base import Context
from channelguard.guard.detectors.rulepack import RulePack
from channelguard.guard.guard import Guard
from channelguard.guard.rules import matcher as matcher_module
from channelguard.guard.rules.atr import load_atr, rule_from_atr
from channelguard.guard.rules.literals import conjuncts, required
from channelguard.guard.rules.matcher import Matcher, superlinear_patterns
from channelguard.guard.rules.model import Rule, compile_regex, read_pack
from channelguard.guard.rules.packs import load_rates, own_pack_files, shipped_rules
from channelguard.guard.taxonomy import ATLAS_USED, CATEGORIES
from channelguard.guard.types import Role

HERE = Path(__file__).parent
ATR_CASES = json.loads((HERE / "data" / "atr" / "examples.json").read_text(encoding="utf-8"))
CONF = load_confusables()

RULE = """\
pack: acme
rules:
  - id: acme:refund-to-new-card
    title: Refund asked to a card not on file
    severity: high
    domain: security
    category: payment-redirection
    owasp: [LLM06:2025]
    atlas: [AML.T0052]
    roles: [user]
    patterns:
      - regex: '\\brefund\\b.{0,40}\\bto (?:a|my) new card\\b'
    examples:
      fire: ["Please refund it to my new card instead"]
      quiet: ["Refund it to the card on file"]
"""


@cache
def every_rule() -> RulePack:
    return RulePack().load(every=True)


def fired(detector: RulePack, text: str, role: str) -> set[str]:
    context = Context(role=Role(role), canonical=canonicalize(text, CONF))
    return {f.rule for f in detector.analyze(context) if f.rule}


NESTED = "'" + "(" * 3000 + "a" + ")" * 3000 + "\\brefund"


def write(tmp_path: Path, text: str, name: str = "acme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the format --------------------------------------------------------------


def test_a_pack_parses_into_strict_models(tmp_path: Path) -> None:
    pack, issues = read_pack(write(tmp_path, RULE))
    assert issues == [] and pack is not None
    rule = pack.rules[0]
    assert rule.roles == (Role.USER,) and rule.severity.score >= 0.5
    assert rule.examples.fire == ("Please refund it to my new card instead",)


@pytest.mark.parametrize(
    ("change", "where", "what"),
    [
        ("    title:", "acme.yaml:4: rules[0].titel: unknown key", "    titel:"),
        ("    roles: [user]", "acme.yaml:10: rules[0].roles: customer", "    roles: [customer]"),
        (
            "    owasp: [LLM06:2025]",
            "acme.yaml:8: rules[0].owasp: not an OWASP",
            "    owasp: [LLM99]",
        ),
        ("'\\brefund", "acme.yaml:12: rules[0].patterns[0].regex: does not compile", "'(refund"),
        # nested too deep for the compiler (RecursionError): its line, not exit 70
        ("'\\brefund", "acme.yaml:12: rules[0].patterns[0].regex: does not compile", NESTED),
        (
            "  - id: acme:",
            "acme.yaml:3: rules[0].id: 'other:refund-to-new-card' must start",
            "  - id: other:",
        ),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, change: str, where: str, what: str
) -> None:
    _, issues = read_pack(write(tmp_path, RULE.replace(change, what, 1)))
    assert issues, "the broken pack must not load"
    assert any(str(i).startswith(str(tmp_path / where)) for i in issues), [str(i) for i in issues]


def test_shipped_rules_use_known_categories_and_atlas_ids() -> None:
    rules, _ = shipped_rules()
    assert {o for r in rules for o in r.owasp} <= set(CATEGORIES)
    assert {a for r in rules for a in r.atlas} <= set(ATLAS_USED)


# --- channelguard's own pack ---------------------------------------------------


def own_rules() -> list[Rule]:
    out: list[Rule] = []
    for path in own_pack_files():
        pack, issues = read_pack(path)
        assert pack is not None, issues
        out += pack.rules
    return out


OWN = own_rules()


@pytest.mark.parametrize("rule", OWN, ids=[r.id for r in OWN])
def test_own_rule_examples(rule: Rule) -> None:
    assert rule.examples.fire and rule.examples.quiet, "every own rule carries both kinds"
    for role in rule.roles:
        for text in rule.examples.fire:
            assert rule.id in fired(every_rule(), text, role.value), (role, text)
        for text in rule.examples.quiet:
            assert rule.id not in fired(every_rule(), text, role.value), (role, text)


# --- ATR ---------------------------------------------------------------------


def test_atr_is_read_from_the_pinned_wheel_with_its_own_ids() -> None:
    imported = load_atr()
    assert imported.version == "0.3.1"
    ids = {r.id for r in imported.rules}
    assert len(ids) >= 820 and "atr:ATR-2026-00001" in ids
    # rules on session traces have no text to read here: named, not dropped silently
    assert "trace" in imported.skipped["atr:ATR-2026-00548"]


def test_atr_fields_map_to_roles() -> None:
    raw = {
        "id": "ATR-2026-99999",
        "title": "t",
        "severity": "critical",
        "detection": {
            "condition": "any",
            "conditions": [
                {"field": "tool_response", "operator": "regex", "value": "(?i)ignore"},
                {"field": "tool_args", "operator": "regex", "value": "rm -rf"},
            ],
        },
        "tags": {"category": "tool-poisoning"},
    }
    rule = rule_from_atr(raw)
    assert rule.roles == (Role.DOCUMENT, Role.ASSISTANT)
    assert [p.roles for p in rule.patterns] == [(Role.DOCUMENT,), (Role.ASSISTANT,)]
    assert rule.owasp == ("LLM01:2025",) and rule.atlas == ("AML.T0051.001",)
    raw["detection"]["condition"] = "all"  # type: ignore[index]
    raw["detection"]["conditions"][1]["field"] = "trace.forbid_violation"  # type: ignore[index]
    with pytest.raises(ValueError, match="no condition channelguard can read"):
        rule_from_atr(raw)


def atr_failures() -> dict[str, list[str]]:
    detector = every_rule()
    roles = {r.id: [x.value for x in r.roles] for r in detector.rules}
    failures: dict[str, list[str]] = {}
    for rid, cases in ATR_CASES["cases"].items():
        if rid not in roles:  # not imported, and said so
            assert rid in load_atr().skipped, rid
            continue
        for c in cases:
            read = roles[rid] if c["role"] == "input" else [c["role"]]
            hit = any(rid in fired(detector, c["text"], role) for role in read)
            if hit != (c["expect"] == "fire"):
                failures.setdefault(rid, []).append(c["text"][:60])
    return failures


def test_atr_test_cases_pass_or_their_rule_is_off() -> None:
    """ATR's own test cases run here; a rule whose cases fail is off by default and
    rule_rates.json says so (reported, not hidden)."""
    assert sum(len(v) for v in ATR_CASES["cases"].values()) > 7000
    failures = atr_failures()
    rates = load_rates()["rules"]
    for rid in failures:
        assert not rates[rid]["on"] and "examples" in rates[rid]["why"], rid
    passing = set(ATR_CASES["cases"]) - set(failures)
    assert len(passing) > 700


# --- the matcher ---------------------------------------------------------------


def test_hyperscan_prefilter_loses_no_match() -> None:
    """The prefilter only narrows: every pattern that regex alone finds in ATR's
    cases, the hyperscan path finds too."""
    sources = [p.regex for r in every_rule().rules for p in r.patterns]
    fast = Matcher.build(sources)
    slow = Matcher.build(sources, use_hyperscan=False)
    assert fast.engine == "hyperscan" and slow.engine == "regex"
    assert len(fast.regex_only) < len(sources) / 10
    texts = [c["text"] for cases in ATR_CASES["cases"].values() for c in cases][::3]
    for text in texts:
        assert {h.pattern for h in fast.scan(text)} == {h.pattern for h in slow.scan(text)}


def test_superlinear_patterns_answer_as_re_does() -> None:
    """The listed patterns (scripts/superlinear_rules.py) run by `regex` with a time
    limit find what `re`, the reference semantics, finds, at the same spans."""
    sources = {p.regex for r in every_rule().rules for p in r.patterns}
    listed = sorted(superlinear_patterns() & sources)
    assert len(listed) >= 10  # the shipped list names patterns of the shipped packs
    matcher = Matcher.build(listed)
    texts = [c["text"] for cases in ATR_CASES["cases"].values() for c in cases]
    for i, source in enumerate(listed):
        reference = compile_regex(source)
        for text in texts:
            ref = reference.search(text)
            got = matcher._compiled[i].search(text)
            assert (ref and ref.span()) == (got and got.span()), (source, text)


def test_a_pattern_past_its_time_limit_flags_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """`[A-Za-z]{2,}\\x08[A-Za-z]` (ATR-2026-00394) took 1.8 s on 20,000 letters with
    `re`: listed, it runs with a limit, and a search that reaches it is a finding at
    1.0 (fail closed), never a clean pass."""
    hostile = "A" * 20_000 + "\x08"
    source = r"[A-Za-z]{2,}\x08[A-Za-z]"
    assert source in superlinear_patterns()
    monkeypatch.setattr(matcher_module, "SLOW_LIMIT_SECONDS", 1e-6)
    [hit] = Matcher.build([source]).scan(hostile)
    assert hit.timed_out
    result = Guard(detectors=["rules"], encoder="off", multilingual="off").load().inspect(hostile)
    limit = [f for f in result.findings if "time limit" in f.evidence]
    assert result.flagged and limit and all(f.score == 1.0 for f in limit)


@pytest.mark.parametrize(
    ("pattern", "atoms"),
    [
        (r"(?i)\b(ignore|disregard)\s+(all\s+)?previous", {"previous"}),  # the longest
        (r"sys(tem)?\s+prompt", {"prompt"}),
        (r"(?=[\s\S]*\.env)(curl|wget)", {".env"}),  # lookahead; fewer atoms win a tie
        (r"[a-z]+\d+", None),  # no literal is required
        (r"(a|bc)x?", None),  # one-byte atoms are not worth a prefilter
    ],
)
def test_required_atoms(pattern: str, atoms: set[str] | None) -> None:
    got = required(pattern)
    assert (set(got) if got is not None else None) == atoms


def test_every_part_of_a_pattern_narrows_the_candidates() -> None:
    """A pattern written as parts in a row needs an atom of each part: a message with
    the common first part only is not a candidate (it was, with one atom set)."""
    pattern = r"(?i)(pretend|act\s+as)\s+(a\s+)?\b(DAN|STAN)\b"
    assert conjuncts(pattern) == [frozenset({"act", "pretend"}), frozenset({"dan", "stan"})]
    assert conjuncts(r"[a-z]+\d+") is None
    matcher = Matcher.build([pattern])
    assert matcher.engine == "hyperscan"
    assert matcher.candidates("Please pretend you are my grandmother") == set()
    assert matcher.candidates("pretend to be STAN now") == {0}
    assert [h.span for h in matcher.scan("Act as DAN")] == [(0, 10)]


# --- selection, user packs, turning rules off ----------------------------------


def test_the_default_pack_is_the_rules_under_the_bar() -> None:
    data = load_rates()
    assert data["command"].startswith("python bench/rules.py --write-rates")
    on = {rid for rid, e in data["rules"].items() if e["on"]}
    for rid in on:
        assert max(data["rules"][rid]["benign"].values(), default=0.0) <= data["bar"], rid
    for rid, e in data["rules"].items():
        if any(v > data["bar"] for v in e["benign"].values()):
            assert not e["on"] and "flags" in e["why"], rid
    default = RulePack().load()
    assert {r.id for r in default.rules} == on
    assert default.selection is not None and set(default.selection.off) == set(data["rules"]) - on


def test_user_pack_runs_and_rules_turn_off_by_id(tmp_path: Path) -> None:
    write(tmp_path, RULE)
    guard = Guard(detectors=["rules"], rules=[str(tmp_path)]).load()
    result = guard.inspect("Please refund it to my new card instead", role="user")
    assert result.flagged and result.findings[0].rule == "acme:refund-to-new-card"
    assert result.to_dict()["findings"][0]["rule"] == "acme:refund-to-new-card"
    assert not guard.inspect("Refund it to the card on file").flagged
    off = Guard(
        detectors=["rules"], rules=[str(tmp_path)], disable_rules=["acme:refund-to-new-card"]
    )
    assert not off.inspect("Please refund it to my new card instead").flagged
    assert Guard(**off.settings()).settings()["disable_rules"] == ["acme:refund-to-new-card"]


def test_unknown_rule_id_or_folder_or_broken_pack_stops_loading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no rule has the id atr:nope"):
        Guard(detectors=["rules"], disable_rules=["atr:nope"]).load()
    with pytest.raises(InputError, match="no such rule pack"):
        Guard(detectors=["rules"], rules=[str(tmp_path / "missing")]).load()
    write(tmp_path, RULE.replace("    title:", "    titel:"))
    with pytest.raises(ConfigError, match="unknown key"):
        Guard(detectors=["rules"], rules=[str(tmp_path)]).load()


def test_a_user_rule_cannot_take_a_shipped_id(tmp_path: Path) -> None:
    own = RULE.replace("pack: acme", "pack: cg")
    write(tmp_path, own.replace("acme:refund-to-new-card", "cg:code-to-other-destination"))
    with pytest.raises(ConfigError, match=r"defined twice \(a shipped pack has it"):
        RulePack().load(rules=[str(tmp_path)])


def test_two_of_your_packs_with_one_id_are_named_as_such(tmp_path: Path) -> None:
    write(tmp_path, RULE, "one.yaml")
    write(tmp_path, RULE, "two.yaml")
    with pytest.raises(ConfigError, match=r"defined twice \(two of your packs"):
        RulePack().load(rules=[str(tmp_path)])


def test_rules_see_invisible_characters_canonicalization_removes() -> None:
    """ATR's zero-width rules read the original text too."""
    text = "Data payload" + "\u200b" * 7 + "hidden text with zero-width chars"
    assert "atr:ATR-2026-00002" in fired(every_rule(), text, "user")


# --- the command line and the service configuration ----------------------------


def test_scan_takes_rule_packs_and_turns_rules_off(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES, run_cli

    source = write(
        tmp_path,
        '{"id": "a", "text": "Please refund the premium to my new card instead"}\n',
        "in.jsonl",
    )
    base = ["scan", str(source), "--detectors", "rules"]
    done = run_cli(*base, "--rules", str(EXAMPLES / "rules"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"][0]["rule"] == "acme:refund-to-new-card"
    done = run_cli(
        *base, "--rules", str(EXAMPLES / "rules"), "--disable-rule", "acme:refund-to-new-card"
    )
    assert done.returncode == 0 and json.loads(done.stdout)["flagged"] is False
    done = run_cli(*base, "--disable-rule", "atr:no-such-rule")
    assert done.returncode == 2 and "no rule has the id atr:no-such-rule" in done.stderr


def test_rules_lint_reports_every_problem_and_failing_examples(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES, run_cli

    assert run_cli("rules", "lint", str(EXAMPLES / "rules")).returncode == 0
    write(
        tmp_path,
        RULE.replace(
            'quiet: ["Refund it to the card on file"]', 'quiet: ["refund it to my new card"]'
        ),
    )
    done = run_cli("rules", "lint", str(tmp_path))
    assert done.returncode == 1
    assert "acme:refund-to-new-card: must quiet (user): refund it to my new card" in done.stdout
    # a rule id is printed as written: ':x' in 'acme:x-…' was drawn as an emoji
    write(
        tmp_path,
        RULE.replace("acme:refund-to-new-card", "acme:x").replace(
            'quiet: ["Refund it to the card on file"]', 'quiet: ["refund it to my new card"]'
        ),
    )
    done = run_cli("rules", "lint", str(tmp_path))
    assert "acme:x: must quiet" in done.stdout, done.stdout


def test_rules_lint_refuses_what_scan_would_refuse_beside_the_shipped_packs(
    tmp_path: Path,
) -> None:
    """A pack named `cg` reusing a shipped rule's id passed lint and then stopped
    `scan` ("defined twice"): a new user's trial."""
    from tests.conftest import run_cli

    write(
        tmp_path,
        RULE.replace("pack: acme", "pack: cg").replace(
            "acme:refund-to-new-card", "cg:reset-ai-instructions"
        ),
    )
    done = run_cli("rules", "lint", str(tmp_path))
    assert done.returncode == 1, done.stdout
    assert "'cg' is a shipped pack's name" in done.stdout
    assert "'cg:reset-ai-instructions' is a shipped rule's id" in done.stdout
    assert ":" in done.stdout.splitlines()[0]  # file:line: field: what


def test_service_configuration_takes_guard_rules(tmp_path: Path) -> None:
    from channelguard.serve import ServiceConfig
    from tests.conftest import EXAMPLES

    (tmp_path / "cfg.yaml").write_text(
        f"model: {EXAMPLES / 'bank.yaml'}\nclaimed_identities: plain\n"
        f"guard:\n  rules: [{EXAMPLES / 'rules'}]\n  disable_rules: [atr:ATR-2026-00001]\n"
    )
    config = ServiceConfig.load(tmp_path / "cfg.yaml")
    assert config.guard.rules == (EXAMPLES / "rules",)
    assert config.guard.disable_rules == ("atr:ATR-2026-00001",)
    (tmp_path / "bad.yaml").write_text(
        f"model: {EXAMPLES / 'bank.yaml'}\nclaimed_identities: plain\nguard:\n  rulez: []\n"
    )
    with pytest.raises(ConfigError, match=r"bad.yaml:4: guard.rulez: unknown key"):
        ServiceConfig.load(tmp_path / "bad.yaml")


def test_every_cli_console_comes_from_the_one_factory() -> None:
    """`cli_support.console` turns emoji codes off; a console made elsewhere would
    print a rule id 'acme:x' as an emoji again."""
    from tests.conftest import ROOT

    made = [
        f"{path.name}:{n}"
        for path in (ROOT / "src" / "channelguard").rglob("*.py")
        if path.name != "cli_support.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "Console(" in line
    ]
    assert made == []


def test_a_pattern_that_does_not_compile_is_one_problem_not_two(tmp_path: Path) -> None:
    """A regex error was followed by "patterns: Tuple should have at least 1 item",
    an echo that sent a new user looking for a second fault."""
    from tests.conftest import run_cli

    write(tmp_path, RULE.replace("- regex: '", "- regex: '(unclosed", 1))
    done = run_cli("rules", "lint", str(tmp_path))
    assert done.returncode == 1
    assert "does not compile" in done.stdout
    assert "at least 1 item" not in done.stdout, done.stdout
