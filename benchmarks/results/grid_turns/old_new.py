"""The default's LaNAS cells before and after the whole-space turns on grids (858f382), run by
run at each budget: ``python old_new.py OLD NEW`` (from ``benchmarks/``; either side may be
several ``results.json`` joined by ``+``, pooled). For problems with a known best (the
tabular families): a problem without one measures each run's regrets from its own floor
(``pairs_ab/compare.py`` puts two runs on a common one).

Per problem and budget: the mean regret of each side over the (problem, seed) pairs both ran,
how often the new regret is lower / higher / equal, and the z of the mean paired difference
(negative: the new code's regret is lower). On NAS-Bench-201 (``--stuck-on``), the runs whose
best true value found (``final_oracle``, whatever the incumbent) stays more than ``--stuck``
from the optimum: searches that never reached the optimum's basin.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/, for report_cells
from report_cells import lanas_cells, load_report  # noqa: E402


def regret_at(cell: dict, budget: int) -> float:
    kept = cell.get("regret_at") or {}
    return float(kept[str(budget)]) if str(budget) in kept else float(cell["final_regret"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--stuck", type=float, default=0.3, help="regret of a stuck search's best")
    ap.add_argument("--stuck-on", nargs="+", default=["nas201"], metavar="PROBLEM")
    args = ap.parse_args(argv)
    old, new = load_report(Path(args.old)), load_report(Path(args.new))
    old_cells, new_cells = lanas_cells(old), lanas_cells(new)
    budgets = {f["name"]: f["budgets"] for f in new["meta"]["families"]}
    problems = sorted({problem for problem, _ in new_cells})
    print("| problem | budget | runs | old mean regret | new | new lower / higher / equal | z |")
    print("|---|---|---|---|---|---|---|")
    stuck_rows = []
    for problem in problems:
        family = next(f for f, names in _families(new).items() if problem in names)
        keys = sorted(k for k in new_cells if k[0] == problem and k in old_cells)
        for budget in budgets[family]:
            a = np.array([regret_at(old_cells[k], budget) for k in keys])
            b = np.array([regret_at(new_cells[k], budget) for k in keys])
            diff = b - a
            spread = diff.std(ddof=1) if len(diff) > 1 else 0.0
            z = diff.mean() / (spread / np.sqrt(len(diff))) if spread > 0 else 0.0
            print(
                f"| {problem} | {budget} | {len(keys)} | {a.mean():.4g} | {b.mean():.4g} | "
                f"{(diff < 0).sum()} / {(diff > 0).sum()} / {(diff == 0).sum()} | {z:+.2f} |"
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
