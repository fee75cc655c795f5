"""The curator forms pairs: the list, the proposal draft, candidates, the order."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.pairs.documents import OrderReference, parse_order_reference
from bot.pairs.service import DraftsPage, PairsRefusal
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    AcceptAllCb,
    DraftAction,
    DraftCb,
    PairCardAction,
    PairCardCb,
    PairsCb,
    PairsView,
    PreferenceCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import PairStates
from handlers.render import fit, show
from handlers.scope import school_in_scope
from storage.models import Organization, PairDraft

MANAGE_PAIRS = {"action": Action.MANAGE_PAIRS}


def _points(score: float) -> float | int:
    return int(score) if score.is_integer() else score


def _back_to_pairs(school_id: int) -> Keyboard:
    kb = Keyboard()
    kb.button(text=tr("btn-back"), callback_data=PairsCb(school_id=school_id, view=PairsView.LIST))
    return kb


async def pairs_screen(
    callback: CallbackQuery, callback_data: PairsCb, actor: Actor, services: Services
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    found = await services.pairs.current(school.id)
    risky = await services.meetings.at_risk(school.id)
    lines = [tr("pairs-title", school=school.name), ""]
    for number, named in enumerate(found, start=1):
        status = tr.plain("pair-status", status=named.pair.status)
        days = risky.get(named.pair.id)
        lines.append(
            tr("pair-line", number=number, pair=named.title, status=status)
            if days is None
            else tr("pair-line-at-risk", number=number, pair=named.title, status=status, days=days)
        )
    if not found:
        lines.append(tr("pairs-empty"))
    kb = Keyboard()
    for number, named in enumerate(found, start=1):
        kb.button(
            text=f"🤝 {number}",
            callback_data=PairCardCb(pair_id=named.pair.id, action=PairCardAction.OPEN),
        )
    for label, view in (
        (tr("btn-propose"), PairsView.PROPOSE),
        (tr("btn-preferences"), PairsView.PREFERENCES),
        (tr("btn-order"), PairsView.ORDER),
    ):
        kb.button(text=label, callback_data=PairsCb(school_id=school.id, view=view))
    kb.attach(keyboards.back_to_school(school.id))
    kb.adjust(*([5] * ((len(found) + 4) // 5)), 1, 1, 1, 1)
    await show(callback, fit(lines), kb.as_markup())


async def drafts_screen(
    callback: CallbackQuery, callback_data: PairsCb, actor: Actor, services: Services
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    if callback_data.view is PairsView.PROPOSE:
        page = await services.pairs.propose(school.id)
    else:
        page = await services.pairs.drafts_page(school.id, callback_data.page)
    await _show_drafts(callback, school, page)


async def _show_drafts(
    callback: CallbackQuery, school: Organization, page: DraftsPage, notice: str = ""
) -> None:
    lines = [notice, ""] if notice else []
    lines += [tr("drafts-title"), ""]
    if not page.total:
        lines.append(tr("drafts-empty"))
    elif page.pages > 1:
        first, last = page.drafts[0][0], page.drafts[-1][0]
        lines += [tr("drafts-shown", first=first, last=last, total=page.total), ""]
    kb = Keyboard()
    widths = []
    for number, draft in page.drafts:
        lines.append(
            tr(
                "draft-line",
                number=number,
                mentee=page.names.get(draft.mentee_id, ""),
                mentor=page.names.get(draft.mentor_id, ""),
                score=_points(draft.score),
                reasons="; ".join(draft.reasons),
            )
        )
        for label, action in (
            (f"✅ {number}", DraftAction.ACCEPT),
            (f"🔁 {number}", DraftAction.ALTERNATIVES),
            (f"✖ {number}", DraftAction.DISCARD),
        ):
            kb.button(
                text=label,
                callback_data=DraftCb(draft_id=draft.id, action=action, page=page.page),
            )
        widths.append(3)
    turns = []
    if page.page > 0:
        turns.append((tr("btn-drafts-previous"), page.page - 1))
    remaining = page.total - page.drafts[-1][0] if page.drafts else 0
    if remaining > 0:
        turns.append((tr("btn-drafts-next", count=remaining), page.page + 1))
    for label, target in turns:
        kb.button(
            text=label,
            callback_data=PairsCb(school_id=school.id, view=PairsView.DRAFTS, page=target),
        )
    if turns:
        widths.append(len(turns))
    if page.total:
        kb.button(
            text=tr("btn-accept-all", count=page.total),
            callback_data=AcceptAllCb(school_id=school.id, count=page.total, upto=page.upto),
        )
        widths.append(1)
    kb.attach(_back_to_pairs(school.id))
    widths.append(1)
    kb.adjust(*widths)
    await show(callback, fit(lines), kb.as_markup())


async def _draft_in_scope(
    callback: CallbackQuery, draft_id: int, actor: Actor, services: Services
) -> tuple[PairDraft, Organization] | None:
    draft = await services.pairs.draft(draft_id)
    if draft is None:
        await callback.answer(tr("refusal", reason=Refusal.NOT_FOUND), show_alert=True)
        return None
    school = await school_in_scope(
        callback, actor, draft.organization_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return None
    return draft, school


async def draft_action(
    callback: CallbackQuery, callback_data: DraftCb, actor: Actor, services: Services
) -> None:
    found = await _draft_in_scope(callback, callback_data.draft_id, actor, services)
    if found is None:
        return
    draft, school = found
    action = callback_data.action
    if action is DraftAction.ALTERNATIVES:
        await _show_alternatives(callback, draft, callback_data.page, services)
        return
    outcome: object
    if action is DraftAction.ACCEPT:
        outcome = await services.pairs.accept_draft(draft, actor.telegram_id)
    elif action is DraftAction.DISCARD:
        outcome = await services.pairs.discard_draft(draft)
    else:
        outcome = await services.pairs.change_draft(draft, callback_data.mentor_id)
    if isinstance(outcome, PairsRefusal):
        notice = tr("pair-refusal", reason=outcome)
    else:
        notice = tr("draft-accepted") if action is DraftAction.ACCEPT else ""
    page = await services.pairs.drafts_page(school.id, callback_data.page)
    await _show_drafts(callback, school, page, notice)


async def _show_alternatives(
    callback: CallbackQuery, draft: PairDraft, page: int, services: Services
) -> None:
    found = await services.pairs.alternatives(draft)
    lines = [tr("alternatives-title", name=found.mentee), ""]
    kb = Keyboard()
    for number, (match, mentor) in enumerate(found.matches, start=1):
        lines.append(
            tr(
                "candidate-line",
                number=number,
                mentor=mentor,
                score=_points(match.score),
                reasons="; ".join(match.reasons),
            )
        )
        kb.button(
            text=f"{number}. {mentor[:40]}",
            callback_data=DraftCb(
                draft_id=draft.id, action=DraftAction.CHOOSE, mentor_id=match.mentor_id, page=page
            ),
        )
    kb.button(
        text=tr("btn-back"),
        callback_data=PairsCb(school_id=draft.organization_id, view=PairsView.DRAFTS, page=page),
    )
    kb.adjust(1)
    await show(callback, "\n".join(lines), kb.as_markup())


async def accept_all(
    callback: CallbackQuery, callback_data: AcceptAllCb, actor: Actor, services: Services
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    done = await services.pairs.accept_all(
        school.id, actor.telegram_id, callback_data.count, callback_data.upto
    )
    if isinstance(done, PairsRefusal):
        notice = tr("pair-refusal", reason=done)
    else:
        notice = tr("drafts-accepted", created=done.created, refused=done.refused)
    await _show_drafts(callback, school, await services.pairs.drafts_page(school.id, 0), notice)


def _order_keyboard(school_id: int) -> Keyboard:
    kb = Keyboard()
    kb.button(
        text=tr("btn-order-blank"),
        callback_data=PairsCb(school_id=school_id, view=PairsView.ORDER_BLANK),
    )
    kb.attach(_back_to_pairs(school_id))
    kb.adjust(1)
    return kb


async def ask_order_reference(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    """The order needs its number and date; the curator may leave them to fill by hand."""
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None or not isinstance(callback.message, Message):
        return
    if not await services.pairs.has_active_pairs(school.id):
        refusal = PairsRefusal.NO_ACTIVE_PAIRS
        await callback.answer(tr("pair-refusal", reason=refusal), show_alert=True)
        return
    await callback.answer()
    await state.set_state(PairStates.order_reference)
    await state.set_data({"school_id": school.id})
    await callback.message.answer(
        tr("order-ask"), reply_markup=_order_keyboard(school.id).as_markup()
    )


async def order_reference(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    school_id = int((await state.get_data()).get("school_id", 0))
    school = await services.organizations.school_for(actor, school_id, Action.MANAGE_PAIRS)
    if isinstance(school, Refusal):  # the dialog's data was lost or forged
        await state.clear()
        await message.answer(tr("refusal", reason=school))
        return
    reference = parse_order_reference(message.text or "")
    if reference is None:
        await message.answer(
            tr("order-bad-reference"), reply_markup=_order_keyboard(school.id).as_markup()
        )
        return
    await state.clear()
    await _send_order(message, school, reference, actor, services)


async def order_without_reference(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None or not isinstance(callback.message, Message):
        return
    await callback.answer()
    await state.clear()
    await _send_order(callback.message, school, None, actor, services)


async def _send_order(
    message: Message,
    school: Organization,
    reference: OrderReference | None,
    actor: Actor,
    services: Services,
) -> None:
    issued = await services.pairs.order(school, reference, actor.telegram_id)
    back = Keyboard()
    back.attach(_back_to_pairs(school.id))
    if isinstance(issued, PairsRefusal):
        await message.answer(tr("pair-refusal", reason=issued), reply_markup=back.as_markup())
        return
    caption = (
        tr("order-caption-numbered", reference=issued.reference.shown())
        if issued.reference
        else tr("order-caption")
    )
    await message.answer_document(
        BufferedInputFile(issued.content, f"prikaz_pary_{school.id}.docx"),
        caption=caption,
        reply_markup=back.as_markup(),
    )


async def open_preferences(
    callback: CallbackQuery, callback_data: PairsCb, actor: Actor, services: Services
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    mentees, mentors = await services.pairs.open_preference_round(school.id)
    await callback.answer(
        tr("preferences-opened", mentees=mentees, mentors=mentors), show_alert=True
    )


async def choose_preference(
    callback: CallbackQuery, callback_data: PreferenceCb, actor: Actor, services: Services
) -> None:
    toggled = None
    if actor.person is not None:
        toggled = await services.pairs.toggle_preference(
            callback_data.school_id, actor.person.id, callback_data.chosen
        )
    if toggled is None or not isinstance(callback.message, Message):
        await callback.answer(tr("preference-closed"), show_alert=True)
        return
    done, markup = toggled
    if not done:
        await callback.answer(tr("preference-limit"), show_alert=True)
        return
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        pairs_screen, PairsCb.filter(F.view == PairsView.LIST), flags=MANAGE_PAIRS
    )
    router.callback_query.register(
        drafts_screen,
        PairsCb.filter(F.view.in_({PairsView.PROPOSE, PairsView.DRAFTS})),
        flags=MANAGE_PAIRS,
    )
    router.callback_query.register(accept_all, AcceptAllCb.filter(), flags=MANAGE_PAIRS)
    router.callback_query.register(
        ask_order_reference, PairsCb.filter(F.view == PairsView.ORDER), flags=MANAGE_PAIRS
    )
    router.callback_query.register(
        order_without_reference,
        PairsCb.filter(F.view == PairsView.ORDER_BLANK),
        flags=MANAGE_PAIRS,
    )
    router.message.register(
        order_reference, StateFilter(PairStates.order_reference), flags=MANAGE_PAIRS
    )
    router.callback_query.register(draft_action, DraftCb.filter(), flags=MANAGE_PAIRS)
    router.callback_query.register(
        open_preferences, PairsCb.filter(F.view == PairsView.PREFERENCES), flags=MANAGE_PAIRS
    )
    router.callback_query.register(
        choose_preference, PreferenceCb.filter(), flags={"action": Action.RESPOND_TO_PAIR}
    )
    return router
