"""Tune a scikit-learn model with LaNASSampler and TPESampler side by side.

Tunes an SVM pipeline (feature scaler, kernel, C, gamma, class weights) on scikit-learn's
bundled breast cancer data set (569 samples, 30 features, no download), scoring each
configuration by its mean 5-fold cross-validated accuracy. Both samplers get the same budget,
the same seeds and the same folds; the script prints one row per sampler: the best CV accuracy
found (mean and standard deviation over the seeds), the trial that first reached it (mean),
the wall time per study and the part of it spent outside model fitting (the sampler and
Optuna's bookkeeping).

Run (well under a minute on 2 CPU cores)::

    python examples/sklearn_tuning.py                                # 5 seeds x 50 trials
    python examples/sklearn_tuning.py --n-trials 100 --seeds 0 1 2   # another budget
    python examples/sklearn_tuning.py --smoke                        # seconds

Differences between samplers on a budget this small are partly luck: compare over several
``--seeds`` (the default is five) before drawing conclusions.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from lanas_sampler import LaNASSampler

SAMPLERS: dict[str, Callable[[int], optuna.samplers.BaseSampler]] = {
    "LaNAS": lambda seed: LaNASSampler(seed=seed),
    "TPE": lambda seed: optuna.samplers.TPESampler(seed=seed),
}
SCALERS = {"standard": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}
DEFAULTS = {"n_trials": 50, "seeds": [0, 1, 2, 3, 4]}
# --smoke: two model-based trials after the 10 start-up ones, one seed; seconds.
SMOKE = {"n_trials": 12, "seeds": [0]}


@dataclass
class Run:
    """One study: best score, the trial that reached it, wall and sampler time."""

    best: float
    best_trial: int
    wall: float
    sampler: float


def make_model(trial: optuna.Trial) -> Pipeline:
    """The search space: feature scaling and an SVM's kernel, C, gamma and class weights."""
    scaler = trial.suggest_categorical("scaler", ["standard", "minmax", "robust"])
    return make_pipeline(
        SCALERS[scaler](),
        SVC(
            kernel=trial.suggest_categorical("kernel", ["rbf", "sigmoid"]),
            C=trial.suggest_float("C", 1e-3, 1e3, log=True),
            gamma=trial.suggest_float("gamma", 1e-5, 10.0, log=True),
            class_weight=trial.suggest_categorical("class_weight", [None, "balanced"]),
        ),
    )


def make_objective(
    x: np.ndarray, y: np.ndarray, fit_times: list[float]
) -> Callable[[optuna.Trial], float]:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  # the same for everyone

    def objective(trial: optuna.Trial) -> float:
        model = make_model(trial)
        start = time.perf_counter()
        score = cross_val_score(model, x, y, cv=folds, scoring="accuracy").mean()
        fit_times.append(time.perf_counter() - start)
        return float(score)

    return objective


def run_study(name: str, seed: int, n_trials: int) -> Run:
    x, y = load_breast_cancer(return_X_y=True)
    fit_times: list[float] = []
    study = optuna.create_study(direction="maximize", sampler=SAMPLERS[name](seed))
    start = time.perf_counter()
    study.optimize(make_objective(x, y, fit_times), n_trials=n_trials)
    wall = time.perf_counter() - start
    return Run(study.best_value, study.best_trial.number, wall, wall - sum(fit_times))


def print_table(runs: dict[str, list[Run]], n_trials: int) -> None:
    n_seeds = len(next(iter(runs.values())))
    print(f"\nbest 5-fold CV accuracy after {n_trials} trials, over {n_seeds} seed(s):")
    header = f"{'sampler':<8} {'best CV acc':>19} {'reached at trial':>17} "
    print(header + f"{'wall time':>10} {'sampler time':>13}")
    for name, results in runs.items():
        best = [r.best for r in results]
        spread = statistics.stdev(best) if len(best) > 1 else 0.0
        trial = statistics.mean(r.best_trial for r in results)
        wall = statistics.mean(r.wall for r in results)
        sampler = statistics.mean(r.sampler for r in results)
        print(
            f"{name:<8} {statistics.mean(best):>10.4f} ± {spread:.4f} {trial:>17.1f} "
            f"{wall:>9.1f}s {sampler:>12.2f}s"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n-trials",
        type=int,
        help=f"trials per sampler and seed (default {DEFAULTS['n_trials']})",
    )
    parser.add_argument(
        "--seeds", type=int, nargs="+", help=f"sampler seeds (default {DEFAULTS['seeds']})"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"fast check: {SMOKE['n_trials']} trials, one seed",
    )
    # --smoke changes the defaults; options given explicitly win (e.g. --smoke --seeds 3).
    smoke = parser.parse_known_args(argv)[0].smoke
    parser.set_defaults(**(SMOKE if smoke else DEFAULTS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # Tiny matrices: BLAS threads cost more than they save; single-threaded timings compare.
    threadpool_limits(limits=1)
    runs: dict[str, list[Run]] = {name: [] for name in SAMPLERS}
    for seed in args.seeds:
        for name in SAMPLERS:
            run = run_study(name, seed, args.n_trials)
            runs[name].append(run)
            print(f"seed {seed} {name:<6} best CV accuracy {run.best:.4f} ({run.wall:.1f} s)")
    print_table(runs, args.n_trials)


if __name__ == "__main__":
    main()
