"""Samplers under a real pruner, where users meet one: Optuna studies that train a network epoch
by epoch, report its validation loss and stop the trials Optuna's ``MedianPruner`` prunes.

The suite's problems return a final value only, so no sampler there ever sees a pruned trial.
This benchmark trains scikit-learn's ``MLPClassifier`` (adam, one hidden layer) on the
handwritten digits scikit-learn ships (1,797 8x8 images, 10 classes; 70 % training, 30 %
validation, stratified, fixed), one ``partial_fit`` pass per epoch, ``--epochs`` epochs. Every
epoch reports the validation cross-entropy; the trial's value is that of its last epoch.
Training is deterministic (``random_state=0``), so a configuration always has the same curve.

Search space, six parameters (floats on a log scale, integers, a categorical): hidden units
8-128 (log), batch size 32-512 (log), initial learning rate 1e-5..1e-1 (log), L2 penalty
1e-6..1e-1 (log), adam's beta_1 0.5..0.99, activation relu / tanh / logistic.

Pruner: ``MedianPruner(n_startup_trials=5, n_warmup_steps=2)``: once five trials are complete,
from the third epoch on, a trial whose best loss so far is worse than the median of the complete
trials' losses at the same epoch stops.

Reported per sampler (mean ± s.e. over seeds): the best complete trial's loss after 25, 50 and
100 trials, and after the trials that fit in 250, 500 and 1,000 epochs of training (a pruned
trial costs only its epochs: the budget users pay); the share of trials pruned; sampler time per
trial (ask, the suggest calls and tell, as the suite measures it); the mean rank per seed. Every
sampler is built as the suite builds it (``runners.make_optuna_sampler``). ``--pruner none``
trains every trial to the end: what pruning gains or costs each sampler.

    python benchmarks/pruned_study.py [--samplers lanas tpe random] [--seeds 10] [--trials 100]
        [--epochs 12] [--pruner median|none] [--jobs 1] [--out benchmarks/results/pruned_study]

Writes ``rows.jsonl`` (one row per study), ``meta.json``, ``RESULTS.md`` and ``curves.png``
into ``--out``; ``--report-only`` rewrites the last two from the first two.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from optuna_bench import code_hash, machine, versions  # noqa: E402
from report import _mean_se as mean_and_se  # noqa: E402
from report import ranks_by_seed  # noqa: E402
from runners import _quiet_optuna, make_optuna_sampler, suggest  # noqa: E402
from suite import worker_pool  # noqa: E402

from lanas_sampler import Categorical, Float, Int  # noqa: E402

TRIAL_CHECKS = (25, 50, 100)
EPOCH_CHECKS = (250, 500, 1000)
ACTIVATIONS = ("relu", "tanh", "logistic")


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X_train, X_valid, y_train, y_valid = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_valid), y_train, y_valid


# The study's search space in the core's types, asked of Optuna trials by ``runners.suggest``.
SPACE = {
    "hidden": Int(8, 128, log=True),
    "batch_size": Int(32, 512, log=True),
    "learning_rate": Float(1e-5, 1e-1, log=True),
    "alpha": Float(1e-6, 1e-1, log=True),
    "beta_1": Float(0.5, 0.99),
    "activation": Categorical(ACTIVATIONS),
}


def trainer(epochs: int) -> Any:
    """``train(trial, params, progress) -> loss``: trains, reports the validation loss each
    epoch, keeps the epochs trained in ``progress["epochs"]``, and raises
    ``optuna.TrialPruned`` when the pruner says so."""
    import optuna
    from sklearn.metrics import log_loss
    from sklearn.neural_network import MLPClassifier

    X_train, X_valid, y_train, y_valid = _data()
    classes = np.unique(y_train)

    def train(trial: optuna.Trial, params: dict[str, Any], progress: dict[str, int]) -> float:
        model = MLPClassifier(
            hidden_layer_sizes=(params["hidden"],),
            batch_size=params["batch_size"],
            learning_rate_init=params["learning_rate"],
            alpha=params["alpha"],
            beta_1=params["beta_1"],
            activation=params["activation"],
            random_state=0,
        )
        loss = math.nan
        for epoch in range(epochs):
            model.partial_fit(X_train, y_train, classes=classes)
            loss = float(log_loss(y_valid, model.predict_proba(X_valid), labels=classes))
            progress["epochs"] = epoch + 1
            trial.report(loss, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return loss

    return train


PRUNERS = ("median", "none")


def run_study(sampler: str, seed: int, trials: int, epochs: int, pruner: str) -> dict[str, Any]:
    """One study; per trial its configuration, state, value (complete ones), epochs trained
    and sampler time (ask, the suggest calls and tell: the suite's measure)."""
    import optuna

    _quiet_optuna()
    study = optuna.create_study(
        direction="minimize",
        sampler=make_optuna_sampler(sampler, seed),
        pruner=(
            optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2)
            if pruner == "median"
            else optuna.pruners.NopPruner()
        ),
    )
    train = trainer(epochs)
    configurations, states, values, spent, sampler_time = [], [], [], [], []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # adam's convergence notices, CMA-ES on categoricals
        for _ in range(trials):
            t0 = time.perf_counter()
            trial = study.ask()
            params = suggest(trial, SPACE)  # Optuna samples relative parameters here
            t1 = time.perf_counter()
            state, value, progress = optuna.trial.TrialState.COMPLETE, None, {"epochs": 0}
            try:
                value = train(trial, params, progress)
            except optuna.TrialPruned:
                state = optuna.trial.TrialState.PRUNED
            except Exception:  # diverged training: a FAIL trial, as Optuna's optimize records
                state = optuna.trial.TrialState.FAIL
            t2 = time.perf_counter()
            study.tell(trial, value, state=state)
            t3 = time.perf_counter()
            configurations.append(params)
            states.append(state.name)
            values.append(value)
            spent.append(progress["epochs"])
            sampler_time.append((t1 - t0) + (t3 - t2))
    return {
        "sampler": sampler,
        "seed": seed,
        "trials": trials,
        "epochs": epochs,
        "pruner": pruner,
        "params": configurations,
        "states": states,
        "values": values,
        "epochs_trained": spent,
        "sampler_time": sampler_time,
        "wall": time.perf_counter() - start,
    }


def best_after_trials(row: dict[str, Any], n: int) -> float:
    """The best complete trial's loss among the first ``n`` trials (inf: none complete)."""
    done = [v for v in row["values"][:n] if v is not None]
    return min(done) if done else math.inf


def best_after_epochs(row: dict[str, Any], budget: int) -> float:
    """The best complete trial's loss among the trials whose training fits in ``budget``
    epochs, counted in the order they ran; NaN when the study's trials trained fewer epochs in
    all (pruned studies may: its best then stands for fewer epochs than the budget)."""
    if sum(row["epochs_trained"]) < budget:
        return math.nan
    best, used = math.inf, 0
    for value, spent in zip(row["values"], row["epochs_trained"], strict=True):
        used += spent
        if used > budget:
            break
        if value is not None:
            best = min(best, value)
    return best


def _mean_se(x: list[float]) -> str:
    """Mean ± s.e. of the studies that reach the budget (NaN: not reached), saying how many
    do when some do not; inf (no complete trial yet) makes the mean meaningless."""
    a = np.asarray(x, dtype=float)
    reached = a[~np.isnan(a)]
    if len(reached) == 0:
        return f"not reached (0 of {len(a)})"
    if np.isinf(reached).any():
        return f"{np.isfinite(reached).sum()} of {len(a)} with a complete trial"
    mean, se = mean_and_se(reached)
    text = f"{mean:.4f} ± {se:.4f}"
    return text if len(reached) == len(a) else f"{text} ({len(reached)} of {len(a)})"


def _ranks(rows: list[dict[str, Any]], samplers: list[str], metric: Any) -> dict[str, float]:
    """Mean rank over seeds (1 = best, ties share the mean) of ``metric(row)``, over the seeds
    where every sampler has a value (not NaN)."""
    by_seed: dict[int, dict[str, float]] = {}
    for row in rows:
        by_seed.setdefault(row["seed"], {})[row["sampler"]] = metric(row)
    complete = {
        seed: values
        for seed, values in by_seed.items()
        if set(values) == set(samplers) and not any(math.isnan(v) for v in values.values())
    }
    ranks = ranks_by_seed(complete)
    return {s: float(np.mean(ranks[s])) if ranks[s] else math.nan for s in samplers}


def report(rows: list[dict[str, Any]], samplers: list[str], meta: dict[str, Any]) -> str:
    """The Markdown report."""
    trials, epochs = rows[0]["trials"], rows[0]["epochs"]
    trial_checks = [c for c in TRIAL_CHECKS if c <= trials] or [trials]
    epoch_checks = [c for c in EPOCH_CHECKS if c <= trials * epochs] or [trials * epochs]
    title = "under Optuna's MedianPruner" if rows[0]["pruner"] == "median" else "without a pruner"
    lines = [f"# Samplers {title} (MLP on digits)", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    lines += [
        "",
        "Best complete trial's validation cross-entropy (mean ± s.e. over seeds; mean rank per "
        "seed, 1 = best).",
        "",
    ]
    checks = [(f"{c} trials", lambda r, c=c: best_after_trials(r, c)) for c in trial_checks]
    checks += [(f"{c} epochs", lambda r, c=c: best_after_epochs(r, c)) for c in epoch_checks]
    lines.append("| sampler | " + " | ".join(name for name, _ in checks) + " |")
    lines.append("|---|" + "---|" * len(checks))
    for s in samplers:
        mine = [r for r in rows if r["sampler"] == s]
        cells = [_mean_se([metric(r) for r in mine]) for _, metric in checks]
        lines.append(f"| {s} | " + " | ".join(cells) + " |")
    ranks = [_ranks(rows, samplers, metric) for _, metric in checks]
    for s in samplers:
        lines.append(f"| rank {s} | " + " | ".join(f"{r[s]:.2f}" for r in ranks) + " |")
    lines += [
        "",
        "| sampler | trials pruned | epochs trained per trial | sampler ms per trial |",
    ]
    lines.append("|---|---|---|---|")
    for s in samplers:
        mine = [r for r in rows if r["sampler"] == s]
        pruned = np.mean([st == "PRUNED" for r in mine for st in r["states"]])
        spent = np.mean([e for r in mine for e in r["epochs_trained"]])
        ms = 1000 * np.mean([t for r in mine for t in r["sampler_time"]])
        lines.append(f"| {s} | {100 * pruned:.0f} % | {spent:.1f} of {epochs} | {ms:.1f} |")
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]], samplers: list[str], path: Path) -> None:
    """Best loss against trials, mean ± s.e. per sampler."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    trials = rows[0]["trials"]
    x = np.arange(1, trials + 1)
    fig, ax = plt.subplots(figsize=(6, 4))
    for s in samplers:
        curves = np.array([[best_after_trials(r, n) for n in x] for r in rows if r["sampler"] == s])
        finite = np.isfinite(curves).all(axis=0)  # trials before any complete one: no value
        mean = curves[:, finite].mean(axis=0)
        se = (
            curves[:, finite].std(axis=0, ddof=1) / math.sqrt(len(curves))
            if len(curves) > 1
            else 0.0
        )
        ax.plot(x[finite], mean, label=s)
        ax.fill_between(x[finite], mean - se, mean + se, alpha=0.2)
    ax.set_xlabel("trials")
    ax.set_ylabel("best validation cross-entropy")
    ax.set_yscale("log")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--samplers", nargs="+", default=["lanas", "tpe", "random"])
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0 .. N-1")
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument(
        "--pruner", choices=PRUNERS, default="median", help="none: every trial trains to the end"
    )
    ap.add_argument("--out", type=Path, default=HERE / "results" / "pruned_study")
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite RESULTS.md and curves.png from --out's rows.jsonl and meta.json",
    )
    args = ap.parse_args(argv)
    if args.report_only:
        rows = [json.loads(line) for line in (args.out / "rows.jsonl").read_text().splitlines()]
        meta = json.loads((args.out / "meta.json").read_text())
        write_report(args.out, rows, meta)
        return 0
    for name, value, least in (("--seeds", args.seeds, 1), ("--trials", args.trials, 1),
                               ("--epochs", args.epochs, 3), ("--jobs", args.jobs, 1)):  # fmt: skip
        if value < least:
            ap.error(f"{name} must be {least} or more, got {value}")
    if len(set(args.samplers)) != len(args.samplers):
        ap.error(f"--samplers: each sampler once, got {args.samplers}")
    for s in args.samplers:  # an unknown name fails before anything runs
        try:
            make_optuna_sampler(s, 0)
        except (ValueError, TypeError) as e:  # Optuna samplers only: no Nevergrad, no core
            ap.error(f"--samplers: {e}")
    tasks = [(s, seed) for seed in range(args.seeds) for s in args.samplers]
    start = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    pool = worker_pool(args.jobs)
    with pool, open(args.out / "rows.jsonl", "w") as f:
        studies = [
            pool.submit(run_study, s, seed, args.trials, args.epochs, args.pruner)
            for s, seed in tasks
        ]
        for study in studies:
            row = study.result()
            rows.append(row)
            f.write(json.dumps(row) + "\n")
            f.flush()
            print(f"{row['sampler']} seed {row['seed']}: {row['wall']:.0f} s", flush=True)
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": sys.version.split()[0],
        "machine": machine(),
        "versions": ", ".join(f"{k} {v}" for k, v in versions().items()),
        "LaNAS code key (the suite's cache key of the adapter and core)": code_hash("lanas"),
        "seeds": f"0..{args.seeds - 1}",
        "trials per study": args.trials,
        "epochs per complete trial": args.epochs,
        "pruner": "MedianPruner(n_startup_trials=5, n_warmup_steps=2)"
        if args.pruner == "median"
        else "none",
        "wall time": f"{time.perf_counter() - start:.0f} s with --jobs {args.jobs}",
        "command": "python benchmarks/pruned_study.py " + " ".join(argv or sys.argv[1:]),
        "samplers": args.samplers,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1))
    write_report(args.out, rows, meta)
    return 0


def write_report(out: Path, rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    samplers = meta["samplers"]
    shown = {k: v for k, v in meta.items() if k != "samplers"}
    (out / "RESULTS.md").write_text(report(rows, samplers, shown))
    plot(rows, samplers, out / "curves.png")


if __name__ == "__main__":
    raise SystemExit(main())
