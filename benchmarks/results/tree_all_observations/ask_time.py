"""Mean time per ask beyond 1,000 observations, over two rebuild periods of the tree (so that
the rebuilds' cost is in the mean): 20-d continuous, a shifted sphere, the history random
points, each timed ask told its value. ``PYTHONPATH=<code> python ask_time.py``; run
alternately with the library before ff439db and with it."""

from __future__ import annotations

import math
import time

import numpy as np

from lanas_sampler import Float, LaNAS

D = 20
for n0 in (1_500, 10_000):
    space = {f"x{i}": Float(0, 1) for i in range(D)}
    opt = LaNAS(space, seed=0)
    rng = np.random.default_rng(0)

    def value(x: np.ndarray) -> float:
        return float(((x - 0.3) ** 2).sum())

    for row in rng.random((n0, D)):
        opt.tell({f"x{i}": float(v) for i, v in enumerate(row)}, value(row))
    opt.tell(opt.ask(), 0.5)  # warm-up: the first tree
    asks = 2 * math.ceil(0.05 * n0)  # two rebuild periods (_REBUILD_GROWTH = 0.05)
    spent = 0.0
    for _ in range(asks):
        start = time.perf_counter()
        params = opt.ask()
        spent += time.perf_counter() - start
        opt.tell(params, value(np.array([params[f"x{i}"] for i in range(D)])))
    print(f"d={D}, {n0} observations: {spent / asks * 1000:.2f} ms per ask over {asks} asks")
