"""Draw what LaNAS does on a 2-d problem: observations, the region UCB selects, the proposal.

For both partition learners (the default linear LaNAS split and the LA-MCTS kernel split), runs
the core optimizer for ``--n-evals`` evaluations of a shifted Ackley function, then asks
once more and shades the region the tree search selected for that proposal. Writes the README's
figure::

    python examples/how_it_works.py [--out examples/how_it_works.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt
import numpy as np

from lanas_sampler import Float, LaNAS

LOW, HIGH = -5.0, 10.0
OPTIMUM = np.array([3.0, -1.5])  # shifted away from the centre of the box


def ackley(x: np.ndarray) -> np.ndarray:
    """Ackley function on the last axis, minimum 0 at ``OPTIMUM``."""
    z = x - OPTIMUM
    return (
        -20.0 * np.exp(-0.2 * np.sqrt((z**2).mean(-1)))
        - np.exp(np.cos(2 * np.pi * z).mean(-1))
        + 20.0
        + np.e
    )


def run(n_evals: int, seed: int, split: str) -> tuple[LaNAS, np.ndarray, dict[str, float]]:
    opt = LaNAS({"x0": Float(LOW, HIGH), "x1": Float(LOW, HIGH)}, seed=seed, split=split)
    points = []
    for _ in range(n_evals):
        params = opt.ask()
        point = np.array([params["x0"], params["x1"]])
        opt.tell(params, float(ackley(point)))
        points.append(point)
    return opt, np.array(points), opt.ask()


def draw(ax: plt.Axes, opt: LaNAS, points: np.ndarray, proposal: dict[str, float]) -> None:
    grid = np.linspace(LOW, HIGH, 300)
    gx, gy = np.meshgrid(grid, grid)
    cells = np.stack([gx.ravel(), gy.ravel()], axis=1)
    ax.contourf(gx, gy, ackley(cells).reshape(gx.shape), levels=30, cmap="Greys", alpha=0.55)

    info = opt.last_ask_info
    if info is not None and info.region is not None:
        # Regions live on the unit-cube encoding; both parameters are linear floats here.
        inside = info.region.contains((cells - LOW) / (HIGH - LOW)).reshape(gx.shape)
        ax.contourf(
            gx, gy, inside.astype(float), levels=[0.5, 1.5], colors=["tab:green"], alpha=0.35
        )
        ax.contour(gx, gy, inside.astype(float), levels=[0.5], colors="tab:green")

    values = ackley(points)
    ax.scatter(*points.T, c=values, cmap="viridis_r", s=18, edgecolors="k", linewidths=0.3)
    ax.scatter(*OPTIMUM, marker="*", s=220, c="gold", edgecolors="k", label="optimum")
    ax.scatter(proposal["x0"], proposal["x1"], marker="X", s=140, c="red", label="next proposal")
    ax.set(xlim=(LOW, HIGH), ylim=(LOW, HIGH), xlabel="x0", ylabel="x1")
    ax.set_title(
        f'split="{opt.split}": {len(points)} evaluations,\ngreen: the region UCB selected',
        fontsize=10,
    )
    ax.legend(loc="upper right", fontsize=8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-evals", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("how_it_works.png"))
    args = parser.parse_args()
    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    for ax, split in zip(axes, ("linear", "kernel"), strict=True):
        opt, points, proposal = run(args.n_evals, args.seed, split)
        draw(ax, opt, points, proposal)
        print(f"split={split}: best {opt.best_value:.3f} at {opt.best_params}")
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    plt.close(fig)
    print(f"figure written to {args.out}")


if __name__ == "__main__":
    main()
