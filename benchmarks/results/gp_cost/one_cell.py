"""One GPSampler cell in this process, alone, at a given thread count: where GP's lower cost in
``gp_cost.py`` comes from (the thread limit, or the Optuna version on ``PYTHONPATH``).

    [PYTHONPATH=<optuna 5.0.0>] python one_cell.py PROBLEM BUDGET SEED THREADS

Prints one JSON line: Optuna's version, the threads, seconds, milliseconds per trial, and the
final regret (the same search gives the same regret).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from runners import limit_threads  # noqa: E402

if __name__ == "__main__":
    problem_name, budget, seed, threads = sys.argv[1], *map(int, sys.argv[2:5])
    limit_threads(threads)
    import optuna
    from problems import get_problem
    from runners import run_cell

    start = time.perf_counter()
    result = run_cell("gp", get_problem(problem_name), budget, seed)
    seconds = time.perf_counter() - start
    regret = result.regret[-1] if result.regret else None
    print(
        json.dumps({
            "optuna": optuna.__version__, "threads": threads, "problem": problem_name,
            "seed": seed, "budget": budget, "seconds": round(seconds, 1),
            "ms_per_trial": round(1e3 * seconds / budget, 1), "final_regret": regret,
        })
    )  # fmt: skip
