"""Bearer API keys with scopes: no key (or an unknown or revoked one) is 401,
a key without the route's scope is 403. Only /healthz is open."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from channelguard.register.keys import ApiKey

__all__ = ["require"]

_bearer = HTTPBearer(auto_error=False, description="An API key: channelguard keys create")


def require(scope: str) -> Callable[..., ApiKey]:
    def check(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> ApiKey:
        challenge = {"WWW-Authenticate": "Bearer"}
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(401, "an API key is required: Authorization: Bearer KEY", challenge)
        key: ApiKey | None = request.app.state.service.keys.verify(credentials.credentials)
        if key is None:
            raise HTTPException(401, "unknown or revoked API key", challenge)
        if not key.allows(scope):
            raise HTTPException(403, f"this key lacks the '{scope}' scope")
        return key

    return check
