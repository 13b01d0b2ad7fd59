"""Shared fixtures: a throw-away PostgreSQL server for the storage tests, a record of the
local GP's fits, the example scripts imported as modules; Hypothesis's profile.

The server binaries come from the system (Debian/Ubuntu: ``apt-get install postgresql`` puts
them in ``/usr/lib/postgresql/<version>/bin``). Tests marked ``postgres`` FAIL when they are
missing, so that CI cannot silently skip them; set ``LANAS_SKIP_POSTGRES=1`` to skip instead.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import settings

# The property tests draw the same examples on every run unless HYPOTHESIS_PROFILE=explore:
# a rare counterexample should fail a developer's exploring run, not turn CI red at random.
settings.register_profile("derandomized", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))

_PG_GLOB = "/usr/lib/postgresql/*/bin/initdb"


@pytest.fixture
def non_default_core_options() -> dict[str, Any]:
    """A value of every core option other than its default (``LaNAS``'s keyword arguments
    that the adapters pass on), to check that each reaches the core."""
    return {
        "split": "linear",
        "labeler": "kmeans",
        "local_solver": "turbo",
        "leaf_size": 7,
        "max_depth": 3,
        "exploration": 0.25,
        "gp_fit": "likelihood",
    }


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def load_example(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Any]:
    """``examples/<script>`` imported as a module of its own name, for this test only."""

    def load(script: str) -> Any:
        path = EXAMPLES / script
        monkeypatch.syspath_prepend(str(path.parent))  # the distributed scripts import common
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        example = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, path.stem, example)  # dataclasses, pickle look it up
        spec.loader.exec_module(example)
        return example

    return load


class GPFitCall(NamedTuple):
    gp: Any  # the GaussianProcess fitted
    X: np.ndarray
    y: np.ndarray
    options: dict[str, Any]


@pytest.fixture
def gp_fits(monkeypatch: pytest.MonkeyPatch) -> list[GPFitCall]:
    """Every ``GaussianProcess.fit`` call of the test, in order (the fit itself unchanged)."""
    from lanas_sampler._gp import GaussianProcess

    calls: list[GPFitCall] = []
    fit = GaussianProcess.fit

    def recorded(self: GaussianProcess, X: np.ndarray, y: np.ndarray, **options: Any) -> Any:
        calls.append(GPFitCall(self, X.copy(), y.copy(), options))
        return fit(self, X, y, **options)

    monkeypatch.setattr(GaussianProcess, "fit", recorded)
    return calls


def _postgres_bindir() -> Path | None:
    """The bin directory of the newest installed PostgreSQL server, if any."""
    candidates = [Path(p).parent for p in glob.glob(_PG_GLOB)]
    candidates = [d for d in candidates if (d / "pg_ctl").exists()]

    def version(bindir: Path) -> tuple[int, ...]:
        name = bindir.parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    return max(candidates, key=version) if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Start a private PostgreSQL server on a free localhost port; yield a SQLAlchemy URL."""
    bindir = _postgres_bindir()
    if bindir is None:
        message = (
            f"PostgreSQL server binaries not found ({_PG_GLOB} and pg_ctl). Install them "
            "(apt-get install -y postgresql) or set LANAS_SKIP_POSTGRES=1 to skip these tests."
        )
        if os.environ.get("LANAS_SKIP_POSTGRES") == "1":
            pytest.skip(message)
        pytest.fail(message)

    # The server refuses to run as root: run it as the `postgres` system user, in a directory
    # that user owns.
    as_postgres = os.geteuid() == 0

    def command(args: list[str]) -> list[str]:
        if not as_postgres:
            return args
        if shutil.which("runuser"):
            return ["runuser", "-u", "postgres", "--", *args]
        return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(args)]

    workdir = Path(tempfile.mkdtemp(prefix="lanas-pg-"))
    if as_postgres:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(workdir, ignore_errors=True)
            pytest.fail("Running as root but there is no `postgres` user to run the server.")
        os.chown(workdir, user.pw_uid, user.pw_gid)

    data, log = workdir / "data", workdir / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run(command(list(args)), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            pytest.fail(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}\n{server_log}")

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    options = f"-p {port} -k {workdir} -h 127.0.0.1 -c fsync=off -c max_connections=100"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        run(
            str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
            "lanas_test",
        )  # fmt: skip
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/lanas_test"
    finally:
        subprocess.run(
            command([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(workdir, ignore_errors=True)
