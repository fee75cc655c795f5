"""A pair's card for its mentor, mentees and curator: the program and requests."""

from __future__ import annotations

import asyncio
from datetime import date

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.completion.service import CompletionRefusal, Ended, Step, reasons_for
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.model import AnswerValue
from bot.forms.screens import card_text
from bot.pairs.seats import Seat, pair_seat
from bot.pairs.service import NamedPair, PairForm, PairKind, PairsRefusal
from bot.programs.documents import program_document
from bot.programs.service import activities
from bot.services import Services
from bot.ui.callbacks import (
    MenuCb,
    PairCardAction,
    PairCardCb,
    PairEditCb,
    PairEditField,
    PairsCb,
    PairsView,
    PlanAction,
    PlanCb,
    ProgramChangeCb,
    ProgramEndCb,
    RequestDecisionCb,
    Screen,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import PairStates
from handlers.forms import present
from handlers.render import show
from storage.models import Pair, PairStatus, ProgramEndReason, ProgramStatus, RequestStatus, Role
from storage.pairs import PairRequest

MEMBER = {"action": Action.USE_MENU}
MANAGE_PAIRS = {"action": Action.MANAGE_PAIRS}
TEXT_LIMIT = 500
PLAN_LIMIT = 3000


async def my_pairs(callback: CallbackQuery, actor: Actor, services: Services) -> None:
    found = await services.pairs.mine(actor.person.id) if actor.person else []
    lines = [tr("my-pairs-title")]
    kb = Keyboard()
    for number, named in enumerate(found, start=1):
        status = tr.plain("pair-status", status=named.pair.status)
        lines.append(tr("pair-line", number=number, pair=named.title, status=status))
        kb.button(
            text=f"🤝 {number}",
            callback_data=PairCardCb(pair_id=named.pair.id, action=PairCardAction.OPEN),
        )
    if not found:
        lines.append(tr("my-pairs-empty"))
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(*([4] * ((len(found) + 3) // 4)), 1)
    await show(callback, "\n".join(lines), kb.as_markup())


async def _seated(actor: Actor, pair_id: int, services: Services) -> tuple[Pair, Seat] | None:
    pair = await services.pairs.pair(pair_id)
    seat = await pair_seat(actor, pair, services.organizations) if pair else None
    return (pair, seat) if pair is not None and seat is not None else None


async def card(
    callback: CallbackQuery,
    callback_data: PairCardCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    seated = await _seated(actor, callback_data.pair_id, services)
    message = callback.message
    if seated is None or not isinstance(message, Message):
        await callback.answer(tr("pair-not-yours"), show_alert=True)
        return
    pair, seat = seated
    action = callback_data.action
    if action is PairCardAction.PROGRAM_EDIT:
        if seat is not Seat.MENTOR or pair.status is not PairStatus.ACTIVE:
            await callback.answer(tr("forbidden"), show_alert=True)
            return
        form = await services.programs.edit(pair)
        await callback.answer()
        if form is not None:
            await present(message, form, state, services.organizations, form.form.intro)
        return
    if action in _ENDING_ACTIONS:
        await _ending_action(callback, message, pair, seat, actor, state, services)
        return
    alert = None
    if action is PairCardAction.COMPLETE:
        alert = await _complete(pair, seat, actor, services)
    elif action is PairCardAction.PROGRAM_CONFIRM:
        confirmed = seat is Seat.MENTEE and await services.completion.confirm(pair)
        alert = tr("program-confirmed") if confirmed else tr("program-not-proposed")
    elif action is PairCardAction.PROGRAM_DOCX:
        await _send_program(callback, message, pair, services)
        return
    elif action is PairCardAction.REQUEST:
        if seat is Seat.CURATOR or pair.status is not PairStatus.ACTIVE:
            await callback.answer(tr("forbidden"), show_alert=True)
            return
        await callback.answer()
        await state.set_state(PairStates.requesting)
        await state.set_data({"pair_id": pair.id})
        await message.answer(tr("request-ask-reason"))
        return
    viewer = actor.person.id if actor.person else None
    text, markup = await _card(await services.pairs.named(pair), seat, services, viewer)
    await show(callback, text, markup, alert)


async def _card(
    named: NamedPair, seat: Seat, services: Services, viewer: int | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    pair = named.pair
    found = await services.programs.get(pair)
    program = (
        tr.plain("program-status", status=found[0].status) if found else tr.plain("program-none")
    )
    text = tr(
        "pair-card",
        pair=named.title,
        mentor=named.mentor,
        mentees=", ".join(named.mentees),
        form=tr.plain("pair-form", form=pair.form),
        kind=tr.plain("pair-kind", kind=pair.kind),
        status=tr.plain("pair-status", status=pair.status),
        program=program,
    )
    text += await _end_lines(named, seat, services, viewer)
    text += await _shared_lines(pair, found[1].answers if found else {}, services, viewer)
    if found and found[1].answers:
        _, form = found
        text += "\n\n" + card_text(form.form.title, form.form, form.answers, 3800 - len(text))
    kb = Keyboard()

    def button(label: str, action: PairCardAction) -> None:
        kb.button(text=label, callback_data=PairCardCb(pair_id=pair.id, action=action))

    active = pair.status is PairStatus.ACTIVE
    if active and seat is not Seat.CURATOR:
        button(tr("btn-meeting-new"), PairCardAction.MEETING_NEW)
    button(tr("btn-journal"), PairCardAction.JOURNAL)
    if seat is Seat.MENTOR and active:
        button(tr("btn-program-edit"), PairCardAction.PROGRAM_EDIT)
    if seat is Seat.MENTEE and found and found[0].status is ProgramStatus.PROPOSED:
        button(tr("btn-program-confirm"), PairCardAction.PROGRAM_CONFIRM)
    if found:
        button(tr("btn-program-docx"), PairCardAction.PROGRAM_DOCX)
        kb.button(
            text=tr("btn-plan-materials"),
            callback_data=PlanCb(pair_id=pair.id, action=PlanAction.ITEMS),
        )
    if active and seat is not Seat.CURATOR:
        button(
            tr("btn-request-release") if seat is Seat.MENTOR else tr("btn-request-replace"),
            PairCardAction.REQUEST,
        )
    confirmed = found is not None and found[0].status is ProgramStatus.CONFIRMED
    if active and confirmed and seat is not Seat.CURATOR:
        button(tr("btn-program-complete"), PairCardAction.COMPLETE)
        button(tr("btn-program-revise"), PairCardAction.REVISE)
    if active:
        button(
            tr("btn-program-not-carried-out") if seat is Seat.CURATOR else tr("btn-program-end"),
            PairCardAction.END,
        )
    if seat is Seat.CURATOR and pair.status in (PairStatus.INVITED, PairStatus.ACTIVE):
        for label, field in (
            (tr("btn-pair-form"), PairEditField.FORM),
            (tr("btn-pair-kind"), PairEditField.KIND),
            (tr("btn-pair-add"), PairEditField.ADD_MENTEE),
        ):
            kb.button(text=label, callback_data=PairEditCb(pair_id=pair.id, field=field))
        if pair.status is PairStatus.INVITED:
            kb.button(
                text=tr("btn-pair-withdraw"),
                callback_data=PairEditCb(pair_id=pair.id, field=PairEditField.WITHDRAW),
            )
    if seat is Seat.CURATOR:
        kb.button(
            text=tr("btn-back"),
            callback_data=PairsCb(school_id=pair.organization_id, view=PairsView.LIST),
        )
    else:
        kb.button(text=tr("btn-back"), callback_data=MenuCb(screen=Screen.MY_PAIRS))
    kb.adjust(1)
    return text, kb.as_markup()


async def _end_lines(named: NamedPair, seat: Seat, services: Services, viewer: int | None) -> str:
    """How the program ends (or is ending), a change waiting for an answer, and the growth:
    the participant's own, the pair's average (no names) for the curator."""
    pair, lines = named.pair, []
    ending = await services.completion.ending(pair)
    if ending is not None:
        date = ending.effective_on.strftime("%d.%m.%Y")
        lines.append(tr("card-ending", reason=_reason(ending.reason), date=date))
    if pair.status is PairStatus.ACTIVE and await services.completion.pending_change(pair):
        lines.append(tr("card-change-pending"))
    own = None if seat is Seat.CURATOR else viewer
    growth = await services.completion.growth(pair, own) if seat is Seat.CURATOR or own else None
    if growth is not None and growth.lines:
        lines.append(tr("growth-title-average") if own is None else tr("growth-title"))
        lines += [
            tr(
                "growth-line",
                label=line.label,
                start=f"{line.start:g}" if own else f"{line.start:.1f}",
                end=f"{line.end:g}" if own else f"{line.end:.1f}",
                change=f"{line.change:+g}" if own else f"{line.change:+.1f}",
            )
            for line in growth.lines
        ]
    return "\n" + "\n".join(lines) if lines else ""


async def _shared_lines(
    pair: Pair, answers: dict[str, AnswerValue], services: Services, viewer: int | None
) -> str:
    """The library's materials attached to the plan (everyone of the pair sees them) and the
    colleagues' notes their authors let the mentor read (the mentor only)."""
    plan = activities(answers)
    lines = [
        tr("card-plan-line", item=plan[item].topic if item < len(plan) else item + 1, title=m.title)
        for item, m in await services.library.attached(pair.id)
    ]
    lines = [tr("card-plan-title"), *lines] if lines else []
    notes = await services.notes.for_mentor(pair, viewer)
    if notes:
        lines.append(tr("card-notes-title"))
        lines += [
            tr("note-line", author=n.author, text=n.note.text, for_mentor=False) for n in notes
        ]
    return "\n" + "\n".join(lines) if lines else ""


async def _send_program(
    callback: CallbackQuery, message: Message, pair: Pair, services: Services
) -> None:
    found = await services.programs.get(pair)
    if found is None:
        await callback.answer(tr("program-missing"), show_alert=True)
        return
    await callback.answer()
    school = await services.organizations.school(pair.organization_id)
    named = await services.pairs.named(pair)
    content = await asyncio.to_thread(
        program_document, school.name if school else "", pair, named.names, found[1].answers
    )
    await message.answer_document(BufferedInputFile(content, f"programma_{pair.id}.docx"))


# --- the end of the program: completion, early endings, changes, overdue programs ---

_ENDING_ACTIONS = (PairCardAction.END, PairCardAction.REVISE, PairCardAction.EXPLAIN)
_SIDES = {Seat.MENTOR: Role.MENTOR, Seat.MENTEE: Role.MENTEE, Seat.CURATOR: Role.CURATOR}


def _reason(reason: ProgramEndReason) -> str:
    return tr.plain("program-end-reason", reason=reason)


def _ended_text(done: Ended | CompletionRefusal) -> str:
    if isinstance(done, CompletionRefusal):
        return tr("completion-refusal", reason=done)
    if done.step is Step.WAITING:
        return tr("completion-waiting")
    if done.step is Step.NOTICE:
        return tr("ending-scheduled", date=done.effective_on.strftime("%d.%m.%Y"))
    return ""


async def _complete(pair: Pair, seat: Seat, actor: Actor, services: Services) -> str:
    if seat is Seat.CURATOR or actor.person is None:
        return tr("forbidden")
    done = await services.completion.complete(pair, actor.person.id)
    if isinstance(done, Ended) and done.step is Step.ENDED:
        return tr("completion-done", reason=_reason(ProgramEndReason.COMPLETED))
    return _ended_text(done)


async def _ending_action(
    callback: CallbackQuery,
    message: Message,
    pair: Pair,
    seat: Seat,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    """The reasons to end early; or the questions of a change; or «why not completed»."""
    action = PairCardCb.unpack(callback.data or "").action
    if pair.status is not PairStatus.ACTIVE:
        refusal = CompletionRefusal.NOT_ACTIVE
        await callback.answer(tr("completion-refusal", reason=refusal), show_alert=True)
        return
    if action is PairCardAction.END:
        kb = Keyboard()
        for reason in reasons_for(_SIDES[seat]):
            kb.button(
                text=tr.plain("btn-end-reason", reason=reason),
                callback_data=ProgramEndCb(pair_id=pair.id, reason=reason.value),
            )
        kb.button(
            text=tr("btn-back"),
            callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
        )
        kb.adjust(1)
        await show(callback, tr("end-pick-reason"), kb.as_markup())
        return
    if seat is Seat.CURATOR or actor.person is None:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    if action is PairCardAction.REVISE and await services.completion.pending_change(pair):
        refusal = CompletionRefusal.CHANGE_PENDING
        await callback.answer(tr("completion-refusal", reason=refusal), show_alert=True)
        return
    await callback.answer()
    revise = action is PairCardAction.REVISE
    await state.set_state(PairStates.change_end_date if revise else PairStates.explaining)
    await state.set_data({"pair_id": pair.id})
    await message.answer(tr("change-ask-date") if revise else tr("explain-ask"))


async def end_reason(
    callback: CallbackQuery,
    callback_data: ProgramEndCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    """A reason picked: checked against the side (a mentee cannot press the curator's «не
    реализована»), then its note is asked."""
    seated = await _seated(actor, callback_data.pair_id, services)
    reason = next((r for r in ProgramEndReason if r.value == callback_data.reason), None)
    if (
        seated is None
        or reason is None
        or reason not in reasons_for(_SIDES[seated[1]])
        or not isinstance(callback.message, Message)
    ):
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    await callback.answer()
    await state.set_state(PairStates.ending_reason)
    await state.set_data({"pair_id": seated[0].id, "reason": reason.value})
    await callback.message.answer(tr("end-ask-note"))


async def end_note(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    note = await _typed_text(message, TEXT_LIMIT, tr("end-ask-note"))
    if note is None:
        return
    data = await state.get_data()
    await state.clear()
    seated = await _seated(actor, int(data.get("pair_id", 0)), services)
    reason = next((r for r in ProgramEndReason if r.value == data.get("reason")), None)
    if seated is None or reason is None or actor.person is None:
        await message.answer(tr("pair-not-yours"))
        return
    pair, seat = seated
    done = await services.completion.terminate(pair, actor.person.id, _SIDES[seat], reason, note)
    if isinstance(done, Ended) and done.step is Step.ENDED:
        text = tr("ending-done", reason=_reason(reason))
    else:
        text = _ended_text(done)
    await message.answer(text, reply_markup=_back_to(pair))


async def change_end_date(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    raw = (message.text or "").strip()
    ends_on = ""
    if raw != "-":
        parts = raw.split(".")
        try:
            day, month, year = (int(part) for part in parts)
            ends_on = date(year, month, day).isoformat()
        except ValueError:
            await message.answer(tr("change-bad-date"))
            return
    await state.update_data(ends_on=ends_on)
    await state.set_state(PairStates.change_plan)
    await message.answer(tr("change-ask-plan"))


async def change_plan(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    raw = await _typed_text(message, PLAN_LIMIT, tr("change-ask-plan"))
    if raw is None:
        return
    data = await state.get_data()
    await state.clear()
    seated = await _seated(actor, int(data.get("pair_id", 0)), services)
    if seated is None or seated[1] is Seat.CURATOR or actor.person is None:
        await message.answer(tr("pair-not-yours"))
        return
    ends_on = date.fromisoformat(data["ends_on"]) if data.get("ends_on") else None
    proposed = await services.completion.propose_change(
        seated[0], actor.person.id, ends_on, None if raw == "-" else raw
    )
    text = (
        tr("completion-refusal", reason=proposed)
        if isinstance(proposed, CompletionRefusal)
        else tr("change-sent")
    )
    await message.answer(text, reply_markup=_back_to(seated[0]))


async def answer_change(
    callback: CallbackQuery, callback_data: ProgramChangeCb, actor: Actor, services: Services
) -> None:
    found = await services.completion.change_for(callback_data.change_id)
    seated = await _seated(actor, found[1].id, services) if found else None
    if found is None or seated is None or seated[1] is Seat.CURATOR or actor.person is None:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    change, pair = found
    decided = await services.completion.decide_change(
        change, pair, actor.person.id, callback_data.accept
    )
    if isinstance(decided, CompletionRefusal):
        await callback.answer(tr("completion-refusal", reason=decided), show_alert=True)
        return
    await callback.answer(tr("change-answered", accepted=callback_data.accept), show_alert=True)


async def explain(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    text = await _typed_text(message, TEXT_LIMIT, tr("explain-ask"))
    if text is None:
        return
    data = await state.get_data()
    await state.clear()
    seated = await _seated(actor, int(data.get("pair_id", 0)), services)
    if seated is None or seated[1] is Seat.CURATOR or actor.person is None:
        await message.answer(tr("pair-not-yours"))
        return
    sent = await services.completion.explain(seated[0], actor.person.id, text)
    refusal = CompletionRefusal.NOT_ACTIVE
    await message.answer(
        tr("explain-sent") if sent else tr("completion-refusal", reason=refusal),
        reply_markup=_back_to(seated[0]),
    )


def _back_to(pair: Pair) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr("btn-program-open"),
        callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
    )
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


async def edit_pair(
    callback: CallbackQuery, callback_data: PairEditCb, actor: Actor, services: Services
) -> None:
    """The curator's changes: form, kind, one more mentee (a group), withdrawing."""
    seated = await _seated(actor, callback_data.pair_id, services)
    if seated is None or seated[1] is not Seat.CURATOR:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    pair = seated[0]
    field, value = callback_data.field, callback_data.v
    if value < 0 and field is not PairEditField.WITHDRAW:
        await _edit_choices(callback, pair, field, services)
        return
    changed: Pair | PairsRefusal
    if field is PairEditField.FORM and 0 <= value < len(PairForm):
        changed = await services.pairs.set_form(pair, list(PairForm)[value])
    elif field is PairEditField.KIND and 0 <= value < len(PairKind):
        changed = await services.pairs.set_kind(pair, list(PairKind)[value])
    elif field is PairEditField.ADD_MENTEE:
        changed = await services.pairs.add_mentee(pair, value)
    elif field is PairEditField.WITHDRAW:
        changed = await services.pairs.withdraw(pair)
    else:
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    if isinstance(changed, PairsRefusal):
        alert = tr("pair-refusal", reason=changed)
        changed = await services.pairs.pair(pair.id) or pair
    elif field is PairEditField.ADD_MENTEE:
        alert = tr("pair-mentee-added")
    elif field is PairEditField.WITHDRAW:
        alert = tr("pair-withdrawn")
    else:
        alert = tr("pair-updated")
    text, markup = await _card(await services.pairs.named(changed), Seat.CURATOR, services)
    await show(callback, text, markup, alert)


async def _edit_choices(
    callback: CallbackQuery, pair: Pair, field: PairEditField, services: Services
) -> None:
    kb = Keyboard()
    if field is PairEditField.FORM:
        title = tr("pair-pick-form")
        choices = [(tr.plain("pair-form", form=f), i) for i, f in enumerate(PairForm)]
    elif field is PairEditField.KIND:
        title = tr("pair-pick-kind")
        choices = [(tr.plain("pair-kind", kind=k), i) for i, k in enumerate(PairKind)]
    else:
        found = await services.pairs.candidates(pair.organization_id)
        title = tr("pair-pick-mentee") if found.mentees else tr("pair-no-waiting")
        choices = [(entry.name[:50], person_id) for person_id, (_, entry) in found.mentees.items()][
            :30
        ]
    for label, value in choices:
        kb.button(text=label, callback_data=PairEditCb(pair_id=pair.id, field=field, v=value))
    kb.button(
        text=tr("btn-back"), callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN)
    )
    kb.adjust(1)
    await show(callback, title, kb.as_markup())


async def request_reason(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    reason = await _typed_text(message, TEXT_LIMIT, tr("request-ask-reason"))
    if reason is None:
        return
    seated = await _seated(actor, int((await state.get_data()).get("pair_id", 0)), services)
    await state.clear()
    if seated is None or actor.person is None or seated[1] is Seat.CURATOR:
        await message.answer(tr("pair-not-yours"))
        return
    sent = await services.pairs.request(seated[0], actor.person.id, reason)
    await message.answer(
        tr("pair-refusal", reason=sent) if isinstance(sent, PairsRefusal) else tr("request-sent")
    )


async def _request_in_scope(
    actor: Actor, request_id: int, services: Services
) -> PairRequest | None:
    """The request, if the actor is the curator of its pair."""
    found = await services.pairs.pending_request(request_id)
    if found is None:
        return None
    request, pair = found
    seat = await pair_seat(actor, pair, services.organizations)
    return request if seat is Seat.CURATOR else None


async def decide_request(
    callback: CallbackQuery,
    callback_data: RequestDecisionCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    request = await _request_in_scope(actor, callback_data.request_id, services)
    if request is None or not isinstance(callback.message, Message):
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    if request.status is not RequestStatus.PENDING:
        refusal = PairsRefusal.REQUEST_GONE
        await callback.answer(tr("pair-refusal", reason=refusal), show_alert=True)
        return
    await callback.answer()
    await state.set_state(PairStates.deciding_request)
    await state.set_data({"request_id": request.id, "approve": callback_data.approve})
    await callback.message.answer(tr("request-ask-comment"))


async def request_comment(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    comment = await _typed_text(message, TEXT_LIMIT, tr("request-ask-comment"))
    if comment is None:
        return
    data = await state.get_data()
    await state.clear()
    request = await _request_in_scope(actor, int(data.get("request_id", 0)), services)
    if request is None:
        await message.answer(tr("forbidden"))
        return
    decided = await services.pairs.decide_request(request, bool(data.get("approve")), comment)
    await message.answer(
        tr("pair-refusal", reason=decided)
        if isinstance(decided, PairsRefusal)
        else tr("request-decided")
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        my_pairs, MenuCb.filter(F.screen == Screen.MY_PAIRS), flags=MEMBER
    )
    router.callback_query.register(card, PairCardCb.filter(), flags=MEMBER)
    router.callback_query.register(end_reason, ProgramEndCb.filter(), flags=MEMBER)
    router.callback_query.register(answer_change, ProgramChangeCb.filter(), flags=MEMBER)
    router.message.register(end_note, StateFilter(PairStates.ending_reason), flags=MEMBER)
    router.message.register(change_end_date, StateFilter(PairStates.change_end_date), flags=MEMBER)
    router.message.register(change_plan, StateFilter(PairStates.change_plan), flags=MEMBER)
    router.message.register(explain, StateFilter(PairStates.explaining), flags=MEMBER)
    router.message.register(request_reason, StateFilter(PairStates.requesting), flags=MEMBER)
    router.callback_query.register(edit_pair, PairEditCb.filter(), flags=MANAGE_PAIRS)
    router.callback_query.register(decide_request, RequestDecisionCb.filter(), flags=MANAGE_PAIRS)
    router.message.register(
        request_comment, StateFilter(PairStates.deciding_request), flags=MANAGE_PAIRS
    )
    return router


async def _typed_text(message: Message, limit: int, question: str) -> str | None:
    """The text typed in answer, or None after asking again (empty or over the limit)."""
    text = (message.text or "").strip()
    if not text or len(text) > limit:
        await message.answer(question)
        return None
    return text
