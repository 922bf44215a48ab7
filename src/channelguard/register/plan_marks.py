"""Hardening-plan items marked done (the dashboard's plan checklist), per tenant
and channel model. A mark says who and when; unmarking removes it. An item is
named by its control and target (`plan_item_id`), which stay the same when the
same model is reviewed again, unlike its rank.

    marks = PlanMarks(db)
    marks.mark("default", "Example Bank 2026-11-01", "callback@wire_transfer/phone", "key:cg_…")
    marks.done("default", "Example Bank 2026-11-01")   # item -> PlanMark
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from channelguard.errors import InputError, StorageError
from channelguard.register.db import Database, as_utc
from channelguard.register.tables import PlanMarkRow

__all__ = ["PlanMark", "PlanMarks"]

MAX_ITEM = 500
MAX_MODEL = 300


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanMark:
    item: str
    done_at: datetime
    done_by: str


class PlanMarks:
    def __init__(self, db: Database) -> None:
        self.db = db

    def done(self, tenant: str, model: str) -> dict[str, PlanMark]:
        with self.db.read() as s:
            rows = s.scalars(
                select(PlanMarkRow).where(PlanMarkRow.tenant == tenant, PlanMarkRow.model == model)
            )
            return {
                r.item: PlanMark(item=r.item, done_at=as_utc(r.done_at), done_by=r.done_by)
                for r in rows
            }

    def mark(self, tenant: str, model: str, item: str, actor: str) -> None:
        """Mark an item done; marking it again keeps the first mark."""
        _check(model, item)
        row = PlanMarkRow(
            tenant=tenant, model=model, item=item, done_at=datetime.now(UTC), done_by=actor[:200]
        )
        try:
            with self.db.begin() as s:
                if s.scalar(select(PlanMarkRow.id).where(*_same(tenant, model, item))) is None:
                    s.add(row)
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise  # a concurrent mark of the same item is no error: it is marked

    def unmark(self, tenant: str, model: str, item: str) -> None:
        _check(model, item)
        with self.db.begin() as s:
            s.execute(delete(PlanMarkRow).where(*_same(tenant, model, item)))


def _same(tenant: str, model: str, item: str) -> tuple[Any, ...]:
    return (PlanMarkRow.tenant == tenant, PlanMarkRow.model == model, PlanMarkRow.item == item)


def _check(model: str, item: str) -> None:
    if not 0 < len(item) <= MAX_ITEM or not 0 < len(model) <= MAX_MODEL:
        raise InputError(f"item: 1-{MAX_ITEM} characters; model: 1-{MAX_MODEL} characters")
