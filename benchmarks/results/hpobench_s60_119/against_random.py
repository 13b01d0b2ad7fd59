"""LaNAS against random search per problem at the largest budget, on several sets of seeds:
``python against_random.py OTHERS LANAS FIRST-LAST [FIRST-LAST ...]`` (from ``benchmarks/``;
OTHERS and LANAS as ``overall.py`` takes them, e.g. ``0-59 60-119 0-119``).

Per problem and set of seeds: both mean regrets with their standard errors and the suite
report's z (``suite_report.lanas_vs_random``: the difference of the means over their combined
standard error; positive where LaNAS's regret is higher), over the seeds both ran (a set without
runs, or with the same runs as a set before it, left out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from overall import budgets_at, families_of, values_at  # noqa: E402
from paired_runs import standard_error, unpaired_z  # noqa: E402
from report_cells import load_report  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("others")
    ap.add_argument("lanas")
    ap.add_argument("seeds", nargs="+", metavar="FIRST-LAST")
    args = ap.parse_args(argv)
    others, lanas = load_report(args.others), load_report(args.lanas)
    budget_of = budgets_at(families_of(lanas), "last")
    table = values_at(others, lanas, budget_of)
    print("| problem | seeds | runs | LaNAS | random search | z |")
    print("|---|---|---|---|---|---|")
    for problem in sorted(budget_of):
        shown: list[set[int]] = []
        for span in args.seeds:
            first, last = (int(s) for s in span.split("-"))
            seeds = {
                seed
                for (name, seed), row in table.items()
                if name == problem and first <= seed <= last and {"lanas", "random"} <= set(row)
            }
            if not seeds or seeds in shown:  # no runs, or the same runs as a set above
                continue
            shown.append(seeds)
            rows = [table[(problem, seed)] for seed in sorted(seeds)]
            ours = [row["lanas"] for row in rows]
            theirs = [row["random"] for row in rows]
            z = unpaired_z(ours, theirs)
            print(
                f"| {problem}@{budget_of[problem]} | {span} | {len(rows)} "
                f"| {np.mean(ours):.4g} ± {standard_error(ours):.2g} "
                f"| {np.mean(theirs):.4g} ± {standard_error(theirs):.2g} | {z:+.2f} |"
            )


if __name__ == "__main__":
    main()
