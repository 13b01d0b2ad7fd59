"""Time of one tree rebuild at 10,000 observations, 5-d and 20-d continuous (random points,
a shifted sphere), best of three: ``PYTHONPATH=<code> python rebuild_time.py``. Run with the
library before ff439db and with it: the rebuild that now also routes the observations its
boundaries did not train on. ``told_optimizer`` is the history ``ask_time.py`` starts from too."""

from __future__ import annotations

import time

import numpy as np

from lanas_sampler import Float, LaNAS


def sphere(x: np.ndarray) -> float:
    return float(((x - 0.3) ** 2).sum())


def told_optimizer(d: int, n: int) -> LaNAS:
    """A ``d``-float optimizer (seed 0) told ``n`` random points of the shifted sphere."""
    opt = LaNAS({f"x{i}": Float(0, 1) for i in range(d)}, seed=0)
    for row in np.random.default_rng(0).random((n, d)):
        opt.tell({f"x{i}": float(v) for i, v in enumerate(row)}, sphere(row))
    return opt


def main() -> None:
    for d in (5, 20):
        opt = told_optimizer(d, 10_000)
        times = []
        for _ in range(3):
            opt._tree = None  # force the rebuild
            start = time.perf_counter()
            tree = opt._current_tree()
            times.append(time.perf_counter() - start)
        print(f"d={d}: rebuild {min(times) * 1000:.0f} ms, the root holds {len(tree.indices)}")


if __name__ == "__main__":
    main()
