"""The OpenAPI document, with the caps this deployment is configured with.

Route signatures carry fixed outer bounds; the real caps (`REPGRAPH_MAX_DEPTH`,
`REPGRAPH_MAX_HOPS_CAP`, `REPGRAPH_MAX_PAGE`) come from settings at start-up.
Writing them into the document as `maximum` lets a client, or a fuzzer, know
exactly which values will be accepted; a value above them still gets a 422
naming the parameter.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from config import Settings

#: (path, parameter) -> the setting that caps it.
CAPPED: dict[tuple[str, str], str] = {
    ("/api/paths", "max_hops"): "max_hops_cap",
    ("/api/entities/{id}/neighbourhood", "depth"): "max_depth",
    ("/api/entities/{id}/neighbourhood", "limit"): "max_page",
    ("/api/entities/{id}", "limit"): "max_page",
}


def _cap_parameter(schema: dict[str, Any], cap: int) -> None:
    for variant in schema.get("anyOf", [schema]):
        if variant.get("type") == "integer":
            variant["maximum"] = min(cap, variant.get("maximum", cap))


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Serve an OpenAPI document whose bounds are this deployment's caps."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                   description=app.description, routes=app.routes)
            for path, operations in document.get("paths", {}).items():
                for operation in operations.values():
                    for parameter in operation.get("parameters", []):
                        setting = CAPPED.get((path, parameter["name"]))
                        if setting is not None:
                            _cap_parameter(parameter["schema"], getattr(settings, setting))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
