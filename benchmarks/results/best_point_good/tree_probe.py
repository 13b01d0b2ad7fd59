"""Where the best point sits in LaNAS's tree during a search (the core, no Optuna).

    PYTHONPATH=<code> python tree_probe.py PROBLEM SEED BUDGET CHECKPOINTS

e.g. ``bbob_f11_d20_i2 1 900 400,600,900``. At each checkpoint (a number of evaluations) it
prints, for each node on the path to the leaf holding the best observation, which child that
point went to and both children's size, mean transformed objective and UCB (the larger is
selected). Then over the asks after the first checkpoint: how often the selected leaf held the
best point.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/, for problems

from problems import get_problem  # noqa: E402

import lanas_sampler._optimizer as optimizer_module  # noqa: E402
from lanas_sampler import LaNAS  # noqa: E402
from lanas_sampler._tree import ucb  # noqa: E402


def main() -> None:
    name, seed, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    checkpoints = [int(a) for a in sys.argv[4].split(",")]
    holds_best: list[bool] = []
    propose = optimizer_module.propose  # what ``LaNAS`` calls

    def recording_propose(ctx, solver):  # type: ignore[no-untyped-def]
        if len(ctx.X) >= checkpoints[0] and len(ctx.path_indices) > 1:
            holds_best.append(int(np.argmin(ctx.z)) in set(ctx.path_indices[-1].tolist()))
        return propose(ctx, solver)

    optimizer_module.propose = recording_propose
    problem = get_problem(name)
    optimizer = LaNAS(problem.space, seed=seed)
    for i in range(budget):
        params = optimizer.ask()
        optimizer.tell(params, problem.objective(params, 0))
        if i + 1 not in checkpoints:
            continue
        tree, z = optimizer._current_tree(), optimizer._obs.scores()
        best = int(np.argmin(z))
        built = optimizer._tree_built_at
        print(f"n={i + 1}: best row {best}, z {z[best]:.3f}, tree fitted on {built}")
        node = tree
        while not node.is_leaf:
            good, bad = node.children()
            side = "good" if best in set(good.indices.tolist()) else "bad"
            stats = [
                f"{label} n={len(child.indices)} mean {z[child.indices].mean():.3f} "
                f"ucb {ucb(child, node, z, optimizer.exploration):.3f}"
                for label, child in (("good", good), ("bad", bad))
            ]
            print(f"  depth {node.depth}: best -> {side}; " + " | ".join(stats))
            node = good if side == "good" else bad
    print(
        f"asks from {checkpoints[0]} evaluations on whose leaf held the best point: "
        f"{sum(holds_best)} of {len(holds_best)}"
    )


if __name__ == "__main__":
    main()
