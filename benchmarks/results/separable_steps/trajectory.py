"""The suite's cell of one sampler on one problem, and its best regret at some evaluations:
``PYTHONPATH=<code> python trajectory.py SAMPLER PROBLEM BUDGET SEED MARKS``, MARKS as
``100,200,300``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402
from runners import run_cell  # noqa: E402

sampler, name, budget, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
regret = run_cell(sampler, get_problem(name), budget, seed).curve("incumbent")
marks = " ".join(f"{m}:{regret[int(m) - 1]:.4g}" for m in sys.argv[5].split(","))
print(name, seed, sampler, marks, flush=True)
