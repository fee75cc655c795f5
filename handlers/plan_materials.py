"""Materials of the library attached to the items of a pair's program plan: a member of the
pair picks a material for an item; both sides (and the curator) see it on the pair's card."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.library.service import LibraryRefusal
from bot.pairs.seats import Seat, pair_seat
from bot.programs.service import Activity, activities
from bot.services import Services
from bot.ui.callbacks import MaterialCb, PairCardAction, PairCardCb, PlanAction, PlanCb
from bot.ui.keyboards import Keyboard
from handlers.render import show
from storage.library import Material
from storage.models import Pair, PairStatus

MEMBER = {"action": Action.USE_MENU}
SHOWN = 20


async def plan(
    callback: CallbackQuery, callback_data: PlanCb, actor: Actor, services: Services
) -> None:
    pair = await services.pairs.pair(callback_data.pair_id)
    seat = await pair_seat(actor, pair, services.organizations) if pair else None
    if pair is None or seat is None:
        await callback.answer(tr("pair-not-yours"), show_alert=True)
        return
    found = await services.programs.get(pair)
    items = activities(found[1].answers) if found else []
    action, item = callback_data.action, callback_data.item
    if action is PlanAction.ITEMS:
        await show(callback, *await _items(pair, items, services))
        return
    if item >= len(items):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    may_attach = seat is not Seat.CURATOR and pair.status is PairStatus.ACTIVE
    if action in (PlanAction.PICK, PlanAction.ATTACH) and not may_attach:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    if action is PlanAction.PICK:
        await show(callback, *await _choices(pair, item, actor, services))
        return
    alert = None
    if action is PlanAction.ATTACH:
        school = await services.organizations.school(pair.organization_id)
        assert school is not None  # a pair's school is never deleted
        attached = await services.library.attach(actor, school, pair.id, item, callback_data.v)
        alert = (
            tr.plain("library-refusal", reason=attached)
            if isinstance(attached, LibraryRefusal)
            else tr.plain("plan-attached", title=attached.title)
        )
    text, markup = await _item(pair, item, items[item], may_attach, services)
    await show(callback, text, markup, alert)


async def _items(
    pair: Pair, items: list[Activity], services: Services
) -> tuple[str, InlineKeyboardMarkup]:
    counts: dict[int, int] = {}
    for item, _ in await services.library.attached(pair.id):
        counts[item] = counts.get(item, 0) + 1
    kb = Keyboard()
    for index, activity in enumerate(items[:SHOWN]):
        kb.button(
            text=f"{index + 1}. {activity.topic[:45]} ({counts.get(index, 0)})",
            callback_data=PlanCb(pair_id=pair.id, action=PlanAction.ITEM, item=index),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
    )
    kb.adjust(1)
    return (tr("plan-items") if items else tr("plan-empty")), kb.as_markup()


async def _item(
    pair: Pair, item: int, activity: Activity, may_attach: bool, services: Services
) -> tuple[str, InlineKeyboardMarkup]:
    materials = [m for i, m in await services.library.attached(pair.id) if i == item]
    kb = Keyboard()
    for material in materials:
        kb.button(text=_label(material), callback_data=MaterialCb(material_id=material.id))
    if may_attach:
        kb.button(
            text=tr.plain("btn-plan-attach"),
            callback_data=PlanCb(pair_id=pair.id, action=PlanAction.PICK, item=item),
        )
    kb.button(
        text=tr.plain("btn-back"), callback_data=PlanCb(pair_id=pair.id, action=PlanAction.ITEMS)
    )
    kb.adjust(1)
    return tr("plan-item", topic=activity.topic, count=len(materials)), kb.as_markup()


async def _choices(
    pair: Pair, item: int, actor: Actor, services: Services
) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    materials = await services.library.visible(actor)
    for material in materials[:SHOWN]:
        kb.button(
            text=_label(material),
            callback_data=PlanCb(
                pair_id=pair.id, action=PlanAction.ATTACH, item=item, v=material.id
            ),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=PlanCb(pair_id=pair.id, action=PlanAction.ITEM, item=item),
    )
    kb.adjust(1)
    return (tr("plan-pick") if materials else tr("library-nothing")), kb.as_markup()


def _label(material: Material) -> str:
    return f"📎 {material.title[:50]}"


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(plan, PlanCb.filter(), flags=MEMBER)
    return router
