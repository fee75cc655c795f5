"""The curator's banks of mentees and mentors: list, filters, cards, exports, reminders, and a
fresh parent-consent link for a student."""

from __future__ import annotations

import asyncio
from html import escape

from aiogram import Bot, F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.forms.catalog import COMPETENCE_AREAS, SUBJECTS
from bot.forms.screens import card_text
from bot.participation.banks import (
    BankEntry,
    BankExport,
    BankFilter,
    BankStatus,
    export_table,
    filtered,
    to_csv,
    to_xlsx,
)
from bot.services import Services
from bot.ui.callbacks import (
    BankCb,
    BankView,
    CardCb,
    NoteAction,
    NoteCb,
    ParentLinkCb,
    SchoolAction,
    SchoolCb,
)
from bot.ui.keyboards import Keyboard
from handlers.render import show
from handlers.scope import school_in_scope
from storage.models import Organization, Role

VIEW_BANK = {"action": Action.VIEW_BANK}
PAGE_SIZE = 10
_ROLES = {Role.MENTEE.value: Role.MENTEE, Role.MENTOR.value: Role.MENTOR}


async def _scope(
    callback: CallbackQuery, actor: Actor, school_id: int, role_name: str, services: Services
) -> tuple[Organization, Role] | None:
    """The school and bank, if this curator runs that school; otherwise refuse."""
    role = _ROLES.get(role_name)
    if role is None:
        await callback.answer(tr("not-found"), show_alert=True)
        return None
    school = await school_in_scope(
        callback, actor, school_id, services.organizations, Action.VIEW_BANK
    )
    return (school, role) if school else None


def _filter(data: BankCb) -> tuple[BankFilter, str]:
    """The filter a button carries (indices into the option lists) and its label."""
    subject = SUBJECTS[data.subject] if 0 <= data.subject < len(SUBJECTS) else None
    area = COMPETENCE_AREAS[data.area] if 0 <= data.area < len(COMPETENCE_AREAS) else None
    label = ", ".join(option.label for option in (subject, area) if option is not None)
    only = BankFilter(subject.id if subject else None, area.id if area else None)
    return only, label


def status_label(entry: BankEntry) -> str:
    """The entry's status as the curator reads it: days waiting, a mentor's load."""
    text = tr.plain("bank-status", status=entry.status)
    if entry.status is BankStatus.WAITING:
        text += " " + tr.plain("bank-waiting-since", days=entry.days_waiting)
    if entry.capacity is not None:
        text += " · " + tr.plain("bank-load", load=entry.load, capacity=entry.capacity)
    return text


async def bank_screen(
    callback: CallbackQuery, callback_data: BankCb, actor: Actor, services: Services
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, callback_data.role, services)
    if scope is None:
        return
    school, role = scope
    everyone = await services.banks.bank(school.id, role)
    only, label = _filter(callback_data)
    shown = filtered(everyone, only)
    pages = max(1, (len(shown) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(callback_data.page, 0), pages - 1)
    on_page = shown[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    complete = sum(1 for e in everyone if not e.status.unfinished)
    header = tr(
        "bank-header",
        title=tr.plain("bank-title", role=role),
        school=school.name,
        total=len(everyone),
        complete=complete,
    )
    if role is Role.MENTEE:
        waiting = sum(1 for e in everyone if e.status is BankStatus.WAITING)
        header += tr("bank-header-waiting", waiting=waiting)
    lines = [header]
    if label:
        lines.append(tr("bank-filter", label=label))
    lines.append("")
    if not shown:
        lines.append(tr("bank-nothing-found") if label else tr("bank-empty"))
    for number, entry in enumerate(on_page, start=page * PAGE_SIZE + 1):
        line = tr("bank-line", number=number, name=entry.name, status=status_label(entry))
        lines.append(line if entry.reachable else f"{line} ⛔ {tr('unreachable')}")
    await show(
        callback, "\n".join(lines), _bank_keyboard(callback_data, on_page, page, pages, bool(label))
    )


def _bank_keyboard(
    data: BankCb, entries: list[BankEntry], page: int, pages: int, filtered_on: bool
) -> InlineKeyboardMarkup:
    kb = Keyboard()
    widths: list[int] = []
    for entry in entries:
        kb.button(
            text=f"👤 {entry.name[:40]}",
            callback_data=CardCb(
                school_id=data.school_id, role=data.role, person_id=entry.person_id
            ),
        )
        widths.append(1)
    if pages > 1:
        if page > 0:
            kb.button(
                text=tr("btn-prev-page"),
                callback_data=data.model_copy(update={"page": page - 1, "view": BankView.LIST}),
            )
        if page < pages - 1:
            kb.button(
                text=tr("btn-next-page"),
                callback_data=data.model_copy(update={"page": page + 1, "view": BankView.LIST}),
            )
        widths.append(int(page > 0) + int(page < pages - 1))
    kb.button(
        text=tr("btn-filter-subject"),
        callback_data=data.model_copy(update={"view": BankView.PICK_SUBJECT}),
    )
    kb.button(
        text=tr.plain("btn-filter-area", role=_ROLES[data.role]),
        callback_data=data.model_copy(update={"view": BankView.PICK_AREA}),
    )
    widths.append(2)
    if filtered_on:
        kb.button(
            text=tr("btn-filter-reset"),
            callback_data=BankCb(school_id=data.school_id, role=data.role, view=BankView.LIST),
        )
        widths.append(1)
    # The exports carry the filter on the screen: the file holds what the curator sees.
    for view, label in (
        (BankView.XLSX, tr("btn-export-xlsx")),
        (BankView.CSV, tr("btn-export-csv")),
    ):
        kb.button(text=label, callback_data=data.model_copy(update={"view": view, "page": 0}))
    widths.append(2)
    kb.button(
        text=tr("btn-remind"),
        callback_data=BankCb(school_id=data.school_id, role=data.role, view=BankView.REMIND),
    )
    kb.button(
        text=tr("btn-back"),
        callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=data.school_id),
    )
    widths += [1, 1]
    kb.adjust(*widths)
    return kb.as_markup()


async def pick_filter(
    callback: CallbackQuery, callback_data: BankCb, actor: Actor, services: Services
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, callback_data.role, services)
    if scope is None:
        return
    by_subject = callback_data.view is BankView.PICK_SUBJECT
    options = SUBJECTS if by_subject else COMPETENCE_AREAS
    kb = Keyboard()
    for index, option in enumerate(options):
        change = {"subject": index} if by_subject else {"area": index}
        kb.button(
            text=option.label,
            callback_data=callback_data.model_copy(
                update={**change, "view": BankView.LIST, "page": 0}
            ),
        )
    kb.button(
        text=tr("btn-back"), callback_data=callback_data.model_copy(update={"view": BankView.LIST})
    )
    kb.adjust(2 if by_subject else 1)
    await show(callback, tr("bank-pick-filter"), kb.as_markup())


def _export_file(
    made: BankExport, school: Organization, view: BankView, label: str
) -> BufferedInputFile:
    headers, rows = export_table(made.entries, made.form)
    title = tr.plain("bank-title", role=made.role)
    note = tr.plain("bank-filter", label=label) if label else None
    if view is BankView.XLSX:
        content, extension = to_xlsx(title, headers, rows, note), "xlsx"
    else:
        content, extension = to_csv(headers, rows, note), "csv"
    # The filter is in the name too, so two exports of one bank do not look the same.
    parts = [f"bank_{made.role.value}_{school.id}", made.only.subject, made.only.area]
    return BufferedInputFile(content, "_".join(p for p in parts if p) + f".{extension}")


async def export(
    callback: CallbackQuery, callback_data: BankCb, actor: Actor, services: Services
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, callback_data.role, services)
    if scope is None or not isinstance(callback.message, Message):
        return
    school, role = scope
    await callback.answer()
    only, label = _filter(callback_data)
    made = await services.banks.export(school.id, role, only)
    title = tr.plain("bank-title", role=role)
    count = len(made.entries)
    caption = (
        tr("export-caption-filtered", title=title, label=label, count=count)
        if label
        else tr("export-caption", title=title, count=count)
    )
    # A bank of thousands is a big spreadsheet: it is written on a worker thread.
    made_file = await asyncio.to_thread(_export_file, made, school, callback_data.view, label)
    await callback.message.answer_document(made_file, caption=caption)


async def remind(
    callback: CallbackQuery, callback_data: BankCb, actor: Actor, services: Services
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, callback_data.role, services)
    if scope is None:
        return
    school, role = scope
    queued = await services.banks.remind_unfinished(school, role)
    text = tr("bank-reminded", count=queued) if queued else tr("bank-reminded-none")
    await callback.answer(text, show_alert=True)


async def card(
    callback: CallbackQuery, callback_data: CardCb, actor: Actor, services: Services
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, callback_data.role, services)
    if scope is None:
        return
    school, role = scope
    entry = await services.banks.entry(school.id, role, callback_data.person_id)
    if entry is None:
        await callback.answer(tr("bank-not-member"), show_alert=True)
        return
    status = status_label(entry)
    if entry.form is None:
        text = tr("bank-card", name=entry.name, status=status) + f"\n\n{tr('bank-not-filled')}"
    else:
        text = card_text(entry.name, entry.form, entry.answers) + f"\n\n<i>{escape(status)}</i>"
    await show(callback, text, _card_keyboard(school.id, entry))


def _card_keyboard(school_id: int, entry: BankEntry) -> InlineKeyboardMarkup:
    kb = Keyboard()
    if entry.role is Role.MENTEE:
        kb.button(
            text=tr("btn-notes"),
            callback_data=NoteCb(
                action=NoteAction.LIST, school_id=school_id, mentee_id=entry.person_id
            ),
        )
    if entry.status is BankStatus.AWAITING_PARENT:
        kb.button(
            text=tr("btn-parent-link"),
            callback_data=ParentLinkCb(school_id=school_id, person_id=entry.person_id),
        )
    kb.button(
        text=tr("btn-back"),
        callback_data=BankCb(school_id=school_id, role=entry.role.value, view=BankView.LIST),
    )
    kb.adjust(1)
    return kb.as_markup()


async def parent_link(
    callback: CallbackQuery,
    callback_data: ParentLinkCb,
    actor: Actor,
    bot: Bot,
    services: Services,
) -> None:
    scope = await _scope(callback, actor, callback_data.school_id, Role.MENTEE.value, services)
    if scope is None:
        return
    school, _ = scope
    issued = await services.participation.reissue_parent_link(
        school.id, callback_data.person_id, actor.telegram_id
    )
    if issued is Refusal.NOT_FOUND:
        await callback.answer(tr("bank-not-member"), show_alert=True)
        return
    if isinstance(issued, Refusal):
        await callback.answer(tr("parent-link-not-needed"), show_alert=True)
        return
    entry = await services.banks.entry(school.id, Role.MENTEE, callback_data.person_id)
    link = await create_start_link(bot, issued.token)
    kb = Keyboard()
    kb.button(
        text=tr("btn-back"),
        callback_data=CardCb(
            school_id=school.id, role=Role.MENTEE.value, person_id=callback_data.person_id
        ),
    )
    name = entry.name if entry else ""
    await show(callback, tr("parent-link-reissued", name=name, link=link), kb.as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        bank_screen, BankCb.filter(F.view == BankView.LIST), flags=VIEW_BANK
    )
    router.callback_query.register(
        pick_filter,
        BankCb.filter(F.view.in_({BankView.PICK_SUBJECT, BankView.PICK_AREA})),
        flags=VIEW_BANK,
    )
    router.callback_query.register(
        export, BankCb.filter(F.view.in_({BankView.XLSX, BankView.CSV})), flags=VIEW_BANK
    )
    router.callback_query.register(
        remind, BankCb.filter(F.view == BankView.REMIND), flags=VIEW_BANK
    )
    router.callback_query.register(card, CardCb.filter(), flags=VIEW_BANK)
    router.callback_query.register(parent_link, ParentLinkCb.filter(), flags=VIEW_BANK)
    return router
