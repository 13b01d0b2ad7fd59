"""Run one benchmark cell (sampler, problem, budget, seed) and record what happened per trial.

Two drivers:

* Optuna: ``lanas``, ``lanas-linear``, ``tpe``, ``gp``, ``cmaes`` (random on categoricals),
  ``random``; any ``lanas:key=value,...`` passes core options to ``LaNASSampler``.
* Core: ``lanas-core`` (``LaNAS.ask``/``tell`` directly), ``lanas-core:key=value,...`` likewise.
* Nevergrad, Optuna-free: ``ng-<Name>`` for any ``ng.optimizers.registry`` name, e.g.
  ``ng-NGOpt``, ``ng-CMA``: ask/tell on an ``ng.p.Dict`` built from the problem's core space
  (:func:`ng_parametrization`). Nevergrad optimizers are told the budget up front (NGOpt picks
  its algorithm from it), so their cells are budget-specific (:func:`budget_aware`). NGOpt needs
  :func:`patch_ngopt_for_numpy_2_4` under numpy >= 2.4; this driver applies it.

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
import os
import sys
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
NEVERGRAD_PREFIX = "ng-"
# Nevergrad optimizer streams must not replay anything seeded by the cell seed itself.
NG_SEED_OFFSET = 10_000


def worker_threads(jobs: int) -> int:
    """Threads per worker process when ``jobs`` of them share the cores this process may use
    (its CPU affinity where the system has one, as in containers and under ``taskset``)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // jobs)


def limit_threads(threads: int) -> None:
    """A worker process's initializer: its BLAS and OpenMP thread pools at ``threads``.

    Each library otherwise starts one thread per core in every worker, so ``--jobs 2`` on two
    cores ran four threads or more. Optuna's ``GPSampler`` suffers most: PyTorch's OpenMP
    threads wait on each other, and two GP cells at once on the two-core machine took 4.7-5.8
    times as long each with two threads as with one (same proposals;
    benchmarks/results/worker_threads). The LaNAS core limits its own asks to one BLAS thread
    either way. PyTorch is imported later (by ``GPSampler``) and reads ``OMP_NUM_THREADS``
    then; numpy's BLAS is already loaded, so threadpoolctl limits it.
    """
    from threadpoolctl import threadpool_limits

    os.environ["OMP_NUM_THREADS"] = str(threads)
    threadpool_limits(limits=threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


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
    if base.startswith(NEVERGRAD_PREFIX) and not kwargs:
        return base, kwargs  # the registry name is checked when the optimizer is built
    if base not in OPTUNA_SAMPLERS + CORE_SAMPLERS:
        raise ValueError(f"unknown sampler {name!r}; known: {OPTUNA_SAMPLERS + CORE_SAMPLERS}")
    if kwargs and base not in ("lanas", "lanas-core"):
        raise ValueError(f"options are only accepted for lanas samplers, got {name!r}")
    return base, kwargs


def budget_aware(sampler: str) -> bool:
    """Whether the sampler is told the budget (its cells cannot be truncated to a lower one)."""
    return sampler.startswith(NEVERGRAD_PREFIX)


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


def _drive(
    sampler: str,
    problem: Problem,
    budget: int,
    seed: int,
    ask: Callable[[], tuple[Any, dict[str, Any]]],
    tell: Callable[[Any, float], object],
) -> CellResult:
    """The loop every driver shares: ``ask() -> (handle, params)``, evaluate, ``tell(handle,
    value)``; sampler time = ask + tell (with whatever bookkeeping they do), noise from the cell
    seed (common random numbers)."""
    noise = np.random.default_rng([seed, NOISE_STREAM])
    params_log, values, s_time, o_time = [], [], [], []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # COBYLA's RHOEND notice, CMA-ES on categoricals...
        for _ in range(budget):
            t0 = time.perf_counter()
            handle, params = ask()
            t1 = time.perf_counter()
            value = problem.objective(params, int(noise.integers(2**31 - 1)))
            t2 = time.perf_counter()
            tell(handle, value)
            t3 = time.perf_counter()
            params_log.append(params)
            values.append(float(value))
            s_time.append((t1 - t0) + (t3 - t2))
            o_time.append(t2 - t1)
    wall = time.perf_counter() - start
    return _finish(sampler, problem, seed, params_log, values, s_time, o_time, wall)


def run_optuna_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run ``budget`` trials of an Optuna sampler with ``study.ask``/``study.tell``."""
    import optuna

    _quiet_optuna()
    study = optuna.create_study(direction="minimize", sampler=make_optuna_sampler(sampler, seed))

    def ask() -> tuple[Any, dict[str, Any]]:
        trial = study.ask()  # relative sampling happens at the first suggest (lazily), timed too
        return trial, suggest(trial, problem.space)

    return _drive(sampler, problem, budget, seed, ask, study.tell)


def run_core_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run ``budget`` trials of the LaNAS core with ``ask``/``tell``."""
    from lanas_sampler import LaNAS

    _, kwargs = parse_sampler(sampler)
    opt = LaNAS(problem.space, seed=seed, **kwargs)

    def ask() -> tuple[Any, dict[str, Any]]:
        params = opt.ask()
        return params, params

    return _drive(sampler, problem, budget, seed, ask, opt.tell)


def patch_ngopt_for_numpy_2_4() -> None:
    """Let NGOpt / MetaModel run under numpy >= 2.4 (nevergrad 1.0.12 bug, fixed upstream).

    ``nevergrad.optimization.metamodel.learn_on_k_best`` minimises its surrogate through a
    closure that returns ``float(model.predict(x[None, :]))``: a 1-element 1-d array, which
    numpy 2.4 no longer converts to a Python float (``TypeError: only 0-dimensional arrays can
    be converted to Python scalars``). NGOpt reaches it on continuous spaces with a budget of
    about 100 x d (e.g. d=5 with 500 evaluations fails at the 37th ask, d=20 with 2,000 at the
    415th; budgets of 20 x d do not). We shadow the builtin ``float`` in that module's globals
    only, with one that reads a 1-element array as its element, which is what the code means.
    Idempotent; nothing in lanas-sampler itself touches nevergrad's internals.
    """
    import builtins

    from nevergrad.optimization import metamodel

    def lenient_float(x: Any = 0.0) -> float:
        if isinstance(x, np.ndarray) and x.size == 1:
            x = x.reshape(())
        return builtins.float(x)

    metamodel.float = lenient_float  # type: ignore[attr-defined]


def ng_parametrization(space: dict[str, Parameter]) -> Any:
    """An ``ng.p.Dict`` for a core space: ``Scalar``/``Log`` bounds, integer casting, ``Choice``.

    Stepped floats are snapped to their grid by :func:`_from_ng` (Nevergrad has no step).
    """
    import nevergrad as ng

    children: dict[str, Any] = {}
    for name, p in space.items():
        if isinstance(p, Categorical):
            children[name] = ng.p.Choice(list(p.choices))
            continue
        cls = ng.p.Log if p.log else ng.p.Scalar
        child = cls(lower=p.low, upper=p.high)
        children[name] = child.set_integer_casting() if isinstance(p, Int) else child
    return ng.p.Dict(**children)


def _from_ng(space: dict[str, Parameter], value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, p in space.items():
        v = value[name]
        if isinstance(p, Int):
            v = int(min(max(int(v), p.low), p.high))
        elif isinstance(p, Float):
            v = float(min(max(float(v), p.low), p.high))
            if p.step:
                v = float(min(p.low + round((v - p.low) / p.step) * p.step, p.high))
        out[name] = v
    return out


def run_nevergrad_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run ``budget`` asks/tells of a Nevergrad optimizer told the budget up front."""
    import nevergrad as ng

    patch_ngopt_for_numpy_2_4()
    name = sampler[len(NEVERGRAD_PREFIX) :]
    if name not in ng.optimizers.registry:
        raise ValueError(f"{sampler!r}: {name!r} is not in nevergrad's optimizer registry")
    opt = ng.optimizers.registry[name](ng_parametrization(problem.space), budget=budget)
    opt.parametrization.random_state.seed(seed + NG_SEED_OFFSET)
    np.random.seed(seed + NG_SEED_OFFSET)  # noqa: NPY002  (NGOpt's CmaFmin2 draws from it)

    def ask() -> tuple[Any, dict[str, Any]]:
        candidate = opt.ask()
        return candidate, _from_ng(problem.space, candidate.value)

    return _drive(sampler, problem, budget, seed, ask, opt.tell)


def run_cell(sampler: str, problem: Problem, budget: int, seed: int) -> CellResult:
    """Run one cell with the driver that ``sampler`` belongs to."""
    if budget < 1:
        raise ValueError(f"budget must be >= 1, got {budget}")
    base, _ = parse_sampler(sampler)
    if base in CORE_SAMPLERS:
        return run_core_cell(sampler, problem, budget, seed)
    if base.startswith(NEVERGRAD_PREFIX):
        return run_nevergrad_cell(sampler, problem, budget, seed)
    return run_optuna_cell(sampler, problem, budget, seed)
