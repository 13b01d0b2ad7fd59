"""Per-ask cost of the LaNAS core against Optuna's TPE, measured in the same process.

For each number of observations N (default 100, 1,000, 10,000) on a 20-dimensional mixed space:

* LaNAS: an optimizer is told N random observations, then we time ``ask()`` + ``tell()``
  pairs (the tell is negligible; the pair is what a user's loop pays per trial);
* TPE: a study holds the same N trials (``add_trials``), then we time the sampler's work for
  one more trial (``study.ask`` with the whole space, i.e. ``sample_relative`` on it).

The objective is free, so all the time is the sampler's. Medians over ``--repeats`` calls.
Run: ``python benchmarks/core_overhead.py [--sizes 100 1000 10000] [--repeats 15]``.
Writes ``benchmarks/results/core_overhead.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lanas_sampler import Categorical, Float, Int, LaNAS, __version__

RESULTS = Path(__file__).parent / "results"


def mixed_space_20d() -> dict[str, Any]:
    """8 floats (2 log), 2 stepped floats, 6 ints (2 log), 4 categoricals."""
    space: dict[str, Any] = {}
    for i in range(6):
        space[f"f{i}"] = Float(-5.0, 5.0)
    space["lr"], space["wd"] = Float(1e-5, 1e-1, log=True), Float(1e-6, 1e-2, log=True)
    space["drop"], space["mom"] = Float(0.0, 0.5, step=0.05), Float(0.5, 0.99, step=0.01)
    for i in range(4):
        space[f"i{i}"] = Int(0, 100)
    space["width"], space["batch"] = Int(16, 1024, log=True), Int(8, 512, log=True)
    for i, k in enumerate((2, 3, 4, 5)):
        space[f"c{i}"] = Categorical([f"v{j}" for j in range(k)])
    return space


def loss(params: dict[str, Any]) -> float:
    return float(sum(v * v for k, v in params.items() if k.startswith("f")) + params["i0"] / 100)


def random_params(space: dict[str, Any], rng: np.random.Generator) -> list[dict[str, Any]]:
    from lanas_sampler import SearchSpace

    ss = SearchSpace(space)
    return [ss.decode(x) for x in rng.random((1, ss.dim))]


def time_lanas(space: dict[str, Any], history: list[dict[str, Any]], repeats: int) -> float:
    opt = LaNAS(space, seed=0)
    for params in history:
        opt.tell(params, loss(params))
    opt.tell(opt.ask(), 0.0)  # warm-up: first tree build and imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        params = opt.ask()
        opt.tell(params, loss(params))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_tpe(space: dict[str, Any], history: list[dict[str, Any]], repeats: int) -> float:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    dists = {name: _optuna_distribution(p) for name, p in space.items()}
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    study.add_trials(
        [optuna.trial.create_trial(params=p, distributions=dists, value=loss(p)) for p in history]
    )
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        trial = study.ask(dists)
        elapsed = time.perf_counter() - start
        study.tell(trial, loss(trial.params))
        times.append(elapsed)
    return statistics.median(times[1:])


def _optuna_distribution(p: Any) -> Any:
    import optuna.distributions as d

    if isinstance(p, Categorical):
        return d.CategoricalDistribution(list(p.choices))
    if isinstance(p, Int):
        return d.IntDistribution(p.low, p.high, log=p.log, step=p._int_step)
    return d.FloatDistribution(p.low, p.high, log=p.log, step=p.step)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--no-tpe-above",
        type=int,
        default=10000,
        help="skip TPE above this many trials (its cost grows fast)",
    )
    args = parser.parse_args(argv)
    space = mixed_space_20d()
    rng = np.random.default_rng(0)
    started = time.time()
    rows = []
    for n in args.sizes:
        history = [random_params(space, rng)[0] for _ in range(n)]
        lanas = time_lanas(space, history, args.repeats)
        tpe = time_tpe(space, history, args.repeats) if n <= args.no_tpe_above else float("nan")
        rows.append(
            {"observations": n, "lanas_ms": 1e3 * lanas, "tpe_ms": 1e3 * tpe, "ratio": lanas / tpe}
        )
        print(
            f"N={n:>6}: LaNAS {1e3 * lanas:8.1f} ms  TPE {1e3 * tpe:8.1f} ms  "
            f"ratio {lanas / tpe:5.2f}",
            flush=True,
        )
    versions = _versions()
    report = {
        "rows": rows,
        "versions": versions,
        "cores": os.cpu_count(),
        "machine": platform.platform(),
        "repeats": args.repeats,
        "wall_s": time.time() - started,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "core_overhead.json").write_text(json.dumps(report, indent=2))
    lines = [
        "# Per-ask cost: LaNAS core vs Optuna TPE (20-d mixed space)",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores. Versions: "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f". Median of {args.repeats} calls each, same process. Wall time "
        f"{report['wall_s']:.0f} s.",
        "",
        "| observations | LaNAS ask+tell (ms) | TPE per trial (ms) | LaNAS / TPE |",
        "|---:|---:|---:|---:|",
        *(
            f"| {r['observations']:,} | {r['lanas_ms']:.1f} | {r['tpe_ms']:.1f} | "
            f"{r['ratio']:.2f} |"
            for r in rows
        ),
    ]
    (RESULTS / "core_overhead.md").write_text("\n".join(lines) + "\n")


def _versions() -> dict[str, str]:
    import scipy
    import sklearn

    out = {
        "python": sys.version.split()[0],
        "lanas_sampler": __version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }
    try:
        import optuna

        out["optuna"] = optuna.__version__
    except ImportError:  # pragma: no cover
        pass
    return out


if __name__ == "__main__":
    main()
