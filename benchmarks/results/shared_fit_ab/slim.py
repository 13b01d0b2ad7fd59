"""Shrink an ``optuna_bench.py`` results.json (every cell's whole trace, 7 MB for 96 cells) to
the cells a suite report keeps (``suite_report.cell_summary``: final regrets and mean sampler
time per trial), which ``pairs_ab/rows.py`` reads.

Usage: ``python slim.py IN_RESULTS_JSON OUT_JSON``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/

from problems import get_problem  # noqa: E402
from runners import CellResult, with_derived  # noqa: E402
from suite_report import cell_summary  # noqa: E402


def slim(report: dict) -> dict:
    cells = [CellResult.from_json(c) for c in report["cells"]]
    summaries = [cell_summary(with_derived(c, get_problem(c.problem))) for c in cells]
    return {"meta": report["meta"], "problems": report["problems"], "cells": summaries}


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(json.dumps(slim(json.loads(source.read_text())), indent=1))
