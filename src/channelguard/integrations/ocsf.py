"""Incidents and decisions as OCSF events for a SIEM (`pip install
'channelguard[siem]'`): each one an OCSF Detection Finding (class 2004), built
and checked by `py-ocsf-models`, and written as JSON lines for a log shipper.

- An incident (the register's JSON shape, `incidents export --format json`)
  becomes a finding whose uid is stable per tenant and id; its activity is
  Create for version 1, Update after, Close once closed; severity and status
  map to OCSF's; channelguard's own fields (domain, cause, harm type, OWASP and
  ATLAS ids, lead, overdue clocks) are under `unmapped.channelguard`.
- A decision (as `channelguard decide` writes it) becomes a finding of
  severity Informational (allow), Low (step up), Medium (deny) or High (hold),
  with its risk as `risk_score` (0-100) and the whole decision under
  `unmapped.channelguard`.

OCSF has no "Incident Finding" class in this library, so both are Detection
Findings; `finding_info.types` says which (`channelguard.incident` or
`channelguard.decision`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from channelguard import InputError, __version__
from channelguard.errors import DependencyError

try:
    from py_ocsf_models import OCSF_VERSION
    from py_ocsf_models.events.findings.activity_id import ActivityID
    from py_ocsf_models.events.findings.detection_finding import DetectionFinding
    from py_ocsf_models.events.findings.detection_finding_type_id import DetectionFindingTypeID
    from py_ocsf_models.events.findings.severity_id import SeverityID
    from py_ocsf_models.events.findings.status_id import StatusID
    from py_ocsf_models.objects.finding_info import FindingInformation
    from py_ocsf_models.objects.metadata import Metadata
    from py_ocsf_models.objects.product import Product
except ImportError:  # pragma: no cover - exercised in a subprocess test
    raise DependencyError("py-ocsf-models", "siem") from None

__all__ = ["decision_event", "incident_event", "write_jsonl"]

PRODUCT = Product(name="channelguard", vendor_name="channelguard", version=__version__)
SEVERITY = {
    "low": SeverityID.Low,
    "medium": SeverityID.Medium,
    "high": SeverityID.High,
    "critical": SeverityID.Critical,
}
STATUS = {
    "open": StatusID.New,
    "triaged": StatusID.InProgress,
    "contained": StatusID.InProgress,
    "resolved": StatusID.Resolved,
    "closed": StatusID.Archived,
}
DECISION_SEVERITY = {
    "allow": SeverityID.Informational,
    "step_up": SeverityID.Low,
    "deny": SeverityID.Medium,
    "hold": SeverityID.High,
}
ACTIVITY_TYPE = {
    ActivityID.Create: DetectionFindingTypeID.Create,
    ActivityID.Update: DetectionFindingTypeID.Update,
    ActivityID.Close: DetectionFindingTypeID.Close,
}


def incident_event(incident: dict[str, Any]) -> dict[str, Any]:
    """One incident of the register as an OCSF Detection Finding (a JSON object)."""
    severity = _pick(SEVERITY, incident, "severity")
    status = _pick(STATUS, incident, "status")
    if incident["status"] == "closed":
        activity = ActivityID.Close
    else:
        activity = ActivityID.Create if incident.get("version", 1) == 1 else ActivityID.Update
    tenant = str(incident.get("tenant", "default"))
    uid = f"channelguard:incident:{tenant}:{incident['id']}"
    updated = _ms(incident.get("updated_at") or incident["created_at"])
    overdue = [c["kind"] for c in incident.get("clocks", []) if c.get("state") == "overdue"]
    finding = DetectionFinding(
        activity_id=activity,
        activity_name=activity.name,
        type_uid=ACTIVITY_TYPE[activity],
        time=updated,
        severity_id=severity,
        severity=severity.name,
        status_id=status,
        status=status.name,
        message=str(incident["title"]),
        metadata=_metadata(f"{uid}:v{incident.get('version', 1)}", tenant),
        finding_info=FindingInformation(
            uid=uid,
            title=str(incident["title"]),
            desc=str(incident.get("summary") or "") or None,
            types=["channelguard.incident", str(incident["domain"]), str(incident["harm_type"])],
            created_time=_ms(incident["created_at"]),
            first_seen_time=_ms(incident.get("detected_at") or incident["created_at"]),
            modified_time=updated,
        ),
        unmapped={
            "channelguard": {
                key: incident.get(key)
                for key in ("domain", "cause", "harm_type", "owasp", "atlas", "lead", "playbook")
            }
            | {"clocks_overdue": overdue, "failed_control": incident.get("failed_control")}
        },
    )
    return _dump(finding)


def decision_event(decision: dict[str, Any], *, at: datetime | None = None) -> dict[str, Any]:
    """One decision (as `channelguard decide` writes it) as an OCSF Detection Finding."""
    severity = _pick(DECISION_SEVERITY, decision, "decision")
    when = int((at or datetime.now(UTC)).timestamp() * 1000)
    uid = f"channelguard:decision:{uuid.uuid4().hex}"  # decisions carry no id of their own
    finding = DetectionFinding(
        activity_id=ActivityID.Create,
        activity_name=ActivityID.Create.name,
        type_uid=DetectionFindingTypeID.Create,
        time=when,
        severity_id=severity,
        severity=severity.name,
        status_id=StatusID.New,
        message="; ".join(decision.get("reasons", [])) or str(decision["decision"]),
        metadata=_metadata(uid, None),
        finding_info=FindingInformation(
            uid=uid,
            title=f"{decision['decision']}: {decision['action']} (session {decision['session']})",
            types=["channelguard.decision", str(decision["decision"])],
            created_time=when,
        ),
        risk_score=round(float(decision.get("risk", 0.0)) * 100),
        unmapped={"channelguard": dict(decision)},
    )
    return _dump(finding)


def write_jsonl(events: Iterable[dict[str, Any]], sink: TextIO) -> int:
    """Write events one JSON object a line (for a log shipper); returns how many."""
    count = 0
    for event in events:
        sink.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def _pick(table: dict[str, Any], record: dict[str, Any], key: str) -> Any:
    value = record.get(key)
    if value not in table:
        raise InputError(f"field '{key}': {value!r} is not one of {', '.join(table)}")
    return table[value]


def _metadata(uid: str, tenant: str | None) -> Metadata:
    return Metadata(product=PRODUCT, version=OCSF_VERSION, uid=uid, tenant_uid=tenant)


def _ms(stamp: str) -> int:
    try:
        parsed = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        raise InputError(f"not an ISO 8601 time: {stamp!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def _dump(finding: DetectionFinding) -> dict[str, Any]:
    out: dict[str, Any] = finding.model_dump(mode="json", exclude_none=True)
    return out
