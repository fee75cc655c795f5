"""Input from third parties on a mentee's requests (seed 001: the class teacher, the
psychologist). The curator picks a registered colleague of the school; only that colleague can
write the note, once. The note keeps its author; the curator reads it, and the mentor of a
pair with the mentee reads it only if the author allowed it. It belongs to the mentee's data:
exported by /mydata and erased on withdrawal (storage/personal_data.py, storage/consents.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.permissions import Action, Actor, can
from bot.participation.banks import BankService, unnamed
from bot.ui.callbacks import NoteAction, NoteCb
from bot.ui.keyboards import Keyboard
from storage.models import Pair, PairStatus, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from storage.practices import MenteeNote, PracticesRepo

log = logging.getLogger(__name__)

NOTICE_LIFETIME = timedelta(days=14)
NOTE_LIMIT = 1500


class NoteRefusal(StrEnum):
    NOT_FOUND = "not_found"  # no such mentee in the curator's school, or no such colleague
    NOT_INVITED = "not_invited"  # this person was not asked for this note
    WRITTEN = "written"  # the invitation was used
    BAD_TEXT = "bad_text"


@dataclass(frozen=True)
class Colleague:
    person_id: int
    name: str


@dataclass(frozen=True)
class SignedNote:
    note: MenteeNote
    author: str


class NoteService:
    def __init__(
        self,
        notes: PracticesRepo,
        people: PeopleRepo,
        organizations: OrganizationsRepo,
        banks: BankService,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._notes = notes
        self._people = people
        self._organizations = organizations
        self._banks = banks
        self._outbox = outbox
        self._clock = clock

    async def _mentee(self, actor: Actor, school_id: int, mentee_id: int) -> str | None:
        """The mentee's name, if they are in the bank of a school this curator runs."""
        school = await self._organizations.school(school_id)
        if school is None or not can(
            actor, Action.VIEW_BANK, district_id=school.district_id, organization_id=school.id
        ):
            return None
        entry = await self._banks.entry(school.id, Role.MENTEE, mentee_id)
        return entry.name if entry else None

    async def colleagues(
        self, actor: Actor, school_id: int, mentee_id: int
    ) -> tuple[str, list[Colleague]] | NoteRefusal:
        """The mentee's name and whom the curator may ask: the school's mentors and other
        curators (the class teacher or the psychologist joins the school as a teacher)."""
        name = await self._mentee(actor, school_id, mentee_id)
        if name is None:
            return NoteRefusal.NOT_FOUND
        return name, await self._colleagues(actor, school_id, mentee_id)

    async def _colleagues(self, actor: Actor, school_id: int, mentee_id: int) -> list[Colleague]:
        names = await self._banks.names(school_id)
        found: list[Colleague] = []
        for role in (Role.MENTOR, Role.CURATOR):
            for member in await self._people.members(role, school_id):
                if (
                    member.is_active
                    and member.person_id != mentee_id
                    and member.telegram_id != actor.telegram_id
                    and member.person_id not in {c.person_id for c in found}
                ):
                    name = names.get(member.person_id) or unnamed(member.telegram_id)
                    found.append(Colleague(member.person_id, name))
        return found

    async def invite(
        self, actor: Actor, school_id: int, mentee_id: int, colleague_id: int
    ) -> Colleague | NoteRefusal:
        name = await self._mentee(actor, school_id, mentee_id)
        chosen = [
            c
            for c in await self._colleagues(actor, school_id, mentee_id)
            if c.person_id == colleague_id
        ]
        colleague = await self._people.by_id(colleague_id)
        if name is None or not chosen or colleague is None:
            return NoteRefusal.NOT_FOUND
        now = self._clock.now()
        note_id = await self._notes.invite(
            school_id, mentee_id, colleague_id, actor.telegram_id, now
        )
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-note-write"),
            callback_data=NoteCb(action=NoteAction.WRITE, v=note_id),
        )
        await self._outbox.enqueue(
            f"note:{note_id}:invite",
            colleague.telegram_id,
            "note_invite",
            message_payload(tr("note-invitation", mentee=name), kb.as_markup()),
            now,
            now + NOTICE_LIFETIME,
            now,
        )
        log.info("note invited note_id=%s school_id=%s", note_id, school_id)
        return chosen[0]

    async def invited(self, actor: Actor, note_id: int) -> MenteeNote | NoteRefusal:
        """The note this person was asked to write, not yet written."""
        note = await self._notes.note(note_id)
        if note is None or actor.person is None or note.author_id != actor.person.id:
            return NoteRefusal.NOT_INVITED
        if note.written_at is not None:
            return NoteRefusal.WRITTEN
        return note

    async def write(
        self, actor: Actor, note_id: int, text: str, for_mentor: bool
    ) -> MenteeNote | NoteRefusal:
        note = await self.invited(actor, note_id)
        if isinstance(note, NoteRefusal):
            return note
        text = text.strip()
        if not text or len(text) > NOTE_LIMIT:
            return NoteRefusal.BAD_TEXT
        now = self._clock.now()
        if not await self._notes.write(note.id, text, for_mentor, now):
            return NoteRefusal.WRITTEN
        await self._outbox.enqueue(
            f"note:{note.id}:written",
            note.invited_by,
            "curator_notice",
            message_payload(tr("note-written-notice")),
            now,
            now + NOTICE_LIFETIME,
            now,
        )
        log.info("note written note_id=%s", note.id)
        written = await self._notes.note(note.id)
        assert written is not None
        return written

    async def for_curator(
        self, actor: Actor, school_id: int, mentee_id: int
    ) -> tuple[str, list[SignedNote]] | NoteRefusal:
        """The mentee's name and every note written on them in the school."""
        name = await self._mentee(actor, school_id, mentee_id)
        if name is None:
            return NoteRefusal.NOT_FOUND
        return name, await self._signed(await self._notes.notes_on([mentee_id], school_id))

    async def for_mentor(self, pair: Pair, viewer: int | None) -> list[SignedNote]:
        """The notes their authors let the mentor read, for the mentor of a working or
        completed pair only."""
        if viewer != pair.mentor_id or pair.status not in (
            PairStatus.ACTIVE,
            PairStatus.COMPLETED,
        ):
            return []
        notes = await self._notes.notes_on(pair.mentee_ids, pair.organization_id)
        return await self._signed([n for n in notes if n.for_mentor])

    async def _signed(self, notes: list[MenteeNote]) -> list[SignedNote]:
        if not notes:
            return []
        names = await self._banks.names(notes[0].organization_id)
        signed = []
        for note in notes:
            author = await self._people.by_id(note.author_id)
            fallback = unnamed(author.telegram_id) if author else ""
            signed.append(SignedNote(note, names.get(note.author_id) or fallback))
        return signed
