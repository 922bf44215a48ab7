"""What drift reads from the register, and the only SQL it runs (read-only): a
change of the tables' shapes touches this module alone.

    traffic = read_traffic(db, since=t0, until=t1, tenant="acme")
    traffic.decisions      # one DecisionFact per stored decision
    traffic.verifications  # one VerificationFact per stored verification event

A fact's channel is its session's (the `sessions` row of its tenant and id); a
session that retention removed reads as channel "unknown". A decision's
findings are the session's evidence it was decided on (security detectors and
risk signals), one per detector with its highest score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, null, select

from channelguard.register.db import Database, as_utc
from channelguard.register.tables import DecisionRow, EventRow, SessionRow

__all__ = ["DecisionFact", "Scored", "Traffic", "VerificationFact", "read_traffic"]

UNKNOWN_CHANNEL = "unknown"


@dataclass(frozen=True, kw_only=True, slots=True)
class Scored:
    detector: str  # a detector id, or "signal:NAME" for a risk signal
    score: float


@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionFact:
    tenant: str
    channel: str
    at: datetime
    outcome: str  # allow, step_up, hold or deny
    rule: str
    findings: tuple[Scored, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class VerificationFact:
    tenant: str
    channel: str
    at: datetime
    passed: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class Traffic:
    decisions: tuple[DecisionFact, ...] = ()
    verifications: tuple[VerificationFact, ...] = ()


def read_traffic(
    db: Database, *, since: datetime, until: datetime, tenant: str | None = None
) -> Traffic:
    """Every decision and verification stored in [since, until), of `tenant` (None:
    every tenant's), oldest first."""
    valid = _readable if db.dialect == "sqlite" else _as_is
    channel = valid(SessionRow.state, SessionRow.state["channel"].as_string())
    kind = valid(EventRow.body, EventRow.body["type"].as_string())
    decided: Select[Any] = (
        select(DecisionRow.tenant, channel, DecisionRow.at, DecisionRow.decision)
        .add_columns(DecisionRow.rule, DecisionRow.body)
        .outerjoin(SessionRow, _same_session(DecisionRow))
        .where(DecisionRow.at >= since, DecisionRow.at < until)
        .order_by(DecisionRow.at, DecisionRow.id)
    )
    verified: Select[Any] = (
        select(EventRow.tenant, channel, EventRow.at)
        .add_columns(valid(EventRow.body, EventRow.body["result"].as_string()))
        .outerjoin(SessionRow, _same_session(EventRow))
        .where(EventRow.at >= since, EventRow.at < until)
        .where(kind == "verification")
        .order_by(EventRow.at, EventRow.id)
    )
    if tenant is not None:
        decided = decided.where(DecisionRow.tenant == tenant)
        verified = verified.where(EventRow.tenant == tenant)
    with db.read() as s:
        decisions = tuple(
            DecisionFact(
                tenant=t,
                channel=c or UNKNOWN_CHANNEL,
                at=as_utc(at),
                outcome=outcome,
                rule=rule,
                findings=_findings(body),
            )
            for t, c, at, outcome, rule, body in s.execute(decided)
        )
        verifications = tuple(
            VerificationFact(
                tenant=t, channel=c or UNKNOWN_CHANNEL, at=as_utc(at), passed=result == "pass"
            )
            for t, c, at, result in s.execute(verified)
            if result in ("pass", "fail")
        )
    return Traffic(decisions=decisions, verifications=verifications)


def _same_session(table: type[DecisionRow] | type[EventRow]) -> ColumnElement[bool]:
    """A row's session is its tenant's: another tenant's session of that id is not."""
    return and_(SessionRow.tenant == table.tenant, SessionRow.id == table.session)


def _readable(column: Any, field: ColumnElement[str]) -> ColumnElement[str]:
    """SQLite: the field, or NULL where the stored text is not valid JSON (a row
    written before bodies were made valid JSON, register/db.py stored_json), so
    one such row is skipped instead of failing every tenant's read."""
    return case((func.json_valid(column) == 1, field), else_=null())


def _as_is(column: Any, field: ColumnElement[str]) -> ColumnElement[str]:
    """PostgreSQL's JSON columns hold only valid JSON."""
    return field


def _findings(body: Any) -> tuple[Scored, ...]:
    """The decision's evidence, one per detector (its highest score)."""
    found = body.get("findings") if isinstance(body, dict) else None
    best: dict[str, float] = {}
    for f in found if isinstance(found, list) else []:
        if not isinstance(f, dict):
            continue
        name = f.get("detector") or (f"signal:{f['signal']}" if f.get("signal") else None)
        score = f.get("score")
        if isinstance(name, str) and isinstance(score, int | float):
            best[name] = max(best.get(name, 0.0), float(score))
    return tuple(Scored(detector=d, score=s) for d, s in sorted(best.items()))
