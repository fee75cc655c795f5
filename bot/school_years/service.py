"""The end of a school year: the curator closes it, the pairs still working complete their
program with it, everyone in them is told, and the year's figures stay in the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.meetings.service import MeetingService
from storage.models import Organization, PairStatus
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.school_years import SchoolYear, SchoolYearsRepo

NOTICE_LIFETIME = timedelta(days=7)


def year_label(day: date) -> str:
    """The school year a day belongs to when a year is closed: «2025/2026» until the end of
    August 2026, «2026/2027» from September."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"


@dataclass(frozen=True)
class YearPreview:
    label: str
    working: int  # pairs that will complete with the year
    invited: int  # invitations still unanswered, to be withdrawn
    closed_already: bool


class SchoolYearService:
    def __init__(
        self,
        years: SchoolYearsRepo,
        pairs: PairsRepo,
        meetings: MeetingService,
        people: PeopleRepo,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._years = years
        self._pairs = pairs
        self._meetings = meetings
        self._people = people
        self._outbox = outbox
        self._clock = clock

    def _label(self, school: Organization) -> str:
        return year_label(self._clock.now().astimezone(ZoneInfo(school.timezone)).date())

    async def preview(self, school: Organization) -> YearPreview:
        label = self._label(school)
        pairs = await self._pairs.for_school(school.id)
        closed = {year.label for year in await self._years.of_school(school.id)}
        return YearPreview(
            label=label,
            working=sum(1 for p in pairs if p.status is PairStatus.ACTIVE),
            invited=sum(1 for p in pairs if p.status is PairStatus.INVITED),
            closed_already=label in closed,
        )

    async def close(self, school: Organization, curator_telegram_id: int) -> SchoolYear | None:
        """None when this year is closed already."""
        now = self._clock.now()
        closed = await self._years.close(school.id, self._label(school), curator_telegram_id, now)
        if closed is None:
            return None
        year, working = closed
        for pair_id in working:
            await self._meetings.pair_closed(pair_id)
            pair = await self._pairs.get(pair_id)

            for participant in pair.participants if pair else ():
                person = await self._people.by_id(participant.person_id)
                if person is None:
                    continue
                await self._outbox.enqueue(
                    f"year-closed:{year.id}:{pair_id}:{person.id}",
                    person.telegram_id,
                    "pair_notice",
                    message_payload(tr("year-closed-for-pair", label=year.label)),
                    now,
                    now + NOTICE_LIFETIME,
                    now,
                )
        return year

    async def archive(self, school: Organization) -> list[SchoolYear]:
        return await self._years.of_school(school.id)
