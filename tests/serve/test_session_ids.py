"""A session id is 1-200 visible characters: CR/LF (a header or log line of its
own), other control characters, zero-width and other invisible characters
(two ids that look the same) and whitespace-only ids are 422 naming the
field, as an over-long id is. Real service, real SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from channelguard.register.tables import EventRow, SessionRow
from tests.serve.conftest import Api

EVENTS = {"events": [{"type": "action_request", "action": "wire_transfer"}]}
REFUSED = {
    "CRLF header": "call-1%0d%0aX-Injected:%201",
    "LF": "call-1%0a",
    "NUL": "nul%00session",
    "ESC": "call%1b[31m",
    "DEL": "call%7f",
    "C1": "call%c2%85",
    "zero-width space": "%E2%80%8Bcall-1",
    "zero-width joiner": "call%E2%80%8D-1",
    "bidi override": "call-%E2%80%AE1",
    "BOM": "%EF%BB%BFcall-1",
    "line separator": "call%E2%80%A81",
    "spaces only": "%20%20%20",
    "tab only": "%09",
    "ideographic space only": "%E3%80%80",
}


@pytest.mark.parametrize("sent", list(REFUSED.values()), ids=list(REFUSED))
def test_an_odd_session_id_is_422_naming_the_field(api: Api, sent: str) -> None:
    done = api.client.post(f"/v1/sessions/{sent}/events", json=EVENTS, headers=api.ingest)
    assert done.status_code == 422, done.text
    assert done.json()["error"]["message"].startswith("session id: ")
    with api.service.db.read() as s:  # nothing stored
        assert s.scalar(select(func.count()).select_from(SessionRow)) == 0
        assert s.scalar(select(func.count()).select_from(EventRow)) == 0


@pytest.mark.parametrize("sent", ["call-1", "caf%C3%A9 42", "%E9%80%9A%E8%A9%B1-7", "a" * 200])
def test_an_ordinary_session_id_is_taken(api: Api, sent: str) -> None:
    done = api.client.post(f"/v1/sessions/{sent}/events", json=EVENTS, headers=api.ingest)
    assert done.status_code == 200, done.text
    assert len(done.json()["decisions"]) == 1


def test_an_over_long_session_id_is_still_422(api: Api) -> None:
    done = api.client.post(f"/v1/sessions/{'a' * 201}/events", json=EVENTS, headers=api.ingest)
    assert done.status_code == 422, done.text
    assert "session_id" in done.json()["error"]["message"]
