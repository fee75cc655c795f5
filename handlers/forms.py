"""The form engine's chat side: every questionnaire, consent and survey runs through here."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.answers import Invalid, parse_typed
from bot.forms.engine import SUMMARY, FormEngine, FormState
from bot.forms.model import AnswerValue, FormPurpose, QuestionKind
from bot.forms.screens import answer_mark, question_screen, summary_screen
from bot.meetings.service import MeetingService
from bot.organizations.service import OrganizationService
from bot.participation.service import Next, ParticipationService
from bot.programs.service import ProgramService
from bot.surveys.service import SurveyService
from bot.ui import menus
from bot.ui.callbacks import FormAction, FormCb
from bot.ui.states import FormStates

ANYONE = {"action": Action.ANYONE}


@dataclass(frozen=True)
class FormServices:
    """What the form engine's handlers need, injected as one dependency."""

    engine: FormEngine
    participation: ParticipationService
    programs: ProgramService
    meetings: MeetingService
    surveys: SurveyService


async def present(
    chat: Message,
    state: FormState,
    fsm: FSMContext,
    organizations: OrganizationService,
    notice: str = "",
    draft: list[str] | None = None,
) -> None:
    """Send the form's current screen as a new message and route typed text to it."""
    school = await organizations.school(state.session.organization_id or 0)
    if state.question is None:
        text, markup = summary_screen(state)
    else:
        text, markup = question_screen(state, school.name if school else "", draft)
    await fsm.set_state(FormStates.answering)
    await fsm.set_data({"session_id": state.session.id, "draft": draft})
    await chat.answer(f"{notice}\n\n{text}" if notice else text, reply_markup=markup)


async def present_next(
    chat: Message,
    following: Next,
    fsm: FSMContext,
    actor: Actor,
    organizations: OrganizationService,
) -> None:
    """After a step: the next form if there is one, else the notice and the main menu."""
    if following.state is not None and following.state.in_progress:
        await present(chat, following.state, fsm, organizations, following.notice)
        return
    await fsm.clear()
    if not actor.is_registered and following.notice:
        # Someone without a role (a parent after their consent) gets the notice alone: the
        # stranger's hint to open an invitation link is not what follows for them.
        await chat.answer(following.notice)
        return
    text, markup = await menus.main_menu(actor, organizations)
    notice = f"{following.notice}\n\n" if following.notice else ""
    await chat.answer(f"{notice}{text}", reply_markup=markup)


async def _advance(
    chat: Message,
    state: FormState,
    fsm: FSMContext,
    actor: Actor,
    bot: Bot,
    forms: FormServices,
    organizations: OrganizationService,
    notice: str,
    message_id: int | None,
) -> None:
    """Show what follows an answer; a form without a summary is submitted at once."""
    if state.question is not None or state.form.review:
        await present(chat, state, fsm, organizations, notice)
        return
    await _submit(chat, state, fsm, actor, bot, forms, organizations, message_id)


async def _submit(
    chat: Message,
    state: FormState,
    fsm: FSMContext,
    actor: Actor,
    bot: Bot,
    forms: FormServices,
    organizations: OrganizationService,
    message_id: int | None,
) -> None:
    if not await forms.engine.submit(state):
        await chat.answer(tr("form-gone"))
        return
    if state.form.purpose is FormPurpose.PROGRAM:
        following = await forms.programs.submitted(state)
    elif forms.surveys.owns(state.form):
        following = await forms.surveys.submitted(state)
    elif state.form.purpose is FormPurpose.SURVEY:
        following = await forms.meetings.feedback_submitted(state)
    else:
        following = await forms.participation.finish(state, message_id, bot)
    await present_next(chat, following, fsm, actor, organizations)


async def _gate(forms: FormServices, form: FormState) -> Next | None:
    """What must happen before an answer is stored: a valid consent for a questionnaire; a
    survey still open (before its deadline, not closed)."""
    return await forms.participation.consent_gate(form) or await forms.surveys.gate(form)


async def _owned(actor: Actor, engine: FormEngine, session_id: int | None) -> FormState | None:
    """The session, if it exists and belongs to this person: a forged id gets nothing."""
    if session_id is None or actor.person is None:
        return None
    state = await engine.load(session_id)
    if state is None or state.session.person_id != actor.person.id:
        return None
    return state


async def on_button(
    callback: CallbackQuery,
    callback_data: FormCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    forms: FormServices,
    organizations: OrganizationService,
) -> None:
    message = callback.message
    form = await _owned(actor, forms.engine, callback_data.session)
    if form is None or not isinstance(message, Message):
        await callback.answer(tr("form-gone"), show_alert=True)
        return
    if callback_data.action is FormAction.REOPEN:
        reopened = await forms.engine.reopen(form) if not form.in_progress else form
        await callback.answer()
        if reopened is not None:
            await present(message, reopened, state, organizations)
        return
    if not form.in_progress:
        await callback.answer(tr("form-gone"), show_alert=True)
        return
    on_screen = form.session.current_question
    expected = SUMMARY if callback_data.action is FormAction.EDIT else callback_data.q
    if on_screen != expected:
        await callback.answer(tr("form-stale"))
        await present(message, form, state, organizations)
        return
    gate = await _gate(forms, form)
    if gate is not None:
        await callback.answer()
        await present_next(message, gate, state, actor, organizations)
        return
    await _act(callback, callback_data, message, form, state, actor, bot, forms, organizations)


async def _act(
    callback: CallbackQuery,
    callback_data: FormCb,
    message: Message,
    form: FormState,
    state: FSMContext,
    actor: Actor,
    bot: Bot,
    forms: FormServices,
    organizations: OrganizationService,
) -> None:
    """A checked button press on the question (or summary) that is on screen."""
    action = callback_data.action
    if action is FormAction.PAUSE:
        await callback.answer()
        await message.edit_reply_markup(reply_markup=None)
        await state.clear()
        await present_next(message, Next(tr("form-paused")), state, actor, organizations)
        return
    if action is FormAction.TOGGLE:
        await _toggle(callback, callback_data, form, state, organizations)
        return
    if action in (FormAction.BACK, FormAction.EDIT):
        moved = await (
            forms.engine.back(form)
            if action is FormAction.BACK
            else forms.engine.edit(form, callback_data.q)
        )
        if moved is None:
            await callback.answer(tr("form-no-previous"))
            return
        await callback.answer()
        await message.edit_reply_markup(reply_markup=None)
        await present(message, moved, state, organizations)
        return
    if action is FormAction.SUBMIT:
        await callback.answer()
        await message.edit_reply_markup(reply_markup=None)
        await _submit(message, form, state, actor, bot, forms, organizations, message.message_id)
        return
    value = await _button_value(callback, callback_data, form, state)
    if isinstance(value, Invalid):
        await callback.answer(value.hint, show_alert=True)
        return
    answered = await forms.engine.answer(form, value)
    if answered is None:
        await callback.answer(tr("form-stale"))
        return
    await callback.answer()
    await message.edit_reply_markup(reply_markup=None)
    question = form.question
    assert question is not None
    mark = answer_mark(question, value)
    await _advance(
        message, answered, state, actor, bot, forms, organizations, mark, message.message_id
    )


async def _button_value(
    callback: CallbackQuery, data: FormCb, form: FormState, state: FSMContext
) -> AnswerValue | Invalid:
    question = form.question
    assert question is not None
    if data.action is FormAction.SKIP:
        return Invalid(tr("form-required")) if question.required else None
    if data.action is FormAction.DONE:
        draft = (await state.get_data()).get("draft")
        chosen = draft if draft is not None else form.answers.get(question.id) or []
        if not chosen and question.required:
            return Invalid(tr("form-pick-at-least-one"))
        order = [o.id for o in question.options]
        return sorted(chosen, key=lambda c: order.index(c) if c in order else len(order))
    if question.kind is QuestionKind.YES_NO and data.v in (0, 1):
        return data.v == 1
    if question.kind is QuestionKind.SCALE and 1 <= data.v <= 10:
        return data.v
    if question.kind is QuestionKind.SINGLE and 0 <= data.v < len(question.options):
        return question.options[data.v].id
    return Invalid(tr("stale-button"))


async def _toggle(
    callback: CallbackQuery,
    data: FormCb,
    form: FormState,
    state: FSMContext,
    organizations: OrganizationService,
) -> None:
    question = form.question
    message = callback.message
    if question is None or not 0 <= data.v < len(question.options):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    stored = await state.get_data()
    same_session = stored.get("session_id") == form.session.id
    draft = stored.get("draft") if same_session else None
    chosen = list(draft if draft is not None else form.answers.get(question.id) or [])
    option = question.options[data.v].id
    chosen = [c for c in chosen if c != option] if option in chosen else [*chosen, option]
    await state.set_state(FormStates.answering)
    await state.update_data(session_id=form.session.id, draft=chosen)
    await callback.answer()
    school = await organizations.school(form.session.organization_id or 0)
    text, markup = question_screen(form, school.name if school else "", chosen)
    if isinstance(message, Message):
        await message.edit_text(text, reply_markup=markup)


async def on_text(
    message: Message,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    clock: Clock,
    forms: FormServices,
    organizations: OrganizationService,
) -> None:
    stored = await state.get_data()
    form = await _owned(actor, forms.engine, stored.get("session_id"))
    if form is None or not form.in_progress:
        await state.clear()
        await present_next(message, Next(tr("form-gone")), state, actor, organizations)
        return
    question = form.question
    if question is None:
        await present(message, form, state, organizations, tr("form-at-summary"))
        return
    if message.text and message.text.startswith("/"):
        await present(message, form, state, organizations, tr("unknown-command-in-form"))
        return
    school = await organizations.school(form.session.organization_id or 0)
    zone = school.timezone if school else "Europe/Moscow"
    value = parse_typed(question, message.text, clock.now().astimezone(ZoneInfo(zone)).date())
    if isinstance(value, Invalid):
        await present(message, form, state, organizations, value.hint, stored.get("draft"))
        return
    if question.kind is QuestionKind.MULTI:
        draft = list(stored.get("draft") or form.answers.get(question.id) or [])
        await present(message, form, state, organizations, tr("form-other-added"), [*draft, value])
        return
    gate = await _gate(forms, form)
    if gate is not None:
        await present_next(message, gate, state, actor, organizations)
        return
    answered = await forms.engine.answer(form, value)
    if answered is None:
        await present(message, form, state, organizations, tr("form-stale"))
        return
    mark = answer_mark(question, value)
    await _advance(message, answered, state, actor, bot, forms, organizations, mark, None)


class NotACommand(Filter):
    """Anything but a /command: commands go on to their routers, even mid-questionnaire."""

    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").startswith("/")


def build_router() -> Router:
    """Early in the chain: answers and form buttons are most of what the bot receives."""
    router = Router(name=__name__)
    router.callback_query.register(on_button, FormCb.filter(), flags=ANYONE)
    router.message.register(on_text, StateFilter(FormStates.answering), NotACommand(), flags=ANYONE)
    return router


def build_unknown_command_router() -> Router:
    """After every command router: a command nobody knew, typed mid-questionnaire, gets the
    question again with a hint."""
    router = Router(name=f"{__name__}.unknown_command")
    router.message.register(on_text, StateFilter(FormStates.answering), flags=ANYONE)
    return router
