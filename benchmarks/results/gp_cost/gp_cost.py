"""GPSampler's cost per trial on each family, as the ``full`` suite runs it now: cells two at a
time in ``suite.worker_pool(2)`` (each worker one thread), at the family's ``COST_BUDGET``.

    python gp_cost.py [FAMILY ...] >> gp_cost.jsonl     # default: every family below

Written at stop 54, when the ``COST_MS`` entries for GP had been measured before the workers'
thread limit (427b94a), but for BBOB d = 5's, scaled from 100-trial cells (the BBOB entries
have come from whole GP runs since stop 55: ``suite.py``'s comment). Two cells per family, of
two problems (or two seeds), run here; the pool keeps both cores busy, as a ``--jobs 2`` run
does. Prints one JSON line per cell: seconds, milliseconds per trial (sampler and objective, what
``COST_MS`` holds) and the sampler's own share.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

BENCHMARKS = str(Path(__file__).resolve().parents[2])
sys.path.insert(0, BENCHMARKS)
from suite import COST_BUDGET, worker_pool  # noqa: E402

# (family, problem, seed): two per family, different problems where the family has several.
CELLS = [
    ("nas201", "nas201", 10),
    ("nas201", "nas201", 11),
    ("hpobench", "hpobench_australian", 10),
    ("hpobench", "hpobench_segment", 10),
    ("hpolib", "hpolib_naval_propulsion", 10),
    ("hpolib", "hpolib_protein_structure", 10),
    ("sklearn", "sklearn_svm_wine", 10),
    ("sklearn", "sklearn_dt_diabetes", 10),
    ("synthetic-d20", "ackley20", 10),
    ("synthetic-d20", "rosenbrock20", 10),
    ("bbob-d5", "bbob_f8_d5_i2", 0),
    ("bbob-d5", "bbob_f15_d5_i2", 0),
    ("bbob-d20", "bbob_f8_d20_i2", 0),
    ("bbob-d20", "bbob_f15_d20_i2", 0),
    ("synthetic-d100", "ackley100", 0),
    ("synthetic-d100", "rosenbrock100", 0),
]


def cell(job: tuple[str, str, int]) -> dict[str, object]:
    sys.path.insert(0, BENCHMARKS)
    from problems import get_problem
    from runners import run_cell

    family, problem, seed = job
    budget = COST_BUDGET[family]
    start = time.perf_counter()
    result = run_cell("gp", get_problem(problem), budget, seed)
    seconds = time.perf_counter() - start
    return {
        "family": family,
        "problem": problem,
        "seed": seed,
        "budget": budget,
        "seconds": round(seconds, 1),
        "ms_per_trial": round(1e3 * seconds / budget, 1),
        "sampler_ms_per_trial": round(1e3 * sum(result.sampler_time) / budget, 1),
    }


if __name__ == "__main__":
    start = time.perf_counter()
    families = set(sys.argv[1:]) or {family for family, _, _ in CELLS}
    with worker_pool(2) as pool:
        for row in pool.map(cell, [c for c in CELLS if c[0] in families]):
            print(json.dumps(row), flush=True)
    wall = round(time.perf_counter() - start, 1)
    print(json.dumps({"families": sorted(families), "wall_seconds": wall}), flush=True)
