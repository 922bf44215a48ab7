"""What the engine finds for an action: the attacker's steps in order, each with its
own figures, and the terms beyond the factors that changed a chain's figures."""

from __future__ import annotations

from dataclasses import dataclass

from channelguard.model.factors import expected_cost

__all__ = ["Attack", "Front", "Step", "Term"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Term:
    """A figure beyond the factors that changes a chain's cost, time or probability,
    stated so a reader can recompute the chain (shared/spec/channel-model.md):
    `approvals` (the path's second approvers, counted in its factors), and, on a step
    a later one builds on, `notifies_old_contact` and `cooling_off`."""

    kind: str  # "approvals" | "notifies_old_contact" | "cooling_off"
    action: str  # the step it belongs to
    probability_factor: float = 1.0  # the chain's probability is multiplied by this
    minutes: float = 0.0  # added to the chain's time
    detail: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Step:
    """One action the attacker completes: the path taken and what it cost alone."""

    action: str
    path: str
    factors: tuple[str, ...]
    obtained: tuple[str, ...]
    cost_usd: float
    minutes: float
    success_probability: float
    terms: tuple[Term, ...] = ()  # the path's own terms (approvals)


@dataclass(frozen=True, kw_only=True, slots=True)
class Attack:
    """The attacker's plan for one action: steps in order, the last is the action."""

    steps: tuple[Step, ...]
    cost_usd: float
    minutes: float
    success_probability: float
    chain_terms: tuple[Term, ...] = ()  # terms from building on earlier steps

    def terms_of(self, step: Step) -> tuple[Term, ...]:
        """Every term that changed this step's part of the figures."""
        return step.terms + tuple(t for t in self.chain_terms if t.action == step.action)

    @property
    def expected_cost_usd(self) -> float:
        return expected_cost(self.cost_usd, self.success_probability)

    @property
    def final(self) -> Step:
        return self.steps[-1]

    def actions(self) -> tuple[str, ...]:
        return tuple(step.action for step in self.steps)


Front = list[Attack]  # an action's Pareto front of attacks (front.py)
