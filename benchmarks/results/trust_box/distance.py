"""How far the model asks' points lie from the best point so far, and how many improve it (a
probe): ``python distance.py PROBLEM BUDGET [SEED]``, from this folder, through the core with
its defaults. Every 250 evaluations: the regret, the model asks that improved the best, and
quantiles of the largest coordinate difference (unit cube) between each of the last 240 model
asks' points and the best point when it was asked."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

from lanas_sampler import LaNAS  # noqa: E402

problem, budget = get_problem(sys.argv[1]), int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
opt = LaNAS(problem.space, seed=seed)
best, best_x = np.inf, None
distances, improved = [], 0
for t in range(1, budget + 1):
    params = opt.ask()
    x = opt.space.encode(params)
    value = problem.objective(params, seed)
    opt.tell(params, value)
    if opt.last_ask_info is not None and opt.last_ask_info.phase == "model":
        distances.append(np.abs(x - best_x).max())
        improved += value < best
    if value < best:
        best, best_x = value, x
    if t % 250 == 0:
        d = np.array(distances[-240:])
        q10, q50, q90 = np.quantile(d, [0.1, 0.5, 0.9])
        print(
            f"{t} regret {best - problem.best_value:.3f} improving model asks {improved} "
            f"distance to best: q10 {q10:.4f} median {q50:.4f} q90 {q90:.4f} "
            f"below 0.01 {np.mean(d < 0.01):.2f}",
            flush=True,
        )
