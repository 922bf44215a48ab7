"""What the dashboard holds for one app: the service, the session signer, the
templates (autoescaped: incident text is attacker-controlled) and the review of
the served channel model, computed once on first use (the model does not change
while the service runs)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from channelguard import __version__
from channelguard.register.plan_marks import PlanMarks
from channelguard.review.review import Review
from channelguard.serve.service import Service
from channelguard.serve.ui.session import SessionSigner

__all__ = ["HEADERS", "Dashboard"]

# scripts and styles from this service only; nothing framed; no address sent elsewhere
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # and so an Origin header on our own forms
    "Cache-Control": "no-store",
}


def usd(value: float | None) -> str:
    """Dollars as people read them: $1,234 (no attack: "none")."""
    if value is None or math.isinf(value):
        return "none"
    return f"${value:,.0f}" if abs(value) >= 100 else f"${value:,.2f}"


def when(iso: str | None) -> str:
    """An ISO time as a reader's UTC minute."""
    if not iso:
        return "-"
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class Dashboard:
    def __init__(self, service: Service) -> None:
        self.service = service
        config = service.config
        secret = config.secret() if config.claimed_identities == "hmac" else None
        self.signer = SessionSigner(secret)
        folder = str(files("channelguard.serve.ui") / "templates")
        self.env = Environment(
            loader=FileSystemLoader(folder),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["version"] = __version__
        self.env.filters["usd"] = usd
        self.env.filters["when"] = when
        self.marks = PlanMarks(service.db)

    def review(self) -> Review:
        """The served model's review with its plan, computed once (shared with
        /v1/review: Service.review)."""
        return self.service.review(with_plan=True)

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        body = self.env.get_template(template).render(**context)
        return HTMLResponse(body, status_code=status, headers=HEADERS)
