"""The GP surrogate and the rank-based objective transform."""

from __future__ import annotations

import dataclasses
import math
from typing import get_args

import numpy as np
import pytest

from lanas_sampler import Categorical, Float, Int, LaNAS
from lanas_sampler._gp import (
    FIT_SETTINGS,
    GaussianProcess,
    GPFit,
    _Pairs,
    _scaled_sqdist,
    expected_improvement,
    fit_units,
)
from lanas_sampler._objective import Observations


def test_gp_interpolates_and_is_uncertain_far_away():
    rng = np.random.default_rng(0)
    X = rng.random((40, 2)) * 0.5  # data in one corner
    y = np.sin(6 * X[:, 0]) + X[:, 1]
    gp = GaussianProcess().fit(X, y)
    mean, std = gp.predict(X)
    np.testing.assert_allclose(mean * y.std() + y.mean(), y, atol=0.05)
    _, far_std = gp.predict(np.array([[0.95, 0.95]]))
    assert far_std[0] > 5 * std.mean()


def _assert_gradient_matches_finite_differences(objective, theta):
    _, grad = objective(theta)
    eps = 1e-6
    for j in range(len(theta)):
        step = np.zeros_like(theta)
        step[j] = eps
        numeric = (objective(theta + step)[0] - objective(theta - step)[0]) / (2 * eps)
        assert grad[j] == pytest.approx(numeric, rel=1e-4, abs=1e-5)


@pytest.mark.parametrize("n, d", [(15, 3), (40, 6), (2, 1)])
def test_gp_gradient_matches_finite_differences(n, d):
    rng = np.random.default_rng(1)
    X, y = rng.random((n, d)), rng.standard_normal(n)
    gp = GaussianProcess()
    theta = np.concatenate([rng.uniform(-1.0, 0.5, d), [0.3, -3.0]])
    pairs = _Pairs.of(X)
    _assert_gradient_matches_finite_differences(lambda t: gp._nll_and_grad(t, pairs, y), theta)


def test_gp_posterior_is_likelihood_plus_gaussian_log_priors():
    """The fit's objective adds log l_i ~ N(sqrt(2) + log(d)/2, sqrt(3)) (Hvarfner et al. 2024)
    and log noise ~ N(-4, 1) to the likelihood; its gradient matches finite differences."""
    rng = np.random.default_rng(2)
    X, y = rng.random((15, 3)), rng.standard_normal(15)
    gp = GaussianProcess()
    theta = np.array([-0.5, 0.2, 0.1, 0.3, -3.0])
    pairs = _Pairs.of(X)
    value, _ = gp._objective(theta, pairs, y)
    ls_mean = math.sqrt(2) + 0.5 * math.log(3)
    prior = ((theta[:3] - ls_mean) ** 2).sum() / (2 * 3.0) + (theta[4] + 4.0) ** 2 / 2
    assert value == pytest.approx(gp._nll_and_grad(theta, pairs, y)[0] + prior, rel=1e-12)
    _assert_gradient_matches_finite_differences(lambda t: gp._objective(t, pairs, y), theta)


def test_priors_keep_a_high_dimensional_fit_off_the_noise_floor():
    """On 60 noise-free points of a 20-d quadratic, maximum likelihood all but interpolates
    (noise ~1e-5); the noise prior keeps a nugget (~1e-2), which regularises the model."""
    rng = np.random.default_rng(3)
    X = rng.random((60, 20))
    y = ((X - 0.3) ** 2).sum(1)
    with_priors = GaussianProcess().fit(X, y)
    likelihood_only = GaussianProcess(FIT_SETTINGS["likelihood"]).fit(X, y)
    assert likelihood_only.noise < 1e-4 < with_priors.noise


def _ackley_cluster(seed):
    """100 points clustered in 20-d around a point of a shifted Ackley function: the rugged,
    locally clustered data a leaf's surrogate sees on that problem."""
    rng = np.random.default_rng(seed)
    X = np.clip(0.5 + 0.08 * rng.standard_normal((100, 20)), 0.0, 1.0)
    z = (X - 0.45) * 10
    y = -20 * np.exp(-0.2 * np.sqrt((z**2).mean(1))) - np.exp(np.cos(2 * np.pi * z).mean(1))
    return X, y


def _all_noise(gp):
    """The corner where the model explains nothing: signal at its lower bound, noise at its
    upper one."""
    return gp.signal < 0.06 and gp.noise > 0.45


def test_short_initial_length_scales_avoid_the_all_noise_corner():
    """From 0.5 sqrt(d) the fit sometimes slides into the all-noise corner, a local optimum
    far below the posterior a start from the shipped 0.1 sqrt(d) reaches."""
    long_start = dataclasses.replace(FIT_SETTINGS["map"], initial_lengthscale=0.5)
    cornered = 0
    for seed in range(8):
        X, y = _ackley_cluster(seed)
        shipped, old = GaussianProcess().fit(X, y), GaussianProcess(long_start).fit(X, y)
        posterior = [gp._objective(gp.theta, _Pairs.of(X), gp._ys)[0] for gp in (shipped, old)]
        assert not _all_noise(shipped) and posterior[0] < posterior[1] + 0.5, seed
        cornered += _all_noise(old)
    assert cornered >= 1


def test_likelihood_fit_has_no_prior_terms():
    rng = np.random.default_rng(2)
    X, y = rng.random((15, 3)), rng.standard_normal(15)
    gp = GaussianProcess(FIT_SETTINGS["likelihood"])
    theta = np.array([-0.5, 0.2, 0.1, 0.3, -3.0])
    pairs = _Pairs.of(X)
    assert gp._objective(theta, pairs, y)[0] == gp._nll_and_grad(theta, pairs, y)[0]


def test_every_gp_fit_option_has_settings():
    assert sorted(FIT_SETTINGS) == sorted(get_args(GPFit))


@pytest.mark.parametrize("gp_fit", get_args(GPFit))
def test_the_core_fits_its_gp_as_asked(gp_fit, gp_fits):
    """``LaNAS(gp_fit=...)`` reaches the surrogate of every model-based ask."""
    opt = LaNAS({"a": Float(0, 1), "b": Float(0, 1)}, seed=0, n_startup=5, gp_fit=gp_fit)
    for _ in range(12):
        params = opt.ask()
        opt.tell(params, (params["a"] - 0.3) ** 2 + params["b"])
    assert opt.gp_fit == gp_fit
    assert gp_fits and all(call.gp.settings is FIT_SETTINGS[gp_fit] for call in gp_fits)


def test_length_scales_are_fitted_in_the_training_points_range():
    """The fit's prior and bounds are stated for inputs that fill the unit cube; a converging
    search's local model trains on points that fill a small part of it. On the ``rescale``
    coordinates the fit measures length scales in the training points' range, so the same
    function shrunk 25-fold around a point gets the same model, with length scales 25 times
    shorter. Measured in cube units instead, the prior (median length scale ~4 sqrt(d))
    switches off coordinates the function depends on."""
    rng = np.random.default_rng(0)
    d = 6
    U, V = rng.random((60, d)) - 0.5, rng.random((30, d)) - 0.5
    centre = rng.uniform(0.3, 0.7, d)
    y = np.sin(3 * U[:, 0]) + (U**2).sum(1)  # depends on every coordinate
    every = np.ones(d, dtype=bool)
    wide = GaussianProcess().fit(centre + 0.5 * U, y, rescale=every)
    narrow = GaussianProcess().fit(centre + 0.02 * U, y, rescale=every)
    np.testing.assert_allclose(narrow.lengthscales, 0.04 * wide.lengthscales, rtol=1e-9)
    np.testing.assert_allclose(
        narrow.predict(centre + 0.02 * V)[0], wide.predict(centre + 0.5 * V)[0], atol=1e-8
    )
    span = 0.02 * np.ptp(U, axis=0)
    assert np.all(narrow.lengthscales < 50 * span)
    in_cube_units = GaussianProcess().fit(centre + 0.02 * U, y)
    assert np.sum(in_cube_units.lengthscales > 100 * span) >= 2


def test_fit_units_are_the_range_of_the_marked_coordinates_that_vary():
    X = np.array([[0.1, 0.2, 0.5, 0.0], [0.3, 0.6, 0.5, 1.0], [0.2, 0.4, 0.5, 0.0]])
    marked = np.array([True, True, True, False])  # the last: a one-hot coordinate
    np.testing.assert_allclose(fit_units(X, marked), [0.2, 0.4, 1.0, 1.0])
    np.testing.assert_array_equal(fit_units(X, None), np.ones(4))


def test_kernel_distances_keep_close_points_apart_far_from_the_origin():
    # Two points 1e-6 apart, 1e3 from the origin (in length-scale units, as a converged
    # local model's short length scales place them): |a|² - 2ab + |b|² from the origin
    # cancels to rounding (~1e-10 of 1e6); from the points' mean it keeps 1e-12.
    A = np.array([[1000.0, 1000.0], [1000.0 + 1e-6, 1000.0]])
    sq = _scaled_sqdist(A, A)
    assert sq[0, 1] == pytest.approx(1e-12, rel=1e-3)
    assert sq[0, 0] == pytest.approx(0.0, abs=1e-20)


def test_the_core_rescales_its_continuous_coordinates_only(gp_fits):
    """Integer, stepped and one-hot coordinates keep cube units: their few values are the
    moves between grid points, whatever the training points' range."""
    space = {
        "a": Float(0, 1),
        "n": Int(1, 9),
        "s": Float(0, 1, step=0.1),
        "k": Categorical(["x", "y"]),
    }
    opt = LaNAS(space, seed=0, n_startup=5)
    for _ in range(10):
        params = opt.ask()
        opt.tell(params, params["a"] + params["n"] + params["s"] + (params["k"] == "x"))
    masks = [call.options["rescale"] for call in gp_fits]
    assert masks and all(np.array_equal(m, opt.space.is_continuous()) for m in masks)
    assert masks[0].tolist().count(True) == 1


def test_an_ask_whose_kernel_matrix_never_factorises_still_proposes(monkeypatch):
    """Cholesky failing at every jitter leaves the ask without a surrogate: it picks one of its
    candidates at random instead of raising."""
    opt = LaNAS({"a": Float(0, 1), "b": Float(0, 1)}, seed=0, n_startup=5)
    for _ in range(8):
        params = opt.ask()
        opt.tell(params, params["a"] + params["b"])

    def negative_definite(A, B, lengthscales, signal):  # no jitter makes it factorise
        return -1e9 * np.eye(len(A), len(B))

    monkeypatch.setattr(GaussianProcess, "_kernel", staticmethod(negative_definite))
    params = opt.ask()
    assert opt.last_ask_info.phase == "model"
    assert 0.0 <= params["a"] <= 1.0 and 0.0 <= params["b"] <= 1.0


def test_gp_likelihood_matches_the_textbook_formula():
    """The LAPACK path (potrf/potrs/potri) computes R&W Eq. 2.30 and its gradient."""
    rng = np.random.default_rng(4)
    X, y = rng.random((30, 4)), rng.standard_normal(30)
    gp = GaussianProcess()
    theta = np.array([-1.0, -0.5, 0.0, 0.5, 0.3, math.log(0.05)])
    nll, _ = gp._nll_and_grad(theta, _Pairs.of(X), y)
    K = gp._kernel(X, X, np.exp(theta[:4]), math.exp(theta[4]))
    Ky = K + (math.exp(theta[5]) + 1e-8) * np.eye(30)
    sign, logdet = np.linalg.slogdet(Ky)
    expected = 0.5 * y @ np.linalg.solve(Ky, y) + 0.5 * logdet + 15 * math.log(2 * math.pi)
    assert sign > 0 and nll == pytest.approx(expected, rel=1e-10)


def test_leave_one_out_means_are_the_predictions_without_each_point():
    rng = np.random.default_rng(5)
    X = rng.random((25, 3))
    gp = GaussianProcess().fit(X, np.sin(3 * X).sum(axis=1))
    K = gp._L @ gp._L.T  # the factorised kernel matrix, noise included
    brute_force = []
    for i in range(len(X)):
        others = np.arange(len(X)) != i
        weights = np.linalg.solve(K[np.ix_(others, others)], gp.y_train[others])
        brute_force.append(K[i, others] @ weights)
    np.testing.assert_allclose(gp.leave_one_out_means(), brute_force, atol=1e-9)


def test_expected_improvement_prefers_low_mean_and_high_std():
    ei = expected_improvement(np.array([0.0, -1.0, 0.0]), np.array([0.1, 0.1, 1.0]), best=-0.5)
    assert ei[1] > ei[0] and ei[2] > ei[0] and (ei >= 0).all()


def _obs(values, violation=None, steps=None):
    obs = Observations(1)
    for i, v in enumerate(values):
        obs.add(
            {},
            np.array([i / 10]),
            v,
            0.0 if violation is None else violation[i],
            None if steps is None else steps[i],
        )
    return obs


def test_scores_are_rank_based_and_scale_free():
    values = [3.0, -1.0, 10.0, 0.5]
    z = _obs(values).scores()
    np.testing.assert_allclose(_obs([7 * v - 2 for v in values]).scores(), z)
    np.testing.assert_allclose(_obs([math.exp(v) for v in values]).scores(), z)
    assert list(np.argsort(z)) == [1, 3, 0, 2]


def test_failed_pruned_and_infeasible_rank_below_complete():
    values = [5.0, math.nan, 1.0, math.inf, 0.0, 2.0, -math.inf]
    steps = [None, None, 3, None, None, 7, None]
    violation = [0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0]
    obs = _obs(values, violation, steps)
    z = obs.scores()
    complete, deep_pruned, shallow_pruned, infeasible = z[0], z[5], z[2], z[4]
    assert complete < deep_pruned < shallow_pruned < infeasible < z[1]
    assert z[1] == z[3] == z[6]  # all failures tie last
    assert obs.best_index() == 0


def test_all_equal_values_give_equal_scores():
    z = _obs([1.0] * 5).scores()
    assert np.ptp(z) == 0.0


def test_best_index_without_success_raises():
    with pytest.raises(ValueError, match="No feasible"):
        _obs([math.nan]).best_index()


def test_surrogate_targets_keep_values_and_are_affine_invariant():
    values = [3.0, -1.0, 10.0, 0.5, 2.0, 1e6]
    rows = np.arange(len(values))
    y = _obs(values).surrogate_targets(rows)
    assert y is not None
    # Values, not ranks: equal gaps below the median stay equal gaps.
    z = _obs([0.0, 1.0, 2.0, 3.0, 4.0]).surrogate_targets(np.arange(5))
    assert z is not None and z[1] - z[0] == pytest.approx(z[2] - z[1])
    # The huge outlier is log-compressed instead of flattening the rest.
    assert y[5] < 20.0 and list(np.argsort(y)) == [1, 3, 4, 0, 2, 5]
    shifted = _obs([7e6 * v - 37.0 for v in values]).surrogate_targets(rows)
    assert shifted is not None and np.array_equal(shifted, y)  # bit-identical


def test_surrogate_targets_place_other_outcomes_above_complete_ones_in_rank_order():
    values = [5.0, math.nan, 1.0, 4.0, 0.0, 2.0, 3.0]
    steps = [None, None, 3, None, None, 7, None]
    violation = [0.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0]
    y = _obs(values, violation, steps).surrogate_targets(np.arange(7))
    assert y is not None and np.all(np.isfinite(y))
    worst_complete = max(y[0], y[3], y[6])
    deep_pruned, shallow_pruned, infeasible, failed = y[5], y[2], y[4], y[1]
    assert worst_complete < deep_pruned < shallow_pruned < infeasible < failed


def test_surrogate_targets_need_three_distinct_complete_values():
    assert _obs([1.0, 2.0, math.nan, math.nan]).surrogate_targets(np.arange(4)) is None
    assert _obs([1.0, 1.0, 1.0]).surrogate_targets(np.arange(3)) is None
    assert _obs([1.0, 2.0, 3.0]).surrogate_targets(np.array([0, 1])) is None


def test_given_hyperparameters_are_used_without_a_fit(monkeypatch):
    """``fit(theta=...)`` takes an earlier fit's hyperparameters, read in the units of the new
    training points (their range on rescaled coordinates), and only factorises."""
    rng = np.random.default_rng(1)
    X = rng.random((30, 3))
    y = np.sin(5 * X[:, 0]) + X[:, 1]
    continuous = np.ones(3, dtype=bool)
    fitted = GaussianProcess().fit(X, y, rescale=continuous)
    monkeypatch.setattr(GaussianProcess, "_fit_theta", lambda *a: pytest.fail("refitted"))
    reused = GaussianProcess().fit(X, y, rescale=continuous, theta=fitted.theta)
    Xq = rng.random((10, 3))
    for a, b in zip(reused.predict(Xq), fitted.predict(Xq), strict=True):
        np.testing.assert_array_equal(a, b)
    # Half the range on every coordinate: the same theta means half the length scales.
    halved = GaussianProcess().fit(X / 2, y, rescale=continuous, theta=fitted.theta)
    np.testing.assert_allclose(halved.lengthscales, fitted.lengthscales / 2)
    with pytest.raises(ValueError, match="theta must hold 5 values for 3 inputs"):
        GaussianProcess().fit(X, y, theta=fitted.theta[:4])
