"""Meeting times as typed in Russian, in the school's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import tr
from bot.core.when import WhenError, parse_when
from bot.ui import texts

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 12:00 in Moscow
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("typed", "zone", "expected"),
    [
        ("28.11 15:30", MOSCOW, datetime(2026, 11, 28, 12, 30, tzinfo=UTC)),
        ("28.11.2026 15:30", MOSCOW, datetime(2026, 11, 28, 12, 30, tzinfo=UTC)),
        ("завтра в 16:00", MOSCOW, datetime(2026, 11, 24, 13, 0, tzinfo=UTC)),
        ("Сегодня, 18.00", MOSCOW, datetime(2026, 11, 23, 15, 0, tzinfo=UTC)),
        ("в пятницу 15:00", MOSCOW, datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
        ("в понедельник 9:00", MOSCOW, datetime(2026, 11, 30, 6, 0, tzinfo=UTC)),
        ("15.01 10:00", MOSCOW, datetime(2027, 1, 15, 7, 0, tzinfo=UTC)),
        ("завтра 16:00", ZoneInfo("Asia/Kamchatka"), datetime(2026, 11, 24, 4, 0, tzinfo=UTC)),
        (
            "завтра 16:00",
            ZoneInfo("Europe/Kaliningrad"),
            datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
        ),
    ],
)
def test_understood(typed: str, zone: ZoneInfo, expected: datetime) -> None:
    assert parse_when(typed, NOW, zone) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31.02 10:00", texts.when_no_such_date("31.02")),
        ("вчера", tr("when-past")),
        ("вчера в 10:00", tr("when-past")),
        ("сегодня 08:00", tr("when-past")),
        ("28.11 25:61", texts.when_bad_time("25:61")),
        ("28.11.2028 10:00", tr("when-too-far")),
        ("когда-нибудь", tr("when-format")),
        ("", tr("when-format")),
    ],
)
def test_refused_with_a_reason(typed: str, reason: str) -> None:
    assert parse_when(typed, NOW, MOSCOW) == WhenError(reason)
