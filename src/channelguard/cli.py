"""The `channelguard` command line.

Exit codes: 0 done; 1 the review found exposed actions and --fail-on-exposed
was given; 2 bad input (with one `file:line: what` line per problem); 3 an
optional dependency is missing; `scan` and `decide` exit with the number of
unusable lines (1-125) when the run itself completed; 70 a bug in channelguard
(please report it; the fuzz tests keep it from happening).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console

from channelguard.cli_support import check_format, console
from channelguard.cli_support import guarded as _guarded
from channelguard.cli_tables import check_line_format, print_decisions, print_scans
from channelguard.errors import InputError
from channelguard.guard.limits import DEFAULT_MAX_CHARS

if TYPE_CHECKING:
    from channelguard.guard.guard import Guard
    from channelguard.guard.scan import ScanStats

app = typer.Typer(
    name="channelguard",
    help="Safety and security for AI in customer channels.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help, as click writes it: a flag shows no value type (rich's table
    # showed `<bool>`, and `--lenient true` then failed), and long option names and
    # descriptions wrap instead of being cut at 80 columns
    rich_markup_mode=None,
)


class ReviewFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MD = "md"
    HTML = "html"
    SARIF = "sarif"


@app.command()
def lint(
    model: Annotated[Path, typer.Argument(help="Channel model YAML")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """List every error and note in a channel model (file:line: what); exit 2 on an error.

    Errors (stderr in the table) stop a review; notes (stdout) do not: unused
    factors and channels, and classes guessed from words.
    """
    from channelguard.model.lint import lint_model

    def body() -> int:
        check_format(fmt)
        report = lint_model(model)
        if fmt == "json":
            sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        else:
            _print_lint(report)
        return 2 if report.errors else 0

    code = _guarded(body)
    if code:
        raise typer.Exit(code)


def _print_lint(report: Any) -> None:
    out = console(highlight=False, soft_wrap=True)
    err = console(stderr=True, highlight=False, soft_wrap=True)
    for note in report.notes:
        if note.severity == "error":
            err.print(str(note.issue), markup=False)
        else:
            out.print(f"note: {note.issue}", markup=False)
    notes = len(report.notes) - report.errors
    if report.errors:
        err.print(f"{report.file}: {report.errors} error(s), {notes} note(s)", markup=False)
    else:
        out.print(f"{report.file}: ok ({notes} note(s))", markup=False)


@app.command()
def review(
    model: Annotated[
        Path | None, typer.Argument(help="Channel model YAML (not with --diff)")
    ] = None,
    fmt: Annotated[
        ReviewFormat, typer.Option("--format", "-f", help="Output format")
    ] = ReviewFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    plan: Annotated[
        bool, typer.Option("--plan/--no-plan", help="Compute the hardening plan")
    ] = True,
    fail_on_exposed: Annotated[
        bool, typer.Option(help="Exit 1 when any action is exposed")
    ] = False,
    plan_budget: Annotated[
        float | None,
        typer.Option(
            "--plan-budget",
            min=0.1,
            help="Seconds the plan may take; past them it reports how far it got",
        ),
    ] = None,
    incidents: Annotated[
        bool,
        typer.Option(
            "--incidents",
            help="Lower the cost of factors open incidents compromised; show what that exposes",
        ),
    ] = False,
    database: Annotated[
        str | None,
        typer.Option("--database", help="Register database URL (--incidents, --save, --diff)"),
    ] = None,
    paths_to: Annotated[
        str | None,
        typer.Option(
            "--paths-to",
            metavar="ACTION",
            help="List every path to ACTION ranked by attacker cost (table or json)",
        ),
    ] = None,
    what_if: Annotated[
        Path | None,
        typer.Option(
            "--what-if",
            metavar="PATCH",
            help="Apply a YAML patch of proposed changes; show what changes per action",
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Store the review in the register (--database)")
    ] = False,
    diff: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--diff",
            metavar="OLD NEW",
            help="What changed in exposure and cost per action; each a saved review id "
            "or a review JSON file (no MODEL)",
        ),
    ] = None,
    tenant: Annotated[
        str, typer.Option("--tenant", help="Whose saved reviews (--save, --diff)")
    ] = "default",
) -> None:
    """Find the cheapest impersonation path to every action and a hardening plan."""
    from channelguard.model.loader import load_file

    def body() -> int:
        if diff is not None:
            return _diff(model, diff, fmt, database, tenant, fail_on_exposed)
        if model is None:
            raise InputError("review: give a channel model (or --diff OLD NEW)")
        if save and (paths_to or what_if or incidents):
            raise InputError(
                "--save: stores a whole review, not --paths-to, --what-if or --incidents"
            )
        loaded = load_file(model)
        if paths_to is not None:
            _emit_paths(loaded, paths_to, fmt, output)
            return 0
        if what_if is not None:
            return _emit_what_if(loaded, what_if, fmt, fail_on_exposed)
        if incidents:
            return _review_incidents(loaded, database, fmt, output)
        result = _review_with_progress(loaded, plan, plan_budget)
        _emit(loaded, result, fmt, output)
        if save:
            from channelguard.cli_review import save_to_register
            from channelguard.report.review_json import review_to_dict

            save_to_register(model, review_to_dict(result), database=database, tenant=tenant)
        return 1 if fail_on_exposed and result.exposed else 0

    code = _guarded(body)
    if code:
        raise typer.Exit(code)


def _review_with_progress(loaded: Any, plan: bool, budget: float | None) -> Any:
    """The review; on a terminal, a progress bar on stderr while the plan runs."""
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from channelguard.review.review import run_review

    err = console(stderr=True)
    if not plan or not err.is_terminal:
        return run_review(loaded, with_plan=plan, plan_budget=budget)
    columns = (TextColumn("plan: {task.description}"), BarColumn(), TimeElapsedColumn())
    started = time.monotonic()
    with Progress(*columns, console=err, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("starting", total=None, visible=False)

        def progress(stage: str, done: int, total: int) -> None:
            # shown only for a review longer than a second
            visible = time.monotonic() - started > 1.0
            bar.update(task, description=stage, completed=done, total=total, visible=visible)
            bar.refresh()

        return run_review(loaded, with_plan=plan, plan_budget=budget, progress=progress)


def _review_incidents(
    loaded: object, database: str | None, fmt: ReviewFormat, output: Path | None
) -> int:
    from channelguard.cli_register import open_store, print_incident_review
    from channelguard.model.loader import LoadedModel
    from channelguard.runtime.exposure import review_with_incidents

    if fmt not in (ReviewFormat.TABLE, ReviewFormat.JSON) or output is not None:
        raise InputError("--incidents: use --format table or json, on stdout")
    assert isinstance(loaded, LoadedModel)  # the review's own model
    result = review_with_incidents(loaded, open_store(database))
    if fmt == ReviewFormat.JSON:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        print_incident_review(result)
    return 0


def _emit_paths(loaded: Any, action: str, fmt: ReviewFormat, output: Path | None) -> None:
    from channelguard.report.paths import paths_to_dict, print_paths
    from channelguard.review.engine import cheapest_attacks
    from channelguard.review.paths import paths_to

    if fmt not in (ReviewFormat.TABLE, ReviewFormat.JSON):
        raise InputError(f"--paths-to: --format {fmt.value} is not supported (table or json)")
    ranked = paths_to(loaded, cheapest_attacks(loaded), action)
    impact = next(a.impact_usd for a in loaded.model.actions if a.id == action)
    if fmt is ReviewFormat.JSON:
        _write(json.dumps(paths_to_dict(action, impact, ranked), indent=2), output)
    elif output is None:
        print_paths(action, impact, ranked, console())
    else:
        with output.open("w", encoding="utf-8") as handle:
            print_paths(action, impact, ranked, console(file=handle, width=160))


def _diff(
    model: Path | None,
    sides: tuple[str, str],
    fmt: ReviewFormat,
    database: str | None,
    tenant: str,
    fail_on_exposed: bool,
) -> int:
    from channelguard.cli_review import diff_reviews

    if model is not None:
        raise InputError("--diff compares two saved reviews or review files: give no MODEL")
    if fmt not in (ReviewFormat.TABLE, ReviewFormat.JSON):
        raise InputError(f"--diff: --format {fmt.value} is not supported (table or json)")
    data = diff_reviews(*sides, fmt=fmt.value, database=database, tenant=tenant)
    return 1 if fail_on_exposed and data["exposed_after"] else 0


def _emit_what_if(loaded: Any, patch: Path, fmt: ReviewFormat, fail_on_exposed: bool) -> int:
    from channelguard.report.delta import deltas_to_dict, print_deltas
    from channelguard.review.whatif import what_if

    if fmt not in (ReviewFormat.TABLE, ReviewFormat.JSON):
        raise InputError(f"--what-if: --format {fmt.value} is not supported (table or json)")
    result = what_if(loaded, patch)
    data = {"patch": result.patch, "changes": list(result.changes)}
    data |= deltas_to_dict(result.deltas)
    if fmt is ReviewFormat.JSON:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        out = console(highlight=False)
        for said in result.changes:
            out.print(f"what-if: {said}", markup=False)
        print_deltas(f"What changes with {patch}", result.deltas, out)
    return 1 if fail_on_exposed and data["exposed_after"] else 0


def _emit(loaded: object, result: object, fmt: ReviewFormat, output: Path | None) -> None:
    from channelguard.model.loader import LoadedModel
    from channelguard.report import documents
    from channelguard.report.review_json import review_to_dict
    from channelguard.report.terminal import print_review
    from channelguard.review.review import Review

    assert isinstance(loaded, LoadedModel) and isinstance(result, Review)
    if fmt is ReviewFormat.TABLE:
        if output is None:
            print_review(result, console())
            return
        with output.open("w", encoding="utf-8") as handle:
            print_review(result, console(file=handle, width=160))
        return
    if fmt is ReviewFormat.JSON:
        text = json.dumps(review_to_dict(result), indent=2)
    elif fmt is ReviewFormat.SARIF:
        from channelguard.report.sarif import review_to_sarif

        text = json.dumps(review_to_sarif(loaded, result), indent=2)
    elif fmt is ReviewFormat.HTML:
        text = documents.to_html(loaded, result)
    else:
        href = None
        if output is not None:
            from channelguard.report.graph import render_svg

            svg_path = output.with_suffix(".svg")
            svg_path.write_text(render_svg(loaded, result), encoding="utf-8")
            href = svg_path.name
        text = documents.to_markdown(loaded, result, graph_href=href)
    _write(text, output)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text + "\n")
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write: {exc.strerror}") from None
    console(stderr=True, highlight=False).print(f"wrote {output}", markup=False)


@app.command()
def scan(
    source: Annotated[
        Path,
        typer.Argument(help="JSONL, .jsonl.gz or plain text (one message a line); - for stdin"),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write JSONL here instead of stdout")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Operating point: flag at or above this score")
    ] = 0.5,
    detectors: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated detector ids (default: the default set; "
            "'default,ID' adds an opt-in one)"
        ),
    ] = None,
    max_chars: Annotated[
        int,
        typer.Option(
            help="Text past this is not inspected: the message is flagged (input_limit), "
            "never passed as clean"
        ),
    ] = DEFAULT_MAX_CHARS,
    encoder: Annotated[
        str,
        typer.Option(
            help="Where the encoder stage runs: cascade (documents, and user turns a cheap "
            "head is unsure of), always (every inbound message), off"
        ),
    ] = "cascade",
    multilingual: Annotated[
        str,
        typer.Option(
            help="The multilingual stage on text that is not English: auto runs it where "
            "the multilingual extra is installed, on requires it, off never loads it"
        ),
    ] = "auto",
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes inspecting batches in parallel (each loads its own "
            "guard); output stays in input order",
        ),
    ] = 1,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="A rule pack file or folder of your own (repeat for more)"),
    ] = None,
    disable_rule: Annotated[
        list[str] | None,
        typer.Option("--disable-rule", help="A rule id not to run, e.g. atr:ATR-2026-00005"),
    ] = None,
    calibration: Annotated[
        Path | None,
        typer.Option(help="A tenant's calibration (channelguard guard calibrate --write)"),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="jsonl (docs/spec/io-formats.md) or table (for people)"
        ),
    ] = "jsonl",
) -> None:
    """Inspect every message for security and safety findings; JSONL out, same order.

    Exit code: 0 when every line was read, else the number of unreadable lines
    (at most 125); 2 when the input file itself cannot be used.
    """
    from channelguard.guard.guard import Guard as GuardImpl
    from channelguard.guard.scan import open_input

    def body() -> ScanStats:
        check_line_format(fmt)
        ids = [d.strip() for d in detectors.split(",") if d.strip()] if detectors else None
        guard = GuardImpl(
            detectors=ids,
            threshold=threshold,
            max_chars=max_chars,
            encoder=encoder,
            multilingual=multilingual,
            rules=rules or [],
            disable_rules=disable_rule or [],
            calibration=str(calibration) if calibration else None,
        ).load()
        source_handle = open_input(source)
        sink = sys.stdout if output is None else output.open("w", encoding="utf-8")
        table = io.StringIO() if fmt == "table" else None
        try:
            stats = _scan_with_progress(
                guard, source_handle, sink if table is None else table, source, workers
            )
            if table is not None:
                print_scans(table.getvalue().splitlines(), _table_console(output, sink))
            return stats
        finally:
            source_handle.close()
            if output is not None:
                sink.close()

    stats = _guarded(body)
    err = console(stderr=True, highlight=False)
    err.print(
        f"scanned {stats.lines} lines: {stats.flagged} flagged, {stats.failed} unreadable",
        markup=False,
    )
    if stats.failed:
        raise typer.Exit(min(stats.failed, 125))


@app.command()
def decide(
    events: Annotated[Path, typer.Argument(help="Interaction events, JSONL (or .gz); - for stdin")],
    model: Annotated[Path, typer.Option("--model", "-m", help="Channel model YAML")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write JSONL here instead of stdout")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Guard operating point: findings at or above it are threats")
    ] = 0.5,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="Unknown factors and signal names are warnings, not errors (strict by default)",
        ),
    ] = False,
    shadow: Annotated[
        bool,
        typer.Option(
            "--shadow",
            help='Rollout: every decision is marked "shadow": true, to record, not enforce',
        ),
    ] = False,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Store events and decisions and file incidents here, as the service does",
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="The service's YAML (with --database)")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="jsonl (docs/spec/io-formats.md) or table (for people)"
        ),
    ] = "jsonl",
    time_budget: Annotated[
        float | None,
        typer.Option(
            "--time-budget",
            metavar="SECONDS",
            help="Inspect the run's messages within this; one not reached counts as a threat",
        ),
    ] = None,
) -> None:
    """Decide every action request: allow, step up (naming the evidence), hold or deny.

    Replays the file: each event's `at` is the clock, and an event earlier than
    its session's previous one is an error line. Messages are inspected by the
    guard; verifications and signals build the session's evidence. With
    --database the events go through the service's own ledger (its settings
    from --config and the environment, as `serve` reads them). Exit code: 0
    when every line was used, else the number of unusable lines (at most 125);
    2 when the model or the file cannot be used.
    """
    from channelguard.runtime.replay import DecideStats

    def body() -> DecideStats:
        from channelguard.cli_decide import replay

        check_line_format(fmt)
        lines = io.StringIO() if fmt == "table" else None
        stats = replay(events, None if lines else output, model=model, threshold=threshold,
                       lenient=lenient, shadow=shadow, database=database, config=config,
                       sink=lines, time_budget=time_budget)  # fmt: skip
        if lines is not None:
            with _opened(output) as sink:
                print_decisions(lines.getvalue().splitlines(), _table_console(output, sink))
        return stats

    stats = _guarded(body)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(stats.by_kind.items()))
    console(stderr=True, highlight=False).print(
        f"{stats.events} events, {stats.decisions} decisions ({kinds or 'none'}), "
        f"{stats.failed} unusable"
        + (f", {stats.warnings} warnings" if stats.warnings else "")
        + (f", {len(stats.incidents)} incident(s) filed" if database else ""),
        markup=False,
    )
    if stats.failed:
        raise typer.Exit(min(stats.failed, 125))


@app.command()
def exercise(
    scenarios: Annotated[Path, typer.Argument(help="A scenario YAML file or a folder of them")],
    model: Annotated[
        Path | None,
        typer.Option("--model", "-m", help="Channel model (default: each scenario's own)"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="Replay against a live agent: POST URL ({session} is filled in), "
            "the shape of /v1/sessions/{session}/events",
        ),
    ] = None,
    key: Annotated[
        str | None, typer.Option("--key", envvar="CHANNELGUARD_KEY", help="Bearer key")
    ] = None,
    allow_http: Annotated[
        bool,
        typer.Option(
            "--allow-http",
            help="Send to a plain-http endpoint on another machine (the key crosses the "
            "network readable); without it only https or this machine",
        ),
    ] = False,
) -> None:
    """Replay impersonation scenarios against a channel model: pass or fail per scenario.

    Exit code: 0 when every scenario passes, 1 when any fails, 2 on bad input.
    """
    from channelguard.exercise.scenarios import Outcome, run_scenario
    from channelguard.guard.guard import Guard as GuardImpl

    def body() -> list[Outcome]:
        check_format(fmt)
        if not scenarios.exists():
            raise InputError(f"{scenarios}: no such file or folder")
        files = sorted(scenarios.glob("*.yaml")) if scenarios.is_dir() else [scenarios]
        if not files:
            raise InputError(f"{scenarios}: no .yaml scenario files")
        if endpoint is not None:
            from channelguard.exercise.endpoint import check_endpoint, run_against_endpoint

            check_endpoint(endpoint, allow_http=allow_http)
            return [run_against_endpoint(f, endpoint, key=key) for f in files]
        guard = GuardImpl().load()
        return [run_scenario(f, guard, model) for f in files]

    outcomes = _guarded(body)
    if fmt == "json":
        sys.stdout.write(json.dumps([o.to_dict() for o in outcomes], indent=2) + "\n")
    else:
        _print_outcomes(outcomes)
    if not all(o.passed for o in outcomes):
        raise typer.Exit(1)


def _print_outcomes(outcomes: list[Any]) -> None:
    from channelguard.escape import terminal as shown
    from channelguard.report.rows import print_rows

    rows = []
    for o in outcomes:
        decisions = "\n".join(f"{d.action}: {d.decision}" for d in o.decisions)
        why = "\n".join(o.problems) or (o.decisions[-1].reasons[-1] if o.decisions else "")
        # what an endpoint answers is shown as it is (never markup, links or controls)
        result = shown("pass", "green") if o.passed else shown("FAIL", "red")
        rows.append([shown(o.name), result, shown(decisions), shown(why)])
    out = console()
    print_rows(
        out,
        "Exercise: scenarios replayed against the channel model",
        ("Scenario", "Result", "Decisions", "Why"),
        rows,
    )
    passed = sum(o.passed for o in outcomes)
    out.print(f"{passed} of {len(outcomes)} scenarios passed", highlight=False)


def _table_console(output: Path | None, sink: TextIO) -> Console:
    """Where a table goes: the terminal, or --output at a fixed width (a file has none)."""
    return console(file=sink, highlight=False, width=120 if output is not None else None)


@contextmanager
def _opened(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8") as handle:
        yield handle


def _scan_with_progress(
    guard: Guard, source: TextIO, sink: TextIO, path: Path, workers: int
) -> ScanStats:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from channelguard.guard.scan import scan_stream

    err = console(stderr=True)
    if not err.is_terminal:
        return scan_stream(guard, source, sink, workers=workers)
    columns = (
        TextColumn(f"scanning {path}"),
        BarColumn(),
        TextColumn("{task.completed} lines"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("scan", total=None)
        return scan_stream(
            guard, source, sink, on_line=lambda n: progress.advance(task, n), workers=workers
        )


def _version(value: bool) -> None:
    if value:
        from channelguard import __version__

        console().print(f"channelguard {__version__}", markup=False, highlight=False)
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version"),
    ] = False,
) -> None:
    """Safety and security for AI in customer channels."""


def _register_commands() -> None:
    from channelguard.cli_feedback import guard_app
    from channelguard.cli_mcp import mcp
    from channelguard.cli_register import data_app, incidents_app, keys_app, serve
    from channelguard.cli_rules import rules_app
    from channelguard.cli_siem import ocsf
    from channelguard.cli_watch import canary, drift_app
    from channelguard.cli_webhooks import webhooks_app

    app.add_typer(incidents_app, name="incidents")
    app.add_typer(keys_app, name="keys")
    app.add_typer(data_app, name="data")
    app.add_typer(rules_app, name="rules")
    app.add_typer(guard_app, name="guard")
    app.add_typer(drift_app, name="drift")
    app.add_typer(webhooks_app, name="webhooks")
    app.command()(canary)
    app.command()(serve)
    app.command()(mcp)
    app.command()(ocsf)


_register_commands()


def main() -> None:
    import signal

    # a reader that stops early (`| head`) ends us quietly, as it does any Unix tool
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
