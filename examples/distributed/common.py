"""What the scripts of this folder share: the storage options and the objective.

The scripts import it as a sibling module, so run them as files
(``python examples/distributed/worker.py ...``), from any directory.
"""

from __future__ import annotations

import argparse
from functools import cache

import numpy as np
import optuna
from optuna.storages import BaseStorage, JournalStorage, RDBStorage
from optuna.storages.journal import (
    JournalFileBackend,
    JournalFileOpenLock,
    JournalFileSymlinkLock,
)
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.svm import SVC

# A worker that dies (killed, machine lost) leaves its trial RUNNING for ever. With a heartbeat
# in an RDB storage, the next trial started by any worker marks it FAIL once its heartbeat is
# this many seconds old (the journal storage has no heartbeat).
HEARTBEAT_S, GRACE_S = 60, 180
# --smoke: a subset of the data, so that a trial takes a fraction of a second.
SMOKE_SAMPLES = 300


def add_storage_arguments(parser: argparse.ArgumentParser) -> None:
    """``--storage URL`` or ``--journal PATH`` (exactly one), and ``--study-name``."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--storage",
        metavar="URL",
        help="SQLAlchemy URL of a database, e.g. postgresql+psycopg2://user:pw@host:5432/db",
    )
    where.add_argument("--journal", metavar="PATH", help="journal file on a shared file system")
    parser.add_argument(
        "--journal-lock",
        choices=["symlink", "open"],
        default="symlink",
        help="journal file lock: 'symlink' (any NFS version) or 'open' (NFSv3+, O_EXCL)",
    )
    parser.add_argument("--study-name", required=True)


def make_storage(args: argparse.Namespace) -> BaseStorage:
    """The storage named on the command line (with a heartbeat for databases)."""
    if args.journal is not None:
        lock_type = JournalFileOpenLock if args.journal_lock == "open" else JournalFileSymlinkLock
        return JournalStorage(JournalFileBackend(args.journal, lock_obj=lock_type(args.journal)))
    return RDBStorage(args.storage, heartbeat_interval=HEARTBEAT_S, grace_period=GRACE_S)


def load_existing_study(
    args: argparse.Namespace, sampler: optuna.samplers.BaseSampler | None = None
) -> optuna.Study:
    """The shared study, or an exit naming the study and the storage when it does not exist
    (Optuna's own error is a bare ``KeyError: 'Record does not exist.'``)."""
    try:
        return optuna.load_study(
            study_name=args.study_name, storage=make_storage(args), sampler=sampler
        )
    except KeyError:
        where = f"--journal {args.journal}" if args.journal is not None else "--storage URL"
        raise SystemExit(
            f"No study {args.study_name!r} in this storage: create it first "
            f"(python examples/distributed/create_study.py {where} "
            f"--study-name {args.study_name}), or check --study-name."
        ) from None


@cache
def load_data(smoke: bool) -> tuple[np.ndarray, np.ndarray]:
    x, y = load_digits(return_X_y=True)
    if smoke:
        x, y = x[:SMOKE_SAMPLES], y[:SMOKE_SAMPLES]
    return x / 16.0, y  # pixels are 0..16


def objective(trial: optuna.Trial, smoke: bool = False) -> float:
    """Mean 3-fold cross-validated accuracy of an SVM on the digits (maximised)."""
    x, y = load_data(smoke)
    model = SVC(
        kernel=trial.suggest_categorical("kernel", ["rbf", "sigmoid"]),
        C=trial.suggest_float("C", 1e-2, 1e3, log=True),
        gamma=trial.suggest_float("gamma", 1e-4, 10.0, log=True),
        class_weight=trial.suggest_categorical("class_weight", [None, "balanced"]),
    )
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    return float(cross_val_score(model, x, y, cv=folds).mean())


def summary(study: optuna.Study) -> str:
    """Trials per state and the best trial so far, in a few lines."""
    trials = study.get_trials(deepcopy=False)
    states = {state.name: 0 for state in optuna.trial.TrialState}
    for trial in trials:
        states[trial.state.name] += 1
    counts = ", ".join(f"{n} {name.lower()}" for name, n in states.items() if n)
    lines = [f"study {study.study_name!r}: {len(trials)} trials ({counts or 'none yet'})"]
    if states["COMPLETE"]:
        best = study.best_trial
        lines.append(f"best value: {best.value:.4f} (trial #{best.number})")
        lines.append(f"best params: {best.params}")
    return "\n".join(lines)
