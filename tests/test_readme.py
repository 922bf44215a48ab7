"""Docs cannot drift: every `$ channelguard …` line in the README and the pages under
docs/ runs and exits 0; the service walkthrough in docs/service.md runs verbatim."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

PAGES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "docs" / "tutorials").glob("*.md")),
]
COMMANDS = list(
    dict.fromkeys(
        [
            line[2:].strip()
            for page in PAGES
            for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("$ channelguard ")
        ]
    )
)


def test_readme_has_examples() -> None:
    assert len(COMMANDS) >= 4
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sum(line.startswith("$ channelguard ") for line in readme.splitlines()) >= 4


# a walkthrough's database lives in a temporary folder (the reader's /tmp; here
# the test's own), never in the folder the reader runs it from
TMP_DB = "sqlite:////tmp/"
CWD_DB = re.compile(r"sqlite:///(?![/$])|sqlite:///\$PWD|sqlite:///\$\(pwd\)")


def _args(command: str, tmp_path: Path) -> list[str]:
    args = shlex.split(command)[1:]
    args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
    return [a.replace(TMP_DB, f"sqlite:///{tmp_path}/") for a in args]


def test_walkthroughs_keep_databases_out_of_the_current_folder() -> None:
    found = [
        f"{page.relative_to(ROOT)}:{n}: {line.strip()}"
        for page in PAGES
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if CWD_DB.search(line)
    ]
    assert found == [], "databases in the reader's current folder:\n" + "\n".join(found)


def test_database_paths_are_moved_to_the_tests_folder(tmp_path: Path) -> None:
    command = "channelguard drift report --database sqlite:////tmp/cg.db --format json"
    assert _args(command, tmp_path)[3] == f"sqlite:///{tmp_path}/cg.db"


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command: str, tmp_path: Path) -> None:
    args = _args(command, tmp_path)
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_readme_service_walkthrough_runs(tmp_path: Path) -> None:
    """The service walkthrough (docs/service.md), run verbatim by bash (on a free port)."""
    import os
    import subprocess
    import sys

    from tests.serve.process import free_port

    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    block = text.split("<!-- walkthrough -->")[1].split("<!-- /walkthrough -->")[0]
    script = block.split("```bash\n")[1].split("```")[0].replace("8080", str(free_port()))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("CHANNELGUARD_DATABASE_URL", None)
    env["TMPDIR"] = str(tmp_path)  # the walkthrough's `mktemp -d`: under the test's folder
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"decision":"hold"' in done.stdout and '"rule":"hold-threat-on-t2-plus"' in done.stdout
    assert "Incident 1" in done.stdout and "lead: security" in done.stdout
    assert "severity critical" in done.stdout
    assert "opened automatically" in done.stdout
    assert "seen 1 time(s) across 1 session(s); 1 evidence item(s)" in done.stdout
    assert "caused by key:" in done.stdout and "(agent gateway)" in done.stdout
