"""Mean time per ask beyond 1,000 observations, over two rebuild periods of the tree (so that
the rebuilds' cost is in the mean): 20-d continuous, a shifted sphere, the history random
points (``rebuild_time.told_optimizer``), each timed ask told its value.
``PYTHONPATH=<code> python ask_time.py``; run alternately with the library before ff439db and
with it."""

from __future__ import annotations

import math
import time

import numpy as np
from rebuild_time import sphere, told_optimizer

D = 20
for n0 in (1_500, 10_000):
    opt = told_optimizer(D, n0)
    opt.tell(opt.ask(), 0.5)  # warm-up: the first tree
    asks = 2 * math.ceil(0.05 * n0)  # two rebuild periods (_REBUILD_GROWTH = 0.05)
    spent = 0.0
    for _ in range(asks):
        start = time.perf_counter()
        params = opt.ask()
        spent += time.perf_counter() - start
        opt.tell(params, sphere(np.array([params[f"x{i}"] for i in range(D)])))
    print(f"d={D}, {n0} observations: {spent / asks * 1000:.2f} ms per ask over {asks} asks")
