"""Where a continuous LaNAS core ask spends its time: timers around a few functions of the
library, 50 asks after 1,001 random observations (1,001: the ask before the timed ones is not
a whole-space turn, ``../overhead_stop48/README.md``).

``PYTHONPATH=<code> python where_time_goes.py <repo root> D`` prints the mean milliseconds per
ask, and per ask of each function timed (calls nest: ``propose`` holds ``_candidates`` and
``predict``; ``_fit_theta`` holds ``_nll_and_grad``).
"""

from __future__ import annotations

import collections
import functools
import sys
import time
from typing import Any

import numpy as np

sys.path.insert(0, sys.argv[1] + "/benchmarks")
from core_overhead import continuous_space, loss, random_params  # noqa: E402

import lanas_sampler._gp as gp_module  # noqa: E402
import lanas_sampler._local as local_module  # noqa: E402
import lanas_sampler._optimizer as optimizer_module  # noqa: E402
import lanas_sampler._quadratic as quadratic_module  # noqa: E402
import lanas_sampler._region as region_module  # noqa: E402
from lanas_sampler import LaNAS  # noqa: E402

seconds: collections.Counter[str] = collections.Counter()
calls: collections.Counter[str] = collections.Counter()


def timed(owner: Any, name: str) -> None:
    """Replace ``owner.name`` by a wrapper that adds its time to ``seconds[name]``."""
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += time.perf_counter() - start
            calls[name] += 1

    setattr(owner, name, wrapper)


for method in ("_fit_theta", "_nll_and_grad", "_factorise", "predict"):
    timed(gp_module.GaussianProcess, method)
for method in ("contains", "sample"):
    timed(region_module.Region, method)
timed(optimizer_module.LaNAS, "_current_tree")
timed(quadratic_module, "quadratic_minimiser")
local_module.quadratic_minimiser = quadratic_module.quadratic_minimiser  # imported by name
timed(local_module, "propose")
optimizer_module.propose = local_module.propose
timed(local_module, "_candidates")

if __name__ == "__main__":
    d, asks = int(sys.argv[2]), 50
    space = continuous_space(d)
    optimizer = LaNAS(space, seed=0)
    for params in random_params(space, np.random.default_rng(0), 1001):
        optimizer.tell(params, loss(params))
    optimizer.tell(optimizer.ask(), 0.0)  # warm-up, as core_overhead.py
    seconds.clear()
    calls.clear()
    start = time.perf_counter()
    for _ in range(asks):
        params = optimizer.ask()
        optimizer.tell(params, loss(params))
    print(f"d={d}: {(time.perf_counter() - start) / asks * 1e3:.2f} ms per ask")
    for name, total in seconds.most_common():
        print(f"  {name:20s} {total / asks * 1e3:6.2f} ms per ask, {calls[name]} calls")
