"""The review as a shareable document: Markdown or self-contained HTML."""

from __future__ import annotations

import base64
from collections.abc import Iterator

from channelguard import escape
from channelguard.escape import markdown as md
from channelguard.model.loader import LoadedModel
from channelguard.report.graph import render_svg
from channelguard.report.text import after_plan, chain, plan_fit, plan_target, target, usd
from channelguard.review.review import Review

__all__ = ["to_html", "to_markdown"]


def _rows(review: Review) -> Iterator[tuple[str, list[list[str]]]]:
    yield (
        "Cheapest impersonation path per action",
        [
            [
                "Action",
                "Tier",
                "Owner",
                "Impact",
                "Expected cost",
                "Exposed",
                "Cheapest path",
                "After the plan",
            ],
            *[
                [
                    a.id,
                    a.tier,
                    a.owner,
                    usd(a.impact_usd),
                    usd(a.expected_cost_usd),
                    "yes" if a.exposed else "no",
                    chain(a.attack),
                    after_plan(review, a.id),
                ]
                for a in sorted(review.actions, key=lambda a: -(a.exposure_ratio or 0))
            ],
        ],
    )
    yield (
        "Choke points",
        [
            ["Kind", "Where", "Exposed actions", "Impact behind it"],
            *[[c.kind, c.id, ", ".join(c.actions), usd(c.impact_usd)] for c in review.chokepoints],
        ],
    )
    yield (
        "Hardening plan",
        [
            [
                "#",
                "Change",
                "Target",
                "Friction",
                "Who; customers; industries; needs",
                "Expected cost before → after",
            ],
            *[
                [
                    str(i.rank),
                    i.title,
                    plan_target(i),
                    f"{i.friction:g}",
                    plan_fit(i),
                    "; ".join(
                        f"{e.action}: {usd(e.before_usd)} → {usd(e.after_usd)}" for e in i.effects
                    ),
                ]
                for i in review.plan
            ],
        ],
    )
    yield (
        "Policy findings",
        [
            ["Severity", "Rule", "Where", "Why"],
            *[[f.severity, f.rule, target(f.action, f.path), f.message] for f in review.findings],
        ],
    )


def _summary(review: Review) -> str:
    exposed = review.exposed
    head = (
        f"{len(review.actions)} actions, {len(exposed)} exposed "
        f"({usd(sum(a.impact_usd for a in exposed))} of impact); {len(review.findings)} policy "
        "findings; "
    )
    if not review.plan_computed or review.residual_exposed is None:
        return head + f"{review.plan_note or 'no plan computed'}."
    left = ", ".join(review.residual_exposed) or "none"
    return (
        head
        + f"plan of {len(review.plan)} changes. Still exposed after the plan: {left}."
        + (f" Note: {review.plan_note}." if review.plan_note else "")
    )


def to_markdown(loaded: LoadedModel, review: Review, graph_href: str | None = None) -> str:
    """Markdown; the graph is linked to `graph_href` or embedded as a data URI."""
    lines = [
        f"# Exposure review: {md(review.organization)} ({md(review.version)})",
        "",
        md(_summary(review)),
        "",
    ]
    svg = render_svg(loaded, review)
    href = graph_href or "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    lines += ["![Attack graph: cheapest paths highlighted](" + href + ")", ""]
    for title, table in _rows(review):
        if len(table) == 1:
            continue
        lines += [
            f"## {title}",
            "",
            "| " + " | ".join(table[0]) + " |",
            "|" + "---|" * len(table[0]),
        ]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in table[1:]]
        lines.append("")
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 1200px; color: #222 }
table { border-collapse: collapse; margin: 1rem 0; width: 100% }
th, td { border: 1px solid #ccc; padding: 4px 6px; font-size: 13px; vertical-align: top }
th { background: #f3f3f3; text-align: left }
tr.exposed td:nth-child(6) { color: #b00; font-weight: bold }
.graph svg { max-width: 100%; height: auto }
"""


def to_html(loaded: LoadedModel, review: Review) -> str:
    esc = escape.html
    title = f"Exposure review: {esc(review.organization)}"
    svg = _strip_xml_header(render_svg(loaded, review))
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title} ({esc(review.version)})</h1>",
        f"<p id='summary'>{esc(_summary(review))}</p>",
        f"<div class='graph' id='attack-graph'>{svg}</div>",
    ]
    for title, table in _rows(review):
        if len(table) == 1:
            continue
        section = title.lower().replace(" ", "-")
        parts.append(f"<h2>{esc(title)}</h2><table id='{section}'><thead><tr>")
        parts += [f"<th>{esc(h)}</th>" for h in table[0]]
        parts.append("</tr></thead><tbody>")
        for row in table[1:]:
            cls = " class='exposed'" if title.startswith("Cheapest") and row[5] == "yes" else ""
            parts.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _strip_xml_header(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
