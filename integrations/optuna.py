"""Optuna sampler on the LaNAS / LA-MCTS core: ``optuna.create_study(sampler=LaNASSampler())``.

The adapter is thin (the pattern of Optuna's ``samplers/_gp/sampler.py`` around ``optuna/_gp``):

* **Relative space.** Parameters suggested with the same distribution in every finished trial
  (pruned ones included, as TPE does), single-valued ones excluded, go to one :class:`LaNAS`
  core; the rest of a define-by-run space is drawn by the independent sampler, with one
  templated warning per parameter and study (Optuna's logger: ``optuna.logging.set_verbosity``
  controls it).
* **State.** Storage is the only truth. Each process keeps a cached core per (study, search
  space, view of the study) and tells it the finished trials it has not seen yet, in trial-number
  order, so trials of other threads and processes are picked up at the next trial and the cost
  per trial stays flat as trials accumulate. Trials are read as Optuna's own samplers read
  them (``_study_trials``: every bracket under HyperbandPruner). A core whose trials are no
  longer all visible is not reused (a view that filters trials, as HyperbandPruner's would
  should the public ``get_trials`` have to stand in).
* **Parallel workers.** Each relative proposal is published as JSON in the trial's system
  attributes; RUNNING trials of other threads and processes are passed to ``ask`` as pending
  points so that workers spread out, until ``MAX_PENDING`` (128) later trials have finished: a
  worker that died leaves its trial RUNNING for ever where no heartbeat fails it (a journal
  file, or ask/tell without ``fail_stale_trials``), and the core forgets its own unanswered
  proposals after as many asks.
* **Seeds.** Every trial derives its own seed from ``(seed, trial.number)``: a seeded sequential
  study is reproducible, also when interrupted and resumed (the sampler pickled, or a fresh
  sampler with the same seed in another process on the same storage: the next trials are those
  of an uninterrupted run), and N processes sharing a seed still draw different points.
"""

from __future__ import annotations

import inspect
import threading
import warnings
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import optuna
from optuna.distributions import BaseDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.study import Study, StudyDirection
from optuna.trial import FrozenTrial, TrialState

from lanas_sampler import Float, LaNAS
from lanas_sampler._gp import GPFit
from lanas_sampler._local import LocalSolver
from lanas_sampler._optimizer import MAX_PENDING, MODEL_NEEDS
from lanas_sampler._partition import Labeler, SplitOption

from ._optuna_space import (
    FINISHED,
    Model,
    StudyState,
    check_single_objective,
    observation,
    plain_value,
    proposed_params,
    publish_params,
    representable,
    store_legacy_constraints,
    to_parameter,
    unrepresentable_reason,
)

__all__ = ["LaNASSampler"]

# Under Optuna's root logger, as Optuna's own samplers log (``optuna.logging.get_logger``):
# ``optuna.logging.set_verbosity``, ``disable_default_handler`` and ``enable_propagation`` then
# apply to our warnings too. ``get_logger(__name__)`` alone would not: this module is not in the
# ``optuna`` package, so its logger would not be a child of Optuna's.
_logger = optuna.logging.get_logger(f"optuna.{__name__}")

# System attribute (JSON, chunked as ``key:0``, ``key:1``...) holding a trial's relative proposal.
RELATIVE_PARAMS_KEY = "lanas:relative_params"
# The core's own defaults are the sampler's: read once from its signature, never restated.
_CORE_OPTIONS = (
    "split", "labeler", "local_solver", "leaf_size", "max_depth", "exploration", "gp_fit"
)  # fmt: skip
_CORE_DEFAULTS: dict[str, Any] = {
    name: param.default
    for name, param in inspect.signature(LaNAS).parameters.items()
    if name in _CORE_OPTIONS
}
# Cached cores per study (search spaces x views of the study) and studies per sampler; a
# sampler is normally used with one study, the bounds only stop pathological growth.
_MAX_MODELS_PER_STUDY = 8
_MAX_STUDIES = 4
# The wording of Optuna's own samplers (``optuna/samplers/_base.py``, a private constant).
_WARNING_TEMPLATE = (
    "The parameter `{param_name}` in Trial#{trial_number} is sampled independently using "
    "`{independent}` instead of `LaNASSampler`, potentially degrading the optimization "
    "performance. This fallback happened because {fallback_reason}. You can suppress this "
    "warning by setting `warn_independent_sampling` to `False` in the constructor of "
    "`LaNASSampler` if this independent sampling is intended behavior."
)
_NOT_IN_EVERY_TRIAL = (
    "the parameter is not suggested with the same distribution in every finished trial "
    "(a conditional parameter or a changing range)"
)


class LaNASSampler(BaseSampler):
    """Learned search-space partitioning (LaNAS / LA-MCTS) as an Optuna sampler.

    Single-objective studies only, either direction. PRUNED trials count as observations ranked
    below complete ones as TPE ranks them (deeper steps first, then by last intermediate value;
    a NaN last value last at its step, no intermediate value at all after every other pruned
    trial), FAIL trials are ignored, and constraints set with ``trial.set_constraint``
    (feasible iff every value is <= 0) rank infeasible trials by their total violation.

    Args:
        seed: Seed of all randomness (an int >= 0, or None for fresh entropy); each trial
            derives its own from ``(seed, trial.number)``.
        n_startup_trials: Trials usable by the model before it is used. Until then each trial
            takes the row of the core's scrambled Sobol start-up design numbered like the
            trial, or the ``independent_sampler`` when one is given. Trials that start before
            any trial has finished (the first one, or the first ``n_jobs`` / workers) know no
            search space yet and are sampled independently.
        independent_sampler: Sampler for parameters outside the relative space, and for the
            start-up trials when given. Default: a :class:`~optuna.samplers.RandomSampler`
            seeded per trial.
        warn_independent_sampling: Log a warning (once per parameter and study, with the
            reason) when a parameter falls back to the independent sampler after start-up.
        constraints_func: Deprecated in Optuna 5 (use ``trial.set_constraint``): computes
            constraint values of a finished trial, stored as Optuna's samplers store them.
        split: Core option: ``"auto"`` (default: kernel on mostly continuous spaces,
            linear otherwise), ``"linear"`` (LaNAS half-spaces) or ``"kernel"`` (LA-MCTS SVM).
        labeler: Core option: ``"median"`` or ``"kmeans"`` labels for kernel splits.
        local_solver: Core option: ``"bo"``, ``"turbo"`` or ``"uniform"``.
        leaf_size: Core option: a node with more observations than this is split.
        max_depth: Core option: depth limit of the tree.
        exploration: Core option: UCB constant in units of the objective's spread.
        gp_fit: Core option: ``"map"`` (hyperparameter priors) or ``"likelihood"`` (plain
            maximum likelihood) fit of the local GP.

    Defaults of the core options are those of :class:`lanas_sampler.LaNAS`.

    Example:
        >>> import optuna
        >>> from lanas_sampler.integrations.optuna import LaNASSampler
        >>> def objective(trial):
        ...     x = trial.suggest_float("x", -5, 5)
        ...     kind = trial.suggest_categorical("kind", ["a", "b"])
        ...     return x**2 + (kind == "b")
        >>> study = optuna.create_study(sampler=LaNASSampler(seed=0))
        >>> study.optimize(objective, n_trials=20)
        >>> study.best_value < 1.5
        True
    """

    def __init__(
        self,
        *,
        seed: int | None = None,
        n_startup_trials: int = 10,
        independent_sampler: BaseSampler | None = None,
        warn_independent_sampling: bool = True,
        constraints_func: Callable[[FrozenTrial], Sequence[float]] | None = None,
        split: SplitOption = _CORE_DEFAULTS["split"],
        labeler: Labeler = _CORE_DEFAULTS["labeler"],
        local_solver: LocalSolver = _CORE_DEFAULTS["local_solver"],
        leaf_size: int = _CORE_DEFAULTS["leaf_size"],
        max_depth: int = _CORE_DEFAULTS["max_depth"],
        exploration: float = _CORE_DEFAULTS["exploration"],
        gp_fit: GPFit = _CORE_DEFAULTS["gp_fit"],
    ) -> None:
        if (
            isinstance(n_startup_trials, bool)
            or not isinstance(n_startup_trials, int | np.integer)
            or n_startup_trials < 0
        ):
            raise ValueError(f"n_startup_trials must be an integer >= 0, got {n_startup_trials!r}.")
        if independent_sampler is not None and not isinstance(independent_sampler, BaseSampler):
            raise ValueError(
                "independent_sampler must be an optuna.samplers.BaseSampler or None, "
                f"got {independent_sampler!r}."
            )
        if not isinstance(warn_independent_sampling, bool):
            raise ValueError(
                "warn_independent_sampling must be True or False, "
                f"got {warn_independent_sampling!r}."
            )
        if constraints_func is not None:
            if not callable(constraints_func):
                raise ValueError(
                    f"constraints_func must be callable or None, got {constraints_func!r}."
                )
            if hasattr(optuna.trial.Trial, "set_constraint"):  # Optuna >= 5 deprecates it
                warnings.warn(
                    "`constraints_func` is deprecated since Optuna 5.0.0; use "
                    "`optuna.trial.Trial.set_constraint` instead.",
                    FutureWarning,
                    stacklevel=2,
                )
        self._core_options: dict[str, Any] = {
            "split": split,
            "labeler": labeler,
            "local_solver": local_solver,
            "leaf_size": leaf_size,
            "max_depth": max_depth,
            "exploration": exploration,
            "gp_fit": gp_fit,
        }
        # The core validates its options and the seed (its errors name the option and the
        # allowed values): one rule for both, negative seeds refused as Optuna's own samplers
        # refuse them.
        LaNAS({"x": Float(0.0, 1.0)}, seed=seed, **self._core_options)
        self._base_seed = _entropy() if seed is None else int(seed)
        self._n_startup_trials = int(n_startup_trials)
        self._independent_sampler = independent_sampler
        self._warn_independent_sampling = warn_independent_sampling
        self._constraints_func = constraints_func
        self._studies: list[StudyState] = []
        self._lock = threading.Lock()

    # -- pickling: locks and weak references are process-local; caches are rebuilt -----------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        state["_studies"] = []
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    # -- BaseSampler -------------------------------------------------------------------------
    def reseed_rng(self) -> None:
        with self._lock:
            self._base_seed = _entropy()
        if self._independent_sampler is not None:
            self._independent_sampler.reseed_rng()

    def infer_relative_search_space(
        self, study: Study, trial: FrozenTrial
    ) -> dict[str, BaseDistribution]:
        check_single_objective(study)
        trials = _study_trials(study, FINISHED)
        with self._lock:
            space = self._state(study).intersection.update(trials)
        return {name: dist for name, dist in space.items() if representable(dist)}

    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        check_single_objective(study)
        # Callers may pass any subset of the inferred space (PartialFixedSampler) or a space of
        # their own; what the core cannot represent is left to sample_independent.
        space = {name: dist for name, dist in sorted(search_space.items()) if representable(dist)}
        if not space:
            return {}
        trials = _study_trials(study, (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING))
        finished = [t for t in trials if t.state in FINISHED]
        sign = -1.0 if study.directions[0] == StudyDirection.MAXIMIZE else 1.0
        with self._lock:
            state = self._state(study)
            state.forget({t.number for t in finished})
            model = self._model(state, space, finished, sign)
            starting = model.core.n_observations < self._n_startup_trials
            if starting:
                state.deferred.add(trial.number)
                if self._independent_sampler is not None:
                    return {}
            if starting or model.core.n_observations < MODEL_NEEDS:
                # The core's scrambled Sobol design, one row per trial number: distinct rows
                # for parallel workers and for retries of failed trials, one design for every
                # process (it depends on the seed alone). Uniform start-up points cost the
                # searches (benchmarks/RESULTS.md, "The start-up design through Optuna").
                proposal = model.core.design_point(trial.number)
            else:
                pending = self._pending(state, model, trials, finished, trial.number)
                model.core.reseed(self._trial_seed(trial.number))
                proposal = model.core.ask(pending=pending)
            params = {name: plain_value(dist, proposal[name]) for name, dist in space.items()}
            state.proposals[trial.number] = params
        publish_params(study._storage, trial._trial_id, RELATIVE_PARAMS_KEY, params)
        return params

    def sample_independent(
        self,
        study: Study,
        trial: FrozenTrial,
        param_name: str,
        param_distribution: BaseDistribution,
    ) -> Any:
        check_single_objective(study)
        if self._warn_independent_sampling and not param_distribution.single():
            self._maybe_warn(study, trial, param_name, param_distribution)
        sampler = self._independent_sampler or RandomSampler(
            seed=self._trial_seed(trial.number, zlib.crc32(param_name.encode()))
        )
        return sampler.sample_independent(study, trial, param_name, param_distribution)

    def before_trial(self, study: Study, trial: FrozenTrial) -> None:
        if self._independent_sampler is not None:
            self._independent_sampler.before_trial(study, trial)

    def after_trial(
        self,
        study: Study,
        trial: FrozenTrial,
        state: TrialState,
        values: Sequence[float] | None,
    ) -> None:
        if self._constraints_func is not None and state in FINISHED:
            store_legacy_constraints(study, trial, self._constraints_func(trial))
        if self._independent_sampler is not None:
            self._independent_sampler.after_trial(study, trial, state, values)
        with self._lock:
            for study_state in self._studies:
                if study_state.matches(study):
                    study_state.forget({trial.number})

    # -- internals ---------------------------------------------------------------------------
    def _trial_seed(self, number: int, *salt: int) -> int:
        return int(np.random.SeedSequence((self._base_seed, number, *salt)).generate_state(1)[0])

    def _state(self, study: Study) -> StudyState:
        """The cache of ``study`` (caller holds the lock)."""
        self._studies = [s for s in self._studies if s.storage() is not None]
        for state in self._studies:
            if state.matches(study):
                self._studies.remove(state)
                self._studies.append(state)  # most recently used last
                return state
        state = StudyState(study)
        self._studies = [*self._studies[-(_MAX_STUDIES - 1) :], state]
        return state

    def _model(
        self,
        state: StudyState,
        space: dict[str, BaseDistribution],
        finished: list[FrozenTrial],
        sign: float,
    ) -> Model:
        """The core for ``space`` whose seen trials are all still visible, brought up to date."""
        key = tuple(space.items())
        numbers = {t.number for t in finished}
        candidates = [m for m in state.models if m.key == key and m.seen <= numbers]
        if candidates:
            model = max(candidates, key=lambda m: len(m.seen))
            state.models.remove(model)
        else:
            core_space = {name: to_parameter(dist) for name, dist in space.items()}
            core = LaNAS(
                core_space,  # type: ignore[arg-type]  # representable(): no None
                seed=self._base_seed,
                n_startup=max(self._n_startup_trials, 1),
                **self._core_options,
            )
            model = Model(space, core)
        state.models = [*state.models[-(_MAX_MODELS_PER_STUDY - 1) :], model]
        # Trial-number order: the same sequence of tells whichever process rebuilds the core.
        for trial in sorted((t for t in finished if t.number not in model.seen), key=_number):
            model.seen.add(trial.number)
            obs = observation(trial, space, sign)
            if obs is None:
                continue
            try:
                model.core.tell(
                    obs.params,
                    obs.value,
                    constraint_violation=obs.violation,
                    pruned_at_step=obs.pruned_at_step,
                )
            except ValueError as err:  # e.g. an enqueued value outside the distribution
                _logger.debug("Trial %d is not used by LaNASSampler: %s", trial.number, err)
        return model

    def _pending(
        self,
        state: StudyState,
        model: Model,
        trials: list[FrozenTrial],
        finished: list[FrozenTrial],
        current: int,
    ) -> list[dict[str, Any]]:
        """Configurations of other running trials (threads here, or other processes).

        A trial still RUNNING once ``MAX_PENDING`` later-numbered trials have finished is taken
        for dead (its worker was killed where no heartbeat fails it, as on a journal file) and
        forgotten, as the core forgets its own unanswered asks. Counting finished trials, not
        started ones, keeps every trial that is really running, however many run at once.
        """
        running = {t.number: t for t in trials if t.state == TrialState.RUNNING}
        numbers = (set(running) | set(state.proposals)) - {current}
        # Dead: numbered before the MAX_PENDING-th latest finished trial (storages list trials
        # in number order).
        oldest_alive = finished[-MAX_PENDING].number if len(finished) >= MAX_PENDING else -1
        dead = {n for n in numbers if n < oldest_alive}
        state.forget(dead)  # this process's own abandoned proposals go too
        numbers -= dead
        pending = []
        for number in sorted(numbers):
            trial = running.get(number)
            params = dict(state.proposals.get(number, {}))
            if trial is not None:
                params.update(proposed_params(trial, RELATIVE_PARAMS_KEY))
            if not all(name in params for name in model.space):
                continue
            candidate = {name: params[name] for name in model.space}
            try:
                model.core.space.encode(candidate)
            except ValueError:  # a proposal made for another range of some parameter
                continue
            pending.append(candidate)
        return pending

    def _maybe_warn(
        self, study: Study, trial: FrozenTrial, param_name: str, dist: BaseDistribution
    ) -> None:
        with self._lock:
            state = self._state(study)
            if trial.number in state.deferred or param_name in state.warned:
                return  # a start-up trial, or reported already in this study
        finished = _study_trials(study, FINISHED)
        # Start-up trials and parameters never seen before are independent by design.
        if len(finished) < self._n_startup_trials:
            return
        if not any(param_name in t.params for t in finished):
            return
        with self._lock:
            if param_name in state.warned:  # another thread was faster
                return
            state.warned.add(param_name)
            common = state.intersection.update(finished).get(param_name)
        independent = (
            type(self._independent_sampler).__name__
            if self._independent_sampler
            else "RandomSampler"
        )
        _logger.warning(
            _WARNING_TEMPLATE.format(
                param_name=param_name,
                trial_number=trial.number,
                independent=independent,
                fallback_reason=_fallback_reason(common, dist),
            )
        )


def _fallback_reason(common: BaseDistribution | None, dist: BaseDistribution) -> str:
    """Why a parameter suggested with ``dist`` is sampled independently, given its distribution
    in the intersection of the finished trials (None when it is not in all of them)."""
    if common != dist:
        return _NOT_IN_EVERY_TRIAL
    why = unrepresentable_reason(dist)
    if why is not None:
        return f"LaNASSampler cannot represent its distribution {dist} ({why})"
    return "the relative search space given to `sample_relative` left it out"


def _study_trials(study: Study, states: tuple[TrialState, ...]) -> list[FrozenTrial]:
    """The study's trials in ``states``, read as Optuna's own samplers read them.

    HyperbandPruner hands samplers a study whose public ``get_trials`` holds the trials of one
    bracket only, while TPE, CMA-ES and GP read ``Study._get_trials``, which it leaves whole
    (Optuna 5.1). Reading the public view made LaNAS learn from a third of a three-bracket
    study's trials, with its start-up trials once per bracket, where TPE learns from all of
    them. Like TPE, the read goes through the study's per-trial cache (emptied by every
    ``ask`` and ``tell``): one storage read per trial instead of one per sampler call (three).
    The public method stands in should the private one go or change its arguments.
    """
    read_all = getattr(study, "_get_trials", None)
    if read_all is not None:
        try:
            trials: list[FrozenTrial] = read_all(deepcopy=False, states=states, use_cache=True)
            return trials
        except TypeError:
            pass
    return study.get_trials(deepcopy=False, states=states)


def _number(trial: FrozenTrial) -> int:
    return trial.number


def _entropy() -> int:
    return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
