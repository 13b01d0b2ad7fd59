"""A small Gaussian-process surrogate: Matérn-5/2 ARD kernel, hyperparameters by MAP.

Written for the local solvers (``_local.py``), which train on at most a few hundred points of
one region: exact inference, hyperparameters by L-BFGS on the log marginal likelihood with
analytic gradients (Rasmussen & Williams 2006, Eq. 5.9) plus log priors on the length scales
and the noise (below), targets standardised beforehand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.linalg.lapack
import scipy.optimize
from numpy.typing import NDArray
from scipy.special import ndtr

__all__ = [
    "FIT_SETTINGS",
    "FitSettings",
    "GPFit",
    "GaussianProcess",
    "expected_improvement",
    "fit_units",
]

_SQRT5 = math.sqrt(5.0)
# Bounds of the log signal variance and noise variance (targets are standardised).
_LOG_SIGNAL = (math.log(0.05), math.log(20.0))
_LOG_NOISE = (math.log(1e-6), math.log(0.5))
_JITTER = 1e-8
# A coordinate whose training points span less than this (cube units) is fitted in cube units:
# its differences are at the level of rounding, not information (see fit_units).
_MIN_SPAN = 1e-9
_potrf, _potrs, _potri = scipy.linalg.lapack.get_lapack_funcs(
    ("potrf", "potrs", "potri"), dtype=np.float64
)

GPFit = Literal["map", "likelihood"]


@dataclass(frozen=True)
class FitSettings:
    """How the hyperparameters are fitted: priors (None: none), step cap, length-scale bounds and
    where the length scales start.

    The defaults make the fit a MAP estimate. Without priors, a fit to ~100 points in 20
    dimensions drives the noise to its floor and switches relevant dimensions off; with them (and
    the short start below) it beat plain likelihood on 20-d Ackley, Levy and Rastrigin and on the
    tabular family, and was level on 20-d Rosenbrock (benchmarks/results/gp_fit.md,
    benchmarks/RESULTS.md).
    """

    # log l_i ~ N(offset + log(d) / 2, sd), given as (offset, sd): the dimension-scaled prior of
    # Hvarfner, Hellsten & Nardi (2024, "Vanilla Bayesian optimization performs great in high
    # dimensions", ICML). The expected distance between points in [0, 1]^d grows as sqrt(d), so
    # the length scales that keep the model's complexity constant do too.
    lengthscale_prior: tuple[float, float] | None = (math.sqrt(2.0), math.sqrt(3.0))
    # log noise variance ~ N(mean, sd), given as (mean, sd): the prior BoTorch pairs with the
    # one above; it keeps the fit from interpolating every point exactly.
    noise_prior: tuple[float, float] | None = (-4.0, 1.0)
    # L-BFGS steps, from equal length scales. Measured before the priors existed: fewer steps
    # regularised plain likelihood in 20 dimensions (20 beat 40 on 20-d Ackley, Levy and
    # Rosenbrock, benchmarks/results/gp_fit_steps.md) but lost accuracy where the likelihood is
    # well determined (NAS-Bench-201 normalised score 92 -> 67, same seeds), so the fit keeps 40
    # and the priors do the regularising.
    max_iter: int = 40
    # Inputs live in [0, 1]^d: length scales below 0.005 would memorise single points and
    # above 20 switch a dimension off.
    log_lengthscale_bounds: tuple[float, float] = (math.log(0.005), math.log(20.0))
    # Where every length scale starts, times sqrt(d). From 0.5 sqrt(d) the first L-BFGS steps
    # often slid into the corner where the model is all noise (signal variance at its lower
    # bound, noise at its upper one, gradient ~0 there, so it stays): a fifth to a third of the
    # fits on 20-d Ackley, Levy and Rastrigin, ending 3-20 nats of log posterior (on average)
    # below the best another start reached on the same data. From 0.1 sqrt(d) they end within
    # ~1 nat of it and almost never in the corner; on HPOBench kc1 this start is the worst of
    # those tried (2.9 nats vs 1.0), the one measured cost of a single start for every space
    # (benchmarks/gp_fit_init.py, benchmarks/results/gp_fit_init.md).
    initial_lengthscale: float = 0.1

    def lengthscale_prior_in(self, d: int) -> tuple[float, float] | None:
        """(mean, sd) of the Gaussian prior on each log length scale in ``d`` dimensions."""
        if self.lengthscale_prior is None:
            return None
        offset, sd = self.lengthscale_prior
        return offset + 0.5 * math.log(d), sd


# The user-facing choice (``LaNAS(gp_fit=...)``): MAP (default) or plain maximum likelihood.
FIT_SETTINGS: dict[str, FitSettings] = {
    "map": FitSettings(),
    "likelihood": FitSettings(lengthscale_prior=None, noise_prior=None),
}


def _scaled_sqdist(A: NDArray[np.float64], B: NDArray[np.float64]) -> NDArray[np.float64]:
    """Squared distances between the rows of ``A`` and ``B`` as |a|² - 2ab + |b|² (one matrix
    product), from the mean of ``B``: measured from a far origin the three terms are large
    and nearly cancel, and the difference of two close points is lost to rounding (short
    length scales of a converged local model put its points hundreds of units from the
    cube's corner). Distances do not depend on the origin."""
    centre = B.mean(axis=0) if len(B) else np.zeros(B.shape[1])
    A, B = A - centre, B - centre
    sq = (A * A).sum(1)[:, None] - 2.0 * A @ B.T + (B * B).sum(1)[None, :]
    return np.asarray(np.maximum(sq, 0.0), dtype=np.float64)


def _matern52(
    r2: NDArray[np.float64], signal: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Matérn-5/2 kernel values at squared distances ``r2`` (already divided by the length
    scales), and the factor M with dK/dlog l_i = M * (x_ai - x_bi)² / l_i²:
    M = 5/3 s (1 + sqrt5 r) exp(-sqrt5 r)."""
    r = np.sqrt(r2)
    decay = np.exp(-_SQRT5 * r)
    scaled = _SQRT5 * r
    K = signal * (1.0 + scaled + 5.0 / 3.0 * r2) * decay
    M = signal * 5.0 / 3.0 * (1.0 + scaled) * decay
    return K, M


@dataclass(frozen=True)
class _Pairs:
    """The distinct pairs a < b of a fit's training inputs, with their squared coordinate
    differences: what the likelihood needs of X, computed once per fit.

    The kernel matrix is symmetric with a constant diagonal, so the ~50 likelihood evaluations
    of a fit touch only these n(n-1)/2 pairs: half the exponentials of the full matrix, and
    the scaled squared distances of all pairs become one matrix-vector product per evaluation.
    """

    n: int
    first: NDArray[np.intp]  # a of each pair
    second: NDArray[np.intp]  # b of each pair
    upper: NDArray[np.intp]  # a * n + b: the pair's place in a C-ordered n x n matrix
    sq_diff: NDArray[np.float64]  # (pairs, d): (x_ai - x_bi)²

    @classmethod
    def of(cls, X: NDArray[np.float64]) -> _Pairs:
        n = len(X)
        first, second = np.triu_indices(n, 1)
        # np.take, not X[first]: fancy row indexing is ten times slower at this size.
        diff = np.take(X, first, axis=0) - np.take(X, second, axis=0)
        return cls(n, first, second, first * n + second, diff * diff)


def fit_units(X: NDArray[np.float64], rescale: NDArray[np.bool_] | None) -> NDArray[np.float64]:
    """The units in which the hyperparameters are fitted: per coordinate, the training points'
    range on the ``rescale`` coordinates (1 where it is below ``_MIN_SPAN``) and 1 elsewhere.

    Why a unit: the length-scale prior and bounds (``FitSettings``) are stated for inputs that
    fill the unit cube: Hvarfner et al.'s prior puts the median length scale near 4 sqrt(d),
    the training data's scale. A local model's training points fill far less once a search
    converges (their range was 0.03 of the cube on BBOB's 20-d sphere after 1,000
    evaluations), and measured in cube units the prior then held every length scale near its
    median, many times the data's spread: a flat model that explained the targets as noise
    (Spearman correlation of its mean with the objective over the candidates 0.2-0.4 on BBOB
    f1, f6, f10, f15 in 20-d; 0.4-0.9 measured in the training points' range). Fitted in that
    range, the prior means what it says of the data at hand.
    """
    units = np.ones(X.shape[1])
    if rescale is not None and len(X):
        span = np.ptp(X, axis=0)
        use = rescale & (span > _MIN_SPAN)
        units[use] = span[use]
    return units


class GaussianProcess:
    """Exact GP regression on standardised targets.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> X = rng.random((20, 2)); y = np.sin(6 * X[:, 0])
        >>> gp = GaussianProcess().fit(X, y)
        >>> mean, std = gp.predict(X[:3])
        >>> bool(np.allclose(mean, (y[:3] - y.mean()) / y.std(), atol=0.1))
        True
    """

    def __init__(self, settings: FitSettings = FIT_SETTINGS["map"]) -> None:
        self.settings = settings
        self.X: NDArray[np.float64] = np.zeros((0, 0))
        self.lengthscales: NDArray[np.float64] = np.zeros(0)
        self.units: NDArray[np.float64] = np.zeros(0)  # of the fit, per coordinate
        self.signal = 1.0
        self.noise = 1e-3

    @staticmethod
    def _kernel(
        A: NDArray[np.float64], B: NDArray[np.float64], ls: NDArray[np.float64], signal: float
    ) -> NDArray[np.float64]:
        K, _ = _matern52(_scaled_sqdist(A / ls, B / ls), signal)
        return K

    def _nll_and_grad(
        self, theta: NDArray[np.float64], pairs: _Pairs, y: NDArray[np.float64]
    ) -> tuple[float, NDArray[np.float64]]:
        n, d = pairs.n, pairs.sq_diff.shape[1]
        inv_sq_ls = np.exp(-2.0 * theta[:d])  # 1 / l_i²
        signal, noise = math.exp(theta[d]), math.exp(theta[d + 1])
        k, m = _matern52(pairs.sq_diff @ inv_sq_ls, signal)  # kernel of every pair a < b
        # LAPACK directly (potrf, potrs, potri): on the ~100 points of a local model the
        # checks of the numpy and scipy wrappers cost as much as the arithmetic, and this runs
        # about fifty times per ask. Handed the transpose of a C-ordered matrix, LAPACK's lower
        # triangle is our upper one, the only part filled.
        Ky = np.empty((n, n))
        Ky.ravel()[pairs.upper] = k
        Ky.flat[:: n + 1] = signal + noise + _JITTER
        L, info = _potrf(Ky.T, lower=1, clean=1, overwrite_a=1)
        if info != 0:  # not positive definite at these hyperparameters
            return 1e10, np.zeros_like(theta)
        alpha, _ = _potrs(L, y, lower=1)
        nll = 0.5 * y @ alpha + np.log(np.diag(L)).sum() + 0.5 * n * math.log(2 * math.pi)
        # K⁻¹ from the factor, lower triangle only: half the work of a triangular inverse
        # followed by a product. Its transpose, C-ordered, holds the pairs at ``upper``.
        K_inv, info = _potri(L, lower=1, overwrite_c=1)
        if info != 0:
            return 1e10, np.zeros_like(theta)
        # W = K⁻¹ - αα^T; the gradient is 0.5 trace(W dK) (R&W Eq. 5.9), a sum over both
        # orders of every pair plus the diagonal, where dK/dlog l_i vanishes.
        alpha_products = np.take(alpha, pairs.first) * np.take(alpha, pairs.second)
        w = K_inv.T.ravel()[pairs.upper] - alpha_products
        w_diagonal_sum = float(np.diag(K_inv).sum() - alpha @ alpha)
        grad = np.empty_like(theta)
        grad[:d] = (pairs.sq_diff.T @ (w * m)) * inv_sq_ls
        grad[d] = float(w @ k) + 0.5 * signal * w_diagonal_sum
        grad[d + 1] = 0.5 * noise * w_diagonal_sum
        return float(nll), grad

    def _objective(
        self, theta: NDArray[np.float64], pairs: _Pairs, y: NDArray[np.float64]
    ) -> tuple[float, NDArray[np.float64]]:
        """Negative log posterior of the hyperparameters (up to a constant) and its gradient:
        the likelihood plus the Gaussian priors on the log length scales and the log noise."""
        value, grad = self._nll_and_grad(theta, pairs, y)
        d = pairs.sq_diff.shape[1]
        for index, prior in (
            (slice(0, d), self.settings.lengthscale_prior_in(d)),
            (slice(d + 1, d + 2), self.settings.noise_prior),
        ):
            if prior is not None:
                mean, sd = prior
                deviation = (theta[index] - mean) / sd
                value += 0.5 * float(deviation @ deviation)
                grad[index] += deviation / sd
        return value, grad

    def fit(
        self,
        X: NDArray[np.float64],
        y: NDArray[np.float64],
        *,
        rescale: NDArray[np.bool_] | None = None,
        theta: NDArray[np.float64] | None = None,
    ) -> GaussianProcess:
        """Standardise ``y``, fit the hyperparameters and factorise the kernel matrix.

        ``rescale`` marks the coordinates whose length scales are fitted relative to the
        training points' range on them (see :func:`fit_units`); ``lengthscales`` are in the
        units of ``X`` either way. ``theta``: the hyperparameters of an earlier fit (its
        ``theta``, length scales in its units) to take as they are instead of fitting them;
        they are read in the units of this ``X``.
        """
        ys = (y - float(y.mean())) / (float(y.std()) or 1.0)
        d = X.shape[1]
        units = fit_units(X, rescale)
        if theta is None:
            theta = self._fit_theta(X / units, ys)
        elif theta.shape != (d + 2,):
            raise ValueError(f"theta must hold {d + 2} values for {d} inputs, got {theta.shape}.")
        self.theta, self.units = theta, units  # log length scales in these units
        # A length scale l fitted on X / unit is l * unit in the units of X: the kernel of
        # (x_a - x_b) / unit at l equals that of x_a - x_b at l * unit.
        self.lengthscales = np.exp(theta[:d]) * units
        self.signal, self.noise = math.exp(theta[d]), math.exp(theta[d + 1])
        self._factorise(X, ys)
        self.y_best = float(ys.min())
        return self

    def _fit_theta(self, X: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.float64]:
        """MAP (or maximum-likelihood) hyperparameters by L-BFGS-B from the short start."""
        d = X.shape[1]
        start = math.log(self.settings.initial_lengthscale * math.sqrt(d))
        theta0 = np.concatenate([np.full(d, start), [0.0, math.log(1e-2)]])
        bounds = [self.settings.log_lengthscale_bounds] * d + [_LOG_SIGNAL, _LOG_NOISE]
        result = scipy.optimize.minimize(
            self._objective,
            theta0,
            args=(_Pairs.of(X), ys),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": self.settings.max_iter},
        )
        return np.asarray(result.x if np.all(np.isfinite(result.x)) else theta0)

    def _factorise(self, X: NDArray[np.float64], ys: NDArray[np.float64]) -> None:
        K = self._kernel(X, X, self.lengthscales, self.signal)
        jitter = self.noise + _JITTER
        for attempt in range(5):  # near-duplicate points can make K numerically singular
            try:
                self._L = np.linalg.cholesky(K + jitter * np.eye(len(X)))
                break
            except np.linalg.LinAlgError:
                if attempt == 4:
                    raise
                jitter *= 10.0
        self._alpha = scipy.linalg.cho_solve((self._L, True), ys)
        self.X, self._ys = X, ys

    @property
    def y_train(self) -> NDArray[np.float64]:
        """The standardised targets of the points factorised (believed ones included)."""
        return self._ys

    def leave_one_out_means(self) -> NDArray[np.float64]:
        """Each training point's posterior mean given all the others, in standardised units:
        ``y_i - [K⁻¹y]_i / [K⁻¹]_ii`` from the one factorisation (Rasmussen & Williams 2006,
        Eq. 5.12). Call before ``condition_on_means``, whose believed points are no data."""
        n = len(self._L)
        L_inv = scipy.linalg.solve_triangular(self._L, np.eye(n), lower=True)
        K_inv_diagonal = (L_inv * L_inv).sum(axis=0)
        return np.asarray(self._ys - self._alpha / K_inv_diagonal, dtype=np.float64)

    def condition_on_means(self, X_extra: NDArray[np.float64]) -> None:
        """Add points whose outcome is pending, with the posterior mean as their value
        ("kriging believer", Ginsbourger et al. 2010): the uncertainty collapses there, so
        the acquisition looks elsewhere, without refitting hyperparameters."""
        if len(X_extra) == 0:
            return
        mean, _ = self.predict(X_extra)
        self._factorise(np.vstack([self.X, X_extra]), np.concatenate([self._ys, mean]))
        # The believed values count as observed, incumbent included: otherwise a pending
        # point predicted better than the best keeps a positive EI, and parallel asks pile up
        # next to it.
        self.y_best = min(self.y_best, float(mean.min()))

    def predict(self, Xq: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Posterior mean and standard deviation, in standardised units."""
        Kq = self._kernel(Xq, self.X, self.lengthscales, self.signal)
        mean = Kq @ self._alpha
        v = scipy.linalg.solve_triangular(self._L, Kq.T, lower=True)
        var = np.maximum(self.signal - (v * v).sum(0), 1e-12)
        return mean, np.sqrt(var)


def expected_improvement(
    mean: NDArray[np.float64], std: NDArray[np.float64], best: float
) -> NDArray[np.float64]:
    """Expected improvement below ``best`` (minimisation; Jones et al. 1998, Eq. 15)."""
    improvement = best - mean
    u = improvement / std
    pdf = np.exp(-0.5 * u * u) / math.sqrt(2 * math.pi)
    return np.asarray(improvement * ndtr(u) + std * pdf)
