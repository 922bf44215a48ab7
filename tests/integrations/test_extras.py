"""Each adapter without its framework: importing it raises DependencyError naming
the `pip install`, and its CLI command exits 3 with that line (no traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ADAPTERS = [
    ("agents", "channelguard.integrations.openai_agents", "agents"),
    ("mcp.server.mcpserver", "channelguard.integrations.mcp_server", "mcp"),
    ("langgraph.graph", "channelguard.integrations.langchain", "langchain"),
    ("py_ocsf_models", "channelguard.integrations.ocsf", "siem"),
]
COMMANDS = [
    ("mcp.server.mcpserver", ["mcp"], "mcp"),
    ("py_ocsf_models", ["ocsf", "d.jsonl"], "siem"),
]


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.parametrize(("missing", "module", "extra"), ADAPTERS)
def test_adapter_without_its_framework_names_the_install(
    missing: str, module: str, extra: str, tmp_path: Path
) -> None:
    code = (
        f"import sys; sys.modules[{missing!r}] = None\n"
        f"try:\n    import {module}\nexcept Exception as exc:\n    print(type(exc).__name__, exc)\n"
    )
    done = _python(code, tmp_path)
    assert "DependencyError" in done.stdout, done.stderr
    assert f"pip install 'channelguard[{extra}]'" in done.stdout


@pytest.mark.parametrize(("missing", "args", "extra"), COMMANDS)
def test_command_without_its_extra_exits_3(
    missing: str, args: list[str], extra: str, tmp_path: Path
) -> None:
    (tmp_path / "d.jsonl").write_text("", encoding="utf-8")
    code = (
        f"import sys; sys.modules[{missing!r}] = None; sys.argv = ['channelguard', *{args!r}]\n"
        "from channelguard.cli import main; main()\n"
    )
    done = _python(code, tmp_path)
    assert done.returncode == 3, done.stderr
    assert f"pip install 'channelguard[{extra}]'" in done.stderr and "Traceback" not in done.stderr
