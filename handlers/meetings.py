"""Meetings of a pair: proposing one (time, place, topic), answering a proposal, moving,
cancelling, giving feedback, and the pair's journal. Each handler reads what was typed or
pressed, calls one MeetingService method, and renders its result."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.when import NeedsTime, WhenError, explain, remembered_day, shown
from bot.core.zones import timezone_label
from bot.meetings.documents import feedback_summary, journal_document
from bot.meetings.service import Journal, MeetingRefusal, TimeChoice
from bot.services import Services
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

MEMBER = {"action": Action.USE_MENU}
RESPOND = {"action": Action.RESPOND_TO_PAIR}
TEXT_LIMIT = 200
TOPIC_LABEL_LIMIT = 60


def _refusal(reason: MeetingRefusal) -> str:
    return tr("meeting-refusal", reason=reason)


def _time_buttons(choice: TimeChoice) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for moment in choice.suggestions:
        kb.button(
            text=tr.plain(
                "meeting-time-suggestion", weekday=moment.weekday(), moment=f"{moment:%d.%m %H:%M}"
            ),
            # ":" separates callback data fields; "15.00" reads the same to parse_when.
            callback_data=TimePickCb(when=f"{moment:%d.%m %H.%M}"),
        )
    kb.adjust(2)
    return kb.as_markup()


async def _ask_time(chat: Message, choice: TimeChoice, state: FSMContext) -> None:
    await state.set_state(MeetingStates.entering_time)
    data: dict[str, Any] = {"pair_id": choice.pair_id}
    if choice.meeting_id is not None:
        data["meeting_id"] = choice.meeting_id
    await state.set_data(data)
    await chat.answer(
        tr("meeting-ask-when", zone=timezone_label(choice.zone)), reply_markup=_time_buttons(choice)
    )


async def start_meeting(
    callback: CallbackQuery,
    callback_data: PairCardCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    choice = await services.meetings.start(actor, callback_data.pair_id)
    if isinstance(choice, MeetingRefusal) or not isinstance(callback.message, Message):
        await callback.answer(
            _refusal(choice if isinstance(choice, MeetingRefusal) else MeetingRefusal.NOT_YOURS),
            show_alert=True,
        )
        return
    await callback.answer()
    await _ask_time(callback.message, choice, state)


async def enter_time(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    services: Services,
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
    on_day = remembered_day(data.get("when_day"))
    if "meeting_id" in data:  # moving an existing meeting
        moved = await services.meetings.move(actor, int(data["meeting_id"]), typed, on_day)
        if isinstance(moved, NeedsTime | WhenError):
            await _time_not_taken(message, state, moved)
            return
        await state.clear()
        await message.answer(
            _refusal(moved) if isinstance(moved, MeetingRefusal) else tr("meeting-proposed")
        )
        return
    when = await services.meetings.read_time(actor, int(data.get("pair_id", 0)), typed, on_day)
    if isinstance(when, NeedsTime | WhenError):
        await _time_not_taken(message, state, when)
        return
    if isinstance(when, MeetingRefusal):
        await state.clear()
        await message.answer(_refusal(when))
        return
    await state.update_data(starts_at=when.isoformat())
    await state.set_state(MeetingStates.entering_place)
    kb = Keyboard()
    kb.button(text=tr("btn-online"), callback_data=TopicCb(index=-2))
    await message.answer(tr("meeting-ask-place"), reply_markup=kb.as_markup())


async def _time_not_taken(
    message: Message, state: FSMContext, problem: NeedsTime | WhenError
) -> None:
    if isinstance(problem, NeedsTime):  # «завтра утром»: the time is asked for that day
        await state.update_data(when_day=problem.day.isoformat())
    await message.answer(explain(problem))


async def enter_place(
    event: Message | CallbackQuery, state: FSMContext, services: Services
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
    topics = await services.programs.topics(int((await state.get_data()).get("pair_id", 0)))
    await state.update_data(place=place, topics=topics)
    await state.set_state(MeetingStates.entering_topic)
    kb = Keyboard()
    for index, topic in enumerate(topics):
        kb.button(text=topic[:TOPIC_LABEL_LIMIT], callback_data=TopicCb(index=index))
    kb.button(text=tr("btn-no-topic"), callback_data=TopicCb(index=-1))
    kb.adjust(1)
    await chat.answer(tr("meeting-ask-topic"), reply_markup=kb.as_markup())


def _chosen_time(data: dict[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(data.get("starts_at", "")))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


async def enter_topic(
    event: Message | CallbackQuery,
    actor: Actor,
    state: FSMContext,
    services: Services,
    callback_data: TopicCb | None = None,
) -> None:
    data = await state.get_data()
    if isinstance(event, CallbackQuery):
        index = callback_data.index if callback_data else -1
        topics = list(data.get("topics") or [])
        topic = topics[index] if 0 <= index < len(topics) else tr.plain("btn-no-topic")
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
    await state.clear()
    created = await services.meetings.propose(
        actor, int(data.get("pair_id", 0)), _chosen_time(data), str(data.get("place")), topic
    )
    await chat.answer(
        _refusal(created) if isinstance(created, MeetingRefusal) else tr("meeting-proposed")
    )


async def answer_meeting(
    callback: CallbackQuery,
    callback_data: MeetingCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    message = callback.message
    if not isinstance(message, Message):
        await callback.answer(_refusal(MeetingRefusal.NOT_YOURS), show_alert=True)
        return
    meetings, action = services.meetings, callback_data.action
    meeting_id, revision = callback_data.meeting_id, callback_data.revision
    if action is MeetingAction.FEEDBACK:
        form = await meetings.feedback_form(actor, meeting_id)
        if isinstance(form, MeetingRefusal):
            await callback.answer(_refusal(form), show_alert=True)
            return
        await callback.answer()
        await present(message, form, state, services.organizations)
        return
    if action is MeetingAction.MOVE:
        choice = await meetings.start_move(actor, meeting_id, revision)
        if isinstance(choice, MeetingRefusal):
            await callback.answer(_refusal(choice), show_alert=True)
            return
        await callback.answer()
        await _ask_time(message, choice, state)
        return
    if action is MeetingAction.CONFIRM:
        done = await meetings.confirm(actor, meeting_id, revision)
        text = tr("meeting-confirmed")
    else:
        done = await meetings.cancel(actor, meeting_id)
        text = tr("meeting-cancelled")
    await callback.answer(
        _refusal(done) if isinstance(done, MeetingRefusal) else text, show_alert=True
    )


def _journal_text(journal: Journal) -> list[str]:
    lines = [tr("journal-title"), ""]
    for entry in journal.entries:
        meeting, notes = entry.meeting, feedback_summary(entry)
        line = tr(
            "journal-line",
            when=shown(meeting.starts_at, journal.zone),
            kind=tr.plain("meeting-kind", kind=meeting.kind),
            outcome=tr.plain("meeting-outcome", outcome=entry.outcome),
            topic=meeting.topic,
        )
        lines.append(f"{line}\n{tr('journal-notes', notes=notes)}" if notes else line)
    return lines if journal.entries else [*lines, tr("journal-empty")]


async def journal(
    callback: CallbackQuery, callback_data: PairCardCb, actor: Actor, services: Services
) -> None:
    found = await services.meetings.journal(actor, callback_data.pair_id)
    if isinstance(found, MeetingRefusal):
        await callback.answer(_refusal(found), show_alert=True)
        return
    pair = found.pair
    if callback_data.action is PairCardAction.JOURNAL_DOCX:
        if not isinstance(callback.message, Message):
            return
        await callback.answer()
        content = await asyncio.to_thread(journal_document, found)  # off the event loop
        await callback.message.answer_document(
            BufferedInputFile(content, f"zhurnal_{pair.id}.docx")
        )
        return
    kb = Keyboard()
    kb.button(
        text=tr("btn-journal-docx"),
        callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.JOURNAL_DOCX),
    )
    kb.button(
        text=tr("btn-back"), callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN)
    )
    kb.adjust(1)
    await show(callback, fit(_journal_text(found)), kb.as_markup())


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
