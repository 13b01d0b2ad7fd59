"""The GP surrogate and the rank-based objective transform."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lanas_sampler._gp import GaussianProcess, expected_improvement
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


def test_gp_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    X, y = rng.random((15, 3)), rng.standard_normal(15)
    gp = GaussianProcess()
    theta = np.array([-0.5, 0.2, 0.1, 0.3, -3.0])
    _, grad = gp._nll_and_grad(theta, X, y)
    eps = 1e-6
    for j in range(len(theta)):
        step = np.zeros_like(theta)
        step[j] = eps
        numeric = (
            gp._nll_and_grad(theta + step, X, y)[0] - gp._nll_and_grad(theta - step, X, y)[0]
        ) / (2 * eps)
        assert grad[j] == pytest.approx(numeric, rel=1e-4, abs=1e-5)


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
