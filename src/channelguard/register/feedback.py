"""Feedback from deployments, stored per tenant: a finding marked wrong
(`false_positive`), right (`confirmed`) or a message a detector should have
flagged (`missed`). `channelguard guard calibrate` fits a tenant's operating
points from these rows (guard/calibrate.py); nothing here retrains anything.

The scanned text is stored only when the caller sends it, with personal data
redacted like every other free text (unless `redact` is off), and so is the
note. A reader or writer with a tenant sees only that tenant's rows: another
tenant's row, or an event, decision or session of another tenant named as a
reference, is "not found" (`session:ID` is the writer's tenant's session ID:
another tenant's session of that id is not it).
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Select, func, select

from channelguard.errors import InputError, NotFoundError
from channelguard.ids import id_problem
from channelguard.lines import scrub
from channelguard.register.db import Database, as_utc
from channelguard.register.redact import redact_value
from channelguard.register.tables import (
    DEFAULT_TENANT,
    DecisionRow,
    EventRow,
    FeedbackRow,
    SessionRow,
)
from channelguard.roles import Role

__all__ = ["LABELS", "MAX_PAGE", "FeedbackIn", "FeedbackStore", "Marked"]

Label = Literal["false_positive", "missed", "confirmed"]
LABELS: tuple[str, ...] = ("false_positive", "missed", "confirmed")
MAX_PAGE = 500
MAX_TEXT = 20_000  # characters of scanned text kept with a mark
DETECTOR_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
REF = re.compile(r"(event|decision|session):(.{1,200})", re.DOTALL)


class FeedbackIn(BaseModel):
    """One mark, as the CLI (a JSONL line) or the API sends it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Label
    detector: str = Field(min_length=1, max_length=64)
    rule: str | None = Field(default=None, min_length=1, max_length=200)
    # the finding's score; none for a miss (or one the detector scored below its threshold)
    score: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    role: Role = Role.USER
    channel: str | None = Field(default=None, min_length=1, max_length=64)
    note: str = Field(default="", max_length=2000)
    ref: str | None = Field(
        default=None, max_length=220, description="event:ID, decision:ID or session:ID"
    )

    @field_validator("detector")
    @classmethod
    def _detector_id(cls, value: str) -> str:
        """The shape of an id; whether a detector has it is checked at the edges,
        which know the guard's registry (runtime/marks.py): storage does not."""
        if not DETECTOR_ID.fullmatch(value):
            raise ValueError(f"'{value[:70]}' is not a detector id (a-z, 0-9 and '_')")
        return value

    @field_validator("text", "note")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else str(scrub(value))

    @field_validator("channel", "rule")
    @classmethod
    def _visible(cls, value: str | None) -> str | None:
        """Ids calibration groups marks by: held to the identifier rule (ids.py)."""
        problem = None if value is None else id_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str | None) -> str | None:
        match = None if value is None else REF.fullmatch(value)
        if value is not None and match is None:
            raise ValueError("expected event:ID, decision:ID or session:ID")
        problem = id_problem(match.group(2)) if match and match.group(1) == "session" else None
        if problem is not None:
            raise ValueError(f"session id: {problem}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FeedbackIn:
        if self.rule is not None and self.detector != "rules":
            raise ValueError("rule: only marks on the 'rules' detector name a rule")
        return self


@dataclass(frozen=True, kw_only=True, slots=True)
class Marked:
    """A stored mark as calibration reads it (text as stored: redacted by default)."""

    id: int
    label: str
    detector: str
    rule: str | None
    score: float | None
    role: Role
    channel: str | None
    text: str | None


class FeedbackStore:
    def __init__(self, db: Database, *, redact: bool = True) -> None:
        self.db = db
        self.redact = redact

    def add(self, item: FeedbackIn, actor: str, *, tenant: str = DEFAULT_TENANT) -> dict[str, Any]:
        """Store one mark for `tenant`; a reference must name that tenant's record."""
        return self.add_many([item], actor, tenant=tenant)[0]

    def add_many(
        self, items: builtins.list[FeedbackIn], actor: str, *, tenant: str = DEFAULT_TENANT
    ) -> builtins.list[dict[str, Any]]:
        """Store marks in one transaction: all of them, or (on an error) none."""
        with self.db.begin() as s:
            rows = []
            for item in items:
                if item.ref is not None:
                    _check_ref(s, item.ref, tenant)
                row = self._row(item, actor, tenant)
                s.add(row)
                rows.append(row)
            s.flush()
            return [_view(r) for r in rows]

    def _row(self, item: FeedbackIn, actor: str, tenant: str) -> FeedbackRow:
        clean = redact_value if self.redact else _same
        return FeedbackRow(
            tenant=tenant,
            created_at=datetime.now(UTC),
            actor=actor[:200],
            label=item.label,
            detector=item.detector,
            rule=item.rule,
            score=item.score,
            role=item.role.value,
            channel=item.channel,
            note=clean(item.note),
            ref=item.ref,
            text=clean(item.text) if item.text is not None else None,
        )

    def get(self, feedback_id: int, *, tenant: str | None) -> dict[str, Any]:
        """One mark; another tenant's is not found (None: every tenant's)."""
        with self.db.read() as s:
            row = s.get(FeedbackRow, feedback_id)
            if row is None or (tenant is not None and row.tenant != tenant):
                raise NotFoundError(f"no feedback {feedback_id}")
            return _view(row)

    def list(
        self,
        *,
        tenant: str | None,
        label: str | None = None,
        detector: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[builtins.list[dict[str, Any]], int]:
        """One page of marks, newest first, and how many match (None: every tenant's)."""
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InputError(f"limit must be 1-{MAX_PAGE} and offset 0 or more")
        query = _filtered(select(FeedbackRow), tenant, label, detector)
        count = _filtered(select(func.count(FeedbackRow.id)), tenant, label, detector)
        with self.db.read() as s:
            total = s.scalar(count) or 0
            rows = s.scalars(query.order_by(FeedbackRow.id.desc()).limit(limit).offset(offset))
            return [_view(r) for r in rows.all()], total

    def marked(self, tenant: str) -> builtins.list[Marked]:
        """Every mark of one tenant, oldest first: what calibration fits from."""
        with self.db.read() as s:
            rows = s.scalars(
                select(FeedbackRow).where(FeedbackRow.tenant == tenant).order_by(FeedbackRow.id)
            )
            return [
                Marked(
                    id=r.id,
                    label=r.label,
                    detector=r.detector,
                    rule=r.rule,
                    score=r.score,
                    role=Role(r.role),
                    channel=r.channel,
                    text=r.text,
                )
                for r in rows.all()
            ]


def _same(value: Any) -> Any:
    return value


def _filtered(
    query: Select[Any], tenant: str | None, label: str | None, detector: str | None
) -> Select[Any]:
    if tenant is not None:
        query = query.where(FeedbackRow.tenant == tenant)
    if label is not None:
        query = query.where(FeedbackRow.label == label)
    if detector is not None:
        query = query.where(FeedbackRow.detector == detector)
    return query


def _check_ref(s: Any, ref: str, tenant: str) -> None:
    """The referenced event, decision or session exists and is the tenant's."""
    match = REF.fullmatch(ref)
    assert match is not None  # FeedbackIn checked the shape
    kind, value = match.group(1), match.group(2)
    found: Any = None
    if kind == "session":
        found = s.get(SessionRow, {"tenant": tenant, "id": value})  # the tenant's own
    elif value.isascii() and value.isdigit() and int(value) < 2**31:
        found = s.get(EventRow if kind == "event" else DecisionRow, int(value))
    if found is None or found.tenant != tenant:
        raise NotFoundError(f"ref: no {kind} {value[:80]}")


def _view(row: FeedbackRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "tenant": row.tenant,
        "created_at": as_utc(row.created_at).isoformat(),
        "actor": row.actor,
        "label": row.label,
        "detector": row.detector,
        "rule": row.rule,
        "score": row.score,
        "role": row.role,
        "channel": row.channel,
        "note": row.note,
        "ref": row.ref,
        "text": row.text,
    }
