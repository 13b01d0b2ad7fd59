"""How well the local GP's hyperparameter fit converges, by where its length scales start.

Runs the ask/tell core (defaults) on each problem, keeps every ``--every``-th training set its
surrogate was fitted to, and refits each of them from every initial length scale of
``--inits`` (times sqrt(d); everything else as shipped). For each start it reports how far the
fit ends from the best posterior any start reached on that training set (negative log
posterior, nats), how often it ends within 0.5 nats of it, how often in the all-noise corner
(signal variance at its lower bound and noise variance at its upper one) and the likelihood
evaluations it took::

    nice -n 19 python benchmarks/gp_fit_init.py [--inits 0.5 0.1] [--asks 400] [--jobs 2]

Writes ``benchmarks/results/gp_fit_init.{json,md}`` (``--out`` another folder).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from gp_fit import provenance, write_outputs
from numpy.typing import NDArray
from problems import get_problem

from lanas_sampler import LaNAS
from lanas_sampler._gp import (
    _LOG_NOISE,
    _LOG_SIGNAL,
    FIT_SETTINGS,
    GaussianProcess,
    _Pairs,
)

HERE = Path(__file__).resolve().parent
PROBLEMS = (
    "ackley20", "levy20", "rastrigin20", "rosenbrock20", "bbob_f10_d5_i1", "bbob_f23_d5_i1",
    "nas201", "hpobench_kc1",
)  # fmt: skip
# (X, y, the coordinates fitted in the training points' range)
TrainingSet = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_] | None]


def training_sets(problem_name: str, asks: int, every: int, seed: int) -> list[TrainingSet]:
    """Every ``every``-th training set the core's surrogate was fitted to in one search."""
    recorded: list[TrainingSet] = []
    fit = GaussianProcess.fit

    def recording_fit(self: GaussianProcess, X: Any, y: Any, **options: Any) -> GaussianProcess:
        recorded.append((X.copy(), y.copy(), options.get("rescale")))
        return fit(self, X, y, **options)

    problem = get_problem(problem_name)
    opt = LaNAS(problem.space, seed=seed)
    GaussianProcess.fit = recording_fit  # type: ignore[method-assign]  # this worker only
    try:
        for i in range(asks):
            params = opt.ask()
            opt.tell(params, problem.objective(params, i))
    finally:
        GaussianProcess.fit = fit  # type: ignore[method-assign]
    return recorded[::every]


def refit(
    X: NDArray[np.float64], y: NDArray[np.float64], rescale: NDArray[np.bool_] | None, init: float
) -> dict[str, Any]:
    """Fit from length scales ``init * sqrt(d)``: final negative log posterior, evaluations,
    and whether it ended in the all-noise corner."""
    settings = dataclasses.replace(FIT_SETTINGS["map"], initial_lengthscale=init)
    gp = GaussianProcess(settings)
    evaluations = 0
    objective = gp._objective

    def counting(
        theta: NDArray[np.float64], pairs: _Pairs, y_: NDArray[np.float64]
    ) -> tuple[float, NDArray[np.float64]]:
        nonlocal evaluations
        evaluations += 1
        value, grad = objective(theta, pairs, y_)
        return float(value), np.asarray(grad, dtype=np.float64)

    gp._objective = counting  # type: ignore[method-assign, assignment]
    gp.fit(X, y, rescale=rescale)
    d = X.shape[1]
    return {  # gp.theta is in units of gp.units
        "value": objective(gp.theta, _Pairs.of(X / gp.units), gp._ys)[0],
        "evaluations": evaluations,
        "all_noise": bool(
            gp.theta[d] <= _LOG_SIGNAL[0] + 0.1 and gp.theta[d + 1] >= _LOG_NOISE[1] - 0.1
        ),
    }


def run(task: tuple[str, int, int, int, tuple[float, ...]]) -> list[dict[str, Any]]:
    problem, asks, every, seed, inits = task
    rows = []
    for index, (X, y, rescale) in enumerate(training_sets(problem, asks, every, seed)):
        fits = {init: refit(X, y, rescale, init) for init in inits}
        best = min(f["value"] for f in fits.values())
        for init, f in fits.items():
            rows.append(
                {"problem": problem, "seed": seed, "fit": index, "init": init, "n": len(X),
                 "d": X.shape[1], "excess": f["value"] - best, **f}
            )  # fmt: skip
    return rows


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    inits = meta["inits"]
    lines = [
        "# Local GP fit: where the length scales start",
        "",
        f"Training sets of the core's surrogate (one fit in {meta['every']} of a {meta['asks']}-"
        f"ask search, seeds {meta['seeds']}, shipped settings), each refitted from length "
        "scales init × sqrt(d). Excess: negative log posterior above the best any start reached "
        "on the same training set (nats; mean over fits). Within 0.5: share of fits that ended "
        "within 0.5 nats of that best. All-noise: share that ended with the signal variance at "
        "its lower bound and the noise at its upper one. Evaluations: likelihood evaluations "
        f"per fit. {meta['machine']}; versions: {meta['versions']}; wall time "
        f"{meta['wall_s']:.0f} s. Command: `{meta['command']}`.",
        "",
        "| problem | fits | "
        + " | ".join(f"init {i}: excess / within 0.5 / all-noise / evaluations" for i in inits)
        + " |",
        "|---|---|" + "---|" * len(inits),
    ]
    for problem in meta["problems"]:
        mine = [r for r in rows if r["problem"] == problem]
        cells = []
        for init in inits:
            r = [x for x in mine if x["init"] == init]
            cells.append(
                f"{np.mean([x['excess'] for x in r]):.2f} / "
                f"{np.mean([x['excess'] < 0.5 for x in r]):.2f} / "
                f"{np.mean([x['all_noise'] for x in r]):.2f} / "
                f"{np.mean([x['evaluations'] for x in r]):.0f}"
            )
        lines.append(f"| {problem} | {len(mine) // len(inits)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--problems", nargs="+", default=list(PROBLEMS))
    ap.add_argument("--inits", nargs="+", type=float, default=[0.5, 0.25, 0.1])
    ap.add_argument("--asks", type=int, default=400)
    ap.add_argument("--every", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args(argv)
    inits = tuple(args.inits)
    tasks = [(p, args.asks, args.every, s, inits) for s in range(args.seeds) for p in args.problems]
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for task, result in zip(tasks, pool.map(run, tasks), strict=True):
            rows += result
            print(f"{task[0]} seed={task[3]}: {len(result) // len(inits)} fits", flush=True)
    meta = {
        "problems": args.problems,
        "inits": list(inits),
        "asks": args.asks,
        "every": args.every,
        "seeds": f"0-{args.seeds - 1}",
        **provenance(
            start,
            "python benchmarks/gp_fit_init.py --problems "
            + " ".join(args.problems)
            + f" --inits {' '.join(map(str, inits))} --asks {args.asks} --every {args.every} "
            f"--seeds {args.seeds} --jobs {args.jobs}",
        ),
    }
    write_outputs(args.out / "gp_fit_init", {"meta": meta, "rows": rows}, markdown(rows, meta))


if __name__ == "__main__":
    main()
