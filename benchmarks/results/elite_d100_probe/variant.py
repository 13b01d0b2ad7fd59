"""One core search with constants of ``lanas_sampler._local`` overridden (a probe, not a
benchmark): ``python variant.py PROBLEM BUDGET SEED [NAME=VALUE ...]`` prints the best value
every 250 evaluations."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

import lanas_sampler._local as local  # noqa: E402
from lanas_sampler import LaNAS  # noqa: E402

for setting in sys.argv[4:]:
    name, value = setting.split("=")
    setattr(local, name, int(value))
problem, budget, seed = get_problem(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
opt = LaNAS(problem.space, seed=seed)
best, marks = np.inf, []
for t in range(1, budget + 1):
    params = opt.ask()
    value = problem.objective(params, seed)
    opt.tell(params, value)
    best = min(best, value)
    if t % 250 == 0:
        marks.append(f"{t}:{best:.4g}")
print(sys.argv[1], seed, " ".join(sys.argv[4:]) or "base", " ".join(marks), flush=True)
