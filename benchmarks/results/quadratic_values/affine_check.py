"""Does an affine transform of the objective give the same proposals? Prints, for three seeds
and five transforms ``a f + b`` of a 4-d continuous quadratic, the first of 90 asks where the
search of ``a f + b`` parts from that of ``f`` (None: all 90 the same). The LaNAS library is the
one on ``PYTHONPATH``: ``python affine_check.py``."""

from lanas_sampler import Float, LaNAS

SPACE = {f"x{i}": Float(-5, 5) for i in range(4)}
TRANSFORMS = [(1e6, -37.0), (3.7, 1e3), (0.01, 5.0), (2.0, 0.0), (1e-3, -1e4)]


def f(p: dict) -> float:
    values = list(p.values())
    return (
        sum((v - 0.7 * i) ** 2 * (1 + i) for i, v in enumerate(values))
        + 0.3 * values[0] * values[1]
    )


def search(objective, seed: int, n: int = 90) -> list[dict]:
    opt, asked = LaNAS(SPACE, seed=seed), []
    for _ in range(n):
        params = opt.ask()
        opt.tell(params, objective(params))
        asked.append(params)
    return asked


def first_difference(a: list[dict], b: list[dict]) -> int | None:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), None)


if __name__ == "__main__":
    for seed in range(3):
        plain = search(f, seed)
        parted = [
            first_difference(plain, search(lambda p, a=a, b=b: a * f(p) + b, seed))
            for a, b in TRANSFORMS
        ]
        print(
            f"seed {seed}: "
            + ", ".join(
                f"{a:g} f + {b:g}: {k}" for (a, b), k in zip(TRANSFORMS, parted, strict=True)
            )
        )
