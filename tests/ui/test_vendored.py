"""The vendored scripts are the ones VENDORED.md lists (name, version, licence,
sha256), each with its licence beside it, and the pages load nothing else."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "src" / "channelguard" / "serve" / "ui"
FOLDERS = [UI / "static" / "vendor", Path(__file__).parent / "vendor"]


@pytest.mark.parametrize("folder", FOLDERS, ids=["dashboard", "tests"])
def test_vendored_files_match_their_listing(folder: Path) -> None:
    rows = re.findall(
        r"^\| (\S+) \| (\S+) \| (\S+) \| (\S+) \| `([0-9a-f]{64})` \|$",
        (folder / "VENDORED.md").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert rows, "VENDORED.md lists nothing"
    listed = set()
    for name, _version, _licence, file, digest in rows:
        assert hashlib.sha256((folder / file).read_bytes()).hexdigest() == digest, file
        assert (folder / f"{name}.LICENSE.txt").stat().st_size > 0, name
        listed.add(file)
    assert {p.name for p in folder.glob("*.js")} == listed  # nothing unlisted


def test_pages_load_only_shipped_files() -> None:
    for template in (UI / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="([^"{]+)"', text):
            if url.startswith("/ui/static/"):
                assert (UI / "static" / url.removeprefix("/ui/static/")).is_file(), url
            else:
                assert url.startswith(("/ui", "#", "data:")), f"{template.name}: {url}"


def test_every_dashboard_file_ships_in_the_wheel() -> None:
    """Each template, script, style and vendored file matches a package-data pattern
    of pyproject.toml, so an installed wheel serves the dashboard offline."""
    import tomllib
    from pathlib import PurePosixPath

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["channelguard"]
    package = ROOT / "src" / "channelguard"
    files = [p for p in UI.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert len(files) > 10

    def ships(path: Path) -> bool:  # setuptools' globs: `*` never crosses a folder
        rel = PurePosixPath(path.relative_to(package).as_posix())
        return any(rel.match(p) and len(rel.parts) == len(PurePosixPath(p).parts) for p in patterns)

    missing = [str(p) for p in files if "__pycache__" not in p.parts and not ships(p)]
    assert missing == [], f"not in [tool.setuptools.package-data]: {missing}"
