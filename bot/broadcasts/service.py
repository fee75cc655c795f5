"""A curator's announcement to an audience of their school. Every copy is an outbox row with
a key per broadcast and recipient, so the rate limits, 429/403 handling, quiet hours and
durability are the outbox's, and enqueueing a broadcast twice (a double tap, a restart half-way)
adds no second copy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.outbox import message_payload
from bot.core.permissions import Actor
from bot.core.quiet import in_quiet, quiet_end
from bot.organizations.service import OrganizationService
from bot.participation.banks import BankEntry, BankService
from storage.broadcasts import Broadcast, BroadcastsRepo, Delivery
from storage.models import Organization, OutboxStatus, Role
from storage.outbox import OutboxRepo, Queued

MAX_TEXT = 4096  # Telegram's limit on a message's text, counted after the markup is parsed
BATCH = 500  # outbox rows per statement: a big school is not one giant transaction
LIFETIME = timedelta(days=3)  # an announcement not delivered in three days is stale
HISTORY = 10
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


AUDIENCES = tuple(Audience)


class BroadcastRefusal(StrEnum):
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_MARKUP = "bad_markup"
    NO_RECIPIENTS = "no_recipients"


@dataclass(frozen=True, slots=True)
class Queuing:
    broadcast: Broadcast
    recipients: int
    repeated: bool  # a second tap: the broadcast was already queued, nothing sent twice
    quiet_until: datetime | None  # in the school's quiet hours: when the copies will go


@dataclass(frozen=True, slots=True)
class Undelivered:
    name: str
    status: OutboxStatus
    error: str | None


@dataclass(frozen=True, slots=True)
class Progress:
    sent: int
    failed: int
    pending: int


@dataclass(frozen=True, slots=True)
class BroadcastCard:
    broadcast: Broadcast
    progress: Progress
    undelivered: list[Undelivered]


_PENDING = frozenset({OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING})


def progress_of(statuses: dict[OutboxStatus, int]) -> Progress:
    sent = statuses.get(OutboxStatus.SENT, 0)
    pending = sum(n for status, n in statuses.items() if status in _PENDING)
    return Progress(sent, sum(statuses.values()) - sent - pending, pending)


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


def check_text(text: str) -> BroadcastRefusal | None:
    if not text.strip():
        return BroadcastRefusal.EMPTY
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.broken or checker.open or checker.rawdata or _BARE_AMPERSAND.search(text):
        return BroadcastRefusal.BAD_MARKUP
    if len(text) > MAX_TEXT * 2 or checker.length > MAX_TEXT:
        return BroadcastRefusal.TOO_LONG
    return None


class BroadcastService:
    def __init__(
        self,
        repo: BroadcastsRepo,
        organizations: OrganizationService,
        banks: BankService,
        outbox: OutboxRepo,
        clock: Clock,
        quiet: QuietHours,
    ) -> None:
        self._repo = repo
        self._organizations = organizations
        self._banks = banks
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

    async def recipients(self, school_id: int, audience: Audience) -> list[BankEntry]:
        roles = {Audience.MENTORS: (Role.MENTOR,), Audience.MENTEES: (Role.MENTEE,)}.get(
            audience, (Role.MENTOR, Role.MENTEE)
        )
        chosen: dict[int, BankEntry] = {}
        for role in roles:
            for entry in await self._banks.bank(school_id, role):
                if audience is not Audience.UNFINISHED or entry.status.unfinished:
                    chosen.setdefault(entry.person_id, entry)
        return list(chosen.values())

    async def send(
        self, actor: Actor, school_id: int, audience: Audience, text: str, draft_key: str
    ) -> Queuing | BroadcastRefusal:
        """Queue the broadcast of this draft; again for the same draft, the copies already
        queued stay single and any missing (a crash half-way) are added."""
        school = await self.school_for(actor, school_id)
        if isinstance(school, BroadcastRefusal):
            return school
        refusal = check_text(text)
        if refusal is not None:
            return refusal
        if actor.person is None:
            return BroadcastRefusal.FORBIDDEN
        recipients = await self.recipients(school.id, audience)
        if not recipients:
            return BroadcastRefusal.NO_RECIPIENTS
        now = self._clock.now()
        broadcast, new = await self._repo.create(
            school.id, actor.person.id, audience.value, text, draft_key, now
        )
        payload = message_payload(broadcast.text)
        for start in range(0, len(recipients), BATCH):
            part = recipients[start : start + BATCH]
            keys = [(e.person_id, f"broadcast:{broadcast.id}:{e.person_id}") for e in part]
            await self._repo.add_recipients(broadcast.id, keys)
            await self._outbox.enqueue_many(
                [
                    Queued(key, e.telegram_id, "broadcast", payload, now, now + LIFETIME)
                    for (_, key), e in zip(keys, part, strict=True)
                ],
                now,
            )
        zone = ZoneInfo(school.timezone)
        held = in_quiet(now, zone, self._quiet)
        until = quiet_end(now, zone, self._quiet) if held else None
        return Queuing(broadcast, len(recipients), not new, until)

    async def history(self, school: Organization) -> list[tuple[Broadcast, Progress]]:
        past = await self._repo.of_school(school.id, HISTORY)
        counts = await self._repo.status_counts([b.id for b in past])
        return [(b, progress_of(counts[b.id])) for b in past]

    async def card(self, actor: Actor, broadcast_id: int) -> BroadcastCard | BroadcastRefusal:
        broadcast = await self._repo.get(broadcast_id)
        if broadcast is None:
            return BroadcastRefusal.NOT_FOUND
        school = await self.school_for(actor, broadcast.organization_id)
        if isinstance(school, BroadcastRefusal):
            return school
        deliveries = await self._repo.deliveries(broadcast.id)
        statuses: dict[OutboxStatus, int] = {}
        for delivery in deliveries:
            statuses[delivery.status] = statuses.get(delivery.status, 0) + 1
        names = await self._banks.names(school.id)
        undelivered = [
            Undelivered(_name(d, names), d.status, d.error)
            for d in deliveries
            if d.status is not OutboxStatus.SENT and d.status not in _PENDING
        ]
        return BroadcastCard(broadcast, progress_of(statuses), undelivered)


def _name(delivery: Delivery, names: dict[int, str]) -> str:
    return names.get(delivery.person_id) or str(delivery.telegram_id)
