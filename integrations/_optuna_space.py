"""Helpers of the Optuna adapter: distributions, the intersection space, trials as
observations, published proposals, and the per-study cache the sampler keeps.

Kept apart from :mod:`lanas_sampler.integrations.optuna` so that the sampler module reads as the
sampler protocol only. The functions read Optuna objects (``publish_params`` and
``store_legacy_constraints`` also write to the study's storage); the classes hold the
caches (:class:`IntersectionSpace`, :class:`Model`, :class:`StudyState`), which the sampler only
touches under its lock.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from optuna.study import Study
from optuna.trial import FrozenTrial, TrialState

from lanas_sampler import Categorical, Float, Int, LaNAS
from lanas_sampler._objective import minus_inf_as_best
from lanas_sampler._space import Parameter

__all__ = [
    "IntersectionSpace",
    "Model",
    "Observation",
    "StudyState",
    "check_single_objective",
    "constraint_violation",
    "observation",
    "plain_value",
    "proposed_params",
    "publish_params",
    "representable",
    "store_legacy_constraints",
    "to_parameter",
    "unrepresentable_reason",
]

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
# RDBStorage stores a system attribute value in at most 2048 characters (Optuna's TPE and GP
# samplers chunk their proposals the same way); longer JSON is split over ``key:0``, ``key:1``...
_ATTR_CHUNK = 2045
# The legacy storage key of constraint values (read by FrozenTrial.constraints in Optuna 5 and
# by Optuna 4's samplers); only written for the deprecated ``constraints_func`` argument.
LEGACY_CONSTRAINTS_KEY = "constraints"
# Pruned trials without a usable last value, ranked as Optuna's TPE ranks them
# (``_get_pruned_trial_score``: deeper step first, then value): a NaN (or worst infinite) last
# value is the worst at its step, a trial that reported nothing comes after every pruned trial
# that did. The core would rank NaN and infinite values as failed evaluations, below even the
# infeasible ones, so both get finite stand-ins inside the pruned group instead: the core only
# uses their rank (Gaussian copula of ranks), never their magnitude.
_PRUNED_NAN = math.nextafter(sys.float_info.max, 0.0)
_PRUNED_UNREPORTED = sys.float_info.max  # at step 0, after _PRUNED_NAN at step 0


def to_parameter(dist: BaseDistribution) -> Parameter | None:
    """The core parameter of an Optuna distribution; None when it cannot enter the relative
    space (see :func:`unrepresentable_reason`)."""
    return _convert(dist)[0]


def unrepresentable_reason(dist: BaseDistribution) -> str | None:
    """Why ``dist`` cannot enter the relative space (single-valued, or choices the core rejects
    such as duplicates), in words; None when it can."""
    return _convert(dist)[1]


@functools.lru_cache(maxsize=1024)
def representable(dist: BaseDistribution) -> bool:
    """Whether ``dist`` can enter the relative space (cached: checking choices is quadratic)."""
    return to_parameter(dist) is not None


def _convert(dist: BaseDistribution) -> tuple[Parameter | None, str | None]:
    if dist.single():
        return None, "it has a single value"
    try:
        if isinstance(dist, FloatDistribution):
            return Float(dist.low, dist.high, log=dist.log, step=dist.step), None
        if isinstance(dist, IntDistribution):
            return Int(dist.low, dist.high, log=dist.log, step=dist.step), None
        if isinstance(dist, CategoricalDistribution):
            return Categorical(dist.choices), None
    except ValueError as err:  # the core's message says what it rejects
        return None, str(err)
    return None, f"{type(dist).__name__} is not supported"


class IntersectionSpace:
    """Parameters suggested with the same distribution in every finished trial seen so far.

    Like :class:`optuna.search_space.IntersectionSearchSpace` (with pruned trials included, as
    TPE does), but incremental over *sets* of trials: each finished trial is intersected once,
    whatever order or subset of the study a call sees.
    """

    def __init__(self) -> None:
        self._space: dict[str, BaseDistribution] | None = None
        self._seen: set[int] = set()

    def update(self, trials: Iterable[FrozenTrial]) -> dict[str, BaseDistribution]:
        for trial in trials:
            if trial.state not in FINISHED or trial.number in self._seen:
                continue
            self._seen.add(trial.number)
            if self._space is None:
                self._space = dict(trial.distributions)
            else:
                self._space = {
                    name: dist
                    for name, dist in self._space.items()
                    if trial.distributions.get(name) == dist
                }
        return dict(sorted((self._space or {}).items()))


def constraint_violation(trial: FrozenTrial) -> float:
    """Sum of the positive constraint values (0 = feasible), as TPE scores infeasibility."""
    constraints = getattr(trial, "constraints", None)  # Optuna >= 5: a dict
    if constraints is None:  # Optuna 4: the legacy sequence in system attributes
        constraints = dict(enumerate(trial.system_attrs.get(LEGACY_CONSTRAINTS_KEY) or ()))
    return float(sum(max(float(c), 0.0) for c in constraints.values()))


@dataclass(frozen=True)
class Observation:
    """A finished trial in the core's terms (minimised value, violation, pruning step)."""

    params: dict[str, Any]
    value: float
    violation: float
    pruned_at_step: int | None


def observation(
    trial: FrozenTrial, space: Mapping[str, BaseDistribution], sign: float
) -> Observation | None:
    """What a finished trial tells the core, or None when it carries nothing usable.

    COMPLETE: its value. PRUNED: its last intermediate value at that step, ranked as TPE ranks
    pruned trials (see ``_PRUNED_NAN`` and ``_PRUNED_UNREPORTED``). FAIL trials and trials that
    lack a parameter of ``space`` (or suggested it with another distribution) are skipped.
    """
    if any(trial.distributions.get(name) != dist for name, dist in space.items()):
        return None
    step: int | None = None
    if trial.state == TrialState.COMPLETE:
        if trial.values is None or len(trial.values) != 1:
            return None
        value = sign * float(trial.values[0])
        if math.isnan(value):
            return None
    elif trial.state == TrialState.PRUNED:
        if trial.intermediate_values:
            step = max(trial.intermediate_values)
            value = sign * float(trial.intermediate_values[step])
            if math.isnan(value) or value == math.inf:
                value = _PRUNED_NAN
        else:
            step, value = 0, _PRUNED_UNREPORTED
    else:
        return None
    return Observation(
        {name: trial.params[name] for name in space},
        minus_inf_as_best(value),
        constraint_violation(trial),
        step,
    )


def proposed_params(trial: FrozenTrial, key: str) -> dict[str, Any]:
    """A running trial's published relative proposal, overridden by the values it already has."""
    chunks: list[str] = []
    while (chunk := trial.system_attrs.get(f"{key}:{len(chunks)}")) is not None:
        chunks.append(chunk)
    params: dict[str, Any] = {}
    if chunks:
        try:
            loaded = json.loads("".join(chunks))
        except json.JSONDecodeError:  # another worker is still writing its chunks
            loaded = None
        if isinstance(loaded, dict):
            params.update(loaded)
    params.update(trial.params)
    return params


def publish_params(storage: Any, trial_id: int, key: str, params: Mapping[str, Any]) -> None:
    """Store a relative proposal as JSON (never a pickle) in the trial's system attributes."""
    text = json.dumps(dict(params))
    for i in range(0, len(text), _ATTR_CHUNK):
        chunk = text[i : i + _ATTR_CHUNK]
        storage.set_trial_system_attr(trial_id, f"{key}:{i // _ATTR_CHUNK}", chunk)


class Model:
    """One core for one search space and one view of a study, and the trials it has seen."""

    def __init__(self, space: dict[str, BaseDistribution], core: LaNAS) -> None:
        self.key = tuple(space.items())
        self.space = space
        self.core = core
        self.seen: set[int] = set()  # trial numbers told or found unusable


class StudyState:
    """What a sampler caches about one study (the storage itself stays the only truth)."""

    def __init__(self, study: Study) -> None:
        # A weak reference: a cached core must never be matched to a later storage that got the
        # same id() after the first was garbage-collected.
        self.storage = weakref.ref(study._storage)
        self.study_id = study._study_id
        self.intersection = IntersectionSpace()
        self.models: list[Model] = []
        self.proposals: dict[int, dict[str, Any]] = {}  # this process's running proposals
        self.deferred: set[int] = set()  # trials sampled independently during start-up
        self.warned: set[str] = set()  # parameters whose independent sampling was reported

    def matches(self, study: Study) -> bool:
        return self.storage() is study._storage and self.study_id == study._study_id

    def forget(self, numbers: set[int]) -> None:
        for number in numbers & set(self.proposals):
            del self.proposals[number]
        self.deferred -= numbers


def check_single_objective(study: Study) -> None:
    if len(study.directions) > 1:
        raise ValueError(
            f"LaNASSampler supports single-objective studies only; this study has "
            f"{len(study.directions)} objectives. Use e.g. TPESampler or NSGAIISampler."
        )


def plain_value(dist: BaseDistribution, value: Any) -> Any:
    """Plain Python values, as Optuna requires of relative samples."""
    if isinstance(dist, FloatDistribution):
        return min(max(float(value), dist.low), dist.high)
    if isinstance(dist, IntDistribution):
        return min(max(int(value), dist.low), dist.high)
    return value  # the choice object itself


def store_legacy_constraints(study: Study, trial: FrozenTrial, values: Sequence[float]) -> None:
    """Store ``constraints_func`` output where Optuna's samplers and ``FrozenTrial.constraints``
    read it (the deprecated path; ``trial.set_constraint`` needs nothing from the sampler)."""
    constraints = tuple(float(c) for c in values)
    if any(math.isnan(c) for c in constraints):
        raise ValueError(f"constraints_func returned NaN for trial {trial.number}.")
    study._storage.set_trial_system_attr(trial._trial_id, LEGACY_CONSTRAINTS_KEY, constraints)
