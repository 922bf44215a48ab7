"""The training and benchmark scripts answer a missing dataset with one line, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "script",
    [
        "scripts/train_classifier.py",
        "bench/detection.py",
        "bench/latency.py",
        "bench/generalization.py",
    ],
)
def test_missing_dataset_is_one_line_and_exit_2(script: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / script), "--datasets", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and "attacks_jailbreak.jsonl: no such file" in lines[0]
    assert "Traceback" not in done.stderr


def test_the_retailer_example_is_what_its_generator_makes() -> None:
    """examples/retailer_abcd.yaml is scripts/abcd_to_model.py's output, kinds included:
    an edit by hand would be lost at the next regeneration."""
    from tests.conftest import EXAMPLES, shared_file

    abcd = shared_file("datasets", "raw", "abcd", "kb.json").parent
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "abcd_to_model.py"), str(abcd)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == (EXAMPLES / "retailer_abcd.yaml").read_text()
