"""A quadratic model of the best observations, and the step to its minimiser.

Expected improvement weighs a candidate by the GP's uncertainty as well as its mean, so near
an optimum it takes small, safe steps around the best point. At 100 evaluations of BBOB's 5-d
functions a trust-region method that models the function (COBYLA, which Nevergrad's NGOpt picks
for that budget) was far ahead on the sphere, the bent cigar and the sharp ridge (mean regret
9e-9 against 5e-5 on f1, 3.8 against 3,250 on f12; benchmarks/RESULTS.md, "The quadratic model
step"). Stepping now and then to the minimiser of a quadratic fitted by least squares to the
best points is the surrogate step of lq-CMA-ES (Hansen, "A global surrogate assisted CMA-ES",
GECCO 2019) and of Nevergrad's MetaModel; the local solver takes it one ask in three on
continuous spaces (``_local.propose``), expected improvement the others.

A full quadratic in d variables has (d + 1)(d + 2) / 2 coefficients, and the fit takes half
again as many points: 347 in 20-d, 7,727 in 100-d, more than most searches there ever make. A
separable quadratic (squares, no products; 2 d + 1 coefficients) needs far fewer, as
lq-CMA-ES's model grows from a diagonal to a full quadratic with its training set; the local
solver fits one only on spaces of 43 floats and more (``_local._model_step_rows`` says why).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["points_needed", "quadratic_minimiser"]

# The step goes at most this many spreads (standard deviations of the fitted points, per
# coordinate) from the best point: a quadratic fitted to a neighbourhood is trusted about as
# far as that neighbourhood reaches.
_TRUST_SPREADS = 2.0
# Curvatures below this fraction of the largest are raised to it: along flat or concave
# directions the model knows no minimum, and the step there is bounded by the trust region.
_MIN_CURVATURE_RATIO = 1e-3


def _n_coefficients(d: int, *, separable: bool) -> int:
    """Terms of a quadratic in ``d`` variables: constant, linear, squares and (unless
    ``separable``) products."""
    return 1 + 2 * d if separable else 1 + d + d * (d + 1) // 2


def points_needed(d: int, *, separable: bool = False) -> int:
    """Fewest points the fit takes: half again as many as coefficients, so that least squares
    averages over the function's departures from a quadratic instead of interpolating them."""
    return -(-3 * _n_coefficients(d, separable=separable) // 2)


def quadratic_minimiser(
    X: NDArray[np.float64], y: NDArray[np.float64], *, separable: bool = False
) -> NDArray[np.float64] | None:
    """The minimiser of the quadratic fitted to the best points of ``(X, y)``, within
    ``_TRUST_SPREADS`` of the best point; None if too few points or a degenerate fit.

    The quadratic is full, or ``separable`` (no products). The fit takes the better half of
    the points, or :func:`points_needed` if more: far from the best the function is less
    quadratic. Coordinates
    are centred on the best point and scaled by the fitted points' spread, so the
    least-squares problem is well conditioned whatever the scale of the region.
    """
    n, d = X.shape
    needed = points_needed(d, separable=separable)
    if n < needed:
        return None
    best_first = np.argsort(y, kind="stable")[: max(needed, n // 2)]
    X, y = X[best_first], y[best_first]
    # Values relative to the best and to the fitted points' range: the same step for
    # ``a f + b`` up to rounding (not bit for bit: the searches of ``f`` and ``a f + b`` part
    # at the first step; benchmarks/RESULTS.md, "Fitting the values themselves"), and no
    # precision lost to a large offset.
    with np.errstate(over="ignore"):
        y = y - y[0]
    if not (np.isfinite(y[-1]) and y[-1] > 0.0):  # all equal, or beyond the float range
        return None
    y = y / y[-1]
    centre, spread = X[0], X.std(axis=0)
    if not np.all(spread > 0.0):  # a coordinate the points do not vary along
        return None
    U = (X - centre) / spread
    rows, cols = (np.arange(d), np.arange(d)) if separable else np.triu_indices(d)
    features = np.hstack([np.ones((len(U), 1)), U, U[:, rows] * U[:, cols]])
    coef, _, rank, _ = np.linalg.lstsq(features, y, rcond=None)
    if rank < features.shape[1]:  # the points do not determine a quadratic (on a plane, say)
        return None
    gradient = coef[1 : d + 1]
    hessian = np.zeros((d, d))
    hessian[rows, cols] = coef[d + 1 :]
    hessian += hessian.T  # doubles the diagonal: d²(c u²)/du² = 2c
    curvature, axes = np.linalg.eigh(hessian)
    if not np.all(np.isfinite(curvature)) or curvature.max() <= 0.0:
        return None
    curvature = np.maximum(curvature, _MIN_CURVATURE_RATIO * curvature.max())
    step = -axes @ ((axes.T @ gradient) / curvature)  # Newton step on the convexified model
    length = float(np.linalg.norm(step))
    if length > _TRUST_SPREADS:
        step *= _TRUST_SPREADS / length
    x = centre + step * spread
    return x if np.all(np.isfinite(x)) else None
