"""What the service stores is valid JSON, and one unreadable stored row never
breaks a service-wide read. Python's JSON reads 1e309, -1e309 and NaN as inf,
-inf and nan, which it writes back as the bare words Infinity and NaN: SQLite
stored them and every JSON-path query (drift in /metrics, `drift report`) then
failed for every tenant. Real service, real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from channelguard.register.tables import EventRow, EvidenceRow
from channelguard.watch.run import drift_report
from tests.conftest import DEEPFAKE_WIRE
from tests.serve.conftest import Api

NON_FINITE = [("1e309", "Infinity"), ("-1e309", "-Infinity"), ("NaN", "NaN")]


def _post_raw(api: Api, session: str, body: str) -> dict[str, object]:
    done = api.client.post(
        f"/v1/sessions/{session}/events",
        content=body,
        headers={**api.ingest, "Content-Type": "application/json"},
    )
    assert done.status_code == 200, done.text
    result: dict[str, object] = done.json()
    return result


def _json_valid(api: Api, table: str) -> list[int]:
    with api.service.db.read() as s:
        return [int(v) for v in s.scalars(text(f"SELECT json_valid(body) FROM {table}"))]


def _reads_work(api: Api) -> None:
    metrics = api.client.get("/metrics", headers=api.read)
    assert metrics.status_code == 200, metrics.text
    drift_report(api.service.db, until=datetime.now(UTC), window=timedelta(days=1),
                 reference=timedelta(days=7), tenant=None)  # fmt: skip


@pytest.mark.parametrize(("sent", "stored"), NON_FINITE, ids=[s for s, _ in NON_FINITE])
def test_a_refused_non_finite_signal_is_stored_as_valid_json(
    api: Api, sent: str, stored: str
) -> None:
    body = '{"events":[{"type":"signal","name":"synthetic_voice","value":SENT}]}'
    body = body.replace("SENT", sent)
    result = _post_raw(api, "s2", body)
    assert result["accepted"] == 0 and "value" in str(result["errors"])
    with api.service.db.read() as s:
        row = s.scalars(select(EventRow)).one()
    assert row.body["value"] == stored  # the string, not a bare word no JSON reader takes
    if api.service.db.dialect == "sqlite":
        assert _json_valid(api, "session_events") == [1]
    _post_raw(api, "s3", '{"events":[{"type":"verification","factor":"kba","result":"pass"}]}')
    _reads_work(api)


def test_non_finite_evidence_on_an_incident_is_stored_as_valid_json(api: Api) -> None:
    made = api.client.post("/v1/incidents", json=DEEPFAKE_WIRE, headers=api.admin)
    assert made.status_code == 201, made.text
    added = api.client.post(
        f"/v1/incidents/{made.json()['id']}/evidence",
        content='{"kind":"note","body":{"score":1e309,"low":-1e309,"odd":[NaN]}}',
        headers={**api.admin, "Content-Type": "application/json"},
    )
    assert added.status_code == 201, added.text
    with api.service.db.read() as s:
        row = s.scalars(select(EvidenceRow)).one()
    assert row.body == {"score": "Infinity", "low": "-Infinity", "odd": ["NaN"]}
    if api.service.db.dialect == "sqlite":
        assert set(_json_valid(api, "incident_evidence")) == {1}
    _reads_work(api)


def test_one_unreadable_stored_event_is_skipped_by_metrics_and_drift(api: Api) -> None:
    """A row stored before bodies were made valid JSON (SQLite only: PostgreSQL's
    JSON column never held one) is skipped; the other rows are still read."""
    if api.service.db.dialect != "sqlite":
        pytest.skip("PostgreSQL's JSON column cannot hold invalid JSON")
    _post_raw(api, "s1", '{"events":[{"type":"verification","factor":"kba","result":"fail"}]}')
    _post_raw(api, "s2", '{"events":[{"type":"signal","name":"synthetic_voice","value":1}]}')
    with api.service.db.begin() as s:
        s.execute(
            text(
                'UPDATE session_events SET body = \'{"type": "signal", "value": Infinity}\' '
                "WHERE session = 's2'"
            )
        )
    assert sorted(_json_valid(api, "session_events")) == [0, 1]
    _reads_work(api)
    report = drift_report(api.service.db, until=datetime.now(UTC) + timedelta(minutes=1),
                          window=timedelta(days=1), reference=timedelta(days=7), tenant=None)  # fmt: skip
    assert report is not None
