"""Typed settings from a TOML file, overridable by environment variables.

The bot token comes only from the environment (BOT_TOKEN). Every other key may be set in the
file or as NASTAVNIK_<SECTION>_<KEY> (e.g. NASTAVNIK_DATABASE_PATH). A missing or bad value
raises ConfigError naming the key, in Russian and English.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_SERVER = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")


class ConfigError(ValueError):
    def __init__(self, key: str, problem_ru: str, problem_en: str) -> None:
        self.key = key
        super().__init__(
            f"Ошибка настройки «{key}»: {problem_ru}\nConfiguration error in '{key}': {problem_en}"
        )


@dataclass(frozen=True)
class DatabaseSettings:
    path: Path = Path("nastavnik.db")
    busy_timeout_ms: int = 5000
    # "postgresql://user:password@host/db" selects PostgreSQL; empty means SQLite at `path`.
    url: str = ""
    # SQLite in WAL mode: FULL survives a power loss; NORMAL may lose the last commits.
    synchronous: Literal["FULL", "NORMAL"] = "FULL"


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)


@dataclass(frozen=True)
class WebhookSettings:
    url: str = ""
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    path: str = "/telegram/webhook"
    secret_token: str = ""


@dataclass(frozen=True)
class OutboxSettings:
    rate_per_second: float = 25.0
    per_chat_interval_seconds: float = 1.0
    tick_seconds: float = 1.0
    batch_size: int = 50
    max_backoff_seconds: float = 600.0


@dataclass(frozen=True)
class MeetingSettings:
    reminder_hours: tuple[int, ...] = (24, 1)
    # Repeat reminders about missing feedback, days after the first request.
    feedback_chaser_days: tuple[int, ...] = (1, 3)
    nudge_after_days: int = 14
    risk_after_days: int = 21


@dataclass(frozen=True)
class BackupSettings:
    folder: Path = Path("backups")
    keep: int = 14
    # Daily, at this hour of the default time zone.
    hour: int = 3


@dataclass(frozen=True)
class PairSettings:
    # Curators are reminded of mentees who have waited this many days for a mentor.
    waiting_reminder_days: int = 14


@dataclass(frozen=True)
class InviteSettings:
    curator_ttl_hours: int = 72
    coordinator_ttl_hours: int = 72
    teacher_ttl_days: int = 60


@dataclass(frozen=True)
class ThrottleSettings:
    burst: int = 10
    per_second: float = 2.0


@dataclass(frozen=True)
class Settings:
    token: str
    admins: frozenset[int]
    timezone: ZoneInfo
    api_server: str = DEFAULT_API_SERVER
    mode: str = "polling"
    # Updates handled at the same time (in webhook mode Telegram's max_connections, at most
    # 100); the rest wait in Telegram's queue, so a burst neither piles up tasks in memory nor
    # starves the replies already in progress.
    max_concurrent_updates: int = 200
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    invites: InviteSettings = field(default_factory=InviteSettings)
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    pairs: PairSettings = field(default_factory=PairSettings)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)


def load_settings(
    path: Path | None, environ: Mapping[str, str] | None = None, *, require_token: bool = True
) -> Settings:
    env = os.environ if environ is None else environ
    config_path = path or Path(env.get("NASTAVNIK_CONFIG", "config.toml"))
    raw: dict[str, Any] = {}
    if config_path.exists():
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(
                str(config_path),
                f"файл не читается как TOML ({error})",
                f"not valid TOML ({error})",
            ) from error
    elif path is not None:
        raise ConfigError(str(config_path), "файл не найден", "file not found")
    reader = _Reader(raw, env)

    token = env.get("BOT_TOKEN", "").strip()
    if not require_token and not token:
        token = "0000000:offline-commands-need-no-token-aaaaaaaaaa"
    if not token:
        raise ConfigError(
            "BOT_TOKEN",
            "задайте токен бота от @BotFather в переменной окружения BOT_TOKEN",
            "set the bot token from @BotFather in the BOT_TOKEN environment variable",
        )
    if not _TOKEN_RE.match(token):
        raise ConfigError(
            "BOT_TOKEN",
            "токен не похож на токен от @BotFather (123456:ABC...)",
            "does not look like a token from @BotFather (123456:ABC...)",
        )

    mode = reader.text("bot", "mode", "polling")
    if mode not in ("polling", "webhook"):
        raise ConfigError(
            "bot.mode", "ожидается polling или webhook", "expected polling or webhook"
        )
    webhook = WebhookSettings(
        url=reader.text("webhook", "url", ""),
        listen_host=reader.text("webhook", "listen_host", WebhookSettings.listen_host),
        listen_port=reader.integer("webhook", "listen_port", WebhookSettings.listen_port, 1, 65535),
        path=reader.text("webhook", "path", WebhookSettings.path),
        secret_token=reader.text("webhook", "secret_token", ""),
    )
    if mode == "webhook":
        if not webhook.url.startswith("https://"):
            raise ConfigError(
                "webhook.url", "нужен адрес https://...", "an https:// URL is required"
            )
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", webhook.secret_token):
            raise ConfigError(
                "webhook.secret_token",
                "нужна строка из 16-256 символов A-Z, a-z, 0-9, _ и -",
                "needs 16-256 characters of A-Z, a-z, 0-9, _ and -",
            )

    return Settings(
        token=token,
        admins=frozenset(reader.id_list("bot", "admins")),
        timezone=reader.zone("bot", "timezone", "Europe/Moscow"),
        api_server=reader.url("bot", "api_server", DEFAULT_API_SERVER),
        mode=mode,
        max_concurrent_updates=reader.integer("bot", "max_concurrent_updates", 200, 1, 10_000),
        database=DatabaseSettings(
            path=Path(reader.text("database", "path", str(DatabaseSettings.path))),
            busy_timeout_ms=reader.integer("database", "busy_timeout_ms", 5000, 0, 600_000),
            url=reader.database_url("database", "url"),
            synchronous=reader.synchronous("database", "synchronous"),
        ),
        quiet_hours=QuietHours(
            start=reader.clock_time("quiet_hours", "start", QuietHours.start),
            end=reader.clock_time("quiet_hours", "end", QuietHours.end),
        ),
        webhook=webhook,
        outbox=OutboxSettings(
            rate_per_second=reader.number("outbox", "rate_per_second", 25.0, 0.1, 1000),
            per_chat_interval_seconds=reader.number(
                "outbox", "per_chat_interval_seconds", 1.0, 0.0, 60
            ),
            tick_seconds=reader.number("outbox", "tick_seconds", 1.0, 0.05, 60),
            batch_size=reader.integer("outbox", "batch_size", 50, 1, 10_000),
            max_backoff_seconds=reader.number("outbox", "max_backoff_seconds", 600, 1, 86_400),
        ),
        invites=InviteSettings(
            curator_ttl_hours=reader.integer("invites", "curator_ttl_hours", 72, 1, 24 * 90),
            coordinator_ttl_hours=reader.integer(
                "invites", "coordinator_ttl_hours", 72, 1, 24 * 90
            ),
            teacher_ttl_days=reader.integer("invites", "teacher_ttl_days", 60, 1, 400),
        ),
        meetings=MeetingSettings(
            reminder_hours=tuple(
                reader.positive_ints(
                    "meetings", "reminder_hours", "часов, например [24, 1]", "hours, e.g. [24, 1]"
                )
                or (24, 1)
            ),
            feedback_chaser_days=tuple(
                reader.positive_ints(
                    "meetings", "feedback_chaser_days", "дней, например [1, 3]", "days, e.g. [1, 3]"
                )
                or (1, 3)
            ),
            nudge_after_days=reader.integer("meetings", "nudge_after_days", 14, 1, 365),
            risk_after_days=reader.integer("meetings", "risk_after_days", 21, 1, 365),
        ),
        backup=BackupSettings(
            folder=Path(reader.text("backup", "folder", "backups")),
            keep=reader.integer("backup", "keep", 14, 1, 1000),
            hour=reader.integer("backup", "hour", 3, 0, 23),
        ),
        pairs=PairSettings(
            waiting_reminder_days=reader.integer("pairs", "waiting_reminder_days", 14, 1, 365),
        ),
        throttle=ThrottleSettings(
            burst=reader.integer("throttle", "burst", 10, 1, 1000),
            per_second=reader.number("throttle", "per_second", 2.0, 0.1, 1000),
        ),
    )


class _Reader:
    """Reads `section.key` from the file, letting NASTAVNIK_SECTION_KEY override it."""

    def __init__(self, raw: dict[str, Any], env: Mapping[str, str]) -> None:
        self._raw = raw
        self._env = env

    def _get(self, section: str, key: str) -> tuple[Any, bool]:
        env_name = f"NASTAVNIK_{section}_{key}".upper()
        if env_name in self._env:
            return self._env[env_name], True
        table = self._raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(section, "ожидается раздел [таблица]", "expected a [table]")
        return table.get(key), False

    def text(self, section: str, key: str, default: str) -> str:
        value, _ = self._get(section, key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ConfigError(f"{section}.{key}", "ожидается строка", "expected a string")
        return value.strip()

    def number(self, section: str, key: str, default: float, low: float, high: float) -> float:
        value, from_env = self._get(section, key)
        if value is None:
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            parsed = float(value) if from_env or isinstance(value, int | float) else None
        except ValueError:
            parsed = None
        if parsed is None or not low <= parsed <= high:
            raise ConfigError(
                f"{section}.{key}",
                f"ожидается число от {low:g} до {high:g}",
                f"expected a number from {low:g} to {high:g}",
            )
        return parsed

    def integer(self, section: str, key: str, default: int, low: int, high: int) -> int:
        value = self.number(section, key, default, low, high)
        if value != int(value):
            raise ConfigError(f"{section}.{key}", "ожидается целое число", "expected an integer")
        return int(value)

    def id_list(self, section: str, key: str) -> list[int]:
        return self.positive_ints(
            section,
            key,
            "числовых Telegram id, например [123456789]",
            "numeric Telegram ids, e.g. [123456789]",
        )

    def positive_ints(self, section: str, key: str, what_ru: str, what_en: str) -> list[int]:
        value, from_env = self._get(section, key)
        if value is None:
            return []
        if from_env:
            value = [part for part in str(value).replace(" ", "").split(",") if part]
        problem = ConfigError(
            f"{section}.{key}",
            f"ожидается список {what_ru}",
            f"expected a list of {what_en}",
        )
        if not isinstance(value, list):
            raise problem
        ids = []
        for item in value:
            if isinstance(item, bool) or not str(item).isdigit() or int(item) <= 0:
                raise problem
            ids.append(int(item))
        return ids

    def zone(self, section: str, key: str, default: str) -> ZoneInfo:
        name = self.text(section, key, default)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(
                f"{section}.{key}",
                f"неизвестный часовой пояс «{name}» (ожидается имя IANA, например Europe/Moscow)",
                f"unknown time zone '{name}' (expected an IANA name such as Europe/Moscow)",
            ) from error

    def url(self, section: str, key: str, default: str) -> str:
        value = self.text(section, key, default).rstrip("/")
        if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
            raise ConfigError(
                f"{section}.{key}", "ожидается адрес http(s)://...", "expected an http(s):// URL"
            )
        return value

    def database_url(self, section: str, key: str) -> str:
        value = self.text(section, key, "")
        if value and not re.fullmatch(r"postgres(ql)?://\S+", value):
            raise ConfigError(
                f"{section}.{key}",
                "ожидается адрес postgresql://пользователь:пароль@сервер/база или пусто (SQLite)",
                "expected postgresql://user:password@host/database, or empty for SQLite",
            )
        return value

    def synchronous(self, section: str, key: str) -> Literal["FULL", "NORMAL"]:
        value = self.text(section, key, "FULL").upper()
        if value == "FULL":
            return "FULL"
        if value == "NORMAL":
            return "NORMAL"
        raise ConfigError(
            f"{section}.{key}", "ожидается FULL или NORMAL", "expected FULL or NORMAL"
        )

    def clock_time(self, section: str, key: str, default: time) -> time:
        value = self.text(section, key, default.strftime("%H:%M"))
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ConfigError(
                f"{section}.{key}", "ожидается время ЧЧ:ММ, например 21:00", "expected HH:MM"
            )
        return time(int(match[1]), int(match[2]))
