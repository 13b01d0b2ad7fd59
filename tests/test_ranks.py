"""The core's own ranks and Spearman correlation: scipy's numbers, to the last bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats

from lanas_sampler._ranks import average_ranks, dense_ranks, spearman


def _arrays(seed: int):
    """Arrays as the core ranks them: continuous values, heavy ties, infinities, tiny sizes."""
    rng = np.random.default_rng(seed)
    for n in (1, 2, 3, 17, 128, 1000):
        yield rng.standard_normal(n)
        yield rng.integers(0, 4, n).astype(float)  # mostly ties
        tied_and_infinite = rng.integers(0, 30, n).astype(float)
        tied_and_infinite[rng.random(n) < 0.1] = np.inf
        tied_and_infinite[rng.random(n) < 0.1] = -np.inf
        yield tied_and_infinite


@pytest.mark.parametrize("seed", range(4))
def test_ranks_are_scipys(seed):
    for a in _arrays(seed):
        assert np.array_equal(average_ranks(a), scipy.stats.rankdata(a))
        assert np.array_equal(dense_ranks(a), scipy.stats.rankdata(a, "dense"))


def test_tied_values_share_the_mean_of_their_ranks():
    assert average_ranks(np.array([3.0, 1.0, 3.0, 2.0, 3.0])).tolist() == [4, 1, 4, 2, 4]
    assert dense_ranks(np.array([3.0, 1.0, 3.0, 2.0, 3.0])).tolist() == [3, 1, 3, 2, 3]
    assert len(average_ranks(np.zeros(0))) == 0 and len(dense_ranks(np.zeros(0))) == 0


@pytest.mark.parametrize("seed", range(4))
def test_spearman_is_scipys(seed):
    rng = np.random.default_rng(100 + seed)
    for a in _arrays(seed):
        if len(a) < 2 or np.all(a == a[0]):
            continue
        for b in (a + rng.standard_normal(len(a)), rng.integers(0, 3, len(a)).astype(float)):
            if np.all(b == b[0]):
                continue
            expected = scipy.stats.spearmanr(a, b).statistic
            assert spearman(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_spearman_is_nan_where_no_correlation_is_defined_and_does_not_warn():
    ramp = np.arange(5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # scipy warns on a constant input; the core must not
        assert np.isnan(spearman(ramp, np.ones(5)))
        assert np.isnan(spearman(np.ones(5), ramp))
        assert np.isnan(spearman(ramp, np.array([0.0, 1.0, np.nan, 3.0, 4.0])))
        assert np.isnan(spearman(np.ones(1), np.ones(1)))
    assert spearman(ramp, -ramp) == pytest.approx(-1.0)
