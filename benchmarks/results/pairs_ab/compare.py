"""Old against new LaNAS cells of the same commands and seeds (see README.md).

Per family: LaNAS's normalised score at each budget, then over the cells (problem, seed) how
often the new code's final regret is lower, higher or equal, the mean log10 ratio of the final
regrets, and the mean sampler time per trial. Problems without a known best (scikit-learn)
have their regret measured from the best value of each run, so the two runs' regrets are first
put on the lower of the two floors (``common_floor``); ranks compare final values.

Run in this folder: ``python compare.py tabular synthetic_d20 bbob_d20_a sklearn3``; with
``--root DIR`` first, on the ``old/`` and ``new/`` reports under DIR (another A/B run, e.g.
``--root ../scaled_ab``). ``--against REPORT FOLDER`` prints, for the old and the new LaNAS
cells of FOLDER, the mean rank at the largest budget among the other samplers' cells of
REPORT's ``results.json`` (an earlier run of the same command: the other samplers' code and
seeds are the same). ``--pair OLD NEW`` compares two reports given by path instead of a
FOLDER (after ``--against REPORT`` too), e.g. a committed family run against a new one; a
side may be several reports joined by ``+`` (one run's cells split over folders, pooled). A
report whose only LaNAS cells are one variant's (``suite.py full --samplers
lanas:labeler=kmeans``) has that variant compared as its LaNAS.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/, for report_cells

from report_cells import (  # noqa: E402
    best_known,
    common_floor,
    final_value,
    lanas_cells,
    lanas_name,
    load_report,
    normalised_score,
)


def lanas_scores(report: dict, family: str, floor: dict[str, float]) -> dict[str, float]:
    """LaNAS's normalised score per budget (``report_cells.normalised_score``),
    with every problem's regrets measured from ``floor`` instead of the report's own best."""
    rows = report["families"][family]["rows"]
    means = {
        (r["problem"], r["sampler"]): {
            b: v["mean"] + best_known(report, r["problem"]) - floor.get(r["problem"], 0.0)
            for b, v in r["regret"].items()
        }
        for r in rows
    }
    per_budget: dict[str, list[float]] = {}
    name = lanas_name(report)
    for (problem, sampler), regret in means.items():
        if sampler != name or (problem, "random") not in means:
            continue
        for b, v in regret.items():
            score = normalised_score(v, means[(problem, "random")].get(b))
            if score is not None:
                per_budget.setdefault(b, []).append(score)
    return {b: float(np.mean(v)) for b, v in per_budget.items()}


def side_reports(folder: str, root: Path = HERE) -> dict[str, Path]:
    return {side: root / side / folder / "results.json" for side in ("old", "new")}


def compare(folder: str, root: Path = HERE) -> None:
    compare_reports(folder, side_reports(folder, root))


def compare_reports(title: str, reports: dict[str, Path]) -> None:
    old, new = load_report(reports["old"]), load_report(reports["new"])
    floor = common_floor(old, new)
    print(f"## {title}")
    for family in new.get("families", []):  # none in slim.py digests and pooled reports
        if family not in old.get("families", {}):
            continue
        before, after = lanas_scores(old, family, floor), lanas_scores(new, family, floor)
        scores = ", ".join(f"@{b} {before[b]:.0f}/{after[b]:.0f}" for b in after)
        print(f"  {family}: normalised old/new {scores}")
    cells_old, cells_new = lanas_cells(old), lanas_cells(new)
    better = worse = equal = 0
    log_ratios, time_old, time_new = [], [], []
    for key, cell in cells_new.items():
        # Regrets from the common floor: the two runs' own best known values may differ.
        a = final_value(old, cells_old[key]) - floor.get(key[0], 0.0)
        b = final_value(new, cell) - floor.get(key[0], 0.0)
        time_old.append(cells_old[key]["sampler_ms_per_trial"])
        time_new.append(cell["sampler_ms_per_trial"])
        if np.isclose(a, b, rtol=1e-9, atol=1e-12):
            equal += 1
        elif b < a:
            better += 1
        else:
            worse += 1
        if a > 0 and b > 0:
            log_ratios.append(np.log10(b / a))
    print(
        f"  cells {len(cells_new)}: new better {better}, worse {worse}, equal {equal}; "
        f"mean log10(new/old) {np.mean(log_ratios):+.3f} (n={len(log_ratios)}); sampler "
        f"ms/trial old {np.mean(time_old):.1f} new {np.mean(time_new):.1f} "
        f"ratio {np.mean(time_new) / np.mean(time_old):.2f}"
    )


def ranks_against(report: Path, sides: dict[str, Path]) -> None:
    """Mean rank of old and new LaNAS (``sides``: their reports) at the largest budget among
    ``report``'s other samplers (per problem and seed, ties shared, as ``report.summarise``
    ranks; then averaged over seeds and problems)."""
    reference = json.loads(report.read_text())
    others = [c for c in reference["cells"] if c["sampler"] != "lanas"]
    last = max(c["budget"] for c in others)
    table: dict[tuple[str, int], dict[str, float]] = {}
    for c in others:
        if c["budget"] == last:
            table.setdefault((c["problem"], c["seed"]), {})[c["sampler"]] = final_value(
                reference, c
            )
    for side, path in sides.items():
        side_report = load_report(path)
        cells = lanas_cells(side_report)
        # (problem, sampler) -> ranks over the seeds
        seed_ranks: dict[tuple[str, str], list[float]] = {}
        for (problem, seed), row in table.items():
            if (problem, seed) not in cells:
                continue
            names = [*row, "lanas"]
            values = np.array([*row.values(), final_value(side_report, cells[(problem, seed)])])
            order = rankdata(np.nan_to_num(values, nan=np.inf))
            for name, rank in zip(names, order, strict=True):
                seed_ranks.setdefault((problem, name), []).append(float(rank))
        by_sampler: dict[str, list[float]] = {}
        for (_, name), ranks in seed_ranks.items():
            by_sampler.setdefault(name, []).append(float(np.mean(ranks)))
        summary = ", ".join(
            f"{name} {np.mean(r):.2f}"
            for name, r in sorted(by_sampler.items(), key=lambda x: np.mean(x[1]))
        )
        print(f"  {side} LaNAS at {last}: mean rank {summary}")


if __name__ == "__main__":
    names = sys.argv[1:]
    root = HERE
    if names[:1] == ["--root"]:
        root, names = HERE / names[1], names[2:]
    against = None
    if names[:1] == ["--against"]:
        against, names = Path(names[1]), names[2:]
    if names[:1] == ["--pair"]:
        reports = {"old": Path(names[1]), "new": Path(names[2])}
        compare_reports(f"{names[1]} -> {names[2]}", reports)
        if against is not None:
            ranks_against(against, reports)
        names = []
    elif against is not None:
        ranks_against(against, side_reports(names[0], root))
        names = []
    for name in names:
        compare(name, root)
