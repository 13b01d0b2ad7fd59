"""The benchmark suite of issue "The suite": every sampler, every problem family, one command.

``python benchmarks/suite.py quick|full|smoke [--jobs N] [--out DIR] [--only-families ...]
[--samplers ...] [--seeds N] [--first-seed K] [--bbob-instances I ...] [--bbob-functions F ...]
[--cache-dir DIR] [--no-overhead]``

* ``smoke`` (~1 min): the machinery end to end on a few small cells (CI: ``tests/
  test_benchmark_suite.py``);
* ``quick`` (<= 10 min on the 2-core machine with ``--jobs 1``): fewer problems, seeds and
  budgets of every family;
* ``full`` (hours to days; prints its estimate at the start): everything in the issue.

Every (sampler, problem, seed, budget) cell goes through ``optuna_bench.cached_cell``: finished
cells are stored under ``--cache-dir`` at once, so an interrupted ``full`` run resumes where it
stopped (re-run the same command). Budget-agnostic samplers run once per problem and seed at the
family's largest budget (their smaller budgets are prefixes of that run); Nevergrad's are told
the budget, so they run once per budget. BBOB instances are repetitions: each instance runs
``seeds`` seeds and the report pools the instances of a function (COCO's convention), so
``seeds=2`` gives 10 runs per function and dimension.

Writes ``results.json``, ``RESULTS.md`` and PNG plots into ``--out`` (``suite_report.py``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from optuna_bench import DEFAULT_CACHE, HERE, cached_cell, find_cached
from problems import bbob_ids
from runners import CellResult, budget_aware, limit_threads, parse_sampler, worker_threads

# The configurations the Nevergrad integration ships as presets (LaNAS, LaNASKernel, LaNASLinear,
# LaNASTuRBO, LaNASUniform); a preset equal to the current defaults is dropped (_variants).
LANAS_PRESETS = (
    "lanas",
    "lanas:split=kernel",
    "lanas:split=linear",
    "lanas:local_solver=turbo",
    "lanas:local_solver=uniform",
)
# TPESampler() is already multivariate for single-objective studies in Optuna 5.0
# (``multivariate=None`` -> True), so TPESampler(multivariate=True) is the same sampler.
BASELINES = ("tpe", "gp", "cmaes", "random", "ng-NGOpt", "ng-CMA")


def _variants(names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` without the LaNAS options that equal the core's current defaults (the
    algorithm is being tuned: e.g. ``split="linear"`` became the default), nor duplicates."""
    import inspect

    from lanas_sampler import LaNAS

    defaults = {k: p.default for k, p in inspect.signature(LaNAS).parameters.items()}
    out: list[str] = []
    for name in names:
        base, kwargs = parse_sampler(name)
        if base == "lanas" and kwargs and all(defaults.get(k) == v for k, v in kwargs.items()):
            name = "lanas"
        if name not in out:
            out.append(name)
    return tuple(out)


SAMPLERS = LANAS_PRESETS + BASELINES
# GPSampler's cost per trial grows with the trials (a GP fit on all of them per ask); past this
# many trials a cell takes hours on 2 cores (full) or the suite overruns its time (quick), so GP
# runs only up to the family's largest budget within the cap (reports say so).
GP_MAX_TRIALS = {"full": 500, "quick": 50, "smoke": 0}
BBOB_FUNCTIONS = tuple(range(1, 25))


@dataclass(frozen=True)
class Family:
    """Problems reported together, with their budgets (checkpoints) and seeds."""

    name: str
    problems: tuple[str, ...]
    budgets: tuple[int, ...]
    seeds: int
    skip: tuple[str, ...] = ()  # samplers not run on this family (too slow for the suite)
    # Seeds run: first_seed .. first_seed + seeds - 1. A later seed range adds runs to an
    # earlier report whose cells are no longer cached (``overall.py`` pools the reports).
    first_seed: int = 0

    def seed_range(self) -> range:
        return range(self.first_seed, self.first_seed + self.seeds)

    def cells(self, samplers: tuple[str, ...], gp_max: int) -> list[tuple[str, str, int, int]]:
        """(sampler, problem, budget, seed), seed-major: an interrupted run stays balanced."""
        out = []
        for seed in self.seed_range():
            for problem in self.problems:
                for sampler in (s for s in samplers if s not in self.skip):
                    runs = self.budgets if budget_aware(sampler) else self.budgets[-1:]
                    for budget in runs:
                        if parse_sampler(sampler)[0] == "gp" and budget > gp_max:
                            budget = max((b for b in self.budgets if b <= gp_max), default=0)
                            if budget == 0:
                                continue
                        out.append((sampler, problem, budget, seed))
        return list(dict.fromkeys(out))


def _bbob(d: int, functions: tuple[int, ...], instances: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(f"bbob_f{f}_d{d}_i{i}" for f in functions for i in instances)


def _synthetic(d: int) -> tuple[str, ...]:
    return tuple(f"{fn}{d}" for fn in ("ackley", "rosenbrock", "levy", "rastrigin"))


def only_bbob(
    family: Family, instances: list[int] | None = None, functions: list[int] | None = None
) -> Family:
    """The family with its BBOB problems restricted to ``instances`` and ``functions`` (None:
    all of them; problems of other kinds unchanged)."""
    from suite_report import bbob_functions, bbob_instances

    kept = family.problems
    for option, wanted, known, position in (
        ("--bbob-instances", instances, bbob_instances(kept), 1),
        ("--bbob-functions", functions, bbob_functions(kept), 0),
    ):
        if not wanted or not known:
            continue
        unknown = sorted(set(wanted) - set(known))
        if unknown:
            what = option.removeprefix("--bbob-")
            raise SystemExit(f"{option} {unknown} not in {family.name}'s {what} {known}")
        kept = tuple(p for p in kept if (ids := bbob_ids(p)) is None or ids[position] in wanted)
    return replace(family, problems=kept)


def suite(name: str) -> tuple[list[Family], dict[str, Any]]:
    """The families and the overhead sweep of a suite."""
    from problems_sklearn import DATASETS

    sk_models = ("knn", "svm", "dt", "rf", "lasso", "linear")  # mlp/ada: 0.3-0.9 s per eval
    if name == "full":
        families = [
            Family("nas201", ("nas201",), (25, 50, 100, 200), 10),
            Family(
                "hpobench",
                tuple(f"hpobench_{d}" for d in ("australian", "car", "kc1", "segment")),
                (50, 100, 200),
                10,
            ),
            Family(
                "hpolib",
                ("hpolib_naval_propulsion", "hpolib_protein_structure"),
                (50, 100, 200),
                10,
            ),
            Family("bbob-d5", _bbob(5, BBOB_FUNCTIONS, (1, 2, 3, 4, 5)), (100, 500), 2),
            Family("bbob-d20", _bbob(20, BBOB_FUNCTIONS, (1, 2, 3, 4, 5)), (400, 2000), 2),
            Family("synthetic-d20", _synthetic(20), (200, 1000), 10),
            Family("synthetic-d100", _synthetic(100), (500, 2000), 10, skip=("gp",)),
            Family(
                "sklearn",
                tuple(f"sklearn_{m}_{d}" for d in DATASETS for m in sk_models),
                (32, 128),
                10,
            ),
        ]
        overhead = {
            "trials": (100, 1000, 10000),
            "dims": (5, 20, 100),
            "dim_trials": 1000,
            # Asks timed per point (LaNAS: one period of its tree's rebuild schedule instead,
            # ``core_overhead.timed_asks``, so the mean counts its refits at their rate).
            "repeats": 12,
            "samplers": SAMPLERS,
            "gp_max": 1000,
            "ng_max": 1000,
        }
    elif name == "quick":
        families = [
            Family("nas201", ("nas201",), (25, 100), 5),
            Family("hpobench", ("hpobench_kc1",), (50, 100), 3, skip=("gp",)),
            Family("hpolib", ("hpolib_naval_propulsion",), (50, 100), 3, skip=("gp",)),
            Family("bbob-d5", _bbob(5, (8, 15), (1,)), (50, 100), 2),
            Family("synthetic-d20", ("ackley20", "levy20"), (100, 200), 2, skip=("gp",)),
            Family("sklearn", ("sklearn_svm_wine", "sklearn_dt_diabetes"), (32, 64), 2),
        ]
        overhead = {
            "trials": (100, 1000),
            "dims": (5, 20),
            "dim_trials": 200,
            "repeats": 8,
            "samplers": ("lanas", "tpe", "cmaes", "random"),
            "gp_max": 0,
            "ng_max": 1000,
        }
    elif name == "smoke":
        families = [
            Family("nas201", ("nas201",), (50, 100), 3),
            Family("bbob-d5", ("bbob_f1_d5_i1",), (50, 100), 3),
            Family("sklearn", ("sklearn_dt_diabetes",), (10, 20), 2),
        ]
        overhead = {
            "trials": (100,),
            "dims": (5,),
            "dim_trials": 100,
            "repeats": 3,
            "samplers": ("lanas", "random"),
            "gp_max": 0,
        }
    else:
        raise ValueError(f"unknown suite {name!r}; expected quick, full or smoke")
    return families, overhead


SMOKE_SAMPLERS = ("lanas", "tpe", "random", "ng-CMA")
QUICK_SAMPLERS = ("lanas", "lanas:split=kernel", "lanas:split=linear", *BASELINES)


# Sampler + objective milliseconds per trial, averaged over a cell at the family's largest full
# budget, measured on the 2-core machine under nice with other work running (load 4-7): the quick
# suite's cells and single full-size cells (benchmarks/README.md). GP's cost per trial grows with
# the trials, so its entry is the average over a COST_BUDGET-trial cell, scaled by budget / that.
# GP's entries were remeasured at stop 54 with the workers' thread limit (runners.limit_threads),
# two cells at a time on the otherwise idle machine (results/gp_cost): nas201, hpobench and
# hpolib the means over the 200-trial cells of results/gp_tabular_s10_29 (140 cells), bbob-d5
# and bbob-d20 (since stop 55) over the cells of results/gp_bbob_d5_500 (240 since stop 57, at
# 500 trials) and results/gp_bbob_d20_400 (216 since stop 58), the others the means of
# results/gp_cost/gp_cost.py's two cells per family. The entries before, measured with more
# threads than cores (bbob-d5's: scaled from 100-trial cells), were 2.2-23 times these
# (results/gp_cost/README.md).
COST_MS: dict[str, dict[str, float]] = {
    "nas201": {"lanas": 13, "tpe": 2, "gp": 85, "cmaes": 1, "random": 0.5, "ng": 15},
    "hpobench": {"lanas": 10, "tpe": 4, "gp": 60, "cmaes": 1, "random": 0.5, "ng": 8},
    "hpolib": {"lanas": 11, "tpe": 4, "gp": 100, "cmaes": 1, "random": 0.5, "ng": 9},
    "bbob-d5": {"lanas": 15, "tpe": 10, "gp": 270, "cmaes": 1.5, "random": 0.4, "ng": 7},
    "bbob-d20": {"lanas": 35, "tpe": 36, "gp": 321, "cmaes": 2, "random": 1, "ng": 20},
    "synthetic-d20": {"lanas": 22, "tpe": 18, "gp": 200, "cmaes": 2, "random": 1, "ng": 18},
    "synthetic-d100": {"lanas": 60, "tpe": 150, "gp": 980, "cmaes": 10, "random": 3, "ng": 130},
    "sklearn": {"lanas": 47, "tpe": 39, "gp": 115, "cmaes": 36, "random": 36, "ng": 40},
}
COST_BUDGET = {
    "nas201": 200,
    "hpobench": 200,
    "hpolib": 200,
    "bbob-d5": 500,
    "bbob-d20": 400,
    "synthetic-d20": 200,
    "synthetic-d100": 500,
    "sklearn": 128,
}


def cell_seconds(family: str, sampler: str, budget: int) -> float:
    """Estimated seconds of one cell (from ``COST_MS``)."""
    base = parse_sampler(sampler)[0]
    kind = "ng" if budget_aware(sampler) else base.replace("-core", "").replace("-linear", "")
    ms = COST_MS.get(family, COST_MS["synthetic-d20"]).get(kind, 50.0)
    if kind == "gp":
        ms *= budget / COST_BUDGET.get(family, 200)
    return budget * ms / 1e3


def _run(args: tuple[Path, str, str, int, int]) -> tuple[CellResult, bool, float]:
    cache, sampler, problem, budget, seed = args
    start = time.perf_counter()
    cell, hit = cached_cell(cache, sampler, problem, budget, seed)
    cell.params = None  # the cache keeps them; the report does not need them
    return cell, hit, time.perf_counter() - start


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes for cells: spawned, so each starts a clean interpreter (no
    forked BLAS or Optuna state), with its share of the cores (``runners.limit_threads``)."""
    return ProcessPoolExecutor(
        jobs,
        mp_context=get_context("spawn"),
        initializer=limit_threads,
        initargs=(worker_threads(jobs),),
    )


def run_cells(
    grid: list[tuple[str, str, int, int]], cache: Path, jobs: int
) -> tuple[list[CellResult], int]:
    """Run (or load) every cell with a progress bar, in ``jobs`` worker processes."""
    from tqdm import tqdm

    cells: list[CellResult] = []
    hits = 0
    tasks = [(cache, *g) for g in grid]
    bar = tqdm(total=len(tasks), desc="cells", unit="cell", dynamic_ncols=True)
    if jobs <= 1:
        results: Any = map(_run, tasks)
        pool = None
    else:
        pool = worker_pool(jobs)
        results = (f.result() for f in as_completed([pool.submit(_run, t) for t in tasks]))
    try:
        for cell, hit, _ in results:
            cells.append(cell)
            hits += hit
            bar.set_postfix_str(f"{cell.problem} {cell.sampler} s{cell.seed} b{cell.budget}")
            bar.update()
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return cells, hits


def overhead_points(spec: dict[str, Any], samplers: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """(sampler, trials, dim) points of the overhead sweep; GP only up to ``gp_max`` trials,
    Nevergrad up to ``ng_max`` (ng-CMA's real 10,000-trial loop did not finish in 4 minutes)."""
    pts = [(s, n, 20) for n in spec["trials"] for s in samplers]
    pts += [(s, spec["dim_trials"], d) for d in spec["dims"] for s in samplers]
    pts = [p for p in pts if parse_sampler(p[0])[0] != "gp" or p[1] <= spec["gp_max"]]
    pts = [p for p in pts if not budget_aware(p[0]) or p[1] <= spec.get("ng_max", p[1])]
    return list(dict.fromkeys(pts))


def run_overhead(spec: dict[str, Any], samplers: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each point in a fresh subprocess (``core_overhead.py --point``), points interleaved."""
    import json

    from tqdm import tqdm

    rows = []
    for sampler, n, d in tqdm(overhead_points(spec, samplers), desc="overhead", unit="point"):
        cmd = [
            sys.executable,
            str(HERE / "core_overhead.py"),
            "--point",
            sampler,
            str(n),
            str(d),
            str(spec["repeats"]),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE, check=False)
        if proc.returncode != 0:
            rows.append(
                {
                    "sampler": sampler,
                    "observations": n,
                    "dim": d,
                    "error": proc.stderr.strip().splitlines()[-1:],
                }
            )
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    for r in rows:  # which table a point belongs to (a point can serve both)
        r["trials_sweep"] = r["observations"] in spec["trials"] and r["dim"] == 20
        r["dim_sweep"] = r["observations"] == spec["dim_trials"] and r["dim"] in spec["dims"]
    return rows


def estimate_seconds(
    families: list[Family], grid: list[tuple[str, str, int, int]], cache: Path
) -> tuple[dict[str, dict[str, float]], int]:
    """Estimated compute seconds of the cells not in the cache, per family and sampler, and how
    many cells are cached."""
    by_problem = {p: f for f in families for p in f.problems}
    est: dict[str, dict[str, float]] = {f.name: {} for f in families}
    cached = 0
    for sampler, problem, budget, seed in grid:
        if find_cached(cache, sampler, problem, budget, seed) is not None:
            cached += 1
            continue
        fam = by_problem[problem].name
        est[fam][sampler] = est[fam].get(sampler, 0.0) + cell_seconds(fam, sampler, budget)
    return est, cached


def _dur(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("suite", choices=("quick", "full", "smoke"))
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for cells (default 1)")
    ap.add_argument("--out", type=Path, default=None, help="default benchmarks/results/<suite>")
    ap.add_argument("--only-families", nargs="+", default=None, metavar="FAMILY")
    ap.add_argument("--samplers", nargs="+", default=None)
    ap.add_argument(
        "--seeds", type=int, default=None, help="seeds per problem (BBOB: per instance)"
    )
    ap.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="run seeds FIRST .. FIRST + seeds - 1 (default 0): more seeds for an earlier run",
    )
    ap.add_argument(
        "--bbob-instances",
        nargs="+",
        type=int,
        default=None,
        metavar="I",
        help="run only these BBOB instances (default: the suite's, 1-5 in full)",
    )
    ap.add_argument(
        "--bbob-functions",
        nargs="+",
        type=int,
        default=None,
        metavar="F",
        help="run only these BBOB functions (default: the suite's, f1-f24)",
    )
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--gp-max", type=int, default=None, help="GP's trial cap (default per suite)")
    ap.add_argument("--no-overhead", action="store_true", help="skip the overhead sweep")
    ap.add_argument("--estimate-only", action="store_true", help="print the estimate and stop")
    args = ap.parse_args(argv)
    if args.seeds is not None and args.seeds < 1:
        ap.error(f"--seeds must be 1 or more, got {args.seeds}")
    if args.first_seed < 0:
        ap.error(f"--first-seed must be 0 or more, got {args.first_seed}")
    for s in args.samplers or ():
        parse_sampler(s)  # fail before running anything
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the suite and write its results, report and plots."""
    import suite_report

    args = parse_args(argv)
    families, overhead = suite(args.suite)
    if args.only_families:
        unknown = set(args.only_families) - {f.name for f in families}
        if unknown:
            raise SystemExit(f"unknown families {sorted(unknown)}; {[f.name for f in families]}")
        families = [f for f in families if f.name in args.only_families]
    default = {"smoke": SMOKE_SAMPLERS, "quick": QUICK_SAMPLERS, "full": SAMPLERS}[args.suite]
    samplers = tuple(args.samplers) if args.samplers else _variants(default)
    if "random" not in samplers:  # the normalised score's 0 and the samples-to-target baseline
        samplers += ("random",)
    if args.seeds is not None:
        families = [replace(f, seeds=args.seeds) for f in families]
    if args.first_seed:
        families = [replace(f, first_seed=args.first_seed) for f in families]
    # Reports pool BBOB runs by 1000 * instance + seed (``report_cells.pooled_key``).
    last_seed = max((f.seed_range()[-1] for f in families), default=0)
    if last_seed >= 1000:
        raise SystemExit(
            f"seeds must stay below 1000 (BBOB pools runs by 1000 * instance + seed): "
            f"--first-seed {args.first_seed} runs up to seed {last_seed}"
        )
    if args.bbob_instances or args.bbob_functions:
        families = [only_bbob(f, args.bbob_instances, args.bbob_functions) for f in families]
    gp_max = GP_MAX_TRIALS[args.suite] if args.gp_max is None else args.gp_max
    grid = [c for f in families for c in f.cells(samplers, gp_max)]
    notes = (
        []
        if not any(parse_sampler(s)[0] == "gp" for s in samplers)
        else [
            f"GP (`gp`) runs up to {gp_max} trials (its cost per trial grows with the trials): "
            "at larger budgets it is absent from the ranks and scores."
        ]
    )
    notes += [
        f"{f.name}: {', '.join(f.skip)} not run in this suite (too slow)."
        for f in families
        if f.skip and set(f.skip) & set(samplers)
    ]
    out: Path = args.out or HERE / "results" / args.suite
    est, n_cached = estimate_seconds(families, grid, args.cache_dir)
    total = sum(sum(v.values()) for v in est.values())
    workers = max(1, min(args.jobs, os.cpu_count() or 1))
    print(
        f"{args.suite}: {len(grid)} cells ({n_cached} cached), {len(families)} families, "
        f"samplers {', '.join(samplers)}; estimated compute of the cells to run "
        f"{_dur(total)} (~{_dur(total / workers)} wall with --jobs {args.jobs}, "
        f"plus the overhead sweep); writing to {out}",
        flush=True,
    )
    for fam, by_s in est.items():
        top = sorted(by_s.items(), key=lambda kv: -kv[1])[:3]
        print(
            f"  {fam}: {_dur(sum(by_s.values()))} ("
            + ", ".join(f"{s} {_dur(v)}" for s, v in top)
            + ")",
            flush=True,
        )
    if args.estimate_only:
        return 0
    start = time.perf_counter()
    cells, hits = run_cells(grid, args.cache_dir, args.jobs)
    ovh = [] if args.no_overhead else run_overhead(overhead, overhead["samplers"])
    wall = time.perf_counter() - start
    suite_report.write(
        out,
        args.suite,
        families,
        samplers,
        cells,
        ovh,
        wall=wall,
        cached=hits,
        argv=argv,
        notes=notes,
    )
    print(f"wrote {out / 'RESULTS.md'} and {out / 'results.json'} ({wall:.0f} s)")
    if args.suite == "full" and args.out is None:  # the committed report: benchmarks/RESULTS.md
        rel = out.relative_to(HERE).as_posix()
        text = (out / "RESULTS.md").read_text()
        for png in sorted(out.glob("*.png")):
            text = text.replace(f"]({png.name})", f"]({rel}/{png.name})")
        (HERE / "RESULTS.md").write_text(text)
        print(f"wrote {HERE / 'RESULTS.md'} (plots linked from {rel}/)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
