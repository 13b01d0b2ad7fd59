"""Search-space encoding: validation, round trips, snapping, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanas_sampler import Categorical, Float, Int, SearchSpace


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: Float(1.0, 1.0), "strictly below"),
        (lambda: Float(2.0, 1.0), "strictly below"),
        (lambda: Float(0.0, 1.0, log=True), "log=True needs low > 0"),
        (lambda: Float(-1.0, 1.0, log=True), "log=True needs low > 0"),
        (lambda: Float(0.0, 1.0, step=0.3), "does not divide"),
        (lambda: Float(0.0, 1.0, step=-0.1), "step must be positive"),
        (lambda: Float(0.0, math.inf), "finite"),
        (lambda: Float(math.nan, 1.0), "finite"),
        (lambda: Float(1e-3, 1.0, log=True, step=0.1), "cannot be combined"),
        (lambda: Int(5, 5), "strictly below"),
        (lambda: Int(0, 10, step=3), "does not divide"),
        (lambda: Int(0, 10, log=True), "log=True needs low > 0"),
        (lambda: Int(1, 10, log=True, step=2), "cannot be combined"),
        (lambda: Int(0.5, 3), "must be an integer"),  # type: ignore[arg-type]
        (lambda: Float("a", 1.0), "Float: low must be a number, got 'a'"),  # type: ignore[arg-type]
        (lambda: Float(0.0, None), "Float: high must be a number, got None"),  # type: ignore[arg-type]
        (lambda: Float(0.0, 1.0, step="0.1"), "Float: step must be a number"),  # type: ignore[arg-type]
        (lambda: Float(0.0, 1.0, log="no"), "Float: log must be True or False, got 'no'"),  # type: ignore[arg-type]
        (lambda: Int(1, 10, log=1), "Int: log must be True or False, got 1"),  # type: ignore[arg-type]
        (lambda: Categorical([]), "must not be empty"),
        (lambda: Categorical("abc"), "list or tuple"),  # type: ignore[arg-type]
        (lambda: Categorical([[1], [2]]), "not hashable"),
        (lambda: Categorical(["a", "a"]), "appears twice"),
    ],
)
def test_bad_definitions_raise_value_error(make, fragment):
    with pytest.raises(ValueError, match=fragment):
        make()


def test_space_errors_name_the_parameter():
    space = SearchSpace({"lr": Float(1e-4, 1.0, log=True), "act": Categorical(["relu", "tanh"])})
    with pytest.raises(ValueError, match=r"Unknown parameter\(s\) \['momentum'\]"):
        space.encode({"lr": 0.1, "act": "relu", "momentum": 0.9})
    with pytest.raises(ValueError, match=r"Missing parameter\(s\) \['act'\]"):
        space.encode({"lr": 0.1})
    with pytest.raises(ValueError, match=r"'lr'.*outside"):
        space.encode({"lr": 2.0, "act": "relu"})
    with pytest.raises(ValueError, match=r"'act'.*not one of the choices"):
        space.encode({"lr": 0.1, "act": "gelu"})
    with pytest.raises(ValueError, match=r"'x'.*not on the grid"):
        SearchSpace({"x": Float(0, 1, step=0.25)}).encode({"x": 0.3})
    with pytest.raises(ValueError, match=r"'n'.*not on the grid"):
        SearchSpace({"n": Int(0, 10, step=2)}).encode({"n": 3})
    with pytest.raises(ValueError, match="expected Float, Int or Categorical"):
        SearchSpace({"x": (0, 1)})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="non-empty"):
        SearchSpace({})


def test_categorical_keeps_types_apart():
    cat = Categorical([1, 1.5, True, None, "1", (1, 2)])
    for choice in cat.choices:
        decoded = cat.decode(cat.encode(choice))
        assert decoded == choice and type(decoded) is type(choice)
    assert cat.index(np.int64(1)) == 0  # numpy scalars from frameworks are accepted
    nan_cat = Categorical([math.nan, 0.0])
    assert nan_cat.index(math.nan) == 0


def test_one_choice_categorical_takes_no_dimension():
    space = SearchSpace({"x": Float(0, 1), "only": Categorical(["a"])})
    assert space.dim == 1
    assert space.decode(np.array([0.3]))["only"] == "a"


def test_dimensions_and_grid_cells():
    space = SearchSpace(
        {
            "f": Float(0, 1),
            "s": Float(0.0, 0.5, step=0.05),
            "i": Int(1, 8),
            "w": Int(16, 1024, log=True),
            "c": Categorical(["a", "b", "c"]),
        }
    )
    assert space.dim == 7
    # Each of the 11 grid values of "s" owns an equal share of [0, 1].
    u = np.linspace(0.0, 1.0, 11001)
    values = [space.parameters["s"].decode(np.array([v])) for v in u]
    counts = np.unique(values, return_counts=True)[1]
    assert len(counts) == 11 and counts.max() - counts.min() <= 2


@st.composite
def parameters(draw):
    kind = draw(st.sampled_from(["float", "log", "step", "int", "intlog", "intstep", "cat"]))
    if kind == "float":
        low = draw(st.floats(-1e6, 1e6))
        return Float(low, low + draw(st.floats(1e-6, 1e6)))
    if kind == "log":
        low = draw(st.floats(1e-8, 1e3))
        return Float(low, low * draw(st.floats(1.001, 1e6)), log=True)
    if kind == "step":
        low, step = draw(st.integers(-100, 100)) / 4, draw(st.sampled_from([0.25, 0.5, 1.0]))
        return Float(low, low + step * draw(st.integers(1, 50)), step=step)
    if kind == "int":
        low = draw(st.integers(-1000, 1000))
        return Int(low, low + draw(st.integers(1, 1000)))
    if kind == "intlog":
        low = draw(st.integers(1, 1000))
        return Int(low, low + draw(st.integers(1, 10000)), log=True)
    if kind == "intstep":
        low, step = draw(st.integers(-50, 50)), draw(st.integers(1, 7))
        return Int(low, low + step * draw(st.integers(1, 30)), step=step)
    n = draw(st.integers(1, 6))
    return Categorical([f"c{i}" for i in range(n)])


@st.composite
def spaces(draw):
    params = draw(st.lists(parameters(), min_size=1, max_size=6))
    return SearchSpace({f"p{i}": p for i, p in enumerate(params)})


@settings(max_examples=150, deadline=None)
@given(spaces(), st.integers(0, 2**32 - 1))
def test_any_cube_point_decodes_in_bounds_and_round_trips(space, seed):
    rng = np.random.default_rng(seed)
    for x in rng.random((5, space.dim)) if space.dim else [np.zeros(0)]:
        params = space.decode(x)
        for name, value in params.items():
            p = space.parameters[name]
            if isinstance(p, Categorical):
                assert value in p.choices
            else:
                assert p.low <= value <= p.high
                if isinstance(p, Int):
                    assert isinstance(value, int)
                else:
                    assert isinstance(value, float)
        # decode(encode(params)) is the identity on valid configurations (up to float
        # rounding for continuous floats; exact on grids and choices)
        again = space.decode(space.encode(params))
        for name, value in params.items():
            p = space.parameters[name]
            if isinstance(p, Float) and p.step is None:
                assert again[name] == pytest.approx(value, rel=1e-12, abs=1e-12)
            else:
                assert again[name] == value
        # snap is idempotent and lands on the encoding of the decoded configuration
        snapped = space.snap(x[None, :])[0]
        np.testing.assert_allclose(snapped, space.encode(params), atol=1e-9)
        np.testing.assert_allclose(space.snap(snapped[None, :])[0], snapped, atol=1e-9)
        assert np.all((snapped >= -1e-12) & (snapped <= 1 + 1e-12))


@settings(max_examples=100, deadline=None)
@given(st.floats(1e-5, 1e-1))
def test_log_float_round_trip_is_exact(value):
    p = Float(1e-5, 1e-1, log=True)
    assert p.decode(p.encode(value)) == pytest.approx(value, rel=1e-12)


def test_step_float_decodes_without_float_noise():
    p = Float(0.0, 0.5, step=0.05)
    values = {p.decode(np.array([u])) for u in np.linspace(0, 1, 1000)}
    assert values == {round(0.05 * k, 10) for k in range(11)}


def test_vectorised_snap_of_plain_floats_equals_each_parameters_snap():
    # SearchSpace.snap handles plain floats in one step; it must give the same bits as the
    # parameters' own snap, next to log floats, stepped floats, integers and categories.
    params = {
        "a": Float(-5, 5),
        "lr": Float(1e-4, 1, log=True),
        "n": Int(1, 9),
        "op": Categorical(["x", "y", "z"]),
        "b": Float(0.3, 7.7),
        "s": Float(0, 1, step=0.1),
        "c": Float(-1e6, 3.3),
    }
    space = SearchSpace(params)
    X = np.random.default_rng(0).uniform(-0.2, 1.2, (5_000, space.dim))
    expected = np.hstack([p.snap(X[:, space._slices[n]]) for n, p in params.items()])
    np.testing.assert_array_equal(space.snap(X), expected)
