"""OpenTelemetry on the real SDK (InMemorySpanExporter, no mock): one request to the
events route is a request span with the pipeline's guard, decide and file spans
under it, and no span carries the message, the claimed identity, personal data or
the session id. Off by default; a bad `telemetry:` stops start-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")
pytest.importorskip("opentelemetry.instrumentation.fastapi")

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from channelguard.errors import ConfigError
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES
from tests.serve.conftest import SECRET, bearer

SESSION = "sess-4417-alice"
EMAIL = "alice.walker@example.com"
CLAIMED = "Alice Walker"
CEO = (
    f"This is the CEO, reach me at {EMAIL}. I need a wire of 48,000 to our new supplier "
    "today, I'm boarding a plane, no time for the usual callback and keep this between us."
)


@pytest.fixture
def spans(db_url: str) -> Iterator[tuple[list[ReadableSpan], dict[str, Any]]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, identity_secret=SECRET
    )
    service = Service(config, tracer_provider=provider).start()
    ingest = bearer(service.keys.create(["ingest"], "i")[1])
    events = [
        {"type": "message", "channel": "phone_agent", "role": "customer", "text": CEO,
         "claimed_identity": CLAIMED},
        {"type": "action_request", "action": "wire_transfer"},
    ]  # fmt: skip
    with TestClient(create_app(service)) as client:
        out = client.post(f"/v1/sessions/{SESSION}/events", headers=ingest, json={"events": events})
    service.stop()
    provider.shutdown()
    yield list(exporter.get_finished_spans()), out.json()


def test_a_request_span_holds_the_guard_decide_and_file_spans(
    spans: tuple[list[ReadableSpan], dict[str, Any]],
) -> None:
    finished, answer = spans
    assert answer["decisions"][0]["decision"] == "hold" and answer["incidents"]
    by_id = {s.context.span_id: s for s in finished}
    [request] = [s for s in finished if s.parent is None]
    assert request.attributes is not None
    assert "/v1/sessions/{session_id}/events" in request.name

    def under_request(span: ReadableSpan) -> bool:
        while span.parent is not None:
            span = by_id[span.parent.span_id]
        return span is request

    names = [s.name for s in finished if s is not request]
    assert {"channelguard.guard", "channelguard.decide", "channelguard.file"} <= set(names)
    assert all(under_request(s) for s in finished)
    [decided] = [s for s in finished if s.name == "channelguard.decide"
                 and (s.attributes or {}).get("channelguard.decision")]  # fmt: skip
    assert decided.attributes is not None and decided.attributes["channelguard.decision"] == "hold"


def test_no_span_carries_the_message_personal_data_or_the_session(
    spans: tuple[list[ReadableSpan], dict[str, Any]],
) -> None:
    finished, _ = spans
    seen = " ".join(
        f"{s.name} {k}={v}" for s in finished for k, v in (s.attributes or {}).items()
    ) + " ".join(str(e.attributes) for s in finished for e in s.events)
    for secret in (CEO[:40], EMAIL, CLAIMED, "alice", SESSION, "48,000"):
        assert secret not in seen, secret


def test_telemetry_is_off_by_default_and_checked(tmp_path: Any) -> None:
    config = ServiceConfig.load(model=EXAMPLES / "bank.yaml", claimed_identities="plain")
    assert config.telemetry.exporter == "off"
    with pytest.raises(ConfigError, match="exporter"):
        ServiceConfig.load(
            model=EXAMPLES / "bank.yaml",
            claimed_identities="plain",
            telemetry={"exporter": "jaeger"},
        )
    with pytest.raises(ConfigError, match="endpoint"):
        ServiceConfig.load(
            model=EXAMPLES / "bank.yaml",
            claimed_identities="plain",
            telemetry={"exporter": "console", "endpoint": "http://x"},
        )


def test_without_the_sdk_an_exporter_names_the_install(tmp_path: Any) -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['opentelemetry.sdk'] = None\n"
        "from channelguard.serve.telemetry import TelemetryConfig, tracer_provider\n"
        "assert tracer_provider(TelemetryConfig()) is None\n"
        "try:\n    tracer_provider(TelemetryConfig(exporter='console'))\n"
        "except Exception as exc:\n    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, check=False)  # fmt: skip
    assert "DependencyError" in done.stdout, done.stderr
    assert "pip install 'channelguard[otel]'" in done.stdout
