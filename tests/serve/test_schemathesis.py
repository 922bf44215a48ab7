"""schemathesis generates requests from the OpenAPI document, valid ones and
invalid ones, with an admin key: no route answers with a server error, every
error has the one JSON shape, and every answer matches the schema the document
gives for it. (Driven through hypothesis directly: the
schemathesis pytest plugin does not load under this pytest.)"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.generation.modes import GenerationMode

from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"status", "code", "message", "details"} == set(body["error"]), body
        assert body["error"]["status"] == response.status_code
        # what a hostile request gets back is short and tells nothing of the inside
        assert len(response.content) < 20_000, len(response.content)
        assert "Traceback" not in response.text and 'File "' not in response.text
    return None


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_one_error_shape(db_url: str, mode: GenerationMode) -> None:
    # on SQLite and on PostgreSQL; the rate limit is off so every generated request
    # reaches its route (429 itself is tested in test_api.py)
    service = Service(
        ServiceConfig.load(
            model=EXAMPLES / "bank.yaml",
            database_url=db_url,
            rate_limit_per_second=0,
            anonymous_rate_limit_per_second=0,
        )
    ).start()
    headers = {"Authorization": f"Bearer {service.keys.create(['admin'])[1]}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(service))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    tried = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: Any) -> None:
            case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    error_shape,
                    response_schema_conformance,
                    content_type_conformance,
                ],
            )

        try:
            check()
            tried += 1
        except Unsatisfiable:  # nothing to make invalid (GET /healthz has no input)
            assert mode is GenerationMode.NEGATIVE
    service.stop()
    assert tried >= 12
