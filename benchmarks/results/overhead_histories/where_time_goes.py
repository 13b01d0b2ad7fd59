"""Where a continuous LaNAS core ask spends its time: timers around a few functions of the
library, 50 asks after 1,001 random observations (1,001: the ask before the timed ones is not
a whole-space turn, ``../overhead_stop48/README.md``), timed as ``core_overhead.py`` times the
core (``_core_times``).

``PYTHONPATH=<code> python where_time_goes.py <repo root> D`` prints the mean milliseconds per
ask, and per ask of each function timed (calls nest: ``propose`` holds ``_candidates`` and
``predict``; ``_fit_theta`` holds ``_nll_and_grad``).
"""

from __future__ import annotations

import collections
import functools
import statistics
import sys
import time
from typing import Any

import numpy as np

sys.path.insert(0, sys.argv[1] + "/benchmarks")
from core_overhead import _core_times, continuous_space, random_params  # noqa: E402

import lanas_sampler._gp as gp_module  # noqa: E402
import lanas_sampler._local as local_module  # noqa: E402
import lanas_sampler._optimizer as optimizer_module  # noqa: E402
import lanas_sampler._quadratic as quadratic_module  # noqa: E402
import lanas_sampler._region as region_module  # noqa: E402

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


def install_timers() -> None:
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


def reset() -> None:
    seconds.clear()
    calls.clear()


if __name__ == "__main__":
    d, asks = int(sys.argv[2]), 50
    install_timers()
    space = continuous_space(d)
    history = random_params(space, np.random.default_rng(0), 1001)
    per_ask = statistics.fmean(_core_times("lanas-core", space, history, asks, reset))
    print(f"d={d}: {per_ask * 1e3:.2f} ms per ask")
    for name, total in seconds.most_common():
        print(f"  {name:20s} {total / asks * 1e3:6.2f} ms per ask, {calls[name]} calls")
