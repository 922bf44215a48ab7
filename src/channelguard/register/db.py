"""The database: a SQLite file by default, PostgreSQL by URL.

    db = Database.from_env().open()        # runs the migrations to head
    with db.begin() as s:                  # one transaction
        ...

SQLite is opened in WAL mode with `synchronous=FULL`, so a committed write
survives a killed process, and every transaction starts with BEGIN IMMEDIATE so
two writers queue instead of failing half-way (threads of one process queue on
a lock first, so none waits in SQLite's sleeping busy handler). Reads go through
`db.read()`: a DEFERRED transaction outside that queue, so a reader never waits
behind a long write (WAL). The schema is owned by Alembic
(migrations/); two processes opening one PostgreSQL database at once migrate
under an advisory lock.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from channelguard.errors import ConfigError, StorageError
from channelguard.lines import finite

__all__ = [
    "DATABASE_ENV",
    "ClaimedInstant",
    "Database",
    "Instant",
    "UtcDateTime",
    "as_utc",
    "default_url",
    "placed",
    "stored_json",
]

DATABASE_ENV = "CHANNELGUARD_DATABASE_URL"
MIGRATIONS = Path(__file__).with_name("migrations")


def default_url() -> str:
    """CHANNELGUARD_DATABASE_URL, or a SQLite file under the user's data directory."""
    url = os.environ.get(DATABASE_ENV)
    if url:
        return url
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    return f"sqlite:///{base / 'channelguard' / 'channelguard.db'}"


class Database:
    """Stores the URL; `open()` connects and migrates (explicit, so it is cheap to build)."""

    def __init__(self, url: str) -> None:
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(
                f"database URL '{url}' is not a URL (sqlite:///FILE or postgresql://…)"
            )
        if not url.startswith(("sqlite", "postgresql")):
            raise ConfigError(f"database URL '{url.split(':')[0]}:…': use sqlite or postgresql")
        self.url = url
        # SQLite has one writer at a time: threads of this process queue here, in
        # order, instead of sleeping in SQLite's busy handler (long tail latencies)
        self._sqlite_queue = threading.RLock()
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._readers: sessionmaker[Session] | None = None

    @classmethod
    def from_env(cls) -> Database:
        return cls(default_url())

    @property
    def dialect(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    def open(self) -> Database:
        if self._engine is not None:
            return self
        try:
            engine = self._connect()
            self._migrate(engine)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open the database {self.safe_url}: {_short(exc)}") from None
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        reader = engine.execution_options(channelguard_read=True)
        self._readers = sessionmaker(reader, expire_on_commit=False)
        return self

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        head, sep, tail = self.url.partition("@")
        if not sep:
            return self.url
        scheme, _, user = head.rpartition("//")
        return f"{scheme}//{user.split(':')[0]}:***@{tail}"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StorageError("the database is not open: call Database.open() first")
        return self._engine

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        if self._sessions is None:
            raise StorageError("the database is not open: call Database.open() first")
        try:
            if self.dialect == "sqlite":
                with self._sqlite_queue, self._sessions.begin() as session:
                    yield session
            else:
                with self._sessions.begin() as session:
                    yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"database error: {_short(exc)}") from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads: it never waits behind a writer. On SQLite it
        takes no place in the writers' queue and begins DEFERRED (WAL: it sees the
        last commit while a write runs); on PostgreSQL it is an ordinary transaction
        (readers never wait there). Writing in it is a programming error."""
        if self._readers is None:
            raise StorageError("the database is not open: call Database.open() first")
        try:
            with self._readers.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"database error: {_short(exc)}") from exc

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._sessions = None
            self._readers = None

    def _connect(self) -> Engine:
        if self.dialect == "sqlite":
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                self.url, connect_args={"timeout": 30}, json_serializer=stored_json
            )
            _sqlite_durable(engine)
            _no_nul(engine)
            return engine
        engine = create_engine(
            self.url,
            pool_size=10,
            max_overflow=20,
            pool_pre_ping=True,
            json_serializer=stored_json,
        )
        _no_nul(engine)
        return engine

    def _migrate(self, engine: Engine) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.connect() as conn:
            if self.dialect == "postgresql":  # two replicas starting together migrate once
                conn.execute(text("SELECT pg_advisory_lock(7204417)"))
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            finally:
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_unlock(7204417)"))
                conn.commit()


def stored_json(value: Any) -> str:
    """A JSON column's value as stored: always valid JSON. Python writes inf, -inf
    and nan as the bare words Infinity, -Infinity and NaN, which SQLite stored and
    then failed every JSON-path query over (drift, /metrics) and PostgreSQL refuses;
    they are stored as the strings "Infinity", "-Infinity" and "NaN" instead."""
    try:
        return json.dumps(value, allow_nan=False)
    except ValueError:
        return json.dumps(finite(value), allow_nan=False)


def as_utc(at: datetime) -> datetime:
    """The instant in UTC. A time without a zone is UTC (SQLite hands stored times
    back naive, and the register's inputs may omit the zone); one with another
    offset is converted, not relabelled (10:00+05:00 is 05:00 UTC)."""
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


LAST_INSTANT = datetime(9998, 1, 1, tzinfo=UTC)  # room after it for an incident's clocks


def placed(at: datetime) -> datetime:
    """`at` as an instant in UTC for a field or filter the register takes; ValueError
    (422 naming the field) when it cannot be one: an offset past the first or last
    instant Python holds (9999-12-31T23:59:59-23:59), or too late to start clocks."""
    try:
        utc = as_utc(at)
    except OverflowError:
        raise ValueError("the time cannot be placed in UTC (out of range)") from None
    if utc >= LAST_INSTANT:
        raise ValueError(f"the time must be before {LAST_INSTANT.isoformat()}")
    return utc


Instant = Annotated[datetime, AfterValidator(placed)]

FIRST_CLAIMED = datetime(2000, 1, 1, tzinfo=UTC)  # no AI incident in a register is older
CLAIM_SKEW = timedelta(minutes=5)  # a caller's clock may run this far ahead of ours


def claimed(at: datetime) -> datetime:
    """A time a caller claims something happened (an incident detected): placed as
    `placed` does, and no later than now (within CLAIM_SKEW) nor before 2000. A
    detection "in 2099" ran its 72-hour clock for 72 years; every caller is
    untrusted, including the clock it claims."""
    utc = placed(at)
    now = datetime.now(UTC)
    if utc > now + CLAIM_SKEW:
        raise ValueError(
            f"the time is in the future ({utc.isoformat()}; it is "
            f"{now.isoformat(timespec='seconds')} here): a detection cannot be later than now"
        )
    if utc < FIRST_CLAIMED:
        raise ValueError(f"the time must be on or after {FIRST_CLAIMED.date().isoformat()}")
    return utc


ClaimedInstant = Annotated[datetime, AfterValidator(claimed)]


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp column that holds the instant in UTC on every database. SQLite
    stores a datetime as text without its offset: 10:00+05:00 came back as 10:00
    UTC (a GDPR clock five hours late) and compared as text against other
    offsets. Every value is converted to UTC on the way in and read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


NUL_STAND_IN = "\ufffd"


def _no_nul(engine: Engine) -> None:
    """PostgreSQL text cannot hold NUL (U+0000); SQLite can. A NUL in a session id, a
    claimed identity or an incident title made PostgreSQL refuse the whole batch (a
    503) where SQLite stored it. Every string sent to either database has its NULs
    replaced by U+FFFD, as lone surrogates are elsewhere: the same data, and the same
    lookups, on both. (JSON columns are sent serialised, their NULs escaped.)"""

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _scrub(
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> tuple[str, Any]:
        if executemany and isinstance(parameters, list | tuple):
            return statement, type(parameters)(_scrubbed(p) for p in parameters)
        return statement, _scrubbed(parameters)


def _scrubbed(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        if any(isinstance(v, str) and "\x00" in v for v in parameters.values()):
            return {k: _clean(v) for k, v in parameters.items()}
        return parameters
    if isinstance(parameters, tuple | list) and any(
        isinstance(v, str) and "\x00" in v for v in parameters
    ):
        return type(parameters)(_clean(v) for v in parameters)
    return parameters


def _clean(value: Any) -> Any:
    return value.replace("\x00", NUL_STAND_IN) if isinstance(value, str) else value


def _sqlite_durable(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # a reader (Database.read) begins DEFERRED: it takes no write lock
        reading = conn.get_execution_options().get("channelguard_read", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _short(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
