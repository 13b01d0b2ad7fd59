"""A diagnostic, not a change: the core with its first start-up point at the centre of the box.

NGOpt (COBYLA), Nevergrad's CMA and Optuna's CMA-ES all start at the centre of the box, and the
synthetic functions' optima lie in the middle half of it by construction (``problems.py``). This
runs the LaNAS core as it is (``default``) and with design row 0 replaced by the centre
(``centre``; the rest of the design and the search unchanged) on the same problems and seeds,
one JSON row per search: the incumbent's regret at each checkpoint.

    PYTHONPATH=<worktree> python centre_probe.py VARIANT PROBLEMS FIRST_SEED LAST_SEED

``BUDGET`` (default 2000) and ``CHECKPOINTS`` (default ``500,2000``) in the environment; two
processes (``JOBS``).
"""

import json
import os
import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
import lanas_sampler._optimizer as optimizer  # noqa: E402

_design_row = optimizer.LaNAS._design_row


def centre_first(self, index):
    """The centre of the encoded box as row 0, the scrambled Sobol rows after it."""
    if index == 0:
        return self.space.snap(np.full((1, self.space.dim), 0.5))[0]
    return _design_row(self, index)


def search(args):
    from problems import get_problem
    from runners import run_core_cell

    variant, name, seed, budget, checkpoints = args
    cell = run_core_cell("lanas-core", get_problem(name), budget, seed)
    curve = cell.curve("incumbent")
    regret = {str(b): float(curve[b - 1]) for b in checkpoints}
    return {"variant": variant, "problem": name, "seed": seed, "regret": regret}


if __name__ == "__main__":
    variant, problems = sys.argv[1], sys.argv[2].split(",")
    if variant not in ("default", "centre"):
        raise SystemExit(f"VARIANT must be default or centre, got {variant!r}")
    if variant == "centre":
        optimizer.LaNAS._design_row = centre_first  # inherited by the forked workers
    seeds = range(int(sys.argv[3]), int(sys.argv[4]) + 1)
    budget = int(os.environ.get("BUDGET", 2000))
    checkpoints = [int(b) for b in os.environ.get("CHECKPOINTS", "500,2000").split(",")]
    with Pool(int(os.environ.get("JOBS", 2))) as pool:
        jobs = [(variant, name, seed, budget, checkpoints) for name in problems for seed in seeds]
        for row in pool.imap_unordered(search, jobs):
            print(json.dumps(row), flush=True)
