"""Best practices: each side of a completed pair agrees to publish its case, the curator
describes it (goal, what was done, result) and publishes it; everyone of the school reads it
in the library. Notes of colleagues on a mentee's card: the curator asks a colleague, the
colleague writes the note and chooses whether the mentor may read it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.practices.notes import NOTE_LIMIT, NoteRefusal
from bot.practices.service import FIELD_LIMIT, Agreement, PracticeRefusal, PublishedCase
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    CardCb,
    LibraryAction,
    LibraryCb,
    NoteAction,
    NoteCb,
    PracticeAction,
    PracticeCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import LibraryStates
from handlers.render import fit, show
from storage.models import Role
from storage.practices import Practice

MEMBER = {"action": Action.USE_MENU}
SHOWN = 20


async def practice(
    callback: CallbackQuery,
    callback_data: PracticeCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service, action = services.practices, callback_data.action
    if action is PracticeAction.AGREE:
        agreed = await service.agree(actor, callback_data.pair_id, bool(callback_data.v))
        if isinstance(agreed, PracticeRefusal):
            await callback.answer(tr.plain("practice-refusal", reason=agreed), show_alert=True)
            return
        await callback.answer(tr.plain("practice-agreed", ready=agreed is Agreement.READY))
        return
    if action is PracticeAction.LIST:
        await show(callback, *_cases(await service.cases(actor)))
        return
    if action is PracticeAction.OPEN:
        case = await service.case(actor, callback_data.v)
        if isinstance(case, PracticeRefusal):
            await callback.answer(tr.plain("practice-refusal", reason=case), show_alert=True)
            return
        kb = Keyboard()
        kb.button(text=tr.plain("btn-back"), callback_data=PracticeCb(action=PracticeAction.LIST))
        await show(callback, _case_text(case), kb.as_markup())
        return
    if action is PracticeAction.EDIT:
        pair = await service.for_curator(actor, callback_data.pair_id)
        if isinstance(pair, PracticeRefusal):
            await callback.answer(tr.plain("practice-refusal", reason=pair), show_alert=True)
            return
        await state.set_state(LibraryStates.practice_goal)
        await state.set_data({"pair_id": pair.id})
        await show(callback, tr("practice-ask-goal"), keyboards.cancel())
        return
    published = await service.publish(actor, callback_data.pair_id)
    if isinstance(published, PracticeRefusal):
        await callback.answer(tr.plain("practice-refusal", reason=published), show_alert=True)
        return
    await show(callback, tr("practice-published"), keyboards.back_to_main())


def _cases(cases: list[PublishedCase]) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    for case in cases[:SHOWN]:
        kb.button(
            text=f"⭐ {case.goal[:50]}",
            callback_data=PracticeCb(action=PracticeAction.OPEN, v=case.id),
        )
    kb.button(text=tr.plain("btn-back"), callback_data=LibraryCb(action=LibraryAction.HOME))
    kb.adjust(1)
    title = tr("practices-title", count=len(cases))
    return (title if cases else f"{title}\n{tr('library-nothing')}"), kb.as_markup()


def _case_text(case: PublishedCase | Practice) -> str:
    named = isinstance(case, PublishedCase) and case.mentor is not None
    return tr(
        "practice-case",
        goal=case.goal,
        done=case.done,
        result=case.result,
        year=case.school_year,
        names=", ".join([case.mentor or "", *(case.mentees or ())])
        if isinstance(case, PublishedCase) and named
        else "none",
    )


async def practice_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    """The description, one field a message: the goal, what was done, the result."""
    text = " ".join((message.text or "").split())
    if not text or len(text) > FIELD_LIMIT:
        refusal = PracticeRefusal.BAD_TEXT
        await message.answer(
            tr("practice-refusal", reason=refusal), reply_markup=keyboards.cancel()
        )
        return
    current = await state.get_state()
    data = await state.get_data()
    if current == LibraryStates.practice_goal.state:
        await state.update_data(goal=text)
        await state.set_state(LibraryStates.practice_done)
        await message.answer(tr("practice-ask-done"), reply_markup=keyboards.cancel())
        return
    if current == LibraryStates.practice_done.state:
        await state.update_data(done=text)
        await state.set_state(LibraryStates.practice_result)
        await message.answer(tr("practice-ask-result"), reply_markup=keyboards.cancel())
        return
    await state.clear()
    saved = await services.practices.save(
        actor,
        int(data.get("pair_id", 0)),
        str(data.get("goal", "")),
        str(data.get("done", "")),
        text,
    )
    if isinstance(saved, PracticeRefusal):
        await message.answer(
            tr("practice-refusal", reason=saved), reply_markup=keyboards.back_to_main()
        )
        return
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-practice-publish"),
        callback_data=PracticeCb(action=PracticeAction.PUBLISH, pair_id=saved.pair_id),
    )
    kb.button(
        text=tr.plain("btn-practice-edit"),
        callback_data=PracticeCb(action=PracticeAction.EDIT, pair_id=saved.pair_id),
    )
    kb.adjust(1)
    await message.answer(
        f"{tr('practice-preview')}\n\n{_case_text(saved)}", reply_markup=kb.as_markup()
    )


# --- notes of colleagues on a mentee's card ---


async def note(
    callback: CallbackQuery,
    callback_data: NoteCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service, action = services.notes, callback_data.action
    school_id, mentee_id = callback_data.school_id, callback_data.mentee_id
    if action is NoteAction.WRITE:
        invited = await service.invited(actor, callback_data.v)
        if isinstance(invited, NoteRefusal):
            await callback.answer(tr.plain("note-refusal", reason=invited), show_alert=True)
            return
        await state.set_state(LibraryStates.writing_note)
        await state.set_data({"note_id": invited.id})
        await show(callback, tr("note-ask-text"), keyboards.cancel())
        return
    if action is NoteAction.SHARE:
        await _share(callback, callback_data, actor, state, services)
        return
    if action is NoteAction.INVITE:
        invited_one = await service.invite(actor, school_id, mentee_id, callback_data.v)
        if isinstance(invited_one, NoteRefusal):
            await callback.answer(tr.plain("note-refusal", reason=invited_one), show_alert=True)
            return
        kb = Keyboard()
        kb.button(text=tr.plain("btn-back"), callback_data=_card(school_id, mentee_id))
        await show(callback, tr("note-invited", colleague=invited_one.name), kb.as_markup())
        return
    if action is NoteAction.PICK:
        found = await service.colleagues(actor, school_id, mentee_id)
        if isinstance(found, NoteRefusal):
            await callback.answer(tr.plain("note-refusal", reason=found), show_alert=True)
            return
        name, colleagues = found
        kb = Keyboard()
        for colleague in colleagues[:30]:
            kb.button(
                text=colleague.name[:50],
                callback_data=NoteCb(
                    action=NoteAction.INVITE,
                    school_id=school_id,
                    mentee_id=mentee_id,
                    v=colleague.person_id,
                ),
            )
        kb.button(text=tr.plain("btn-back"), callback_data=_card(school_id, mentee_id))
        kb.adjust(1)
        await show(callback, tr("note-pick", mentee=name, count=len(colleagues)), kb.as_markup())
        return
    listed = await service.for_curator(actor, school_id, mentee_id)
    if isinstance(listed, NoteRefusal):
        await callback.answer(tr.plain("note-refusal", reason=listed), show_alert=True)
        return
    name, notes = listed
    lines = [tr("notes-title", mentee=name, count=len(notes))]
    lines += [
        tr("note-line", author=n.author, text=n.note.text, for_mentor=n.note.for_mentor)
        for n in notes
    ]
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-note-ask"),
        callback_data=NoteCb(action=NoteAction.PICK, school_id=school_id, mentee_id=mentee_id),
    )
    kb.button(text=tr.plain("btn-back"), callback_data=_card(school_id, mentee_id))
    kb.adjust(1)
    await show(callback, fit(lines), kb.as_markup())


def _card(school_id: int, mentee_id: int) -> CardCb:
    """Back to the mentee's card (built once the ids are checked: a forged 0 fails here)."""
    return CardCb(school_id=school_id, role=Role.MENTEE.value, person_id=mentee_id)


async def note_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    text = (message.text or "").strip()
    if not text or len(text) > NOTE_LIMIT:
        refusal = NoteRefusal.BAD_TEXT
        await message.answer(tr("note-refusal", reason=refusal), reply_markup=keyboards.cancel())
        return
    note_id = int((await state.get_data()).get("note_id", 0))
    await state.update_data(text=text)
    kb = Keyboard()
    for share in (True, False):
        kb.button(
            text=tr.plain("btn-note-share", share=share),
            callback_data=NoteCb(action=NoteAction.SHARE, v=note_id, share=share),
        )
    kb.adjust(1)
    await message.answer(tr("note-ask-share"), reply_markup=kb.as_markup())


async def _share(
    callback: CallbackQuery,
    callback_data: NoteCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    data = await state.get_data()
    if data.get("note_id") != callback_data.v or not isinstance(data.get("text"), str):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    written = await services.notes.write(actor, callback_data.v, data["text"], callback_data.share)
    await state.clear()
    if isinstance(written, NoteRefusal):
        await callback.answer(tr.plain("note-refusal", reason=written), show_alert=True)
        return
    await show(callback, tr("note-saved", for_mentor=written.for_mentor), keyboards.back_to_main())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(practice, PracticeCb.filter(), flags=MEMBER)
    router.callback_query.register(note, NoteCb.filter(), flags=MEMBER)
    router.message.register(
        practice_typed,
        StateFilter(
            LibraryStates.practice_goal, LibraryStates.practice_done, LibraryStates.practice_result
        ),
        flags=MEMBER,
    )
    router.message.register(note_typed, StateFilter(LibraryStates.writing_note), flags=MEMBER)
    return router
