"""Optuna's own sampler contract tests (``optuna.testing.pytest_samplers``), per configuration.

Every shipped combination of ``split`` and ``local_solver`` (and the other labeler) runs the
full suite. ``n_startup_trials=1`` makes the tests reach the LaNAS model instead of only the
independent start-up sampler (the core needs two observations to build its tree).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from optuna.samplers import BaseSampler
from optuna.testing.pytest_samplers import (
    BasicSamplerTestCase,
    RelativeSamplerTestCase,
    SingleOnlySamplerTestCase,
)

from lanas_sampler.integrations.optuna import LaNASSampler


class _Contract(BasicSamplerTestCase, RelativeSamplerTestCase, SingleOnlySamplerTestCase):
    options: dict[str, Any] = {}

    @pytest.fixture
    def sampler(self) -> Callable[[], BaseSampler]:
        return lambda: LaNASSampler(n_startup_trials=1, **self.options)


class TestDefault(_Contract):
    options: dict[str, Any] = {}


class TestKernelBO(_Contract):
    options = {"split": "kernel", "local_solver": "bo"}


class TestKernelTurbo(_Contract):
    options = {"split": "kernel", "local_solver": "turbo"}


class TestKernelUniform(_Contract):
    options = {"split": "kernel", "local_solver": "uniform"}


class TestLinearBO(_Contract):
    options = {"split": "linear", "local_solver": "bo"}


class TestLinearTurbo(_Contract):
    options = {"split": "linear", "local_solver": "turbo"}


class TestLinearUniform(_Contract):
    options = {"split": "linear", "local_solver": "uniform"}


class TestKmeansLabeler(_Contract):
    options = {"labeler": "kmeans"}
