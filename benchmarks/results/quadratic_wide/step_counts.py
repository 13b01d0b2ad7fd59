"""How often the quadratic step is fitted and taken in one core search (the library on
``PYTHONPATH``): ``python step_counts.py PROBLEM EVALUATIONS`` prints the counts and the final
regret. ``asked``: step asks (observations a multiple of three) with at least the points a
20-d quadratic needs (347) or fewer; ``fits``: fits that gave a minimiser, ``inside``: of
them, minimisers inside the unit cube (the others are clipped to it); ``taken``: steps
proposed."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/

from problems import get_problem  # noqa: E402
from runners import run_core_cell  # noqa: E402

import lanas_sampler._local as local  # noqa: E402

counts: Counter[str] = Counter()
model_step, minimiser = local._model_step, local.quadratic_minimiser


def counted_step(ctx, train):  # type: ignore[no-untyped-def]
    point = model_step(ctx, train)
    enough = "enough" if len(ctx.X) >= 347 else "fewer"
    counts[f"asked ({enough})"] += 1
    counts[f"taken ({enough})"] += point is not None
    return point


def counted_minimiser(X, y):  # type: ignore[no-untyped-def]
    x = minimiser(X, y)
    if x is not None:
        counts["fits"] += 1
        counts["inside"] += bool(((x >= 0.0) & (x <= 1.0)).all())
    return x


local._model_step, local.quadratic_minimiser = counted_step, counted_minimiser
problem = get_problem(sys.argv[1])
cell = run_core_cell("lanas-core", problem, int(sys.argv[2]), 0)
print(sys.argv[1], dict(counts), "regret", cell.incumbent_true[-1] - problem.best_value)
