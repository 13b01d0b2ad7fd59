"""Ranks of small float arrays, and Spearman's correlation from them.

The same numbers as ``scipy.stats.rankdata`` and ``scipy.stats.spearmanr`` for the finite
1-d arrays the core ranks (checked against them in tests/test_ranks.py), without their
general-purpose wrapping: an ask ranks the observations several times, and at 1,000
observations that wrapping cost as much as the sorting (benchmarks/RESULTS.md, "Time per
trial").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["average_ranks", "dense_ranks", "spearman"]


def _sorted_groups(a: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """For each element, the 1-based index of its group of equal values in sorted order, and
    the sorted position where each group starts (with ``len(a)`` appended)."""
    order = np.argsort(a, kind="mergesort")
    ordered = a[order]
    starts_group = np.empty(len(a), dtype=bool)
    starts_group[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    group = np.empty(len(a), dtype=np.intp)
    group[order] = np.cumsum(starts_group)
    return group, np.append(np.flatnonzero(starts_group), len(a))


def dense_ranks(a: NDArray[np.float64]) -> NDArray[np.intp]:
    """1 for the smallest value, one more for each larger distinct value (ties share)."""
    return _sorted_groups(np.asarray(a, dtype=np.float64))[0]


def average_ranks(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1..n, tied values sharing the mean of the ranks they span."""
    group, starts = _sorted_groups(np.asarray(a, dtype=np.float64))
    # A group spanning sorted positions s..e-1 holds ranks s+1..e, whose mean is (s+1+e)/2.
    return np.asarray(0.5 * (starts[group] + starts[group - 1] + 1), dtype=np.float64)


def spearman(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Spearman's rank correlation of two equally long arrays; NaN when either is constant,
    holds a NaN or has fewer than two elements (no correlation is defined)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if len(a) < 2 or np.isnan(a).any() or np.isnan(b).any():
        return float("nan")
    if np.all(a == a[0]) or np.all(b == b[0]):
        return float("nan")
    # Columns, as scipy stacks them: the same correlation to the last bit.
    ranks = np.column_stack((average_ranks(a), average_ranks(b)))
    return float(np.asarray(np.corrcoef(ranks, rowvar=False))[1, 0])
