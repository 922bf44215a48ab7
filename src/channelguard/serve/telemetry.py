"""OpenTelemetry traces of the service: a span per request (FastAPI's
instrumentation) with the pipeline's stages under it (`channelguard.guard`,
`channelguard.decide`, `channelguard.file`: runtime/pipeline.py). Off unless
configured:

    telemetry:
      exporter: otlp                       # or console (stdout), or off
      endpoint: http://collector:4318/v1/traces

The SDK, the exporter and the instrumentation are the `otel` extra (pip install
'channelguard[otel]'), imported only when an exporter is named. The request span's
URL is the route template (`/v1/sessions/{session_id}/events`), never the path a
client sent: session ids and incident numbers stay out of the traces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from channelguard.errors import DependencyError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["TelemetryConfig", "instrument", "tracer_provider"]

# attributes of the request span that hold the path or query a client sent
SENT_PATH = ("http.target", "http.url", "url.path", "url.full", "url.query")


class TelemetryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # off, otlp (to endpoint) or console (stdout)
    exporter: Literal["off", "otlp", "console"] = "off"
    endpoint: str | None = Field(default=None, max_length=2000)  # OTLP/HTTP traces URL
    # the service.name resource attribute of the spans
    service_name: str = Field(default="channelguard", max_length=200)

    @model_validator(mode="after")
    def _endpoint_for_otlp(self) -> TelemetryConfig:
        if self.endpoint is not None and self.exporter != "otlp":
            raise ValueError("telemetry.endpoint is for exporter: otlp")
        return self


def tracer_provider(config: TelemetryConfig) -> TracerProvider | None:
    """The SDK's tracer provider exporting as configured; None when telemetry is off."""
    if config.exporter == "off":
        return None
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError:
        raise DependencyError("opentelemetry-sdk", "otel") from None
    provider = TracerProvider(resource=Resource.create({"service.name": config.service_name}))
    exporter: Any
    if config.exporter == "console":
        exporter = ConsoleSpanExporter()
    else:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError:
            raise DependencyError("opentelemetry-exporter-otlp-proto-http", "otel") from None
        exporter = OTLPSpanExporter(endpoint=config.endpoint) if config.endpoint else None
        exporter = exporter or OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def instrument(app: FastAPI, provider: TracerProvider) -> None:
    """A span per request on `provider`; the route template in place of the path sent."""
    try:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    except ImportError:
        raise DependencyError("opentelemetry-instrumentation-fastapi", "otel") from None

    def templated(span: Any, scope: dict[str, Any]) -> None:
        route = scope.get("route")
        path = getattr(route, "path", None) or "unmatched"
        if span is not None and span.is_recording():
            for name in SENT_PATH:
                if name in (getattr(span, "attributes", None) or {}):
                    span.set_attribute(name, path)

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        server_request_hook=templated,
        exclude_spans=["receive", "send"],
    )
