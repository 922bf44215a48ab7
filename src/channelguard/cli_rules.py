"""`channelguard rules`: check your packs, list what runs and why the rest does not."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from channelguard.cli_support import console, guarded

__all__ = ["rules_app"]

rules_app = typer.Typer(help="Rule packs: lint your own, list what runs.", no_args_is_help=True)


@rules_app.command("lint")
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Rule pack files or folders")],
) -> None:
    """Every problem in every pack (file:line: field: what), then every rule's examples.

    Exit code: 0 clean, 1 when a problem or a failing example was found."""
    from channelguard.guard.detectors.rulepack import RulePack
    from channelguard.guard.rules.packs import lint_packs, pack_files

    def body() -> list[str]:
        files = pack_files([str(p) for p in paths])
        problems = [str(i) for i in lint_packs(files)]
        if problems:
            return problems
        detector = RulePack().load(rules=[str(f) for f in files], shipped_packs=False)
        return detector.failing_examples()

    problems = guarded(body)
    out = console(highlight=False, soft_wrap=True)
    for line in problems:
        out.print(line, markup=False)
    out.print(f"{len(problems)} problem(s)", markup=False)
    if problems:
        raise typer.Exit(1)


@rules_app.command("list")
def list_rules(
    rules: Annotated[
        list[str] | None, typer.Option("--rules", help="Your rule pack files or folders")
    ] = None,
    off: Annotated[bool, typer.Option("--off", help="Only the rules that do not run")] = False,
) -> None:
    """Every rule, on or off, and why a shipped rule is off (its measured benign rate,
    its own examples failing, or turned off)."""
    from channelguard.guard.detectors.rulepack import RulePack

    detector = guarded(lambda: RulePack().load(rules=rules or []))
    out = console(highlight=False, soft_wrap=True)
    assert detector.selection is not None
    if not off:
        for rule in detector.rules:
            out.print(f"{rule.id}\ton\t{rule.severity.value}\t{rule.title}", markup=False)
    for rid, why in sorted(detector.selection.off.items()):
        out.print(f"{rid}\toff\t{why}", markup=False)
