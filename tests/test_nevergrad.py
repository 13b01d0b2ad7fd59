"""Tests of the Nevergrad adapter (lanas_sampler.integrations.nevergrad)."""

from __future__ import annotations

import inspect
import math
import subprocess
import sys
import tempfile
import unittest
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nevergrad as ng
import numpy as np
import pytest
from nevergrad.common import errors, testing
from nevergrad.optimization import base
from nevergrad.optimization import test_optimizerlib as ngtests

import lanas_sampler
from lanas_sampler import Categorical, Float, Int
from lanas_sampler.integrations import nevergrad as lanas_ng

ROOT = Path(__file__).resolve().parents[1]
NAMES = sorted(lanas_ng.PRESETS)
registry = ng.optimizers.registry


def _n_pending(opt: Any) -> int:
    """Asked-but-untold points the core is avoiding (the core has no public count)."""
    return len(opt.core._pending)


def _fresh(param: Any, budget: int = 30, name: str = "LaNAS", **kwargs: Any) -> Any:
    opt = registry[name](param, budget=budget, **kwargs)
    opt.parametrization.random_state.seed(12)
    return opt


# -- registration ---------------------------------------------------------------------------


def test_presets_are_registered_and_configured() -> None:
    assert lanas_sampler.ParametrizedLaNAS is lanas_ng.ParametrizedLaNAS
    for name in NAMES:
        family = registry[name]
        assert isinstance(family, lanas_ng.ParametrizedLaNAS)
        assert family.name == name
        assert family.__class__(**family._config) == family  # nevergrad's family contract
        opt = family(ng.p.Array(shape=(3,)), budget=5)
        assert isinstance(opt, base.Optimizer) and opt.name == name
    assert registry["LaNASLinear"]._config["split"] == "linear"
    assert registry["LaNASUniform"]._config["local_solver"] == "uniform"
    assert repr(lanas_ng.ParametrizedLaNAS(split="linear")) == "ParametrizedLaNAS(split='linear')"


@pytest.mark.parametrize("name", NAMES)
def test_each_preset_builds_its_core_with_its_options(name: str) -> None:
    # Mostly categorical, so that split="auto" (the default) takes linear splits and a preset's
    # kernel splits differ from it.
    space = ng.p.Dict(a=ng.p.Choice(["x", "y", "z"]), b=ng.p.Choice([1, 2, 3]), c=ng.p.Scalar())
    opt = registry[name](space, budget=5)
    opt.ask()
    config = {k: v for k, v in registry[name]._config.items() if v is not None}
    defaults = {"split": "linear", "local_solver": "bo"}  # the core's on this space
    for option in ("split", "local_solver"):
        assert getattr(opt.core, option) == config.get(option, defaults[option])


def test_every_option_reaches_the_core(non_default_core_options: dict[str, Any]) -> None:
    options = {**non_default_core_options, "n_startup": 4}
    opt = lanas_ng.ParametrizedLaNAS(**options)(ng.p.Array(shape=(3,)), budget=5)
    opt.ask()
    assert {name: getattr(opt.core, name) for name in options} == options


def test_reimport_and_reload_do_not_raise() -> None:
    code = (
        "import importlib, nevergrad as ng, lanas_sampler\n"
        "assert 'LaNAS' not in ng.optimizers.registry\n"
        "lanas_sampler.ParametrizedLaNAS  # the lazy re-export imports and registers\n"
        "ng.optimizers.registry['LaNAS'](ng.p.Scalar(), budget=3).minimize(abs)\n"
        "import lanas_sampler.integrations.nevergrad as m\n"
        "m = importlib.import_module('lanas_sampler.integrations.nevergrad')\n"
        "m2 = importlib.reload(m)\n"
        "family = ng.optimizers.registry['LaNASLinear']\n"
        "assert isinstance(family, m2.ParametrizedLaNAS) and family.name == 'LaNASLinear'\n"
        "ng.optimizers.registry['LaNAS'](ng.p.Scalar(), budget=3).minimize(abs)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_bad_options_fail_at_construction() -> None:
    with pytest.raises(ValueError, match="split"):
        lanas_ng.ParametrizedLaNAS(split="quadratic")
    with pytest.raises(ValueError, match="leaf_size"):
        lanas_ng.ParametrizedLaNAS(leaf_size=1)


# -- randomness -------------------------------------------------------------------------------


def test_construction_draws_nothing_and_reseeding_after_it_is_reproducible() -> None:
    fresh = ng.p.Array(shape=(3,))
    opt = registry["LaNAS"](fresh, budget=20)
    assert fresh._random_state is None  # not even created
    assert opt.core is None  # built lazily
    param = ng.p.Array(shape=(3,), lower=-1, upper=1)  # set_bounds creates the random state
    before = param.random_state.get_state()[1].copy()
    registry["LaNAS"](param, budget=20)
    np.testing.assert_array_equal(param.random_state.get_state()[1], before)

    def run(seed: int) -> list[np.ndarray]:
        o = registry["LaNAS"](param, budget=20)
        o.parametrization.random_state.seed(seed)
        out = []
        for _ in range(14):  # past the start-up into the model phase
            cand = o.ask()
            o.tell(cand, float(np.sum(cand.value**2)))
            out.append(cand.value)
        return out

    a, b, c = run(12), run(12), run(13)
    np.testing.assert_array_equal(np.array(a), np.array(b))
    assert not np.allclose(np.array(a), np.array(c))


# -- parameter mapping ------------------------------------------------------------------------


def test_bounded_scalar_array_and_log_map_exactly_and_affinely() -> None:
    lower, upper = np.array([[-1.0, 0.0, 2.0]]), np.array([[1.0, 10.0, 3.0]])
    param = ng.p.Instrumentation(
        s=ng.p.Scalar(lower=-3, upper=5),
        a=ng.p.Array(shape=(1, 3), lower=lower, upper=upper),
        lg=ng.p.Log(lower=1e-4, upper=1.0),
    )
    opt = _fresh(param)
    opt.ask()
    space = opt.core.space.parameters
    assert all(isinstance(p, Float) and (p.low, p.high) == (0.0, 1.0) for p in space.values())
    for _ in range(12):
        cand = opt.ask()
        u = cand._meta[lanas_ng._META_KEY]
        kw = cand.kwargs
        assert kw["s"] == pytest.approx(-3 + 8 * u["s"], abs=1e-12)
        expected = lower + (upper - lower) * np.array([[u[f"a[{i}]"] for i in range(3)]])
        np.testing.assert_allclose(kw["a"], expected, atol=1e-12)
        assert math.log(kw["lg"]) == pytest.approx(math.log(1e-4) * (1 - u["lg"]), abs=1e-9)
        opt.tell(cand, kw["s"] ** 2)


def test_bounds_are_reached_exactly() -> None:
    opt = _fresh(ng.p.Scalar(lower=0.0, upper=1.0))
    opt.ask()
    for target in (0.0, 1.0):
        cand = opt.parametrization.spawn_child()
        opt._slots[0].write(cand, {"value": target})
        assert cand.value == target


def test_integer_casting_stays_integral_and_maps_to_core_int() -> None:
    param = ng.p.Instrumentation(
        n=ng.p.Scalar(lower=1, upper=10).set_integer_casting(),
        units=ng.p.Log(lower=1, upper=1024).set_integer_casting(),
        free=ng.p.Scalar().set_integer_casting(),
        arr=ng.p.Array(shape=(2,), lower=-2, upper=2).set_integer_casting(),
    )
    opt = _fresh(param)
    for _ in range(15):
        cand = opt.ask()
        kw, u = cand.kwargs, cand._meta[lanas_ng._META_KEY]
        assert isinstance(kw["n"], int) and kw["n"] == u["n"]
        assert isinstance(kw["units"], int) and kw["units"] == u["units"]
        assert isinstance(kw["free"], int)
        assert kw["arr"].dtype.kind == "i" and list(kw["arr"]) == [u["arr[0]"], u["arr[1]"]]
        opt.tell(cand, float(kw["n"] + kw["units"]))
    space = opt.core.space.parameters
    assert isinstance(space["n"], Int) and (space["n"].low, space["n"].high) == (1, 10)
    assert isinstance(space["units"], Int) and space["units"].log
    assert (space["units"].low, space["units"].high) == (1, 1024)
    assert isinstance(space["free"], Float)  # unbounded: squashed, cast by nevergrad


@pytest.mark.parametrize("method", lanas_ng._DIVERGENT_BOUND_METHODS)
def test_integer_bounds_of_divergent_methods_stay_finite(method: str) -> None:
    # arctanh(1) = inf: an integer written exactly at a tanh bound gave infinite standardized
    # data (and arctan a huge one), with RuntimeWarnings.
    param = ng.p.Scalar(init=5).set_bounds(0, 10, method=method).set_integer_casting()
    opt = _fresh(param)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        opt.ask()
        for target in (0, 1, 5, 9, 10):
            cand = opt.parametrization.spawn_child()
            opt._slots[0].write(cand, {"value": target})
            assert cand.value == target
            data = cand.get_standardized_data(reference=opt.parametrization)
            assert np.all(np.abs(data) < 20.0), (target, data)
            assert opt._slots[0].read(cand) == {"value": target}
        recom = opt.minimize(lambda x: float((x - 10) ** 2))  # the optimum is on the bound
    assert recom.value == 10
    assert all(np.isfinite(x).all() for x in opt.archive.keys_as_arrays())  # data told


def test_integer_data_without_an_integer_inside_fails_at_construction() -> None:
    with pytest.raises(ValueError, match=r"'value' is cast to integers.*\[0\.2, 0\.8\]"):
        registry["LaNAS"](ng.p.Scalar(lower=0.2, upper=0.8).set_integer_casting(), budget=5)
    array = ng.p.Array(shape=(2,), lower=[0.0, 1.2], upper=[3.0, 1.9]).set_integer_casting()
    with pytest.raises(ValueError, match=r"'n\[1\]'.*at least one integer"):
        registry["LaNAS"](ng.p.Instrumentation(n=array), budget=5)
    # A single integer inside is a constant, not an error.
    opt = _fresh(ng.p.Scalar(lower=0.5, upper=1.5).set_integer_casting(), budget=3)
    assert opt.minimize(lambda x: float(x)).value == 1


def test_choices_are_categorical_and_transition_choices_ordinal() -> None:
    param = ng.p.Instrumentation(
        act=ng.p.Choice(["relu", "tanh", "gelu"]),
        depth=ng.p.TransitionChoice([1, 2, 4, 8]),
        opt=ng.p.TransitionChoice(["sgd", "adam"], ordered=False),
        rep=ng.p.Choice([0, 1], repetitions=3),
        nested=ng.p.Choice([ng.p.Scalar(lower=0, upper=1), "off"]),
        fixed=ng.p.Choice(["only"]),
    )
    opt = _fresh(param, budget=40)
    seen = set()
    for _ in range(25):
        cand = opt.ask()
        kw, u = cand.kwargs, cand._meta[lanas_ng._META_KEY]
        assert kw["act"] == ["relu", "tanh", "gelu"][u["act"]]
        assert kw["depth"] == [1, 2, 4, 8][u["depth"]]
        assert kw["opt"] == ["sgd", "adam"][u["opt"]]
        assert kw["rep"] == tuple(u[f"rep[{i}]"] for i in range(3))
        assert kw["fixed"] == "only"
        if u["nested"] == 0:
            assert kw["nested"] == pytest.approx(u["nested.choices.0"])
        # deterministic: the value is the index the core chose, however often it is read
        assert all(cand.kwargs["act"] == kw["act"] for _ in range(5))
        seen.add(kw["act"])
        opt.tell(cand, (kw["act"] != "gelu") + kw["depth"] / 8)
    assert seen == {"relu", "tanh", "gelu"}
    space = opt.core.space.parameters
    assert isinstance(space["act"], Categorical) and space["act"].choices == (0, 1, 2)
    assert isinstance(space["depth"], Int) and (space["depth"].low, space["depth"].high) == (0, 3)
    assert isinstance(space["opt"], Categorical)
    assert "fixed" not in space
    assert opt.recommend().kwargs["act"] == "gelu"


def test_unbounded_data_use_the_documented_arctan_squash() -> None:
    param = ng.p.Array(init=np.array([1.0, -2.0])).set_mutation(sigma=3.0)
    opt = _fresh(param)
    for _ in range(12):
        cand = opt.ask()
        u = cand._meta[lanas_ng._META_KEY]
        s = np.tan(np.pi * (np.array([u["value[0]"], u["value[1]"]]) - 0.5))
        np.testing.assert_allclose(cand.value, [1.0, -2.0] + 3.0 * s, rtol=1e-9)
        opt.tell(cand, float(np.sum(cand.value**2)))
    lo, hi = lanas_ng._SQUASH_EPS, 1 - lanas_ng._SQUASH_EPS
    assert all((p.low, p.high) == (lo, hi) for p in opt.core.space.parameters.values())


def test_mixed_nested_containers_minimize() -> None:
    param = ng.p.Instrumentation(
        ng.p.Array(shape=(2,), lower=-3, upper=3),
        cfg=ng.p.Dict(lr=ng.p.Log(lower=1e-3, upper=1.0), kind=ng.p.Choice(["a", "b"])),
        pair=ng.p.Tuple(ng.p.Scalar(lower=0, upper=1), ng.p.TransitionChoice([0, 1, 2])),
    )

    def loss(x: np.ndarray, cfg: dict[str, Any], pair: tuple[float, int]) -> float:
        return float(
            np.sum((x - 1) ** 2) + abs(math.log10(cfg["lr"]) + 2) + (cfg["kind"] == "b") + pair[1]
        )

    recom = _fresh(param, budget=40).minimize(loss)
    assert loss(*recom.args, **recom.kwargs) < 2.0


def test_parametrization_without_free_variable() -> None:
    opt = _fresh(ng.p.Instrumentation(ng.p.Choice(["only"])), budget=3)
    recom = opt.minimize(lambda x: 1.0)
    assert recom.args == ("only",) and opt.core is None


# -- tell of points never asked, parallel asks, constraints ----------------------------------


def test_tell_not_asked_and_suggest_recover_core_params() -> None:
    param = ng.p.Instrumentation(
        x=ng.p.Scalar(lower=-5, upper=5),
        n=ng.p.Scalar(lower=0, upper=9).set_integer_casting(),
        act=ng.p.Choice(["relu", "tanh"]),
        free=ng.p.Scalar(init=1.0),
    )
    opt = _fresh(param)
    warm = opt.parametrization.spawn_child(
        new_value=((), {"x": 2.5, "n": 7, "act": "tanh", "free": 3.0})
    )
    opt.tell(warm, -100.0)
    assert opt.num_tell_not_asked == 1 and opt.core.n_observations == 1
    best = opt.core.best_params
    assert best["x"] == pytest.approx(0.75) and best["n"] == 7 and best["act"] == 1
    assert np.tan(np.pi * (best["free"] - 0.5)) == pytest.approx(2.0)  # (3 - 1) / sigma 1
    opt.suggest(x=-1.0, n=2, act="relu", free=0.0)
    cand = opt.ask()
    assert cand.kwargs == {"x": -1.0, "n": 2, "act": "relu", "free": 0.0}
    opt.tell(cand, -200.0)
    assert opt.num_tell_not_asked == 2 and opt.core.best_params["n"] == 2


def test_several_workers_tell_in_any_order() -> None:
    opt = _fresh(ng.p.Array(shape=(2,), lower=-1, upper=1), budget=40, num_workers=4)
    for _ in range(5):
        cands = [opt.ask() for _ in range(4)]
        assert len({tuple(c.value) for c in cands}) == 4
        assert _n_pending(opt) == 4  # the core avoids what is being evaluated
        for cand in reversed(cands):
            opt.tell(cand, float(np.sum(cand.value**2)))
        assert not _n_pending(opt)
    assert opt.core.n_observations == 20


def _left_half(x: np.ndarray) -> bool:
    return bool(x[0] <= 0.0)


def test_cheap_constraint_rejections_are_failures_for_the_core() -> None:
    param = ng.p.Array(shape=(2,), lower=-1, upper=1)
    param.register_cheap_constraint(_left_half)
    # 60 evaluations: at 40 single searches ended from 0.25 to 0.32 (seeds 10-17, either
    # code; the whole-space asks spend a few of the first evaluations away from the best),
    # at 60 from 0.250 to 0.274.
    opt = _fresh(param, budget=60)
    for _ in range(60):  # the unconstrained optimum (0.5, 0.5) is rejected
        cand = opt.ask()
        assert cand.value[0] <= 0.0
        assert _n_pending(opt) == 1  # only the candidate handed out
        opt.tell(cand, float(np.sum((cand.value - 0.5) ** 2)))
    assert opt.num_ask == opt.num_tell == 60 and not _n_pending(opt)
    rejected = opt.core.n_observations - opt.num_tell
    assert rejected > 0  # told to the core as failures, so that it learns the boundary
    assert 0.25 <= opt.core.best_value < 0.3  # constrained optimum 0.25 at (0, 0.5)


def test_constraint_violation_is_passed_to_the_core() -> None:
    opt = _fresh(ng.p.Scalar(lower=-1, upper=1))
    # Nevergrad's own penalty is zero for a negative loss early in the run: the core must
    # still know the point is infeasible.
    opt.tell(opt.ask(), -5.0, constraint_violation=[2.0, -1.0])
    with pytest.raises(ValueError, match="feasible"):
        _ = opt.core.best_value
    opt.tell(opt.ask(), 10.0, constraint_violation=[0.0])
    opt.tell(opt.ask(), 20.0, constraint_violation=0.5)
    assert opt.core.best_value == 10.0
    opt.tell(opt.ask(), 15.0, constraint_violation=[-1.0])  # non-positive: feasible
    assert opt.core.best_value == 10.0 and opt.core.n_observations == 4


@pytest.mark.skipif(
    not ng.__version__.startswith("1.0."),
    reason="checks the Nevergrad 1.0.x internals _LaNAS._constraint_violation relies on; "
    "re-verify them for this version (test_constraint_violation_is_passed_to_the_core fails "
    "if the frame lookup no longer finds the argument)",
)
def test_constraint_violation_frame_lookup_assumptions() -> None:
    # Nevergrad 1.0.x offers no supported way to read tell's constraint_violation (it is folded
    # into the loss, stored nowhere): _constraint_violation reads it from Optimizer.tell's
    # frame. That needs a local of that name in tell, which calls _internal_tell_* itself.
    assert lanas_ng._BASE_TELL_CODE is base.Optimizer.tell.__code__
    assert "constraint_violation" in inspect.signature(base.Optimizer.tell).parameters
    assert "constraint_violation" in base.Optimizer.tell.__code__.co_varnames
    for hook in (base.Optimizer._internal_tell_candidate, base.Optimizer._internal_tell_not_asked):
        assert list(inspect.signature(hook).parameters) == ["self", "candidate", "loss"]
    opt = _fresh(ng.p.Scalar(lower=-1, upper=1))
    seen: list[float] = []
    tell = opt._tell

    def spy(candidate: Any, loss: float) -> None:
        seen.append(opt._constraint_violation())
        tell(candidate, loss)

    opt._tell = spy
    opt.tell(opt.ask(), 1.0, constraint_violation=[0.5, -2.0, 0.25])
    opt.tell(opt.ask(), 1.0)
    opt.tell(opt.parametrization.spawn_child(new_value=0.5), 1.0, constraint_violation=2.0)
    assert seen == [0.75, 0.0, 2.0]
    assert opt._constraint_violation() == 0.0  # outside tell


def test_multiobjective_tell_raises_and_leaves_the_optimizer_usable() -> None:
    opt = _fresh(ng.p.Scalar(lower=-1, upper=1))
    cand = opt.ask()
    with pytest.raises(ValueError, match="single-objective"):
        opt.tell(cand, [1.0, 2.0])
    with pytest.raises(errors.NevergradValueError):
        opt.tell(cand, np.array([1.0, 2.0, 3.0]))
    assert opt.num_tell == 0 and opt.core.n_observations == 0
    opt.tell(cand, [1.5])  # a one-element list is a single objective for nevergrad
    assert opt.core.best_value == 1.5 and opt.num_objectives == 1


def test_failed_evaluations_are_failures_for_the_core() -> None:
    # Nevergrad replaces NaN and losses >= 5e20 by 5e20: the core must see failures (infinite
    # values, ranked last), not a finite 5e20 that its models would fit.
    opt = _fresh(ng.p.Scalar(lower=-1, upper=1))
    losses = [float("nan"), float("inf"), 1e25, 5e20, 4.9e20, 3.0]
    with testing.suppress_nevergrad_warnings():
        for loss in losses:
            opt.tell(opt.ask(), loss)
    told = opt.core._obs.values
    assert np.isposinf(told[:4]).all()
    assert told[4:].tolist() == [4.9e20, 3.0]
    assert opt.core.best_value == 3.0


def test_minus_infinity_is_the_best_loss_not_a_failure() -> None:
    # Nevergrad passes -inf on as it is: the best loss there is, not a failed evaluation.
    opt = _fresh(ng.p.Scalar(lower=-1, upper=1))
    opt.tell(opt.ask(), float("-inf"))
    opt.tell(opt.ask(), 3.0)
    assert opt.core.n_observations == 2
    assert opt.core.best_value == -sys.float_info.max


@pytest.mark.parametrize("workers", [2, 4])
def test_minimize_with_a_thread_pool(workers: int) -> None:
    param = ng.p.Array(shape=(2,), lower=-5, upper=5)
    opt = _fresh(param, budget=30, num_workers=workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        recom = opt.minimize(lambda x: float(np.sum((x - 1) ** 2)), executor=pool)
    assert opt.num_tell == 30 and opt.core.n_observations == 30 and not _n_pending(opt)
    assert recom.loss == min(v.mean for v in opt.archive.values())


def test_pickle_mid_run_and_continue(tmp_path: Path) -> None:
    opt = _fresh(ng.p.Array(shape=(3,), lower=-2, upper=2), budget=40, num_workers=2)
    for _ in range(13):
        cand = opt.ask()
        opt.tell(cand, float(np.sum(cand.value**2)))
    outstanding = [opt.ask(), opt.ask()]
    opt.dump(tmp_path / "opt.pkl")
    loaded = base.Optimizer.load(tmp_path / "opt.pkl")
    assert loaded.name == "LaNAS" and loaded.core.n_observations == 13
    for o in (opt, loaded):
        for cand in outstanding:
            o.tell(cand, float(np.sum(cand.value**2)))
    nxt = [o.ask() for o in (opt, loaded)]
    np.testing.assert_array_equal(nxt[0].value, nxt[1].value)  # same state, same proposal
    for _ in range(10):
        cand = loaded.ask()
        loaded.tell(cand, float(np.sum(cand.value**2)))
    assert loaded.core.n_observations == 25 and loaded.num_tell == 25


# -- nevergrad's generic optimizer checks ----------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_nevergrad_check_optimizer(name: str) -> None:
    # 2-d unbounded quadratic with two workers, optimum to 1 decimal, then a tell not asked.
    ngtests.check_optimizer(registry[name], budget=150, verify_value=True)


# Nevergrad's test_optimizers_minimal raises SkipTest for names containing "BO" (among many
# other substrings, none in our other names): LaNASTuRBO. Our own copy covers those.
MINIMAL_SKIPPED = [name for name in NAMES if "BO" in name]


def _run_nevergrad_test(test: Any, name: str) -> None:
    """Call one of Nevergrad's generic tests; its SkipTest would hide that nothing ran."""
    try:
        test(name)
    except unittest.SkipTest as skip:
        pytest.fail(f"nevergrad's {test.__name__} skipped {name}: {skip}")


@pytest.mark.parametrize("name", [n for n in NAMES if n not in MINIMAL_SKIPPED])
def test_nevergrad_optimizers_minimal(name: str) -> None:
    _run_nevergrad_test(ngtests.test_optimizers_minimal, name)


@pytest.mark.parametrize("name", MINIMAL_SKIPPED)
def test_minimal_checks_for_every_preset(name: str) -> None:
    # Same targets as nevergrad's test_optimizers_minimal, which skips these names.
    cls = registry[name]
    val = cls(1, 100).minimize(lambda x: float(np.sum((x - 1.1) ** 2))).value
    assert 1.04 < val[0] < 1.16
    val = cls(1, 100).minimize(lambda x: float(np.sum((x + 1.1) ** 2))).value
    assert -1.16 < val[0] < -1.04
    val = cls(ng.p.Scalar(lower=0.0, upper=1.0), 100).minimize(lambda x: (x - 1.1) ** 2).value
    assert 0.94 < val < 1.01
    val = cls(ng.p.Scalar(lower=-0.3, upper=0.3), 100).minimize(lambda x: (x + 1.1) ** 2).value
    assert -0.31 < val < -0.24


@pytest.mark.parametrize("name", NAMES)
def test_nevergrad_optim_pickle(name: str) -> None:
    ngtests.test_optim_pickle(name)


# Nevergrad's test_infnan and test_parametrization_offset skip 80% / 75% of all names by a
# hash of the name; of ours they run LaNASKernel only. Copies cover the other names.
NAME_RUN_BY_NEVERGRAD = "LaNASKernel"


def test_nevergrad_infnan() -> None:
    _run_nevergrad_test(ngtests.test_infnan, NAME_RUN_BY_NEVERGRAD)


def test_nevergrad_parametrization_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    # It also returns early, silently, when its long_name() says so: always for names ending
    # in a digit or containing "BO", "NGO"..., and at random 85% of the time otherwise.
    assert not NAME_RUN_BY_NEVERGRAD[-1].isdigit()
    monkeypatch.setattr(ngtests, "long_name", lambda name: False)
    _run_nevergrad_test(ngtests.test_parametrization_offset, NAME_RUN_BY_NEVERGRAD)


@pytest.mark.parametrize("name", [n for n in NAMES if n != NAME_RUN_BY_NEVERGRAD])
def test_inf_and_nan_losses(name: str) -> None:
    # Copy of nevergrad's test_infnan for names it skips: NaN and inf on most of the plane,
    # the recommendation must still be a finite good point.
    opt = registry[name](parametrization=2, budget=70)
    with testing.suppress_nevergrad_warnings():
        recom = opt.minimize(ngtests.buggy_function)
    assert ngtests.buggy_function(recom.value) < 2.0


@pytest.mark.parametrize("name", [n for n in NAMES if n != NAME_RUN_BY_NEVERGRAD])
def test_parametrization_offset(name: str) -> None:
    # Copy of nevergrad's test_parametrization_offset for names it skips: proposals follow
    # the initial value, however far.
    opt = registry[name](ng.p.Instrumentation(ng.p.Array(init=[1e12, 1e12])), budget=100)
    for _ in range(12):
        cand = opt.ask()
        assert cand.args[0][0] > 100, cand.value
        opt.tell(cand, 0.0)


QUADRATIC_OPTIMUM = [0.5, -0.8, 0.0, 4.0]


def _seeded_recommendation(split: str) -> list[float]:
    """The recommendation of a 100-evaluation search of a 4-d quadratic (optimum
    [0.5, -0.8, 0, 4]), seeded through the parametrization's random state."""
    opt = lanas_ng.ParametrizedLaNAS(split=split)(parametrization=4, budget=100)
    opt.parametrization.random_state.seed(12)
    recom = opt.minimize(ngtests.Fitness(QUADRATIC_OPTIMUM))
    return [float(v) for v in recom.value]


@pytest.mark.parametrize("split", ["kernel", "linear"])
def test_seeded_search_is_the_same_in_a_fresh_process_and_improves(split: str) -> None:
    # 100 evaluations: each split's tree has made its first split by then (at 69 and 94), so
    # the learners take part in what must be reproduced.
    here = _seeded_recommendation(split)
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_nevergrad import _seeded_recommendation\n"
        f"print(repr(_seeded_recommendation({split!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(here)
    fitness = ngtests.Fitness(QUADRATIC_OPTIMUM)
    assert fitness(np.array(here)) < 0.5 * fitness(np.zeros(4))  # the start is the origin


# -- example and benchmark scripts -----------------------------------------------------------


def test_quickstart_example_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "nevergrad_quickstart.py")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "best" in out.stdout


def test_benchmark_quick_mode_writes_results() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "nevergrad_bench.py"), "--quick",
             "--out", folder],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        import json

        results = json.loads((Path(folder) / "nevergrad.json").read_text())
        report = (Path(folder) / "nevergrad.md").read_text()
    optimizers = {run["optimizer"] for run in results["runs"]}
    assert {"LaNAS", "NGOpt", "CMA", "RandomSearch"} <= optimizers
    assert all(math.isfinite(run["best_loss"]) for run in results["runs"])
    assert "mean rank" in report.lower() and "nevergrad" in results["versions"]
    _check_merge_of_parts_split_by_function(results)


def _check_merge_of_parts_split_by_function(results: dict) -> None:
    # The same runs, written as two parts by function, merge into the same ranks and runs.
    import json

    with tempfile.TemporaryDirectory() as folder:
        parts = []
        for function in results["functions"]:
            part = {**results, "functions": [function]}
            part["runs"] = [r for r in results["runs"] if r["function"] == function]
            (Path(folder) / function).mkdir()
            (Path(folder) / function / "nevergrad.json").write_text(json.dumps(part))
            parts.append(str(Path(folder) / function))
        out = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "nevergrad_bench.py"), "--merge", *parts,
             "--out", str(Path(folder) / "merged")],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        merged = json.loads((Path(folder) / "merged" / "nevergrad.json").read_text())
        again = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "nevergrad_bench.py"), "--merge",
             parts[0], parts[0], "--out", str(Path(folder) / "twice")],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    assert len(results["functions"]) >= 2
    assert merged["mean_rank"] == results["mean_rank"]
    assert sorted(map(str, merged["runs"])) == sorted(map(str, results["runs"]))
    assert again.returncode != 0 and "share a function" in again.stderr
