"""A digest of the proposals of four LaNAS core searches, to check that two codes search
alike to the last bit: ``PYTHONPATH=<code> python identical.py <repo root> [case ...]``.

Cases: 5-d and 20-d continuous and 8-d mixed spaces (300, 250, 300 evaluations: the
whole-space turns, the quadratic steps and the tree rebuilt at every ask below 200
observations) and a 5-d continuous search of 1,100 (the shared hyperparameters' refits and
the tree's rebuild schedule beyond 200). Every 37th value is NaN (a failed trial).
"""

from __future__ import annotations

import hashlib
import json
import sys

import numpy as np

sys.path.insert(0, sys.argv[1] + "/benchmarks")
from core_overhead import continuous_space, mixed_space  # noqa: E402

from lanas_sampler import LaNAS  # noqa: E402


def objective(params: dict) -> float:
    """A bumpy bowl over every coordinate: floats as they are, log floats by decade,
    integers scaled to about [-1, 1], categoricals by their index."""
    value = 0.0
    for i, (name, x) in enumerate(sorted(params.items())):
        if isinstance(x, str):
            value += 0.3 * int(x[1:])
            continue
        x = float(x)
        if name in ("lr", "wd"):
            x = np.log10(x) + 3
        elif name.startswith("i") or name in ("width", "batch"):
            x = x / 50 - 1
        value += x * x * (1 + i % 3) + np.cos(3 * x)
    return float(value)


CASES = [
    ("c5", continuous_space(5), 300),
    ("m8", mixed_space(8), 300),
    ("c20", continuous_space(20), 250),
    ("c5long", continuous_space(5), 1100),
]

if __name__ == "__main__":
    wanted = sys.argv[2:]
    for name, space, evaluations in CASES:
        if wanted and name not in wanted:
            continue
        optimizer = LaNAS(space, seed=3)
        digest = hashlib.sha256()
        for trial in range(evaluations):
            params = optimizer.ask()
            optimizer.tell(params, float("nan") if trial % 37 == 5 else objective(params))
            digest.update(json.dumps(params, sort_keys=True).encode())
        print(name, digest.hexdigest()[:16], flush=True)
