"""Cross-domain risk: a safety failure that hands an attacker a factor.

An incident can record that a factor is compromised (the AI agent leaked account
details or one-time codes). The review re-runs with those factors made cheap:

- scope `all`: the value is known for every customer; the attacker pays the
  recorded cost (default $1), needs 5 minutes at most and passes every time;
- scope `some`: known for some customers; same cost and time, and the attacker
  passes at least half the time (aiming at the customers it has).

The difference between the two reviews is the answer to "which actions did
this safety failure expose".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from channelguard.errors import InputError
from channelguard.model.loader import LoadedModel

__all__ = ["Compromise", "compromise"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Compromise:
    factor: str
    scope: str  # all | some
    attacker_cost_usd: float
    incident: int | None = None

    @classmethod
    def from_record(cls, record: dict[str, Any], incident: int | None = None) -> Compromise:
        return cls(
            factor=str(record["factor"]),
            scope=str(record.get("scope", "some")),
            attacker_cost_usd=float(record.get("attacker_cost_usd", 1.0)),
            incident=incident,
        )


def compromise(loaded: LoadedModel, items: list[Compromise]) -> tuple[LoadedModel, list[str]]:
    """The model with the compromised factors made cheap, and a note for each
    compromised factor the model does not use (it changes nothing here)."""
    factors = dict(loaded.factors)
    notes = []
    for item in items:
        factor = factors.get(item.factor)
        if factor is None:
            notes.append(f"factor '{item.factor}' (incident {item.incident}) is not used here")
            continue
        if item.scope not in ("all", "some"):
            raise InputError(f"compromised factor '{item.factor}': scope must be all or some")
        floor = 1.0 if item.scope == "all" else 0.5
        factors[item.factor] = replace(
            factor,
            attacker_cost_usd=min(factor.attacker_cost_usd, item.attacker_cost_usd),
            attacker_minutes=min(factor.attacker_minutes, 5.0),
            success_probability=max(factor.success_probability, floor),
        )
    return replace(loaded, factors=factors), notes
