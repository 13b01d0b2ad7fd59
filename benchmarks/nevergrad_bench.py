"""LaNAS presets against Nevergrad's own optimizers on rotated, bounded artificial functions.

Problems: ``nevergrad.functions.ArtificialFunction(name, d, rotation=True, bounded=True)``, whose
parametrization is ``ng.p.Array(shape=(d,), lower=-5, upper=5)``; the random rotation and
translation come from ``np.random.seed(seed)``, so every optimizer sees the same instance per
seed. Each run gets its budget up front (NGOpt picks its algorithm from it), evaluates
sequentially and records the best loss seen (the functions are noise-free).

Baselines: NGOpt (with the numpy >= 2.4 workaround ``runners.patch_ngopt_for_numpy_2_4``),
CMA, TwoPointsDE, RandomSearch.

Usage::

    python benchmarks/nevergrad_bench.py            # full: 5 functions, d 5/20, budgets 100/400
    python benchmarks/nevergrad_bench.py --quick    # seconds: smoke test of the whole pipeline
    # the same in two processes, then one report (ranks are per function, so parts by
    # function merge exactly):
    python benchmarks/nevergrad_bench.py --functions sphere rastrigin --out /tmp/part1 &
    python benchmarks/nevergrad_bench.py --functions rosenbrock ackley ellipsoid --out /tmp/part2
    python benchmarks/nevergrad_bench.py --merge /tmp/part1 /tmp/part2

Writes ``nevergrad.json`` (every run, versions, seeds, wall time) and ``nevergrad.md`` (mean rank
per optimizer, mean best loss +- standard error per problem) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
import warnings
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nevergrad as ng
import numpy as np
from nevergrad.functions import ArtificialFunction
from report import _mean_se
from runners import NG_SEED_OFFSET as OPTIMIZER_SEED_OFFSET
from runners import patch_ngopt_for_numpy_2_4
from scipy.stats import rankdata

import lanas_sampler
import lanas_sampler.integrations.nevergrad  # noqa: F401  (registers the LaNAS names)

RESULTS = Path(__file__).resolve().parent / "results"
FUNCTIONS = ("sphere", "rastrigin", "rosenbrock", "ackley", "ellipsoid")
# LaNASKernel is left out: today it is the same configuration as LaNAS (the default split).
LANAS = ("LaNAS", "LaNASLinear", "LaNASTuRBO", "LaNASUniform")
BASELINES = ("NGOpt", "CMA", "TwoPointsDE", "RandomSearch")


@dataclass
class Run:
    function: str
    dim: int
    budget: int
    seed: int
    optimizer: str
    best_loss: float
    seconds: float


def run_one(
    function: str, dim: int, budget: int, seed: int, optimizer: str, translation: float = 1.0
) -> Run:
    # ArtificialFunction draws its rotation and translation from numpy's global generator.
    np.random.seed(seed)  # noqa: NPY002
    func = ArtificialFunction(
        function, dim, rotation=True, bounded=True, translation_factor=translation
    )
    opt = ng.optimizers.registry[optimizer](func.parametrization.copy(), budget=budget)
    opt.parametrization.random_state.seed(seed + OPTIMIZER_SEED_OFFSET)
    np.random.seed(seed + OPTIMIZER_SEED_OFFSET)  # noqa: NPY002  (NGOpt's CmaFmin2 uses it)
    best, start = math.inf, time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # COBYLA's RHOEND notice, bad-loss warnings...
        for _ in range(budget):
            candidate = opt.ask()
            loss = float(func(*candidate.args, **candidate.kwargs))
            best = min(best, loss)
            opt.tell(candidate, loss)
    return Run(function, dim, budget, seed, optimizer, best, time.perf_counter() - start)


def mean_ranks(runs: list[Run]) -> dict[str, dict[str, float]]:
    """Mean rank (1 = best, ties averaged) per optimizer, overall and per (d, budget)."""
    cells: dict[tuple[str, int, int, int], list[Run]] = defaultdict(list)
    for run in runs:
        cells[(run.function, run.dim, run.budget, run.seed)].append(run)
    ranks: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (_, dim, budget, _), group in cells.items():
        for run, rank in zip(group, rankdata([r.best_loss for r in group]), strict=True):
            ranks[run.optimizer]["overall"].append(float(rank))
            ranks[run.optimizer][f"d={dim}, budget={budget}"].append(float(rank))
    return {opt: {k: float(np.mean(v)) for k, v in by.items()} for opt, by in ranks.items()}


def _fmt(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else str(x)


def markdown(runs: list[Run], meta: dict[str, Any], optimizers: list[str]) -> str:
    ranks = mean_ranks(runs)
    columns = ["overall"] + sorted({k for by in ranks.values() for k in by} - {"overall"})
    lines = [
        "# LaNAS vs Nevergrad optimizers (ArtificialFunction, rotated, bounded [-5, 5]^d)",
        "",
        f"Seeds {meta['seeds']}; functions {', '.join(meta['functions'])}; d {meta['dims']}; "
        f"budgets {meta['budgets']}. Metric: best loss seen in the budget (lower is better; "
        "optimum 0). Machine: {machine}; wall time {wall:.0f} s.".format(
            machine=meta["machine"], wall=meta["wall_time_s"]
        ),
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        "",
        "## Mean rank (1 = best; per function, d, budget and seed; ties averaged)",
        "",
        "| optimizer | " + " | ".join(columns) + " | mean s/run |",
        "|---" * (len(columns) + 2) + "|",
    ]
    seconds: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        seconds[run.optimizer].append(run.seconds)
    for opt in sorted(optimizers, key=lambda o: ranks[o]["overall"]):
        cells = [f"{ranks[opt].get(c, float('nan')):.2f}" for c in columns]
        lines.append(f"| {opt} | " + " | ".join(cells) + f" | {np.mean(seconds[opt]):.2f} |")
    lines += [
        "",
        "## Mean best loss ± standard error",
        "",
        "| function | d | budget | " + " | ".join(optimizers) + " |",
        "|---" * (len(optimizers) + 3) + "|",
    ]
    groups: dict[tuple[str, int, int], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for run in runs:
        groups[(run.function, run.dim, run.budget)][run.optimizer].append(run.best_loss)
    for (function, dim, budget), by_opt in sorted(groups.items()):
        stats = {opt: _mean_se(np.asarray(by_opt[opt], dtype=float)) for opt in optimizers}
        best = min(m for m, _ in stats.values())
        cells = []
        for opt in optimizers:
            m, se = stats[opt]
            text = f"{_fmt(m)} ± {_fmt(se)}"
            cells.append(f"**{text}**" if m == best else text)
        lines.append(f"| {function} | {dim} | {budget} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Notes:",
        "- NGOpt runs with `patch_ngopt_for_numpy_2_4()` (nevergrad 1.0.12's MetaModel calls "
        "`float()` on a 1-element array, an error under numpy >= 2.4).",
        f"- ArtificialFunction translates the optimum by {meta['translation_factor']} x N(0, 1) "
        "per coordinate (nevergrad's default: 1), so it lies near the centre of [-5, 5]^d. "
        "CMA, TwoPointsDE, NGOpt and even RandomSearch sample Gaussians around the centre "
        "(sigma = range/6), a prior that fits these problems; LaNAS samples the whole box "
        "uniformly (Sobol start-up, then its regions). Increase --translation-factor to "
        "move the optimum off-centre.",
        "- LaNASKernel is not run: it is the same configuration as LaNAS (default split).",
    ]
    return "\n".join(lines) + "\n"


def versions() -> dict[str, str]:
    import scipy
    import sklearn

    return {
        "lanas-sampler": lanas_sampler.__version__,
        "nevergrad": ng.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny run (seconds)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--dims", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--budgets", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--functions", nargs="+", default=list(FUNCTIONS))
    parser.add_argument("--optimizers", nargs="+", default=[*LANAS, *BASELINES])
    parser.add_argument(
        "--translation-factor", type=float, default=1.0,
        help="scale of the optimum's N(0, 1) shift (nevergrad's default 1.0)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--merge", type=Path, nargs="+", metavar="DIR",
        help="instead of running: merge the nevergrad.json of runs split by --functions",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.merge:
        parts = [json.loads((folder / "nevergrad.json").read_text()) for folder in args.merge]
        write(args.out, *merge(parts))
        return
    if args.quick:
        args.seeds, args.dims, args.budgets = 2, [3], [15]
        args.functions = ["sphere", "rastrigin"]
        args.optimizers = ["LaNAS", *BASELINES]
    patch_ngopt_for_numpy_2_4()
    seeds = list(range(args.seeds))
    start = time.time()
    runs: list[Run] = []
    for function in args.functions:
        for dim in args.dims:
            for budget in args.budgets:
                for seed in seeds:
                    for optimizer in args.optimizers:
                        runs.append(
                            run_one(function, dim, budget, seed, optimizer, args.translation_factor)
                        )
                print(
                    f"{function} d={dim} budget={budget}: {time.time() - start:.0f} s", flush=True
                )
    meta = {
        "functions": args.functions,
        "dims": args.dims,
        "budgets": args.budgets,
        "seeds": seeds,
        "optimizer_seed_offset": OPTIMIZER_SEED_OFFSET,
        "translation_factor": args.translation_factor,
        "optimizers": args.optimizers,
        "quick": args.quick,
        "machine": f"{platform.machine()}, {platform.system()}, python {sys.version.split()[0]}",
        "wall_time_s": time.time() - start,
        "versions": versions(),
    }
    write(args.out, runs, meta)


def write(out: Path, runs: list[Run], meta: dict[str, Any]) -> None:
    """``nevergrad.json`` (meta, mean ranks, every run) and ``nevergrad.md`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    report = {**meta, "mean_rank": mean_ranks(runs), "runs": [asdict(r) for r in runs]}
    (out / "nevergrad.json").write_text(json.dumps(report, indent=1))
    (out / "nevergrad.md").write_text(markdown(runs, meta, meta["optimizers"]))
    print(f"wrote {out / 'nevergrad.json'} and {out / 'nevergrad.md'}")


def merge(parts: list[dict[str, Any]]) -> tuple[list[Run], dict[str, Any]]:
    """One report from runs split by function (same seeds, dims, budgets and optimizers).

    Ranks compare optimizers within a (function, d, budget, seed), so parts that hold different
    functions merge without changing any rank. The wall time is the longest part's (they ran
    side by side).
    """
    first = parts[0]
    for key in ("dims", "budgets", "seeds", "optimizers", "translation_factor", "versions"):
        if any(part[key] != first[key] for part in parts):
            raise ValueError(f"cannot merge runs with different {key}")
    functions = [f for part in parts for f in part["functions"]]
    if len(set(functions)) != len(functions):
        raise ValueError(f"cannot merge runs that share a function: {functions}")
    meta = {k: v for k, v in first.items() if k not in ("mean_rank", "runs")}
    meta["functions"] = functions
    meta["wall_time_s"] = max(part["wall_time_s"] for part in parts)
    runs = [Run(**r) for part in parts for r in part["runs"]]
    return runs, meta


if __name__ == "__main__":
    main()
