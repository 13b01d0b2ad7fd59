"""Old against new LaNAS cells of the same commands and seeds (see README.md).

Per family: LaNAS's normalised score at each budget, then over the cells (problem, seed) how
often the new code's final regret is lower, higher or equal, the mean log10 ratio of the final
regrets, and the mean sampler time per trial.

Run in this folder: ``python compare.py tabular synthetic_d20 bbob_d20_a sklearn3``; with
``--root DIR`` first, on the ``old/`` and ``new/`` reports under DIR (another A/B run, e.g.
``--root ../scaled_ab``). ``--against REPORT FOLDER`` prints, for the old and the new LaNAS
cells of FOLDER, the mean rank at the largest budget among the other samplers' cells of
REPORT's ``results.json`` (an earlier run of the same command: the other samplers' code and
seeds are the same).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

HERE = Path(__file__).parent


def lanas_cells(report: dict) -> dict[tuple[str, int], dict]:
    return {(c["problem"], c["seed"]): c for c in report["cells"] if c["sampler"] == "lanas"}


def compare(folder: str, root: Path = HERE) -> None:
    old = json.loads((root / "old" / folder / "results.json").read_text())
    new = json.loads((root / "new" / folder / "results.json").read_text())
    print(f"## {folder}")
    for family, content in new["families"].items():
        before = old["families"][family]["summary"]["lanas"]["score"]
        after = content["summary"]["lanas"]["score"]
        scores = ", ".join(f"@{b} {before[b]:.0f}/{after[b]:.0f}" for b in after)
        print(f"  {family}: normalised old/new {scores}")
    cells_old, cells_new = lanas_cells(old), lanas_cells(new)
    better = worse = equal = 0
    log_ratios, time_old, time_new = [], [], []
    for key, cell in cells_new.items():
        a, b = cells_old[key]["final_regret"], cell["final_regret"]
        time_old.append(cells_old[key]["sampler_ms_per_trial"])
        time_new.append(cell["sampler_ms_per_trial"])
        if np.isclose(a, b, rtol=1e-9, atol=1e-12):
            equal += 1
        elif b < a:
            better += 1
        else:
            worse += 1
        if a > 0 and b > 0:
            log_ratios.append(np.log10(b / a))
    print(
        f"  cells {len(cells_new)}: new better {better}, worse {worse}, equal {equal}; "
        f"mean log10(new/old) {np.mean(log_ratios):+.3f} (n={len(log_ratios)}); sampler "
        f"ms/trial old {np.mean(time_old):.1f} new {np.mean(time_new):.1f} "
        f"ratio {np.mean(time_new) / np.mean(time_old):.2f}"
    )


def ranks_against(report: Path, folder: str, root: Path = HERE) -> None:
    """Mean rank of old and new LaNAS at the largest budget among ``report``'s other samplers
    (per problem and seed, ties shared, as ``report.summarise`` ranks; then averaged over seeds
    and problems)."""
    others = [c for c in json.loads(report.read_text())["cells"] if c["sampler"] != "lanas"]
    last = max(c["budget"] for c in others)
    table: dict[tuple[str, int], dict[str, float]] = {}
    for c in others:
        if c["budget"] == last:
            table.setdefault((c["problem"], c["seed"]), {})[c["sampler"]] = c["final_regret"]
    for side in ("old", "new"):
        cells = lanas_cells(json.loads((root / side / folder / "results.json").read_text()))
        # (problem, sampler) -> ranks over the seeds
        seed_ranks: dict[tuple[str, str], list[float]] = {}
        for (problem, seed), row in table.items():
            if (problem, seed) not in cells:
                continue
            names = [*row, "lanas"]
            values = np.array([*row.values(), cells[(problem, seed)]["final_regret"]])
            order = rankdata(np.nan_to_num(values, nan=np.inf))
            for name, rank in zip(names, order, strict=True):
                seed_ranks.setdefault((problem, name), []).append(float(rank))
        by_sampler: dict[str, list[float]] = {}
        for (_, name), ranks in seed_ranks.items():
            by_sampler.setdefault(name, []).append(float(np.mean(ranks)))
        summary = ", ".join(
            f"{name} {np.mean(r):.2f}"
            for name, r in sorted(by_sampler.items(), key=lambda x: np.mean(x[1]))
        )
        print(f"  {side} LaNAS at {last}: mean rank {summary}")


if __name__ == "__main__":
    names = sys.argv[1:]
    root = HERE
    if names[:1] == ["--root"]:
        root, names = HERE / names[1], names[2:]
    if names[:1] == ["--against"]:
        ranks_against(Path(names[1]), names[2], root)
        names = []
    for name in names:
        compare(name, root)
