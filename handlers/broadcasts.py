"""/broadcast and «📣 Рассылка» on the school screen: the curator composes an announcement,
chooses the audience, sees it as recipients will, confirms; the card shows its delivery."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.broadcasts.service import (
    AUDIENCES,
    Audience,
    BroadcastCard,
    BroadcastRefusal,
    Progress,
    check_text,
)
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.when import shown
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import BroadcastAction, BroadcastCb, MenuCb, SchoolAction, SchoolCb, Screen
from bot.ui.keyboards import Keyboard
from bot.ui.states import BroadcastStates
from handlers.render import show
from storage.models import Organization, Role

BROADCAST = {"action": Action.BROADCAST}
SHOWN = 30  # undelivered recipients listed on the card
FORMATTING = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link"}
    | {"blockquote", "expandable_blockquote"}
)


def _progress(progress: Progress) -> str:
    return tr(
        "broadcast-progress",
        sent=progress.sent,
        failed=progress.failed,
        pending=progress.pending,
    )


async def _home(school: Organization, services: Services) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-broadcast-new"),
        callback_data=BroadcastCb(action=BroadcastAction.NEW, school_id=school.id),
    )
    history = await services.broadcasts.history(school)
    lines = [tr("broadcasts-title", school=school.name)]
    if not history:
        lines.append(tr("broadcasts-none"))
    for broadcast, progress in history:
        when = shown(broadcast.created_at, ZoneInfo(school.timezone))
        kb.button(
            text=tr.plain(
                "btn-broadcast-past",
                when=when,
                sent=progress.sent,
                total=progress.sent + progress.failed + progress.pending,
            ),
            callback_data=BroadcastCb(
                action=BroadcastAction.CARD, school_id=school.id, v=broadcast.id
            ),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
    )
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


def _card(card: BroadcastCard) -> tuple[str, InlineKeyboardMarkup]:
    lines = [
        tr("broadcast-card", audience=card.broadcast.audience),
        _progress(card.progress),
    ]
    if card.undelivered:
        lines.append(tr("broadcast-undelivered"))
        for failed in card.undelivered[:SHOWN]:
            lines.append(tr("broadcast-undelivered-line", name=failed.name, status=failed.status))
    kb = Keyboard()
    back = BroadcastCb(action=BroadcastAction.HOME, school_id=card.broadcast.organization_id)
    refresh = BroadcastCb(
        action=BroadcastAction.CARD,
        school_id=card.broadcast.organization_id,
        v=card.broadcast.id,
    )
    kb.button(text=tr.plain("btn-broadcast-refresh"), callback_data=refresh)
    kb.button(text=tr.plain("btn-back"), callback_data=back)
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


async def _refuse(event: Message | CallbackQuery, refusal: BroadcastRefusal) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(tr.plain("broadcast-refusal", reason=refusal), show_alert=True)
    else:
        await event.answer(tr("broadcast-refusal", reason=refusal), reply_markup=keyboards.cancel())


async def _compose(event: Message | CallbackQuery, school_id: int, state: FSMContext) -> None:
    await state.set_state(BroadcastStates.composing)
    await state.set_data({"school_id": school_id, "draft": uuid.uuid4().hex})
    await show(event, tr("broadcast-compose"), keyboards.cancel())


async def command(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    schools = actor.school_ids(Role.CURATOR)
    school = await services.broadcasts.school_for(actor, schools[0] if schools else 0)
    if isinstance(school, BroadcastRefusal):
        await _refuse(message, school)
        return
    await _compose(message, school.id, state)


async def pressed(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service = services.broadcasts
    school = await service.school_for(actor, callback_data.school_id)
    if isinstance(school, BroadcastRefusal):
        await _refuse(callback, school)
        return
    action = callback_data.action
    if action is BroadcastAction.NEW:
        await _compose(callback, school.id, state)
        return
    if action is BroadcastAction.CARD:
        card = await service.card(actor, callback_data.v)
        if isinstance(card, BroadcastRefusal):
            await _refuse(callback, card)
            return
        await show(callback, *_card(card))
        return
    if action in (BroadcastAction.AUDIENCE, BroadcastAction.SEND):
        await _draft_step(callback, callback_data, school, actor, state, services)
        return
    await show(callback, *await _home(school, services))


async def _draft_step(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    school: Organization,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    data = await state.get_data()
    if (
        await state.get_state() != BroadcastStates.confirming.state
        or data.get("school_id") != callback_data.school_id
        or not isinstance(data.get("text"), str)
        or not isinstance(data.get("draft"), str)
    ):
        # Sent already (a second tap) or never composed: nothing to do twice.
        await callback.answer(tr.plain("broadcast-no-draft"), show_alert=True)
        return
    service = services.broadcasts
    if callback_data.action is BroadcastAction.AUDIENCE:
        if callback_data.v >= len(AUDIENCES):
            await callback.answer(tr.plain("stale-button"), show_alert=True)
            return
        audience = AUDIENCES[callback_data.v]
        count = len(await service.recipients(callback_data.school_id, audience))
        if not count:
            await _refuse(callback, BroadcastRefusal.NO_RECIPIENTS)
            return
        await state.update_data(audience=audience.value)
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-broadcast-send"),
            callback_data=BroadcastCb(
                action=BroadcastAction.SEND, school_id=callback_data.school_id
            ),
        )
        kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
        kb.adjust(1)
        await callback.answer()
        if callback.message is not None:
            # The preview is the very payload recipients will get.
            await callback.message.answer(data["text"])
            await callback.message.answer(
                tr("broadcast-confirm", audience=audience, count=count),
                reply_markup=kb.as_markup(),
            )
        return
    if data.get("audience") not in {a.value for a in AUDIENCES}:
        await callback.answer(tr.plain("broadcast-no-draft"), show_alert=True)
        return
    queued = await service.send(
        actor, callback_data.school_id, Audience(data["audience"]), data["text"], data["draft"]
    )
    if isinstance(queued, BroadcastRefusal):
        await _refuse(callback, queued)
        return
    # Cleared only once queued: after a crash half-way the same tap queues the rest.
    await state.clear()
    lines = [tr("broadcast-queued", count=queued.recipients)]
    if queued.quiet_until is not None:
        lines.append(
            tr("broadcast-quiet", when=shown(queued.quiet_until, ZoneInfo(school.timezone)))
        )
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-broadcast-open"),
        callback_data=BroadcastCb(
            action=BroadcastAction.CARD,
            school_id=callback_data.school_id,
            v=queued.broadcast.id,
        ),
    )
    await show(callback, "\n".join(lines), kb.as_markup())


async def text_typed(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    if not isinstance(data.get("school_id"), int) or not isinstance(data.get("draft"), str):
        # A stale or forged dialog: begin again from the menu.
        await state.clear()
        await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return
    # Formatting made with Telegram's own menu arrives as entities; without it, whatever
    # HTML tags the curator typed are the markup (and are checked).
    formatted = any(e.type in FORMATTING for e in message.entities or [])
    text = message.html_text if formatted else (message.text or "")
    refusal = check_text(text)
    if refusal is not None:
        await _refuse(message, refusal)
        return
    await _ask_audience(message, state, data["school_id"], text)


async def compose_with(message: Message, state: FSMContext, school_id: int, text: str) -> None:
    """A broadcast of a text another screen wrote (the contest's winners): straight to the
    audience, then the same preview and confirmation as a typed one."""
    await state.set_data({"school_id": school_id, "draft": uuid.uuid4().hex})
    await _ask_audience(message, state, school_id, text)


async def _ask_audience(message: Message, state: FSMContext, school_id: int, text: str) -> None:
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(text=text)
    kb = Keyboard()
    for index, audience in enumerate(AUDIENCES):
        kb.button(
            text=tr.plain("btn-broadcast-audience", audience=audience),
            callback_data=BroadcastCb(
                action=BroadcastAction.AUDIENCE, school_id=school_id, v=index
            ),
        )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    await message.answer(tr("broadcast-audience-ask"), reply_markup=kb.as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("broadcast"), flags=BROADCAST)
    router.callback_query.register(pressed, BroadcastCb.filter(), flags=BROADCAST)
    router.message.register(text_typed, StateFilter(BroadcastStates.composing), flags=BROADCAST)
    return router
