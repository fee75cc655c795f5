"""A curator's announcement to an audience of their school, or a coordinator's to the curators
or all participants of the district's schools (one broadcast row per school, grouped under the
first, whose card, progress message and history the coordinator sees). Every copy is an outbox
row with a key per broadcast and recipient, so the rate limits, 429/403 handling, quiet hours and
durability are the outbox's, and enqueueing a broadcast twice (a double tap, a restart half-way)
adds no second copy. The sender's progress message is edited through the outbox as well (an
urgent row, queued only when its text changed), so the one sender stays the one sender."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.broadcasts.cards import BroadcastCard, Progress, Reason, Scope, Undelivered
from bot.broadcasts.screens import link_buttons, progress_screen
from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.outbox import Media, message_payload
from bot.core.permissions import Action, Actor, can
from bot.core.quiet import in_quiet, quiet_end
from bot.organizations.service import OrganizationService
from bot.participation.banks import BankService
from bot.surveys.service import SurveyService
from storage.broadcasts import Broadcast, BroadcastsRepo, Content, Delivery, Fields
from storage.models import Organization, OutboxStatus, Role, SurveyAudience, SurveyStatus
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo
from storage.surveys import SurveysRepo

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit on a message's text, counted after the markup is parsed
MAX_CAPTION = 1024  # and on a photo's or document's caption
MAX_BUTTONS = 5
MAX_BUTTON_TEXT = 64
BATCH = 500  # outbox rows per statement: a big school is not one giant transaction
LIFETIME = timedelta(days=3)  # an announcement not delivered in three days is stale
HISTORY = 10
PROGRESS_EVERY = timedelta(seconds=3)  # the progress message is edited at most this often
PROGRESS_LIFETIME = timedelta(hours=1)
_SCHEMES = ("https://", "http://", "tg://")
# Telegram's HTML: https://core.telegram.org/bots/api#html-style
_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
    | {"tg-spoiler", "span", "blockquote", "tg-emoji"}
)


_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)")


class Audience(StrEnum):
    EVERYONE = "everyone"
    MENTORS = "mentors"
    MENTEES = "mentees"
    UNFINISHED = "unfinished"  # participants who have not finished their questionnaire
    NO_MEETING = "no_meeting"  # both sides of active pairs with no meeting ahead
    NOT_ANSWERED = "not_answered"  # non-respondents of a running survey (audience_ref)
    AGAIN = "again"  # those who did not receive the broadcast `resend_of`
    CURATORS = "curators"  # a coordinator's: the curators of the district's schools


# Chosen by index on the audience keyboard; a survey's non-respondents are chosen by survey.
AUDIENCES = (
    Audience.EVERYONE,
    Audience.MENTORS,
    Audience.MENTEES,
    Audience.UNFINISHED,
    Audience.NO_MEETING,
)
DISTRICT_AUDIENCES = (Audience.CURATORS, Audience.EVERYONE)  # a coordinator's, by index


def audiences_of(scope: Scope) -> tuple[Audience, ...]:
    return DISTRICT_AUDIENCES if scope.district else AUDIENCES


class BroadcastRefusal(StrEnum):
    FORBIDDEN = "forbidden"
    DISTRICT_FORBIDDEN = "district_forbidden"  # not the coordinator of that district
    NOT_FOUND = "not_found"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CAPTION_TOO_LONG = "caption_too_long"
    BAD_MARKUP = "bad_markup"
    NO_RECIPIENTS = "no_recipients"
    BAD_BUTTON = "bad_button"
    STILL_SENDING = "still_sending"  # send again: the broadcast is not over yet
    FINISHED = "finished"  # cancel: nothing is pending any more


@dataclass(frozen=True, slots=True)
class Recipient:
    person_id: int
    telegram_id: int
    role: Role | None = None  # known for the bank audiences (everyone, mentors, mentees)


@dataclass(frozen=True, slots=True)
class Draft:
    """What the curator composed and chose, before it is queued."""

    content: Content
    audience: Audience
    audience_ref: int | None = None  # the survey of NOT_ANSWERED
    due_at: datetime | None = None  # None: at once


@dataclass(frozen=True, slots=True)
class Queuing:
    broadcast: Broadcast
    recipients: int
    repeated: bool  # a second tap: the broadcast was already queued, nothing sent twice


@dataclass(frozen=True, slots=True)
class Timing:
    """When a broadcast's first copies go (None: at once), in the zone to show it in, and how
    many schools' copies wait past that for the end of their quiet hours."""

    goes_at: datetime | None
    zone: ZoneInfo
    held: int


@dataclass(frozen=True, slots=True)
class SurveyChoice:
    id: int
    title: str


_PENDING = frozenset({OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING})
_NOT_RECEIVED = frozenset(
    {OutboxStatus.FAILED, OutboxStatus.BLOCKED, OutboxStatus.SKIPPED, OutboxStatus.UNKNOWN}
)


def progress_of(statuses: dict[OutboxStatus, int]) -> Progress:
    sent = statuses.get(OutboxStatus.SENT, 0)
    pending = sum(n for status, n in statuses.items() if status in _PENDING)
    cancelled = statuses.get(OutboxStatus.WITHDRAWN, 0)
    return Progress(sent, sum(statuses.values()) - sent - pending - cancelled, pending, cancelled)


def reason_of(status: OutboxStatus, error: str | None) -> Reason:
    said = (error or "").lower()
    if status is OutboxStatus.BLOCKED:
        return Reason.DEACTIVATED if "deactivated" in said else Reason.BLOCKED
    if status is OutboxStatus.FAILED:
        # Telegram's words for a file_id it will not send: "wrong file identifier",
        # "wrong type of the web page content", "failed to get HTTP URL content".
        return Reason.FILE_REFUSED if "file" in said or "content" in said else Reason.REFUSED
    if status is OutboxStatus.SKIPPED:
        return Reason.EXPIRED
    return Reason.UNKNOWN


def parse_buttons(typed: str) -> tuple[tuple[str, str], ...] | BroadcastRefusal:
    """Link buttons typed one a line as «Текст — https://…» (or «Текст https://…»)."""
    buttons: list[tuple[str, str]] = []
    for line in typed.splitlines():
        if not line.strip():
            continue
        label, _, url = line.strip().rpartition(" ")
        label = label.strip().rstrip("—–-:").strip()
        if (
            not label
            or len(label) > MAX_BUTTON_TEXT
            or not url.lower().startswith(_SCHEMES)
            or len(url) > 2048
            or len(url) <= len(next(s for s in _SCHEMES if url.lower().startswith(s)))
        ):
            return BroadcastRefusal.BAD_BUTTON
        buttons.append((label, url))
    if not buttons or len(buttons) > MAX_BUTTONS:
        return BroadcastRefusal.BAD_BUTTON
    return tuple(buttons)


class _Checker(HTMLParser):
    """Telegram refuses a message whose markup it cannot parse; catch that before queueing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # an escaped &lt; is text, not a bracket
        self.open: list[str] = []
        self.broken = False
        self.length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.broken = True
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.broken = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.broken = True  # Telegram knows no self-closing tags

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.broken = True  # an unescaped bracket Telegram would read as a tag
        self.length += len(data.encode("utf-16-le")) // 2  # Telegram counts UTF-16 units

    def handle_entityref(self, name: str) -> None:
        self.length += 1

    def handle_charref(self, name: str) -> None:
        self.length += 1


def check_text(text: str, *, caption: bool = False) -> BroadcastRefusal | None:
    """A caption (under a photo or document) may be empty but is limited to 1,024 units."""
    if not text.strip():
        return None if caption else BroadcastRefusal.EMPTY
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.broken or checker.open or checker.rawdata or _BARE_AMPERSAND.search(text):
        return BroadcastRefusal.BAD_MARKUP
    limit = MAX_CAPTION if caption else MAX_TEXT
    if len(text) > limit * 2 or checker.length > limit:
        return BroadcastRefusal.CAPTION_TOO_LONG if caption else BroadcastRefusal.TOO_LONG
    return None


def check_content(content: Content) -> BroadcastRefusal | None:
    return check_text(content.text, caption=content.media is not None)


def payload_of(content: Content, reply_markup: InlineKeyboardMarkup | None) -> dict[str, Any]:
    """The outbox payload of every recipient's copy (and of the sender's preview)."""
    media = Media(content.media) if content.media else None
    return message_payload(content.text, reply_markup, media=media, file_id=content.file_id)


class BroadcastService:
    def __init__(
        self,
        repo: BroadcastsRepo,
        organizations: OrganizationService,
        banks: BankService,
        surveys: SurveyService,
        survey_repo: SurveysRepo,
        outbox: OutboxRepo,
        clock: Clock,
        quiet: QuietHours,
        people: PeopleRepo,
    ) -> None:
        self._repo = repo
        self._people = people
        self._organizations = organizations
        self._banks = banks
        self._surveys = surveys
        self._survey_repo = survey_repo
        self._outbox = outbox
        self._clock = clock
        self._quiet = quiet

    async def school_for(self, actor: Actor, school_id: int) -> Organization | BroadcastRefusal:
        """The school, for its own curator only (a forged id of another school is refused)."""
        school = await self._organizations.school(school_id)
        if school is None:
            return BroadcastRefusal.NOT_FOUND
        if school.id not in actor.school_ids(Role.CURATOR):
            return BroadcastRefusal.FORBIDDEN
        return school

    async def scope_for(
        self, actor: Actor, school_id: int, district_id: int = 0
    ) -> Scope | BroadcastRefusal:
        """A school (school_id) for its own curator, or a district (school_id 0) for its own
        coordinator; a forged id of another is refused."""
        if school_id:
            school = await self.school_for(actor, school_id)
            return school if isinstance(school, BroadcastRefusal) else Scope((school,))
        district = await self._organizations.district(district_id)
        if district is None:
            return BroadcastRefusal.NOT_FOUND
        if not can(actor, Action.BROADCAST_DISTRICT, district_id=district.id):
            return BroadcastRefusal.DISTRICT_FORBIDDEN
        return Scope(tuple(await self._organizations.schools(district.id)), district)

    async def open_surveys(self, school_id: int) -> list[SurveyChoice]:
        """The school's running surveys, whose non-respondents can be addressed."""
        return [
            SurveyChoice(c.id, self._surveys.form(c).title)
            for c in await self._surveys.of_school(school_id)
            if c.status is SurveyStatus.RUNNING
        ]

    async def recipients(
        self, school_id: int, audience: Audience, ref: int | None = None
    ) -> list[Recipient]:
        if audience is Audience.NO_MEETING:
            return [
                Recipient(p, t)
                for p, t in await self._repo.without_planned_meeting(school_id, self._clock.now())
            ]
        if audience is Audience.NOT_ANSWERED:
            if ref is None or ref not in {s.id for s in await self.open_surveys(school_id)}:
                return []  # a forged or closed survey: nobody
            people = await self._survey_repo.audience(school_id, SurveyAudience.NOT_ANSWERED, ref)
            return [Recipient(a.person_id, a.telegram_id) for a in people]
        if audience is Audience.CURATORS:
            return [
                Recipient(m.person_id, m.telegram_id, Role.CURATOR)
                for m in await self._people.members(Role.CURATOR, school_id)
                if m.is_active
            ]
        if audience is Audience.AGAIN:
            original = await self._repo.get(ref or 0)
            if original is None or original.organization_id != school_id:
                return []
            return [
                Recipient(d.person_id, d.telegram_id)
                for d in await self._repo.deliveries(original.id)
                if d.status in _NOT_RECEIVED
            ]
        roles = {Audience.MENTORS: (Role.MENTOR,), Audience.MENTEES: (Role.MENTEE,)}.get(
            audience, (Role.MENTOR, Role.MENTEE)
        )
        chosen: dict[int, Recipient] = {}
        for role in roles:
            for entry in await self._banks.bank(school_id, role):
                if audience is not Audience.UNFINISHED or entry.status.unfinished:
                    chosen.setdefault(
                        entry.person_id, Recipient(entry.person_id, entry.telegram_id, role)
                    )
        return list(chosen.values())

    async def audience(
        self, scope: Scope, audience: Audience, ref: int | None = None
    ) -> dict[int, list[Recipient]]:
        """The recipients by school. Through a district, a person reached in two of its
        schools gets one copy, through the first; `ref` of AGAIN is the group's first row."""
        if scope.district is None:
            if audience is Audience.CURATORS:
                return {}  # the district's audience, never a school's
            school = scope.schools[0]
            return {school.id: await self.recipients(school.id, audience, ref)}
        refs: dict[int, int | None] = {s.id: None for s in scope.schools}
        if audience is Audience.AGAIN:
            refs = {b.organization_id: b.id for b in await self._repo.group(ref or 0)}
        elif audience not in DISTRICT_AUDIENCES:
            return {}
        seen: set[int] = set()
        found: dict[int, list[Recipient]] = {}
        for school in scope.schools:
            if school.id not in refs:
                continue
            found[school.id] = []
            for recipient in await self.recipients(school.id, audience, refs[school.id]):
                if recipient.person_id not in seen:
                    seen.add(recipient.person_id)
                    found[school.id].append(recipient)
        return found

    async def count(self, scope: Scope, audience: Audience, ref: int | None = None) -> int:
        return sum(map(len, (await self.audience(scope, audience, ref)).values()))

    def timing(self, scope: Scope, due_at: datetime | None) -> Timing:
        """`goes_at` over the scope's schools: the earliest moment any of them goes."""
        now = self._clock.now()
        moment = max(due_at or now, now)
        first: tuple[datetime, ZoneInfo] | None = None
        held = 0
        for school in scope.schools:
            goes = self.goes_at(school, due_at) or now
            held += goes != moment
            if first is None or goes < first[0]:
                first = (goes, ZoneInfo(school.timezone))
        if first is None or first[0] <= now:
            return Timing(None, scope.zone, held)
        return Timing(first[0], first[1], held)

    def goes_at(self, school: Organization, due_at: datetime | None) -> datetime | None:
        """When copies due at `due_at` (None: now) will go, if not at once: the chosen time,
        or the end of the school's quiet hours it falls into."""
        now = self._clock.now()
        moment = max(due_at or now, now)
        zone = ZoneInfo(school.timezone)
        if in_quiet(moment, zone, self._quiet):
            return quiet_end(moment, zone, self._quiet)
        return moment if moment > now else None

    async def send(
        self, actor: Actor, school_id: int, draft: Draft, draft_key: str, district_id: int = 0
    ) -> Queuing | BroadcastRefusal:
        """Queue the broadcast of this draft to a school (or, school_id 0, to the district);
        again for the same draft, the copies already queued stay single and any missing (a
        crash half-way) are added."""
        scope = await self.scope_for(actor, school_id, district_id)
        if isinstance(scope, BroadcastRefusal):
            return scope
        refusal = check_content(draft.content)
        if refusal is not None:
            return refusal
        if actor.person is None:
            return BroadcastRefusal.FORBIDDEN
        by_school = await self.audience(scope, draft.audience, draft.audience_ref)
        total = sum(map(len, by_school.values()))
        if not total:
            return BroadcastRefusal.NO_RECIPIENTS
        now = self._clock.now()
        fields = Fields(
            actor.person.id,
            draft.audience.value,
            draft.content,
            now,
            audience_ref=draft.audience_ref,
            due_at=draft.due_at,
            resend_of=draft.audience_ref if draft.audience is Audience.AGAIN else None,
        )
        if scope.district is None:
            broadcast, new = await self._repo.create(
                scope.schools[0].id,
                fields.author_id,
                fields.audience,
                fields.content,
                draft_key,
                now,
                audience_ref=fields.audience_ref,
                due_at=fields.due_at,
                resend_of=fields.resend_of,
            )
            rows = [broadcast]
        else:
            rows, new = await self._repo.create_group(
                [s.id for s in scope.schools], fields, draft_key
            )
            broadcast = rows[0]
        if broadcast.cancelled_at is None:
            for row in rows:
                await self._enqueue(row, by_school.get(row.organization_id, []), now)
        return Queuing(broadcast, total, not new)

    async def _enqueue(
        self, broadcast: Broadcast, recipients: list[Recipient], now: datetime
    ) -> None:
        payload = payload_of(broadcast.content, link_buttons(broadcast.content))
        due = max(broadcast.due_at or now, now)
        for start in range(0, len(recipients), BATCH):
            part = recipients[start : start + BATCH]
            keys = [(r.person_id, _copy_key(broadcast.id, r.person_id)) for r in part]
            await self._repo.add_recipients(broadcast.id, keys)
            await self._outbox.enqueue_many(
                [
                    Queued(key, r.telegram_id, "broadcast", payload, due, due + LIFETIME)
                    for (_, key), r in zip(keys, part, strict=True)
                ],
                now,
            )

    async def send_again(
        self, actor: Actor, broadcast_id: int, draft_key: str | None = None
    ) -> Queuing | BroadcastRefusal:
        """The same announcement to those who did not receive it; once per broadcast (a
        double tap finds the same resend)."""
        card = await self.card(actor, broadcast_id)
        if isinstance(card, BroadcastRefusal):
            return card
        if not card.finished:
            return BroadcastRefusal.STILL_SENDING
        draft = Draft(card.broadcast.content, Audience.AGAIN, card.broadcast.id)
        return await self.send(
            actor,
            card.scope.school_id,
            draft,
            draft_key or f"again:{card.broadcast.id}",
            card.scope.district_id,
        )

    async def cancel(self, actor: Actor, broadcast_id: int) -> int | BroadcastRefusal:
        """Withdraw the copies not sent yet (a scheduled broadcast before it starts, a
        running one half-way); returns how many. The progress message says so next."""
        card = await self.card(actor, broadcast_id)
        if isinstance(card, BroadcastRefusal):
            return card
        if card.finished:
            return BroadcastRefusal.FINISHED
        now = self._clock.now()
        withdrawn = 0
        for row in await self._rows(card.broadcast):
            await self._repo.cancel(row.id, now)
            withdrawn += await self._outbox.withdraw_prefix(_copy_key(row.id, None), now)
        log.info("broadcast cancelled broadcast_id=%s withdrawn=%s", card.broadcast.id, withdrawn)
        await self.report_progress(force=True)
        return withdrawn

    async def attach_progress(
        self, broadcast_id: int, chat_id: int, message_id: int, text: str
    ) -> None:
        """The message the sender watches; edited in place from now on."""
        await self._repo.attach_progress(broadcast_id, chat_id, message_id, text, self._clock.now())

    async def report_progress(self, *, force: bool = False) -> int:
        """Edit each running broadcast's progress message when its text changed, at most
        every PROGRESS_EVERY (`force`: at once, after a cancel); the last edit carries the
        final counts and who did not receive it. Returns the edits queued."""
        now = self._clock.now()
        queued = 0
        for broadcast in await self._repo.running():
            if not force and broadcast.progress_at and now - broadcast.progress_at < PROGRESS_EVERY:
                continue
            card = await self._card(broadcast)
            if card is None:
                continue
            text, markup = progress_screen(card, live=True)
            if text == broadcast.progress_text:
                if card.finished:
                    await self._repo.finish(broadcast.id, now)
                continue
            if not await self._repo.record_progress(broadcast, text, now, final=card.finished):
                continue  # another process queued this edit
            assert broadcast.progress_chat_id is not None
            assert broadcast.progress_message_id is not None
            prefix = f"broadcast-progress:{broadcast.id}:"
            # An older edit still waiting would only overwrite a newer count.
            await self._outbox.withdraw_prefix(prefix, now)
            await self._outbox.enqueue(
                f"{prefix}{broadcast.progress_edits + 1}",
                broadcast.progress_chat_id,
                "broadcast_progress",
                message_payload(text, markup, edit=broadcast.progress_message_id),
                now,
                now + PROGRESS_LIFETIME,
                now,
                urgent=True,
                answers_user=True,  # an edit of the sender's own message: no sound, no night
            )
            queued += 1
        return queued

    async def history(self, scope: Scope) -> list[tuple[Broadcast, Progress]]:
        if scope.district is None:
            past = await self._repo.of_school(scope.schools[0].id, HISTORY)
        else:
            past = await self._repo.of_district(scope.district.id, HISTORY)
        return [(b, progress_of(await self._counts(await self._rows(b)))) for b in past]

    async def card(self, actor: Actor, broadcast_id: int) -> BroadcastCard | BroadcastRefusal:
        """A curator's broadcast for its school's curator; a coordinator's (any row of the
        group) for the district's coordinator, shown for the whole group."""
        broadcast = await self._repo.get(broadcast_id)
        if broadcast is None:
            return BroadcastRefusal.NOT_FOUND
        if broadcast.district_broadcast_id is None:
            school = await self.school_for(actor, broadcast.organization_id)
            if isinstance(school, BroadcastRefusal):
                return school
        else:
            found = await self._organizations.school(broadcast.organization_id)
            district_id = found.district_id if found else 0
            if not can(actor, Action.BROADCAST_DISTRICT, district_id=district_id):
                return BroadcastRefusal.DISTRICT_FORBIDDEN
        card = await self._card(broadcast)
        return card if card is not None else BroadcastRefusal.NOT_FOUND

    async def _rows(self, broadcast: Broadcast) -> list[Broadcast]:
        """The broadcast's rows: itself, or its group's (the first one first)."""
        if broadcast.district_broadcast_id is None:
            return [broadcast]
        return await self._repo.group(broadcast.district_broadcast_id)

    async def _counts(self, rows: list[Broadcast]) -> dict[OutboxStatus, int]:
        merged: dict[OutboxStatus, int] = {}
        for statuses in (await self._repo.status_counts([b.id for b in rows])).values():
            for status, n in statuses.items():
                merged[status] = merged.get(status, 0) + n
        return merged

    async def _scope_of(self, rows: list[Broadcast]) -> Scope | None:
        school = await self._organizations.school(rows[0].organization_id)
        if school is None:
            return None
        if rows[0].district_broadcast_id is None:
            return Scope((school,))
        district = await self._organizations.district(school.district_id)
        if district is None:
            return None
        by_id = {s.id: s for s in await self._organizations.schools(district.id)}
        return Scope(
            tuple(by_id[b.organization_id] for b in rows if b.organization_id in by_id), district
        )

    async def _card(self, broadcast: Broadcast) -> BroadcastCard | None:
        rows = await self._rows(broadcast)
        scope = await self._scope_of(rows) if rows else None
        if scope is None:
            return None
        lead = rows[0]
        # Counts while sending (one grouped query every few seconds); the rows only at the end.
        progress = progress_of(await self._counts(rows))
        undelivered: list[Undelivered] = []
        if progress.pending == 0 and progress.failed:
            schools = {s.id: s for s in scope.schools}
            for row in rows:
                school = schools.get(row.organization_id)
                if school is None:
                    continue
                names = await self._banks.names(school.id)
                undelivered += [
                    Undelivered(
                        _name(d, names),
                        reason_of(d.status, d.error),
                        school.name if scope.district else None,
                    )
                    for d in await self._repo.deliveries(row.id)
                    if d.status in _NOT_RECEIVED
                ]
        survey = None
        if lead.audience == Audience.NOT_ANSWERED and lead.audience_ref:
            campaign = await self._surveys.get(lead.audience_ref)
            survey = self._surveys.form(campaign).title if campaign else None
        timing = self.timing(scope, lead.due_at)
        goes_at = timing.goes_at if progress.sent == 0 and progress.pending else None
        return BroadcastCard(lead, progress, undelivered, goes_at, timing.zone, scope, survey)


def _copy_key(broadcast_id: int, person_id: int | None) -> str:
    """The outbox key of one recipient's copy; with no person, the prefix of them all."""
    return f"broadcast:{broadcast_id}:" + ("" if person_id is None else str(person_id))


def _name(delivery: Delivery, names: dict[int, str]) -> str:
    return names.get(delivery.person_id) or str(delivery.telegram_id)
