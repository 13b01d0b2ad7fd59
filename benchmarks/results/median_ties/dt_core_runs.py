"""Decision-tree problems of the scikit-learn family through the LaNAS core, many seeds.

The incumbent after 32 and 128 evaluations, one JSON line per (sampler, problem, seed), for
many fresh seeds at little cost (no Optuna storage). ``lanas`` is whatever ``lanas_sampler``
is importable: put a worktree of the commit to measure first on ``PYTHONPATH``. Options
follow the suite's sampler names (``lanas:labeler=kmeans``).

    PYTHONPATH=<worktree> python dt_core_runs.py lanas 60 30 > lanas.jsonl
    python dt_core_runs.py lanas:labeler=kmeans 60 30 > kmeans.jsonl
    python dt_core_runs.py random 60 30 > random.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402
from runners import parse_sampler  # noqa: E402

from lanas_sampler import LaNAS, SearchSpace  # noqa: E402

PROBLEMS = [f"sklearn_dt_{d}" for d in ("wine", "iris", "breast_cancer", "diabetes")]
CHECKPOINTS = (32, 128)


def run(sampler: str, problem: str, seed: int) -> dict[int, float]:
    p = get_problem(problem)
    if sampler == "random":
        space, rng = SearchSpace(p.space), np.random.default_rng(seed)
    else:
        optimizer = LaNAS(p.space, seed=seed, **parse_sampler(sampler)[1])
    best, out = np.inf, {}
    for i in range(1, max(CHECKPOINTS) + 1):
        params = space.decode(rng.random(space.dim)) if sampler == "random" else optimizer.ask()
        value = p.true_value(params)
        if sampler != "random":
            optimizer.tell(params, value)
        best = min(best, value)
        if i in CHECKPOINTS:
            out[i] = best
    return out


if __name__ == "__main__":
    sampler, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for problem in PROBLEMS:
        for seed in range(first, first + count):
            best = run(sampler, problem, seed)
            print(json.dumps({"sampler": sampler, "problem": problem, "seed": seed, "best": best}))
