"""Review outputs: the JSON contract, Markdown and HTML with a real graph picture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from channelguard.model.loader import load_data, load_file
from channelguard.report.documents import to_html, to_markdown
from channelguard.report.graph import attack_graph
from channelguard.report.review_json import review_to_dict
from channelguard.report.terminal import print_review
from channelguard.review.review import Review, run_review
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def bank() -> tuple[object, Review]:
    loaded = load_file(EXAMPLES / "bank.yaml")
    return loaded, run_review(loaded)


def test_json_has_the_contract_keys(bank: tuple[object, Review]) -> None:
    _, review = bank
    data = json.loads(json.dumps(review_to_dict(review)))
    assert data["organization"] == "Example Retail Bank" and data["version"] == "2026-11-01"
    wire = next(a for a in data["actions"] if a["id"] == "wire_transfer")
    assert {"id", "tier", "impact_usd", "exposed", "cheapest", "findings"} <= set(wire)
    cheapest = wire["cheapest"]
    assert {"cost_usd", "minutes", "success_probability", "expected_cost_usd", "steps"} <= set(
        cheapest
    )
    assert cheapest["steps"][-1]["action"] == "wire_transfer"
    assert cheapest["expected_cost_usd"] == pytest.approx(
        cheapest["cost_usd"] / cheapest["success_probability"], rel=1e-3
    )
    assert all({"rule", "path", "message"} <= set(f) for f in wire["findings"])
    item = data["plan"][0]
    assert {"rank", "control", "target", "friction", "effects"} <= set(item)
    assert {"action", "before_usd", "after_usd"} <= set(item["effects"][0])


def test_graph_highlights_the_cheapest_chain(bank: tuple[object, Review]) -> None:
    loaded, review = bank
    graph = attack_graph(loaded, review)  # type: ignore[arg-type]
    assert graph.edges["change_phone_number", "reset_password"]["cheapest"] is True
    assert graph.nodes["wire_transfer"]["exposed"] is True


def test_markdown_and_html_embed_the_graph(bank: tuple[object, Review]) -> None:
    loaded, review = bank
    md = to_markdown(loaded, review)  # type: ignore[arg-type]
    assert "](data:image/svg+xml;base64," in md and "## Hardening plan" in md
    page = to_html(loaded, review)  # type: ignore[arg-type]
    assert "<svg" in page and "id='hardening-plan'" in page


def test_terminal_table_lists_every_action(bank: tuple[object, Review]) -> None:
    _, review = bank
    console = Console(record=True, width=200)
    print_review(review, console)
    text = console.export_text()
    for action in review.actions:
        assert action.id in text
    assert "Hardening plan" in text


def test_html_escapes_model_text(tmp_path: Path) -> None:
    source = (
        (EXAMPLES / "deepfake_ceo.yaml")
        .read_text()
        .replace(
            "organization: Example Holdings finance", 'organization: "<script>alert(1)</script>"'
        )
    )
    target = tmp_path / "m.yaml"
    target.write_text(source)
    loaded = load_file(target)
    page = to_html(loaded, run_review(loaded))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_sarif_has_a_rule_per_finding_kind_and_lines_in_the_model() -> None:
    import json as _json

    from tests.conftest import EXAMPLES, run_cli

    done = run_cli("review", str(EXAMPLES / "bank.yaml"), "--no-plan", "--format", "sarif")
    assert done.returncode == 0, done.stderr
    sarif = _json.loads(done.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "exposed-action" in rules and "knowledge-alone" in rules
    assert all(r["ruleId"] in rules for r in run["results"])
    lines = (EXAMPLES / "bank.yaml").read_text().splitlines()
    for result in run["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert "id:" in lines[region["startLine"] - 1]  # an action or path starts there


def test_the_review_reads_on_an_80_column_terminal() -> None:
    from tests.conftest import run_cli

    def words(out: str) -> set[str]:
        return set(
            out.replace("/", " ").replace("[", " ").replace("]", " ").replace(",", " ").split()
        )

    done = run_cli("review", str(EXAMPLES / "bank.yaml"), env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    wide = words(run_cli("review", str(EXAMPLES / "bank.yaml"), env={"COLUMNS": "250"}).stdout)
    narrow = words(done.stdout)
    model = load_file(EXAMPLES / "bank.yaml").model
    for a in model.actions:  # every id whole on some line, never folded
        assert a.id in narrow, a.id
        for p in a.paths:  # every path the wide table names
            assert p.id in narrow or p.id not in wide, (a.id, p.id)
    assert sum(p.id in narrow for a in model.actions for p in a.paths) > 20
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def test_findings_are_most_severe_first_in_every_format() -> None:
    review = run_review(load_file(EXAMPLES / "bank.yaml"), with_plan=False)
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    ranks = [order[f.severity] for f in review.findings]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    for action in review_to_dict(review)["actions"]:
        listed = [order[f["severity"]] for f in action["findings"]]
        assert listed == sorted(listed)


def test_a_forty_action_graph_draws_the_exposed_and_their_attacks() -> None:
    import yaml as _yaml

    from channelguard.model.loader import load_data
    from channelguard.report.graph import attack_graph, focus, render_svg

    data = _yaml.safe_load((EXAMPLES / "bank.yaml").read_text())
    safe = [
        {
            "id": f"info_{i}",
            "tier": "T0",
            "impact_usd": 0,
            "owner": "operations",
            "paths": [{"id": "bot", "channel": data["channels"][0]["id"], "requires": []}],
        }
        for i in range(30)
    ]
    data["actions"] += safe
    loaded = load_data(data, "forty")
    review = run_review(loaded, with_plan=False)
    assert len(review.actions) == 40
    drawn, hidden = focus(attack_graph(loaded, review), review)
    exposed = {a.id for a in review.actions if a.exposed}
    assert exposed <= set(drawn.nodes) and len(hidden) >= 30
    assert all(h.startswith("info_") or h not in exposed for h in hidden)
    svg = render_svg(loaded, review)
    assert "not drawn" in svg and "info_7" not in svg


HOSTILE_NAME = (
    "[bold red]Org[/] [link=https://evil.example]x[/link] \x1b]8;;https://evil.example\x07y"
    "\x1b]8;;\x07 \x1b[2J\n# Forged [click](https://evil.example) <script>1</script> | c |"
)


def _hostile_review() -> tuple[object, Review]:
    data = yaml.safe_load((EXAMPLES / "deepfake_ceo.yaml").read_text())
    data["organization"] = HOSTILE_NAME
    data["version"] = "v1 [/]"
    loaded = load_data(data, "hostile.yaml")
    return loaded, run_review(loaded)


@pytest.mark.parametrize("width", [160, 80])
def test_the_terminal_review_prints_model_text_inert(width: int) -> None:
    _, review = _hostile_review()
    console = Console(record=True, width=width, force_terminal=True, color_system="truecolor")
    print_review(review, console)  # a rich markup error before
    raw = console.export_text(styles=True, clear=False)
    assert "\x1b]8" not in raw and "\x1b[2J" not in raw
    plain = console.export_text().replace("\n", "")
    assert "[bold red]Org[/] [link=https://evil.example]x[/link]" in plain
    assert "v1 [/]" in plain


def test_the_markdown_review_renders_model_text_inert() -> None:
    from markdown_it import MarkdownIt

    loaded, review = _hostile_review()
    md = to_markdown(loaded, review, graph_href="graph.svg")
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    children = [c for t in tokens for c in (t.children or [])]
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    assert not any(c.type == "html_inline" for c in children)
    assert not any(t.type == "html_block" for t in tokens)
    links = [c.attrs.get("href") for c in children if c.type == "link_open"]
    assert links == []
    assert [c.attrs.get("src") for c in children if c.type == "image"] == ["graph.svg"]
    assert "\x1b" not in md and "\x07" not in md
    page = to_html(loaded, review)
    assert "\x1b" not in page and "<script>1" not in page
