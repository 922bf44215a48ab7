"""The checked-in JSON Schema of the channel model is current, every example
validates against it, and it refuses what the loader refuses in shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from channelguard.errors import ModelError
from channelguard.model.jsonschema import schema_text
from channelguard.model.loader import load_data
from channelguard.model.yamlsource import read_yaml
from tests.conftest import EXAMPLES, ROOT

SCHEMA_FILE = ROOT / "docs" / "spec" / "channel-model.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_checked_in_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/spec/channel-model.schema.json is stale: run python scripts/model_schema.py"
    )


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_validates(example: Path) -> None:
    errors = list(_validator().iter_errors(read_yaml(example).data))
    assert errors == [], [e.message for e in errors]


def _model(**action: Any) -> dict[str, Any]:
    base = {"id": "wire", "tier": "T4", "impact_usd": 5, "owner": "finance", "paths": []}
    return {
        "organization": "X",
        "version": "1",
        "channels": [{"id": "phone", "kind": "voice", "staffed_by": "human"}],
        "actions": [base | action],
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"impact_usd": -1},
        {"tier": "T9"},
        {"kind": "wire"},
        {"colour": "blue"},
        {"id": "has space"},
        {"paths": [{"id": "a", "channel": "phone", "requires": [{"any_of": []}]}]},
        {"paths": [{"id": "a", "channel": "phone", "approvals": 11}]},
    ],
)
def test_schema_and_loader_both_refuse(bad: dict[str, Any]) -> None:
    data = _model(**bad)
    assert list(_validator().iter_errors(data))
    with pytest.raises(ModelError):
        load_data(data)


def test_a_stated_kind_validates() -> None:
    assert not list(_validator().iter_errors(_model(kind="payout_change")))
