"""The dashboard behind several replicas (docs/operations.md): a session opened
on one replica is honoured by another that shares the identity secret and the
register, and a plan item marked done on one shows on the other; a replica
with another secret does not honour it (it sends the reader to sign in)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES
from tests.ui.conftest import SECRET, csrf_of, sign_in


def _replica(db_url: str, secret: str, stack: ExitStack) -> TestClient:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, identity_secret=secret
    )
    service = Service(config).start()
    stack.callback(service.stop)
    return stack.enter_context(TestClient(create_app(service), base_url="http://127.0.0.1"))


@pytest.fixture
def replicas(db_url: str) -> Iterator[tuple[TestClient, TestClient, TestClient, str]]:
    with ExitStack() as stack:
        a = _replica(db_url, SECRET, stack)
        b = _replica(db_url, SECRET, stack)
        other = _replica(db_url, "another-secret-" + "z" * 32, stack)
        key = a.app.state.service.keys.create(["admin"], "ops")[1]  # type: ignore[attr-defined]
        yield a, b, other, key


def test_a_session_and_a_mark_made_on_one_replica_hold_on_another(
    replicas: tuple[TestClient, TestClient, TestClient, str],
) -> None:
    a, b, other, key = replicas
    sign_in(a, key)
    cookies = dict(a.cookies)
    b.cookies.update(cookies)
    assert b.get("/ui", follow_redirects=False).status_code == 200
    token = csrf_of(a, "/ui/plan")
    item = a.get("/ui/plan").text.split('name="item" value="')[1].split('"')[0]
    done = b.post("/ui/plan/marks", data={"csrf": token, "item": item, "done": "1"},
                  headers={"Origin": "http://127.0.0.1"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text
    assert a.get("/ui/plan").text.count('<li class="done">') == 1
    other.cookies.update(cookies)
    away = other.get("/ui", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/ui/login"
