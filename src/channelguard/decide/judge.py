"""The rules that decide one action request, in order (rules.py names them):
what cannot be placed or weighed, repeated failures, the threat seen,
cooling-offs, then a satisfied path (allow) or the missing evidence (step up).
Each returns a Verdict; an action's paths are worked out on its first request."""

from __future__ import annotations

from channelguard.decide.routes import Route, routes_for_action
from channelguard.decide.rules import DecisionKind, RuleId, Verdict
from channelguard.decide.state import SessionState
from channelguard.decide.step import RunState
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Tier

__all__ = ["MAX_FAILURES", "TIER_RISK", "Judge"]

TIER_RISK = {Tier.T0: 0.02, Tier.T1: 0.1, Tier.T2: 0.3, Tier.T3: 0.5, Tier.T4: 0.7}
MAX_FAILURES = 3


class Judge:
    def __init__(self, loaded: LoadedModel, threshold: float) -> None:
        self.loaded = loaded
        self.threshold = threshold  # the guard's: a threat at it holds T2+
        self.actions = {a.id: a for a in loaded.model.actions}
        self.channels = {c.id for c in loaded.model.channels}
        self._routes: dict[str, list[Route]] = {}  # per action, on first request

    def judge(self, run: RunState, state: SessionState, action_id: str, now: float) -> Verdict:
        """The verdict on `action_id`: rules 1 and 1b (what cannot be placed or
        weighed), then the weighing."""
        action = self.actions.get(action_id)
        if action is None:
            why = f"'{action_id}' is not in the channel model: never allowed"
            return _verdict("deny", RuleId.DENY_UNKNOWN_ACTION, 1.0, [why])
        if state.channel not in self.channels:
            where = f"unknown channel '{state.channel}'" if state.channel else "no channel given"
            why = f"{where}: the request cannot be placed on a path"
            return _verdict("deny", RuleId.DENY_UNKNOWN_CHANNEL, 1.0, [why])
        here = [r for r in self.routes_of(action) if r.channel == state.channel]
        if not here:
            others = sorted({r.channel for r in self.routes_of(action)})
            why = f"'{action_id}' has no path on '{state.channel}'"
            why += f"; use {', '.join(others)}" if others else ""
            return _verdict("deny", RuleId.DENY_NO_PATH_HERE, 1.0, [why])
        if state.tainted and action.tier.rank >= 2:
            why = "this session sent evidence that could not be weighed: a human must review"
            reasons = [f"{action.tier.value} action", why, *state.tainted[:3]]
            return _verdict("hold", RuleId.HOLD_UNWEIGHABLE_EVIDENCE, 1.0, reasons)
        return self._weigh(run, state, action, here, now)

    def _weigh(
        self, run: RunState, state: SessionState, action: Action, here: list[Route], now: float
    ) -> Verdict:
        """Rules 2 and 3: repeated failures, the threat seen, cooling-offs."""
        threat, threat_reasons = run.memory.threat(run.session_id, state, now)
        risk = 1 - (1 - TIER_RISK[action.tier]) * (1 - threat)
        reasons = [f"{action.tier.value} action, impact ${action.impact_usd:,.0f}", *threat_reasons]
        rank = action.tier.rank
        needed = {f for r in here for group in r.requires for f in group}
        failed = sorted(f for f, n in state.failures.items() if n >= MAX_FAILURES and f in needed)
        if failed:
            why = f"verification failed {MAX_FAILURES} times or more: {', '.join(failed)}"
            return _verdict("hold", RuleId.HOLD_REPEATED_FAILURES, risk, [*reasons, why])
        if threat >= self.threshold and rank >= 2:
            why = "pressure or attack signals in this session on a T2+ action: a human must review"
            return _verdict("hold", RuleId.HOLD_THREAT_ON_T2_PLUS, risk, [*reasons, why])
        # a request that is sensitive by itself (new bank details and a payment, asked
        # plainly) is what verification is for: it holds nothing, it is weighed. T2+
        # is allowed below only on a path that meets the tier policy (as written or
        # hardened), so it takes the session's full verification.
        asked = [why for score, why, _ in state.requests if score >= self.threshold]
        if asked and rank >= 2:
            reasons.append(
                f"sensitive request ({asked[0]}): weighed against the verification passed"
            )
        verified = set(state.verified)
        cooling = (
            run.memory.cooling(run.session_id, state, now, self.loaded.factors) if rank >= 2 else {}
        )
        if rank >= 2:
            cooling = {**self._set_up_here(state), **cooling}
        if cooling and verified & set(cooling):
            usable = verified - set(cooling)
            if any(r.satisfied(verified) for r in here) and not any(
                r.satisfied(usable) for r in here
            ):
                why = cooling[sorted(verified & set(cooling))[0]]
                return _verdict("hold", RuleId.HOLD_COOLING_OFF, risk, [*reasons, why])
            verified = usable
        return self._route(state, action, here, verified, risk, reasons)

    def _set_up_here(self, state: SessionState) -> dict[str, str]:
        """Factors obtainable via an action allowed earlier in this session: a callback
        to a number changed minutes ago proves only that the caller changed it. Held
        out for T2+ whatever the model's cooling-off (0 h included)."""
        out: dict[str, str] = {}
        if not state.changed:  # most sessions: no walk over the model's factors
            return out
        for fid, factor in self.loaded.factors.items():
            done = [a for a in factor.obtainable_via if a in state.changed]
            if done:
                out[fid] = (
                    f"'{done[0]}' was done earlier in this session: {fid} cannot authorize "
                    "this in the same session (the caller could have set it up)"
                )
        return out

    def _route(
        self,
        state: SessionState,
        action: Action,
        here: list[Route],
        verified: set[str],
        risk: float,
        reasons: list[str],
    ) -> Verdict:
        """Rules 4 and 5: allow on a satisfied path, else step up (or hold)."""
        rank = action.tier.rank
        # allowed as written: a route that meets the policy unchanged (T0-T1: any route)
        for route in here:
            if (rank <= 1 or (route.sound and not route.controls)) and route.satisfied(verified):
                why = f"path '{route.path}' satisfied"
                return _verdict("allow", RuleId.ALLOW_POLICY_PATH, risk, [*reasons, why])
        sound = [r for r in here if r.sound]
        for route in sound:
            if route.satisfied(verified):
                why = f"path '{route.path}' with {', '.join(route.controls)} satisfied"
                return _verdict("allow", RuleId.ALLOW_HARDENED_PATH, risk, [*reasons, why])
        if not sound:
            if rank >= 2:
                why = f"no path on '{state.channel}' meets the {action.tier.value} policy"
                first = [r.violations[0] for r in here if r.violations][:1]
                reasons = [*reasons, why + ": a human must review", *first]
                return _verdict("hold", RuleId.HOLD_NO_SOUND_PATH, risk, reasons)
            nearest = min(here, key=lambda r: len(r.missing(verified)))
            why = f"path '{nearest.path}' needs more evidence"
            return _verdict("step_up", RuleId.STEP_UP_LOW_TIER, risk, [*reasons, why],
                            nearest.missing(verified))  # fmt: skip
        best = min(sound, key=lambda r: (r.friction, len(r.missing(verified))))
        why = f"path '{best.path}'" + (
            f" hardened with {', '.join(best.controls)}" if best.controls else ""
        )
        if best.violations:
            why += f" (as written: {best.violations[0]})"
        return _verdict("step_up", RuleId.STEP_UP_HARDENED_PATH, risk, [*reasons, why],
                        best.missing(verified))  # fmt: skip

    def routes_of(self, action: Action) -> list[Route]:
        if action.id not in self._routes:
            self._routes[action.id] = routes_for_action(self.loaded, action)
        return self._routes[action.id]


def _verdict(
    kind: DecisionKind,
    rule: RuleId,
    risk: float,
    reasons: list[str],
    required: list[str] | tuple[str, ...] = (),
) -> Verdict:
    return Verdict(
        kind=kind, rule=rule, risk=risk, reasons=tuple(reasons), required=tuple(required)
    )
