"""Spearman's correlation between the local GP's leave-one-out means and its training targets,
at every "bo" ask of a search (a probe): ``python loo_rank.py BUDGET PROBLEM ...``, from this
folder, through the core with its defaults (``runners.run_core_cell``), seed 0. The
leave-one-out means are computed here from the fit's factor (Rasmussen & Williams 2006,
Eq. 5.12), so the probe runs on the code before the trust box too, whose searches it
measured (``PYTHONPATH`` a copy of 407a5c9)."""

import sys
from pathlib import Path

import numpy as np
import scipy.linalg
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import get_problem  # noqa: E402
from runners import run_core_cell  # noqa: E402

import lanas_sampler._local as local  # noqa: E402

correlations: list[float] = []
fit = local._fit_gp


def recording(*args, **kwargs):
    gp = fit(*args, **kwargs)
    if gp is not None:
        n = len(gp._L)
        L_inv = scipy.linalg.solve_triangular(gp._L, np.eye(n), lower=True)
        loo = gp._ys - gp._alpha / (L_inv * L_inv).sum(axis=0)
        correlations.append(spearmanr(loo, gp._ys).statistic)
    return gp


local._fit_gp = recording
budget = int(sys.argv[1])
for name in sys.argv[2:]:
    problem, correlations[:] = get_problem(name), []
    cell = run_core_cell("lanas-core", problem, budget, seed=0)
    r = np.array(correlations)
    print(
        f"{name}: median over asks 50-150 {np.median(r[40:140]):.2f}, over the last 100 "
        f"{np.median(r[-100:]):.2f} (10 % quantile {np.quantile(r[-100:], 0.1):.2f})",
        flush=True,
    )
