"""Regulatory and operational clocks on an incident: what is due, by when, and
whether it was met.

- GDPR Art. 33: a personal-data breach is notified to the supervisory authority
  within 72 hours of awareness.
- EU AI Act Art. 73: a serious incident is reported within 15 days of awareness;
  2 days for a widespread infringement or a serious disruption of critical
  infrastructure; 10 days in the event of a death.
- Wire recall: the bank's recall (the FBI IC3 Financial Fraud Kill Chain) works
  within 72 hours of the transfer; sooner is better.

A clock starts at the incident's detection time. Its state is computed when it
is read: running, overdue, met (done in time) or late (done after its due time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["CLOCKS", "ClockKind", "clock_state", "clocks_for"]


class ClockKind(StrEnum):
    GDPR_BREACH = "gdpr_breach_notification"
    AI_ACT_SERIOUS = "eu_ai_act_serious_incident"
    AI_ACT_WIDESPREAD = "eu_ai_act_widespread_or_critical_infrastructure"
    AI_ACT_DEATH = "eu_ai_act_death"
    WIRE_RECALL = "wire_recall"


@dataclass(frozen=True, kw_only=True, slots=True)
class ClockRule:
    kind: ClockKind
    label: str
    hours: float
    basis: str


CLOCKS = {
    c.kind: c
    for c in (
        ClockRule(
            kind=ClockKind.GDPR_BREACH,
            label="Notify the supervisory authority of the personal-data breach",
            hours=72,
            basis="GDPR Art. 33(1)",
        ),
        ClockRule(
            kind=ClockKind.AI_ACT_SERIOUS,
            label="Report the serious incident to the market-surveillance authority",
            hours=15 * 24,
            basis="EU AI Act Art. 73(2)",
        ),
        ClockRule(
            kind=ClockKind.AI_ACT_WIDESPREAD,
            label="Report the widespread infringement or critical-infrastructure disruption",
            hours=2 * 24,
            basis="EU AI Act Art. 73(3)",
        ),
        ClockRule(
            kind=ClockKind.AI_ACT_DEATH,
            label="Report the serious incident involving a death",
            hours=10 * 24,
            basis="EU AI Act Art. 73(4)",
        ),
        ClockRule(
            kind=ClockKind.WIRE_RECALL,
            label="Recall the fraudulent wire through the bank (sooner is better)",
            hours=72,
            basis="FBI IC3 Financial Fraud Kill Chain",
        ),
    )
}


def clocks_for(
    *, harm_type: str, personal_data: bool, ai_act: str | None, money_moved: bool
) -> list[ClockKind]:
    """The clocks that apply to an incident by what happened."""
    out: list[ClockKind] = []
    if personal_data or harm_type == "personal_data_leak":
        out.append(ClockKind.GDPR_BREACH)
    if ai_act == "serious":
        out.append(ClockKind.AI_ACT_SERIOUS)
    elif ai_act == "widespread":
        out.append(ClockKind.AI_ACT_WIDESPREAD)
    elif ai_act == "death":
        out.append(ClockKind.AI_ACT_DEATH)
    if money_moved:
        out.append(ClockKind.WIRE_RECALL)
    return out


def clock_state(due: datetime, done: datetime | None, now: datetime) -> str:
    if done is not None:
        return "met" if done <= due else "late"
    return "overdue" if now > due else "running"
