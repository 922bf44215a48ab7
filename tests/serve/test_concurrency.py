"""Readers never wait behind a writer: while one long write transaction is open
(a large batch of events), key checks and reads answer at once (SQLite: WAL
readers outside the writers' queue; PostgreSQL: real concurrency). Real
threads, real databases."""

from __future__ import annotations

import threading
import time

from sqlalchemy import update

from channelguard.register.records import IncidentIn
from channelguard.register.tables import IncidentRow
from tests.conftest import DEEPFAKE_WIRE
from tests.serve.conftest import Api


def test_reads_and_key_checks_do_not_wait_behind_a_long_write(api: Api) -> None:
    made = api.service.store.create(IncidentIn.model_validate(DEEPFAKE_WIRE), "t")
    writing, done = threading.Event(), threading.Event()

    def long_write() -> None:  # what a 55 KB batch does: one transaction, seconds long
        with api.service.db.begin() as s:
            s.execute(update(IncidentRow).where(IncidentRow.id == made["id"]).values(summary="w"))
            writing.set()
            done.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(10)
        started = time.monotonic()
        for path in ("/v1/incidents", f"/v1/incidents/{made['id']}", "/v1/playbooks"):
            r = api.client.get(path, headers=api.read)
            assert r.status_code == 200, r.text
        assert api.client.get("/healthz").status_code == 200
        took = time.monotonic() - started
        assert took < 3.0, f"the reads waited {took:.1f} s behind the writer"
        # what a reader sees is the committed state, not the open write
        assert (
            api.client.get(f"/v1/incidents/{made['id']}", headers=api.read).json()["summary"] != "w"
        )
    finally:
        done.set()
        writer.join(10)
    assert api.client.get(f"/v1/incidents/{made['id']}", headers=api.read).json()["summary"] == "w"
