"""Architecture and hyperparameter search through Nevergrad's registry ("LaNAS").

Searches scikit-learn ``MLPClassifier`` networks (depth, width, activation, L2 penalty,
learning rate, batch size) on scikit-learn's bundled ``load_digits`` (no download), minimising
the validation error. The optimizer comes from Nevergrad's registry, where
``import lanas_sampler.integrations.nevergrad`` puts it; the loop is Nevergrad's ask/tell
interface with ``--workers`` evaluations running at once in a process pool (tells arrive in
whatever order evaluations finish, as with any ``num_workers > 1`` optimizer). At the end the
recommendation is retrained on train + validation and scored on the held-out test set.

Run (about 30 seconds on 2 CPU cores)::

    python examples/nevergrad_nas.py
    python examples/nevergrad_nas.py --budget 100 --workers 4   # resumes, goes on to 100
    python examples/nevergrad_nas.py --smoke    # seconds

The search is saved after every evaluation to ``--checkpoint`` (``nevergrad_nas.pkl`` in the
current directory): a pickled dict holding the optimizer (as Nevergrad's ``Optimizer.dump``
pickles it) and the configurations being evaluated, which ``pickle.load`` reads wherever
nevergrad and lanas-sampler are installed. Run the same command again after a crash, a kill or
Ctrl-C and it resumes from there, evaluating the interrupted configurations again; a larger
``--budget`` extends a finished search, ``--fresh`` starts afresh. ``--smoke`` uses
``nevergrad_nas_smoke.pkl``, started afresh each time (any other ``--checkpoint`` given with
it is resumed as usual). One run at a time per checkpoint: two would each save their own
search over the other's. Unpickling runs code: load only checkpoints you wrote.

An evaluation that raises is told as a failed one (NaN: the optimizer ranks it last and goes
on). Without that and the checkpoint, the same loop is one call with Nevergrad's helper, if
you prefer: ``optimizer.minimize(partial(validation_error, max_iter=40, seed=0),
executor=pool, batch_mode=False)``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import tempfile
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nevergrad as ng
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import lanas_sampler.integrations.nevergrad  # noqa: F401  (registers "LaNAS" & co.)

DEFAULTS = {"budget": 40, "max_iter": 40, "checkpoint": Path("nevergrad_nas.pkl")}
# --smoke: two model-based proposals after the 10 start-up ones, short training; seconds.
SMOKE = {"budget": 12, "max_iter": 2, "checkpoint": Path("nevergrad_nas_smoke.pkl")}


@cache
def load_data(seed: int) -> tuple[np.ndarray, ...]:
    """Digits split 60 / 20 / 20 (stratified, by ``seed``), standardised on the training set."""
    x, y = load_digits(return_X_y=True)
    x_train, x_rest, y_train, y_rest = train_test_split(
        x, y, test_size=0.4, stratify=y, random_state=seed
    )
    x_val, x_test, y_val, y_test = train_test_split(
        x_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed
    )
    scaler = StandardScaler().fit(x_train)
    return (
        scaler.transform(x_train), y_train, scaler.transform(x_val), y_val,
        scaler.transform(x_test), y_test,
    )  # fmt: skip


def parametrization(seed: int) -> ng.p.Dict:
    """The search space; integers and log scales map to the LaNAS core's own types."""
    space = ng.p.Dict(
        n_layers=ng.p.Scalar(lower=1, upper=3).set_integer_casting(),
        width=ng.p.Log(lower=16, upper=256).set_integer_casting(),
        activation=ng.p.Choice(["relu", "tanh", "logistic"]),
        alpha=ng.p.Log(lower=1e-6, upper=1e-1),
        learning_rate_init=ng.p.Log(lower=1e-4, upper=1e-1),
        batch_size=ng.p.TransitionChoice([16, 32, 64, 128]),  # ordered: neighbours are similar
    )
    space.random_state.seed(seed)
    return space


def make_model(config: dict[str, Any], max_iter: int, seed: int) -> MLPClassifier:
    return MLPClassifier(
        hidden_layer_sizes=(config["width"],) * config["n_layers"],
        activation=config["activation"],
        alpha=config["alpha"],
        learning_rate_init=config["learning_rate_init"],
        batch_size=config["batch_size"],
        max_iter=max_iter,
        random_state=seed,
    )


def init_worker() -> None:
    # Small matrices: BLAS threads in every worker process only fight over the cores.
    threadpool_limits(limits=1)


def validation_error(config: dict[str, Any], max_iter: int, seed: int) -> float:
    """The loss to minimise: 1 - accuracy on the validation set (runs in a worker process)."""
    x_train, y_train, x_val, y_val, _, _ = load_data(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # short training on purpose
        model = make_model(config, max_iter, seed).fit(x_train, y_train)
    return 1.0 - float(model.score(x_val, y_val))


@dataclass
class Checkpoint:
    """What a resumed search needs: the optimizer and the evaluations it has not been told."""

    settings: dict[str, int]  # what the losses depend on: a resumed search must keep them
    optimizer: ng.optimizers.base.Optimizer
    unfinished: list[ng.p.Parameter]  # asked, not told: evaluated again on resume

    def save(self, path: Path) -> None:
        # A plain dict in one pickle: any script can read it, and the unfinished candidates
        # stay the very objects the optimizer asked. Written beside the old file and renamed
        # over it, so a kill (or a power cut: fsync) mid-write leaves the old one whole.
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as file:
                pickle.dump(vars(self), file, protocol=pickle.HIGHEST_PROTOCOL)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, path)
        except BaseException:  # Ctrl-C mid-write included: no half-written file left behind
            Path(partial).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            with path.open("rb") as file:
                saved = pickle.load(file)  # your own file: unpickling runs code
            checkpoint = cls(**saved)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as error:
            raise SystemExit(
                f"{path} is not a checkpoint of this example ({error!r}): give --fresh to "
                "replace it, or another --checkpoint."
            ) from None
        if not isinstance(checkpoint.optimizer, ng.optimizers.base.Optimizer):
            raise SystemExit(f"{path} holds no Nevergrad optimizer: --fresh to replace it.")
        return checkpoint


def start_or_resume(
    budget: int, workers: int, settings: dict[str, int], checkpoint: Path | None
) -> Checkpoint:
    """The saved search at ``checkpoint`` if there is one, else a new one. Its optimizer's
    ``budget`` is the one to run to (no fewer than the evaluations already asked)."""
    if checkpoint is None or not checkpoint.exists():
        optimizer = ng.optimizers.registry["LaNAS"](
            parametrization=parametrization(settings["seed"]), budget=budget, num_workers=workers
        )
        return Checkpoint(settings, optimizer, [])
    saved = Checkpoint.load(checkpoint)
    for name, value in settings.items():
        option, saved_value = "--" + name.replace("_", "-"), saved.settings.get(name)
        if saved_value != value:
            raise SystemExit(
                f"{checkpoint} holds a search with {option} {saved_value}, not {value}: its "
                f"losses would not compare. Give {option} {saved_value} to resume it, or "
                "--fresh (or another --checkpoint) to start a new one."
            )
    optimizer, n_unfinished = saved.optimizer, len(saved.unfinished)
    if budget < optimizer.num_ask:
        print(f"--budget {budget} is below the {optimizer.num_ask} evaluations already asked")
    optimizer.budget = max(budget, optimizer.num_ask)
    print(
        f"resumed {checkpoint}: {optimizer.num_tell} evaluations told, {n_unfinished} "
        f"interrupted evaluation{'' if n_unfinished == 1 else 's'} to run again"
    )
    return saved


def loss_to_tell(
    future: Future[float], candidate: ng.p.Parameter, checkpoint: Path | None
) -> float:
    """The finished evaluation's loss; NaN if it raised. Exits if its worker process died: no
    evaluation can run in that pool any more."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        saved = checkpoint is not None and checkpoint.exists()
        where = f"; the search is saved in {checkpoint}" if saved else ""
        raise SystemExit(
            f"a worker process died (out of memory? killed?) while evaluating {candidate.value} "
            f"or another running configuration{where}. A rerun evaluates the running ones "
            "again: if one of them kills its worker each time, --fresh starts a new search."
        ) from error
    except Exception as error:  # noqa: BLE001  (any failure of one evaluation)
        print(f"evaluation of {candidate.value} failed: {error!r}")
        return float("nan")


def search(
    budget: int, workers: int, max_iter: int, seed: int, checkpoint: Path | None = None
) -> ng.p.Parameter:
    """Ask/tell with up to ``workers`` evaluations in flight; returns the recommendation.

    With ``checkpoint``, resumes the search saved there and saves it after every tell.
    """
    if checkpoint is not None:
        checkpoint.parent.mkdir(parents=True, exist_ok=True)  # not a failure after the first
    state = start_or_resume(budget, workers, {"max_iter": max_iter, "seed": seed}, checkpoint)
    optimizer = state.optimizer
    budget = optimizer.budget
    running: dict[Future[float], ng.p.Parameter] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=init_worker) as pool:

        def submit(candidate: ng.p.Parameter) -> None:
            running[pool.submit(validation_error, candidate.value, max_iter, seed)] = candidate

        for candidate in state.unfinished:  # asked before the interruption, never told
            submit(candidate)
        while optimizer.num_ask < budget or running:
            while len(running) < workers and optimizer.num_ask < budget:
                submit(optimizer.ask())
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                candidate = running.pop(future)
                loss = loss_to_tell(future, candidate, checkpoint)
                with warnings.catch_warnings():  # NaN is how a failure is told: no advice needed
                    warnings.simplefilter("ignore", ng.errors.LossTooLargeWarning)
                    optimizer.tell(candidate, loss)
                print(f"{optimizer.num_tell:3d}/{budget}  val error {loss:.4f}  {candidate.value}")
                if checkpoint is not None:  # what is still running is all that is not told
                    state.unfinished = list(running.values())
                    state.save(checkpoint)
    return optimizer.provide_recommendation()


def test_accuracy(config: dict[str, Any], max_iter: int, seed: int) -> float:
    """Retrain on train + validation; accuracy on the held-out test set."""
    x_train, y_train, x_val, y_val, x_test, y_test = load_data(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = make_model(config, max_iter, seed)
        model.fit(np.vstack([x_train, x_val]), np.concatenate([y_train, y_val]))
    return float(model.score(x_test, y_test))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--budget", type=int, help=f"evaluations in all (default {DEFAULTS['budget']})"
    )
    parser.add_argument("--workers", type=int, default=2, help="evaluations at once")
    parser.add_argument(
        "--max-iter",
        type=int,
        help=f"training epochs per network (default {DEFAULTS['max_iter']})",
    )
    parser.add_argument("--seed", type=int, default=0, help="data split, optimizer and weights")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        help=f"the search saved after every evaluation, resumed if there "
        f"(default {DEFAULTS['checkpoint']}; --smoke: {SMOKE['checkpoint']})",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start a new search over the checkpoint's"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"fast check: budget {SMOKE['budget']}, {SMOKE['max_iter']} epochs",
    )
    # --smoke changes the defaults; options given explicitly win (e.g. --smoke --budget 14).
    smoke = parser.parse_known_args(argv)[0].smoke
    parser.set_defaults(**(SMOKE if smoke else DEFAULTS))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # The smoke check runs the same few evaluations each time, on its own file only.
    if args.fresh or (args.smoke and args.checkpoint == SMOKE["checkpoint"]):
        args.checkpoint.unlink(missing_ok=True)
    start = time.perf_counter()
    try:
        recommendation = search(
            args.budget, args.workers, args.max_iter, args.seed, args.checkpoint
        )
    except KeyboardInterrupt:
        if not args.checkpoint.exists():
            raise SystemExit("\ninterrupted before the first evaluation ended") from None
        raise SystemExit(
            f"\ninterrupted: the search is saved in {args.checkpoint}; run the same command "
            "again to resume it."
        ) from None
    print(f"search time: {time.perf_counter() - start:.1f} s")
    config = recommendation.value
    print(f"recommendation: {config}")
    if recommendation.loss is not None:
        print(f"validation error of the recommendation: {recommendation.loss:.4f}")
    threadpool_limits(limits=1)
    accuracy = test_accuracy(config, args.max_iter, args.seed)
    print(f"test accuracy of the recommendation (retrained on train+val): {accuracy:.4f}")


if __name__ == "__main__":
    main()
