"""Whole-space asks at several rates, on the code before them (a probe): the core on the four
decision trees, 128 evaluations; one JSON row per search (incumbent at 32 and 128).

    PYTHONPATH=<worktree of 5f08502> python variants.py VARIANT PROBLEMS FIRST_SEED LAST_SEED

VARIANT: ``none`` (the code as it is), ``root<k>`` (every k-th model ask of a search searches
the whole space: the selected path is cut to the root) or ``always`` (every model ask does).
Two processes (``JOBS`` to change)."""

import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
import lanas_sampler._optimizer as optimizer  # noqa: E402

SELECT_PATH = optimizer.select_path


def search(args):
    from problems import get_problem
    from runners import run_core_cell

    variant, problem_name, seed = args
    every = 1 if variant == "always" else int(variant[4:]) if variant.startswith("root") else 0
    asks = {"model": 0}

    def select_path(tree, z, exploration, rng):
        asks["model"] += 1
        if every and asks["model"] % every == 0:
            return [(tree, True)]
        return SELECT_PATH(tree, z, exploration, rng)

    optimizer.select_path = select_path
    cell = run_core_cell("lanas-core", get_problem(problem_name), 128, seed)
    best = {"32": cell.incumbent_true[31], "128": cell.incumbent_true[127]}
    return {"variant": variant, "problem": problem_name, "seed": seed, "best": best}


if __name__ == "__main__":
    variant, problems = sys.argv[1], sys.argv[2].split(",")
    seeds = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
    with Pool(int(os.environ.get("JOBS", 2))) as pool:
        jobs = [(variant, name, seed) for name in problems for seed in seeds]
        for row in pool.imap_unordered(search, jobs):
            print(json.dumps(row), flush=True)
