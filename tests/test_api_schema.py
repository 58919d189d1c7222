"""Property-based fuzz of the whole OpenAPI description (schemathesis), in process.

Every operation gets generated requests, valid and invalid; each answer must not
be a server error and must match the status codes, content types and schemas
the description promises. The operations are driven from one test over
`kz_store` (rather than `schemathesis.pytest.from_fixture`, which does not run
under pytest 9), so the fuzz follows `kz_store` onto every backend.
"""

from __future__ import annotations

import itertools

import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from graph.store import GraphStore

EXAMPLES_PER_OPERATION = 30


def test_every_operation_keeps_its_promises(kz_store: GraphStore) -> None:
    app = create_app(store=kz_store)
    app.state.store = kz_store  # schemathesis' ASGI transport does not run the lifespan
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/api/entities/{id}", "/api/entities/{id}/neighbourhood", "/api/entities/{id}/timeline",
        "/api/paths", "/api/relatives", "/api/cases/{id}/links", "/api/search", "/api/health"}
    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):
        if mode is schemathesis.GenerationMode.NEGATIVE and not operation.query:
            continue  # nothing to get wrong in /api/health and /api/stats

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def keeps_its_promises(case: schemathesis.Case) -> None:
            case.call_and_validate()

        keeps_its_promises()
