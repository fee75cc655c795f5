"""The methodological library: participants browse, search and open materials; curators and
coordinators upload a file or a link with its title, topic and audience."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.catalog import COMPETENCE_AREAS
from bot.library.service import (
    AUDIENCES,
    TOPICS,
    LibraryRefusal,
    Upload,
    check_file,
    check_link,
)
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    LibraryAction,
    LibraryCb,
    LibraryManageAction,
    LibraryManageCb,
    MaterialCb,
    MaterialDeleteCb,
    MenuCb,
    PracticeAction,
    PracticeCb,
    Screen,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import LibraryStates
from handlers.render import show
from storage.library import Material
from storage.models import MaterialKind, Role

MEMBER = {"action": Action.USE_MENU}
MANAGE = {"action": Action.MANAGE_LIBRARY}
SHOWN = 20


def _materials(
    title: str, materials: list[Material], back: LibraryCb
) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    for material in materials[:SHOWN]:
        mark = "📎" if material.kind is MaterialKind.FILE else "🔗"
        kb.button(
            text=f"{mark} {material.title[:50]}", callback_data=MaterialCb(material_id=material.id)
        )
    kb.button(text=tr.plain("btn-back"), callback_data=back)
    kb.adjust(1)
    text = title if materials else f"{title}\n{tr('library-nothing')}"
    return text, kb.as_markup()


async def library(
    callback: CallbackQuery,
    callback_data: LibraryCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    service = services.library
    home = LibraryCb(action=LibraryAction.HOME)
    action = callback_data.action
    if action is LibraryAction.TOPIC:
        if callback_data.v >= len(TOPICS):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        title = tr("library-topic", topic=COMPETENCE_AREAS[callback_data.v].label)
        await show(
            callback, *_materials(title, await service.by_topic(actor, callback_data.v), home)
        )
        return
    if action is LibraryAction.FOR_ME:
        found = await service.for_difficulties(actor)
        await show(callback, *_materials(tr("library-for-me"), found, home))
        return
    if action is LibraryAction.SEARCH:
        await state.set_state(LibraryStates.searching)
        await show(callback, tr("library-search-ask"), keyboards.cancel())
        return
    await show(callback, *await _home(actor, services))


async def _home(actor: Actor, services: Services) -> tuple[str, InlineKeyboardMarkup]:
    service = services.library
    materials = await service.visible(actor)
    kb = Keyboard()
    lines = [tr("library-title", count=len(materials))]
    if Role.MENTEE in actor.roles:
        suggested = await service.for_difficulties(actor)
        lines.append(tr("library-suggested", count=len(suggested)))
        if suggested:
            kb.button(
                text=tr.plain("btn-library-for-me", count=len(suggested)),
                callback_data=LibraryCb(action=LibraryAction.FOR_ME),
            )
    for index, area in enumerate(COMPETENCE_AREAS):
        count = sum(1 for m in materials if m.topic == area.id)
        if count:
            kb.button(
                text=f"{area.label[:45]} ({count})",
                callback_data=LibraryCb(action=LibraryAction.TOPIC, v=index),
            )
    cases = await services.practices.cases(actor)
    if cases:
        kb.button(
            text=tr.plain("btn-practices", count=len(cases)),
            callback_data=PracticeCb(action=PracticeAction.LIST),
        )
    kb.button(
        text=tr.plain("btn-library-search"), callback_data=LibraryCb(action=LibraryAction.SEARCH)
    )
    kb.button(text=tr.plain("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


async def search_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    query = (message.text or "").strip()
    if not query:
        await message.answer(tr("library-search-ask"), reply_markup=keyboards.cancel())
        return
    await state.clear()
    found = await services.library.search(actor, query)
    text, markup = _materials(
        tr("library-found", query=query, count=len(found)),
        found,
        LibraryCb(action=LibraryAction.HOME),
    )
    await message.answer(text, reply_markup=markup)


async def material(
    callback: CallbackQuery, callback_data: MaterialCb, actor: Actor, services: Services
) -> None:
    opened = await services.library.material(actor, callback_data.material_id)
    if isinstance(opened, LibraryRefusal):
        await callback.answer(tr.plain("library-refusal", reason=opened), show_alert=True)
        return
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    found = opened.material
    topic = COMPETENCE_AREAS[TOPICS.index(found.topic)].label if found.topic in TOPICS else ""
    caption = tr("library-material", title=found.title, topic=topic, audience=found.audience)
    kb = Keyboard()
    if opened.may_delete:
        kb.button(
            text=tr.plain("btn-library-delete"),
            callback_data=MaterialDeleteCb(material_id=found.id),
        )
    kb.button(text=tr.plain("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    if found.kind is MaterialKind.FILE and found.file_id:
        await callback.message.answer_document(
            found.file_id, caption=caption, reply_markup=kb.as_markup()
        )
    else:
        await callback.message.answer(
            f"{caption}\n{tr('library-link', url=found.url or '')}", reply_markup=kb.as_markup()
        )


async def delete(
    callback: CallbackQuery, callback_data: MaterialDeleteCb, actor: Actor, services: Services
) -> None:
    """Asked first; a button of a material already deleted says so."""
    if not callback_data.confirm:
        opened = await services.library.material(actor, callback_data.material_id)
        if isinstance(opened, LibraryRefusal) or not opened.may_delete:
            reason = (
                opened if isinstance(opened, LibraryRefusal) else LibraryRefusal.FORBIDDEN_DELETE
            )
            await callback.answer(tr.plain("library-refusal", reason=reason), show_alert=True)
            return
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-library-delete-confirm"),
            callback_data=MaterialDeleteCb(material_id=opened.material.id, confirm=True),
        )
        kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
        kb.adjust(1)
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.answer(
                tr("library-delete-ask", title=opened.material.title), reply_markup=kb.as_markup()
            )
        return
    deleted = await services.library.delete(actor, callback_data.material_id)
    if isinstance(deleted, LibraryRefusal):
        await callback.answer(tr.plain("library-refusal", reason=deleted), show_alert=True)
        return
    await show(callback, tr("library-deleted", title=deleted.title), keyboards.back_to_main())


async def manage(
    callback: CallbackQuery,
    callback_data: LibraryManageCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    district_id, school_id = callback_data.district_id, callback_data.school_id
    if not await services.library.may_add(actor, district_id, school_id):
        await callback.answer(
            tr.plain("library-refusal", reason=LibraryRefusal.FORBIDDEN), show_alert=True
        )
        return
    action = callback_data.action
    if action is LibraryManageAction.ADD:
        await state.set_state(LibraryStates.sending_material)
        await state.set_data({"district_id": district_id, "school_id": school_id})
        await show(callback, tr("library-send"), keyboards.cancel())
        return
    data = await state.get_data()
    same = data.get("district_id") == district_id and data.get("school_id") == school_id
    if not same or "title" not in data or not isinstance(data.get("upload"), dict):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    if action is LibraryManageAction.TOPIC:
        await state.update_data(topic=callback_data.v)
        kb = Keyboard()
        for index, audience in enumerate(AUDIENCES):
            kb.button(
                text=tr.plain("library-audience", audience=audience),
                callback_data=LibraryManageCb(
                    district_id=district_id,
                    school_id=school_id,
                    action=LibraryManageAction.AUDIENCE,
                    v=index,
                ),
            )
        kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
        kb.adjust(1)
        await show(callback, tr("library-audience-ask"), kb.as_markup())
        return
    upload = Upload(
        MaterialKind(data["upload"]["kind"]),
        data["upload"].get("file_id"),
        data["upload"].get("file_name"),
        data["upload"].get("url"),
    )
    added = await services.library.add(
        actor,
        district_id,
        school_id,
        upload,
        str(data["title"]),
        topic if isinstance(topic := data.get("topic"), int) else -1,
        callback_data.v,
    )
    await state.clear()
    if isinstance(added, LibraryRefusal):
        await callback.answer(tr.plain("library-refusal", reason=added), show_alert=True)
        return
    await show(callback, tr("library-added", title=added.title), keyboards.back_to_main())


async def material_sent(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    document = message.document
    if document is not None:
        checked = check_file(document.file_id, document.file_name, document.file_size)
    elif message.text:
        checked = check_link(message.text)
    else:
        checked = LibraryRefusal.BAD_TYPE  # a photo, a voice, a sticker...
    if isinstance(checked, LibraryRefusal):
        await message.answer(tr("library-refusal", reason=checked), reply_markup=keyboards.cancel())
        return
    await state.update_data(
        upload={
            "kind": checked.kind.value,
            "file_id": checked.file_id,
            "file_name": checked.file_name,
            "url": checked.url,
        }
    )
    await state.set_state(LibraryStates.entering_title)
    await message.answer(tr("library-title-ask"), reply_markup=keyboards.cancel())


async def title_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    title = " ".join((message.text or "").split())
    if not title or len(title) > 200:
        await message.answer(
            tr("library-refusal", reason=LibraryRefusal.BAD_TITLE),
            reply_markup=keyboards.cancel(),
        )
        return
    data = await state.get_data()
    if not isinstance(data.get("district_id"), int) or not isinstance(data.get("school_id"), int):
        await state.clear()  # a dialog from an older release: start again from the menu
        await message.answer(tr("stale-button"), reply_markup=keyboards.back_to_main())
        return
    await state.update_data(title=title)
    await state.set_state(LibraryStates.choosing)
    kb = Keyboard()
    for index, area in enumerate(COMPETENCE_AREAS):
        kb.button(
            text=area.label[:60],
            callback_data=LibraryManageCb(
                district_id=data["district_id"],
                school_id=data["school_id"],
                action=LibraryManageAction.TOPIC,
                v=index,
            ),
        )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    await message.answer(tr("library-topic-ask"), reply_markup=kb.as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(library, LibraryCb.filter(), flags=MEMBER)
    router.callback_query.register(material, MaterialCb.filter(), flags=MEMBER)
    router.callback_query.register(delete, MaterialDeleteCb.filter(), flags=MEMBER)
    router.callback_query.register(manage, LibraryManageCb.filter(), flags=MANAGE)
    router.message.register(search_typed, StateFilter(LibraryStates.searching), flags=MEMBER)
    router.message.register(
        material_sent, StateFilter(LibraryStates.sending_material), flags=MANAGE
    )
    router.message.register(title_typed, StateFilter(LibraryStates.entering_title), flags=MANAGE)
    return router
