"""One review: engine + policy + choke points + plan, as one immutable result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Path
from channelguard.review.assumptions import FRICTION_USD
from channelguard.review.candidates import candidates
from channelguard.review.controls import CONTROLS
from channelguard.review.engine import Attack, EngineResult, cheapest_attacks
from channelguard.review.exposure import exceeds
from channelguard.review.greedy import Progress
from channelguard.review.plan import PlanItem, PlanOutcome, plan_within, replay
from channelguard.review.policy import PolicyFinding, check_policy
from channelguard.review.state import exposed

__all__ = ["NO_PLAN", "ActionReview", "ChokePoint", "Review", "run_review"]

NO_PLAN = "no plan computed (--no-plan): nothing is known about what a plan would leave exposed"


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionReview:
    id: str
    description: str
    tier: str
    impact_usd: float
    owner: str
    attack: Attack | None
    findings: tuple[PolicyFinding, ...]

    @property
    def expected_cost_usd(self) -> float | None:
        return None if self.attack is None else self.attack.expected_cost_usd

    @property
    def exposed(self) -> bool:
        cost = self.expected_cost_usd
        return cost is not None and exceeds(self.impact_usd, cost)

    @property
    def exposure_ratio(self) -> float | None:
        """Impact over expected attack cost: above 1 the attack pays."""
        cost = self.expected_cost_usd
        if cost is None:
            return None
        return self.impact_usd / cost if cost > 0 else float("inf")


@dataclass(frozen=True, kw_only=True, slots=True)
class ChokePoint:
    """A path or factor on the cheapest attack of several exposed actions."""

    kind: str  # "path" or "factor"
    id: str  # "action/path" or a factor id
    actions: tuple[str, ...]
    impact_usd: float


@dataclass(frozen=True, kw_only=True)
class Review:
    organization: str
    version: str
    file: str
    actions: tuple[ActionReview, ...]
    findings: tuple[PolicyFinding, ...]
    chokepoints: tuple[ChokePoint, ...]
    plan: tuple[PlanItem, ...]
    # None: no plan was computed (--no-plan), so nothing is known about what a plan
    # would leave exposed; an empty tuple means the plan leaves nothing exposed
    residual_exposed: tuple[str, ...] | None
    engine: EngineResult
    derived_factors: tuple[tuple[str, str, str], ...] = ()  # (factor, evidence class, why)
    plan_complete: bool = True  # False: --plan-budget ran out; plan_note says how far it got
    plan_note: str = ""
    residual_why: dict[str, str] = field(default_factory=dict)  # action -> why still exposed
    plan_computed: bool = True  # False: --no-plan; `plan` is empty and says nothing
    # action -> expected attacker cost once every plan item is in place (None: no plan)
    cost_after_plan: dict[str, float] | None = None

    def after_plan(self, action: str) -> float | None:
        """The action's expected cost after the plan; None when no plan was computed."""
        if self.cost_after_plan is None:
            return None
        return self.cost_after_plan.get(action)

    @property
    def exposed(self) -> list[ActionReview]:
        return [a for a in self.actions if a.exposed]


def run_review(
    loaded: LoadedModel,
    *,
    with_plan: bool = True,
    plan_budget: float | None = None,
    progress: Progress | None = None,
) -> Review:
    engine = cheapest_attacks(loaded)
    # most severe first, in every format that lists them
    severity = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    findings = sorted(check_policy(loaded), key=lambda f: (severity[f.severity], f.rule, f.action))
    by_action: dict[str, list[PolicyFinding]] = defaultdict(list)
    for f in findings:
        by_action[f.action].append(f)
    actions = tuple(
        ActionReview(
            id=a.id,
            description=a.description,
            tier=a.tier.value,
            impact_usd=a.impact_usd,
            owner=a.owner.value,
            attack=engine.attacks[a.id],
            findings=tuple(by_action[a.id]),
        )
        for a in loaded.model.actions
    )
    outcome = (
        plan_within(loaded, budget_seconds=plan_budget, progress=progress, engine=engine)
        if with_plan
        else PlanOutcome(items=(), complete=True)
    )
    plan = outcome.items
    residual: tuple[str, ...] | None = None
    why: dict[str, str] = {}
    after_costs: dict[str, float] | None = None
    if with_plan:
        after, result = outcome.after or (replay(loaded, list(plan)), None)
        result = result or cheapest_attacks(after)
        still = exposed(after, result)
        residual = tuple(a.id for a in after.model.actions if a.id in still)
        why = _why_still_exposed(after, result, residual, outcome, engine)
        after_costs = {a.id: result.expected_cost(a.id) for a in after.model.actions}
    return Review(
        organization=loaded.model.organization,
        version=loaded.model.version,
        file=loaded.file,
        actions=actions,
        findings=tuple(findings),
        chokepoints=tuple(chokepoints(actions)),
        plan=plan,
        residual_exposed=residual,
        engine=engine,
        derived_factors=derived_factors(loaded),
        plan_complete=outcome.complete and with_plan,
        plan_note=outcome.note if with_plan else NO_PLAN,
        residual_why=why,
        plan_computed=with_plan,
        cost_after_plan=after_costs,
    )


def _why_still_exposed(
    loaded: LoadedModel,
    result: EngineResult,
    residual: tuple[str, ...],
    outcome: PlanOutcome,
    before: EngineResult,
) -> dict[str, str]:
    """For each action the plan leaves exposed, why: no control reaches it, or the
    ones that do still leave it cheaper than its impact, or the plan stopped."""
    if not residual:
        return {}
    if not outcome.complete:
        return dict.fromkeys(residual, "the plan budget ran out before it got here")
    reach: dict[str, int] = defaultdict(int)
    for _, target in candidates(loaded):
        reach[target.action] += 1
    impact = {a.id: a.impact_usd for a in loaded.model.actions}
    by_id = {a.id: a for a in loaded.model.actions}
    out = {}
    for action in residual:
        attack = result.attacks.get(action)
        steps = [s.action for s in attack.steps] if attack is not None else [action]
        cost, was = result.expected_cost(action), before.expected_cost(action)
        raised = (
            f"the plan raises it from ${was:,.2f} to ${cost:,.2f}"
            if cost > was * (1 + 1e-9)
            else f"it stays at ${cost:,.2f}"
        )
        if not any(reach[s] for s in steps) and _unwarranted(loaded, by_id, steps):
            out[action] = (
                f"{raised} against ${impact[action]:,.0f} of impact; the controls that reach "
                f"it cost more friction than the impact behind it warrants (the plan asks "
                f"${FRICTION_USD:,.0f} of impact per unit of friction)"
            )
        elif not any(reach[s] for s in steps):
            path = attack.final.path if attack is not None else "?"
            out[action] = (
                f"{raised} against ${impact[action]:,.0f} of impact; no control left in the "
                f"catalogue reaches its cheapest path ('{path}'): change the path or add "
                "evidence by hand"
            )
        else:
            out[action] = (
                f"no change in the catalogue closes it: {raised}, against "
                f"${impact[action]:,.0f} of impact"
            )
    return out


def _unwarranted(loaded: LoadedModel, by_id: dict[str, Action], steps: list[str]) -> bool:
    """A catalogue control fits a step of the attack, but none is worth its friction."""
    for step in steps:
        action = by_id[step]
        paths: list[Path | None] = [*action.paths] if action.paths else [None]
        for control in CONTROLS:
            wheres = paths if control.path_level else [None]
            if any(control.fits(loaded, action, p) for p in wheres):
                return True
    return False


def derived_factors(loaded: LoadedModel) -> tuple[tuple[str, str, str], ...]:
    """Factors the model defines without `evidence`, with the class read from their fields."""
    return tuple(
        (f.id, f.evidence.value, f.evidence_reason)
        for f in sorted(loaded.factors.values(), key=lambda f: f.id)
        if f.evidence_reason
    )


def chokepoints(actions: tuple[ActionReview, ...], limit: int = 8) -> list[ChokePoint]:
    """Paths and factors shared by the cheapest attacks on exposed actions, by impact."""
    paths: dict[str, set[str]] = defaultdict(set)
    factors: dict[str, set[str]] = defaultdict(set)
    impact = {a.id: a.impact_usd for a in actions}
    for a in actions:
        if not a.exposed or a.attack is None:
            continue
        for step in a.attack.steps:
            paths[f"{step.action}/{step.path}"].add(a.id)
            for f in step.factors:
                factors[f].add(a.id)
    points = [
        ChokePoint(
            kind=kind, id=key, actions=tuple(sorted(ids)), impact_usd=sum(impact[i] for i in ids)
        )
        for kind, table in (("path", paths), ("factor", factors))
        for key, ids in table.items()
        if len(ids) > 1
    ]
    points.sort(key=lambda p: (-p.impact_usd, -len(p.actions), p.kind, p.id))
    return points[:limit]
