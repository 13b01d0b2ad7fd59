"""Bayesmark-style scikit-learn tuning problems: ``sklearn_<model>_<dataset>``.

The NeurIPS 2020 black-box optimisation challenge tuned scikit-learn models with Bayesmark
(``uber/bayesmark``, ``sklearn_funcs.py``), 128 evaluations per problem. Bayesmark 0.0.8 no
longer runs on current scikit-learn/numpy, so the problems are rebuilt here on the datasets that
scikit-learn ships (offline):

* datasets: ``iris``, ``wine``, ``breast_cancer`` (classification) and ``diabetes`` (regression);
  features standardised once (Bayesmark also standardises), the regression target too;
* loss: 5-fold cross-validated loss on a fixed 80 % split (Bayesmark's protocol: the other 20 %
  is its held-out "generalisation" set, unused here), with fixed folds and ``random_state=0`` in
  every model, so the objective is DETERMINISTIC. Classification: log-loss (Bayesmark's ``nll``);
  regression: mean squared error of the standardised target (about ``1 - R²``);
* models and search spaces: Bayesmark's ``kNN``, ``SVM``, ``DT``, ``RF`` (10 trees), ``MLP-adam``,
  ``ada``, ``lasso`` and ``linear`` with its ranges. Bayesmark's ``logit`` spaces are plain
  ``Float`` ranges here, its ``bool`` a ``Categorical([False, True])``; ``normalize`` (removed
  from scikit-learn) is dropped. The classifiers' ``lasso``/``linear`` are one-vs-rest
  liblinear logistic regressions (Bayesmark's ``multi_class="ovr"``). MLP-adam keeps Bayesmark's
  early stopping and ``max_iter=200`` (scikit-learn's default).

Best value: unknown. ``SKLEARN_REFERENCE`` (``sklearn_reference.json``, written once by
``python benchmarks/problems_sklearn.py``) stores per problem the best and mean value of
``N_REFERENCE`` uniformly random configurations; ``random_mean`` comes from it, and a report
takes as best known the lower of that reference best and the best value any sampler reached in
the run (so regret is >= 0 and 0 means "as good as the best anyone found").

Example:
    >>> p = sklearn_problem("knn", "iris")
    >>> round(p.objective({"n_neighbors": 10, "p": 2}, 0), 3) == round(p.true_value(
    ...     {"n_neighbors": 10, "p": 2}), 3)
    True
"""

from __future__ import annotations

import functools
import json
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lanas_sampler import Categorical, Float, Int
from lanas_sampler._space import Parameter

SKLEARN_REFERENCE = Path(__file__).resolve().parent / "sklearn_reference.json"
# Random configurations per problem behind the reference best and random mean.
N_REFERENCE = 100
CV_FOLDS = 5
DATASETS = ("iris", "wine", "breast_cancer", "diabetes")
REGRESSION = ("diabetes",)
SKLEARN_RE = re.compile(r"^sklearn_([a-z_]+?)_(iris|wine|breast_cancer|diabetes)$")

_TREE = {  # Bayesmark's DT/RF space ("logit" ranges as plain floats)
    "max_depth": Int(1, 15),
    "min_samples_split": Float(0.01, 0.99),
    "min_samples_leaf": Float(0.01, 0.49),
    "min_weight_fraction_leaf": Float(0.01, 0.49),
    "max_features": Float(0.01, 0.99),
    "min_impurity_decrease": Float(0.0, 0.5),
}
_LINEAR_CLF = {"C": Float(1e-2, 1e2, log=True), "intercept_scaling": Float(1e-2, 1e2, log=True)}


def _linear_reg(tol_low: float) -> dict[str, Parameter]:
    """Bayesmark's Lasso / Ridge space (without the removed ``normalize``)."""
    return {
        "alpha": Float(1e-2, 1e2, log=True),
        "fit_intercept": Categorical([False, True]),
        "max_iter": Int(10, 5000, log=True),
        "tol": Float(tol_low, 1e-1, log=True),
    }


SPACES: dict[str, dict[str, dict[str, Parameter]]] = {
    # model -> {"clf": space, "reg": space}
    "knn": dict.fromkeys(("clf", "reg"), {"n_neighbors": Int(1, 25), "p": Int(1, 4)}),
    "svm": dict.fromkeys(
        ("clf", "reg"),
        {
            "C": Float(1.0, 1e3, log=True),
            "gamma": Float(1e-4, 1e-3, log=True),
            "tol": Float(1e-5, 1e-1, log=True),
        },
    ),
    "dt": dict.fromkeys(("clf", "reg"), _TREE),
    "rf": dict.fromkeys(("clf", "reg"), _TREE),
    "mlp": dict.fromkeys(
        ("clf", "reg"),
        {
            "hidden_layer_sizes": Int(50, 200),
            "alpha": Float(1e-5, 1e1, log=True),
            "batch_size": Int(10, 250),
            "learning_rate_init": Float(1e-5, 1e-1, log=True),
            "tol": Float(1e-5, 1e-1, log=True),
            "validation_fraction": Float(0.1, 0.9),
            "beta_1": Float(0.5, 0.99),
            "beta_2": Float(0.9, 1.0 - 1e-6),
            "epsilon": Float(1e-9, 1e-6, log=True),
        },
    ),
    "ada": dict.fromkeys(
        ("clf", "reg"),
        {"n_estimators": Int(10, 100), "learning_rate": Float(1e-4, 1e1, log=True)},
    ),
    "lasso": {
        "clf": _LINEAR_CLF,
        "reg": {**_linear_reg(1e-5), "positive": Categorical([False, True])},
    },
    "linear": {"clf": _LINEAR_CLF, "reg": _linear_reg(1e-4)},
}
MODELS = tuple(SPACES)


def _estimator(model: str, kind: str, params: dict[str, Any]) -> Any:
    """Bayesmark's estimator for ``model`` with its fixed settings and ``params``."""
    from sklearn import ensemble, linear_model, neighbors, neural_network, svm, tree
    from sklearn.multiclass import OneVsRestClassifier

    clf = kind == "clf"
    seeded = {"random_state": 0}  # a deterministic objective: same params, same loss
    if model == "knn":
        cls = neighbors.KNeighborsClassifier if clf else neighbors.KNeighborsRegressor
        return cls(**params)
    if model == "svm":
        return svm.SVC(probability=True, **params, **seeded) if clf else svm.SVR(**params)
    if model == "dt":
        cls = tree.DecisionTreeClassifier if clf else tree.DecisionTreeRegressor
        return cls(**params, **seeded)
    if model == "rf":
        cls = ensemble.RandomForestClassifier if clf else ensemble.RandomForestRegressor
        return cls(n_estimators=10, n_jobs=1, **params, **seeded)
    if model == "mlp":
        cls = neural_network.MLPClassifier if clf else neural_network.MLPRegressor
        return cls(solver="adam", early_stopping=True, **params, **seeded)
    if model == "ada":
        cls = ensemble.AdaBoostClassifier if clf else ensemble.AdaBoostRegressor
        return cls(**params, **seeded)
    if clf:  # lasso / linear: one-vs-rest liblinear logistic regression, L1 / L2
        l1 = 1.0 if model == "lasso" else 0.0
        return OneVsRestClassifier(
            linear_model.LogisticRegression(solver="liblinear", l1_ratio=l1, **params, **seeded)
        )
    if model == "lasso":
        return linear_model.Lasso(**params, **seeded)
    return linear_model.Ridge(solver="auto", **params, **seeded)


@functools.lru_cache(maxsize=8)
def _data(dataset: str) -> tuple[Any, Any, Any]:
    """Standardised 80 % split (Bayesmark's) and its fixed CV folds."""
    from sklearn import datasets
    from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    if dataset in REGRESSION:
        y = (y - y.mean()) / y.std()
    X, _, y, _ = train_test_split(X, y, test_size=0.2, random_state=0, shuffle=True)
    folds = (KFold if dataset in REGRESSION else StratifiedKFold)(
        CV_FOLDS, shuffle=True, random_state=0
    )
    return X, y, list(folds.split(X, y))


def _loss_fn(model: str, dataset: str) -> Callable[[dict[str, Any]], float]:
    from sklearn.base import clone
    from sklearn.metrics import log_loss, mean_squared_error

    kind = "reg" if dataset in REGRESSION else "clf"
    X, y, folds = _data(dataset)
    labels = np.unique(y)

    def loss(params: dict[str, Any]) -> float:
        est = _estimator(model, kind, params)
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence notices: BO tries odd settings
            for train, test in folds:
                fitted = clone(est).fit(X[train], y[train])
                if kind == "clf":
                    proba = fitted.predict_proba(X[test])
                    out.append(log_loss(y[test], proba, labels=labels))
                else:
                    out.append(mean_squared_error(y[test], fitted.predict(X[test])))
        value = float(np.mean(out))
        # a diverged regressor (huge or NaN MSE) is a very bad configuration, not a crash
        return value if np.isfinite(value) else 1e6

    return loss


def _plain(space: dict[str, Parameter], params: Any) -> dict[str, Any]:
    """Python scalars (samplers may hand numpy ones) in the space's order: the memo key."""
    out: dict[str, Any] = {}
    for k, p in space.items():
        v = params[k]
        out[k] = v if isinstance(p, Categorical) else (int(v) if isinstance(p, Int) else float(v))
    return out


def reference() -> dict[str, dict[str, Any]]:
    """The stored reference (empty if it has not been computed)."""
    if SKLEARN_REFERENCE.exists():
        data: dict[str, dict[str, Any]] = json.loads(SKLEARN_REFERENCE.read_text())
        return data
    return {}


def sklearn_problem(model: str, dataset: str) -> Any:
    """Build ``sklearn_<model>_<dataset>`` as a :class:`problems.Problem`."""
    from problems import Problem

    if model not in SPACES or dataset not in DATASETS:
        raise ValueError(
            f"sklearn problem: model must be one of {list(SPACES)} and dataset one of "
            f"{list(DATASETS)}; got {model!r}, {dataset!r}."
        )
    kind = "reg" if dataset in REGRESSION else "clf"
    space = dict(SPACES[model][kind])
    loss = _loss_fn(model, dataset)
    memo: dict[tuple[Any, ...], float] = {}  # integer spaces (kNN) revisit configurations

    def value(params: Any) -> float:
        plain = _plain(space, params)
        key = tuple(plain.values())
        if key not in memo:
            memo[key] = loss(plain)
        return memo[key]

    name = f"sklearn_{model}_{dataset}"
    ref = reference().get(name, {})
    what = "5-fold CV log-loss" if kind == "clf" else "5-fold CV MSE of the standardised target"
    return Problem(
        name=name,
        family="sklearn",
        space=space,
        objective=lambda params, seed: value(params),
        true_value=value,
        best_value=None,
        random_mean=ref.get("random_mean"),
        noisy=False,
        description=(
            f"Bayesmark-style {model} on scikit-learn's {dataset}: {what} (deterministic). Best "
            "value unknown: reports use the lower of the best of "
            f"{ref.get('n', N_REFERENCE)} random configurations "
            f"({ref.get('best', float('nan')):.6g}, sklearn_reference.json) and the best any "
            "sampler reached in the run."
        ),
    )


def sklearn_names(models: tuple[str, ...] = MODELS) -> list[str]:
    """Problem names for the given models on every dataset."""
    return [f"sklearn_{m}_{d}" for d in DATASETS for m in models]


def write_reference(names: list[str], n: int = N_REFERENCE) -> None:
    """Evaluate ``n`` random configurations per problem; store best, mean and cost per eval."""
    from lanas_sampler import SearchSpace

    data = reference()
    for name in names:
        m = SKLEARN_RE.match(name)
        assert m is not None, name
        p = sklearn_problem(m.group(1), m.group(2))
        ss = SearchSpace(p.space)
        rng = np.random.default_rng(12345)
        start = time.perf_counter()
        values = [p.true_value(ss.decode(x)) for x in rng.random((n, ss.dim))]
        data[name] = {
            "best": float(np.min(values)),
            "random_mean": float(np.mean(values)),
            "n": n,
            "seconds_per_eval": (time.perf_counter() - start) / n,
        }
        print(
            f"{name}: best {data[name]['best']:.4g}, mean {data[name]['random_mean']:.4g}, "
            f"{data[name]['seconds_per_eval'] * 1e3:.1f} ms/eval",
            flush=True,
        )
        SKLEARN_REFERENCE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    write_reference(sys.argv[1:] or sklearn_names())
