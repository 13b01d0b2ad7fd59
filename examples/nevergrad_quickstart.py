"""LaNAS from Nevergrad's registry on a small mixed search space.

Run: ``python examples/nevergrad_quickstart.py`` (a few seconds).
"""

from __future__ import annotations

import nevergrad as ng
import numpy as np

import lanas_sampler.integrations.nevergrad  # noqa: F401  (registers "LaNAS" & co.)


def loss(x: np.ndarray, lr: float, layers: int, activation: str) -> float:
    """A toy 'validation loss': best at x = (1, -1), lr = 1e-2, 3 layers, gelu."""
    return float(
        np.sum((x - np.array([1.0, -1.0])) ** 2)
        + (np.log10(lr) + 2.0) ** 2
        + 0.1 * abs(layers - 3)
        + (activation != "gelu")
    )


def main() -> None:
    parametrization = ng.p.Instrumentation(
        ng.p.Array(shape=(2,), lower=-5.0, upper=5.0),
        lr=ng.p.Log(lower=1e-5, upper=1.0),
        layers=ng.p.Scalar(lower=1, upper=8).set_integer_casting(),
        activation=ng.p.Choice(["relu", "tanh", "gelu"]),
    )
    parametrization.random_state.seed(0)
    optimizer = ng.optimizers.registry["LaNAS"](parametrization, budget=40)
    recommendation = optimizer.minimize(loss)
    print("best parameters:", recommendation.args, recommendation.kwargs)
    print(f"best loss: {loss(*recommendation.args, **recommendation.kwargs):.4f}")


if __name__ == "__main__":
    main()
