"""Figures the engine itself assumes, beyond the factor library. All are estimates."""

from __future__ import annotations

# When an action notifies the old contact, the genuine customer may stop a chain
# that builds on it before the attacker can use the result. Estimate: with a
# cooling-off of 24 h or more most notified customers react in time; without
# one the attacker usually moves faster than the customer reads the message.
INTERCEPT_NOTIFIED_WITH_COOLING_OFF = 0.6
INTERCEPT_NOTIFIED_NO_COOLING_OFF = 0.15
COOLING_OFF_EFFECTIVE_HOURS = 24.0

# What one unit of a control's friction (review/controls.py: 1 is one more tap for
# every legitimate customer on the path, 2 a wait or a call, 3 a lost channel) must
# protect for the plan to propose it: the impact of the action it changes plus of
# every action that can build on that one. Estimate: a step every customer takes
# is not worth it for a $10-$150 enquiry nothing else builds on; from $250 of impact
# per unit a one-tap push pays for itself, a callback from $500, closing a channel
# from $750.
FRICTION_USD = 250.0

# Enumerate every combination of any_of / obtainable options of a path up to
# this many; beyond, each requirement is chosen on its own (greedy).
EXACT_COMBINATIONS = 256


def intercept_probability(cooling_off_hours: float, notifies_old_contact: bool) -> float:
    """Chance the genuine customer stops a dependent chain; 0 without notification."""
    if not notifies_old_contact:
        return 0.0
    if cooling_off_hours >= COOLING_OFF_EFFECTIVE_HOURS:
        return INTERCEPT_NOTIFIED_WITH_COOLING_OFF
    return INTERCEPT_NOTIFIED_NO_COOLING_OFF


def intercept_detail(cooling_off_hours: float, notifies_old_contact: bool) -> str:
    """The intercept term in words, with the figure and the rule that chose it."""
    p = intercept_probability(cooling_off_hours, notifies_old_contact)
    if cooling_off_hours >= COOLING_OFF_EFFECTIVE_HOURS:
        why = (
            f"with a cooling-off of {cooling_off_hours:g} h (>= {COOLING_OFF_EFFECTIVE_HOURS:g} h)"
        )
    else:
        why = f"without a cooling-off of {COOLING_OFF_EFFECTIVE_HOURS:g} h or more"
    return (
        f"notifies the old contact: the genuine customer stops the chain with probability "
        f"{p:g} {why}, so the chain's probability is multiplied by {1 - p:g}"
    )
