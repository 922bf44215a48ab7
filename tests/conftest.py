from __future__ import annotations

import functools
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from channelguard.guard.guard import Guard
from channelguard.model.loader import LoadedModel, load_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file of ../shared (the contracts, references and data beside the checkout).
    A clone elsewhere has none: its tests skip with the reason; CI has it, and there
    a missing file fails the test."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if shared_required():
            pytest.fail(
                f"{path} is missing but {REQUIRE_SHARED}=1: CI runs with ../shared beside "
                "the checkout"
            )
        pytest.skip(
            f"needs {path} (../shared beside the checkout); skipped outside CI "
            f"({REQUIRE_SHARED}=1 makes it required)"
        )
    return path


REQUIRE_SHARED = "CHANNELGUARD_REQUIRE_SHARED"


def shared_required() -> bool:
    return os.environ.get(REQUIRE_SHARED) == "1"


# what may appear in the repository root while the suite runs (caches, the venv)
ROOT_ALLOWED = {
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".venv",
    "__pycache__",
    "site",
}


@pytest.fixture(scope="session", autouse=True)
def repository_root_untouched() -> Iterator[None]:
    """No test leaves a file in the repository root (a walkthrough's database, a
    report): every one writes under its own temporary folder."""
    before = {p.name for p in ROOT.iterdir()}
    yield
    left = sorted({p.name for p in ROOT.iterdir()} - before - ROOT_ALLOWED)
    assert left == [], f"tests left these in {ROOT}: {left}"


def run_cli(
    *args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`channelguard ARGS` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "channelguard", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


PG_ENV = "CHANNELGUARD_TEST_PG_URL"  # set by .ci/run (scripts/pg_test_server.sh)


def _pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped after it."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CHANNELGUARD_REQUIRE_PG"):
            pytest.fail(
                f"{PG_ENV} is not set but CHANNELGUARD_REQUIRE_PG is: CI must test PostgreSQL"
            )
        pytest.skip(f"no PostgreSQL: set {PG_ENV} (scripts/pg_test_server.sh prints one)")
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    name = f"cg_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (fails in CI, skips elsewhere, without a server)."""
    yield from _pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, and a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.db'}"
    else:
        yield from _pg_database()


# the sample incident of the register and the service tests: a deepfaked CFO's wire
DEEPFAKE_WIRE: dict[str, Any] = {
    "title": "Deepfaked CFO ordered a wire",
    "domain": "security",
    "cause": "adversarial",
    "harm_type": "executive_payment_fraud",
    "severity": "critical",
    "money_moved": True,
}


def base_model(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization": "Test Org",
        "version": "1",
        "channels": [{"id": "phone", "kind": "voice", "hours": "24/7", "staffed_by": "human"}],
        "actions": [],
    }
    data.update(overrides)
    return data


def action(
    id: str, paths: list[dict[str, Any]], tier: str = "T3", impact: float = 10000, **extra: Any
) -> dict[str, Any]:
    return {
        "id": id,
        "tier": tier,
        "impact_usd": impact,
        "owner": "operations",
        "paths": paths,
        **extra,
    }


def path(id: str, requires: list[Any], channel: str = "phone", **extra: Any) -> dict[str, Any]:
    return {"id": id, "channel": channel, "requires": requires, **extra}


def factor(cost: float, p: float, minutes: float = 10, **extra: Any) -> dict[str, Any]:
    return {
        "attacker_cost_usd": cost,
        "attacker_minutes": minutes,
        "success_probability": p,
        "source": "test figure",
        **extra,
    }


@functools.cache
def alone(*detectors: str) -> Guard:
    """These detectors alone, encoder and multilingual stage off (loaded once): the
    learned stages cannot keep a cue's test passing."""
    return Guard(detectors=list(detectors), encoder="off", multilingual="off").load()


@pytest.fixture(scope="session")
def guard() -> Guard:
    """The default guard, loaded once for every test: inspect() keeps no state."""
    return Guard().load()


@pytest.fixture
def build() -> Callable[..., LoadedModel]:
    def make(actions: list[dict[str, Any]], factors: dict[str, Any] | None = None) -> LoadedModel:
        return load_data(base_model(actions=actions, factors=factors or {}), "test.yaml")

    return make


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str, name: str = "model.yaml") -> Path:
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
        return target

    return write


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)
