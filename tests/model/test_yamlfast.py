"""The libyaml event reader builds what the pure-Python reader builds: the same
values, the same lines, the same issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from channelguard.model import yamlfast, yamlsource
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not yamlfast.AVAILABLE, reason="PyYAML without libyaml")

DOCS = [
    "a: 1\nb: [x, 'y', 2.5, true, null, ~, 2026-11-01]\nc: {d: e}\n",
    "base: &b {cost: 5, p: 0.5}\nx: *b\ny: [*b, *b]\n",
    "a: 1\na: 2\nb: 3\n",
    "k: =\n",
    "- 1\n- [2, [3, [4]]]\n",
    "text: |\n  line one\n  line two\nnum: 0x1f\noct: 0o17\nyes: yes\n",
    "",
    "---\n",
    "a: [1, 2\n",
    "a: 1\n---\nb: 2\n",
    "x: *missing\n",
    "version: 2026-11-01\nwhen: 2026-11-01 10:00:00\n",
    "? [a, b]\n: c\n",
]


def _read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> yamlsource.SourceDoc:
    monkeypatch.setattr(yamlfast, "AVAILABLE", fast)
    return yamlsource.parse_yaml(text, "f.yaml")


@pytest.mark.parametrize("text", DOCS + [p.read_text() for p in sorted(EXAMPLES.glob("*.yaml"))])
def test_same_values_lines_and_issues(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = _read(text, False, monkeypatch)
    fast = _read(text, True, monkeypatch)
    assert fast.data == slow.data

    # libyaml words syntax errors its own way: the line and the kind must agree
    def said(doc: yamlsource.SourceDoc) -> list[tuple[int | None, str]]:
        return [
            (i.line, "YAML syntax" if i.message.startswith("YAML:") else i.message)
            for i in doc.issues
        ]

    assert said(fast) == said(slow)
    if not slow.issues and "*" not in text:  # an alias: the fast reader gives the alias's own line
        assert {k: v for k, v in fast.lines.items() if k in slow.lines} == slow.lines


def test_limits_hold_on_the_fast_reader(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = yamlsource.parse_yaml(bomb, "bomb.yaml")
    assert doc.data is None and "alias bomb" in doc.issues[0].message
    deep = yamlsource.parse_yaml("a: " + "[" * 70 + "]" * 70 + "\n", "deep.yaml")
    assert deep.issues[0].message == "nested deeper than 64 levels" and deep.issues[0].line == 1
