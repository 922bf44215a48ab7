"""`channelguard drift report` and `channelguard canary`: notice when the traffic
and decisions, or the agent itself, change (watch/, exercise/canary.py).

Exit codes as elsewhere; `canary` exits 1 when the agent changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from channelguard.cli_support import DatabaseUrl, Fmt, check_format, console, guarded, open_database
from channelguard.escape import terminal as shown

if TYPE_CHECKING:
    from channelguard.watch.drift import DriftReport

drift_app = typer.Typer(
    help="Drift of the traffic and decisions a register stored.", no_args_is_help=True
)


@drift_app.command("report")
def report(
    database: DatabaseUrl = None,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (default: all)")] = None,
    until: Annotated[
        str | None, typer.Option(help="End of the window, ISO 8601 (default: now)")
    ] = None,
    window: Annotated[str, typer.Option(help="The window compared: 90m, 12h, 1d, 2w")] = "1d",
    reference: Annotated[str, typer.Option(help="The reference before the window")] = "7d",
    fmt: Fmt = "table",
) -> None:
    """Compare the last window with the reference before it, per tenant and channel;
    a drift past its threshold opens (or adds to) a model_drift incident."""
    from channelguard.watch.run import drift_report, parse_duration, parse_until

    def body() -> DriftReport:
        check_format(fmt)
        span, ref, end = (
            parse_duration(window, "--window"),
            parse_duration(reference, "--reference"),
            parse_until(until),
        )
        return drift_report(
            open_database(database), until=end, window=span, reference=ref, tenant=tenant
        )

    result = guarded(body)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return
    _print_report(result)


def _print_report(result: DriftReport) -> None:
    table = Table(title=f"Drift until {result.until.isoformat(timespec='seconds')}")
    for col in ("Tenant", "Channel", "Metric", "Window n", "PSI", "q", "Change", "Alert"):
        table.add_column(col, overflow="fold")
    for m in result.metrics:
        table.add_row(
            shown(m.tenant),
            shown(m.channel),
            shown(m.name),
            str(m.window.count),
            "-" if m.statistic is None else f"{m.statistic:.3f}",
            "-" if m.q_value is None else f"{m.q_value:.2g}",
            {None: "-", True: "yes", False: "no"}[m.change_point],
            "ALERT" if m.alert else ("too few" if m.status == "too_few" else ""),
        )
    out = console(highlight=False, soft_wrap=True)
    out.print(table)
    for f in result.incidents:
        verb = "opened" if f.opened else "updated"
        out.print(f"incident {f.id} {verb}: {shown(f.tenant)}/{shown(f.channel)}", markup=False)


def canary(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="The agent's events URL ({session} is replaced)")
    ],
    baseline: Annotated[Path, typer.Option("--baseline", help="The baseline file (JSON)")],
    key: Annotated[
        str | None, typer.Option("--key", envvar="CHANNELGUARD_KEY", help="Bearer key")
    ] = None,
    save_baseline: Annotated[
        bool, typer.Option("--save-baseline", help="Record the baseline instead of comparing")
    ] = False,
    scenarios: Annotated[
        Path | None, typer.Option("--scenarios", help="Scenario folder added to the probes")
    ] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="Open an incident here on a change")
    ] = None,
    tenant: Annotated[str, typer.Option(help="The incident's tenant")] = "default",
    allow_http: Annotated[
        bool, typer.Option("--allow-http", help="Plain http to another machine")
    ] = False,
    timeout: Annotated[float, typer.Option(min=0.1, max=600)] = 30.0,
) -> None:
    """Replay the probe set against the live agent and compare with the baseline;
    exit 1 (and, with --database, open a model_drift incident) when it changed."""
    from channelguard.exercise import canary as c
    from channelguard.exercise.endpoint import check_endpoint
    from channelguard.guard.guard import Guard

    out = console(highlight=False, soft_wrap=True)

    def body() -> int:
        check_endpoint(endpoint, allow_http=allow_http)
        probes = c.load_probes(scenarios)
        was = None if save_baseline else c.load_baseline(baseline)
        seen = c.observe(probes, endpoint, key=key, guard=Guard(), timeout=timeout)
        if was is None:
            c.save_baseline(baseline, seen)
            out.print(f"baseline of {len(seen)} probes saved to {baseline}", markup=False)
            return 0
        changes = c.compare(was, seen)
        for change in changes:
            out.print(f"changed: {shown(change.probe)}: {shown(change.what)}", markup=False)
        if not changes:
            out.print(f"unchanged: {len(seen)} probes as in {baseline}", markup=False)
            return 0
        if database is not None:
            from channelguard.watch.alerts import file_canary

            incident, opened = file_canary(
                open_database(database), endpoint, changes, tenant=tenant
            )
            out.print(f"incident {incident} {'opened' if opened else 'updated'}", markup=False)
        return 1

    code = guarded(body)
    if code:
        raise typer.Exit(code)
