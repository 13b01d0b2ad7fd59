"""Run N local worker processes on one shared study, wait for them, print a summary.

The one-machine version of what README.md describes for many machines::

    python examples/distributed/launch.py --storage URL --study-name NAME --workers 4 \\
        --n-trials 100
    python examples/distributed/launch.py --journal lanas.log --study-name NAME --workers 4 \\
        --n-trials 100
    python examples/distributed/launch.py --journal lanas.log --study-name demo --smoke

It creates the study (or reuses it), splits ``--n-trials`` between the workers, starts
``worker.py`` ``--workers`` times, waits for all of them, and exits non-zero if any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import optuna
from common import add_storage_arguments, make_storage, summary
from create_study import create

WORKER = Path(__file__).with_name("worker.py")
DEFAULTS = {"workers": 4, "n_trials": 100}
# --smoke: 4 workers x 4 trials on a data subset; seconds (mostly Python start-up).
SMOKE = {"workers": 4, "n_trials": 16}


def worker_command(args: argparse.Namespace, index: int, n_trials: int) -> list[str]:
    where = ["--journal", args.journal, "--journal-lock", args.journal_lock]
    if args.journal is None:
        where = ["--storage", args.storage]
    command = [sys.executable, str(WORKER), *where, "--study-name", args.study_name]
    command += ["--n-trials", str(n_trials), "--seed", str(args.seed), "--worker-id", str(index)]
    return command + (["--smoke"] if args.smoke else [])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_storage_arguments(parser)
    parser.add_argument(
        "--workers", type=int, help=f"worker processes (default {DEFAULTS['workers']})"
    )
    parser.add_argument(
        "--n-trials", type=int, help=f"trials in all (default {DEFAULTS['n_trials']})"
    )
    parser.add_argument("--seed", type=int, default=0, help="sampler seed of every worker")
    parser.add_argument("--smoke", action="store_true", help="4 workers, 16 trials, less data")
    # --smoke changes the defaults; options given explicitly win (e.g. --smoke --workers 2).
    smoke = parser.parse_known_args(argv)[0].smoke
    parser.set_defaults(**(SMOKE if smoke else DEFAULTS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    create(args)
    base, extra = divmod(args.n_trials, args.workers)
    shares = [base + (i < extra) for i in range(args.workers)]
    start = time.perf_counter()
    procs = [subprocess.Popen(worker_command(args, i, n)) for i, n in enumerate(shares) if n > 0]
    print(f"started {len(procs)} workers for {args.n_trials} trials", flush=True)
    failed = sum(proc.wait() != 0 for proc in procs)
    print(f"workers done in {time.perf_counter() - start:.1f} s ({failed} failed)")
    print(summary(optuna.load_study(study_name=args.study_name, storage=make_storage(args))))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
