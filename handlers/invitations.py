"""A mentor or mentee answers an invitation into a pair (the answer is their written consent
to the participant's duties); a refusal comes with a reason for the curator."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.pairs.service import PairService
from bot.ui.callbacks import PairInviteCb
from bot.ui.states import PairStates
from storage.models import Decision, Pair, PairStatus
from storage.pairs import PairsRepo

RESPOND = {"action": Action.RESPOND_TO_PAIR}
REASON_LIMIT = 300


async def _pending(actor: Actor, pairs: PairsRepo, pair_id: int) -> Pair | None:
    """The pair, if this person is one of its participants still asked to answer."""
    pair = await pairs.get(pair_id)
    holding = (PairStatus.INVITED, PairStatus.ACTIVE)  # a working group may invite one more
    if pair is None or actor.person is None or pair.status not in holding:
        return None
    mine = next((p for p in pair.participants if p.person_id == actor.person.id), None)
    return pair if mine is not None and mine.decision is Decision.PENDING else None


async def answer_invitation(
    callback: CallbackQuery,
    callback_data: PairInviteCb,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_service: PairService,
) -> None:
    pair = await _pending(actor, pairs, callback_data.pair_id)
    message = callback.message
    if pair is None or actor.person is None or not isinstance(message, Message):
        await callback.answer(tr("pair-invitation-gone"), show_alert=True)
        return
    await callback.answer()
    await message.edit_reply_markup(reply_markup=None)
    if callback_data.accept:
        await message.answer(await pair_service.respond(pair, actor.person.id, True, None))
        return
    await state.set_state(PairStates.declining)
    await state.set_data({"pair_id": pair.id})
    await message.answer(tr("pair-ask-reason"))


async def decline_reason(
    message: Message,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_service: PairService,
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > REASON_LIMIT:
        await message.answer(tr("pair-ask-reason"))
        return
    pair = await _pending(actor, pairs, int((await state.get_data()).get("pair_id", 0)))
    await state.clear()
    if pair is None or actor.person is None:
        await message.answer(tr("pair-invitation-gone"))
        return
    await message.answer(await pair_service.respond(pair, actor.person.id, False, reason))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(answer_invitation, PairInviteCb.filter(), flags=RESPOND)
    router.message.register(decline_reason, StateFilter(PairStates.declining), flags=RESPOND)
    return router
