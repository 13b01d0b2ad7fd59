"""How much of the tabular problems' regret is the noise's: ``python noise.py OTHERS LANAS``
(from ``benchmarks/``; OTHERS the other samplers' cells, LANAS the default's, each one or
several ``results.json`` joined by ``+``).

The tabular objectives return one stored training seed's reading, and the suite's regret is
the true value (the mean over the stored seeds) of the framework's incumbent: the trial with
the best *reading*. Where one reading's noise is larger than the differences between the good
cells, which of them the incumbent is depends on luck more than on the search.

Two tables. Per problem: the noise of one reading (the mean over the ``TOP`` best cells of the
standard deviation of each cell's stored readings) against the spread of those cells' true
values. Per problem and sampler, over the runs of the largest budget: the mean regret of the
incumbent, of the best cell evaluated (``final_oracle``, whatever its reading), and the
difference, what choosing by the noisy readings cost.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import TABULAR, get_problem  # noqa: E402
from report_cells import lanas_name, load_report  # noqa: E402

# The best cells the noise is compared on: 1 % of HPOBench's 30,000, 2 % of NAS-Bench-201's.
TOP = 300


def problem_table() -> list[str]:
    lines = [
        f"| problem | noise of one reading (sd, {TOP} best cells) "
        f"| spread of their true values | ratio |",
        "|---|---|---|---|",
    ]
    for name in TABULAR:
        p = get_problem(name)
        assert p.table_values is not None and p.table_noise is not None
        best = np.argsort(p.table_values, kind="stable")[:TOP]
        noise = float(p.table_noise[best].mean())
        spread = float(np.ptp(p.table_values[best]))
        lines.append(f"| {name} | {noise:.4g} | {spread:.4g} | {noise / spread:.2f} |")
    return lines


def sampler_table(others: dict, lanas: dict) -> list[str]:
    # One cell per sampler, problem, seed and budget: where pooled runs repeat one, the later
    # counts, as in ``overall.values_at``. Both regrets are from the table's best cell: every
    # run knows it, so pooling shifts no ``final_regret`` (and never shifts ``final_oracle``).
    pooled = [c for c in others["cells"] if not c["sampler"].startswith("lanas")]
    pooled += [c for c in lanas["cells"] if c["sampler"] == lanas_name(lanas)]
    cells = list({(c["sampler"], c["problem"], c["seed"], c["budget"]): c for c in pooled}.values())
    lines = [
        "| problem | sampler | runs | incumbent's regret | best cell's regret | difference |",
        "|---|---|---|---|---|---|",
    ]
    for name in TABULAR:
        mine = [c for c in cells if c["problem"] == name]
        budget = max(c["budget"] for c in mine)
        for sampler in sorted({c["sampler"] for c in mine}):
            runs = [c for c in mine if c["sampler"] == sampler and c["budget"] == budget]
            incumbent = np.array([c["final_regret"] for c in runs], dtype=float)
            oracle = np.array([c["final_oracle"] for c in runs], dtype=float)
            lines.append(
                f"| {name}@{budget} | {sampler} | {len(runs)} | {incumbent.mean():.4g} "
                f"| {oracle.mean():.4g} | {(incumbent - oracle).mean():.4g} |"
            )
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("others")
    ap.add_argument("lanas")
    args = ap.parse_args(argv)
    others, lanas = load_report(args.others), load_report(args.lanas)
    print("\n".join([*problem_table(), "", *sampler_table(others, lanas)]))


if __name__ == "__main__":
    main()
