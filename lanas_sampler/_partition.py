"""Learning one split of a tree node: a boundary between good and bad configurations.

Two learners, both working on unit-cube points ``X`` and a transformed objective ``z``
(lower is better):

* ``"linear"`` (LaNAS, arXiv 1906.06832 §3.2): least-squares regression ``z ≈ w·x + c``; the
  node's points whose prediction is at most the mean prediction are good. The good region is the
  half-space ``w·x <= t``, which lets us sample it exactly (hit-and-run, ``_region.py``). The
  paper trained the regressor with SGD; ridge in closed form reaches the same optimum.
* ``"kernel"`` (LA-MCTS, arXiv 2007.00708 §3.1): label points good/bad (median of ``z``, or
  k-means with k=2 on ``[x, z]`` as in the paper), then fit an RBF support vector classifier.
  Children receive points by the classifier's *prediction*, never by the raw label, so every
  point lies inside its own child's region (the reference code assigned them by the k-means
  labels, so points could sit in the other child's region).

A learner returns ``None`` when the node cannot be split (equal objective values, one class,
or a boundary that puts every point on one side): the node is then a leaf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn import config_context
from sklearn.cluster import KMeans
from sklearn.svm import SVC

__all__ = ["Boundary", "KernelBoundary", "LinearBoundary", "learn_split"]

SplitKind = Literal["linear", "kernel"]
# What users choose: a kind, or "auto" (the optimizer picks one from the search space).
SplitOption = Literal["auto", "linear", "kernel"]
Labeler = Literal["median", "kmeans"]

# Ridge penalty of the LaNAS regressor, relative to the data's scale: enough to make the solve
# well-posed with fewer points than dimensions, too small to move the boundary otherwise.
_RIDGE = 1e-3
# The kernel classifier trains on at most this many points (SVC fitting is quadratic); the rest
# are still routed by its predictions. Keeps the cost of a fit bounded however many points
# a node holds.
_MAX_SVC_POINTS = 200
# Soft-margin constant of the SVC. On unit-cube inputs with gamma="scale" C=1 gives smooth
# boundaries; large C memorises the labels.
_SVC_C = 1.0


class Boundary(Protocol):
    """The learned frontier of a node; ``is_good`` says which child a point belongs to."""

    @property
    def linear(self) -> bool:
        """True for a half-space (the region is a polytope: hit-and-run applies)."""
        ...

    @property
    def cost(self) -> int:
        """Relative cost of testing one point (membership tests run the cheapest first)."""
        ...

    def is_good(self, X: NDArray[np.float64]) -> NDArray[np.bool_]: ...


@dataclass(frozen=True)
class LinearBoundary:
    """Good side is the closed half-space ``X @ w <= t`` (LaNAS)."""

    w: NDArray[np.float64]
    t: float
    linear: bool = True

    @property
    def cost(self) -> int:
        return 1  # one dot product

    def is_good(self, X: NDArray[np.float64]) -> NDArray[np.bool_]:
        return np.asarray(X @ self.w <= self.t)


@dataclass(frozen=True)
class KernelBoundary:
    """Good side is ``f(x) > 0`` for the RBF decision function of a fitted SVC (LA-MCTS).

    The support vectors and dual coefficients are kept as arrays and evaluated with numpy,
    which is several times faster than sklearn's per-call checks on the small batches we use.
    """

    support: NDArray[np.float64]
    dual_coef: NDArray[np.float64]
    intercept: float
    gamma: float
    linear: bool = False
    # |s|² of each support vector: the same in every membership test, computed once.
    _support_sq: NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sq = np.einsum("ij,ij->i", self.support, self.support)
        object.__setattr__(self, "_support_sq", sq)  # frozen: set once, here

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "_support_sq" not in state:  # pickled before the norms were kept (96e6fea)
            self.__post_init__()

    @property
    def cost(self) -> int:
        return len(self.support)  # one dot product and one exponential per support vector

    def decision(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        # |x - s|² = |x|² - 2 x·s + |s|², then exp(-gamma |x - s|²), all in one buffer: the
        # regions test thousands of candidates against every constraint of a path per ask.
        buf = X @ self.support.T
        buf *= -2.0
        buf += np.einsum("ij,ij->i", X, X)[:, None]
        buf += self._support_sq[None, :]
        np.maximum(buf, 0.0, out=buf)
        buf *= -self.gamma
        np.exp(buf, out=buf)
        return np.asarray(buf @ self.dual_coef + self.intercept)

    def is_good(self, X: NDArray[np.float64]) -> NDArray[np.bool_]:
        return np.asarray(self.decision(X) > 0.0)


def _trusted_inputs() -> Any:
    """scikit-learn's settings for a fit on our own data: finite unit-cube points and fixed,
    valid parameters, so its checks of both are skipped (0.1 ms, a fifth of an SVC fit on
    50-100 points and an eighth on 200; the fit itself is the same)."""
    return config_context(assume_finite=True, skip_parameter_validation=True)


def _fit_linear(X: NDArray[np.float64], z: NDArray[np.float64]) -> LinearBoundary | None:
    x_mean = X.mean(axis=0)
    z_mean = z.mean()
    Xc = X - x_mean
    gram = Xc.T @ Xc
    ridge = _RIDGE * max(float(np.trace(gram)) / X.shape[1], 1e-12)
    w = np.linalg.solve(gram + ridge * np.eye(X.shape[1]), Xc.T @ (z - z_mean))
    if not np.any(np.abs(w) > 1e-12):
        return None
    scores = X @ w
    # LaNAS: threshold at the mean prediction; good = predicted value no worse than the mean.
    return LinearBoundary(w=w, t=float(scores.mean()))


def _good_labels(
    X: NDArray[np.float64], z: NDArray[np.float64], labeler: Labeler, seed: int
) -> NDArray[np.bool_] | None:
    if labeler == "kmeans":
        # LA-MCTS clusters [x, f]; f standardised so it weighs like the coordinates.
        features = np.column_stack([X, (z - z.mean()) / (z.std() + 1e-12)])
        km = KMeans(n_clusters=2, n_init=3, random_state=seed)
        with _trusted_inputs():
            clusters = km.fit_predict(features)
        if 0 < clusters.sum() < len(clusters):
            good_cluster = int(z[clusters == 1].mean() < z[clusters == 0].mean())
            return np.asarray(clusters == good_cluster)
        # k-means collapsed to one cluster (a crash in the reference code, §5.3): use the median.
    median = np.median(z)
    good = z < median
    if not good.any():  # ties at the minimum: the tied best points are the good side
        good = z <= median
    return good if 0 < good.sum() < len(z) else None


def _fit_kernel(
    X: NDArray[np.float64], z: NDArray[np.float64], labeler: Labeler, seed: int
) -> KernelBoundary | None:
    if len(X) > _MAX_SVC_POINTS:
        # Evenly spaced in ranking order: every quantile of the objective stays represented,
        # and the same points give the same boundary (no randomness in a fit).
        order = np.argsort(z, kind="stable")
        keep = order[np.linspace(0, len(X) - 1, _MAX_SVC_POINTS).astype(np.intp)]
        X, z = X[keep], z[keep]
    labels = _good_labels(X, z, labeler, seed)
    if labels is None:
        return None
    svc = SVC(kernel="rbf", gamma="scale", C=_SVC_C)
    with _trusted_inputs():
        svc.fit(X, labels.astype(int))
    # decision_function > 0 means classes_[1], which is label 1 = good.
    return KernelBoundary(
        support=np.array(svc.support_vectors_, dtype=np.float64),
        dual_coef=np.array(svc.dual_coef_[0], dtype=np.float64),
        intercept=float(svc.intercept_[0]),
        gamma=float(svc._gamma),
    )


def learn_split(
    X: NDArray[np.float64],
    z: NDArray[np.float64],
    *,
    kind: SplitKind,
    labeler: Labeler,
    seed: int = 0,
) -> tuple[Boundary, NDArray[np.bool_]] | None:
    """Learn a boundary for the points ``X`` with objective ``z`` (lower is better).

    A fit is a function of its inputs: ``seed`` only seeds k-means (``labeler="kmeans"``).

    Returns the boundary and the mask of points it sends to the good child, or None when the
    node cannot be split into two non-empty children.
    """
    if len(X) < 2 or np.ptp(z) <= 0.0:
        return None
    boundary: Boundary | None
    if kind == "linear":
        boundary = _fit_linear(X, z)
    elif kind == "kernel":
        boundary = _fit_kernel(X, z, labeler, seed)
    else:  # pragma: no cover - validated by the optimizer
        raise ValueError(f"split must be 'linear' or 'kernel', got {kind!r}.")
    if boundary is None:
        return None
    good = boundary.is_good(X)
    n_good = int(good.sum())
    if n_good == 0 or n_good == len(X):
        return None
    # A split whose good side is worse on average than its bad side learned nothing useful.
    if z[good].mean() > z[~good].mean():
        return None
    return boundary, good
