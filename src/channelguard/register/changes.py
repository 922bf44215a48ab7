"""Changing an incident's fields: optimistic concurrency on its version, free
text redacted, the lead one of the owners, clocks marked done, every change a
timeline row with old and new values in the same transaction."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import update

from channelguard.errors import ConflictError, InputError
from channelguard.register import audit
from channelguard.register.audit import change
from channelguard.register.records import IncidentPatch
from channelguard.register.storebase import TITLE_CHARS, StoreBase, emit, now, stale
from channelguard.register.tables import IncidentRow
from channelguard.register.views import IncidentView

__all__ = ["Updates"]


class Updates(StoreBase):
    def update(
        self, incident_id: int, patch: IncidentPatch, actor: str, *, tenant: str | None = None
    ) -> IncidentView:
        changes = patch.changes()
        with self.db.begin() as s:
            row = self._row(s, incident_id, tenant)
            if row.version != patch.version:
                raise ConflictError(stale(incident_id, patch.version, row.version))
            values = self._cleaned(changes)
            if patch.clocks_done:
                values["clocks"] = self._done_clocks(row, [c.value for c in patch.clocks_done])
            lead = values.get("lead", row.lead)
            owners = values.get("owners", row.owners)
            if owners and lead not in owners:
                raise InputError(f"field 'lead': '{lead}' is not one of the owners")
            old = {k: getattr(row, k) for k in values}
            values.update(version=row.version + 1, updated_at=now())
            done = s.execute(  # the version in WHERE: a concurrent writer makes this match nothing
                update(IncidentRow)
                .where(IncidentRow.id == incident_id, IncidentRow.version == patch.version)
                .values(**values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise ConflictError(stale(incident_id, patch.version, None))
            what = ", ".join(sorted(old))
            note = self._clean(patch.note)
            audit.record(
                s,
                incident_id,
                actor,
                f"changed {what}" + (f": {note}" if note else ""),
                {k: change(v, values[k]) for k, v in old.items()},
            )
            s.expire_all()
            emit(s, incident_id, "incident.updated", f"changed {what}")
            return self._view(s, self._row(s, incident_id))

    def _cleaned(self, changes: dict[str, Any]) -> dict[str, Any]:
        """A patch's values as they are stored: free text redacted."""
        values = dict(changes)
        for name in ("summary", "domain_reason"):
            if name in values:
                values[name] = self._clean(values[name])
        if "title" in values:
            values["title"] = self._clean(values["title"])[:TITLE_CHARS]
        if "owners" in values:
            values["owners"] = {k: self._clean(v) for k, v in values["owners"].items()}
        if "compromised" in values:
            values["compromised"] = self._clean_factors(values["compromised"])
        return values

    def _done_clocks(self, row: IncidentRow, kinds: builtins.list[str]) -> dict[str, Any]:
        clocks = dict(row.clocks)
        for kind in kinds:
            if kind not in clocks:
                raise InputError(f"field 'clocks_done': '{kind}' does not run on this incident")
            clocks[kind] = clocks[kind] or now().isoformat()
        return clocks
