"""Which candidate source each model ask's point came from, and how many improved the best
(a probe): ``python sources.py PROBLEM BUDGET [SEED]``. The wrappers only record what the
sources return, so the search is the plain default's."""

import collections
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402

import lanas_sampler._local as local  # noqa: E402
from lanas_sampler import LaNAS  # noqa: E402
from lanas_sampler._region import Region  # noqa: E402

returned: dict[str, list[np.ndarray]] = {}


def recording(name, fn):
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if out is not None:
            returned.setdefault(name, []).append(np.atleast_2d(out))
        return out

    return wrapper


local._perturb = recording("perturbed", local._perturb)
local._elite_gaussian = recording("elite", local._elite_gaussian)
local._model_step = recording("quadratic", local._model_step)
Region.sample = recording("uniform", Region.sample)

problem, budget = get_problem(sys.argv[1]), int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
opt = LaNAS(problem.space, seed=seed)
chosen, improved = collections.Counter(), collections.Counter()
best = np.inf
for t in range(1, budget + 1):
    returned.clear()
    params = opt.ask()
    value = problem.objective(params, seed)
    opt.tell(params, value)
    if opt.last_ask_info is not None and opt.last_ask_info.phase == "model":
        x = opt.space.encode(params)
        source = next(
            (n for n, arrays in returned.items() for a in arrays if (a == x).all(axis=1).any()),
            "?",
        )
        chosen[source] += 1
        improved[source] += value < best
    best = min(best, value)
    if t % 250 == 0:
        print(t, "best", f"{best:.4g}", "chosen", dict(chosen), "improved", dict(improved))
