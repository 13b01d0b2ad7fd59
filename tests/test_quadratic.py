"""The quadratic model step of the "bo" local solver (``_quadratic``, ``_local._model_step``)."""

from __future__ import annotations

import numpy as np
import pytest

from lanas_sampler import Categorical, Float, LaNAS, SearchSpace
from lanas_sampler._local import LocalContext, _model_step, _model_step_rows
from lanas_sampler._objective import Observations, configuration_keys
from lanas_sampler._partition import LinearBoundary
from lanas_sampler._quadratic import _TRUST_SPREADS, points_needed, quadratic_minimiser
from lanas_sampler._region import Region


def _rotated_ellipsoid(X: np.ndarray, optimum: np.ndarray) -> np.ndarray:
    rotation, _ = np.linalg.qr(np.random.default_rng(7).standard_normal((X.shape[1],) * 2))
    scales = np.logspace(0, 1, X.shape[1])
    return (((X - optimum) @ rotation.T) ** 2 * scales).sum(axis=1)


def test_points_needed_is_half_again_the_coefficients():
    assert points_needed(1) == 5  # 3 coefficients
    assert points_needed(5) == 32  # 21 coefficients
    assert points_needed(20) == 347  # 231: beyond the surrogate's cap of 128 points
    # Separable: constant, linear and squares.
    assert points_needed(5, separable=True) == 17  # 11 coefficients
    assert points_needed(20, separable=True) == 62  # 41
    assert points_needed(100, separable=True) == 302  # 201: a full one needs 7,727


@pytest.mark.parametrize("d", [5, 20, 100])
def test_a_separable_model_takes_far_fewer_points_than_a_full_one(d):
    # An axis-aligned ellipsoid is separable: its minimiser is exact from the separable
    # model's points, which a full quadratic cannot use. (One point lies near the minimum:
    # the step's trust region is centred on the best point.)
    rng = np.random.default_rng(d)
    optimum = rng.uniform(0.3, 0.7, d)
    X = optimum + rng.uniform(-0.2, 0.2, (points_needed(d, separable=True), d))
    X[-1] = optimum + 0.01
    scales = np.logspace(0, 2, d)
    y = ((X - optimum) ** 2 * scales).sum(axis=1)
    x = quadratic_minimiser(X, y, separable=True)
    assert x is not None
    np.testing.assert_allclose(x, optimum, atol=1e-8)
    assert quadratic_minimiser(X, y) is None  # too few for a full quadratic
    assert quadratic_minimiser(X[1:], y[1:], separable=True) is None  # one point fewer


@pytest.mark.parametrize("d", [1, 3, 5])
def test_exact_quadratic_gives_its_minimiser(d):
    rng = np.random.default_rng(d)
    optimum = rng.uniform(0.3, 0.7, d)
    X = optimum + rng.uniform(-0.2, 0.2, (points_needed(d) + 10, d))
    x = quadratic_minimiser(X, _rotated_ellipsoid(X, optimum))
    assert x is not None
    np.testing.assert_allclose(x, optimum, atol=1e-8)


def test_the_fit_uses_the_best_points_only():
    # A quadratic on the better half, garbage on the worse: the minimiser is still exact.
    rng = np.random.default_rng(0)
    optimum = np.array([0.4, 0.6])
    X = rng.uniform(0.0, 1.0, (40, 2))
    y = _rotated_ellipsoid(X, optimum)
    worse = y > np.median(y)
    y[worse] = np.max(y) + rng.uniform(0.0, 1e3, worse.sum())
    x = quadratic_minimiser(X, y)
    assert x is not None
    np.testing.assert_allclose(x, optimum, atol=1e-8)


def test_steps_stay_within_the_trust_region():
    # A linear function has no minimum: the step stops _TRUST_SPREADS spreads from the best.
    rng = np.random.default_rng(1)
    X = rng.uniform(0.4, 0.6, (30, 2))
    y = X @ np.array([1.0, 2.0]) + 1e-3 * (X**2).sum(axis=1)  # nearly flat curvature
    best = X[np.argmin(y)]
    x = quadratic_minimiser(X, y)
    assert x is not None
    assert np.linalg.norm((x - best) / X[np.argsort(y)[:15]].std(axis=0)) <= _TRUST_SPREADS + 1e-9
    assert (x @ np.array([1.0, 2.0])) < (best @ np.array([1.0, 2.0]))  # downhill


def test_the_step_ignores_the_values_scale_and_offset():
    # The fit sees values relative to the best and to their range: a f + b gives the same
    # step, and values whose differences overflow a float give none (no LinAlgError).
    rng = np.random.default_rng(3)
    optimum = np.array([0.45, 0.55, 0.5])
    X = optimum + rng.uniform(-0.1, 0.1, (40, 3))
    y = _rotated_ellipsoid(X, optimum)
    x = quadratic_minimiser(X, y)
    shifted = quadratic_minimiser(X, 1e3 * y - 1e6)
    assert x is not None and shifted is not None
    np.testing.assert_allclose(shifted, x, atol=1e-9)
    assert quadratic_minimiser(X, np.full(40, 3.0)) is None  # equal values: no model
    huge = np.where(np.arange(40) < 10, -1.7e308, 1.7e308)  # the fitted range overflows
    assert quadratic_minimiser(X, huge) is None


def test_degenerate_inputs_give_no_step():
    rng = np.random.default_rng(2)
    X = rng.uniform(size=(points_needed(3) - 1, 3))
    assert quadratic_minimiser(X, (X**2).sum(axis=1)) is None  # too few points
    X = rng.uniform(size=(40, 3))
    X[:, 1] = 0.5  # a coordinate the points do not vary along
    assert quadratic_minimiser(X, (X**2).sum(axis=1)) is None
    X = rng.uniform(size=(40, 3))
    assert quadratic_minimiser(X, -((X - 0.5) ** 2).sum(axis=1)) is None  # concave: no minimum


def _sphere_regret(space: dict, evaluations: int, seed: int) -> float:
    optimum = {"x0": 1.3, "x1": -2.1, "x2": 0.7}
    opt, best = LaNAS(space, seed=seed), np.inf
    for _ in range(evaluations):
        params = opt.ask()
        value = sum((params[k] - v) ** 2 for k, v in optimum.items())
        opt.tell(params, value)
        best = min(best, value)
    return best


@pytest.mark.parametrize("seed", [0, 1])
def test_search_reaches_a_sphere_minimum_to_rounding(seed):
    # Expected improvement alone is still 2e-6 and 5e-6 away after 60 evaluations (these
    # seeds, without the model step); the model step lands on an exact quadratic's minimum.
    space = {f"x{i}": Float(-5.0, 5.0) for i in range(3)}
    assert _sphere_regret(space, 60, seed) < 1e-12


def _sphere_context(
    region: Region,
    pending: np.ndarray | None = None,
    d: int = 2,
    infeasible: int = 0,
    near: float | None = None,
) -> LocalContext:
    """A context of ``points_needed(d) + 8`` observations of a d-d sphere around its minimum,
    0.3 on every coordinate; the first ``infeasible`` of them infeasible, with the values of
    a sphere around 0.45, all better than the feasible ones. ``near``: the last point lies
    that far from the minimum on every coordinate (in many dimensions random points lie
    several spreads from it, beyond the step's trust region)."""
    space = SearchSpace({f"x{i}": Float(0.0, 1.0) for i in range(d)})
    obs = Observations(d)
    points = np.random.default_rng(3).uniform(0.1, 0.5, (points_needed(d) + 8, d))
    if near is not None:
        points[-1] = 0.3 + near
    for i, x in enumerate(points):
        if i < infeasible:
            obs.add({}, x, float(((x - 0.45) ** 2).sum()) - 10.0, 1.0, None)
        else:
            obs.add({}, x, float(((x - 0.3) ** 2).sum()), 0.0, None)
    return LocalContext(
        space=space, region=region, X=obs.X, z=obs.scores(), path_indices=[np.arange(len(obs))],
        observed_keys=set(configuration_keys(obs.X)),
        pending=np.zeros((0, d)) if pending is None else pending, trust_length=0.8,
        rng=np.random.default_rng(0), surrogate_targets=obs.surrogate_targets,
        complete_values=obs.complete_values,
    )  # fmt: skip


def test_model_step_is_a_new_configuration_inside_the_region():
    ctx = _sphere_context(Region([]))
    train = np.arange(len(ctx.X))
    step = _model_step(ctx, train)
    assert step is not None
    np.testing.assert_allclose(step, [0.3, 0.3], atol=1e-9)
    # The same minimiser outside the selected region (x0 >= 0.4), or pending: no step.
    outside = Region([(LinearBoundary(np.array([-1.0, 0.0]), -0.4), True)])
    assert _model_step(_sphere_context(outside), train) is None
    assert _model_step(_sphere_context(Region([]), pending=step[None, :]), train) is None


def test_model_step_fits_values_not_their_log_compressed_targets():
    # In 5-d the fit takes 32 of 40 points, 12 of them worse than the median, whose surrogate
    # targets are log-compressed: fitted as they are, the quadratic would be wrong.
    ctx = _sphere_context(Region([]), d=5)
    step = _model_step(ctx, np.arange(len(ctx.X)))
    assert step is not None
    np.testing.assert_allclose(step, np.full(5, 0.3), atol=1e-9)


def test_model_step_leaves_out_failed_pruned_and_infeasible_points():
    # Their values are not the objective's (here those of another sphere, and the lowest):
    # fitted, they would pull the step towards 0.45. With 25 complete points of 40, 32 needed
    # in 5-d (where no separable model stands in): no step; with 32, the exact minimum of the
    # complete points' sphere.
    short = _sphere_context(Region([]), d=5, infeasible=15)
    assert _model_step(short, np.arange(len(short.X))) is None
    ctx = _sphere_context(Region([]), d=5, infeasible=8)  # 32 complete: enough
    step = _model_step(ctx, np.arange(len(ctx.X)))
    assert step is not None
    np.testing.assert_allclose(step, np.full(5, 0.3), atol=1e-9)


def test_model_step_beyond_the_surrogates_cap_fits_the_points_it_needs_nearest_the_best():
    # A full quadratic in 12-d has 91 coefficients: 137 points, more than the GP's 128. The
    # step fits the 137 observations of the path nearest the leaf's best point, none until
    # the path holds that many (no separable model stands in below 43 floats).
    ctx = _sphere_context(Region([]), d=12, near=0.02)  # 145 observations
    gp_training_set = np.arange(128)
    fitted = _model_step_rows(ctx, gp_training_set)
    assert fitted is not None and len(fitted[0]) == 137 and len(ctx.X) - 1 in set(fitted[0])
    step = _model_step(ctx, gp_training_set)
    assert step is not None
    np.testing.assert_allclose(step, np.full(12, 0.3), atol=1e-9)
    ctx.path_indices = [np.arange(points_needed(12) - 1)]
    assert _model_step(ctx, gp_training_set) is None


def test_separable_model_beyond_the_surrogates_cap_fits_the_points_it_needs_nearest_the_best():
    # 43 floats: a separable quadratic has 87 coefficients, 131 points, more than the GP's
    # 128. While no node of the path holds the 1,485 points of a full quadratic, the step
    # fits the 131 observations nearest the leaf's best of the deepest node that holds them;
    # none before; the full quadratic once the path holds its points.
    d = 43
    ctx = _sphere_context(Region([]), d=d, near=0.01)  # 1,493 observations
    n = len(ctx.X)
    train = np.arange(n - 128, n)  # the GP's 128, with the leaf's best (the near point)
    fitted = _model_step_rows(ctx, train)
    assert fitted is not None and len(fitted[0]) == points_needed(d) and not fitted[2]
    assert points_needed(d, separable=True) == 131
    root, leaf = np.arange(n - 1000, n), np.arange(n - 139, n)
    ctx.path_indices = [root, leaf]  # the root short of a full quadratic's points
    fitted = _model_step_rows(ctx, train)
    assert fitted is not None and len(fitted[0]) == 131 and fitted[2]
    assert n - 1 in set(fitted[0]) and set(fitted[0]) <= set(leaf)  # the deepest node
    step = _model_step(ctx, train)
    assert step is not None
    np.testing.assert_allclose(step, np.full(d, 0.3), atol=1e-9)
    ctx.path_indices = [np.arange(n - 130, n)]
    assert _model_step_rows(ctx, train) is None


def test_no_separable_model_where_the_surrogates_training_set_could_hold_its_points():
    # 42 floats: a separable quadratic needs 128 points, what the GP trains on. Below 43
    # floats the step waits for a full quadratic's points (in 20-d separable steps narrowed
    # the search into a local basin of Levy and Rastrigin).
    d = 42
    assert points_needed(d, separable=True) == 128
    ctx = _sphere_context(Region([]), d=d, near=0.01)
    ctx.path_indices = [np.arange(len(ctx.X) - 200, len(ctx.X))]  # short of a full model's
    assert _model_step_rows(ctx, np.arange(len(ctx.X) - 128, len(ctx.X))) is None


def test_model_step_beyond_the_cap_takes_the_deepest_node_with_enough_complete_points():
    ctx = _sphere_context(Region([]), d=12, near=0.02, infeasible=3)  # 142 complete of 145
    near = len(ctx.X) - 1  # the point next to the minimum: the leaf's best
    deep = np.r_[np.arange(1, 139), near]  # 137 complete points: 3-138 and the near one
    assert points_needed(12) == 137
    ctx.path_indices = [np.arange(len(ctx.X)), deep, np.r_[np.arange(130, 139), near]]
    fitted = _model_step_rows(ctx, np.arange(128))
    # The deepest node with enough complete points, without its infeasible ones (1 and 2).
    assert fitted is not None and set(fitted[0]) == set(deep[2:])
    # Pruned, failed or infeasible points among the nearest do not cost the step.
    step = _model_step(ctx, np.arange(128))
    assert step is not None
    np.testing.assert_allclose(step, np.full(12, 0.3), atol=1e-9)


def test_model_step_takes_an_ancestor_when_pruned_points_leave_the_training_set_short():
    # 32 complete points of 40 in 5-d, 32 needed. The GP's training set (the first 36 points,
    # enough in number) holds the 8 infeasible ones, standing for pruned trials, so only 28
    # complete: the step fits the root's 32 complete points instead of being lost.
    ctx = _sphere_context(Region([]), d=5, infeasible=8)
    train = np.arange(36)
    fitted = _model_step_rows(ctx, train)
    assert fitted is not None and set(fitted[0]) == set(range(8, 40))
    step = _model_step(ctx, train)
    assert step is not None
    np.testing.assert_allclose(step, np.full(5, 0.3), atol=1e-9)


def test_model_step_on_11_floats_fits_more_points_than_the_training_set_holds():
    # 11 floats: the GP trains on the deepest node with at least 110 points, a full quadratic
    # needs 117. When that node holds fewer, the step fits the 117 observations of the path
    # nearest the leaf's best point.
    ctx = _sphere_context(Region([]), d=11, near=0.02)  # 125 observations
    assert points_needed(11) == 117
    train = np.arange(110)
    fitted = _model_step_rows(ctx, train)
    assert fitted is not None and len(fitted[0]) == 117 and len(ctx.X) - 1 in set(fitted[0])
    assert ctx.complete_values is not None  # the values are those of the rows, in order
    np.testing.assert_array_equal(fitted[1], ctx.complete_values(fitted[0])[1])
    step = _model_step(ctx, train)
    assert step is not None
    np.testing.assert_allclose(step, np.full(11, 0.3), atol=1e-9)


def test_search_reaches_a_12d_ellipsoid_minimum_to_rounding():
    # Expected improvement alone is 6e-3 and 1e-2 away after 200 evaluations (seeds 0 and 1,
    # the code before the model step fitted more points than the GP's); the step lands on
    # the exact quadratic's minimum once 137 observations exist.
    d = 12
    space = {f"x{i}": Float(-5.0, 5.0) for i in range(d)}
    optimum = np.linspace(-2.0, 2.0, d)
    for seed in (0, 1):
        opt, best = LaNAS(space, seed=seed), np.inf
        for _ in range(200):
            params = opt.ask()
            x = np.array([params[f"x{i}"] for i in range(d)])
            value = float(_rotated_ellipsoid(x[None, :], optimum)[0])
            opt.tell(params, value)
            best = min(best, value)
        assert best < 1e-12


def test_no_model_step_on_a_space_with_a_categorical_coordinate():
    ctx = _sphere_context(Region([]))
    mixed = SearchSpace({"x0": Float(0.0, 1.0), "c": Categorical(["a", "b"])})
    ctx.space = mixed  # the same two cube coordinates, the second now a category's
    assert _model_step(ctx, np.arange(len(ctx.X))) is None


def test_points_that_determine_no_quadratic_give_no_step():
    # On a line in 2-d the squares and the product are linear combinations of the rest.
    t = np.linspace(0.1, 0.9, 20)
    X = np.column_stack([t, 0.2 + 0.5 * t])
    assert quadratic_minimiser(X, ((X - 0.4) ** 2).sum(axis=1)) is None


def test_a_concave_direction_is_followed_to_the_trust_region_edge():
    # f = x² - y²: no minimum along y. The convexified model's curvature there is tiny, so
    # the step runs downhill along y to the trust region's edge (taking |curvature| instead
    # would stop after one spread or so).
    rng = np.random.default_rng(4)
    X = rng.uniform(-1.0, 1.0, (60, 2))
    y = X[:, 0] ** 2 - X[:, 1] ** 2
    x = quadratic_minimiser(X, y)
    assert x is not None
    best_half = X[np.argsort(y, kind="stable")[:30]]
    scaled_step = (x - best_half[0]) / best_half.std(axis=0)
    assert np.linalg.norm(scaled_step) == pytest.approx(_TRUST_SPREADS)
    assert abs(x[1]) > abs(best_half[0, 1])  # further along the concave direction
