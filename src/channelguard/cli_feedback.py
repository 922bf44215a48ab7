"""`channelguard guard feedback` and `channelguard guard calibrate`: mark findings
from a deployment (stored per tenant in the register), and re-fit the tenant's
operating points from them. Nothing is retrained: the weights never change.

Exit codes as elsewhere; `feedback --file` exits with the number of unusable
lines (1-125) when the rest were stored.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from channelguard.cli_register import _actor
from channelguard.cli_support import DatabaseUrl, Fmt, check_format, console, guarded, open_database
from channelguard.errors import InputError, NotFoundError
from channelguard.escape import terminal as shown

if TYPE_CHECKING:
    from channelguard.guard.calibrate import CalibrationReport, Change
    from channelguard.guard.types import Message
    from channelguard.register.feedback import FeedbackIn, FeedbackStore

__all__ = ["guard_app"]

guard_app = typer.Typer(
    help="The guard's detectors; feedback from deployments: mark findings, re-fit a "
    "tenant's operating points.",
    no_args_is_help=True,
)
CHUNK = 200  # marks stored per transaction
Tenant = Annotated[str, typer.Option("--tenant", help="Whose marks (a tenant name)")]


@guard_app.command("detectors")
def detectors(fmt: Fmt = "table") -> None:
    """Every detector scan can run (built in and installed through the
    channelguard.detectors entry point): id, domain, in the default set or opt-in
    (name it: --detectors default,ID), category, the roles it reads, what it finds."""
    from channelguard.guard.registry import build_registry

    def body() -> list[dict[str, Any]]:
        check_format(fmt)
        return [
            {
                "id": cls.id,
                "domain": cls.domain.value,
                "default": bool(cls.default),
                "category": cls.category,
                "roles": sorted(r.value for r in cls.roles),
                "description": cls.description,
            }
            for cls in build_registry().values()
        ]

    rows = guarded(body)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    from channelguard.escape import control_free

    for r in rows:  # tab-separated, one a line (a plugin's text without control characters)
        where = "default" if r["default"] else "opt-in"
        cells = [r["id"], r["domain"], where, r["category"], r["description"]]
        sys.stdout.write("\t".join(control_free(str(c)) for c in cells) + "\n")


@guard_app.command("feedback")
def feedback(
    database: DatabaseUrl = None,
    tenant: Tenant = "default",
    false_positive: Annotated[
        bool, typer.Option("--false-positive", help="The finding was wrong")
    ] = False,
    missed: Annotated[bool, typer.Option("--missed", help="The detector missed an attack")] = False,
    confirmed: Annotated[bool, typer.Option("--confirmed", help="The finding was right")] = False,
    detector: Annotated[str | None, typer.Option(help="The detector id")] = None,
    text: Annotated[str | None, typer.Option(help="The scanned text (stored redacted)")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help='JSONL, one mark a line: {"label": "false_positive"|"missed"|"confirmed", '
            '"detector": …, "text": …, "role": …, "score": …, "rule": …, "channel": …, '
            '"note": …, "ref": …} (the options give defaults)',
        ),
    ] = None,
    role: Annotated[str | None, typer.Option(help="The text's role (default user)")] = None,
    channel: Annotated[str | None, typer.Option(help="The channel it came in on")] = None,
    score: Annotated[float | None, typer.Option(help="The finding's score")] = None,
    rule: Annotated[str | None, typer.Option(help="The rule id, for the rules detector")] = None,
    note: Annotated[str | None, typer.Option(help="Why")] = None,
    ref: Annotated[
        str | None, typer.Option(help="A stored event:ID, decision:ID or session:ID")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who marks (default: you)")] = None,
) -> None:
    """Mark a finding wrong (--false-positive), right (--confirmed) or a miss (--missed),
    for one tenant; --text for one mark, --file for many."""
    labels = [n for n, on in [("false_positive", false_positive), ("missed", missed),
                              ("confirmed", confirmed)] if on]  # fmt: skip
    defaults = {
        "label": labels[0] if len(labels) == 1 else None,
        "detector": detector,
        "text": text,
        "role": role,
        "channel": channel,
        "score": score,
        "rule": rule,
        "note": note,
        "ref": ref,
    }

    def body() -> tuple[list[dict[str, Any]], list[str], list[str]]:
        from channelguard.register.feedback import FeedbackStore
        from channelguard.register.keys import check_tenant

        if len(labels) > 1:
            raise InputError("give one of --false-positive, --missed, --confirmed")
        if file is not None and text is not None:
            raise InputError("give --text or --file, not both")
        check_tenant(tenant)
        store = FeedbackStore(open_database(database))
        who = _actor(actor)
        if file is None:
            return [store.add(_mark(defaults, {}, "options"), who, tenant=tenant)], [], []
        return _store_file(store, file, defaults, who, tenant)

    stored, problems, notes = guarded(body)
    err = console(stderr=True, highlight=False, soft_wrap=True)
    for line in [*problems, *notes]:
        err.print(shown(line))
    ids = [m["id"] for m in stored]
    span = f" (id {ids[0]})" if len(ids) == 1 else f" (ids {ids[0]}-{ids[-1]})" if ids else ""
    console(highlight=False, soft_wrap=True).print(
        shown(f"stored {len(ids)} mark(s) for tenant {tenant}{span}; {len(problems)} bad line(s)")
    )
    if problems:
        raise typer.Exit(min(len(problems), 125))


# a `scan` output line's own keys: read (findings, flagged) or passed over (the rest)
SCAN_KEYS = frozenset(
    {"id", "flagged", "findings", "error", "truncated", "redacted", "notes", "near", "line"}
)
# keys that say what the mark is: a mistake for "label", never passed over
_LABEL_LIKE = frozenset({"false_positive", "missed", "confirmed", "fp", "fn", "miss"})


class _PassOver(Exception):
    """A scan output line the label does not fit (a false positive not flagged)."""


def _mark(
    defaults: dict[str, Any],
    record: dict[str, Any],
    where: str,
    passed_over: set[str] | None = None,
) -> FeedbackIn:
    """A mark from the options and one line: the mark's own keys, or a `scan` output
    line (its top finding gives the detector, score and rule). Other keys a scan
    passed through (your own "attack" or "kind") are passed over, named in
    `passed_over`, except one that says what the mark is (`"false_positive": true`):
    that is refused, as a label written the wrong way."""
    import difflib

    from pydantic import ValidationError

    from channelguard.runtime.marks import FeedbackIn

    keys = set(FeedbackIn.model_fields)
    extra = sorted(set(record) - keys - SCAN_KEYS)
    wrong = [
        k
        for k in extra
        if k.replace("-", "_").lower() in _LABEL_LIKE or difflib.get_close_matches(k, keys, 1, 0.8)
    ]
    if wrong:
        raise _bad(
            where,
            wrong[0],
            f"unknown key (a line's keys: {', '.join(sorted(keys))}; "
            '"label" is "false_positive", "missed" or "confirmed")',
        )
    if passed_over is not None:
        passed_over.update(extra)
    record = _from_scan(record, defaults, where)
    record = {k: v for k, v in record.items() if k in keys}
    if isinstance(record.get("label"), str):
        record = {**record, "label": record["label"].replace("-", "_")}
    merged = {k: v for k, v in {**defaults, **record}.items() if v is not None}
    if "label" not in merged:
        if where == "options":
            raise InputError("label: give --false-positive, --missed or --confirmed")
        raise _bad(
            where,
            "label",
            'give "label": "false_positive", "missed" or "confirmed" on the line, or '
            "--false-positive, --missed or --confirmed for every line",
        )
    if "detector" not in merged and merged["label"] == "missed":
        raise _bad(
            where,
            "detector",
            "name the detector that should have caught it: `channelguard scan` shows the "
            "one that came closest as `near` (or its findings' detectors)",
        )
    try:
        return FeedbackIn.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "record"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise _bad(where, field, message) from None


def _from_scan(record: dict[str, Any], defaults: dict[str, Any], where: str) -> dict[str, Any]:
    """A `scan` output line as a mark: its top finding (of the detector named, when
    one is) gives the detector, score and rule; a false positive must have been
    flagged and a miss not."""
    if "flagged" not in record and "findings" not in record and "error" not in record:
        return record
    if "error" in record:
        raise _PassOver("unreadable in the scan")
    # the line's own score is the message's (its top finding's), not the detector's
    record = {k: v for k, v in record.items() if k != "score"}
    label = str(record.get("label") or defaults.get("label") or "").replace("-", "_")
    flagged = record.get("flagged")
    if (label in ("false_positive", "confirmed") and flagged is False) or (
        label == "missed" and flagged is True
    ):
        raise _PassOver(f"{'' if flagged else 'not '}flagged by the scan, not {label}")
    findings = record.get("findings")
    want = record.get("detector") or defaults.get("detector")
    if label == "missed":
        # the detector's own score where the scan named it closest (near)
        near = record.get("near")
        if isinstance(near, dict) and near.get("detector") == want and "score" in near:
            return {**record, "score": near["score"]}
        return record
    if not isinstance(findings, list):
        return record
    top = next(
        (
            f
            for f in findings
            if isinstance(f, dict) and (want is None or f.get("detector") == want)
        ),
        None,
    )
    if top is None:
        if want is not None:
            raise _bad(where, "detector", f"the scan's findings have none of '{want}'")
        return record
    taken = {k: top[k] for k in ("detector", "score", "rule") if top.get(k) is not None}
    return {**taken, **{k: v for k, v in record.items() if k != "findings"}}


def _bad(where: str, field: str, message: str) -> InputError:
    """A mark's problem, naming the option the user gave (or did not) or the line's key."""
    if where == "options":
        return InputError(f"--{field.replace('_', '-')}: {message}")
    return InputError(f"{where}: {field}: {message}")


def _store_file(
    store: FeedbackStore, file: Path, defaults: dict[str, Any], who: str, tenant: str
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Every good line stored; one `FILE:N: what` per bad line; notes."""
    from channelguard.lines import open_input, parse_json_line, read_lines

    good: list[tuple[int, FeedbackIn]] = []
    problems: list[tuple[int, str]] = []
    passed_over: set[str] = set()
    skipped: dict[str, int] = {}
    with open_input(file) as source:
        for line in read_lines(source):
            try:
                if line.error is not None:
                    raise InputError(line.error)
                record = parse_json_line(line)
                if not isinstance(record, dict):
                    raise InputError("expected a JSON object")
                good.append((line.number, _mark(defaults, record, "", passed_over)))
            except _PassOver as over:
                skipped[str(over)] = skipped.get(str(over), 0) + 1
            except InputError as exc:
                why = str(exc).removeprefix(f"line {line.number}: ").removeprefix(": ")
                problems.append((line.number, why))
    stored: list[dict[str, Any]] = []
    for start in range(0, len(good), CHUNK):
        chunk = good[start : start + CHUNK]
        try:
            stored += store.add_many([m for _, m in chunk], who, tenant=tenant)
            continue
        except NotFoundError:  # a reference to a record the tenant does not have
            pass
        for number, mark in chunk:
            try:
                stored.append(store.add(mark, who, tenant=tenant))
            except NotFoundError as exc:
                problems.append((number, str(exc)))
    notes = [f"{file}: {n} line(s) passed over: {why}" for why, n in sorted(skipped.items())]
    if no_text := sum(1 for _, m in good if m.text is None):
        notes.append(
            f"{file}: {no_text} mark(s) without text: calibrate can only use the score sent "
            'with each (scan output carries no text; add the message\'s "text" to re-score it)'
        )
    if passed_over:
        keys = ", ".join(sorted(passed_over))
        notes.append(f"{file}: keys passed over (not part of a mark): {keys}")
    return stored, [f"{file}:{n}: {why}" for n, why in sorted(problems)], notes


@guard_app.command("calibrate")
def calibrate(
    database: DatabaseUrl = None,
    tenant: Tenant = "default",
    max_fp_rate: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="False-positive budget on the marked benign rows"),
    ] = 0.01,
    min_rows: Annotated[
        int, typer.Option(min=1, help="Marked rows a detector needs before it changes")
    ] = 3,
    write: Annotated[
        Path | None, typer.Option("--write", help="Write the tenant's calibration YAML here")
    ] = None,
    harmless: Annotated[
        Path | None,
        typer.Option(
            "--harmless",
            help="The tenant's ordinary messages (a scan input: JSONL, a JSON array or "
            "text): what a lower threshold would flag. No threshold is lowered without "
            "them",
        ),
    ] = None,
    fmt: Fmt = "table",
) -> None:
    """Re-fit the tenant's operating points from its marks; print old -> new per
    detector and the effect on the marked rows (and on --harmless messages). Only
    --write saves anything."""
    from channelguard.guard.calibrate import Mark
    from channelguard.guard.calibrate import calibrate as fit
    from channelguard.guard.guard import Guard
    from channelguard.register.feedback import FeedbackStore
    from channelguard.register.keys import check_tenant

    def body() -> CalibrationReport:
        check_format(fmt)
        check_tenant(tenant)
        marked = FeedbackStore(open_database(database)).marked(tenant)
        marks = [
            Mark(label=m.label, detector=m.detector, role=m.role, rule=m.rule, score=m.score,
                 text=m.text)
            for m in marked
        ]  # fmt: skip
        ordinary = _ordinary(harmless)
        report = fit(
            marks,
            tenant=tenant,
            max_fp_rate=max_fp_rate,
            min_rows=min_rows,
            guard=Guard(),
            harmless=ordinary,
        )
        if write is not None:
            _write(write, report)
        return report

    report = guarded(body)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        _table(report)
    err = console(stderr=True, highlight=False, soft_wrap=True)
    for c in report.changes:
        if c.changed and c.attacks == 0:  # a looser point with nothing to weigh it against
            err.print(
                shown(
                    f"warning: {_name(c)}: changed with no marked attack to weigh against, so what "
                    "it will now miss is unmeasured; mark attacks it catches (--confirmed) first"
                )
            )
    err.print(shown(f"wrote {write}" if write else "printed only: --write FILE saves it"))


def _ordinary(path: Path | None) -> list[Message]:
    """The --harmless messages; a line that is not one is named and passed over."""
    if path is None:
        return []
    from channelguard.guard.scan import open_input, read_messages

    with open_input(path) as source:
        messages, problems = read_messages(source)
    err = console(stderr=True, highlight=False, soft_wrap=True)
    for problem in problems[:20]:
        err.print(shown(f"{path}: {problem} (passed over)"))
    if len(problems) > 20:
        err.print(shown(f"{path}: {len(problems) - 20} more lines passed over"))
    return messages


def _write(path: Path, report: CalibrationReport) -> None:
    import yaml

    header = (
        f"# channelguard calibration for tenant {report.tenant}: operating points re-fitted\n"
        "# from its marked feedback by `channelguard guard calibrate`; no weights changed.\n"
    )
    data = report.calibration.model_dump(mode="json", exclude_none=True)
    try:
        path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None


def _table(report: CalibrationReport) -> None:
    out = console(highlight=False, soft_wrap=True)
    out.print(
        shown(
            f"tenant {report.tenant}: false-positive budget {report.max_fp_rate:g} of the "
            f"marked benign rows; at least {report.min_rows} marked rows per detector"
        )
    )
    if not report.changes:
        out.print(shown("no marked rows: nothing to calibrate"))
    for c in report.changes:
        name = _name(c)
        what = "rule" if c.kind == "rule" else "threshold"
        moved = f"{c.before} -> {c.after}" if c.changed else f"{c.before} unchanged"
        out.print(
            shown(
                f"{name}: {what} {moved}; false positives {c.fp_before}/{c.false_positives} "
                f"-> {c.fp_after}/{c.false_positives}; attacks caught {c.caught_before}/"
                f"{c.attacks} -> {c.caught_after}/{c.attacks}"
                + (
                    f"; ordinary messages flagged {c.harmless_before}/{c.harmless} -> "
                    f"{c.harmless_after}/{c.harmless}"
                    if c.harmless
                    else ""
                )
                + f"; {c.reason}"
            )
        )


def _name(change: Change) -> str:
    """A calibration change's subject: the rule, or the detector and its side."""
    if change.rule:
        return change.rule
    return f"{change.detector} ({change.side})" if change.side else change.detector
