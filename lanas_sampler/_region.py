"""A region of the cube (the leaf of a path), membership tests and uniform sampling inside it.

A region is the unit box intersected with one side of each boundary on the path from the
root. Membership is a cascade, cheapest boundary first, that only tests the rows still alive
(the reference code accepted a point when *any* constraint held; we require *all*).

Linear regions are convex polytopes: hit-and-run samples them exactly, with no rejection
(Smith 1984; the LaNAS paper drew from a pre-enumerated pool instead). Kernel regions are
sampled by bounded rejection around the region's own points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._partition import Boundary, LinearBoundary

__all__ = ["Region"]

# Hit-and-run steps between two kept samples; mixing in a polytope is fast from inside points.
_HIT_AND_RUN_THINNING = 3
# Rejection sampling gives up after this many proposal rounds (no unbounded loops, §5.4).
_MAX_REJECTION_ROUNDS = 4


@dataclass(frozen=True)
class Region:
    """Intersection of the unit cube with one side of each constraint, root first."""

    constraints: Sequence[tuple[Boundary, bool]]

    @property
    def depth(self) -> int:
        return len(self.constraints)

    def parent(self) -> Region:
        """The region without its deepest constraint (the fallback of LaMOO, ICLR 2022)."""
        return Region(self.constraints[:-1])

    @property
    def is_polytope(self) -> bool:
        return all(b.linear for b, _ in self.constraints)

    def contains(self, X: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Mask of the rows of X inside every constraint."""
        inside = np.ones(len(X), dtype=bool)
        # Cheapest first: the classifiers near the root train on the most points (up to 200)
        # and have the most support vectors, so they should see only the rows the cheaper ones
        # kept (a third less time in these tests on 20-d continuous spaces at 1,000
        # observations). The mask is the same in any order.
        for boundary, good_side in sorted(self.constraints, key=lambda c: c[0].cost):
            alive = np.flatnonzero(inside)
            if len(alive) == 0:
                break
            inside[alive] = boundary.is_good(X[alive]) == good_side
        return inside

    def _halfspaces(self, dim: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Constraints as A x <= b (box included)."""
        rows, rhs = [np.eye(dim), -np.eye(dim)], [np.ones(dim), np.zeros(dim)]
        for boundary, good_side in self.constraints:
            assert isinstance(boundary, LinearBoundary)
            sign = 1.0 if good_side else -1.0
            rows.append(sign * boundary.w[None, :])
            rhs.append(np.array([sign * boundary.t]))
        return np.vstack(rows), np.concatenate(rhs)

    def hit_and_run(
        self, starts: NDArray[np.float64], n: int, rng: np.random.Generator
    ) -> NDArray[np.float64]:
        """``n`` points uniformly distributed in the polytope, from chains started at the
        (inside) rows of ``starts``; each step jumps to a uniform point of a random chord."""
        A, b = self._halfspaces(starts.shape[1])
        n_chains = min(len(starts), n)
        x = starts[rng.choice(len(starts), size=n_chains, replace=False)].copy()
        out = []
        per_chain = -(-n // n_chains)
        for _ in range(per_chain):
            for _ in range(_HIT_AND_RUN_THINNING):
                d = rng.standard_normal(x.shape)
                d /= np.linalg.norm(d, axis=1, keepdims=True)
                slack = b[None, :] - x @ A.T  # >= 0 inside (up to rounding)
                rate = d @ A.T
                with np.errstate(divide="ignore", invalid="ignore"):
                    step = np.maximum(slack, 0.0) / rate
                hi = np.where(rate > 1e-12, step, np.inf).min(axis=1)
                lo = np.where(rate < -1e-12, step, -np.inf).max(axis=1)
                hi, lo = np.where(np.isfinite(hi), hi, 0.0), np.where(np.isfinite(lo), lo, 0.0)
                x = x + (lo + (hi - lo) * rng.random(len(x)))[:, None] * d
            out.append(x.copy())
        return np.clip(np.vstack(out)[:n], 0.0, 1.0)

    def sample(
        self,
        n: int,
        inside_points: NDArray[np.float64],
        snap: Callable[[NDArray[np.float64]], NDArray[np.float64]],
        rng: np.random.Generator,
    ) -> NDArray[np.float64]:
        """Up to ``n`` valid (snapped) configurations inside the region, roughly uniform.

        ``inside_points`` are observations known to lie in the region: chain starts for
        hit-and-run, and the box that rejection sampling draws from. May return fewer than ``n``
        points (none at all for a region too thin to hit); the caller then falls back.
        """
        dim = inside_points.shape[1] if len(inside_points) else 0
        if self.depth == 0 or len(inside_points) == 0:
            if dim == 0:
                raise ValueError("inside_points is empty: it gives the sample's dimension")
            return snap(rng.random((n, dim)))
        if self.is_polytope:
            raw = self.hit_and_run(inside_points, n, rng)
        else:
            # Kernel regions hug their points: draw from their bounding box, widened, and
            # from the whole cube (regions can have parts far from any observation).
            lo, hi = inside_points.min(axis=0), inside_points.max(axis=0)
            margin = 0.1 + 0.1 * (hi - lo)
            lo, hi = np.maximum(lo - margin, 0.0), np.minimum(hi + margin, 1.0)
            found: list[NDArray[np.float64]] = []
            total = 0
            for _ in range(_MAX_REJECTION_ROUNDS):
                box = lo + (hi - lo) * rng.random((n, dim))
                cube = rng.random((n // 4 + 1, dim))
                batch = snap(np.vstack([box, cube]))
                batch = batch[self.contains(batch)]
                found.append(batch)
                total += len(batch)
                if total >= n:
                    break
            return np.vstack(found)[:n]
        snapped = snap(raw)
        return snapped[self.contains(snapped)]
