"""API keys with scopes, stored as SHA-256 digests (a key is 256 random bits, so
a plain digest is enough; the key itself is shown once, when it is made).

Scopes: `ingest` (send messages and events), `read` (incidents, playbooks,
review, feedback marks), `feedback` (mark findings wrong, right or missed: what
`guard calibrate` moves a tenant's operating points by, so a key that only
sends traffic cannot poison them), `admin` (create, change and link incidents;
implies the others).

A key may carry an expiry: from that instant it is refused like a revoked one.
Keys without one never expire (as every key made before expiries existed).

Every key belongs to a tenant (an integrator or business unit; "default" for a
single-tenant install, and for every key made before tenants existed): it reads
and writes that tenant's sessions and incidents only. An admin key may instead
be global (`tenant=None`): it reads and changes every tenant's incidents, and
sends no events (a session belongs to one tenant).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from channelguard.errors import InputError, NotFoundError
from channelguard.register.db import Database, as_utc
from channelguard.register.tables import DEFAULT_TENANT, ApiKeyRow

__all__ = ["DEFAULT_TENANT", "SCOPES", "ApiKey", "KeyStore", "check_tenant"]

SCOPES = ("ingest", "read", "feedback", "admin")
PREFIX = "cg_"
MAX_DAYS = 3650
TENANT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def check_tenant(tenant: str) -> str:
    """A tenant name: 1-64 of a-z, 0-9, '.', '_', '-' (no '/': it separates keys)."""
    if not isinstance(tenant, str) or not TENANT_NAME.fullmatch(tenant):
        raise InputError(
            f"tenant: {str(tenant)[:70]!r} is not a tenant name (1-64 characters of "
            "a-z, 0-9, '.', '_' and '-', starting with a letter or digit)"
        )
    return tenant


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiKey:
    id: int
    prefix: str
    scopes: frozenset[str]
    label: str
    expires_at: datetime | None = None
    tenant: str | None = DEFAULT_TENANT  # None: a global admin key

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes

    @property
    def actor(self) -> str:
        return f"key:{self.prefix}" + (f" ({self.label})" if self.label else "")


class KeyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self,
        scopes: list[str],
        label: str = "",
        *,
        expires_in_days: float | None = None,
        tenant: str | None = DEFAULT_TENANT,
    ) -> tuple[ApiKey, str]:
        """A new key: its record, and the key itself (never stored, shown once).
        `expires_in_days`: refused from that many days after now (default: never).
        `tenant`: whose sessions and incidents it reaches; None (admin keys only):
        every tenant's incidents."""
        if tenant is not None:
            check_tenant(tenant)
        expires_at = None
        if expires_in_days is not None:
            if isinstance(expires_in_days, bool) or not 0 < expires_in_days <= MAX_DAYS:
                raise InputError(
                    f"expires_in_days: {expires_in_days!r} is not a number of days "
                    f"above 0 and at most {MAX_DAYS}"
                )
            expires_at = datetime.now(UTC) + timedelta(days=expires_in_days)
        wanted = sorted({s.strip() for s in scopes if s.strip()})
        unknown = [s for s in wanted if s not in SCOPES]
        if not wanted or unknown:
            raise InputError(
                f"scopes: {', '.join(unknown) or 'none given'}; choose from {', '.join(SCOPES)}"
            )
        if tenant is None and wanted != ["admin"]:
            raise InputError(
                "tenant: only an admin key may be global (all tenants); give ingest and "
                "read keys a tenant"
            )
        key = PREFIX + secrets.token_urlsafe(32)
        with self.db.begin() as s:
            row = ApiKeyRow(
                prefix=key[:10],
                digest=_digest(key),
                scopes=",".join(wanted),
                label=label[:200],
                created_at=datetime.now(UTC),
                expires_at=expires_at,
                tenant=tenant,
            )
            s.add(row)
            s.flush()
            return _key(row), key

    def verify(self, key: str) -> ApiKey | None:
        """The key's record, or None for an unknown, revoked or expired key."""
        if not key.startswith(PREFIX) or len(key) > 200:
            return None
        with self.db.read() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.digest == _digest(key)))
            if row is None or row.revoked_at is not None or _expired(row):
                return None
            return _key(row)

    def usable(self, key_id: int) -> ApiKey | None:
        """The key's record by id, or None once it is unknown, revoked or expired: a
        dashboard session checks its key again on every request with this."""
        with self.db.read() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None or row.revoked_at is not None or _expired(row):
                return None
            return _key(row)

    def revoke(self, key_id: int) -> None:
        with self.db.begin() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFoundError(f"no API key {key_id}")
            row.revoked_at = row.revoked_at or datetime.now(UTC)

    def list(self) -> list[dict[str, Any]]:
        with self.db.read() as s:
            return [
                {
                    "id": r.id,
                    "prefix": r.prefix,
                    "scopes": r.scopes.split(","),
                    "label": r.label,
                    "tenant": r.tenant,  # None: a global admin key
                    "created_at": as_utc(r.created_at).isoformat(),
                    "revoked_at": as_utc(r.revoked_at).isoformat() if r.revoked_at else None,
                    "expires_at": as_utc(r.expires_at).isoformat() if r.expires_at else None,
                    "usable": r.revoked_at is None and not _expired(r),
                }
                for r in s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
            ]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _expired(row: ApiKeyRow) -> bool:
    return row.expires_at is not None and as_utc(row.expires_at) <= datetime.now(UTC)


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        prefix=row.prefix,
        scopes=frozenset(row.scopes.split(",")),
        label=row.label,
        expires_at=as_utc(row.expires_at) if row.expires_at else None,
        tenant=row.tenant,
    )
