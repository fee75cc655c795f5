"""Control monitoring: the coordinator asks the district's curators for their data by a date,
sees who has submitted and reminds the rest; a curator confirms «данные представлены»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from bot.core.refusals import Refusal
from bot.core.when import WhenError, explain, shown
from bot.reports.monitoring import MonitoringRefusal, MonitoringStatus
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import (
    DistrictReportCb,
    MonitoringAction,
    MonitoringCb,
    ReportAction,
    ReportCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import ReportStates
from handlers.render import fit, show
from handlers.scope import district_in_scope, school_in_scope
from storage.models import District

CURATOR = {"action": Action.VIEW_REPORTS}
DISTRICT = {"action": Action.VIEW_DISTRICT_REPORTS}


def _button(
    kb: Keyboard, text: str, action: MonitoringAction, scope: int, request: int = 0
) -> None:
    kb.button(
        text=text, callback_data=MonitoringCb(action=action, scope_id=scope, request_id=request)
    )


def _back(district_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr.plain("btn-back"), callback_data=DistrictReportCb(district_id=district_id))
    return kb.as_markup()


def _status_screen(district: District, found: MonitoringStatus) -> tuple[str, InlineKeyboardMarkup]:
    """Per school: what it submitted (counts only), or its curator's contacts to chase it."""
    lines = [
        tr(
            "monitoring-status-title",
            district=district.name,
            deadline=found.deadline,
            overdue=found.overdue,
            submitted=found.submitted,
            total=len(found.schools),
        ),
        "",
    ]
    for state in found.schools:
        sent = state.submission
        if sent is not None:
            figures = sent.figures
            lines.append(
                tr(
                    "monitoring-school-submitted",
                    school=state.school.name,
                    date=shown(sent.submitted_at, found.zone),
                    late=sent.late,
                    pairs=figures.pairs,
                    completed=figures.completed,
                    held=figures.meetings_held,
                    events=figures.events,
                )
            )
            continue
        contacts = state.contacts
        lines.append(
            tr(
                "monitoring-school-missing",
                school=state.school.name,
                contacts=tr.plain(
                    "report-contacts",
                    name=contacts.full_name,
                    email=contacts.email,
                    phone=contacts.phone,
                )
                if contacts
                else tr.plain("monitoring-no-contacts"),
            )
        )
    kb = Keyboard()
    if found.outstanding:
        _button(
            kb,
            tr.plain("btn-monitoring-remind"),
            MonitoringAction.REMIND,
            district.id,
            found.request.id,
        )
    _button(kb, tr.plain("btn-monitoring-new"), MonitoringAction.NEW, district.id)
    kb.button(text=tr.plain("btn-back"), callback_data=DistrictReportCb(district_id=district.id))
    kb.adjust(1)
    return fit(lines), kb.as_markup()


async def coordinator(
    callback: CallbackQuery,
    callback_data: MonitoringCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    district = await district_in_scope(
        callback, actor, callback_data.scope_id, services.organizations
    )
    if district is None:
        return
    schools = await services.organizations.schools(district.id)
    alert = None
    if callback_data.action is MonitoringAction.REMIND:
        reminded = await services.monitoring.remind(district, schools, callback_data.request_id)
        if isinstance(reminded, MonitoringRefusal):
            await callback.answer(tr.plain("monitoring-refusal", reason=reminded), show_alert=True)
            return
        alert = tr.plain("monitoring-reminded", count=reminded)
    found = await services.monitoring.status(district, schools)
    if callback_data.action is MonitoringAction.NEW or found is None:
        await state.set_state(ReportStates.entering_monitoring_deadline)
        await state.set_data({"district_id": district.id})
        await show(callback, tr("monitoring-ask", district=district.name), _back(district.id))
        return
    await state.clear()
    await show(callback, *_status_screen(district, found), alert=alert)


async def deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    district_id = int((await state.get_data()).get("district_id") or 0)
    district = await services.organizations.district(district_id)
    if district is None or not can(actor, Action.VIEW_DISTRICT_REPORTS, district_id=district_id):
        await state.clear()
        refusal = Refusal.FORBIDDEN if district else Refusal.NOT_FOUND
        await message.answer(tr("refusal", reason=refusal), reply_markup=keyboards.back_to_main())
        return
    schools = await services.organizations.schools(district.id)
    asked = await services.monitoring.ask(district, schools, message.text or "", actor.telegram_id)
    if isinstance(asked, WhenError):
        await message.answer(
            f"{explain(asked)}\n{tr('monitoring-ask-again')}", reply_markup=_back(district.id)
        )
        return
    if isinstance(asked, MonitoringRefusal):
        await state.clear()
        await message.answer(
            tr("monitoring-refusal", reason=asked), reply_markup=_back(district.id)
        )
        return
    await state.clear()
    found = await services.monitoring.status(district, schools)
    assert found is not None
    text, markup = _status_screen(district, found)
    await message.answer(
        f"{tr('monitoring-asked', schools=len(schools))}\n\n{text}", reply_markup=markup
    )


async def submit(
    callback: CallbackQuery, callback_data: MonitoringCb, actor: Actor, services: Services
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.scope_id, services.organizations, Action.VIEW_REPORTS
    )
    if school is None:
        return
    done = await services.monitoring.submit(school, callback_data.request_id, actor.telegram_id)
    if isinstance(done, MonitoringRefusal):
        await callback.answer(tr.plain("monitoring-refusal", reason=done), show_alert=True)
        return
    figures = done.submission.figures
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=ReportCb(school_id=school.id, action=ReportAction.MENU),
    )
    await show(
        callback,
        tr(
            "monitoring-submitted",
            late=done.submission.late,
            deadline=done.deadline,
            pairs=figures.pairs,
            completed=figures.completed,
            held=figures.meetings_held,
            events=figures.events,
        ),
        kb.as_markup(),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        submit, MonitoringCb.filter(F.action == MonitoringAction.SUBMIT), flags=CURATOR
    )
    router.callback_query.register(
        coordinator, MonitoringCb.filter(F.action != MonitoringAction.SUBMIT), flags=DISTRICT
    )
    router.message.register(
        deadline_typed, StateFilter(ReportStates.entering_monitoring_deadline), flags=DISTRICT
    )
    return router
