"""The API's documentation, served from this machine: `/openapi.json` and a
Swagger UI at `/docs` whose script, styles and icon ship in the package
(swagger-ui-bundle-v2, in the `serve` extra), so the page works offline and
loads nothing from a CDN. `docs` in the configuration: `open` (anyone, within
the per-address limit for requests without a key), `keyed` (a key with the
`read` scope) or `off` (not served)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from channelguard.errors import DependencyError, NotFoundError
from channelguard.serve.auth import anonymous, require

__all__ = ["DocsAccess", "install_docs"]

DocsAccess = Literal["open", "keyed", "off"]
ASSETS = {  # what /docs loads, and nothing else is served from the bundle
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


def _bundle() -> Path:
    try:
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]
    except ImportError:
        raise DependencyError("swagger-ui-bundle-v2", "serve") from None
    return Path(str(swagger_ui_path))


def install_docs(app: FastAPI, access: DocsAccess) -> None:
    if access == "off":
        return
    bundle = _bundle()
    guard = [Depends(anonymous)] if access == "open" else [Depends(require("read"))]

    @app.get("/openapi.json", include_in_schema=False, dependencies=guard)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=guard)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )

    @app.get("/docs/assets/{name}", include_in_schema=False, dependencies=guard)
    def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise NotFoundError(f"no documentation asset '{name[:80]}'")
        return FileResponse(bundle / name, media_type=ASSETS[name])
