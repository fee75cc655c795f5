"""Meetings of a pair: proposing one (time, place, topic), answering a proposal, moving,
cancelling, giving feedback, and the pair's journal."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.when import NeedsTime, WhenError, explain, parse_when, remembered_day, shown
from bot.core.zones import timezone_label
from bot.meetings.documents import journal_document
from bot.meetings.service import MeetingService
from bot.organizations.service import OrganizationService
from bot.pairs.seats import Seat, pair_seat
from bot.pairs.service import PairService
from bot.programs.service import ProgramService
from bot.ui import texts
from bot.ui.callbacks import (
    MeetingAction,
    MeetingCb,
    PairCardAction,
    PairCardCb,
    TimePickCb,
    TopicCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import MeetingStates
from handlers.forms import present
from handlers.render import fit, show
from storage.meetings import MeetingsRepo
from storage.models import Pair, PairStatus
from storage.pairs import PairsRepo

MEMBER = {"action": Action.USE_MENU}
SUGGESTED_HOUR = "15:00"  # after lessons, when most school meetings happen
RESPOND = {"action": Action.RESPOND_TO_PAIR}
TEXT_LIMIT = 200


async def _participant_pair(
    actor: Actor, pairs: PairsRepo, pair_id: int, organizations: OrganizationService
) -> Pair | None:
    pair = await pairs.get(pair_id)
    seat = await pair_seat(actor, pair, organizations) if pair else None
    return pair if seat in (Seat.MENTOR, Seat.MENTEE) else None


async def start_meeting(
    callback: CallbackQuery,
    callback_data: PairCardCb,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    meetings_service: MeetingService,
    organizations: OrganizationService,
    clock: Clock,
) -> None:
    pair = await _participant_pair(actor, pairs, callback_data.pair_id, organizations)
    if pair is None or not isinstance(callback.message, Message):
        await callback.answer(tr("pair-not-yours"), show_alert=True)

        return
    if pair.status is not PairStatus.ACTIVE:
        await callback.answer(tr("meeting-pair-not-active"), show_alert=True)
        return
    await callback.answer()
    await state.set_state(MeetingStates.entering_time)
    await state.set_data({"pair_id": pair.id})
    await _ask_time(callback.message, pair, meetings_service, clock)


async def _ask_time(
    chat: Message, pair: Pair, meetings_service: MeetingService, clock: Clock
) -> None:
    """Ask for a time, offering the next school days at 15:00 as buttons."""
    zone = await meetings_service.zone(pair)
    today = clock.now().astimezone(zone).date()
    days = [
        today + timedelta(days=n) for n in range(1, 8) if (today + timedelta(days=n)).weekday() < 6
    ]
    kb = Keyboard()
    for day in days[:4]:
        label = f"{day:%d.%m} {SUGGESTED_HOUR}"
        kb.button(
            # ":" separates callback data fields; "15.00" reads the same to parse_when.
            text=texts.time_suggestion(day.weekday(), label),
            callback_data=TimePickCb(when=label.replace(":", ".")),
        )
    kb.adjust(2)
    await chat.answer(
        texts.MEETING_ASK_WHEN.format(zone=timezone_label(zone)), reply_markup=kb.as_markup()
    )


async def enter_time(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
    pairs: PairsRepo,
    meetings: MeetingsRepo,
    meetings_service: MeetingService,
    organizations: OrganizationService,
    callback_data: TimePickCb | None = None,
) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer()
        typed = callback_data.when if callback_data else ""
        message = event.message
    else:
        typed, message = event.text or "", event
    if not isinstance(message, Message):
        return
    data = await state.get_data()
    pair = await _participant_pair(actor, pairs, int(data.get("pair_id", 0)), organizations)
    if pair is None or actor.person is None:
        await state.clear()
        await message.answer(tr("meeting-not-yours"))
        return
    zone = await meetings_service.zone(pair)
    when = parse_when(typed, clock.now(), zone, on_day=remembered_day(data.get("when_day")))
    if isinstance(when, NeedsTime):  # «завтра утром»: the time is asked for that day
        await state.update_data(when_day=when.day.isoformat())
    if isinstance(when, NeedsTime | WhenError):
        await message.answer(explain(when))
        return
    if "meeting_id" in data:  # moving an existing meeting
        await state.clear()
        meeting = await meetings.get(int(data["meeting_id"]))
        if meeting is None or meeting.pair_id != pair.id:
            await message.answer(tr("meeting-not-yours"))
            return
        await message.answer(
            await meetings_service.reschedule(meeting, pair, actor.person.id, when)
        )
        return
    await state.update_data(starts_at=when.isoformat())
    await state.set_state(MeetingStates.entering_place)
    kb = Keyboard()
    kb.button(text=tr("btn-online"), callback_data=TopicCb(index=-2))
    await message.answer(tr("meeting-ask-place"), reply_markup=kb.as_markup())


async def enter_place(
    event: Message | CallbackQuery,
    state: FSMContext,
    pairs: PairsRepo,
    programs: ProgramService,
) -> None:
    if isinstance(event, CallbackQuery):
        place = tr("btn-online").removeprefix("💻 ")
        await event.answer()
        chat = event.message
    else:
        place = (event.text or "").strip()
        chat = event
    if not isinstance(chat, Message):
        return
    if not place or len(place) > TEXT_LIMIT:
        await chat.answer(tr("meeting-text-limit"))
        return
    pair = await pairs.get(int((await state.get_data()).get("pair_id", 0)))
    topics = await _program_topics(pair, programs) if pair else []
    await state.update_data(place=place, topics=topics)
    await state.set_state(MeetingStates.entering_topic)
    kb = Keyboard()
    for index, topic in enumerate(topics):
        kb.button(text=topic[:60], callback_data=TopicCb(index=index))
    kb.button(text=tr("btn-no-topic"), callback_data=TopicCb(index=-1))
    kb.adjust(1)
    await chat.answer(tr("meeting-ask-topic"), reply_markup=kb.as_markup())


def _chosen_time(data: dict[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(data.get("starts_at", "")))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


async def _program_topics(pair: Pair, programs: ProgramService) -> list[str]:

    found = await programs.get(pair)
    if found is None:
        return []
    lines = str(found[1].answers.get("activities") or "").splitlines()
    return [line.split(";", 1)[0].strip() for line in lines if line.strip()][:5]


async def enter_topic(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    meetings_service: MeetingService,
    organizations: OrganizationService,
    callback_data: TopicCb | None = None,
) -> None:
    data = await state.get_data()
    if isinstance(event, CallbackQuery):
        index = callback_data.index if callback_data else -1
        topics = list(data.get("topics") or [])
        topic = topics[index] if 0 <= index < len(topics) else tr("btn-no-topic")
        await event.answer()
        chat = event.message
    else:
        topic = (event.text or "").strip()
        chat = event
    if not isinstance(chat, Message):
        return
    if not topic or len(topic) > TEXT_LIMIT:
        await chat.answer(tr("meeting-text-limit"))
        return
    pair = await _participant_pair(actor, pairs, int(data.get("pair_id", 0)), organizations)
    await state.clear()
    if pair is None or actor.person is None:
        await chat.answer(tr("meeting-not-yours"))
        return
    starts_at = _chosen_time(data)
    if starts_at is None:  # the dialog's data is gone (an old version, a lost restart)
        await chat.answer(tr("meeting-draft-lost"))
        return
    created = await meetings_service.propose(
        pair, actor.person.id, starts_at, str(data.get("place")), topic
    )
    await chat.answer(created if isinstance(created, str) else tr("meeting-proposed"))


async def answer_meeting(
    callback: CallbackQuery,
    callback_data: MeetingCb,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    meetings: MeetingsRepo,
    meetings_service: MeetingService,
    organizations: OrganizationService,
    clock: Clock,
) -> None:
    meeting = await meetings.get(callback_data.meeting_id)
    pair = await _participant_pair(actor, pairs, meeting.pair_id if meeting else 0, organizations)
    message = callback.message
    if meeting is None or pair is None or actor.person is None or not isinstance(message, Message):
        await callback.answer(tr("meeting-not-yours"), show_alert=True)
        return
    action = callback_data.action
    if action is MeetingAction.FEEDBACK:
        form = await meetings_service.feedback_form(meeting, actor.person.id)
        if isinstance(form, str):
            await callback.answer(form, show_alert=True)
            return
        await callback.answer()
        await present(message, form, state, organizations)
        return
    if action is not MeetingAction.CANCEL and callback_data.revision != meeting.revision:
        await callback.answer(tr("meeting-not-proposed"), show_alert=True)
        return
    if action is MeetingAction.MOVE:
        if meeting.status == "cancelled":
            await callback.answer(tr("meeting-cancelled-already"), show_alert=True)
            return
        await callback.answer()
        await state.set_state(MeetingStates.entering_time)
        await state.set_data({"pair_id": pair.id, "meeting_id": meeting.id})
        await _ask_time(message, pair, meetings_service, clock)
        return
    if action is MeetingAction.CONFIRM:
        result = await meetings_service.confirm(meeting, pair, actor.person.id)
    else:
        result = await meetings_service.cancel(meeting, pair, actor.person.id)
    await callback.answer(result, show_alert=True)


async def journal(
    callback: CallbackQuery,
    callback_data: PairCardCb,
    actor: Actor,
    pairs: PairsRepo,
    meetings: MeetingsRepo,
    meetings_service: MeetingService,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    pair = await pairs.get(callback_data.pair_id)
    if pair is None or await pair_seat(actor, pair, organizations) is None:
        await callback.answer(tr("pair-not-yours"), show_alert=True)
        return
    entries = await meetings_service.journal(pair)
    if callback_data.action is PairCardAction.JOURNAL_DOCX:
        if not isinstance(callback.message, Message):
            return
        await callback.answer()
        school = await organizations.school(pair.organization_id)
        names = await pair_service.names(pair.organization_id)
        content = journal_document(school.name if school else "", pair, names, entries)
        await callback.message.answer_document(
            BufferedInputFile(content, f"zhurnal_{pair.id}.docx")
        )
        return
    zone = await meetings_service.zone(pair)
    lines = [tr("journal-title"), ""]
    lines += [
        texts.journal_line(
            shown(e.meeting.starts_at, zone),
            texts.MEETING_KINDS[e.meeting.kind],
            texts.MEETING_STATUSES[e.meeting.status],
            e.meeting.topic,
            e.summary,
        )
        for e in entries
    ] or [tr("journal-empty")]
    kb = Keyboard()
    kb.button(
        text=tr("btn-journal-docx"),
        callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.JOURNAL_DOCX),
    )
    kb.button(
        text=tr("btn-back"), callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN)
    )
    kb.adjust(1)
    await show(callback, fit(lines), kb.as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        start_meeting, PairCardCb.filter(F.action == PairCardAction.MEETING_NEW), flags=RESPOND
    )
    router.callback_query.register(
        journal,
        PairCardCb.filter(F.action.in_({PairCardAction.JOURNAL, PairCardAction.JOURNAL_DOCX})),
        flags=MEMBER,
    )
    router.message.register(enter_time, StateFilter(MeetingStates.entering_time), flags=RESPOND)
    router.callback_query.register(
        enter_time, StateFilter(MeetingStates.entering_time), TimePickCb.filter(), flags=RESPOND
    )
    router.message.register(enter_place, StateFilter(MeetingStates.entering_place), flags=RESPOND)
    router.callback_query.register(
        enter_place, StateFilter(MeetingStates.entering_place), TopicCb.filter(), flags=RESPOND
    )
    router.message.register(enter_topic, StateFilter(MeetingStates.entering_topic), flags=RESPOND)
    router.callback_query.register(
        enter_topic, StateFilter(MeetingStates.entering_topic), TopicCb.filter(), flags=RESPOND
    )
    router.callback_query.register(answer_meeting, MeetingCb.filter(), flags=RESPOND)
    return router
