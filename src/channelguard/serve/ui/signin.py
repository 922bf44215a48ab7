"""/ui/login and /ui/logout: an API key exchanged for a session cookie
(HttpOnly, SameSite=Strict, Secure over https, ending with the session)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from channelguard.serve.ui.access import Viewer, form, over_limit, refusal, writer
from channelguard.serve.ui.context import HEADERS, Dashboard
from channelguard.serve.ui.session import COOKIE

__all__ = ["signin_router"]


def signin_router() -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)

    @router.get("/login")
    def login_form(request: Request) -> Response:
        ui: Dashboard = request.app.state.ui
        if over_limit(request):
            raise refusal(429, "Too many requests without signing in: retry in a moment.")
        return ui.render("login.html", message="")

    @router.post("/login")
    async def login(request: Request) -> Response:
        ui: Dashboard = request.app.state.ui
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            raise refusal(403, "Sign in from this service's own page.")
        sent = (await form(request)).get("key", "").strip()
        key = ui.service.keys.verify(sent) if sent else None
        if key is None or not key.allows("read"):
            # a wrong key costs a token of the address's bucket, as on the API
            if over_limit(request):
                raise refusal(429, "Too many attempts: retry in a moment.")
            why = (
                "That key is unknown, revoked or expired."
                if key is None
                else ("That key may only send events: sign in with a read or admin key.")
            )
            return ui.render("login.html", status=401, message=why)
        expires = key.expires_at.timestamp() if key.expires_at else None
        session = ui.signer.issue(key.id, key_expires=expires)
        done = RedirectResponse("/ui", status_code=303, headers=HEADERS)
        done.set_cookie(
            COOKIE,
            session.cookie,
            max_age=max(0, int(session.expires - time.time())),
            path="/ui",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return done

    @router.post("/logout")
    def logout(_: Annotated[Viewer, Depends(writer)]) -> Response:
        done = RedirectResponse("/ui/login", status_code=303, headers=HEADERS)
        done.delete_cookie(COOKIE, path="/ui", httponly=True, samesite="strict")
        return done

    return router
