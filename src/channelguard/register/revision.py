"""Which Alembic revision a register is at, and the newest this version knows:
`channelguard data upgrade` reports both around the migration `Database.open()`
runs (docs/operations.md, upgrades)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from channelguard.errors import StorageError
from channelguard.register.db import MIGRATIONS, Database

__all__ = ["Upgrade", "current_revision", "head_revision", "upgrade"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Upgrade:
    before: str | None  # None: an empty database (no register yet)
    after: str
    head: str

    def to_dict(self) -> dict[str, str | None]:
        return {"before": self.before, "after": self.after, "head": self.head}


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise StorageError("no migration is shipped: the package is broken")
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database is at, read without migrating it."""
    from alembic.runtime.migration import MigrationContext

    if db.dialect == "sqlite":
        path = db.url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).expanduser().exists():
            return None  # not made yet: opening it makes it
    engine = create_engine(db.url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        why = exc.__class__.__name__
        raise StorageError(f"cannot read the database {db.safe_url}: {why}") from None
    finally:
        engine.dispose()


def upgrade(db: Database) -> Upgrade:
    """Migrate the register to this version's newest revision (as opening it does)."""
    before = current_revision(db)
    db.open()
    try:
        after = current_revision(db)
    finally:
        db.close()
    return Upgrade(before=before, after=after or "", head=head_revision())
