"""The reference pages (docs/reference/) are written from the code by
scripts/reference_docs.py: a stale page fails here, and the pages say what the
code does (every command and option described, every route with its scope,
every configuration field, every field and check of the rule-pack format, the
exit codes the CLI really ends with)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, run_cli

SCRIPT = ROOT / "scripts" / "reference_docs.py"
PAGES = ROOT / "docs" / "reference"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize(
    "name", ["cli.md", "api.md", "configuration.md", "exit-codes.md", "rule-packs.md"]
)
def test_the_checked_in_page_is_current(written: Path, name: str) -> None:
    fresh = (written / name).read_text(encoding="utf-8")
    kept = (PAGES / name).read_text(encoding="utf-8")
    assert kept == fresh, f"docs/reference/{name} is stale: run python scripts/reference_docs.py"


def test_every_command_and_option_is_there_and_described() -> None:
    import typer.main

    from channelguard.cli import app

    page = (PAGES / "cli.md").read_text(encoding="utf-8")
    script = _script()
    undescribed = []
    for path, command in script._commands(typer.main.get_command(app), ["channelguard"]):
        assert f"## `{' '.join(path)}`" in page
        ctx = command.make_context(path[-1], [], resilient_parsing=True)
        for param in command.params:
            record = param.get_help_record(ctx)
            if record is not None and not script._without_default(record[1]):
                undescribed.append(f"{' '.join(path)} {record[0]}")
    assert undescribed == []


def test_every_route_is_there_with_its_scope() -> None:
    page = (PAGES / "api.md").read_text(encoding="utf-8")
    for method, path, scope in [
        ("POST", "/v1/sessions/{session_id}/events", "ingest"),
        ("PATCH", "/v1/incidents/{incident_id}", "admin"),
        ("GET", "/v1/incidents", "read"),
        ("GET", "/healthz", "none"),
        ("GET", "/v1/feedback", "read"),
    ]:
        assert f"| {method} | `{path}` | {scope} |" in page
    assert "| POST | `/ui/plan/marks` | signed in with an admin key; CSRF token |" in page
    assert "| GET | `/ui/graph/whatif` | signed in (a read key) |" in page


def test_every_configuration_field_is_described() -> None:
    from channelguard.serve.config import ENV, ServiceConfig

    page = (PAGES / "configuration.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([\w.\[\]]+)` \|.*\| (.*) \|$", page, re.M)
    }
    for name in ServiceConfig.model_fields:
        assert rows.get(name, "").strip(), f"{name}: no description"
    for var in ENV:
        assert f"`{var}`" in page
    assert all(text.strip() for text in rows.values()), [
        k for k, v in rows.items() if not v.strip()
    ]


def test_every_rule_pack_field_and_check_is_described() -> None:
    """Every field of a pack, a rule, a pattern and examples has a row with its
    description, and every validator says what it checks (its docstring is the page's)."""
    from channelguard.guard.rules.model import ID, Severity

    page = (PAGES / "rule-packs.md").read_text(encoding="utf-8")
    for _, model in _script()._rule_models():
        assert f"\n## {model.__name__}\n" in page
        for name, field in model.model_fields.items():
            assert (field.description or "").strip(), f"{model.__name__}.{name}: no description"
            assert f"| `{name}` |" in page, f"{model.__name__}.{name}: not on the page"
        decorators = model.__pydantic_decorators__
        for dec in [*decorators.field_validators.values(), *decorators.model_validators.values()]:
            assert (dec.func.__doc__ or "").strip(), f"{model.__name__}: {dec.cls_var_name}"
    assert f"matches `{ID}`" in page
    assert all(f"| `{s.value}` | {s.score} |" in page for s in Severity)
    assert "\n$ channelguard rules lint examples/rules\n0 problem(s)\n" in page


def test_the_exit_codes_are_the_ones_the_code_uses() -> None:
    from channelguard import errors

    page = (PAGES / "exit-codes.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| ([\d-]+) \|", page, re.M))
    used = {str(c.exit_code) for c in vars(errors).values()
            if isinstance(c, type) and issubclass(c, errors.ChannelGuardError)}  # fmt: skip
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "src/channelguard").glob("cli*.py")
    )
    used |= set(re.findall(r"typer\.Exit\((\d+)\)", source))
    if re.search(r"typer\.Exit\(min\([^)]*, 125\)\)", source):
        used.add("1-125")
    assert used <= listed, f"used but not in the table: {used - listed}"
    if "signal.SIGPIPE, signal.SIG_DFL" in source:  # main(): a closed pipe ends us quietly
        used.add("141")
    assert listed <= used | {"0", "2"}, f"in the table but never used: {listed - used}"


def test_the_cli_ends_with_the_listed_codes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.db'}"
    cases = [
        (["incidents", "show", "999", "--database", db], 4),  # NotFoundError
        (["lint", str(tmp_path / "missing.yaml")], 2),  # InputError
        (["review", "--no-such-option"], 2),  # click's usage error
        (["review", str(ROOT / "examples" / "bank.yaml"), "--fail-on-exposed", "--no-plan"], 1),
        (["--version"], 0),
    ]
    for args, code in cases:
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == code, (args, done.stderr)
        assert "Traceback" not in done.stderr
