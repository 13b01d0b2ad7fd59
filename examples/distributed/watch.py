"""Watch a shared study: trials per state and the best value, every few seconds.

Run (Ctrl-C to stop)::

    python examples/distributed/watch.py --storage URL --study-name NAME [--interval 10]
    python examples/distributed/watch.py --journal /shared/lanas.log --study-name NAME --once

For plots and a trial table in the browser, ``pip install optuna-dashboard`` and run
``optuna-dashboard URL`` (or ``optuna-dashboard /shared/lanas.log`` for a journal file).
"""

from __future__ import annotations

import argparse
import time

from common import add_storage_arguments, load_existing_study, summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_storage_arguments(parser)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between reports")
    parser.add_argument("--once", action="store_true", help="report once and exit")
    args = parser.parse_args(argv)
    study = load_existing_study(args)
    try:
        while True:
            print(time.strftime("%H:%M:%S"), summary(study), flush=True)
            if args.once:
                break
            time.sleep(args.interval)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
