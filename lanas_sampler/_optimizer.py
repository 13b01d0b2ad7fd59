"""LaNAS: the ask/tell optimizer that ties space, tree, regions and local solvers together.

The only mutable state is the observations, the pending points, the trust-region counters
and one ``numpy.random.Generator``; the tree is derived (cached between asks, rebuilt from the
observations). One convention inside: *minimise*; adapters flip signs.
"""

from __future__ import annotations

import logging
import math
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, get_args

import numpy as np
from numpy.typing import NDArray
from scipy.stats import qmc
from threadpoolctl import ThreadpoolController

from ._gp import FIT_SETTINGS, GPFit
from ._local import LocalContext, LocalSolver, propose, shared_hyperparameters
from ._objective import Observations
from ._partition import Labeler, SplitKind, SplitOption
from ._region import Region
from ._space import Parameter, SearchSpace
from ._tree import Node, build_tree, count_pending, route, select_path

__all__ = ["AskInfo", "LaNAS"]

_logger = logging.getLogger(__name__)

# Observations the model needs: with fewer, ask takes start-up design rows whatever n_startup.
MODEL_NEEDS = 2
# Proposals asked and never told are forgotten after this many newer ones (a worker that died,
# a candidate dropped by a cheap constraint), so they cannot block a region forever. The Optuna
# sampler forgets a RUNNING trial once as many later trials have finished.
MAX_PENDING = 128
# Start-up design rows kept in memory: max(n_startup, this); later rows are recomputed when
# asked (Optuna trials numbered past it while a model is still starting up, such as after
# many failed trials).
_MAX_KEPT_DESIGN_ROWS = 4096
# Rows of a Sobol sequence (scipy's limit); the design repeats beyond.
_SOBOL_ROWS = 2**30
# Beyond this many observations the tree's boundaries train on a subsample (the best half, and
# an evenly spaced half of the rest in ranking order): bounded cost per rebuild (refitting on
# everything made the reference code unusable past ~2,000 evaluations). The other observations
# are routed through the boundaries, so every node still holds all of its observations.
_MAX_TREE_POINTS = 1000
# Between full rebuilds, new observations are routed through the existing boundaries; a full
# rebuild happens each time the observations grow by this fraction (always below 200 points).
_REBUILD_GROWTH = 0.05
_ALWAYS_REBUILD_BELOW = 200
# The local GP's hyperparameters are fitted at every ask below this many observations, then
# refitted each time the number of observations crosses a multiple of
# ``_HYPERPARAMETER_REFIT_EVERY`` and shared by the asks in between
# (``LaNAS._shared_hyperparameters``). Sharing from the first ask cost sample efficiency at
# small budgets (NAS-Bench-201 at 50 trials); below 200, every budget of the tabular,
# NAS-Bench-201 and scikit-learn families searches as with per-ask fits.
_SHARE_HYPERPARAMETERS_FROM = 200
_HYPERPARAMETER_REFIT_EVERY = 4
# Below ``_WHOLE_SPACE_BELOW`` observations, with the "bo" solver, one model ask in
# ``_WHOLE_SPACE_EVERY`` (counting pending points) also asks the local solver over the whole
# space and takes its point if the selected region does not hold it
# (``LaNAS._offers_whole_space``). The limit is where the tree stops being refitted at
# every ask, and UCB starts to explore by itself.
_WHOLE_SPACE_EVERY = 3
_WHOLE_SPACE_BELOW = _ALWAYS_REBUILD_BELOW
# From ``_WHOLE_SPACE_BELOW`` observations on, the whole-space turns are taken only while the
# best-ranked observation is at least this many observations old (a search that has stalled),
# and their point is taken wherever it lies.
_WHOLE_SPACE_AFTER_STALL = 100
# TuRBO's trust-region rule (Eriksson et al. 2019, §2): initial, minimum and maximum side of
# the box in the unit cube, and the successes that double it.
_TRUST_INIT, _TRUST_MIN, _TRUST_MAX, _TRUST_SUCCESSES = 0.8, 0.5**7, 1.6, 3
# Our matrices are small (a few hundred rows): multi-threaded BLAS only adds synchronisation,
# which on a loaded 2-core machine made asks 5-20x slower. Asks run BLAS single-threaded, and
# OpenMP too: scikit-learn's k-means (``labeler="kmeans"``) took 48 ms per fit on 100-200
# points with two threads on that machine, 4 ms with one, with the same labels (its Lloyd
# iterations split the points into chunks of 256, so at most 200 points are one chunk).
_THREADPOOLS = ThreadpoolController()
# OpenBLAS's thread count is one setting for the whole process, so asks running at once in
# several threads share one BLAS limit: set by the first to enter, restored by the last to
# leave (each saving and restoring its own left the process at one thread when they
# interleaved). OpenMP's count belongs to the calling thread: each ask sets its own.
_blas_limit_lock = threading.Lock()
_blas_limit_users = 0
_blas_limit: Any = None


@contextmanager
def _single_threaded() -> Iterator[None]:
    """BLAS and OpenMP at one thread for the duration (see above)."""
    global _blas_limit_users, _blas_limit
    with _blas_limit_lock:
        if _blas_limit_users == 0:
            _blas_limit = _THREADPOOLS.limit(limits=1, user_api="blas")
        _blas_limit_users += 1
    try:
        with _THREADPOOLS.limit(limits=1, user_api="openmp"):
            yield
    finally:
        with _blas_limit_lock:
            _blas_limit_users -= 1
            if _blas_limit_users == 0:
                _blas_limit.restore_original_limits()
                _blas_limit = None


@dataclass(frozen=True)
class AskInfo:
    """How the last proposal was made (for diagnostics and tests)."""

    phase: str  # "startup" or "model"
    region: Region | None  # the region UCB selected (None during start-up)
    fallbacks: int  # constraints dropped because the region had too few candidates
    # The point is the local solver's over the whole space: outside ``region``, or anywhere on
    # a turn taken while the search has stalled (``LaNAS._offers_whole_space``).
    whole_space: bool = False


class LaNAS:
    """Learned-partition Monte Carlo tree search over a mixed search space (ask/tell).

    Minimises. Observations are split recursively into good and bad regions by learned
    boundaries; UCB picks a leaf; a local solver proposes the next point inside it.

    Args:
        space: Parameter name -> :class:`Float`, :class:`Int` or :class:`Categorical`.
        seed: Seed of all randomness (an int >= 0, or None for fresh entropy): the random
            generator and, apart from it, the start-up design.
        n_startup: Quasi-random (scrambled Sobol) points before the tree is used.
        split: How nodes are split: ``"linear"`` (LaNAS: regression half-spaces, sampled
            exactly by hit-and-run), ``"kernel"`` (LA-MCTS: SVM boundary) or ``"auto"``
            (default): kernel when most of the space's coordinates are continuous
            :class:`Float` (a categorical counts one per choice), linear otherwise. The
            attribute ``split`` holds the kind chosen.
        labeler: How ``"kernel"`` splits label good points: ``"median"`` or ``"kmeans"``.
        local_solver: ``"bo"`` (GP + expected improvement in the region), ``"turbo"`` (trust
            region in the region) or ``"uniform"`` (LaNAS: a uniform point of the region).
        leaf_size: A node holding more observations than this is split.
        max_depth: Depth limit of the tree (LaNAS used a fixed height).
        exploration: UCB constant ``Cp`` in units of the objective's spread.
        gp_fit: How the ``"bo"`` and ``"turbo"`` solvers fit their GP's hyperparameters:
            ``"map"`` (default: log-normal priors on the length scales, scaled with the
            dimension, and on the noise; Hvarfner et al. 2024) or ``"likelihood"`` (plain
            maximum likelihood: level on 20-d Rosenbrock, worse on 20-d Levy and Rastrigin and
            on the tabular problems; benchmarks/results/gp_fit.md, benchmarks/RESULTS.md).

    Example:
        >>> from lanas_sampler import LaNAS, Float, Categorical
        >>> opt = LaNAS({"x": Float(-5, 5), "kind": Categorical(["a", "b"])}, seed=0)
        >>> for _ in range(15):
        ...     params = opt.ask()
        ...     opt.tell(params, params["x"] ** 2 + (params["kind"] == "b"))
        >>> opt.best_value < 5
        True
    """

    def __init__(
        self,
        space: Mapping[str, Parameter],
        *,
        seed: int | None = None,
        n_startup: int | None = None,
        split: SplitOption = "auto",
        labeler: Labeler = "median",
        local_solver: LocalSolver = "bo",
        leaf_size: int = 20,
        max_depth: int = 5,
        exploration: float = 0.5,
        gp_fit: GPFit = "map",
    ) -> None:
        self.space = space if isinstance(space, SearchSpace) else SearchSpace(space)
        _check_choice("split", split, SplitOption)
        _check_choice("labeler", labeler, Labeler)
        _check_choice("local_solver", local_solver, LocalSolver)
        _check_choice("gp_fit", gp_fit, GPFit)
        _check_seed(seed)
        if n_startup is None:
            n_startup = 10
        _check_int("n_startup", n_startup, minimum=1)
        _check_int("leaf_size", leaf_size, minimum=2)
        _check_int("max_depth", max_depth, minimum=0)
        if (
            isinstance(exploration, bool)
            or not isinstance(exploration, int | float)
            or not math.isfinite(exploration)
            or exploration < 0
        ):
            raise ValueError(f"exploration must be a finite number >= 0, got {exploration!r}.")
        self.n_startup = n_startup
        self.split: SplitKind = _auto_split(self.space) if split == "auto" else split
        self.labeler: Labeler = labeler
        self.local_solver: LocalSolver = local_solver
        self.leaf_size = leaf_size
        self.max_depth = max_depth
        self.exploration = float(exploration)
        self.gp_fit: GPFit = gp_fit
        self._gp_settings = FIT_SETTINGS[gp_fit]

        seed_sequence = np.random.SeedSequence(seed)
        self._rng = np.random.default_rng(seed_sequence)
        # The start-up design's own seed: reseed() (adapters, once per trial) leaves it alone,
        # so every process that builds the optimizer with this seed holds the same design. An
        # int, not a SeedSequence: drawing the scrambling spawns from the sequence it is given,
        # and a second draw from a spawned-from sequence would scramble differently.
        self._design_seed = int(seed_sequence.spawn(1)[0].generate_state(1, np.uint64)[0])
        self._startup_design: NDArray[np.float64] | None = None
        # The next design row ask may take. It only goes up, so a cancelled or forgotten ask
        # keeps its row; rows already told or pending are skipped as well.
        self._design_next = 0
        self._obs = Observations(self.space.dim)
        self._pending: list[NDArray[np.float64]] = []
        self._tree: Node | None = None
        self._tree_built_at = 0  # observations when the tree was last fitted
        self._tree_routed_to = 0  # observations already placed in the tree
        self._trust = _TrustRegion()
        # (observations fitted on, GP hyperparameters) of the last shared fit.
        self._hyperparameters: tuple[int, NDArray[np.float64] | None] | None = None
        self._last_ask: AskInfo | None = None
        self._lock = threading.RLock()

    # -- pickling: the lock is process-local -------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "_design_seed" not in state:  # pickled before the design had its own seed (a7af0e7)
            state["_design_seed"] = int(state["_rng"].integers(2**63))
            # Its design came from the random generator: drop it for the seed's own, whose
            # rows go on from where the old one's count stood.
            state["_startup_design"] = None
            state["_design_next"] = state.pop("_startup_used", 0)
        self.__dict__.update(state)
        self._lock = threading.RLock()

    # -- public API ------------------------------------------------------------------------
    @property
    def n_observations(self) -> int:
        return len(self._obs)

    @property
    def last_ask_info(self) -> AskInfo | None:
        return self._last_ask

    @property
    def best_params(self) -> dict[str, Any]:
        """Best feasible, fully evaluated configuration (ValueError if none yet)."""
        return dict(self._obs.params[self._obs.best_index()])

    @property
    def best_value(self) -> float:
        """Its objective value (ValueError if none yet)."""
        return float(self._obs.values[self._obs.best_index()])

    def design_point(self, index: int) -> dict[str, Any]:
        """Configuration ``index`` (from 0) of the start-up design: a scrambled Sobol sequence
        that depends on the space and ``seed`` alone, not on what was told or on
        :meth:`reseed`.

        ``ask`` takes its start-up points from it in order, skipping a row for each
        configuration told or under evaluation. Adapters whose start-up trials carry unique
        numbers (Optuna's ``trial.number``) ask for that row instead, so workers in other
        processes, each building the optimizer from the same seed, take distinct points of
        one design. Rows past ``n_startup`` continue the same sequence, which repeats after
        2**30 rows (Sobol's limit).
        """
        _check_int("index", index, minimum=0)
        with self._lock:
            return self.space.decode(self._design_row(index))

    def ask(self, *, pending: Iterable[Mapping[str, Any]] | None = None) -> dict[str, Any]:
        """Propose the next configuration to evaluate.

        Args:
            pending: Configurations under evaluation elsewhere. When given, they replace this
                optimizer's own record of asked-but-untold points for this call, and the
                proposal is not recorded (the caller tracks it); this is how framework
                adapters pass other workers' running trials.
        """
        with self._lock:
            if self.space.dim == 0:  # every parameter has a single value: nothing to search
                self._last_ask = AskInfo("startup", None, 0)
                return self.space.decode(np.zeros(0))
            external = pending is not None
            P = (
                np.array([self.space.encode(p) for p in pending], dtype=np.float64).reshape(
                    -1, self.space.dim
                )
                if pending is not None
                else np.array(self._pending).reshape(-1, self.space.dim)
            )
            if len(self._obs) + len(P) < self.n_startup or len(self._obs) < MODEL_NEEDS:
                # The next unused row: past every configuration told or under evaluation.
                index = max(self._design_next, len(self._obs) + len(P))
                x = self._design_row(index)
                self._design_next = index + 1
                self._last_ask = AskInfo("startup", None, 0)
            else:
                with _single_threaded():
                    x = self._model_point(P)
            if not external:
                self._pending.append(x)
                del self._pending[:-MAX_PENDING]
            return self.space.decode(x)

    def tell(
        self,
        params: Mapping[str, Any],
        value: float,
        *,
        constraint_violation: float = 0.0,
        pruned_at_step: int | None = None,
    ) -> None:
        """Record the outcome of evaluating ``params`` (asked or not: warm starts are fine).

        Args:
            params: A complete configuration of the space.
            value: Objective value to minimise. NaN or ±inf record a failed evaluation that
                ranks below every other one.
            constraint_violation: Total violation of constraints (<= 0 means feasible).
                Infeasible points rank below feasible ones, by violation.
            pruned_at_step: Set when the evaluation was stopped early at this step and
                ``value`` is its last intermediate value: ranked below complete evaluations,
                deeper steps first (as Optuna's TPE ranks pruned trials).
        """
        x = self.space.encode(params)
        value = _as_float("value", value)
        violation = _as_float("constraint_violation", constraint_violation)
        if math.isnan(violation):
            raise ValueError("constraint_violation must not be NaN.")
        if pruned_at_step is not None:
            _check_int("pruned_at_step", pruned_at_step, minimum=0)
        with self._lock:
            self._forget_pending(x)
            self._obs.add(params, x, value, max(violation, 0.0), pruned_at_step)
            if pruned_at_step is None and violation <= 0 and math.isfinite(value):
                self._trust.update(value, self.space.dim)

    def reseed(self, seed: int | None) -> None:
        """Replace the random generator (adapters derive one per trial so that parallel
        workers sharing a seed do not propose the same points)."""
        _check_seed(seed)
        with self._lock:
            self._rng = np.random.default_rng(seed)

    def cancel(self, params: Mapping[str, Any]) -> bool:
        """Forget an asked configuration that will never be told. Returns whether it was
        pending."""
        with self._lock:
            return self._forget_pending(self.space.encode(params))

    # -- internals -------------------------------------------------------------------------
    def _forget_pending(self, x: NDArray[np.float64]) -> bool:
        for i, p in enumerate(self._pending):
            if np.allclose(p, x, rtol=0.0, atol=1e-12):
                del self._pending[i]
                return True
        return False

    def _design_row(self, index: int) -> NDArray[np.float64]:
        """Row ``index`` of the scrambled Sobol design, encoded. Extending the design keeps its
        first rows (the same scrambling, drawn again from the design's seed)."""
        index %= _SOBOL_ROWS
        kept = max(self.n_startup, _MAX_KEPT_DESIGN_ROWS)
        if index >= kept:
            sobol = self._sobol()
            sobol.fast_forward(index)
            return np.array(self._sobol_rows(sobol, 1)[0], dtype=np.float64)
        if self._startup_design is None or index >= len(self._startup_design):
            # Doubling: a long run of failed start-up trials costs linear time, not quadratic.
            built = 0 if self._startup_design is None else len(self._startup_design)
            n = min(max(self.n_startup, index + 1, 2 * built), kept)
            self._startup_design = self._sobol_rows(self._sobol(), n)
        return np.array(self._startup_design[index], dtype=np.float64)

    def _sobol(self) -> qmc.Sobol:
        return qmc.Sobol(
            self.space.dim, scramble=True, seed=np.random.default_rng(self._design_seed)
        )

    def _sobol_rows(self, sobol: qmc.Sobol, n: int) -> NDArray[np.float64]:
        with warnings.catch_warnings():  # Sobol prefers powers of two; balance is moot here
            warnings.simplefilter("ignore", UserWarning)
            return self.space.snap(sobol.random(n))

    def _current_tree(self) -> Node:
        """The partition of the observations, a function of the observations alone.

        Refitting at every ask costs O(n) SVM fits (the reference code did, and was unusable
        past ~2,000 evaluations), so beyond
        ``_ALWAYS_REBUILD_BELOW`` observations the tree is refitted only when their number
        crosses a point of a fixed geometric schedule, on the observations told up to that
        point, and later ones are routed through it. The schedule does not depend on when
        ``ask`` was called, and the fit draws no shared randomness, so an optimizer rebuilt
        from the same tells (a resumed study, another process) holds the same tree.
        """
        n = len(self._obs)
        built_at = _rebuild_point(n)
        if self._tree is None or self._tree_built_at != built_at:
            X, z = self._obs.X[:built_at], self._obs.scores(built_at)
            if built_at > _MAX_TREE_POINTS:
                # The best half, and an evenly spaced half of the rest (in ranking order).
                order = np.argsort(z, kind="stable")
                half = _MAX_TREE_POINTS // 2
                rest = order[half:][np.linspace(0, built_at - half - 1, half).astype(np.intp)]
                rows = np.sort(np.concatenate([order[:half], rest]))
            else:
                rows = np.arange(built_at)
            tree = build_tree(
                X[rows],
                z[rows],
                kind=self.split,
                labeler=self.labeler,
                leaf_size=self.leaf_size,
                max_depth=self.max_depth,
                seed=built_at,  # k-means seeding: the same observations give the same tree
            )
            _remap(tree, rows)
            if len(rows) < built_at:
                # The observations the boundaries did not train on count all the same: in UCB's
                # visits and means, and in the local solvers' training sets.
                route(tree, X, np.setdiff1d(np.arange(built_at), rows))
                _sort_indices(tree)
            self._tree, self._tree_built_at, self._tree_routed_to = tree, built_at, built_at
        if n > self._tree_routed_to:
            route(self._tree, self._obs.X, np.arange(self._tree_routed_to, n))
            self._tree_routed_to = n
        return self._tree

    def _model_point(self, P: NDArray[np.float64]) -> NDArray[np.float64]:
        z = self._obs.scores()
        tree = self._current_tree()
        count_pending(tree, P)
        path = select_path(tree, z, self.exploration, self._rng)
        region = Region([(node.boundary, good) for node, good in path[:-1]])  # type: ignore[misc]
        ctx = LocalContext(
            space=self.space,
            region=region,
            X=self._obs.X,
            z=z,
            path_indices=[node.indices for node, _ in path],
            observed_keys=self._obs.observed_keys(),
            pending=P,
            trust_length=self._trust.length,
            rng=self._rng,
            surrogate_targets=self._obs.surrogate_targets,
            gp_settings=self._gp_settings,
            hyperparameters=self._shared_hyperparameters(),
            complete_values=self._obs.complete_values,
        )
        if self._offers_whole_space(len(P)):
            # No quadratic step (``complete_values``): the whole space's point is the one
            # expected improvement picks. (A turn and a step coincide only with pending points.)
            whole_ctx = replace(
                ctx, region=Region([]), path_indices=[tree.indices], complete_values=None
            )
            whole = propose(whole_ctx, self.local_solver)
            # A stalled search's turn (from ``_WHOLE_SPACE_BELOW`` observations) takes the
            # point wherever it lies: one proposal per ask (``_stalled``).
            stalled_turn = len(self._obs) >= _WHOLE_SPACE_BELOW
            if stalled_turn or not region.contains(whole.x[None, :])[0]:
                self._last_ask = AskInfo("model", region, 0, whole_space=True)
                return whole.x
        proposal = propose(ctx, self.local_solver)
        self._last_ask = AskInfo("model", region, proposal.fallbacks)
        return proposal.x

    def _offers_whole_space(self, n_pending: int) -> bool:
        """Whether this ask first asks the local solver over the whole space (the root's
        region: the surrogate trained on the observations nearest the best of them all, at
        most 128, its candidates anywhere but within its reach, or within TuRBO's box around
        the best when it does not rank its points) and takes that point if the selected
        region does not hold it: one model ask in ``_WHOLE_SPACE_EVERY`` (observations plus
        pending points, so parallel asks take turns and an optimizer rebuilt from the same
        tells makes the same choices), below ``_WHOLE_SPACE_BELOW`` observations and beyond
        while the search has stalled (``_stalled``), with the "bo" local solver (the
        "uniform" one has no surrogate to disagree with the partition: its whole-space point
        is a random one, outside a deep region almost always; "turbo" was not measured).

        Why: UCB's exploration term ``2 Cp sqrt(2 ln n_parent / n_child)`` favours the child
        with fewer visits, but a split at the median score gives both children about the
        same number of points, so the terms cancel. Below ``_ALWAYS_REBUILD_BELOW``
        observations the tree is refitted at every ask and the descent is greedy on the
        children's mean scores: a region the first splits misjudged is not searched again.
        On scikit-learn's decision tree for wine the best losses need ``max_features`` >=
        12/13 of the features, a slab of 7 % of that coordinate; a search whose early slab
        points were bad on the other parameters learned a good side without it and never
        came back (no candidate of the selected region in the slab at 98 asks of 106).
        Beyond that size the tree is refitted on a schedule, new points are routed into it,
        the children's counts grow apart and UCB explores.

        The whole-space point is taken only when it lies outside the selected region, where
        a surrogate of the observations around the best disagrees with the partition's choice
        (about one model ask in five below 200 observations on dt/wine, BBOB d = 5 and 20-d
        Ackley; benchmarks/results/whole_space_gated/turns.txt). When it lies inside, the
        partition and the surrogate agree, and the leaf's own model, trained nearer the
        leaf's best point, proposes as before. Searching the whole space on every third ask
        unconditionally helped the decision trees but cost BBOB in 5 dimensions and the 20-d
        functions (benchmarks/RESULTS.md, "Whole-space asks"); taken only outside the region,
        the points brought dt/wine ahead of random search, the suite's overall rank better at
        the largest budgets and level at the first ("Whole-space points where the partition
        is in doubt"). Grids without a continuous coordinate take the same turns: on
        NAS-Bench-201 (200 trials, 60 seeds) 7 searches without them settled in a basin
        whose best cell's error is 0.46-0.48 points (in %) above the optimum's and never
        left it; with them none did, and the mean regret at 200 fell from 0.094 to 0.040;
        the HPOBench and HPOLib tables are level in sum, but HPOBench's australian is worse
        at 200 (a little behind random search) where kc1 is better ("Whole-space points on
        the grids"; the ungated asks of "Whole-space asks" had lost on those tables).
        """
        if self.local_solver != "bo":
            return False
        n = len(self._obs)
        if (n + n_pending) % _WHOLE_SPACE_EVERY != 1:
            return False
        return n < _WHOLE_SPACE_BELOW or self._stalled()

    def _stalled(self) -> bool:
        """Whether the best-ranked observation (the first of equals) was told at least
        ``_WHOLE_SPACE_AFTER_STALL`` observations ago: a function of the observations alone.

        Why: a kernel split's soft margin may put the node's best point on its *bad* side,
        among points whose mean is poor; UCB then never selects that leaf, and the local
        solvers, which search around the selected leaf's best point, never search near the
        best point again. On BBOB f11 (discus) in 20 dimensions the best point of one run
        was found at the 328th evaluation and not improved on in the 1,672 after it
        (benchmarks/results/best_point_good). The whole-space turns search around the best
        point wherever the partition put it. Taken at every size they end that stall but cost
        multimodal functions (the search narrows to the best point's basin while it still
        improves elsewhere); taken only after a stall, they leave a search that improves
        alone (benchmarks/results/stall_turns). A stalled turn takes the whole-space point
        even inside the selected region, so it makes one proposal, never two (taking it only
        outside, as below 200 observations, measured the same time per ask in a stall).
        """
        z = self._obs.scores()
        return len(z) - 1 - int(np.argmin(z)) >= _WHOLE_SPACE_AFTER_STALL

    def _shared_hyperparameters(self) -> NDArray[np.float64] | None:
        """The local GP's hyperparameters for this ask, if shared: None (fitted by the ask)
        below ``_SHARE_HYPERPARAMETERS_FROM`` observations, else those fitted on the first
        ``c`` (``c`` the last multiple of ``_HYPERPARAMETER_REFIT_EVERY``), see
        ``shared_hyperparameters``.

        Like the tree, a function of the observations alone: an optimizer rebuilt from the
        same tells (a resumed study, another process) uses the same hyperparameters.
        """
        n = len(self._obs)
        if self.local_solver == "uniform" or n < _SHARE_HYPERPARAMETERS_FROM:
            return None
        c = n - n % _HYPERPARAMETER_REFIT_EVERY
        if self._hyperparameters is None or self._hyperparameters[0] != c:
            theta = shared_hyperparameters(
                self.space,
                self._obs.X[:c],
                self._obs.scores(c),
                self._obs.surrogate_targets,
                self._gp_settings,
            )
            self._hyperparameters = (c, theta)
        return self._hyperparameters[1]


def _auto_split(space: SearchSpace) -> SplitKind:
    """The partition learner that measured best for this kind of space (benchmarks/RESULTS.md):
    kernel when most cube coordinates are continuous floats, linear otherwise.

    Kernel regions follow the curved level sets of continuous functions (shifted Ackley, Levy,
    Rosenbrock in 20-d: 25-70 % lower regret than linear splits at 300 evaluations); on
    integer, stepped and categorical spaces (NAS-Bench-201, HPOBench, HPOLib) half-spaces
    generalise better from few points (lower regret on all six tables at 100 trials). Mostly
    continuous mixed spaces go with the continuous ones: on the decision-tree spaces of the
    scikit-learn family (five floats, one integer) kernel splits had the lower regret on three
    of four datasets over 30 seeds, and half-spaces left dt/iris on a plateau of equal losses
    that random search leaves (worse than random at 10 seeds); random forests were level.
    """
    continuous = space.is_continuous()
    return "kernel" if continuous.size and continuous.mean() > 0.5 else "linear"


def _rebuild_point(n: int) -> int:
    """The number of observations the tree for ``n`` observations is fitted on: ``n`` itself
    below ``_ALWAYS_REBUILD_BELOW``, then the last point of a geometric schedule of ratio
    ``1 + _REBUILD_GROWTH`` at or below ``n``."""
    point = _ALWAYS_REBUILD_BELOW
    if n < point:
        return n
    while (following := math.ceil(point * (1.0 + _REBUILD_GROWTH))) <= n:
        point = following
    return point


def _sort_indices(node: Node) -> None:
    """Keep each node's observations in the order they were told, as a tree fitted on all of
    them holds them (routing appends)."""
    node.indices = np.sort(node.indices)
    if not node.is_leaf:
        for child in node.children():
            _sort_indices(child)


def _remap(node: Node, rows: NDArray[np.intp]) -> None:
    """Turn a tree built on ``X[rows]`` into one indexing the full observation array."""
    node.indices = rows[node.indices]
    if not node.is_leaf:
        for child in node.children():
            _remap(child, rows)


class _TrustRegion:
    """TuRBO's side-length rule, fed with every complete feasible value in tell order."""

    def __init__(self) -> None:
        self.length = _TRUST_INIT
        self.best = math.inf
        self.successes = 0
        self.failures = 0

    def update(self, value: float, dim: int) -> None:
        # Improvement threshold 1e-3 |best| (TuRBO §2); patience max(4, d) failures.
        improved = not math.isfinite(self.best) or value < self.best - 1e-3 * abs(self.best)
        if improved:
            self.successes, self.failures = self.successes + 1, 0
        else:
            self.successes, self.failures = 0, self.failures + 1
        self.best = min(self.best, value)
        if self.successes >= _TRUST_SUCCESSES:
            self.length, self.successes = min(2.0 * self.length, _TRUST_MAX), 0
        elif self.failures >= max(4, dim):
            self.length, self.failures = self.length / 2.0, 0
            if self.length < _TRUST_MIN:  # TuRBO restarts; we restart the radius only
                self.length = _TRUST_INIT


def _check_choice(name: str, value: object, options: Any) -> None:
    allowed = get_args(options)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}.")


def _check_seed(seed: Any) -> None:
    if seed is not None:
        _check_int("seed", seed, minimum=0, or_none=True)


def _check_int(name: str, value: object, *, minimum: int, or_none: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        allowed = f"an integer >= {minimum}" + (" or None" if or_none else "")
        raise ValueError(f"{name} must be {allowed}, got {value!r}.")


def _as_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a real number, got {value!r}.")
    return float(value)
