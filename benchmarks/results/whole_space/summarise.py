"""Tables of the probe rows (``probe_rows/*.jsonl``, written by ``variants.py``): per variant
and decision tree, the incumbent at 128 evaluations (mean over the seeds both it and ``none``
ran), the share of searches below 0.4 on dt/wine (the good slab), and the comparison with
``none`` (the code before), paired by seed (``../pairs_ab/rows.py``). ``python summarise.py``
from this folder."""

import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pairs_ab"))
from rows import paired  # noqa: E402


def share_below(values: list[float], level: float = 0.4) -> float:
    return sum(v < level for v in values) / len(values)


rows: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
for path in sorted(HERE.glob("probe_rows/*.jsonl")):
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
    new, old = [values[s] for s in seeds], [before[s] for s in seeds]
    s = paired(old, new)
    slab = f"{share_below(new):.0%} ({share_below(old):.0%})" if "wine" in problem else ""
    print(
        f"| {problem.removeprefix('sklearn_')} | {variant} | {seeds[0]}-{seeds[-1]} | "
        f"{s['after']:.4f} | {s['before']:.4f} | {s['better']} / {s['worse']} | "
        f"{s['z']:+.2f} | {slab} |"
    )
