"""Whether a cell searches the same in the main process (libraries' default threads) and in a
worker of ``suite.worker_pool(2)`` (one thread each on two cores): LaNAS, TPE and CMA-ES, 300
trials on BBOB d = 5, every incumbent compared.

    OPENBLAS_CORETYPE=Haswell PYTHONPATH=<code> python same_cells.py
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = str(Path(__file__).resolve().parents[2])
sys.path.insert(0, BENCHMARKS)
from problems import get_problem  # noqa: E402
from runners import run_cell  # noqa: E402
from suite import worker_pool  # noqa: E402


def incumbents(sampler: str, problem: str) -> list[float]:
    sys.path.insert(0, BENCHMARKS)
    return [float(v) for v in run_cell(sampler, get_problem(problem), 300, 0).incumbent_true]


if __name__ == "__main__":
    for sampler, problem in [
        ("lanas", "bbob_f8_d5_i1"),
        ("tpe", "bbob_f8_d5_i1"),
        ("cmaes", "bbob_f10_d5_i1"),
    ]:
        plain = incumbents(sampler, problem)
        with worker_pool(2) as pool:
            limited = pool.submit(incumbents, sampler, problem).result()
        print(sampler, problem, "same:", plain == limited, plain[-1], limited[-1])
