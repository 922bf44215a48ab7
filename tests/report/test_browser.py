"""The HTML report in a real headless Chromium: the page renders its graph and tables."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from channelguard.model.loader import load_file
from channelguard.report.documents import to_html
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(tmp_path: Path) -> Path:
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
    loaded = load_file(EXAMPLES / "deepfake_ceo.yaml")
    target = tmp_path / "report.html"
    target.write_text(to_html(loaded, run_review(loaded)), encoding="utf-8")
    return target


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_page_dom_has_graph_and_plan(page: Path, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "<svg" in dom and 'id="attack-graph"' in dom
    assert (
        'id="hardening-plan"' in dom
        and "oob_known_person" not in dom.split("hardening-plan")[0][-50:]
    )
    assert "wire_on_exec_instruction" in dom


def test_page_renders_to_a_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
