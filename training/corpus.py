"""Reading ../shared/datasets and splitting it the same way for training and benchmarks.

Splits are by a stable hash of a grouping key (the BIPIA context, the first
words of an e-mail), so near-copies of one text never straddle train and test:
60% train, 15% validation (thresholds), 25% test (benchmarks only).
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from channelguard.errors import InputError

__all__ = ["bipia_injection", "group_key", "read_jsonl", "split_of"]

_LETTERS = re.compile(r"[^a-z]+")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise InputError(f"{path}: no such file (the shared datasets live in ../shared/datasets)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def group_key(row: dict[str, Any]) -> str:
    source = str(row.get("source", ""))
    if source.startswith("bipia:"):
        return ":".join(source.split(":")[:3])
    letters = _LETTERS.sub("", str(row["text"]).lower())
    return letters[:60] or str(row.get("id", ""))


def split_of(row: dict[str, Any]) -> str:
    bucket = zlib.crc32(group_key(row).encode()) / 2**32
    return "train" if bucket < 0.60 else "val" if bucket < 0.75 else "test"


def bipia_injection(clean: str, injected: str) -> str:
    """The instruction BIPIA planted: the text the injected copy adds to the clean one."""
    # one insertion is the usual case: strip the common prefix and suffix (fast)
    start = 0
    while start < min(len(clean), len(injected)) and clean[start] == injected[start]:
        start += 1
    end = 0
    while (
        end < min(len(clean), len(injected)) - start
        and clean[len(clean) - 1 - end] == injected[len(injected) - 1 - end]
    ):
        end += 1
    middle = injected[start : len(injected) - end]
    if len(clean) - start - end <= 0 and middle.strip():
        return middle.strip()
    matcher = difflib.SequenceMatcher(None, clean, injected, autojunk=False)
    added = [
        injected[j1:j2]
        for tag, _, _, j1, j2 in matcher.get_opcodes()
        if tag in ("insert", "replace")
    ]
    return max(added, key=len).strip() if added else ""
