"""Neural architecture and hyperparameter search for a PyTorch MLP with LaNASSampler.

The data set is scikit-learn's bundled ``load_digits`` (8x8 images of digits, 1,797 samples,
no download). It is split once, by ``--seed``, into train / validation / test sets. Each trial
builds an MLP from the sampled architecture (depth, width, width profile, activation, dropout)
and training hyperparameters (optimizer, learning rate, weight decay, batch size), trains it on
the training set and reports the validation accuracy after every epoch, so that the pruner
(Hyperband by default) stops unpromising trials early. The study maximises validation
accuracy; the held-out test set is used once, at the end, to evaluate the best architecture
retrained on train + validation.

The search space is fixed (every trial suggests every parameter, nothing is conditional), so
every parameter goes through the LaNAS model rather than an independent fallback sampler.

Run (1.5-3 minutes on 2 CPU cores; uses CUDA when available)::

    pip install -e ".[examples]"
    python examples/pytorch_nas.py

Useful options::

    python examples/pytorch_nas.py --n-trials 300 --epochs 50   # a longer search
    python examples/pytorch_nas.py --pruner median              # MedianPruner instead
    python examples/pytorch_nas.py --device cpu                 # force the CPU
    python examples/pytorch_nas.py --smoke                      # seconds: a check that it runs

The study lives in SQLite (``--storage sqlite:///lanas_nas.db``): run the script again with the
same ``--study-name`` and it resumes, running only the trials still missing to reach
``--n-trials`` (also when several copies share the storage: each stops once the total is
reached, so it is exceeded by at most the trials the others are running then). With an RDB
storage a heartbeat lets a resumed study mark the trials of a killed run failed, once their
last heartbeat is two minutes old, instead of leaving them RUNNING: the sampler would treat
them as pending until 128 later trials have finished. Plots (optimisation history, parameter
importances, learning curves) and the best configuration (``best.json``) are written to
``--out`` (default ``nas_results/``). ``--smoke`` keeps to its own storage, study and folder
(``lanas_nas_smoke.db``, ``nas_results_smoke/``) unless they are given, and starts that study
afresh each time.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # write PNG files; never open a window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import optuna  # noqa: E402
import torch  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from torch import nn  # noqa: E402

from lanas_sampler import LaNASSampler  # noqa: E402

N_FEATURES, N_CLASSES = 64, 10  # 8x8 pixels; digits 0-9
ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh, "silu": nn.SiLU}
OPTIMIZERS = ("adam", "adamw", "sgd")
BATCH_SIZES = (16, 32, 64, 128)
# Defaults: a search of a few minutes on 2 CPU cores (Hyperband stops most trials early).
DEFAULTS = {
    "n_trials": 100,
    "epochs": 30,
    "n_startup_trials": 10,
    "storage": "sqlite:///lanas_nas.db",
    "study_name": "lanas-pytorch-nas",
    "out": Path("nas_results"),
}
# --smoke: 4 trials of 4 epochs on a subset, in a study of its own; seconds. (Hyperband's rungs
# are then at epochs 1 and 3, before the last, after which no trial is pruned.)
SMOKE = {
    "n_trials": 4,
    "epochs": 4,
    "n_startup_trials": 2,
    "storage": "sqlite:///lanas_nas_smoke.db",
    "study_name": "lanas-pytorch-nas-smoke",
    "out": Path("nas_results_smoke"),
}
# Seconds between a running trial's heartbeats on RDB storages, and how long one may be missed
# before a resumed study marks the trial failed (a run killed without Ctrl-C).
HEARTBEAT_INTERVAL, HEARTBEAT_GRACE = 30, 120
SMOKE_SAMPLES = 500


@dataclass
class Data:
    """Tensors of the fixed train / validation / test split (already on the device)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def load_data(seed: int, device: torch.device, n_samples: int | None = None) -> Data:
    """Digits split 60 / 20 / 20 (stratified, by ``seed``), standardised on the training set."""
    x, y = load_digits(return_X_y=True)
    if n_samples is not None:
        x, _, y, _ = train_test_split(x, y, train_size=n_samples, stratify=y, random_state=seed)
    x_train, x_rest, y_train, y_rest = train_test_split(
        x, y, test_size=0.4, stratify=y, random_state=seed
    )
    x_val, x_test, y_val, y_test = train_test_split(
        x_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed
    )
    scaler = StandardScaler().fit(x_train)

    def features(a: np.ndarray) -> torch.Tensor:
        return torch.tensor(scaler.transform(a), dtype=torch.float32, device=device)

    def labels(a: np.ndarray) -> torch.Tensor:
        return torch.tensor(a, dtype=torch.long, device=device)

    return Data(
        features(x_train),
        labels(y_train),
        features(x_val),
        labels(y_val),
        features(x_test),
        labels(y_test),
    )


def suggest_config(trial: optuna.Trial) -> dict[str, Any]:
    """The search space: architecture and training hyperparameters, the same in every trial."""
    return {
        "n_layers": trial.suggest_int("n_layers", 1, 4),
        "width": trial.suggest_int("width", 16, 512, log=True),
        "shape": trial.suggest_categorical("shape", ["constant", "funnel"]),
        "activation": trial.suggest_categorical("activation", list(ACTIVATIONS)),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "optimizer": trial.suggest_categorical("optimizer", list(OPTIMIZERS)),
        "lr": trial.suggest_float("lr", 1e-4, 1e-1, log=True),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
        "batch_size": trial.suggest_categorical("batch_size", list(BATCH_SIZES)),
    }


def layer_widths(config: dict[str, Any]) -> list[int]:
    """Hidden widths: all equal ("constant") or halving layer by layer ("funnel")."""
    if config["shape"] == "constant":
        return [config["width"]] * config["n_layers"]
    return [max(8, config["width"] // 2**i) for i in range(config["n_layers"])]


def build_model(config: dict[str, Any]) -> nn.Sequential:
    layers: list[nn.Module] = []
    width_in = N_FEATURES
    for width in layer_widths(config):
        layers += [nn.Linear(width_in, width), ACTIVATIONS[config["activation"]]()]
        layers.append(nn.Dropout(config["dropout"]))
        width_in = width
    layers.append(nn.Linear(width_in, N_CLASSES))
    return nn.Sequential(*layers)


def make_optimizer(config: dict[str, Any], model: nn.Module) -> torch.optim.Optimizer:
    params, lr, wd = model.parameters(), config["lr"], config["weight_decay"]
    if config["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if config["optimizer"] == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    return torch.optim.SGD(params, lr=lr, weight_decay=wd, momentum=0.9, nesterov=True)


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    generator: torch.Generator,
) -> None:
    model.train()
    order = torch.randperm(len(x), generator=generator).to(x.device)
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size]
        optimizer.zero_grad()
        loss_fn(model(x[batch]), y[batch]).backward()
        optimizer.step()


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    return float((model(x).argmax(dim=1) == y).float().mean())


def make_objective(data: Data, epochs: int, seed: int) -> Callable[[optuna.Trial], float]:
    """The objective: build, train, report validation accuracy per epoch, prune."""

    def objective(trial: optuna.Trial) -> float:
        config = suggest_config(trial)
        torch.manual_seed(seed + trial.number)  # weights and dropout: reproducible per trial
        generator = torch.Generator().manual_seed(seed + trial.number)  # batch order
        model = build_model(config).to(data.x_train.device)
        optimizer = make_optimizer(config, model)
        val_acc = 0.0
        for epoch in range(1, epochs + 1):  # steps count the epochs trained: the resource
            train_epoch(
                model, optimizer, data.x_train, data.y_train, config["batch_size"], generator
            )
            val_acc = accuracy(model, data.x_val, data.y_val)
            trial.report(val_acc, epoch)
            # Never after the last epoch: a fully trained trial is complete, not pruned (a
            # Hyperband rung can fall on it, e.g. with --epochs 9).
            if epoch < epochs and trial.should_prune():
                raise optuna.TrialPruned()
        return val_acc

    return objective


def make_pruner(name: str, epochs: int) -> optuna.pruners.BasePruner:
    if name == "hyperband":
        # Every trial gets at least a tenth of the epochs before it can be stopped.
        return optuna.pruners.HyperbandPruner(
            min_resource=max(1, epochs // 10), max_resource=epochs
        )
    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=epochs // 4)
    return optuna.pruners.NopPruner()


def make_storage(url: str) -> optuna.storages.BaseStorage | str:
    """An RDB storage with a heartbeat (SQLite, PostgreSQL, MySQL URLs); other URLs as given."""
    if url.split(":", 1)[0].split("+", 1)[0] in ("sqlite", "postgresql", "mysql"):
        with warnings.catch_warnings():  # the heartbeat is "experimental" in Optuna 5
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return optuna.storages.RDBStorage(
                url, heartbeat_interval=HEARTBEAT_INTERVAL, grace_period=HEARTBEAT_GRACE
            )
    return url


def run_search(args: argparse.Namespace, data: Data) -> optuna.Study:
    """Create or resume the study and run the trials still missing to reach ``n_trials``."""
    finished = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)
    storage = make_storage(args.storage)
    if args.smoke and (args.storage, args.study_name) == (SMOKE["storage"], SMOKE["study_name"]):
        # A check that it runs: each --smoke run starts its own study afresh (a resumed one
        # would have nothing left to run).
        try:
            optuna.delete_study(study_name=args.study_name, storage=storage)
        except KeyError:
            pass
    study = optuna.create_study(
        study_name=args.study_name,
        storage=storage,
        load_if_exists=True,
        direction="maximize",
        # The one line that differs from plain Optuna:
        sampler=LaNASSampler(seed=args.seed, n_startup_trials=args.n_startup_trials),
        pruner=make_pruner(args.pruner, args.epochs),
    )
    done = len(study.get_trials(states=finished))
    remaining = max(0, args.n_trials - done)
    print(
        f"study {args.study_name!r} in {args.storage}: {done} trials done, running {remaining} more"
    )
    if remaining:
        study.optimize(
            make_objective(data, args.epochs, args.seed),
            n_trials=remaining,
            # Other copies of the script on the same storage count too: stop at the total.
            callbacks=[optuna.study.MaxTrialsCallback(args.n_trials, states=finished)],
            show_progress_bar=not args.no_progress,
        )
    return study


def describe(config: dict[str, Any]) -> str:
    """One line per architecture, e.g. ``64 -> 256 -> 128 -> 10 (gelu, dropout 0.12)``."""
    widths = " -> ".join(str(w) for w in [N_FEATURES, *layer_widths(config), N_CLASSES])
    return f"{widths} ({config['activation']}, dropout {config['dropout']:.2f})"


def evaluate_best(study: optuna.Study, data: Data, epochs: int, seed: int) -> float:
    """Retrain the best configuration on train + validation; accuracy on the held-out test set."""
    config = study.best_params
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    x = torch.cat([data.x_train, data.x_val])
    y = torch.cat([data.y_train, data.y_val])
    model = build_model(config).to(x.device)
    optimizer = make_optimizer(config, model)
    for _ in range(epochs):
        train_epoch(model, optimizer, x, y, config["batch_size"], generator)
    return accuracy(model, data.x_test, data.y_test)


def save_plots(study: optuna.Study, out: Path) -> list[Path]:
    """Optimisation history, parameter importances and learning curves as PNG files."""
    from optuna.visualization import matplotlib as ovm

    plots: dict[str, Callable[[optuna.Study], Any]] = {
        "optimization_history.png": ovm.plot_optimization_history,
        "param_importances.png": ovm.plot_param_importances,
        "intermediate_values.png": ovm.plot_intermediate_values,
    }
    written = []
    for name, plot in plots.items():
        with warnings.catch_warnings():
            # "experimental" notices, "too few trials for importances" on tiny studies, layout
            warnings.simplefilter("ignore")
            try:
                ax = plot(study)
            except (ValueError, RuntimeError) as err:  # e.g. no complete trial yet
                print(f"skipped {name}: {err}")
                continue
            if name == "intermediate_values.png" and ax.get_legend() is not None:
                ax.get_legend().remove()  # one entry per trial: unreadable beyond a few
            ax.figure.set_size_inches(9, 5.5)
            ax.figure.tight_layout()
            ax.figure.savefig(out / name, dpi=100)
        plt.close(ax.figure)
        written.append(out / name)
    return written


def report(study: optuna.Study, test_acc: float, out: Path) -> None:
    states = [t.state for t in study.trials]
    complete = states.count(optuna.trial.TrialState.COMPLETE)
    pruned = states.count(optuna.trial.TrialState.PRUNED)
    best = study.best_trial
    print(f"\n{len(states)} trials: {complete} complete, {pruned} pruned")
    print(f"best trial #{best.number}: validation accuracy {best.value:.4f}")
    print(f"best architecture: {describe(best.params)}")
    print(f"best params: {json.dumps(best.params, sort_keys=True)}")
    print(f"test accuracy of the best architecture (retrained on train+val): {test_acc:.4f}")
    summary = {
        "trial": best.number,
        "val_accuracy": best.value,
        "test_accuracy": test_acc,
        "params": best.params,
    }
    (out / "best.json").write_text(json.dumps(summary, indent=2) + "\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n-trials", type=int, help=f"trials in the study in all (default {DEFAULTS['n_trials']})"
    )
    parser.add_argument(
        "--epochs", type=int, help=f"epochs per trial (default {DEFAULTS['epochs']})"
    )
    parser.add_argument("--pruner", choices=["hyperband", "median", "none"], default="hyperband")
    parser.add_argument("--storage", help=f"Optuna storage URL (default {DEFAULTS['storage']})")
    parser.add_argument("--study-name", help=f"(default {DEFAULTS['study_name']})")
    parser.add_argument(
        "--out", type=Path, help=f"plots and best.json go here (default {DEFAULTS['out']}/)"
    )
    parser.add_argument("--device", default="auto", help="'auto' (cuda if available), 'cpu'...")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads (small MLPs: 1 is usually fastest)",
    )
    parser.add_argument(
        "--n-startup-trials",
        type=int,
        help=f"start-up trials before the LaNAS model (default {DEFAULTS['n_startup_trials']})",
    )
    parser.add_argument("--seed", type=int, default=0, help="data split, sampler and weights")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"fast check: {SMOKE['n_trials']} trials x {SMOKE['epochs']} "
        f"epochs on {SMOKE_SAMPLES} samples, in {SMOKE['storage']}",
    )
    # --smoke changes the defaults; options given explicitly win (e.g. --smoke --n-trials 6).
    smoke = parser.parse_known_args(argv)[0].smoke
    parser.set_defaults(**(SMOKE if smoke else DEFAULTS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    device = torch.device(
        ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    )
    torch.set_num_threads(args.threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # the progress bar shows the best
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"device: {device}, torch threads: {torch.get_num_threads()}")

    data = load_data(args.seed, device, SMOKE_SAMPLES if args.smoke else None)
    start = time.perf_counter()
    study = run_search(args, data)
    print(f"search time: {time.perf_counter() - start:.1f} s")
    test_acc = evaluate_best(study, data, args.epochs, args.seed)
    report(study, test_acc, args.out)
    for path in save_plots(study, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
