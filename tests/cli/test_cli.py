"""The CLI end to end in a subprocess: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli

run = run_cli


@pytest.mark.parametrize("example", ["bank.yaml", "deepfake_ceo.yaml", "retailer_abcd.yaml"])
def test_review_json_for_every_example(example: str) -> None:
    done = run("review", str(EXAMPLES / example), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["summary"]["actions"] == len(data["actions"]) > 0


def test_review_writes_markdown_with_a_sidecar_svg(tmp_path: Path) -> None:
    out = tmp_path / "review.md"
    done = run("review", str(EXAMPLES / "deepfake_ceo.yaml"), "-f", "md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "](review.svg)" in out.read_text()
    assert (tmp_path / "review.svg").read_text().lstrip().startswith("<?xml")


def test_fail_on_exposed_exits_one() -> None:
    done = run("review", str(EXAMPLES / "bank.yaml"), "--no-plan", "--fail-on-exposed")
    assert done.returncode == 1


def test_lint_reports_every_issue_with_exit_two(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (EXAMPLES / "deepfake_ceo.yaml").read_text()
    bad.write_text(
        text.replace("[video_identification]", "[video_idd]").replace(
            "kind: video", "kind: hologram"
        )
    )
    done = run("lint", str(bad))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) >= 1 and all(line.startswith(f"{bad}:") for line in lines)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["review", "lint"])
def test_missing_file_is_one_clear_line(command: str, tmp_path: Path) -> None:
    done = run(command, str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"channelguard: {tmp_path / 'nope.yaml'}: no such file"


def test_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\xff\xfe\x00\x01garbage")
    done = run("review", str(junk))
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(junk) in done.stderr


def test_lint_ok_example() -> None:
    done = run("lint", str(EXAMPLES / "bank.yaml"))
    assert done.returncode == 0 and "ok" in done.stdout


def test_a_reader_that_stops_early_gets_no_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import EXAMPLES

    events = tmp_path / "many.jsonl"  # far more output than a pipe buffers
    events.write_text(
        "".join(
            json.dumps(
                {
                    "session": f"s{i}",
                    "channel": "phone_agent",
                    "type": "action_request",
                    "action": "balance_inquiry",
                }
            )
            + "\n"
            for i in range(3000)
        )
    )
    command = (
        f"{sys.executable} -m channelguard decide {events} --model {EXAMPLES / 'bank.yaml'} "
        "| head -c 10"
    )
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == "" and len(done.stdout) == 10
    assert done.returncode in (0, 141)  # killed by SIGPIPE like any Unix tool, never 70
