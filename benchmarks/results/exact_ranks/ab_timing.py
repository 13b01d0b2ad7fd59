"""Time per core ask of two codes, alternating in fresh processes (the A/B text files here).

    python ab_timing.py OLD_CODE NEW_CODE ROUNDS OBSERVATIONS CASE ...

CASE is ``c`` (continuous), ``m`` (mixed) or ``g`` (grid) and a dimension, e.g. ``c5 m20 g6``:
the spaces of ``benchmarks/core_overhead.py``. In each round each code, in a process of its own
with its copy first on ``PYTHONPATH``, tells OBSERVATIONS random observations, then times one period
of the tree's rebuild schedule of ask + tell pairs three times from copies of the same
optimizer; it prints the best of the three in ms per ask, one line per code (A old, B new).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2]


def measure(observations: int, cases: list[str]) -> str:
    import numpy as np

    sys.path.insert(0, str(BENCHMARKS))
    from core_overhead import SPACES, loss, random_params, timed_asks

    from lanas_sampler import LaNAS

    out = []
    for case in cases:
        kind = {"c": "continuous", "m": "mixed", "g": "grid"}[case[0]]
        space = SPACES[kind](int(case[1:]))
        optimizer = LaNAS(space, seed=0)
        for params in random_params(space, np.random.default_rng(0), observations):
            optimizer.tell(params, loss(params))
        optimizer.tell(optimizer.ask(), 0.0)  # warm-up: the first tree
        asks = timed_asks("lanas-core", observations, 20)
        best = float("inf")
        for _ in range(3):
            timed = copy.deepcopy(optimizer)
            start = time.perf_counter()
            for _ in range(asks):
                params = timed.ask()
                timed.tell(params, loss(params))
            best = min(best, (time.perf_counter() - start) / asks * 1e3)
        out.append(f"{case}:{best:.2f}")
    return " ".join(out)


def main() -> None:
    if sys.argv[1] == "--measure":
        print(measure(int(sys.argv[2]), sys.argv[3:]), flush=True)
        return
    old, new, rounds, observations, *cases = sys.argv[1:]
    for _ in range(int(rounds)):
        for label, code in (("A", old), ("B", new)):
            env = {**os.environ, "PYTHONPATH": code}
            line = subprocess.run(
                [sys.executable, __file__, "--measure", observations, *cases],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            print(label, line, flush=True)


if __name__ == "__main__":
    main()
