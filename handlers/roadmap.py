"""The roadmap: the curator's school roadmap (list, item card, edits, exports), the responsible
person marking an item done, the coordinator's overview and district template."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.roadmap import rules
from bot.roadmap.documents import responsible
from bot.roadmap.rules import DeadlineRefusal, RoadmapView
from bot.roadmap.service import FIELDS, RoadmapRefusal
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    DistrictAction,
    DistrictCb,
    DistrictRoadmapAction,
    DistrictRoadmapCb,
    ItemAction,
    LibraryManageAction,
    LibraryManageCb,
    RoadmapAction,
    RoadmapCb,
    RoadmapDoneCb,
    RoadmapItemCb,
    RoadmapOpenCb,
    SchoolAction,
    SchoolCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import RoadmapStates
from handlers.render import fit, show
from storage.models import ItemStatus, RoadmapKind
from storage.roadmap import Roadmap, RoadmapItem

# A school's roadmap is its curator's, a district template its coordinator's: the service
# checks which on every press.
MANAGE = {"action": Action.MANAGE_ROADMAP}
DISTRICT = {"action": Action.DISTRICT_ROADMAP}
MEMBER = {"action": Action.USE_MENU}
LABEL = 48


def _list(view: RoadmapView) -> tuple[str, InlineKeyboardMarkup]:
    roadmap = view.roadmap
    lines = [
        tr(
            "roadmap-title",
            kind=roadmap.kind,
            name=view.title,
            year=roadmap.school_year,
        ),
        tr("roadmap-progress", done=view.done, total=len(view.items)),
        "",
    ]
    kb = Keyboard()
    for number, item in enumerate(view.items, start=1):
        mark = _mark(view, item)
        lines.append(
            tr(
                "roadmap-line",
                number=number,
                mark=mark,
                activity=item.activity,
                deadline=rules.shown(item),
            )
        )
        kb.button(
            text=f"{number}. {mark} {item.activity[:LABEL]}",
            callback_data=RoadmapItemCb(item_id=item.id, action=ItemAction.CARD),
        )
    button = _buttons(kb, roadmap.id)
    button(tr.plain("btn-roadmap-add"), RoadmapAction.ADD, 0)
    button(tr.plain("btn-roadmap-docx"), RoadmapAction.DOCX, 0)
    button(tr.plain("btn-roadmap-xlsx"), RoadmapAction.XLSX, 0)
    if roadmap.kind is RoadmapKind.DISTRICT:
        button(tr.plain("btn-roadmap-publish"), RoadmapAction.PUBLISH, 0)
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=DistrictRoadmapCb(
                district_id=roadmap.district_id, action=DistrictRoadmapAction.OVERVIEW
            ),
        )
    else:
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=roadmap.scope_id),
        )
    kb.adjust(1)
    return fit(lines), kb.as_markup()


def _mark(view: RoadmapView, item: RoadmapItem) -> str:
    if item.status is ItemStatus.DONE:
        return "✅"
    return "⚠" if view.overdue(item) else "⏳"


def _buttons(kb: Keyboard, roadmap_id: int) -> Callable[[str, RoadmapAction, int], None]:
    def button(label: str, action: RoadmapAction, v: int) -> None:
        kb.button(text=label, callback_data=RoadmapCb(roadmap_id=roadmap_id, action=action, v=v))

    return button


def _card(view: RoadmapView, item: RoadmapItem) -> tuple[str, InlineKeyboardMarkup]:
    who = responsible(item, view.names)
    lines = [
        tr("roadmap-card-stage", stage=item.stage),
        tr("roadmap-card-activity", activity=item.activity),
        tr("roadmap-card-content", content=item.content or "—"),
        tr("roadmap-card-deadline", deadline=rules.shown(item), overdue=view.overdue(item)),
        tr("roadmap-card-responsible", who=who or tr.plain("roadmap-nobody")),
        tr("roadmap-card-result", result=item.result or "—"),
        tr(
            "roadmap-card-status",
            status=item.status,
            by_bot=item.status is ItemStatus.DONE and item.done_by is None,
        ),
    ]
    if item.note:
        lines.append(tr("roadmap-card-note", note=item.note))
    kb = Keyboard()

    def button(label: str, action: ItemAction, v: int = 0) -> None:
        kb.button(text=label, callback_data=RoadmapItemCb(item_id=item.id, action=action, v=v))

    button(tr.plain("btn-roadmap-deadline"), ItemAction.DEADLINE)
    if view.roadmap.kind is RoadmapKind.SCHOOL:
        button(tr.plain("btn-roadmap-people"), ItemAction.PEOPLE)
    for index, field in enumerate(FIELDS):
        button(tr.plain("btn-roadmap-field", field=field), ItemAction.FIELD, index)
    button(tr.plain("btn-roadmap-up"), ItemAction.UP)
    button(tr.plain("btn-roadmap-down"), ItemAction.DOWN)
    if view.roadmap.kind is RoadmapKind.SCHOOL:
        if item.status is ItemStatus.DONE:
            button(tr.plain("btn-roadmap-reopen"), ItemAction.REOPEN)
        else:
            kb.button(
                text=tr.plain("btn-roadmap-done"), callback_data=RoadmapDoneCb(item_id=item.id)
            )
    button(tr.plain("btn-roadmap-remove"), ItemAction.REMOVE_ASK)
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=RoadmapCb(roadmap_id=item.roadmap_id, action=RoadmapAction.LIST),
    )
    kb.adjust(2, 1, 2, 2, 1, 2, 1, 1, 1)
    return "\n".join(lines), kb.as_markup()


async def open_roadmap(
    callback: CallbackQuery, callback_data: RoadmapOpenCb, actor: Actor, services: Services
) -> None:
    roadmap = await services.roadmap.school_roadmap(actor, callback_data.school_id)
    if isinstance(roadmap, RoadmapRefusal):
        await _refuse(callback, roadmap)
        return
    await show(callback, *_list(await services.roadmap.view(roadmap)))


async def _refuse(callback: CallbackQuery, refusal: RoadmapRefusal) -> None:
    await callback.answer(tr.plain("roadmap-refusal", reason=refusal), show_alert=True)


async def roadmap_action(
    callback: CallbackQuery,
    callback_data: RoadmapCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    roadmap = await services.roadmap.roadmap_for(actor, callback_data.roadmap_id)
    if isinstance(roadmap, RoadmapRefusal):
        await _refuse(callback, roadmap)
        return
    service = services.roadmap
    action = callback_data.action
    view = await service.view(roadmap)
    if action is RoadmapAction.ADD:
        kb = Keyboard()
        button = _buttons(kb, roadmap.id)
        for index, stage in enumerate(view.stages):
            button(stage[:LABEL], RoadmapAction.STAGE, index)
        button(tr.plain("btn-back"), RoadmapAction.LIST, 0)
        kb.adjust(1)
        await show(callback, tr("roadmap-add-stage"), kb.as_markup())
        return
    if action is RoadmapAction.STAGE:
        if callback_data.v >= len(view.stages):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        await state.set_state(RoadmapStates.adding_activity)
        await state.set_data({"roadmap_id": roadmap.id, "stage": view.stages[callback_data.v]})
        await show(callback, tr("roadmap-add-activity"), keyboards.cancel())
        return
    if action in (RoadmapAction.DOCX, RoadmapAction.XLSX):
        await callback.answer()
        if not isinstance(callback.message, Message):
            return
        docx = action is RoadmapAction.DOCX
        content = await (service.docx(roadmap) if docx else service.xlsx(roadmap))
        name = f"roadmap_{roadmap.id}.{'docx' if docx else 'xlsx'}"
        await callback.message.answer_document(
            BufferedInputFile(content, name), caption=tr("roadmap-export-caption")
        )
        return
    if action is RoadmapAction.PUBLISH:
        published = await service.publish(roadmap)
        if isinstance(published, RoadmapRefusal):
            await _refuse(callback, published)
            return
        text, markup = _list(view)
        notice = tr("roadmap-published", schools=published.schools, items=published.items)
        await show(callback, f"{notice}\n\n{text}", markup)
        return
    await show(callback, *_list(view))


async def item_action(
    callback: CallbackQuery,
    callback_data: RoadmapItemCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    found = await services.roadmap.item_for(actor, callback_data.item_id)
    if isinstance(found, RoadmapRefusal):
        await _refuse(callback, found)
        return
    item, roadmap = found
    service = services.roadmap
    action = callback_data.action
    if action is ItemAction.DEADLINE:
        await state.set_state(RoadmapStates.entering_deadline)
        await state.set_data({"item_id": item.id})
        await show(callback, tr("roadmap-deadline-ask"), keyboards.cancel())
        return
    if action is ItemAction.FIELD:
        if callback_data.v >= len(FIELDS):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        await state.set_state(RoadmapStates.entering_field)
        await state.set_data({"item_id": item.id, "field": FIELDS[callback_data.v]})
        await show(
            callback, tr("roadmap-field-ask", field=FIELDS[callback_data.v]), keyboards.cancel()
        )
        return
    if action in (ItemAction.PEOPLE, ItemAction.TOGGLE):
        if action is ItemAction.TOGGLE:
            toggled = await service.toggle_responsible(item, roadmap, callback_data.v)
            if isinstance(toggled, RoadmapRefusal):
                await _refuse(callback, toggled)
                return
            item = toggled
        await show(callback, *await _people(item, roadmap, services))
        return
    if action is ItemAction.REMOVE_ASK:
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-roadmap-remove-confirm"),
            callback_data=RoadmapItemCb(item_id=item.id, action=ItemAction.REMOVE),
        )
        kb.button(
            text=tr.plain("btn-cancel"),
            callback_data=RoadmapItemCb(item_id=item.id, action=ItemAction.CARD),
        )
        kb.adjust(1)
        await show(callback, tr("roadmap-remove-ask", activity=item.activity), kb.as_markup())
        return
    if action is ItemAction.REMOVE:
        await service.remove(item)
        text, markup = _list(await service.view(roadmap))
        await show(callback, f"{tr('roadmap-removed')}\n\n{text}", markup)
        return
    if action in (ItemAction.UP, ItemAction.DOWN):
        moved = await service.move(item, -1 if action is ItemAction.UP else 1)
        if isinstance(moved, RoadmapRefusal):
            await _refuse(callback, moved)
            return
        await show(callback, *_list(await service.view(roadmap)))
        return
    if action is ItemAction.REOPEN:
        item = await service.reopen(item)
    await show(callback, *_card(await service.view(roadmap), item))


async def _people(
    item: RoadmapItem, roadmap: Roadmap, services: Services
) -> tuple[str, InlineKeyboardMarkup]:
    candidates = await services.roadmap.candidates(roadmap)
    kb = Keyboard()
    for person_id, name in sorted(candidates.items(), key=lambda pair: pair[1]):
        mark = "✅" if person_id in item.responsibles else "▫️"
        kb.button(
            text=f"{mark} {name[:LABEL]}",
            callback_data=RoadmapItemCb(item_id=item.id, action=ItemAction.TOGGLE, v=person_id),
        )
    kb.button(
        text=tr.plain("btn-roadmap-field", field="responsible_role"),
        callback_data=RoadmapItemCb(
            item_id=item.id, action=ItemAction.FIELD, v=FIELDS.index("responsible_role")
        ),
    )
    kb.button(
        text=tr.plain("btn-roadmap-people-done"),
        callback_data=RoadmapItemCb(item_id=item.id, action=ItemAction.CARD),
    )
    kb.adjust(1)
    return tr("roadmap-people", activity=item.activity), kb.as_markup()


async def _typed_item(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> tuple[RoadmapItem, Roadmap] | None:
    data = await state.get_data()
    found = await services.roadmap.item_for(actor, int(data.get("item_id") or 0))
    if isinstance(found, RoadmapRefusal):
        await state.clear()
        await message.answer(
            tr("roadmap-refusal", reason=found), reply_markup=keyboards.back_to_main()
        )
        return None
    return found


async def deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    found = await _typed_item(message, actor, state, services)
    if found is None:
        return
    item, roadmap = found
    changed = await services.roadmap.set_deadline(item, roadmap, message.text or "")
    await _edited(message, state, services, roadmap, changed, tr("roadmap-saved"))


async def field_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    found = await _typed_item(message, actor, state, services)
    if found is None:
        return
    item, roadmap = found
    field = str((await state.get_data()).get("field") or "")
    value = (message.text or "").strip()
    if field not in FIELDS or (not value and field in ("activity", "stage")):
        await message.answer(tr("roadmap-field-empty"), reply_markup=keyboards.cancel())
        return
    changed = await services.roadmap.change(item, field, value)
    await _edited(message, state, services, roadmap, changed, tr("roadmap-saved"))


async def activity_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    activity = (message.text or "").strip()
    if not activity:
        await message.answer(tr("roadmap-field-empty"), reply_markup=keyboards.cancel())
        return
    await state.update_data(activity=activity[:500])
    await state.set_state(RoadmapStates.adding_deadline)
    await message.answer(tr("roadmap-deadline-ask"), reply_markup=keyboards.cancel())


async def new_deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    roadmap = await services.roadmap.roadmap_for(actor, int(data.get("roadmap_id") or 0))
    if isinstance(roadmap, RoadmapRefusal):
        await state.clear()
        await message.answer(
            tr("roadmap-refusal", reason=roadmap), reply_markup=keyboards.back_to_main()
        )
        return
    added = await services.roadmap.add_item(
        roadmap, str(data.get("stage") or ""), str(data.get("activity") or ""), message.text or ""
    )
    await _edited(message, state, services, roadmap, added, tr("roadmap-added"))


async def _edited(
    message: Message,
    state: FSMContext,
    services: Services,
    roadmap: Roadmap,
    result: RoadmapItem | DeadlineRefusal,
    notice: str,
) -> None:
    """After an edit typed by the curator: the item's card, or why the deadline was refused
    (the dialog stays open for another try)."""
    if isinstance(result, DeadlineRefusal):
        await message.answer(
            tr("roadmap-deadline-wrong", reason=result), reply_markup=keyboards.cancel()
        )
        return
    await state.clear()
    text, markup = _card(await services.roadmap.view(roadmap), result)
    await message.answer(f"{notice}\n\n{text}", reply_markup=markup)


async def done_pressed(
    callback: CallbackQuery,
    callback_data: RoadmapDoneCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    item = await services.roadmap.done_by(actor, callback_data.item_id)
    if isinstance(item, RoadmapRefusal):
        await _refuse(callback, item)
        return
    await state.set_state(RoadmapStates.entering_done_note)
    await state.set_data({"item_id": item.id})
    await show(callback, tr("roadmap-done-ask", activity=item.activity), keyboards.cancel())


async def done_note_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    item_id = int((await state.get_data()).get("item_id") or 0)
    document = message.document
    note = message.text or message.caption or ""
    if document is None and not note.strip():
        await message.answer(tr("roadmap-done-ask-again"), reply_markup=keyboards.cancel())
        return
    done = await services.roadmap.mark_done(
        actor, item_id, note, document.file_id if document else None
    )
    await state.clear()
    if isinstance(done, RoadmapRefusal):
        await message.answer(
            tr("roadmap-refusal", reason=done), reply_markup=keyboards.back_to_main()
        )
        return
    await message.answer(
        tr("roadmap-done-saved", activity=done.activity), reply_markup=keyboards.back_to_main()
    )


async def district_roadmaps(
    callback: CallbackQuery,
    callback_data: DistrictRoadmapCb,
    actor: Actor,
    services: Services,
) -> None:
    district = await services.organizations.district_for(actor, callback_data.district_id)
    if isinstance(district, Refusal):
        await callback.answer(tr("refusal", reason=district), show_alert=True)
        return
    service = services.roadmap
    if callback_data.action is DistrictRoadmapAction.TEMPLATE:
        template = await service.district_template(callback_data.district_id)
        await show(callback, *_list(await service.view(template)))
        return
    lines = [tr("roadmap-district-title", name=district.name)]
    for entry in await service.district_progress(callback_data.district_id):
        if entry.progress is None:
            lines.append(tr("roadmap-district-none", school=entry.school.name))
            continue
        lines.append(
            tr(
                "roadmap-district-school",
                school=entry.school.name,
                done=entry.progress.done,
                total=entry.progress.total,
                percent=rules.percent(entry.progress.done, entry.progress.total),
                overdue=entry.progress.overdue,
            )
        )
        lines += [
            tr("roadmap-district-overdue", activity=i.activity, deadline=rules.shown(i))
            for i in entry.overdue
        ]
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-roadmap-template"),
        callback_data=DistrictRoadmapCb(
            district_id=callback_data.district_id, action=DistrictRoadmapAction.TEMPLATE
        ),
    )
    kb.button(
        text=tr.plain("btn-library-add-district"),
        callback_data=LibraryManageCb(
            district_id=callback_data.district_id, school_id=0, action=LibraryManageAction.ADD
        ),
    )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=DistrictCb(action=DistrictAction.OPEN, district_id=callback_data.district_id),
    )
    kb.adjust(1)
    await show(callback, fit(lines), kb.as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(open_roadmap, RoadmapOpenCb.filter(), flags=MANAGE)
    router.callback_query.register(roadmap_action, RoadmapCb.filter(), flags=MANAGE)
    router.callback_query.register(item_action, RoadmapItemCb.filter(), flags=MANAGE)
    router.callback_query.register(done_pressed, RoadmapDoneCb.filter(), flags=MEMBER)
    router.callback_query.register(district_roadmaps, DistrictRoadmapCb.filter(), flags=DISTRICT)
    router.message.register(
        deadline_typed, StateFilter(RoadmapStates.entering_deadline), flags=MANAGE
    )
    router.message.register(field_typed, StateFilter(RoadmapStates.entering_field), flags=MANAGE)
    router.message.register(
        activity_typed, StateFilter(RoadmapStates.adding_activity), flags=MANAGE
    )
    router.message.register(
        new_deadline_typed, StateFilter(RoadmapStates.adding_deadline), flags=MANAGE
    )
    router.message.register(
        done_note_typed, StateFilter(RoadmapStates.entering_done_note), flags=MEMBER
    )
    return router
