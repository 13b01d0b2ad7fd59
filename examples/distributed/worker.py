"""One worker: runs ``--n-trials`` trials of the shared study, then exits.

Start as many as you like, on one machine or many, all pointing at the same storage::

    python examples/distributed/worker.py --storage URL --study-name NAME --n-trials 25
    python examples/distributed/worker.py --journal /shared/lanas.log --study-name NAME \\
        --n-trials 25

Each worker has its own ``LaNASSampler``; the storage is all they share. Before each trial the
sampler reads the trials finished by every worker and treats the trials still running elsewhere
as pending points, so workers spread out instead of proposing the same configuration. Workers
may use the same ``--seed``: each trial derives its own seed from the seed and its number.
"""

from __future__ import annotations

import argparse
import os
import socket

import optuna
from common import add_storage_arguments, load_existing_study, objective

from lanas_sampler import LaNASSampler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_storage_arguments(parser)
    parser.add_argument("--n-trials", type=int, required=True, help="trials this worker runs")
    parser.add_argument("--seed", type=int, default=0, help="sampler seed")
    parser.add_argument("--worker-id", default=f"{socket.gethostname()}:{os.getpid()}")
    parser.add_argument("--smoke", action="store_true", help="objective on a data subset")
    args = parser.parse_args(argv)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = load_existing_study(args, sampler=LaNASSampler(seed=args.seed))

    def worker_objective(trial: optuna.Trial) -> float:
        trial.set_user_attr("worker", args.worker_id)  # who ran which trial, for the curious
        return objective(trial, smoke=args.smoke)

    study.optimize(worker_objective, n_trials=args.n_trials)
    print(f"worker {args.worker_id}: ran {args.n_trials} trials")


if __name__ == "__main__":
    main()
