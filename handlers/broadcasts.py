"""/broadcast and «📣 Рассылка» on the school screen (the curator's, to the school) and on the
district screen (the coordinator's, to the curators or all participants of the district's
schools): an announcement (a text, or a photo or document with a caption), link buttons if
wanted, the audience, a preview as recipients will see it, sent now or at a chosen time, and a
progress message; the history opens each broadcast's card."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.broadcasts.cards import Scope
from bot.broadcasts.composer import ask_audience, begin
from bot.broadcasts.screens import link_buttons, progress_screen
from bot.broadcasts.service import (
    Audience,
    BroadcastRefusal,
    Draft,
    Queuing,
    audiences_of,
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
from bot.ui.callbacks import (
    BroadcastAction,
    BroadcastCb,
    DistrictAction,
    DistrictBroadcastCb,
    DistrictCb,
    MenuCb,
    SchoolAction,
    SchoolCb,
    Screen,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import BroadcastStates
from handlers.render import show
from storage.broadcasts import Content
from storage.models import Role

BROADCAST = {"action": Action.BROADCAST}
FORMATTING = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link"}
    | {"blockquote", "expandable_blockquote"}
)


async def _home(scope: Scope, services: Services) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    kb.button(text=tr.plain("btn-broadcast-new"), callback_data=scope.cb(BroadcastAction.NEW))
    history = await services.broadcasts.history(scope)
    lines = [tr("broadcasts-title", school=scope.name)]
    if not history:
        lines.append(tr("broadcasts-none"))
    for broadcast, progress in history:
        when = shown(broadcast.created_at, scope.zone)
        kb.button(
            text=tr.plain(
                "btn-broadcast-past", when=when, sent=progress.sent, total=progress.total
            ),
            callback_data=scope.cb(BroadcastAction.CARD, broadcast.id),
        )
    back = (
        DistrictCb(action=DistrictAction.OPEN, district_id=scope.district.id)
        if scope.district
        else SchoolCb(action=SchoolAction.OPEN, school_id=scope.school_id)
    )
    kb.button(text=tr.plain("btn-back"), callback_data=back)
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


async def _refuse(event: Message | CallbackQuery, refusal: BroadcastRefusal) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(tr.plain("broadcast-refusal", reason=refusal), show_alert=True)
    else:
        await event.answer(tr("broadcast-refusal", reason=refusal), reply_markup=keyboards.cancel())


async def _compose(event: Message | CallbackQuery, scope: Scope, state: FSMContext) -> None:
    await state.set_state(BroadcastStates.composing)
    await begin(state, scope)
    await show(event, tr("broadcast-compose"), keyboards.cancel())


async def command(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    """The composer of the one school or district the person sends for, or the choice of it
    (a curator who is a coordinator as well, a curator of two schools)."""
    service = services.broadcasts
    scopes = [await service.scope_for(actor, s) for s in actor.school_ids(Role.CURATOR)] + [
        await service.scope_for(actor, 0, d) for d in actor.district_ids(Role.COORDINATOR)
    ]
    found = [scope for scope in scopes if isinstance(scope, Scope)]
    if not found:
        await _refuse(message, BroadcastRefusal.FORBIDDEN)
        return
    if len(found) == 1:
        await _compose(message, found[0], state)
        return
    kb = Keyboard()
    for scope in found:
        label = (
            tr.plain("btn-district", name=scope.name)
            if scope.district
            else tr.plain("btn-school", name=scope.name)
        )
        kb.button(text=label, callback_data=scope.cb(BroadcastAction.NEW))
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    await message.answer(tr("broadcast-choose"), reply_markup=kb.as_markup())


def _scope_ids(data: dict[str, Any]) -> tuple[int, int] | None:
    """The school (district 0) or the district (school 0) the dialog's draft is for."""
    school_id, district_id = data.get("school_id"), data.get("district_id", 0)
    if not isinstance(school_id, int) or not isinstance(district_id, int):
        return None
    return (school_id, district_id) if bool(school_id) != bool(district_id) else None


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
    callback_data: BroadcastCb | DistrictBroadcastCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service = services.broadcasts
    if isinstance(callback_data, DistrictBroadcastCb):
        scope = await service.scope_for(actor, 0, callback_data.district_id)
    else:
        scope = await service.scope_for(actor, callback_data.school_id)
    if isinstance(scope, BroadcastRefusal):
        await _refuse(callback, scope)
        return
    action = callback_data.action
    if action is BroadcastAction.NEW:
        await _compose(callback, scope, state)
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
        await show(callback, *await _home(scope, services))
        return
    await _draft_step(callback, callback_data, scope, actor, state, services)


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


async def _confirm(
    message: Message, scope: Scope, draft: Draft, count: int, services: Services
) -> None:
    kb = Keyboard()
    later = draft.due_at is not None
    kb.button(
        text=tr.plain("btn-broadcast-send"),
        callback_data=scope.cb(BroadcastAction.SEND, int(later)),
    )
    if not later:
        kb.button(
            text=tr.plain("btn-broadcast-later"), callback_data=scope.cb(BroadcastAction.LATER)
        )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    district = int(scope.district is not None)
    lines = [tr("broadcast-confirm", audience=draft.audience, count=count, district=district)]
    timing = services.broadcasts.timing(scope, draft.due_at)
    if timing.goes_at is not None:
        lines.append(tr("broadcast-goes-at", when=shown(timing.goes_at, timing.zone)))
    if scope.district is not None and timing.held:
        # Some schools of the district are in their quiet hours: theirs go when it ends.
        lines.append(tr("broadcast-quiet-schools", count=timing.held))
    elif draft.due_at is not None and timing.held and timing.goes_at is not None:
        lines.append(tr("broadcast-quiet", when=shown(timing.goes_at, timing.zone)))
    await message.answer("\n".join(lines), reply_markup=kb.as_markup())


async def _draft_step(
    callback: CallbackQuery,
    callback_data: BroadcastCb | DistrictBroadcastCb,
    scope: Scope,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    data = await state.get_data()
    content = _content(data)
    if (
        await state.get_state() != BroadcastStates.confirming.state
        or _scope_ids(data) != (scope.school_id, scope.district_id)
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
        audiences = audiences_of(scope)
        if action is BroadcastAction.AUDIENCE and callback_data.v >= len(audiences):
            await callback.answer(tr.plain("stale-button"), show_alert=True)
            return
        audience, ref = (
            (audiences[callback_data.v], None)
            if action is BroadcastAction.AUDIENCE
            else (Audience.NOT_ANSWERED, callback_data.v)
        )
        count = await service.count(scope, audience, ref)
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
                scope,
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
    queued = await service.send(actor, scope.school_id, draft, data["draft"], scope.district_id)
    if not isinstance(queued, BroadcastRefusal):
        # Cleared only once queued: after a crash half-way the same tap queues the rest.
        await state.clear()
    await _queued(callback, queued, actor, services)


async def _dialog_scope(
    message: Message, actor: Actor, state: FSMContext, services: Services, data: dict[str, Any]
) -> Scope | None:
    """The dialog's school or district, checked again; None (and the dialog ended) when the
    dialog is stale or forged, or the person may no longer send there: begin again."""
    ids = _scope_ids(data)
    scope = await services.broadcasts.scope_for(actor, *ids) if ids else None
    if isinstance(scope, Scope) and isinstance(data.get("draft"), str):
        return scope
    await state.clear()
    await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
    return None


async def content_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    scope = await _dialog_scope(message, actor, state, services, data)
    if scope is None:
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
    await ask_audience(message, scope, services.broadcasts)


async def _typed_step(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> tuple[Scope, dict[str, Any]] | None:
    data = await state.get_data()
    scope = await _dialog_scope(message, actor, state, services, data)
    if scope is None:
        return None
    if _content(data) is None:
        await state.clear()
        await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return None
    return scope, data


async def buttons_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    found = await _typed_step(message, actor, state, services)
    if found is None:
        return
    scope, _ = found
    buttons = parse_buttons(message.text or "")
    if isinstance(buttons, BroadcastRefusal):
        await _refuse(message, buttons)
        return
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(buttons=[list(b) for b in buttons])
    await ask_audience(message, scope, services.broadcasts)


async def when_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    found = await _typed_step(message, actor, state, services)
    draft = _draft(found[1]) if found else None
    if found is None or draft is None:
        if found is not None:
            await state.clear()
            await message.answer(tr("broadcast-no-draft"), reply_markup=keyboards.back_to_main())
        return
    scope = found[0]
    moment = parse_when(message.text or "", services.clock.now(), scope.zone)
    if not isinstance(moment, datetime):
        await message.answer(explain(moment), reply_markup=keyboards.cancel())
        return
    count = await services.broadcasts.count(scope, draft.audience, draft.audience_ref)
    await state.set_state(BroadcastStates.confirming)
    await state.update_data(due=moment.isoformat())
    await _confirm(
        message,
        scope,
        Draft(draft.content, draft.audience, draft.audience_ref, moment),
        count,
        services,
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("broadcast"), flags=BROADCAST)
    router.callback_query.register(pressed, BroadcastCb.filter(), flags=BROADCAST)
    router.callback_query.register(pressed, DistrictBroadcastCb.filter(), flags=BROADCAST)
    router.message.register(content_typed, StateFilter(BroadcastStates.composing), flags=BROADCAST)
    router.message.register(buttons_typed, StateFilter(BroadcastStates.buttons), flags=BROADCAST)
    router.message.register(when_typed, StateFilter(BroadcastStates.scheduling), flags=BROADCAST)
    return router
