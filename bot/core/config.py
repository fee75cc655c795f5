"""Typed settings from a TOML file, overridable by environment variables.

Each section is a pydantic model: a key's type, bounds and default are written once, beside
it, and validation reads the file. The bot token comes only from the environment (BOT_TOKEN).
Every other key may be set in the file or as NASTAVNIK_<SECTION>_<KEY> (e.g.
NASTAVNIK_DATABASE_PATH; the keys of Settings itself are the [bot] section). A missing or bad
value raises ConfigError naming the key, in Russian and English.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

DEFAULT_API_SERVER = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")


class ConfigError(ValueError):
    def __init__(self, key: str, problem_ru: str, problem_en: str) -> None:
        self.key = key
        super().__init__(
            f"Ошибка настройки «{key}»: {problem_ru}\nConfiguration error in '{key}': {problem_en}"
        )


class _Problem(ValueError):
    """Raised by a validator: what is wrong, in both languages (and the key, when the check
    spans several keys)."""

    def __init__(self, problem_ru: str, problem_en: str, key: str | None = None) -> None:
        super().__init__(problem_en)
        self.ru, self.en, self.key = problem_ru, problem_en, key


def _zone(value: object) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    name = str(value).strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise _Problem(
            f"неизвестный часовой пояс «{name}» (ожидается имя IANA, например Europe/Moscow)",
            f"unknown time zone '{name}' (expected an IANA name such as Europe/Moscow)",
        ) from error


def _clock_time(value: object) -> time:
    if isinstance(value, time):
        return value
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise _Problem("ожидается время ЧЧ:ММ, например 21:00", "expected HH:MM")
    return time(int(match[1]), int(match[2]))


def _url(value: str) -> str:
    value = value.rstrip("/")
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
        raise _Problem("ожидается адрес http(s)://...", "expected an http(s):// URL")
    return value


def _database_url(value: str) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"postgres(ql)?://\S+", value):
        raise _Problem(
            "ожидается адрес postgresql://пользователь:пароль@сервер/база или пусто (SQLite)",
            "expected postgresql://user:password@host/database, or empty for SQLite",
        )
    return value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _listed(value: object) -> object:
    """A list from the environment is written "5, 6"."""
    if isinstance(value, str):
        return [part for part in value.replace(" ", "").split(",") if part]
    return value


Zone = Annotated[ZoneInfo, BeforeValidator(_zone)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]
Text = Annotated[str, Field(strict=True), AfterValidator(str.strip)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class DatabaseSettings(_Section):
    path: Path = Path("nastavnik.db")
    busy_timeout_ms: Annotated[int, Field(ge=0, le=600_000)] = 5000
    # "postgresql://user:password@host/db" selects PostgreSQL; empty means SQLite at `path`.
    url: Annotated[str, AfterValidator(_database_url)] = ""
    # SQLite in WAL mode: FULL survives a power loss; NORMAL may lose the last commits.
    synchronous: Annotated[Literal["FULL", "NORMAL"], BeforeValidator(_upper)] = "FULL"


class QuietHours(_Section):
    start: ClockTime = time(21, 0)
    end: ClockTime = time(8, 0)


class WebhookSettings(_Section):
    url: Text = ""
    listen_host: Text = "127.0.0.1"
    listen_port: Annotated[int, Field(ge=1, le=65535)] = 8080
    path: Text = "/telegram/webhook"
    secret_token: Text = ""


class OutboxSettings(_Section):
    rate_per_second: Annotated[float, Field(ge=0.1, le=1_000_000)] = 25.0
    per_chat_interval_seconds: Annotated[float, Field(ge=0, le=60)] = 1.0
    tick_seconds: Annotated[float, Field(ge=0.05, le=60)] = 1.0
    batch_size: Annotated[int, Field(ge=1, le=10_000)] = 50
    # The longest pause while the Bot API or the network fails: the queue drains at most
    # this long after the API is back.
    max_backoff_seconds: Annotated[float, Field(ge=0.1, le=600)] = 5.0


Positives = Annotated[tuple[PositiveInt, ...], BeforeValidator(_listed)]


class MeetingSettings(_Section):
    reminder_hours: Positives = (24, 1)
    # Repeat reminders about missing feedback, days after the first request.
    feedback_chaser_days: Positives = (1, 3)
    nudge_after_days: Annotated[int, Field(ge=1, le=365)] = 14
    risk_after_days: Annotated[int, Field(ge=1, le=365)] = 21


class MonitoringSettings(_Section):
    """The monitoring of programs: their surveys, the midpoint, overdue ends, early endings."""

    survey_days: Annotated[int, Field(ge=1, le=90)] = 14  # to answer a program's survey
    midpoint_percent: Annotated[int, Field(ge=10, le=90)] = 50  # intermediate feedback
    overdue_after_days: Annotated[int, Field(ge=0, le=90)] = 1  # past the end date
    # ТК РФ ст. 351.8: the mentor's early ending takes effect after at least 3 working days.
    notice_working_days: Annotated[int, Field(ge=3, le=30)] = 3


class SurveySettings(_Section):
    # Non-respondents are reminded this many days before the deadline, and on its morning.
    reminder_offsets_days: Positives = (3, 1)


class BackupSettings(_Section):
    folder: Path = Path("backups")
    keep: Annotated[int, Field(ge=1, le=1000)] = 14
    # Daily, at this hour of the default time zone.
    hour: Annotated[int, Field(ge=0, le=23)] = 3


class PairSettings(_Section):
    # Curators are reminded of mentees who have waited this many days for a mentor.
    waiting_reminder_days: Annotated[int, Field(ge=1, le=365)] = 14


class InviteSettings(_Section):
    curator_ttl_hours: Annotated[int, Field(ge=1, le=24 * 90)] = 72
    coordinator_ttl_hours: Annotated[int, Field(ge=1, le=24 * 90)] = 72
    teacher_ttl_days: Annotated[int, Field(ge=1, le=400)] = 60


class ThrottleSettings(_Section):
    burst: Annotated[int, Field(ge=1, le=1000)] = 10
    per_second: Annotated[float, Field(ge=0.1, le=1000)] = 2.0


_SECTIONS: dict[str, type[_Section]] = {
    "database": DatabaseSettings,
    "quiet_hours": QuietHours,
    "webhook": WebhookSettings,
    "outbox": OutboxSettings,
    "invites": InviteSettings,
    "throttle": ThrottleSettings,
    "pairs": PairSettings,
    "meetings": MeetingSettings,
    "monitoring": MonitoringSettings,
    "surveys": SurveySettings,
    "backup": BackupSettings,
}


class Settings(_Section):
    token: str
    admins: Annotated[frozenset[PositiveInt], BeforeValidator(_listed)] = frozenset()
    timezone: Zone = ZoneInfo("Europe/Moscow")
    api_server: Annotated[Text, AfterValidator(_url)] = DEFAULT_API_SERVER
    mode: Literal["polling", "webhook"] = "polling"
    # Updates handled at the same time (in webhook mode Telegram's max_connections, at most
    # 100); the rest wait in Telegram's queue, so a burst neither piles up tasks in memory nor
    # starves the replies already in progress.
    max_concurrent_updates: Annotated[int, Field(ge=1, le=10_000)] = 200
    database: DatabaseSettings = DatabaseSettings()
    quiet_hours: QuietHours = QuietHours()
    webhook: WebhookSettings = WebhookSettings()
    outbox: OutboxSettings = OutboxSettings()
    invites: InviteSettings = InviteSettings()
    throttle: ThrottleSettings = ThrottleSettings()
    pairs: PairSettings = PairSettings()
    meetings: MeetingSettings = MeetingSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    surveys: SurveySettings = SurveySettings()
    backup: BackupSettings = BackupSettings()

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.mode != "webhook":
            return self
        if not self.webhook.url.startswith("https://"):
            raise _Problem("нужен адрес https://...", "an https:// URL is required", "webhook.url")
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", self.webhook.secret_token):
            raise _Problem(
                "нужна строка из 16-256 символов A-Z, a-z, 0-9, _ и -",
                "needs 16-256 characters of A-Z, a-z, 0-9, _ and -",
                "webhook.secret_token",
            )
        return self


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
    values = _with_environment(raw, env)
    values["token"] = _token(env, require_token)
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        raise _config_error(error.errors()[0]) from None


def _token(env: Mapping[str, str], required: bool) -> str:
    token = env.get("BOT_TOKEN", "").strip()
    if not required and not token:
        return "0000000:offline-commands-need-no-token-aaaaaaaaaa"
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
    return token


def _with_environment(raw: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """The file's tables as Settings' fields ([bot] at the top), each key overridden by its
    NASTAVNIK_<SECTION>_<KEY> variable. The token is never read from the file."""
    tables = {"bot": [n for n in Settings.model_fields if n not in _SECTIONS and n != "token"]}
    tables.update({name: list(model.model_fields) for name, model in _SECTIONS.items()})
    values: dict[str, Any] = {}
    for section, keys in tables.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(section, "ожидается раздел [таблица]", "expected a [table]")
        given = {key: table[key] for key in keys if key in table}
        for key in keys:
            name = f"NASTAVNIK_{section}_{key}".upper()
            if name in env:
                given[key] = env[name]
        if section == "bot":
            values.update(given)
        else:
            values[section] = given
    return values


def _config_error(error: ErrorDetails) -> ConfigError:
    loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
    if loc and loc[0] in Settings.model_fields and loc[0] not in _SECTIONS:
        loc.insert(0, "bot")
    key = ".".join(loc[:2])
    context = error.get("ctx", {})
    problem = context.get("error")
    if isinstance(problem, _Problem):
        return ConfigError(problem.key or key, problem.ru, problem.en)
    kind = error["type"]
    if any(isinstance(part, int) for part in error["loc"]):
        return ConfigError(
            key,
            "ожидается список положительных целых чисел",
            "expected a list of positive integers",
        )
    limits = {
        "greater_than": ("больше", ">"),
        "greater_than_equal": ("не меньше", ">="),
        "less_than": ("меньше", "<"),
        "less_than_equal": ("не больше", "<="),
    }
    if kind in limits:
        word, sign = limits[kind]
        limit = next(iter(context.values()))
        return ConfigError(
            key, f"ожидается число {word} {limit}", f"expected a number {sign} {limit}"
        )
    if kind == "literal_error":
        expected = context.get("expected", "")
        return ConfigError(key, f"ожидается одно из: {expected}", f"expected one of: {expected}")
    if kind.startswith("int_"):
        return ConfigError(key, "ожидается целое число", "expected an integer")
    if kind.startswith(("float_", "decimal_")):
        return ConfigError(key, "ожидается число", "expected a number")
    if kind.startswith(("tuple_", "frozen_set_", "list_", "set_")):
        return ConfigError(
            key,
            "ожидается список положительных целых чисел",
            "expected a list of positive integers",
        )
    if kind.startswith("string_"):
        return ConfigError(key, "ожидается строка", "expected a string")
    return ConfigError(key, f"недопустимое значение ({kind})", f"invalid value ({error['msg']})")
