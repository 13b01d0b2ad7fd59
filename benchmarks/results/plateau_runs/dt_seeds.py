"""Decision-tree problems of the scikit-learn family with many seeds: incumbents at 32 and 128.

Runs each (problem, seed) cell exactly as ``suite.py`` does (``runners.run_optuna_cell``: the
Optuna adapter for ``lanas``, Optuna's ``RandomSampler`` for ``random``), so seeds 0-9 give the
family run's cells; writes one JSON list of ``[problem, seed, [incumbent at 32, at 128],
sampler ms per trial]`` and prints the means.

Run from ``benchmarks/`` with the code to measure first on the path, e.g.
``PYTHONPATH=<worktree> python results/plateau_runs/dt_seeds.py OUT.json
sklearn_dt_iris,sklearn_dt_wine 0:30 lanas``.
"""

from __future__ import annotations

import json
import os
import sys
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from problems import get_problem  # noqa: E402
from runners import run_optuna_cell  # noqa: E402

BUDGET = 128


def one(cell: tuple[str, int, str]) -> tuple[str, int, list[float], float]:
    problem, seed, sampler = cell
    result = run_optuna_cell(sampler, get_problem(problem), BUDGET, seed)
    incumbents = [float(result.incumbent_true[i]) for i in (31, BUDGET - 1)]
    return problem, seed, incumbents, float(np.mean(result.sampler_time) * 1000)


def main() -> None:
    out, problems, seeds = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
    sampler = sys.argv[4] if len(sys.argv) > 4 else "lanas"
    first, stop = map(int, seeds.split(":"))
    with Pool(int(os.environ.get("JOBS", "2"))) as pool:
        cells = [(p, s, sampler) for p in problems for s in range(first, stop)]
        results = pool.map(one, cells, chunksize=1)
    with open(out, "w") as f:
        json.dump(results, f)
    for problem in problems:
        final = np.array([r[2] for r in results if r[0] == problem])
        error = final[:, 1].std() / np.sqrt(len(final))
        print(f"{problem} {sampler}: mean @32 {final[:, 0].mean():.4f}, "
              f"@128 {final[:, 1].mean():.4f} ± {error:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
