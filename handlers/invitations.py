"""A mentor or mentee answers an invitation into a pair (the answer is their written consent
to the participant's duties); a refusal comes with a reason for the curator."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.pairs.service import PairsRefusal
from bot.services import Services
from bot.ui.callbacks import PairInviteCb
from bot.ui.states import PairStates
from storage.models import Decision

RESPOND = {"action": Action.RESPOND_TO_PAIR}
REASON_LIMIT = 300


def _answered(outcome: Decision | PairsRefusal) -> str:
    if isinstance(outcome, PairsRefusal):
        return tr("pair-refusal", reason=outcome)
    return tr("pair-accepted") if outcome is Decision.ACCEPTED else tr("pair-declined")


async def answer_invitation(
    callback: CallbackQuery,
    callback_data: PairInviteCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    message = callback.message
    person = actor.person
    pending = (
        await services.pairs.pending_invitation(callback_data.pair_id, person.id)
        if person is not None
        else PairsRefusal.INVITATION_GONE
    )
    if isinstance(pending, PairsRefusal) or person is None or not isinstance(message, Message):
        gone = PairsRefusal.INVITATION_GONE
        await callback.answer(tr("pair-refusal", reason=gone), show_alert=True)
        return
    await callback.answer()
    await message.edit_reply_markup(reply_markup=None)
    if callback_data.accept:
        answered = await services.pairs.respond(pending, person.id, True, None, message.message_id)
        await message.answer(_answered(answered))
        return
    await state.set_state(PairStates.declining)
    await state.set_data({"pair_id": pending.id, "message_id": message.message_id})
    await message.answer(tr("pair-ask-reason"))


async def decline_reason(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > REASON_LIMIT:
        await message.answer(tr("pair-ask-reason"))
        return
    data = await state.get_data()
    await state.clear()
    person = actor.person
    pending = (
        await services.pairs.pending_invitation(int(data.get("pair_id", 0)), person.id)
        if person is not None
        else PairsRefusal.INVITATION_GONE
    )
    if isinstance(pending, PairsRefusal) or person is None:
        await message.answer(tr("pair-refusal", reason=PairsRefusal.INVITATION_GONE))
        return
    answered = await services.pairs.respond(
        pending, person.id, False, reason, int(data.get("message_id", 0)) or None
    )
    await message.answer(_answered(answered))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(answer_invitation, PairInviteCb.filter(), flags=RESPOND)
    router.message.register(decline_reason, StateFilter(PairStates.declining), flags=RESPOND)
    return router
