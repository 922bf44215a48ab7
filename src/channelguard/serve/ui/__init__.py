"""The dashboard at /ui: server-rendered pages (Jinja2, htmx) over the service's
review and register, signed in with an API key (session.py, access.py). Every
script and style ships in the package (static/, static/vendor/): nothing is
loaded from another host."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from channelguard.serve.service import Service
from channelguard.serve.ui.access import Refused
from channelguard.serve.ui.context import Dashboard
from channelguard.serve.ui.incidents import incidents_router
from channelguard.serve.ui.pages import pages_router
from channelguard.serve.ui.signin import signin_router

__all__ = ["install_ui"]


def install_ui(app: FastAPI, service: Service) -> None:
    app.state.ui = Dashboard(service)

    @app.exception_handler(Refused)
    async def _refused(_: Request, exc: Refused) -> Response:
        return exc.response

    app.include_router(signin_router())
    app.include_router(incidents_router())
    app.include_router(pages_router())
    static = str(files("channelguard.serve.ui") / "static")
    app.mount("/ui/static", StaticFiles(directory=static), name="ui-static")
