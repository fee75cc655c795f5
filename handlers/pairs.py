"""The curator forms pairs: the list, the proposal draft, candidates, the order."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.meetings.service import MeetingService
from bot.organizations.service import OrganizationService
from bot.pairs.documents import pairs_order
from bot.pairs.service import PairService
from bot.ui import keyboards, texts
from bot.ui.callbacks import (
    DraftAction,
    DraftCb,
    PairCardAction,
    PairCardCb,
    PairsCb,
    PairsView,
    PreferenceCb,
)
from bot.ui.keyboards import Keyboard
from handlers.render import fit, show
from handlers.scope import school_in_scope
from storage.models import Organization, Pair, PairDraft, PairStatus
from storage.pairs import PairsRepo

MANAGE_PAIRS = {"action": Action.MANAGE_PAIRS}


def _back_to_pairs(school_id: int) -> Keyboard:
    kb = Keyboard()
    kb.button(text=tr("btn-back"), callback_data=PairsCb(school_id=school_id, view=PairsView.LIST))
    return kb


async def pairs_screen(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    pairs: PairsRepo,
    pair_service: PairService,
    meetings_service: MeetingService,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    names = await pair_service.names(school.id)
    found = [
        p
        for p in await pairs.for_school(school.id)
        if p.status in (PairStatus.INVITED, PairStatus.ACTIVE)
    ]
    lines = [f"<b>{tr('btn-pairs')}</b> · {escape(school.name)}", ""]
    risky = await meetings_service.at_risk(school.id)
    lines += [
        texts.pair_line(
            n,
            names.get(p.mentor_id, ""),
            [names.get(m, "") for m in p.mentee_ids],
            p.status.value,
            risky.get(p.id),
        )
        for n, p in enumerate(found, start=1)
    ] or [tr("pairs-empty")]
    kb = Keyboard()
    for number, pair in enumerate(found, start=1):
        kb.button(
            text=f"🤝 {number}",
            callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
        )
    kb.button(
        text=tr("btn-propose"), callback_data=PairsCb(school_id=school.id, view=PairsView.PROPOSE)
    )
    kb.button(
        text=tr("btn-preferences"),
        callback_data=PairsCb(school_id=school.id, view=PairsView.PREFERENCES),
    )
    kb.button(
        text=tr("btn-order"), callback_data=PairsCb(school_id=school.id, view=PairsView.ORDER)
    )
    kb.attach(keyboards.back_to_school(school.id))
    kb.adjust(*([5] * ((len(found) + 4) // 5)), 1, 1, 1, 1)
    await show(callback, "\n".join(lines), kb.as_markup())


async def drafts_screen(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    pair_service: PairService,
    pairs: PairsRepo,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    if callback_data.view is PairsView.PROPOSE:
        drafts = await pair_service.propose(school.id)
    else:
        drafts = await pairs.drafts(school.id)
    await _show_drafts(callback, school, drafts, await pair_service.names(school.id))


async def _show_drafts(
    callback: CallbackQuery,
    school: Organization,
    drafts: list[PairDraft],
    names: dict[int, str],
    notice: str = "",
) -> None:
    lines = [notice, ""] if notice else []
    lines += [tr("drafts-title"), ""]
    if not drafts:
        lines.append(tr("drafts-empty"))
    kb = Keyboard()
    widths = []
    for number, draft in enumerate(drafts[:15], start=1):
        lines.append(
            texts.draft_line(
                number,
                names.get(draft.mentee_id, ""),
                names.get(draft.mentor_id, ""),
                draft.score,
                draft.reasons,
            )
        )
        for label, action in (
            (f"✅ {number}", DraftAction.ACCEPT),
            (f"🔁 {number}", DraftAction.ALTERNATIVES),
            (f"✖ {number}", DraftAction.DISCARD),
        ):
            kb.button(text=label, callback_data=DraftCb(draft_id=draft.id, action=action))
        widths.append(3)
    if drafts:
        kb.button(
            text=tr("btn-accept-all"),
            callback_data=PairsCb(school_id=school.id, view=PairsView.ACCEPT_ALL),
        )
        widths.append(1)
    kb.attach(_back_to_pairs(school.id))
    widths.append(1)
    kb.adjust(*widths)
    await show(callback, fit(lines), kb.as_markup())


async def _draft_in_scope(
    callback: CallbackQuery,
    draft_id: int,
    actor: Actor,
    pairs: PairsRepo,
    organizations: OrganizationService,
) -> tuple[PairDraft, Organization] | None:
    draft = await pairs.draft(draft_id)
    if draft is None:
        await callback.answer(tr("not-found"), show_alert=True)
        return None
    school = await school_in_scope(
        callback, actor, draft.organization_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return None
    if draft.status != "open":
        await callback.answer(tr("draft-gone"), show_alert=True)
        return None
    return draft, school


async def draft_action(
    callback: CallbackQuery,
    callback_data: DraftCb,
    actor: Actor,
    pairs: PairsRepo,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    found = await _draft_in_scope(callback, callback_data.draft_id, actor, pairs, organizations)
    if found is None:
        return
    draft, school = found
    notice = ""
    action = callback_data.action
    if action is DraftAction.ALTERNATIVES:
        await _show_alternatives(callback, draft, pair_service)
        return
    if action is DraftAction.ACCEPT:
        created = await pair_service.accept_draft(draft, actor.telegram_id)
        notice = tr("draft-accepted") if isinstance(created, Pair) else created
    elif action is DraftAction.DISCARD:
        await pairs.close_draft(draft.id, "discarded")
    elif action is DraftAction.CHOOSE and not await pair_service.change_draft(
        draft, callback_data.mentor_id
    ):
        notice = tr("pair-mentor-unavailable")
    await _show_drafts(
        callback, school, await pairs.drafts(school.id), await pair_service.names(school.id), notice
    )


async def _show_alternatives(
    callback: CallbackQuery, draft: PairDraft, pair_service: PairService
) -> None:
    names = await pair_service.names(draft.organization_id)
    found = await pair_service.top_for(draft.organization_id, draft.mentee_id)
    lines = [texts.ALTERNATIVES_TITLE.format(name=escape(names.get(draft.mentee_id, ""))), ""]
    kb = Keyboard()
    for number, match in enumerate(found, start=1):
        lines.append(
            texts.candidate_line(number, names.get(match.mentor_id, ""), match.score, match.reasons)
        )
        kb.button(
            text=f"{number}. {names.get(match.mentor_id, '')[:40]}",
            callback_data=DraftCb(
                draft_id=draft.id, action=DraftAction.CHOOSE, mentor_id=match.mentor_id
            ),
        )
    kb.button(
        text=tr("btn-back"),
        callback_data=PairsCb(school_id=draft.organization_id, view=PairsView.DRAFTS),
    )
    kb.adjust(1)
    await show(callback, "\n".join(lines), kb.as_markup())


async def accept_all(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    pairs: PairsRepo,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    created = refused = 0
    for draft in await pairs.drafts(school.id):
        result = await pair_service.accept_draft(draft, actor.telegram_id)
        created, refused = (
            (created + 1, refused) if isinstance(result, Pair) else (created, refused + 1)
        )
    await _show_drafts(
        callback,
        school,
        await pairs.drafts(school.id),
        await pair_service.names(school.id),
        texts.drafts_accepted(created, refused),
    )


async def order(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    pairs: PairsRepo,
    pair_service: PairService,
    organizations: OrganizationService,
    clock: Clock,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None or not isinstance(callback.message, Message):
        return
    active = [p for p in await pairs.for_school(school.id) if p.status is PairStatus.ACTIVE]
    if not active:
        await callback.answer(tr("order-empty"), show_alert=True)
        return
    await callback.answer()
    today = clock.now().astimezone(ZoneInfo(school.timezone)).date()
    content = pairs_order(school.name, active, await pair_service.names(school.id), today)
    await callback.message.answer_document(
        BufferedInputFile(content, f"prikaz_pary_{school.id}.docx"), caption=tr("order-caption")
    )


async def open_preferences(
    callback: CallbackQuery,
    callback_data: PairsCb,
    actor: Actor,
    pair_service: PairService,
    organizations: OrganizationService,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, organizations, Action.MANAGE_PAIRS
    )
    if school is None:
        return
    mentees, mentors = await pair_service.open_preference_round(school.id)
    await callback.answer(texts.preferences_opened(mentees, mentors), show_alert=True)


async def choose_preference(
    callback: CallbackQuery,
    callback_data: PreferenceCb,
    actor: Actor,
    pair_service: PairService,
) -> None:
    toggled = None
    if actor.person is not None:
        toggled = await pair_service.toggle_preference(
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
    router.callback_query.register(
        accept_all, PairsCb.filter(F.view == PairsView.ACCEPT_ALL), flags=MANAGE_PAIRS
    )
    router.callback_query.register(
        order, PairsCb.filter(F.view == PairsView.ORDER), flags=MANAGE_PAIRS
    )
    router.callback_query.register(draft_action, DraftCb.filter(), flags=MANAGE_PAIRS)
    router.callback_query.register(
        open_preferences, PairsCb.filter(F.view == PairsView.PREFERENCES), flags=MANAGE_PAIRS
    )
    router.callback_query.register(
        choose_preference, PreferenceCb.filter(), flags={"action": Action.RESPOND_TO_PAIR}
    )
    return router
