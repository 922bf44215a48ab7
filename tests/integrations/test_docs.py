"""Every Python snippet of docs/integrations.md between `<!-- run -->` and
`<!-- /run -->` runs as written (from the repository root, offline) and exits 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("agents")
pytest.importorskip("mcp")
pytest.importorskip("langgraph")

PAGE = ROOT / "docs" / "integrations.md"
SNIPPETS = [
    part.split("<!-- /run -->")[0].split("```python\n")[1].split("```")[0]
    for part in PAGE.read_text(encoding="utf-8").split("<!-- run -->")[1:]
]


def test_every_adapter_has_a_snippet() -> None:
    assert len(SNIPPETS) >= 3


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_runs(index: int, tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text(SNIPPETS[index], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "a snippet shows what it did"
