"""`channelguard incidents …`, `channelguard keys …`, `channelguard data …` and
`channelguard serve`.

Every command takes `--database URL` (default: CHANNELGUARD_DATABASE_URL, else
a SQLite file under ~/.local/share/channelguard). Exit codes as elsewhere, plus
4 not found, 5 a stale version (read the incident again), 6 the database.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from channelguard.cli_support import DatabaseUrl, Fmt, check_format, console, guarded, open_database
from channelguard.errors import InputError
from channelguard.escape import terminal as shown
from channelguard.report.rows import print_rows

if TYPE_CHECKING:
    from channelguard.register.store import IncidentStore
    from channelguard.register.views import IncidentSummary, IncidentView, TimelineEntry

incidents_app = typer.Typer(
    help="The incident register: safety failures and security breaches.", no_args_is_help=True
)
keys_app = typer.Typer(help="API keys for the HTTP service.", no_args_is_help=True)
data_app = typer.Typer(
    help="The register's data: retention (purge) and schema upgrades.",
    no_args_is_help=True,
)


Actor = Annotated[str | None, typer.Option("--actor", help="Who makes the change (default: you)")]


def open_store(url: str | None) -> IncidentStore:
    """The register at `url` (default: the local SQLite file), opened."""
    from channelguard.register.store import IncidentStore

    return IncidentStore(open_database(url))


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@incidents_app.command("list")
def list_(
    database: DatabaseUrl = None,
    domain: Annotated[str | None, typer.Option(help="safety, security or both")] = None,
    cause: Annotated[str | None, typer.Option(help="accidental, adversarial or mixed")] = None,
    severity: Annotated[str | None, typer.Option(help="this severity or higher")] = None,
    owner: Annotated[str | None, typer.Option(help="the lead role")] = None,
    status: Annotated[
        str | None, typer.Option(help="open, triaged, contained, resolved or closed")
    ] = None,
    since: Annotated[str | None, typer.Option(help="ISO date or time")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=500, help="At most this many, newest first")
    ] = 50,
    fmt: Fmt = "table",
) -> None:
    """Incidents, newest first, with filters."""
    from channelguard.register.store import Filters
    from channelguard.register.vocab import Cause, IncidentDomain, OwnerRole, Severity, Status

    def body() -> tuple[list[IncidentSummary], int]:
        f = Filters(
            domain=_pick(IncidentDomain, domain, "--domain"),
            cause=_pick(Cause, cause, "--cause"),
            severity=_pick(Severity, severity, "--severity"),
            owner=_pick(OwnerRole, owner, "--owner"),
            status=_pick(Status, status, "--status"),
            since=_since(since),
        )
        return open_store(database).list(f, limit=limit)

    items, total = guarded(body)
    if guarded(lambda: check_format(fmt)) == "json":
        _json({"items": [i.to_json() for i in items], "total": total})
        return
    rows: list[list[Text | str]] = [
        [
            str(i.id),
            *(shown(v) for v in (i.severity, i.status, i.domain, i.lead, i.title)),
            shown(_when(i.detected_at)),
        ]
        for i in items
    ]
    print_rows(
        console(),
        f"Incidents ({len(items)} of {total})",
        ("ID", "Severity", "Status", "Domain", "Lead", "Title", "Detected"),
        rows,
    )


def _pick(kind: Any, value: str | None, option: str) -> str | None:
    if value is None:
        return None
    allowed = [k.value for k in kind]
    if value not in allowed:
        raise InputError(f"{option}: '{value}' is not one of {', '.join(allowed)}")
    return value


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since: '{value}' is not an ISO date or time") from None


@incidents_app.command()
def show(
    incident_id: Annotated[int, typer.Argument(help="Incident id")],
    database: DatabaseUrl = None,
    fmt: Fmt = "table",
    timeline: Annotated[
        bool,
        typer.Option(
            "--timeline",
            help="The audit trail: every change, who made it, old and new values",
        ),
    ] = False,
) -> None:
    """Who leads, what is due and by when; the timeline, evidence and links."""
    if timeline:
        trail = guarded(lambda: (check_format(fmt), open_store(database).timeline(incident_id))[1])
        if fmt == "json":
            _json({"incident": incident_id, "timeline": [t.to_json() for t in trail]})
        else:
            _print_trail(incident_id, trail)
        return
    found = guarded(lambda: (check_format(fmt), open_store(database).get(incident_id))[1])
    if fmt == "json":
        _json(found.to_json())
        return
    _print_incident(found)


def _print_trail(incident_id: int, trail: list[TimelineEntry]) -> None:
    """Actors, keys and old/new values are stored text: through `shown`, one line
    each, never markup, a terminal link or a control sequence."""
    out = console(highlight=False)
    out.print(f"Incident {incident_id}: audit trail (UTC)", markup=False)
    for t in trail:
        out.print(shown(_line(f"{_when(t.at)} {t.actor}: {t.what}")))
        if t.caused_by:
            out.print(shown(_line(f"    caused by {t.caused_by}")))
        for name, values in t.changes.items():
            old = _value(values["old"]) if "old" in values else "(not recorded)"
            out.print(shown(_line(f"    {name}: {old} -> {_value(values.get('new'))}")))


def _line(text: str) -> str:
    """One printed line: a stored value's newlines cannot start a forged entry."""
    return text.replace("\r", " ").replace("\n", " ")


def _value(value: Any) -> str:
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _print_incident(i: IncidentView) -> None:
    """Stored text (titles, owners, channels, notes) goes through `shown`: printed as
    it is, never as rich markup, a terminal link or a control sequence."""
    out = console(highlight=False)
    lead = i.lead + (f" ({i.owners[i.lead]})" if i.lead in i.owners else "")
    out.print(Text.assemble((f"Incident {i.id}", "bold"), ": ", shown(i.title)))
    out.print(
        Text.assemble(
            "lead: ",
            shown(lead, "bold"),
            shown(
                f" · severity {i.severity} · status {i.status} · "
                f"domain {i.domain} · cause {i.cause} · version {i.version}"
            ),
        )
    )
    control = ", ".join(f"{k} {v}" for k, v in i.failed_control.items() if v)
    if control:
        out.print(shown(f"failed control: {control}"))
    if i.owasp or i.atlas:
        out.print(shown("categories: " + ", ".join(i.owasp + i.atlas)))
    due = Table(title="What is due, by when (UTC)", expand=True)
    due.add_column("What", ratio=1)
    due.add_column("Who", max_width=24)
    due.add_column("Due", no_wrap=True)
    due.add_column("State", no_wrap=True)
    for c in i.clocks:
        what = f"{c.label} ({c.basis})"
        due.add_row(shown(what), shown(i.lead), shown(_when(c.due_at)), shown(c.state))
    for s in i.steps:
        who = s.role + (f" ({s.owner})" if s.owner else "")
        state = s.state + (f" by {s.done_by}" if s.done_by else "")
        due.add_row(shown(s.do), shown(who), shown(_when(s.due_at)), shown(state))
    out.print(due)
    for factor in i.compromised:
        out.print(shown(f"compromised factor: {factor['factor']} ({factor['scope']} customers)"))
    for link in i.links:
        out.print(shown(f"link: #{link.from_} {link.type} #{link.to}"))
    omitted = f", {i.evidence_omitted} more counted, not kept" if i.evidence_omitted else ""
    out.print(
        f"seen {i.seen} time(s) across {i.session_count} session(s); "
        f"{len(i.evidence)} evidence item(s){omitted}; timeline:"
    )
    for t in i.timeline:
        out.print(shown(f"  {t.at[:19]} {t.actor}: {t.what}"))


@incidents_app.command()
def create(
    file: Annotated[Path | None, typer.Option("--file", help="YAML or JSON incident")] = None,
    title: Annotated[str | None, typer.Option(help="One line: what happened")] = None,
    domain: Annotated[str | None, typer.Option(help="safety, security or both")] = None,
    cause: Annotated[str | None, typer.Option(help="accidental, adversarial or mixed")] = None,
    harm_type: Annotated[
        str | None, typer.Option(help="e.g. account_takeover, personal_data_leak")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="low, medium, high or critical")] = None,
    database: DatabaseUrl = None,
    actor: Actor = None,
    fmt: Fmt = "table",
) -> None:
    """Open an incident from a file (every field) or from the options."""
    from pydantic import ValidationError

    from channelguard.errors import ModelError
    from channelguard.model.loader import schema_issues
    from channelguard.model.yamlsource import parse_yaml, read_yaml
    from channelguard.register.records import IncidentIn

    def body() -> IncidentView:
        check_format(fmt)
        if file is not None:
            doc = read_yaml(file)
        else:
            given = {
                "title": title,
                "domain": domain,
                "cause": cause,
                "harm_type": harm_type,
                "severity": severity,
            }
            doc = parse_yaml(
                json.dumps({k: v for k, v in given.items() if v is not None}), "options"
            )
        if doc.issues:
            raise ModelError(doc.issues)
        try:
            data = IncidentIn.model_validate(doc.data)
        except ValidationError as exc:
            raise ModelError(schema_issues(exc, doc)) from None
        return open_store(database).create(data, _actor(actor))

    made = guarded(body)
    if fmt == "json":
        _json(made.to_json())
    else:
        console(highlight=False).print(
            shown(f"opened incident {made.id}: lead {made.lead}, playbook {made.playbook}")
        )


@incidents_app.command()
def update(
    incident_id: Annotated[int, typer.Argument(help="Incident id")],
    version: Annotated[int, typer.Option(help="The version you read (a stale one is refused)")],
    status: Annotated[
        str | None, typer.Option(help="open, triaged, contained, resolved or closed")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="low, medium, high or critical")] = None,
    lead: Annotated[str | None, typer.Option(help="The role that leads")] = None,
    owner: Annotated[list[str] | None, typer.Option(help="role=name, repeatable")] = None,
    clock_done: Annotated[list[str] | None, typer.Option(help="A clock met, repeatable")] = None,
    step: Annotated[list[str] | None, typer.Option(help="A playbook step done, repeatable")] = None,
    compromised: Annotated[
        list[str] | None,
        typer.Option(help="factor[:all|some] an attacker now gets cheaply, repeatable"),
    ] = None,
    note: Annotated[str, typer.Option(help="Why, kept in the timeline")] = "",
    database: DatabaseUrl = None,
    actor: Actor = None,
    fmt: Fmt = "table",
) -> None:
    """Change an incident, check off playbook steps or clocks."""
    from pydantic import ValidationError

    from channelguard.register.records import IncidentPatch, StepCheck

    def body() -> IncidentView:
        check_format(fmt)
        store = open_store(database)
        owners = None
        if owner:
            owners = {**store.get(incident_id).owners, **dict(_pair(o) for o in owner)}
        found = None
        if compromised:
            found = store.get(incident_id).compromised + [_factor(c) for c in compromised]
        fields = {
            "compromised": found,
            "version": version,
            "status": status,
            "severity": severity,
            "lead": lead,
            "owners": owners,
            "clocks_done": clock_done,
            "note": note,
        }
        try:
            given = {k: v for k, v in fields.items() if v is not None and v not in ("", [])}
            patch = IncidentPatch.model_validate(given)
            checks = [StepCheck(step=s, note=note) for s in step or []]
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"--{where.replace('_', '-')}: {first['msg']}") from None
        result = store.get(incident_id)
        if patch.changes() or patch.clocks_done:
            result = store.update(incident_id, patch, _actor(actor))
        for check in checks:
            result = store.check_step(incident_id, check, _actor(actor))
        return result

    done = guarded(body)
    if fmt == "json":
        _json(done.to_json())
    else:
        _print_incident(done)


def _factor(text: str) -> dict[str, str]:
    factor, _, scope = text.partition(":")
    return {"factor": factor, "scope": scope or "some"}


def _pair(text: str) -> tuple[str, str]:
    role, sep, name = text.partition("=")
    if not sep or not role or not name:
        raise InputError(f"--owner: '{text}' is not role=name")
    return role, name


@incidents_app.command()
def link(
    incident_id: Annotated[int, typer.Argument(help="Incident id")],
    to: Annotated[int, typer.Option(help="The other incident")],
    link_type: Annotated[str, typer.Option("--type", help="enabled, same_actor, duplicate_of")],
    note: Annotated[str, typer.Option(help="Why, kept with the link")] = "",
    database: DatabaseUrl = None,
    actor: Actor = None,
) -> None:
    """Link two incidents (this one enabled / has the same actor as / duplicates the other)."""
    from channelguard.register.records import LinkIn
    from channelguard.register.vocab import LinkType

    def body() -> None:
        kind = LinkType(_pick(LinkType, link_type, "--type") or "")
        open_store(database).link(incident_id, LinkIn(to=to, type=kind, note=note), _actor(actor))

    guarded(body)
    console(highlight=False).print(shown(f"linked #{incident_id} {link_type} #{to}"))


@incidents_app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, csv, stix or md")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=500, help="At most this many, newest first")
    ] = 500,
    database: DatabaseUrl = None,
) -> None:
    """Export incidents: JSON, CSV, STIX 2.1 (security incidents) or a Markdown report."""
    from channelguard.register.export import FORMATS, export_incidents

    def body() -> str:
        if fmt not in FORMATS:
            raise InputError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
        return export_incidents(open_store(database).newest(limit), fmt)

    text = guarded(body)
    if output is None:
        sys.stdout.write(text)
        return
    guarded(lambda: _write(output, text))
    console(stderr=True, highlight=False).print(f"wrote {output}")


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc}") from None


@keys_app.command("create")
def keys_create(
    scopes: Annotated[str, typer.Option(help="Comma-separated: ingest, read, feedback, admin")],
    label: Annotated[str, typer.Option(help="Who or what uses it")] = "",
    expires_in_days: Annotated[
        float | None,
        typer.Option(
            "--expires-in-days",
            min=0.001,
            max=3650,
            help="Refused from this many days from now (default: never expires)",
        ),
    ] = None,
    tenant: Annotated[
        str,
        typer.Option(help="The tenant (integrator) whose sessions and incidents it reaches"),
    ] = "default",
    all_tenants: Annotated[
        bool,
        typer.Option("--all-tenants", help="Admin keys only: every tenant's incidents (no events)"),
    ] = False,
    database: DatabaseUrl = None,
) -> None:
    """Make an API key; it is printed once and stored only as a digest."""
    from channelguard.register.keys import KeyStore

    record, key = guarded(
        lambda: KeyStore(open_database(database)).create(
            scopes.split(","),
            label,
            expires_in_days=expires_in_days,
            tenant=None if all_tenants else tenant,
        )
    )
    until = f", expires {record.expires_at:%Y-%m-%d %H:%M} UTC" if record.expires_at else ""
    whose = f"tenant {record.tenant}" if record.tenant else "all tenants"
    console(stderr=True, highlight=False).print(
        f"key {record.id} ({', '.join(sorted(record.scopes))}; {whose}{until}); "
        "shown once, keep it safe:",
        markup=False,
    )
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def keys_list(database: DatabaseUrl = None) -> None:
    """API keys (prefix, scopes, tenant (null: all), created, revoked, expiry, usable):
    never the keys themselves."""
    from channelguard.register.keys import KeyStore

    _json(guarded(lambda: KeyStore(open_database(database)).list()))


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="Key id (keys list)")], database: DatabaseUrl = None
) -> None:
    """Revoke a key: the service refuses it from the next request."""
    from channelguard.register.keys import KeyStore

    guarded(lambda: KeyStore(open_database(database)).revoke(key_id))
    console(highlight=False).print(f"revoked key {key_id}")


@data_app.command("purge")
def data_purge(
    older_than_days: Annotated[
        float,
        typer.Option(
            "--older-than-days",
            min=1,
            help="Delete events, decisions, session state and identity memory older than "
            "this; incidents' sessions and running cooling-offs are kept",
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, delete nothing")] = False,
    database: DatabaseUrl = None,
) -> None:
    """Apply a retention period: what goes and what is kept, as JSON."""
    from channelguard.runtime.retention import purge

    _json(guarded(lambda: purge(open_database(database), older_than_days, dry_run=dry_run)))


def serve(
    model: Annotated[Path | None, typer.Option("--model", help="Channel model YAML")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Service settings YAML")] = None,
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on (default 127.0.0.1, or the settings file's)"),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default 8080, or the settings file's)")
    ] = None,
    database: DatabaseUrl = None,
) -> None:
    """Run the HTTP service (scan, events and decisions, review, incidents, metrics)."""
    import uvicorn

    from channelguard.serve import Service, ServiceConfig, create_app

    def body() -> Any:
        settings = ServiceConfig.load(
            config, model=model, host=host, port=port, database_url=database
        )
        return create_app(Service(settings).start())

    app = guarded(body)
    settings = app.state.service.config
    console(stderr=True, highlight=False).print(
        f"channelguard serving {settings.model} on http://{settings.host}:{settings.port} "
        f"(database {app.state.service.db.safe_url})"
    )
    if settings.access_log:
        import logging
        import sys

        access = logging.getLogger("channelguard.access")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    trusted = ",".join(settings.trusted_proxies)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,  # channelguard's own access log (above): the key, never the query
        # X-Forwarded-For believed from the named proxies only (uvicorn trusts 127.0.0.1
        # by default: a local client could have claimed any address)
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )


def print_incident_review(result: dict[str, Any]) -> None:
    out = console(highlight=False)
    if not result["compromised"]:
        out.print("No open incident records a compromised factor: the review is unchanged.")
        return
    out.print(
        shown(
            "Compromised by open incidents: "
            + ", ".join(
                f"{c['factor']} ({c['scope']}, incident {c['incident']})"
                for c in result["compromised"]
            )
        )
    )
    for note in result["notes"]:
        out.print(shown(f"note: {note}"))
    table = Table(title="Exposure because of safety failures")
    for col in ("Action", "Tier", "Impact", "Cost before", "Cost after", "Now"):
        table.add_column(col, overflow="fold")
    for r in result["actions"]:
        if r["expected_cost_after"] == r["expected_cost_before"]:
            continue
        now = (
            shown("NEWLY EXPOSED", "red")
            if r["newly_exposed"]
            else shown("exposed" if r["exposed_after"] else "safe")
        )
        table.add_row(
            shown(r["action"]),
            shown(r["tier"]),
            f"${r['impact_usd']:,.0f}",
            _money(r["expected_cost_before"]),
            _money(r["expected_cost_after"]),
            now,
        )
    out.print(table)
    out.print(
        shown(
            f"{len(result['newly_exposed'])} action(s) newly exposed: "
            + (", ".join(result["newly_exposed"]) or "none")
        )
    )


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


@data_app.command("upgrade")
def data_upgrade(database: DatabaseUrl = None) -> None:
    """Migrate the register to this version's schema (Alembic), as JSON: the revision
    before, after and the newest known. Every command that opens the register does
    this too; run it once before starting upgraded replicas."""
    from channelguard.register.db import Database
    from channelguard.register.revision import upgrade

    _json(
        guarded(lambda: upgrade(Database(database) if database else Database.from_env()).to_dict())
    )
