"""The review as rich tables in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from channelguard.escape import terminal as shown
from channelguard.report.text import after_plan, chain, plan_fit, plan_target, target, usd
from channelguard.review.review import Review

__all__ = ["print_review"]

NARROW = 100  # below this width, lists instead of tables: no id is broken across lines


def print_review(review: Review, console: Console) -> None:
    exposed = review.exposed
    console.print(
        Text.assemble(
            shown(review.organization, "bold"),
            shown(f" ({review.version}): {len(review.actions)} actions, "),
            (f"{len(exposed)} exposed", "red"),
            f", {len(review.findings)} policy findings",
        )
    )
    if console.width < NARROW:
        _print_narrow(review, console)
        return
    actions = Table(title="Cheapest impersonation path per action", show_lines=False)
    columns = ("Action", "Tier", "Impact", "Expected cost", "Exposed", "Cheapest path")
    for col in columns + (("After the plan",) if review.plan_computed else ()):
        actions.add_column(col, overflow="fold")
    for a in sorted(review.actions, key=lambda a: -(a.exposure_ratio or 0)):
        row: list[Text | str] = [
            shown(a.id),
            shown(a.tier),
            usd(a.impact_usd),
            usd(a.expected_cost_usd),
            "[red]yes[/]" if a.exposed else "[green]no[/]",
            shown(chain(a.attack, sep="\n→ ")),
        ]
        actions.add_row(*row, *([after_plan(review, a.id)] if review.plan_computed else []))
    console.print(actions)
    if review.chokepoints:
        chokes = Table(title="Choke points (shared by the cheapest attacks on exposed actions)")
        for col in ("Kind", "Where", "Exposed actions", "Impact behind it"):
            chokes.add_column(col, overflow="fold")
        for c in review.chokepoints:
            chokes.add_row(shown(c.kind), shown(c.id), str(len(c.actions)), usd(c.impact_usd))
        console.print(chokes)
    for factor, evidence, why in review.derived_factors:
        console.print(
            Text.assemble(
                "Factor ",
                shown(factor, "bold"),
                shown(f" read as {evidence} evidence ({why}); "),
                "set 'evidence:' in the model to choose.",
            ),
            highlight=False,
        )
    _print_findings(review, console)
    _print_plan(review, console)


def _print_narrow(review: Review, console: Console) -> None:
    """The same content for an 80-column terminal: one block per item, ids whole."""
    console.print("\n[bold]Cheapest impersonation path per action[/]")
    for a in sorted(review.actions, key=lambda a: -(a.exposure_ratio or 0)):
        mark = "[red]EXPOSED[/]" if a.exposed else "[green]safe[/]"
        after = f"  after the plan {after_plan(review, a.id)}" if review.plan_computed else ""
        console.print(
            Text.assemble(
                shown(f"{a.id}  {a.tier}  impact {usd(a.impact_usd)}  "),
                shown(f"cost {usd(a.expected_cost_usd)}  "),
                Text.from_markup(mark),
                after,
            ),
            highlight=False,
        )
        _plain(console, _indent(chain(a.attack, sep="\n→ ")))
    if review.chokepoints:
        console.print("\n[bold]Choke points[/] (shared by the cheapest attacks on exposed actions)")
        for c in review.chokepoints:
            _plain(
                console,
                f"{c.kind} {c.id}: {len(c.actions)} exposed actions, {usd(c.impact_usd)} behind it",
            )
    if review.findings:
        console.print("\n[bold]Policy findings[/] (risk-tier template), most severe first")
        for f in review.findings:  # most severe first (run_review)
            _plain(console, f"[{f.severity}] {f.rule}  {target(f.action, f.path)}")
            _plain(console, _indent(f.message))
    if _no_plan_items(review, console):
        return
    console.print("\n[bold]Hardening plan[/] (engine re-run after each change)")
    for item in review.plan:
        _plain(console, f"{item.rank}. {item.title}  (friction {item.friction:g})")
        _plain(console, _indent(plan_target(item)))
        _plain(console, _indent(f"by {plan_fit(item)}"))
        if not item.effects:
            console.print(_indent("no change alone: the next change needs it"), highlight=False)
        for e in item.effects:
            closed = " (closed)" if e.exposed_before and not e.exposed_after else ""
            _plain(console, _indent(f"{e.action} {usd(e.before_usd)} → {usd(e.after_usd)}{closed}"))
    _print_left(review, console)
    if review.plan_note:
        _plain(console, f"Note: {review.plan_note}")


def _no_plan_items(review: Review, console: Console) -> bool:
    """Say why there is no plan to list (True), never "nothing exposed" unless true."""
    if not review.plan_computed:
        console.print(f"[yellow]Hardening plan:[/] {review.plan_note}", highlight=False)
        return True
    if review.plan:
        return False
    if not review.exposed:
        console.print("[green]No exposed action: no hardening plan needed.[/]")
    else:
        console.print("Hardening plan: no change in the catalogue helps.", highlight=False)
        _print_left(review, console)
        if review.plan_note:
            _plain(console, f"Note: {review.plan_note}")
    return True


def _print_left(review: Review, console: Console) -> None:
    if review.residual_exposed is None:
        return
    if not review.residual_exposed:
        console.print("Still exposed after the plan: none", highlight=False)
        return
    console.print("Still exposed after the plan, and why:", highlight=False)
    for action in review.residual_exposed:
        why = review.residual_why.get(action, "")
        _plain(console, f"  {action}: {why}")


def _plain(console: Console, text: str) -> None:
    """Text from the model (ids, messages, reasons) printed as it is: never read as
    rich markup, highlighted or sent as a control sequence."""
    console.print(shown(text), highlight=False)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _print_findings(review: Review, console: Console) -> None:
    if not review.findings:
        return
    table = Table(title="Policy findings (risk-tier template)")
    for col in ("Severity", "Rule", "Where", "Why"):
        table.add_column(col, overflow="fold")
    for f in review.findings:  # most severe first (run_review)
        table.add_row(
            shown(f.severity), shown(f.rule), shown(target(f.action, f.path)), shown(f.message)
        )
    console.print(table)


def _print_plan(review: Review, console: Console) -> None:
    if _no_plan_items(review, console):
        return
    table = Table(title="Hardening plan (engine re-run after each change)")
    cols = ("#", "Change", "Target", "Friction", "Who; customers; industries; needs")
    for col in (*cols, "Expected cost before → after"):
        table.add_column(col, overflow="fold")
    for item in review.plan:
        effects = Text("; ").join(
            Text.assemble(
                shown(f"{e.action} {usd(e.before_usd)} → {usd(e.after_usd)}"),
                (" (closed)", "green") if e.exposed_before and not e.exposed_after else "",
            )
            for e in item.effects
        ) or Text("no change alone: the next change needs it (another path to the same action)")
        table.add_row(
            str(item.rank),
            shown(item.title),
            shown(plan_target(item)),
            f"{item.friction:g}",
            shown(plan_fit(item)),
            effects,
        )
    console.print(table)
    _print_left(review, console)
    if review.plan_note:
        console.print(Text.assemble(("Note:", "yellow"), " ", shown(review.plan_note)))
