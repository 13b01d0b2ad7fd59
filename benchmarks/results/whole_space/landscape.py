"""Where scikit-learn's decision tree on wine is good (a probe, no sampler): 3,000 uniform
configurations of its space, seed 0; ``python landscape.py`` from this folder (about 30 s).

Prints the most common losses (the plateaus), the share of the space below 0.4 and the range
of each parameter among those configurations."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

from lanas_sampler import Int  # noqa: E402

problem = get_problem("sklearn_dt_wine")
names = list(problem.space)
rng = np.random.default_rng(0)
rows = []
for _ in range(3000):
    config = {
        k: int(rng.integers(p.low, p.high + 1))
        if isinstance(p, Int)
        else rng.uniform(p.low, p.high)
        for k, p in problem.space.items()
    }
    rows.append([config[k] for k in names] + [problem.true_value(config)])
A = np.array(rows)
losses, counts = np.unique(np.round(A[:, -1], 3), return_counts=True)
common = np.argsort(-counts)[:6]
print("most common losses:", ", ".join(f"{losses[i]} ({counts[i]})" for i in common))
good = A[A[:, -1] < 0.4]
print(f"below 0.4: {len(good)} of {len(A)} ({len(good) / len(A):.2%})")
for j, name in enumerate(names):
    print(f"  {name}: {good[:, j].min():.3f} - {good[:, j].max():.3f}")
