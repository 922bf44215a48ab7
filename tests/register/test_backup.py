"""Backup and restore as docs/operations.md says to do them: SQLite with
`sqlite3 FILE ".backup COPY"` (safe while the service writes), PostgreSQL with
`pg_dump --format=custom` and `pg_restore` into an empty database. A register
with incidents, keys, saved reviews, decisions and plan marks comes back with
every row of every table, and channelguard reads it as before."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import EXAMPLES, _pg_database, run_cli

SECRET = "backup-test-secret-" + "b" * 32  # a test's own


def _seed(url: str, cwd: Path) -> None:
    steps = [
        ["review", str(EXAMPLES / "bank.yaml"), "--no-plan", "--save", "--tenant", "default"],
        ["keys", "create", "--scopes", "read", "--label", "fraud lead"],
        shlex.split(
            'incidents create --title "Agent read back a one-time code" --domain safety '
            "--cause accidental --harm-type personal_data_leak --severity high"
        ),
        ["decide", str(EXAMPLES / "events.jsonl"), "--model", str(EXAMPLES / "bank.yaml")],
    ]
    for args in steps:
        done = run_cli(
            *args, "--database", url, cwd=cwd, env={"CHANNELGUARD_IDENTITY_SECRET": SECRET}
        )
        assert done.returncode == 0, (args, done.stderr)


def _every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {
                n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"'))), key=repr)
                for n in names
            }
    finally:
        engine.dispose()


def _export(url: str, cwd: Path) -> str:
    done = run_cli("incidents", "export", "--format", "json", "--database", url, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _same_register(before: str, after: str, cwd: Path) -> None:
    rows = _every_row(before)
    assert rows["incidents"] and rows["api_keys"] and rows["saved_reviews"] and rows["decisions"]
    assert _every_row(after) == rows
    assert _export(after, cwd) == _export(before, cwd)


def test_sqlite_backup_while_open_and_restore(tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command is not installed (.ci/run installs it)")
    live = tmp_path / "cg.db"
    _seed(f"sqlite:///{live}", tmp_path)
    copy = tmp_path / "backup" / "cg-copy.db"
    copy.parent.mkdir()
    subprocess.run(["sqlite3", str(live), f".backup {copy}"], check=True, timeout=120)
    restored = tmp_path / "restored" / "cg.db"
    restored.parent.mkdir()
    shutil.copyfile(copy, restored)  # restore: the service stopped, the copy put back
    _same_register(f"sqlite:///{live}", f"sqlite:///{restored}", tmp_path)


@pytest.fixture
def two_pg() -> Iterator[tuple[str, str]]:
    first, second = _pg_database(), _pg_database()
    yield next(first), next(second)
    for gen in (first, second):
        gen.close()


@pytest.mark.postgres
def test_postgresql_dump_and_restore(two_pg: tuple[str, str], tmp_path: Path) -> None:
    live, empty = two_pg
    _seed(live, tmp_path)
    libpq = [u.replace("postgresql+psycopg://", "postgresql://") for u in (live, empty)]
    dump = tmp_path / "cg.dump"
    tools = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    bin_dir = tools[-1] if tools else Path("/usr/bin")
    subprocess.run([str(bin_dir / "pg_dump"), "--format=custom", "--file", str(dump), libpq[0]],
                   check=True, timeout=300)  # fmt: skip
    subprocess.run([str(bin_dir / "pg_restore"), "--no-owner", "--exit-on-error", "--dbname",
                    libpq[1], str(dump)], check=True, timeout=300)  # fmt: skip
    _same_register(live, empty, tmp_path)
