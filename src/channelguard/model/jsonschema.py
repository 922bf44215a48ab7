"""The channel model as JSON Schema, generated from the pydantic models in `schema`.

`scripts/model_schema.py` writes it to docs/spec/channel-model.schema.json; a
test fails when that file is stale. The schema states shapes, types, ranges
and id patterns; the cross-references (a path's channel exists, a fallback
names another path) and the `hours` format are checked by `channelguard lint`.
"""

from __future__ import annotations

import json
from typing import Any

from channelguard.model.schema import ChannelModel

__all__ = ["model_json_schema", "schema_text"]


def model_json_schema() -> dict[str, Any]:
    schema = ChannelModel.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "channelguard channel model",
        "description": "docs/spec/channel-model.md with the extensions of docs/spec/extensions.md",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(model_json_schema(), indent=2, sort_keys=True) + "\n"
