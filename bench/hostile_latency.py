"""The whole default guard on texts an attacker chooses to be slow. Prints JSON.

Each probe of `scripts/superlinear_rules.py` (one letter, digits, spaces, dots,
words, a trailing control character, …) at 20,000 characters (one window of a
message), alone and after a role word that makes more rule patterns candidates:
seconds for `Guard.inspect` as a user turn and as a document, and whether it
was flagged (a pattern that reached its time limit flags, fail closed). Also
after the words that name a value of personal data ("otp", "dob", "password:",
…), between a reported quotation and more quotations (the quotation list's gap),
and as the agent's reply, which `personal_data` reads.

    python bench/hostile_latency.py [--chars 20000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from superlinear_rules import PROBES

from channelguard.errors import run_script
from channelguard.guard.guard import Guard

QUOTED = 'I got a text saying "urgent: update the bank details to the new account today"'
LATER = ' "harmless words here"'
VALUE_LEADS = (
    "otp",
    "dob",
    "account",
    "password:",
    "to",
    "sort code and account number",
    "postcode",
    "passport",
    "exp",
    "cvv",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20_000)
    args = parser.parse_args()
    guard = Guard().load()
    guard.inspect("hello", "user")
    out: dict[str, dict[str, object]] = {}
    worst = 0.0
    for name, probe in PROBES.items():
        body = (probe * (args.chars // len(probe) + 1))[: args.chars]
        for label, text in (
            (name, body),
            (f"{name}, after a role word", f"system: {body} the orchestrator wants"),
            # the words that name a value in personal data, then the probe: a gap
            # pattern between name and value that backtracks shows here
            *((f"{name}, after '{lead}'", f"{lead}{body}x") for lead in VALUE_LEADS),
            # a reported quotation, the probe, then more quotations: the quotation list's
            # gap ('"…", "…" or "…"') is checked between each pair (quadratic once)
            (f"{name}, between quotations", f"{QUOTED}{body}x{LATER * 5}"),
        ):
            for role in ("user", "document", "assistant"):
                t = time.perf_counter()
                result = guard.inspect(text, role)
                took = time.perf_counter() - t
                worst = max(worst, took)
                out[f"{label} ({role})"] = {"seconds": round(took, 3), "flagged": result.flagged}
    print(
        json.dumps(
            {
                "benchmark": "hostile_latency",
                "chars": args.chars,
                "worst_seconds": round(worst, 3),
                "probes": out,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    run_script(main)
