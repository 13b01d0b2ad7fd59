"""Every code block of README.md runs.

Python blocks run as scripts in a fresh interpreter. The two set-up commands (bash blocks) run in
a shell whose ``pip`` checks that the requested extras exist and are installed (it installs
nothing: the test environment already is the installed project), whose ``python`` runs examples
in their ``--smoke`` mode, and whose ``pytest`` only collects (running the whole suite from inside
the suite would recurse; CI runs the real command). BibTeX blocks are checked for well-formed
entries.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import optuna
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)

PIP_SHIM = """\
#!{python}
import sys, tomllib
from importlib.metadata import PackageNotFoundError, version
from packaging.requirements import Requirement

args = sys.argv[1:]
assert args[:2] == ["install", "-e"], f"unexpected pip command: {{args}}"
target = args[2]
assert target.startswith(".[") and target.endswith("]"), f"unexpected target {{target!r}}"
extras = target[2:-1].split(",")
optional = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]

def requirements(extra):
    if extra not in optional:
        sys.exit(f"unknown extra {{extra!r}}; pyproject.toml has {{sorted(optional)}}")
    for spec in optional[extra]:
        req = Requirement(spec)
        if req.name == "lanas-sampler":
            for inner in sorted(req.extras):
                yield from requirements(inner)
        else:
            yield req

for req in (r for extra in extras for r in requirements(extra)):
    try:
        installed = version(req.name)
    except PackageNotFoundError:
        sys.exit(f"{{req.name}} (extra requirement) is not installed")
    if installed not in req.specifier:
        sys.exit(f"{{req.name}} {{installed}} does not satisfy {{req}}")
print("pip shim: requirements of", extras, "satisfied")
"""

PYTHON_SHIM = """\
#!/bin/sh
# Examples run in their fast mode; everything else is the real interpreter.
case "$1" in
    examples/*) exec {python} "$@" --smoke ;;
    *) exec {python} "$@" ;;
esac
"""

PYTEST_SHIM = """\
#!/bin/sh
exec {python} -m pytest --collect-only -q -p no:cacheprovider "$@"
"""


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text()) if lang == language]


def test_readme_has_only_blocks_we_run() -> None:
    languages = {lang for lang, _ in FENCE.findall(README.read_text())}
    assert languages <= {"python", "bash", "bibtex"}, languages
    assert len(blocks("bash")) == 2  # the two set-up commands: the main job and the tests


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """A working directory that looks like the checkout, with shims first on PATH."""
    for name in ("examples", "tests", "pyproject.toml", "lanas_sampler", "integrations"):
        (tmp_path / name).symlink_to(ROOT / name)
    bin_dir = tmp_path / "_bin"
    bin_dir.mkdir()
    for name, text in (("pip", PIP_SHIM), ("python", PYTHON_SHIM), ("pytest", PYTEST_SHIM)):
        shim = bin_dir / name
        shim.write_text(text.format(python=sys.executable))
        shim.chmod(0o755)
    return tmp_path


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_block_runs(index: int, tmp_path: Path) -> None:
    code = blocks("python")[index]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"README python block {index}:\n{code}\n{result.stderr}"
    assert result.stdout.strip(), "every README example prints its result"


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(blocks("bash"))))
def test_setup_command_runs(index: int, sandbox: Path) -> None:
    command = blocks("bash")[index].strip()
    env = {"PATH": f"{sandbox / '_bin'}:/usr/bin:/bin", "HOME": str(sandbox)}
    result = subprocess.run(
        ["bash", "-c", command], cwd=sandbox, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "pip shim: requirements of" in result.stdout
    if index == 0:  # the main job (here in --smoke, which keeps to a study of its own)
        assert "python examples/pytorch_nas.py" in command
        study = optuna.load_study(
            study_name="lanas-pytorch-nas-smoke",
            storage=f"sqlite:///{sandbox / 'lanas_nas_smoke.db'}",
        )
        assert any(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)
        assert not (sandbox / "lanas_nas.db").exists()  # the real study is left alone


def test_main_job_stores_its_study_in_the_sqlite_file_the_readme_names(
    load_example: Callable[[str], Any],
) -> None:
    main_job = load_example("pytorch_nas.py")
    default = main_job.parse_args([])
    assert default.storage == "sqlite:///lanas_nas.db" and "(`lanas_nas.db`" in README.read_text()
    assert main_job.parse_args(["--smoke"]).storage != default.storage


def test_bibtex_entries_are_well_formed() -> None:
    (bib,) = blocks("bibtex")
    entries = re.findall(r"@(\w+)\{(\w+),(.*?)\n\}", bib, re.DOTALL)
    assert len(entries) == 2
    for kind, key, body in entries:
        assert kind in {"article", "inproceedings"}, key
        fields = dict(re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?$", body, re.MULTILINE))
        assert {"title", "author", "year"} <= set(fields), (key, fields)
        assert body.count("{") == body.count("}"), key
    assert textwrap.dedent(bib).count("arXiv:") == 2
