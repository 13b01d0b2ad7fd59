"""The start-up design, a probe: one JSON row per search (incumbent at 32 and at the budget).

    PYTHONPATH=<worktree> python startup.py VARIANT PROBLEMS FIRST_SEED LAST_SEED

VARIANT: ``core`` (the core's ask/tell, its scrambled Sobol start-up), ``core-uniform`` (the
same with uniform start-up points, as the Optuna sampler drew them before its start-up trials
took the design), ``optuna`` (``LaNASSampler`` through ``study.ask``/``tell``, as the suite
runs it) or ``random`` (Optuna's ``RandomSampler`` the same way, the reference). The rows of
5f08502 (``*_5f08502.jsonl``) were made with this file's predecessor, which patched
``LaNAS._startup_point`` instead of ``_design_row``. Two processes (``JOBS`` to change);
``BUDGET`` (default 128) sets the evaluations."""

import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
import lanas_sampler._optimizer as optimizer  # noqa: E402


def uniform_row(self, index):
    """A uniform point of the encoded space instead of the design's row ``index``."""
    return self.space.snap(self._rng.random((1, self.space.dim)))[0]


def search(args):
    from problems import get_problem
    from runners import run_core_cell, run_optuna_cell

    variant, problem_name, seed, budget = args
    problem = get_problem(problem_name)
    if variant in ("optuna", "random"):
        cell = run_optuna_cell("lanas" if variant == "optuna" else "random", problem, budget, seed)
    else:
        if variant == "core-uniform":
            optimizer.LaNAS._design_row = uniform_row
        cell = run_core_cell("lanas-core", problem, budget, seed)
    best = {"32": cell.incumbent_true[31], str(budget): cell.incumbent_true[budget - 1]}
    return {"variant": variant, "problem": problem_name, "seed": seed, "best": best}


if __name__ == "__main__":
    variant, problems = sys.argv[1], sys.argv[2].split(",")
    if variant not in ("core", "core-uniform", "optuna", "random"):
        raise SystemExit(f"VARIANT must be core, core-uniform, optuna or random, got {variant!r}")
    seeds = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
    budget = int(os.environ.get("BUDGET", 128))
    with Pool(int(os.environ.get("JOBS", 2))) as pool:
        jobs = [(variant, name, seed, budget) for name in problems for seed in seeds]
        for row in pool.imap_unordered(search, jobs):
            print(json.dumps(row), flush=True)
