"""Milliseconds per LaNAS core ask on a NAS-Bench-201-like grid (six categorical coordinates of
five choices each, no continuous one), after N observations of a random additive objective
with noise: ``PYTHONPATH=<code> python grid_time.py N ASKS`` prints the mean over ASKS asks
(each told at once). ``grid_time.txt`` has the runs of stop 59, alternating two codes.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from lanas_sampler import Categorical, LaNAS

OPS = ["none", "skip", "conv1", "conv3", "pool"]

if __name__ == "__main__":
    n_observations, asks = int(sys.argv[1]), int(sys.argv[2])
    space = {f"e{i}": Categorical(OPS) for i in range(6)}
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(6, len(OPS)))

    def objective(params: dict) -> float:
        value = sum(weights[i, OPS.index(params[f"e{i}"])] for i in range(6))
        return float(value + 0.3 * rng.normal())

    optimizer = LaNAS(space, seed=1)
    for _ in range(n_observations):
        params = optimizer.ask()
        optimizer.tell(params, objective(params))
    start = time.perf_counter()
    for _ in range(asks):
        params = optimizer.ask()
        optimizer.tell(params, objective(params))
    print(f"{(time.perf_counter() - start) / asks * 1e3:.2f}")
