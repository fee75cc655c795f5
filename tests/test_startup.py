"""Start-up on a database that cannot be opened: one readable line, a non-zero exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TOKEN
from tests.engines import Cluster


def start(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "NASTAVNIK_CONFIG": str(tmp_path / "absent.toml"),
        "NASTAVNIK_BOT_API_SERVER": "http://127.0.0.1:9",
        **{f"NASTAVNIK_DATABASE_{key.upper()}": value for key, value in settings.items()},
    }
    return subprocess.run(
        [sys.executable, "-m", "app"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def the_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [text for text in result.stderr.splitlines() if "базу данных" in text]
    return line


def test_missing_directory_names_the_path_and_the_cause(tmp_path: Path) -> None:
    line = the_line(start(tmp_path, path=str(tmp_path / "no-such-dir" / "bot.db")))
    assert f"{tmp_path / 'no-such-dir' / 'bot.db'}" in line and "no directory" in line


def test_a_directory_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "bot.db").mkdir()
    line = the_line(start(tmp_path, path=str(tmp_path / "bot.db")))
    assert "bot.db" in line and "Is a directory" in line


def test_postgresql_that_is_not_there(tmp_path: Path) -> None:
    line = the_line(start(tmp_path, url="postgresql://nastavnik:secret@127.0.0.1:9/nastavnik"))
    assert "127.0.0.1:9/nastavnik" in line and "secret" not in line
    assert "refused" in line.lower() or "connect" in line.lower()


def test_postgresql_with_a_wrong_password(tmp_path: Path, postgres: Cluster) -> None:
    postgres.psql("DROP ROLE IF EXISTS strict_role")
    postgres.psql("CREATE ROLE strict_role LOGIN PASSWORD 'right'")
    url = f"postgresql://strict_role:wrong@127.0.0.1:{postgres.port}/postgres"
    line = the_line(start(tmp_path, url=url))
    assert f"127.0.0.1:{postgres.port}/postgres" in line and "wrong" not in line
    assert "password authentication failed" in line


def test_postgresql_database_that_does_not_exist(tmp_path: Path, postgres: Cluster) -> None:
    line = the_line(start(tmp_path, url=postgres.url("no_such_database")))
    assert "no_such_database" in line and "does not exist" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file")
def test_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.touch(mode=0o400)
    line = the_line(start(tmp_path, path=str(path)))
    assert "bot.db" in line and "Permission denied" in line
