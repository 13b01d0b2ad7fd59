"""LaNAS ask/tell: behaviour, robustness, reproducibility."""

from __future__ import annotations

import math
import os
import pickle
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from lanas_sampler import Categorical, Float, Int, LaNAS, SearchSpace

CONFIGS = [
    {"split": "kernel", "local_solver": "bo"},
    {"split": "kernel", "local_solver": "turbo"},
    {"split": "linear", "local_solver": "uniform"},
    {"split": "linear", "local_solver": "bo"},
    {"split": "kernel", "local_solver": "bo", "gp_fit": "likelihood"},
    {"split": "kernel", "labeler": "kmeans", "local_solver": "uniform"},
]


DATA = Path(__file__).parent / "data"


def mixed_space():
    return {
        "lr": Float(1e-5, 1e-1, log=True),
        "dropout": Float(0.0, 0.5, step=0.05),
        "layers": Int(1, 8),
        "width": Int(16, 1024, log=True),
        "act": Categorical(["relu", "gelu", "tanh"]),
    }


def mixed_loss(p):
    return (
        (math.log10(p["lr"]) + 3) ** 2
        + (p["dropout"] - 0.2) ** 2
        + (p["layers"] - 4) ** 2 / 10
        + (math.log2(p["width"]) - 7) ** 2 / 10
        + (p["act"] != "gelu")
    )


def run(opt, loss, n):
    history = []
    for _ in range(n):
        params = opt.ask()
        history.append(params)
        opt.tell(params, loss(params))
    return history


@pytest.mark.parametrize("config", CONFIGS)
def test_asks_have_declared_types_and_bounds(config):
    space = mixed_space()
    opt = LaNAS(space, seed=1, n_startup=5, **config)
    for params in run(opt, mixed_loss, 30):
        assert set(params) == set(space)
        assert isinstance(params["lr"], float) and 1e-5 <= params["lr"] <= 1e-1
        assert params["dropout"] in {round(0.05 * k, 10) for k in range(11)}
        assert isinstance(params["layers"], int) and 1 <= params["layers"] <= 8
        assert isinstance(params["width"], int) and 16 <= params["width"] <= 1024
        assert params["act"] in ("relu", "gelu", "tanh")
    assert opt.best_value == min(
        mixed_loss(p) for p in run(LaNAS(space, seed=1, n_startup=5, **config), mixed_loss, 30)
    )


@pytest.mark.parametrize("config", CONFIGS)
def test_model_proposals_stay_in_the_selected_region_unless_fallback(config):
    opt = LaNAS(mixed_space(), seed=2, n_startup=8, leaf_size=6, **config)
    checked = 0
    for _ in range(40):
        params = opt.ask()
        info = opt.last_ask_info
        if info.phase == "model" and info.fallbacks == 0 and not info.whole_space:
            x = opt.space.encode(params)[None, :]
            assert info.region.contains(x).all()
            checked += info.region.depth > 0
        opt.tell(params, mixed_loss(params))
    assert checked > 0


def _spy_on_selected_regions(monkeypatch):
    """The regions UCB selects, in ask order (``select_path`` wrapped, not changed)."""
    import lanas_sampler._optimizer as optimizer
    from lanas_sampler._region import Region

    selected = []

    def select_path(tree, z, exploration, rng):
        path = optimizer_select_path(tree, z, exploration, rng)
        selected.append(Region([(node.boundary, good) for node, good in path[:-1]]))
        return path

    optimizer_select_path = optimizer.select_path
    monkeypatch.setattr(optimizer, "select_path", select_path)
    return selected


def _spy_on_turns(monkeypatch):
    """``LaNAS._offers_whole_space``'s answers, in ask order (wrapped, not changed)."""
    turns = []
    offers = LaNAS._offers_whole_space

    def offers_whole_space(self, n_pending):
        turns.append(offers(self, n_pending))
        return turns[-1]

    monkeypatch.setattr(LaNAS, "_offers_whole_space", offers_whole_space)
    return turns


def _same_region(a, b):
    """Whether two regions hold the same boundaries (the same objects) on the same sides."""
    return len(a.constraints) == len(b.constraints) and all(
        x is y and x_side == y_side
        for (x, x_side), (y, y_side) in zip(a.constraints, b.constraints, strict=True)
    )


# A grid without a continuous coordinate (NAS-Bench-201's kind of space) takes the turns too:
# its searches could settle in a basin the first splits chose and never leave it (RESULTS.md,
# "Whole-space points on the grids").
GRID = {"a": Int(0, 9), "b": Categorical(list("uvwxyz")), "c": Float(0, 1, step=0.1)}


def grid_loss(params):
    return (params["a"] - 3) ** 2 + ("uvwxyz".index(params["b"]) - 4) ** 2 + params["c"]


@pytest.mark.parametrize(
    "space, loss", [(mixed_space(), mixed_loss), (GRID, grid_loss)], ids=["mixed", "grid"]
)
def test_every_third_model_ask_takes_a_whole_space_point_outside_the_selected_region(
    monkeypatch, space, loss
):
    selected, turns = _spy_on_selected_regions(monkeypatch), _spy_on_turns(monkeypatch)
    opt = LaNAS(space, seed=3, n_startup=8, leaf_size=6)
    taken = kept = 0
    for _ in range(60):
        n = opt.n_observations
        params = opt.ask()
        info = opt.last_ask_info
        if info.phase == "model":
            assert turns[-1] == (n % 3 == 1)
            assert _same_region(info.region, selected[-1])  # UCB's choice, whatever was taken
            inside = info.region.contains(opt.space.encode(params)[None, :])[0]
            if info.whole_space:
                assert turns[-1] and not inside
                taken += 1
            else:
                kept += turns[-1] and info.region.depth > 0
        opt.tell(params, loss(params))
    assert taken > 0 and kept > 0
    # Parallel asks count the pending points: of three asked together, only the first is a turn.
    while opt.n_observations % 3 != 1:
        opt.tell(p := opt.ask(), loss(p))
    for _ in range(3):
        opt.ask()
    assert turns[-3:] == [True, False, False]


def test_from_200_observations_whole_space_turns_only_while_the_search_has_stalled(
    monkeypatch,
):
    turns = _spy_on_turns(monkeypatch)
    opt = LaNAS(mixed_space(), seed=5)
    rng = np.random.default_rng(5)
    told = [opt.space.decode(x) for x in rng.random((200, opt.space.dim))]
    losses = [mixed_loss(params) for params in told]
    for i in np.argsort(losses)[::-1]:  # worst first: the best is the newest observation
        opt.tell(told[i], losses[i])

    def ask_and_tell(value):
        n = opt.n_observations
        params = opt.ask()
        opt.tell(params, value)
        return n

    # Improving: no turns at 200 observations and beyond.
    for _ in range(6):
        ask_and_tell(max(losses) + 1.0)
        assert not opt.last_ask_info.whole_space
    assert turns == [False] * 6
    # 100 observations after the best, every third model ask is a turn again (the points told
    # are the worst so far, so the best stays where it was).
    while opt.n_observations < 200 + 100:
        ask_and_tell(max(losses) + 1.0)
    assert not any(turns)
    counts = [ask_and_tell(max(losses) + 1.0) for _ in range(6)]
    assert turns[-6:] == [n % 3 == 1 for n in counts] and any(turns[-6:])
    # A stalled turn takes the whole-space point wherever it lies: inside the selected region
    # too (every point is, here), with no second proposal in the region.
    from lanas_sampler._region import Region

    monkeypatch.setattr(Region, "contains", lambda self, X: np.ones(len(X), dtype=bool))
    for _ in range(3):
        n = ask_and_tell(max(losses) + 1.0)
        assert opt.last_ask_info.whole_space == (n % 3 == 1)
    # A new best ends the stall.
    ask_and_tell(min(losses) - 1.0)
    for _ in range(6):
        ask_and_tell(max(losses) + 1.0)
    assert not any(turns[-6:])


@pytest.mark.parametrize(
    "config",
    [
        {"local_solver": "uniform"},  # no surrogate to disagree with the tree
        {"local_solver": "turbo"},  # not measured
    ],
)
def test_no_whole_space_points_with_other_solvers(monkeypatch, config):
    turns = _spy_on_turns(monkeypatch)
    opt = LaNAS(mixed_space(), seed=4, n_startup=8, leaf_size=6, **config)
    for _ in range(40):
        params = opt.ask()
        assert not opt.last_ask_info.whole_space
        opt.tell(params, mixed_loss(params))
    assert len(turns) > 20 and not any(turns)


def test_same_seed_same_asks_different_seed_different():
    a = run(LaNAS(mixed_space(), seed=7), mixed_loss, 25)
    b = run(LaNAS(mixed_space(), seed=7), mixed_loss, 25)
    c = run(LaNAS(mixed_space(), seed=8), mixed_loss, 25)
    assert a == b
    assert a != c


def test_start_up_points_are_the_rows_of_one_sobol_design():
    space = {"x": Float(0.0, 1.0), "k": Categorical(["a", "b", "c"]), "n": Int(1, 9)}
    opt = LaNAS(space, seed=4, n_startup=8)
    asked = [opt.ask() for _ in range(8)]  # pending count too: no tells needed
    reference = LaNAS(space, seed=4, n_startup=8)
    assert asked == [reference.design_point(i) for i in range(8)]
    # The design depends on the seed alone: not on reseeding, tells, n_startup or the order
    # in which rows are asked for (rows past n_startup extend the same sequence).
    other = LaNAS(space, seed=4, n_startup=3)
    other.reseed(99)
    other.tell(asked[0], 1.0)
    assert other.design_point(20) == reference.design_point(20)
    assert [other.design_point(i) for i in range(8)] == asked
    assert LaNAS(space, seed=5).design_point(0) != asked[0]
    # Far rows (a long run of failed start-up trials) are the same sequence, not kept.
    far = LaNAS(space, seed=4, n_startup=3)
    assert far.design_point(5000) == LaNAS(space, seed=4, n_startup=5001).design_point(5000)
    assert far._startup_design is None


def test_start_up_design_covers_each_coordinate_evenly():
    # Scrambled Sobol: the first 2^k rows put one point in each interval of width 2^-k.
    for seed in range(5):
        opt = LaNAS({"x": Float(0.0, 1.0), "y": Float(0.0, 1.0)}, seed=seed)
        rows = [opt.design_point(i) for i in range(8)]
        for name in ("x", "y"):
            assert sorted(int(row[name] * 8) for row in rows) == list(range(8))


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_bad_seed_raises(bad):
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0 or None"):
        LaNAS(mixed_space(), seed=bad)


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_reseed_raises(bad):
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0 or None"):
        LaNAS(mixed_space(), seed=0).reseed(bad)


def test_bad_design_index_raises():
    with pytest.raises(ValueError, match=r"index must be an integer >= 0, got -1"):
        LaNAS(mixed_space(), seed=0).design_point(-1)


@pytest.mark.parametrize("config", CONFIGS)
def test_pickle_mid_run_gives_the_same_next_ask(config):
    opt = LaNAS(mixed_space(), seed=3, n_startup=6, **config)
    run(opt, mixed_loss, 20)
    pending = opt.ask()  # an outstanding ask travels too
    clone = pickle.loads(pickle.dumps(opt))
    assert clone.ask() == opt.ask()
    for o in (opt, clone):
        o.tell(pending, 1.0)
    assert run(clone, mixed_loss, 3) == run(opt, mixed_loss, 3)


@pytest.mark.parametrize("config", CONFIGS[:3])
@pytest.mark.parametrize("n_random", [10, 195])  # below and across the tree-refit schedule
def test_optimizer_rebuilt_from_the_same_tells_proposes_the_same(config, n_random):
    """What a resumed study or another worker process does: a fresh optimizer told the same
    observations (and given the same seed) must propose what the long-running one proposes,
    whatever caches (tree, surrogate) the long-running one holds."""
    space = mixed_space()
    rng = np.random.default_rng(0)
    warm = [LaNAS(space, seed=int(s)).ask() for s in rng.integers(2**31, size=n_random)]
    running = LaNAS(space, seed=5, n_startup=4, **config)
    told = []
    for params in warm:
        running.tell(params, mixed_loss(params))
        told.append(params)
    for _ in range(25):  # crosses refit points 200, 210 and 221 when n_random = 195
        params = running.ask()
        running.tell(params, mixed_loss(params))
        told.append(params)
    rebuilt = LaNAS(space, seed=5, n_startup=4, **config)
    for params in told:
        rebuilt.tell(params, mixed_loss(params))
    for opt in (running, rebuilt):
        opt.reseed(11)
    assert rebuilt.ask() == running.ask()


def test_affine_transform_of_objective_gives_identical_proposals():
    a = run(LaNAS(mixed_space(), seed=4), mixed_loss, 25)
    b = run(LaNAS(mixed_space(), seed=4), lambda p: 1e6 * mixed_loss(p) - 37.0, 25)
    assert a == b


def _min_distance_of_parallel_asks(opt: LaNAS, n: int = 8) -> tuple[float, list[dict]]:
    batch = [opt.ask() for _ in range(n)]
    X = np.array([opt.space.encode(p) for p in batch])
    return float(
        np.linalg.norm(X[:, None] - X[None, :], axis=-1)[np.triu_indices(n, 1)].min()
    ), batch


@pytest.mark.parametrize("seed", range(4))
def test_parallel_asks_are_spread_while_the_problem_is_unsolved(seed):
    # Asked-but-untold points are believed at the surrogate's mean (kriging believer), so
    # eight asks in a row must not pile up: a multimodal 6-d function, 30 evaluations in.
    space = {f"x{i}": Float(-5, 5) for i in range(6)}
    opt = LaNAS(space, seed=seed, n_startup=10)
    run(opt, lambda p: sum(np.cos(3 * v) + v * v for v in p.values()), 30)
    assert _min_distance_of_parallel_asks(opt)[0] > 5e-3


def test_parallel_asks_are_distinct_and_any_can_be_told():
    # Near a solved optimum (a 3-d sphere, 30 evaluations in) the asks cluster around it
    # on purpose, but never coincide.
    space = {f"x{i}": Float(-5, 5) for i in range(3)}
    opt = LaNAS(space, seed=5, n_startup=10)
    run(opt, lambda p: sum(v * v for v in p.values()), 30)
    min_distance, batch = _min_distance_of_parallel_asks(opt)
    assert min_distance > 1e-6
    # tells in any order, some never told
    for params in reversed(batch[2:]):
        opt.tell(params, 1.0)
    assert opt.n_observations == 36
    opt.ask()


@pytest.mark.parametrize("pickled", [False, True])
def test_model_asks_skip_told_and_pending_configurations(pickled):
    # 24 configurations; a bowl whose best corner the model asks keep circling. Every ask
    # must be a configuration neither told nor pending, even in an unpickled optimizer
    # (whose set of told configurations is rebuilt, not carried by the pickle).
    space = {"a": Int(0, 5), "b": Int(0, 1), "c": Categorical(["x", "y"])}
    opt = LaNAS(space, seed=2, n_startup=4)

    def key(p):
        return (p["a"], p["b"], p["c"])

    told = set()
    for _ in range(12):
        params = opt.ask()
        assert key(params) not in told
        opt.tell(params, params["a"] + params["b"] + (params["c"] == "y"))
        told.add(key(params))
    if pickled:
        opt = pickle.loads(pickle.dumps(opt))
    pending = [opt.ask() for _ in range(6)]
    asked = told | {key(p) for p in pending}
    assert len(asked) == 18
    assert opt.last_ask_info is not None and opt.last_ask_info.phase == "model"


def test_observations_pickled_before_the_key_set_existed_still_load():
    from lanas_sampler._objective import Observations, configuration_keys

    obs = Observations(2)
    obs.add({"a": 0.5}, np.array([0.25, 0.5]), 1.0, 0.0, None)
    state = obs.__getstate__()
    del state["_keys"], state["_keyed"]  # what a pickle of 21d9ba8 or earlier holds
    old = Observations.__new__(Observations)
    old.__setstate__(state)
    assert old.observed_keys() == set(configuration_keys(np.array([[0.25, 0.5]])))


def test_optimizer_pickled_before_the_design_seed_existed_still_asks():
    # A pickle written by e87183b (seed 6, three asks told), before the design had its own seed.
    with open(DATA / "lanas_e87183b_3_tells.pickle", "rb") as f:
        old = pickle.load(f)
    assert old.n_observations == 3
    first = old.design_point(0)
    asked = [old.ask() for _ in range(12)]  # the rest of the start-up, then the model
    assert asked[:7] == [old.design_point(i) for i in range(3, 10)]
    assert old.design_point(0) == first  # one design, however far it was extended
    told = {str(sorted(p.items())) for p in old._obs.params}
    assert len({str(sorted(p.items())) for p in asked} - told) == 12


def test_start_up_asks_never_repeat_a_row():
    space = {"x": Float(0.0, 1.0), "k": Categorical(["a", "b"])}
    opt = LaNAS(space, seed=1)
    first = opt.ask()
    assert opt.cancel(first)
    assert opt.ask() != first  # a cancelled ask keeps its row
    # Batch asks past the pending window (128) before any tell: all distinct rows.
    batch = [opt.ask() for _ in range(200)]
    assert len({str(sorted(p.items())) for p in batch + [first]}) == 201


def test_warm_start_with_points_never_asked():
    opt = LaNAS(mixed_space(), seed=6)
    warm = {"lr": 1e-3, "dropout": 0.2, "layers": 4, "width": 128, "act": "gelu"}
    opt.tell(warm, mixed_loss(warm))
    assert opt.best_params == warm
    run(opt, mixed_loss, 15)
    assert opt.best_value <= mixed_loss(warm)


def test_bad_tells_raise_clear_errors():
    opt = LaNAS(mixed_space(), seed=0)
    params = opt.ask()
    with pytest.raises(ValueError, match="Unknown parameter"):
        opt.tell({**params, "momentum": 0.9}, 1.0)
    with pytest.raises(ValueError, match="'layers'.*outside"):
        opt.tell({**params, "layers": 9}, 1.0)
    with pytest.raises(ValueError, match="value must be a real number"):
        opt.tell(params, "good")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="constraint_violation must not be NaN"):
        opt.tell(params, 1.0, constraint_violation=math.nan)
    for step in (-1, 2.5, True, "3"):
        with pytest.raises(ValueError, match=r"pruned_at_step must be an integer >= 0, got"):
            opt.tell(params, 1.0, pruned_at_step=step)  # type: ignore[arg-type]
    assert opt.n_observations == 0


def test_pruned_tells_are_kept_but_rank_below_complete_ones():
    # A pruned evaluation's value is an intermediate one: it is not the objective's, so a
    # better-looking pruned value must not become the best, and a deeper step ranks first.
    opt = LaNAS({"x": Float(0.0, 1.0)}, seed=0)
    opt.tell({"x": 0.1}, 5.0)
    opt.tell({"x": 0.2}, -9.0, pruned_at_step=1)
    opt.tell({"x": 0.3}, -1.0, pruned_at_step=4)
    assert opt.n_observations == 3
    assert opt.best_params == {"x": 0.1} and opt.best_value == 5.0
    scores = opt._obs.scores()
    assert scores[0] < scores[2] < scores[1]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"split": "tree"}, r"split must be one of \['auto', 'linear', 'kernel'\]"),
        ({"local_solver": "cma"}, r"local_solver must be one of"),
        ({"labeler": "mean"}, r"labeler must be one of"),
        ({"leaf_size": 1}, r"leaf_size must be an integer >= 2"),
        ({"n_startup": 0}, r"n_startup must be an integer >= 1"),
        ({"exploration": -1.0}, r"exploration must be a finite number >= 0"),
        ({"exploration": True}, r"exploration must be a finite number >= 0, got True"),
        ({"max_depth": 1.5}, r"max_depth must be an integer >= 0"),
        ({"gp_fit": "ml"}, r"gp_fit must be one of \['map', 'likelihood'\]"),
    ],
)
def test_bad_options_raise(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        LaNAS(mixed_space(), **kwargs)


@pytest.mark.parametrize("config", CONFIGS)
def test_nan_and_inf_are_failures_that_never_break_the_search(config):
    opt = LaNAS(mixed_space(), seed=9, n_startup=5, **config)
    bad = [math.nan, math.inf, -math.inf]
    for i in range(30):
        params = opt.ask()
        opt.tell(params, bad[i % 3] if i % 2 else mixed_loss(params))
    assert math.isfinite(opt.best_value)
    assert opt.best_value == min(
        mixed_loss(opt.space.decode(x))
        for x, v in zip(opt._obs.X, opt._obs.values, strict=True)
        if math.isfinite(v)
    )


def test_only_failures_still_asks():
    opt = LaNAS(mixed_space(), seed=0, n_startup=3)
    for _ in range(15):
        opt.tell(opt.ask(), math.nan)
    opt.ask()
    with pytest.raises(ValueError, match="No feasible"):
        _ = opt.best_value


@pytest.mark.parametrize("config", CONFIGS)
def test_degenerate_spaces_and_values(config):
    run(LaNAS({"x": Float(0, 1)}, seed=0, n_startup=3, **config), lambda p: 1.0, 25)
    one = LaNAS({"c": Categorical(["only"]), "x": Int(0, 3)}, seed=0, n_startup=3, **config)
    history = run(one, lambda p: p["x"], 25)
    assert {p["c"] for p in history} == {"only"}
    tiny = LaNAS({"b": Categorical([True, False])}, seed=0, n_startup=2, **config)
    assert {p["b"] for p in run(tiny, lambda p: float(p["b"]), 10)} == {True, False}
    # Nothing to search: every parameter has a single value. The only configuration, at
    # every ask (not a crash on the second), and no numpy warning about an empty space.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for options in (config, {}):
            fixed = LaNAS({"c": Categorical(["only"]), "d": Categorical([3])}, seed=0, **options)
            assert run(fixed, lambda p: 1.0, 12) == [{"c": "only", "d": 3}] * 12
            assert fixed.n_observations == 12 and fixed.best_value == 1.0


def test_infeasible_points_rank_below_feasible():
    opt = LaNAS({"x": Float(0, 1)}, seed=0)
    opt.tell({"x": 0.1}, -100.0, constraint_violation=3.0)
    opt.tell({"x": 0.9}, 5.0)
    assert opt.best_params == {"x": 0.9}


def lanas_and_random_on_a_shifted_sphere(d, budget, seeds):
    """Best value of LaNAS and of random search after ``budget`` evaluations of a shifted
    d-dimensional sphere on [-5, 5]^d, one entry per seed of ``seeds``."""
    space = {f"x{i}": Float(-5, 5) for i in range(d)}
    shift = np.linspace(-2, 2.5, d)

    def sphere(p):
        return float(sum((p[f"x{i}"] - shift[i]) ** 2 for i in range(d)))

    lanas, random = [], []
    for seed in seeds:
        opt = LaNAS(space, seed=seed)
        run(opt, sphere, budget)
        lanas.append(opt.best_value)
        rows = np.random.default_rng(seed).uniform(-5, 5, (budget, d))
        random.append(min(sphere({f"x{i}": v for i, v in enumerate(row)}) for row in rows))
    return np.array(lanas), np.array(random)


def test_beats_random_search_on_a_shifted_sphere():
    lanas, random = lanas_and_random_on_a_shifted_sphere(d=6, budget=60, seeds=range(3))
    assert lanas.mean() < 0.5 * random.mean()


def test_beats_random_search_on_a_20d_sphere_at_100_evaluations():
    # Few points in many dimensions: the local GP must train on enough of them to rank points
    # near the best. Fitted on a leaf's few dozen, LaNAS ended at 0.24x random search's best
    # here (seeds 0, 1); on ten per coordinate (all of them, below 128), at 0.05x. The median
    # of five seeds' ratios: the GP fits round differently on different CPUs, and on one CI
    # machine seeds 0 and 1 ended at 0.20x and 0.12x while seeds 2-7 stayed at 0.03-0.06x.
    lanas, random = lanas_and_random_on_a_shifted_sphere(d=20, budget=100, seeds=range(5))
    assert np.median(lanas / random) < 0.15


def test_local_model_trains_on_ten_points_per_continuous_coordinate(gp_fits):
    rng = np.random.default_rng(0)

    def fit_after(opt, n):
        while opt.n_observations < n:
            params = opt.space.decode(rng.random(opt.space.dim))
            opt.tell(params, float(np.sum(opt.space.encode(params) ** 2)))
        opt.ask()
        return gp_fits[-1].X

    # 20 continuous coordinates want 200 points, capped at 128: every point while fewer.
    wide = LaNAS({f"x{i}": Float(0, 1) for i in range(20)}, seed=0)
    assert len(fit_after(wide, 60)) == 60
    assert len(fit_after(wide, 300)) == 128
    # 4 continuous coordinates: at least 40 (the leaf's, or an ancestor's).
    narrow = LaNAS({f"x{i}": Float(0, 1) for i in range(4)}, seed=0)
    assert 40 <= len(fit_after(narrow, 300)) <= 128
    # An integer grid has no continuous coordinate: the floor of 20, so a leaf that holds 20
    # or more trains on its own points only.
    grid = LaNAS({f"n{i}": Int(0, 9) for i in range(4)}, seed=0)
    X_fit = fit_after(grid, 300)
    X = grid._obs.X
    leaf = X[grid.last_ask_info.region.contains(X)]
    assert 20 <= len(X_fit) < 128
    fit_rows, leaf_rows = set(map(tuple, X_fit)), set(map(tuple, leaf))
    assert leaf_rows <= fit_rows  # the leaf's points, plus an ancestor's if it has too few
    assert (fit_rows == leaf_rows) == (len(leaf) >= 20)


def test_converging_search_proposes_where_its_model_has_data():
    # On a 20-d sphere the GP trains on the points nearest the best, which close in on it
    # while the leaf stays wide. Far from them the GP's prior variance won expected
    # improvement: from ~300 evaluations the median proposal sat 0.3-0.6 from the best point
    # and hundreds of asks improved nothing, before candidates were kept within reach of the
    # training points (median then ~0.005 here).
    d = 20
    centre = np.random.default_rng(3).uniform(0.2, 0.8, d)
    opt = LaNAS({f"x{i}": Float(0, 1) for i in range(d)}, seed=0)
    distances = []
    for t in range(300):
        x = opt.space.encode(opt.ask())
        if t >= 250:
            distances.append(np.linalg.norm(x - opt.space.encode(opt.best_params)))
        opt.tell(opt.space.decode(x), float(np.sum((x - centre) ** 2)))
    assert np.median(distances) < 0.05


def test_model_reach_restricts_continuous_coordinates_only():
    from lanas_sampler._local import _MIN_CANDIDATES, LocalContext, _within_model_reach
    from lanas_sampler._objective import configuration_keys
    from lanas_sampler._region import Region

    space = SearchSpace({"x": Float(0, 1), "n": Int(0, 9)})
    assert list(space.is_continuous()) == [True, False]
    X = np.array([[0.4, 0.0], [0.6, 0.1], [0.5, 0.2]])
    ctx = LocalContext(
        space=space, region=Region([]), X=X, z=np.zeros(3), path_indices=[np.arange(3)],
        observed_keys=set(configuration_keys(X)), pending=np.zeros((0, 2)), trust_length=0.8,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    train = np.arange(3)
    # Training box on x: [0.4, 0.6], widened by 10 % of its side: [0.38, 0.62].
    near = np.column_stack([np.linspace(0.38, 0.62, _MIN_CANDIDATES), np.ones(_MIN_CANDIDATES)])
    far = np.array([[0.37, 0.0], [0.9, 0.5]])
    kept = _within_model_reach(ctx, np.vstack([near, far]), train)
    np.testing.assert_array_equal(kept, near)  # the integer coordinate (1.0) is not restricted
    too_few = np.vstack([near[:2], far])
    np.testing.assert_array_equal(_within_model_reach(ctx, too_few, train), too_few)


def test_trust_box_restricts_continuous_coordinates_only():
    from types import SimpleNamespace

    from lanas_sampler._local import _MIN_CANDIDATES, LocalContext, _within_trust_region
    from lanas_sampler._objective import configuration_keys
    from lanas_sampler._region import Region

    space = SearchSpace({"x": Float(0, 1), "n": Int(0, 9)})
    X = np.array([[0.2, 0.0], [0.5, 0.5], [0.9, 1.0]])
    ctx = LocalContext(
        space=space, region=Region([]), X=X, z=np.array([1.0, 0.0, 2.0]),
        path_indices=[np.arange(3)], observed_keys=set(configuration_keys(X)),
        pending=np.zeros((0, 2)), trust_length=0.2, rng=np.random.default_rng(0),
    )  # fmt: skip
    gp = SimpleNamespace(lengthscales=np.ones(2))  # equal length scales: side 0.2 on x
    # The region's best point is (0.5, 0.5): the box on x is [0.4, 0.6].
    near = np.column_stack([np.linspace(0.4, 0.6, _MIN_CANDIDATES), np.ones(_MIN_CANDIDATES)])
    far = np.array([[0.39, 0.5], [0.9, 0.5]])
    # The integer coordinate (1.0, 0.5 away from the best) is not restricted.
    kept = _within_trust_region(ctx, np.vstack([near, far]), gp, Region([]))
    np.testing.assert_array_equal(kept, near)
    too_few = np.vstack([near[:2], far])  # fewer than the minimum in the box: all of them
    np.testing.assert_array_equal(_within_trust_region(ctx, too_few, gp, Region([])), too_few)


def test_surrogate_that_does_not_rank_its_points_is_told_apart():
    from lanas_sampler._gp import GaussianProcess
    from lanas_sampler._local import _ranks_its_training_points

    # Hyperparameters held fixed: fitted to the targets, they find some order even in noise
    # (Spearman 0.1-0.6 here), which makes the test conservative, not wrong.
    theta = np.array([math.log(0.3)] * 5 + [0.0, math.log(1e-2)])
    for seed in range(4):
        rng = np.random.default_rng(seed)
        X = rng.random((60, 5))
        smooth = GaussianProcess().fit(X, ((X - 0.3) ** 2).sum(axis=1), theta=theta)
        noise = GaussianProcess().fit(X, rng.standard_normal(60), theta=theta)
        assert _ranks_its_training_points(smooth)
        assert not _ranks_its_training_points(noise)


def shifted_katsuura(x):
    """BBOB's Katsuura function (f23) without the rotations: continuous, nowhere
    differentiable, with a fractal surface that no GP models."""
    d = len(x)
    scales = 2.0 ** np.arange(1, 33)
    z = (x - np.random.default_rng(123).uniform(-3, 3, d))[:, None] * scales
    fractal = (np.abs(z - np.round(z)) / scales).sum(axis=1)
    return 10 / d**2 * np.prod((1 + np.arange(1, d + 1) * fractal) ** (10 / d**1.2)) - 10 / d**2


def test_the_trust_box_acts_where_the_surrogate_does_not_rank_and_only_there(monkeypatch):
    # Without the trust box where the GP's leave-one-out means do not rank its training
    # points, expected improvement chose candidates far from every observation on this
    # fractal function, and LaNAS ended a full unit behind random search (mean 5.4 against
    # 4.4 over three seeds; BBOB's f23 in 20-d, benchmarks/RESULTS.md); with it LaNAS is
    # level with random search there (over seeds 0-23, 4.17 against 4.23). Single searches
    # spread from 1.9 to 5.5, so a test of that outcome on a few seeds turned on the BLAS
    # kernels the CPU picks; this one checks the mechanism instead: the box is applied on
    # the fractal function (15-36 of 110 model asks per seed, measured under three BLAS
    # kernels) and never on a sphere, which the GP ranks well.
    import lanas_sampler._local as local

    boxed: list[int] = []
    original = local._within_trust_region

    def spy(*args, **kwargs):
        boxed.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(local, "_within_trust_region", spy)
    d = 20
    space = {f"x{i}": Float(-5, 5) for i in range(d)}
    shift = np.linspace(-2, 2.5, d)
    losses = {
        "fractal": lambda p: shifted_katsuura(np.array([p[f"x{i}"] for i in range(d)])),
        "sphere": lambda p: float(sum((p[f"x{i}"] - shift[i]) ** 2 for i in range(d))),
    }
    asks_boxed: dict[str, list[int]] = {name: [] for name in losses}
    for name, loss in losses.items():
        for seed in range(3):
            boxed.clear()
            run(LaNAS(space, seed=seed), loss, 120)
            asks_boxed[name].append(len(boxed))
    assert min(asks_boxed["fractal"]) >= 5, asks_boxed
    assert sum(asks_boxed["sphere"]) <= 1, asks_boxed


def test_threads_share_one_optimizer_safely():
    opt = LaNAS(mixed_space(), seed=0, n_startup=5)
    errors = []

    def worker():
        try:
            for _ in range(10):
                params = opt.ask()
                opt.tell(params, mixed_loss(params))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and opt.n_observations == 40


def test_large_space_and_many_observations_stay_cheap():
    big = {f"x{i}": Float(0, 1) for i in range(480)} | {
        f"c{i}": Categorical(["a", "b"]) for i in range(20)
    }
    opt = LaNAS(big, seed=0, n_startup=5)
    run(opt, lambda p: sum(p[f"x{i}"] for i in range(10)), 12)

    space = {f"x{i}": Float(0, 1) for i in range(10)}
    opt = LaNAS(space, seed=0)
    rng = np.random.default_rng(0)
    X = rng.random((10_000, 10))
    for row in X:
        opt.tell({f"x{i}": float(v) for i, v in enumerate(row)}, float(((row - 0.5) ** 2).sum()))
    opt.ask()  # first ask builds the tree
    start = time.perf_counter()
    for _ in range(3):
        params = opt.ask()
        opt.tell(params, 0.0)
    assert (time.perf_counter() - start) / 3 < 1.0  # generous bound; the benchmark reports ms


def test_tree_fitted_on_a_subsample_still_holds_every_observation(monkeypatch):
    """Beyond ``_MAX_TREE_POINTS`` the boundaries train on a subsample; the observations left
    out of the fit must still be in their nodes (UCB's visits, the local training sets), as
    the ones told after the rebuild are."""
    import lanas_sampler._optimizer as optimizer

    monkeypatch.setattr(optimizer, "_MAX_TREE_POINTS", 60)
    space = {f"x{i}": Float(0, 1) for i in range(3)}
    opt = LaNAS(space, seed=0, leaf_size=10)
    rng = np.random.default_rng(0)
    for row in rng.random((150, 3)):
        opt.tell({f"x{i}": float(v) for i, v in enumerate(row)}, float(((row - 0.3) ** 2).sum()))
    tree = opt._current_tree()
    assert tree.boundary is not None  # a split was learned
    np.testing.assert_array_equal(tree.indices, np.arange(150))

    def check(node):
        if node.is_leaf:
            return [node.indices]
        good, bad = node.children()
        np.testing.assert_array_equal(
            np.sort(np.concatenate([good.indices, bad.indices])), node.indices
        )
        assert np.all(node.boundary.is_good(opt._obs.X[good.indices]))
        assert not np.any(node.boundary.is_good(opt._obs.X[bad.indices]))
        return check(good) + check(bad)

    leaves = check(tree)
    np.testing.assert_array_equal(np.sort(np.concatenate(leaves)), np.arange(150))
    assert all(np.all(np.diff(leaf) > 0) for leaf in leaves)  # in the order told


def test_auto_split_is_kernel_on_mostly_continuous_spaces_and_linear_otherwise():
    continuous = {"a": Float(0, 1), "b": Float(1e-3, 1.0, log=True)}
    assert LaNAS(continuous).split == "kernel"
    # Two continuous coordinates of three: kernel (the decision-tree spaces of the benchmarks).
    assert LaNAS(continuous | {"n": Int(1, 4)}).split == "kernel"
    # Half or fewer: linear. A stepped float is not continuous; a categorical counts one
    # coordinate per choice.
    assert LaNAS(continuous | {"c": Float(0, 1, step=0.1), "n": Int(1, 4)}).split == "linear"
    assert LaNAS(continuous | {"op": Categorical(["conv", "pool"])}).split == "linear"
    assert LaNAS({"op": Categorical(["conv", "pool"])}).split == "linear"
    assert LaNAS(continuous, split="linear").split == "linear"
    with pytest.raises(ValueError, match="split.*auto"):
        LaNAS(continuous, split="svm")


@pytest.mark.parametrize("seed", [0, 1])
def test_search_keeps_converging_near_an_optimum(seed):
    # A shifted 5-d sphere: the local solver's finest steps and value-based surrogate must
    # take the regret below 1e-4 in 200 evaluations (ranks as GP targets and 0.01 as the
    # smallest step stalled at 1e-3).
    x_opt = np.array([1.3, -2.1, 0.7, 3.2, -0.4])
    opt = LaNAS({f"x{i}": Float(-5, 5) for i in range(5)}, seed=seed)
    run(opt, lambda p: float(np.sum((np.array(list(p.values())) - x_opt) ** 2)), 200)
    assert opt.best_value < 1e-4


def test_asks_run_blas_and_openmp_single_threaded(monkeypatch):
    # Multi-threaded BLAS and OpenMP only add synchronisation on the small matrices of an ask:
    # scikit-learn's k-means took 12x longer per fit with two OpenMP threads on a loaded
    # 2-core machine, for the same labels. Record the thread counts k-means runs under, of the
    # libraries the core found at import: numpy's and scipy's BLAS and scikit-learn's OpenMP,
    # which k-means uses. (Other runtimes loaded later, such as torch's OpenMP once a test
    # imported the examples, are not used by an ask and keep their own settings.)
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info

    import lanas_sampler._optimizer as optimizer
    import lanas_sampler._partition as partition

    ours = {lib.filepath for lib in optimizer._THREADPOOLS.lib_controllers}
    seen: list[tuple[str, int]] = []

    class RecordingKMeans(KMeans):
        def fit_predict(self, X, y=None, sample_weight=None):
            seen.extend(
                (pool["user_api"], pool["num_threads"])
                for pool in threadpool_info()
                if pool["filepath"] in ours
            )
            return super().fit_predict(X, y, sample_weight)

    monkeypatch.setattr(partition, "KMeans", RecordingKMeans)
    space = {"x": Float(0.0, 1.0), "y": Float(0.0, 1.0)}
    opt = LaNAS(space, seed=0, split="kernel", labeler="kmeans", leaf_size=5)
    for _ in range(20):
        p = opt.ask()
        opt.tell(p, (p["x"] - 0.3) ** 2 + (p["y"] - 0.6) ** 2)
    assert {api for api, _ in seen} >= {"openmp", "blas"}
    assert all(threads == 1 for _, threads in seen), seen


OVERLAPPING_ASKS = """
import threading
from threadpoolctl import threadpool_info
from lanas_sampler import Float, LaNAS

def blas_threads():
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

before = blas_threads()
cores = [LaNAS({"x": Float(0.0, 1.0), "y": Float(0.0, 1.0)}, seed=s) for s in (0, 1)]
for core in cores:
    for _ in range(12):
        p = core.ask()
        core.tell(p, p["x"] + p["y"])
a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
model_point = LaNAS._model_point

def interleaved(self, pending):
    # A enters its single-threaded section, then B; A leaves before B.
    if self is cores[0]:
        a_in.set()
        b_in.wait(30)
    else:
        a_in.wait(30)
        b_in.set()
        a_out.wait(30)
    return model_point(self, pending)

LaNAS._model_point = interleaved

def ask_a():
    cores[0].ask()
    a_out.set()

threads = [threading.Thread(target=ask_a), threading.Thread(target=cores[1].ask)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert b_in.is_set() and a_out.is_set()
assert blas_threads() == before == {2}, (before, blas_threads())
print("ok")
"""


def test_overlapping_asks_of_two_cores_restore_the_blas_threads():
    # OpenBLAS's thread count is one setting for the whole process. Each ask saved and restored
    # it, so two cores asking at once in two threads (A in, B in, A out, B out) left the
    # process at one BLAS thread: B restored the 1 it had found. Asks now share one limit.
    import subprocess
    import sys

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    result = subprocess.run(
        [sys.executable, "-c", OVERLAPPING_ASKS],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_an_ask_fits_one_surrogate_per_training_set(monkeypatch):
    """A turn that proposes twice (``LaNAS._offers_whole_space``) reuses the whole-space
    proposal's GP when the selected leaf trains on the same points: the same asks, fewer fits."""
    import lanas_sampler._local as local

    space = {f"x{i}": Float(-5, 5) for i in range(5)}

    def sphere(p):
        return sum((p[f"x{i}"] - 1.0) ** 2 for i in range(5))

    fit_gp, fits = local._fit_gp, []
    monkeypatch.setattr(local, "_fit_gp", lambda *a, **k: fits.append(1) or fit_gp(*a, **k))
    memoised = run(LaNAS(space, seed=6), sphere, 60)
    fits_memoised, fits[:] = len(fits), []
    monkeypatch.setattr(
        local,
        "_fit_surrogate",
        lambda ctx, train, *, judge: local._fit_surrogate_anew(ctx, train, judge=judge),
    )
    assert run(LaNAS(space, seed=6), sphere, 60) == memoised
    assert fits_memoised < len(fits)


@pytest.mark.parametrize("solver", ["uniform", "bo", "turbo"])
def test_no_solver_proposes_an_evaluated_configuration_again(solver):
    # A grid of 625 configurations, as NAS-Bench-201's cells are a grid: a region's uniform
    # samples snap onto few of them, and with the seen ones not dropped the "uniform" solver
    # proposed one architecture of NAS-Bench-201 162 times in 200 trials (stop 48).
    ops = ["a", "b", "c", "d", "e"]
    space = {f"edge{i}": Categorical(ops) for i in range(4)}
    # Leaves of seen configurations only hold no candidate: the ask falls back to the region
    # without the deepest constraint, then the next, and its point must lie in that ancestor.
    opt = LaNAS(space, seed=0, local_solver=solver, split="linear")
    seen = set()
    fell_back = to_an_ancestor = 0
    for _ in range(80):
        params = opt.ask()
        key = tuple(sorted(params.items()))
        assert key not in seen, f"{solver} proposed {params} again"
        seen.add(key)
        info = opt.last_ask_info
        if info.phase == "model" and not info.whole_space:
            region = info.region
            for _ in range(info.fallbacks):
                region = region.parent()
            assert region.contains(opt.space.encode(params)[None, :]).all()
            fell_back += info.fallbacks > 0
            to_an_ancestor += 0 < info.fallbacks < info.region.depth
        opt.tell(params, sum(ops.index(params[f"edge{i}"]) * (i + 1) for i in range(4)))
    assert fell_back > 0
    if solver == "bo":  # the others' asks here fell back to the whole space (measured)
        assert to_an_ancestor > 0
