"""Quick start: LaNAS as an Optuna sampler, the one-line change.

Tunes a toy "training run" with a mixed search space (log-scaled float, integer, categorical)
and a pruner. Runs in a few seconds::

    python examples/optuna_quickstart.py [--n-trials 40]
"""

from __future__ import annotations

import argparse
import math

import optuna

from lanas_sampler.integrations.optuna import LaNASSampler


def objective(trial: optuna.Trial) -> float:
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    layers = trial.suggest_int("layers", 1, 8)
    activation = trial.suggest_categorical("activation", ["relu", "gelu", "tanh"])
    dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.05)
    # A stand-in for validation loss after each epoch: best near lr=3e-3, 4 layers, gelu.
    floor = (math.log10(lr) + 2.5) ** 2 + 0.1 * (layers - 4) ** 2 + 0.5 * dropout
    floor += {"relu": 0.2, "gelu": 0.0, "tanh": 0.5}[activation]
    loss = math.inf
    for epoch in range(5):
        loss = floor + 1.0 / (epoch + 1)
        trial.report(loss, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        sampler=LaNASSampler(seed=args.seed),  # the only line that differs from plain Optuna
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5),
    )
    study.optimize(objective, n_trials=args.n_trials)

    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)
    print(f"best loss {study.best_value:.4f} with {study.best_params}")
    print(f"{len(study.trials)} trials, {pruned} pruned")


if __name__ == "__main__":
    main()
