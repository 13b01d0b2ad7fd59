"""Local solvers: how the next point is chosen inside the region that UCB selected.

* ``"uniform"``: one uniform point of the region not yet evaluated (LaNAS, arXiv 1906.06832 §3.3).
* ``"bo"``: a GP surrogate trained on the region's neighbourhood scores candidates drawn inside
  the region by expected improvement (LA-MCTS, arXiv 2007.00708 §3.2, "BO in the leaf").
  Candidates: uniform in the region, perturbations of its best points on a ladder of radii,
  and, on continuous spaces, draws from a Gaussian fitted to the best training points; on
  continuous coordinates only those within reach of the surrogate's training points are
  scored. On continuous spaces one ask in ``_MODEL_STEP_EVERY`` steps instead to the minimiser
  of a quadratic fitted to the best points near the leaf's best (``_quadratic``). When the
  surrogate's leave-one-out predictions do not rank its training points, only candidates
  inside TuRBO's box around the region's best point are scored on continuous coordinates.
* ``"turbo"``: candidates in a trust region around the leaf's best point, whose side follows
  TuRBO's success/failure rule (Eriksson et al., NeurIPS 2019, §2), filtered by the region
  (the LA-MCTS paper says so; its released code did not), scored by expected
  improvement.

Candidates are valid configurations (snapped) inside the region. When too few exist, the
deepest constraint is dropped and the parent region tried (LaMOO, ICLR 2022), down to the
whole space.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ._gp import FIT_SETTINGS, FitSettings, GaussianProcess, expected_improvement
from ._objective import configuration_keys
from ._quadratic import points_needed, quadratic_minimiser
from ._ranks import spearman
from ._region import Region
from ._space import SearchSpace

__all__ = [
    "LocalContext",
    "LocalSolver",
    "propose",
    "shared_hyperparameters",
]

LocalSolver = Literal["uniform", "bo", "turbo"]

# Candidates scored per ask: uniform in the region, perturbations of its best points and (on
# continuous spaces) draws from the elite Gaussian.
_N_UNIFORM = 256
_N_PERTURBED = 512
_N_ELITE = 256
# The surrogate trains on at most this many observations (nearest to the region's best), so
# the cost of an ask stays bounded however many trials exist.
_MAX_GP_POINTS = 128
# ...and on at least this many per continuous coordinate, and at least the floor: a leaf with
# fewer borrows points from its ancestors (see ``_training_set``).
_GP_POINTS_PER_CONTINUOUS_DIM = 10
_MIN_GP_POINTS = 20
# Perturbation radii, as fractions of the cube side scaled by the surrogate's length scales:
# a ladder of scales replaces TuRBO's stateful radius in the "bo" solver. It reaches down to
# 3e-4 so that the search keeps converging near an optimum (with 0.01 as the smallest step,
# BBOB's sphere stalled at a regret of 1e-3 for hundreds of evaluations).
_PERTURBATION_SCALES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
# TuRBO perturbs each coordinate with probability min(1, 20/d) in high dimension (§2, "TuRBO
# in high dimensions" of the BoTorch tutorial); we keep that rule.
_PERTURB_DIMS = 20.0
# Fewer in-region candidates than this triggers the parent-region fallback.
_MIN_CANDIDATES = 8
# Where no candidate is left anywhere, the proposal is the first of this many uniform random
# configurations not yet evaluated (all of them evaluated: the first).
_RANDOM_FALLBACK_DRAWS = 64
# The elite Gaussian: the best quarter of the training points, shrunk 20 % toward its diagonal
# (a covariance from a few points in many dimensions is singular), drawn at these multiples of
# its spread.
_ELITE_FRACTION = 0.25
_ELITE_SHRINKAGE = 0.2
_ELITE_SCALES = (0.5, 1.0, 2.0)
# Candidates are scored only inside the surrogate's training box, widened by this fraction of
# its side on each continuous coordinate (see ``_within_model_reach``).
_MODEL_REACH_MARGIN = 0.1
# Spaces of this many floats and more take a separable quadratic step while a full quadratic
# lacks its points (``_model_step_rows`` gives the measurements): from 43 floats a separable
# model needs more points (3 d + 2) than the GP's training set of ``_MAX_GP_POINTS`` holds.
_SEPARABLE_STEP_FROM_DIM = 43
# On continuous spaces the "bo" solver steps to the minimiser of a quadratic model of the best
# points (``_quadratic``) when the number of observations is a multiple of this, instead of
# maximising expected improvement.
_MODEL_STEP_EVERY = 3


@dataclass
class LocalContext:
    """What a solver sees: the space, the selected region and the observations around it."""

    space: SearchSpace
    region: Region
    X: NDArray[np.float64]
    z: NDArray[np.float64]  # transformed objective, lower is better
    path_indices: list[NDArray[np.intp]]  # observations of each path node, root first
    observed_keys: AbstractSet[bytes]  # ``configuration_keys`` of the rows of X
    pending: NDArray[np.float64]
    # Side of TuRBO's box (``_TrustRegion``): the "turbo" solver's candidates lie in it, and
    # the "bo" solver's when its surrogate does not rank the training points.
    trust_length: float
    rng: np.random.Generator
    # Surrogate targets of a subset of the observations (``Observations.surrogate_targets``);
    # None falls back to ``z``.
    surrogate_targets: Callable[[NDArray[np.intp]], NDArray[np.float64] | None] | None = None
    # How the surrogate's hyperparameters are fitted (``LaNAS(gp_fit=...)``).
    gp_settings: FitSettings = FIT_SETTINGS["map"]
    # The surrogate's hyperparameters (``GaussianProcess.theta``) when they are shared by
    # several asks (``shared_hyperparameters``); None: fitted to this ask's training set.
    hyperparameters: NDArray[np.float64] | None = None
    # The complete, feasible observations among some rows, and their values
    # (``Observations.complete_values``); None: no model of the values (no quadratic step).
    complete_values: (
        Callable[[NDArray[np.intp]], tuple[NDArray[np.intp], NDArray[np.float64]]] | None
    ) = None
    # This ask's surrogates by training set and judging (``_fit_surrogate``). An ask that
    # proposes twice (over the whole space, then in the selected region:
    # ``LaNAS._offers_whole_space``) may train both on the same points; contexts made from
    # this one with ``dataclasses.replace`` share the dict.
    surrogates: dict[tuple[bytes, bool], tuple[GaussianProcess | None, bool]] = field(
        default_factory=dict
    )


@dataclass
class Proposal:
    x: NDArray[np.float64]
    fallbacks: int  # how many constraints had to be dropped (0: inside the selected region)


def _not_seen(ctx: LocalContext, C: NDArray[np.float64]) -> NDArray[np.float64]:
    """Drop candidates equal to an observed or pending configuration (wasted evaluations)."""
    if len(C) == 0:
        return C
    pending = set(configuration_keys(ctx.pending))
    keep = [k not in ctx.observed_keys and k not in pending for k in configuration_keys(C)]
    return np.asarray(C[np.asarray(keep, dtype=bool)], dtype=np.float64)


def _perturb(
    ctx: LocalContext,
    centres: NDArray[np.float64],
    n: int,
    radius: NDArray[np.float64],
) -> NDArray[np.float64]:
    """TuRBO-style candidates: each perturbs a random subset of a centre's coordinates.

    ``radius`` is per row (one scale of the ladder each) times per-dimension weights.
    """
    rng, space = ctx.rng, ctx.space
    d = space.dim
    base = centres[rng.integers(len(centres), size=n)]
    mask = rng.random((n, d)) < min(1.0, _PERTURB_DIMS / d)
    mask[np.arange(n), rng.integers(d, size=n)] = True  # at least one coordinate moves
    out = base + mask * radius * rng.standard_normal((n, d))
    # One-hot blocks: a moved block jumps to a random category instead of a Gaussian step.
    for block in space.categorical_blocks:
        width = block.stop - block.start
        moved = mask[:, block].any(axis=1) & (rng.random(n) < 0.5)
        if moved.any():
            onehot = np.zeros((int(moved.sum()), width))
            onehot[np.arange(len(onehot)), rng.integers(width, size=len(onehot))] = 1.0
            out[np.ix_(moved, np.arange(block.start, block.stop))] = onehot
    return space.snap(np.clip(out, 0.0, 1.0))


def _points_in(ctx: LocalContext, depth: int) -> NDArray[np.intp]:
    return ctx.path_indices[min(depth, len(ctx.path_indices) - 1)]


def _training_set(ctx: LocalContext) -> NDArray[np.intp]:
    """The leaf's observations, or the deepest ancestor's with enough of them, capped to the
    nearest to the leaf's best point (the local model of LA-MCTS §3.2).

    Enough is 10 per continuous coordinate, the "n = 10 d" rule for fitting a GP to a computer
    experiment (Loeppky, Sacks & Welch 2009, Technometrics 51(4)), at least 20 and at most
    ``_MAX_GP_POINTS``. A leaf holds a few dozen points; an ARD fit to that few in 20
    continuous dimensions switched all but one or two of them off, and its mean did not rank
    points near the best (Spearman 0.0-0.2 against the objective on 30-50 points of a 20-d
    sphere, 0.8 on 100). On integer and categorical grids (the tabular problems) the leaf's own
    points made the better model at 200 trials, so the rule counts continuous coordinates only.
    """
    wanted = _GP_POINTS_PER_CONTINUOUS_DIM * int(ctx.space.is_continuous().sum())
    wanted = min(_MAX_GP_POINTS, max(_MIN_GP_POINTS, wanted))
    leaf = ctx.path_indices[-1]
    indices = leaf
    for node_indices in reversed(ctx.path_indices):
        indices = node_indices
        if len(indices) >= wanted:
            break
    if len(indices) > _MAX_GP_POINTS:
        indices = _nearest(ctx.X, indices, _leaf_best(ctx), _MAX_GP_POINTS)
    return indices


def _leaf_best(ctx: LocalContext) -> NDArray[np.float64]:
    """The best point of the selected leaf (never empty: a split is refused unless both sides
    get points)."""
    return _best_of(ctx, ctx.path_indices[-1])


def _best_of(ctx: LocalContext, rows: NDArray[np.intp]) -> NDArray[np.float64]:
    return np.asarray(ctx.X[rows[np.argmin(ctx.z[rows])]], dtype=np.float64)


def _nearest(
    X: NDArray[np.float64], rows: NDArray[np.intp], point: NDArray[np.float64], k: int
) -> NDArray[np.intp]:
    """The ``k`` of ``rows`` whose points lie nearest ``point`` (ties kept in row order)."""
    return rows[_nearest_positions(X[rows], point, k)]


def _nearest_positions(
    points: NDArray[np.float64], point: NDArray[np.float64], k: int
) -> NDArray[np.intp]:
    """Positions of the ``k`` of ``points`` nearest ``point`` (ties kept in order)."""
    dist = np.linalg.norm(points - point, axis=1)
    return np.argsort(dist, kind="stable")[:k]


def shared_hyperparameters(
    space: SearchSpace,
    X: NDArray[np.float64],
    z: NDArray[np.float64],
    surrogate_targets: Callable[[NDArray[np.intp]], NDArray[np.float64] | None],
    settings: FitSettings,
) -> NDArray[np.float64] | None:
    """Hyperparameters fitted to the ``_MAX_GP_POINTS`` observations nearest the best of ``X``
    (scores ``z``), for several asks to share; None when no GP fits them (see ``_fit_gp``; each
    ask then fits its own).

    The fit is most of an ask's time on continuous spaces (about two thirds at 1,000
    observations in 20-d). Once the observations outnumber a training set, a new point changes
    the neighbourhood of the best little, and one fit near the best, shared by the asks until
    the next refit (``LaNAS._shared_hyperparameters``), serves them about as well as one per
    ask. With fewer observations the same sharing cost sample efficiency (NAS-Bench-201 at 50
    trials, benchmarks/RESULTS.md, "GP hyperparameters shared between refits"), so the
    optimizer shares only beyond its threshold.

    Why the cap and not the per-dimension minimum of ``_training_set``: an ask trains on the
    first node of its path, from the leaf up, that holds enough points, so its set usually
    holds more than the minimum, up to the cap (96-128 points in four asks of five on BBOB's
    5-d f2 and f8 at 300 observations, where the minimum is 50). Fitted to the 50 nearest,
    the shared noise variance came out about e^6 times the asks' own, and sharing lost 42 of
    65 unequal runs on BBOB's 5-d functions; fitted to the 128 nearest it is within noise of
    per-ask fits in 5 and 10 dimensions (benchmarks/RESULTS.md, "GP hyperparameters shared
    beyond 200 observations").
    """
    best = X[int(np.argmin(z))]
    rows = _nearest(X, np.arange(len(X)), best, _MAX_GP_POINTS)
    gp = _fit_gp(space, X, z, rows, surrogate_targets, settings)
    return None if gp is None else gp.theta


def _elite_gaussian(ctx: LocalContext, train: NDArray[np.intp], n: int) -> NDArray[np.float64]:
    """Draws from a Gaussian fitted to the best training points.

    The mean and covariance are the rank-weighted ones of CMA-ES's recombination (Hansen,
    "The CMA-ES: a tutorial", 2016, Eq. 49 weights), estimated from the elite alone as in
    EMNA (Larrañaga & Lozano 2002): the spread follows the valley the best points lie along
    (Rosenbrock, rotated ellipsoids), where the axis-aligned perturbations step across it.
    Half the draws are centred on the weighted mean, half on the best point.
    """
    rng, d = ctx.rng, ctx.space.dim
    order = np.argsort(ctx.z[train], kind="stable")
    mu = max(2, int(_ELITE_FRACTION * len(order)))
    elite = ctx.X[train[order[:mu]]]
    weights = np.log(mu + 0.5) - np.log(np.arange(1, mu + 1))
    weights /= weights.sum()
    mean = weights @ elite
    centred = elite - mean
    cov = (centred * weights[:, None]).T @ centred
    cov = (1.0 - _ELITE_SHRINKAGE) * cov + _ELITE_SHRINKAGE * np.diag(np.diag(cov))
    root = np.linalg.cholesky(cov + 1e-10 * np.eye(d))
    centres = np.where(rng.random((n, 1)) < 0.5, mean, elite[0])
    scales = rng.choice(_ELITE_SCALES, size=(n, 1))
    draws = centres + scales * (rng.standard_normal((n, d)) @ root.T)
    return ctx.space.snap(np.clip(draws, 0.0, 1.0))


def _step_weights(gp: GaussianProcess | None, dim: int) -> NDArray[np.float64]:
    """Per-coordinate step sizes from the surrogate's length scales, geometric mean 1: a longer
    length scale is a smoother coordinate and gets larger steps (TuRBO §2)."""
    if gp is None:
        return np.ones(dim)
    ls = gp.lengthscales
    return np.asarray(np.clip(ls / np.exp(np.mean(np.log(ls))), 0.1, 10.0), dtype=np.float64)


def _region_best(ctx: LocalContext, region: Region) -> NDArray[np.float64]:
    """The best observed point inside ``region`` (a region always holds observations)."""
    return _best_of(ctx, _points_in(ctx, region.depth))


def _candidates(
    ctx: LocalContext,
    region: Region,
    gp: GaussianProcess | None,
    solver: LocalSolver,
    train: NDArray[np.intp],
) -> NDArray[np.float64]:
    """The solver's valid candidates inside ``region``, seen or not (``propose`` drops the
    seen ones for every solver); ``train`` is the surrogate's training set (the elite
    Gaussian is fitted to its best points)."""
    rng = ctx.rng
    inside = ctx.X[_points_in(ctx, region.depth)]
    if solver == "uniform":
        return region.sample(16, inside, ctx.space.snap, rng)
    weights = _step_weights(gp, ctx.space.dim)
    if solver == "turbo":
        # Uniform in the trust box around the region's best point, TuRBO's candidate
        # distribution (the "bo" solver's box, ``_within_trust_region``, is the same box).
        n, d = _N_PERTURBED + _N_UNIFORM, ctx.space.dim
        half_side = 0.5 * ctx.trust_length * weights
        mask = rng.random((n, d)) < min(1.0, _PERTURB_DIMS / d)
        mask[np.arange(n), rng.integers(d, size=n)] = True
        step = (2.0 * rng.random((n, d)) - 1.0) * half_side
        perturbed = ctx.space.snap(np.clip(_region_best(ctx, region) + mask * step, 0.0, 1.0))
        uniform = perturbed[:0]
    else:
        best_order = np.argsort(ctx.z[_points_in(ctx, region.depth)], kind="stable")
        centres = inside[best_order[: max(1, min(5, len(best_order)))]]
        scales = rng.choice(_PERTURBATION_SCALES, size=(_N_PERTURBED, 1))
        perturbed = _perturb(ctx, centres, _N_PERTURBED, scales * weights[None, :])
        uniform = region.sample(_N_UNIFORM, inside, ctx.space.snap, rng)
    parts = [perturbed[region.contains(perturbed)], uniform]
    if solver == "bo" and ctx.space.is_continuous().all():
        # Integer, stepped and one-hot coordinates would snap the Gaussian's draws back onto
        # a few grid points; it measured worse than without on the HPOBench tables.
        elite = _elite_gaussian(ctx, train, _N_ELITE)
        parts.append(elite[region.contains(elite)])
    return np.vstack(parts)


def _within_model_reach(
    ctx: LocalContext, C: NDArray[np.float64], train: NDArray[np.intp]
) -> NDArray[np.float64]:
    """The candidates inside the bounding box of the surrogate's training points (widened by
    ``_MODEL_REACH_MARGIN``) on every continuous coordinate; all of them if fewer than
    ``_MIN_CANDIDATES`` are.

    The GP trains on the observations nearest the leaf's best point; once the search
    converges they sit close together while the region stays wide. Away from them the GP's
    mean falls back to its prior and its wide variance gives expected improvement that beats
    every well-modelled candidate near the best: the over-exploration of boundaries that
    motivates TuRBO's trust regions (Eriksson et al., NeurIPS 2019, §1). On BBOB's 20-d sphere
    the median proposal sat 0.2-0.6 from the best point (unit cube) after 300 evaluations, and
    400 asks in a row improved nothing (regret stuck at 1.7e-4; 3e-8 at 1,000 evaluations with
    this filter). Integer, stepped and one-hot coordinates are not restricted: their few values
    are the moves between grid points and categories.
    """
    continuous = ctx.space.is_continuous()
    if not continuous.any():
        return C
    Xt = ctx.X[train][:, continuous]
    low, high = Xt.min(axis=0), Xt.max(axis=0)
    margin = _MODEL_REACH_MARGIN * (high - low)
    Cc = C[:, continuous]
    inside = np.all((Cc >= low - margin) & (Cc <= high + margin), axis=1)
    return C[inside] if inside.sum() >= _MIN_CANDIDATES else C


def _within_trust_region(
    ctx: LocalContext, C: NDArray[np.float64], gp: GaussianProcess, region: Region
) -> NDArray[np.float64]:
    """The candidates inside TuRBO's box around the region's best point (side
    ``trust_length`` times the length-scale weights) on every continuous coordinate; all of
    them if fewer than ``_MIN_CANDIDATES`` lie in it. Integer, stepped and one-hot
    coordinates are not restricted, as in ``_within_model_reach``."""
    continuous = ctx.space.is_continuous()
    if not continuous.any():
        return C
    half_side = 0.5 * ctx.trust_length * _step_weights(gp, ctx.space.dim)
    offset = np.abs(C - _region_best(ctx, region))
    inside = np.all((offset <= half_side)[:, continuous], axis=1)
    return C[inside] if inside.sum() >= _MIN_CANDIDATES else C


def _ranks_its_training_points(gp: GaussianProcess) -> bool:
    """Whether the surrogate's leave-one-out means rank its training targets better than
    chance: Spearman's correlation above the one-sided 5 % critical value of no correlation,
    ``1.645 / sqrt(n - 1)`` (its normal approximation). The hyperparameters were fitted to the
    same targets, which finds some order even in noise, so the test errs towards trusting
    the surrogate.

    Expected improvement explores where the surrogate knows least, which pays only if the
    surrogate predicts. On BBOB's 20-d Katsuura f23, whose fractal surface no GP models, the
    correlation's median was -0.01 over asks 50-150 and 0.12 over the last 100 of 400 (0.9
    or more on 20-d Levy, Ackley, Rosenbrock and Gallagher f21, 0.4-0.7 on Rastrigin,
    0.1-0.3 on Weierstrass f16); EI's choices differed from the best point by 0.7-0.8 of
    the cube's side in some coordinate (median), 4 of 740 model asks improved the best, and
    the search fell behind random search, while a small step from the best point improves
    it about one try in seven. Without a model that ranks, the "bo" solver keeps its
    candidates in TuRBO's trust region (Eriksson et al., NeurIPS 2019, §2), which halves
    after ``max(4, d)`` failures in a row and doubles after three successes: a local search
    that adapts its step (benchmarks/RESULTS.md, "The trust box where the surrogate does not
    rank").
    """
    n = len(gp.X)  # at least 3 (``_fit_gp``)
    correlation = spearman(gp.leave_one_out_means(), gp.y_train)
    return bool(np.isfinite(correlation) and correlation > 1.645 / np.sqrt(n - 1))


def _fit_gp(
    space: SearchSpace,
    X: NDArray[np.float64],
    z: NDArray[np.float64],
    rows: NDArray[np.intp],
    surrogate_targets: Callable[[NDArray[np.intp]], NDArray[np.float64] | None] | None,
    settings: FitSettings,
    theta: NDArray[np.float64] | None = None,
) -> GaussianProcess | None:
    """A GP on the observations ``rows`` (their surrogate targets, else their scores ``z``),
    with the hyperparameters ``theta`` if given; None if fewer than 3 rows or no two distinct
    scores, or if no factorisation succeeds even with 10,000 times the noise."""
    if len(rows) < 3 or np.ptp(z[rows]) <= 0.0:
        return None
    y = surrogate_targets(rows) if surrogate_targets is not None else None
    try:
        return GaussianProcess(settings).fit(
            X[rows], z[rows] if y is None else y, rescale=space.is_continuous(), theta=theta
        )
    except np.linalg.LinAlgError:
        return None


def _fit_surrogate(
    ctx: LocalContext, train: NDArray[np.intp], *, judge: bool
) -> tuple[GaussianProcess | None, bool]:
    """This ask's surrogate, pending points believed at its mean (None: the ask then picks
    among the candidates at random), and, if ``judge``, whether it ranks its training points
    (``_ranks_its_training_points``, judged before the believed points are added; True if
    not judged). Fitted once per training set in an ask (``ctx.surrogates``): the fit draws
    no random numbers and depends on nothing else that differs between the ask's contexts."""
    key = (train.tobytes(), judge)
    if key not in ctx.surrogates:
        ctx.surrogates[key] = _fit_surrogate_anew(ctx, train, judge=judge)
    return ctx.surrogates[key]


def _fit_surrogate_anew(
    ctx: LocalContext, train: NDArray[np.intp], *, judge: bool
) -> tuple[GaussianProcess | None, bool]:
    gp = _fit_gp(
        ctx.space, ctx.X, ctx.z, train, ctx.surrogate_targets, ctx.gp_settings, ctx.hyperparameters
    )
    if gp is None:
        return None, False
    ranks = _ranks_its_training_points(gp) if judge else True
    try:
        gp.condition_on_means(ctx.pending)
    except np.linalg.LinAlgError:
        return None, False
    return gp, ranks


def _model_step(ctx: LocalContext, train: NDArray[np.intp]) -> NDArray[np.float64] | None:
    """The minimiser of a quadratic fitted to the values of the best complete, feasible
    points of :func:`_model_step_rows` (:func:`quadratic_minimiser`), if the space is
    continuous and it is a new configuration inside the region; else None."""
    if not ctx.space.is_continuous().all() or ctx.complete_values is None:
        return None
    fitted = _model_step_rows(ctx, train)
    if fitted is None:
        return None
    rows, values, separable = fitted
    x = quadratic_minimiser(ctx.X[rows], values, separable=separable)
    if x is None:
        return None
    point = ctx.space.snap(np.clip(x, 0.0, 1.0)[None, :])
    point = _not_seen(ctx, point[ctx.region.contains(point)])
    return point[0] if len(point) else None


def _model_step_rows(
    ctx: LocalContext, train: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.float64], bool] | None:
    """The complete, feasible observations the quadratic model is fitted to, their values,
    and whether the model is separable: enough for a full quadratic (:func:`points_needed`),
    or on spaces of 43 floats and more, until those exist, for a separable one; None while
    too few have been made.

    Failed, pruned and infeasible points have no value of the objective to fit, so only the
    others count. The GP's training set serves where it holds enough of them. Where it does
    not, the fit takes as many as it needs nearest the leaf's best point, from the deepest
    node of the path that holds them (the root at first): on spaces of 12 floats and more,
    whose quadratic needs more points than the GP's ``_MAX_GP_POINTS``; with 11 floats,
    whose training set of 110-128 points is short of the 117 needed when it holds fewer; and
    where trials pruned or failed among the training set leave too few. lq-CMA-ES grows its
    model's training set with the number of coefficients the same way (Hansen, GECCO 2019).

    A full quadratic in 100-d needs 7,727 points, so before the separable model the step
    never came there. With it, the 100-d Ackley and Rosenbrock at 2,000 evaluations (seeds
    0-3) went from 4.2-6.1 to 2.7-3.8 and from 1.3e4-6.0e4 to 770-1,480 (benchmarks/RESULTS.md,
    "Separable quadratic steps in many dimensions"). In 20-d, separable steps from 62
    observations to the full model's 347 narrowed the search into a local basin of Levy
    (1.29 → 8.2 at 1,000 evaluations, ten runs of ten worse) and Rastrigin (36 → 71), so the
    separable model is kept to the spaces where even it needs more points than the GP's
    training set holds: where the surrogate is most starved of points and the search furthest
    from any basin. (A probe at 1,000 evaluations: 2 runs of 8 better in 40-d, 3 in 45-d, 6 in
    50-d; in 45-d 7 of 8 at 500.)
    The threshold is its own constant, ``_SEPARABLE_STEP_FROM_DIM``, so that changing the
    GP's cap does not move it.
    """
    d = ctx.space.dim
    fitted = _rows_for_model(ctx, train, points_needed(d))
    if fitted is not None:
        return (*fitted, False)
    if d >= _SEPARABLE_STEP_FROM_DIM:
        fitted = _rows_for_model(ctx, train, points_needed(d, separable=True))
        if fitted is not None:
            return (*fitted, True)
    return None


def _rows_for_model(
    ctx: LocalContext, train: NDArray[np.intp], needed: int
) -> tuple[NDArray[np.intp], NDArray[np.float64]] | None:
    """``needed`` or more complete observations for :func:`_model_step_rows`, or None."""
    assert ctx.complete_values is not None  # ``_model_step`` checks
    if len(train) >= needed:  # else the capped training set cannot hold enough: skip it
        complete, values = ctx.complete_values(train)
        if len(complete) >= needed:
            return complete, values
    for node_indices in reversed(ctx.path_indices):
        if len(node_indices) < needed:
            continue
        complete, values = ctx.complete_values(node_indices)
        if len(complete) >= needed:
            nearest = _nearest_positions(ctx.X[complete], _leaf_best(ctx), needed)
            return complete[nearest], values[nearest]
    return None


def propose(ctx: LocalContext, solver: LocalSolver) -> Proposal:
    """The next point to evaluate: inside the selected region if enough candidates are
    (``_MIN_CANDIDATES``; one for the "uniform" solver), else inside the nearest ancestor
    region that has enough, else anywhere."""
    if solver == "uniform":
        train, gp, model_ranks = np.zeros(0, dtype=np.intp), None, True
    else:
        # One training set per ask, shared by the fit and every round of candidates (the walk
        # up the path and the nearest-point sort are not free at thousands of observations).
        train = _training_set(ctx)
        if solver == "bo" and len(ctx.X) % _MODEL_STEP_EVERY == 0:
            step = _model_step(ctx, train)
            if step is not None:
                return Proposal(step, 0)
        gp, model_ranks = _fit_surrogate(ctx, train, judge=solver == "bo")
    region, fallbacks = ctx.region, 0
    while True:
        # Every solver's draws pass the same filter: on a grid a small region's draws snap onto
        # few cells, and unfiltered the "uniform" solver proposed one NAS-Bench-201
        # architecture 162 times in 200 trials.
        C = _not_seen(ctx, _candidates(ctx, region, gp, solver, train))
        enough = len(C) >= (1 if solver == "uniform" else _MIN_CANDIDATES)
        if enough or region.depth == 0:
            break
        region, fallbacks = region.parent(), fallbacks + 1
    if len(C) == 0:
        # Every valid configuration nearby is already taken (small discrete spaces): a
        # uniform random configuration, one not yet evaluated if any of a few draws is.
        draws = ctx.space.snap(ctx.rng.random((_RANDOM_FALLBACK_DRAWS, ctx.space.dim)))
        fresh = _not_seen(ctx, draws)
        return Proposal((fresh if len(fresh) else draws)[0], fallbacks)
    if gp is None:  # the "uniform" solver, or too few distinct values to fit
        return Proposal(C[ctx.rng.integers(len(C))], fallbacks)
    if solver == "bo":  # TuRBO's candidates already lie in its trust region
        C = _within_model_reach(ctx, C, train)
        if not model_ranks:
            C = _within_trust_region(ctx, C, gp, region)
    mean, std = gp.predict(C)
    ei = expected_improvement(mean, std, gp.y_best)
    top = np.flatnonzero(ei >= ei.max() - 1e-12 * max(1.0, abs(ei.max())))
    return Proposal(C[ctx.rng.choice(top)], fallbacks)
