"""Drift in the service's /metrics (watch/exported.py): each key sees its own
tenant's drift, a global key every tenant's."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.serve.conftest import Api, bearer
from tests.watch.streams import write_stream

SHIFTED = '{channel="ai_chat",metric="finding_rate:callback_lure",tenant="acme"}'


def test_metrics_show_the_drift_gauges_of_the_keys_tenant(api: Api) -> None:
    write_stream(api.service.db, until=datetime.now(UTC), shifted=True)
    acme = bearer(api.service.keys.create(["read"], "acme reader", tenant="acme")[1])
    text = api.client.get("/metrics", headers=acme).text
    assert f"channelguard_drift_alert{SHIFTED} 1.0" in text
    assert (
        'channelguard_drift_alert{channel="ai_chat",metric="verification_failure_rate",tenant="acme"} 0.0'
        in text
    )
    assert f"channelguard_drift_psi{SHIFTED}" in text
    assert "channelguard_drift_report_timestamp_seconds" in text
    assert "channelguard_requests_total" in text  # the service-wide figures as before
    assert 'channelguard_incidents{status="open"}' not in text  # scraping files nothing
    other = api.client.get("/metrics", headers=api.read).text  # a key of tenant "default"
    assert 'tenant="acme"' not in other and "channelguard_requests_total" in other
    every = bearer(api.service.keys.create(["admin"], "global", tenant=None)[1])
    assert (
        f"channelguard_drift_alert{SHIFTED} 1.0" in api.client.get("/metrics", headers=every).text
    )
