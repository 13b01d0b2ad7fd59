"""How many new observations enter the shared fit's training set (the 128 nearest the best)
in real searches: ``python turnover.py PROBLEM ...`` (names of ``problems.get_problem``), the
LaNAS core, seed 0, 500 evaluations; the share of the observations 201-350 and 351-500 that are
among the 128 nearest the best right after they are told."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

from lanas_sampler import LaNAS  # noqa: E402
from lanas_sampler._local import _MAX_GP_POINTS, _nearest  # noqa: E402

for name in sys.argv[1:]:
    problem = get_problem(name)
    opt = LaNAS(problem.space, seed=0)
    entered = []
    for _ in range(500):
        params = opt.ask()
        opt.tell(params, problem.objective(params, 0))
        n = opt.n_observations
        if n > 200:
            X, z = opt._obs.X, opt._obs.scores()
            rows = _nearest(X, np.arange(n), X[int(np.argmin(z))], _MAX_GP_POINTS)
            entered.append(n - 1 in set(rows.tolist()))
    share = np.array(entered)
    print(f"{name}: 201-350 {share[:150].mean():.2f}, 351-500 {share[150:].mean():.2f}")
