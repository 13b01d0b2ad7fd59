"""Per problem (per BBOB function, its instances pooled), the LaNAS cells of the code before
against these (final regret at the largest budget) and random search's, as a Markdown table:

    python per_function.py BEFORE AFTER [RANDOM]

BEFORE / AFTER: reports (``suite.py`` results.json, several joined by ``+``); RANDOM: a report
holding random search's cells (default: AFTER).
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/, for report_cells

from report_cells import load_report  # noqa: E402


def final_regrets(report: dict, sampler: str) -> dict[tuple[str, int], float]:
    """(problem, seed) -> final regret of ``sampler``'s cell (budget-agnostic samplers: one
    cell each, as ``report_cells.lanas_cells`` reads them)."""
    return {
        (c["problem"], c["seed"]): c["final_regret"]
        for c in report["cells"]
        if c["sampler"] == sampler
    }


def main() -> None:
    before = final_regrets(load_report(sys.argv[1]), "lanas")
    after_report = load_report(sys.argv[2])
    after = final_regrets(after_report, "lanas")
    random_report = load_report(sys.argv[3]) if len(sys.argv) > 3 else after_report
    random = final_regrets(random_report, "random")
    by_function = defaultdict(list)
    for key in sorted(after):
        name = key[0]
        by_function[name.split("_")[1] if name.startswith("bbob_") else name].append(key)
    print("| problem | runs | before: mean regret | now | random search | better / worse / equal |")
    print("|---|---:|---:|---:|---:|---|")
    for function in sorted(by_function, key=lambda f: (len(f), f)):
        keys = by_function[function]
        old = [before[k] for k in keys]
        new = [after[k] for k in keys]
        rnd = [random[k] for k in keys if k in random]
        better = sum(n < o for o, n in zip(old, new, strict=True))
        worse = sum(n > o for o, n in zip(old, new, strict=True))
        means = [sum(v) / len(v) if v else math.nan for v in (old, new, rnd)]
        print(
            f"| {function} | {len(keys)} | {means[0]:.3g} | {means[1]:.3g} | {means[2]:.3g} "
            f"| {better} / {worse} / {len(keys) - better - worse} |"
        )


if __name__ == "__main__":
    main()
