"""Guard latency and throughput on one core. Prints JSON.

- per message: `Guard.inspect` one message at a time, messages of 20 to 1,000
  characters drawn from the shared benign and attack sets; p50, p95, p99 in ms;
- batch: `scan` over N messages in JSONL, messages per second, in this process on
  one core, then with `--workers` processes over every core of the machine (the
  workers' start-up and guard loading are inside the time);
- per rule detector: mean ms per message on the same sample (classifier heads
  share one scoring pass and are timed as part of the per-message figure);
- peak resident memory of the process.

The process is pinned to one CPU and BLAS threads are limited to one before
numpy loads.

    python bench/latency.py [--datasets ../shared/datasets] [--n 3000] [--batch 20000] [--workers N]
        [--encoder cascade] [--multilingual auto] [--foreign 300]

The sample is the one every earlier run used (English and obfuscated text);
user turns in other languages, which the multilingual stage reads, are timed
apart (`--foreign`).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import io
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.detectors.base import Context
from channelguard.guard.guard import Guard
from channelguard.guard.registry import build_registry
from channelguard.guard.scan import scan_stream
from channelguard.guard.types import Role
from training.corpus import read_jsonl


def messages(root: Path, n: int, rng: random.Random) -> list[tuple[str, str]]:
    pool: list[tuple[str, str]] = []
    for name in [
        "attacks_jailbreak",
        "attacks_indirect_injection",
        "attacks_social_engineering",
        "toxicity",
    ]:
        pool += [(r["text"], r["role"]) for r in read_jsonl(root / f"{name}.jsonl")]
    customer = [(r["text"], r["role"]) for r in read_jsonl(root / "benign_customer.jsonl.gz")]
    pool += rng.sample(customer, min(len(customer), len(pool)))
    out = []
    for _ in range(n):
        text, role = rng.choice(pool)
        out.append((text[: rng.choice([60, 200, 500, 1000])], role))
    return out


def foreign_turns(root: Path, n: int, rng: random.Random) -> list[str]:
    """User turns in other languages: benign ones and attacks, up to 1,000 characters."""
    pool = [r["text"] for r in read_jsonl(root / "benign_multilingual.jsonl.gz")]
    pool = rng.sample(pool, min(len(pool), n))
    pool += [
        r["text"] for r in read_jsonl(root / "attacks_multilingual_3.jsonl") if r["lang"] != "en"
    ]
    return [t[:1000] for t in rng.sample(pool, min(len(pool), n))]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def per_detector(sample: list[tuple[str, str]]) -> dict[str, float]:
    """Mean ms per message of each rule detector, on canonicalized text."""
    confusables = load_confusables()
    contexts = []
    for text, role in sample:
        r = Role(role)
        contexts.append(
            Context(
                role=Role.USER if r is Role.CUSTOMER else r,
                canonical=canonicalize(text, confusables),
            )
        )
    out: dict[str, float] = {}
    for detector_id, cls in build_registry().items():
        if hasattr(cls, "head"):
            continue
        detector = cls()
        t = time.perf_counter()
        for context in contexts:
            if context.role in detector.roles:
                detector.analyze(context)
        out[detector_id] = round((time.perf_counter() - t) * 1000 / len(contexts), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--detectors", default=None, help="as scan takes them (default set)")
    parser.add_argument("--encoder", default="cascade", help="off, cascade or always")
    parser.add_argument("--multilingual", default="auto", help="auto, on or off")
    parser.add_argument("--foreign", type=int, default=300, help="non-English turns timed apart")
    args = parser.parse_args()
    ids = args.detectors.split(",") if args.detectors else None
    every_core = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    if every_core is not None:
        os.sched_setaffinity(0, {every_core[0]})
    rng = random.Random(3)
    t0 = time.perf_counter()
    guard = Guard(detectors=ids, encoder=args.encoder, multilingual=args.multilingual).load()
    load_s = time.perf_counter() - t0
    sample = messages(args.datasets, args.n, rng)
    for text, role in sample[:50]:
        guard.inspect(text, role=role)  # warm-up
    times = []
    by_role: dict[str, list[float]] = {"user turns": [], "documents": []}
    for text, role in sample:
        t = time.perf_counter()
        guard.inspect(text, role=role)
        times.append((time.perf_counter() - t) * 1000)
        by_role["documents" if role == "document" else "user turns"].append(times[-1])
    foreign = []
    for text in foreign_turns(args.datasets, args.foreign, rng):
        t = time.perf_counter()
        guard.inspect(text, role="user")
        foreign.append((time.perf_counter() - t) * 1000)
    batch = messages(args.datasets, args.batch, rng)
    source = io.StringIO("".join(json.dumps({"text": t, "role": r}) + "\n" for t, r in batch))
    sink = io.StringIO()
    t = time.perf_counter()
    stats = scan_stream(guard, source, sink)
    batch_s = time.perf_counter() - t
    one_core = sorted(os.sched_getaffinity(0)) if every_core is not None else None
    per_message_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if every_core is not None:
        os.sched_setaffinity(0, set(every_core))  # the workers may use every core
    source.seek(0)
    pooled_sink = io.StringIO()
    t = time.perf_counter()
    scan_stream(guard, source, pooled_sink, workers=args.workers)
    pooled_s = time.perf_counter() - t
    if pooled_sink.getvalue() != sink.getvalue():
        raise SystemExit("scan with workers wrote other lines than scan in one process")
    print(
        json.dumps(
            {
                "benchmark": "latency",
                "cpu_affinity": one_core,
                "load_seconds": round(load_s, 3),
                "per_message": {
                    "n": len(times),
                    "max_chars": 1000,
                    "p50_ms": round(percentile(times, 0.5), 3),
                    "p95_ms": round(percentile(times, 0.95), 3),
                    "p99_ms": round(percentile(times, 0.99), 3),
                    "mean_ms": round(statistics.fmean(times), 3),
                },
                "per_role": {
                    name: {
                        "n": len(v),
                        "p50_ms": round(percentile(v, 0.5), 3),
                        "p99_ms": round(percentile(v, 0.99), 3),
                    }
                    for name, v in by_role.items()
                    if v
                },
                "non_english_user_turns": {
                    "n": len(foreign),
                    "p50_ms": round(percentile(foreign, 0.5), 3) if foreign else None,
                    "p99_ms": round(percentile(foreign, 0.99), 3) if foreign else None,
                    "what": "benign and attack user turns of other languages, timed apart "
                    "(not in the figures above)",
                },
                "detectors": ids or "default",
                "encoder": args.encoder,
                "multilingual": args.multilingual,
                "stages": guard.stages,
                "batch_scan": {
                    "n": stats.lines,
                    "seconds": round(batch_s, 2),
                    "messages_per_second": round(stats.lines / batch_s),
                },
                "batch_scan_workers": {
                    "workers": args.workers,
                    "cores": len(every_core) if every_core is not None else os.cpu_count(),
                    "seconds": round(pooled_s, 2),
                    "messages_per_second": round(stats.lines / pooled_s),
                    "same_output_as_one_process": True,
                },
                "per_detector_mean_ms": per_detector(sample),
                "peak_rss_mb": round(per_message_rss, 1),  # this process; each worker has its own
                "targets": {
                    "user_turns_p50_ms": 2,
                    "user_turns_p99_ms": 15,
                    "documents_p99_ms": 60,
                    "messages_per_second_workers_2": 1000,
                    "rss_mb": 600,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    run_script(main)
