"""Paired comparison of two variants' rows (``pruned_probe.py``'s output, or
``whole_space_gated/probe_rows.py``'s on problems whose optimum is 0): per checkpoint,
the searches better / worse / equal, the mean log10 ratio of regrets (floored at 1e-8) and
a two-sided sign test's p value; then each unequal search at the last checkpoint.

    python compare.py OLD.jsonl NEW.jsonl
"""

import json
import re
import sys

import numpy as np
from scipy.stats import binomtest

_FLOOR = 1e-8


def natural(key):
    """(problem, seed) in the order f2 before f10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key[0])], key[1]


def floored(rows, keys, check):
    return np.array([max(rows[k]["regret"][check], _FLOOR) for k in keys])


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            row.setdefault("regret", row.get("best"))
            rows[(row["problem"], row["seed"])] = row
    return rows


if __name__ == "__main__":
    old, new = load(sys.argv[1]), load(sys.argv[2])
    keys = sorted(set(old) & set(new), key=natural)
    checks = list(old[keys[0]]["regret"])
    for field, what in (("pruned", "trials pruned"), ("s", "seconds")):
        if field in old[keys[0]]:
            means = [np.mean([rows[k][field] for k in keys]) for rows in (old, new)]
            print(f"{what} per search, old / new: {means[0]:.1f} / {means[1]:.1f}")
    print(f"{len(keys)} searches")
    print("| evaluations | better / worse / equal | log10 new/old: mean (median) | sign test p |")
    print("|---|---|---|---|")
    for c in checks:
        a, b = floored(old, keys, c), floored(new, keys, c)
        better, worse = int((b < a).sum()), int((b > a).sum())
        p = binomtest(better, better + worse).pvalue if better + worse else 1.0
        ratios = np.log10(b / a)
        print(f"| {c} | {better} / {worse} / {len(keys) - better - worse} | "
              f"{np.mean(ratios):+.3f} (median {np.median(ratios):+.3f}) | {p:.2g} |")  # fmt: skip
    last = checks[-1]
    print(f"\nUnequal at {last} (floored):")
    for k, a, b in zip(keys, floored(old, keys, last), floored(new, keys, last), strict=True):
        if a != b:
            print(f"  {k[0]} seed {k[1]}: {a:.3g} -> {b:.3g}")
