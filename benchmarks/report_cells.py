"""Reading the cells of a suite run's ``results.json`` (``suite_report.write``) after the fact.

A committed family run keeps each cell's final regret at its budget, measured from the run's
own best known value of the problem. Scripts that put cells of different runs side by side
(``overall.py``, ``results/pairs_ab/compare.py``) compare them as true values, or as regrets
from the lower of the runs' best known values (``common_floor``): on problems without a known
best (scikit-learn tuning) each run's regret has its own floor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = [
    "best_known",
    "common_floor",
    "final_value",
    "lanas_cells",
    "lanas_name",
    "load_report",
    "value_at",
]


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
            kept = problems.setdefault(name, dict(info))
            if best_known(part, name) < best_known({"problems": problems}, name):
                kept["best_value"] = info["best_value"]
    pooled = {"meta": parts[0].get("meta", {}), "problems": problems, "cells": []}
    for part in parts:
        for cell in part["cells"]:
            shift = best_known(part, cell["problem"]) - best_known(pooled, cell["problem"])
            pooled["cells"].append(
                cell
                | {"final_regret": cell["final_regret"] + shift}
                | {"regret_at": {b: r + shift for b, r in cell.get("regret_at", {}).items()}}
            )
    return pooled


def lanas_name(report: dict[str, Any]) -> str:
    """The LaNAS sampler of a report: ``lanas``, or the one variant (``lanas:labeler=kmeans``)
    of a run that measured only that variant against the default's committed cells."""
    names = {c["sampler"] for c in report["cells"] if c["sampler"].startswith("lanas")}
    if "lanas" in names or len(names) != 1:
        return "lanas"
    return names.pop()


def lanas_cells(report: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """The report's LaNAS cells by (problem, seed)."""
    name = lanas_name(report)
    return {(c["problem"], c["seed"]): c for c in report["cells"] if c["sampler"] == name}


def best_known(report: dict[str, Any], problem: str) -> float:
    """The best value the report measured ``problem``'s regret from (0 where the report does
    not list it: pooled BBOB names, whose best is known, so regrets need no shift)."""
    info = report.get("problems", {}).get(problem)
    best = info["best_value"] if info is not None else None
    return float(best) if best is not None else 0.0


def final_value(report: dict[str, Any], cell: dict[str, Any]) -> float:
    """The cell's final true value. Regret is measured from each run's own best known value
    where the problem has none (scikit-learn: the best of the reference file and of the run's
    cells), so regrets of different runs are only comparable as values."""
    return float(cell["final_regret"]) + best_known(report, cell["problem"])


def value_at(report: dict[str, Any], cell: dict[str, Any], budget: int) -> float | None:
    """The cell's true value after ``budget`` trials: its final value at its own budget, its
    ``regret_at`` entry at a smaller one (runs of samplers that do not know the budget,
    ``suite_report.cell_summary``); None if the report does not keep it."""
    if cell["budget"] == budget:
        return final_value(report, cell)
    regret = cell.get("regret_at", {}).get(str(budget))
    return None if regret is None else float(regret) + best_known(report, cell["problem"])


def common_floor(*reports: dict[str, Any]) -> dict[str, float]:
    """Per problem, the lowest best value any of ``reports`` measured regret from."""
    floor: dict[str, float] = {}
    for report in reports:
        for problem in report.get("problems", {}):
            best = best_known(report, problem)
            floor[problem] = min(floor.get(problem, best), best)
    return floor
