"""Create the shared study once, before the workers start (re-running it is harmless).

Run::

    python examples/distributed/create_study.py --storage URL --study-name NAME
    python examples/distributed/create_study.py --journal /shared/lanas.log --study-name NAME

The sampler is not stored with the study: each worker brings its own ``LaNASSampler``.
"""

from __future__ import annotations

import argparse

import optuna
from common import add_storage_arguments, make_storage, summary


def create(args: argparse.Namespace) -> optuna.Study:
    return optuna.create_study(
        study_name=args.study_name,
        storage=make_storage(args),
        direction="maximize",  # the objective is a cross-validated accuracy
        load_if_exists=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_storage_arguments(parser)
    print(summary(create(parser.parse_args(argv))))


if __name__ == "__main__":
    main()
