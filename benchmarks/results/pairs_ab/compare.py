"""Old against new LaNAS cells of the same commands and seeds (see README.md).

Per family: LaNAS's normalised score at each budget, then over the cells (problem, seed) how
often the new code's final regret is lower, higher or equal, the mean log10 ratio of the final
regrets, and the mean sampler time per trial.

Run in this folder: ``python compare.py tabular synthetic_d20 bbob_d20_a sklearn3``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def lanas_cells(report: dict) -> dict[tuple[str, int], dict]:
    return {(c["problem"], c["seed"]): c for c in report["cells"] if c["sampler"] == "lanas"}


def compare(folder: str) -> None:
    old = json.loads((HERE / "old" / folder / "results.json").read_text())
    new = json.loads((HERE / "new" / folder / "results.json").read_text())
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


if __name__ == "__main__":
    for name in sys.argv[1:]:
        compare(name)
