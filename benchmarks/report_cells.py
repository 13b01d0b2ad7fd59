"""Reading the cells of a suite run's ``results.json`` (``suite_report.write``) after the fact.

A committed family run keeps each cell's final regret at its budget, measured from the run's
own best known value of the problem. Scripts that put cells of different runs side by side
(``overall.py``, ``results/pairs_ab/compare.py``) compare them as true values, or as regrets
from the lower of the runs' best known values (``common_floor``): on problems without a known
best (scikit-learn tuning) each run's regret has its own floor.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "SCORE_CLIP",
    "best_known",
    "common_floor",
    "final_value",
    "lanas_cells",
    "lanas_name",
    "load_report",
    "normalised_score",
    "pooled_key",
    "pooled_name",
    "rows_of_bbob_instance",
    "value_at",
]

SCORE_CLIP = 100.0
# Suite reports pool a BBOB function's instances under one name, the seed becoming
# INSTANCE_STRIDE * instance + seed (``pooled_key``); the stride tells the instance back.
INSTANCE_STRIDE = 1000


def pooled_name(problem: str) -> tuple[str, int]:
    """A BBOB problem's function name and instance (``bbob_f8_d5_i3`` -> ``bbob_f8_d5``, 3);
    other problems as they are, instance 0. Suite reports pool a function's instances under
    its name (seed ``INSTANCE_STRIDE * instance + seed``); ``optuna_bench.py``'s reports do not."""
    if problem.startswith("bbob_") and "_i" in problem:
        head, inst = problem.rsplit("_i", 1)
        return head, int(inst)
    return problem, 0


def pooled_key(problem: str, seed: int) -> tuple[str, int]:
    """A cell's (problem, seed) as suite reports pool BBOB instances: the function's name and
    ``INSTANCE_STRIDE * instance + seed``; other problems as they are."""
    name, instance = pooled_name(problem)
    return (name, INSTANCE_STRIDE * instance + seed) if name != problem else (problem, seed)


def rows_of_bbob_instance(
    table: dict[tuple[str, int], Any], instance: int
) -> dict[tuple[str, int], Any]:
    """The rows of a table keyed by ``pooled_key`` that come from one BBOB instance."""
    return {key: row for key, row in table.items() if key[1] // INSTANCE_STRIDE == instance}


def normalised_score(regret: float, random_regret: float | None) -> float | None:
    """100 * (1 - regret / random search's regret), clipped to ±SCORE_CLIP; None where random
    search's regret is missing or zero or ``regret`` is not finite."""
    if not random_regret or random_regret <= 0 or not math.isfinite(regret):
        return None
    return float(np.clip(100.0 * (1.0 - regret / random_regret), -SCORE_CLIP, SCORE_CLIP))


def load_report(path: Path | str) -> dict[str, Any]:
    """A results.json, or several joined by ``+`` (one run split over folders, or runs of
    different samplers): their cells pooled, no family tables (those are per run), the first
    part's ``meta``. Each part measured regrets from its own best known values; pooled, they
    are measured from the lowest (a problem without a known best, scikit-learn tuning, has one
    per run)."""
    parts = [json.loads(Path(p).read_text()) for p in str(path).split("+")]
    if len(parts) == 1:
        return parts[0]  # type: ignore[no-any-return]
    problems: dict[str, dict[str, Any]] = {}
    for part in parts:
        for name, info in part.get("problems", {}).items():
            if name not in problems or _best_value(info) < _best_value(problems[name]):
                problems[name] = info
    pooled = {"meta": parts[0].get("meta", {}), "problems": problems, "cells": []}
    for part in parts:
        for cell in part["cells"]:
            shift = best_known(part, cell["problem"]) - best_known(pooled, cell["problem"])
            pooled["cells"].append(
                cell
                | {"final_regret": _number(cell["final_regret"]) + shift}
                | {
                    "regret_at": {
                        b: _number(r) + shift for b, r in cell.get("regret_at", {}).items()
                    }
                }
            )
    return pooled


def lanas_name(report: dict[str, Any]) -> str:
    """The LaNAS sampler of a report: ``lanas``, or the one variant (``lanas:labeler=kmeans``)
    of a run that measured only that variant against the default's committed cells."""
    names = {c["sampler"] for c in report["cells"] if c["sampler"].startswith("lanas")}
    if "lanas" in names or len(names) != 1:
        return "lanas"
    return str(names.pop())


def lanas_cells(report: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """The report's LaNAS cells by (problem, seed)."""
    name = lanas_name(report)
    return {(c["problem"], c["seed"]): c for c in report["cells"] if c["sampler"] == name}


def best_known(report: dict[str, Any], problem: str) -> float:
    """The best value the report measured ``problem``'s regret from (0 where the report does
    not list it: pooled BBOB names, whose best is known, so regrets need no shift)."""
    return _best_value(report.get("problems", {}).get(problem))


def _best_value(info: dict[str, Any] | None) -> float:
    best = None if info is None else info["best_value"]
    return float(best) if best is not None else 0.0


def final_value(report: dict[str, Any], cell: dict[str, Any]) -> float:
    """The cell's final true value. Regret is measured from each run's own best known value
    where the problem has none (scikit-learn: the best of the reference file and of the run's
    cells), so regrets of different runs are only comparable as values."""
    return _number(cell["final_regret"]) + best_known(report, cell["problem"])


def value_at(report: dict[str, Any], cell: dict[str, Any], budget: int) -> float | None:
    """The cell's true value after ``budget`` trials: its final value at its own budget, its
    ``regret_at`` entry at a smaller one (runs of samplers that do not know the budget,
    ``suite_report.cell_summary``); None if the report does not keep it."""
    if cell["budget"] == budget:
        return final_value(report, cell)
    kept = cell.get("regret_at", {})
    if str(budget) not in kept:
        return None
    return _number(kept[str(budget)]) + best_known(report, cell["problem"])


def _number(regret: float | None) -> float:
    """A regret as results.json stores it: NaN and infinities as null (``runners._clean``),
    read back as NaN, which ranks last."""
    return math.nan if regret is None else float(regret)


def common_floor(*reports: dict[str, Any]) -> dict[str, float]:
    """Per problem, the lowest best value any of ``reports`` measured regret from."""
    floor: dict[str, float] = {}
    for report in reports:
        for problem in report.get("problems", {}):
            best = best_known(report, problem)
            floor[problem] = min(floor.get(problem, best), best)
    return floor
