"""The personalized program of a pair: the mentor drafts it with the form engine, the mentee
confirms it, the curator sees it; any change after confirmation needs both sides again."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.forms.catalog import PAIR_PROGRAM
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.forms.model import AnswerValue
from bot.ui.callbacks import PairCardAction, PairCardCb
from bot.ui.keyboards import Keyboard
from storage.models import Pair, ProgramStatus, Role
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.programs import DueProgram, Program, ProgramsRepo, ProgramTerm

NOTICE_LIFETIME = timedelta(days=7)
TOPICS_OFFERED = 5  # the program's first activities, offered as a new meeting's topic


@dataclass(frozen=True)
class Activity:
    """One line of the program's plan: «тема; содержание; срок; ожидаемый результат»."""

    topic: str
    content: str
    deadline: str
    result: str


def activities(answers: dict[str, AnswerValue]) -> list[Activity]:
    """The plan of activities as the mentor typed it, one per line, fields split by «;»."""
    plan = []
    for line in str(answers.get("activities") or "").splitlines():
        if line.strip():
            parts = [part.strip() for part in line.split(";", 3)] + ["", "", ""]
            plan.append(Activity(*parts[:4]))
    return plan


def program_end(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    months_from_january = start.month - 1 + months
    year, month = start.year + months_from_january // 12, months_from_january % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def term_end(term: ProgramTerm) -> date:
    """The end of a confirmed program: the end date agreed later, or start plus months."""
    return term.ends_on or program_end(term.start, term.months)


class ProgramService:
    def __init__(
        self,
        programs: ProgramsRepo,
        pairs: PairsRepo,
        engine: FormEngine,
        people: PeopleRepo,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._programs = programs
        self._pairs = pairs
        self._engine = engine
        self._people = people
        self._outbox = outbox
        self._clock = clock

    async def get(self, pair: Pair) -> tuple[Program, FormState] | None:
        program = await self._programs.get(pair.id)
        if program is None:
            return None
        state = await self._engine.load(program.session_id)
        return (program, state) if state else None

    async def end_date(self, pair: Pair) -> date | None:
        """When the confirmed program ends: its start plus its length in months."""
        found = await self.get(pair)
        if found is None or found[0].status is not ProgramStatus.CONFIRMED:
            return None
        answers = found[1].answers
        if found[0].ends_on is not None:
            return found[0].ends_on
        if not answers.get("start_date") or not answers.get("months"):
            return None
        return program_end(date.fromisoformat(str(answers["start_date"])), int(answers["months"]))

    async def start_date(self, pair: Pair) -> date | None:
        found = await self.get(pair)
        start = found[1].answers.get("start_date") if found else None
        return date.fromisoformat(str(start)) if start else None

    async def topics(self, pair_id: int) -> list[str]:
        """The topics of the program's first activities, to offer for a new meeting."""
        pair = await self._pairs.get(pair_id)
        found = await self.get(pair) if pair else None
        if found is None:
            return []
        return [a.topic for a in activities(found[1].answers)][:TOPICS_OFFERED]

    async def due_for_final(self, window: timedelta, limit: int) -> list[DueProgram]:
        """Up to `limit` confirmed programs whose final-meeting look has come (migration 0032);
        the meetings sweep says when each is due again (`final_looked`), computed with the
        `window` before the end: another window looks at every program again."""
        now = self._clock.now()
        await self._programs.sweep_with("program_final", str(window.days), now)
        return await self._programs.due_for_final(now, limit)

    async def final_looked(self, looks: list[tuple[DueProgram, datetime | None]]) -> None:
        await self._programs.swept("final_at", looks)

    async def edit(self, pair: Pair) -> FormState | None:
        """The mentor's form: a new draft, the draft in progress, or the sent program
        reopened at its summary (which takes it back to a draft)."""
        found = await self.get(pair)
        if found is None:
            state = await self._engine.start(pair.mentor_id, pair.organization_id, PAIR_PROGRAM.id)
            await self._programs.create(pair.id, state.session.id, self._clock.now())
            return state
        _, state = found
        if state.in_progress:
            return state
        await self._programs.set_status(
            pair.id,
            (ProgramStatus.PROPOSED, ProgramStatus.CONFIRMED),
            ProgramStatus.DRAFT,
            self._clock.now(),
        )
        return await self._engine.reopen(state)

    async def submitted(self, state: FormState) -> Next:
        """The mentor sent the program: it waits for the mentee, the curator is told."""
        program = await self._programs.by_session(state.session.id)
        pair = await self._pairs.get(program.pair_id) if program else None
        if program is None or pair is None:
            return Next(tr("form-gone"))
        await self._programs.set_status(
            pair.id, (ProgramStatus.DRAFT,), ProgramStatus.PROPOSED, self._clock.now()
        )
        kb = Keyboard()
        kb.button(
            text=tr("btn-program-open"),
            callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
        )
        await self._notify(
            pair,
            ProgramStatus.PROPOSED,
            tr("program-to-confirm"),
            await self._chats(pair.mentee_ids),
            kb.as_markup(),
        )
        await self._notify(
            pair, ProgramStatus.PROPOSED, tr("program-sent-notice"), await self._curators(pair)
        )
        return Next(tr("program-sent"))

    async def confirm(self, pair: Pair) -> bool:
        if not await self._programs.set_status(
            pair.id, (ProgramStatus.PROPOSED,), ProgramStatus.CONFIRMED, self._clock.now()
        ):
            return False
        # Every agreed version is kept: a later revision no longer overwrites this one.
        found = await self.get(pair)
        if found is not None:
            await self._programs.record_revision(pair.id, found[1].answers, None, self._clock.now())
        chats = await self._curators(pair) + await self._chats([pair.mentor_id])
        await self._notify(pair, ProgramStatus.CONFIRMED, tr("program-confirmed-notice"), chats)
        return True

    async def _chats(self, person_ids: list[int]) -> list[int]:
        return [p.telegram_id for i in person_ids if (p := await self._people.by_id(i))]

    async def _curators(self, pair: Pair) -> list[int]:
        return await self._people.holders(Role.CURATOR, pair.organization_id)

    async def _notify(
        self,
        pair: Pair,
        event: ProgramStatus,
        text: str,
        chats: list[int],
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        now = self._clock.now()
        program = await self._programs.get(pair.id)
        revision = program.revision if program else 0
        for chat in chats:
            await self._outbox.enqueue(
                f"program:{pair.id}:{revision}:{event.value}:{chat}",
                chat,
                "program",
                message_payload(text, markup),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
