"""Dates and times as typed in Russian, in the school's zone; time zones as teachers read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.core.i18n import tr
from bot.core.when import NeedsTime, WhenError, WhenRefusal, explain, parse_when
from bot.core.zones import SCHOOL_TIMEZONES, timezone_label
from storage.db import Database
from tests.harness import FakeClock, Harness
from tests.steps import MENTOR, active_pair

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 12:00 in Moscow
MOSCOW = ZoneInfo("Europe/Moscow")


def moscow(day: int, month: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MOSCOW).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # what was understood before
        ("28.11 15:30", moscow(28, 11, 15, 30)),
        ("28.11.2026 15:30", moscow(28, 11, 15, 30)),
        ("завтра в 16:00", moscow(24, 11, 16)),
        ("Сегодня, 18.00", moscow(23, 11, 18)),
        ("в пятницу 15:00", moscow(27, 11, 15)),
        ("в понедельник 9:00", moscow(30, 11, 9)),
        ("15.01 10:00", moscow(15, 1, 10, year=2027)),
        ("24.11 15.00", moscow(24, 11, 15)),  # a suggested-time button
        # the ways people write that used to be refused
        ("28 ноября 15:30", moscow(28, 11, 15, 30)),
        ("завтра в 16", moscow(24, 11, 16)),
        ("в 16:00", moscow(23, 11, 16)),
        ("28/11 15:30", moscow(28, 11, 15, 30)),
        ("через неделю 15:00", moscow(30, 11, 15)),
        ("в пятницу в 10", moscow(27, 11, 10)),
        ("10 декабря в 14:00", moscow(10, 12, 14)),
        ("в 17:00", moscow(23, 11, 17)),
        ("в 18.00", moscow(23, 11, 18)),
        ("через 3 дня в 10 утра", moscow(26, 11, 10)),
        ("в 7 вечера", moscow(23, 11, 19)),
        ("послезавтра в 3 часа дня", moscow(25, 11, 15)),
        ("5 января 2027 9:30", moscow(5, 1, 9, 30, year=2027)),
    ],
)
def test_understood(typed: str, expected: datetime) -> None:
    assert parse_when(typed, NOW, MOSCOW) == expected


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Kamchatka", datetime(2026, 11, 24, 4, 0, tzinfo=UTC)),
        ("Europe/Kaliningrad", datetime(2026, 11, 24, 14, 0, tzinfo=UTC)),
    ],
)
def test_read_in_the_schools_zone(zone: str, expected: datetime) -> None:
    assert parse_when("завтра 16:00", NOW, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("завтра утром", date(2026, 11, 24)),
        ("завтра", date(2026, 11, 24)),
        ("в пятницу вечером", date(2026, 11, 27)),
        ("28.11", date(2026, 11, 28)),
        ("28 ноября", date(2026, 11, 28)),
        ("через 3 дня", date(2026, 11, 26)),
    ],
)
def test_a_day_without_a_time_asks_for_the_time(typed: str, day: date) -> None:
    assert parse_when(typed, NOW, MOSCOW) == NeedsTime(day)


def test_the_time_asked_for_is_read_on_the_day_named_before() -> None:
    asked = parse_when("завтра утром", NOW, MOSCOW)
    assert isinstance(asked, NeedsTime)
    assert explain(asked) == tr("when-ask-time", day="24.11 (вторник)")
    assert parse_when("9:30", NOW, MOSCOW, on_day=asked.day) == moscow(24, 11, 9, 30)
    assert parse_when("в 10", NOW, MOSCOW, on_day=asked.day) == moscow(24, 11, 10)


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ("31.02 10:00", WhenError(WhenRefusal.NO_SUCH_DATE, "31.02")),
        ("вчера", WhenError(WhenRefusal.DAY_PAST)),
        ("вчера в 10:00", WhenError(WhenRefusal.DAY_PAST)),
        ("20.11.2026 10:00", WhenError(WhenRefusal.DAY_PAST)),
        ("сегодня 08:00", WhenError(WhenRefusal.TIME_PASSED, "08:00")),
        ("в 10:00", WhenError(WhenRefusal.TIME_PASSED, "10:00")),
        ("28.11 25:61", WhenError(WhenRefusal.NO_SUCH_TIME, "25:61")),
        ("28.11.2028 10:00", WhenError(WhenRefusal.TOO_FAR)),
        ("когда-нибудь", WhenError(WhenRefusal.FORMAT)),
        ("", WhenError(WhenRefusal.FORMAT)),
    ],
)
def test_refused_with_a_reason(typed: str, refusal: WhenError) -> None:
    assert parse_when(typed, NOW, MOSCOW) == refusal


def test_what_cannot_be_read_is_answered_with_one_working_example() -> None:
    text = explain(WhenError(WhenRefusal.FORMAT))
    assert text.count("«") == 1
    example = text.split("«")[1].split("»")[0]
    assert isinstance(parse_when(example, NOW, MOSCOW), datetime)
    passed = explain(WhenError(WhenRefusal.TIME_PASSED, "10:00"))
    assert "10:00" in passed and "сегодня" in passed


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Europe/Moscow", "Москва (МСК)"),
        ("Asia/Yekaterinburg", "Екатеринбург (МСК+2)"),
        ("Europe/Kaliningrad", "Калининград (МСК−1)"),
        ("Asia/Kamchatka", "Камчатка (МСК+9)"),
        ("Europe/Berlin", "UTC+1 (МСК−2)"),  # not in the list: its offsets
        ("Asia/Kolkata", "UTC+5:30 (МСК+2:30)"),
    ],
)
def test_time_zones_are_named_for_people(zone: str, label: str) -> None:
    assert timezone_label(zone, NOW) == label


def test_every_school_zone_has_a_city() -> None:
    assert all("UTC" not in timezone_label(zone) for zone in SCHOOL_TIMEZONES)


async def test_a_meeting_proposed_as_tomorrow_morning_asks_the_time_then_takes_it(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    ask = await tg.press(MENTOR, tr("btn-meeting-new"))
    assert "Москва (МСК)" in ask["text"] and "Europe/Moscow" not in ask["text"]
    asked = await tg.send(MENTOR, "завтра утром")
    assert asked["text"] == tr("when-ask-time", day="24.11 (вторник)")
    taken = await tg.send(MENTOR, "9:30")
    assert taken["text"] == tr("meeting-ask-place")
    key = StorageKey(bot_id=tg.bot.id, chat_id=MENTOR, user_id=MENTOR)
    data = await tg.dp.storage.get_data(key)
    assert data["starts_at"] == moscow(24, 11, 9, 30).isoformat()
