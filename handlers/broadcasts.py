"""/broadcast and «📣 Рассылка» on the school screen: the curator composes an announcement (a
text, or a photo or document with a caption), may add link buttons, chooses the audience,
sees it as recipients will, sends it now or at a chosen time, and watches the progress
message; the history opens each broadcast's card."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.broadcasts.screens import link_buttons, progress_screen
from bot.broadcasts.service import (
    AUDIENCES,
    Audience,
    BroadcastRefusal,
    Draft,
    Queuing,
    check_content,
    parse_buttons,
    payload_of,
)
from bot.core.i18n import tr
from bot.core.outbox import Media, send_payload
from bot.core.permissions import Action, Actor
from bot.core.when import explain, parse_when, shown
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import BroadcastAction, BroadcastCb, MenuCb, SchoolAction, SchoolCb, Screen
from bot.ui.keyboards import Keyboard
from bot.ui.states import BroadcastStates
from handlers.render import show
from storage.broadcasts import Content
from storage.models import Organization, Role

BROADCAST = {"action": Action.BROADCAST}
FORMATTING = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link"}
    | {"blockquote", "expandable_blockquote"}
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
                "btn-broadcast-past", when=when, sent=progress.sent, total=progress.total
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


def _content(data: dict[str, Any]) -> Content | None:
    if not isinstance(data.get("text"), str):
        return None
    return Content(
        data["text"],
        data.get("media"),
        data.get("file_id"),
        tuple((str(t), str(u)) for t, u in data.get("buttons", [])),
    )


def _draft(data: dict[str, Any]) -> Draft | None:
    content = _content(data)
    if content is None or data.get("audience") not in {a.value for a in Audience}:
        return None
    due = data.get("due")
    return Draft(
        content,
        Audience(data["audience"]),
        data.get("ref"),
        datetime.fromisoformat(due) if isinstance(due, str) else None,
    )


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
        await show(callback, *progress_screen(card, live=False))
        return
    if action is BroadcastAction.CANCEL:
        await _cancel(callback, callback_data.v, actor, services)
        return
    if action is BroadcastAction.AGAIN:
        again = await service.send_again(actor, callback_data.v)
        await _queued(callback, again, actor, services)
        return
    if action is BroadcastAction.HOME:
        await show(callback, *await _home(school, services))
        return
    await _draft_step(callback, callback_data, school, actor, state, services)


async def _cancel(
    callback: CallbackQuery, broadcast_id: int, actor: Actor, services: Services
) -> None:
    withdrawn = await services.broadcasts.cancel(actor, broadcast_id)
    if isinstance(withdrawn, BroadcastRefusal):
        await _refuse(callback, withdrawn)
        return
    card = await services.broadcasts.card(actor, broadcast_id)
    alert = tr.plain("broadcast-cancel-done", count=withdrawn)
    message = callback.message
    if isinstance(card, BroadcastRefusal) or (
        message is not None and message.message_id == card.broadcast.progress_message_id
    ):
        # The live progress message is edited by the outbox alone (never twice the same).
        await callback.answer(alert, show_alert=True)
        return
    await show(callback, *progress_screen(card, live=False), alert=alert)


async def _queued(
    callback: CallbackQuery,
    queued: Queuing | BroadcastRefusal,
    actor: Actor,
    services: Services,
) -> None:
    """A new progress message, followed by the outbox from now on."""
    if isinstance(queued, BroadcastRefusal):
        await _refuse(callback, queued)
        return
    await callback.answer()
    card = await services.broadcasts.card(actor, queued.broadcast.id)
    if isinstance(card, BroadcastRefusal) or callback.message is None:
        return
    if queued.repeated and card.broadcast.progress_message_id is not None:
        return  # a second tap: the first progress message goes on
    text, markup = progress_screen(card, live=True)
    sent = await callback.message.answer(text, reply_markup=markup)
    await services.broadcasts.attach_progress(
        queued.broadcast.id, sent.chat.id, sent.message_id, text
    )


async def _ask_audience(event: Message | CallbackQuery, school_id: int, services: Services) -> None:
    kb = Keyboard()
    for index, audience in enumerate(AUDIENCES):
        kb.button(
            text=tr.plain("btn-broadcast-audience", audience=audience),
            callback_data=BroadcastCb(
                action=BroadcastAction.AUDIENCE, school_id=school_id, v=index
            ),
        )
    for survey in await services.broadcasts.open_surveys(school_id):
        kb.button(
            text=tr.plain("btn-broadcast-survey", title=survey.title),
            callback_data=BroadcastCb(
                action=BroadcastAction.SURVEY, school_id=school_id, v=survey.id
            ),
        )
    kb.button(
        text=tr.plain("btn-broadcast-buttons"),
        callback_data=BroadcastCb(action=BroadcastAction.BUTTONS, school_id=school_id),
    )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    await show(event, tr("broadcast-audience-ask"), kb.as_markup())


async def _confirm(
    message: Message, school: Organization, draft: Draft, count: int, services: Services
) -> None:
    kb = Keyboard()
    later = draft.due_at is not None
    kb.button(
        text=tr.plain("btn-broadcast-send"),
        callback_data=BroadcastCb(action=BroadcastAction.SEND, school_id=school.id, v=int(later)),
    )
    if not later:
        kb.button(
            text=tr.plain("btn-broadcast-later"),
            callback_data=BroadcastCb(action=BroadcastAction.LATER, school_id=school.id),
        )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    lines = [tr("broadcast-confirm", audience=draft.audience, count=count)]
    goes_at = services.broadcasts.goes_at(school, draft.due_at)
    if goes_at is not None:
        zone = ZoneInfo(school.timezone)
        lines.append(tr("broadcast-goes-at", when=shown(goes_at, zone)))
        if draft.due_at is not None and goes_at != draft.due_at:
            lines.append(tr("broadcast-quiet", when=shown(goes_at, zone)))
    await message.answer("\n".join(lines), reply_markup=kb.as_markup())


async def _draft_step(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    school: Organization,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    data = await state.get_data()
    content = _content(data)
    if (
        await state.get_state() != BroadcastStates.confirming.state
        or data.get("school_id") != callback_data.school_id
        or content is None
        or not isinstance(data.get("draft"), str)
    ):
        # Sent already (a second tap) or never composed: nothing to do twice.
        await callback.answer(tr.plain("broadcast-no-draft"), show_alert=True)
        return
    service = services.broadcasts
    action = callback_data.action
    if action is BroadcastAction.BUTTONS:
        await state.set_state(BroadcastStates.buttons)
        await show(callback, tr("broadcast-buttons-ask"), keyboards.cancel())
        return
    if action in (BroadcastAction.AUDIENCE, BroadcastAction.SURVEY):
        if action is BroadcastAction.AUDIENCE and callback_data.v >= len(AUDIENCES):
            await callback.answer(tr.plain("stale-button"), show_alert=True)
            return
        audience, ref = (
            (AUDIENCES[callback_data.v], None)
            if action is BroadcastAction.AUDIENCE
            else (Audience.NOT_ANSWERED, callback_data.v)
        )
        count = len(await service.recipients(school.id, audience, ref))
        if not count:
            await _refuse(callback, BroadcastRefusal.NO_RECIPIENTS)
            return
        await state.update_data(audience=audience.value, ref=ref, due=None)
        await callback.answer()
        if callback.message is not None:
            # The preview is the very payload recipients will get.
            await send_payload(
                callback.bot,  # type: ignore[arg-type]
                callback.message.chat.id,
                payload_of(content, link_buttons(content)),
            )
            await _confirm(
                callback.message,  # type: ignore[arg-type]
                school,
                Draft(content, audience, ref),
                count,
                services,
            )
        return
    draft = _draft(data)
    if draft is None:
        await callback.answer(tr.plain("broadcast-no-draft"), show_alert=True)
        return
    if action is BroadcastAction.LATER:
        await state.set_state(BroadcastStates.scheduling)
        await show(callback, tr("broadcast-when-ask"), keyboards.cancel())
        return
    if callback_data.v != int(draft.due_at is not None):
        await callback.answer(tr.plain("stale-button"), show_alert=True)  # an older confirm
        return
    queued = await service.send(actor, school.id, draft, data["draft"])
    if not isinstance(queued, BroadcastRefusal):
        # Cleared only once queued: after a crash half-way the same tap queues the rest.
        await state.clear()
    await _queued(callback, queued, actor, services)


async def content_typed(message: Message, state: FSMContext, services: Services) -> None:
    data = await state.get_data()
    if not isinstance(data.get("school_id"), int) or not isinstance(data.get("draft"), str):
        # A stale or forged dialog: begin again from the menu.
        await state.clear()
        await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return
    media, file_id = None, None
    if message.photo:
        media, file_id = Media.PHOTO, message.photo[-1].file_id
    elif message.document:
        media, file_id = Media.DOCUMENT, message.document.file_id
    # Formatting made with Telegram's own menu arrives as entities; without it, whatever
    # HTML tags the curator typed are the markup (and are checked).
    entities = message.caption_entities if media else message.entities
    formatted = any(e.type in FORMATTING for e in entities or [])
    raw = (message.caption if media else message.text) or ""
    text = (message.html_text if formatted else raw) if raw else ""
    content = Content(text, media, file_id)
    refusal = check_content(content)
    if refusal is not None:
        await _refuse(message, refusal)
        return
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(text=text, media=media, file_id=file_id, buttons=[])
    await _ask_audience(message, data["school_id"], services)


async def compose_with(
    message: Message, state: FSMContext, school_id: int, text: str, services: Services
) -> None:
    """A broadcast of a text another screen wrote (the contest's winners): straight to the
    audience, then the same preview and confirmation as a typed one."""
    await state.set_state(BroadcastStates.confirming)
    await state.set_data(
        {
            "school_id": school_id,
            "draft": uuid.uuid4().hex,
            "text": text,
            "media": None,
            "file_id": None,
            "buttons": [],
        }
    )
    await _ask_audience(message, school_id, services)


async def _typed_step(message: Message, state: FSMContext) -> dict[str, Any] | None:
    data = await state.get_data()
    if not isinstance(data.get("school_id"), int) or _content(data) is None:
        await state.clear()
        await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return None
    return data


async def buttons_typed(message: Message, state: FSMContext, services: Services) -> None:
    data = await _typed_step(message, state)
    if data is None:
        return
    buttons = parse_buttons(message.text or "")
    if isinstance(buttons, BroadcastRefusal):
        await _refuse(message, buttons)
        return
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(buttons=[list(b) for b in buttons])
    await _ask_audience(message, data["school_id"], services)


async def when_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    data = await _typed_step(message, state)
    if data is None:
        return
    school = await services.broadcasts.school_for(actor, data["school_id"])
    draft = _draft(data)
    if isinstance(school, BroadcastRefusal) or draft is None:
        await state.clear()
        await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return
    zone = ZoneInfo(school.timezone)
    moment = parse_when(message.text or "", services.clock.now(), zone)
    if not isinstance(moment, datetime):
        await message.answer(explain(moment), reply_markup=keyboards.cancel())
        return
    count = len(await services.broadcasts.recipients(school.id, draft.audience, draft.audience_ref))
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(due=moment.isoformat())
    await _confirm(
        message,
        school,
        Draft(draft.content, draft.audience, draft.audience_ref, moment),
        count,
        services,
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("broadcast"), flags=BROADCAST)
    router.callback_query.register(pressed, BroadcastCb.filter(), flags=BROADCAST)
    router.message.register(content_typed, StateFilter(BroadcastStates.composing), flags=BROADCAST)
    router.message.register(buttons_typed, StateFilter(BroadcastStates.buttons), flags=BROADCAST)
    router.message.register(when_typed, StateFilter(BroadcastStates.scheduling), flags=BROADCAST)
    return router
