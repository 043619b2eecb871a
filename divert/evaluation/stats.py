"""Confidence intervals used by the metrics (closed forms from scipy and statsmodels).

>>> round(wilson(5, 10)[0], 3), round(wilson(5, 10)[1], 3)
(0.237, 0.763)
>>> lo, hi = rate_ratio_ci(10, 100, 20, 100)
>>> round(lo, 3), round(hi, 3)
(0.264, 0.946)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

Z = 1.959963984540054  # 95%


def wilson(hits: float, n: float) -> tuple[float, float]:
    """Wilson score interval for a proportion hits/n."""
    lo, hi = proportion_confint(hits, n, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def poisson_rate(events: float, exposure: float) -> tuple[float, float]:
    """Exact (Garwood) interval for events per unit of exposure."""
    lo = stats.chi2.ppf(0.025, 2 * events) / 2 if events > 0 else 0.0
    hi = stats.chi2.ppf(0.975, 2 * events + 2) / 2
    return float(lo / exposure), float(hi / exposure)


def rate_ratio_ci(a: float, n1: float, c: float, n2: float) -> tuple[float, float]:
    """Log relative-risk interval for (a/n1) / (c/n2) (Katz); needs a, c > 0."""
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return rr * math.exp(-Z * se), rr * math.exp(Z * se)


def diff_ci(a: float, n1: float, c: float, n2: float) -> tuple[float, float]:
    """Wald interval for the difference of two proportions a/n1 - c/n2."""
    p1, p2 = a / n1, c / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return p1 - p2 - Z * se, p1 - p2 + Z * se


def top_share(counts: np.ndarray, top: float = 0.1) -> float:
    """Share of all events held by the top `top` fraction of units (at least one unit)."""
    counts = np.sort(np.asarray(counts, float))[::-1]
    k = max(1, math.ceil(top * len(counts)))
    total = counts.sum()
    return float(counts[:k].sum() / total) if total else float("nan")


def bootstrap(counts: np.ndarray, fn, draws: int = 1000, seed: int = 0) -> tuple[float, float]:
    """Percentile interval of fn over units resampled with replacement."""
    rng = np.random.default_rng(seed)
    counts = np.asarray(counts)
    values = [fn(counts[rng.integers(0, len(counts), len(counts))]) for _ in range(draws)]
    values = [v for v in values if np.isfinite(v)]
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))
