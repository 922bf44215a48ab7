"""Runtime decisions: a session's verified evidence plus the guard's findings
decide each requested action (io-formats.md, "the runtime decision stream").

    decider = Decider(load_file("examples/bank.yaml"))
    decider.feed({"session": "s1", "type": "message", "channel": "phone_agent",
                  "role": "customer", "text": "This is the CEO, wire 40k now"})
    decider.feed({"session": "s1", "type": "action_request", "action": "wire_transfer"})
    # -> Decision(decision="step_up" | "hold" | ..., required=[...], reasons=[...])

The rules, in order:
1. An action the model does not know, or one the session's channel has no
   path for, is denied.
1b. A session that sent a signal with no clear value, an unknown signal (strict
   mode), or a message that could not be read holds every T2+ action: what we
   could not weigh counts against the request (fail closed).
2. A required factor that failed three times holds the action for a human.
3. Risk is the tier's base risk combined with the threat seen in the session:
   the strongest security finding on an inbound message and any risk signal
   that is true. Threat at the guard's threshold holds every T2+ action for a
   human: evidence the caller carries does not outweigh an attack seen. A
   finding that describes the request and no attack on it (`request_only`: new
   bank details and a payment asked for plainly, no pressure or pretext) is not
   a threat: it is weighed against the verification passed (rule 4 takes a path
   that meets the tier policy for T2+, so it takes full verification).
4. Otherwise the action is allowed when a route that meets the tier policy as
   written is satisfied by verified factors (T0 and T1: any route).
5. Otherwise it steps up, naming the missing factors of the cheapest sound
   route on this channel (fewest controls added, then fewest factors); with
   no sound route here, T2+ holds.
A decision that fails on a bug holds (never allows) and names the error.

Time: by default (replaying a log, `channelguard decide`) an event's `at` is
the clock. Given a `clock` (the service: the server's own), the clock is the
truth and `at` is only evidence of when the customer acted: an `at` more than
`max_skew_seconds` ahead of the clock is an error event that marks its session
(T2+ held), and memory, cooling-off and session expiry age by the clock alone.
Either way a session's and an identity's time never move backwards.

Strict mode (the default) makes an unknown factor in a verification and an
unknown signal name an error event (InputError); lenient mode
(`strict=False`) records a warning instead (`take_warnings()`), ignores the
unknown verification, and still weighs the unknown signal's value.
"""

from __future__ import annotations

import copy
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from channelguard.decide.memory import Memory
from channelguard.decide.routes import Route, factor_label, routes_for_action
from channelguard.decide.signals import KNOWN_SIGNALS, signal_score
from channelguard.decide.state import SessionState as _Session
from channelguard.decide.state import event_field as _field
from channelguard.decide.state import event_time as _time
from channelguard.errors import InputError
from channelguard.guard.guard import Guard
from channelguard.guard.types import Domain, Role, ScanResult
from channelguard.model.factors import builtin_specs
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Tier

__all__ = ["Decider", "Decision"]

DecisionKind = Literal["allow", "step_up", "hold", "deny"]
TIER_RISK = {Tier.T0: 0.02, Tier.T1: 0.1, Tier.T2: 0.3, Tier.T3: 0.5, Tier.T4: 0.7}
MAX_FAILURES = 3
EVENT_TYPES = ("message", "verification", "signal", "action_request")


@dataclass(frozen=True, kw_only=True, slots=True)
class Decision:
    session: str
    action: str
    decision: DecisionKind
    required: tuple[str, ...]
    risk: float
    reasons: tuple[str, ...]
    message: str
    shadow: bool = False  # decided and recorded only: the caller does not enforce it
    rule: str = ""  # the id of the rule that decided (module docstring, in order)
    findings: tuple[dict[str, Any], ...] = ()  # the session's evidence of an attack
    policy: str = ""  # the channel model (organization and version) it was decided on
    notify: tuple[str, ...] = ()  # notifications the action requires, e.g. the old contact

    def to_dict(self) -> dict[str, Any]:
        out = {
            "session": self.session,
            "action": self.action,
            "decision": self.decision,
            "required": list(self.required),
            "risk": round(self.risk, 3),
            "reasons": list(self.reasons),
            "message": self.message,
        }
        out["rule"] = self.rule
        out["findings"] = [dict(f) for f in self.findings]
        out["policy"] = self.policy
        if self.notify:
            out["notify"] = list(self.notify)
        if self.shadow:
            out["shadow"] = True
        return out


class Decider:
    def __init__(
        self,
        loaded: LoadedModel,
        guard: Guard | None = None,
        *,
        strict: bool = True,
        signals: dict[str, str] | None = None,
        shadow: bool = False,
        max_sessions: int = 100_000,
        session_ttl_seconds: float = 4 * 3600,
        max_identities: int = 100_000,
        clock: Callable[[], float] | None = None,
        max_skew_seconds: float = 300,
    ) -> None:
        if not isinstance(loaded, LoadedModel):
            raise InputError(
                f"loaded must be a LoadedModel (load_model()), got {type(loaded).__name__}"
            )
        if guard is not None and not isinstance(guard, Guard):
            raise InputError(f"guard must be a Guard, got {type(guard).__name__}")
        self.loaded = loaded
        self.guard = guard if guard is not None else Guard().load()
        self.strict = strict
        self.shadow = shadow  # rollout: decide and record, never block
        self.signals = {**KNOWN_SIGNALS, **(signals or {})}
        self._routes: dict[str, list[Route]] = {}  # per action, on first request
        self.actions = {a.id: a for a in loaded.model.actions}
        self.channels = {c.id for c in loaded.model.channels}
        self.factors = set(loaded.factors) | set(builtin_specs())
        # least recently used first; past max_sessions the oldest is forgotten, and a
        # session whose events stop for session_ttl_seconds (by their `at`) starts afresh
        self.sessions: OrderedDict[str, _Session] = OrderedDict()
        self.max_sessions = max_sessions
        self.memory = Memory(max_identities)  # per claimed identity, across its sessions
        self.session_ttl_seconds = session_ttl_seconds
        self.clock = clock  # None: the events' `at` (a replayed log)
        self.max_skew_seconds = max_skew_seconds
        self._warnings: list[str] = []

    def for_scope(self, scope: str) -> Decider:
        """A Decider on the same model, guard and settings whose memory keys start
        with `scope` and whose sessions are its own (the service: one per tenant)."""
        twin = copy.copy(self)
        twin.sessions = OrderedDict()
        twin.memory = Memory(self.memory.max_identities, scope=scope)
        twin._warnings = []
        return twin

    def _session(self, session_id: str, now: float | None) -> tuple[_Session, float]:
        """The session (afresh when idle past its time-to-live) and the instant the
        event counts at: `now`, never earlier than the session's last event."""
        state = self.sessions.get(session_id)
        last = state.last_at.timestamp() if state is not None and state.last_at else None
        expired = last is not None and now is not None and now - last > self.session_ttl_seconds
        if state is None or expired:
            state, last = _Session(), None
        self._keep(session_id, state)
        if now is not None:
            now = max(now, last or now)
            state.last_at = datetime.fromtimestamp(now, UTC)
            return state, now
        return state, time.time()  # a replayed event without `at`: as before, the wall clock

    def _when(self, event: dict[str, Any]) -> tuple[float | None, str | None]:
        """The instant an event counts at (None: no clock and no `at`), and what is
        wrong with its `at`, if anything."""
        server = self.clock() if self.clock is not None else None
        try:
            at = _time(event)
        except InputError as exc:
            return server, str(exc)
        if server is None:
            return (at.timestamp() if at is not None else None), None
        if at is not None and at.timestamp() - server > self.max_skew_seconds:
            ahead = at.timestamp() - server
            return server, (
                f"field 'at': {at.isoformat()} is {ahead:,.0f} s ahead of the server's clock "
                f"(at most {self.max_skew_seconds:g} s): not taken"
            )
        return server, None

    def export_session(self, session_id: str) -> dict[str, Any] | None:
        """The session's state as JSON, or None if it is not held here."""
        state = self.sessions.get(session_id)
        return state.to_state() if state is not None else None

    def restore_session(self, session_id: str, state: dict[str, Any] | None) -> None:
        """Take a session's state from elsewhere (a database shared by replicas);
        None forgets it, so the next event starts it afresh."""
        if state is None:
            self.sessions.pop(session_id, None)
            return
        self._keep(session_id, _Session.from_state(state))

    def _keep(self, session_id: str, state: _Session) -> None:
        """Hold the session as the most recently used; past max_sessions the least
        recently used is forgotten."""
        self.sessions[session_id] = state
        self.sessions.move_to_end(session_id)
        while len(self.sessions) > self.max_sessions:
            self.sessions.popitem(last=False)

    def tier_of(self, action_id: str) -> Tier | None:
        action = self.actions.get(action_id)
        return action.tier if action is not None else None

    def take_warnings(self) -> list[str]:
        """Warnings of lenient mode since the last call (unknown factors and signals)."""
        out, self._warnings = self._warnings, []
        return out

    def feed(
        self, event: dict[str, Any], *, inspected: ScanResult | None = None
    ) -> Decision | None:
        """Take one event; an action_request returns its decision, others None.
        A bad event raises InputError naming the field; a bad signal or message also
        marks its session, which then cannot get T2+ actions allowed. `inspected` is
        the guard's result for a message event when the caller already has it (the
        service inspects a batch's messages in one call)."""
        if not isinstance(event, dict):
            raise InputError(f"an event must be a JSON object, got {type(event).__name__}")
        session_id = _field(event, "session", str)
        kind = _field(event, "type", str)
        if kind not in EVENT_TYPES:
            raise InputError(f"field 'type': '{kind}' is not one of {', '.join(EVENT_TYPES)}")
        when, wrong = self._when(event)
        state, now = self._session(session_id, when)
        if wrong is not None:  # fail closed: what we could not place counts against
            state.tainted.append(f"unusable {kind} event ({wrong})")
            raise InputError(wrong)
        if event.get("channel") is not None:
            state.channel = _field(event, "channel", str)
        if event.get("claimed_identity") is not None:
            self.memory.claim(session_id, state, _field(event, "claimed_identity", str), now)
        if kind == "action_request":
            return self._decide(session_id, state, _field(event, "action", str), now)
        try:
            if kind == "message":
                self._message(state, event, inspected)
            elif kind == "verification":
                self._verification(state, event)
            else:
                self._signal(state, event)
            self.memory.remember(session_id, state, now)
        except InputError as exc:
            if kind != "verification":  # an unread verification counts for nothing anyway
                state.tainted.append(f"unusable {kind} event ({exc})")
            raise
        return None

    def export_identity(self, identity: str) -> dict[str, Any] | None:
        """What is remembered about a claimed identity, as JSON (for a shared database)."""
        return self.memory.export(identity)

    def restore_identity(self, identity: str, state: dict[str, Any] | None) -> None:
        self.memory.restore(identity, state)

    def _verification(self, state: _Session, event: dict[str, Any]) -> None:
        factor = _field(event, "factor", str)
        result = _field(event, "result", str)
        if result not in ("pass", "fail"):
            raise InputError(f"field 'result': '{result}' is not pass or fail")
        if factor not in self.factors:
            why = f"field 'factor': '{factor}' is not a factor of the model or the library"
            if self.strict:
                raise InputError(why)
            self._warnings.append(why + ": ignored")
            return
        if result == "pass":
            state.verified.add(factor)
        else:
            state.failures[factor] += 1

    def _signal(self, state: _Session, event: dict[str, Any]) -> None:
        name = _field(event, "name", str)
        score = signal_score(event)
        if name not in self.signals:
            why = f"field 'name': '{name}' is not a known risk signal"
            if self.strict:
                raise InputError(why + f" (known: {', '.join(sorted(self.signals))})")
            self._warnings.append(why + ": its value is weighed all the same")
        if score > 0:
            state.threats.append((score, f"risk signal: {name}", state.messages))
            state.findings.append({"signal": name, "score": round(score, 3)})

    def _message(
        self, state: _Session, event: dict[str, Any], inspected: ScanResult | None = None
    ) -> None:
        text = _field(event, "text", str)
        role_name = event.get("role", "customer")
        try:
            role = Role(role_name)
        except ValueError:
            raise InputError(
                f"field 'role': '{role_name}' is not one of {', '.join(r.value for r in Role)}"
            ) from None
        state.messages += 1
        if not role.inbound:
            return  # the organisation's own turns are not evidence of an attack on it
        try:
            result = inspected if inspected is not None else self.guard.inspect(text, role=role)
        except Exception as exc:  # fail closed: an uninspected message is not a clean one
            state.threats.append(
                (1.0, f"message {state.messages} could not be inspected ({exc!r})", state.messages)
            )
            return
        for f in result.findings:
            if f.domain is Domain.SECURITY:
                state.findings.append(
                    {
                        "message": state.messages,
                        "detector": f.detector,
                        "category": f.category,
                        "score": round(f.score, 3),
                    }
                    | ({"request_only": True} if f.request_only else {})
                )
                (state.requests if f.request_only else state.threats).append(
                    (
                        f.score,
                        f"{f.detector} ({f.category}) in message {state.messages}",
                        state.messages,
                    )
                )

    def _decide(self, session: str, state: _Session, action_id: str, now: float) -> Decision:
        try:
            kind, risk, reasons, required, rule = self._judge(session, state, action_id, now)
        except Exception as exc:  # a bug never allows: hold, and say why
            kind, risk, required, rule = "hold", 1.0, [], "hold-internal-error"
            reasons = [f"internal error while deciding, held for a human (please report): {exc!r}"]
        return Decision(
            session=session,
            action=action_id,
            decision=kind,
            required=tuple(required),
            risk=risk,
            reasons=tuple(reasons),
            message=self._customer_message(kind, required),
            shadow=self.shadow,
            rule=rule,
            findings=tuple(state.findings),
            policy=f"{self.loaded.model.organization} {self.loaded.model.version}",
            notify=(
                self.memory.allowed(session, state, self.actions[action_id], now)
                if kind == "allow"
                else ()
            ),
        )

    def _judge(
        self, session: str, state: _Session, action_id: str, now: float
    ) -> tuple[DecisionKind, float, list[str], list[str], str]:
        action = self.actions.get(action_id)
        if action is None:
            return (
                "deny",
                1.0,
                [f"'{action_id}' is not in the channel model: never allowed"],
                [],
                "deny-unknown-action",
            )
        if state.channel not in self.channels:
            where = f"unknown channel '{state.channel}'" if state.channel else "no channel given"
            return (
                "deny",
                1.0,
                [f"{where}: the request cannot be placed on a path"],
                [],
                "deny-unknown-channel",
            )
        here = [r for r in self._routes_of(action) if r.channel == state.channel]
        if not here:
            others = sorted({r.channel for r in self._routes_of(action)})
            why = f"'{action_id}' has no path on '{state.channel}'"
            return (
                "deny",
                1.0,
                [why + (f"; use {', '.join(others)}" if others else "")],
                [],
                "deny-no-path-here",
            )
        if state.tainted and action.tier.rank >= 2:
            why = "this session sent evidence that could not be weighed: a human must review"
            return (
                "hold",
                1.0,
                [f"{action.tier.value} action", why, *state.tainted[:3]],
                [],
                "hold-unweighable-evidence",
            )
        threat, threat_reasons = self.memory.threat(session, state, now)
        risk = 1 - (1 - TIER_RISK[action.tier]) * (1 - threat)
        reasons = [f"{action.tier.value} action, impact ${action.impact_usd:,.0f}", *threat_reasons]
        rank = action.tier.rank
        needed = {f for r in here for group in r.requires for f in group}
        failed = sorted(f for f, n in state.failures.items() if n >= MAX_FAILURES and f in needed)
        if failed:
            why = f"verification failed {MAX_FAILURES} times or more: {', '.join(failed)}"
            return "hold", risk, [*reasons, why], [], "hold-repeated-failures"
        if threat >= self.guard.threshold and rank >= 2:
            why = "pressure or attack signals in this session on a T2+ action: a human must review"
            return "hold", risk, [*reasons, why], [], "hold-threat-on-t2-plus"
        # a request that is sensitive by itself (new bank details and a payment, asked
        # plainly) is what verification is for: it holds nothing, it is weighed. T2+
        # is allowed below only on a path that meets the tier policy (as written or
        # hardened), so it takes the session's full verification.
        asked = [why for score, why, _ in state.requests if score >= self.guard.threshold]
        if asked and rank >= 2:
            reasons.append(
                f"sensitive request ({asked[0]}): weighed against the verification passed"
            )
        verified = set(state.verified)
        cooling = self.memory.cooling(session, state, now, self.loaded.factors) if rank >= 2 else {}
        if cooling and verified & set(cooling):
            usable = verified - set(cooling)
            if any(r.satisfied(verified) for r in here) and not any(
                r.satisfied(usable) for r in here
            ):
                blocked = sorted(verified & set(cooling))
                why = cooling[blocked[0]]
                return "hold", risk, [*reasons, why], [], "hold-cooling-off"
            verified = usable
        # allowed as written: a route that meets the policy unchanged (T0-T1: any route)
        for route in here:
            if (rank <= 1 or (route.sound and not route.controls)) and route.satisfied(verified):
                return (
                    "allow",
                    risk,
                    [*reasons, f"path '{route.path}' satisfied"],
                    [],
                    "allow-policy-path",
                )
        sound = [r for r in here if r.sound]
        for route in sound:
            if route.satisfied(verified):
                why = f"path '{route.path}' with {', '.join(route.controls)} satisfied"
                return "allow", risk, [*reasons, why], [], "allow-hardened-path"
        if not sound:
            if rank >= 2:
                why = f"no path on '{state.channel}' meets the {action.tier.value} policy"
                first = [r.violations[0] for r in here if r.violations][:1]
                return (
                    "hold",
                    risk,
                    [*reasons, why + ": a human must review", *first],
                    [],
                    "hold-no-sound-path",
                )
            nearest = min(here, key=lambda r: len(r.missing(verified)))
            why = f"path '{nearest.path}' needs more evidence"
            return "step_up", risk, [*reasons, why], nearest.missing(verified), "step-up-low-tier"
        best = min(sound, key=lambda r: (r.friction, len(r.missing(verified))))
        why = f"path '{best.path}'" + (
            f" hardened with {', '.join(best.controls)}" if best.controls else ""
        )
        if best.violations:
            why += f" (as written: {best.violations[0]})"
        return "step_up", risk, [*reasons, why], best.missing(verified), "step-up-hardened-path"

    def _routes_of(self, action: Action) -> list[Route]:
        if action.id not in self._routes:
            self._routes[action.id] = routes_for_action(self.loaded, action)
        return self._routes[action.id]

    def _customer_message(self, kind: DecisionKind, required: list[str] | tuple[str, ...]) -> str:
        if kind == "allow":
            return "Thank you, that is done."
        if kind == "deny":
            return "We can't do this here. Please use one of our other channels, or ask us which."
        if kind == "hold":
            return (
                "For your protection a colleague needs to review this request; we'll be in touch."
            )
        labels = [factor_label(self.loaded, f) for f in required]
        listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        return f"For your protection we need to confirm this first: {listed}."
