"""Streams of decisions and verifications written into a real register as the
service stores them (a decision's body is `Decision.to_dict()`), backdated so
that days of history exist: the Ledger stamps rows with the wall clock, so it
cannot write the past."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from channelguard.decide.evidence import FindingSeen, SessionFinding, SignalSeen
from channelguard.decide.session import Decision
from channelguard.register.db import Database
from channelguard.register.tables import DecisionRow, EventRow, SessionRow

DAY = timedelta(days=1)
MIX = {"allow": 0.70, "step_up": 0.18, "hold": 0.09, "deny": 0.03}


def write_stream(
    db: Database,
    *,
    until: datetime,
    days: int = 8,
    per_day: int = 200,
    tenant: str = "acme",
    channel: str = "ai_chat",
    shifted: bool = False,
    seed: int = 7,
) -> None:
    """`days` days before `until`; with `shifted`, the last day carries a new scam
    script: `callback_lure` on a fifth of the decisions (3% before), high scores,
    and those sessions held."""
    rng = random.Random(seed)
    start = until - days * DAY
    with db.begin() as s:
        for day in range(days):
            shift = shifted and day == days - 1
            for n in range(per_day):
                at = start + day * DAY + timedelta(seconds=rng.uniform(1, 86_000))
                session = f"{tenant}-{seed}-{day}-{n}"
                s.add(
                    SessionRow(
                        id=session,
                        tenant=tenant,
                        state={"channel": channel},
                        events=3,
                        updated_at=at,
                    )
                )
                outcome = rng.choices(list(MIX), weights=list(MIX.values()))[0]
                findings: list[SessionFinding] = []
                if rng.random() < (0.20 if shift else 0.03):
                    score = round(rng.betavariate(8 if shift else 4, 2), 3)
                    findings.append(
                        FindingSeen(
                            message=1, detector="callback_lure", category="fraud", score=score
                        )
                    )
                    outcome = "hold" if shift else outcome
                if rng.random() < 0.05:
                    findings.append(SignalSeen(signal="new_device", score=0.6))
                decision = Decision(
                    session=session,
                    action="wire_transfer",
                    decision=outcome,  # type: ignore[arg-type]
                    required=(),
                    risk=0.5,
                    reasons=("test stream",),
                    message="",
                    rule="test",
                    findings=tuple(findings),
                )
                s.add(
                    DecisionRow(
                        tenant=tenant,
                        session=session,
                        seq=3,
                        action="wire_transfer",
                        decision=outcome,
                        rule="test",
                        at=at,
                        body=decision.to_dict(),
                    )
                )
                result = "fail" if rng.random() < 0.08 else "pass"
                body = {
                    "type": "verification",
                    "factor": "otp_sms",
                    "result": result,
                    "session": session,
                }
                s.add(EventRow(tenant=tenant, session=session, seq=2, at=at, body=body))
