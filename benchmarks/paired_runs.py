"""Other samplers against LaNAS run by run: per family at its first budget of at least 50 and
at its largest, how many runs (same problem, instance and seed) have a lower / higher / equal
(within 1e-9) regret than LaNAS's, and z of the paired differences (positive: the other
sampler's regret is higher; over a family whose problems' regrets differ in scale, as BBOB's
do, the largest dominate it). Then the problems where that sampler's mean regret is above
random search's, with the suite report's z (its "worse than random" rows).

    python paired_runs.py OTHERS LANAS SAMPLER [SAMPLER ...]   # from benchmarks/
    python paired_runs.py OTHERS LANAS gp --bbob-instance 3    # one BBOB instance's runs

``OTHERS`` and ``LANAS`` as ``overall.py`` takes them (reports joined by ``+``; regrets from
the runs' lower best known values): a LaNAS preset (``lanas:split=linear``) or another sampler
(``gp``) of OTHERS against the LaNAS cells of LANAS.
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from overall import budgets_at, families_of, values_at
from report_cells import load_report, rows_of_bbob_instance

EQUAL = 1e-9


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("others")
    ap.add_argument("lanas")
    ap.add_argument("samplers", nargs="+")
    ap.add_argument("--bbob-instance", type=int, help="compare only this BBOB instance's runs")
    args = ap.parse_args(argv)
    others, lanas = load_report(args.others), load_report(args.lanas)
    family_budgets = families_of(lanas)
    for which in ("first", "last"):
        budget_of = budgets_at(family_budgets, which)
        table = values_at(others, lanas, budget_of)
        if args.bbob_instance is not None:
            table = rows_of_bbob_instance(table, args.bbob_instance)
        for family in sorted({name for name, _ in family_budgets.values()}):
            rows = {key: row for key, row in table.items() if family_budgets[key[0]][0] == family}
            budgets = sorted({budget_of[problem] for problem, _ in rows})
            for sampler in args.samplers:
                print(f"{which}: {family}@{budgets} {sampler}: {against_lanas(rows, sampler)}")
                behind_random(rows, sampler)


def against_lanas(table: dict[tuple[str, int], dict[str, float]], sampler: str) -> str:
    """Runs where ``sampler``'s regret is lower / higher / equal than LaNAS's, and z = the mean
    paired difference (``sampler`` minus LaNAS) over its standard error."""
    pairs = np.array(
        [(r[sampler], r["lanas"]) for r in table.values() if {sampler, "lanas"} <= set(r)]
    )
    if len(pairs) == 0:
        return "no runs"
    lower, higher, equal, z = paired(pairs[:, 0] - pairs[:, 1])
    z_text = "n/a" if z is None else f"{z:.2f}"
    return f"lower {lower} / higher {higher} / equal {equal}, z = {z_text}"


def paired(diff: NDArray[np.float64]) -> tuple[int, int, int, float | None]:
    """Of paired differences: how many are below, above and within ``EQUAL`` of 0, and z = their
    mean over its standard error (None when that is 0)."""
    lower, higher = int((diff < -EQUAL).sum()), int((diff > EQUAL).sum())
    error = standard_error(diff)
    z = float(diff.mean() / error) if error > 0 else None
    return lower, higher, len(diff) - lower - higher, z


def behind_random(table: dict[tuple[str, int], dict[str, float]], sampler: str) -> None:
    """Print the problems where ``sampler``'s mean regret exceeds random search's, with the
    suite report's z (``suite_report.lanas_vs_random``: the difference of the means over their
    combined standard error)."""
    regrets: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (problem, _seed), row in table.items():
        if {sampler, "random"} <= set(row):  # the runs ``sampler`` made
            for name in (sampler, "random"):
                regrets[(problem, name)].append(row[name])
    for problem in sorted({problem for problem, _ in regrets}):
        ours, theirs = regrets[(problem, sampler)], regrets[(problem, "random")]
        if np.mean(ours) <= np.mean(theirs):
            continue
        z = unpaired_z(ours, theirs)
        print(f"    behind random on {problem}: z = {z:.2f} over {len(ours)} runs")


def unpaired_z(ours: Sequence[float], theirs: Sequence[float]) -> float:
    """The difference of the two means over their combined standard error (the suite report's z,
    ``suite_report.lanas_vs_random``); infinite where that error is 0."""
    error = math.hypot(standard_error(ours), standard_error(theirs))
    difference = float(np.mean(ours) - np.mean(theirs))
    return difference / error if error > 0 else math.copysign(math.inf, difference)


def standard_error(values: Sequence[float] | NDArray[np.float64]) -> float:
    """Standard error of the mean (0 for a single value)."""
    return float(np.std(values, ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


if __name__ == "__main__":
    main()
