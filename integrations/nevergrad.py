"""Nevergrad optimizer backed by the LaNAS core.

Importing this module registers ``LaNAS`` (the core's defaults) and one preset per partition
strategy and local solver (``LaNASKernel``, ``LaNASLinear``, ``LaNASTuRBO``, ``LaNASUniform``)
in ``ng.optimizers.registry``; re-importing or reloading it is harmless.

Each leaf of the parametrization becomes core parameters (see :class:`ParametrizedLaNAS`):
bounded ``Scalar``/``Array``/``Log`` map exactly and affinely to the unit cube (``Log`` in log
space), bounded integer-cast data to core ``Int``, ``Choice`` to ``Categorical`` over option
indices, ordered ``TransitionChoice`` to ``Int`` over indices. Data without both bounds goes
through a fixed arctan squash of Nevergrad's standardized data (centred on the initial value,
one sigma = a quarter of the cube on each side of the centre).
"""

from __future__ import annotations

import logging
import math
import sys
from types import FrameType
from typing import Any

import numpy as np
from nevergrad.common import errors
from nevergrad.optimization import base
from nevergrad.parametrization import _datalayers, helpers
from nevergrad.parametrization import choice as pchoice
from nevergrad.parametrization import core as pcore
from nevergrad.parametrization import data as pdata

from lanas_sampler import Categorical, Float, Int, LaNAS
from lanas_sampler._objective import minus_inf_as_best
from lanas_sampler._space import Parameter as _CoreParameter

__all__ = ["ParametrizedLaNAS"]

_logger = logging.getLogger(__name__)

_META_KEY = "lanas_params"  # candidate._meta entry holding the core's params dict
# Unbounded data: u in (0, 1) <-> standardized s = tan(pi (u - 1/2)). The cube edges would be
# +-inf and the core's models like to propose edges: keep u this far inside (|s| <= 3183 sigma).
_SQUASH_EPS = 1e-4
# Bound methods whose inverse diverges at the bounds (tanh: arctanh(1) = inf).
_DIVERGENT_BOUND_METHODS = ("arctan", "tanh")
# Bounded real data under such a method stays this far (normalized) inside its bounds.
_BOUND_EPS = 1e-9
# Integer-cast data under such a method is written a quarter step inside a bound that is itself
# an integer: Nevergrad rounds it back to that bound, and its standardized data stay finite
# (tanh: arctanh(1 - 0.5 / (upper - lower)) instead of arctanh(1) = inf).
_INTEGER_EDGE = 0.25
# Nevergrad replaces NaN and losses >= 5e20 by 5e20 before the optimizer sees them; the core
# ranks failed evaluations (inf) below all others, which is what those were.
_NEVERGRAD_FAILED_LOSS = 5.0e20
_BASE_TELL_CODE = base.Optimizer.tell.__code__


class _Slot:
    """One leaf of the parametrization and the core parameters standing for it."""

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        label = path or "value"
        self.names = [label] if size == 1 else [f"{label}[{i}]" for i in range(size)]

    def space(self) -> dict[str, _CoreParameter]:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, leaf: Any, params: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def read(self, leaf: Any) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError


class _BoundedData(_Slot):
    """Fully bounded data: the bound layer's normalized value, affine in its own space."""

    def __init__(self, path: str, ref: pdata.Data, layer: _datalayers.BoundLayer) -> None:
        super().__init__(path, ref.dimension)
        self.shape = ref._value.shape
        self.layer_index = layer._layer_index
        self.eps = _BOUND_EPS if _diverges(layer) else 0.0

    def space(self) -> dict[str, _CoreParameter]:
        return {name: Float(0.0, 1.0) for name in self.names}

    def write(self, leaf: Any, params: dict[str, Any]) -> None:
        u = np.clip([params[n] for n in self.names], self.eps, 1.0 - self.eps)
        leaf._layers[self.layer_index].set_normalized_value(u.reshape(self.shape))

    def read(self, leaf: Any) -> dict[str, Any]:
        u = np.clip(leaf._layers[self.layer_index].get_normalized_value().ravel(), 0.0, 1.0)
        return dict(zip(self.names, u.tolist(), strict=True))


class _IntegerData(_Slot):
    """Bounded integer-cast data: one core Int per element (log-spaced under an exponent)."""

    def __init__(
        self, path: str, ref: pdata.Data, layer: _datalayers.BoundLayer, log: bool
    ) -> None:
        super().__init__(path, ref.dimension)
        lower, upper = (
            np.broadcast_to(b, ref._value.shape).astype(float).ravel() for b in ref.bounds
        )
        self.shape = ref._value.shape
        self.scalar = isinstance(ref, pdata.Scalar)
        self.low = [math.ceil(float(b) - 1e-9) for b in lower]
        self.high = [math.floor(float(b) + 1e-9) for b in upper]
        self.log = log
        for name, lo, hi, b0, b1 in zip(self.names, self.low, self.high, lower, upper, strict=True):
            if lo > hi:
                raise errors.NevergradValueError(
                    f"Parameter {name!r} is cast to integers but its bounds [{b0:g}, {b1:g}] "
                    "contain no integer. LaNAS needs at least one integer between the bounds "
                    "of integer-cast data: widen them, or drop set_integer_casting()."
                )
        # Where the bound method diverges, keep written values off the bounds (see
        # _INTEGER_EDGE); a range narrower than one integer keeps a quarter of its width.
        margin = np.minimum(_INTEGER_EDGE, (upper - lower) / 4.0) if _diverges(layer) else 0.0
        self.inner = (lower + margin, upper - margin)

    def space(self) -> dict[str, _CoreParameter]:
        return {  # a one-integer range is a constant: left out, its value is the only one
            name: Int(lo, hi, log=self.log)
            for name, lo, hi in zip(self.names, self.low, self.high, strict=True)
            if lo < hi
        }

    def write(self, leaf: Any, params: dict[str, Any]) -> None:
        values = np.array(
            [params.get(n, lo) for n, lo in zip(self.names, self.low, strict=True)], dtype=float
        )
        values = np.clip(values, *self.inner)
        leaf.value = float(values[0]) if self.scalar else values.reshape(self.shape)

    def read(self, leaf: Any) -> dict[str, Any]:
        values = np.asarray(leaf.value, dtype=float).ravel()
        return {
            n: int(np.clip(np.rint(v), lo, hi))
            for n, v, lo, hi in zip(self.names, values, self.low, self.high, strict=True)
            if lo < hi
        }


class _FreeData(_Slot):
    """Data lacking a bound: arctan squash of its standardized data (see module docstring)."""

    def __init__(self, path: str, ref: pdata.Data) -> None:
        super().__init__(path, ref.dimension)
        self.ref = ref

    def space(self) -> dict[str, _CoreParameter]:
        return {name: Float(_SQUASH_EPS, 1.0 - _SQUASH_EPS) for name in self.names}

    def write(self, leaf: Any, params: dict[str, Any]) -> None:
        u = np.clip([params[n] for n in self.names], _SQUASH_EPS, 1.0 - _SQUASH_EPS)
        leaf.set_standardized_data(np.tan(np.pi * (u - 0.5)), reference=self.ref)

    def read(self, leaf: Any) -> dict[str, Any]:
        s = leaf.get_standardized_data(reference=self.ref)
        u = np.clip(0.5 + np.arctan(s) / np.pi, _SQUASH_EPS, 1.0 - _SQUASH_EPS)
        return dict(zip(self.names, u.tolist(), strict=True))


class _ChoiceIndices(_Slot):
    """Choice / TransitionChoice: the index of the option, categorical or ordinal."""

    def __init__(self, path: str, ref: pchoice.BaseChoice) -> None:
        super().__init__(path, ref._repetitions or 1)
        self.n_options = len(ref)
        # A TransitionChoice is ordered unless built with ordered=False (then its _ref is set).
        self.ordered = isinstance(ref, pchoice.TransitionChoice) and ref._ref is None

    def space(self) -> dict[str, _CoreParameter]:
        if self.n_options < 2:
            return {}
        k = self.n_options
        return {
            n: Int(0, k - 1) if self.ordered else Categorical(list(range(k))) for n in self.names
        }

    def write(self, leaf: Any, params: dict[str, Any]) -> None:
        if self.n_options > 1:
            leaf.indices.value = np.array([int(params[n]) for n in self.names], dtype=int)

    def read(self, leaf: Any) -> dict[str, Any]:
        if self.n_options < 2:
            return {}
        indices = np.asarray(leaf.indices.value).ravel()
        return {n: int(i) for n, i in zip(self.names, indices, strict=True)}


def _diverges(layer: _datalayers.BoundLayer) -> bool:
    return getattr(layer, "_method", None) in _DIVERGENT_BOUND_METHODS


def _leaves(parameter: pcore.Parameter) -> dict[str, pcore.Parameter]:
    """Leaves to optimize, by flatten name: data and choices, not the choices' own internals
    (softmax weights, transition weights); options that are parameters are leaves too."""
    flat = helpers.flatten(parameter, with_containers=True, order=0)
    internal = {
        id(sub)
        for _, param in flat
        if isinstance(param, pchoice.BaseChoice)
        for key, sub in param._content.items()
        if key != "choices"
    }
    return {
        name: param
        for name, param in flat
        if id(param) not in internal and isinstance(param, pdata.Data | pchoice.BaseChoice)
    }


def _slots(parametrization: pcore.Parameter) -> list[_Slot]:
    slots: list[_Slot] = []
    for path, param in _leaves(parametrization).items():
        if isinstance(param, pchoice.BaseChoice):
            slots.append(_ChoiceIndices(path, param))
            continue
        assert isinstance(param, pdata.Data)
        bounded = [
            layer
            for layer in _datalayers.BoundLayer.filter_from(param)
            if all(b is not None for b in layer.bounds)
        ]
        if not bounded:
            slots.append(_FreeData(path, param))
        elif param.integer:
            exponents = _datalayers.Exponent.filter_from(param)
            log = any(e._layer_index > bounded[-1]._layer_index for e in exponents)
            slots.append(_IntegerData(path, param, bounded[-1], log=log))
        else:
            slots.append(_BoundedData(path, param, bounded[-1]))
    return slots


class _LaNAS(base.Optimizer):  # type: ignore[misc]  # nevergrad ships no py.typed
    """LaNAS as a Nevergrad optimizer; build it through :class:`ParametrizedLaNAS` or the
    registry.

    Example:
        >>> import nevergrad as ng
        >>> import lanas_sampler.integrations.nevergrad  # registers the names
        >>> opt = ng.optimizers.registry["LaNAS"](ng.p.Scalar(lower=-2, upper=2), budget=20)
        >>> abs(opt.minimize(lambda x: (x - 1.0) ** 2).value - 1.0) < 0.5
        True
    """

    def __init__(
        self,
        parametrization: base.IntOrParameter,
        budget: int | None = None,
        num_workers: int = 1,
        **options: Any,
    ) -> None:
        super().__init__(parametrization, budget=budget, num_workers=num_workers)
        self._options = {k: v for k, v in options.items() if v is not None}
        LaNAS({"x": Float(0.0, 1.0)}, seed=0, **self._options)  # validates them, draws nothing
        self._slots = _slots(self.parametrization)
        self._space: dict[str, _CoreParameter] = {}
        for slot in self._slots:
            self._space.update(slot.space())
        self._core: LaNAS | None = None  # built at first use, seeded from self._rng then
        # the latest proposal until it is told, to notice when ask() drops it
        self._last_ask: tuple[pcore.Parameter, dict[str, Any]] | None = None

    @property
    def core(self) -> LaNAS | None:
        """The wrapped :class:`lanas_sampler.LaNAS` (None before the first ask or tell)."""
        return self._core

    def _get_core(self) -> LaNAS | None:
        if self._core is None and self._space:
            seed = int(self._rng.randint(2**31 - 1))
            self._core = LaNAS(self._space, seed=seed, **self._options)
        return self._core

    def _num_objectives_set_callback(self) -> None:
        n = int(self.num_objectives)
        if n > 1:
            self._num_objectives = 0  # stay usable for single-objective tells
            raise errors.NevergradValueError(
                f"LaNAS is single-objective but tell received {n} losses. Nevergrad would pass "
                "it a hypervolume scalar whose values change meaning as the front grows; use a "
                "multi-objective optimizer (e.g. DE) or tell a weighted sum."
            )

    def _internal_ask_candidate(self) -> pcore.Parameter:
        core = self._get_core()
        candidate = self.parametrization.spawn_child()
        if core is None:  # nothing to optimize: every leaf is constant
            return candidate
        self._settle_dropped(core)
        params = core.ask()
        leaves = _leaves(candidate)
        with helpers.deterministic_sampling(candidate):
            for slot in self._slots:
                slot.write(leaves[slot.path], params)
        candidate._meta[_META_KEY] = params
        self._last_ask = (candidate, params)
        return candidate

    def _settle_dropped(self, core: LaNAS) -> None:
        """Deal with the previous proposal if ``ask()`` dropped it (it will never be told).

        ``ask()`` retries while a cheap constraint (``register_cheap_constraint``) rejects the
        candidate, and may replace the last one by a constraint solver's. A rejected point is
        told to the core as a failed evaluation, so that the tree learns where the infeasible
        region is instead of proposing it again and again; a point dropped for another
        reason (tabu list) is cancelled.
        """
        if self._last_ask is None or self._last_ask[0].uid in self._asked:
            return
        candidate, params = self._last_ask
        self._last_ask = None
        if candidate.satisfies_constraints(self.parametrization, no_tabu=True):
            core.cancel(params)
        else:
            core.tell(params, math.nan)

    def _internal_tell_candidate(self, candidate: pcore.Parameter, loss: float) -> None:
        self._tell(candidate, loss)

    def _internal_tell_not_asked(self, candidate: pcore.Parameter, loss: float) -> None:
        self._tell(candidate, loss)

    def _tell(self, candidate: pcore.Parameter, loss: float) -> None:
        core = self._get_core()
        if self._last_ask is not None and candidate.uid == self._last_ask[0].uid:
            self._last_ask = None
        if core is None:
            return
        params = candidate._meta.get(_META_KEY)
        if params is None:  # suggested, warm start, or built by another optimizer
            params = {}
            leaves = _leaves(candidate)
            for slot in self._slots:
                params.update(slot.read(leaves[slot.path]))
        raw = float(candidate.loss) if candidate.loss is not None else float(loss)
        violation = self._constraint_violation()
        if violation <= 0.0 and loss > raw:  # penalty for a registered cheap constraint
            violation = loss - raw
        value = math.inf if raw >= _NEVERGRAD_FAILED_LOSS else minus_inf_as_best(raw)
        core.tell(params, value, constraint_violation=violation)

    def _constraint_violation(self) -> float:
        """The ``constraint_violation`` argument of the running ``tell``; 0.0 when absent.

        Why a frame lookup: Nevergrad 1.0.x has no supported way to get this argument.
        ``Optimizer.tell`` only folds it into the loss it hands to ``_internal_tell_*`` (with a
        penalty that is zero for non-positive losses during the first half of the budget, so a
        violating point can look best), and stores it neither on the candidate nor on the
        optimizer; tell callbacks do not receive it either, and the public ``tell`` must not be
        overridden. The core ranks infeasible points by their violation itself, so it reads the
        argument from the calling ``Optimizer.tell`` frame (same code object, same optimizer).
        This relies on Nevergrad 1.0.x internals: ``tell`` keeps the argument in a local named
        ``constraint_violation`` and calls ``_internal_tell_*`` itself. ``test_nevergrad.py``
        checks both (``test_constraint_violation_frame_lookup_assumptions``); should they
        break, violations would silently count as 0.0 and only Nevergrad's penalty would
        remain.
        """
        frame: FrameType | None = sys._getframe(1)
        for _ in range(8):
            if frame is None:
                break
            if frame.f_code is _BASE_TELL_CODE and frame.f_locals.get("self") is self:
                violation = frame.f_locals.get("constraint_violation")
                if violation is None:
                    return 0.0
                return float(np.sum(np.maximum(np.asarray(violation, dtype=float), 0.0)))
            frame = frame.f_back
        return 0.0


class ParametrizedLaNAS(base.ConfiguredOptimizer):  # type: ignore[misc]
    """Family of LaNAS optimizers for Nevergrad (learned space partitions + local solver).

    Every argument left to ``None`` takes the core :class:`lanas_sampler.LaNAS` default.

    Args:
        split: ``"auto"`` (the core's default: kernel on mostly continuous spaces,
            linear otherwise), ``"linear"`` (LaNAS half-spaces) or ``"kernel"`` (LA-MCTS: SVM
            boundary).
        labeler: How kernel splits label good points: ``"median"`` or ``"kmeans"``.
        local_solver: ``"bo"``, ``"turbo"`` or ``"uniform"`` sampling inside the chosen leaf.
        leaf_size: A node holding more observations than this is split.
        max_depth: Depth limit of the tree.
        exploration: UCB constant ``Cp`` in units of the objective's spread.
        gp_fit: ``"map"`` (hyperparameter priors) or ``"likelihood"`` (plain maximum
            likelihood) fit of the local GP.
        n_startup: Quasi-random (scrambled Sobol) points before the tree is used.

    Parameter mapping (each leaf of the parametrization, containers walked):
        * ``Scalar``/``Array``/``Log`` with both bounds: the bound layer's normalized value,
          exact and affine (``Log``: in log space); with integer casting, a core ``Int`` over
          the integers inside the bounds.
        * ``Choice``: core ``Categorical`` over option indices (set deterministically, never a
          softmax sample); ``TransitionChoice``: core ``Int`` over indices (``Categorical``
          when built with ``ordered=False``). Options that are parameters are searched too.
        * Data without both bounds: ``u = 1/2 + arctan(s) / pi`` of its standardized data
          ``s`` (``s = 0`` is the initial value, ``|s| = 1`` one sigma), kept in
          ``[1e-4, 1 - 1e-4]``; integer casting is then applied by Nevergrad.

    Multi-objective losses raise ``NevergradValueError`` at ``tell``; ``constraint_violation``
    is passed to the core, which ranks infeasible points below feasible ones.

    Example:
        >>> import nevergrad as ng
        >>> from lanas_sampler.integrations.nevergrad import ParametrizedLaNAS
        >>> param = ng.p.Instrumentation(
        ...     x=ng.p.Scalar(lower=-3, upper=3), act=ng.p.Choice(["relu", "tanh"])
        ... )
        >>> opt = ParametrizedLaNAS(split="linear")(param, budget=30)
        >>> recom = opt.minimize(lambda x, act: x**2 + (act == "tanh"))
        >>> recom.kwargs["act"]
        'relu'
    """

    def __init__(
        self,
        *,
        split: str | None = None,
        labeler: str | None = None,
        local_solver: str | None = None,
        leaf_size: int | None = None,
        max_depth: int | None = None,
        exploration: float | None = None,
        gp_fit: str | None = None,
        n_startup: int | None = None,
    ) -> None:
        super().__init__(_LaNAS, locals())


def _register(name: str, optimizer: ParametrizedLaNAS) -> None:
    existing = base.registry.get(name)
    if existing is not None:
        if getattr(existing, "__module__", None) != __name__:
            _logger.warning("Nevergrad name %r is taken by %r; not registering it.", name, existing)
            return
        base.registry.unregister(name)  # ours, from an earlier import: importlib.reload
    optimizer.set_name(name, register=True)


PRESETS: dict[str, ParametrizedLaNAS] = {
    "LaNAS": ParametrizedLaNAS(),
    "LaNASKernel": ParametrizedLaNAS(split="kernel"),
    "LaNASLinear": ParametrizedLaNAS(split="linear"),
    "LaNASTuRBO": ParametrizedLaNAS(local_solver="turbo"),
    "LaNASUniform": ParametrizedLaNAS(local_solver="uniform"),
}
for _name, _optimizer in PRESETS.items():
    _register(_name, _optimizer)
