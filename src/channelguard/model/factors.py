"""Resolved factors: the built-in library merged with a model's own `factors:`."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

from channelguard.errors import ModelError
from channelguard.model.schema import Evidence, FactorSpec

__all__ = ["Factor", "builtin_specs", "expected_cost", "resolve_factor"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Factor:
    """A factor with every figure set; `success_probability` is per attempt."""

    id: str
    label: str
    attacker_cost_usd: float
    attacker_minutes: float
    success_probability: float
    attempts: int
    phishing_resistant: bool
    obtainable_via: tuple[str, ...]
    source: str
    source_date: str
    estimate: bool
    evidence: Evidence
    inbound: bool
    evidence_reason: str = ""  # why, when the class was derived rather than stated

    @property
    def pass_probability(self) -> float:
        """Chance the attacker passes within the attempts allowed: 1 - (1 - p)^attempts."""
        p = self.success_probability
        if p >= 1.0:
            return 1.0
        # expm1/log1p keep a tiny p (1e-17) from rounding to 1 - 1 = 0
        return -math.expm1(self.attempts * math.log1p(-p))


def expected_cost(cost_usd: float, probability: float) -> float:
    """Cost to succeed once: cost / probability. A probability that underflowed to 0
    (a product of many tiny ones) means the attack never succeeds: infinite cost."""
    if probability <= 0.0:
        return math.inf
    try:
        return cost_usd / probability
    except OverflowError:
        return math.inf


def builtin_specs() -> dict[str, FactorSpec]:
    """The shipped factor library, validated; a broken library stops start-up."""
    return dict(_library())


@functools.cache
def _library() -> tuple[tuple[str, FactorSpec], ...]:
    # package data never changes within a process: parse it once
    from channelguard.model.yamlsource import parse_yaml

    text = resources.files("channelguard").joinpath("data/factors.yaml").read_text("utf-8")
    doc = parse_yaml(text, "channelguard/data/factors.yaml")
    if doc.issues:
        raise ModelError(doc.issues)
    specs = {key: FactorSpec.model_validate(value) for key, value in doc.data.items()}
    for key, spec in specs.items():
        missing = _missing(spec)
        if missing or spec.source is None or spec.source_date is None or spec.evidence is None:
            raise ModelError([doc.issue((key,), f"library factor lacks {missing or 'source'}")])
    return tuple(specs.items())


def _missing(spec: FactorSpec) -> list[str]:
    names = ("attacker_cost_usd", "attacker_minutes", "success_probability")
    return [name for name in names if getattr(spec, name) is None]


def resolve_factor(factor_id: str, own: FactorSpec | None, base: FactorSpec | None) -> Factor:
    """Merge a model's spec over the library's; the caller has checked completeness."""
    merged = (base.model_dump(exclude_none=True) if base else {}) | (
        own.model_dump(exclude_none=True) if own else {}
    )
    overridden = own is not None and own.sets_numbers()
    derived = None
    if "evidence" not in merged and own is not None:
        from channelguard.model.evidence import derive_evidence

        derived = derive_evidence(factor_id, own)
    return Factor(
        id=factor_id,
        label=merged.get("label", factor_id),
        attacker_cost_usd=float(merged["attacker_cost_usd"]),
        attacker_minutes=float(merged["attacker_minutes"]),
        success_probability=float(merged["success_probability"]),
        attempts=int(merged.get("attempts", 1)),
        phishing_resistant=bool(merged.get("phishing_resistant", False)),
        obtainable_via=tuple(merged.get("obtainable_via", ())),
        source=str(merged.get("source", "")),
        source_date=str(merged.get("source_date", "")),
        # figures a model sets itself are its own claim, not ours
        estimate=bool(merged.get("estimate", False))
        if not overridden
        else bool(own.estimate if own and own.estimate is not None else False),
        evidence=derived.evidence
        if derived
        else Evidence(merged.get("evidence", Evidence.KNOWLEDGE)),
        inbound=derived.inbound if derived else bool(merged.get("inbound", True)),
        evidence_reason=derived.reason if derived else "",
    )
