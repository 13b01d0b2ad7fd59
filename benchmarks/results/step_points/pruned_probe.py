"""The core (the library on ``PYTHONPATH``) on BBOB functions with a median pruner: one JSON
row per search with its best complete value's regret at each checkpoint.

    PYTHONPATH=<code> python pruned_probe.py TAG D FIRST_SEED LAST_SEED CHECKPOINTS [F ...]

Each trial reports one intermediate value, its objective value, and is pruned when that is
worse than the median of the complete trials' values so far (Optuna's ``MedianPruner`` with
5 startup trials and one step): 36-38 % of the trials in 10-d, 51-52 % in 5-d, fewer than half
since a converging search makes more trials better than the median. A pruned trial is told
with ``pruned_at_step=0`` and does not count towards the incumbent (Optuna's best trial is a
complete one). Instance 1; ``JOBS`` processes (1)."""

import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/

_STARTUP = 5


def search(args):
    from problems import get_problem

    from lanas_sampler import LaNAS

    tag, name, seed, checks = args
    problem = get_problem(name)
    optimizer = LaNAS(problem.space, seed=seed)
    complete, best, pruned, curve = [], np.inf, 0, []
    start = time.time()
    for _ in range(max(checks)):
        params = optimizer.ask()
        value = problem.true_value(params)
        if len(complete) >= _STARTUP and value > np.median(complete):
            optimizer.tell(params, value, pruned_at_step=0)
            pruned += 1
        else:
            optimizer.tell(params, value)
            complete.append(value)
            best = min(best, value)
        curve.append(best)
    regret = {str(c): curve[c - 1] - problem.best_value for c in checks}
    return {"variant": tag, "problem": name, "seed": seed, "regret": regret,
            "pruned": pruned, "s": round(time.time() - start, 1)}  # fmt: skip


if __name__ == "__main__":
    tag, d = sys.argv[1], int(sys.argv[2])
    seeds = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
    checks = [int(c) for c in sys.argv[5].split(",")]
    functions = [int(f) for f in sys.argv[6:]] or list(range(1, 25))
    jobs = [(tag, f"bbob_f{f}_d{d}_i1", s, checks) for f in functions for s in seeds]
    with Pool(int(os.environ.get("JOBS", 1))) as pool:
        for row in pool.imap_unordered(search, jobs):
            print(json.dumps(row), flush=True)
