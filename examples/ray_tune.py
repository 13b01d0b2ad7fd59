"""LaNASSampler inside Ray Tune, through Ray's ``OptunaSearch``.

Ray Tune runs the trials (here two at a time, on a local Ray instance) and ``OptunaSearch``
asks an in-memory Optuna study for each new configuration; that study's sampler is a
``LaNASSampler``. The trainable fits a small scikit-learn MLP on the digits data set for a few
epochs (``partial_fit``) and reports the validation accuracy after each one; the searcher
maximises the last reported value.

Needs Ray Tune (``pip install "ray[tune]"``). Run (about 30 seconds on 2 CPU cores, most of it
Ray's start-up and its per-trial overhead)::

    python examples/ray_tune.py
    python examples/ray_tune.py --num-samples 40 --concurrent 4 --num-cpus 4
    python examples/ray_tune.py --smoke     # 6 trials of 2 epochs

Ray keeps the sampler in the driver process and pickles it with the searcher when it
checkpoints the experiment; ``LaNASSampler`` pickles (its caches are rebuilt on load).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import ray
from ray import tune
from ray.tune.search.optuna import OptunaSearch

from lanas_sampler import LaNASSampler

DEFAULTS = {"num_samples": 24, "epochs": 10, "n_startup_trials": 10}
# --smoke: 6 trials (3 start-up, then the LaNAS model) of 2 epochs.
SMOKE = {"num_samples": 6, "epochs": 2, "n_startup_trials": 3}


def load_data(seed: int) -> tuple[np.ndarray, ...]:
    """Digits split 70 / 30 (stratified, by ``seed``), pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    return tuple(train_test_split(x / 16.0, y, test_size=0.3, stratify=y, random_state=seed))


def trainable(config: dict[str, Any]) -> None:
    """A Tune function trainable: trains an MLP epoch by epoch, reports validation accuracy."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, x_val, y_train, y_val = load_data(config["seed"])
    model = MLPClassifier(
        hidden_layer_sizes=(config["width"],) * config["n_layers"],
        activation=config["activation"],
        alpha=config["alpha"],
        learning_rate_init=config["lr"],
        batch_size=config["batch_size"],
        random_state=config["seed"],
    )
    classes = np.unique(y_train)
    for epoch in range(config["epochs"]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(x_train, y_train, classes=classes)
        tune.report({"val_accuracy": model.score(x_val, y_val), "epoch": epoch + 1})


def param_space(epochs: int, seed: int) -> dict[str, Any]:
    """Tune's search space; ``OptunaSearch`` turns it into Optuna distributions."""
    return {
        "n_layers": tune.randint(1, 4),  # 1..3
        "width": tune.lograndint(16, 257),
        "activation": tune.choice(["relu", "tanh", "logistic"]),
        "alpha": tune.loguniform(1e-6, 1e-1),
        "lr": tune.loguniform(1e-4, 1e-1),
        "batch_size": tune.choice([16, 32, 64, 128]),
        "epochs": epochs,  # constants pass through to the trainable
        "seed": seed,
    }


def run(args: argparse.Namespace) -> tune.ResultGrid:
    searcher = OptunaSearch(
        sampler=LaNASSampler(seed=args.seed, n_startup_trials=args.n_startup_trials),
        metric="val_accuracy",
        mode="max",
    )
    tuner = tune.Tuner(
        tune.with_resources(trainable, {"cpu": 1}),
        param_space=param_space(args.epochs, args.seed),
        tune_config=tune.TuneConfig(
            search_alg=searcher,
            num_samples=args.num_samples,
            max_concurrent_trials=args.concurrent,
            reuse_actors=True,  # skip a process start per trial
        ),
        run_config=tune.RunConfig(
            name="lanas-ray-tune",
            storage_path=str(Path(args.storage_path).resolve()),
            verbose=0 if args.smoke else 1,
        ),
    )
    return tuner.fit()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--num-samples", type=int, help=f"trials in all (default {DEFAULTS['num_samples']})"
    )
    parser.add_argument("--concurrent", type=int, default=2, help="trials running at once")
    parser.add_argument(
        "--epochs", type=int, help=f"training epochs per trial (default {DEFAULTS['epochs']})"
    )
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local Ray instance")
    parser.add_argument(
        "--n-startup-trials",
        type=int,
        help=f"LaNASSampler option (default {DEFAULTS['n_startup_trials']})",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--storage-path",
        default=str(Path(tempfile.gettempdir()) / "lanas_ray_results"),
        help="where Tune writes results and checkpoints",
    )
    parser.add_argument("--smoke", action="store_true", help="6 trials of 2 epochs")
    # --smoke changes the defaults; options given explicitly win (e.g. --smoke --epochs 3).
    smoke = parser.parse_known_args(argv)[0].smoke
    parser.set_defaults(**(SMOKE if smoke else DEFAULTS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    ray.init(num_cpus=args.num_cpus, include_dashboard=False, log_to_driver=False)
    try:
        results = run(args)
    finally:
        ray.shutdown()
    best = results.get_best_result(metric="val_accuracy", mode="max")
    config, metrics = best.config or {}, best.metrics or {}
    params = {k: v for k, v in config.items() if k not in ("epochs", "seed")}
    elapsed = time.perf_counter() - start
    print(f"{len(results)} trials ({results.num_errors} errors) in {elapsed:.1f} s")
    print(f"best val_accuracy: {metrics['val_accuracy']:.4f}")
    print(f"best config: {params}")


if __name__ == "__main__":
    main()
