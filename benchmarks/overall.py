"""Mean rank per family and overall, from family runs made apart.

The ``full`` suite whole is about 81 hours of compute on the 2-core development machine, so its
families are run apart, and a change of the library reruns only LaNAS's cells (the other
samplers' code did not change). This script ranks those LaNAS cells among the other samplers'
cells of a committed run of the same problems, seeds and budgets, as ``suite_report`` ranks a
run of its own: per (problem, seed) among ``--samplers`` (default: the ``full`` suite's but GP;
ties share the mean rank), then the mean over seeds, family = mean over its problems, overall =
mean over families. It adds the normalised score per family (100 = best known, 0 = random
search) on regrets from the lower of the runs' best known values (``report_cells``).

``--budget last`` (default) ranks each family at its largest budget; ``--budget first`` at its
smallest budget of at least ``--min-budget`` (50: the budgets issue 5's goal counts; a family
without one is left out). A cell
counts at a budget if it ran to exactly that budget or keeps its regret there (``regret_at``,
which reports of samplers that do not know the budget carry since ``overall.py`` was written;
older reports keep final values only, so their Optuna samplers' cells count at the largest
budget alone). A (problem, seed) that one of ``--samplers`` lacks at the budget is left out,
and counted; a family left with none is not in the overall mean. ``--where-present S ...`` adds
samplers ranked on the rows they ran, not required for a row to count, as the suite's own report
ranks a sampler ("over the samplers that ran it"; GP above its trial cap); such a sampler's
overall mean is over the families where it has rows.

Usage (from ``benchmarks/``)::

    python overall.py [--budget first|last] [--samplers S ...] --run OTHERS LANAS [--run ...]
    python overall.py --where-present gp --run OTHERS LANAS ...   # GP where it ran, the rest all

``OTHERS`` is a run with every sampler (its LaNAS cells are ignored), ``LANAS`` a run with the
LaNAS cells to rank; either may be several results.json joined by ``+``, pooled (a later
report's cell replaces an earlier one's). Families and their budgets come from the first
LANAS report's ``meta`` (a suite report). ``OTHERS`` may be an ``optuna_bench.py`` report too:
its BBOB cells are pooled by instance as the suite pools them. Writes ``overall.md`` and
``overall.json`` to ``--out`` if given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from report_cells import (
    best_known,
    common_floor,
    lanas_cells,
    lanas_name,
    load_report,
    normalised_score,
    pooled_key,
    pooled_name,
    rows_of_bbob_instance,
    value_at,
)
from scipy.stats import rankdata

# The samplers ranked by default: the ``full`` suite's, less GP (run on a few families only).
SAMPLERS = ("lanas", "tpe", "cmaes", "random", "ng-NGOpt", "ng-CMA")


def families_of(report: dict[str, Any]) -> dict[str, tuple[str, list[int]]]:
    """Problem (pooled name) -> (family name, its budgets), from the run's ``meta``."""
    return {
        pooled_name(problem)[0]: (family["name"], list(family["budgets"]))
        for family in report["meta"]["families"]
        for problem in family["problems"]
    }


def pick_budget(budgets: list[int], which: str, min_budget: int) -> int | None:
    """The family's largest budget (``which="last"``), or its smallest of at least
    ``min_budget`` (``"first"``; None if it has none)."""
    if which == "last":
        return max(budgets)
    counted = [b for b in budgets if b >= min_budget]
    return min(counted) if counted else None


def budgets_at(
    family_budgets: dict[str, tuple[str, list[int]]], which: str, min_budget: int = 50
) -> dict[str, int]:
    """Problem -> its family's budget by ``pick_budget`` (problems whose family has none left
    out), from ``families_of``'s map."""
    return {
        problem: budget
        for problem, (_, listed) in family_budgets.items()
        if (budget := pick_budget(listed, which, min_budget)) is not None
    }


def values_at(
    others: dict[str, Any], lanas: dict[str, Any], budget_of: dict[str, int]
) -> dict[tuple[str, int], dict[str, float]]:
    """(problem, seed) -> sampler -> regret at the problem's budget (``budget_of``), the other
    samplers from ``others`` and LaNAS from ``lanas``, regrets from the runs' lower best."""
    floor = common_floor(others, lanas)
    ours = lanas_name(others)
    table: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    sources = [(others, c) for c in others["cells"] if c["sampler"] != ours]
    sources += [(lanas, c) for c in lanas_cells(lanas).values()]
    for report, cell in sources:
        problem, seed = pooled_key(cell["problem"], cell["seed"])
        if problem not in budget_of:
            continue
        value = value_at(report, cell, budget_of[problem])
        if value is None:
            continue
        if problem != cell["problem"]:  # pooled as the suite pools it: regret from the
            value -= best_known(report, cell["problem"])  # instance's known optimum
        sampler = "lanas" if report is lanas else cell["sampler"]
        table[(problem, seed)][sampler] = value - floor.get(problem, 0.0)
    return dict(table)


def family_summary(
    table: dict[tuple[str, int], dict[str, float]],
    family_of: dict[str, str],
    samplers: Sequence[str] = SAMPLERS,
    where_present: Sequence[str] = (),
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, int]]:
    """Per family: the mean rank and normalised score of each of ``samplers`` and of each of
    ``where_present`` that ran one of its rows (a row is ranked among ``samplers`` and those of
    ``where_present`` that ran it); and per family the number of (problem, seed) rows left out
    because one of ``samplers`` had not run it (at the budget)."""
    ranks: dict[tuple[str, str], list[float]] = defaultdict(list)  # (problem, sampler)
    regrets: dict[tuple[str, str], list[float]] = defaultdict(list)
    dropped: dict[str, int] = defaultdict(int)
    for (problem, _seed), row in sorted(table.items()):
        if not set(samplers) <= set(row):
            dropped[family_of[problem]] += 1
            continue
        ranked = [*samplers, *(s for s in where_present if s in row)]
        values = np.array([row[s] for s in ranked])
        for sampler, rank in zip(ranked, rankdata(np.nan_to_num(values, nan=np.inf)), strict=True):
            ranks[(problem, sampler)].append(float(rank))
            regrets[(problem, sampler)].append(row[sampler])
    per_family: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: {"rank": defaultdict(list), "score": defaultdict(list)}
    )
    for (problem, sampler), r in ranks.items():
        family = per_family[family_of[problem]]
        family["rank"][sampler].append(float(np.mean(r)))
        random_regrets = regrets.get((problem, "random"))  # None: random search not ranked
        random_regret = None if random_regrets is None else float(np.mean(random_regrets))
        score = normalised_score(float(np.mean(regrets[(problem, sampler)])), random_regret)
        if score is not None:
            family["score"][sampler].append(score)
    summary = {
        name: {what: {s: float(np.mean(v)) for s, v in d.items()} for what, d in agg.items()}
        for name, agg in per_family.items()
    }
    return summary, dict(dropped)


def overall(
    runs: list[tuple[Path | str, Path | str]],
    which: str = "last",
    min_budget: int = 50,
    samplers: Sequence[str] = SAMPLERS,
    bbob_instance: int | None = None,
    where_present: Sequence[str] = (),
) -> dict[str, Any]:
    """Family and overall mean ranks and normalised scores of the ``(others, lanas)`` runs, at
    each family's budget (``pick_budget``); with ``bbob_instance``, of that BBOB instance's rows
    alone (``report_cells.rows_of_bbob_instance``). A sampler of ``where_present`` is ranked
    where it ran (``family_summary``), its overall mean over the families where it has rows."""
    named = [*samplers, *where_present]
    if len(set(named)) < len(named):
        raise ValueError(
            f"{named}: a sampler named twice, or in both --samplers and --where-present"
        )
    families: dict[str, dict[str, dict[str, float]]] = {}
    budgets: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for others_path, lanas_path in runs:
        others, lanas = load_report(others_path), load_report(lanas_path)
        family_budgets = families_of(lanas)
        family_of = {p: name for p, (name, _) in family_budgets.items()}
        twice = sorted(set(family_of.values()) & set(dropped))
        if twice:  # one family's rows must be ranked together, not replaced by a later run's
            raise ValueError(f"families {twice} are in two --run pairs; pool their reports with +")
        budget_of = budgets_at(family_budgets, which, min_budget)
        budgets.update({family_of[problem]: budget for problem, budget in budget_of.items()})
        table = values_at(others, lanas, budget_of)
        if bbob_instance is not None:
            table = rows_of_bbob_instance(table, bbob_instance)
        summary, left_out = family_summary(table, family_of, samplers, where_present)
        families.update(summary)
        dropped.update({name: left_out.get(name, 0) for name in sorted(set(family_of.values()))})
    mean_rank = {
        s: float(np.mean(ranks))
        for s in [*samplers, *where_present]
        if (ranks := [f["rank"][s] for f in families.values() if s in f["rank"]])
    }
    return {"families": families, "budgets": budgets, "dropped": dropped, "overall": mean_rank}


def _table(title: str, head: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    lines = [title, "", "| sampler | " + " | ".join(head) + " |", "|" + "---|" * (len(head) + 1)]
    return lines + [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]


def markdown(result: dict[str, Any]) -> str:
    families = list(result["families"])
    samplers = sorted(result["overall"], key=result["overall"].get)
    head = [f"{name}@{result['budgets'][name]}" for name in families]

    def cells(what: str, sampler: str, spec: str) -> list[str]:
        values = [result["families"][f][what].get(sampler) for f in families]
        return ["" if v is None else format(v, spec) for v in values]

    ranks = [(s, [*cells("rank", s, ".2f"), f"{result['overall'][s]:.2f}"]) for s in samplers]
    scores = [(s, cells("score", s, ".0f")) for s in samplers]
    lines = _table(
        "Mean rank (1 = best) per family at the budget named, and overall (mean over families):",
        [*head, "overall"],
        ranks,
    )
    lines += [""] + _table(
        "Normalised score per family (100 = best known, 0 = random search):", head, scores
    )
    left = {f: n for f, n in result["dropped"].items() if n}
    if left:
        lines += ["", f"(problem, seed) rows left out, a ranked sampler missing there: {left}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("OTHERS", "LANAS"))
    ap.add_argument("--budget", choices=("first", "last"), default="last")
    ap.add_argument("--min-budget", type=int, default=50)
    ap.add_argument("--samplers", nargs="+", default=list(SAMPLERS))
    ap.add_argument(
        "--where-present", nargs="+", default=[], metavar="S", help="ranked where they ran only"
    )
    ap.add_argument("--out", type=Path)
    ap.add_argument("--bbob-instance", type=int, help="rank only this BBOB instance's rows")
    args = ap.parse_args(argv)
    runs = [(a, b) for a, b in args.run]
    result = overall(
        runs, args.budget, args.min_budget, args.samplers, args.bbob_instance, args.where_present
    )
    text = markdown(result)
    print(text, end="")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "overall.md").write_text(text)
        result["runs"] = args.run
        (args.out / "overall.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
