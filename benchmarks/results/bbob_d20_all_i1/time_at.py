"""LaNAS / TPE sampler time per trial around trials 100, 1,000 and 2,000 of cached cells.

Usage: ``python time_at.py CACHE_DIR [BUDGET]`` (the ``--cache-dir`` of the suite run in
README.md; BUDGET 2,000 unless given). Reads every BUDGET-trial cell of the cache (through
``runners.CellResult``, as every report does), averages each cell's per-trial sampler time
over a window of 100 trials (or 20 around trial 100; windows cut at BUDGET), and prints the
medians over the runs (problem and seed) and the median and range of the per-run ratios.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/, for runners

from runners import CellResult  # noqa: E402

WINDOWS = ((90, 110), (950, 1050), (1900, 2000))


def main(cache: Path, budget: int = 2000) -> None:
    times: dict[tuple[str, int], dict[str, list[float]]] = {}  # per (problem, seed)
    for path in cache.rglob("*.json"):
        cell = CellResult.from_json(json.loads(path.read_text()))
        if cell.budget == budget:
            times.setdefault((cell.problem, cell.seed), {})[cell.sampler] = cell.sampler_time
    pairs = [t for t in times.values() if "lanas" in t and "tpe" in t]
    for lo, hi in ((lo, min(hi, budget)) for lo, hi in WINDOWS if lo < budget):
        lanas = [1000 * statistics.mean(t["lanas"][lo:hi]) for t in pairs]
        tpe = [1000 * statistics.mean(t["tpe"][lo:hi]) for t in pairs]
        ratios = [a / b for a, b in zip(lanas, tpe, strict=True)]
        print(
            f"trials {lo}-{hi - 1}, {len(pairs)} runs: LaNAS {statistics.median(lanas):.1f} ms,"
            f" TPE {statistics.median(tpe):.1f} ms, LaNAS / TPE median"
            f" {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), *(int(a) for a in sys.argv[2:3]))
