"""Monitoring reports (issue 14): the school's report for its curator, the register of local
acts and of events where the practice was presented, and the district's tables for its
coordinator. The figures are gathered on the event loop a slice at a time; the charts and
documents are drawn on a worker thread."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.forms.catalog import STUDENT_CATEGORY
from bot.meetings.service import MeetingService
from bot.pairs.naming import pair_title
from bot.pairs.service import PairForm
from bot.participation.banks import BankService
from bot.participation.service import QUESTIONNAIRE_OF
from bot.practices.service import PracticeService, PublishedCase
from bot.reports import charts, documents, site
from bot.reports.charts import Chart
from bot.reports.figures import (
    AttentionPair,
    DistrictFigures,
    DistrictSchool,
    GrowthRow,
    SchoolFigures,
    growth,
    satisfaction,
    waiting,
)
from bot.school_years.service import year_label
from bot.surveys.templates import (
    GROWTH_SELF_ASSESSMENT,
    MENTEE_SATISFACTION,
    MENTOR_SATISFACTION,
)
from storage.events import EventsRepo
from storage.models import District, OrderKind, Organization, Role, SchoolOrder
from storage.pairs import OrdersRepo, PairsRepo
from storage.people import PeopleRepo
from storage.reports import CuratorContacts, PracticeEvent, PracticeLevel, ReportsRepo
from storage.school_years import SchoolYear, SchoolYearsRepo

log = logging.getLogger(__name__)

_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_NUMBER_NOISE = re.compile(r"(?i)\b(от|приказ|№|n)\b|№")
_LEVELS = {
    "школ": PracticeLevel.SCHOOL,
    "муницип": PracticeLevel.MUNICIPAL,
    "окруж": PracticeLevel.MUNICIPAL,
    "район": PracticeLevel.MUNICIPAL,
    "регион": PracticeLevel.REGIONAL,
    "федерал": PracticeLevel.FEDERAL,
    "всеросс": PracticeLevel.FEDERAL,
}
# The acts the curator records, in the order of the register's buttons (DOMAIN.md, stage 1).
REGISTER_KINDS = (
    OrderKind.MODEL,
    OrderKind.REGULATION,
    OrderKind.ROADMAP,
    OrderKind.CURATOR,
    OrderKind.PAIRS,
)
NUMBER_LIMIT = 40
TEXT_LIMIT = 300


class ReportRefusal(StrEnum):
    """Why a report or a record was not made; rendered by `tr("report-refusal", reason=...)`."""

    BUSY = "busy"  # the same report is being generated (a double tap)
    NOT_FOUND = "not_found"  # a year of another school, or a stale button
    NUMBER_EMPTY = "number_empty"
    NUMBER_LONG = "number_long"
    DATE_WRONG = "date_wrong"
    DATE_FUTURE = "date_future"
    CONTACTS_WRONG = "contacts_wrong"
    EVENT_WRONG = "event_wrong"
    LEVEL_WRONG = "level_wrong"


@dataclass(frozen=True)
class SchoolReport:
    figures: SchoolFigures
    charts: tuple[Chart, ...]
    xlsx: bytes
    docx: bytes


@dataclass(frozen=True)
class SiteExport:
    """The results for the school website: one page as HTML and as .docx."""

    year: str
    html: bytes
    docx: bytes


@dataclass(frozen=True)
class DistrictReport:
    figures: DistrictFigures
    chart: Chart | None
    xlsx: bytes


@dataclass(frozen=True)
class Register:
    """What the curator has recorded for the district: acts, contacts, events."""

    acts: tuple[SchoolOrder, ...]
    contacts: CuratorContacts | None
    events: tuple[PracticeEvent, ...]


@dataclass(frozen=True)
class _Period:
    year_id: int | None
    label: str
    since: datetime | None  # the previous year's closing
    until: datetime | None  # this year's closing; None while the year is open


class ReportService:
    def __init__(
        self,
        reports: ReportsRepo,
        orders: OrdersRepo,
        years: SchoolYearsRepo,
        pairs: PairsRepo,
        people: PeopleRepo,
        banks: BankService,
        meetings: MeetingService,
        clock: Clock,
        practices: PracticeService,
        events: EventsRepo | None = None,
    ) -> None:
        self._practices = practices
        self._events = events
        self._reports = reports
        self._orders = orders
        self._years = years
        self._pairs = pairs
        self._people = people
        self._banks = banks
        self._meetings = meetings
        self._clock = clock
        self._building: set[tuple[str, int]] = set()

    @asynccontextmanager
    async def _once(self, kind: str, scope_id: int) -> AsyncIterator[bool]:
        """True for the first caller; False while the same report is being built."""
        key = (kind, scope_id)
        if key in self._building:
            yield False
            return
        self._building.add(key)
        try:
            yield True
        finally:
            self._building.discard(key)

    # --- the school ---

    async def years(self, school: Organization) -> list[SchoolYear]:
        return await self._years.of_school(school.id)

    async def _period(self, school: Organization, year_id: int | None) -> _Period | None:
        closed = await self._years.of_school(school.id)
        if year_id is None:
            today = self._clock.now().astimezone(ZoneInfo(school.timezone)).date()
            return _Period(None, year_label(today), closed[-1].closed_at if closed else None, None)
        for index, year in enumerate(closed):
            if year.id == year_id:
                since = closed[index - 1].closed_at if index else None
                return _Period(year.id, year.label, since, year.closed_at)
        return None

    async def school_report(
        self, school: Organization, year_id: int | None
    ) -> SchoolReport | ReportRefusal:
        async with self._once("school", school.id) as first:
            if not first:
                return ReportRefusal.BUSY
            period = await self._period(school, year_id)
            if period is None:
                return ReportRefusal.NOT_FOUND
            figures = await self._school_figures(school, period)
            report = await asyncio.to_thread(_draw_school, figures)
            log.info("school report made school_id=%s year_id=%s", school.id, year_id)
            return report

    async def site_export(self, school: Organization) -> SiteExport | ReportRefusal:
        """The open year's anonymised results for the site's «Наставничество» section."""
        async with self._once("site", school.id) as first:
            if not first:
                return ReportRefusal.BUSY
            figures = await self.current_figures(school)
            cases = await self._practices.published_cases(school.id, figures.year)
            export = await asyncio.to_thread(_draw_site, figures, cases)
            log.info("site export made school_id=%s", school.id)
            return export

    async def current_figures(self, school: Organization) -> SchoolFigures:
        """The open year's figures, without charts or documents (the control monitoring)."""
        period = await self._period(school, None)
        assert period is not None  # the open year always exists
        return await self._school_figures(school, period)

    async def _school_figures(self, school: Organization, period: _Period) -> SchoolFigures:
        now = self._clock.now()
        year_id = period.year_id
        pair_ids = await self._reports.pair_ids(school.id, year_id)
        if year_id is None:
            counts = await self._people.count_in_school(school.id)
            mentors, mentees = counts.get(Role.MENTOR, 0), counts.get(Role.MENTEE, 0)
            since = await self._reports.waiting_since(
                school.id, QUESTIONNAIRE_OF[Role.MENTEE], STUDENT_CATEGORY
            )
            wait = waiting([max(0, (now - submitted).days) for submitted in since])
            attention = await self._attention(school)
        else:
            worked = await self._reports.participants(school.id, year_id)
            mentors, mentees = worked.get(Role.MENTOR, 0), worked.get(Role.MENTEE, 0)
            wait, attention = None, ()
        answers = await self._reports.scale_answers(
            school.id,
            (MENTOR_SATISFACTION.id, MENTEE_SATISFACTION.id),
            period.since,
            period.until,
        )
        events = (await self._reports.events([school.id])).get(school.id, [])
        return SchoolFigures(
            school=school.name,
            year=period.label,
            archived=year_id is not None,
            mentors=mentors,
            mentees=mentees,
            withdrawn=await self._reports.withdrawals(school.id, period.since, period.until),
            waiting=wait,
            pairs=tuple(await self._reports.pair_counts(school.id, year_id)),
            outcomes=await self._reports.outcomes(school.id, year_id),
            confirmed_programs=await self._reports.confirmed_programs(pair_ids),
            months=tuple(await self._reports.meetings_by_month(pair_ids, now)),
            satisfaction=satisfaction(
                {Role.MENTOR: MENTOR_SATISFACTION, Role.MENTEE: MENTEE_SATISFACTION}, answers
            ),
            attention=attention,
            events=tuple(e for e in events if _within(e.held_on, period, school)),
            acts=tuple((await self._reports.acts([school.id])).get(school.id, [])),
            growth=await self.growth_before_after(school, year_id),
            training=await self._events.training(school.id, period.since, period.until, now)
            if self._events
            else None,
        )

    async def growth_before_after(
        self, school: Organization, year_id: int | None
    ) -> tuple[GrowthRow, ...]:
        """Growth per competence over the year's programs, anonymised (bot/completion sends
        the self-assessment at a program's start and at its completion); empty while fewer
        than three participants answered both, and then the report shows neither table nor
        chart. A participant's own growth is shown only on their pair card."""
        pair_ids = await self._reports.pair_ids(school.id, year_id)
        return growth(GROWTH_SELF_ASSESSMENT, await self._reports.growth_answers(pair_ids))

    async def _attention(self, school: Organization) -> tuple[AttentionPair, ...]:
        """Pairs needing attention, named as the curator sees them in the list of pairs."""
        risky = await self._meetings.at_risk(school.id)
        if not risky:
            return ()
        names = await self._banks.names(school.id)
        found = []
        for pair_id, days in sorted(risky.items(), key=lambda item: -item[1]):
            pair = await self._pairs.get(pair_id)
            if pair is not None:
                found.append(AttentionPair(pair_title(pair, names), days))
        return tuple(found)

    # --- the register of local acts, contacts and events ---

    async def register(self, school: Organization) -> Register:
        acts = (await self._reports.acts([school.id])).get(school.id, [])
        contacts = (await self._reports.contacts([school.id])).get(school.id)
        events = (await self._reports.events([school.id])).get(school.id, [])
        return Register(tuple(acts), contacts, tuple(events))

    def _today(self, school: Organization) -> date:
        return self._clock.now().astimezone(ZoneInfo(school.timezone)).date()

    async def record_act(
        self,
        school: Organization,
        kind: OrderKind,
        text: str,
        file: tuple[str, str] | None,
        curator: int,
    ) -> SchoolOrder | ReportRefusal:
        """An act as the curator types it: «№ 45 от 01.09.2025» (the file, if any, attached)."""
        found = _DATE.search(text)
        number = _NUMBER_NOISE.sub(" ", _DATE.sub(" ", text)).strip(" .,;:-\n\t")
        number = " ".join(number.split())
        if not number:
            return ReportRefusal.NUMBER_EMPTY
        if len(number) > NUMBER_LIMIT:
            return ReportRefusal.NUMBER_LONG
        signed_on = _date(found)
        if signed_on is None:
            return ReportRefusal.DATE_WRONG
        if signed_on > self._today(school):
            return ReportRefusal.DATE_FUTURE
        order = await self._orders.record(
            school.id, kind, number, signed_on, curator, self._clock.now(), file
        )
        log.info("local act recorded school_id=%s kind=%s", school.id, kind.value)
        return order

    async def set_contacts(
        self, school: Organization, text: str, curator: int
    ) -> CuratorContacts | ReportRefusal:
        """«ФИО; e-mail; телефон»."""
        parts = [" ".join(part.split()) for part in text.split(";")]
        if len(parts) != 3 or not all(parts) or "@" not in parts[1]:
            return ReportRefusal.CONTACTS_WRONG
        if any(len(part) > TEXT_LIMIT for part in parts):
            return ReportRefusal.CONTACTS_WRONG
        contacts = CuratorContacts(*parts)
        await self._reports.set_contacts(school.id, contacts, curator, self._clock.now())
        return contacts

    async def record_event(
        self, school: Organization, text: str, curator: int
    ) -> PracticeEvent | ReportRefusal:
        """«Название; уровень; дата; участников; результат; ссылка» (the link may be left out)."""
        parts = [" ".join(part.split()) for part in text.split(";")]
        if len(parts) not in (5, 6) or not parts[0] or any(len(p) > TEXT_LIMIT for p in parts):
            return ReportRefusal.EVENT_WRONG
        name, level_text, day, participants, result = parts[:5]
        level = next(
            (level for stem, level in _LEVELS.items() if level_text.lower().startswith(stem)),
            None,
        )
        if level is None:
            return ReportRefusal.LEVEL_WRONG
        held_on = _date(_DATE.fullmatch(day))
        if held_on is None:
            return ReportRefusal.DATE_WRONG
        if held_on > self._today(school):
            return ReportRefusal.DATE_FUTURE
        if not participants.isdigit():
            return ReportRefusal.EVENT_WRONG
        event = await self._reports.add_event(
            school.id,
            name,
            level,
            held_on,
            int(participants),
            result,
            parts[5] if len(parts) == 6 else "",
            curator,
            self._clock.now(),
        )
        log.info("practice event recorded school_id=%s event_id=%s", school.id, event.id)
        return event

    # --- the district ---

    async def district_years(self, district: District, schools: list[Organization]) -> list[str]:
        """The years a district report can be made for: the current one, then closed ones."""
        closed = await self._reports.closed_years([s.id for s in schools])
        current = year_label(self._clock.now().date())
        labels = {label for _, _, label, _ in closed} | {current}
        return sorted(labels, reverse=True)

    async def district_report(
        self, district: District, schools: list[Organization], label: str
    ) -> DistrictReport | ReportRefusal:
        async with self._once("district", district.id) as first:
            if not first:
                return ReportRefusal.BUSY
            if label not in await self.district_years(district, schools):
                return ReportRefusal.NOT_FOUND
            figures = await self._district_figures(district, schools, label)
            report = await asyncio.to_thread(_draw_district, figures)
            log.info("district report made district_id=%s schools=%s", district.id, len(schools))
            return report

    async def _district_figures(
        self, district: District, schools: list[Organization], label: str
    ) -> DistrictFigures:
        ids = [s.id for s in schools]
        closed = await self._reports.closed_years(ids)
        pairs = await self._reports.district_pairs(ids)
        acts = await self._reports.acts(ids)
        contacts = await self._reports.contacts(ids)
        events = await self._reports.events(ids)
        now = self._clock.now()
        current = year_label(now.date())
        rows = []
        forms: set[str] = set()
        for school in schools:
            own = [(year_id, lab, at) for sid, year_id, lab, at in closed if sid == school.id]
            period = _district_period(own, label, current)
            latest: dict[str, SchoolOrder] = {}
            for act in acts.get(school.id, []):
                latest.setdefault(act.kind.value, act)
            by_form: dict[str, int] = {}
            completed = 0
            if period is not None:
                for row in pairs:
                    if row.organization_id == school.id and row.year_id == period.year_id:
                        by_form[row.form] = by_form.get(row.form, 0) + row.pairs
                        completed += row.completed
                forms |= set(by_form)
            held = tuple(
                e
                for e in events.get(school.id, [])
                if period and _within(e.held_on, period, school)
            )
            trained = (
                await self._events.training(school.id, period.since, period.until, now)
                if self._events and period
                else None
            )
            rows.append(
                DistrictSchool(
                    school.name,
                    latest,
                    contacts.get(school.id),
                    by_form,
                    completed,
                    held,
                    period is not None and bool(by_form or held or period.year_id is not None),
                    trained.mentors_trained if trained else 0,
                )
            )
        order = [f.value for f in PairForm]
        return DistrictFigures(
            district.name,
            label,
            tuple(rows),
            tuple(sorted(forms, key=lambda f: order.index(f) if f in order else len(order))),
        )


def _district_period(
    closed: list[tuple[int, str, datetime]], label: str, current: str
) -> _Period | None:
    """A school's year with this label: closed under it, or the open year if it is current."""
    for index, (year_id, found, at) in enumerate(closed):
        if found == label:
            return _Period(year_id, label, closed[index - 1][2] if index else None, at)
    if label == current:
        return _Period(None, label, closed[-1][2] if closed else None, None)
    return None


def _within(day: date, period: _Period, school: Organization) -> bool:
    zone = ZoneInfo(school.timezone)
    after = period.since is None or day > period.since.astimezone(zone).date()
    before = period.until is None or day <= period.until.astimezone(zone).date()
    return after and before


def _date(found: re.Match[str] | None) -> date | None:
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _draw_school(figures: SchoolFigures) -> SchoolReport:
    """On a worker thread: charts, the workbook and the справка."""
    drawn = charts.school_charts(figures)
    tables = documents.school_tables(figures)
    return SchoolReport(
        figures,
        tuple(drawn),
        documents.workbook(tables),
        documents.reference(figures, tables, drawn),
    )


def _draw_site(figures: SchoolFigures, cases: list[PublishedCase]) -> SiteExport:
    """On a worker thread: the charts, then the page twice."""
    found = site.page(figures, charts.school_charts(figures), cases)
    return SiteExport(figures.year, site.html(found), site.docx(found))


def _draw_district(figures: DistrictFigures) -> DistrictReport:
    return DistrictReport(
        figures,
        charts.district_comparison(figures),
        documents.workbook(documents.district_tables(figures)),
    )
