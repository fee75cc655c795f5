"""A mentor's or mentee's own questionnaire: fill it in, resume it, look at it, change it."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.engine import SUMMARY, FormState
from bot.forms.screens import card_text
from bot.services import Services
from bot.ui.callbacks import FormAction, FormCb, MenuCb, ParticipationCb, Screen
from bot.ui.keyboards import Keyboard
from handlers.forms import present_next
from storage.models import Role

MEMBER = {"action": Action.USE_MENU}
_ROLES = {role.value: role for role in (Role.MENTOR, Role.MENTEE)}


def _submitted_keyboard(state: FormState) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr("btn-form-reopen"),
        callback_data=FormCb(session=state.session.id, q=SUMMARY, action=FormAction.REOPEN),
    )
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


async def open_questionnaire(
    callback: CallbackQuery,
    callback_data: ParticipationCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    role = _ROLES.get(callback_data.role)
    following = (
        await services.participation.own_questionnaire(actor, callback_data.school_id, role)
        if role
        else None
    )
    if following is None:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message):
        return
    if following.state is not None and not following.state.in_progress:
        done = following.state
        await message.answer(
            card_text(done.form.title, done.form, done.answers),
            reply_markup=_submitted_keyboard(done),
        )
        return
    await present_next(message, following, state, actor, services.organizations)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(open_questionnaire, ParticipationCb.filter(), flags=MEMBER)
    return router
