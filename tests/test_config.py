"""Configuration: typed, fails fast with a message naming the key, token only from the env."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli import main
from bot.core.config import ConfigError, OutboxSettings, Settings, load_settings

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    settings = load_settings(example, {"BOT_TOKEN": TOKEN})
    assert settings.timezone == ZoneInfo("Europe/Moscow")
    assert settings.mode == "polling"
    assert settings.outbox.rate_per_second == 25
    assert settings.api_server == "https://api.telegram.org"
    assert settings.max_concurrent_updates == 200


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[bot]\nadmins = [1]\n[database]\npath = "a.db"\n')
    settings = load_settings(
        path,
        {"BOT_TOKEN": TOKEN, "NASTAVNIK_BOT_ADMINS": "5, 6", "NASTAVNIK_DATABASE_PATH": "b.db"},
    )
    assert settings.admins == {5, 6}
    assert str(settings.database.path) == "b.db"


@pytest.mark.parametrize(
    ("text", "env", "key"),
    [
        ("", {}, "BOT_TOKEN"),
        ("", {"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ('[bot]\ntimezone = "Moscow/Nowhere"\n', {"BOT_TOKEN": TOKEN}, "bot.timezone"),
        ('[bot]\nadmins = ["boss"]\n', {"BOT_TOKEN": TOKEN}, "bot.admins"),
        ('[bot]\napi_server = "ftp://x"\n', {"BOT_TOKEN": TOKEN}, "bot.api_server"),
        ('[bot]\nmode = "push"\n', {"BOT_TOKEN": TOKEN}, "bot.mode"),
        ('[bot]\nmode = "webhook"\n', {"BOT_TOKEN": TOKEN}, "webhook.url"),
        ('[quiet_hours]\nstart = "25:61"\n', {"BOT_TOKEN": TOKEN}, "quiet_hours.start"),
        ("[outbox]\nrate_per_second = 0\n", {"BOT_TOKEN": TOKEN}, "outbox.rate_per_second"),
        ("[outbox]\nbatch_size = 1.5\n", {"BOT_TOKEN": TOKEN}, "outbox.batch_size"),
        ("[bot\n", {"BOT_TOKEN": TOKEN}, "config.toml"),
        (
            "[meetings]\nreminder_hours = [24, -1]\n",
            {"BOT_TOKEN": TOKEN},
            "meetings.reminder_hours",
        ),
        ("[backup]\nhour = 24\n", {"BOT_TOKEN": TOKEN}, "backup.hour"),
        ("[bot]\nmax_concurrent_updates = 0\n", {"BOT_TOKEN": TOKEN}, "bot.max_concurrent_updates"),
        ("", {"BOT_TOKEN": TOKEN, "NASTAVNIK_OUTBOX_BATCH_SIZE": "many"}, "outbox.batch_size"),
        ("[webhook]\nlisten_port = 70000\n", {"BOT_TOKEN": TOKEN}, "webhook.listen_port"),
        ('[database]\npath = "a.db"\nbusy_timeout_ms = "soon"\n', {"BOT_TOKEN": TOKEN}, "database"),
        ("[webhook]\nurl = 5\n", {"BOT_TOKEN": TOKEN}, "webhook.url"),
        (
            '[bot]\nmode = "webhook"\n[webhook]\nurl = "https://x.ru/h"\nsecret_token = "short"\n',
            {"BOT_TOKEN": TOKEN},
            "webhook.secret_token",
        ),
        ("outbox = 5\n", {"BOT_TOKEN": TOKEN}, "outbox"),
        ('[bot]\ntoken = "123456789:AAHfakefakefakefakefakefakefakefake1"\n', {}, "BOT_TOKEN"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), env)
    assert key in caught.value.key
    assert "Ошибка настройки" in str(caught.value) and "Configuration error" in str(caught.value)


def test_start_up_with_bad_config_prints_message_not_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    code = main(["--config", str(write(tmp_path, ""))])
    err = capsys.readouterr().err
    assert code == 2
    assert "BOT_TOKEN" in err and "Traceback" not in err


def test_every_default_is_written_once_in_the_schema(tmp_path: Path) -> None:
    """An empty file gives exactly the models' own defaults: no second copy to drift."""
    assert load_settings(write(tmp_path, ""), {"BOT_TOKEN": TOKEN}) == Settings(token=TOKEN)
    assert Settings(token=TOKEN).outbox == OutboxSettings()


def test_environment_overrides_every_kind_of_value(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, '[bot]\ntimezone = "Europe/Moscow"\n'),
        {
            "BOT_TOKEN": TOKEN,
            "NASTAVNIK_BOT_TIMEZONE": "Asia/Omsk",
            "NASTAVNIK_BOT_MODE": "polling",
            "NASTAVNIK_OUTBOX_RATE_PER_SECOND": "12.5",
            "NASTAVNIK_MEETINGS_REMINDER_HOURS": "48, 2",
            "NASTAVNIK_QUIET_HOURS_START": "22:30",
            "NASTAVNIK_BOT_API_SERVER": "http://127.0.0.1:8081/",
        },
    )
    assert settings.timezone == ZoneInfo("Asia/Omsk")
    assert settings.outbox.rate_per_second == 12.5
    assert settings.meetings.reminder_hours == (48, 2)
    assert settings.quiet_hours.start == time(22, 30)
    assert settings.api_server == "http://127.0.0.1:8081"


def test_a_bad_value_is_named_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, "[throttle]\nburst = 0\n"), {"BOT_TOKEN": TOKEN})
    assert str(caught.value) == (
        "Ошибка настройки «throttle.burst»: ожидается число не меньше 1\n"
        "Configuration error in 'throttle.burst': expected a number >= 1"
    )
