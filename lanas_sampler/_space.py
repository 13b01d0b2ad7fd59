"""Parameter types and the search space's map to and from the unit cube.

The algorithm only ever sees points of ``[0, 1]^d`` (TuRBO's convention; on unscaled inputs
the reference LA-MCTS code's RBF boundaries memorised their points). Each parameter owns a
slice of the cube:

* continuous floats take one dimension, linear or logarithmic;
* integers and stepped floats take one dimension cut into equal cells, one per allowed value,
  so that every value gets the same share of the cube (log integers: the cells
  ``[k - 1/2, k + 1/2]`` on a logarithmic axis, so small values get the larger shares);
* categoricals take one dimension per choice (one-hot); a one-choice categorical takes none.

``snap`` moves any cube point to the encoding of the nearest valid configuration, which is what
region membership is tested on: candidates are drawn from the real, discrete space, not from a
relaxation of it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Categorical", "Float", "Int", "Parameter", "SearchSpace"]

# Relative tolerance when checking that a step divides a float range (floating-point slack).
_STEP_TOLERANCE = 1e-8


def _check_types(kind: str, types: Any, what: str, **values: Any) -> None:
    """Each of ``values`` must be an instance of ``types`` (bool never counts as a number)."""
    for label, value in values.items():
        if isinstance(value, bool) or not isinstance(value, types):
            raise ValueError(f"{kind}: {label} must be {what}, got {value!r}.")


def _check_log(kind: str, log: Any) -> bool:
    if not isinstance(log, bool | np.bool_):
        raise ValueError(f"{kind}: log must be True or False, got {log!r}.")
    return bool(log)


def _require_finite(name: str, label: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{label}: {name} must be a finite number, got {value!r}.")


class Parameter:
    """One parameter of a search space. Subclasses say how it maps to the cube."""

    #: Number of unit-cube dimensions the parameter occupies.
    n_dims: int = 1

    def _bind(self, name: str) -> None:
        """Called by :class:`SearchSpace` so error messages can name the parameter."""
        self._name = name

    @property
    def name(self) -> str:
        return getattr(self, "_name", "<unnamed>")

    def encode(self, value: Any) -> NDArray[np.float64]:  # pragma: no cover - abstract
        raise NotImplementedError

    def decode(self, u: NDArray[np.float64]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def snap(self, u: NDArray[np.float64]) -> NDArray[np.float64]:  # pragma: no cover
        """Map a block of cube coordinates (rows = points) onto valid encodings."""
        raise NotImplementedError


class _Numeric(Parameter):
    """Shared logic of Float and Int: an interval, optional log scale, optional grid."""

    low: float
    high: float
    log: bool
    step: float | None

    def _check(self, kind: str) -> None:
        label = f"{kind}(low={self.low!r}, high={self.high!r})"
        _require_finite("low", label, self.low)
        _require_finite("high", label, self.high)
        if self.low >= self.high:
            raise ValueError(
                f"{label}: low must be strictly below high; for a fixed value leave the "
                "parameter out of the space."
            )
        if self.log and self.low <= 0:
            raise ValueError(f"{label}: log=True needs low > 0 (logarithm of the range).")
        if self.step is not None:
            if self.log:
                raise ValueError(f"{label}: step and log=True cannot be combined.")
            _require_finite("step", label, self.step)
            if self.step <= 0:
                raise ValueError(f"{label}: step must be positive, got {self.step!r}.")
            cells = (self.high - self.low) / self.step
            if abs(cells - round(cells)) > _STEP_TOLERANCE * max(1.0, cells):
                raise ValueError(
                    f"{label}: step={self.step!r} does not divide high - low = "
                    f"{self.high - self.low!r}; choose high = low + k * step."
                )

    # The cube coordinate is linear in `_warp(value)` between `_lo` and `_hi`.
    def _warp(self, value: NDArray[np.float64] | float) -> Any:
        return np.log(value) if self.log else value

    def _unwarp(self, v: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(v) if self.log else v

    def _bounds(self) -> tuple[float, float]:
        """Warped interval mapped onto [0, 1] (grids extend half a cell each side)."""
        if self.n_values is None:
            return float(self._warp(self.low)), float(self._warp(self.high))
        if self.log:  # integer log grid: cell of k is [k - 0.5, k + 0.5] in value space
            return math.log(self.low - 0.5), math.log(self.high + 0.5)
        half = self._grid_step / 2
        return self.low - half, self.high + half

    @property
    def n_values(self) -> int | None:
        """Number of allowed values for a grid parameter, None for a continuous one."""
        return None

    @property
    def _grid_step(self) -> float:
        return 1.0

    def _to_grid(self, value: NDArray[np.float64]) -> NDArray[np.float64]:
        """Nearest allowed value(s), clipped to the interval."""
        if self.n_values is None:
            return np.clip(value, self.low, self.high)
        k = np.rint((np.clip(value, self.low, self.high) - self.low) / self._grid_step)
        return np.clip(self.low + k * self._grid_step, self.low, self.high)

    def _validate_value(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(
                f"Parameter {self.name!r}: expected a number in [{self.low}, {self.high}], "
                f"got {value!r}."
            )
        v = float(value)
        slack = 1e-9 * max(1.0, abs(self.high - self.low))
        if not (math.isfinite(v) and self.low - slack <= v <= self.high + slack):
            raise ValueError(
                f"Parameter {self.name!r}: value {value!r} is outside [{self.low}, {self.high}]."
            )
        if self.n_values is not None:
            on_grid = float(self._to_grid(np.asarray(v)))
            if abs(on_grid - v) > 1e-6 * max(1.0, self._grid_step):
                raise ValueError(
                    f"Parameter {self.name!r}: value {value!r} is not on the grid "
                    f"low={self.low}, step={self._grid_step}."
                )
        return v

    def encode(self, value: Any) -> NDArray[np.float64]:
        v = self._validate_value(value)
        lo, hi = self._bounds()
        return np.array([(float(self._warp(v)) - lo) / (hi - lo)])

    def _decode_array(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        lo, hi = self._bounds()
        return self._to_grid(self._unwarp(lo + np.clip(u, 0.0, 1.0) * (hi - lo)))

    def snap(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        lo, hi = self._bounds()
        values = self._decode_array(u[:, 0])
        return np.asarray((self._warp(values) - lo) / (hi - lo), dtype=np.float64)[:, None]


class Float(_Numeric):
    """A real parameter in ``[low, high]``.

    Args:
        low: Lower bound (inclusive).
        high: Upper bound (inclusive), strictly above ``low``.
        log: Search the logarithm of the value (``low`` must be positive).
        step: Restrict values to ``low + k * step``; must divide ``high - low``.

    Example:
        >>> lr = Float(1e-5, 1e-1, log=True)
        >>> round(lr.decode(lr.encode(1e-3)), 12)  # exact up to the logarithm's rounding
        0.001
    """

    def __init__(
        self, low: float, high: float, *, log: bool = False, step: float | None = None
    ) -> None:
        _check_types("Float", numbers.Real, "a number", low=low, high=high)
        if step is not None:
            _check_types("Float", numbers.Real, "a number", step=step)
        self.low, self.high, self.log = float(low), float(high), _check_log("Float", log)
        self.step = None if step is None else float(step)
        self._check("Float")

    @property
    def n_values(self) -> int | None:
        if self.step is None:
            return None
        return round((self.high - self.low) / self.step) + 1

    @property
    def _grid_step(self) -> float:
        return self.step if self.step is not None else 1.0

    def decode(self, u: NDArray[np.float64]) -> float:
        value = float(self._decode_array(np.asarray(u[:1]))[0])
        if self.step is not None:  # remove float noise such as 0.15000000000000002
            decimals = max(0, -math.floor(math.log10(self.step)) + 10)
            value = min(max(round(value, decimals), self.low), self.high)
        return value

    def __repr__(self) -> str:
        return f"Float({self.low!r}, {self.high!r}, log={self.log}, step={self.step!r})"


class Int(_Numeric):
    """An integer parameter in ``[low, high]``.

    Args:
        low: Lower bound (inclusive).
        high: Upper bound (inclusive), strictly above ``low``.
        log: Search the logarithm of the value (``low`` must be positive; ``step`` must be 1).
        step: Restrict values to ``low + k * step``; must divide ``high - low``.

    Example:
        >>> Int(1, 8).decode(Int(1, 8).encode(3))
        3
    """

    def __init__(self, low: int, high: int, *, log: bool = False, step: int = 1) -> None:
        _check_types("Int", int | np.integer, "an integer", low=low, high=high, step=step)
        self.low, self.high, self.log = int(low), int(high), _check_log("Int", log)
        if self.log and step != 1:
            raise ValueError(
                f"Int(low={low!r}, high={high!r}): step and log=True cannot be combined."
            )
        self.step = None if log else int(step)  # None: the log grid of all integers
        self._check("Int")
        self._int_step = int(step)

    @property
    def n_values(self) -> int | None:
        return int(self.high - self.low) // self._int_step + 1

    @property
    def _grid_step(self) -> float:
        return float(self._int_step)

    def _to_grid(self, value: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.log:  # grid of all integers, cells taken in log space by _bounds
            return np.clip(np.rint(value), self.low, self.high)
        return super()._to_grid(value)

    def decode(self, u: NDArray[np.float64]) -> int:
        return int(self._decode_array(np.asarray(u[:1]))[0])

    def __repr__(self) -> str:
        return f"Int({self.low!r}, {self.high!r}, log={self.log}, step={self._int_step!r})"


def _same_choice(a: Any, b: Any) -> bool:
    """Equality that keeps True apart from 1 and 1.0, and matches NaN with NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


class Categorical(Parameter):
    """An unordered choice among hashable values (str, int, float, bool, None, tuples...).

    Encoded one-hot: one cube dimension per choice, the largest coordinate wins.

    Example:
        >>> act = Categorical(["relu", "gelu", "tanh"])
        >>> act.decode(act.encode("gelu"))
        'gelu'
    """

    def __init__(self, choices: Sequence[Hashable]) -> None:
        if isinstance(choices, str | bytes) or not isinstance(choices, Sequence | tuple | list):
            raise ValueError(f"Categorical: choices must be a list or tuple, got {choices!r}.")
        self.choices = tuple(choices)
        if not self.choices:
            raise ValueError("Categorical: choices must not be empty.")
        for i, choice in enumerate(self.choices):
            try:
                hash(choice)
            except TypeError:
                raise ValueError(
                    f"Categorical: choice {choice!r} is not hashable; use str, int, float, "
                    "bool, None or tuples of those."
                ) from None
            if any(_same_choice(choice, other) for other in self.choices[:i]):
                raise ValueError(f"Categorical: choice {choice!r} appears twice in {choices!r}.")
        self.n_dims = len(self.choices) if len(self.choices) > 1 else 0

    def index(self, value: Any) -> int:
        for i, choice in enumerate(self.choices):
            if _same_choice(choice, value):
                return i
        for i, choice in enumerate(self.choices):  # e.g. numpy scalars, 1.0 for 1
            try:
                if choice == value and not isinstance(value, bool) and not isinstance(choice, bool):
                    return i
            except Exception:  # noqa: BLE001 - exotic __eq__; treat as unequal
                continue
        raise ValueError(
            f"Parameter {self.name!r}: {value!r} is not one of the choices {list(self.choices)!r}."
        )

    def encode(self, value: Any) -> NDArray[np.float64]:
        i = self.index(value)
        out = np.zeros(self.n_dims)
        if self.n_dims:
            out[i] = 1.0
        return out

    def decode(self, u: NDArray[np.float64]) -> Any:
        return self.choices[int(np.argmax(u))] if self.n_dims else self.choices[0]

    def snap(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros_like(u)
        if self.n_dims:
            out[np.arange(len(u)), np.argmax(u, axis=1)] = 1.0
        return out

    def __repr__(self) -> str:
        return f"Categorical({list(self.choices)!r})"


class SearchSpace:
    """An ordered set of named parameters and its unit-cube encoding.

    Example:
        >>> space = SearchSpace({"lr": Float(1e-4, 1.0, log=True), "act": Categorical(["a", "b"])})
        >>> space.dim
        3
        >>> space.decode(space.encode({"lr": 0.01, "act": "b"}))["act"]
        'b'
    """

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        if not isinstance(parameters, Mapping) or not parameters:
            raise ValueError("The search space must be a non-empty dict of name -> parameter.")
        self.parameters: dict[str, Parameter] = {}
        self._slices: dict[str, slice] = {}
        start = 0
        for name, param in parameters.items():
            if not isinstance(name, str):
                raise ValueError(f"Parameter names must be strings, got {name!r}.")
            if not isinstance(param, Parameter):
                raise ValueError(
                    f"Parameter {name!r}: expected Float, Int or Categorical, got {param!r}."
                )
            param._bind(name)
            self.parameters[name] = param
            self._slices[name] = slice(start, start + param.n_dims)
            start += param.n_dims
        self.dim = start
        # Columns that belong to one-hot blocks: hit-and-run and perturbations treat them alike.
        self.categorical_blocks = [
            self._slices[n] for n, p in self.parameters.items() if isinstance(p, Categorical)
        ]
        # Plain floats (no log, no step) snap in one vectorised step: the solvers snap
        # thousands of candidates per ask, and a loop over 20 such parameters cost ~2 ms.
        # Same arithmetic per element as Float.snap, so the same bits.
        plain = [
            (n, p) for n, p in self.parameters.items()
            if isinstance(p, Float) and not p.log and p.step is None
        ]  # fmt: skip
        self._plain_columns = np.array([self._slices[n].start for n, _ in plain], dtype=np.intp)
        self._plain_low = np.array([p.low for _, p in plain])
        self._plain_high = np.array([p.high for _, p in plain])
        plain_names = {n for n, _ in plain}
        self._other_parameters = [
            (n, p) for n, p in self.parameters.items() if n not in plain_names and p.n_dims
        ]
        # Fixed by the parameters, and read on every ask (split rule, GP training-set size,
        # elite candidates): computed once, handed out read-only.
        self._continuous = np.zeros(self.dim, dtype=bool)
        for name, param in self.parameters.items():
            if isinstance(param, Float) and param.step is None:
                self._continuous[self._slices[name]] = True
        self._continuous.setflags(write=False)

    def __len__(self) -> int:
        return len(self.parameters)

    def check_params(self, params: Mapping[str, Any]) -> None:
        unknown = sorted(set(params) - set(self.parameters))
        if unknown:
            raise ValueError(
                f"Unknown parameter(s) {unknown}; the space has {sorted(self.parameters)}."
            )
        missing = sorted(set(self.parameters) - set(params))
        if missing:
            raise ValueError(f"Missing parameter(s) {missing}; every parameter needs a value.")

    def encode(self, params: Mapping[str, Any]) -> NDArray[np.float64]:
        """Unit-cube point of a configuration; raises ValueError on bad names or values."""
        self.check_params(params)
        out = np.empty(self.dim)
        for name, param in self.parameters.items():
            out[self._slices[name]] = param.encode(params[name])
        return out

    def decode(self, x: NDArray[np.float64]) -> dict[str, Any]:
        """Configuration of a cube point (any point of the cube decodes to a valid one)."""
        x = np.asarray(x, dtype=np.float64)
        return {name: p.decode(x[self._slices[name]]) for name, p in self.parameters.items()}

    def snap(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rows of X moved to the encodings of the configurations they decode to."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        out = np.empty_like(X)
        if len(self._plain_columns):
            lo, hi = self._plain_low, self._plain_high
            u = np.clip(X[:, self._plain_columns], 0.0, 1.0)
            values = np.clip(lo + u * (hi - lo), lo, hi)
            out[:, self._plain_columns] = (values - lo) / (hi - lo)
        for name, param in self._other_parameters:
            sl = self._slices[name]
            out[:, sl] = param.snap(X[:, sl])
        return out

    def is_continuous(self) -> NDArray[np.bool_]:
        """Per dimension: True where the cube coordinate is a continuous float (read-only)."""
        return self._continuous

    def __repr__(self) -> str:
        body = ", ".join(f"{n!r}: {p!r}" for n, p in self.parameters.items())
        return f"SearchSpace({{{body}}})"
