"""`channelguard webhooks list|retry`: the outbox as an operator sees it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.records import IncidentIn
from channelguard.register.store import IncidentStore
from tests.conftest import DEEPFAKE_WIRE, run_cli


def test_list_shows_pending_and_dead_deliveries_and_retry_revives_the_dead(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'cg.db'}"
    db = Database(url).open()
    IncidentStore(db).create(IncidentIn.model_validate(DEEPFAKE_WIRE), "alice")
    now = datetime.now(UTC)
    outbox.fan_out(db, {"ops": frozenset(outbox.EVENT_TYPES)}, now=now)
    [claimed] = outbox.claim(db, ["ops"], now=now, lease_seconds=30)
    outbox.settle(db, claimed, outbox.Outcome(delivered=False, status=500, error="HTTP 500"),
                  now=now)  # fmt: skip
    db.close()
    listed = run_cli("webhooks", "list", "--state", "dead", "--database", url, "-f", "json")
    assert listed.returncode == 0, listed.stderr
    out = json.loads(listed.stdout)
    assert out["counts"] == {"dead": 1}
    [dead] = out["deliveries"]
    assert dead["endpoint"] == "ops" and dead["last_status"] == 500
    table = run_cli("webhooks", "list", "--database", url, env={"COLUMNS": "160"})
    assert "dead: 1" in table.stdout and "HTTP 500" in table.stdout
    missing = run_cli("webhooks", "retry", "--delivery", "999", "--database", url)
    assert missing.returncode == 4 and "Traceback" not in missing.stderr
    retried = run_cli("webhooks", "retry", "--database", url)
    assert retried.returncode == 0 and "1 dead deliveries due again" in retried.stdout
    again = json.loads(run_cli("webhooks", "list", "--database", url, "-f", "json").stdout)
    assert again["counts"] == {"pending": 1}
    bad = run_cli("webhooks", "list", "--state", "lost", "--database", url)
    assert bad.returncode == 2 and "--state" in bad.stderr
