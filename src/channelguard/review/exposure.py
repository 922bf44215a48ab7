"""When an action is exposed: the contract's one comparison, in one place."""

from __future__ import annotations

import math

__all__ = ["exceeds"]


def exceeds(impact: float, cost: float) -> bool:
    """The impact exceeds the expected cost: the action is exposed (the contract's
    definition). Equal but for the last bits of a floating-point sum is break-even,
    not exposed: $150 + $150 at 0.1 x 0.1 computes to $29,999.999999999993 against a
    $30,000 impact."""
    return impact > cost and not math.isclose(impact, cost, rel_tol=1e-9)
