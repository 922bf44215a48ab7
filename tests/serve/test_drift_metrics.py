"""Drift in the service's /metrics (watch/exported.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.serve.conftest import Api
from tests.watch.streams import write_stream


def test_metrics_show_the_drift_gauges(api: Api) -> None:
    write_stream(api.service.db, until=datetime.now(UTC), shifted=True)
    text = api.client.get("/metrics", headers=api.read).text
    shifted = '{channel="ai_chat",metric="finding_rate:callback_lure",tenant="acme"}'
    assert f"channelguard_drift_alert{shifted} 1.0" in text
    assert (
        'channelguard_drift_alert{channel="ai_chat",metric="verification_failure_rate",tenant="acme"} 0.0'
        in text
    )
    assert f"channelguard_drift_psi{shifted}" in text
    assert "channelguard_drift_report_timestamp_seconds" in text
    assert 'channelguard_incidents{status="open"}' not in text  # scraping files nothing
