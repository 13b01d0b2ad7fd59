"""Mean time per ask of the LaNAS core and per trial of TPE, measured in one process with
``core_overhead``'s timers: ``python time_asks.py (cont|mixed) D N ASKS [notpe]``, after N
random observations (``core_overhead.random_params``); the LaNAS library is the one on
``PYTHONPATH``."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
import core_overhead as co  # noqa: E402

kind, d, n, asks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
space = co.continuous_space(d) if kind == "cont" else co.mixed_space(d)
history = co.random_params(space, np.random.default_rng(0), n)
lanas = co.time_lanas(space, history, asks)
tpe = co.time_tpe(space, history, asks) if len(sys.argv) < 6 else float("nan")
print(f"{kind}{d} N={n} lanas {1e3 * lanas:.1f} ms tpe {1e3 * tpe:.1f} ms ratio {lanas / tpe:.2f}")
