"""The roadmap service: a school's roadmap of the year (made on first opening from the district's
template or the default one), the curator's edits, items the bot closes itself with the
evidence, reminders and digests through the outbox, exports, the district's template."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.i18n import Html, tr
from bot.core.outbox import message_payload
from bot.core.permissions import Action, Actor, can
from bot.core.zones import school_zone
from bot.participation.banks import BankService, to_xlsx
from bot.roadmap import documents, rules
from bot.roadmap.rules import Deadline, DeadlineRefusal, RoadmapView
from bot.roadmap.template import default_items
from bot.ui.callbacks import ItemAction, RoadmapDoneCb, RoadmapItemCb, RoadmapOpenCb
from bot.ui.keyboards import Keyboard
from storage.models import (
    AutoCheck,
    DeadlineKind,
    ItemStatus,
    Organization,
    RoadmapKind,
    Role,
)
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo
from storage.roadmap import NewItem, Progress, Roadmap, RoadmapItem, RoadmapRepo

log = logging.getLogger(__name__)

# School roadmaps per sweep batch: one batch holds the event loop a few milliseconds.
SWEEP_BATCH = 100
# Items handled between two yields to the event loop.
YIELD_EVERY = 500
OUTBOX_BATCH = 500
NOTICE_LIFETIME = timedelta(days=7)
FIELDS = ("activity", "content", "result", "responsible_role", "stage")
_BANK_FORMS = {
    AutoCheck.MENTEE_BANK: "mentee_questionnaire",
    AutoCheck.MENTOR_BANK: "mentor_questionnaire",
}


class RoadmapRefusal(StrEnum):
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    NOT_RESPONSIBLE = "not_responsible"
    DONE_ALREADY = "done_already"
    NOT_IN_SCHOOL = "not_in_school"
    EDGE = "edge"  # the first item cannot go up, nor the last down
    NOT_TEMPLATE = "not_template"
    EMPTY = "empty"


@dataclass(frozen=True)
class SchoolProgress:
    school: Organization
    progress: Progress | None  # None: the school has not opened its roadmap yet
    overdue: list[RoadmapItem]


@dataclass(frozen=True)
class Published:
    schools: int
    items: int


@dataclass(frozen=True)
class SweepReport:
    roadmaps: int = 0
    closed: int = 0
    reassigned: int = 0
    queued: int = 0


class RoadmapService:
    def __init__(
        self,
        roadmaps: RoadmapRepo,
        organizations: OrganizationsRepo,
        people: PeopleRepo,
        banks: BankService,
        outbox: OutboxRepo,
        quiet: QuietHours,
        clock: Clock,
        offsets: tuple[int, ...] = rules.DEFAULT_OFFSETS,
    ) -> None:
        self._roadmaps = roadmaps
        self._organizations = organizations
        self._people = people
        self._banks = banks
        self._outbox = outbox
        self._quiet = quiet
        self._clock = clock
        self._offsets = offsets

    def _today(self, zone: ZoneInfo) -> date:
        return self._clock.now().astimezone(zone).date()

    def _start(self, zone: ZoneInfo) -> int:
        return rules.year_start(self._today(zone))

    async def _zone(self, roadmap: Roadmap) -> ZoneInfo:
        if roadmap.kind is RoadmapKind.SCHOOL:
            school = await self._organizations.school(roadmap.scope_id)
            if school is not None:
                return ZoneInfo(school.timezone)
        schools = await self._organizations.schools(roadmap.district_id)
        return school_zone(schools[0] if schools else None)

    # Opening.

    async def of_school(self, school: Organization) -> Roadmap:
        """The school's roadmap of the current year: made on first opening from the district's
        published template, or else the default one; watched items are checked at once."""
        zone = ZoneInfo(school.timezone)
        start = self._start(zone)
        label = rules.year_label(start)
        roadmap = await self._roadmaps.find(RoadmapKind.SCHOOL, school.id, label)
        if roadmap is None:
            template = await self._roadmaps.find(RoadmapKind.DISTRICT, school.district_id, label)
            items = (
                self._from_template(await self._roadmaps.items(template.id), start)
                if template is not None and template.published_at is not None
                else default_items(start)
            )
            roadmap = await self._roadmaps.create(
                RoadmapKind.SCHOOL, school.id, school.district_id, label, items, self._clock.now()
            )
            log.info("roadmap created roadmap_id=%s school_id=%s", roadmap.id, school.id)
        await self._close_watched([roadmap])
        return roadmap

    async def recheck(self, school: Organization) -> None:
        """Something the bot watches happened in the school: close its items now, if the
        school has opened this year's roadmap (one opened later is checked on opening)."""
        label = rules.year_label(self._start(ZoneInfo(school.timezone)))
        roadmap = await self._roadmaps.find(RoadmapKind.SCHOOL, school.id, label)
        if roadmap is not None:
            await self._close_watched([roadmap])

    async def school_roadmap(self, actor: Actor, school_id: int) -> Roadmap | RoadmapRefusal:
        """The school's roadmap for its curator (a forged id of another school is refused)."""
        school = await self._organizations.school(school_id)
        if school is None:
            return RoadmapRefusal.NOT_FOUND
        if school.id not in actor.school_ids(Role.CURATOR):
            return RoadmapRefusal.FORBIDDEN
        return await self.of_school(school)

    async def district_template(self, district_id: int) -> Roadmap:
        """The district's template of the current year, begun from the default one."""
        schools = await self._organizations.schools(district_id)
        zone = school_zone(schools[0] if schools else None)
        start = self._start(zone)
        label = rules.year_label(start)
        found = await self._roadmaps.find(RoadmapKind.DISTRICT, district_id, label)
        if found is not None:
            return found
        return await self._roadmaps.create(
            RoadmapKind.DISTRICT,
            district_id,
            district_id,
            label,
            default_items(start),
            self._clock.now(),
        )

    @staticmethod
    def _from_template(items: list[RoadmapItem], start: int) -> list[NewItem]:
        return [
            NewItem(
                stage=item.stage,
                activity=item.activity,
                content=item.content,
                deadline_kind=item.deadline_kind,
                due_on=rules.place(
                    item.due_on.month,
                    item.due_on.day if item.deadline_kind is DeadlineKind.DATE else None,
                    start,
                ),
                responsible_role=item.responsible_role,
                result=item.result,
                auto=item.auto,
                template_item_id=item.id,
            )
            for item in items
        ]

    async def view(self, roadmap: Roadmap) -> RoadmapView:
        zone = await self._zone(roadmap)
        if roadmap.kind is RoadmapKind.SCHOOL:
            school = await self._organizations.school(roadmap.scope_id)
            title = school.name if school else ""
            names = await self._names(roadmap.scope_id)
        else:
            district = await self._organizations.district(roadmap.district_id)
            title = district.name if district else ""
            names = {}
        items = await self._roadmaps.items(roadmap.id)
        return RoadmapView(roadmap, title, items, names, self._today(zone))

    async def _names(self, school_id: int) -> dict[int, str]:
        names = await self._banks.names(school_id)
        for member in await self._people.members(Role.CURATOR, school_id):
            names.setdefault(
                member.person_id, tr.plain("roadmap-curator-name", telegram_id=member.telegram_id)
            )
        return names

    async def candidates(self, roadmap: Roadmap) -> dict[int, str]:
        """Who may be made responsible: the school's curators and mentors."""
        names = await self._names(roadmap.scope_id)
        allowed = {
            m.person_id
            for role in (Role.CURATOR, Role.MENTOR)
            for m in await self._people.members(role, roadmap.scope_id)
            if m.is_active
        }
        return {person: name for person, name in names.items() if person in allowed}

    # The scoped checks: a forged id of another school's or district's roadmap is refused.

    async def roadmap_for(self, actor: Actor, roadmap_id: int) -> Roadmap | RoadmapRefusal:
        roadmap = await self._roadmaps.get(roadmap_id)
        if roadmap is None:
            return RoadmapRefusal.NOT_FOUND
        return roadmap if self._may_edit(actor, roadmap) else RoadmapRefusal.FORBIDDEN

    async def item_for(
        self, actor: Actor, item_id: int
    ) -> tuple[RoadmapItem, Roadmap] | RoadmapRefusal:
        item = await self._roadmaps.item(item_id)
        if item is None:
            return RoadmapRefusal.NOT_FOUND
        roadmap = await self.roadmap_for(actor, item.roadmap_id)
        return roadmap if isinstance(roadmap, RoadmapRefusal) else (item, roadmap)

    @staticmethod
    def _may_edit(actor: Actor, roadmap: Roadmap) -> bool:
        if roadmap.kind is RoadmapKind.DISTRICT:
            return can(actor, Action.DISTRICT_ROADMAP, district_id=roadmap.district_id)
        return roadmap.scope_id in actor.school_ids(Role.CURATOR)

    # The curator's edits.

    async def add_item(
        self, roadmap: Roadmap, stage: str, activity: str, raw_deadline: str
    ) -> RoadmapItem | DeadlineRefusal:
        deadline = await self.parse(roadmap, raw_deadline)
        if isinstance(deadline, DeadlineRefusal):
            return deadline
        before = {item.id for item in await self._roadmaps.items(roadmap.id)}
        await self._roadmaps.add(
            roadmap.id, [NewItem(stage, activity, "", deadline.kind, deadline.due_on)]
        )
        added = [i for i in await self._roadmaps.items(roadmap.id) if i.id not in before]
        log.info("roadmap item added roadmap_id=%s", roadmap.id)
        return added[-1]

    async def parse(self, roadmap: Roadmap, raw: str) -> Deadline | DeadlineRefusal:
        zone = await self._zone(roadmap)
        start = int(roadmap.school_year.split("/")[0])
        return rules.parse_deadline(raw, self._clock.now(), zone, start)

    async def set_deadline(
        self, item: RoadmapItem, roadmap: Roadmap, raw: str
    ) -> RoadmapItem | DeadlineRefusal:
        deadline = await self.parse(roadmap, raw)
        if isinstance(deadline, DeadlineRefusal):
            return deadline
        await self._roadmaps.set_deadline(item.id, deadline.kind, deadline.due_on)
        # The reminders of the old deadline are withdrawn; the sweep queues the new ones.
        await self._outbox.withdraw_prefix(f"rm:{item.id}:", self._clock.now())
        return await self._reload(item)

    async def change(self, item: RoadmapItem, field: str, value: str) -> RoadmapItem:
        await self._roadmaps.change(item.id, field, value.strip()[:2000])
        return await self._reload(item)

    async def toggle_responsible(
        self, item: RoadmapItem, roadmap: Roadmap, person_id: int
    ) -> RoadmapItem | RoadmapRefusal:
        if roadmap.kind is not RoadmapKind.SCHOOL:
            return RoadmapRefusal.NOT_IN_SCHOOL
        if person_id not in await self.candidates(roadmap) and person_id not in item.responsibles:
            return RoadmapRefusal.NOT_IN_SCHOOL
        await self._roadmaps.toggle_responsible(item.id, person_id)
        return await self._reload(item)

    async def move(self, item: RoadmapItem, step: int) -> RoadmapItem | RoadmapRefusal:
        if not await self._roadmaps.move(item, step):
            return RoadmapRefusal.EDGE
        return await self._reload(item)

    async def remove(self, item: RoadmapItem) -> None:
        await self._roadmaps.remove(item.id)
        await self._outbox.withdraw_prefix(f"rm:{item.id}:", self._clock.now())
        log.info("roadmap item removed item_id=%s", item.id)

    async def reopen(self, item: RoadmapItem) -> RoadmapItem:
        await self._roadmaps.reopen(item.id)
        return await self._reload(item)

    async def _reload(self, item: RoadmapItem) -> RoadmapItem:
        fresh = await self._roadmaps.item(item.id)
        assert fresh is not None
        return fresh

    # Marked done by a person.

    async def done_by(self, actor: Actor, item_id: int) -> RoadmapItem | RoadmapRefusal:
        """The item, if the actor may mark it done: a responsible person or the curator."""
        item = await self._roadmaps.item(item_id)
        roadmap = await self._roadmaps.get(item.roadmap_id) if item else None
        if item is None or roadmap is None or roadmap.kind is not RoadmapKind.SCHOOL:
            return RoadmapRefusal.NOT_FOUND
        responsible = actor.person is not None and actor.person.id in item.responsibles
        if not responsible and not self._may_edit(actor, roadmap):
            return RoadmapRefusal.NOT_RESPONSIBLE
        if item.status is ItemStatus.DONE:
            return RoadmapRefusal.DONE_ALREADY
        return item

    async def mark_done(
        self, actor: Actor, item_id: int, note: str, file_id: str | None
    ) -> RoadmapItem | RoadmapRefusal:
        item = await self.done_by(actor, item_id)
        if isinstance(item, RoadmapRefusal):
            return item
        if not note.strip() and file_id is None:
            return RoadmapRefusal.EMPTY
        now = self._clock.now()
        if not await self._roadmaps.mark_done(
            item.id, now, actor.telegram_id, note.strip()[:1000], file_id
        ):
            return RoadmapRefusal.DONE_ALREADY
        await self._outbox.withdraw_prefix(f"rm:{item.id}:", now)
        log.info("roadmap item done item_id=%s", item.id)
        return await self._reload(item)

    # Exports.

    async def docx(self, roadmap: Roadmap) -> bytes:
        view = await self.view(roadmap)
        return await asyncio.to_thread(documents.roadmap_docx, view)

    async def xlsx(self, roadmap: Roadmap) -> bytes:
        view = await self.view(roadmap)

        def build() -> bytes:
            headers, rows = documents.table(view)
            return to_xlsx(tr.plain("roadmap-sheet"), headers, rows)

        return await asyncio.to_thread(build)

    # The district.

    async def district_progress(self, district_id: int) -> list[SchoolProgress]:
        schools = await self._organizations.schools(district_id)
        if not schools:
            return []
        zone = ZoneInfo(schools[0].timezone)
        today = self._today(zone)
        label = rules.year_label(rules.year_start(today))
        roadmaps = {r.scope_id: r for r in await self._roadmaps.of_district(district_id, label)}
        progress = await self._roadmaps.progress(
            [r.id for r in roadmaps.values()],
            today,
            rules.month_end(today.year, today.month),
        )
        found = []
        for school in schools:
            roadmap = roadmaps.get(school.id)
            overdue = (
                [
                    i
                    for i in await self._roadmaps.items(roadmap.id)
                    if i.status is ItemStatus.PLANNED and i.due_on < today
                ]
                if roadmap
                else []
            )
            found.append(
                SchoolProgress(school, progress.get(roadmap.id) if roadmap else None, overdue)
            )
        return found

    async def publish(self, template: Roadmap) -> Published | RoadmapRefusal:
        """The district's template goes to each of its schools: a school without this year's
        roadmap adopts it whole, the others get the items they do not have yet."""
        if template.kind is not RoadmapKind.DISTRICT:
            return RoadmapRefusal.NOT_TEMPLATE
        items = await self._roadmaps.items(template.id)
        now = self._clock.now()
        await self._roadmaps.mark_published(template.id, now)
        pushed = 0
        schools = await self._organizations.schools(template.district_id)
        notices: list[Queued] = []
        for school in schools:
            start = self._start(ZoneInfo(school.timezone))
            label = rules.year_label(start)
            new = self._from_template(items, start)
            roadmap = await self._roadmaps.find(RoadmapKind.SCHOOL, school.id, label)
            if roadmap is None:
                await self._roadmaps.create(
                    RoadmapKind.SCHOOL, school.id, school.district_id, label, new, now
                )
                added = len(new)
            else:
                added = await self._roadmaps.add(roadmap.id, new)
            pushed += added
            if added:
                payload = message_payload(
                    tr("roadmap-pushed", count=added), _open_button(school.id)
                )
                for curator in await self._people.holders(Role.CURATOR, school.id):
                    notices.append(
                        Queued(
                            f"rmp:{template.id}:{now:%Y%m%d%H%M%S}:{curator}",
                            curator,
                            "curator_notice",
                            payload,
                            now,
                            now + NOTICE_LIFETIME,
                        )
                    )
        if notices:
            await self._outbox.enqueue_many(notices, now)
        log.info(
            "roadmap template published district_id=%s schools=%s items=%s",
            template.district_id,
            len(schools),
            pushed,
        )
        return Published(len(schools), pushed)

    # The daily sweep.

    async def sweep(self) -> SweepReport:
        """Daily: close what the bot saw happen, hand over the items of people who left,
        queue reminders before deadlines, overdue notices and the month's digest; a page of
        school roadmaps at a time."""
        report = SweepReport()
        after = 0
        while True:
            page = await self._roadmaps.school_roadmaps_after(after, SWEEP_BATCH)
            if not page:
                return report
            after = page[-1].id
            current = [r for r in page if await self._is_current(r)]
            part = await self._sweep_page(current)
            report = SweepReport(
                report.roadmaps + part.roadmaps,
                report.closed + part.closed,
                report.reassigned + part.reassigned,
                report.queued + part.queued,
            )
            await asyncio.sleep(0)  # let updates in between the pages

    async def _is_current(self, roadmap: Roadmap) -> bool:
        school = await self._organizations.school(roadmap.scope_id)
        if school is None:
            return False
        start = self._start(ZoneInfo(school.timezone))
        return roadmap.school_year == rules.year_label(start)

    async def _sweep_page(self, roadmaps: list[Roadmap]) -> SweepReport:
        if not roadmaps:
            return SweepReport()
        now = self._clock.now()
        closed = await self._close_watched(roadmaps)
        horizon = max(self._offsets) + 1
        by_id = {r.id: r for r in roadmaps}
        latest = max([self._today(await self._zone(r)) for r in roadmaps])
        items = await self._roadmaps.open_items(list(by_id), latest + timedelta(days=horizon))
        schools = sorted({r.scope_id for r in roadmaps})
        curators = await self._roadmaps.curators(schools)
        reassigned = await self._hand_over(items, by_id, curators)
        if reassigned:
            items = await self._roadmaps.open_items(list(by_id), latest + timedelta(days=horizon))
        people = sorted({p for item in items for p in item.responsibles})
        telegram = await self._roadmaps.telegram_ids(people)
        queue: list[Queued] = []
        overdue: dict[int, list[RoadmapItem]] = {}
        # Items of one template share their texts: each distinct reminder is formatted once.
        payloads: dict[tuple[str, object, int, bool], dict[str, Any]] = {}
        for number, item in enumerate(items):
            if number % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)
            roadmap = by_id[item.roadmap_id]
            school = await self._organizations.school(roadmap.scope_id)
            assert school is not None
            zone = ZoneInfo(school.timezone)
            today = self._today(zone)
            school_curators = [tid for _, tid in curators.get(school.id, [])]
            if item.due_on < today:
                overdue.setdefault(roadmap.id, []).append(item)
                continue
            if item.due_on > today + timedelta(days=horizon):
                continue
            addressees = [telegram[p] for p in item.responsibles if p in telegram]
            unassigned = not addressees
            if unassigned:
                addressees = school_curators  # no one named: the curator is reminded
            for days, due in rules.reminder_moments(
                item.due_on, now, zone, self._quiet, self._offsets
            ):
                key = (item.activity, (item.deadline_kind, item.due_on), days, unassigned)
                if key not in payloads:
                    payloads[key] = message_payload(
                        tr(
                            "roadmap-reminder",
                            activity=item.activity,
                            deadline=rules.shown(item),
                            days=days,
                            unassigned=unassigned,
                        )
                    )
                payload = {**payloads[key], "reply_markup": _done_markup(item.id)}
                for chat in addressees:
                    queue.append(
                        Queued(
                            f"rm:{item.id}:{item.due_on}:{days}:{chat}",
                            chat,
                            "roadmap_reminder",
                            payload,
                            due,
                            rules.end_of(item.due_on, zone),
                        )
                    )
        queue += self._overdue(overdue, by_id, curators, now)
        queue += await self._digests(roadmaps, curators, now)
        for start in range(0, len(queue), OUTBOX_BATCH):
            await self._outbox.enqueue_many(queue[start : start + OUTBOX_BATCH], now)
        return SweepReport(len(roadmaps), closed, reassigned, len(queue))

    @staticmethod
    def _overdue(
        overdue: dict[int, list[RoadmapItem]],
        roadmaps: dict[int, Roadmap],
        curators: dict[int, list[tuple[int, int]]],
        now: datetime,
    ) -> list[Queued]:
        """One notice to each curator listing the overdue items, again only when another item
        falls overdue (the key holds the latest deadline passed)."""
        found = []
        for roadmap_id, items in overdue.items():
            lines = "\n".join(
                tr("roadmap-overdue-line", activity=i.activity, deadline=rules.shown(i))
                for i in items
            )
            payload = message_payload(
                tr("roadmap-overdue", count=len(items), items=Html(lines)),
                _open_button(roadmaps[roadmap_id].scope_id),
            )
            latest = max(i.due_on for i in items)
            for _, tid in curators.get(roadmaps[roadmap_id].scope_id, []):
                found.append(
                    Queued(
                        f"rmo:{roadmap_id}:{latest}:{tid}",
                        tid,
                        "curator_notice",
                        payload,
                        now,
                        now + NOTICE_LIFETIME,
                    )
                )
        return found

    async def _close_watched(self, roadmaps: list[Roadmap]) -> int:
        """Close the open items the bot watches once it sees them happen, with the evidence:
        the banks (a questionnaire submitted), the pairs order of this school year, the
        control monitoring's data sent to the district."""
        ids = [r.id for r in roadmaps]
        watched = [
            item
            for item in await self._roadmaps.open_items(ids, date.min)
            if item.auto is not AutoCheck.NONE
        ]
        if not watched:
            return 0
        by_id = {r.id: r for r in roadmaps}
        schools = sorted({by_id[i.roadmap_id].scope_id for i in watched})
        banks = await self._roadmaps.submitted_questionnaires(schools, list(_BANK_FORMS.values()))
        since = min(date(int(r.school_year[:4]), 9, 1) for r in roadmaps) - timedelta(days=31)
        orders = await self._roadmaps.pairs_orders(schools, since)
        reported = await self._roadmaps.monitoring_submissions(
            schools, datetime.combine(since, time(), tzinfo=UTC)
        )
        now = self._clock.now()
        closed = 0
        for item in watched:
            roadmap = by_id[item.roadmap_id]
            school = roadmap.scope_id
            evidence = ""
            if item.auto is AutoCheck.PAIRS_ORDER and school in orders:
                number, signed = orders[school]
                if signed >= date(int(roadmap.school_year[:4]), 8, 1):
                    evidence = tr.plain(
                        "roadmap-evidence-order", number=number, signed=f"{signed:%d.%m.%Y}"
                    )
            elif item.auto in _BANK_FORMS and (school, _BANK_FORMS[item.auto]) in banks:
                count, last = banks[(school, _BANK_FORMS[item.auto])]
                evidence = tr.plain(
                    "roadmap-evidence-bank", auto=item.auto, count=count, last=f"{last:%d.%m.%Y}"
                )
            elif item.auto is AutoCheck.MONITORING_REPORT and school in reported:
                at, pairs, completed = reported[school]
                if at.date() >= date(int(roadmap.school_year[:4]), 8, 1):
                    evidence = tr.plain(
                        "roadmap-evidence-monitoring",
                        submitted=f"{at:%d.%m.%Y}",
                        pairs=pairs,
                        completed=completed,
                    )
            if evidence and await self._roadmaps.mark_done(item.id, now, None, evidence):
                await self._outbox.withdraw_prefix(f"rm:{item.id}:", now)
                closed += 1
                log.info("roadmap item closed by the bot item_id=%s", item.id)
        return closed

    async def _hand_over(
        self,
        items: list[RoadmapItem],
        roadmaps: dict[int, Roadmap],
        curators: dict[int, list[tuple[int, int]]],
    ) -> int:
        """A responsible person who left the school or withdrew consent is taken off their
        items; the school's curator takes them over and is told."""
        now = self._clock.now()
        by_school: dict[int, list[RoadmapItem]] = {}
        for item in items:
            if item.responsibles:
                by_school.setdefault(roadmaps[item.roadmap_id].scope_id, []).append(item)
        handed = 0
        notices: list[Queued] = []
        for school, school_items in by_school.items():
            people = sorted({p for item in school_items for p in item.responsibles})
            present = await self._roadmaps.still_in_school(school, people)
            successor = curators.get(school, [(None, None)])[0][0]
            for item in school_items:
                for gone in (p for p in item.responsibles if p not in present):
                    await self._roadmaps.replace_responsible(item.id, gone, successor)
                    handed += 1
                    log.info("roadmap item handed over item_id=%s", item.id)
                    payload = message_payload(
                        tr("roadmap-handed-over", activity=item.activity), _item_button(item.id)
                    )
                    notices += [
                        Queued(
                            f"rmh:{item.id}:{gone}:{tid}",
                            tid,
                            "curator_notice",
                            payload,
                            now,
                            now + NOTICE_LIFETIME,
                        )
                        for _, tid in curators.get(school, [])
                    ]
        if notices:
            await self._outbox.enqueue_many(notices, now)
        return handed

    async def _digests(
        self,
        roadmaps: list[Roadmap],
        curators: dict[int, list[tuple[int, int]]],
        now: datetime,
    ) -> list[Queued]:
        """The month's digest to each curator, once a month (the key holds the month)."""
        found: list[Queued] = []
        by_zone: dict[str, list[Roadmap]] = {}
        for roadmap in roadmaps:
            school = await self._organizations.school(roadmap.scope_id)
            assert school is not None
            by_zone.setdefault(school.timezone, []).append(roadmap)
        for zone_name, group in by_zone.items():
            zone = ZoneInfo(zone_name)
            today = self._today(zone)
            progress = await self._roadmaps.progress(
                [r.id for r in group], today, rules.month_end(today.year, today.month)
            )
            for roadmap in group:
                figures = progress.get(roadmap.id)
                if figures is None or not figures.total:
                    continue
                payload = message_payload(
                    tr(
                        "roadmap-digest",
                        month=rules.month_name(today.month),
                        done=figures.done,
                        total=figures.total,
                        due=figures.due_this_month,
                        overdue=figures.overdue,
                    ),
                    _open_button(roadmap.scope_id),
                )
                due = rules.delivery_time_today(now, zone, self._quiet)
                for _, tid in curators.get(roadmap.scope_id, []):
                    found.append(
                        Queued(
                            f"rmd:{roadmap.id}:{today:%Y-%m}:{tid}",
                            tid,
                            "curator_notice",
                            payload,
                            due,
                            due + NOTICE_LIFETIME,
                        )
                    )
        return found


@cache
def _done_label() -> str:
    return tr.plain("btn-roadmap-done")


def _done_markup(item_id: int) -> dict[str, Any]:
    """The reminder's button, as the outbox keeps it (built without pydantic: thousands a day)."""
    data = RoadmapDoneCb(item_id=item_id).pack()
    button = {"text": _done_label(), "callback_data": data}
    return {"inline_keyboard": [[button]]}


def _item_button(item_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-roadmap-item-open"),
        callback_data=RoadmapItemCb(item_id=item_id, action=ItemAction.CARD),
    )
    return kb.as_markup()


def _open_button(school_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr.plain("btn-roadmap"), callback_data=RoadmapOpenCb(school_id=school_id))
    return kb.as_markup()
