"""One suite cell with the whole-space turns at every size (a probe, not kept; README.md).

    PYTHONPATH=<code> python whole_space_probe.py PROBLEM SAMPLER SEED BUDGET

``LaNAS._offers_whole_space`` takes a whole-space turn below ``_WHOLE_SPACE_BELOW`` (200)
observations only; here at every size. Prints the cell's regret at a fifth of the budget and
at its end (``runners.run_cell``, as the suite runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/

from problems import get_problem  # noqa: E402
from runners import run_cell  # noqa: E402

import lanas_sampler._optimizer as optimizer_module  # noqa: E402

optimizer_module._WHOLE_SPACE_BELOW = 10**9
name, sampler, seed, budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cell = run_cell(sampler, get_problem(name), budget, seed)
print(name, sampler, seed, f"regret @{budget // 5} {cell.regret[budget // 5 - 1]:.4g}",
      f"@{budget} {cell.regret[-1]:.4g}")  # fmt: skip
