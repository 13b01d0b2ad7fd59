"""Shrink an ``optuna_bench.py`` results.json (every cell's whole trace, 7 MB for 96 cells) to
the report-cell format ``pairs_ab/rows.py`` reads: per cell its final regret (last incumbent's
true value minus the problem's best) and mean sampler time per trial.

Usage: ``python slim.py IN_RESULTS_JSON OUT_JSON``.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def slim(report: dict) -> dict:
    best = {name: info["best_value"] for name, info in report["problems"].items()}
    cells = [
        {
            "sampler": c["sampler"],
            "problem": c["problem"],
            "seed": c["seed"],
            "budget": c["budget"],
            "final_regret": c["incumbent_true"][-1] - best[c["problem"]],
            "sampler_ms_per_trial": 1e3 * statistics.fmean(c["sampler_time"]),
        }
        for c in report["cells"]
    ]
    return {"meta": report["meta"], "problems": report["problems"], "cells": cells}


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(json.dumps(slim(json.loads(source.read_text())), indent=1))
