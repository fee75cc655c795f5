"""Command line: `nastavnik-bot [--config PATH]` runs the bot;
`nastavnik-bot backup [--to FOLDER] [--keep N]` makes an online backup of the database."""

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
from storage.db import DatabaseUnavailableError, SchemaTooNewError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nastavnik-bot", description="nastavnik-bot")
    parser.add_argument("command", nargs="?", choices=("run", "backup"), default="run")
    parser.add_argument("--config", type=Path, default=None, help="path to config.toml")
    parser.add_argument("--to", type=Path, default=Path("backups"), help="backup folder")
    parser.add_argument("--keep", type=int, default=14, help="backups to keep")
    args = parser.parse_args(argv)
    logs.configure()
    try:
        settings = load_settings(args.config, require_token=args.command == "run")
    except ConfigError as error:
        print(error, file=sys.stderr)  # noqa: T201
        return 2
    if args.command == "backup":
        made = asyncio.run(backup(settings.database.path, args.to, args.keep, datetime.now(UTC)))
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
