"""`channelguard data upgrade`: a register left at an older revision (0003, with
keys, sessions, identities and an incident) is migrated to the newest with its
data kept; run again it changes nothing; a new file starts at the newest."""

from __future__ import annotations

import json
from pathlib import Path

from channelguard.register.revision import head_revision
from tests.conftest import run_cli
from tests.register.test_tenants_migration import _at_0003


def test_an_older_register_is_upgraded_with_its_data(db_url: str, tmp_path: Path) -> None:
    _at_0003(db_url)
    done = run_cli("data", "upgrade", "--database", db_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    head = head_revision()
    assert json.loads(done.stdout) == {"before": "0003", "after": head, "head": head}
    shown = run_cli("incidents", "list", "--database", db_url, "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    listed = json.loads(shown.stdout)
    items = listed["items"] if isinstance(listed, dict) else listed
    assert [i["title"] for i in items] == ["old attack"]
    again = run_cli("data", "upgrade", "--database", db_url, cwd=tmp_path)
    assert json.loads(again.stdout) == {"before": head, "after": head, "head": head}


def test_a_new_register_starts_at_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'cg.db'}"
    done = run_cli("data", "upgrade", "--database", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    head = head_revision()
    assert json.loads(done.stdout) == {"before": None, "after": head, "head": head}
