"""Aggregate a suite run (``suite.py``) into ``results.json``, ``RESULTS.md`` and PNG plots.

Built on ``report.py``: per budget, ``report.summarise`` gives regret mean ± SE and per-seed
mean ranks of the cells as they stood at that budget; this module adds the family and overall
ranks, the normalised score, samples-to-target on NAS-Bench-201, the overhead tables and the
per-family plots. Definitions (also printed in the report):

* cells at budget b: a budget-agnostic sampler's run truncated to b trials; a Nevergrad
  optimizer's run told budget b;
* problems with no known best (scikit-learn tuning): best = the lower of the stored reference
  (random search) and the best true value any cell of the run reached;
* BBOB: the instances of a function are pooled (seed ``1000 * instance + seed``), regret is
  per instance (its own optimum), so ``bbob_f8_d5`` has instances x seeds runs;
* normalised score at b: ``100 * (1 - mean regret / mean regret of random search)``, clipped
  to [-100, 100]: 100 = best known, 0 = random search, negative = worse than random;
* rank: per (problem, seed) over the samplers that ran it, ties averaged, then averaged over
  seeds; family rank = mean over its problems; overall = mean over families.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from optuna_bench import code_hash, machine, problem_info, versions
from problems import bbob_ids, get_problem
from problems_sklearn import reference
from report import _fmt, _plot_metric, _table, group, header_lines, problem_lines, summarise
from report_cells import normalised_score, pooled_key, pooled_name
from runners import CellResult, _clean, budget_aware

# NAS-Bench-201 targets for samples-to-target: top fraction of the 15,625 cells by mean error.
TARGET_FRACTIONS = (0.01, 0.001, 1 / 15625)
LANAS_DEFAULT = "lanas"


def bbob_instances(problems: Sequence[str]) -> list[int]:
    """The BBOB instances among ``problems``, sorted (empty when there is no BBOB problem)."""
    return sorted({ids[1] for p in problems if (ids := bbob_ids(p))})


def bbob_functions(problems: Sequence[str]) -> list[int]:
    """The BBOB function numbers among ``problems``, sorted (empty when there is none)."""
    return sorted({ids[0] for p in problems if (ids := bbob_ids(p))})


def _bbob_listing(
    families: Sequence[Any], ids: Callable[[Sequence[str]], list[int]], prefix: str = ""
) -> str:
    """``"bbob-d5 f1, f8; bbob-d20 f1"``: the BBOB ids (``ids``) each family ran, for the header."""
    listed = [(f.name, ids(f.problems)) for f in families]
    return (
        "; ".join(
            f"{name} {', '.join(f'{prefix}{n}' for n in numbers)}"
            for name, numbers in listed
            if numbers
        )
        or "none"
    )


def prepare(cells: list[CellResult]) -> tuple[list[CellResult], dict[str, float]]:
    """Rebase problems without a known best (see module docstring), pool BBOB instances."""
    best_seen: dict[str, float] = defaultdict(lambda: math.inf)
    for c in cells:
        if c.best_value is None and c.best_true:
            best_seen[c.problem] = min(best_seen[c.problem], min(c.best_true))
    ref = reference()
    best_known = {p: min(v, ref.get(p, {}).get("best", math.inf)) for p, v in best_seen.items()}
    out = []
    for c in cells:
        if c.problem in best_known:
            b = best_known[c.problem]
            c = replace(c, regret=[v - b for v in c.incumbent_true], best_value=b)
        name, seed = pooled_key(c.problem, c.seed)
        if name != c.problem:
            c = replace(c, problem=name, seed=seed)
        out.append(c)
    return out, best_known


def at_budget(cells: Sequence[CellResult], budget: int) -> list[CellResult]:
    """The cells as they stood after ``budget`` trials (see module docstring)."""
    out = []
    for c in cells:
        if budget_aware(c.sampler):
            if c.budget == budget:
                out.append(c)
        elif c.budget >= budget:
            out.append(c.truncated(budget))
    return out


def family_tables(family: Any, cells: list[CellResult]) -> dict[str, Any]:
    """Rows per (problem, sampler) with regret at every budget, ranks, scores."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for b in family.budgets:
        for r in summarise(at_budget(cells, b), [b]):
            row = merged.setdefault((r["problem"], r["sampler"]), {**r, "regret": {}, "rank": {}})
            row["regret"].update(r["regret"])
            row["rank"][str(b)] = r["mean_rank"]
            row["n_seeds"] = r["n_seeds"]
            row["sampler_ms_per_trial"] = r["sampler_ms_per_trial"]
    rows = sorted(merged.values(), key=lambda r: (r["problem"], r["sampler"]))
    for r in rows:  # normalised score against random search at the same budget
        rnd = merged.get((r["problem"], "random"))
        r["score"] = {}
        for b, v in r["regret"].items():
            score = normalised_score(
                v["mean"], rnd["regret"].get(b, {}).get("mean") if rnd else None
            )
            if score is not None:
                r["score"][b] = score
        last = max(r["rank"], key=int)
        r["mean_rank"], r["rank_at"] = r["rank"][last], int(last)
        tpe = merged.get((r["problem"], "tpe"))
        r["time_vs_tpe"] = r["sampler_ms_per_trial"] / tpe["sampler_ms_per_trial"] if tpe else None
    by_sampler: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: {"rank": defaultdict(list), "score": defaultdict(list)}
    )
    for r in rows:
        for what in ("rank", "score"):
            for b, v in r[what].items():
                if v is not None:
                    by_sampler[r["sampler"]][what][b].append(v)
    summary = {
        s: {w: {b: float(np.mean(v)) for b, v in d.items()} for w, d in agg.items()}
        for s, agg in by_sampler.items()
    }
    last = family.budgets[-1]
    oracle = {
        r["sampler"]: r["mean_rank"] for r in summarise(at_budget(cells, last), [last], "oracle")
    }
    return {"rows": rows, "summary": summary, "oracle_rank_last": oracle}


def samples_to_target(cells: list[CellResult], budget: int) -> list[dict[str, Any]]:
    """Trials until the best TRUE value so far reaches each NAS-Bench-201 target (censored at
    the budget), against random search: measured and exact (uniform draws with replacement)."""
    values = get_problem("nas201").table_values
    assert values is not None
    sorted_vals = np.sort(values)
    rows = []
    for frac in TARGET_FRACTIONS:
        k = max(1, int(round(frac * len(values))))
        target = float(sorted_vals[k - 1])
        q = float(np.mean(values <= target + 1e-12))
        exact_rs = (1.0 - (1.0 - q) ** budget) / q  # E[min(T, budget)], T ~ Geometric(q)
        by_sampler: dict[str, list[int]] = defaultdict(list)
        for c in cells:
            if c.problem == "nas201" and c.budget == budget and c.best_true is not None:
                hit = next((i + 1 for i, v in enumerate(c.best_true) if v <= target + 1e-12), None)
                by_sampler[c.sampler].append(hit if hit is not None else budget + 1)
        for sampler, hits in sorted(by_sampler.items()):
            capped = np.minimum(hits, budget)
            rows.append(
                {
                    "target": f"top {k} cells (error <= {target:.4f})",
                    "fraction": q,
                    "sampler": sampler,
                    "runs": len(hits),
                    "reached": int(np.sum(np.asarray(hits) <= budget)),
                    "mean_trials_capped": float(np.mean(capped)),
                    "median_trials": float(np.median(hits)),
                    "random_exact_capped": exact_rs,
                    "random_exact_uncapped": 1.0 / q,
                    "speedup_vs_random": exact_rs / float(np.mean(capped)),
                }
            )
    return rows


def lanas_vs_random(tables: dict[str, Any], families: Sequence[Any]) -> list[dict[str, Any]]:
    """(problem, budget, LaNAS configuration) where LaNAS's mean regret exceeds random search's;
    ``z`` = difference / combined standard error."""
    out = []
    for f in families:
        rows = {(r["problem"], r["sampler"]): r for r in tables[f.name]["rows"]}
        for (problem, sampler), r in sorted(rows.items()):
            rnd = rows.get((problem, "random"))
            if not sampler.startswith("lanas") or rnd is None:
                continue
            for b in map(str, f.budgets):
                if b not in r["regret"] or b not in rnd["regret"]:
                    continue
                lm, ls = r["regret"][b]["mean"], r["regret"][b]["se"]
                rm, rs = rnd["regret"][b]["mean"], rnd["regret"][b]["se"]
                if lm > rm:
                    se = math.hypot(ls, rs)
                    out.append({
                        "family": f.name, "problem": problem, "budget": int(b),
                        "sampler": sampler, "lanas": lm, "lanas_se": ls, "random": rm,
                        "random_se": rs, "z": (lm - rm) / se if se > 0 else math.inf,
                    })  # fmt: skip
    return out


# ------------------------------------------------------------------------------------ markdown
def _rank_table(
    tables: dict[str, Any], families: Sequence[Any], samplers: Sequence[str]
) -> list[str]:
    cols = [(f.name, str(b)) for f in families for b in f.budgets]
    head = ["sampler", *(f"{f}@{b}" for f, b in cols), "overall first", "overall last"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in samplers:
        summ = {f.name: tables[f.name]["summary"].get(s, {}).get("rank", {}) for f in families}
        vals = [summ[f].get(b) for f, b in cols]
        first = [summ[f.name].get(str(f.budgets[0])) for f in families]
        last = [summ[f.name].get(str(f.budgets[-1])) for f in families]
        agg = [
            np.mean([v for v in x if v is not None]) if any(v is not None for v in x) else None
            for x in (first, last)
        ]
        cells = [("" if v is None else f"{v:.2f}") for v in [*vals, *agg]]
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    return lines


def _score_tables(
    tables: dict[str, Any], families: Sequence[Any], samplers: Sequence[str]
) -> list[str]:
    lines = ["### Per family (mean over problems)", ""]
    cols = [(f.name, str(b)) for f in families for b in f.budgets]
    lines += [
        "| sampler | " + " | ".join(f"{f}@{b}" for f, b in cols) + " |",
        "|" + "---|" * (len(cols) + 1),
    ]
    for s in samplers:
        vals = [tables[f]["summary"].get(s, {}).get("score", {}).get(b) for f, b in cols]
        lines.append(f"| {s} | " + " | ".join("" if v is None else f"{v:.0f}" for v in vals) + " |")
    lines += ["", "### Per problem at the family's largest budget", ""]
    lines += [
        "| family | problem | budget | " + " | ".join(samplers) + " |",
        "|" + "---|" * (len(samplers) + 3),
    ]
    for f in families:
        rows = {(r["problem"], r["sampler"]): r for r in tables[f.name]["rows"]}
        b = str(f.budgets[-1])
        for p in sorted({r["problem"] for r in tables[f.name]["rows"]}):
            vals = [rows.get((p, s), {}).get("score", {}).get(b) for s in samplers]
            lines.append(
                f"| {f.name} | {p} | {b} | "
                + " | ".join("" if v is None else f"{v:.0f}" for v in vals)
                + " |"
            )
    return lines


def _target_table(rows: list[dict[str, Any]], budget: int) -> list[str]:
    lines = [
        "| target | sampler | reached | mean trials (capped at budget) | median | random search "
        f"(exact, capped at {budget}) | speed-up vs random |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        med = "> budget" if r["median_trials"] > budget else f"{r['median_trials']:.0f}"
        lines.append(
            f"| {r['target']} | {r['sampler']} | {r['reached']}/{r['runs']} | "
            f"{r['mean_trials_capped']:.1f} | {med} | {r['random_exact_capped']:.1f} "
            f"(uncapped {r['random_exact_uncapped']:.0f}) | "
            f"{r['speedup_vs_random']:.2f}x |"
        )
    return lines


def _overhead_tables(ovh: list[dict[str, Any]]) -> list[str]:
    ok = [r for r in ovh if "error" not in r]
    lines: list[str] = []
    for key, sweep in (("observations", "trials_sweep"), ("dim", "dim_sweep")):
        pts = [r for r in ok if r.get(sweep)]
        xs = sorted({r[key] for r in pts})
        if not xs:
            continue
        if key == "dim":
            title = f"dimension ({pts[0]['observations']:,} trials)"
        else:
            title = "trials (20-d mixed space)"
        tpe = {r[key]: r["ms_mean"] for r in pts if r["sampler"] == "tpe"}
        head = ["sampler", *(f"{key}={x:,} ms (× TPE)" for x in xs)]
        if key == "observations":
            head.append(f"peak RSS at {xs[-1]:,} (growth) MB")
        lines += [
            f"### Sampler time per trial vs {title}",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for s in dict.fromkeys(r["sampler"] for r in pts):
            by_x = {r[key]: r for r in pts if r["sampler"] == s}
            cells = []
            for x in xs:
                r = by_x.get(x)
                ratio = f" ({r['ms_mean'] / tpe[x]:.2f})" if r and tpe.get(x) else ""
                cells.append(f"{r['ms_mean']:.1f}{ratio}" if r else "not run")
            if key == "observations":
                r = by_x.get(xs[-1])
                cells.append(f"{r['peak_rss_mb']:.0f} ({r['rss_growth_mb']:+.0f})" if r else "")
            lines.append(f"| {s} | " + " | ".join(cells) + " |")
        lines.append("")
    errors = [r for r in ovh if "error" in r]
    lines += [
        f"- failed: {r['sampler']} N={r['observations']} d={r['dim']}: {r['error']}" for r in errors
    ]
    return lines


# --------------------------------------------------------------------------------------- plots
def plot_family(family: Any, cells: list[CellResult], path: Path) -> None:
    """One panel per problem: incumbent regret mean ± SE vs trials, largest-budget runs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    last = family.budgets[-1]
    runs = [c for c in cells if not budget_aware(c.sampler) or c.budget == last]
    problems = sorted({c.problem for c in runs}, key=lambda p: (len(p), p))
    ncol = min(4, len(problems))
    nrow = math.ceil(len(problems) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.3 * nrow), squeeze=False)
    for ax, problem in zip(axes.flat, problems, strict=False):
        _plot_metric(ax, problem, runs, "incumbent")
        ax.set_title(problem, fontsize=9)
    for ax in list(axes.flat)[len(problems) :]:
        ax.axis("off")
    axes[0][0].legend(fontsize=6)
    fig.suptitle(f"{family.name}: incumbent regret (mean ± SE over seeds)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_overhead(ovh: list[dict[str, Any]], key: str, path: Path) -> None:
    """Sampler ms per trial against the number of trials (d=20) or the dimension."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sweep = "trials_sweep" if key == "observations" else "dim_sweep"
    ok = [r for r in ovh if "error" not in r and r.get(sweep)]
    fig, ax = plt.subplots(figsize=(6, 4))
    for s in dict.fromkeys(r["sampler"] for r in ok):
        pts = sorted((r[key], r["ms_mean"]) for r in ok if r["sampler"] == s)
        ax.plot(*zip(*pts, strict=True), marker="o", label=s)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("finished trials (20-d mixed space)" if key == "observations" else "dimension")
    ax.set_ylabel("sampler ms per trial (ask + tell)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------------------------------- write
def _curve_points(cells: list[CellResult], budget: int) -> dict[str, Any]:
    idx = sorted({int(round(x)) for x in np.geomspace(1, budget, 40)})
    curves = np.asarray([c.curve("incumbent")[:budget] for c in cells], dtype=float)
    se = curves.std(0, ddof=1) / math.sqrt(len(cells)) if len(cells) > 1 else 0 * curves[0]
    return {
        "trial": idx,
        "mean": [float(curves[:, i - 1].mean()) for i in idx],
        "se": [float(se[i - 1]) for i in idx],
    }


def cell_summary(c: CellResult, budgets: Sequence[int] = ()) -> dict[str, Any]:
    """What ``results.json`` keeps of a cell (``with_derived`` applied): its final regrets and
    mean sampler time per trial, not the per-trial traces; and, for a sampler that does not know
    the budget, its regret at each of ``budgets`` (its family's) it reached, so that a later
    script can rank it at the smaller budgets too (``overall.py``). A Nevergrad optimizer's run
    told a budget is that budget's cell alone."""
    regret = c.curve("incumbent")
    reached = () if budget_aware(c.sampler) else [b for b in budgets if b <= c.budget]
    return {
        "sampler": c.sampler,
        "problem": c.problem,
        "seed": c.seed,
        "budget": c.budget,
        "final_regret": regret[-1],
        "regret_at": {str(b): regret[b - 1] for b in reached},
        "final_oracle": c.curve("oracle")[-1],
        "wall_time": c.wall_time,
        "sampler_ms_per_trial": 1e3 * float(np.mean(c.sampler_time)),
    }


def write(
    out: Path,
    suite_name: str,
    families: Sequence[Any],
    samplers: Sequence[str],
    raw_cells: list[CellResult],
    ovh: list[dict[str, Any]],
    *,
    wall: float,
    cached: int,
    argv: list[str] | None,
    notes: Sequence[str] = (),
) -> None:
    """Write ``results.json``, ``RESULTS.md`` and the PNGs into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    cells, best_known = prepare(raw_cells)
    fam_of = {p: f.name for f in families for p in f.problems}
    fam_of.update({pooled_name(p)[0]: n for p, n in list(fam_of.items())})
    by_family: dict[str, list[CellResult]] = defaultdict(list)
    for c in cells:
        by_family[fam_of[c.problem]].append(c)
    tables = {f.name: family_tables(f, by_family[f.name]) for f in families}
    budgets_of = {f.name: f.budgets for f in families}
    plots = []
    for f in families:
        plot_family(f, by_family[f.name], out / f"regret_{f.name}.png")
        plots.append(f"regret_{f.name}.png")
    if ovh:
        for key, name in (("observations", "overhead_trials.png"), ("dim", "overhead_dim.png")):
            plot_overhead(ovh, key, out / name)
            plots.append(name)
    nas = next((f for f in families if f.name == "nas201"), None)
    targets = samples_to_target(by_family["nas201"], nas.budgets[-1]) if nas else []
    worse = lanas_vs_random(tables, families)
    seeds = {f.name: f.seed_range() for f in families}
    header = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "python": sys.version.split()[0],
        "versions": ", ".join(f"{k} {v}" for k, v in versions().items()),
        "samplers": ", ".join(samplers),
        "seeds (per problem; BBOB: per instance, instances pooled)": ", ".join(
            f"{k} {v[0]}..{v[-1]}" for k, v in seeds.items()
        ),
        "BBOB instances": _bbob_listing(families, bbob_instances),
        "BBOB functions": _bbob_listing(families, bbob_functions, prefix="f"),
        "budgets": "; ".join(f"{f.name} {', '.join(map(str, f.budgets))}" for f in families),
        "wall time": f"{wall:.0f} s ({wall / 60:.1f} min)",
        "cells": f"{len(raw_cells)}, of which {cached} from the cache (sampler times of cached "
        "cells were measured when they ran)",
        "compute time of all cells (incl. cached)": f"{sum(c.wall_time for c in raw_cells):.0f} s",
        "sampler keys (lanas-core, lanas, Optuna, Nevergrad)": ", ".join(
            code_hash(s) for s in ("lanas-core", "lanas", "tpe", "ng-CMA")
        ),
        "command": "python suite.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    meta = {"title": f"LaNAS benchmark suite ({suite_name})", "header": header}
    lines = header_lines(meta) + [str(__doc__).split("(also printed in the report):")[1].strip()]
    lines += [
        *(f"* {n}" for n in notes),
        "* `cmaes` falls back to random sampling on categorical parameters (nas201, hpolib).",
        "* TPESampler() is already multivariate for single-objective studies in Optuna 5, so "
        "TPESampler(multivariate=True) is not run separately.",
        "",
    ]
    lines += ["## Mean rank (1 = best) per family at each budget, and overall", ""]
    lines += _rank_table(tables, families, samplers) + [""]
    lines += [
        "Oracle regret (best TRUE value found) mean rank at the largest budget, noisy "
        "families: "
        + "; ".join(
            f"{f.name}: "
            + ", ".join(
                f"{s} {v:.2f}"
                for s, v in sorted(tables[f.name]["oracle_rank_last"].items(), key=lambda kv: kv[1])
            )
            for f in families
            if f.name in ("nas201", "hpobench", "hpolib")
        ),
        "",
    ]
    lines += ["## Normalised score (100 = best known, 0 = random search)", ""]
    lines += _score_tables(tables, families, samplers) + [""]
    lines += [
        "## Where LaNAS is worse than random search (mean regret, any budget)",
        "",
        "| family | problem | budget | LaNAS configuration | its regret | random's | z |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {w['family']} | {w['problem']} | {w['budget']} | {w['sampler']} | "
        f"{_fmt(w['lanas'])} ± {_fmt(w['lanas_se'])} | {_fmt(w['random'])} ± "
        f"{_fmt(w['random_se'])} | {w['z']:.1f} |"
        for w in worse
    ] or ["| none | | | | | | |"]
    if targets and nas is not None:
        lines += [
            "",
            f"## Samples to target on NAS-Bench-201 (best true value found, budget "
            f"{nas.budgets[-1]})",
            "",
        ] + _target_table(targets, nas.budgets[-1])
    if ovh:
        lines += [
            "",
            "## Overhead",
            "",
            "Method: `core_overhead.py` docstring (synthetic "
            "observations via `study.add_trials`, fresh subprocess per point, mean of the "
            "timed ask + tell pairs; Nevergrad: real loop).",
            "",
        ]
        lines += _overhead_tables(ovh)
    lines += ["", "## Regret mean ± SE per problem (incumbent)", ""]
    for f in families:
        lines += [f"### {f.name}", ""] + _table(tables[f.name]["rows"], f.budgets) + [""]
    pinfo = {p: problem_info(get_problem(p)) for f in families for p in f.problems}
    for p, b in best_known.items():
        pinfo[p]["best_value"] = b
    lines += problem_lines(pinfo)
    lines += ["", "## Plots", "", *(f"![{Path(p).stem}]({p})" for p in plots)]
    (out / "RESULTS.md").write_text("\n".join(lines) + "\n")
    curves = {}
    for f in families:
        last = f.budgets[-1]
        runs = [c for c in by_family[f.name] if (c.budget == last) or not budget_aware(c.sampler)]
        for (p, s), cs in group(runs).items():
            budget = min(c.budget for c in cs)
            curves[f"{p}|{s}"] = _curve_points(cs, budget)
    results = {
        "meta": {
            **meta,
            "suite": suite_name,
            "families": [vars(f) for f in families],
            "samplers": list(samplers),
            "wall_time_s": wall,
            "versions": versions(),
        },
        "problems": pinfo,
        "families": tables,
        "samples_to_target": targets,
        "lanas_worse_than_random": worse,
        "overhead": ovh,
        "curves": curves,
        "cells": [cell_summary(c, budgets_of[fam_of[c.problem]]) for c in cells],
    }
    (out / "results.json").write_text(json.dumps(_clean(results), indent=1))
