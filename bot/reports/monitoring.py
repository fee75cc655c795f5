"""Control monitoring (issue 14): the coordinator asks every curator of the district for the
monitoring data by a deadline; curators get the request and reminders through the outbox
until they confirm «данные представлены», which records the school's current figures (counts
only); the coordinator sees who has submitted and reminds the rest with one tap."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.when import NeedsTime, WhenError, parse_when, shown
from bot.core.zones import school_zone
from bot.reports.service import ReportService
from bot.roadmap.service import RoadmapService
from bot.surveys.rules import reminder_times
from bot.ui.callbacks import MonitoringAction, MonitoringCb
from bot.ui.keyboards import Keyboard
from storage.models import District, Organization, Role
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo
from storage.reports import (
    CuratorContacts,
    MonitoringFigures,
    MonitoringRepo,
    MonitoringRequest,
    MonitoringSubmission,
    ReportsRepo,
)

log = logging.getLogger(__name__)

REMIND_GAP = timedelta(hours=1)  # the coordinator's one-tap reminder, at most this often
# Reminders before the deadline stop at it; the one after it waits a week at most.
OVERDUE_LIFETIME = timedelta(days=7)
_END_OF_DAY = time(23, 59)


class MonitoringRefusal(StrEnum):
    """Rendered by `tr("monitoring-refusal", reason=...)`."""

    NO_SCHOOLS = "no_schools"  # the district has no school to ask
    NOT_FOUND = "not_found"  # no such request, or one of another district (a forged button)
    SUPERSEDED = "superseded"  # a newer request replaced the one on the button
    ALREADY = "already"  # the school has confirmed this request already
    NOBODY_LEFT = "nobody_left"  # every school has submitted
    TOO_SOON = "too_soon"  # reminded within the hour


@dataclass(frozen=True)
class SchoolState:
    school: Organization
    submission: MonitoringSubmission | None
    contacts: CuratorContacts | None


@dataclass(frozen=True)
class MonitoringStatus:
    request: MonitoringRequest
    zone: ZoneInfo
    schools: tuple[SchoolState, ...]
    overdue: bool  # the deadline has passed

    @property
    def submitted(self) -> int:
        return sum(1 for s in self.schools if s.submission is not None)

    @property
    def outstanding(self) -> list[Organization]:
        return [s.school for s in self.schools if s.submission is None]

    @property
    def deadline(self) -> str:
        return shown(self.request.deadline, self.zone)


@dataclass(frozen=True)
class Submitted:
    submission: MonitoringSubmission
    deadline: str


def _zone(schools: list[Organization]) -> ZoneInfo:
    """A district has no zone of its own: its first school's, as the roadmap reads it."""
    return school_zone(schools[0] if schools else None)


def _submit_button(request_id: int, school_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-monitoring-submit"),
        callback_data=MonitoringCb(
            action=MonitoringAction.SUBMIT, scope_id=school_id, request_id=request_id
        ),
    )
    return kb.as_markup()


class MonitoringService:
    def __init__(
        self,
        monitoring: MonitoringRepo,
        reports: ReportsRepo,
        report_service: ReportService,
        roadmap: RoadmapService,
        people: PeopleRepo,
        outbox: OutboxRepo,
        quiet: QuietHours,
        clock: Clock,
    ) -> None:
        self._monitoring = monitoring
        self._reports = reports
        self._report_service = report_service
        self._roadmap = roadmap
        self._people = people
        self._outbox = outbox
        self._quiet = quiet
        self._clock = clock

    # --- the coordinator ---

    async def ask(
        self, district: District, schools: list[Organization], typed: str, coordinator: int
    ) -> MonitoringRequest | WhenError | MonitoringRefusal:
        """A new request with the deadline as typed («до 25 мая», «через неделю», «25.05.2027
        18:00»; a day alone means its end). It replaces the district's previous request."""
        if not schools:
            return MonitoringRefusal.NO_SCHOOLS
        zone = _zone(schools)
        now = self._clock.now()
        words = typed.strip()
        if words.lower().startswith("до "):
            words = words[3:]
        parsed = parse_when(words, now, zone)
        if isinstance(parsed, WhenError):
            return parsed
        if isinstance(parsed, NeedsTime):
            parsed = datetime.combine(parsed.day, _END_OF_DAY, tzinfo=zone)
        previous = await self._monitoring.latest(district.id)
        request = await self._monitoring.create(district.id, parsed, coordinator, now)
        if previous is not None:
            await self._outbox.withdraw_prefix(f"mon:{previous.id}:", now)
        await self._queue_requests(request, district, schools, zone)
        log.info("control monitoring asked district_id=%s request_id=%s", district.id, request.id)
        return request

    async def _queue_requests(
        self,
        request: MonitoringRequest,
        district: District,
        schools: list[Organization],
        zone: ZoneInfo,
    ) -> None:
        """The request now, reminders before the deadline, one the morning after it; the
        outbox holds each until the end of the curator's quiet hours."""
        now = self._clock.now()
        deadline = request.deadline
        when = shown(deadline, zone)
        steps: list[tuple[str, str, datetime, datetime]] = [
            ("ask", tr("monitoring-request", district=district.name, deadline=when), now, deadline)
        ]
        for number, due in enumerate(reminder_times(deadline, now, zone, self._quiet)):
            steps.append((f"r{number}", tr("monitoring-reminder", deadline=when), due, deadline))
        overdue = datetime.combine(
            deadline.astimezone(zone).date() + timedelta(days=1), time(9), tzinfo=zone
        )
        steps.append(
            ("late", tr("monitoring-overdue", deadline=when), overdue, overdue + OVERDUE_LIFETIME)
        )
        batch = []
        for school in schools:
            markup = _submit_button(request.id, school.id)
            for chat in await self._people.holders(Role.CURATOR, school.id):
                batch += [
                    Queued(
                        f"mon:{request.id}:{school.id}:{step}:{chat}",
                        chat,
                        "curator_notice",
                        message_payload(text, markup),
                        due,
                        expires,
                    )
                    for step, text, due, expires in steps
                ]
        await self._outbox.enqueue_many(batch, now)

    async def status(
        self, district: District, schools: list[Organization]
    ) -> MonitoringStatus | None:
        """The current request: per school of the district, its submission (counts) or the
        curator's contacts to chase it; None before the first request."""
        request = await self._monitoring.latest(district.id)
        if request is None:
            return None
        submitted = await self._monitoring.submissions(request.id)
        contacts = await self._reports.contacts([s.id for s in schools])
        return MonitoringStatus(
            request,
            _zone(schools),
            tuple(SchoolState(s, submitted.get(s.id), contacts.get(s.id)) for s in schools),
            self._clock.now() > request.deadline,
        )

    async def remind(
        self, district: District, schools: list[Organization], request_id: int
    ) -> int | MonitoringRefusal:
        """One tap: the curators of every school that has not submitted are reminded now;
        not twice within REMIND_GAP. Returns how many schools were reminded."""
        found = await self.status(district, schools)
        if found is None or found.request.id != request_id:
            return MonitoringRefusal.SUPERSEDED if found else MonitoringRefusal.NOT_FOUND
        late = found.outstanding
        if not late:
            return MonitoringRefusal.NOBODY_LEFT
        now = self._clock.now()
        if not await self._monitoring.claim_reminder(request_id, now, now - REMIND_GAP):
            return MonitoringRefusal.TOO_SOON
        text = tr("monitoring-nudge", district=district.name, deadline=found.deadline)
        stamp = f"{now:%Y%m%d%H%M}"
        batch = []
        for school in late:
            payload = message_payload(text, _submit_button(request_id, school.id))
            for chat in await self._people.holders(Role.CURATOR, school.id):
                batch.append(
                    Queued(
                        f"mon:{request_id}:{school.id}:n{stamp}:{chat}",
                        chat,
                        "curator_notice",
                        payload,
                        now,
                        now + OVERDUE_LIFETIME,
                    )
                )
        await self._outbox.enqueue_many(batch, now)
        log.info("control monitoring reminded request_id=%s schools=%s", request_id, len(late))
        return len(late)

    # --- the curator ---

    async def pending(self, school: Organization) -> MonitoringRequest | None:
        """The district's current request, if this school has not confirmed it."""
        request = await self._monitoring.latest(school.district_id)
        if request is None or school.id in await self._monitoring.submissions(request.id):
            return None
        return request

    async def submit(
        self, school: Organization, request_id: int, curator: int
    ) -> Submitted | MonitoringRefusal:
        """«Данные представлены»: the school's current report figures are recorded as its
        submission; after the deadline it is accepted and marked late. The roadmap's item
        «отчёт в округ» is closed with it."""
        request = await self._monitoring.get(request_id)
        if request is None or request.district_id != school.district_id:
            return MonitoringRefusal.NOT_FOUND
        latest = await self._monitoring.latest(school.district_id)
        if latest is not None and latest.id != request.id:
            return MonitoringRefusal.SUPERSEDED
        figures = await self._report_service.current_figures(school)
        counted = MonitoringFigures(
            mentors=figures.mentors,
            mentees=figures.mentees,
            pairs=figures.total_pairs,
            completed=figures.outcomes.completed,
            meetings_held=figures.meetings("held"),
            events=len(figures.events),
        )
        now = self._clock.now()
        late = now > request.deadline
        if not await self._monitoring.submit(request.id, school.id, curator, now, late, counted):
            return MonitoringRefusal.ALREADY
        await self._outbox.withdraw_prefix(f"mon:{request.id}:{school.id}:", now)
        await self._roadmap.recheck(school)
        log.info(
            "control monitoring submitted request_id=%s school_id=%s late=%s",
            request.id,
            school.id,
            late,
        )
        return Submitted(
            MonitoringSubmission(school.id, now, late, counted),
            shown(request.deadline, ZoneInfo(school.timezone)),
        )
