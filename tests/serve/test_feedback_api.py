"""`/v1/feedback` and per-tenant calibration in the service (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from channelguard.errors import ConfigError
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES
from tests.guard.test_calibration import ATTACK, FALSE_POSITIVES
from tests.serve.conftest import SECRET, Api, bearer

MARK = {"label": "false_positive", "detector": "prompt_injection", "score": 0.6}


def _key(api: Api, scopes: list[str], tenant: str | None) -> dict[str, str]:
    return bearer(api.service.keys.create(scopes, f"{tenant}", tenant=tenant)[1])


def test_marks_belong_to_the_keys_tenant_and_no_other(api: Api) -> None:
    acme = _key(api, ["feedback", "read"], "acme")
    other = _key(api, ["feedback", "read"], "other")
    made = api.client.post("/v1/feedback", headers=acme, json={**MARK, "text": FALSE_POSITIVES[0]})
    assert made.status_code == 201, made.text
    mark = made.json()
    assert mark["tenant"] == "acme" and made.headers["Location"] == f"/v1/feedback/{mark['id']}"
    mine = api.client.get("/v1/feedback", headers=acme).json()
    assert mine["total"] == 1 and mine["items"][0]["text"] == FALSE_POSITIVES[0]
    assert api.client.get("/v1/feedback", headers=other).json() == {
        "items": [], "total": 0, "limit": 50, "offset": 0
    }  # fmt: skip
    hidden = api.client.get(f"/v1/feedback/{mark['id']}", headers=other)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    assert api.client.get(f"/v1/feedback/{mark['id']}", headers=acme).json()["id"] == mark["id"]


def test_only_a_feedback_or_admin_key_marks(api: Api) -> None:
    """Marks move the tenant's operating points (`guard calibrate`): a key that only
    sends traffic, as agent integrations embed, cannot write them, nor can a reader."""
    for lacking in (api.ingest, api.read, _key(api, ["ingest", "read"], "default")):
        refused = api.client.post("/v1/feedback", headers=lacking, json=MARK)
        assert refused.status_code == 403, refused.text
        assert "'feedback' scope" in refused.json()["error"]["message"]
    assert api.client.get("/v1/feedback", headers=api.read).json()["total"] == 0
    for allowed in (_key(api, ["feedback"], "default"), api.admin):
        assert api.client.post("/v1/feedback", headers=allowed, json=MARK).status_code == 201
    assert api.client.get("/v1/feedback", headers=api.read).json()["total"] == 2
    marker = _key(api, ["feedback"], "default")  # marks, reads nothing
    assert api.client.get("/v1/feedback", headers=marker).status_code == 403


def test_the_tenant_comes_from_the_key_never_the_body(api: Api) -> None:
    marker = _key(api, ["feedback"], "default")
    refused = api.client.post("/v1/feedback", headers=marker, json={**MARK, "tenant": "acme"})
    assert refused.status_code == 422 and "tenant" in refused.json()["error"]["message"]
    worldwide = _key(api, ["admin"], None)
    assert api.client.post("/v1/feedback", headers=worldwide, json=MARK).status_code == 403
    assert api.client.post("/v1/feedback", headers=api.read, json=MARK).status_code == 403
    assert api.client.get("/v1/feedback", headers=api.ingest).status_code == 403
    unknown = api.client.post("/v1/feedback", headers=marker, json={**MARK, "detector": "x"})
    assert unknown.status_code == 422 and "unknown detector" in unknown.text


def test_a_reference_names_the_keys_tenants_own_session(api: Api) -> None:
    """`session:ID` is the marking key's tenant's session ID: another tenant's of
    that id is 404 until this tenant has one of its own."""
    event = {"type": "message", "channel": "phone_agent", "role": "customer", "text": "Hi"}
    ref = {**MARK, "ref": "session:call-1"}

    def send(key: dict[str, str]) -> None:
        posted = api.client.post(
            "/v1/sessions/call-1/events", headers=key, json={"events": [event]}
        )
        assert posted.status_code == 200, posted.text

    send(api.ingest)
    mine = api.client.post("/v1/feedback", headers=_key(api, ["feedback"], "default"), json=ref)
    assert mine.status_code == 201
    other = _key(api, ["feedback"], "other")
    assert api.client.post("/v1/feedback", headers=other, json=ref).status_code == 404
    send(_key(api, ["ingest"], "other"))  # now "other" has a call-1 of its own
    assert api.client.post("/v1/feedback", headers=other, json=ref).status_code == 201


def _calibration(tmp_path: Path, tenant: str, threshold: float = 0.6036) -> Path:
    path = tmp_path / f"{tenant}.yaml"
    point = {"detector": "prompt_injection", "side": "user", "threshold": threshold, "shipped": 0.5}
    path.write_text(yaml.safe_dump({"tenant": tenant, "thresholds": [point]}), encoding="utf-8")
    return path


def test_scans_run_under_the_keys_tenants_calibration(db_url: str, tmp_path: Path) -> None:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        guard={"calibration": [str(_calibration(tmp_path, "acme"))]},
    )
    service = Service(config).start()
    try:
        acme = bearer(service.keys.create(["ingest"], "acme", tenant="acme")[1])
        shipped = bearer(service.keys.create(["ingest"], "default")[1])
        with TestClient(create_app(service), raise_server_exceptions=False) as client:
            body = {"messages": [{"text": FALSE_POSITIVES[0]}, {"text": ATTACK}]}
            calibrated = client.post("/v1/scan", headers=acme, json=body).json()["results"]
            plain = client.post("/v1/scan", headers=shipped, json=body).json()["results"]
        assert [r["flagged"] for r in calibrated] == [False, True]
        assert [r["flagged"] for r in plain] == [True, True]
    finally:
        service.stop()


def test_events_are_judged_under_the_keys_tenants_calibration(db_url: str, tmp_path: Path) -> None:
    """The marked false positive no longer counts as an attack seen in acme's
    sessions (a T2+ action steps up instead of holding); other tenants keep the
    shipped operating points."""
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        guard={"calibration": [str(_calibration(tmp_path, "acme"))]},
    )
    service = Service(config).start()
    said = {"type": "message", "channel": "phone_agent", "role": "customer",
            "text": FALSE_POSITIVES[0]}  # fmt: skip
    asks = {"type": "action_request", "channel": "phone_agent", "action": "change_email"}
    try:
        acme = bearer(service.keys.create(["ingest"], "acme", tenant="acme")[1])
        shipped = bearer(service.keys.create(["ingest"], "default")[1])
        with TestClient(create_app(service), raise_server_exceptions=False) as client:
            outcome = {}
            for name, key in (("acme", acme), ("default", shipped)):
                done = client.post(
                    f"/v1/sessions/{name}-call/events", headers=key, json={"events": [said, asks]}
                )
                assert done.status_code == 200, done.text
                outcome[name] = done.json()["decisions"][0]
        assert outcome["default"]["rule"] == "hold-threat-on-t2-plus"
        assert outcome["acme"]["decision"] != "hold", outcome["acme"]
    finally:
        service.stop()


def test_a_bad_calibration_file_stops_start_up(tmp_path: Path) -> None:
    bad = _calibration(tmp_path, "acme")
    bad.write_text(bad.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        identity_secret=SECRET,
        guard={"calibration": [str(bad)]},
    )
    with pytest.raises(ConfigError, match=r"acme\.yaml:\d+: colour: unknown key"):
        Service(config).start()
    twice = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        identity_secret=SECRET,
        guard={"calibration": [str(_calibration(tmp_path, "x")), str(_calibration(tmp_path, "x"))]},
    )
    with pytest.raises(ConfigError, match="a second calibration for tenant x"):
        Service(twice).start()


def test_the_service_runs_the_detectors_its_file_names(db_url: str) -> None:
    """`guard.detectors` in the service file: an opt-in recogniser runs in `serve` (a
    new user's trial: the key was refused, so claim numbers were masked only on the
    command line); an unknown detector stops start-up naming the field."""
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        guard={"detectors": ["default", "claim_number"]},
    )
    service = Service(config).start()
    try:
        key = bearer(service.keys.create(["ingest"], "claims")[1])
        reply = {"text": "Your claim CLM-7654321 is approved for review.", "role": "assistant"}
        with TestClient(create_app(service), raise_server_exceptions=False) as client:
            [result] = client.post("/v1/scan", headers=key, json={"messages": [reply]}).json()[
                "results"
            ]
        assert "claim_number" in {f["detector"] for f in result["findings"]}
        assert "7654321" not in result["redacted"]
    finally:
        service.stop()
    wrong = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        guard={"detectors": ["default", "claim_numbr"]},
    )
    with pytest.raises(ConfigError, match=r"guard: unknown detector.*claim_numbr"):
        Service(wrong).start()
