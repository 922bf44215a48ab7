from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES


@dataclass
class Api:
    client: TestClient
    service: Service
    admin: dict[str, str]
    ingest: dict[str, str]
    read: dict[str, str]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


_bearer = bearer
SECRET = "test-identity-secret-" + "x" * 32  # a test's own: never a real one


@pytest.fixture(autouse=True)
def identity_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """The service stores claimed identities as keyed hashes and does not start
    without a secret: every service test runs as an operator would configure it
    (test_identity_secret.py checks what happens without one)."""
    monkeypatch.setenv("CHANNELGUARD_IDENTITY_SECRET", SECRET)
    return SECRET


@pytest.fixture
def api(db_url: str) -> Iterator[Api]:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        max_request_bytes=200_000,
        identity_secret=SECRET,
    )
    service = Service(config).start()
    keys = {s: service.keys.create([s], f"test {s}")[1] for s in ("admin", "ingest", "read")}
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield Api(
            client, service, _bearer(keys["admin"]), _bearer(keys["ingest"]), _bearer(keys["read"])
        )
    service.stop()
