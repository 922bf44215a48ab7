"""HTTP hygiene at the edge, on the real app: body size however it is sent,
JSON nesting and duplicate keys refused before parsing, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.serve.conftest import Api


def _error(body: dict[str, Any], status: int) -> str:
    assert set(body) == {"error"} and body["error"]["status"] == status
    message: str = body["error"]["message"]
    return message


def test_a_chunked_body_over_the_limit_is_413(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"messages": [{"text": "'
        for _ in range(30):
            yield b"a" * 10_000
        yield b'"}]}'

    r = api.client.post("/v1/scan", headers={**api.ingest, "content-type": "application/json"},
                        content=chunks())  # fmt: skip
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413, r.text
    assert "over 200,000 bytes" in _error(r.json(), 413)


def test_a_chunked_body_within_the_limit_is_read_whole(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"messages": [{"text": "'
        yield b"hello " * 100
        yield b'"}]}'

    r = api.client.post("/v1/scan", headers={**api.ingest, "content-type": "application/json"},
                        content=chunks())  # fmt: skip
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]) == 1


def test_deep_json_is_422_before_parsing_and_names_the_limit(api: Api) -> None:
    for depth in (65, 500, 20_000):
        nest = '{"a": ' * depth + "1" + "}" * depth
        deep = '{"events": [{"type": "message", "channel": "phone_agent", "x": ' + nest + "}]}"
        r = api.client.post("/v1/sessions/s/events", headers={**api.ingest,
                            "content-type": "application/json"}, content=deep)  # fmt: skip
        assert r.status_code == 422, (depth, r.text[:200])
        assert "nested deeper than 64 levels" in _error(r.json(), 422)
        assert len(r.content) < 1_000  # no traceback


def test_brackets_inside_strings_are_not_nesting(api: Api) -> None:
    text = "[" * 5_000 + "{" * 5_000
    r = api.client.post("/v1/scan", headers=api.ingest, json={"messages": [{"text": text}]})
    assert r.status_code == 200, r.text


def test_a_duplicate_key_is_422_not_the_last_value(api: Api) -> None:
    body = (
        '{"events": [{"type": "verification", "factor": "kba", '
        '"result": "fail", "result": "pass"}]}'
    )
    r = api.client.post("/v1/sessions/dup/events", headers={**api.ingest,
                        "content-type": "application/json"}, content=body)  # fmt: skip
    assert r.status_code == 422, r.text
    assert "'result' twice" in _error(r.json(), 422)
    nested = '{"messages": [{"text": "a", "text": "b"}]}'
    r = api.client.post("/v1/scan", headers={**api.ingest, "content-type": "application/json"},
                        content=nested)  # fmt: skip
    assert r.status_code == 422 and "'text' twice" in _error(r.json(), 422)


def test_a_body_that_is_not_json_is_still_the_routes_422(api: Api) -> None:
    r = api.client.post("/v1/scan", headers={**api.ingest, "content-type": "application/json"},
                        content=b"{not json")  # fmt: skip
    assert r.status_code == 422
    _error(r.json(), 422)
