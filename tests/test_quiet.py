"""Quiet hours across zones (Russia's are all free of daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.config import QuietHours
from bot.core.quiet import delivery_time, in_quiet

QUIET = QuietHours(start=time(21, 0), end=time(8, 0))
MOSCOW = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def test_window_spans_midnight() -> None:
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 23, 0), MOSCOW, QUIET)
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 7, 59), MOSCOW, QUIET)
    assert not in_quiet(local(MOSCOW, 2026, 11, 24, 8, 0), MOSCOW, QUIET)
    # 23:00 in Moscow is 06:00 next morning in Vladivostok: quiet there too, for its own reason.
    assert in_quiet(local(MOSCOW, 2026, 11, 24, 23, 0), VLADIVOSTOK, QUIET)
    assert not in_quiet(local(MOSCOW, 2026, 11, 24, 12, 0), VLADIVOSTOK, QUIET)


def test_reminder_moves_to_the_end_of_quiet_hours() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 15, 0)
    wanted = meeting - timedelta(hours=24) + timedelta(hours=-8)  # 07:00, inside
    sent = delivery_time(wanted, meeting, MOSCOW, QUIET, NOW)
    assert sent == local(MOSCOW, 2026, 11, 24, 8, 0)


def test_reminder_comes_the_evening_before_when_morning_is_too_late() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 7, 30)
    wanted = meeting - timedelta(hours=1)  # 06:30, inside; 08:00 would be after the meeting
    sent = delivery_time(wanted, meeting, MOSCOW, QUIET, NOW)
    assert sent == local(MOSCOW, 2026, 11, 24, 20, 45)


def test_nothing_fits() -> None:
    meeting = local(MOSCOW, 2026, 11, 23, 23, 0)
    now = local(MOSCOW, 2026, 11, 23, 21, 30)
    assert delivery_time(meeting - timedelta(hours=1), meeting, MOSCOW, QUIET, now) is None


def test_outside_quiet_hours_is_untouched() -> None:
    meeting = local(MOSCOW, 2026, 11, 25, 15, 0)
    wanted = meeting - timedelta(hours=1)
    assert delivery_time(wanted, meeting, MOSCOW, QUIET, NOW) == wanted
