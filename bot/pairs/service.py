"""Forming pairs and groups: proposals, candidates, invitations and answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.forms.catalog import STUDENT_CATEGORY
from bot.pairs.matching import Match, Profile, propose, score, top_candidates
from bot.participation.banks import BankEntry, BankService, BankStatus
from bot.ui import keyboards, texts
from bot.ui.callbacks import PairInviteCb, RequestDecisionCb
from bot.ui.keyboards import Keyboard
from storage.models import Pair, PairDraft, PairStatus, Role
from storage.outbox import OutboxRepo
from storage.pairs import (
    PairRefusal,
    PairRequest,
    PairRequestsRepo,
    PairsRepo,
    PreferencesRepo,
)
from storage.people import PeopleRepo

NOTICE_LIFETIME = timedelta(days=7)
INVITATION_LIFETIME = timedelta(days=14)


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
        banks: BankService,
        people: PeopleRepo,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._pairs = pairs
        self._preferences = preferences
        self._requests = requests
        self._banks = banks
        self._people = people
        self._outbox = outbox
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

    async def propose(self, school_id: int) -> list[PairDraft]:
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
        return await self._pairs.drafts(school_id)

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
        """Tick or untick one choice; None when the person is not in this round."""
        found = await self.candidates(school_id)
        if person_id in found.mentees:
            side, offered, limit = Role.MENTEE, found.mentors, texts.MENTEE_PREFERENCE_LIMIT
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

    async def top_for(self, school_id: int, mentee_id: int, limit: int = 5) -> list[Match]:
        found = await self.candidates(school_id)
        if mentee_id not in found.mentees:
            return []
        profiles = [p for p, _ in found.mentors.values()]
        return top_candidates(found.mentees[mentee_id][0], profiles, limit)

    async def names(self, school_id: int) -> dict[int, str]:
        return await self._banks.names(school_id)

    async def change_draft(self, draft: PairDraft, mentor_id: int) -> bool:
        found = await self.candidates(draft.organization_id)
        if draft.mentee_id not in found.mentees or mentor_id not in found.mentors:
            return False
        match = score(found.mentees[draft.mentee_id][0], found.mentors[mentor_id][0])
        if match is None:
            return False
        return await self._pairs.change_draft(draft.id, mentor_id, match.score, match.reasons)

    async def accept_draft(self, draft: PairDraft, curator_id: int) -> Pair | str:
        created = await self.create(
            draft.organization_id, draft.mentor_id, [draft.mentee_id], curator_id
        )
        if isinstance(created, Pair):
            await self._pairs.close_draft(draft.id, "accepted")
        return created

    async def create(
        self,
        school_id: int,
        mentor_id: int,
        mentee_ids: list[int],
        curator_id: int,
        form: PairForm | None = None,
        kind: PairKind | None = None,
    ) -> Pair | str:
        """Create the pair and invite everyone; a refusal comes back as the Russian reason."""
        found = await self.candidates(school_id)
        if mentor_id in mentee_ids:
            return tr("pair-self")
        if mentor_id not in found.mentors:
            return tr("pair-mentor-unavailable")
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
        pair_id = await self._pairs.create(
            school_id,
            mentor_id,
            mentee_ids,
            chosen_form.value,
            chosen_kind.value,
            capacity,
            curator_id,
            self._clock.now(),
        )
        if isinstance(pair_id, PairRefusal):
            return texts.PAIR_REFUSALS[pair_id.value]
        pair = await self._pairs.get(pair_id)
        assert pair is not None
        # Everyone in the new pair is among the candidates just loaded: no second bank read.
        names = {pid: entry.name for pid, (_, entry) in (found.mentees | found.mentors).items()}
        await self._invite(pair, names)
        return pair

    async def add_mentee(self, pair: Pair, mentee_id: int) -> str | None:
        """Invite one more mentee into the pair, making it a group; a refusal as text."""
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
            return tr("pair-mentor-unavailable")
        refusal = await self._pairs.add_mentee(
            pair.id, mentee_id, int(mentor.answers.get("capacity") or 1)
        )
        if refusal is not None:
            return texts.PAIR_REFUSALS[refusal.value]
        grown = await self._pairs.get(pair.id)
        assert grown is not None
        await self._invite(grown, await self.names(pair.organization_id), only=[mentee_id])
        return None

    async def _why_not_free(self, school_id: int, mentee_id: int) -> str:
        entry = next(
            (e for e in await self._banks.bank(school_id, Role.MENTEE) if e.person_id == mentee_id),
            None,
        )
        if entry is None:
            return tr("pair-mentee-unknown")
        if entry.status is BankStatus.AWAITING_PARENT:
            return tr("pair-awaiting-parent")
        if entry.status in (BankStatus.INVITED, BankStatus.IN_PAIR):
            return texts.PAIR_REFUSALS[PairRefusal.MENTEE_TAKEN.value]
        return tr("pair-mentee-not-ready")

    async def _invite(
        self, pair: Pair, names: dict[int, str], only: list[int] | None = None
    ) -> None:
        now = self._clock.now()
        text = texts.pair_invitation(
            names.get(pair.mentor_id, ""),
            [names.get(m, "") for m in pair.mentee_ids],
            pair.form,
            pair.kind,
        )
        kb = Keyboard()
        kb.button(text=tr("btn-accept"), callback_data=PairInviteCb(pair_id=pair.id, accept=True))
        kb.button(text=tr("btn-decline"), callback_data=PairInviteCb(pair_id=pair.id, accept=False))
        for participant in pair.participants:
            if only is not None and participant.person_id not in only:
                continue
            person = await self._people.by_id(participant.person_id)

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

    async def respond(self, pair: Pair, person_id: int, accept: bool, reason: str | None) -> str:
        """A participant's answer to an invitation; tells the curators what happened."""
        status = await self._pairs.decide(pair.id, person_id, accept, reason, self._clock.now())
        if status is None:
            return tr("pair-invitation-gone")
        names = await self.names(pair.organization_id)
        who = names.get(person_id, "")
        if accept:
            notice = texts.pair_accepted_notice(who, status is PairStatus.ACTIVE)
        else:
            notice = texts.pair_declined_notice(who, reason or "")
        now = self._clock.now()
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
        return tr("pair-accepted") if accept else tr("pair-declined")

    async def remind_about_waiting(self, school_id: int, days: int) -> bool:
        """Tell the school's curators, once a day, who has waited `days` or more for a mentor."""
        waiting = [
            e
            for e in await self._banks.bank(school_id, Role.MENTEE)
            if e.status is BankStatus.WAITING and e.days_waiting >= days
        ]
        if not waiting:
            return False
        now = self._clock.now()
        text = texts.waiting_reminder([(e.name, e.days_waiting) for e in waiting])
        for curator in await self._people.holders(Role.CURATOR, school_id):
            await self._outbox.enqueue(
                f"waiting:{school_id}:{now.date()}:{curator}",
                curator,
                "curator_notice",
                message_payload(text),
                now,
                now + timedelta(days=1),
                now,
            )
        return True

    async def withdraw(self, pair: Pair) -> bool:

        return await self._pairs.withdraw(pair.id, self._clock.now())

    async def request(self, pair: Pair, person_id: int, reason: str) -> str:
        """A mentee asks for another mentor, a mentor to be released; the curators decide."""
        kind = "release_mentor" if person_id == pair.mentor_id else "replace_mentor"
        request_id = await self._requests.create(
            pair.id, person_id, kind, reason, self._clock.now()
        )
        if request_id is None:
            return tr("request-duplicate")
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
        notice = texts.request_notice(names.get(person_id, ""), kind, reason)
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
        return tr("request-sent")

    async def decide_request(self, request: PairRequest, approve: bool, comment: str) -> bool:
        """An approval ends the pair early (the mentee is back in the bank); everyone in the
        pair hears the decision."""
        if not await self._requests.decide(request.id, approve, comment, self._clock.now()):
            return False
        pair = await self._pairs.get(request.pair_id)
        now = self._clock.now()
        text = texts.request_decided(approve, comment)
        for participant in pair.participants if pair else ():
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
        return True
