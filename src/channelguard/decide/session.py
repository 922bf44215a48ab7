"""Runtime decisions: a session's verified evidence plus the guard's findings
decide each requested action (io-formats.md, "the runtime decision stream").

    outcome = decider.step(state, event, scan)   # state: RunState, event: Event
    outcome.decision  # for an action_request: Decision(decision="step_up", ...)

`step` takes the caller's explicit state (the session and the memory of the
identities it touches) and one typed event (decide/events.py) with the
guard's result for a message, and returns the state, the decision and what was
wrong. It holds nothing between calls, so one Decider serves every tenant and
thread. `feed` is the Python API's edge for a raw dict: it parses the event,
inspects a message and steps over state kept in memory (local.py).

The rules, in order (rules.py names each; docs/rules.md lists them):
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

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from channelguard.decide.decision import Decision
from channelguard.decide.events import (
    ActionRequest,
    Event,
    Message,
    Rejected,
    Signal,
    Verification,
    parse_event,
)
from channelguard.decide.evidence import FindingSeen, SignalSeen
from channelguard.decide.judge import Judge
from channelguard.decide.local import LocalState
from channelguard.decide.routes import factor_label
from channelguard.decide.rules import DecisionKind, RuleId, Verdict
from channelguard.decide.signals import KNOWN_SIGNALS
from channelguard.decide.state import SessionState
from channelguard.decide.step import Outcome, RunState
from channelguard.errors import InputError
from channelguard.guard.budget import TimeBudget
from channelguard.guard.guard import Guard
from channelguard.guard.types import Domain, ScanResult
from channelguard.model.factors import builtin_specs
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Tier

__all__ = ["Decider", "Decision", "Outcome"]


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
        self.judge = Judge(loaded, self.guard.threshold)
        self.actions = self.judge.actions
        self.factors = set(loaded.factors) | set(builtin_specs())
        self.session_ttl_seconds = session_ttl_seconds
        self.clock = clock  # None: the events' `at` (a replayed log)
        self.max_skew_seconds = max_skew_seconds
        # the Python API's sessions (feed): least recently used forgotten first
        self.local = LocalState(max_sessions=max_sessions, max_identities=max_identities)
        self._warnings: list[str] = []

    @property
    def sessions(self) -> Any:
        """The sessions `feed` holds (Python API), least recently used first."""
        return self.local.sessions

    @property
    def memory(self) -> Any:
        """What `feed` remembers about claimed identities (Python API)."""
        return self.local.memory

    def tier_of(self, action_id: str) -> Tier | None:
        action = self.actions.get(action_id)
        return action.tier if action is not None else None

    # -- the Python API's edge ---------------------------------------------------

    def feed(
        self,
        event: Any,
        *,
        inspected: ScanResult | None = None,
        budget: TimeBudget | None = None,
    ) -> Decision | None:
        """Take one raw event; an action_request returns its decision, others None.
        A bad event raises InputError naming the field; a bad signal or message also
        marks its session, which then cannot get T2+ actions allowed. A bad action
        request of a session returns its fail-closed decision (hold, or deny for an
        unreadable or unknown action) whose reason names the field. `budget` (shared by
        the calls of one unit of work, guard/budget.py): a message it did not reach is
        not inspected and counts as a threat (None: every message is inspected)."""
        if budget is not None and not isinstance(budget, TimeBudget):
            raise InputError(f"budget must be a TimeBudget, got {type(budget).__name__}")
        parsed = parse_event(event)
        scan: ScanResult | Exception | None = inspected
        if scan is None and budget is not None and _inbound(parsed) and not budget.admits():
            scan = budget.missed()
        state = self.local.state(parsed.session) if parsed.session is not None else None
        if isinstance(parsed, Rejected):
            if state is None:
                raise InputError(parsed.error)
            outcome = self.reject(state, parsed)
        else:
            assert state is not None  # a parsed event names its session
            outcome = self.step(state, parsed, scan)
        self.local.keep(outcome.state)
        self._warnings.extend(outcome.warnings)
        if outcome.error is not None and outcome.decision is None:
            raise InputError(outcome.error)
        return outcome.decision  # a refused action request: its fail-closed decision

    def take_warnings(self) -> list[str]:
        """Warnings of lenient mode since the last call (unknown factors and signals)."""
        out, self._warnings = self._warnings, []
        return out

    def export_session(self, session_id: str) -> dict[str, Any] | None:
        """A session `feed` holds, as JSON, or None."""
        state = self.local.sessions.get(session_id)
        return state.to_state() if state is not None else None

    def export_identity(self, key: str) -> dict[str, Any] | None:
        """What `feed` remembers under a memory key, as JSON, or None."""
        return self.local.memory.export(key)

    def inspect(self, message: Message) -> ScanResult | Exception:
        """The guard's result for one message; a guard that fails returns its error
        (the step counts an uninspected message as a threat: fail closed)."""
        try:
            return self.guard.inspect(message.text, role=message.role)
        except Exception as exc:
            return exc

    # -- one step ----------------------------------------------------------------

    def reject(self, state: RunState, rejected: Rejected) -> Outcome:
        """An event that could not be read: a message, signal or `at` we could not
        weigh marks its session (fail closed); an action request still gets its one
        decision, fail closed (hold, or deny for an unreadable or unknown action)."""
        return _bounded(self._reject(state, rejected))

    def _reject(self, state: RunState, rejected: Rejected) -> Outcome:
        session, now = self._session(state, self._server())
        if rejected.channel is not None:
            session.channel = rejected.channel
        if rejected.claimed_identity is not None:
            state.memory.claim(state.session_id, session, rejected.claimed_identity, now)
        if rejected.marks:
            session.tainted.append(
                f"unusable {rejected.kind or 'unreadable'} event ({rejected.error})"
            )
        decision = None
        if rejected.action_request:
            decision = self._refused(state, session, rejected.action or "", rejected.error, now)
        return Outcome(state=state, decision=decision, error=rejected.error)

    def step(
        self, state: RunState, event: Event, scan: ScanResult | Exception | None = None
    ) -> Outcome:
        """Take one event over `state`; `scan` is the guard's result for an inbound
        message (an Exception: the guard failed on it). The session stays within its
        bounds (state.py: past them, its T2+ actions hold)."""
        return _bounded(self._step(state, event, scan))

    def _step(
        self, state: RunState, event: Event, scan: ScanResult | Exception | None = None
    ) -> Outcome:
        when, wrong = self._when(event, state)
        session, now = self._session(state, when)
        if wrong is not None:  # fail closed: what we could not place counts against
            session.tainted.append(f"unusable {event.type} event ({wrong})")
            refused = None
            if isinstance(event, ActionRequest):  # still its one decision
                refused = self._refused(state, session, event.action, wrong, now)
            return Outcome(state=state, decision=refused, error=wrong)
        if event.channel is not None:
            session.channel = event.channel
        if event.claimed_identity is not None:
            state.memory.claim(state.session_id, session, event.claimed_identity, now)
        if isinstance(event, ActionRequest):
            decision = self._decide(state, session, event.action, now)
            return Outcome(state=state, decision=decision)
        warnings: list[str] = []
        try:
            if isinstance(event, Message):
                self._message(session, event, scan)
            elif isinstance(event, Verification):
                self._verification(session, event, warnings)
            else:
                self._signal(session, event, warnings)
        except InputError as exc:
            if not isinstance(event, Verification):  # an unread one counts for nothing
                session.tainted.append(f"unusable {event.type} event ({exc})")
            return Outcome(state=state, error=str(exc), warnings=tuple(warnings))
        state.memory.remember(state.session_id, session, now)
        return Outcome(state=state, warnings=tuple(warnings))

    def _server(self) -> float | None:
        return self.clock() if self.clock is not None else None

    def _session(self, state: RunState, now: float | None) -> tuple[SessionState, float]:
        """The session (afresh when idle past its time-to-live) and the instant the
        event counts at: `now`, never earlier than the session's last event."""
        session = state.session
        last = session.last_at.timestamp() if session is not None and session.last_at else None
        expired = last is not None and now is not None and now - last > self.session_ttl_seconds
        if session is None or expired:
            session, last = SessionState(), None
        state.session = session
        if now is not None:
            now = max(now, last or now)
            session.last_at = datetime.fromtimestamp(now, UTC)
            return session, now
        return session, time.time()  # a replayed event without `at`: the wall clock

    def _when(self, event: Event, state: RunState) -> tuple[float | None, str | None]:
        """The instant an event counts at (None: no clock and no `at`), and what is
        wrong with its `at`, if anything. Replaying (no clock), `at` is the clock:
        an event earlier than its session's last one is out of order."""
        server, at = self._server(), event.instant
        if server is None:
            last = state.session.last_at if state.session is not None else None
            if at is not None and last is not None and at < last.timestamp():
                return None, (
                    f"field 'at': {event.at.isoformat() if event.at else at} is earlier than "
                    f"the session's previous event ({last.isoformat()}): out of order"
                )
            return at, None
        if at is not None and at - server > self.max_skew_seconds:
            return server, (
                f"field 'at': {event.at.isoformat() if event.at else at} is "
                f"{at - server:,.0f} s ahead of the server's clock "
                f"(at most {self.max_skew_seconds:g} s): not taken"
            )
        return server, None

    def _verification(self, state: SessionState, event: Verification, warnings: list[str]) -> None:
        if event.factor not in self.factors:
            why = f"field 'factor': '{event.factor}' is not a factor of the model or the library"
            if self.strict:
                raise InputError(why)
            warnings.append(why + ": ignored")
            return
        if event.passed:
            state.verified.add(event.factor)
        else:
            state.failures[event.factor] += 1

    def _signal(self, state: SessionState, event: Signal, warnings: list[str]) -> None:
        name, score = event.name, event.score
        if name not in self.signals:
            why = f"field 'name': '{name}' is not a known risk signal"
            if self.strict:
                raise InputError(why + f" (known: {', '.join(sorted(self.signals))})")
            warnings.append(why + ": its value is weighed all the same")
        if score > 0:
            state.threats.append((score, f"risk signal: {name}", state.messages))
            state.findings.append(SignalSeen(signal=name, score=round(score, 3)))

    def _message(
        self, state: SessionState, event: Message, scan: ScanResult | Exception | None
    ) -> None:
        state.messages += 1
        if event.outbound:
            return  # the organisation's own turns are not evidence of an attack on it
        if scan is None:
            scan = self.inspect(event)
        if isinstance(scan, Exception):  # fail closed: an uninspected message is not clean
            why = f"message {state.messages} could not be inspected ({scan!r})"
            state.threats.append((1.0, why, state.messages))
            return
        stored = event.role.value if event.stored_content else None
        for f in scan.findings:
            if f.domain is not Domain.SECURITY:
                continue
            state.findings.append(
                FindingSeen(
                    message=state.messages,
                    detector=f.detector,
                    category=f.category,
                    score=round(f.score, 3),
                    request_only=f.request_only,
                    role=stored,
                )
            )
            why = f"{f.detector} ({f.category}) in message {state.messages}"
            (state.requests if f.request_only else state.threats).append(
                (f.score, why, state.messages)
            )

    def _decide(
        self, state: RunState, session: SessionState, action_id: str, now: float
    ) -> Decision:
        try:
            verdict = self.judge.judge(state, session, action_id, now)
        except Exception as exc:  # a bug never allows: hold, and say why
            why = f"internal error while deciding, held for a human (please report): {exc!r}"
            verdict = Verdict(kind="hold", rule=RuleId.HOLD_INTERNAL_ERROR, risk=1.0,
                              reasons=(why,))  # fmt: skip
        return self._decision(state, session, action_id, verdict, now)

    def _refused(
        self, state: RunState, session: SessionState, action_id: str, error: str, now: float
    ) -> Decision:
        """An action request that could not be read or placed: never allowed. Its
        action unreadable or unknown is denied, a known one held; `error` is the
        first reason (it names the field)."""
        why = f"the action request was refused ({error}): fail closed"
        if action_id in self.actions:
            verdict = Verdict(kind="hold", rule=RuleId.HOLD_UNREADABLE_REQUEST, risk=1.0,
                              reasons=(why,))  # fmt: skip
        else:
            unknown = f"'{action_id}' is not in the channel model: never allowed"
            verdict = Verdict(kind="deny", rule=RuleId.DENY_UNKNOWN_ACTION, risk=1.0,
                              reasons=(why, unknown))  # fmt: skip
        return self._decision(state, session, action_id, verdict, now)

    def _decision(
        self, state: RunState, session: SessionState, action_id: str, verdict: Verdict,
        now: float,
    ) -> Decision:  # fmt: skip
        allowed = verdict.kind == "allow"
        return Decision(
            session=state.session_id,
            action=action_id,
            decision=verdict.kind,
            required=verdict.required,
            risk=verdict.risk,
            reasons=verdict.reasons,
            message=self._customer_message(verdict.kind, verdict.required),
            shadow=self.shadow,
            rule=verdict.rule.value,
            findings=tuple(session.findings),
            policy=f"{self.loaded.model.organization} {self.loaded.model.version}",
            notify=self._allowed(state, session, action_id, now) if allowed else (),
        )

    def _allowed(
        self, run: RunState, session: SessionState, action_id: str, now: float
    ) -> tuple[str, ...]:
        """An allowed action is remembered by the session (what it lets the caller set
        up) and, with a cooling-off, by the identity; the notice it asks for."""
        if action_id not in session.changed and len(session.changed) < 50:
            session.changed.append(action_id)
        return run.memory.allowed(run.session_id, session, self.actions[action_id], now)

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


def _inbound(event: Event | Rejected) -> bool:
    """A message the guard inspects as evidence (not the organisation's own turn)."""
    return isinstance(event, Message) and not event.outbound


def _bounded(outcome: Outcome) -> Outcome:
    """The outcome with its session kept within its bounds (state.py)."""
    if outcome.state.session is not None:
        outcome.state.session.bound()
    return outcome
