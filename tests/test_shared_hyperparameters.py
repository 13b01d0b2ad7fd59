"""Beyond 200 observations the local GP's hyperparameters are refitted every few observations,
on the observations nearest the best (as many as a surrogate trains on at most), and shared by
the asks in between (``LaNAS._shared_hyperparameters``)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.optimize

from lanas_sampler import Float, LaNAS, _local, _optimizer

SPACE = {f"x{i}": Float(0.0, 1.0) for i in range(13)}  # trains on the cap, 128 points
SHARE_FROM = _optimizer._SHARE_HYPERPARAMETERS_FROM
EVERY = _optimizer._HYPERPARAMETER_REFIT_EVERY


def sphere(params: dict[str, float]) -> float:
    return sum((v - 0.3) ** 2 for v in params.values())


def random_history(n: int) -> list[dict[str, float]]:
    rng = np.random.default_rng(0)
    rows = rng.random((n, len(SPACE)))
    return [{k: float(v) for k, v in zip(SPACE, row, strict=True)} for row in rows]


def told(history: list[dict[str, float]], space: dict[str, Float] = SPACE) -> LaNAS:
    opt = LaNAS(space, seed=5, n_startup=4)
    for params in history:
        opt.tell(params, sphere(params))
    return opt


def test_hyperparameters_are_fitted_per_ask_below_the_threshold_then_every_few(monkeypatch):
    """Each model ask fits its GP below ``SHARE_FROM`` observations; from there on one fit per
    ``EVERY`` observations serves the asks in between (the fit is most of an ask's time)."""
    minimize = scipy.optimize.minimize
    fits_at: list[int] = []
    # No quadratic model steps (``_local._model_step``), whose asks fit no GP.
    monkeypatch.setattr(_local, "_model_step", lambda ctx, train: None)
    opt = told(random_history(SHARE_FROM - 4))
    monkeypatch.setattr(
        scipy.optimize,
        "minimize",
        lambda *a, **k: fits_at.append(opt.n_observations) or minimize(*a, **k),
    )
    for _ in range(4 + 2 * EVERY + 1):
        params = opt.ask()
        opt.tell(params, sphere(params))
    before = list(range(SHARE_FROM - 4, SHARE_FROM))
    assert sorted(set(fits_at)) == before + [SHARE_FROM, SHARE_FROM + EVERY, SHARE_FROM + 2 * EVERY]
    # One fit per ask below SHARE_FROM, and at every third one (observations = 1 mod 3) a
    # second for the whole-space proposal (``LaNAS._offers_whole_space``) unless the leaf trains
    # on the same points (one GP per training set in an ask); one per refit from there on.
    turns = [n for n in before if n % 3 == 1]
    assert all(fits_at.count(n) == 1 for n in set(fits_at) if n not in turns)
    assert all(fits_at.count(n) in (1, 2) for n in turns)


def test_shared_hyperparameters_depend_on_the_observations_alone():
    """A worker that first asks between two refits (another process, a resumed study) must use
    the hyperparameters the long-running optimizer fitted at the last refit."""
    history = random_history(SHARE_FROM)
    running = told(history)
    for _ in range(EVERY + 2):  # refits at SHARE_FROM and SHARE_FROM + EVERY, then reuses
        params = running.ask()
        running.tell(params, sphere(params))
        history.append(params)
    assert len(history) % EVERY != 0
    rebuilt = told(history)
    unpickled = pickle.loads(pickle.dumps(running))  # the shared fit travels with it
    for opt in (running, rebuilt, unpickled):
        opt.reseed(11)
    assert rebuilt.ask() == running.ask() == unpickled.ask()
    assert running._hyperparameters is not None and rebuilt._hyperparameters is not None
    assert running._hyperparameters[0] == rebuilt._hyperparameters[0] == len(history) - 2
    np.testing.assert_array_equal(running._hyperparameters[1], rebuilt._hyperparameters[1])


def test_smaller_spaces_share_a_fit_on_as_many_points_as_the_cap(monkeypatch):
    """Five continuous coordinates need only 50 training points, but an ask trains on the first
    node of its path with enough of them, usually more: the shared fit takes the cap's 128
    nearest the best (fitted on 50 it came out far noisier than the asks' own fits, and lost
    sample efficiency on BBOB's 5-d functions)."""
    small = dict(list(SPACE.items())[:5])
    history = [{k: p[k] for k in small} for p in random_history(SHARE_FROM)]
    opt = told(history, small)
    fit_gp = _local._fit_gp
    fitted: list[tuple[int, bool]] = []  # (training points, hyperparameters given)

    def spy(space, X, z, rows, targets, settings, theta=None):
        fitted.append((len(rows), theta is not None))
        return fit_gp(space, X, z, rows, targets, settings, theta)

    monkeypatch.setattr(_local, "_fit_gp", spy)
    for _ in range(EVERY):
        params = opt.ask()
        opt.tell(params, sphere(params))
    # One shared fit on the cap's points, then every ask that fits a surrogate takes its
    # hyperparameters: all but the model steps (observations a multiple of _MODEL_STEP_EVERY),
    # and those too where the step is not taken.
    assert fitted[0] == (_local._MAX_GP_POINTS, False)
    fitting_asks = sum(
        n % _local._MODEL_STEP_EVERY != 0 for n in range(SHARE_FROM, SHARE_FROM + EVERY)
    )
    assert len(fitted) - 1 >= fitting_asks
    assert all(given for _, given in fitted[1:])
    assert opt._hyperparameters is not None and opt._hyperparameters[0] == SHARE_FROM


def test_uniform_local_solver_fits_nothing(monkeypatch):
    monkeypatch.setattr(scipy.optimize, "minimize", lambda *a, **k: pytest.fail("fitted"))
    opt = LaNAS(SPACE, seed=0, n_startup=4, local_solver="uniform")
    for params in random_history(SHARE_FROM + 1):
        opt.tell(params, sphere(params))
    assert set(opt.ask()) == set(SPACE)
