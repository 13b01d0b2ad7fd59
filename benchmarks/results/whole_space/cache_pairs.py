"""LaNAS cells of several codes in one suite cache, side by side (for runs stopped before their
report): per function and budget, the mean regret of each code and the mean log10 ratio of its
regret to the first code's, over the (problem, seed) cells every code has; then totals.

    python cache_pairs.py CACHE PROBLEM_REGEX BUDGETS NAME=CODE_DIR NAME=CODE_DIR ...

e.g. ``python cache_pairs.py <cache> 'bbob_f\\d+_d5_i\\d' 100,500 before=<5f08502 worktree>
whole=<worktree with whole_space.patch>``. A cell's file name holds a hash of the code that
ran it, computed here by each code's own ``optuna_bench._stem``; the cells are the suite's
runs at its largest budget (500 for BBOB d = 5), read at each budget of BUDGETS."""

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

cache, regex = Path(sys.argv[1]), sys.argv[2]
budgets = [int(b) for b in sys.argv[3].split(",")]
codes = dict(arg.split("=", 1) for arg in sys.argv[4:])
problems = sorted(p.name for p in cache.iterdir() if re.fullmatch(regex, p.name))


def cell_hashes(code: str) -> dict[str, str]:
    """The code-and-problem hash in each problem's LaNAS cell names, as ``code`` computes it."""
    program = (
        "import json, optuna_bench as ob; print(json.dumps({p: ob._stem('lanas', p, 0)"
        f".rsplit('__', 1)[1] for p in {problems!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        cwd=Path(code) / "benchmarks",
        env={**os.environ, "PYTHONPATH": code},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


hashes = {name: cell_hashes(code) for name, code in codes.items()}
regrets: dict[tuple[str, int], list[list[float]]] = defaultdict(list)
for problem in problems:
    for seed in range(10):
        paths = [
            cache
            / problem
            / f"{problem}__lanas__s{seed}__{hashes[name][problem]}__b{max(budgets)}.json"
            for name in codes
        ]
        if not all(path.exists() for path in paths):
            continue
        cells = [json.loads(path.read_text()) for path in paths]
        function = re.sub(r"_i\d+$", "", problem)
        for budget in budgets:
            regrets[function, budget].append([cell["regret"][budget - 1] for cell in cells])


def number(key: tuple[str, int]) -> tuple[int, int]:
    match = re.search(r"_f(\d+)_", key[0])
    return (key[1], int(match.group(1)) if match else 0)


names = list(codes)
totals: dict[tuple[int, str], list[float]] = defaultdict(list)
for key in sorted(regrets, key=number):
    R = np.array(regrets[key])
    ratio = np.log10(np.maximum(R, 1e-8) / np.maximum(R[:, :1], 1e-8))
    means = " ".join(f"{name} {R[:, j].mean():.3g}" for j, name in enumerate(names))
    ratios = " ".join(f"{name} {ratio[:, j].mean():+.2f}" for j, name in enumerate(names[1:], 1))
    print(f"{key[0]} at {key[1]}, {len(R)} runs: {means}; mean log10 ratio {ratios}")
    for j, name in enumerate(names[1:], 1):
        totals[key[1], name].extend(np.sign(R[:, j] - R[:, 0]))
        totals[key[1], name + " ratio"].extend(ratio[:, j])
for budget in budgets:
    for name in names[1:]:
        sign = np.array(totals[budget, name])
        print(
            f"at {budget}, {name} against {names[0]}: better {int((sign < 0).sum())}, worse "
            f"{int((sign > 0).sum())}, equal {int((sign == 0).sum())} of {len(sign)}; mean "
            f"log10 ratio {np.mean(totals[budget, name + ' ratio']):+.3f}"
        )
