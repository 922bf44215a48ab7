"""Bearer API keys with scopes: no key (or an unknown, revoked or expired one) is
401, a key without the route's scope is 403, a key over its request rate is 429
(with Retry-After). Open: /healthz, and the docs when configured so (docs.py);
requests without a valid key are limited per client address (`anonymous`), and
/healthz in a bucket of its own per address (`health`)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from channelguard.register.keys import ApiKey
from channelguard.serve.limits import KeyRateLimit

__all__ = ["anonymous", "health", "require"]

_bearer = HTTPBearer(auto_error=False, description="An API key: channelguard keys create")


def require(scope: str) -> Callable[..., ApiKey]:
    def check(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> ApiKey:
        challenge = {"WWW-Authenticate": "Bearer"}
        if credentials is None or credentials.scheme.lower() != "bearer":
            anonymous(request)
            raise HTTPException(401, "an API key is required: Authorization: Bearer KEY", challenge)
        key: ApiKey | None = request.app.state.service.keys.verify(credentials.credentials)
        if key is None:
            anonymous(request)  # guessing keys costs a token of the address's bucket
            raise HTTPException(401, "unknown, revoked or expired API key", challenge)
        request.state.key = key  # who is asking, for the error handlers
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


def anonymous(request: Request) -> None:
    """A request without a valid key (an open route, a missing or unknown key) takes
    a token from its client address's bucket: over it is 429 with Retry-After."""
    _limit(request, request.app.state.service.anonymous)


def health(request: Request) -> None:
    """/healthz takes a token from a bucket of its own per client address: requests
    with wrong keys from the same address (every client behind one proxy) do not
    turn a load balancer's health checks into 429s."""
    _limit(request, request.app.state.service.health)


def _limit(request: Request, limiter: KeyRateLimit) -> None:
    wait = limiter.take(request.client.host if request.client else "unknown")
    if wait > 0:
        raise HTTPException(
            429,
            f"too many requests without a valid key from this address (over "
            f"{limiter.per_second:g} a second, burst {limiter.burst}); retry in {wait:.2f} s",
            {"Retry-After": limiter.retry_after(wait)},
        )
