"""Hostile text in stored incidents (titles, channels, identities, owners, notes)
is shown as the characters it is in every output: the Markdown export, the
terminal's `incidents show` and `incidents list`. Never a forged heading, link,
HTML, rich markup, terminal link or control sequence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from channelguard.register import audit
from channelguard.register.db import Database
from channelguard.register.export import export_incidents
from channelguard.register.records import IncidentIn, IncidentPatch, LinkIn, StepCheck
from channelguard.register.store import IncidentStore
from tests.conftest import run_cli

EVIL = (
    "\n# Forged heading\n[click](https://evil.example) <script>alert(1)</script> "
    "[bold red]x[/] [link=https://evil.example]y[/link] "
    "\x1b]8;;https://evil.example\x1b\\osc\x1b]8;;\x1b\\ \x1b[2J\x9b31m\x07 | cell | **b**"
)


def hostile_incident() -> dict[str, Any]:
    short = EVIL[:190]
    return {
        "title": "T" + EVIL,
        "domain": "both",
        "domain_reason": "R" + EVIL,
        "cause": "adversarial",
        "harm_type": "account_takeover",
        "severity": "critical",
        "summary": "1. " + EVIL,
        "failed_control": {"channel": short, "action": short, "path": short, "factor": short},
        "owners": {"security": "O" + short},
        "lead": "security",
        "compromised": [{"factor": short, "scope": "all"}],
        # a session id holds no control characters (ids.py), but may hold markup
        "session": "".join(c for c in short if c.isprintable()).strip(),
        "claimed_identity": short,
    }


def _stored(url: str) -> list[dict[str, Any]]:
    db = Database(url).open()
    store = IncidentStore(db)
    made = store.create(IncidentIn.model_validate(hostile_incident()), "A" + EVIL[:100])
    other = store.create(IncidentIn.model_validate(hostile_incident()), "a")
    store.update(made["id"], IncidentPatch(version=1, status="triaged", note=EVIL), EVIL[:150])
    store.link(made["id"], LinkIn(to=other["id"], type="same_actor", note=EVIL), EVIL[:150])
    step = made["steps"][0]["step"]
    store.check_step(made["id"], StepCheck(step=step, note=EVIL), EVIL[:150])
    found = [store.get(made["id"]), store.get(other["id"])]
    db.close()
    return found


def test_the_markdown_export_renders_no_stored_text_as_markup(db_url: str) -> None:
    incidents = _stored(db_url)
    md = export_incidents(incidents, "md")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    kinds = [t.type for t in tokens]
    children = [c.type for t in tokens for c in (t.children or [])]
    assert "html_block" not in kinds and "html_inline" not in children
    assert "link_open" not in children and "image" not in children
    headings = [(t.tag, tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    ours = {"Clocks", "Response steps", "Factors compromised by this incident", "Timeline"}
    for tag, inline in headings:
        assert (tag == "h1" and inline.content.startswith("Incident ")) or (
            tag == "h2" and inline.content in ours | {"Linked incidents"}
        ), inline.content
    assert [tag for tag, _ in headings].count("h1") == len(incidents)
    assert kinds.count("ordered_list_open") == 0  # "1. " in the summary is text
    # what is said is the stored text, read back literally by a Markdown reader
    title = "".join(c.content for c in headings[0][1].children or [])
    assert "<script>alert(1)</script>" in title and "[click](https://evil.example)" in title
    assert "\x1b" not in md and "\x9b" not in md and "\x07" not in md


def _hostile_db(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cg.db'}"
    _stored(url)
    return {"CHANNELGUARD_DATABASE_URL": url, "FORCE_COLOR": "1", "COLUMNS": "300"}


def test_incidents_show_and_list_print_stored_text_inert(tmp_path: Path) -> None:
    env = _hostile_db(tmp_path)
    for args in (("incidents", "show", "1"), ("incidents", "list")):
        done = run_cli(*args, env=env)
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert "\x1b]8" not in out and "\x1b[2J" not in out and "\x07" not in out
        assert "\x9b" not in out
        assert "[bold red]x[/]" in out.replace("\n", "")  # shown, not read as markup
    shown = run_cli("incidents", "show", "1", env=env).stdout
    assert "[link=https://evil.example]y[/link]" in shown.replace("\n", "")


def test_the_cli_markdown_export_is_inert_too(tmp_path: Path) -> None:
    env = _hostile_db(tmp_path)
    done = run_cli("incidents", "export", "--format", "md", env=env)
    assert done.returncode == 0, done.stderr
    assert "\n# Forged" not in done.stdout and "<script>" not in done.stdout
    rows = json.loads(run_cli("incidents", "export", env=env).stdout)["incidents"]
    assert rows[0]["title"].startswith("T")  # JSON keeps what is stored, as data


def _with_hostile_cause(url: str) -> None:
    """A timeline entry whose actor, `caused_by` (a key's label) and old/new values
    are hostile, as automatic filing and changes record them."""
    db = Database(url).open()
    with db.begin() as s:
        audit.record(
            s,
            1,
            "A" + EVIL[:100],
            "seen again",
            {"title": {"old": EVIL, "new": [EVIL]}},
            caused_by="key:cg_x (" + EVIL[:150] + ")",
        )
    db.close()


def test_the_timeline_prints_actors_causes_and_changes_inert(tmp_path: Path) -> None:
    env = _hostile_db(tmp_path)
    _with_hostile_cause(env["CHANNELGUARD_DATABASE_URL"])
    done = run_cli("incidents", "show", "1", "--timeline", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b]8" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "\x9b" not in out
    assert "caused by key:cg_x" in out
    assert "[bold red]x[/]" in out  # shown, not read as markup
    # a stored newline never starts a line of its own: no forged entry
    assert not any(line.startswith("# Forged") for line in out.splitlines())


def test_the_markdown_export_shows_causes_and_changes_inert(tmp_path: Path) -> None:
    env = _hostile_db(tmp_path)
    _with_hostile_cause(env["CHANNELGUARD_DATABASE_URL"])
    db = Database(env["CHANNELGUARD_DATABASE_URL"]).open()
    md = export_incidents([IncidentStore(db).get(1)], "md")
    db.close()
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    children = [c.type for t in tokens for c in (t.children or [])]
    assert "html_inline" not in children and "link_open" not in children
    assert "html_block" not in [t.type for t in tokens]
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    assert "caused by key:cg\\_x" in md and "seen again" in md
    assert "\x1b" not in md and "\x9b" not in md and "\x07" not in md
