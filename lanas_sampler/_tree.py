"""The partition tree: building it from observations, routing points, UCB descent.

Each internal node holds a learned boundary (``_partition.py``) and two children, *good* and
*bad*; each leaf is a region of the space whose points performed alike (LaNAS §3.2, LA-MCTS
§3.1). The tree is derived data: it can always be rebuilt from the observations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ._partition import Boundary, Labeler, SplitKind, learn_split

__all__ = ["Node", "build_tree", "count_pending", "route", "select_path"]


@dataclass
class Node:
    """A region of the search space and the observations that fall in it."""

    indices: NDArray[np.intp]
    depth: int
    boundary: Boundary | None = None
    good: Node | None = None
    bad: Node | None = None
    #: Points under evaluation that fall here, counted as visits (virtual loss) by UCB.
    pending: int = field(default=0, compare=False)

    @property
    def is_leaf(self) -> bool:
        return self.boundary is None

    def leaves(self) -> list[Node]:
        if self.is_leaf:
            return [self]
        assert self.good is not None and self.bad is not None
        return self.good.leaves() + self.bad.leaves()

    def children(self) -> tuple[Node, Node]:
        assert self.good is not None and self.bad is not None
        return self.good, self.bad


def build_tree(
    X: NDArray[np.float64],
    z: NDArray[np.float64],
    *,
    kind: SplitKind,
    labeler: Labeler,
    leaf_size: int,
    max_depth: int,
    seed: int = 0,
) -> Node:
    """Grow the tree top-down until leaves hold at most ``leaf_size`` points, reach
    ``max_depth``, or cannot be separated (LA-MCTS §3.1 "splitting criterion")."""
    root = Node(indices=np.arange(len(X)), depth=0)
    stack = [root]
    while stack:
        node = stack.pop()
        if len(node.indices) <= leaf_size or node.depth >= max_depth:
            continue
        split = learn_split(X[node.indices], z[node.indices], kind=kind, labeler=labeler, seed=seed)
        if split is None:
            continue
        node.boundary, good = split
        node.good = Node(indices=node.indices[good], depth=node.depth + 1)
        node.bad = Node(indices=node.indices[~good], depth=node.depth + 1)
        stack.extend((node.bad, node.good))
    return root


def route(root: Node, X: NDArray[np.float64], indices: NDArray[np.intp]) -> None:
    """Add points to every node whose region holds them, through the existing boundaries.

    Used between full rebuilds so that new observations count at once without refitting.
    """
    if len(indices) == 0:
        return
    root.indices = np.concatenate([root.indices, indices])
    if root.is_leaf:
        return
    assert root.boundary is not None
    good = root.boundary.is_good(X[indices])
    good_child, bad_child = root.children()
    route(good_child, X, indices[good])
    route(bad_child, X, indices[~good])


def count_pending(root: Node, P: NDArray[np.float64]) -> None:
    """Record in each node how many pending points lie in its region."""
    stack: list[tuple[Node, NDArray[np.float64]]] = [(root, P)]
    while stack:
        node, points = stack.pop()
        node.pending = len(points)
        if node.is_leaf:
            continue
        assert node.boundary is not None
        good_child, bad_child = node.children()
        if len(points) == 0:  # the usual sequential ask: no boundary to evaluate below
            stack.extend(((good_child, points), (bad_child, points)))
            continue
        good = node.boundary.is_good(points)
        stack.extend(((good_child, points[good]), (bad_child, points[~good])))


def ucb(child: Node, parent: Node, z: NDArray[np.float64], exploration: float) -> float:
    """UCB of a child, as in LaNAS Eq. (2) / LA-MCTS Eq. (1) (UCT, Kocsis & Szepesvári 2006):

        UCB = v_child + 2 Cp sqrt(2 ln n_parent / n_child)

    with ``v`` the negated mean of the node's transformed objective (we minimise) and ``n`` the
    visits: its observations plus its pending points. We keep the papers' ``ln n_parent``; the
    released LA-MCTS code used ``sqrt(n_parent)``, which explores far more as data grows.
    ``z`` has unit spread, so ``Cp`` is in units of the objective's spread (scale-free).
    """
    n_child = len(child.indices) + child.pending
    n_parent = len(parent.indices) + parent.pending
    if n_child == 0:
        return math.inf
    value = -float(z[child.indices].mean()) if len(child.indices) else 0.0
    return value + 2.0 * exploration * math.sqrt(2.0 * math.log(max(n_parent, 1)) / n_child)


def select_path(
    root: Node, z: NDArray[np.float64], exploration: float, rng: np.random.Generator
) -> list[tuple[Node, bool]]:
    """Greedy UCB descent from the root; returns ``(node, went_good)`` per internal node and
    ``(leaf, True)`` last. Ties are broken at random."""
    path: list[tuple[Node, bool]] = []
    node = root
    while not node.is_leaf:
        good_child, bad_child = node.children()
        u_good = ucb(good_child, node, z, exploration)
        u_bad = ucb(bad_child, node, z, exploration)
        go_good = u_good > u_bad or (u_good == u_bad and bool(rng.integers(2)))
        path.append((node, go_good))
        node = good_child if go_good else bad_child
    path.append((node, True))
    return path
