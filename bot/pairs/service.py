"""Forming pairs and groups: proposals, candidates, invitations and answers, the curator's
changes, requests, and the director's order. Every method returns a typed result or a
`PairsRefusal` the handler renders; none returns text for a handler to show."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.quiet import next_school_day, school_day
from bot.core.zones import school_zone
from bot.forms.catalog import STUDENT_CATEGORY
from bot.pairs.documents import OrderReference, pairs_order
from bot.pairs.matching import Match, Profile, propose, score, top_candidates
from bot.pairs.naming import pair_title
from bot.participation.banks import BankEntry, BankService, BankStatus
from bot.ui import keyboards
from bot.ui.callbacks import PairInviteCb, RequestDecisionCb
from bot.ui.keyboards import Keyboard
from storage.models import (
    Decision,
    DraftStatus,
    OrderKind,
    Organization,
    Pair,
    PairDraft,
    PairStatus,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import (
    OrdersRepo,
    PairRefusal,
    PairRequest,
    PairRequestsRepo,
    PairsRepo,
    PreferencesRepo,
)
from storage.people import PeopleRepo

NOTICE_LIFETIME = timedelta(days=7)
INVITATION_LIFETIME = timedelta(days=14)
DRAFTS_PAGE = 10
MENTEE_PREFERENCE_LIMIT = 3
# Bumped whenever the wording of pair-invitation changes: with the hash of the text sent, it
# is the evidence of what a participant consented to.
INVITATION_VERSION = 1
WAITING_LISTED = 30
_HOLDING = (PairStatus.INVITED, PairStatus.ACTIVE)
# A participant's own list keeps their completed programs: the card shows the growth.
_MINE = (*_HOLDING, PairStatus.COMPLETED)


class PairsRefusal(StrEnum):
    """Why a pair action was not done; rendered by `tr("pair-refusal", reason=...)`."""

    SELF = "self"
    MENTOR_UNAVAILABLE = "mentor_unavailable"
    MENTEE_UNKNOWN = "mentee_unknown"
    AWAITING_PARENT = "awaiting_parent"
    MENTEE_NOT_READY = "mentee_not_ready"
    MENTOR_FULL = PairRefusal.MENTOR_FULL.value
    MENTEE_TAKEN = PairRefusal.MENTEE_TAKEN.value
    INVITATION_GONE = "invitation_gone"
    DRAFT_GONE = "draft_gone"
    DRAFTS_CHANGED = "drafts_changed"
    NOT_INVITED = "not_invited"
    NOT_ACTIVE = "not_active"
    REQUEST_DUPLICATE = "request_duplicate"
    REQUEST_GONE = "request_gone"
    NO_ACTIVE_PAIRS = "no_active_pairs"
    NOT_YOURS = "not_yours"


class PairForm(StrEnum):
    TEACHER_TEACHER = "teacher_teacher"
    STUDENT_STUDENT = "student_student"
    TEACHER_STUDENT = "teacher_student"
    HEAD_TEACHER = "head_teacher"
    EMPLOYER_STUDENT = "employer_student"
    UNIVERSITY_TEACHER = "university_teacher"


class PairKind(StrEnum):
    TRADITIONAL = "traditional"
    GROUP = "group"
    VIRTUAL = "virtual"
    SHORT_TERM = "short_term"
    REVERSE = "reverse"
    SITUATIONAL = "situational"
    SPEED = "speed"


@dataclass(frozen=True)
class Candidates:
    mentees: dict[int, tuple[Profile, BankEntry]]
    mentors: dict[int, tuple[Profile, BankEntry]]


@dataclass(frozen=True)
class NamedPair:
    """A pair with the full names of its people, as a screen shows it."""

    pair: Pair
    names: Mapping[int, str]

    @property
    def title(self) -> str:
        return pair_title(self.pair, self.names)

    @property
    def mentor(self) -> str:
        return self.names.get(self.pair.mentor_id, "")

    @property
    def mentees(self) -> list[str]:
        return [self.names.get(m, "") for m in self.pair.mentee_ids]


@dataclass(frozen=True)
class DraftsPage:
    """One page of the proposal draft. `total` and `upto` (the highest draft id of the whole
    list) go into «Принять все», so it accepts exactly the drafts whose number it states."""

    drafts: list[tuple[int, PairDraft]]  # (number in the whole list, draft)
    names: Mapping[int, str]
    page: int
    total: int
    upto: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // DRAFTS_PAGE))


@dataclass(frozen=True)
class AcceptedAll:
    created: int
    refused: int


@dataclass(frozen=True)
class Alternatives:
    mentee: str
    matches: list[tuple[Match, str]]  # with the mentor's name


@dataclass(frozen=True)
class OrderDocument:
    content: bytes
    reference: OrderReference | None


def invitation_hash(text: str) -> str:
    """Fingerprint of exactly the invitation text a participant was sent."""
    return hashlib.sha256(f"pair_invitation:{INVITATION_VERSION}\n{text}".encode()).hexdigest()


def _profile(entry: BankEntry, capacity: int = 1) -> Profile:
    answers = entry.answers
    area_question = "difficulties" if entry.role is Role.MENTEE else "competences"

    def ids(question: str) -> frozenset[str]:
        given = answers.get(question)
        return frozenset(given) if isinstance(given, list) else frozenset()

    fmt = answers.get("format")
    return Profile(
        entry.person_id,
        entry.name,
        ids(area_question),
        subjects=ids("subjects"),
        format=fmt if isinstance(fmt, str) else None,
        days=ids("days"),
        times=ids("times"),
        capacity=capacity,
    )


class PairService:
    def __init__(
        self,
        pairs: PairsRepo,
        requests: PairRequestsRepo,
        preferences: PreferencesRepo,
        orders: OrdersRepo,
        banks: BankService,
        people: PeopleRepo,
        organizations: OrganizationsRepo,
        outbox: OutboxRepo,
        quiet: QuietHours,
        clock: Clock,
    ) -> None:
        self._pairs = pairs
        self._preferences = preferences
        self._requests = requests
        self._orders = orders
        self._banks = banks
        self._people = people
        self._organizations = organizations
        self._outbox = outbox
        self._quiet = quiet
        self._clock = clock

    async def candidates(self, school_id: int) -> Candidates:
        """Who may be paired now. The hard constraints live here: consent given (the bank
        holds only people who consented and submitted), a parent's consent for students
        (AWAITING_PARENT is excluded), the same school, free mentees, mentors with room."""
        mentees = {
            e.person_id: (_profile(e), e)
            for e in await self._banks.bank(school_id, Role.MENTEE)
            if e.status is BankStatus.WAITING
        }
        loads = await self._pairs.mentor_loads(school_id)
        mentors = {}
        for entry in await self._banks.bank(school_id, Role.MENTOR):
            if entry.status is not BankStatus.COMPLETE:
                continue
            capacity = int(entry.answers.get("capacity") or 1)
            room = capacity - loads.get(entry.person_id, 0)
            mentors[entry.person_id] = (_profile(entry, room), entry)
        return Candidates(mentees, mentors)

    async def names(self, school_id: int) -> dict[int, str]:
        return await self._banks.names(school_id)

    # --- the school's pairs ---

    async def pair(self, pair_id: int) -> Pair | None:
        return await self._pairs.get(pair_id)

    async def named(self, pair: Pair) -> NamedPair:
        return NamedPair(pair, await self.names(pair.organization_id))

    async def current(self, school_id: int) -> list[NamedPair]:
        """The school's pairs that hold a place: invited or working."""
        names = await self.names(school_id)
        return [
            NamedPair(p, names)
            for p in await self._pairs.for_school(school_id)
            if p.status in _HOLDING
        ]

    async def mine(self, person_id: int) -> list[NamedPair]:
        found = [p for p in await self._pairs.involving(person_id) if p.status in _MINE]
        names: dict[int, dict[int, str]] = {}
        for pair in found:
            if pair.organization_id not in names:
                names[pair.organization_id] = await self.names(pair.organization_id)
        return [NamedPair(p, names[p.organization_id]) for p in found]

    # --- the proposal draft ---

    async def propose(self, school_id: int) -> DraftsPage:
        found = await self.candidates(school_id)
        by_mentees, by_mentors = await self._preferences.of_school(school_id)
        # About 2 s for 1,000 x 5,000: on a worker thread, so other users keep their answers.
        proposal = await asyncio.to_thread(
            propose,
            [p for p, _ in found.mentees.values()],
            [p for p, _ in found.mentors.values()],
            by_mentees,
            by_mentors,
        )
        await self._pairs.replace_drafts(
            school_id,
            [(m.mentee_id, m.mentor_id, m.score, m.reasons) for m in proposal],
            self._clock.now(),
        )
        return await self.drafts_page(school_id, 0)

    async def drafts_page(self, school_id: int, page: int) -> DraftsPage:
        drafts = await self._pairs.drafts(school_id)
        last = max(0, -(-len(drafts) // DRAFTS_PAGE) - 1)
        page = min(max(page, 0), last)
        shown = list(enumerate(drafts, start=1))[page * DRAFTS_PAGE : (page + 1) * DRAFTS_PAGE]
        return DraftsPage(
            shown,
            await self.names(school_id),
            page,
            len(drafts),
            max((d.id for d in drafts), default=0),
        )

    async def draft(self, draft_id: int) -> PairDraft | None:
        return await self._pairs.draft(draft_id)

    async def alternatives(self, draft: PairDraft, limit: int = 5) -> Alternatives:
        names = await self.names(draft.organization_id)
        found = await self.candidates(draft.organization_id)
        matches: list[Match] = []
        if draft.mentee_id in found.mentees:
            profiles = [p for p, _ in found.mentors.values()]
            matches = top_candidates(found.mentees[draft.mentee_id][0], profiles, limit)
        return Alternatives(
            names.get(draft.mentee_id, ""), [(m, names.get(m.mentor_id, "")) for m in matches]
        )

    async def change_draft(self, draft: PairDraft, mentor_id: int) -> PairsRefusal | None:
        found = await self.candidates(draft.organization_id)
        if draft.mentee_id not in found.mentees or mentor_id not in found.mentors:
            return PairsRefusal.MENTOR_UNAVAILABLE
        match = score(found.mentees[draft.mentee_id][0], found.mentors[mentor_id][0])
        if match is None:
            return PairsRefusal.MENTOR_UNAVAILABLE
        if not await self._pairs.change_draft(draft.id, mentor_id, match.score, match.reasons):
            return PairsRefusal.DRAFT_GONE
        return None

    async def discard_draft(self, draft: PairDraft) -> PairsRefusal | None:
        closed = await self._pairs.close_draft(draft.id, DraftStatus.DISCARDED)
        return None if closed else PairsRefusal.DRAFT_GONE

    async def accept_draft(self, draft: PairDraft, curator_id: int) -> Pair | PairsRefusal:
        if draft.status is not DraftStatus.OPEN:
            return PairsRefusal.DRAFT_GONE
        created = await self.create(
            draft.organization_id, draft.mentor_id, [draft.mentee_id], curator_id
        )
        if isinstance(created, Pair):
            await self._pairs.close_draft(draft.id, DraftStatus.ACCEPTED)
        return created

    async def accept_all(
        self, school_id: int, curator_id: int, count: int, upto: int
    ) -> AcceptedAll | PairsRefusal:
        """Accept the drafts the curator was told «Принять все» would accept: the open drafts
        of the list shown (ids up to `upto`), only if there are still `count` of them."""
        drafts = await self._pairs.drafts(school_id, upto)
        if len(drafts) != count:
            return PairsRefusal.DRAFTS_CHANGED
        created = 0
        for draft in drafts:
            if isinstance(await self.accept_draft(draft, curator_id), Pair):
                created += 1
        return AcceptedAll(created, len(drafts) - created)

    # --- preferences ---

    async def open_preference_round(self, school_id: int) -> tuple[int, int]:
        """Ask every waiting mentee and every mentor with room whom they prefer."""
        await self._preferences.start_round(school_id)
        found = await self.candidates(school_id)
        now = self._clock.now()
        sides = (
            (found.mentees, found.mentors, tr("preferences-ask-mentee")),
            (found.mentors, found.mentees, tr("preferences-ask-mentor")),
        )
        for askers, offered, question in sides:
            options = [(pid, entry.name) for pid, (_, entry) in offered.items()]
            markup = keyboards.preferences(school_id, options, set())
            for _, entry in askers.values():
                await self._outbox.enqueue(
                    f"preferences:{school_id}:{now.isoformat()}:{entry.person_id}",
                    entry.telegram_id,
                    "preference_round",
                    message_payload(question, markup),
                    now,
                    now + INVITATION_LIFETIME,
                    now,
                )
        return len(found.mentees), len(found.mentors)

    async def toggle_preference(
        self, school_id: int, person_id: int, chosen_id: int
    ) -> tuple[bool, InlineKeyboardMarkup] | None:
        """Tick or untick one choice; None when the person is not choosing at this school."""
        found = await self.candidates(school_id)
        if person_id in found.mentees:
            side, offered, limit = Role.MENTEE, found.mentors, MENTEE_PREFERENCE_LIMIT
        elif person_id in found.mentors:
            side, offered, limit = Role.MENTOR, found.mentees, len(found.mentees)
        else:
            return None
        if chosen_id not in offered:
            return None
        done = await self._preferences.toggle(
            school_id, person_id, chosen_id, side, limit, self._clock.now()
        )
        chosen = await self._preferences.chosen_by(school_id, person_id)
        options = [(pid, entry.name) for pid, (_, entry) in offered.items()]
        return done, keyboards.preferences(school_id, options, chosen)

    # --- creating and changing pairs ---

    async def create(
        self,
        school_id: int,
        mentor_id: int,
        mentee_ids: list[int],
        curator_id: int,
        form: PairForm | None = None,
        kind: PairKind | None = None,
    ) -> Pair | PairsRefusal:
        """Create the pair and invite everyone."""
        found = await self.candidates(school_id)
        if mentor_id in mentee_ids:
            return PairsRefusal.SELF
        if mentor_id not in found.mentors:
            return PairsRefusal.MENTOR_UNAVAILABLE
        for mentee_id in mentee_ids:
            if mentee_id not in found.mentees:
                return await self._why_not_free(school_id, mentee_id)
        entry = found.mentors[mentor_id][1]
        capacity = int(entry.answers.get("capacity") or 1)
        students = any(
            found.mentees[m][1].answers.get("category") == STUDENT_CATEGORY for m in mentee_ids
        )
        chosen_form = form or (PairForm.TEACHER_STUDENT if students else PairForm.TEACHER_TEACHER)
        chosen_kind = kind or (PairKind.GROUP if len(mentee_ids) > 1 else PairKind.TRADITIONAL)
        # Everyone in the new pair is among the candidates just loaded: no second bank read.
        names = {pid: entry.name for pid, (_, entry) in (found.mentees | found.mentors).items()}
        text = _invitation_text(
            names[mentor_id], [names[m] for m in mentee_ids], chosen_form, chosen_kind
        )
        pair_id = await self._pairs.create(
            school_id,
            mentor_id,
            mentee_ids,
            chosen_form.value,
            chosen_kind.value,
            capacity,
            curator_id,
            self._clock.now(),
            (INVITATION_VERSION, invitation_hash(text)),
        )
        if isinstance(pair_id, PairRefusal):
            return PairsRefusal(pair_id.value)
        pair = await self._pairs.get(pair_id)
        assert pair is not None
        await self._invite(pair, text, [p.person_id for p in pair.participants])
        return pair

    async def add_mentee(self, pair: Pair, mentee_id: int) -> Pair | PairsRefusal:
        """Invite one more mentee into the pair, making it a group."""
        found = await self.candidates(pair.organization_id)
        if mentee_id not in found.mentees:
            return await self._why_not_free(pair.organization_id, mentee_id)
        mentor = next(
            (
                e
                for e in await self._banks.bank(pair.organization_id, Role.MENTOR)
                if e.person_id == pair.mentor_id
            ),
            None,
        )
        if mentor is None:
            return PairsRefusal.MENTOR_UNAVAILABLE
        names = await self.names(pair.organization_id)
        mentees = [names.get(m, "") for m in [*pair.mentee_ids, mentee_id]]
        text = _invitation_text(names.get(pair.mentor_id, ""), mentees, pair.form, PairKind.GROUP)
        refusal = await self._pairs.add_mentee(
            pair.id,
            mentee_id,
            int(mentor.answers.get("capacity") or 1),
            (INVITATION_VERSION, invitation_hash(text)),
        )
        if refusal is not None:
            return PairsRefusal(refusal.value)
        grown = await self._pairs.get(pair.id)
        assert grown is not None
        await self._invite(grown, text, [mentee_id])
        return grown

    async def set_form(self, pair: Pair, form: PairForm) -> Pair | PairsRefusal:
        return await self._set_form_kind(pair, form.value, pair.kind)

    async def set_kind(self, pair: Pair, kind: PairKind) -> Pair | PairsRefusal:
        return await self._set_form_kind(pair, pair.form, kind.value)

    async def _set_form_kind(self, pair: Pair, form: str, kind: str) -> Pair | PairsRefusal:
        if not await self._pairs.set_form_kind(pair.id, form, kind):
            return PairsRefusal.NOT_ACTIVE
        changed = await self._pairs.get(pair.id)
        assert changed is not None
        return changed

    async def withdraw(self, pair: Pair) -> Pair | PairsRefusal:
        if not await self._pairs.withdraw(pair.id, self._clock.now()):
            return PairsRefusal.NOT_INVITED
        withdrawn = await self._pairs.get(pair.id)
        assert withdrawn is not None
        return withdrawn

    async def _why_not_free(self, school_id: int, mentee_id: int) -> PairsRefusal:
        entry = next(
            (e for e in await self._banks.bank(school_id, Role.MENTEE) if e.person_id == mentee_id),
            None,
        )
        if entry is None:
            return PairsRefusal.MENTEE_UNKNOWN
        if entry.status is BankStatus.AWAITING_PARENT:
            return PairsRefusal.AWAITING_PARENT
        if entry.status in (BankStatus.INVITED, BankStatus.IN_PAIR):
            return PairsRefusal.MENTEE_TAKEN
        return PairsRefusal.MENTEE_NOT_READY

    async def _invite(self, pair: Pair, text: str, person_ids: list[int]) -> None:
        now = self._clock.now()
        kb = Keyboard()
        kb.button(text=tr("btn-accept"), callback_data=PairInviteCb(pair_id=pair.id, accept=True))
        kb.button(text=tr("btn-decline"), callback_data=PairInviteCb(pair_id=pair.id, accept=False))
        for person_id in person_ids:
            person = await self._people.by_id(person_id)
            if person is None:
                continue
            await self._outbox.enqueue(
                f"pair-invite:{pair.id}:{person.id}",
                person.telegram_id,
                "pair_invitation",
                message_payload(text, kb.as_markup()),
                now,
                now + INVITATION_LIFETIME,
                now,
            )

    # --- answers to invitations ---

    async def pending_invitation(self, pair_id: int, person_id: int) -> Pair | PairsRefusal:
        """The pair, if this person is one of its participants still asked to answer."""
        pair = await self._pairs.get(pair_id)
        # A working group may invite one more mentee.
        if pair is None or pair.status not in _HOLDING:
            return PairsRefusal.INVITATION_GONE
        mine = next((p for p in pair.participants if p.person_id == person_id), None)
        if mine is None or mine.decision is not Decision.PENDING:
            return PairsRefusal.INVITATION_GONE
        return pair

    async def respond(
        self,
        pair: Pair,
        person_id: int,
        accept: bool,
        reason: str | None,
        message_id: int | None = None,
    ) -> Decision | PairsRefusal:
        """A participant's answer to an invitation (the message they answered is kept as the
        evidence of their consent); tells the curators what happened."""
        now = self._clock.now()
        status = await self._pairs.decide(pair.id, person_id, accept, reason, now, message_id)
        if status is None:
            return PairsRefusal.INVITATION_GONE
        names = await self.names(pair.organization_id)
        who, title = names.get(person_id, ""), pair_title(pair, names)
        if not accept:
            notice = tr("pair-declined-notice", who=who, pair=title, reason=reason or "—")
        elif status is PairStatus.ACTIVE:
            notice = tr("pair-started-notice", who=who, pair=title)
        else:
            notice = tr("pair-accepted-notice", who=who, pair=title)
        for curator in await self._people.holders(Role.CURATOR, pair.organization_id):
            await self._outbox.enqueue(
                f"pair-answer:{pair.id}:{person_id}:{curator}",
                curator,
                "curator_notice",
                message_payload(notice),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
        return Decision.ACCEPTED if accept else Decision.DECLINED

    async def remind_about_waiting(self, school_id: int, days: int) -> bool:
        """Tell the school's curators, once a day, who has waited `days` or more for a mentor."""
        return (await self._waiting_look(school_id, days))[0]

    async def remind_waiting_due(self, days: int) -> int:
        """Hourly: the waiting reminder of the schools due for a look (organizations.waiting_at)
        or where something happened since the last run, not of every school. Returns how
        many schools it looked at."""
        now = self._clock.now()
        schools = await self._pairs.waiting_due(now, str(days))
        for school_id in schools:
            _, again = await self._waiting_look(school_id, days)
            await self._pairs.waiting_looked(school_id, again)
        await self._pairs.waiting_ran(now)
        return len(schools)

    async def _waiting_look(self, school_id: int, days: int) -> tuple[bool, datetime | None]:
        """Whether the curators were reminded, and when the reminder can next change by the
        clock alone: the next day once it reminded, else when the earliest waiting mentee
        reaches `days` (None: nobody is waiting)."""
        now = self._clock.now()
        waiting = [
            e
            for e in await self._banks.bank(school_id, Role.MENTEE)
            if e.status is BankStatus.WAITING
        ]
        owed = [e for e in waiting if e.days_waiting >= days]
        if not owed:
            reached = [e.submitted_at + timedelta(days=days) for e in waiting if e.submitted_at]
            return False, min(reached, default=None)
        lines = [tr("waiting-title")]
        lines += [
            tr("waiting-line", name=e.name, days=e.days_waiting) for e in owed[:WAITING_LISTED]
        ]
        if len(owed) > WAITING_LISTED:
            lines.append(tr("waiting-more", count=len(owed) - WAITING_LISTED))
        lines.append(tr("waiting-footer"))
        school = await self._organizations.school(school_id)
        zone = school_zone(school)
        day = school_day(now, zone, self._quiet)
        for curator in await self._people.holders(Role.CURATOR, school_id):
            await self._outbox.enqueue(
                f"waiting:{school_id}:{day}:{curator}",
                curator,
                "curator_notice",
                message_payload("\n".join(lines)),
                now,
                now + timedelta(days=1),
                now,
            )
        # The key is the school's day: the next reminder is the next day's, from its morning
        # (a curator who joins today is a role granted, which brings the school back sooner).
        return True, next_school_day(now, zone, self._quiet)

    # --- requests to replace or release the mentor ---

    async def request(self, pair: Pair, person_id: int, reason: str) -> RequestKind | PairsRefusal:
        """A mentee asks for another mentor, a mentor to be released; the curators decide."""
        kind = (
            RequestKind.RELEASE_MENTOR
            if person_id == pair.mentor_id
            else RequestKind.REPLACE_MENTOR
        )
        request_id = await self._requests.create(
            pair.id, person_id, kind, reason, self._clock.now()
        )
        if request_id is None:
            return PairsRefusal.REQUEST_DUPLICATE
        names = await self.names(pair.organization_id)
        kb = Keyboard()
        kb.button(
            text=tr("btn-approve"),
            callback_data=RequestDecisionCb(request_id=request_id, approve=True),
        )
        kb.button(
            text=tr("btn-reject"),
            callback_data=RequestDecisionCb(request_id=request_id, approve=False),
        )
        notice = tr(
            "request-notice",
            who=names.get(person_id, ""),
            pair=pair_title(pair, names),
            kind=kind,
            reason=reason,
        )
        now = self._clock.now()
        for curator in await self._people.holders(Role.CURATOR, pair.organization_id):
            await self._outbox.enqueue(
                f"pair-request:{request_id}:{curator}",
                curator,
                "curator_notice",
                message_payload(notice, kb.as_markup()),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
        return kind

    async def pending_request(self, request_id: int) -> tuple[PairRequest, Pair] | None:
        request = await self._requests.get(request_id)
        pair = await self._pairs.get(request.pair_id) if request else None
        return (request, pair) if request is not None and pair is not None else None

    async def decide_request(
        self, request: PairRequest, approve: bool, comment: str
    ) -> RequestStatus | PairsRefusal:
        """An approval ends the pair early (the mentee is back in the bank); everyone in the
        pair hears the decision."""
        if request.status is not RequestStatus.PENDING or not await self._requests.decide(
            request.id, approve, comment, self._clock.now()
        ):
            return PairsRefusal.REQUEST_GONE
        pair = await self._pairs.get(request.pair_id)
        now = self._clock.now()
        if pair is not None:
            names = await self.names(pair.organization_id)
            text = tr(
                "request-decided-notice",
                approved=approve,
                pair=pair_title(pair, names),
                comment=comment,
            )
            for participant in pair.participants:
                person = await self._people.by_id(participant.person_id)
                if person is not None and (approve or person.id == request.person_id):
                    await self._outbox.enqueue(
                        f"request-decided:{request.id}:{person.id}",
                        person.telegram_id,
                        "pair_notice",
                        message_payload(text),
                        now,
                        now + NOTICE_LIFETIME,
                        now,
                    )
        return RequestStatus.APPROVED if approve else RequestStatus.DECLINED

    # --- the director's order ---

    async def has_active_pairs(self, school_id: int) -> bool:
        return any(p.status is PairStatus.ACTIVE for p in await self._pairs.for_school(school_id))

    async def order(
        self, school: Organization, reference: OrderReference | None, curator_id: int
    ) -> OrderDocument | PairsRefusal:
        """The order «Об утверждении наставнических пар/групп» for the working pairs. Its
        number and date, when the curator gave them, are kept for the district's report."""
        active = [
            p for p in await self._pairs.for_school(school.id) if p.status is PairStatus.ACTIVE
        ]
        if not active:
            return PairsRefusal.NO_ACTIVE_PAIRS
        now = self._clock.now()
        if reference is not None:
            await self._orders.record(
                school.id, OrderKind.PAIRS, reference.number, reference.signed_on, curator_id, now
            )
        today: date = now.astimezone(ZoneInfo(school.timezone)).date()
        names = await self.names(school.id)
        # python-docx is pure Python: a long order is laid out on a worker thread
        content = await asyncio.to_thread(pairs_order, school.name, active, names, today, reference)
        return OrderDocument(content, reference)


def _invitation_text(mentor: str, mentees: list[str], form: str, kind: str) -> str:
    return tr(
        "pair-invitation",
        mentor=mentor,
        mentees=", ".join(mentees),
        count=len(mentees),
        form=tr.plain("pair-form", form=form),
        kind=tr.plain("pair-kind", kind=kind),
    )
