"""Ablations of the local GP's hyperparameter fit (``lanas_sampler/_gp.py``).

The ask/tell core with its defaults, on shifted 20-d Ackley, Levy, Rastrigin and Rosenbrock
(``problems.py``), 1,000 evaluations per run, with the fit set up as each variant of
``VARIANTS`` in turn; everything else identical (same seeds, same code). Reports the final regret
(mean ± s.e.) and the mean time per ask + tell, per function and variant, measured in the same
run::

    nice -n 19 python benchmarks/gp_fit.py [--variants map ml] [--seeds 6] [--budget 1000]
        [--jobs 2]

Writes ``benchmarks/results/gp_fit.{json,md}`` (``--out`` another folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from optuna_bench import _version
from problems import get_problem
from report import _mean_se

from lanas_sampler._gp import FIT_SETTINGS

HERE = Path(__file__).resolve().parent
PROBLEMS = ("ackley20", "levy20", "rastrigin20", "rosenbrock20")
# Each variant changes these fields of the shipped MAP settings (``lanas_sampler._gp.FitSettings``;
# "ml" is the user option ``gp_fit="likelihood"``).
DEFAULTS = FIT_SETTINGS["map"]
VARIANTS: dict[str, dict[str, Any]] = {
    "map": {},  # the shipped defaults
    "ml": {"lengthscale_prior": None, "noise_prior": None},
    "ml-20-steps": {"lengthscale_prior": None, "noise_prior": None, "max_iter": 20},
    "lengthscale-prior-only": {"noise_prior": None},
    "noise-prior-only": {"lengthscale_prior": None},
    "map-20-steps": {"max_iter": 20},
    "map-init-0.5": {"initial_lengthscale": 0.5},  # the start before gp_fit_init.md
    "map-wide-bounds": {"log_lengthscale_bounds": (math.log(0.005), math.log(200.0))},
    "1-step": {"max_iter": 1},  # a fit that barely moves: for the smoke test
}


def run(task: tuple[str, str, int, int]) -> dict[str, Any]:
    """One search of ``budget`` evaluations with the GP fit set up as ``variant``."""
    from lanas_sampler import LaNAS

    problem_name, variant, seed, budget = task
    problem = get_problem(problem_name)
    opt = LaNAS(problem.space, seed=seed)
    # Settings no user option spells out: set on this optimizer only (a private attribute).
    opt._gp_settings = dataclasses.replace(DEFAULTS, **VARIANTS[variant])
    start = time.perf_counter()
    for i in range(budget):
        params = opt.ask()
        opt.tell(params, problem.objective(params, i))
    seconds = time.perf_counter() - start
    return {
        "problem": problem_name,
        "variant": variant,
        "seed": seed,
        "regret": problem.true_value(opt.best_params),
        "ms_per_trial": 1000 * seconds / budget,
    }


def _mean_se_text(values: list[float]) -> str:
    mean, se = _mean_se(np.asarray(values))
    return f"{mean:.4g} ± {se:.2g}"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    variants = meta["variants"]
    lines = [
        "# GP hyperparameter fit: ablations (core LaNAS, 20-d synthetic functions)",
        "",
        f"Seeds 0-{meta['seeds'] - 1}, {meta['budget']} evaluations per run, final regret "
        "(optimum 0) mean ± s.e., and mean time per ask + tell over the run. Same run, same "
        f"machine for every column. {meta['machine']}; versions: {meta['versions']}; "
        f"wall time {meta['wall_s']:.0f} s. Command: `{meta['command']}`. Variants (fields of "
        f"`lanas_sampler._gp.FitSettings` changed from the defaults {meta['defaults']}): "
        + "; ".join(f"`{v}` {VARIANTS[v] or 'none'}" for v in variants) + ".",
        "",
        "| problem | " + " | ".join(f"{v}: regret" for v in variants) + " | "
        + " | ".join(f"{v}: ms/trial" for v in variants) + " |",
        "|---|" + "---|" * (2 * len(variants)),
    ]  # fmt: skip
    for problem in PROBLEMS:
        mine = [r for r in rows if r["problem"] == problem]
        regrets = [
            _mean_se_text([r["regret"] for r in mine if r["variant"] == v]) for v in variants
        ]
        times = [
            f"{np.mean([r['ms_per_trial'] for r in mine if r['variant'] == v]):.1f}"
            for v in variants
        ]
        lines.append(f"| {problem} | " + " | ".join(regrets + times) + " |")
    return "\n".join(lines) + "\n"


def provenance(start: float, command: str) -> dict[str, Any]:
    """Machine, versions, wall time since ``start`` and the command, for a report's header."""
    return {
        "machine": f"{platform.machine()}, {platform.system()}, python {platform.python_version()}",
        "versions": ", ".join(
            f"{m} {_version(m)}" for m in ("lanas-sampler", "numpy", "scipy", "scikit-learn")
        ),
        "wall_s": time.perf_counter() - start,
        "command": command,
    }


def write_outputs(stem: Path, data: dict[str, Any], report: str) -> None:
    """``stem``.json (the data) and ``stem``.md (the report), which is also printed."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".json").write_text(json.dumps(data, indent=1))
    stem.with_suffix(".md").write_text(report)
    print(report)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variants", nargs="+", choices=sorted(VARIANTS), default=["map", "ml"])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args(argv)
    tasks = [
        (p, v, seed, args.budget)
        for seed in range(args.seeds)
        for p in PROBLEMS
        for v in args.variants
    ]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = []
        for row in pool.map(run, tasks):
            rows.append(row)
            done = f"{row['problem']} {row['variant']} seed={row['seed']}"
            print(f"{done}: regret {row['regret']:.4g}, {row['ms_per_trial']:.1f} ms", flush=True)
    variants = " ".join(args.variants)
    meta = {
        "seeds": args.seeds,
        "budget": args.budget,
        "variants": args.variants,
        "defaults": repr(DEFAULTS),
        **provenance(
            start,
            f"python benchmarks/gp_fit.py --variants {variants} --seeds {args.seeds} "
            f"--budget {args.budget} --jobs {args.jobs}",
        ),
    }
    write_outputs(args.out / "gp_fit", {"meta": meta, "runs": rows}, markdown(rows, meta))


if __name__ == "__main__":
    main()
