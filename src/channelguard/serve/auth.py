"""Bearer API keys with scopes: no key (or an unknown, revoked or expired one) is
401, a key without the route's scope is 403, a key over its request rate is 429
(with Retry-After). Only /healthz is open."""

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
            raise HTTPException(401, "unknown, revoked or expired API key", challenge)
        if not key.allows(scope):
            raise HTTPException(403, f"this key lacks the '{scope}' scope")
        limiter = request.app.state.service.limiter
        wait = limiter.take(key.id)
        if wait > 0:
            raise HTTPException(
                429,
                f"this key is over {limiter.per_second:g} requests a second "
                f"(burst {limiter.burst}); retry in {wait:.2f} s",
                {"Retry-After": limiter.retry_after(wait)},
            )
        return key

    return check
