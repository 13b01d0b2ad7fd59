"""Shared fixtures: a throw-away PostgreSQL server for the storage tests.

The server binaries come from the system (Debian/Ubuntu: ``apt-get install postgresql`` puts
them in ``/usr/lib/postgresql/<version>/bin``). Tests marked ``postgres`` FAIL when they are
missing, so that CI cannot silently skip them; set ``LANAS_SKIP_POSTGRES=1`` to skip instead.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_PG_GLOB = "/usr/lib/postgresql/*/bin/initdb"


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
