"""LaNASSampler behaviour: arguments, spaces, directions, trial states, workers, seeds, tools."""

from __future__ import annotations

import inspect
import json
import logging
import math
import pickle
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pytest
from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.search_space import intersection_search_space
from optuna.trial import TrialState

from lanas_sampler import Float, LaNAS
from lanas_sampler.integrations import optuna as optuna_adapter
from lanas_sampler.integrations._optuna_space import (
    _PRUNED_NAN,
    _PRUNED_UNREPORTED,
    IntersectionSpace,
    observation,
    proposed_params,
    publish_params,
)
from lanas_sampler.integrations.optuna import RELATIVE_PARAMS_KEY, LaNASSampler

REPO = Path(__file__).resolve().parents[1]
LOGGER = "optuna.lanas_sampler.integrations.optuna"  # under Optuna's root logger
CORE_OPTIONS = (
    "split", "labeler", "local_solver", "leaf_size", "max_depth", "exploration", "gp_fit"
)  # fmt: skip

optuna.logging.set_verbosity(optuna.logging.ERROR)


@pytest.fixture
def optuna_logs() -> Iterator[None]:
    """Let caplog see Optuna's log records (Optuna's root logger does not propagate)."""
    optuna.logging.enable_propagation()
    try:
        yield
    finally:
        optuna.logging.disable_propagation()
        optuna.logging.set_verbosity(optuna.logging.ERROR)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Record every tell and ask of every LaNAS core (the sampler's view of the study)."""
    calls: dict[str, list[Any]] = {"tell": [], "ask": []}
    tell, ask = LaNAS.tell, LaNAS.ask

    def spy_tell(self: LaNAS, params: Any, value: float, **kwargs: Any) -> None:
        tell(self, params, value, **kwargs)  # recorded only when accepted
        calls["tell"].append((dict(params), value, kwargs))

    def spy_ask(self: LaNAS, **kwargs: Any) -> dict[str, Any]:
        out = ask(self, **kwargs)
        pending = kwargs.get("pending")
        info = self.last_ask_info
        calls["ask"].append((None if pending is None else list(pending), info and info.phase, out))
        return out

    monkeypatch.setattr(LaNAS, "tell", spy_tell)
    monkeypatch.setattr(LaNAS, "ask", spy_ask)
    return calls


def quadratic(trial: optuna.Trial) -> float:
    x = trial.suggest_float("x", -4.0, 4.0)
    n = trial.suggest_int("n", 0, 6)
    kind = trial.suggest_categorical("kind", ["a", "b", "c"])
    return (x - 1.0) ** 2 + abs(n - 2) + (kind != "b")


def relative_proposal(trial: optuna.trial.FrozenTrial) -> dict[str, Any] | None:
    text = trial.system_attrs.get(f"{RELATIVE_PARAMS_KEY}:0")
    return None if text is None else json.loads(text)


def param_sequence(study: optuna.Study) -> list[dict[str, Any]]:
    return [t.params for t in study.trials]


# -- constructor -------------------------------------------------------------------------------
def test_constructor_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        LaNASSampler(0)  # type: ignore[misc]


def test_core_option_defaults_are_the_core_defaults() -> None:
    ours = inspect.signature(LaNASSampler).parameters
    core = inspect.signature(LaNAS).parameters
    for name in CORE_OPTIONS:
        assert ours[name].default == core[name].default, name
        assert ours[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_core_options_and_start_up_trials_reach_the_core(
    non_default_core_options: dict[str, Any],
) -> None:
    options = non_default_core_options
    assert sorted(options) == sorted(CORE_OPTIONS)
    sampler = LaNASSampler(seed=0, n_startup_trials=4, **options)  # type: ignore[arg-type]
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0) + t.suggest_int("k", 0, 3), 6)

    (core,) = [model.core for state in sampler._studies for model in state.models]
    assert {name: getattr(core, name) for name in options} == options
    assert core.n_startup == 4


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"split": "diagonal"}, ["split", "kernel", "linear"]),
        ({"labeler": "mean"}, ["labeler", "median", "kmeans"]),
        ({"local_solver": "cmaes"}, ["local_solver", "bo", "turbo", "uniform"]),
        ({"leaf_size": 1}, ["leaf_size", ">= 2"]),
        ({"max_depth": -1}, ["max_depth", ">= 0"]),
        ({"exploration": -0.5}, ["exploration", ">= 0"]),
        ({"exploration": math.nan}, ["exploration"]),
        ({"gp_fit": "mle"}, ["gp_fit", "map", "likelihood"]),
        ({"n_startup_trials": -1}, ["n_startup_trials", ">= 0"]),
        ({"n_startup_trials": 2.5}, ["n_startup_trials"]),
        ({"seed": "0"}, ["seed", "integer"]),
        ({"seed": True}, ["seed"]),
        ({"seed": -1}, ["seed", ">= 0"]),
        ({"independent_sampler": "random"}, ["independent_sampler", "BaseSampler"]),
        ({"warn_independent_sampling": "yes"}, ["warn_independent_sampling", "True or False"]),
        ({"constraints_func": 3}, ["constraints_func", "callable"]),
    ],
)
def test_bad_arguments_raise_value_error(kwargs: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        LaNASSampler(**kwargs)
    for word in expected:
        assert word in str(info.value)


def test_seeds_beyond_64_bits_are_distinct_seeds() -> None:
    # 2**64 was reduced modulo 2**64 before, which made it seed 0's search.
    def first_points(seed: int) -> list[float]:
        study = optuna.create_study(sampler=LaNASSampler(seed=seed, n_startup_trials=3))
        study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0) ** 2, n_trials=6)
        return [t.params["x"] for t in study.trials]

    assert first_points(2**64) != first_points(0)
    assert first_points(2**64) == first_points(2**64)


# -- search spaces -----------------------------------------------------------------------------
MIXED_CHOICES = (None, True, 2.5, "a", 7)


def _in_distribution(dist: BaseDistribution, value: Any) -> bool:
    if isinstance(dist, CategoricalDistribution):
        return any(type(value) is type(c) and value == c for c in dist.choices)
    expected = int if isinstance(dist, IntDistribution) else float
    return type(value) is expected and dist._contains(dist.to_internal_repr(value))


SPACE: dict[str, BaseDistribution] = {
    "float": FloatDistribution(-3.0, 2.0),
    "float_log": FloatDistribution(1e-6, 1.0, log=True),
    "float_step": FloatDistribution(-10.2, 10.2, step=0.1),
    "int": IntDistribution(-5, 5),
    "int_log": IntDistribution(1, 1000, log=True),
    "int_step": IntDistribution(0, 30, step=3),
    "cat_mixed": CategoricalDistribution(MIXED_CHOICES),
    "cat_bool": CategoricalDistribution([True, False]),
    "cat_float": CategoricalDistribution([0.1, 0.2, 0.3]),
    "single_float": FloatDistribution(1.5, 1.5),
    "single_int": IntDistribution(3, 3),
    "single_cat": CategoricalDistribution(["only"]),
}
SINGLE = {"single_float", "single_int", "single_cat"}


def _space_objective(trial: optuna.Trial) -> float:
    params: dict[str, Any] = {}
    for name, dist in SPACE.items():
        if isinstance(dist, FloatDistribution):
            params[name] = trial.suggest_float(
                name, dist.low, dist.high, log=dist.log, step=dist.step
            )
        elif isinstance(dist, IntDistribution):
            params[name] = trial.suggest_int(
                name, dist.low, dist.high, log=dist.log, step=dist.step
            )
        else:
            assert isinstance(dist, CategoricalDistribution)
            params[name] = trial.suggest_categorical(name, dist.choices)
    return float(params["float"] ** 2 + math.log(params["int_log"]) + (params["cat_mixed"] is None))


def test_every_distribution_in_and_out_of_the_relative_space() -> None:
    sampler = LaNASSampler(seed=0, n_startup_trials=4)
    study = optuna.create_study(sampler=sampler)
    study.optimize(_space_objective, n_trials=16)

    relative = sampler.infer_relative_search_space(study, study.trials[-1])
    assert set(relative) == set(SPACE) - SINGLE
    for trial in study.trials:
        assert trial.state == TrialState.COMPLETE
        for name, dist in SPACE.items():
            assert _in_distribution(dist, trial.params[name]), (name, trial.params[name])
        assert (trial.params["single_float"], trial.params["single_int"]) == (1.5, 3)
        proposal = relative_proposal(trial)
        if trial.number == 0:
            assert proposal is None  # nothing finished yet: no relative space, all independent
        else:  # start-up trials (the core's design) and the model's proposals
            assert proposal is not None and set(proposal) == set(SPACE) - SINGLE
            assert {name: trial.params[name] for name in proposal} == proposal


@pytest.mark.parametrize("name", sorted(set(SPACE) - SINGLE))
def test_relative_samples_are_plain_values_on_the_grid(name: str) -> None:
    space = {name: SPACE[name], "other": FloatDistribution(0.0, 1.0)}
    study = optuna.create_study(sampler=LaNASSampler(seed=1, n_startup_trials=3))
    rng = np.random.default_rng(0)
    for _ in range(6):
        trial = study.ask(space)
        study.tell(trial, float(rng.normal()))
    for _ in range(8):
        frozen = study._storage.get_trial(study._storage.create_new_trial(study._study_id))
        params = study.sampler.sample_relative(study, frozen, space)
        assert set(params) == set(space)
        for key, dist in space.items():
            assert _in_distribution(dist, params[key]), (key, params[key])


def test_sample_relative_leaves_unrepresentable_distributions_out() -> None:
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=1))
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=3)
    space = {
        "x": FloatDistribution(0.0, 1.0),
        "fixed": FloatDistribution(2.0, 2.0),
        "twice": CategoricalDistribution(["a", "a"]),  # Optuna accepts it, the core does not
    }
    frozen = study._storage.get_trial(study._storage.create_new_trial(study._study_id))
    params = study.sampler.sample_relative(study, frozen, space)
    assert set(params) == {"x"} and 0.0 <= params["x"] <= 1.0


def _define_by_run(trial: optuna.Trial) -> float:
    x = trial.suggest_float("x", -2.0, 2.0)  # always the same: relative
    if trial.number % 2:  # conditional parameters: never in every trial
        extra = trial.suggest_float("y", 0.0, 1.0)
    else:
        extra = float(trial.suggest_int("z", 0, 3))
    r = trial.suggest_float("r", 0.0, 1.0 + trial.number % 3)  # a changing range
    return x * x + extra + r


def _warned(records: list[logging.LogRecord], names: tuple[str, ...]) -> Counter[str]:
    return Counter(
        name
        for record in records
        if record.name == LOGGER
        for name in names
        if f"`{name}`" in record.getMessage()
    )


def test_define_by_run_space_warns_once_per_parameter(
    caplog: pytest.LogCaptureFixture, optuna_logs: None
) -> None:
    sampler = LaNASSampler(seed=0, n_startup_trials=3)
    study = optuna.create_study(sampler=sampler)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        study.optimize(_define_by_run, n_trials=14)
    assert _warned(caplog.records, ("x", "y", "z", "r")) == {"y": 1, "z": 1, "r": 1}
    for message in [r.getMessage() for r in caplog.records if r.name == LOGGER]:
        assert "LaNASSampler" in message
        assert "not suggested with the same distribution in every finished trial" in message
    for trial in study.trials[3:]:
        assert set(relative_proposal(trial) or {}) == {"x"}

    caplog.clear()
    quiet = optuna.create_study(sampler=LaNASSampler(seed=0, warn_independent_sampling=False))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        quiet.optimize(_define_by_run, n_trials=14)
    assert not [r for r in caplog.records if r.name == LOGGER]


def test_warnings_follow_optuna_verbosity(
    caplog: pytest.LogCaptureFixture, optuna_logs: None
) -> None:
    # Optuna's logger hierarchy: set_verbosity and Optuna's handlers apply, as for TPE's.
    assert logging.getLogger(LOGGER).parent is logging.getLogger("optuna")
    counts = []
    for verbosity in (optuna.logging.ERROR, optuna.logging.WARNING):
        optuna.logging.set_verbosity(verbosity)
        caplog.clear()
        with caplog.at_level(logging.DEBUG):  # only the capture's own level
            study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
            study.optimize(_define_by_run, n_trials=8)
        counts.append(sum(_warned(caplog.records, ("y", "z", "r")).values()))
    assert counts == [0, 3]


def test_warnings_are_per_study(caplog: pytest.LogCaptureFixture, optuna_logs: None) -> None:
    sampler = LaNASSampler(seed=0, n_startup_trials=3)  # e.g. reused in a notebook
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger=LOGGER):
            optuna.create_study(sampler=sampler).optimize(_define_by_run, n_trials=8)
        assert _warned(caplog.records, ("x", "y", "z", "r")) == {"y": 1, "z": 1, "r": 1}


def test_unrepresentable_parameter_warning_says_why(
    caplog: pytest.LogCaptureFixture, optuna_logs: None
) -> None:
    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", -2.0, 2.0)
        twice = trial.suggest_categorical("twice", ["a", "a"])  # Optuna accepts it
        return x * x + (twice == "a")

    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        study.optimize(objective, n_trials=8)
    # In every finished trial with the same distribution: the reason is the core's refusal.
    assert set(study.sampler.infer_relative_search_space(study, study.trials[-1])) == {"x"}
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(messages) == 1 and "`twice`" in messages[0]
    assert "cannot represent" in messages[0] and "appears twice" in messages[0]
    assert "every finished trial" not in messages[0]


# -- directions and trial states ---------------------------------------------------------------
def test_maximize_proposes_as_minimize_of_the_negation() -> None:
    low = optuna.create_study(sampler=LaNASSampler(seed=5, n_startup_trials=4))
    low.optimize(quadratic, n_trials=18)
    high = optuna.create_study(
        direction="maximize", sampler=LaNASSampler(seed=5, n_startup_trials=4)
    )
    high.optimize(lambda t: -quadratic(t), n_trials=18)
    assert param_sequence(low) == param_sequence(high)
    # and the direction matters: maximising the function itself goes elsewhere
    other = optuna.create_study(
        direction="maximize", sampler=LaNASSampler(seed=5, n_startup_trials=4)
    )
    other.optimize(quadratic, n_trials=18)
    assert param_sequence(other)[4:] != param_sequence(low)[4:]


def test_multi_objective_study_is_refused() -> None:
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=LaNASSampler())
    with pytest.raises(ValueError, match="single-objective"):
        study.optimize(lambda t: (t.suggest_float("x", 0, 1), 1.0), n_trials=1)
    # Both sampling paths, called directly (as SingleOnlySamplerTestCase does).
    sampler = LaNASSampler(n_startup_trials=0)
    study = optuna.create_study(directions=["minimize", "maximize"], sampler=sampler)
    frozen = study._storage.get_trial(study._storage.create_new_trial(study._study_id))
    dist = FloatDistribution(0.0, 1.0)
    with pytest.raises(ValueError, match="single-objective"):
        sampler.sample_relative(study, frozen, {"x": dist})
    with pytest.raises(ValueError, match="single-objective"):
        sampler.sample_independent(study, frozen, "x", dist)


def test_finished_trials_become_observations(spy: dict[str, list[Any]]) -> None:
    study = optuna.create_study(direction="maximize", sampler=LaNASSampler(n_startup_trials=1))

    def new_trial(x: float) -> optuna.Trial:
        trial = study.ask()
        study._storage.set_trial_param(
            trial._trial_id, "x", x, FloatDistribution(0.0, 1.0)
        )  # a fixed, known configuration per trial
        return trial

    study.tell(new_trial(0.1), 3.0)  # complete
    trial = new_trial(0.2)
    trial.report(5.0, 0)
    trial.report(2.0, 3)
    study.tell(trial, state=TrialState.PRUNED)  # pruned at step 3 with value 2.0
    study.tell(new_trial(0.3), state=TrialState.PRUNED)  # pruned, no intermediate value
    study.tell(new_trial(0.4), state=TrialState.FAIL)
    with pytest.warns(UserWarning, match="nan"):
        study.tell(new_trial(0.5), math.nan)  # becomes FAIL
    trial = new_trial(0.6)
    trial.report(math.nan, 1)
    study.tell(trial, state=TrialState.PRUNED)  # pruned with a NaN value
    trial = new_trial(0.7)
    trial.set_constraint("a", 0.5)
    trial.set_constraint("b", -1.0)
    trial.set_constraint("c", 0.25)
    study.tell(trial, 1.0)  # infeasible, violation 0.75
    study.tell(new_trial(0.8), math.inf)  # the best possible value when maximising

    study.ask().suggest_float("x", 0.0, 1.0)
    told = {params["x"]: (value, kwargs) for params, value, kwargs in spy["tell"]}
    assert set(told) == {0.1, 0.2, 0.3, 0.6, 0.7, 0.8}  # all but FAIL
    assert told[0.1] == (-3.0, {"constraint_violation": 0.0, "pruned_at_step": None})
    assert told[0.2] == (-2.0, {"constraint_violation": 0.0, "pruned_at_step": 3})
    assert told[0.3] == (_PRUNED_UNREPORTED, {"constraint_violation": 0.0, "pruned_at_step": 0})
    assert told[0.6] == (_PRUNED_NAN, {"constraint_violation": 0.0, "pruned_at_step": 1})
    assert told[0.7] == (-1.0, {"constraint_violation": 0.75, "pruned_at_step": None})
    assert told[0.8][0] == -sys.float_info.max

    # Each finished trial is told once: the next trial only adds the new one.
    study.tell(study.trials[-1].number, 0.5)
    study.ask().suggest_float("x", 0.0, 1.0)
    assert len(spy["tell"]) == 7


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_pruned_trials_rank_as_tpe_ranks_them(direction: str) -> None:
    # Optuna's TPE (_get_pruned_trial_score): pruned trials after complete ones, deeper step
    # first, then by last value; a NaN (or worst infinite) last value last at its step, no
    # intermediate value after every pruned trial that reported; infeasible ones after all.
    sign = 1.0 if direction == "minimize" else -1.0
    sampler = LaNASSampler(seed=0, n_startup_trials=1)
    study = optuna.create_study(direction=direction, sampler=sampler)
    dist = FloatDistribution(0.0, 1.0)

    def add(x: float, reports: dict[int, float], value: float | None = None) -> None:
        trial = study.ask()
        study._storage.set_trial_param(trial._trial_id, "x", x, dist)
        for step, reported in reports.items():
            trial.report(reported, step)
        if x == 0.9:
            trial.set_constraint("c", 1.0)
        if value is None:
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, value)

    worst = sign * math.inf
    expected = [  # best first
        (0.1, {}, sign * 5.0),  # complete, even if worse than pruned values
        (0.2, {0: -sign * 9.0, 3: sign * 1.0}, None),  # pruned at step 3
        (0.3, {3: sign * 2.0}, None),
        (0.4, {3: math.nan}, None),  # NaN: last at step 3
        (0.5, {1: -sign * 10.0}, None),  # a better value, at a shallower step
        (0.6, {1: worst}, None),  # worst infinite: last at step 1
        (0.7, {0: sign * 3.0}, None),
        (0.8, {}, None),  # pruned before reporting anything: last of the pruned
        (0.9, {}, sign * 0.0),  # infeasible
    ]
    for x, reports, value in reversed(expected):  # told order must not matter
        add(x, reports, value)
    study.ask().suggest_float("x", 0.0, 1.0)  # the sampler tells its core what finished

    (core,) = [model.core for state in sampler._studies for model in state.models]
    assert core.n_observations == len(expected)  # the pruned trials without value included
    scores = dict(zip((p["x"] for p in core._obs.params), core._obs.scores(), strict=True))
    assert sorted(scores, key=scores.__getitem__) == [x for x, _, _ in expected]


def test_legacy_constraints_func(spy: dict[str, list[Any]]) -> None:
    with pytest.warns(FutureWarning, match="set_constraint"):
        sampler = LaNASSampler(
            seed=0, n_startup_trials=3, constraints_func=lambda t: (t.params["x"] - 0.5, -1.0)
        )
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=6)
    for trial in study.trials:
        assert list(trial.constraints.values()) == [trial.params["x"] - 0.5, -1.0]
    for params, _, kwargs in spy["tell"]:
        assert kwargs["constraint_violation"] == pytest.approx(max(params["x"] - 0.5, 0.0))


# -- parallel workers --------------------------------------------------------------------------
def test_running_trials_are_pending_points(spy: dict[str, list[Any]]) -> None:
    storage = optuna.storages.InMemoryStorage()
    study = optuna.create_study(
        storage=storage, study_name="s", sampler=LaNASSampler(seed=0, n_startup_trials=3)
    )
    study.optimize(quadratic, n_trials=6)

    # A running trial of this process with its parameters set...
    running = study.ask()
    quadratic_params = {
        "x": running.suggest_float("x", -4.0, 4.0),
        "n": running.suggest_int("n", 0, 6),
        "kind": running.suggest_categorical("kind", ["a", "b", "c"]),
    }
    published = relative_proposal(study._storage.get_trial(running._trial_id))
    assert published == quadratic_params  # JSON, readable by any process
    # ...and one whose relative proposal is published but whose parameters are not set yet.
    fresh = study._storage.get_trial(storage.create_new_trial(study._study_id))
    space = study.sampler.infer_relative_search_space(study, fresh)
    early = study.sampler.sample_relative(study, fresh, space)

    # Another process: its own sampler, only the storage is shared.
    other = optuna.load_study(
        study_name="s", storage=storage, sampler=LaNASSampler(seed=0, n_startup_trials=3)
    )
    spy["ask"].clear()
    trial = other.ask()
    trial.suggest_float("x", -4.0, 4.0)
    pending, phase, _ = spy["ask"][-1]
    assert phase == "model"

    def canonical(params: dict[str, Any]) -> str:  # the same dict whatever the key order
        return json.dumps(params, sort_keys=True)

    assert sorted(pending, key=canonical) == sorted([quadratic_params, early], key=canonical)


@pytest.fixture
def past_start_up(monkeypatch: pytest.MonkeyPatch) -> optuna.Study:
    """A study whose next trials are model asks, with a window of ``MAX_PENDING = 4``."""
    monkeypatch.setattr(optuna_adapter, "MAX_PENDING", 4)
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
    study.optimize(quadratic, n_trials=4)
    return study


def test_a_dead_workers_running_trial_stops_being_pending(
    spy: dict[str, list[Any]], past_start_up: optuna.Study
) -> None:
    # Nothing fails a RUNNING trial whose worker died on a journal storage (no heartbeat): it
    # is pending until MAX_PENDING trials numbered after it have finished, then forgotten.
    study = past_start_up
    dead = study.ask()
    quadratic(dead)  # its parameters set, its value never told
    pending = []
    for _ in range(6):  # trials 5-10; the dead one is trial 4
        study.optimize(quadratic, n_trials=1)
        pending.append(spy["ask"][-1][0])
    assert pending == [[dead.params]] * 4 + [[]] * 2
    assert study.trials[dead.number].state == TrialState.RUNNING
    assert dead.number not in study.sampler._studies[0].proposals  # nor kept in memory


def test_more_trials_running_than_max_pending_are_all_pending(
    spy: dict[str, list[Any]], past_start_up: optuna.Study
) -> None:
    # Many workers, or a batch of asks before the tells: however many run, none is forgotten
    # while later trials have not finished.
    batch = [past_start_up.ask() for _ in range(7)]
    values = [quadratic(trial) for trial in batch]  # Optuna samples at the first suggest
    assert [len(pending) for pending, _, _ in spy["ask"][-7:]] == list(range(7))
    for trial, value in zip(batch, values, strict=True):
        past_start_up.tell(trial, value)


def test_threads_share_one_sampler(spy: dict[str, list[Any]]) -> None:
    def objective(trial: optuna.Trial) -> float:
        value = quadratic(trial)
        time.sleep(0.01)
        return value

    sampler = LaNASSampler(seed=0, n_startup_trials=4)
    study = optuna.create_study(sampler=sampler)
    study.optimize(objective, n_trials=32, n_jobs=4)
    assert len(study.trials) == 32
    assert all(t.state == TrialState.COMPLETE for t in study.trials)
    configs = [json.dumps(t.params, sort_keys=True) for t in study.trials]
    assert len(set(configs)) == len(configs)
    # The threads saw each other's running trials.
    assert any(pending for pending, _, _ in spy["ask"])
    pickle.dumps(sampler)  # still picklable after threaded use (lock dropped)


def test_same_seed_workers_draw_different_points() -> None:
    storage = optuna.storages.InMemoryStorage()
    optuna.create_study(storage=storage, study_name="s")
    workers = [
        optuna.load_study(
            study_name="s", storage=storage, sampler=LaNASSampler(seed=0, n_startup_trials=2)
        )
        for _ in range(2)
    ]
    for i in range(12):  # interleaved, as two processes would be
        workers[i % 2].optimize(quadratic, n_trials=1)
    trials = workers[0].trials
    configs = [json.dumps(t.params, sort_keys=True) for t in trials]
    assert len(set(configs)) == 12
    # Only trial 0, before any trial finished, is sampled independently: then the design's
    # rows (trial 1, numbered like the trial) and the model's proposals.
    assert [relative_proposal(t) is not None for t in trials] == [False] + [True] * 11


# -- seeds, reseeding, pickling ----------------------------------------------------------------
def _run(seed: int | None, n_trials: int = 16) -> list[dict[str, Any]]:
    study = optuna.create_study(sampler=LaNASSampler(seed=seed, n_startup_trials=4))
    study.optimize(quadratic, n_trials=n_trials)
    return param_sequence(study)


def test_seeds_reproduce_and_differ() -> None:
    first = _run(7)
    assert first == _run(7)
    assert first != _run(8)
    assert _run(None) != _run(None)


def test_same_seed_in_another_process_gives_the_same_trials(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(
            """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import optuna
            from test_optuna_sampler import _run
            print(json.dumps(_run(7)))
            """
        )
    )
    result = subprocess.run(
        [sys.executable, str(script), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(_run(7)))


def test_start_up_trials_take_the_design_row_numbered_like_the_trial() -> None:
    # One float: the first eight rows of the scrambled Sobol design fill the eight eighths of
    # the range, so trials 1-7 (trial 0 knows no search space yet) land in seven of them, with
    # a fresh sampler per trial as in separate processes. Uniform draws would do so in 2 % of
    # studies.
    def objective(trial: optuna.Trial) -> float:
        return abs(trial.suggest_float("x", 0.0, 8.0) - 3.3)

    for seed in range(3):
        storage = optuna.storages.InMemoryStorage()
        optuna.create_study(storage=storage, study_name="s")
        for _ in range(8):  # a fresh sampler per trial, as separate processes would be
            worker = optuna.load_study(
                study_name="s", storage=storage, sampler=LaNASSampler(seed=seed)
            )
            worker.optimize(objective, n_trials=1)
        eighths = [int(t.params["x"]) for t in worker.trials[1:]]
        assert len(set(eighths)) == 7, eighths
        uninterrupted = optuna.create_study(sampler=LaNASSampler(seed=seed))
        uninterrupted.optimize(objective, n_trials=8)
        assert param_sequence(uninterrupted) == param_sequence(worker)


def test_start_up_rows_follow_trial_numbers_with_running_and_failed_trials() -> None:
    # The row is the trial's number, not the count of observations: two workers asking before
    # either tells, and a failed trial, still take distinct rows of the one design.
    storage = optuna.storages.InMemoryStorage()
    optuna.create_study(storage=storage, study_name="s")
    a, b = (
        optuna.load_study(study_name="s", storage=storage, sampler=LaNASSampler(seed=2))
        for _ in range(2)
    )
    a.optimize(lambda t: t.suggest_float("x", 0.0, 8.0), n_trials=1)  # trial 0: no space yet
    one, two = a.ask(), b.ask()  # both running, one observation each way
    x1, x2 = one.suggest_float("x", 0.0, 8.0), two.suggest_float("x", 0.0, 8.0)
    a.tell(one, state=TrialState.FAIL)
    b.tell(two, x2)
    three = a.ask()
    x3 = three.suggest_float("x", 0.0, 8.0)
    design = LaNAS({"x": Float(0.0, 8.0)}, seed=2)
    assert [x1, x2, x3] == [design.design_point(n)["x"] for n in (1, 2, 3)]


@pytest.mark.parametrize("n_startup_trials", [0, 1])
def test_failed_trials_are_not_retried_with_the_same_parameters(n_startup_trials: int) -> None:
    # With fewer than two observations the model cannot propose; the design's rows do.
    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", 0.0, 1.0)
        y = trial.suggest_float("y", 0.0, 1.0)
        if trial.number > 0:
            raise RuntimeError("out of memory")
        return x + y

    sampler = LaNASSampler(seed=0, n_startup_trials=n_startup_trials)
    study = optuna.create_study(sampler=sampler)
    study.optimize(objective, n_trials=5, catch=(RuntimeError,))
    configs = {json.dumps(t.params, sort_keys=True) for t in study.trials}
    assert len(configs) == 5


def test_reseed_rng_changes_the_draws() -> None:
    sampler = LaNASSampler(seed=7, n_startup_trials=4)
    sampler.reseed_rng()
    study = optuna.create_study(sampler=sampler)
    study.optimize(quadratic, n_trials=16)
    assert param_sequence(study) != _run(7)


def test_pickled_sampler_continues_the_study(spy: dict[str, list[Any]]) -> None:
    study = optuna.create_study(sampler=LaNASSampler(seed=3, n_startup_trials=4))
    study.optimize(quadratic, n_trials=12)
    clone = pickle.loads(pickle.dumps(study.sampler))

    # Storage is the only truth: the unpickled sampler rebuilds its model from the stored trials
    # and continues exactly as a new sampler with the same seed would.
    spy["tell"].clear()
    study.sampler = clone
    study.optimize(quadratic, n_trials=6)
    assert len(spy["tell"]) == 12 + 5  # the 12 earlier trials, then each new one but the last
    assert spy["ask"][-1][1] == "model"
    reference = optuna.create_study(sampler=LaNASSampler(seed=3, n_startup_trials=4))
    reference.add_trials(study.trials[:12])
    reference.optimize(quadratic, n_trials=6)
    assert param_sequence(study) == param_sequence(reference)


RESUME = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    import optuna
    from lanas_sampler.integrations.optuna import LaNASSampler
    from test_optuna_sampler import quadratic
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    url, solver = sys.argv[2], sys.argv[3]
    sampler = LaNASSampler(seed=3, n_startup_trials=4, local_solver=solver)
    optuna.load_study(study_name="s", storage=url, sampler=sampler).optimize(quadratic, 6)
    """
)


@pytest.mark.parametrize("solver", ["bo", "turbo", "uniform"])
def test_resumed_study_continues_as_an_uninterrupted_one(solver: str, tmp_path: Path) -> None:
    def sampler() -> LaNASSampler:
        return LaNASSampler(seed=3, n_startup_trials=4, local_solver=solver)

    straight = optuna.create_study(sampler=sampler())
    straight.optimize(quadratic, n_trials=16)
    # The sampler pickled mid-study (its caches dropped, rebuilt from the stored trials).
    pickled = optuna.create_study(sampler=sampler())
    pickled.optimize(quadratic, n_trials=10)
    pickled.sampler = pickle.loads(pickle.dumps(pickled.sampler))
    pickled.optimize(quadratic, n_trials=6)
    # Resumed from SQLite in a new process, by a fresh sampler with the same seed.
    url = f"sqlite:///{tmp_path / 'resume.db'}"
    optuna.create_study(study_name="s", storage=url, sampler=sampler()).optimize(quadratic, 10)
    script = tmp_path / "resume.py"
    script.write_text(RESUME)
    result = subprocess.run(
        [sys.executable, str(script), str(Path(__file__).parent), url, solver],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    resumed = optuna.load_study(study_name="s", storage=url)

    expected = param_sequence(straight)
    assert param_sequence(pickled)[:10] == param_sequence(resumed)[:10] == expected[:10]
    assert all(relative_proposal(t) is not None for t in resumed.trials[10:])  # the model ran
    assert param_sequence(pickled)[10:] == expected[10:], "after pickling"
    assert param_sequence(resumed)[10:] == expected[10:], "in a new process"


# -- Optuna features ---------------------------------------------------------------------------
def test_enqueue_trial_including_out_of_range_values(spy: dict[str, list[Any]]) -> None:
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
    study.optimize(quadratic, n_trials=5)
    study.enqueue_trial({"x": 0.5, "n": 2, "kind": "b"})
    with pytest.warns(UserWarning, match="out of range"):
        study.enqueue_trial({"x": 40.0})  # Optuna accepts it with a warning
        study.optimize(quadratic, n_trials=2)
    study.optimize(quadratic, n_trials=4)
    assert study.trials[5].params == {"x": 0.5, "n": 2, "kind": "b"}
    assert study.trials[6].params["x"] == 40.0
    assert all(t.state == TrialState.COMPLETE for t in study.trials)
    told_x = {params["x"] for params, _, _ in spy["tell"]}
    assert 0.5 in told_x and 40.0 not in told_x  # the out-of-range trial is skipped


def test_enqueued_evaluations_of_the_best_configuration_again_are_all_told(
    spy: dict[str, list[Any]],
) -> None:
    # The README's advice for noisy objectives: evaluate the best trials again, through
    # enqueue_trial. Each repeat is a trial of its own, told to the core as an observation.
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
    study.optimize(quadratic, n_trials=8)
    best = study.best_trial.params
    for _ in range(3):
        study.enqueue_trial(best)
    study.optimize(quadratic, n_trials=3 + 4)
    assert [t.params for t in study.trials[8:11]] == [best] * 3
    assert all(t.state == TrialState.COMPLETE for t in study.trials)
    assert sum(params == best for params, _, _ in spy["tell"]) == 1 + 3
    assert spy["ask"][-1][1] == "model"  # the search goes on from the repeats


def test_add_trials_warm_start(spy: dict[str, list[Any]]) -> None:
    source = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    source.optimize(quadratic, n_trials=12)
    study = optuna.create_study(sampler=LaNASSampler(seed=0))
    study.add_trials(source.trials)
    study.optimize(quadratic, n_trials=1)
    assert len(spy["tell"]) == 12
    assert relative_proposal(study.trials[12]) is not None  # no start-up needed
    assert spy["ask"][-1][1] == "model"


def stepwise(trial: optuna.Trial) -> float:
    """Nine reported steps, pruned when the pruner says so."""
    x = trial.suggest_float("x", -3.0, 3.0)
    n = trial.suggest_int("n", 0, 4)
    value = math.inf
    for step in range(9):
        value = x * x + n + 1.0 / (step + 1)
        trial.report(value, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return value


def test_a_trial_reads_the_storage_once_for_the_sampler() -> None:
    # The sampler's calls of a trial share the study's per-trial cache, as TPE's do: with an
    # RDB storage each read is a query of every trial. Optuna's own reads (waiting trials) are
    # what RandomSampler's trial costs.
    def storage_reads_of_a_trial(sampler: optuna.samplers.BaseSampler) -> int:
        study = optuna.create_study(sampler=sampler)
        study.optimize(quadratic, n_trials=8)
        reads = 0
        read = study._storage.get_all_trials

        def counted(*args: Any, **kwargs: Any) -> list[optuna.trial.FrozenTrial]:
            nonlocal reads
            reads += 1
            return read(*args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(study._storage, "get_all_trials", counted)
            quadratic(study.ask())
        return reads

    lanas = storage_reads_of_a_trial(LaNASSampler(seed=0, n_startup_trials=3))
    assert lanas - storage_reads_of_a_trial(optuna.samplers.RandomSampler(seed=0)) == 1


def test_under_hyperband_the_core_learns_from_every_bracket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HyperbandPruner hands samplers a study whose get_trials holds one bracket; Optuna's own
    # samplers read every trial (Study._get_trials), and so must a drop-in swap for TPE. Read
    # per bracket, the core of this three-bracket study saw about a third of the trials.
    observed_at_ask: list[int] = []
    ask = LaNAS.ask

    def recording_ask(self: LaNAS, **kwargs: Any) -> dict[str, Any]:
        observed_at_ask.append(self.n_observations)
        return ask(self, **kwargs)

    monkeypatch.setattr(LaNAS, "ask", recording_ask)
    pruner = optuna.pruners.HyperbandPruner(min_resource=1, max_resource=9, reduction_factor=3)
    # Hyperband assigns brackets by a hash of the study's name and the trial number, and the
    # smallest bracket draws 3 in 17: under a random name about one study in a hundred puts
    # none of 24 trials there. A fixed name makes the three brackets certain (12 / 9 / 3).
    study = optuna.create_study(
        study_name="hyperband-three-brackets",
        sampler=LaNASSampler(seed=0, n_startup_trials=4),
        pruner=pruner,
    )
    study.optimize(stepwise, n_trials=24)
    assert len({pruner._get_bracket_id(study, t) for t in study.trials}) == 3
    # Sequential trials: trial k starts when k trials have finished, and its core knows them all.
    first_model_trial = 24 - len(observed_at_ask)
    assert first_model_trial <= 5  # the start-up trials ran once, not once per bracket
    assert observed_at_ask == list(range(first_model_trial, 24))


@pytest.mark.parametrize(
    "pruner",
    [
        optuna.pruners.MedianPruner(n_startup_trials=3),
        optuna.pruners.HyperbandPruner(min_resource=1, max_resource=9, reduction_factor=3),
    ],
    ids=["median", "hyperband"],
)
def test_pruners(pruner: optuna.pruners.BasePruner, spy: dict[str, list[Any]]) -> None:
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=4), pruner=pruner)
    study.optimize(stepwise, n_trials=30)
    states = Counter(t.state for t in study.trials)
    assert states[TrialState.PRUNED] > 0 and states[TrialState.COMPLETE] > 0
    assert sum(states.values()) == 30
    assert any(kwargs["pruned_at_step"] is not None for _, _, kwargs in spy["tell"])
    assert any(phase == "model" for _, phase, _ in spy["ask"])


def test_visualization() -> None:
    study = optuna.create_study(sampler=LaNASSampler(seed=0, n_startup_trials=3))
    study.optimize(quadratic, n_trials=8)
    vis = optuna.visualization
    figure = vis.plot_optimization_history(study)
    assert len(figure.data[0].y) == 8
    importances = optuna.importance.get_param_importances(study)
    assert set(importances) == {"x", "n", "kind"}
    figure = vis.plot_param_importances(study)
    assert set(figure.data[0].y) == {"x", "n", "kind"}
    figure = vis.plot_slice(study)
    assert len(figure.data) >= 3 and all(len(trace.x) == 8 for trace in figure.data[:3])
    figure = vis.plot_contour(study, params=["x", "n"])
    assert figure.data  # a contour and the trials' markers


def test_custom_independent_sampler() -> None:
    class Counting(optuna.samplers.RandomSampler):
        calls = Counter[str]()

        def sample_independent(self, *args: Any, **kwargs: Any) -> Any:
            self.calls["sample"] += 1
            return super().sample_independent(*args, **kwargs)

        def before_trial(self, *args: Any) -> None:
            self.calls["before"] += 1

        def after_trial(self, *args: Any) -> None:
            self.calls["after"] += 1

        def reseed_rng(self) -> None:
            self.calls["reseed"] += 1

    independent = Counting(seed=0)
    sampler = LaNASSampler(seed=0, n_startup_trials=3, independent_sampler=independent)
    study = optuna.create_study(sampler=sampler)
    study.optimize(quadratic, n_trials=6)
    sampler.reseed_rng()
    # 3 start-up trials x 3 parameters; then the model proposes everything.
    assert independent.calls == {"sample": 9, "before": 6, "after": 6, "reseed": 1}


def test_quickstart_example_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "optuna_quickstart.py"), "--n-trials", "25"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "best loss" in result.stdout and "25 trials" in result.stdout


def test_one_sampler_for_two_studies_keeps_them_apart(spy: dict[str, list[Any]]) -> None:
    # e.g. a notebook that reuses a sampler object for a second study
    sampler = LaNASSampler(seed=0, n_startup_trials=3)
    first = optuna.create_study(sampler=sampler)
    first.optimize(quadratic, n_trials=8)
    start = len(spy["tell"])
    second = optuna.create_study(sampler=sampler)
    second.optimize(lambda t: -quadratic(t), n_trials=8)
    told = spy["tell"][start:]
    assert len(told) == 7  # trials 0..6 of the second study, each once
    assert {json.dumps(p, sort_keys=True) for p, _, _ in told} <= {
        json.dumps(t.params, sort_keys=True) for t in second.trials
    }
    # Back to the first study: its cached model only needs the trials it has not seen.
    start = len(spy["tell"])
    first.optimize(quadratic, n_trials=2)
    assert len(spy["tell"]) - start == 2


# -- helpers -----------------------------------------------------------------------------------
def test_long_proposals_round_trip_in_chunks(tmp_path: Path) -> None:
    storage = optuna.storages.RDBStorage(f"sqlite:///{tmp_path / 'chunks.db'}")
    study = optuna.create_study(storage=storage)
    trial_id = storage.create_new_trial(study._study_id)
    params: dict[str, Any] = {f"parameter_with_a_long_name_{i}": i / 7 for i in range(200)}
    params["choice"] = None
    publish_params(storage, trial_id, RELATIVE_PARAMS_KEY, params)
    frozen = storage.get_trial(trial_id)
    assert f"{RELATIVE_PARAMS_KEY}:1" in frozen.system_attrs  # really split
    assert all(len(v) <= 2045 for v in frozen.system_attrs.values())
    assert proposed_params(frozen, RELATIVE_PARAMS_KEY) == params


def test_intersection_matches_optunas() -> None:
    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", 0.0, 1.0)
        if trial.number % 3 == 0:
            trial.suggest_int("k", 0, 3)
        trial.suggest_float("r", 0.0, 1.0 + (trial.number > 4))
        if trial.number == 7:
            trial.report(1.0, 0)
            raise optuna.TrialPruned()
        if trial.number == 8:
            raise RuntimeError("failed trial")
        return x

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(objective, n_trials=10, catch=(RuntimeError,))
    ours = IntersectionSpace()
    for end in (3, 6, 10):  # incremental updates give the same as one pass
        ours.update(study.trials[:end])
    expected = intersection_search_space(study.trials, include_pruned=True)
    assert ours.update(study.trials) == expected == {"x": FloatDistribution(0.0, 1.0)}


@pytest.mark.parametrize(("direction", "best"), [("minimize", -math.inf), ("maximize", math.inf)])
def test_an_infinite_best_value_is_told_as_the_best_not_a_failure(direction, best):
    dist = {"x": FloatDistribution(0.0, 1.0)}
    sign = 1.0 if direction == "minimize" else -1.0
    trial = optuna.trial.create_trial(params={"x": 0.5}, distributions=dist, value=best)
    told = observation(trial, dist, sign)
    assert told is not None and told.value == -sys.float_info.max
    worst = optuna.trial.create_trial(params={"x": 0.5}, distributions=dist, value=-best)
    assert observation(worst, dist, sign).value == math.inf  # the core's failed evaluation
