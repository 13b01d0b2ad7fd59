"""The core (the library on ``PYTHONPATH``) on problems x seeds; one JSON row per search with
its incumbent at each checkpoint and its wall time.

    PYTHONPATH=<code> python probe_rows.py TAG PROBLEMS FIRST_SEED LAST_SEED BUDGET CHECKPOINTS

PROBLEMS and CHECKPOINTS comma-separated (``suite.py`` names, e.g. ``bbob_f8_d5_i1``); two
processes (``JOBS`` to change)."""

import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/


def search(args):
    from problems import get_problem
    from runners import run_core_cell

    tag, name, seed, budget, checks = args
    start = time.time()
    cell = run_core_cell("lanas-core", get_problem(name), budget, seed)
    best = {str(c): cell.incumbent_true[c - 1] for c in checks}
    return {"variant": tag, "problem": name, "seed": seed, "best": best,
            "s": round(time.time() - start, 1)}  # fmt: skip


if __name__ == "__main__":
    tag, problems = sys.argv[1], sys.argv[2].split(",")
    seeds = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
    budget, checks = int(sys.argv[5]), [int(c) for c in sys.argv[6].split(",")]
    jobs = [(tag, name, seed, budget, checks) for name in problems for seed in seeds]
    with Pool(int(os.environ.get("JOBS", 2))) as pool:
        for row in pool.imap_unordered(search, jobs):
            print(json.dumps(row), flush=True)
