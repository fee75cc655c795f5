"""Command line: `nastavnik-bot [--config PATH]` runs the bot;
`nastavnik-bot backup [--to FOLDER] [--keep N]` makes an online backup of the database;
`nastavnik-bot migrate-to-postgres --from PATH.db --to postgresql://...` copies a SQLite
database into an empty PostgreSQL one."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from aiogram.exceptions import TelegramUnauthorizedError

from app.assembly import run
from bot.core import logs
from bot.core.config import ConfigError, load_settings
from storage.backup import backup
from storage.copy import CopiedTable, CopyRefusedError, copy_database
from storage.db import Database, DatabaseUnavailableError, SchemaTooNewError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nastavnik-bot", description="nastavnik-bot")
    parser.add_argument(
        "command", nargs="?", choices=("run", "backup", "migrate-to-postgres"), default="run"
    )
    parser.add_argument("--config", type=Path, default=None, help="path to config.toml")
    parser.add_argument("--from", dest="source", type=Path, help="SQLite file to copy")
    parser.add_argument(
        "--to", default="backups", help="backup folder, or the postgresql:// URL to copy into"
    )
    parser.add_argument("--keep", type=int, default=14, help="backups to keep")
    args = parser.parse_args(argv)
    logs.configure()
    if args.command == "migrate-to-postgres":
        return _migrate_to_postgres(args.source, args.to)
    try:
        settings = load_settings(args.config, require_token=args.command == "run")
    except ConfigError as error:
        print(error, file=sys.stderr)  # noqa: T201
        return 2
    if args.command == "backup":
        made = asyncio.run(
            backup(settings.database.path, Path(args.to), args.keep, datetime.now(UTC))
        )
        print(made)  # noqa: T201
        return 0
    try:
        asyncio.run(run(settings))
    except DatabaseUnavailableError as error:
        print(f"Не удалось открыть базу данных / {error}", file=sys.stderr)  # noqa: T201
        return 4
    except SchemaTooNewError as error:
        print(  # noqa: T201
            "База данных создана более новой версией бота; обновите бота.\n"
            f"The database was created by a newer version of the bot; upgrade it. ({error})",
            file=sys.stderr,
        )
        return 3
    except TelegramUnauthorizedError:
        print(  # noqa: T201
            "Telegram не принял токен из BOT_TOKEN: проверьте его у @BotFather.\n"
            "Telegram rejected the BOT_TOKEN: check it with @BotFather.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def _migrate_to_postgres(source: Path | None, url: str) -> int:
    if source is None or not url.startswith(("postgresql://", "postgres://")):
        print(  # noqa: T201
            "Укажите --from ПУТЬ.db и --to postgresql://... /"
            " give --from PATH.db and --to postgresql://...",
            file=sys.stderr,
        )
        return 2
    if not source.is_file():
        print(f"Нет файла базы данных / no database file: {source}", file=sys.stderr)  # noqa: T201
        return 4

    async def copy() -> list[CopiedTable]:
        sqlite = await Database.open(source)
        try:
            postgres = await Database.connect(url)
            try:
                return await copy_database(sqlite, postgres)
            finally:
                await postgres.close()
        finally:
            await sqlite.close()

    try:
        copied = asyncio.run(copy())
    except DatabaseUnavailableError as error:
        print(f"Не удалось открыть базу данных / {error}", file=sys.stderr)  # noqa: T201
        return 4
    except CopyRefusedError as error:
        print(f"Копирование отменено / copy refused: {error}", file=sys.stderr)  # noqa: T201
        return 5
    for table in copied:
        print(f"{table.name}: {table.rows}")  # noqa: T201
    print(f"copied {sum(t.rows for t in copied)} rows in {len(copied)} tables")  # noqa: T201
    return 0
