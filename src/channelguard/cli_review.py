"""`review --save` and `review --diff`: reviews stored in the register and compared."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from channelguard.cli_support import console, open_database
from channelguard.errors import InputError, NotFoundError
from channelguard.review.delta import Posture, compare

__all__ = ["diff_reviews", "save_to_register"]

MAX_ID = 2**31 - 1  # the register's integer ids
MAX_REVIEW_BYTES = 200_000_000  # a review of 100,000 actions is about 150 MB of JSON


def save_to_register(
    model: Path, review: dict[str, Any], *, database: str | None, tenant: str
) -> int:
    """Store the review; its id (the model is named by its organization)."""
    from channelguard.register.reviews import save_review

    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    saved = save_review(
        open_database(database),
        tenant=tenant,
        model_name=str(review.get("organization") or model.stem)[:200],
        model_digest=digest,
        review=review,
    )
    console(stderr=True, highlight=False).print(
        f"saved review {saved.id} ({saved.model_name}, tenant {tenant}): "
        f"{saved.summary['exposed']} of {saved.summary['actions']} actions exposed",
        markup=False,
    )
    return saved.id


def diff_reviews(
    old: str, new: str, *, fmt: str, database: str | None, tenant: str
) -> dict[str, Any]:
    """What changed per action from OLD to NEW (each a saved id or a review JSON file)."""
    from channelguard.report.delta import deltas_to_dict, print_deltas

    old_label, before = _side(old, database, tenant)
    new_label, after = _side(new, database, tenant)
    deltas = compare(before, after)
    data = {"old": old_label, "new": new_label} | deltas_to_dict(deltas)
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        print_deltas(f"From {old_label} to {new_label}", deltas, console(highlight=False))
    return data


def _side(source: str, database: str | None, tenant: str) -> tuple[str, dict[str, Posture]]:
    from channelguard.register.reviews import get_review, summarize

    path = Path(source)
    if source.isascii() and source.isdigit() and not path.exists():
        if int(source) > MAX_ID:  # past any row id; PostgreSQL would refuse the number
            raise NotFoundError(f"no saved review {source[:20]}")
        saved = get_review(open_database(database), int(source), tenant=tenant)
        label = (
            f"saved review {saved.id} ({saved.model_name}, {saved.created_at:%Y-%m-%d %H:%M} UTC)"
        )
        # from the stored document: a review saved before the summary held the cost
        # after the plan still has it there (or says it has none)
        return label, _postures(summarize(saved.review))
    try:
        if path.stat().st_size > MAX_REVIEW_BYTES:
            raise InputError(f"{source}: over {MAX_REVIEW_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{source}: no such file, and not a saved review id") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{source}: not a review JSON file: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: not a review JSON file (`review --format json`)")
    try:
        return source, _postures(summarize(data))
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def _postures(summary: dict[str, Any]) -> dict[str, Posture]:
    cheapest, impact = summary["cheapest"], summary["impact"]
    after: dict[str, float | None] | None = summary.get("after_plan")
    return {
        action: Posture(
            impact_usd=impact[action],
            expected_cost_usd=_cost(cost),
            after_plan_usd=None if after is None else _cost(after[action]),
        )
        for action, cost in cheapest.items()
    }


def _cost(cost: float | None) -> float:
    return float("inf") if cost is None else cost
