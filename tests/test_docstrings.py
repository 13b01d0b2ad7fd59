"""The examples in the library's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lanas_sampler

MODULES = sorted(
    f"lanas_sampler.{info.name}"
    for info in pkgutil.iter_modules(lanas_sampler.__path__)
    if info.name != "integrations"
) + ["lanas_sampler.integrations.optuna", "lanas_sampler.integrations.nevergrad"]


# The modules whose public classes show examples (the others' helpers have none).
WITH_EXAMPLES = {
    "lanas_sampler._gp",
    "lanas_sampler._optimizer",
    "lanas_sampler._space",
    "lanas_sampler.integrations.optuna",
    "lanas_sampler.integrations.nevergrad",
}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
    assert (result.attempted > 0) == (name in WITH_EXAMPLES), (name, result.attempted)
