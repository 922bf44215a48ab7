"""Instants are stored and compared in UTC on every database: a `detected_at`
with a +05:00 offset starts the GDPR clock at the right instant, and `since=`
in any offset filters at the right instant (SQLite dropped the offset: a clock
five hours late, a filter five hours off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from channelguard.register.records import IncidentIn
from tests.conftest import DEEPFAKE_WIRE
from tests.serve.conftest import Api

PLUS_FIVE = timezone(timedelta(hours=5))


def test_a_detected_at_with_an_offset_gives_the_right_gdpr_clock(api: Api) -> None:
    body = {**DEEPFAKE_WIRE, "personal_data": True, "detected_at": "2026-03-01T10:00:00+05:00"}
    made = api.client.post("/v1/incidents", headers=api.admin, json=body)
    assert made.status_code == 201, made.text
    found = api.client.get(f"/v1/incidents/{made.json()['id']}", headers=api.read).json()
    assert found["detected_at"] == "2026-03-01T05:00:00+00:00"
    gdpr = next(c for c in found["clocks"] if c["kind"] == "gdpr_breach_notification")
    assert gdpr["started_at"] == "2026-03-01T05:00:00+00:00"
    assert gdpr["due_at"] == "2026-03-04T05:00:00+00:00"


def test_since_in_any_offset_filters_at_the_right_instant(api: Api) -> None:
    api.service.store.create(IncidentIn.model_validate(DEEPFAKE_WIRE), "t")
    now = datetime.now(UTC)
    for zone in (UTC, PLUS_FIVE, timezone(timedelta(hours=-7))):
        before = (now - timedelta(minutes=5)).astimezone(zone).isoformat()
        after = (now + timedelta(minutes=5)).astimezone(zone).isoformat()
        listed = api.client.get("/v1/incidents", headers=api.read, params={"since": before})
        assert listed.json()["total"] == 1, (zone, before)
        later = api.client.get("/v1/incidents", headers=api.read, params={"since": after})
        assert later.json()["total"] == 0, (zone, after)


def test_the_store_hands_back_utc_for_an_offset_it_was_given(api: Api) -> None:
    data = IncidentIn.model_validate(
        {**DEEPFAKE_WIRE, "detected_at": datetime(2026, 3, 1, 10, tzinfo=PLUS_FIVE)}
    )
    made = api.service.store.create(data, "t")
    assert made["detected_at"] == "2026-03-01T05:00:00+00:00"


def test_an_instant_that_cannot_be_placed_in_utc_is_422_never_500(api: Api) -> None:
    """9999-12-31T23:59:59-23:59 is a valid ISO time past the last UTC instant
    Python can hold; 9999-12-31Z has no room for its incident's clocks. Both were
    an OverflowError (500) on create and, for a read key, on `since=`."""
    for at in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9999-12-31T00:00:00Z"):
        body = {**DEEPFAKE_WIRE, "personal_data": True, "money_moved": True, "detected_at": at}
        made = api.client.post("/v1/incidents", headers=api.admin, json=body)
        assert made.status_code == 422, (at, made.text)
        assert "detected_at" in made.json()["error"]["message"]
        listed = api.client.get("/v1/incidents", headers=api.read, params={"since": at})
        assert listed.status_code in (200, 422), (at, listed.text)
    for at in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"):
        listed = api.client.get("/v1/incidents", headers=api.read, params={"since": at})
        assert listed.status_code == 422 and "since" in listed.text, (at, listed.text)
    old = api.client.get("/v1/incidents", headers=api.read, params={"since": "0001-01-01T00:00Z"})
    assert old.status_code == 200, old.text


def test_a_detection_in_the_future_or_before_2000_is_refused(api: Api) -> None:
    """Every caller is untrusted, including the clock it claims: a detection "in 2099"
    was stored with a GDPR clock 631,806 hours long (a new user's trial)."""
    for at in ("2099-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z"):
        body = {**DEEPFAKE_WIRE, "personal_data": True, "detected_at": at}
        made = api.client.post("/v1/incidents", headers=api.admin, json=body)
        assert made.status_code == 422, (at, made.text)
        assert "detected_at" in made.json()["error"]["message"], made.text
    # a caller's clock a minute ahead of ours is no attack
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    made = api.client.post(
        "/v1/incidents", headers=api.admin, json={**DEEPFAKE_WIRE, "detected_at": soon}
    )
    assert made.status_code == 201, made.text
