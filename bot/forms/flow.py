"""One step of a form in chat: a typed answer or a pressed button becomes one stored write and
a typed result saying what to show next. The handler parses the update and renders the result.

What happens around a form belongs to the features that own it and arrives as functions:
the consent a questionnaire needs (`ConsentGate`) and what follows a submitted form
(`AfterSubmit`, by purpose). So this module imports no feature and no feature loop forms."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from aiogram import Bot
from aiogram.fsm.storage.base import StorageKey

from bot.core.clock import Clock
from bot.core.zones import school_zone
from bot.forms.answers import Invalid, parse_typed
from bot.forms.engine import SUMMARY, FormEngine, FormState
from bot.forms.model import AnswerValue, FormPurpose, Question, QuestionKind
from bot.organizations.service import OrganizationService
from bot.ui.callbacks import FormAction, FormCb
from bot.ui.states import FormStates
from storage.fsm import SQLStorage


@dataclass(frozen=True)
class Next:
    """What to show after a step: a notice, then possibly a form to go on with."""

    notice: str
    state: FormState | None = None
    resumed: bool = False


ConsentGate = Callable[[FormState], Awaitable[Next | None]]
AfterSubmit = Callable[[FormState, int | None, Bot], Awaitable[Next]]


def state_only(finish: Callable[[FormState], Awaitable[Next]]) -> AfterSubmit:
    """What follows a form for a feature that needs only the submitted form."""

    async def after(state: FormState, _message_id: int | None, _bot: Bot) -> Next:
        return await finish(state)

    return after


class Notice(StrEnum):
    """What the form engine tells the person about their step (forms.ftl, `form-notice`)."""

    GONE = "gone"  # the questionnaire was sent, withdrawn or never existed
    NOT_YOURS = "not_yours"  # the button belongs to another person's questionnaire
    STALE = "stale"  # a button of a question already behind
    AT_SUMMARY = "at_summary"
    OTHER_ADDED = "other_added"
    NO_PREVIOUS = "no_previous"
    REQUIRED = "required"
    PICK_AT_LEAST_ONE = "pick_at_least_one"
    STALE_BUTTON = "stale_button"
    PAUSED = "paused"


@dataclass(frozen=True)
class Screen:
    """Show the form's current screen: as a new message, or redrawn in place (a tick)."""

    state: FormState
    notice: Notice | None = None
    hint: str = ""  # why a typed answer was not taken (bot.forms.answers.Invalid)
    draft: list[str] | None = None
    # The question just answered and its answer, marked above the next screen.
    answered: tuple[Question, AnswerValue] | None = None
    in_place: bool = False
    alert: Notice | None = None  # a pop-up on the pressed button as well


@dataclass(frozen=True)
class Alert:
    """Only a pop-up on the pressed button: nothing changed."""

    notice: Notice | None = None
    hint: str = ""


@dataclass(frozen=True)
class Onward:
    """The form is left: `following` says what comes next (another form, or the menu)."""

    following: Next
    notice: Notice | None = None
    alert: Notice | None = None


Step = Screen | Alert | Onward


class FormFlow:
    def __init__(
        self,
        engine: FormEngine,
        organizations: OrganizationService,
        fsm: SQLStorage,
        consent_gate: ConsentGate,
        after_submit: Mapping[FormPurpose, AfterSubmit],
        clock: Clock,
    ) -> None:
        self.engine = engine
        self._organizations = organizations
        self._fsm = fsm
        self._consent_gate = consent_gate
        self._after_submit = after_submit
        self._clock = clock

    async def typed(
        self,
        person_id: int | None,
        key: StorageKey,
        session_id: int | None,
        draft: list[str] | None,
        text: str | None,
        bot: Bot,
    ) -> Step:
        """A message typed while a form is on screen (`session_id` from the chat's FSM)."""
        form = await self._own(person_id, session_id)
        if not isinstance(form, FormState) or not form.in_progress:
            return Onward(Next(""), Notice.GONE)
        question = form.question
        if question is None:
            return Screen(form, Notice.AT_SUMMARY)
        value = parse_typed(question, text, await self._today(form))
        if isinstance(value, Invalid):
            return Screen(form, hint=value.hint, draft=draft)
        if question.kind is QuestionKind.MULTI:
            chosen = list(draft if draft is not None else form.answers.get(question.id) or [])
            return Screen(form, Notice.OTHER_ADDED, draft=[*chosen, value])
        gate = await self._consent_gate(form)
        if gate is not None:
            return Onward(gate)
        answered = await self._answer(form, key, question, value, None, bot)
        return Screen(form, Notice.STALE) if answered is None else answered

    async def shown(self, person_id: int | None, session_id: int | None) -> Step:
        """The screen on display, unchanged (a command typed mid-form that nobody knew)."""
        form = await self._own(person_id, session_id)
        if not isinstance(form, FormState) or not form.in_progress:
            return Onward(Next(""), Notice.GONE)
        return Screen(form, Notice.AT_SUMMARY if form.question is None else None)

    async def pressed(
        self,
        person_id: int | None,
        key: StorageKey,
        data: FormCb,
        draft: list[str] | None,
        message_id: int | None,
        bot: Bot,
    ) -> Step:
        """A form button; `draft` is the multiple choice ticked so far (the chat's FSM)."""
        form = await self._own(person_id, data.session)
        if form is Notice.NOT_YOURS:
            return Onward(Next(""), alert=form)
        if not isinstance(form, FormState):
            return Alert(form)
        if data.action is FormAction.REOPEN:
            reopened = await self.engine.reopen(form) if not form.in_progress else form
            return Screen(reopened) if reopened is not None else Alert()
        if not form.in_progress:
            return Alert(Notice.GONE)
        expected = SUMMARY if data.action is FormAction.EDIT else data.q
        if form.session.current_question != expected:
            return Screen(form, alert=Notice.STALE)
        gate = await self._consent_gate(form)
        if gate is not None:
            return Onward(gate)
        if data.action is FormAction.PAUSE:
            return Onward(Next(""), Notice.PAUSED)
        if data.action is FormAction.SUBMIT:
            return await self._submit(form, message_id, bot)
        if data.action in (FormAction.BACK, FormAction.EDIT):
            moved = await (
                self.engine.back(form)
                if data.action is FormAction.BACK
                else self.engine.edit(form, data.q)
            )
            return Screen(moved) if moved is not None else Alert(Notice.NO_PREVIOUS)
        question = form.question
        if question is None:
            return Alert(Notice.STALE_BUTTON)
        if data.action is FormAction.TOGGLE:
            return _toggled(form, question, data.v, draft)
        value = _button_value(question, data, form, draft)
        if isinstance(value, Notice):
            return Alert(value)
        answered = await self._answer(form, key, question, value, message_id, bot)
        return Alert(Notice.STALE) if answered is None else answered

    async def _answer(
        self,
        form: FormState,
        key: StorageKey,
        question: Question,
        value: AnswerValue,
        message_id: int | None,
        bot: Bot,
    ) -> Step | None:
        """Store the answer with the FSM state of the screen that follows, in one
        transaction (None if the question is no longer on screen); a form without a summary
        (a consent) is submitted with it."""
        screen = self._fsm.staged(
            key, FormStates.answering, {"session_id": form.session.id, "draft": None}
        )
        answered = await self.engine.answer(form, value, screen)
        if answered is None:
            return None
        if answered.in_progress:
            return Screen(answered, answered=(question, value))
        return await self._submitted(answered, message_id, bot)

    async def _submit(self, form: FormState, message_id: int | None, bot: Bot) -> Step:
        if not await self.engine.submit(form):
            return Alert(Notice.GONE)
        return await self._submitted(form, message_id, bot)

    async def _submitted(self, form: FormState, message_id: int | None, bot: Bot) -> Step:
        return Onward(await self._after_submit[form.form.purpose](form, message_id, bot))

    async def _own(self, person_id: int | None, session_id: int | None) -> FormState | Notice:
        """The session, if it exists and belongs to this person: a forged or another
        person's id gets nothing but the reason."""
        if session_id is None or person_id is None:
            return Notice.GONE if session_id is None else Notice.NOT_YOURS
        form = await self.engine.load(session_id)
        if form is None:
            return Notice.GONE
        return form if form.session.person_id == person_id else Notice.NOT_YOURS

    async def _today(self, form: FormState) -> date:
        school = await self._organizations.school(form.session.organization_id or 0)
        zone = school_zone(school)
        return self._clock.now().astimezone(zone).date()


def _toggled(form: FormState, question: Question, index: int, draft: list[str] | None) -> Step:
    if not 0 <= index < len(question.options):
        return Alert(Notice.STALE_BUTTON)
    chosen = list(draft if draft is not None else form.answers.get(question.id) or [])
    option = question.options[index].id
    chosen = [c for c in chosen if c != option] if option in chosen else [*chosen, option]
    return Screen(form, draft=chosen, in_place=True)


def _button_value(
    question: Question, data: FormCb, form: FormState, draft: list[str] | None
) -> AnswerValue | Notice:
    if data.action is FormAction.SKIP:
        return Notice.REQUIRED if question.required else None
    if data.action is FormAction.DONE:
        chosen = draft if draft is not None else form.answers.get(question.id) or []
        if not chosen and question.required:
            return Notice.PICK_AT_LEAST_ONE
        order = [o.id for o in question.options]
        return sorted(chosen, key=lambda c: order.index(c) if c in order else len(order))
    if question.kind is QuestionKind.YES_NO and data.v in (0, 1):
        return data.v == 1
    if question.kind is QuestionKind.SCALE and 1 <= data.v <= 10:
        return data.v
    if question.kind is QuestionKind.SINGLE and 0 <= data.v < len(question.options):
        return question.options[data.v].id
    return Notice.STALE_BUTTON
