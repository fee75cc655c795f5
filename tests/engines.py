"""The database engines the tests run on: SQLite always, PostgreSQL whenever a server binary
is on the machine (a throw-away cluster started by the tests in a temporary directory).

`.ci/run` installs the server, so CI always runs the PostgreSQL half; elsewhere, without a
server, those tests are skipped with a reason naming what is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.db import Database, PostgresDatabase

ENGINES = ["sqlite", "postgresql"]
# For a module: `pytestmark = BOTH_ENGINES` runs every test taking `db` on each engine.
BOTH_ENGINES = pytest.mark.parametrize("db", ENGINES, indirect=True)
# For a test about SQLite itself (its query plan, a crash it cannot tell from a live worker),
# also when the suite runs with PostgreSQL as every test's database.
SQLITE_ONLY = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


async def reopen(db: Database) -> Database:
    """A second connection to the same database, as a restarted process would open it."""
    if isinstance(db, PostgresDatabase):
        return await Database.connect(db.url)
    assert db.path is not None
    return await Database.open(db.path)


def server_bin() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian layout), or one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=_version)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("postgres") or shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _version(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


SKIP_REASON = (
    "PostgreSQL half skipped: no server binary (postgres) found in /usr/lib/postgresql/*/bin"
    " or on PATH; install postgresql (apt-get install postgresql) to run it"
)


@dataclass
class Cluster:
    """A PostgreSQL cluster owned by the tests, reached over a Unix socket in its folder."""

    folder: Path
    port: int
    run_as: str | None

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        assert (bin_dir := server_bin()) is not None
        command = [str(bin_dir / "psql"), "-h", str(self.folder), "-p", str(self.port)]
        command += ["-U", "postgres", "-d", database, "-Atqc", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def restart(self) -> None:
        """A fast restart: every open connection is cut, as when the server is restarted."""
        assert (bin_dir := server_bin()) is not None
        command = [str(bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w"]
        command += ["-l", str(self.folder / "log"), "restart"]
        subprocess.run(_as_user(self.run_as, command), check=True, capture_output=True)


def _as_user(user: str | None, command: list[str]) -> list[str]:
    # The server refuses to run as root: run it as the postgres system user then.
    return ["runuser", "-u", user, "--", *command] if user else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def cluster(durable: bool = False) -> Iterator[Cluster]:
    """A throw-away cluster; `durable` keeps fsync on, as a production server runs (the
    benchmarks), where the tests turn it off."""
    bin_dir = server_bin()
    if bin_dir is None:
        if os.environ.get("NASTAVNIK_TEST_POSTGRES") == "required":
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam("postgres").pw_name
        except KeyError:
            pytest.skip("PostgreSQL half skipped: running as root and no 'postgres' user")
    folder = Path(tempfile.mkdtemp(prefix="nastavnik-pg-"))
    data = folder / "data"
    if run_as:
        shutil.chown(folder, run_as)
    port = _free_port()
    # The tests reach it over its socket without a password; over TCP it asks for one.
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres"]
    initdb += ["--auth-local=trust", "--auth-host=scram-sha-256"]
    initdb += ["-E", "UTF8", "--no-locale", "--no-sync"]
    subprocess.run(_as_user(run_as, initdb), check=True, capture_output=True)
    # fsync off: a test cluster need not survive a power loss, and it makes CI fast.
    options = f"-k {folder} -p {port} -c listen_addresses=127.0.0.1"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l"]
    start += [str(folder / "log"), "start"]
    subprocess.run(_as_user(run_as, start), check=True, capture_output=True)
    try:
        yield Cluster(folder, port, run_as)
    finally:
        stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_user(run_as, stop), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
