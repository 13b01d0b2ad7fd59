"""The 20-d Katsuura search of ``tests/test_optimizer.py`` (300 evaluations) over more seeds:
one JSON row per seed, LaNAS's best and random search's (the test's own draws).

    PYTHONPATH=<code> python katsuura.py FIRST_SEED END_SEED > rows.jsonl"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
from test_optimizer import run, shifted_katsuura  # noqa: E402

from lanas_sampler import Float, LaNAS  # noqa: E402

D, BUDGET = 20, 300
SPACE = {f"x{i}": Float(-5, 5) for i in range(D)}


def katsuura(params):
    return shifted_katsuura(np.array([params[f"x{i}"] for i in range(D)]))


for seed in range(int(sys.argv[1]), int(sys.argv[2])):
    opt = LaNAS(SPACE, seed=seed)
    run(opt, katsuura, BUDGET)
    rows = np.random.default_rng(seed).uniform(-5, 5, (BUDGET, D))
    best_random = min(shifted_katsuura(row) for row in rows)
    print(json.dumps({"seed": seed, "lanas": opt.best_value, "random": best_random}), flush=True)
