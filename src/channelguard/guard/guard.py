"""The Guard: canonicalize, score with the classifier once, run every detector.

    guard = Guard().load()
    result = guard.inspect("Ignore previous instructions", role="user")

Construction only stores settings; `load()` reads the model and the Unicode
data. A detector that raises does not silence the message: it yields a
finding at the threshold (fail closed) that names the error.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from channelguard.errors import DependencyError, InputError
from channelguard.guard.calibration import Calibration, load_calibration
from channelguard.guard.canonical import Canonical, canonicalize, load_confusables
from channelguard.guard.classifier import HeadScore, TextClassifier, side_of
from channelguard.guard.detectors.base import Context, EncoderDetector
from channelguard.guard.encoder import ENCODER_MODES, EncoderModel, score_into
from channelguard.guard.limits import DEFAULT_MAX_CHARS, DEFAULT_WINDOW_CHARS, WINDOW_OVERLAP
from channelguard.guard.multilingual import (
    MULTILINGUAL_MODES,
    MultilingualModel,
    foreign_scores,
    has_english_part,
)
from channelguard.guard.quoting import READ_WHOLE, TO_THE_AI, unquote
from channelguard.guard.registry import build_registry
from channelguard.guard.types import NEAR_FLOOR, Domain, Finding, Message, Role, ScanResult
from channelguard.roles import role_names

__all__ = ["DEFAULT_MAX_CHARS", "DEFAULT_WINDOW_CHARS", "Guard", "windows"]


class Guard:
    """Safe to share between threads: `load()` runs once, under a lock, and publishes
    the loaded detectors and classifier together; inspection keeps no state."""

    def __init__(
        self,
        *,
        detectors: Sequence[str] | None = None,
        threshold: float = 0.5,
        max_chars: int = DEFAULT_MAX_CHARS,
        window_chars: int = DEFAULT_WINDOW_CHARS,
        model_path: str | None = None,
        encoder: str = "cascade",
        encoder_path: str | None = None,
        multilingual: str = "auto",
        multilingual_path: str | None = None,
        rules: Sequence[str] = (),
        disable_rules: Sequence[str] = (),
        calibration: Calibration | str | None = None,
    ) -> None:
        _check_threshold(threshold)
        if encoder not in ENCODER_MODES:
            raise InputError(f"encoder must be one of {', '.join(ENCODER_MODES)}, got {encoder!r}")
        if encoder_path is not None and not isinstance(encoder_path, str):
            raise InputError("encoder_path must be a string path")
        if multilingual not in MULTILINGUAL_MODES:
            raise InputError(
                f"multilingual must be one of {', '.join(MULTILINGUAL_MODES)}, got {multilingual!r}"
            )
        if multilingual_path is not None and not isinstance(multilingual_path, str):
            raise InputError("multilingual_path must be a string path")
        _check_int("max_chars", max_chars)
        _check_int("window_chars", window_chars, least=WINDOW_OVERLAP * 2)
        if detectors is not None and (
            isinstance(detectors, str) or not all(isinstance(d, str) for d in detectors)
        ):
            raise InputError("detectors must be a list of detector ids (strings)")
        if model_path is not None and not isinstance(model_path, str):
            raise InputError(f"model_path must be a string path, got {type(model_path).__name__}")
        for name, value in (("rules", rules), ("disable_rules", disable_rules)):
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{name} must be a list of strings")
        self.rules = list(rules)  # rule pack files or folders of your own
        self.disable_rules = list(disable_rules)  # rule ids not to run
        self.threshold = float(threshold)
        self.max_chars = max_chars
        self.window_chars = window_chars
        self.selected = list(detectors) if detectors is not None else None
        self.model_path = model_path
        self.encoder = encoder
        self.encoder_path = encoder_path
        # the multilingual stage on text that is not English: "auto" runs it where the
        # `multilingual` extra is installed, "on" requires it, "off" never loads it
        self.multilingual = multilingual
        self.multilingual_path = multilingual_path
        # a tenant's operating points, re-fitted from its feedback (guard/calibration.py)
        self.calibration = _calibration(calibration)
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def settings(self) -> dict[str, Any]:
        """What the constructor was given: `Guard(**g.settings())` builds the same guard
        (in another process, say)."""
        return {
            "detectors": self.selected,
            "threshold": self.threshold,
            "max_chars": self.max_chars,
            "window_chars": self.window_chars,
            "model_path": self.model_path,
            "encoder": self.encoder,
            "encoder_path": self.encoder_path,
            "multilingual": self.multilingual,
            "multilingual_path": self.multilingual_path,
            "rules": self.rules,
            "disable_rules": self.disable_rules,
            "calibration": self.calibration,
        }

    def calibrated(self, calibration: Calibration | None) -> Guard:
        """This guard, loaded, under another calibration: the detectors and models are
        shared, not loaded again (a service holds one per tenant)."""
        self.load()
        other = copy.copy(self)
        other.calibration = calibration
        return other

    def load(self) -> Guard:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._build()
        return self

    def _build(self) -> _Loaded:
        registry = build_registry()
        default = [i for i, cls in registry.items() if getattr(cls, "default", True)]
        ids = default if self.selected is None else []
        for i in self.selected or []:  # "default" names the default set: default,fraud_classifier
            for j in default if i == "default" else [i]:
                if j not in ids:
                    ids.append(j)
        unknown = [i for i in ids if i not in registry]
        if unknown:
            raise InputError(
                f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(registry)}, "
                "and default (the default set)"
            )
        detectors = [registry[i]() for i in ids]
        for d in detectors:  # a detector with an explicit loading step (rule packs)
            if callable(getattr(d, "load", None)):
                d.load(rules=self.rules, disable_rules=self.disable_rules)
        if (self.rules or self.disable_rules) and not any(hasattr(d, "rules") for d in detectors):
            raise InputError("rules and disable_rules need the 'rules' detector selected")
        classifier = None
        if any(hasattr(d, "head") for d in detectors):
            classifier = TextClassifier(self.model_path).load()
        encoder = multilingual = None
        learned = any(isinstance(d, EncoderDetector) for d in detectors)
        if self.encoder != "off" and learned:
            encoder = EncoderModel(self.encoder_path).load()
        if self.multilingual != "off" and learned:
            try:
                multilingual = MultilingualModel(self.multilingual_path).load()
            except DependencyError:
                if self.multilingual == "on":
                    raise
        return _Loaded(
            detectors=detectors,
            classifier=classifier,
            encoder=encoder,
            multilingual=multilingual,
            confusables=load_confusables(),
        )

    def _ready(self) -> _Loaded:
        loaded = self._loaded
        if loaded is None:  # first use loads; call load() up front to pay it at start-up
            self.load()
            loaded = self._loaded
        assert loaded is not None
        return loaded

    @property
    def stages(self) -> list[str]:
        """The learned stages loaded besides the rules: "ngram", "encoder", "multilingual"."""
        loaded = self._ready()
        named = (
            ("ngram", loaded.classifier),
            ("encoder", loaded.encoder),
            ("multilingual", loaded.multilingual),
        )
        return [name for name, part in named if part is not None]

    @property
    def detector_ids(self) -> list[str]:
        return [d.id for d in self._ready().detectors]

    def inspect(self, text: str, role: str | Role = Role.USER) -> ScanResult:
        if not isinstance(text, str):
            raise InputError(f"text must be a str, got {type(text).__name__}")
        return self.inspect_batch([Message(text=text, role=_role(role))])[0]

    def inspect_batch(self, messages: Iterable[Message]) -> list[ScanResult]:
        """One result per message. A message longer than `window_chars` is inspected in
        overlapping windows and every finding is kept; text past `max_chars` is not
        inspected, and the result says so with a finding at full score (fail closed)."""
        if isinstance(messages, str | bytes) or not isinstance(messages, Iterable):
            raise InputError("messages must be an iterable of Message")
        loaded = self._ready()
        items = list(messages)
        for i, m in enumerate(items):
            if not isinstance(m, Message) or not isinstance(m.text, str):
                raise InputError(f"messages[{i}] must be a Message with a str text")
            if not isinstance(m.role, Role):
                try:
                    items[i] = replace(m, role=_role(m.role))
                except InputError as exc:
                    raise InputError(f"messages[{i}].{exc}") from None
        pieces: list[tuple[int, int, Message]] = []  # (owner, offset, window)
        for owner, m in enumerate(items):
            if len(m.text) <= self.window_chars:
                pieces.append((owner, 0, m))
                continue
            for offset, chunk in windows(m.text[: self.max_chars], self.window_chars):
                pieces.append((owner, offset, Message(text=chunk, role=m.role)))
        prepared = [(m, canonicalize(m.text, loaded.confusables)) for _, _, m in pieces]
        scores = self._score(loaded, prepared)
        encoded = self._encode(loaded, prepared, scores)
        parts: list[list[tuple[int, ScanResult]]] = [[] for _ in items]
        for (owner, offset, _), (m, canon), s, e in zip(
            pieces, prepared, scores, encoded, strict=True
        ):
            parts[owner].append((offset, self._decide(loaded, m, canon, s, e)))
        return [
            self._merge(
                parts[i],
                cut=len(m.text) > self.max_chars,
                text=m.text[: self.max_chars],
                detectors=loaded.detectors,
            )
            for i, m in enumerate(items)
        ]

    def _score(
        self, loaded: _Loaded, prepared: list[tuple[Message, Canonical]]
    ) -> list[list[dict[str, HeadScore]]]:
        if loaded.classifier is None:
            return [[] for _ in prepared]
        texts: list[str] = []
        owners: list[int] = []
        sides: list[str] = []
        for i, (message, canon) in enumerate(prepared):
            for t in [canon.text, *(v.text for v in canon.views)]:
                texts.append(t)
                owners.append(i)
                sides.append(side_of(message.role.value))
        flat = loaded.classifier.score_batch(texts, sides)
        out: list[list[dict[str, HeadScore]]] = [[] for _ in prepared]
        for i, s in zip(owners, flat, strict=True):
            out[i].append(s)
        return out

    def _encode(
        self,
        loaded: _Loaded,
        prepared: list[tuple[Message, Canonical]],
        scores: list[list[dict[str, HeadScore]]],
    ) -> list[dict[str, HeadScore] | None]:
        """The encoder's best score per head over each message's windows, for the
        messages it judges: inbound documents always; inbound user turns always in
        "always" mode, and in "cascade" mode where a cheap head is unsure."""
        out = foreign_scores(loaded.multilingual, prepared)
        # a user turn the multilingual stage judged (inbound, not English) is not also
        # read by the English encoder, unless it holds English too ("… Quote it
        # exactly. Спасибо!"): on another author's non-English customer messages the
        # English encoder was the only finding on 9 of 166 attacks and on 7 of 134
        # harmless messages ("개발자인데요 … 무시(ignore)" at 0.993). Documents still
        # are: its `indirect` head finds planted tasks in other languages that the
        # stage does not (TaskTracker's non-English documents; docs/guard.md)
        foreign = {
            i
            for i, scored in enumerate(out)
            if scored is not None
            and prepared[i][0].role is not Role.DOCUMENT
            and not has_english_part(prepared[i][1].text)
        }
        if loaded.encoder is not None:
            # the prompt_injection detector turns the cheap `injection` head into a
            # finding as it is: sure of a turn only when it runs and no tenant
            # calibration may move its score
            sure = self.calibration is None and any(
                d.id == "prompt_injection" for d in loaded.detectors
            )
            reads = [
                read
                for read in self._encoder_reads(prepared, scores, sure_of_injection=sure)
                if read[0] not in foreign
            ]
            # a document in another language: only the English encoder's planted-task
            # heads count there (why it still reads it). Its fraud and harmful heads
            # learned English words: an Italian HR notice about changing one's IBAN only
            # in the portal scored 0.9994 as fraud (another author's trial 9); no
            # non-English fraud or harmful document in ../shared/datasets says they add
            # anything there
            planted_only = {
                i
                for i, _, _ in reads
                if out[i] is not None and prepared[i][0].role is Role.DOCUMENT
            }
            encoder = loaded.encoder
            score_into(out, (r for r in reads if r[0] not in planted_only), encoder.score_batch)
            score_into(
                out,
                (r for r in reads if r[0] in planted_only),
                lambda texts, sides: [
                    {h: v for h, v in per_head.items() if h in _READS_ANY_LANGUAGE}
                    for per_head in encoder.score_batch(texts, sides)
                ],
            )
        return out

    def _encoder_reads(
        self,
        prepared: list[tuple[Message, Canonical]],
        scores: list[list[dict[str, HeadScore]]],
        sure_of_injection: bool = False,
    ) -> Iterator[tuple[int, list[str], str]]:
        """In cascade mode a user turn is read where a cheap head is unsure: one
        scores it at least CASCADE_FLOOR, and the `prompt_injection` detector is not
        already sure of it (its head at CASCADE_SURE or more: the turn is flagged as
        a threat whatever the encoder says, which would only add reasons)."""
        for i, ((message, canon), s) in enumerate(zip(prepared, scores, strict=True)):
            if not message.role.inbound or not canon.text.strip():
                continue
            document = message.role is Role.DOCUMENT
            unsure = max((h.score for views in s for h in views.values()), default=0.0)
            if not document and self.encoder == "cascade":
                if unsure < CASCADE_FLOOR:
                    continue
                if sure_of_injection and max(
                    (v["injection"].score for v in s if "injection" in v), default=0.0
                ) >= max(CASCADE_SURE, self.threshold):
                    continue
            yield i, encoder_reads(canon.text, document=document), side_of(message.role.value)

    def _decide(
        self,
        loaded: _Loaded,
        message: Message,
        canon: Canonical,
        scores: list[dict[str, HeadScore]],
        encoded: dict[str, HeadScore] | None = None,
    ) -> ScanResult:
        role = Role.USER if message.role is Role.CUSTOMER else message.role
        context = Context(role=role, canonical=canon, head_scores=scores, encoder=encoded)
        side = side_of(message.role.value)
        found: list[Finding] = []
        for detector in loaded.detectors:
            if role not in detector.roles and message.role not in detector.roles:
                continue
            try:
                produced = detector.analyze(context)
            except Exception as exc:  # fail closed: a broken detector is a reason to look
                found.append(
                    Finding(
                        detector=detector.id,
                        domain=detector.domain,
                        category=detector.category,
                        score=self.threshold,
                        span=None,
                        evidence=f"detector failed: {exc!r}",
                    )
                )
                continue
            if self.calibration is not None:  # never applied to the fail-closed finding
                produced = self.calibration.apply(produced, side=side, threshold=self.threshold)
            found.extend(produced)
        # a document quoting an order still hands it to the model (`unquote` keeps every
        # finding of such a quotation); in a document only a warning reports a quotation
        if role in (Role.USER, Role.DOCUMENT):
            # blanked text -> the learned stages' scores of it, read once for both fraud heads
            learned_again: dict[
                str, tuple[list[dict[str, HeadScore]], dict[str, HeadScore] | None]
            ] = {}

            def rerun(detector_id: str, blanked: str) -> list[Finding]:
                """One detector again, on the text with its reported quotations blanked."""
                detector = next(d for d in loaded.detectors if d.id == detector_id)
                canon_again = canonicalize(blanked, loaded.confusables)
                try:
                    heads, encoded_again = scores, encoded
                    if detector_id in READ_WHOLE:  # a learned head reads the blanked text
                        if blanked not in learned_again:
                            again_heads = self._score(loaded, [(message, canon_again)])[0]
                            learned_again[blanked] = (
                                again_heads,
                                self._encode(loaded, [(message, canon_again)], [again_heads])[0],
                            )
                        heads, encoded_again = learned_again[blanked]
                    again = Context(
                        role=role,
                        canonical=canon_again,
                        head_scores=heads,
                        encoder=encoded_again,
                    )
                    produced = list(detector.analyze(again))
                except Exception:  # fail closed: the quoted finding is kept as it was
                    return [f for f in found if f.detector == detector_id]
                if self.calibration is not None:
                    produced = self.calibration.apply(produced, side=side, threshold=self.threshold)
                return produced

            found = unquote(
                found,
                canon.original,
                self.threshold,
                rerun,
                _orders_the_ai,
                document=role is Role.DOCUMENT,
            )
        found = _one_rule_a_span(found)
        top = max((f.score for f in found), default=0.0)
        kept = tuple(
            sorted((f for f in found if f.score >= self.threshold), key=lambda f: -f.score)
        )
        # masked whether or not the message is flagged: a value under the threshold (a
        # claim number without its context word, a name after a title) is still masked
        redacted = _redaction(loaded.detectors, found)
        return ScanResult(
            flagged=top >= self.threshold,
            score=top,
            findings=kept,
            threshold=self.threshold,
            redacted=redacted,
            near=None if kept else _near(found),
        )

    def _merge(
        self,
        parts: list[tuple[int, ScanResult]],
        *,
        cut: bool,
        text: str,
        detectors: list[Any],
    ) -> ScanResult:
        if len(parts) == 1 and not cut:
            return parts[0][1]
        found = _distinct(_shifted(f, offset) for offset, r in parts for f in r.findings)
        notes: list[str] = []
        if len(parts) > 1:
            notes.append(f"inspected in {len(parts)} windows of {self.window_chars} characters")
        if cut:
            notes.append(f"input capped at {self.max_chars} characters: the rest was not inspected")
            found.append(
                Finding(
                    detector="input_limit",
                    domain=Domain.SECURITY,
                    category="unverified_content",
                    score=1.0,
                    span=(self.max_chars, self.max_chars),
                    evidence=f"text past {self.max_chars} characters was not inspected",
                )
            )
        top = max([f.score for f in found] + [r.score for _, r in parts], default=0.0)
        redacted = parts[0][1].redacted
        if len(parts) > 1:
            # a window masked something: every masking detector over the whole text (a
            # value can straddle two windows, or lie under the threshold in a window
            # whose findings `found`, the flagged ones, does not carry); none when a
            # detector that masked cannot redact a text (a plugin without `redact`).
            # Past max_chars nothing was inspected, so nothing of it is in the redaction
            masked_by = {f.detector for f in found if f.redacted is not None}
            whole = all(
                callable(getattr(d, "redact", None)) for d in detectors if d.id in masked_by
            )
            masked = any(r.redacted for _, r in parts)
            redacted = _masked_by_all(detectors, text) if masked and whole else None
        near = [_shifted(r.near, offset) for offset, r in parts if r.near is not None]
        return ScanResult(
            flagged=top >= self.threshold,
            score=top,
            findings=tuple(sorted(found, key=lambda f: -f.score)),
            threshold=self.threshold,
            truncated=cut,
            redacted=redacted,
            notes=tuple(notes),
            near=None if found else _near(near),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class _Loaded:
    detectors: list[Any]
    classifier: TextClassifier | None
    encoder: EncoderModel | None
    multilingual: MultilingualModel | None
    confusables: dict[str, str]


# a user turn goes to the encoder when a cheap head scores it at least this
# (calibrated: 0.5 is the head's operating point), in "cascade" mode
CASCADE_FLOOR = 0.2
# the English encoder's heads that count on a document in another language
_READS_ANY_LANGUAGE = frozenset({"injection", "indirect"})
# ... unless the `injection` head is this sure (calibrated) that it is an attack:
# the turn is flagged a threat already, and the encoder would only add reasons
CASCADE_SURE = 0.9
ENCODER_WINDOW = 300  # characters: about the 64 tokens the encoder reads
ENCODER_OVERLAP = 75
ENCODER_MAX_WINDOWS = 8


@functools.cache
def _order_detectors() -> tuple[Any, ...]:
    """The detectors of orders to the AI, whether or not this guard runs them."""
    registry = build_registry()
    return tuple(registry[i]() for i in sorted(TO_THE_AI) if i in registry)


def _orders_the_ai(quote: str) -> bool:
    """Whether a quotation reads as an order to the AI: a pattern of the detectors of
    such orders matches it, their own allowance for quoted text aside."""
    return any(
        p.regex.search(quote)
        for d in _order_detectors()
        if hasattr(d, "patterns_for")
        for p in d.patterns_for(quote)
    )


def _one_rule_a_span(found: list[Finding]) -> list[Finding]:
    """One rule finding for the same words: of the rules of one category whose spans
    overlap, the highest score (channelguard's own rule before a community pack's on
    a tie, its title written for customer channels), naming the others. Seven rules
    on "ignore all previous instructions" said one thing seven times, some under
    titles for other settings ("… via MCP Tool"). Rules of another category stay
    apart: a prompt leak is not folded under an injection."""
    rules = sorted(
        (f for f in found if f.detector == "rules" and f.span is not None and f.rule),
        key=lambda f: (f.domain, f.category, f.span),
    )
    out = [f for f in found if not (f.detector == "rules" and f.span is not None and f.rule)]
    groups: list[list[Finding]] = []
    for f in rules:
        assert f.span is not None
        first = groups[-1][0] if groups else None
        # one domain and category, overlapping the group's first span (not chained on)
        if (
            first is not None
            and first.span is not None
            and (first.domain, first.category) == (f.domain, f.category)
            and f.span[0] < first.span[1]
        ):
            groups[-1].append(f)
        else:
            groups.append([f])
    for same in groups:
        same.sort(key=lambda f: (-f.score, not (f.rule or "").startswith("cg:"), f.rule or ""))
        top, rest = same[0], same[1:]
        if rest:
            also = tuple(f.rule or "" for f in rest)
            top = replace(
                top, evidence=f"{top.evidence} (also: {', '.join(also)})", also_rules=also
            )
        out.append(top)
    return out


def _distinct(found: Iterable[Finding]) -> list[Finding]:
    """One finding per (detector, span, evidence): two overlapping windows both read
    what lies in their overlap, and it was listed twice. The higher score is kept."""
    best: dict[tuple[str, tuple[int, int] | None, str], Finding] = {}
    for f in found:
        key = (f.detector, f.span, f.evidence)
        if key not in best or f.score > best[key].score:
            best[key] = f
    return list(best.values())


def _redaction(detectors: list[Any], found: Sequence[Finding]) -> str | None:
    """The message masked by every detector with a finding that carries a redaction, in
    the Guard's detector order, each on what the ones before it left (a card number
    and a firm's own account number in one reply are both masked). The findings'
    redactions are of the message itself, so the first detector's is taken as it is
    rather than computed again. Where a detector cannot redact a text (a plugin
    without `redact`): the top finding's own redaction."""
    masking = [f for f in found if f.redacted is not None]
    if not masking:
        return None
    mine = {f.detector: f.redacted for f in reversed(masking)}  # each one's top finding
    out: str | None = None
    for detector in detectors:
        if detector.id not in mine:
            continue
        if out is None:
            out = mine[detector.id]
            continue
        redact = getattr(detector, "redact", None)
        masked = redact(out) if callable(redact) else None
        if not isinstance(masked, str):
            return max(masking, key=lambda f: f.score).redacted
        out = masked
    return out


def _masked_by_all(detectors: list[Any], text: str) -> str | None:
    """`text` masked by every detector that can redact, in the Guard's order; None
    when none masks anything."""
    out = text
    for detector in detectors:
        redact = getattr(detector, "redact", None)
        masked = redact(out) if callable(redact) else None
        if isinstance(masked, str):
            out = masked
    return None if out == text else out


def _near(found: list[Finding]) -> Finding | None:
    """The finding behind a clean message's score, where it is worth a look."""
    best = max(found, key=lambda f: f.score, default=None)
    return best if best is not None and best.score >= NEAR_FLOOR else None


def encoder_reads(text: str, *, document: bool) -> list[str]:
    """What the encoder reads of a message: a document or tool result in windows (an
    instruction planted anywhere in it), a user turn from its start (its first window:
    the maximum over a long dialogue's windows flags benign dialogues, and the rule
    and n-gram detectors still read every window of it)."""
    chunks = encoder_windows(text)
    return chunks if document else chunks[:1]


def encoder_windows(text: str) -> list[str]:
    """What the encoder reads of a text: the text, or overlapping windows of it (an
    instruction appended to a long tool result is read on its own)."""
    return [chunk for _, chunk in encoder_spans(text)]


def encoder_spans(text: str) -> list[tuple[int, str]]:
    """`encoder_windows` with each window's offset in `text`."""
    if len(text) <= ENCODER_WINDOW + ENCODER_OVERLAP:
        return [(0, text)]
    step = ENCODER_WINDOW - ENCODER_OVERLAP
    starts = list(range(0, len(text) - ENCODER_OVERLAP, step))
    if len(starts) > ENCODER_MAX_WINDOWS:  # the head and the tail, where payloads sit
        half = ENCODER_MAX_WINDOWS // 2
        starts = starts[:half] + starts[-half:]
    return [(s, text[s : s + ENCODER_WINDOW]) for s in starts]


def windows(text: str, size: int) -> list[tuple[int, str]]:
    """Overlapping windows (offset, text) covering all of `text`; an attack that
    straddles a boundary lies whole in one window if it is shorter than the overlap."""
    if len(text) <= size:
        return [(0, text)]
    step = size - WINDOW_OVERLAP
    return [
        (start, text[start : start + size]) for start in range(0, len(text) - WINDOW_OVERLAP, step)
    ]


def _shifted(finding: Finding, offset: int) -> Finding:
    if not offset or finding.span is None:
        return finding
    start, end = finding.span
    return replace(finding, span=(start + offset, end + offset))


def _role(role: object) -> Role:
    try:
        if not isinstance(role, str):
            raise ValueError(role)
        return Role(role)
    except ValueError:
        raise InputError(f"role must be one of {', '.join(role_names())}, got {role!r}") from None


def _calibration(value: object) -> Calibration | None:
    if value is None or isinstance(value, Calibration):
        return value
    if isinstance(value, str):
        return load_calibration(value)
    raise InputError("calibration must be a Calibration or the path of a calibration file")


def _check_threshold(value: object) -> None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not 0.0 < value <= 1.0:  # type: ignore[operator]
        raise InputError(f"threshold must be a number in (0.0, 1.0], got {value!r}")


def _check_int(name: str, value: object, least: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InputError(f"{name} must be a whole number of at least {least}, got {value!r}")
