"""The exposure review with the register: `channelguard review --incidents`.

An open incident that records a compromised factor (a leaked OTP seed, a
phished password list) makes that factor worthless to the defender: the model
is reviewed again with it compromised, and the actions newly exposed named.
"""

from __future__ import annotations

from typing import Any

from channelguard.model.loader import LoadedModel
from channelguard.register.store import IncidentStore
from channelguard.register.vocab import Status
from channelguard.review.compromise import Compromise, compromise
from channelguard.review.review import run_review

__all__ = ["review_with_incidents"]


def review_with_incidents(loaded: LoadedModel, store: IncidentStore) -> dict[str, Any]:
    """The review before and after the factors open incidents compromised."""
    items: list[Compromise] = []
    offset = 0
    while True:
        page, total = store.list(limit=500, offset=offset)
        for inc in page:
            if inc.status not in (Status.RESOLVED, Status.CLOSED):
                items += [Compromise.from_record(c, inc.id) for c in inc.compromised]
        offset += 500
        if offset >= total:
            break
    before = run_review(loaded, with_plan=False)
    after_model, notes = compromise(loaded, items)
    after = run_review(after_model, with_plan=False)
    was = {a.id: a for a in before.actions}
    rows = []
    for a in after.actions:
        old = was[a.id]
        rows.append(
            {
                "action": a.id,
                "tier": a.tier,
                "impact_usd": a.impact_usd,
                "expected_cost_before": old.expected_cost_usd,
                "expected_cost_after": a.expected_cost_usd,
                "exposed_before": old.exposed,
                "exposed_after": a.exposed,
                "newly_exposed": a.exposed and not old.exposed,
                "path_after": a.attack.final.path if a.attack else None,
            }
        )
    return {
        "compromised": [
            {"factor": c.factor, "scope": c.scope, "incident": c.incident} for c in items
        ],
        "notes": notes,
        "newly_exposed": [r["action"] for r in rows if r["newly_exposed"]],
        "actions": rows,
    }
