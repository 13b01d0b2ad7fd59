"""How often the "bo" solver's surrogate fails to rank its training points, so that the ask
keeps to the trust box (a probe): ``python gate.py BUDGET PROBLEM ...``, from this folder,
through the core with its defaults (``runners.run_core_cell``), seed 0. The wrapper only
records the test's answers."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402
from runners import run_core_cell  # noqa: E402

import lanas_sampler._local as local  # noqa: E402

answers: list[bool] = []
test = local._ranks_its_training_points


def recording(gp):
    answers.append(test(gp))
    return answers[-1]


local._ranks_its_training_points = recording
budget = int(sys.argv[1])
for name in sys.argv[2:]:
    problem, answers[:] = get_problem(name), []
    cell = run_core_cell("lanas-core", problem, budget, seed=0)
    boxed = 1.0 - np.array(answers, dtype=float)
    first, second = boxed[: len(boxed) // 2], boxed[len(boxed) // 2 :]
    print(
        f"{name}: asks with a GP {len(boxed)}, kept to the box {boxed.mean():.2f} "
        f"(first half {first.mean():.2f}, second {second.mean():.2f}); "
        f"regret {cell.regret[-1]:.4g}",
        flush=True,
    )
