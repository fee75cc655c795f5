"""Walking a person through a form. Pure rules live in `model`; this adds the stored session."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.clock import Clock
from bot.forms.catalog import FormCatalog
from bot.forms.model import AnswerValue, Form, Question
from storage.forms import FormSessionsRepo, LoadedSession
from storage.fsm import FsmWrite
from storage.models import FormSession, FormStatus

SUMMARY = ""


@dataclass(frozen=True)
class FormState:
    session: FormSession
    form: Form
    answers: dict[str, AnswerValue]
    # The personal-data consent on file for the session's school (its text version), read
    # with the session: a questionnaire stores answers only under the current one.
    consent_version: int | None = None

    @property
    def question(self) -> Question | None:
        """The question on screen; None while the summary is shown (or after submission)."""
        return self.form.question(self.session.current_question)

    @property
    def in_progress(self) -> bool:
        return self.session.status is FormStatus.IN_PROGRESS


class FormEngine:
    def __init__(self, sessions: FormSessionsRepo, catalog: FormCatalog, clock: Clock) -> None:
        self._sessions = sessions
        self.catalog = catalog
        self._clock = clock

    async def start(
        self,
        person_id: int,
        organization_id: int | None,
        form_id: str,
        subject_person_id: int | None = None,
    ) -> FormState:
        form = self.catalog.current(form_id)
        first = form.next_unanswered({})
        session = await self._sessions.start(
            person_id,
            organization_id,
            form.id,
            form.version,
            first.id if first else SUMMARY,
            self._clock.now(),
            subject_person_id,
        )
        started = await self.load(session.id)
        if started is None:
            raise LookupError("a form session vanished as it started")
        return started

    async def latest(
        self, person_id: int, organization_id: int | None, form_id: str
    ) -> FormState | None:
        loaded = await self._sessions.load_latest(person_id, form_id, organization_id)
        return self._state(loaded) if loaded else None

    async def resume_or_start(
        self, person_id: int, organization_id: int | None, form_id: str
    ) -> tuple[FormState, bool]:
        """The session in progress (resumed=True) or a new one."""
        state = await self.latest(person_id, organization_id, form_id)
        if state is not None and state.in_progress:
            return state, True
        return await self.start(person_id, organization_id, form_id), False

    async def load(self, session_id: int) -> FormState | None:
        """The session with its answers and the consent on file: one statement."""
        loaded = await self._sessions.load(session_id)
        return self._state(loaded) if loaded else None

    async def answer(
        self, state: FormState, value: AnswerValue, screen: FsmWrite | None = None
    ) -> FormState | None:
        """Store the answer to the question on screen, with the chat's FSM state for the
        screen that follows (`screen`), in one transaction; None if the question is no longer
        on screen. The last answer of a form without a summary (a consent) submits it in
        that transaction. What follows is worked out here, not read back."""
        question = state.question
        if question is None:
            return None
        answers = {**state.answers, question.id: value}
        following = state.form.next_unanswered(answers)
        target = following.id if following else SUMMARY
        final = following is None and not state.form.review
        now = self._clock.now()
        keep = list(state.form.final_answers(answers)) if final else None
        if not await self._sessions.answer(
            state.session.id, question.id, value, target, now, screen, keep
        ):
            return None
        session = replace(state.session, current_question=target)
        if final:
            session = replace(session, status=FormStatus.SUBMITTED, submitted_at=now)
        return replace(state, session=session, answers=answers)

    async def back(self, state: FormState) -> FormState | None:
        previous = state.form.previous(state.session.current_question, state.answers)
        if previous is None:
            return None
        return await self._move(state, previous.id)

    async def edit(self, state: FormState, question_id: str) -> FormState | None:
        """From the summary, show one question again."""
        visible = {q.id for q in state.form.visible(state.answers)}
        if state.session.current_question != SUMMARY or question_id not in visible:
            return None
        return await self._move(state, question_id)

    async def submit(self, state: FormState) -> bool:
        if state.session.current_question != SUMMARY:
            return False
        keep = list(state.form.final_answers(state.answers))
        return await self._sessions.submit(state.session.id, keep, self._clock.now())

    async def reopen(self, state: FormState) -> FormState | None:
        if not await self._sessions.reopen(state.session.id, self._clock.now()):
            return None
        session = replace(state.session, status=FormStatus.IN_PROGRESS, current_question=SUMMARY)
        return replace(state, session=session)

    async def _move(self, state: FormState, target: str) -> FormState | None:
        moved = await self._sessions.move(
            state.session.id, state.session.current_question, target, self._clock.now()
        )
        return (
            replace(state, session=replace(state.session, current_question=target))
            if moved
            else None
        )

    def _state(self, loaded: LoadedSession) -> FormState:
        session = loaded.session
        form = self.catalog.get(session.form_id, session.form_version)
        return FormState(session, form, loaded.answers, loaded.consent_version)
