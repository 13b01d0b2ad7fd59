"""Aggregate benchmark cells into a summary, a Markdown report and PNG regret plots.

Example:
    >>> from problems import get_problem
    >>> from runners import run_cell
    >>> p = get_problem("ackley5")
    >>> cells = [run_cell(s, p, 4, k) for s in ("random", "tpe") for k in (0, 1)]
    >>> rows = summarise(cells, checkpoints=[2, 4])
    >>> sorted(r["sampler"] for r in rows)
    ['random', 'tpe']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from runners import CellResult
from scipy.stats import rankdata

METRICS = {
    "incumbent": "regret of the incumbent (best observed value so far, judged by its true value)",
    "oracle": "regret of the best true value among the trials so far (oracle incumbent)",
}


def _curves(cells: Sequence[CellResult], metric: str = "incumbent") -> NDArray[np.float64]:
    """Seeds x trials matrix of regret (true values where no best value is known)."""
    budget = min(c.budget for c in cells)
    return np.asarray([c.curve(metric)[:budget] for c in cells], dtype=float)


def _mean_se(x: NDArray[np.float64]) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return math.nan, math.nan
    se = float(np.std(x, ddof=1) / np.sqrt(len(x))) if len(x) > 1 else 0.0
    return float(np.mean(x)), se


def group(cells: Sequence[CellResult]) -> dict[tuple[str, str], list[CellResult]]:
    """Cells by (problem, sampler), each list sorted by seed."""
    out: dict[tuple[str, str], list[CellResult]] = defaultdict(list)
    for c in cells:
        out[(c.problem, c.sampler)].append(c)
    return {k: sorted(v, key=lambda c: c.seed) for k, v in out.items()}


def summarise(
    cells: Sequence[CellResult], checkpoints: Sequence[int], metric: str = "incumbent"
) -> list[dict[str, Any]]:
    """One row per (problem, sampler): regret mean/SE at checkpoints, rank, sampler time.

    The rank is taken per (problem, seed) over the samplers that ran that seed, on the regret
    at the last checkpoint (ties share the mean rank), then averaged over seeds.
    """
    groups = group(cells)
    rows: list[dict[str, Any]] = []
    for (problem, sampler), cs in groups.items():
        curves = _curves(cs, metric)
        row: dict[str, Any] = {
            "metric": metric,
            "problem": problem,
            "sampler": sampler,
            "n_seeds": len(cs),
            "budget": curves.shape[1],
            "regret": {},
            "sampler_ms_per_trial": 1e3 * float(np.mean([np.mean(c.sampler_time) for c in cs])),
        }
        for cp in checkpoints:
            if cp <= curves.shape[1]:
                m, se = _mean_se(curves[:, cp - 1])
                row["regret"][str(cp)] = {"mean": m, "se": se}
        rows.append(row)

    # mean rank at the last checkpoint, per problem over the samplers present
    for problem in {r["problem"] for r in rows}:
        prow = [r for r in rows if r["problem"] == problem]
        last = max(int(cp) for r in prow for cp in r["regret"]) if prow else 0
        per_seed: dict[int, dict[str, float]] = defaultdict(dict)
        for r in prow:
            for c in groups[(problem, r["sampler"])]:
                if c.budget >= last:
                    per_seed[c.seed][r["sampler"]] = c.curve(metric)[last - 1]
        ranks = ranks_by_seed(per_seed)
        tpe = next((r["sampler_ms_per_trial"] for r in prow if r["sampler"] == "tpe"), None)
        for r in prow:
            r["rank_at"] = last
            r["mean_rank"] = float(np.mean(ranks[r["sampler"]])) if ranks[r["sampler"]] else None
            r["time_vs_tpe"] = r["sampler_ms_per_trial"] / tpe if tpe else None
    return sorted(rows, key=lambda r: (r["problem"], r["sampler"]))


def ranks_by_seed(per_seed: Mapping[int, Mapping[str, float]]) -> dict[str, list[float]]:
    """Each sampler's rank in each seed's values (1 = best, ties share the mean, NaN last),
    as a list over the seeds where it has a value."""
    ranks: dict[str, list[float]] = defaultdict(list)
    for by_sampler in per_seed.values():
        names = list(by_sampler)
        vals = np.array([by_sampler[n] for n in names], dtype=float)
        for n, rk in zip(names, rankdata(np.nan_to_num(vals, nan=np.inf)), strict=True):
            ranks[n].append(float(rk))
    return ranks


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def _table(rows: Sequence[dict[str, Any]], checkpoints: Sequence[int]) -> list[str]:
    head = ["problem", "sampler", "seeds"] + [f"regret@{cp}" for cp in checkpoints]
    head += ["rank", "ms/trial", "× TPE"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["problem"], r["sampler"], str(r["n_seeds"])]
        for cp in checkpoints:
            v = r["regret"].get(str(cp))
            cells.append(f"{_fmt(v['mean'])} ± {_fmt(v['se'])}" if v else "")
        rank = r.get("mean_rank")
        ratio = r.get("time_vs_tpe")
        cells += [
            f"{rank:.2f}" if rank is not None else "",
            f"{r['sampler_ms_per_trial']:.2f}",
            f"{ratio:.2f}" if ratio is not None else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(
    tables: Mapping[str, Sequence[dict[str, Any]]],
    checkpoints: Sequence[int],
    meta: dict[str, Any],
    problems: dict[str, dict[str, Any]],
) -> str:
    """The Markdown report: header (machine, versions, seeds, wall time), tables per metric."""
    lines = header_lines(meta)
    lines += [
        "Regret = true value (on noisy problems the mean over the stored seeds) minus the best "
        "value, of the incumbent (the trial with the best OBSERVED value so far: what a user "
        "would deploy) and of the oracle incumbent (the best TRUE value among the trials so "
        "far: what the sampler found, free of the luck of a noisy draw; on HPOBench car many "
        "cells observe 0 % error on some seed, so the observed incumbent freezes at the first "
        "one); mean ± standard error over seeds. Rank: mean per-seed rank at the last "
        "checkpoint (1 = best). Time: sampler "
        "time per trial (wall time minus objective time), ms, and as a ratio to TPE in this "
        "report. `cmaes` falls back to random sampling on categorical parameters (nas201, "
        "hpolib_*).",
        "",
    ]
    for metric, rows in tables.items():
        lines += [f"## {METRICS[metric].capitalize()}", ""] + _table(rows, checkpoints) + [""]
    lines += [""] + problem_lines(problems)
    plots = meta.get("plots", [])
    if plots:
        lines += ["", "## Regret curves", ""] + [f"![{Path(p).stem}]({p})" for p in plots]
    return "\n".join(lines) + "\n"


def header_lines(meta: dict[str, Any]) -> list[str]:
    """Title and one bullet per ``meta["header"]`` item (machine, versions, seeds, wall time)."""
    return [f"# {meta['title']}", "", *(f"- {k}: {v}" for k, v in meta["header"].items()), ""]


def problem_lines(problems: Mapping[str, dict[str, Any]]) -> list[str]:
    """The "Problems" section: best value, mean of a random point and description of each."""
    lines = ["## Problems", ""]
    for name, p in problems.items():
        best = "unknown" if p["best_value"] is None else f"{p['best_value']:.6g}"
        rnd = "" if p["random_mean"] is None else f", mean of a random point {p['random_mean']:.6g}"
        lines.append(f"- **{name}** ({p['family']}): best {best}{rnd}. {p['description']}")
    return lines


def plot_problem(problem: str, cells: Sequence[CellResult], path: Path) -> None:
    """Mean regret ± SE against trials, one line per sampler, to a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(METRICS), figsize=(11, 4.2))
    for ax, metric in zip(axes, METRICS, strict=True):
        _plot_metric(ax, problem, cells, metric)
    axes[0].set_ylabel("regret (mean ± SE over seeds)")
    axes[0].legend(fontsize=8)
    fig.suptitle(problem)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_metric(ax: Any, problem: str, cells: Sequence[CellResult], metric: str) -> None:
    positive, smallest = True, math.inf
    for (prob, sampler), cs in sorted(group(cells).items()):
        if prob != problem:
            continue
        curves = _curves(cs, metric)
        mean = np.nanmean(curves, axis=0)
        se = (np.nanstd(curves, axis=0, ddof=1) / np.sqrt(len(cs))) if len(cs) > 1 else 0 * mean
        t = np.arange(1, len(mean) + 1)
        ax.plot(t, mean, label=f"{sampler} ({len(cs)})")
        ax.fill_between(t, mean - se, mean + se, alpha=0.2)
        positive = positive and bool(np.all(mean > 0))
        if np.any(mean > 0):
            smallest = min(smallest, float(np.min(mean[mean > 0])))
    if positive:
        ax.set_yscale("log")
        # an SE band reaching below 0 would stretch the axis to ~1e-18: cut it off below
        ax.set_ylim(bottom=0.5 * smallest)
    else:  # a regret of exactly 0 (tabular optimum found) cannot be drawn on a log axis
        ax.set_yscale("symlog", linthresh=smallest if math.isfinite(smallest) else 1.0)
    ax.set_xlabel("trial")
    ax.set_title(metric, fontsize=10)
    ax.grid(alpha=0.3)
