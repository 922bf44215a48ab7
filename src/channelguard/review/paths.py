"""Every path to one action, ranked by attacker cost (`review --paths-to ACTION`).

For each path the model lists for the action, the cheapest attack that takes
that path as its last step, built from the engine's fixpoint (each earlier
step is an attack the engine kept for the action it builds on), so the chain
and every term are the engine's own. A path no attack can take (a factor it
needs is obtainable only through actions that cannot be completed) is listed
last, without an attack.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from channelguard.errors import InputError
from channelguard.model.loader import LoadedModel
from channelguard.review.combine import on_path
from channelguard.review.engine import Attack, EngineResult

__all__ = ["PathRank", "paths_to"]


@dataclass(frozen=True, kw_only=True, slots=True)
class PathRank:
    rank: int
    path: str
    channel: str
    attack: Attack | None  # None: no attack takes this path

    @property
    def expected_cost_usd(self) -> float:
        return math.inf if self.attack is None else self.attack.expected_cost_usd


def paths_to(loaded: LoadedModel, result: EngineResult, action: str) -> list[PathRank]:
    """The action's paths, cheapest expected attacker cost first (ties: model order).
    An unknown action is an InputError naming the closest ids."""
    assert result.memo is not None, "paths_to needs a result of cheapest_attacks"
    compiled, fronts = result.memo.compiled, result.memo.fronts
    if action not in compiled.paths:
        close = difflib.get_close_matches(action, list(compiled.paths), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise InputError(f"--paths-to: no action '{action}' in the model{hint}")
    channels = {p.id: p.channel for a in loaded.model.actions if a.id == action for p in a.paths}
    found = []
    for order, path in enumerate(compiled.paths[action]):
        attacks = on_path(compiled, action, path, fronts)
        best = min(attacks, key=lambda a: (a.expected_cost_usd, a.cost_usd), default=None)
        cost = math.inf if best is None else best.expected_cost_usd
        found.append((cost, order, path.id, channels.get(path.id, ""), best))
    found.sort(key=lambda t: (t[0], t[1]))
    return [
        PathRank(rank=i + 1, path=pid, channel=channel, attack=attack)
        for i, (_, _, pid, channel, attack) in enumerate(found)
    ]
