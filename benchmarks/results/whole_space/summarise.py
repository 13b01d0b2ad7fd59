"""Tables of the probe rows (``probe_rows/*.jsonl``, written by ``variants.py``): per variant
and decision tree, the incumbent at 128 evaluations (mean over the seeds both it and ``none``
ran), the share of searches below 0.4 on dt/wine (the good slab), and the paired comparison
with ``none`` (the code before). ``python summarise.py`` from this folder."""

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

rows: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
for path in sorted(Path(__file__).parent.glob("probe_rows/*.jsonl")):
    for line in path.read_text().splitlines():
        row = json.loads(line)
        rows[row["variant"], row["problem"]][row["seed"]] = row["best"]["128"]

print("| problem | variant | seeds | at 128 | code before | better / worse | z | below 0.4 |")
print("|---|---|---|---|---|---|---|---|")
for (variant, problem), values in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    before = rows.get(("none", problem), {})
    if variant == "none" or not before:
        continue
    seeds = sorted(set(values) & set(before))
    new = np.array([values[s] for s in seeds])
    old = np.array([before[s] for s in seeds])
    diff = new - old
    z = diff.mean() / (diff.std(ddof=1) / np.sqrt(len(diff)))
    slab = f"{(new < 0.4).mean():.0%} ({(old < 0.4).mean():.0%})" if "wine" in problem else ""
    print(
        f"| {problem.removeprefix('sklearn_')} | {variant} | {seeds[0]}-{seeds[-1]} | "
        f"{new.mean():.4f} | {old.mean():.4f} | {(diff < 0).sum()} / {(diff > 0).sum()} | "
        f"{z:+.2f} | {slab} |"
    )
