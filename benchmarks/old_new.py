"""Two codes' LaNAS cells of the same commands and seeds, run by run at each budget (e.g. the
default before and after a change, or a probe's variant against the default): ``python
old_new.py OLD NEW`` (from ``benchmarks/``; either side may be several ``results.json`` joined
by ``+``, pooled). Per family at the last budget only, with the normalised scores:
``results/pairs_ab/compare.py --pair``. Regrets from the two sides' lower best known value
(``report_cells.common_floor``), paired as ``paired_runs.py`` pairs runs.

Per problem and budget: the mean regret of each side over the (problem, seed) pairs both ran,
how often the new regret is lower / higher / equal, and the z of the mean paired difference
(negative: the new code's regret is lower). On NAS-Bench-201 (``--stuck-on``), the runs whose
best true value found (``final_oracle``, whatever the incumbent) stays more than ``--stuck``
from the optimum: searches that never reached the optimum's basin.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from paired_runs import paired
from report_cells import common_floor, lanas_cells, load_report, value_at


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--stuck", type=float, default=0.3, help="regret of a stuck search's best")
    ap.add_argument("--stuck-on", nargs="+", default=["nas201"], metavar="PROBLEM")
    args = ap.parse_args(argv)
    old, new = load_report(Path(args.old)), load_report(Path(args.new))
    old_cells, new_cells = lanas_cells(old), lanas_cells(new)
    floor = common_floor(old, new)

    def regrets(report: dict, cells: dict, keys: list, budget: int) -> np.ndarray:
        return np.array([value_at(report, cells[k], budget) - floor[k[0]] for k in keys])

    budgets = {f["name"]: f["budgets"] for f in new["meta"]["families"]}
    problems = sorted({problem for problem, _ in new_cells})
    print("| problem | budget | runs | old mean regret | new | new lower / higher / equal | z |")
    print("|---|---|---|---|---|---|---|")
    stuck_rows = []
    for problem in problems:
        family = next(f for f, names in _families(new).items() if problem in names)
        keys = sorted(k for k in new_cells if k[0] == problem and k in old_cells)
        for budget in budgets[family]:
            a = regrets(old, old_cells, keys, budget)
            b = regrets(new, new_cells, keys, budget)
            lower, higher, equal, z = paired(b - a)
            print(
                f"| {problem} | {budget} | {len(keys)} | {a.mean():.4g} | {b.mean():.4g} | "
                f"{lower} / {higher} / {equal} | {z or 0.0:+.2f} |"
            )
        oracle_old = [old_cells[k].get("final_oracle") for k in keys]
        oracle_new = [new_cells[k].get("final_oracle") for k in keys]
        if problem in args.stuck_on and None not in oracle_old + oracle_new:
            stuck_rows.append(
                f"| {problem} | {len(keys)} | {sum(v > args.stuck for v in oracle_old)} | "
                f"{sum(v > args.stuck for v in oracle_new)} |"
            )
    print(f"\nRuns whose best true value found stays more than {args.stuck} from the optimum:\n")
    print("| problem | runs | old | new |")
    print("|---|---|---|---|")
    print("\n".join(stuck_rows))


def _families(report: dict) -> dict[str, list[str]]:
    return {f["name"]: f["problems"] for f in report["meta"]["families"]}


if __name__ == "__main__":
    main()
