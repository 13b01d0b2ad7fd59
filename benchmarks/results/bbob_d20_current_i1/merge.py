"""Ranks and normalised scores of one report's samplers beside another report's, per budget.

``python merge.py BASE NEW --from-base S [S ...] [--out DIR]``: the samplers ``S`` are taken
from the report ``BASE`` (a ``suite.py`` results.json), every other one from ``NEW``; both
must hold one seed per problem (their rows are then the runs themselves). Over the problems
``NEW`` ran, per problem and budget, the samplers that reached it are ranked (ties averaged)
and scored against ``NEW``'s random search, as ``suite_report`` does; the means over problems
are printed as Markdown and, with ``--out``, written to ``merged.json`` and ``merged.md``.
Random search's rows of the two reports are compared first (they should agree: its runs are
deterministic per seed).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/, for suite_report

from report_cells import normalised_score  # noqa: E402

Regrets = dict[tuple[str, str], dict[str, float]]  # (problem, sampler) -> budget -> regret


def regrets(report: dict) -> Regrets:
    out: Regrets = {}
    for family in report["families"].values():
        for row in family["rows"]:
            if row["n_seeds"] != 1:
                raise SystemExit(f"{row['problem']}: {row['n_seeds']} seeds; one expected.")
            out[row["problem"], row["sampler"]] = {b: v["mean"] for b, v in row["regret"].items()}
    return out


def summarise(merged: Regrets, budgets: list[str]) -> dict[str, dict[str, dict[str, float]]]:
    """Mean rank and normalised score per sampler and budget, over the problems."""
    per_sampler: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: {"rank": defaultdict(list), "score": defaultdict(list)}
    )
    by_problem: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for (problem, sampler), at_budget in merged.items():
        by_problem[problem][sampler] = at_budget
    for samplers in by_problem.values():
        for b in budgets:
            here = {s: v[b] for s, v in samplers.items() if b in v}
            names = sorted(here)
            for s, r in zip(names, rankdata([here[s] for s in names]), strict=True):
                per_sampler[s]["rank"][b].append(float(r))
            for s in names:
                score = normalised_score(here[s], here.get("random"))
                if score is not None:
                    per_sampler[s]["score"][b].append(score)
    return {
        s: {w: {b: float(np.mean(v)) for b, v in d.items()} for w, d in agg.items()}
        for s, agg in per_sampler.items()
    }


def markdown(summary: dict, budgets: list[str]) -> list[str]:
    head = [f"rank @{b}" for b in budgets] + [f"normalised @{b}" for b in budgets]
    lines = ["| sampler | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    # Best first at the largest budget; samplers absent there (GP beyond its cap) last.
    for s in sorted(summary, key=lambda s: summary[s]["rank"].get(budgets[-1], math.inf)):
        vals = [summary[s]["rank"].get(b) for b in budgets]
        vals += [summary[s]["score"].get(b) for b in budgets]
        cells = [
            "" if v is None else f"{v:.2f}" if i < len(budgets) else f"{v:.0f}"
            for i, v in enumerate(vals)
        ]
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("base", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--from-base", nargs="+", required=True, metavar="S")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    base = regrets(json.loads(args.base.read_text()))
    new = regrets(json.loads(args.new.read_text()))
    differ = [p for (p, s), v in new.items() if s == "random" and base.get((p, s)) != v]
    print(f"random search: {len(differ)} problems differ between the reports {differ}")
    merged = {k: v for k, v in new.items() if k[1] not in args.from_base}
    problems = {p for p, _ in new}  # NEW may cover fewer problems than BASE
    merged.update({k: v for k, v in base.items() if k[1] in args.from_base and k[0] in problems})
    budgets = sorted({b for v in merged.values() for b in v}, key=int)
    summary = summarise(merged, budgets)
    lines = markdown(summary, budgets)
    print("\n".join(lines))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "merged.json").write_text(json.dumps(
            {"summary": summary, "regrets": {f"{p}|{s}": v for (p, s), v in merged.items()}},
            indent=1))  # fmt: skip
        (args.out / "merged.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
