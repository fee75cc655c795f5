"""Monitoring reports: the curator's school report (a summary, charts, XLSX, the справка) and
register of local acts and events; the coordinator's district tables. The files are sent
straight back to whoever asked, as the answer to their own tap."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.core.when import shown
from bot.reports.figures import SchoolFigures
from bot.reports.service import REGISTER_KINDS, Register, ReportRefusal
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    DistrictAction,
    DistrictCb,
    DistrictReportCb,
    MonitoringAction,
    MonitoringCb,
    ReportAction,
    ReportCb,
    SchoolAction,
    SchoolCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import ReportStates
from handlers.render import fit, show
from handlers.scope import district_in_scope, school_in_scope
from storage.models import OrderKind, Organization

CURATOR = {"action": Action.VIEW_REPORTS}
DISTRICT = {"action": Action.VIEW_DISTRICT_REPORTS}


def _button(kb: Keyboard, text: str, school_id: int, action: ReportAction, v: int = 0) -> None:
    kb.button(text=text, callback_data=ReportCb(school_id=school_id, action=action, v=v))


async def _menu(school: Organization, services: Services) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    _button(kb, tr.plain("btn-report-current"), school.id, ReportAction.SCHOOL)
    for year in reversed(await services.reports.years(school)):
        _button(
            kb,
            tr.plain("btn-report-year", year=year.label),
            school.id,
            ReportAction.SCHOOL,
            year.id,
        )
    _button(kb, tr.plain("btn-report-site"), school.id, ReportAction.SITE)
    _button(kb, tr.plain("btn-report-acts"), school.id, ReportAction.ACTS)
    _button(kb, tr.plain("btn-report-events"), school.id, ReportAction.EVENTS)
    pending = await services.monitoring.pending(school)
    if pending is not None:
        kb.button(
            text=tr.plain(
                "btn-monitoring-submit-due",
                deadline=shown(pending.deadline, ZoneInfo(school.timezone)),
            ),
            callback_data=MonitoringCb(
                action=MonitoringAction.SUBMIT, scope_id=school.id, request_id=pending.id
            ),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
    )
    kb.adjust(1)
    return tr("reports-title", school=school.name), kb.as_markup()


def _back(school_id: int, action: ReportAction = ReportAction.MENU) -> InlineKeyboardMarkup:
    kb = Keyboard()
    _button(kb, tr.plain("btn-back"), school_id, action)
    return kb.as_markup()


def _acts_screen(school: Organization, register: Register) -> tuple[str, InlineKeyboardMarkup]:
    lines = [tr("reports-acts-title", school=school.name)]
    lines += [
        tr(
            "reports-act-line",
            act=tr.plain("report-act", kind=act.kind),
            number=act.number,
            date=act.signed_on.strftime("%d.%m.%Y"),
            file=act.file_id is not None,
        )
        for act in register.acts
    ] or [tr("reports-acts-empty")]
    contacts = register.contacts
    lines += [
        "",
        tr(
            "reports-contacts-line",
            name=contacts.full_name,
            email=contacts.email,
            phone=contacts.phone,
        )
        if contacts
        else tr("reports-contacts-empty"),
    ]
    kb = Keyboard()
    for index, kind in enumerate(REGISTER_KINDS):
        _button(
            kb,
            tr.plain("btn-report-act", act=tr.plain("report-act", kind=kind)),
            school.id,
            ReportAction.ACT,
            index,
        )
    _button(kb, tr.plain("btn-report-contacts"), school.id, ReportAction.CONTACTS)
    _button(kb, tr.plain("btn-back"), school.id, ReportAction.MENU)
    kb.adjust(1)
    return fit(lines), kb.as_markup()


def _events_screen(school: Organization, register: Register) -> tuple[str, InlineKeyboardMarkup]:
    lines = [tr("reports-events-title", school=school.name)]
    lines += [
        tr(
            "reports-event-line",
            name=e.name,
            level=tr.plain("report-level", level=e.level),
            date=e.held_on.strftime("%d.%m.%Y"),
            result=e.result,
        )
        for e in register.events
    ] or [tr("reports-events-empty")]
    kb = Keyboard()
    _button(kb, tr.plain("btn-report-event-new"), school.id, ReportAction.EVENT)
    _button(kb, tr.plain("btn-back"), school.id, ReportAction.MENU)
    kb.adjust(1)
    return fit(lines), kb.as_markup()


def summary_text(figures: SchoolFigures) -> str:
    outcomes = figures.outcomes
    wait = figures.waiting
    lines = [
        tr("report-summary-title", school=figures.school, year=figures.year),
        tr(
            "report-summary-people",
            mentors=figures.mentors,
            mentees=figures.mentees,
            withdrawn=figures.withdrawn,
        ),
    ]
    if wait is not None:
        lines.append(
            tr("report-summary-waiting", count=wait.mentees, longest=wait.longest_days)
            if wait.mentees
            else tr("report-summary-nobody-waits")
        )
    lines += [
        tr("report-summary-pairs", pairs=figures.total_pairs, groups=figures.groups),
        tr(
            "report-summary-programs",
            active=outcomes.active,
            completed=outcomes.completed,
            early=outcomes.ended_early,
        ),
        tr(
            "report-summary-meetings",
            held=figures.meetings("held"),
            missed=figures.meetings("missed"),
            planned=figures.meetings("planned"),
            feedback=figures.meetings("feedback"),
        )
        if figures.months
        else tr("report-summary-no-meetings"),
    ]
    found = figures.satisfaction
    lines.append(
        tr("report-summary-satisfaction", mentors=found.mentors, mentees=found.mentees)
        if found.shown
        else tr("report-summary-no-satisfaction")
    )
    if figures.growth:
        lines.append(tr("report-summary-growth", count=max(g.respondents for g in figures.growth)))
        lines += [
            tr(
                "report-summary-growth-line",
                header=g.header,
                before=f"{g.before:.1f}",
                after=f"{g.after:.1f}",
                change=f"{g.change:+.1f}",
            )
            for g in figures.growth
        ]
    if figures.attention:
        lines.append(tr("report-summary-attention", count=len(figures.attention)))
    lines.append(tr("report-summary-events", count=len(figures.events)))
    return fit(lines)


async def reports(
    callback: CallbackQuery,
    callback_data: ReportCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.VIEW_REPORTS
    )
    if school is None:
        return
    action = callback_data.action
    if action is ReportAction.SCHOOL:
        await _school_report(callback, school, callback_data.v or None, bot, services)
        return
    if action is ReportAction.SITE:
        await _site_export(callback, school, bot, services)
        return
    if action is ReportAction.ACTS:
        await state.clear()
        await show(callback, *_acts_screen(school, await services.reports.register(school)))
        return
    if action is ReportAction.EVENTS:
        await state.clear()
        await show(callback, *_events_screen(school, await services.reports.register(school)))
        return
    if action is ReportAction.ACT:
        if callback_data.v >= len(REGISTER_KINDS):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        kind = REGISTER_KINDS[callback_data.v]
        await state.set_state(ReportStates.entering_act)
        await state.set_data({"school_id": school.id, "kind": kind.value})
        await show(
            callback,
            tr("reports-act-ask", act=tr.plain("report-act", kind=kind)),
            _back(school.id, ReportAction.ACTS),
        )
        return
    if action is ReportAction.CONTACTS:
        await state.set_state(ReportStates.entering_contacts)
        await state.set_data({"school_id": school.id})
        await show(callback, tr("reports-contacts-ask"), _back(school.id, ReportAction.ACTS))
        return
    if action is ReportAction.EVENT:
        await state.set_state(ReportStates.entering_event)
        await state.set_data({"school_id": school.id})
        await show(callback, tr("reports-event-ask"), _back(school.id, ReportAction.EVENTS))
        return
    await state.clear()
    await show(callback, *await _menu(school, services))


async def _school_report(
    callback: CallbackQuery,
    school: Organization,
    year_id: int | None,
    bot: Bot,
    services: Services,
) -> None:
    report = await services.reports.school_report(school, year_id)
    if isinstance(report, ReportRefusal):
        await callback.answer(tr.plain("report-refusal", reason=report), show_alert=True)
        return
    await callback.answer()
    chat = callback.from_user.id
    figures = report.figures
    await bot.send_message(chat, summary_text(figures))
    for chart in report.charts:
        await bot.send_photo(
            chat, BufferedInputFile(chart.png, f"{chart.name}.png"), caption=chart.caption
        )
    stem = f"monitoring_{figures.year.replace('/', '-')}"
    await bot.send_document(
        chat,
        BufferedInputFile(report.xlsx, f"{stem}.xlsx"),
        caption=tr("report-xlsx-caption", year=figures.year),
    )
    _, markup = await _menu(school, services)
    await bot.send_document(
        chat,
        BufferedInputFile(report.docx, f"spravka_{stem}.docx"),
        caption=tr("report-docx-caption", year=figures.year),
        reply_markup=markup,
    )


async def _site_export(
    callback: CallbackQuery, school: Organization, bot: Bot, services: Services
) -> None:
    export = await services.reports.site_export(school)
    if isinstance(export, ReportRefusal):
        await callback.answer(tr.plain("report-refusal", reason=export), show_alert=True)
        return
    await callback.answer()
    chat = callback.from_user.id
    stem = f"nastavnichestvo_{export.year.replace('/', '-')}"
    await bot.send_document(
        chat,
        BufferedInputFile(export.html, f"{stem}.html"),
        caption=tr("report-site-html-caption", year=export.year),
    )
    _, markup = await _menu(school, services)
    await bot.send_document(
        chat,
        BufferedInputFile(export.docx, f"{stem}.docx"),
        caption=tr("report-site-docx-caption"),
        reply_markup=markup,
    )


async def _typed_school(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> Organization | None:
    """The school the typed record is for, checked again: the state may be stale."""
    data = await state.get_data()
    school = await services.organizations.school_for(
        actor, int(data.get("school_id") or 0), Action.VIEW_REPORTS
    )
    if isinstance(school, Refusal):
        await state.clear()
        await message.answer(tr("refusal", reason=school), reply_markup=keyboards.back_to_main())
        return None
    return school


async def act_typed(message: Message, actor: Actor, state: FSMContext, services: Services) -> None:
    school = await _typed_school(message, actor, state, services)
    if school is None:
        return
    kind = OrderKind((await state.get_data()).get("kind") or OrderKind.PAIRS.value)
    document = message.document
    file = (document.file_id, document.file_name or "") if document else None
    recorded = await services.reports.record_act(
        school, kind, message.text or message.caption or "", file, actor.telegram_id
    )
    if isinstance(recorded, ReportRefusal):
        await message.answer(
            tr("report-refusal", reason=recorded), reply_markup=_back(school.id, ReportAction.ACTS)
        )
        return
    await state.clear()
    text, markup = _acts_screen(school, await services.reports.register(school))
    await message.answer(f"{tr('reports-act-recorded')}\n\n{text}", reply_markup=markup)


async def contacts_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    school = await _typed_school(message, actor, state, services)
    if school is None:
        return
    saved = await services.reports.set_contacts(school, message.text or "", actor.telegram_id)
    if isinstance(saved, ReportRefusal):
        await message.answer(
            tr("report-refusal", reason=saved), reply_markup=_back(school.id, ReportAction.ACTS)
        )
        return
    await state.clear()
    text, markup = _acts_screen(school, await services.reports.register(school))
    await message.answer(f"{tr('reports-contacts-saved')}\n\n{text}", reply_markup=markup)


async def event_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    school = await _typed_school(message, actor, state, services)
    if school is None:
        return
    recorded = await services.reports.record_event(school, message.text or "", actor.telegram_id)
    if isinstance(recorded, ReportRefusal):
        await message.answer(
            tr("report-refusal", reason=recorded),
            reply_markup=_back(school.id, ReportAction.EVENTS),
        )
        return
    await state.clear()
    text, markup = _events_screen(school, await services.reports.register(school))
    await message.answer(f"{tr('reports-event-recorded')}\n\n{text}", reply_markup=markup)


async def district_report(
    callback: CallbackQuery,
    callback_data: DistrictReportCb,
    actor: Actor,
    bot: Bot,
    services: Services,
) -> None:
    district = await district_in_scope(
        callback, actor, callback_data.district_id, services.organizations
    )
    if district is None:
        return
    schools = await services.organizations.schools(district.id)
    years = await services.reports.district_years(district, schools)
    if not callback_data.make:
        kb = Keyboard()
        for index, label in enumerate(years):
            kb.button(
                text=tr.plain("btn-report-year", year=label),
                callback_data=DistrictReportCb(district_id=district.id, make=True, v=index),
            )
        kb.button(
            text=tr.plain("btn-monitoring"),
            callback_data=MonitoringCb(action=MonitoringAction.OPEN, scope_id=district.id),
        )
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=DistrictCb(action=DistrictAction.OPEN, district_id=district.id),
        )
        kb.adjust(1)
        await show(callback, tr("report-district-title", district=district.name), kb.as_markup())
        return
    if callback_data.v >= len(years):
        await callback.answer(tr("stale-button"), show_alert=True)
        return
    report = await services.reports.district_report(district, schools, years[callback_data.v])
    if isinstance(report, ReportRefusal):
        await callback.answer(tr.plain("report-refusal", reason=report), show_alert=True)
        return
    await callback.answer()
    chat = callback.from_user.id
    figures = report.figures
    missing = [s.name for s in figures.schools if not s.reported or not s.acts_filled]
    await bot.send_message(
        chat,
        fit(
            [
                tr(
                    "report-district-summary",
                    district=figures.district,
                    year=figures.year,
                    schools=len(figures.schools),
                    pairs=figures.pairs,
                    completed=figures.completed,
                    events=figures.events,
                    trained=figures.mentors_trained,
                ),
                tr("report-district-missing", schools=", ".join(missing))
                if missing
                else tr("report-district-all-filled"),
            ]
        ),
    )
    if report.chart is not None:
        await bot.send_photo(
            chat,
            BufferedInputFile(report.chart.png, f"{report.chart.name}.png"),
            caption=report.chart.caption,
        )
    await bot.send_document(
        chat,
        BufferedInputFile(report.xlsx, f"district_{figures.year.replace('/', '-')}.xlsx"),
        caption=tr("report-district-xlsx-caption", year=figures.year),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(reports, ReportCb.filter(), flags=CURATOR)
    router.callback_query.register(district_report, DistrictReportCb.filter(), flags=DISTRICT)
    router.message.register(act_typed, StateFilter(ReportStates.entering_act), flags=CURATOR)
    router.message.register(
        contacts_typed, StateFilter(ReportStates.entering_contacts), flags=CURATOR
    )
    router.message.register(event_typed, StateFilter(ReportStates.entering_event), flags=CURATOR)
    return router
