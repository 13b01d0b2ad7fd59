"""Issue 2's first evidence: the core on shifted Ackley, Rosenbrock and Levy in 20 dimensions.

The ask/tell core (``LaNAS(space, seed=seed)``, default options) against Optuna's
``RandomSampler``, ``CmaEsSampler`` and ``TPESampler`` (defaults, ``seed=seed``): 300
evaluations, seeds 0-9, best value so far (the optimum is 0, so this is the regret) as mean ±
standard error at 50, 100, 200 and 300 evaluations. The optimum of each function is shifted by a
seeded offset into the middle half of its box (``problems.py``), so a centre-biased sampler gets
no free win. A thin preset over ``optuna_bench.py`` (same cache, same report)::

    nice -n 19 python benchmarks/core_synthetic.py [--seeds 10] [--no-cache]

Writes ``benchmarks/results/core_synthetic/{report.md,results.json,regret_*.png}``.
"""

from __future__ import annotations

import sys

from optuna_bench import HERE, main

PRESET = [
    "--problems", "ackley20", "rosenbrock20", "levy20",
    "--budget", "300",
    "--seeds", "10",
    "--samplers", "lanas-core", "random", "cmaes", "tpe",
    "--checkpoints", "50", "100", "200", "300",
    "--out", str(HERE / "results" / "core_synthetic"),
    "--title", "Core LaNAS on shifted 20-d Ackley, Rosenbrock, Levy (issue 2)",
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main(PRESET + sys.argv[1:]))
