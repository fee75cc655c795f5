"""Closing a school year (the curator) and the archive of closed years (the curator, the
district's coordinator, administrators)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.core.i18n import Html, tr
from bot.core.permissions import Action, Actor
from bot.core.when import shown
from bot.services import Services
from bot.ui import keyboards
from bot.ui.callbacks import SchoolYearCb, YearAction
from handlers.render import show
from handlers.scope import school_in_scope
from storage.school_years import SchoolYear

CLOSE_YEAR = {"action": Action.CLOSE_SCHOOL_YEAR}
MEMBER = {"action": Action.USE_MENU}


def _summary(year: SchoolYear, zone: ZoneInfo) -> str:
    return tr(
        "year-summary",
        label=year.label,
        closed_on=shown(year.closed_at, zone).split()[0],
        pairs=year.pairs,
        completed=year.completed,
        ended_early=year.ended_early,
        meetings=year.meetings,
        feedback=year.feedback,
    )


async def close_year(
    callback: CallbackQuery,
    callback_data: SchoolYearCb,
    actor: Actor,
    services: Services,
) -> None:
    """«Close the year» shows what it will do; the confirmation button does it."""
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.CLOSE_SCHOOL_YEAR
    )
    if school is None:
        return
    back = keyboards.back_to_school(school.id).as_markup()
    if callback_data.action is YearAction.CLOSE:
        year = await services.school_years.close(school, actor.telegram_id)
        if year is not None:
            summary = _summary(year, ZoneInfo(school.timezone))
            await show(callback, tr("year-closed-done", summary=Html(summary)), back)
            return
    # Asked first, or pressed again after the year was closed (by them or another curator).
    preview = await services.school_years.preview(school)
    if preview.closed_already:
        await show(callback, tr("year-closed-already", label=preview.label), back)
        return
    await show(
        callback,
        tr(
            "year-close-preview",
            label=preview.label,
            working=preview.working,
            invited=preview.invited,
        ),
        keyboards.close_year(school.id),
    )


async def archive(
    callback: CallbackQuery,
    callback_data: SchoolYearCb,
    actor: Actor,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback,
        actor,
        callback_data.school_id,
        services.organizations,
        Action.VIEW_BANK,
        Action.MANAGE_SCHOOLS,
    )
    if school is None:
        return
    zone = ZoneInfo(school.timezone)
    years = await services.school_years.archive(school)
    text = (
        tr(
            "year-archive",
            school=school.name,
            summaries=Html("\n\n".join(_summary(y, zone) for y in years)),
        )
        if years
        else tr("year-archive-empty")
    )
    await show(callback, text, keyboards.back_to_school(school.id).as_markup())


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        close_year,
        SchoolYearCb.filter(F.action.in_({YearAction.ASK, YearAction.CLOSE})),
        flags=CLOSE_YEAR,
    )
    router.callback_query.register(
        archive, SchoolYearCb.filter(F.action == YearAction.ARCHIVE), flags=MEMBER
    )
    return router
