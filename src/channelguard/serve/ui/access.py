"""Who is looking at the dashboard: a signed-in key, checked on every request.

`signed_in`: a valid session cookie whose key still exists, is neither revoked
nor expired and may read; anything else is a redirect to /ui/login (and costs a
token of the address's bucket, like every request without a valid key).
`editor`: that, an admin key, and the page's CSRF token (form field `csrf` or
header `X-CSRF-Token`); a write without either is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from channelguard.register.keys import ApiKey
from channelguard.serve.limits import KeyRateLimit
from channelguard.serve.ui.context import HEADERS, Dashboard
from channelguard.serve.ui.session import COOKIE, SignedSession

__all__ = ["Refused", "Viewer", "editor", "form", "over_limit", "refusal", "signed_in", "writer"]

MAX_FORM_FIELDS = 50


@dataclass(frozen=True, kw_only=True, slots=True)
class Viewer:
    key: ApiKey
    session: SignedSession
    csrf: str

    @property
    def can_edit(self) -> bool:
        return self.key.allows("admin")

    @property
    def tenant(self) -> str | None:
        return self.key.tenant  # None: a global admin key, every tenant


class Refused(Exception):
    """A request the dashboard answers with `response` instead of the page."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def refusal(status: int, message: str) -> Refused:
    body = f"<!doctype html><html lang=en><title>{status}</title><p>{message}</p></html>"
    return Refused(HTMLResponse(body, status_code=status, headers=HEADERS))


def over_limit(request: Request) -> bool:
    """Takes a token of the client address's bucket; True when it is empty."""
    limiter: KeyRateLimit = request.app.state.service.anonymous
    return limiter.take(request.client.host if request.client else "unknown") > 0


def signed_in(request: Request) -> Viewer:
    ui: Dashboard = request.app.state.ui
    session = ui.signer.read(request.cookies.get(COOKIE))
    key = ui.service.keys.usable(session.key_id) if session is not None else None
    if session is None or key is None or not key.allows("read"):
        if over_limit(request):
            raise refusal(429, "Too many requests without signing in: retry in a moment.")
        to_login = RedirectResponse("/ui/login", status_code=303, headers=HEADERS)
        to_login.delete_cookie(COOKIE, path="/ui")
        raise Refused(to_login)
    if ui.service.limiter.take(key.id) > 0:
        raise refusal(429, "This key is over its request rate: retry in a moment.")
    request.state.key = key
    return Viewer(key=key, session=session, csrf=ui.signer.csrf(session))


async def form(request: Request) -> dict[str, str]:
    """The urlencoded form a page posted (first value of each field)."""
    cached: dict[str, str] | None = getattr(request.state, "form", None)
    if cached is None:
        if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
            cached = {}
        else:
            raw = (await request.body()).decode("utf-8", errors="replace")
            try:
                fields = parse_qs(raw, max_num_fields=MAX_FORM_FIELDS)
            except ValueError:  # more fields than any page sends
                fields = {}
            cached = {k: v[0] for k, v in fields.items() if v}
        request.state.form = cached
    return cached


def _same_origin(request: Request) -> bool:
    """A browser names the page a POST came from; another site's is refused."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def writer(request: Request, viewer: Viewer = Depends(signed_in)) -> Viewer:  # noqa: B008
    """A signed-in write: the page's CSRF token, from this site."""
    ui: Dashboard = request.app.state.ui
    sent = request.headers.get("x-csrf-token") or (await form(request)).get("csrf")
    if not _same_origin(request) or not ui.signer.csrf_ok(viewer.session, sent):
        raise refusal(403, "This change lacks its CSRF token: reload the page and retry.")
    return viewer


async def editor(viewer: Viewer = Depends(writer)) -> Viewer:  # noqa: B008
    """A write that changes the register: an admin key's."""
    if not viewer.can_edit:
        raise refusal(403, "This key may read, not change: sign in with an admin key.")
    return viewer
