"""The curator's banks of mentees and mentors: list, filters, cards, exports, reminders."""

from __future__ import annotations

import asyncio
from html import escape

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.catalog import COMPETENCE_AREAS, SUBJECTS, FormCatalog
from bot.forms.screens import card_text
from bot.organizations.service import OrganizationService
from bot.participation.banks import BankEntry, BankService, export_table, filtered, to_csv, to_xlsx
from bot.participation.service import QUESTIONNAIRE_OF
from bot.ui import texts
from bot.ui.callbacks import BankCb, BankView, CardCb, SchoolAction, SchoolCb
from bot.ui.keyboards import Keyboard
from handlers.render import show
from handlers.scope import school_in_scope
from storage.models import Organization, Role

VIEW_BANK = {"action": Action.VIEW_BANK}
PAGE_SIZE = 10
_ROLES = {Role.MENTEE.value: Role.MENTEE, Role.MENTOR.value: Role.MENTOR}


async def _scope(
    callback: CallbackQuery,
    actor: Actor,
    school_id: int,
    role_name: str,
    organizations: OrganizationService,
) -> tuple[Organization, Role] | None:
    """The school and bank, if this curator runs that school; otherwise refuse."""
    role = _ROLES.get(role_name)
    if role is None:
        await callback.answer(tr("not-found"), show_alert=True)
        return None
    school = await school_in_scope(callback, actor, school_id, organizations, Action.VIEW_BANK)
    return (school, role) if school else None


def _filters(data: BankCb) -> tuple[str | None, str | None, str]:
    subject = SUBJECTS[data.subject] if 0 <= data.subject < len(SUBJECTS) else None
    area = COMPETENCE_AREAS[data.area] if 0 <= data.area < len(COMPETENCE_AREAS) else None
    label = ", ".join(option.label for option in (subject, area) if option is not None)
    return (subject.id if subject else None), (area.id if area else None), label


async def bank_screen(
    callback: CallbackQuery,
    callback_data: BankCb,
    actor: Actor,
    banks: BankService,
    organizations: OrganizationService,
) -> None:
    scope = await _scope(
        callback, actor, callback_data.school_id, callback_data.role, organizations
    )
    if scope is None:
        return
    school, role = scope
    everyone = await banks.bank(school.id, role)
    subject, area, label = _filters(callback_data)
    shown = filtered(everyone, subject, area)
    pages = max(1, (len(shown) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(callback_data.page, 0), pages - 1)
    on_page = shown[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    complete = sum(1 for e in everyone if not e.status.unfinished)
    waiting = sum(1 for e in everyone if e.status.value == "waiting")
    lines = [texts.bank_header(role, school.name, len(everyone), complete, waiting)]
    if label:
        lines.append(texts.bank_filter_line(label))
    lines.append("")
    if not shown:
        lines.append(tr("bank-nothing-found") if label else tr("bank-empty"))
    for number, entry in enumerate(on_page, start=page * PAGE_SIZE + 1):
        lines.append(
            texts.bank_line(
                number,
                entry.name,
                texts.bank_status(entry.status.value, entry.days_waiting),
                entry.reachable,
            )
        )
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
    role = _ROLES[data.role]
    kb.button(
        text=tr("btn-filter-subject"),
        callback_data=data.model_copy(update={"view": BankView.PICK_SUBJECT}),
    )
    kb.button(
        text=texts.BTN_FILTER_AREA[role],
        callback_data=data.model_copy(update={"view": BankView.PICK_AREA}),
    )
    widths.append(2)
    if filtered_on:
        kb.button(
            text=tr("btn-filter-reset"),
            callback_data=BankCb(school_id=data.school_id, role=data.role, view=BankView.LIST),
        )
        widths.append(1)
    for view, label in (
        (BankView.XLSX, tr("btn-export-xlsx")),
        (BankView.CSV, tr("btn-export-csv")),
    ):
        kb.button(
            text=label, callback_data=BankCb(school_id=data.school_id, role=data.role, view=view)
        )
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
    callback: CallbackQuery,
    callback_data: BankCb,
    actor: Actor,
    organizations: OrganizationService,
) -> None:
    scope = await _scope(
        callback, actor, callback_data.school_id, callback_data.role, organizations
    )
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


async def export(
    callback: CallbackQuery,
    callback_data: BankCb,
    actor: Actor,
    banks: BankService,
    catalog: FormCatalog,
    organizations: OrganizationService,
) -> None:
    scope = await _scope(
        callback, actor, callback_data.school_id, callback_data.role, organizations
    )
    if scope is None or not isinstance(callback.message, Message):
        return
    school, role = scope
    await callback.answer()
    entries = await banks.bank(school.id, role)
    headers, rows = export_table(entries, catalog.current(QUESTIONNAIRE_OF[role]))
    title = texts.BANK_TITLES[role]
    if callback_data.view is BankView.XLSX:
        # Building a workbook of a whole bank takes seconds: not on the event loop.
        content, extension = await asyncio.to_thread(to_xlsx, title, headers, rows), "xlsx"
    else:
        content, extension = to_csv(headers, rows), "csv"
    name = f"bank_{role.value}_{school.id}.{extension}"
    await callback.message.answer_document(
        BufferedInputFile(content, name),
        caption=texts.EXPORT_CAPTION.format(title=title, count=len(entries)),
    )


async def remind(
    callback: CallbackQuery,
    callback_data: BankCb,
    actor: Actor,
    banks: BankService,
    organizations: OrganizationService,
) -> None:
    scope = await _scope(
        callback, actor, callback_data.school_id, callback_data.role, organizations
    )
    if scope is None:
        return
    school, role = scope
    queued = await banks.remind_unfinished(school.id, role)
    await callback.answer(texts.bank_reminded(queued), show_alert=True)


async def card(
    callback: CallbackQuery,
    callback_data: CardCb,
    actor: Actor,
    banks: BankService,
    organizations: OrganizationService,
) -> None:
    scope = await _scope(
        callback, actor, callback_data.school_id, callback_data.role, organizations
    )
    if scope is None:
        return
    school, role = scope
    entry = next(
        (e for e in await banks.bank(school.id, role) if e.person_id == callback_data.person_id),
        None,
    )
    if entry is None:
        await callback.answer(tr("bank-not-member"), show_alert=True)
        return
    status = texts.bank_status(entry.status.value, entry.days_waiting)
    if entry.form is None:
        text = f"<b>{escape(entry.name)}</b>\n{status}\n\n{tr('bank-not-filled')}"
    else:
        text = card_text(entry.name, entry.form, entry.answers) + f"\n\n<i>{status}</i>"
    kb = Keyboard()
    kb.button(
        text=tr("btn-back"),
        callback_data=BankCb(school_id=school.id, role=role.value, view=BankView.LIST),
    )
    await show(callback, text, kb.as_markup())


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
    return router
