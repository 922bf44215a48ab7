"""OpenTelemetry traces: off unless `telemetry: {exporter: otlp|console}` is set."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TelemetryConfig"]


class TelemetryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    exporter: Literal["off", "otlp", "console"] = "off"
    endpoint: str | None = Field(default=None, max_length=2000)  # OTLP/HTTP traces URL
    service_name: str = Field(default="channelguard", max_length=200)
