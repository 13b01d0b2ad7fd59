"""Many-seed cells as rows, and two codes' rows compared seed by seed.

The rows format of ``../plateau_runs``, ``../median_ties`` and ``../kmeans_labels``: one row per
cell, ``[problem, seed, [incumbent at 32, incumbent at 128], sampler ms per trial]``.

    python rows.py export CACHE_DIR OUT.json      # optuna_bench.py's cached cells -> rows
    python rows.py compare BEFORE.json AFTER.json [--random RANDOM.json ...]

``compare`` pairs the rows by (problem, seed) and prints, per problem, the mean incumbent at 128
before and after, better / worse / equal counts and z = mean paired difference / its standard
error (negative: the second file is better; objectives are minimised), and the spread of the
differences (largest minus smallest: about 0 when the two sides are the same searches measured
from two different best-known values, as two suite runs with different samplers in them
are). Several files may be
given for one side as ``a.json,b.json``; files ending ``.jsonl`` are read as the JSON lines of
``../median_ties/dt_core_*.jsonl``; ``RUN/results.json:SAMPLER@BUDGET`` takes one sampler's
final regrets at one budget from a suite report's cells (``suite_report.py``), e.g.

    python rows.py compare ../frame_runs/bbob_d5/results.json:lanas@500 \
        ../bbob_d5_gp_i1/results.json:lanas@500
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/, for runners

from runners import CellResult  # noqa: E402

Row = list  # [problem, seed, [best@32, best@128], ms per trial]


def export(cache_dir: Path) -> list[Row]:
    """The cells' incumbents (``CellResult.incumbent_true``: failed trials and noise handled as
    in every report) at 32 and 128 evaluations."""
    rows = []
    for path in sorted(cache_dir.rglob("*.json")):
        cell = CellResult.from_json(json.loads(path.read_text()))
        rows.append(
            [
                cell.problem,
                cell.seed,
                [cell.incumbent_true[31], cell.incumbent_true[127]],
                1000.0 * sum(cell.sampler_time) / len(cell.sampler_time),
            ]
        )
    return sorted(rows, key=lambda r: (r[0], r[1]))


def _load(spec: str) -> dict[tuple[str, int], float]:
    """Incumbents at 128 by (problem, seed), from rows files or the JSON lines of
    ``../median_ties/dt_core_*.jsonl`` (``{"problem", "seed", "best": {"32", "128"}}``)."""
    table = {}
    for name in spec.split(","):
        name, _, cells_of = name.partition(":")
        text = Path(name).read_text()
        if cells_of:  # a suite report's results.json: SAMPLER@BUDGET
            sampler, _, budget = cells_of.partition("@")
            cells = json.loads(text)["cells"]
            chosen = [c for c in cells if c["sampler"] == sampler and c["budget"] == int(budget)]
            if not chosen:  # e.g. an Optuna sampler's cells: one run at the largest budget
                held = sorted({f"{c['sampler']}@{c['budget']}" for c in cells})
                raise SystemExit(f"{name} has no cells of {cells_of}; it has {', '.join(held)}")
            for cell in chosen:
                table[(cell["problem"], cell["seed"])] = cell["final_regret"]
        elif name.endswith(".jsonl"):
            for line in text.splitlines():
                cell = json.loads(line)
                table[(cell["problem"], cell["seed"])] = cell["best"]["128"]
        else:
            for problem, seed, best, *_ in json.loads(text):
                table[(problem, seed)] = best[-1]
    return table


def paired(before: list[float], after: list[float]) -> dict[str, float]:
    """Seed-paired comparison of two codes' incumbents (minimised): means, better / worse /
    equal counts of ``after``, z = mean paired difference / its standard error (negative:
    ``after`` is better) and the spread of the differences (largest minus smallest)."""
    diffs = [b - a for a, b in zip(before, after, strict=True)]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1)) if n > 1 else 0.0
    # A spread at rounding level is one offset, not a paired difference with a z.
    z = mean / (sd / math.sqrt(n)) if sd > 1e-12 * abs(mean) else 0.0
    return {
        "n": n,
        "before": sum(before) / n,
        "after": sum(after) / n,
        "better": sum(d < 0 for d in diffs),
        "worse": sum(d > 0 for d in diffs),
        "equal": sum(d == 0 for d in diffs),
        "z": z,
        "spread": max(diffs) - min(diffs),
    }


def compare(before: str, after: str, randoms: list[str]) -> None:
    old, new = _load(before), _load(after)
    random = {}
    for spec in randoms:
        random.update(_load(spec))
    by_problem: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key in sorted(old.keys() & new.keys()):
        by_problem[key[0]].append(key)
    print("| problem | seeds | before | after | random | better / worse / equal | z | spread |")
    print("|---|---|---|---|---|---|---|---|")
    for problem, keys in by_problem.items():
        s = paired([old[k] for k in keys], [new[k] for k in keys])
        rnd = [random[k] for k in keys if k in random]
        rnd_text = f"{sum(rnd) / len(rnd):.4f} ({len(rnd)})" if rnd else "-"
        print(
            f"| {problem} | {s['n']} | {s['before']:.4f} | {s['after']:.4f} | {rnd_text} "
            f"| {s['better']} / {s['worse']} / {s['equal']} | {s['z']:+.2f} "
            f"| {s['spread']:.2g} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export")
    ex.add_argument("cache_dir", type=Path)
    ex.add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before")
    cmp.add_argument("after")
    cmp.add_argument("--random", nargs="*", default=[])
    args = parser.parse_args()
    if args.command == "export":
        args.out.write_text(json.dumps(export(args.cache_dir)))
    else:
        compare(args.before, args.after, args.random)


if __name__ == "__main__":
    main()
