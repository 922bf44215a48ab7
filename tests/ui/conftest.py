from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channelguard.register.records import IncidentIn
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import DEEPFAKE_WIRE, EXAMPLES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SECRET = "test-identity-secret-" + "u" * 32  # a test's own: never a real one
HOSTILE_TITLE = '<script>document.title="owned"</script><img src=x onerror=alert(1)>'


@dataclass
class Ui:
    client: TestClient
    service: Service
    keys: dict[str, str]  # admin, read, ingest, other (another tenant's admin), global
    mine: int  # an incident of the default tenant, with a hostile title
    theirs: int  # an incident of tenant "other"


def sign_in(client: TestClient, key: str) -> None:
    answer = client.post("/ui/login", data={"key": key}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/ui"


def csrf_of(client: TestClient, path: str = "/ui/incidents") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def make_ui(db_url: str, **settings: object) -> Iterator[Ui]:
    # the pages' plan is compared with a review run without a budget: a loaded CI
    # machine must not cut the service's plan short (the budget's own tests set it)
    settings = {"review_plan_budget_seconds": 600, **settings}
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, identity_secret=SECRET, **settings
    )
    service = Service(config).start()
    keys = {s: service.keys.create([s], f"ui {s}")[1] for s in ("admin", "read", "ingest")}
    keys["other"] = service.keys.create(["admin"], "other admin", tenant="other")[1]
    keys["global"] = service.keys.create(["admin"], "global admin", tenant=None)[1]
    mine = service.store.create(
        IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": HOSTILE_TITLE, "summary": "<b>x</b>"}),
        "test",
    )
    theirs = service.store.create(
        IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": "Other tenant's wire"}),
        "test",
        tenant="other",
    )
    client = TestClient(create_app(service), base_url="http://127.0.0.1")
    with client:
        yield Ui(client, service, keys, mine["id"], theirs["id"])
    service.stop()


@pytest.fixture
def ui(db_url: str) -> Iterator[Ui]:
    """The app on SQLite and on PostgreSQL, seeded: two tenants' incidents and keys."""
    yield from make_ui(db_url)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()
