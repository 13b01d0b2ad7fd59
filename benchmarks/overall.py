"""Mean rank per family and overall at the largest budgets, from family runs made apart.

The ``full`` suite whole is about 218 hours of compute on the 2-core development machine, so its
families are run apart, and a change of the library reruns only LaNAS's cells (the other
samplers' code did not change). This script ranks those LaNAS cells among the other samplers'
cells of a committed run of the same problems, seeds and budget, as ``suite_report`` ranks a run
of its own: per (problem, seed) at the problem's largest budget over the samplers that ran it
(ties share the mean rank), then the mean over seeds, family = mean over its problems, overall =
mean over families. It adds the normalised score per family (100 = best known, 0 = random
search) on regrets from the lower of the two runs' best known values (``report_cells``).

Only the largest budget: a committed run keeps each cell's final value, and the cells of
Optuna's samplers ran once to the largest budget (their values at the smaller budgets are in
the run's cache, not in ``results.json``). A (problem, seed) that some sampler did not run is
left out, and counted.

Usage (from ``benchmarks/``)::

    python overall.py --run OTHERS LANAS [--run OTHERS LANAS ...] [--out DIR]

``OTHERS`` is a run with every sampler (its LaNAS cells are ignored), ``LANAS`` a run with the
LaNAS cells to rank (several results.json joined by ``+`` are pooled). Families come from the
LANAS run's ``meta``. Writes ``overall.md`` and ``overall.json`` to ``--out`` if given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from report_cells import common_floor, final_value, lanas_cells, lanas_name, load_report
from scipy.stats import rankdata

SCORE_CLIP = 100.0  # as suite_report.SCORE_CLIP, without its imports (optuna, the problems)


def _pooled(problem: str) -> str:
    """A BBOB instance's cell name without its instance (``bbob_f8_d5_i3`` -> ``bbob_f8_d5``):
    results.json pools the instances of a function (``suite_report.pooled_name``)."""
    head, _, tail = problem.rpartition("_i")
    return head if problem.startswith("bbob_") and tail.isdigit() else problem


def families_of(report: dict[str, Any]) -> dict[str, str]:
    """Problem (pooled name) -> family name, from the run's ``meta``."""
    return {
        _pooled(problem): family["name"]
        for family in report["meta"]["families"]
        for problem in family["problems"]
    }


def final_values(others: dict[str, Any], lanas: dict[str, Any]) -> dict[tuple[str, int], dict]:
    """(problem, seed) -> sampler -> regret at the problem's largest budget, the other samplers
    from ``others`` and LaNAS from ``lanas``, regrets from the two runs' lower best value."""
    floor = common_floor(others, lanas)
    ours = lanas_name(others)
    last: dict[str, int] = defaultdict(int)
    for cell in others["cells"]:
        last[cell["problem"]] = max(last[cell["problem"]], cell["budget"])
    table: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for cell in others["cells"]:
        if cell["sampler"] != ours and cell["budget"] == last[cell["problem"]]:
            value = final_value(others, cell) - floor.get(cell["problem"], 0.0)
            table[(cell["problem"], cell["seed"])][cell["sampler"]] = value
    for key, cell in lanas_cells(lanas).items():
        if key in table and cell["budget"] == last[key[0]]:
            table[key]["lanas"] = final_value(lanas, cell) - floor.get(key[0], 0.0)
    return dict(table)


def family_summary(
    table: dict[tuple[str, int], dict[str, float]], family_of: dict[str, str]
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, int]]:
    """Per family: each sampler's mean rank and normalised score; and per family the number of
    (problem, seed) rows left out because a sampler had not run them."""
    samplers = sorted({s for row in table.values() for s in row})
    ranks: dict[tuple[str, str], list[float]] = defaultdict(list)  # (problem, sampler)
    regrets: dict[tuple[str, str], list[float]] = defaultdict(list)
    dropped: dict[str, int] = defaultdict(int)
    for (problem, _seed), row in sorted(table.items()):
        if set(row) != set(samplers):
            dropped[family_of[problem]] += 1
            continue
        values = np.array([row[s] for s in samplers])
        for sampler, rank in zip(
            samplers, rankdata(np.nan_to_num(values, nan=np.inf)), strict=True
        ):
            ranks[(problem, sampler)].append(float(rank))
            regrets[(problem, sampler)].append(row[sampler])
    per_family: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: {"rank": defaultdict(list), "score": defaultdict(list)}
    )
    for (problem, sampler), r in ranks.items():
        family = per_family[family_of[problem]]
        family["rank"][sampler].append(float(np.mean(r)))
        random_regret = float(np.mean(regrets[(problem, "random")]))
        if random_regret > 0:
            score = 100.0 * (1.0 - float(np.mean(regrets[(problem, sampler)])) / random_regret)
            family["score"][sampler].append(float(np.clip(score, -SCORE_CLIP, SCORE_CLIP)))
    summary = {
        name: {what: {s: float(np.mean(v)) for s, v in d.items()} for what, d in agg.items()}
        for name, agg in per_family.items()
    }
    return summary, dict(dropped)


def overall(runs: list[tuple[Path | str, Path | str]]) -> dict[str, Any]:
    """Family and overall mean ranks and normalised scores of the ``(others, lanas)`` runs."""
    families: dict[str, dict[str, dict[str, float]]] = {}
    budgets: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for others_path, lanas_path in runs:
        others, lanas = load_report(others_path), load_report(lanas_path)
        family_of = families_of(lanas)
        table = final_values(others, lanas)
        table = {k: v for k, v in table.items() if k[0] in family_of}
        summary, left_out = family_summary(table, family_of)
        for cell in others["cells"]:
            name = family_of.get(cell["problem"])
            if name is not None:
                budgets[name] = max(budgets.get(name, 0), cell["budget"])
        families.update(summary)
        dropped.update({name: left_out.get(name, 0) for name in summary})
    samplers = sorted({s for f in families.values() for s in f["rank"]})
    mean_rank = {
        s: float(np.mean([f["rank"][s] for f in families.values() if s in f["rank"]]))
        for s in samplers
    }
    return {"families": families, "budgets": budgets, "dropped": dropped, "overall": mean_rank}


def markdown(result: dict[str, Any]) -> str:
    families = list(result["families"])
    samplers = sorted(result["overall"], key=result["overall"].get)
    head = [f"{name}@{result['budgets'][name]}" for name in families]
    lines = [
        "Mean rank (1 = best) per family at its largest budget, and overall (mean over families):",
        "",
        "| sampler | " + " | ".join(head) + " | overall |",
        "|" + "---|" * (len(head) + 2),
    ]
    for s in samplers:
        ranks = [result["families"][f]["rank"].get(s) for f in families]
        cells = ["" if r is None else f"{r:.2f}" for r in ranks]
        lines.append(f"| {s} | " + " | ".join(cells) + f" | {result['overall'][s]:.2f} |")
    lines += [
        "",
        "Normalised score per family at its largest budget (100 = best known, 0 = random search):",
        "",
        "| sampler | " + " | ".join(head) + " |",
        "|" + "---|" * (len(head) + 1),
    ]
    for s in samplers:
        scores = [result["families"][f]["score"].get(s) for f in families]
        lines.append(
            f"| {s} | " + " | ".join("" if v is None else f"{v:.0f}" for v in scores) + " |"
        )
    left = {f: n for f, n in result["dropped"].items() if n}
    if left:
        lines += ["", f"(problem, seed) rows left out, a sampler missing: {left}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run", nargs=2, action="append", required=True, metavar=("OTHERS", "LANAS"))
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    result = overall([(a, b) for a, b in args.run])
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
