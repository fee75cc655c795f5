"""«📅 Мероприятия»: the organiser (a curator on the school screen, a coordinator on the
district screen) creates an event, sees the answers live, moves or cancels it, marks
attendance and sends the materials; an invited person answers «Иду» / «Не смогу» and sees
their upcoming events from the main menu."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.when import NeedsTime, WhenError, explain, parse_when, remembered_day, shown
from bot.events.service import (
    KINDS,
    Draft,
    EventAudience,
    EventCard,
    EventRefusal,
    Host,
    Reply,
    kind_name,
    reply_buttons,
)
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    AttendanceAction,
    AttendanceCb,
    DistrictAction,
    DistrictCb,
    EventAction,
    EventCb,
    EventReplyAction,
    EventReplyCb,
    EventsAction,
    EventsCb,
    MenuCb,
    SchoolAction,
    SchoolCb,
    Screen,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import EventStates
from handlers.render import fit, show
from storage.events import EventAnswer, EventStatus

ORGANISE = {"action": Action.ORGANISE_EVENTS}
MENU = {"action": Action.USE_MENU}
# Guests on a page of the checklist: with the pages, the bulk mark and «Назад», far below
# Telegram's 100 buttons a message, and a page still fits a phone's screen.
CHECKLIST_PAGE = 20


async def _refuse(event: Message | CallbackQuery, refusal: EventRefusal) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(tr.plain("event-refusal", reason=refusal), show_alert=True)
    else:
        await event.answer(tr("event-refusal", reason=refusal), reply_markup=keyboards.cancel())


def _home_cb(school_id: int, district_id: int) -> EventsCb:
    return EventsCb(action=EventsAction.HOME, school_id=school_id, district_id=district_id)


async def _home(host: Host, services: Services) -> tuple[str, InlineKeyboardMarkup]:
    school_id = host.school.id if host.school else 0
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-event-new"),
        callback_data=EventsCb(
            action=EventsAction.NEW, school_id=school_id, district_id=host.district.id
        ),
    )
    events = await services.events.events(host)
    for event in events:
        kb.button(
            text=tr.plain(
                "btn-event-item",
                when=shown(event.starts_at, host.zone),
                title=event.title[:40],
                cancelled="yes" if event.status is EventStatus.CANCELLED else "no",
            ),
            callback_data=EventCb(event_id=event.id, action=EventAction.CARD),
        )
    back = (
        SchoolCb(action=SchoolAction.OPEN, school_id=school_id)
        if host.school
        else DistrictCb(action=DistrictAction.OPEN, district_id=host.district.id)
    )
    kb.button(text=tr.plain("btn-back"), callback_data=back)
    kb.adjust(1)
    lines = [tr("events-title", name=host.name)]
    if not events:
        lines.append(tr("events-none"))
    return "\n".join(lines), kb.as_markup()


def _card(card: EventCard, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    event = card.event
    cancelled = event.status is EventStatus.CANCELLED
    lines = [
        tr(
            "event-card",
            kind=kind_name(event.kind),
            title=event.title,
            cancelled="yes" if cancelled else "no",
            when=shown(event.starts_at, card.zone),
            place=event.place,
            invited=len(card.guests),
            going=card.count(EventAnswer.GOING),
            not_going=card.count(EventAnswer.NOT_GOING),
            silent=card.count(None),
        )
    ]
    started = now >= event.starts_at
    if started:
        lines.append(tr("event-card-attended", count=card.attended, materials=card.materials))
    lines += [
        tr("event-guest-line", answer=g.answer.value if g.answer else "none", name=g.name)
        for g in card.guests
    ]
    kb = Keyboard()

    def button(label: str, action: EventAction) -> None:
        kb.button(text=label, callback_data=EventCb(event_id=event.id, action=action))

    button(tr.plain("btn-event-refresh"), EventAction.CARD)
    if not cancelled and not started:
        button(tr.plain("btn-event-move"), EventAction.MOVE)
        button(tr.plain("btn-event-cancel"), EventAction.CANCEL_ASK)
    if not cancelled and started:
        kb.button(
            text=tr.plain("btn-event-attendance"),
            callback_data=AttendanceCb(event_id=event.id, action=AttendanceAction.PAGE),
        )
        button(tr.plain("btn-event-materials"), EventAction.MATERIALS)
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=_home_cb(event.organization_id or 0, event.district_id),
    )
    kb.adjust(1)
    return fit(lines), kb.as_markup()


def _attendance(card: EventCard, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the checklist: its guests, the bulk mark, the pages around it and the
    counts of the whole event. A page past the end (a forged button, or guests gone since
    the button was drawn) shows the last one."""
    pages = max(1, -(-len(card.guests) // CHECKLIST_PAGE))
    page = min(max(page, 0), pages - 1)
    event_id = card.event.id
    kb = Keyboard()
    widths: list[int] = []
    for guest in card.guests[page * CHECKLIST_PAGE : (page + 1) * CHECKLIST_PAGE]:
        kb.button(
            text=tr.plain("btn-event-mark", on="yes" if guest.attended else "no", name=guest.name),
            callback_data=AttendanceCb(
                event_id=event_id,
                action=AttendanceAction.MARK,
                page=page,
                person=guest.person_id,
                on=not guest.attended,
            ),
        )
        widths.append(1)
    if page > 0:
        kb.button(
            text=tr.plain("btn-event-page-prev", page=page),
            callback_data=AttendanceCb(
                event_id=event_id, action=AttendanceAction.PAGE, page=page - 1
            ),
        )
    if page < pages - 1:
        kb.button(
            text=tr.plain("btn-event-page-next", page=page + 2),
            callback_data=AttendanceCb(
                event_id=event_id, action=AttendanceAction.PAGE, page=page + 1
            ),
        )
    widths.append(int(page > 0) + int(page < pages - 1))
    if card.count(EventAnswer.GOING):
        kb.button(
            text=tr.plain("btn-event-mark-going"),
            callback_data=AttendanceCb(
                event_id=event_id, action=AttendanceAction.ALL_GOING, page=page
            ),
        )
        widths.append(1)
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=EventCb(event_id=event_id, action=EventAction.CARD),
    )
    widths.append(1)
    kb.adjust(*(w for w in widths if w))
    text = "\n".join(
        (
            tr("event-attendance-title"),
            tr(
                "event-attendance-counts",
                attended=card.attended,
                invited=len(card.guests),
                going=card.count(EventAnswer.GOING),
                page=page + 1,
                pages=pages,
            ),
        )
    )
    return text, kb.as_markup()


def _cancel_kb() -> InlineKeyboardMarkup:
    return keyboards.cancel()


# --- creating ---


async def organiser_pressed(
    callback: CallbackQuery,
    callback_data: EventsCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    host = await services.events.host(actor, callback_data.school_id, callback_data.district_id)
    if isinstance(host, EventRefusal):
        await _refuse(callback, host)
        return
    action = callback_data.action
    if action is EventsAction.HOME:
        await show(callback, *await _home(host, services))
        return
    if action is EventsAction.NEW:
        await state.set_state(EventStates.choosing_kind)
        await state.set_data(
            {
                "school_id": callback_data.school_id,
                "district_id": callback_data.district_id,
                "draft": uuid.uuid4().hex,
            }
        )
        kb = Keyboard()
        for index, kind in enumerate(KINDS):
            kb.button(
                text=tr.plain("btn-event-kind", kind=kind),
                callback_data=EventsCb(
                    action=EventsAction.KIND,
                    school_id=callback_data.school_id,
                    district_id=callback_data.district_id,
                    v=index,
                ),
            )
        kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
        kb.adjust(1)
        await show(callback, tr("event-kind-ask"), kb.as_markup())
        return
    data = await state.get_data()
    expected = {
        EventsAction.KIND: EventStates.choosing_kind.state,
        EventsAction.AUDIENCE: EventStates.confirming.state,
        EventsAction.CREATE: EventStates.confirming.state,
    }
    if (
        await state.get_state() != expected.get(action)
        or data.get("school_id") != callback_data.school_id
        or data.get("district_id") != callback_data.district_id
        or not isinstance(data.get("draft"), str)
    ):
        # Created already (a second tap on «Создать») or never begun: nothing to do twice.
        await callback.answer(tr.plain("event-no-draft"), show_alert=True)
        return
    if action is EventsAction.KIND:
        if callback_data.v >= len(KINDS):
            await callback.answer(tr.plain("stale-button"), show_alert=True)
            return
        await state.update_data(kind=KINDS[callback_data.v].value)
        await state.set_state(EventStates.entering_title)
        await show(callback, tr("event-title-ask"), _cancel_kb())
        return
    if action is EventsAction.AUDIENCE:
        await _confirm(callback, callback_data, host, data, state, services)
        return
    await _create(callback, callback_data, actor, data, state, services)


async def _confirm(
    callback: CallbackQuery,
    callback_data: EventsCb,
    host: Host,
    data: dict[str, object],
    state: FSMContext,
    services: Services,
) -> None:
    if callback_data.v >= len(host.audiences) or not isinstance(data.get("starts_at"), str):
        await callback.answer(tr.plain("stale-button"), show_alert=True)
        return
    audience = host.audiences[callback_data.v]
    count = len(await services.events.recipients(host, audience))
    if not count:
        await _refuse(callback, EventRefusal.NO_RECIPIENTS)
        return
    await state.update_data(audience=audience.value)
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-event-create"),
        callback_data=EventsCb(
            action=EventsAction.CREATE,
            school_id=callback_data.school_id,
            district_id=callback_data.district_id,
        ),
    )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    text = tr(
        "event-confirm",
        kind=tr.plain("event-kind", kind=str(data["kind"])),
        title=str(data["title"]),
        when=shown(datetime.fromisoformat(str(data["starts_at"])), host.zone),
        place=str(data["place"]),
        audience=audience,
        count=count,
    )
    await show(callback, text, kb.as_markup())


def _draft(data: dict[str, object]) -> Draft | None:
    try:
        return Draft(
            KINDS[[k.value for k in KINDS].index(str(data["kind"]))],
            str(data["title"]),
            datetime.fromisoformat(str(data["starts_at"])),
            str(data["place"]),
            EventAudience(str(data["audience"])),
            str(data["draft"]),
        )
    except (KeyError, ValueError):
        return None


async def _create(
    callback: CallbackQuery,
    callback_data: EventsCb,
    actor: Actor,
    data: dict[str, object],
    state: FSMContext,
    services: Services,
) -> None:
    draft = _draft(data)
    if draft is None:
        await callback.answer(tr.plain("event-no-draft"), show_alert=True)
        return
    created = await services.events.create(
        actor, callback_data.school_id, callback_data.district_id, draft
    )
    if isinstance(created, EventRefusal):
        await _refuse(callback, created)
        return
    # Cleared only once created and queued: after a crash half-way the same tap finishes it.
    await state.clear()
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-event-refresh"),
        callback_data=EventCb(event_id=created.event.id, action=EventAction.CARD),
    )
    await show(callback, tr("event-created", count=created.invited), kb.as_markup())


async def _draft_host(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> Host | None:
    data = await state.get_data()
    school_id, district_id = data.get("school_id"), data.get("district_id")
    if not isinstance(school_id, int) or not isinstance(district_id, int):
        # A stale or forged dialog: begin again from the menu.
        await state.clear()
        await message.answer(tr("event-no-draft"), reply_markup=keyboards.back_to_main())
        return None
    host = await services.events.host(actor, school_id, district_id)
    if isinstance(host, EventRefusal):
        await state.clear()
        await _refuse(message, host)
        return None
    return host


async def title_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    if await _draft_host(message, actor, state, services) is None:
        return
    title = services.events.check_title(message.text or "")
    if isinstance(title, EventRefusal):
        await _refuse(message, title)
        return
    await state.update_data(title=title)
    await state.set_state(EventStates.entering_time)
    await message.answer(tr("event-time-ask"), reply_markup=_cancel_kb())


async def _read_time(
    message: Message, state: FSMContext, zone: ZoneInfo, services: Services
) -> datetime | None:
    """The time typed, in the school's zone; otherwise the person is told why or asked for the
    time of the day they named."""
    data = await state.get_data()
    moment = parse_when(
        message.text or "",
        services.clock.now(),
        zone,
        on_day=remembered_day(data.get("day")),
    )
    if isinstance(moment, NeedsTime):
        await state.update_data(day=moment.day.isoformat())
    if isinstance(moment, NeedsTime | WhenError):
        await message.answer(explain(moment), reply_markup=_cancel_kb())
        return None
    await state.update_data(day=None)
    return moment


async def time_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    host = await _draft_host(message, actor, state, services)
    if host is None:
        return
    moment = await _read_time(message, state, host.zone, services)
    if moment is None:
        return
    await state.update_data(starts_at=moment.isoformat())
    await state.set_state(EventStates.entering_place)
    await message.answer(tr("event-place-ask"), reply_markup=_cancel_kb())


async def place_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    host = await _draft_host(message, actor, state, services)
    if host is None:
        return
    place = services.events.check_place(message.text or "")
    if isinstance(place, EventRefusal):
        await _refuse(message, place)
        return
    await state.update_data(place=place)
    await state.set_state(EventStates.confirming)
    data = await state.get_data()
    kb = Keyboard()
    for index, audience in enumerate(host.audiences):
        kb.button(
            text=tr.plain("btn-event-audience", audience=audience),
            callback_data=EventsCb(
                action=EventsAction.AUDIENCE,
                school_id=data["school_id"],
                district_id=data["district_id"],
                v=index,
            ),
        )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    await message.answer(tr("event-audience-ask"), reply_markup=kb.as_markup())


# --- the organiser's card ---


async def event_pressed(
    callback: CallbackQuery,
    callback_data: EventCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service = services.events
    event_id, action = callback_data.event_id, callback_data.action
    now = services.clock.now()
    result: EventCard | EventRefusal
    if action is EventAction.MOVE:
        result = await service.card(actor, event_id)
        if not isinstance(result, EventRefusal):
            await state.set_state(EventStates.moving)
            await state.set_data({"event_id": event_id})
            await show(callback, tr("event-move-ask"), _cancel_kb())
            return
    elif action is EventAction.CANCEL_ASK:
        result = await service.card(actor, event_id)
        if not isinstance(result, EventRefusal):
            kb = Keyboard()
            kb.button(
                text=tr.plain("btn-event-cancel-confirm"),
                callback_data=EventCb(event_id=event_id, action=EventAction.CANCEL),
            )
            kb.button(
                text=tr.plain("btn-back"),
                callback_data=EventCb(event_id=event_id, action=EventAction.CARD),
            )
            kb.adjust(1)
            await show(callback, tr("event-cancel-ask"), kb.as_markup())
            return
    elif action is EventAction.CANCEL:
        result = await service.cancel(actor, event_id)
    elif action is EventAction.MATERIALS:
        opened = await service.open_materials(actor, event_id)
        if not isinstance(opened, EventRefusal):
            await state.set_state(EventStates.sending_materials)
            await state.set_data({"event_id": event_id})
            await show(callback, tr("event-materials-ask"), _materials_kb(event_id))
            return
        result = opened
    elif action is EventAction.SEND_MATERIALS:
        sent = await service.send_materials(actor, event_id)
        if not isinstance(sent, EventRefusal):
            await state.clear()
            kb = Keyboard()
            kb.button(
                text=tr.plain("btn-back"),
                callback_data=EventCb(event_id=event_id, action=EventAction.CARD),
            )
            await show(callback, tr("event-materials-sent", count=sent), kb.as_markup())
            return
        result = sent
    else:
        result = await service.card(actor, event_id)
    if isinstance(result, EventRefusal):
        await _refuse(callback, result)
        return
    await show(callback, *_card(result, now))


async def attendance_pressed(
    callback: CallbackQuery, callback_data: AttendanceCb, actor: Actor, services: Services
) -> None:
    service = services.events
    event_id, action = callback_data.event_id, callback_data.action
    if action is AttendanceAction.MARK:
        result = await service.mark(actor, event_id, callback_data.person, callback_data.on)
    elif action is AttendanceAction.ALL_GOING:
        result = await service.mark_going(actor, event_id)
    else:
        result = await service.attendance(actor, event_id)
    if isinstance(result, EventRefusal):
        await _refuse(callback, result)
        return
    await show(callback, *_attendance(result, callback_data.page))


def _materials_kb(event_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-event-send-materials"),
        callback_data=EventCb(event_id=event_id, action=EventAction.SEND_MATERIALS),
    )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=EventCb(event_id=event_id, action=EventAction.CARD),
    )
    kb.adjust(1)
    return kb.as_markup()


async def _event_in_state(message: Message, state: FSMContext) -> int | None:
    event_id = (await state.get_data()).get("event_id")
    if not isinstance(event_id, int):
        await state.clear()
        await message.answer(tr("event-no-draft"), reply_markup=keyboards.back_to_main())
        return None
    return event_id


async def move_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    event_id = await _event_in_state(message, state)
    if event_id is None:
        return
    card = await services.events.card(actor, event_id)
    if isinstance(card, EventRefusal):
        await state.clear()
        await _refuse(message, card)
        return
    moment = await _read_time(message, state, card.zone, services)
    if moment is None:
        return
    moved = await services.events.move(actor, event_id, moment)
    if isinstance(moved, EventRefusal):
        await _refuse(message, moved)
        return
    await state.clear()
    await show(message, *_card(moved, services.clock.now()))


async def material_sent(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    event_id = await _event_in_state(message, state)
    if event_id is None:
        return
    document = message.document
    if document is None:
        await message.answer(tr("event-material-not-file"), reply_markup=_materials_kb(event_id))
        return
    count = await services.events.add_material(
        actor, event_id, document.file_id, document.file_name or "file"
    )
    if isinstance(count, EventRefusal):
        await state.clear()
        await _refuse(message, count)
        return
    await message.answer(
        tr("event-material-saved", count=count), reply_markup=_materials_kb(event_id)
    )


# --- the invited person ---


def _reply(reply: Reply, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    """Before the event: the invitation with «Иду» / «Не смогу». After it: whether one was
    marked present and, for one who was, the materials to open again."""
    event = reply.event
    kb = Keyboard()
    if now < event.starts_at:
        text = "\n".join(
            (
                tr(
                    "event-invitation",
                    kind=kind_name(event.kind),
                    title=event.title,
                    when=shown(event.starts_at, reply.zone),
                    place=event.place,
                ),
                tr("event-answer", answer=reply.answer.value if reply.answer else "none"),
            )
        )
        kb.attach(Keyboard.from_markup(reply_buttons(event)))
        kb.row()
    else:
        text = tr(
            "event-held",
            kind=kind_name(event.kind),
            title=event.title,
            when=shown(event.starts_at, reply.zone),
            place=event.place,
            attended="yes" if reply.attended else "no",
        )
        if reply.materials:
            kb.button(
                text=tr.plain("btn-event-materials-get"),
                callback_data=EventReplyCb(action=EventReplyAction.MATERIALS, event_id=event.id),
            )
            kb.row()
    kb.button(text=tr.plain("btn-events"), callback_data=EventReplyCb(action=EventReplyAction.LIST))
    return text, kb.as_markup()


async def reply_pressed(
    callback: CallbackQuery, callback_data: EventReplyCb, actor: Actor, services: Services
) -> None:
    service = services.events
    action = callback_data.action
    if action is EventReplyAction.LIST:
        kb = Keyboard()
        upcoming = await service.upcoming(actor)
        for mine in upcoming:
            kb.button(
                text=tr.plain(
                    "btn-my-event",
                    when=shown(mine.event.starts_at, mine.zone),
                    title=mine.event.title[:40],
                    answer=mine.answer.value if mine.answer else "none",
                ),
                callback_data=EventReplyCb(action=EventReplyAction.OPEN, event_id=mine.event.id),
            )
        held = await service.with_materials(actor)
        for mine in held:
            kb.button(
                text=tr.plain(
                    "btn-my-event-materials",
                    when=shown(mine.event.starts_at, mine.zone),
                    title=mine.event.title[:40],
                ),
                callback_data=EventReplyCb(action=EventReplyAction.OPEN, event_id=mine.event.id),
            )
        kb.button(text=tr.plain("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
        kb.adjust(1)
        lines = [tr("my-events-title") if upcoming else tr("my-events-none")]
        if held:
            lines.append(tr("my-events-materials"))
        await show(callback, "\n".join(lines), kb.as_markup())
        return
    if action is EventReplyAction.MATERIALS:
        materials = await service.materials_for(actor, callback_data.event_id)
        if isinstance(materials, EventRefusal):
            await _refuse(callback, materials)
            return
        await callback.answer()
        # The person's own request, so a reply rather than the outbox: their files, now.
        if callback.message is not None:
            for material in materials:
                await callback.message.answer_document(material.file_id)
        return
    reply = (
        await service.invitation(actor, callback_data.event_id)
        if action is EventReplyAction.OPEN
        else await service.answer(actor, callback_data.event_id, action is EventReplyAction.GOING)
    )
    if isinstance(reply, EventRefusal):
        await _refuse(callback, reply)
        return
    await show(callback, *_reply(reply, services.clock.now()))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(organiser_pressed, EventsCb.filter(), flags=ORGANISE)
    router.callback_query.register(event_pressed, EventCb.filter(), flags=ORGANISE)
    router.callback_query.register(attendance_pressed, AttendanceCb.filter(), flags=ORGANISE)
    router.callback_query.register(reply_pressed, EventReplyCb.filter(), flags=MENU)
    router.message.register(title_typed, StateFilter(EventStates.entering_title), flags=ORGANISE)
    router.message.register(time_typed, StateFilter(EventStates.entering_time), flags=ORGANISE)
    router.message.register(place_typed, StateFilter(EventStates.entering_place), flags=ORGANISE)
    router.message.register(move_typed, StateFilter(EventStates.moving), flags=ORGANISE)
    router.message.register(
        material_sent, StateFilter(EventStates.sending_materials), flags=ORGANISE
    )
    return router
