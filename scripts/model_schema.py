"""Write docs/spec/channel-model.schema.json, the channel model's JSON Schema, from
the pydantic models (tests/model/test_json_schema.py fails when it is stale).

    python scripts/model_schema.py
"""

from __future__ import annotations

from pathlib import Path

from channelguard.model.jsonschema import schema_text

OUT = Path(__file__).resolve().parents[1] / "docs/spec/channel-model.schema.json"


def main() -> None:
    OUT.write_text(schema_text(), encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
