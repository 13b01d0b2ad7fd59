"""Small steps against random points on BBOB's 20-d Katsuura f23, instance 1 (a probe, no
LaNAS): ``python steps.py`` from this folder.

1. From the best of 20,000 uniform points, how often a Gaussian step on one coordinate
   (0.3 %, 3 % and 30 % of the side) improves it, over 2,000 tries each.
2. A plain hill climber from the best of ten uniform points (steps of 3e-4 to 0.3 of the
   side, on one coordinate or all, half the time each) against random search's best, at 400
   and 2,000 evaluations, seeds 0-3."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/
from problems import _bbob_handle, _bbob_optimum  # noqa: E402

_, problem = _bbob_handle(23, 20, 1)
f_opt = _bbob_optimum(problem)


def regret(x):
    return problem(x) - f_opt


rng = np.random.default_rng(0)
U = rng.uniform(-5, 5, (20_000, 20))
values = np.array([regret(x) for x in U])
centre, centre_value = U[np.argmin(values)], values.min()
print(f"best of 20,000 uniform points: {centre_value:.2f}")
for side in (0.003, 0.03, 0.3):
    steps = np.repeat(centre[None], 2000, axis=0)
    steps[np.arange(2000), rng.integers(20, size=2000)] += 10 * side * rng.standard_normal(2000)
    better = np.mean([regret(x) < centre_value for x in np.clip(steps, -5, 5)])
    print(f"  one coordinate, step {side:g} of the side: improves {better:.3f} of the tries")

scales = 10 * np.array([0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3])
for seed in range(4):
    rng = np.random.default_rng(seed)
    start = rng.uniform(-5, 5, (10, 20))
    start_values = [regret(x) for x in start]
    best, best_value, trace = start[int(np.argmin(start_values))], min(start_values), {}
    for t in range(10, 2000):
        x = best.copy()
        if rng.random() < 0.5:
            x[rng.integers(20)] += rng.choice(scales) * rng.standard_normal()
        else:
            x += rng.choice(scales) * rng.standard_normal(20)
        value = regret(np.clip(x, -5, 5))
        if value < best_value:
            best, best_value = np.clip(x, -5, 5), value
        if t + 1 in (400, 2000):
            trace[t + 1] = best_value
    random = np.array([regret(x) for x in rng.uniform(-5, 5, (2000, 20))])
    print(
        f"seed {seed}: hill climber {trace[400]:.2f} at 400, {trace[2000]:.2f} at 2,000; "
        f"random search {random[:400].min():.2f} and {random.min():.2f}"
    )
