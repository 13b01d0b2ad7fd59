"""Per run, each preset's regret against the default's: lower / higher / equal (within 1e-9),
same problem, instance and seed, per family at its first and last budget, and z of the paired
differences (positive: the preset's regret is higher; over a family whose problems' regrets
differ in scale, as BBOB's do, the largest dominate it), from the same pooled
reports ``integrate.sh`` ranks (regrets from the runs' lower best known values, as
``overall.py`` measures them). Then the problems where a preset's mean regret is above
random search's (the suite report's "worse than random" rows).

    python results/variants_stop53/pairs.py OTHERS LANAS PRESET [PRESET ...]   # from benchmarks/
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from overall import families_of, pick_budget, values_at  # noqa: E402
from report_cells import load_report  # noqa: E402

EQUAL = 1e-9


def main(others_path: str, lanas_path: str, presets: list[str]) -> None:
    others, lanas = load_report(others_path), load_report(lanas_path)
    family_budgets = families_of(lanas)
    for which in ("first", "last"):
        budget_of = {
            problem: budget
            for problem, (_, budgets) in family_budgets.items()
            if (budget := pick_budget(budgets, which, 50)) is not None
        }
        table = values_at(others, lanas, budget_of)
        for family in sorted({name for name, _ in family_budgets.values()}):
            rows = {key: row for key, row in table.items() if family_budgets[key[0]][0] == family}
            budgets = sorted({budget_of[problem] for problem, _ in rows})
            for preset in presets:
                print(f"{which}: {family}@{budgets} {preset}: {against_default(rows, preset)}")
                behind_random(rows, preset)


def against_default(table: dict[tuple[str, int], dict[str, float]], preset: str) -> str:
    """Runs where ``preset``'s regret is lower / higher / equal than the default's, and z =
    the mean paired difference (preset minus default) over its standard error."""
    pairs = np.array(
        [(r[preset], r["lanas"]) for r in table.values() if {preset, "lanas"} <= set(r)]
    )
    if len(pairs) == 0:
        return "no runs"
    diff = pairs[:, 0] - pairs[:, 1]
    lower, higher = int((diff < -EQUAL).sum()), int((diff > EQUAL).sum())
    error = float(np.std(diff, ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
    z = f"{diff.mean() / error:.2f}" if error > 0 else "n/a"
    return f"lower {lower} / higher {higher} / equal {len(diff) - lower - higher}, z = {z}"


def behind_random(table: dict[tuple[str, int], dict[str, float]], preset: str) -> None:
    """Print the problems where ``preset``'s mean regret exceeds random search's, with the
    suite report's z (``suite_report.lanas_vs_random``: the difference of the means over their
    combined standard error)."""
    regrets: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (problem, _seed), row in table.items():
        if {preset, "random"} <= set(row):  # the runs the preset made
            for sampler in (preset, "random"):
                regrets[(problem, sampler)].append(row[sampler])
    for problem in sorted({problem for problem, _ in regrets}):
        ours, theirs = regrets[(problem, preset)], regrets[(problem, "random")]
        if np.mean(ours) <= np.mean(theirs):
            continue
        error = math.hypot(*(float(np.std(r, ddof=1) / np.sqrt(len(r))) for r in (ours, theirs)))
        z = (np.mean(ours) - np.mean(theirs)) / error if error > 0 else math.inf
        print(f"    behind random on {problem}: z = {z:.2f} over {len(ours)} runs")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
