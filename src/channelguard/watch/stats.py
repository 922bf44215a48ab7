"""The tests drift runs, each with its threshold stated (README "Drift"):

- PSI (population stability index) of the window against the reference, over
  the categories (a mix, a rate's yes/no) or over the reference's deciles (a
  score). Counts are smoothed by half an observation, so an empty bin is finite.
- A two-sample test: Fisher's exact test on a rate's 2x2 table, chi-squared on
  a mix's contingency table, Kolmogorov-Smirnov on scores. A rate is exact: at
  a small tenant a silenced detector leaves a table with few expected counts,
  where chi-squared with Yates' correction is too conservative to alert. Its
  p-values are adjusted across the metrics of one tenant and channel by
  Benjamini-Hochberg (`adjusted`).
- A change point: river's ADWIN run over the reference and then the window,
  in time order; a change found while it reads the window counts.

scipy and river are imported here only (extras `guard` and `watch`).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from typing import Any

from channelguard.errors import DependencyError

__all__ = ["adjusted", "change_in_window", "chi2_p", "ks_p", "psi_counts", "psi_scores"]

SMOOTH = 0.5  # observations added to every bin: an empty bin would make PSI infinite
SCORE_BINS = 10


def psi_counts(window: Sequence[float], reference: Sequence[float]) -> float:
    """PSI between two count vectors over the same categories."""
    w_total = sum(window) + SMOOTH * len(window)
    r_total = sum(reference) + SMOOTH * len(reference)
    psi = 0.0
    for w, r in zip(window, reference, strict=True):
        pw, pr = (w + SMOOTH) / w_total, (r + SMOOTH) / r_total
        psi += (pw - pr) * math.log(pw / pr)
    return psi


def psi_scores(window: Sequence[float], reference: Sequence[float]) -> float:
    """PSI over the reference's deciles (ties merged into one bin)."""
    ordered = sorted(reference)
    edges = sorted({ordered[int(len(ordered) * k / SCORE_BINS)] for k in range(1, SCORE_BINS)})
    return psi_counts(_binned(window, edges), _binned(reference, edges))


def _binned(values: Sequence[float], edges: Sequence[float]) -> list[float]:
    import bisect

    counts = [0.0] * (len(edges) + 1)
    for v in values:
        counts[bisect.bisect_right(edges, v)] += 1
    return counts


def chi2_p(window: Sequence[float], reference: Sequence[float]) -> float:
    """Test of homogeneity of two count vectors (categories seen in neither are
    dropped; one category left: nothing to test, p = 1): Fisher's exact test for
    two categories (a rate), chi-squared for more (a mix)."""
    try:
        from scipy.stats import chi2_contingency
    except ImportError:
        raise DependencyError("scipy", "watch") from None

    kept = [(w, r) for w, r in zip(window, reference, strict=True) if w + r > 0]
    if len(kept) < 2:
        return 1.0
    table = [[w for w, _ in kept], [r for _, r in kept]]
    if len(kept) == 2:
        from scipy.stats import fisher_exact

        return float(fisher_exact(table).pvalue)
    return float(chi2_contingency(table, correction=True).pvalue)


def ks_p(window: Sequence[float], reference: Sequence[float]) -> float:
    try:
        from scipy.stats import ks_2samp
    except ImportError:
        raise DependencyError("scipy", "watch") from None

    return float(ks_2samp(window, reference).pvalue)


def adjusted(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg q-values, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = running
    return q


def change_in_window(reference: Sequence[float], window: Sequence[float], *, delta: float) -> bool:
    """True when ADWIN, having read the reference, finds a change while reading the
    window."""
    try:  # untyped: taken as Any
        adwin: Any = importlib.import_module("river.drift").ADWIN
    except ImportError:
        raise DependencyError("river", "watch") from None
    detector = adwin(delta=delta)
    for x in reference:
        detector.update(x)
    for x in window:
        detector.update(x)
        if detector.drift_detected:
            return True
    return False
