"""How many L-BFGS steps the local GP's hyperparameter fit should take (``_gp._MAX_ITER``).

The ask/tell core with its defaults, on shifted 20-d Ackley, Levy, Rastrigin and Rosenbrock
(``problems.py``), 1,000 evaluations per run, with the fit capped at each step count in turn;
everything else identical (same seeds, same code). Reports the final regret (mean ± s.e.) and the
mean time per ask + tell, per function and step count, measured in the same run::

    nice -n 19 python benchmarks/gp_fit_steps.py [--steps 20 40] [--seeds 6] [--budget 1000]
        [--jobs 2]

Writes ``benchmarks/results/gp_fit_steps.{json,md}`` (``--out`` another folder).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from optuna_bench import _version
from problems import get_problem
from report import _mean_se

HERE = Path(__file__).resolve().parent
PROBLEMS = ("ackley20", "levy20", "rastrigin20", "rosenbrock20")


def run(task: tuple[str, int, int, int]) -> dict[str, Any]:
    """One search of ``budget`` evaluations with the fit capped at ``steps`` L-BFGS steps."""
    import lanas_sampler._gp as gp
    from lanas_sampler import LaNAS

    problem_name, steps, seed, budget = task
    gp._MAX_ITER = steps  # this worker process only
    problem = get_problem(problem_name)
    opt = LaNAS(problem.space, seed=seed)
    start = time.perf_counter()
    for i in range(budget):
        params = opt.ask()
        opt.tell(params, problem.objective(params, i))
    seconds = time.perf_counter() - start
    return {
        "problem": problem_name,
        "steps": steps,
        "seed": seed,
        "regret": problem.true_value(opt.best_params),
        "ms_per_trial": 1000 * seconds / budget,
    }


def _mean_se_text(values: list[float]) -> str:
    mean, se = _mean_se(np.asarray(values))
    return f"{mean:.4g} ± {se:.2g}"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    steps = sorted({r["steps"] for r in rows})
    lines = [
        "# GP hyperparameter fit: L-BFGS steps (core LaNAS, 20-d synthetic functions)",
        "",
        f"Seeds 0-{meta['seeds'] - 1}, {meta['budget']} evaluations per run, final regret "
        "(optimum 0) mean ± s.e., and mean time per ask + tell over the run. Same run, same "
        f"machine for every column. {meta['machine']}; versions: {meta['versions']}; "
        f"wall time {meta['wall_s']:.0f} s. Command: `{meta['command']}`.",
        "",
        "| problem | " + " | ".join(f"{s} steps: regret" for s in steps) + " | "
        + " | ".join(f"{s} steps: ms/trial" for s in steps) + " |",
        "|---|" + "---|" * (2 * len(steps)),
    ]  # fmt: skip
    for problem in PROBLEMS:
        mine = [r for r in rows if r["problem"] == problem]
        regrets = [_mean_se_text([r["regret"] for r in mine if r["steps"] == s]) for s in steps]
        times = [
            f"{np.mean([r['ms_per_trial'] for r in mine if r['steps'] == s]):.1f}" for s in steps
        ]
        lines.append(f"| {problem} | " + " | ".join(regrets + times) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, nargs="+", default=[20, 40])
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args(argv)
    tasks = [
        (p, s, seed, args.budget)
        for p in PROBLEMS
        for s in args.steps
        for seed in range(args.seeds)
    ]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = []
        for row in pool.map(run, tasks):
            rows.append(row)
            done = f"{row['problem']} steps={row['steps']} seed={row['seed']}"
            print(f"{done}: regret {row['regret']:.4g}, {row['ms_per_trial']:.1f} ms", flush=True)
    steps = " ".join(map(str, args.steps))
    meta = {
        "seeds": args.seeds,
        "budget": args.budget,
        "machine": f"{platform.machine()}, {platform.system()}, python {platform.python_version()}",
        "versions": ", ".join(
            f"{m} {_version(m)}" for m in ("lanas-sampler", "numpy", "scipy", "scikit-learn")
        ),
        "wall_s": time.perf_counter() - start,
        "command": f"python benchmarks/gp_fit_steps.py --steps {steps} --seeds {args.seeds} "
        f"--budget {args.budget} --jobs {args.jobs}",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "gp_fit_steps.json").write_text(json.dumps({"meta": meta, "runs": rows}, indent=1))
    (args.out / "gp_fit_steps.md").write_text(markdown(rows, meta))
    print((args.out / "gp_fit_steps.md").read_text())


if __name__ == "__main__":
    main()
