"""The default against random search on the four decision trees, seeds 0-89, at 128 evaluations.

Goal 2 of issue 5 asks that the default is never worse than random search. This pairs the
default's incumbent with random search's, seed by seed, over the three committed blocks of
seeds (the code of each searches as the current default does on these problems):

* seeds 0-29 and 30-59: ``dt_30seeds_53ebb38.json`` and ``dt_seeds30-59_53ebb38.json`` (through
  Optuna) against the ``*_random.json`` rows of the same seeds (this folder);
* seeds 60-89: ``../median_ties/dt_core_seeds60-89_before.jsonl`` against ``..._random.jsonl``
  (through the core).

Per problem it prints both means, the mean paired difference (positive: LaNAS worse) with its
z, the seeds where LaNAS is better / worse / equal, and the two-sided sign-test p-value over
the seeds that differ. Run in this folder: ``python trees_90seeds.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.stats import binomtest

HERE = Path(__file__).parent
PROBLEMS = ("sklearn_dt_wine", "sklearn_dt_iris", "sklearn_dt_breast_cancer", "sklearn_dt_diabetes")
# (LaNAS file, random search's file) per block of seeds.
BLOCKS = (
    (HERE / "dt_30seeds_53ebb38.json", HERE / "dt_30seeds_random.json"),
    (HERE / "dt_seeds30-59_53ebb38.json", HERE / "dt_seeds30-59_random.json"),
    (
        HERE.parent / "median_ties/dt_core_seeds60-89_before.jsonl",
        HERE.parent / "median_ties/dt_core_seeds60-89_random.jsonl",
    ),
)


def final_values(path: Path, problem: str) -> dict[int, float]:
    """Incumbent at 128 evaluations per seed, from either row format of these folders."""
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return {r["seed"]: r["best"]["128"] for r in rows if r["problem"] == problem}
    # [problem, seed, [incumbent at 32, incumbent at 128], ms per trial]
    return {r[1]: r[2][-1] for r in json.loads(path.read_text()) if r[0] == problem}


def main() -> None:
    print(
        "| problem | seeds | LaNAS | random | mean difference (z) | better / worse / equal "
        "| sign test p |"
    )
    print("|---|---|---|---|---|---|---|")
    for problem in PROBLEMS:
        lanas: dict[int, float] = {}
        rand: dict[int, float] = {}
        for lanas_file, random_file in BLOCKS:
            lanas.update(final_values(lanas_file, problem))
            rand.update(final_values(random_file, problem))
        seeds = sorted(lanas.keys() & rand.keys())
        diff = np.array([lanas[s] - rand[s] for s in seeds])
        z = diff.mean() / (diff.std(ddof=1) / np.sqrt(len(diff)))
        better, worse = int((diff < 0).sum()), int((diff > 0).sum())
        p = binomtest(better, better + worse).pvalue
        print(
            f"| {problem.removeprefix('sklearn_')} | {len(seeds)} | "
            f"{np.mean([lanas[s] for s in seeds]):.4f} | {np.mean([rand[s] for s in seeds]):.4f} | "
            f"{diff.mean():+.4f} ({z:+.2f}) | {better} / {worse} / {len(seeds) - better - worse} | "
            f"{p:.3f} |"
        )


if __name__ == "__main__":
    main()
