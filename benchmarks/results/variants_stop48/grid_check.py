"""The default ("bo") search on a 36,000-cell integer grid, 200 asks: a digest of its proposals.

    PYTHONPATH=<code> python grid_check.py

Stop 48: 79c346c6ef0512c6 with 1ae2466 and with d9c9483 (Haswell kernels forced), so the mended
fallback does not change the default there; it draws differently only where every candidate of
the whole space has been evaluated (grids of tens of cells)."""

import hashlib

import numpy as np

from lanas_sampler import Int, LaNAS

space = {f"x{i}": Int(0, top) for i, top in enumerate([9, 9, 9, 5, 5])}  # 36,000 cells
weights = np.random.default_rng(0).random(5)
optimizer = LaNAS(space, seed=0)
digest = hashlib.sha256()
for _ in range(200):
    params = optimizer.ask()
    digest.update(repr(sorted(params.items())).encode())
    loss = sum(weights[i] * (params[f"x{i}"] - 3) ** 2 for i in range(5))
    optimizer.tell(params, float(loss))
print(digest.hexdigest()[:16])
