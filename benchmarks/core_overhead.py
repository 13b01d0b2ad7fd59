"""Per-ask cost of the LaNAS core against Optuna's TPE, measured in the same process.

For each number of observations N (default 100, 1,000, 10,000), on a mixed space and on a
continuous one (all floats: the local solver adds elite-Gaussian candidates there, and the GP
fit dominates) of each dimension of ``--dims`` (default 20; the 20-d mixed space has 8 floats,
2 of them log, 2 stepped floats, 6 integers, 2 of them log, and 4 categoricals):

* LaNAS: an optimizer is told N random observations, then we time ``ask()`` + ``tell()``
  pairs (the tell is negligible; the pair is what a user's loop pays per trial);
* TPE: a study holds the same N trials (``add_trials``), then we time the sampler's work for
  one more trial (``study.ask`` with the whole space, i.e. ``sample_relative`` on it, plus
  ``study.tell``).

The objective is free, so all the time is the sampler's. Means over ``--repeats`` consecutive
calls, for LaNAS over one whole period of its tree's rebuild schedule (:func:`timed_asks`):
its tree is refitted each time the observations grow by 5 % and, beyond 200 observations, its
GP's hyperparameters every 4 observations, both reused in between, so the mean (not the
median) over a period is its cost per trial.
Run: ``python benchmarks/core_overhead.py [--sizes 100 1000 10000] [--repeats 20]
[--spaces mixed continuous] [--dims 20] [--rounds 1] [--histories 1]`` (``--spaces grid``:
:func:`grid_space`, categorical coordinates only; ``--rounds R``:
everything R times over, medians reported; ``--histories H``: each point timed after H random
histories, means reported, see :func:`_measure_space`).
Writes ``benchmarks/results/core_overhead.{json,md}`` (``--out`` another folder).

The suite (``suite.py``) measures any sampler of ``runners.py`` the same way, one point
(sampler, N observations, dimension d of :func:`mixed_space`) per fresh subprocess
(``python core_overhead.py --point SAMPLER N D REPEATS``, one JSON line out, see
:func:`measure_point`), so that peak memory is that sampler's alone:

* Optuna samplers (LaNASSampler included): ``study.add_trials`` of N random trials (synthetic
  observations: building a 10,000-trial study by running a sampler would take hours), one
  warm-up ``study.ask`` (the LaNAS adapter tells its core the N trials there; TPE/GP fit their
  models from scratch every time anyway), then ``repeats`` timed ``study.ask(space)`` +
  ``study.tell`` pairs;
* the LaNAS core (``lanas-core``): ``tell`` of the same N observations, then timed ask + tell;
* Nevergrad (``ng-*``): cannot be told foreign observations the same way (NGOpt/CMA keep their
  own populations), so it runs N ask/tell pairs of the free objective, then times ``repeats``
  more (budget N + repeats + 1, so NGOpt picks its algorithm for that budget).

Peak memory: the subprocess's peak resident size at the end (``VmHWM``; all of it: interpreter,
imports, the study) and its growth from just before the warm-up ask (the sampler's own working
memory on top of the study).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lanas_sampler import Categorical, Float, Int, LaNAS, __version__

RESULTS = Path(__file__).parent / "results"


# Shares of mixed_space(d) by kind; d = 20 gives the historical 20-d space exactly.
_MIX = {"float": 6, "log": 2, "step": 2, "int": 4, "logint": 2, "cat": 4}


def mixed_space(d: int = 20) -> dict[str, Any]:
    """A d-dimensional mixed space: 30 % floats, 10 % log floats, 10 % stepped floats, 20 %
    ints, 10 % log ints, 20 % categoricals (2-5 choices), at least one float and one int."""
    counts = {k: v * d // 20 for k, v in _MIX.items()}
    counts["float"] += d - sum(counts.values())  # rounding remainder: plain floats
    counts["int"] = max(counts["int"], 1)
    counts["float"] -= counts["int"] - _MIX["int"] * d // 20
    space: dict[str, Any] = {}
    for i in range(counts["float"]):
        space[f"f{i}"] = Float(-5.0, 5.0)
    for i in range(counts["log"]):
        space["lr" if i == 0 else "wd" if i == 1 else f"log{i}"] = (
            Float(1e-5, 1e-1, log=True) if i % 2 == 0 else Float(1e-6, 1e-2, log=True)
        )
    for i in range(counts["step"]):
        space["drop" if i == 0 else "mom" if i == 1 else f"step{i}"] = (
            Float(0.0, 0.5, step=0.05) if i % 2 == 0 else Float(0.5, 0.99, step=0.01)
        )
    for i in range(counts["int"]):
        space[f"i{i}"] = Int(0, 100)
    for i in range(counts["logint"]):
        space["width" if i == 0 else "batch" if i == 1 else f"logint{i}"] = (
            Int(16, 1024, log=True) if i % 2 == 0 else Int(8, 512, log=True)
        )
    for i in range(counts["cat"]):
        space[f"c{i}"] = Categorical([f"v{j}" for j in range(2 + i % 4)])
    assert len(space) == d, (d, counts)
    return space


def continuous_space(d: int = 20) -> dict[str, Any]:
    """d plain floats on [-5, 5] (``f0`` ... ``f{d-1}``)."""
    return {f"f{i}": Float(-5.0, 5.0) for i in range(d)}


def grid_space(d: int = 6) -> dict[str, Any]:
    """d categorical coordinates of five choices (``g0`` ... ``g{d-1}``, choices ``v0`` ...
    ``v4``): NAS-Bench-201's kind of grid, with no continuous coordinate."""
    return {f"g{i}": Categorical([f"v{j}" for j in range(5)]) for i in range(d)}


SPACES = {"mixed": mixed_space, "continuous": continuous_space, "grid": grid_space}


def loss(params: dict[str, Any]) -> float:
    """Squares of the floats, the first integer, and (the grid's) each choice's index."""
    return float(sum(v * v for k, v in params.items() if k[0] == "f" and k[1:].isdigit()) +
                 params.get("i0", 0) / 100 +
                 sum(int(v[1:]) for k, v in params.items() if k[0] == "g"))  # fmt: skip


def random_params(space: dict[str, Any], rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    """``n`` uniform random configurations of ``space`` (one row of ``rng.random`` each)."""
    from lanas_sampler import SearchSpace

    ss = SearchSpace(space)
    return [ss.decode(x) for x in rng.random((n, ss.dim))]


def timed_asks(sampler: str, n: int, repeats: int) -> int:
    """How many asks to time after ``n`` observations and one warm-up ask: ``repeats``, but
    for LaNAS (core or sampler) beyond 200 observations one whole period of the schedule on
    which it rebuilds its tree, so that the timed asks hold exactly one rebuild (at 1,000
    observations 50 asks, at 10,000 about 500) and the GP hyperparameters' refits (every 4
    observations) in proportion.

    The timed asks see ``n + 1`` to ``n + k`` observations (the warm-up's point is told
    first); ``k``, the gap between the schedule's points around ``n + 1``, puts exactly one
    point in that range, as the gaps only grow.
    """
    from lanas_sampler._optimizer import _rebuild_point  # the schedule; not a public API

    if not sampler.startswith("lanas"):
        return repeats
    last = _rebuild_point(n + 1)
    following = n + 2
    while _rebuild_point(following) == last:
        following += 1
    period = following - last
    return repeats if period == 1 else period  # 1: a rebuild at every ask (below 200)


def time_lanas(space: dict[str, Any], history: list[dict[str, Any]], asks: int) -> float:
    """Mean seconds of ``asks`` core ask + tell pairs after ``history`` (:func:`timed_asks`)."""
    return statistics.fmean(_core_times("lanas-core", space, history, asks))


def time_tpe(space: dict[str, Any], history: list[dict[str, Any]], repeats: int) -> float:
    return time_optuna("tpe", space, history, repeats)


def time_optuna(
    sampler: str, space: dict[str, Any], history: list[dict[str, Any]], repeats: int
) -> float:
    """Mean seconds of ``study.ask(space)`` on a study holding ``history`` (after a warm-up)."""
    return statistics.fmean(_optuna_times(sampler, space, history, repeats, lambda: None))


def _optuna_times(
    sampler: str,
    space: dict[str, Any],
    history: list[dict[str, Any]],
    repeats: int,
    before_first_ask: Any,
) -> list[float]:
    import optuna
    from runners import _quiet_optuna, make_optuna_sampler

    _quiet_optuna()
    dists = {name: _optuna_distribution(p) for name, p in space.items()}
    study = optuna.create_study(sampler=make_optuna_sampler(sampler, 0))
    study.add_trials(
        [optuna.trial.create_trial(params=p, distributions=dists, value=loss(p)) for p in history]
    )
    before_first_ask()
    times = []
    for _ in range(repeats + 1):  # the first ask is a warm-up (a LaNAS core learns the study)
        start = time.perf_counter()
        trial = study.ask(dists)
        mid = time.perf_counter()
        value = loss(trial.params)
        resume = time.perf_counter()
        study.tell(trial, value)
        times.append(mid - start + time.perf_counter() - resume)  # ask + tell, not the loss
    return times[1:]


def _core_times(
    sampler: str,
    space: dict[str, Any],
    history: list[dict[str, Any]],
    repeats: int,
    after_warm_up: Any = lambda: None,
) -> list[float]:
    """Seconds of ``repeats`` core ask + tell pairs after ``history`` and one warm-up ask;
    ``after_warm_up()`` is called between the warm-up and the timed asks (a profiler's reset)."""
    from runners import parse_sampler

    opt = LaNAS(space, seed=0, **parse_sampler(sampler)[1])
    for params in history:
        opt.tell(params, loss(params))
    opt.tell(opt.ask(), 0.0)  # warm-up: first tree build
    after_warm_up()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        params = opt.ask()
        opt.tell(params, loss(params))
        times.append(time.perf_counter() - start)
    return times


def _nevergrad_times(sampler: str, space: dict[str, Any], n: int, repeats: int) -> list[float]:
    import warnings

    import nevergrad as ng
    from runners import NEVERGRAD_PREFIX, _from_ng, ng_parametrization, patch_ngopt_for_numpy_2_4

    patch_ngopt_for_numpy_2_4()
    name = sampler[len(NEVERGRAD_PREFIX) :]
    opt = ng.optimizers.registry[name](ng_parametrization(space), budget=n + repeats + 1)
    opt.parametrization.random_state.seed(0)
    np.random.seed(0)  # noqa: NPY002  (NGOpt's CmaFmin2 draws from it)
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(n + repeats):
            start = time.perf_counter()
            candidate = opt.ask()
            params = _from_ng(space, candidate.value)
            opt.tell(candidate, loss(params))
            if i >= n:
                times.append(time.perf_counter() - start)
    return times


def _maxrss_mb() -> float:
    """Peak resident memory of this process so far, MiB.

    Linux: ``VmHWM`` of ``/proc/self/status``, which starts afresh at ``exec``; ``ru_maxrss``
    does not (a child forked from a large parent reports at least the parent's size).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    scale = 1.0 if sys.platform == "darwin" else 1024.0  # ru_maxrss: bytes on macOS, else KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def measure_point(sampler: str, n: int, d: int, repeats: int) -> dict[str, Any]:
    """Per-trial sampler time after ``n`` observations on :func:`mixed_space` ``(d)``, and peak
    memory of this process (meant to be a fresh one: see the module docstring)."""
    from runners import NEVERGRAD_PREFIX, parse_sampler

    space = mixed_space(d)
    rng = np.random.default_rng(0)
    history = random_params(space, rng, n)
    base = {"rss": _maxrss_mb()}

    def mark() -> None:
        base["rss"] = _maxrss_mb()

    asks = timed_asks(sampler, n, repeats)
    started = time.perf_counter()
    if sampler.startswith(NEVERGRAD_PREFIX):
        mark()
        times = _nevergrad_times(sampler, space, n, asks)
        method = "ng loop"
    elif parse_sampler(sampler)[0] == "lanas-core":
        times = _core_times(sampler, space, history, asks)
        method = "core tell"
    else:
        times = _optuna_times(sampler, space, history, asks, mark)
        method = "add_trials"
    peak = _maxrss_mb()
    return {
        "sampler": sampler,
        "observations": n,
        "dim": d,
        "repeats": asks,  # the asks timed (``timed_asks``)
        "method": method,
        "ms_median": 1e3 * statistics.median(times),
        "ms_mean": 1e3 * statistics.fmean(times),
        "peak_rss_mb": peak,
        "rss_growth_mb": peak - base["rss"],
        "seconds": time.perf_counter() - started,
    }


def _optuna_distribution(p: Any) -> Any:
    import optuna.distributions as d

    if isinstance(p, Categorical):
        return d.CategoricalDistribution(list(p.choices))
    if isinstance(p, Int):
        return d.IntDistribution(p.low, p.high, log=p.log, step=p._int_step)
    return d.FloatDistribution(p.low, p.high, log=p.log, step=p.step)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--point"]:  # one measurement for the suite: SAMPLER N D REPEATS
        sampler, n, d, repeats = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
        print(json.dumps(measure_point(sampler, n, d, repeats)), flush=True)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--no-tpe-above",
        type=int,
        default=10000,
        help="skip TPE above this many trials (its cost grows fast)",
    )
    parser.add_argument(
        "--spaces", nargs="+", choices=sorted(SPACES), default=["mixed", "continuous"]
    )
    parser.add_argument("--dims", type=int, nargs="+", default=[20], help="space dimensions")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure everything this many times over; the report gives medians (ratios "
        "measured back to back vary by a third from round to round on a shared machine)",
    )
    parser.add_argument(
        "--histories",
        type=int,
        default=1,
        help="random histories per point: the report gives means over them (each history's "
        "asks follow one search path, whose cost varies; see _measure_space)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the two reports")
    args = parser.parse_args(argv)
    started = time.time()
    rows = []
    for round_ in range(args.rounds):
        for space_name in args.spaces:
            for d in args.dims:
                rows += _measure_space(space_name, d, args, round_)
    versions = _versions()
    report = {
        "rows": rows,
        "versions": versions,
        "cores": os.cpu_count(),
        "machine": platform.platform(),
        "repeats": args.repeats,
        "rounds": args.rounds,
        "histories": args.histories,
        "wall_s": time.time() - started,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "core_overhead.json").write_text(json.dumps(report, indent=2))
    (args.out / "core_overhead.md").write_text(_markdown(report) + "\n")


def _measure_space(
    space_name: str, d: int, args: argparse.Namespace, round_: int
) -> list[dict[str, Any]]:
    """One row per size: the means over ``args.histories`` random histories, each timed for
    LaNAS and then for TPE.

    Why several: which asks follow the observations decides what a LaNAS ask costs (a
    whole-space turn, or a quadratic step outside the region, fits a second model), and the
    timed asks of one history follow one search path: with 1,000 observations instead of
    1,001 the 20-d continuous mean moved by a fifth (results/overhead_stop48). History ``h``
    is drawn from ``default_rng(h)`` across the sizes in turn (history 0: the runs before
    ``--histories`` existed).
    """
    space = SPACES[space_name](d)
    streams = [np.random.default_rng(h) for h in range(args.histories)]
    rows = []
    for n in args.sizes:
        asks = timed_asks("lanas-core", n, args.repeats)
        lanas_times, tpe_times = [], []
        for rng in streams:
            history = random_params(space, rng, n)
            lanas_times.append(time_lanas(space, history, asks))
            if n <= args.no_tpe_above:
                tpe_times.append(time_tpe(space, history, args.repeats))
        lanas = statistics.fmean(lanas_times)
        tpe = statistics.fmean(tpe_times) if tpe_times else math.nan
        rows.append(
            {"space": space_name, "dim": d, "observations": n, "round": round_,
             "histories": args.histories, "lanas_asks": asks, "lanas_ms": 1e3 * lanas,
             "lanas_ms_per_history": [1e3 * t for t in lanas_times], "tpe_ms": 1e3 * tpe,
             "tpe_ms_per_history": [1e3 * t for t in tpe_times], "ratio": lanas / tpe}
        )  # fmt: skip
        print(
            f"{space_name:>10} d={d:>3} N={n:>6}: LaNAS {1e3 * lanas:8.1f} ms  "
            f"TPE {1e3 * tpe:8.1f} ms  ratio {lanas / tpe:5.2f}",
            flush=True,
        )
    return rows


def _markdown(report: dict[str, Any]) -> str:
    """One line per space, dimension and size: medians over the rounds (and the ratio's range)."""
    groups: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    for row in report["rows"]:
        groups.setdefault((row["space"], row["dim"], row["observations"]), []).append(row)
    rounds = report["rounds"]
    lines = [
        "# Per-ask cost: LaNAS core vs Optuna TPE",
        "",
        f"Machine: {report['machine']}, {report['cores']} cores. Versions: "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items())
        + f". Means of consecutive calls in one process: TPE {report['repeats']}, LaNAS one "
        "period of its tree's rebuild schedule (`timed_asks`: the column 'asks'). "
        + (
            f"Medians over {rounds} rounds (the ratio: of the rounds' ratios, each measured "
            "back to back). "
            if rounds > 1
            else ""
        )
        + (
            f"Each round's times are means over {report['histories']} random histories "
            "(`_measure_space`). "
            if report.get("histories", 1) > 1
            else ""
        )
        + f"Wall time {report['wall_s']:.0f} s.",
        "",
        "| space | d | observations | asks | LaNAS ask+tell (ms) | TPE per trial (ms) "
        "| LaNAS / TPE |" + (" range over rounds |" if rounds > 1 else ""),
        "|---|---:|---:|---:|---:|---:|---:|" + ("---|" if rounds > 1 else ""),
    ]
    for (space, d, n), rows in groups.items():
        ratios = [r["ratio"] for r in rows]
        lanas, tpe = (statistics.median(r[key] for r in rows) for key in ("lanas_ms", "tpe_ms"))
        line = (
            f"| {space} | {d} | {n:,} | {rows[0]['lanas_asks']} | {lanas:.1f} | {tpe:.1f} | "
            f"{statistics.median(ratios):.2f} |"
        )
        if rounds > 1:
            line += f" {min(ratios):.2f}-{max(ratios):.2f} |"
        lines.append(line)
    return "\n".join(lines)


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
