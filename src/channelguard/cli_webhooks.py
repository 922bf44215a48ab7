"""`channelguard webhooks list` and `channelguard webhooks retry`: what the webhook
outbox holds (pending, delivered, dead deliveries) and a second chance for dead
ones once their receiver is fixed (serve/webhooks/, register/outbox.py)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from channelguard.cli_support import DatabaseUrl, Fmt, check_format, console, guarded, open_database
from channelguard.errors import InputError, NotFoundError
from channelguard.escape import terminal as shown

webhooks_app = typer.Typer(help="The webhook outbox: deliveries and retries.", no_args_is_help=True)
STATES = ("pending", "delivered", "dead")


@webhooks_app.command("list")
def list_deliveries(
    state: Annotated[
        str | None, typer.Option(help="Only pending, delivered or dead deliveries")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many")] = 100,
    database: DatabaseUrl = None,
    fmt: Fmt = "table",
) -> None:
    """Deliveries newest first, with the counts by state."""
    from channelguard.register import outbox

    def body() -> dict[str, Any]:
        check_format(fmt)
        if state is not None and state not in STATES:
            raise InputError(f"--state: '{state}' is not one of {', '.join(STATES)}")
        db = open_database(database)
        return {
            "counts": outbox.counts(db),
            "deliveries": outbox.deliveries(db, state=state, limit=limit),
        }

    result = guarded(body)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    _print(result)


@webhooks_app.command("retry")
def retry(
    delivery: Annotated[
        int | None, typer.Option(help="This dead delivery only (default: every dead one)")
    ] = None,
    database: DatabaseUrl = None,
) -> None:
    """Make dead deliveries due again with fresh attempts (the running service sends them)."""
    from channelguard.register import outbox

    def body() -> int:
        db = open_database(database)
        done = outbox.retry_dead(db, now=datetime.now(UTC), delivery=delivery)
        if delivery is not None and done == 0:
            raise NotFoundError(f"no dead delivery {delivery} (webhooks list --state dead)")
        return done

    console(highlight=False).print(f"{guarded(body)} dead deliveries due again")


def _print(result: dict[str, Any]) -> None:
    out = console(highlight=False)
    counts = result["counts"]
    out.print(", ".join(f"{s}: {counts.get(s, 0)}" for s in STATES))
    if not result["deliveries"]:
        return
    table = Table()
    for col in ("Delivery", "Endpoint", "State", "Tries", "Type", "Incident", "Last"):
        table.add_column(col, overflow="fold")
    for d in result["deliveries"]:
        last = d["last_error"] or (str(d["last_status"]) if d["last_status"] else "")
        table.add_row(
            str(d["delivery"]),
            shown(d["endpoint"]),
            d["state"],
            str(d["attempts"]),
            d["type"],
            str(d["incident"] or ""),
            shown(last[:80]),
        )
    out.print(table)
