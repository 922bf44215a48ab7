"""The webhook and OpenTelemetry settings shown in docs/integrations.md load as a
service configuration file, as written (a changed setting name fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from channelguard.errors import ConfigError
from channelguard.serve.config import ServiceConfig
from tests.conftest import ROOT

PAGE = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")


def _yaml_under(heading: str) -> str:
    section = PAGE.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("heading", ["Webhooks", "OpenTelemetry"])
def test_the_settings_on_the_page_load(
    heading: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHANNELGUARD_WEBHOOK_SECRET", "s" * 40)
    path = tmp_path / "service.yaml"
    path.write_text(_yaml_under(heading), encoding="utf-8")
    config = ServiceConfig.load(
        path, model=ROOT / "examples" / "bank.yaml", identity_secret="i" * 40
    )
    if heading == "Webhooks":
        assert [e.format for e in config.webhooks] == ["json", "slack"]
        assert config.webhook_delivery.max_attempts == 12
    else:
        assert config.telemetry is not None and config.telemetry.exporter == "otlp"


def test_a_misspelt_setting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(_yaml_under("OpenTelemetry").replace("exporter", "exportr"), "utf-8")
    with pytest.raises(ConfigError, match="exportr"):
        ServiceConfig.load(path, model=ROOT / "examples" / "bank.yaml", identity_secret="i" * 40)
