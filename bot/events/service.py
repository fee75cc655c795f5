"""Events the bot organises (issue 15): a curator's for their school, a coordinator's for their
district. Invitations with «Иду» / «Не смогу», the reminders to those who go, the notices of a
new time or a cancellation and the materials all go through the one outbox, each under a key of
its own, so nothing is sent twice and quiet hours are the outbox's. The audiences are the
broadcasts' (`BroadcastService.recipients`), not a second query."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.broadcasts.service import Audience, BroadcastService
from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import Media, message_payload
from bot.core.permissions import Action, Actor, can
from bot.core.when import shown
from bot.core.zones import school_zone
from bot.organizations.service import OrganizationService
from bot.participation.banks import BankService, unnamed
from bot.ui.callbacks import EventReplyAction, EventReplyCb
from bot.ui.keyboards import Keyboard
from storage.events import (
    Event,
    EventAnswer,
    EventKind,
    EventsRepo,
    EventStatus,
    Invitation,
    Invitee,
    Material,
)
from storage.models import District, Organization, Role
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo

log = logging.getLogger(__name__)

KINDS = tuple(EventKind)
REMINDERS = (timedelta(days=1), timedelta(hours=1))  # before the event, to those who go
TITLE_LIMIT = 200
PLACE_LIMIT = 300
LISTED = 20  # events on the organiser's screen
NOTICE_LIFETIME = timedelta(days=2)
MATERIALS_LIFETIME = timedelta(days=14)
BATCH = 500


class EventAudience(StrEnum):
    EVERYONE = "everyone"
    MENTORS = "mentors"
    MENTEES = "mentees"
    CURATORS = "curators"  # a district's event: the curators of its schools


SCHOOL_AUDIENCES = (EventAudience.EVERYONE, EventAudience.MENTORS, EventAudience.MENTEES)
DISTRICT_AUDIENCES = (EventAudience.CURATORS, *SCHOOL_AUDIENCES)
_BROADCAST_AUDIENCE = {
    EventAudience.EVERYONE: Audience.EVERYONE,
    EventAudience.MENTORS: Audience.MENTORS,
    EventAudience.MENTEES: Audience.MENTEES,
}


class EventRefusal(StrEnum):
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"  # no such event, or the person is not invited
    PAST = "past"  # the time given has passed
    TITLE = "title"  # empty or too long
    PLACE = "place"
    NO_RECIPIENTS = "no_recipients"
    CANCELLED = "cancelled"
    STARTED = "started"  # an answer or a new time after the event began
    NOT_HELD = "not_held"  # attendance or materials before the event
    NO_MATERIALS = "no_materials"
    NOBODY_ATTENDED = "nobody_attended"
    NOT_ATTENDED = "not_attended"  # materials asked for by one not marked present


@dataclass(frozen=True, slots=True)
class Host:
    """Who organises: a school, or a district (school None), with the schools it reaches."""

    district: District
    school: Organization | None
    schools: tuple[Organization, ...]

    @property
    def zone(self) -> ZoneInfo:
        first = self.school or (self.schools[0] if self.schools else None)
        return school_zone(first)

    @property
    def audiences(self) -> tuple[EventAudience, ...]:
        return SCHOOL_AUDIENCES if self.school else DISTRICT_AUDIENCES

    @property
    def name(self) -> str:
        return self.school.name if self.school else self.district.name


@dataclass(frozen=True, slots=True)
class Draft:
    kind: EventKind
    title: str
    starts_at: datetime
    place: str
    audience: EventAudience
    key: str  # made when the organiser began: a double tap finds the same event


@dataclass(frozen=True, slots=True)
class Created:
    event: Event
    invited: int
    repeated: bool


@dataclass(frozen=True, slots=True)
class Guest:
    person_id: int
    name: str
    answer: EventAnswer | None
    attended: bool


@dataclass(frozen=True, slots=True)
class EventCard:
    event: Event
    host: Host
    guests: tuple[Guest, ...]
    materials: int

    @property
    def zone(self) -> ZoneInfo:
        return self.host.zone

    def count(self, answer: EventAnswer | None) -> int:
        return sum(1 for g in self.guests if g.answer is answer)

    @property
    def attended(self) -> int:
        return sum(1 for g in self.guests if g.attended)


@dataclass(frozen=True, slots=True)
class Reply:
    """An invited person's view of the event: their answer, in their school's time."""

    event: Event
    answer: EventAnswer | None
    zone: ZoneInfo
    attended: bool = False
    materials: bool = False  # files to open again (only for one marked present)


def _key(event: Event, *parts: object) -> str:
    return ":".join(("ev", str(event.id), *map(str, parts)))


def _remind_prefix(event: Event, person_id: int | None = None) -> str:
    """Every reminder of the event's current time (or of one person): withdrawn together."""
    tail = "" if person_id is None else f"{person_id}:"
    return f"{_key(event, 'rem', event.revision)}:{tail}"


def kind_name(kind: EventKind) -> str:
    return tr.plain("event-kind", kind=kind)


def reply_buttons(event: Event) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for action, label in (
        (EventReplyAction.GOING, tr.plain("btn-event-going")),
        (EventReplyAction.NOT_GOING, tr.plain("btn-event-not-going")),
    ):
        kb.button(text=label, callback_data=EventReplyCb(action=action, event_id=event.id))
    kb.adjust(2)
    return kb.as_markup()


class EventService:
    def __init__(
        self,
        repo: EventsRepo,
        organizations: OrganizationService,
        broadcasts: BroadcastService,
        banks: BankService,
        people: PeopleRepo,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._repo = repo
        self._organizations = organizations
        self._broadcasts = broadcasts
        self._banks = banks
        self._people = people
        self._outbox = outbox
        self._clock = clock

    # --- who organises ---

    async def host(self, actor: Actor, school_id: int, district_id: int) -> Host | EventRefusal:
        """A school (school_id) its curator or its district's coordinator organises for, or a
        district (school_id 0) its coordinator does; a forged id of another is refused."""
        if school_id:
            school = await self._organizations.school(school_id)
            if school is None:
                return EventRefusal.NOT_FOUND
            district = await self._organizations.district(school.district_id)
            scope = {"district_id": school.district_id, "organization_id": school.id}
            if district is None or not can(actor, Action.ORGANISE_EVENTS, **scope):
                return EventRefusal.FORBIDDEN
            return Host(district, school, (school,))
        district = await self._organizations.district(district_id)
        if district is None:
            return EventRefusal.NOT_FOUND
        if district.id not in actor.district_ids(Role.COORDINATOR):
            return EventRefusal.FORBIDDEN
        schools = await self._organizations.schools(district.id)
        return Host(district, None, tuple(schools))

    async def _host_of(self, actor: Actor, event: Event) -> Host | EventRefusal:
        return await self.host(actor, event.organization_id or 0, event.district_id)

    async def _organised(self, actor: Actor, event_id: int) -> tuple[Event, Host] | EventRefusal:
        event = await self._repo.get(event_id)
        if event is None:
            return EventRefusal.NOT_FOUND
        host = await self._host_of(actor, event)
        if isinstance(host, EventRefusal):
            return host
        return event, host

    async def events(self, host: Host) -> list[Event]:
        district_id = host.district.id
        return await self._repo.organised(
            host.school.id if host.school else None, district_id, LISTED
        )

    # --- the audience ---

    async def recipients(self, host: Host, audience: EventAudience) -> list[Invitee]:
        chosen: dict[int, Invitee] = {}
        for school in host.schools:
            if audience is EventAudience.CURATORS:
                for member in await self._people.members(Role.CURATOR, school.id):
                    if member.is_active:
                        chosen.setdefault(
                            member.person_id,
                            Invitee(member.person_id, member.telegram_id, school.id, Role.CURATOR),
                        )
                continue
            entries = await self._broadcasts.recipients(school.id, _BROADCAST_AUDIENCE[audience])
            for entry in entries:
                assert entry.role is not None  # the bank audiences carry the role
                chosen.setdefault(
                    entry.person_id,
                    Invitee(entry.person_id, entry.telegram_id, school.id, entry.role),
                )
        return list(chosen.values())

    # --- creating ---

    def check_title(self, text: str) -> str | EventRefusal:
        title = " ".join(text.split())
        return title if 0 < len(title) <= TITLE_LIMIT else EventRefusal.TITLE

    def check_place(self, text: str) -> str | EventRefusal:
        place = text.strip()
        return place if 0 < len(place) <= PLACE_LIMIT else EventRefusal.PLACE

    async def create(
        self, actor: Actor, school_id: int, district_id: int, draft: Draft
    ) -> Created | EventRefusal:
        """Create the event of this draft and invite its audience; again for the same draft
        (a double tap, a crash half-way), nothing is created or sent twice."""
        host = await self.host(actor, school_id, district_id)
        if isinstance(host, EventRefusal):
            return host
        if actor.person is None or draft.audience not in host.audiences:
            return EventRefusal.FORBIDDEN
        for checked in (self.check_title(draft.title), self.check_place(draft.place)):
            if isinstance(checked, EventRefusal):
                return checked
        now = self._clock.now()
        if draft.starts_at <= now:
            return EventRefusal.PAST
        invitees = await self.recipients(host, draft.audience)
        if not invitees:
            return EventRefusal.NO_RECIPIENTS
        event, new = await self._repo.create(
            host.school.id if host.school else None,
            host.district.id,
            draft.kind,
            draft.title,
            draft.starts_at,
            draft.place,
            draft.audience.value,
            actor.person.id,
            draft.key,
            now,
        )
        if event.status is not EventStatus.PLANNED:
            return EventRefusal.CANCELLED
        payload = message_payload(self._invitation_text(event, host.zone), reply_buttons(event))
        for start in range(0, len(invitees), BATCH):
            part = invitees[start : start + BATCH]
            await self._repo.invite(event.id, part)
            await self._outbox.enqueue_many(
                [
                    Queued(
                        _key(event, "inv", i.person_id),
                        i.telegram_id,
                        "event_invitation",
                        payload,
                        now,
                        event.starts_at,
                    )
                    for i in part
                ],
                now,
            )
        log.info("event created event_id=%s invited=%s new=%s", event.id, len(invitees), new)
        return Created(event, len(invitees), not new)

    def _invitation_text(self, event: Event, zone: ZoneInfo) -> str:
        return tr(
            "event-invitation",
            kind=kind_name(event.kind),
            title=event.title,
            when=shown(event.starts_at, zone),
            place=event.place,
        )

    # --- the organiser's card ---

    async def card(self, actor: Actor, event_id: int) -> EventCard | EventRefusal:
        found = await self._organised(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, host = found
        invitations = await self._repo.invitations(event.id)
        names: dict[int, str] = {}
        for school_id in sorted({i.organization_id for i in invitations}):
            names.update(await self._banks.names(school_id))
        order = {EventAnswer.GOING: 0, EventAnswer.NOT_GOING: 1, None: 2}
        guests = sorted(
            (
                Guest(
                    i.person_id,
                    names.get(i.person_id) or unnamed(i.telegram_id),
                    i.answer,
                    i.attended,
                )
                for i in invitations
            ),
            key=lambda g: (order[g.answer], g.name),
        )
        materials = await self._repo.materials(event.id)
        return EventCard(event, host, tuple(guests), len(materials))

    # --- answers ---

    async def _invited(
        self, actor: Actor, event_id: int
    ) -> tuple[Event, Invitation, ZoneInfo] | EventRefusal:
        event = await self._repo.get(event_id)
        if event is None or actor.person is None:
            return EventRefusal.NOT_FOUND
        invitation = await self._repo.invitation(event.id, actor.person.id)
        if invitation is None:
            return EventRefusal.NOT_FOUND
        school = await self._organizations.school(invitation.organization_id)
        zone = school_zone(school)
        return event, invitation, zone

    async def invitation(self, actor: Actor, event_id: int) -> Reply | EventRefusal:
        found = await self._invited(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, invitation, zone = found
        materials = invitation.attended and bool(await self._repo.materials(event.id))
        return Reply(event, invitation.answer, zone, invitation.attended, materials)

    async def answer(self, actor: Actor, event_id: int, going: bool) -> Reply | EventRefusal:
        """One answer a person, changeable until the event begins; «Иду» schedules the two
        reminders, «Не смогу» withdraws them."""
        found = await self._invited(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, invitation, zone = found
        if event.status is EventStatus.CANCELLED:
            return EventRefusal.CANCELLED
        now = self._clock.now()
        if now >= event.starts_at:
            return EventRefusal.STARTED
        answer = EventAnswer.GOING if going else EventAnswer.NOT_GOING
        await self._repo.answer(event.id, invitation.person_id, answer, now)
        if going:
            await self._remind(event, [invitation], zone, now)
        else:
            await self._outbox.withdraw_prefix(_remind_prefix(event, invitation.person_id), now)
        return Reply(event, answer, zone)

    async def _remind(
        self, event: Event, going: list[Invitation], zone: ZoneInfo, now: datetime
    ) -> None:
        """The day-before and the hour-before reminders; the outbox holds one that falls into
        quiet hours until they end, and drops it once the event has begun (its expiry)."""
        text = tr(
            "event-reminder",
            kind=kind_name(event.kind),
            title=event.title,
            when=shown(event.starts_at, zone),
            place=event.place,
        )
        rows = [
            Queued(
                f"{_remind_prefix(event, i.person_id)}{int(before.total_seconds() // 60)}",
                i.telegram_id,
                "event_reminder",
                message_payload(text),
                event.starts_at - before,
                event.starts_at,
            )
            for before in REMINDERS
            if event.starts_at - before > now
            for i in going
        ]
        if rows:
            await self._outbox.enqueue_many(rows, now)

    # --- a new time, a cancellation ---

    async def move(
        self, actor: Actor, event_id: int, starts_at: datetime
    ) -> EventCard | EventRefusal:
        """A new time: the old reminders are withdrawn, those who go get new ones, everyone
        who answered is told."""
        found = await self._organised(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, host = found
        now = self._clock.now()
        if event.status is EventStatus.CANCELLED:
            return EventRefusal.CANCELLED
        if now >= event.starts_at:
            return EventRefusal.STARTED
        if starts_at <= now:
            return EventRefusal.PAST
        await self._outbox.withdraw_prefix(f"{_key(event, 'rem')}:", now)
        moved = await self._repo.move(event.id, starts_at)
        if moved is None or moved.status is not EventStatus.PLANNED:
            return EventRefusal.CANCELLED
        answered = [i for i in await self._repo.invitations(moved.id) if i.answer is not None]
        await self._remind(
            moved, [i for i in answered if i.answer is EventAnswer.GOING], host.zone, now
        )
        text = tr(
            "event-moved",
            kind=kind_name(moved.kind),
            title=moved.title,
            was=shown(event.starts_at, host.zone),
            when=shown(moved.starts_at, host.zone),
            place=moved.place,
        )
        await self._notify(moved, answered, f"moved{moved.revision}", text, reply_buttons(moved))
        log.info("event moved event_id=%s revision=%s", moved.id, moved.revision)
        return await self.card(actor, moved.id)

    async def cancel(self, actor: Actor, event_id: int) -> EventCard | EventRefusal:
        """Cancelled once: the pending invitations and reminders are withdrawn, those who
        answered are told (a second tap tells nobody again)."""
        found = await self._organised(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, host = found
        now = self._clock.now()
        if now >= event.starts_at:
            return EventRefusal.STARTED
        if not await self._repo.cancel(event.id):
            return EventRefusal.CANCELLED
        await self._outbox.withdraw_prefix(f"{_key(event)}:", now)
        answered = [i for i in await self._repo.invitations(event.id) if i.answer is not None]
        text = tr(
            "event-cancelled",
            kind=kind_name(event.kind),
            title=event.title,
            when=shown(event.starts_at, host.zone),
        )
        await self._notify(event, answered, "cancelled", text)
        log.info("event cancelled event_id=%s", event.id)
        return await self.card(actor, event.id)

    async def _notify(
        self,
        event: Event,
        people: list[Invitation],
        what: str,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        now = self._clock.now()
        payload = message_payload(text, markup)
        await self._outbox.enqueue_many(
            [
                Queued(
                    _key(event, what, i.person_id),
                    i.telegram_id,
                    "event_notice",
                    payload,
                    now,
                    now + NOTICE_LIFETIME,
                )
                for i in people
            ],
            now,
        )

    # --- after the event ---

    async def _held(self, actor: Actor, event_id: int) -> tuple[Event, Host] | EventRefusal:
        found = await self._organised(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        event, _ = found
        if event.status is EventStatus.CANCELLED:
            return EventRefusal.CANCELLED
        if self._clock.now() < event.starts_at:
            return EventRefusal.NOT_HELD
        return found

    async def attendance(self, actor: Actor, event_id: int) -> EventCard | EventRefusal:
        held = await self._held(actor, event_id)
        if isinstance(held, EventRefusal):
            return held
        return await self.card(actor, event_id)

    async def mark(
        self, actor: Actor, event_id: int, person_id: int, attended: bool
    ) -> EventCard | EventRefusal:
        held = await self._held(actor, event_id)
        if isinstance(held, EventRefusal):
            return held
        if not await self._repo.mark(event_id, person_id, attended):
            return EventRefusal.NOT_FOUND  # a forged person: not invited
        return await self.card(actor, event_id)

    async def mark_going(self, actor: Actor, event_id: int) -> EventCard | EventRefusal:
        held = await self._held(actor, event_id)
        if isinstance(held, EventRefusal):
            return held
        marked = await self._repo.mark_going(event_id)
        log.info("event attendance of those going event_id=%s marked=%s", event_id, marked)
        return await self.card(actor, event_id)

    async def open_materials(self, actor: Actor, event_id: int) -> Event | EventRefusal:
        held = await self._held(actor, event_id)
        return held if isinstance(held, EventRefusal) else held[0]

    async def add_material(
        self, actor: Actor, event_id: int, file_id: str, file_name: str
    ) -> int | EventRefusal:
        """The number of materials the event has now."""
        held = await self._held(actor, event_id)
        if isinstance(held, EventRefusal):
            return held
        await self._repo.add_material(event_id, file_id, file_name, self._clock.now())
        return len(await self._repo.materials(event_id))

    async def send_materials(self, actor: Actor, event_id: int) -> int | EventRefusal:
        """Those marked present get a notice and every file as a document, through the
        outbox (quiet hours, rate limits, a blocked bot). Each file has a key per person, so
        a second tap sends nothing twice and a file added later goes alone to those who got
        the others (the notice is once a person)."""
        held = await self._held(actor, event_id)
        if isinstance(held, EventRefusal):
            return held
        event, _ = held
        materials = await self._repo.materials(event.id)
        if not materials:
            return EventRefusal.NO_MATERIALS
        present = [i for i in await self._repo.invitations(event.id) if i.attended]
        if not present:
            return EventRefusal.NOBODY_ATTENDED
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-event-open"),
            callback_data=EventReplyCb(action=EventReplyAction.OPEN, event_id=event.id),
        )
        kind = kind_name(event.kind)
        notice = message_payload(
            tr("event-materials-ready", kind=kind, title=event.title, count=len(materials)),
            kb.as_markup(),
        )
        caption = tr("event-material-caption", kind=kind, title=event.title)
        files = [
            (m, message_payload(caption, media=Media.DOCUMENT, file_id=m.file_id))
            for m in materials
        ]
        now = self._clock.now()
        expires = now + MATERIALS_LIFETIME
        step = max(1, BATCH // (1 + len(files)))
        for start in range(0, len(present), step):
            rows = []
            for i in present[start : start + step]:
                # The notice first, then the files: the outbox sends a chat's rows in order.
                rows.append(
                    Queued(
                        _key(event, "mat", i.person_id),
                        i.telegram_id,
                        "event_materials",
                        notice,
                        now,
                        expires,
                    )
                )
                rows += [
                    Queued(
                        _key(event, "doc", m.id, i.person_id),
                        i.telegram_id,
                        "event_material",
                        payload,
                        now,
                        expires,
                    )
                    for m, payload in files
                ]
            await self._outbox.enqueue_many(rows, now)
        log.info(
            "event materials queued event_id=%s people=%s files=%s",
            event.id,
            len(present),
            len(files),
        )
        return len(present)

    async def materials_for(self, actor: Actor, event_id: int) -> list[Material] | EventRefusal:
        """The files, for one who was marked present."""
        found = await self._invited(actor, event_id)
        if isinstance(found, EventRefusal):
            return found
        _, invitation, _ = found
        if not invitation.attended:
            return EventRefusal.NOT_ATTENDED
        return await self._repo.materials(event_id)

    async def with_materials(self, actor: Actor) -> list[Reply]:
        """The held events the person attended that have materials (to open them again)."""
        if actor.person is None:
            return []
        found = await self._repo.with_materials(actor.person.id, self._clock.now(), LISTED)
        return [
            Reply(event, None, await self._zone(event), attended=True, materials=True)
            for event in found
        ]

    # --- the participant's list ---

    async def upcoming(self, actor: Actor) -> list[Reply]:
        if actor.person is None:
            return []
        found = await self._repo.upcoming_for(actor.person.id, self._clock.now())
        return [Reply(event, answer, await self._zone(event)) for event, answer in found]

    async def _zone(self, event: Event) -> ZoneInfo:
        school = await self._organizations.school(event.organization_id or 0)
        if school is None:
            schools = await self._organizations.schools(event.district_id)
            school = schools[0] if schools else None
        return school_zone(school)
