"""GPSampler cells of BBOB f8 d = 5 (80 trials) in worker processes, each worker's threads
limited (``runners.limit_threads(1)``) or left at the libraries' defaults.

    python gp_cells.py limited|default JOBS

runs JOBS cells at once (seeds 0 .. JOBS-1), one per spawned worker, and prints the wall time,
and per cell its seconds, PyTorch's thread count and its best true value (the same search
either way)."""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

BENCHMARKS = str(Path(__file__).resolve().parents[2])
sys.path.insert(0, BENCHMARKS)
from runners import limit_threads  # noqa: E402


def cell(seed: int) -> tuple[float, int, float]:
    sys.path.insert(0, BENCHMARKS)
    import torch
    from problems import get_problem
    from runners import run_cell

    start = time.perf_counter()
    result = run_cell("gp", get_problem("bbob_f8_d5_i1"), 80, seed)
    return time.perf_counter() - start, torch.get_num_threads(), float(min(result.incumbent_true))


if __name__ == "__main__":
    mode, jobs = sys.argv[1], int(sys.argv[2])
    limit = {"initializer": limit_threads, "initargs": (1,)} if mode == "limited" else {}
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), **limit) as pool:
        cells = list(pool.map(cell, range(jobs)))
    wall = round(time.perf_counter() - start, 1)
    print(json.dumps({"mode": mode, "jobs": jobs, "wall": wall, "cells": cells}))
