"""Two files of probe rows compared search by search: ``python compare_rows.py BEFORE AFTER``.

Rows (JSON lines, ``probe_rows.py`` or ``../startup_design/startup.py``) are paired by
(problem, seed); at each checkpoint both files hold, per problem (BBOB instances pooled), the
mean before and after, searches better / worse, z of the mean paired difference (negative:
AFTER is lower, better), the mean log10 ratio, and on dt/wine the searches below 0.4 (its
good slab). BBOB values are read as regrets (their optimum subtracted). The statistics are
``../pairs_ab/rows.py``'s ``paired``."""

import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/, for problems
sys.path.insert(0, str(HERE.parent / "pairs_ab"))
from rows import paired  # noqa: E402  (the seed-paired statistics of the other probes)

_OPTIMA: dict[str, float] = {}


def load(path):
    return {(r["problem"], r["seed"]): r for r in map(json.loads, open(path))}


def regret(name, value):
    if not name.startswith("bbob"):
        return value
    if name not in _OPTIMA:
        from problems import get_problem

        _OPTIMA[name] = get_problem(name).best_value
    return max(value - _OPTIMA[name], 1e-12)


def main(before_path, after_path):
    before, after = load(before_path), load(after_path)
    keys = sorted(set(before) & set(after))
    if not keys:
        sys.exit("The two files share no (problem, seed).")
    checks = [c for c in before[keys[0]]["best"] if c in after[keys[0]]["best"]]
    for check in checks:
        by_problem = defaultdict(list)
        for key in keys:
            name = key[0].rsplit("_i", 1)[0] if key[0].startswith("bbob") else key[0]
            by_problem[name].append(
                (
                    regret(key[0], before[key]["best"][check]),
                    regret(key[0], after[key]["best"][check]),
                )
            )
        better = worse = equal = 0
        ratios = []
        for name, pairs in sorted(by_problem.items()):
            stats = paired([a for a, _ in pairs], [b for _, b in pairs])
            better, worse, equal = (
                better + stats["better"], worse + stats["worse"], equal + stats["equal"]
            )  # fmt: skip
            logs = [math.log10(b / a) for a, b in pairs if a > 0 and b > 0]
            ratios += logs
            slab = ""
            if name == "sklearn_dt_wine":
                slab = (
                    f"; below 0.4: {sum(a < 0.4 for a, _ in pairs)} -> "
                    f"{sum(b < 0.4 for _, b in pairs)} of {len(pairs)}"
                )
            print(
                f"@{check} {name}: {stats['before']:.4g} -> {stats['after']:.4g}; "
                f"better {stats['better']}, worse {stats['worse']}; z {stats['z']:+.2f}; "
                f"mean log10 ratio {statistics.fmean(logs) if logs else 0:+.3f}{slab}"
            )
        mean_ratio = f"{statistics.fmean(ratios):+.3f}" if ratios else "n/a"
        print(f"@{check} all: better {better}, worse {worse}, equal {equal}; "
              f"mean log10 ratio {mean_ratio}\n")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
