"""The archive of observations and the scale-free objective the tree and models see.

The tree and UCB work on ``z``: Gaussian quantiles of the observations' ranks (a Gaussian
copula, as in HEBO and the NeurIPS 2020 BBO challenge winners). Ranks make the partition
invariant to any increasing transform of the objective, and they absorb outliers and the
ordering rules below without inventing magnitudes. The local surrogate instead fits values
centred and scaled by robust statistics (``surrogate_targets``), which keeps the search as a
whole invariant to ``f -> a f + b`` with ``a > 0`` (the reference code's exploration constant
was absolute, or relative to the best value, which breaks when that is <= 0). The ranking:

1. feasible complete evaluations, by value;
2. pruned evaluations (stopped early), deeper step first, then by value (Optuna's TPE rule);
3. infeasible evaluations, by total constraint violation;
4. failed evaluations (NaN or infinite values), all tied last.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from ._ranks import average_ranks, dense_ranks

__all__ = ["Observations", "configuration_keys", "minus_inf_as_best"]

_INITIAL_CAPACITY = 64


def minus_inf_as_best(value: float) -> float:
    """A framework's loss as the core should be told it, where -inf is a legitimate loss (the
    best there is: Optuna and Nevergrad pass it on as it is). The core reads infinities as
    failed evaluations, so -inf becomes the most negative finite float, still the best."""
    return -sys.float_info.max if value == -math.inf else value


class Observations:
    """Growing arrays of observed points (unit cube), values and their ranking keys."""

    def __init__(self, dim: int) -> None:
        self._X = np.empty((_INITIAL_CAPACITY, dim))
        self._values = np.empty(_INITIAL_CAPACITY)
        self._violation = np.empty(_INITIAL_CAPACITY)
        self._pruned_step = np.empty(_INITIAL_CAPACITY)  # NaN when complete
        self.params: list[dict[str, Any]] = []  # as told, returned verbatim by best_params
        self._n = 0
        self._scores: NDArray[np.float64] | None = None
        self._keys: set[bytes] = set()  # ``configuration_keys`` of the first _keyed rows
        self._keyed = 0

    def __getstate__(self) -> dict[str, Any]:
        # The key set is derived from X (rebuilt on demand): a pickle need not carry it.
        state = self.__dict__.copy()
        state["_keys"], state["_keyed"] = set(), 0
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"_keys": set(), "_keyed": 0, **state})  # pickles made before them

    def __len__(self) -> int:
        return self._n

    @property
    def X(self) -> NDArray[np.float64]:
        return self._X[: self._n]

    @property
    def values(self) -> NDArray[np.float64]:
        return self._values[: self._n]

    def add(
        self,
        params: Mapping[str, Any],
        x: NDArray[np.float64],
        value: float,
        violation: float,
        step: int | None,
    ) -> None:
        if self._n == len(self._values):
            grow = 2 * self._n
            self._X = np.resize(self._X, (grow, self._X.shape[1]))
            for name in ("_values", "_violation", "_pruned_step"):
                setattr(self, name, np.resize(getattr(self, name), grow))
        self._X[self._n] = x
        self._values[self._n] = value
        self._violation[self._n] = violation
        self._pruned_step[self._n] = math.nan if step is None else float(step)
        self.params.append(dict(params))
        self._n += 1
        self._scores = None

    def observed_keys(self) -> set[bytes]:
        """``configuration_keys`` of every observation (do not modify): kept up to date
        incrementally, as building it from X at every ask cost 2-4 ms at 10,000 observations."""
        if self._keyed < self._n:
            self._keys.update(configuration_keys(self._X[self._keyed : self._n]))
            self._keyed = self._n
        return self._keys

    def _complete_feasible(self, indices: NDArray[np.intp] | None = None) -> NDArray[np.bool_]:
        """Mask of the observations (or of those at ``indices``) with a finite value, not
        pruned and not infeasible."""
        rows = slice(0, self._n) if indices is None else indices
        v = self._values[rows]
        return np.isfinite(v) & np.isnan(self._pruned_step[rows]) & (self._violation[rows] <= 0)

    def complete_values(
        self, indices: NDArray[np.intp]
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The complete, feasible observations among ``indices`` and their values: what a
        model of the objective itself may be fitted to (the others have no value, or one
        that is not the objective's)."""
        kept = indices[self._complete_feasible(indices)]
        return kept, self.values[kept]

    def surrogate_targets(self, indices: NDArray[np.intp]) -> NDArray[np.float64] | None:
        """Targets for a local surrogate trained on ``indices``: values, not ranks.

        Near an optimum the Gaussian quantiles of ranks form a cusp (the best point's score
        is an outlier of the tail); a GP fits it only with length scales as small as the gaps
        between points, and then predicts no improvement anywhere near the best point (on
        BBOB's sphere the search stalled). Values keep the objective's local smoothness: they
        are centred on their median, scaled by their interquartile range, and the
        worse-than-median side is log-compressed so that a few bad points cannot flatten the
        rest. Pruned, infeasible and failed points sit above the worst complete one, in
        their ranking order. None when fewer than 3 complete values are among ``indices``, or
        when they are all equal: the caller then uses the scores.
        """
        ok = self._complete_feasible(indices)
        values = self.values[indices]
        good = values[ok]
        if len(good) < 3 or np.ptp(good) <= 0.0:
            return None
        q25, median, q75 = np.percentile(good, [25, 50, 75])
        scale = float(q75 - q25) or float(np.std(good))
        with np.errstate(over="ignore", invalid="ignore"):
            y = (np.where(ok, values, median) - median) / scale
            y = np.where(y > 0.0, np.log1p(np.maximum(y, 0.0)), y)
        if not np.all(np.isfinite(y)):  # values near the float limits
            return None
        # Centring and scaling are affine-invariant only up to rounding; 9 decimals of a
        # unit-scale target are far below anything a GP resolves, and make ``a f + b`` give
        # bit-identical targets (hence identical proposals) in practice.
        y = np.round(y, 9)
        if not ok.all():
            rank = average_ranks(self.scores()[indices][~ok]) / (~ok).sum()
            y[~ok] = y[ok].max() + 0.5 * (1.0 + rank)
        return np.asarray(y, dtype=np.float64)

    def best_index(self) -> int:
        ok = np.flatnonzero(self._complete_feasible())
        if len(ok) == 0:
            raise ValueError("No feasible, complete, finite evaluation has been told yet.")
        return int(ok[np.argmin(self.values[ok])])

    def scores(self, first: int | None = None) -> NDArray[np.float64]:
        """``z``: lower is better, standard-normal quantiles of the ranking described above.

        With ``first``, the scores the first ``first`` observations had on their own (the
        ranking key orders any prefix as it orders the whole).
        """
        if first is not None and first < self._n:
            return _gaussian_copula(self._ranking_key()[:first])
        if self._scores is None:
            self._scores = _gaussian_copula(self._ranking_key())
        return self._scores

    def _ranking_key(self) -> NDArray[np.float64]:
        """One float per observation whose order is the ranking (ties kept as ties)."""
        n = self._n
        values, violation = self.values, self._violation[:n]
        step = self._pruned_step[:n]
        finite = np.isfinite(values)
        values = np.where(finite, values, 0.0)  # failures are group 3; keep NaN out of ranks
        pruned = ~np.isnan(step) & finite
        infeasible = (violation > 0) & finite
        group = np.where(infeasible, 2, np.where(pruned, 1, 0))
        group = np.where(finite, group, 3)
        within = np.zeros(n)
        for g in (0, 1, 2):
            members = group == g
            if not members.any():
                continue
            if g == 0:
                key = values[members]
            elif g == 1:  # deeper steps first: lexicographic (-step, value) as one dense rank
                key = dense_ranks(-step[members]) * (n + 1)
                key += dense_ranks(values[members])
            else:
                key = violation[members]
            within[members] = dense_ranks(key)
        return group * (n + 2.0) + within


def configuration_keys(X: NDArray[np.float64]) -> list[bytes]:
    """One hashable key per row of X (unit-cube points), equal for rows equal to 12 decimals:
    how repeated configurations are recognised."""
    return [row.tobytes() for row in np.round(X, 12)]


def _gaussian_copula(key: NDArray[np.float64]) -> NDArray[np.float64]:
    n = len(key)
    if n == 0:
        return np.zeros(0)
    ranks = average_ranks(key)
    return np.asarray(ndtri((ranks - 0.5) / n))
