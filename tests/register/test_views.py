"""The register answers with typed, frozen views, declared once: the API's
response models are those views; and the register, storage, imports nothing
from the layers above it (guard, decide, runtime, serve)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from channelguard.register.db import Database
from channelguard.register.records import IncidentIn, LinkIn, StepCheck
from channelguard.register.store import IncidentStore
from channelguard.register.views import (
    IncidentSummary,
    IncidentView,
    LinkView,
    StepView,
    TimelineEntry,
)
from tests.conftest import DEEPFAKE_WIRE, ROOT

REGISTER = ROOT / "src" / "channelguard" / "register"


@pytest.fixture
def store(db_url: str) -> Iterator[IncidentStore]:
    db = Database(db_url).open()
    yield IncidentStore(db)
    db.close()


def _wire(**extra: object) -> IncidentIn:
    data = {**DEEPFAKE_WIRE, "owners": {"finance": "Dana", "security": "Sam"}, **extra}
    return IncidentIn.model_validate(data)


def test_reads_and_writes_answer_with_typed_frozen_views(store: IncidentStore) -> None:
    made = store.create(_wire(), "alice")
    other = store.create(_wire(title="the second"), "alice")
    linked = store.link(made.id, LinkIn(to=other.id, type="enabled", note="same caller"), "bob")
    step = linked.steps[0].step
    done = store.check_step(made.id, StepCheck(step=step), "carol")
    assert isinstance(done, IncidentView) and isinstance(done.steps[0], StepView)
    assert done.steps[0].state == "done" and done.steps[0].done_by == "carol"
    assert isinstance(done.links[0], LinkView) and done.links[0].from_ == made.id
    assert all(isinstance(t, TimelineEntry) for t in store.timeline(made.id))
    page, total = store.list()
    assert total == 2 and all(type(i) is IncidentSummary for i in page)
    with pytest.raises(ValidationError):
        done.title = "changed behind the register's back"  # type: ignore[misc]


def test_a_view_reads_by_its_json_names_and_dumps_as_the_api_answers(
    store: IncidentStore,
) -> None:
    made = store.create(_wire(), "alice")
    other = store.create(_wire(title="the second"), "alice")
    linked = store.link(made.id, LinkIn(to=other.id, type="enabled"), "bob")
    as_json = linked.to_json()
    assert as_json["links"][0]["from"] == made.id and "from_" not in as_json["links"][0]
    assert linked["links"][0]["from"] == made.id and linked["title"] == made.title
    assert list(as_json)[:3] == ["id", "tenant", "version"]
    assert list(as_json)[-2:] == ["sessions", "session_count"]
    with pytest.raises(KeyError):
        linked["from_"]  # the Python name is not a JSON name


def test_the_api_answers_with_the_registers_own_views() -> None:
    from channelguard.serve import schemas

    assert schemas.IncidentOut is IncidentView
    assert schemas.IncidentSummary is IncidentSummary
    incident_fields = set(IncidentSummary.model_fields)
    for name in dir(schemas):
        model = getattr(schemas, name)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        if model.__module__ != schemas.__name__:
            continue
        # an envelope of the service's, never the incident's fields again
        assert len(incident_fields & set(model.model_fields)) < 5, name


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("above", ["guard", "decide", "runtime", "serve", "watch", "cli"])
def test_the_register_imports_nothing_from_above_it(above: str) -> None:
    prefix = f"channelguard.{above}"
    wrong = {
        f"{path.name}: {module}"
        for path in REGISTER.rglob("*.py")
        for module in _imports(path)
        if module == prefix or module.startswith(prefix + ".") or module.startswith(prefix + "_")
    }
    assert not wrong, sorted(wrong)
