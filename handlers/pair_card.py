"""A pair's card for its mentor, mentees and curator: the program and requests."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.screens import card_text
from bot.organizations.service import OrganizationService
from bot.pairs.seats import Seat, pair_seat
from bot.pairs.service import PairForm, PairKind, PairService
from bot.programs.documents import program_document
from bot.programs.service import ProgramService
from bot.ui import texts
from bot.ui.callbacks import (
    MenuCb,
    PairCardAction,
    PairCardCb,
    PairEditCb,
    PairEditField,
    PairsCb,
    PairsView,
    RequestDecisionCb,
    Screen,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import PairStates
from handlers.forms import present
from handlers.render import show
from storage.models import Pair, PairStatus
from storage.pairs import PairRequestsRepo, PairsRepo

MEMBER = {"action": Action.USE_MENU}
MANAGE_PAIRS = {"action": Action.MANAGE_PAIRS}
TEXT_LIMIT = 500


async def my_pairs(
    callback: CallbackQuery, actor: Actor, pairs: PairsRepo, pair_service: PairService
) -> None:
    kb = Keyboard()
    found = [
        p
        for p in await pairs.involving(actor.person.id if actor.person else 0)
        if p.status in (PairStatus.INVITED, PairStatus.ACTIVE)
    ]
    lines = [tr("my-pairs-title")]
    for number, pair in enumerate(found, start=1):
        names = await pair_service.names(pair.organization_id)
        lines.append(
            texts.pair_line(
                number,
                names.get(pair.mentor_id, ""),
                [names.get(m, "") for m in pair.mentee_ids],
                pair.status.value,
            )
        )
        kb.button(
            text=f"🤝 {number}",
            callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
        )
    if not found:
        lines.append(tr("my-pairs-empty"))
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(*([4] * ((len(found) + 3) // 4)), 1)
    await show(callback, "\n".join(lines), kb.as_markup())


async def card(
    callback: CallbackQuery,
    callback_data: PairCardCb,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_service: PairService,
    programs: ProgramService,
    organizations: OrganizationService,
) -> None:
    pair = await pairs.get(callback_data.pair_id)
    seat = await pair_seat(actor, pair, organizations) if pair else None
    message = callback.message
    if pair is None or seat is None or not isinstance(message, Message):
        await callback.answer(tr("pair-not-yours"), show_alert=True)
        return
    action = callback_data.action
    if action is PairCardAction.PROGRAM_EDIT:
        if seat is not Seat.MENTOR or pair.status is not PairStatus.ACTIVE:
            await callback.answer(tr("forbidden"), show_alert=True)
            return
        form = await programs.edit(pair)
        await callback.answer()
        if form is not None:
            await present(message, form, state, organizations, form.form.intro)
        return
    alert = None
    if action is PairCardAction.PROGRAM_CONFIRM:
        confirmed = seat is Seat.MENTEE and await programs.confirm(pair)
        alert = tr("program-confirmed") if confirmed else tr("program-not-proposed")
    elif action is PairCardAction.PROGRAM_DOCX:
        await _send_program(callback, message, pair, pair_service, programs, organizations)
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
    text, markup = await _card(pair, seat, pair_service, programs)
    await show(callback, text, markup, alert)


async def _card(
    pair: Pair, seat: Seat, pair_service: PairService, programs: ProgramService
) -> tuple[str, InlineKeyboardMarkup]:
    names = await pair_service.names(pair.organization_id)
    found = await programs.get(pair)
    status = tr("program-status", status=found[0].status) if found else tr("program-none")
    text = texts.pair_card(
        names.get(pair.mentor_id, ""),
        [names.get(m, "") for m in pair.mentee_ids],
        pair.form,
        pair.kind,
        pair.status.value,
        status,
    )
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
    if seat is Seat.MENTEE and found and found[0].status == "proposed":
        button(tr("btn-program-confirm"), PairCardAction.PROGRAM_CONFIRM)
    if found:
        button(tr("btn-program-docx"), PairCardAction.PROGRAM_DOCX)
    if active and seat is not Seat.CURATOR:
        button(
            tr("btn-request-release") if seat is Seat.MENTOR else tr("btn-request-replace"),
            PairCardAction.REQUEST,
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


async def _send_program(
    callback: CallbackQuery,
    message: Message,
    pair: Pair,
    pair_service: PairService,
    programs: ProgramService,
    organizations: OrganizationService,
) -> None:
    found = await programs.get(pair)
    if found is None:
        await callback.answer(tr("program-missing"), show_alert=True)
        return
    await callback.answer()
    school = await organizations.school(pair.organization_id)
    content = program_document(
        school.name if school else "",
        pair,
        await pair_service.names(pair.organization_id),
        found[1].answers,
    )
    await message.answer_document(BufferedInputFile(content, f"programma_{pair.id}.docx"))


async def edit_pair(
    callback: CallbackQuery,
    callback_data: PairEditCb,
    actor: Actor,
    pairs: PairsRepo,
    pair_service: PairService,
    programs: ProgramService,
    organizations: OrganizationService,
) -> None:
    """The curator's changes: form, kind, one more mentee (a group), withdrawing."""
    pair = await pairs.get(callback_data.pair_id)
    if pair is None or await pair_seat(actor, pair, organizations) is not Seat.CURATOR:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    field, value = callback_data.field, callback_data.v
    if value < 0 and field is not PairEditField.WITHDRAW:
        await _edit_choices(callback, pair, field, pair_service)
        return
    alert: str | None = tr("pair-updated")
    if field is PairEditField.FORM and 0 <= value < len(PairForm):
        await pairs.set_form_kind(pair.id, list(PairForm)[value].value, pair.kind)
    elif field is PairEditField.KIND and 0 <= value < len(PairKind):
        await pairs.set_form_kind(pair.id, pair.form, list(PairKind)[value].value)
    elif field is PairEditField.ADD_MENTEE:
        alert = await pair_service.add_mentee(pair, value) or tr("pair-mentee-added")
    elif field is PairEditField.WITHDRAW:
        alert = tr("pair-withdrawn") if await pair_service.withdraw(pair) else tr("draft-gone")
    else:
        alert = tr("stale-button")
    changed = await pairs.get(pair.id)
    assert changed is not None
    text, markup = await _card(changed, Seat.CURATOR, pair_service, programs)
    await show(callback, text, markup, alert)


async def _edit_choices(
    callback: CallbackQuery, pair: Pair, field: PairEditField, pair_service: PairService
) -> None:
    kb = Keyboard()
    if field is PairEditField.FORM:
        title = tr("pair-pick-form")
        choices = [(texts.PAIR_FORMS[f.value], i) for i, f in enumerate(PairForm)]
    elif field is PairEditField.KIND:
        title = tr("pair-pick-kind")
        choices = [(texts.PAIR_KINDS[k.value], i) for i, k in enumerate(PairKind)]
    else:
        found = await pair_service.candidates(pair.organization_id)
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
    message: Message,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > TEXT_LIMIT:
        await message.answer(tr("request-ask-reason"))
        return
    pair = await pairs.get(int((await state.get_data()).get("pair_id", 0)))
    await state.clear()
    seat = await pair_seat(actor, pair, organizations) if pair else None
    if pair is None or actor.person is None or seat in (None, Seat.CURATOR):
        await message.answer(tr("pair-not-yours"))
        return
    await message.answer(await pair_service.request(pair, actor.person.id, reason))


async def decide_request(
    callback: CallbackQuery,
    callback_data: RequestDecisionCb,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_requests: PairRequestsRepo,
    organizations: OrganizationService,
) -> None:
    request = await pair_requests.get(callback_data.request_id)
    pair = await pairs.get(request.pair_id) if request else None
    seat = await pair_seat(actor, pair, organizations) if pair else None
    if request is None or seat is not Seat.CURATOR or not isinstance(callback.message, Message):
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    if request.status != "pending":
        await callback.answer(tr("request-gone"), show_alert=True)
        return
    await callback.answer()
    await state.set_state(PairStates.deciding_request)
    await state.set_data({"request_id": request.id, "approve": callback_data.approve})
    await callback.message.answer(tr("request-ask-comment"))


async def request_comment(
    message: Message,
    actor: Actor,
    state: FSMContext,
    pairs: PairsRepo,
    pair_requests: PairRequestsRepo,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    comment = (message.text or "").strip()
    if not comment or len(comment) > TEXT_LIMIT:
        await message.answer(tr("request-ask-comment"))
        return
    data = await state.get_data()
    await state.clear()
    request = await pair_requests.get(int(data.get("request_id", 0)))
    pair = await pairs.get(request.pair_id) if request else None
    seat = await pair_seat(actor, pair, organizations) if pair else None
    if request is None or seat is not Seat.CURATOR:
        await message.answer(tr("forbidden"))
        return
    decided = await pair_service.decide_request(request, bool(data.get("approve")), comment)
    await message.answer(tr("request-decided") if decided else tr("request-gone"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        my_pairs, MenuCb.filter(F.screen == Screen.MY_PAIRS), flags=MEMBER
    )
    router.callback_query.register(card, PairCardCb.filter(), flags=MEMBER)
    router.message.register(request_reason, StateFilter(PairStates.requesting), flags=MEMBER)
    router.callback_query.register(edit_pair, PairEditCb.filter(), flags=MANAGE_PAIRS)
    router.callback_query.register(decide_request, RequestDecisionCb.filter(), flags=MANAGE_PAIRS)
    router.message.register(
        request_comment, StateFilter(PairStates.deciding_request), flags=MANAGE_PAIRS
    )
    return router
