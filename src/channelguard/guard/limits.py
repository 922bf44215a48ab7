"""How much of a message the guard reads: cheap to import (the CLI's defaults)."""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_CHARS", "DEFAULT_WINDOW_CHARS", "WINDOW_OVERLAP"]

DEFAULT_WINDOW_CHARS = 20_000  # one inspection window; longer text is inspected in several
DEFAULT_MAX_CHARS = 1_000_000  # past this the text is not inspected, and the result says so
WINDOW_OVERLAP = 1_000  # an attack shorter than this lies whole in one window
