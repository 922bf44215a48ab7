"""The service's settings are checked before anything starts: a value past its
limit is a configuration error naming the setting (and its line in the file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from channelguard.errors import ConfigError
from channelguard.serve import ServiceConfig
from tests.conftest import EXAMPLES

DAY = 86_400


def _file(tmp_path: Path, setting: str) -> Path:
    config = tmp_path / "service.yaml"
    config.write_text(f"model: {EXAMPLES / 'bank.yaml'}\nclaimed_identities: plain\n{setting}\n")
    return config


@pytest.mark.parametrize("ttl", [DAY + 1, 7 * DAY, 1e308, 0, -1, ".inf", ".nan"])
def test_a_session_ttl_over_a_day_or_not_positive_is_refused(tmp_path: Path, ttl: object) -> None:
    """A session idle past a day is never live: retention's shortest cut-off (a day)
    relies on it, so a longer time-to-live would let a purge cut into a live session."""
    config = _file(tmp_path, f"session_ttl_seconds: {ttl}")
    with pytest.raises(ConfigError, match=r"service.yaml:3: session_ttl_seconds") as refused:
        ServiceConfig.load(config)
    assert "\n" not in str(refused.value)
    if isinstance(ttl, str):
        return  # YAML's spelling only
    with pytest.raises(ConfigError, match="session_ttl_seconds"):
        ServiceConfig.load(model=EXAMPLES / "bank.yaml", claimed_identities="plain",
                           session_ttl_seconds=ttl)  # fmt: skip


def test_a_session_ttl_of_up_to_a_day_is_taken(tmp_path: Path) -> None:
    assert (
        ServiceConfig.load(_file(tmp_path, f"session_ttl_seconds: {DAY}")).session_ttl_seconds
        == DAY
    )
    assert ServiceConfig.load(_file(tmp_path, "")).session_ttl_seconds == 4 * 3600


@pytest.mark.parametrize("entry", ["*", "proxy.internal", "10.0.0.0/33"])
def test_trusted_proxies_must_be_addresses(tmp_path: Path, entry: str) -> None:
    """'*' would let every client claim any address and void the per-address limits."""
    with pytest.raises(ConfigError, match="trusted_proxies"):
        ServiceConfig.load(model=EXAMPLES / "bank.yaml", trusted_proxies=[entry])


def test_trusted_proxies_take_addresses_and_networks(tmp_path: Path) -> None:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", trusted_proxies=["127.0.0.1", "10.0.0.0/8"]
    )
    assert config.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
