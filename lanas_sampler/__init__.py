"""lanas-sampler: LaNAS / LA-MCTS learned search-space partitioning for hyperparameter search.

The core (:class:`LaNAS` and the parameter types) needs numpy, scipy and scikit-learn only,
and threadpoolctl (which scikit-learn installs; declared because the core imports its
``ThreadpoolController``, new in 3.0).
The framework adapters are imported lazily on first access (PEP 562), so ``import
lanas_sampler`` never imports Optuna or Nevergrad.
"""

from __future__ import annotations

from typing import Any

from ._optimizer import AskInfo, LaNAS
from ._space import Categorical, Float, Int, SearchSpace

__version__ = "0.1.0"

__all__ = ["AskInfo", "Categorical", "Float", "Int", "LaNAS", "SearchSpace", "__version__"]

# name -> module that defines it, imported on first access
_LAZY = {
    "LaNASSampler": "lanas_sampler.integrations.optuna",
    "ParametrizedLaNAS": "lanas_sampler.integrations.nevergrad",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lanas_sampler' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_LAZY])
