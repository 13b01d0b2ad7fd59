"""Time per ask of the LaNAS core in a stalled search, against TPE in the same process.

    PYTHONPATH=<code> python stalled_overhead.py <repo root> [rounds]

As ``core_overhead.py`` (random observations of its continuous and mixed spaces, one period of
the tree's rebuild schedule timed, TPE's mean over 20 trials on the same history), but the
history is told best first, and the warm-up and timed asks are told the worst value of the
history (``core_overhead`` tells the warm-up ask 0.0, a new best, and the timed asks their
loss, which often improves on random points): every timed ask sees the best observation at
least 100 observations old, the state in which the stall turns act. Prints,
per case, LaNAS ms, TPE ms, their ratio (medians over the rounds) and the timed asks that were
whole-space turns.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

sys.path.insert(0, sys.argv[1] + "/benchmarks")
from core_overhead import (  # noqa: E402
    continuous_space,
    loss,
    mixed_space,
    random_params,
    time_tpe,
    timed_asks,
)

from lanas_sampler import LaNAS  # noqa: E402

rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
for kind, make in (("continuous", continuous_space), ("mixed", mixed_space)):
    for d in (5, 20):
        space = make(d)
        for n in (1000, 10000):
            history = random_params(space, np.random.default_rng(0), n)
            history.sort(key=loss)  # best first: the search has stalled from the start
            asks = timed_asks("lanas-core", n, 20)
            lanas_ms, tpe_ms, ratios = [], [], []
            for _ in range(rounds):
                opt = LaNAS(space, seed=0)
                for params in history:
                    opt.tell(params, loss(params))
                worst = loss(history[-1])
                opt.tell(opt.ask(), worst)  # warm-up: first tree build
                times, turns = [], 0
                for _ in range(asks):
                    start = time.perf_counter()
                    params = opt.ask()
                    opt.tell(params, worst)
                    times.append(time.perf_counter() - start)
                    turns += bool(opt.last_ask_info.whole_space)
                lanas_ms.append(1e3 * statistics.fmean(times))
                tpe_ms.append(1e3 * time_tpe(space, history, 20))
                ratios.append(lanas_ms[-1] / tpe_ms[-1])
            print(
                f"{kind} d={d} n={n}: LaNAS {statistics.median(lanas_ms):.1f} ms, TPE "
                f"{statistics.median(tpe_ms):.1f} ms, ratio {statistics.median(ratios):.2f} "
                f"({min(ratios):.2f}-{max(ratios):.2f}); turns {turns} of {asks} asks",
                flush=True,
            )
