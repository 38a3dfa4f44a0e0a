"""A real PostgreSQL server for the tests: Debian's ``postgresql`` package (``apt-get install -y
postgresql``; ``.ci/run`` installs it), started and stopped by the tests themselves.

The server refuses to run as root, so ``initdb`` and ``pg_ctl`` run as the ``postgres`` user
through ``runuser``; its data folder and its Unix socket live in a temporary folder that user
can write to, and it listens on 127.0.0.1 on a free port (never on a public address). Each test
gets a database of its own (:func:`postgres_url`); the server lasts the session and is stopped
with ``pg_ctl -m fast stop``, which ends only the server this module started.

When the server cannot start the tests that need it fail, with the reason; they are skipped
only when the tests do not run as root (``runuser`` needs root), and say so.
"""

from __future__ import annotations

import glob
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "newslens"
SERVER_USER = "postgres"


def server_binaries() -> Path | None:
    """The folder of the newest installed PostgreSQL's programs, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One PostgreSQL server in a temporary folder; :meth:`start`, :meth:`create_database`,
    :meth:`stop`.

    Args:
        binaries: the folder holding ``initdb``, ``pg_ctl`` and ``postgres``.
    """

    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.password = secrets.token_hex(16)
        self.port = 0
        self.root = Path(tempfile.mkdtemp(prefix="newslens-pg-"))
        # The server runs as another user: it must be able to write its data and socket here.
        self.root.chmod(0o777)
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.socket_dir.mkdir(mode=0o777)
        self.socket_dir.chmod(0o777)
        self.started = False
        self._names = itertools.count(1)

    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        command = ["runuser", "-u", SERVER_USER, "--", str(self.binaries / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise RuntimeError(
                f"{program} failed (exit {done.returncode}): {(done.stderr or done.stdout)[-2000:]}"
            )

    def start(self) -> PostgresServer:
        """Create the cluster (a superuser :data:`USER` with a random password) and start it
        on a free loopback port; returns the server."""
        pwfile = self.root / "pw"
        pwfile.write_text(self.password, encoding="utf-8")
        pwfile.chmod(0o644)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "-A",
            "md5",
            f"--pwfile={pwfile}",
            "--encoding=UTF8",
            "--locale=C",
        )
        pwfile.unlink()
        self.port = _free_port()
        # A server for tests: nothing in it needs to survive a power cut, so it skips the
        # flushes to disk that make it durable.
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _admin(self):
        import psycopg

        dsn = (
            f"host=127.0.0.1 port={self.port} user={USER} password={self.password} dbname=postgres"
        )
        return psycopg.connect(dsn, autocommit=True)

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"test_{next(self._names)}"
        with self._admin() as connection:
            # A file copy of the template is the quicker way for a small database.
            connection.execute(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database`, ending its sessions (a test's
        connection pools may still hold some)."""
        name = url.rsplit("/", 1)[1]
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server this object started (if it did) and delete its folder."""
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session (see the module docstring)."""
    if os.geteuid() != 0:
        pytest.skip(
            "PostgreSQL tests start a server as the 'postgres' user through runuser, which "
            "needs root: run the tests as root (as CI does)"
        )
    binaries = server_binaries()
    if binaries is None:
        pytest.fail(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): "
            "apt-get install -y postgresql",
            pytrace=False,
        )
    server = PostgresServer(binaries)
    try:
        server.start()
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as error:
        server.stop()
        pytest.fail(f"PostgreSQL could not start: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database for one test (dropped after it)."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)
