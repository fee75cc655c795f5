"""The form engine's chat side: every questionnaire, consent and survey runs through here."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Bot, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.engine import FormState
from bot.forms.flow import Alert, Next, Notice, Onward, Screen, Step
from bot.forms.screens import answer_mark, question_screen, summary_screen
from bot.organizations.service import OrganizationService
from bot.services import Services
from bot.ui import menus
from bot.ui.callbacks import FormCb
from bot.ui.states import FormStates

ANYONE = {"action": Action.ANYONE}
# Said in a toast, not a pop-up to dismiss: the person sees where they are anyway.
_TOASTS = {Notice.STALE, Notice.NO_PREVIOUS}


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


def notice_text(notice: Notice) -> str:
    match notice:
        case Notice.GONE:
            return tr("form-gone")
        case Notice.NOT_YOURS:
            return tr("form-not-yours")
        case Notice.STALE:
            return tr("form-stale")
        case Notice.AT_SUMMARY:
            return tr("form-at-summary")
        case Notice.OTHER_ADDED:
            return tr("form-other-added")
        case Notice.NO_PREVIOUS:
            return tr("form-no-previous")
        case Notice.REQUIRED:
            return tr("form-required")
        case Notice.PICK_AT_LEAST_ONE:
            return tr("form-pick-at-least-one")
        case Notice.STALE_BUTTON:
            return tr("stale-button")
        case Notice.PAUSED:
            return tr("form-paused")


def _notice(step: Screen | Onward) -> str:
    """What is said above the screen: why an answer was not taken, the answer just given, or
    what the engine tells the person, in that order of precedence."""
    if isinstance(step, Onward):
        return notice_text(step.notice) if step.notice else ""
    if step.hint:
        return step.hint
    if step.answered is not None:
        return answer_mark(*step.answered)
    return notice_text(step.notice) if step.notice else ""


async def _render(
    chat: Message, step: Step, fsm: FSMContext, actor: Actor, services: Services
) -> None:
    """A step's result as a new message: the form's screen, or what follows it."""
    if isinstance(step, Screen):
        await present(chat, step.state, fsm, services.organizations, _notice(step), step.draft)
    elif isinstance(step, Onward):
        following = step.following
        if step.notice is not None:
            joined = f"{_notice(step)}\n\n{following.notice}".strip()
            following = Next(joined, following.state, following.resumed)
        await present_next(chat, following, fsm, actor, services.organizations)


async def on_button(
    callback: CallbackQuery,
    callback_data: FormCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    message = callback.message
    if not isinstance(message, Message):
        await callback.answer(tr("form-gone"), show_alert=True)
        return
    stored = await state.get_data()
    same_session = stored.get("session_id") == callback_data.session
    step = await services.form_flow.pressed(
        actor.person.id if actor.person else None,
        state.key,
        callback_data,
        stored.get("draft") if same_session else None,
        message.message_id,
        bot,
    )
    if isinstance(step, Alert):
        text = step.hint or (notice_text(step.notice) if step.notice else None)
        await callback.answer(text, show_alert=bool(text) and step.notice not in _TOASTS)
        return
    alert = step.alert
    await callback.answer(
        notice_text(alert) if alert else None, show_alert=bool(alert) and alert not in _TOASTS
    )
    if isinstance(step, Screen) and step.in_place:
        await state.set_state(FormStates.answering)
        await state.set_data({"session_id": step.state.session.id, "draft": step.draft})
        school = await services.organizations.school(step.state.session.organization_id or 0)
        text, markup = question_screen(step.state, school.name if school else "", step.draft)
        await message.edit_text(text, reply_markup=markup)
        return
    if isinstance(step, Onward) and step.alert is Notice.NOT_YOURS:
        # Someone else's questionnaire: their form stays as it is; this person gets their own
        # menu, in a private chat only (a group must not see it).
        if message.chat.type == "private":
            await present_next(message, Next(""), state, actor, services.organizations)
        return
    if alert is None:
        await message.edit_reply_markup(reply_markup=None)
    await _render(message, step, state, actor, services)


async def on_text(
    message: Message,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    stored = await state.get_data()
    if message.text and message.text.startswith("/"):
        # A command nobody knew, typed mid-questionnaire: the question again, with a hint.
        step: Step = await services.form_flow.shown(
            actor.person.id if actor.person else None, stored.get("session_id")
        )
        if isinstance(step, Screen) and step.notice is None:
            step = replace(step, hint=tr("unknown-command-in-form"))
    else:
        step = await services.form_flow.typed(
            actor.person.id if actor.person else None,
            state.key,
            stored.get("session_id"),
            stored.get("draft"),
            message.text,
            bot,
        )
    if isinstance(step, Onward) and step.notice is Notice.GONE:
        await state.clear()
    await _render(message, step, state, actor, services)


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
