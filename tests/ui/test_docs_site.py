"""The documentation site as a newcomer meets it: built with `mkdocs build
--strict`, served locally and opened in Debian's chromium; from the home page
the nav leads to each industry's tutorial, which shows its commands and leads
on to the dashboard page; no console error, and nothing is fetched from
another host (the site works offline)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.serve.process import free_port

pytestmark = [pytest.mark.browser]

TUTORIALS = {
    "A retail bank": "channelguard review examples/bank.yaml",
    "A mobile carrier": "channelguard review examples/telecom.yaml",
    "An insurer": "channelguard review examples/insurer.yaml",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.parametrize("title", list(TUTORIALS))
def test_a_newcomer_reaches_their_tutorial_and_the_dashboard(
    browser: Any, site: str, title: str
) -> None:
    context = browser.new_context(base_url=site, viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto("/")
        page.locator("nav.md-nav--primary").get_by_role(
            "link", name=title, exact=True
        ).first.click()
        page.wait_for_url("**/tutorials/**")
        assert "Tutorial" in page.inner_text("h1")
        code = page.inner_text("article")
        assert TUTORIALS[title] in code
        assert "See it on the dashboard" in code
        page.locator("article").get_by_role("link", name="dashboard").first.click()
        page.wait_for_url("**/dashboard/**")
        assert "Dashboard" in page.inner_text("h1")
        assert errors == [] and outside == []
    finally:
        context.close()
