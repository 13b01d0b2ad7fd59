"""Run one benchmark cell (sampler, problem, budget, seed) and record what happened per trial.

Two drivers:

* Optuna: ``lanas``, ``lanas-linear``, ``tpe``, ``gp``, ``cmaes`` (random on categoricals),
  ``random``; any ``lanas:key=value,...`` passes core options to ``LaNASSampler``.
* Core: ``lanas-core`` (``LaNAS.ask``/``tell`` directly), ``lanas-core:key=value,...`` likewise.

Per trial a cell records the parameters, the observed value, the TRUE value of the incumbent
(the trial with the best observed value so far, judged by its noise-free value), the best TRUE
value among the trials so far (the "oracle" incumbent: on noisy tables where the observed value
saturates, e.g. 0 % error on HPOBench car, the observed incumbent freezes at the first such
trial), and the sampler time (wall time of the trial minus objective time, so storage and
bookkeeping count as sampler time).
Evaluation noise comes from ``numpy.random.default_rng([seed, NOISE_STREAM])``: every sampler
sees the same noise seeds for the same cell seed (common random numbers).

Example:
    >>> from problems import get_problem
    >>> cell = run_cell("random", get_problem("ackley5"), budget=5, seed=0)
    >>> len(cell.incumbent_true) == 5 and cell.incumbent_true[-1] <= cell.incumbent_true[0]
    True
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from problems import Problem

from lanas_sampler._space import Categorical, Float, Int, Parameter

# Version of what a cell measures: bump it when a change here alters recorded numbers, so that
# cached cells are rerun (cache keys include it, not this file's hash).
CELL_VERSION = 1
# Second word of the noise generator's seed: keeps the noise stream apart from sampler seeds.
NOISE_STREAM = 0x5EED
OPTUNA_SAMPLERS = ("lanas", "lanas-linear", "tpe", "gp", "cmaes", "random")
CORE_SAMPLERS = ("lanas-core",)


@dataclass
class CellResult:
    """Per-trial record of one (sampler, problem, budget, seed) run."""

    sampler: str
    problem: str
    budget: int
    seed: int
    values: list[float]
    incumbent_true: list[float]
    regret: list[float] | None
    sampler_time: list[float]
    objective_time: list[float]
    wall_time: float
    params: list[dict[str, Any]] | None = None
    best_true: list[float] | None = None  # running min of the true values (oracle incumbent)
    best_value: float | None = None  # the problem's best value (regret = curve - best_value)

    def curve(self, metric: str = "incumbent") -> list[float]:
        """Regret per trial of the ``"incumbent"`` or the ``"oracle"`` (true values where the
        problem has no known best value)."""
        if metric == "incumbent":
            return self.regret if self.regret is not None else self.incumbent_true
        if metric == "oracle":
            if self.best_true is None:
                raise ValueError("cell has no oracle curve; run with_derived(cell, problem)")
            offset = 0.0 if self.best_value is None else self.best_value
            return [v - offset for v in self.best_true]
        raise ValueError(f"metric must be 'incumbent' or 'oracle', got {metric!r}")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (NaN/inf stored as None)."""
        return {k: _clean(v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellResult:
        """Inverse of :meth:`to_json`."""
        out = dict(data)
        for k in ("values", "incumbent_true", "regret", "best_true"):
            if out.get(k) is not None:
                out[k] = [math.nan if v is None else float(v) for v in out[k]]
        return cls(**out)

    def truncated(self, budget: int) -> CellResult:
        """The first ``budget`` trials: samplers do not know the budget, so this is the run."""
        if budget > self.budget:
            raise ValueError(f"cannot extend a {self.budget}-trial cell to {budget} trials")
        return CellResult(
            sampler=self.sampler,
            problem=self.problem,
            budget=budget,
            seed=self.seed,
            values=self.values[:budget],
            incumbent_true=self.incumbent_true[:budget],
            regret=None if self.regret is None else self.regret[:budget],
            sampler_time=self.sampler_time[:budget],
            objective_time=self.objective_time[:budget],
            wall_time=self.wall_time * budget / self.budget,
            params=None if self.params is None else self.params[:budget],
            best_true=None if self.best_true is None else self.best_true[:budget],
            best_value=self.best_value,
        )


def _clean(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


def parse_sampler(name: str) -> tuple[str, dict[str, Any]]:
    """Split ``"lanas:split=linear,leaf_size=10"`` into ``("lanas", {...})`` (values typed)."""
    base, _, opts = name.partition(":")
    kwargs: dict[str, Any] = {}
    for item in filter(None, opts.split(",")):
        key, sep, raw = item.partition("=")
        if not sep:
            raise ValueError(f"sampler option {item!r} in {name!r} is not key=value")
        value: Any = raw
        for conv in (int, float):
            try:
                value = conv(raw)
                break
            except ValueError:
                continue
        if raw in ("True", "False", "None"):
            value = {"True": True, "False": False, "None": None}[raw]
        kwargs[key] = value
    if base == "lanas-linear":
        base, kwargs = "lanas", {"split": "linear", **kwargs}
    if base not in OPTUNA_SAMPLERS + CORE_SAMPLERS:
        raise ValueError(f"unknown sampler {name!r}; known: {OPTUNA_SAMPLERS + CORE_SAMPLERS}")
    if kwargs and base not in ("lanas", "lanas-core"):
        raise ValueError(f"options are only accepted for lanas samplers, got {name!r}")
    return base, kwargs


def make_optuna_sampler(name: str, seed: int) -> Any:
    """Build the Optuna sampler called ``name`` (LaNASSampler imported only when asked for)."""
    import optuna

    base, kwargs = parse_sampler(name)
    if base == "lanas":
        from lanas_sampler.integrations.optuna import LaNASSampler

        return LaNASSampler(seed=seed, **kwargs)
    factories: dict[str, Callable[[], Any]] = {
        "tpe": lambda: optuna.samplers.TPESampler(seed=seed),
        "gp": lambda: optuna.samplers.GPSampler(seed=seed),
        "cmaes": lambda: optuna.samplers.CmaEsSampler(seed=seed),
        "random": lambda: optuna.samplers.RandomSampler(seed=seed),
    }
    if base not in factories:
        raise ValueError(f"{name!r} is not an Optuna sampler")
    return factories[base]()


def suggest(trial: Any, space: dict[str, Parameter]) -> dict[str, Any]:
    """Ask an Optuna trial for every parameter of a core search space."""
    params: dict[str, Any] = {}
    for name, p in space.items():
        if isinstance(p, Float):
            params[name] = trial.suggest_float(name, p.low, p.high, log=p.log, step=p.step)
        elif isinstance(p, Int):
            params[name] = trial.suggest_int(name, p.low, p.high, log=p.log, step=p.step or 1)
        elif isinstance(p, Categorical):
            params[name] = trial.suggest_categorical(name, list(p.choices))
        else:
            raise TypeError(f"parameter {name!r}: unsupported type {type(p).__name__}")
    return params


def _quiet_optuna() -> None:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    # GPSampler and the LaNAS adapter may be experimental; CMA-ES warns on categoricals.
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="optuna")


def _finish(
    sampler: str,
    problem: Problem,
    seed: int,
    params_log: list[dict[str, Any]],
    values: list[float],
    sampler_time: list[float],
    objective_time: list[float],
    wall: float,
) -> CellResult:
    incumbent: list[float] = []
    best_obs, best_true = math.inf, math.nan
    for params, value in zip(params_log, values, strict=True):
        if value < best_obs:  # strict: ties keep the earlier trial
            best_obs, best_true = value, problem.true_value(params)
        incumbent.append(best_true)
    regret = None
    if problem.best_value is not None:
        regret = [v - problem.best_value for v in incumbent]
    return CellResult(
        sampler=sampler,
        problem=problem.name,
        budget=len(values),
        seed=seed,
        values=values,
        incumbent_true=incumbent,
        regret=regret,
        sampler_time=sampler_time,
        objective_time=objective_time,
        wall_time=wall,
        params=params_log,
        best_true=[
            float(v) for v in np.minimum.accumulate([problem.true_value(p) for p in params_log])
        ],
        best_value=problem.best_value,
    )


def with_derived(cell: CellResult, problem: Problem) -> CellResult:
    """Fill ``best_true``/``best_value`` of a cell cached before they were recorded."""
    if cell.best_true is None and cell.params is not None:
        true = [problem.true_value(p) for p in cell.params]
        cell.best_true = [float(v) for v in np.minimum.accumulate(true)]
        cell.best_value = problem.best_value
    return cell


def run_optuna_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run ``budget`` trials of an Optuna sampler with ``study.ask``/``study.tell``."""
    import optuna

    _quiet_optuna()
    study = optuna.create_study(direction="minimize", sampler=make_optuna_sampler(sampler, seed))
    noise = np.random.default_rng([seed, NOISE_STREAM])
    params_log, values, s_time, o_time = [], [], [], []
    start = time.perf_counter()
    for _ in range(budget):
        t0 = time.perf_counter()
        trial = study.ask()  # relative sampling (GP, CMA-ES, multivariate samplers) happens here
        params = suggest(trial, problem.space)
        t1 = time.perf_counter()
        value = problem.objective(params, int(noise.integers(2**31 - 1)))
        t2 = time.perf_counter()
        study.tell(trial, value)
        t3 = time.perf_counter()
        params_log.append(params)
        values.append(float(value))
        s_time.append((t1 - t0) + (t3 - t2))
        o_time.append(t2 - t1)
    wall = time.perf_counter() - start
    return _finish(sampler, problem, seed, params_log, values, s_time, o_time, wall)


def run_core_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run ``budget`` trials of the LaNAS core with ``ask``/``tell``."""
    from lanas_sampler import LaNAS

    _, kwargs = parse_sampler(sampler)
    opt = LaNAS(problem.space, seed=seed, **kwargs)
    noise = np.random.default_rng([seed, NOISE_STREAM])
    params_log, values, s_time, o_time = [], [], [], []
    start = time.perf_counter()
    for _ in range(budget):
        t0 = time.perf_counter()
        params = opt.ask()
        t1 = time.perf_counter()
        value = problem.objective(params, int(noise.integers(2**31 - 1)))
        t2 = time.perf_counter()
        opt.tell(params, value)
        t3 = time.perf_counter()
        params_log.append(params)
        values.append(float(value))
        s_time.append((t1 - t0) + (t3 - t2))
        o_time.append(t2 - t1)
    wall = time.perf_counter() - start
    return _finish(sampler, problem, seed, params_log, values, s_time, o_time, wall)


def run_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run one cell with the driver that ``sampler`` belongs to."""
    if budget < 1:
        raise ValueError(f"budget must be >= 1, got {budget}")
    base, _ = parse_sampler(sampler)
    if base in CORE_SAMPLERS:
        return run_core_cell(sampler, problem, budget, seed)
    return run_optuna_cell(sampler, problem, budget, seed)
