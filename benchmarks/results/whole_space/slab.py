"""What a LaNAS search that misses dt/wine's good slab asks (a probe): the core on
``sklearn_dt_wine``, 128 evaluations, one seed; per model ask, the depth of the region, the
largest ``max_features`` among the observations, and how many of the candidates (before and
after the model-reach filter) have ``max_features`` >= 12/13, the slab where the best trees
are (``landscape.py``).

    PYTHONPATH=<code> python slab.py SEED

Seed 11 with the code before whole-space asks (5f08502) is the search quoted in
``LaNAS._searches_whole_space``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

import lanas_sampler._local as local  # noqa: E402
from lanas_sampler import LaNAS  # noqa: E402

problem = get_problem("sklearn_dt_wine")
column = list(problem.space).index("max_features")
low, high = problem.space["max_features"].low, problem.space["max_features"].high
SLAB = (12 / 13 - low) / (high - low)  # in the unit cube's coordinate
seen: dict = {}
candidates, reach = local._candidates, local._within_model_reach


def recorded_candidates(ctx, region, gp, solver, train):
    C = candidates(ctx, region, gp, solver, train)
    seen.update(depth=region.depth, C=C, observed=low + (high - low) * ctx.X[:, column].max())
    return C


def recorded_reach(ctx, C, train):
    R = reach(ctx, C, train)
    seen["R"] = R
    return R


local._candidates, local._within_model_reach = recorded_candidates, recorded_reach
opt = LaNAS(problem.space, seed=int(sys.argv[1]))
for i in range(128):
    seen.clear()
    params = opt.ask()
    value = problem.true_value(params)
    opt.tell(params, value)
    if "C" in seen:
        in_slab = [int((seen[k][:, column] >= SLAB).sum()) if k in seen else -1 for k in "CR"]
        print(
            f"ask {i}: value {value:.3f}, max_features {params['max_features']:.2f}, depth "
            f"{seen['depth']}, largest observed max_features {seen['observed']:.2f}, "
            f"candidates in the slab {in_slab[0]} of {len(seen['C'])}, after reach "
            f"{in_slab[1]}, best {opt.best_value:.3f}"
        )
