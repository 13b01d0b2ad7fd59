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
from runners import run_core_cell  # noqa: E402

import lanas_sampler._local as local  # noqa: E402

problem = get_problem("sklearn_dt_wine")
column = list(problem.space).index("max_features")
low, high = problem.space["max_features"].low, problem.space["max_features"].high
SLAB = (12 / 13 - low) / (high - low)  # in the unit cube's coordinate
asks: dict[int, dict] = {}  # model asks by the number of observations they were made at
candidates, reach = local._candidates, local._within_model_reach


def in_slab(C):
    return int((C[:, column] >= SLAB).sum())


def recorded_candidates(ctx, region, gp, solver, train):
    C = candidates(ctx, region, gp, solver, train)
    observed = low + (high - low) * ctx.X[:, column].max()
    asks[len(ctx.X)] = dict(depth=region.depth, n=len(C), slab=in_slab(C), observed=observed)
    return C


def recorded_reach(ctx, C, train):
    R = reach(ctx, C, train)
    asks[len(ctx.X)]["reach"] = in_slab(R)
    return R


local._candidates, local._within_model_reach = recorded_candidates, recorded_reach
cell = run_core_cell("lanas-core", problem, 128, int(sys.argv[1]))
for i, (params, value) in enumerate(zip(cell.params, cell.values, strict=True)):
    if i in asks:
        ask = asks[i]
        print(
            f"ask {i}: value {value:.3f}, max_features {params['max_features']:.2f}, depth "
            f"{ask['depth']}, largest observed max_features {ask['observed']:.2f}, "
            f"candidates in the slab {ask['slab']} of {ask['n']}, after reach "
            f"{ask.get('reach', -1)}, best {cell.incumbent_true[i]:.3f}"
        )
