"""Inline keyboards. Every screen has a way back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from bot.core.zones import SCHOOL_TIMEZONES, timezone_label
from bot.ui.callbacks import (
    AwardAction,
    AwardCb,
    BankCb,
    BankView,
    BroadcastAction,
    BroadcastCb,
    DistrictAction,
    DistrictBroadcastCb,
    DistrictCb,
    DistrictReportCb,
    DistrictRoadmapAction,
    DistrictRoadmapCb,
    DistrictSurveysAction,
    DistrictSurveysCb,
    EventReplyAction,
    EventReplyCb,
    EventsAction,
    EventsCb,
    JoinRoleCb,
    LibraryAction,
    LibraryCb,
    LibraryManageAction,
    LibraryManageCb,
    MenuCb,
    PairsCb,
    PairsView,
    ParticipationCb,
    PreferenceCb,
    ReportAction,
    ReportCb,
    RoadmapOpenCb,
    SchoolAction,
    SchoolCb,
    SchoolYearCb,
    Screen,
    SurveysAction,
    SurveysCb,
    TimezoneCb,
    YearAction,
)
from storage.models import District, Organization, Role


class Keyboard(InlineKeyboardBuilder):
    """aiogram's builder without the deep copy of every button in `as_markup()`, which took a
    tenth of an update's time (measured in bench/updates.py). Ours are used once and dropped."""

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]

    def _button(self, **kwargs: Any) -> Keyboard:
        """Each button made without pydantic's validation, a fifth of a question screen's time
        (bench/updates.py): ours come from typed values (texts, packed callback data)."""
        if isinstance(data := kwargs.get("callback_data"), CallbackData):
            kwargs["callback_data"] = data.pack()
        given = {name: value for name, value in kwargs.items() if value is not None}
        self.add(InlineKeyboardButton.model_construct(**given))
        return self


def main_menu(
    roles: frozenset[Role],
    manages: bool,
    curator_schools: Sequence[Organization],
    questionnaires: Sequence[tuple[Role, Organization]],
) -> InlineKeyboardMarkup:
    """`manages`: may manage districts or schools."""
    kb = Keyboard()
    for role, school in questionnaires:
        kb.button(
            text=tr.plain("btn-questionnaire", role=role, school=school.name),
            callback_data=ParticipationCb(role=role.value, school_id=school.id),
        )
    if manages:
        kb.button(text=tr("btn-districts"), callback_data=MenuCb(screen=Screen.DISTRICTS))
    for school in curator_schools:
        kb.button(
            text=tr.plain("btn-school", name=school.name),
            callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
        )
    if roles & {Role.MENTOR, Role.MENTEE}:
        kb.button(text=tr("btn-my-pairs"), callback_data=MenuCb(screen=Screen.MY_PAIRS))
    if roles & {Role.MENTOR, Role.MENTEE, Role.CURATOR}:
        kb.button(text=tr("btn-events"), callback_data=EventReplyCb(action=EventReplyAction.LIST))
        kb.button(text=tr.plain("btn-my-surveys"), callback_data=MenuCb(screen=Screen.MY_SURVEYS))
    if roles & {Role.MENTOR, Role.MENTEE, Role.CURATOR, Role.COORDINATOR}:
        kb.button(text=tr("btn-library"), callback_data=LibraryCb(action=LibraryAction.HOME))
    kb.button(text=tr("btn-profile"), callback_data=MenuCb(screen=Screen.PROFILE))

    kb.button(text=tr("btn-help"), callback_data=MenuCb(screen=Screen.HELP))
    kb.adjust(1)
    return kb.as_markup()


def back_to_main() -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    return kb.as_markup()


def cancel() -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    return kb.as_markup()


def districts(items: list[District], may_create: bool) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for district in items:
        kb.button(
            text=tr.plain("btn-district", name=district.name),
            callback_data=DistrictCb(action=DistrictAction.OPEN, district_id=district.id),
        )
    if may_create:
        kb.button(text=tr("btn-new-district"), callback_data=MenuCb(screen=Screen.NEW_DISTRICT))
    kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


def district(
    district_id: int,
    schools: list[Organization],
    may_invite_coordinator: bool,
    may_organise: bool = False,
    may_broadcast: bool = False,
) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for school in schools:
        kb.button(
            text=tr.plain("btn-school", name=school.name),
            callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
        )
    kb.button(
        text=tr("btn-new-school"),
        callback_data=DistrictCb(action=DistrictAction.NEW_SCHOOL, district_id=district_id),
    )
    kb.button(
        text=tr("btn-district-report"), callback_data=DistrictReportCb(district_id=district_id)
    )
    kb.button(
        text=tr.plain("btn-district-surveys"),
        callback_data=DistrictSurveysCb(district_id=district_id, action=DistrictSurveysAction.LIST),
    )
    kb.button(
        text=tr("btn-roadmap-district"),
        callback_data=DistrictRoadmapCb(
            district_id=district_id, action=DistrictRoadmapAction.OVERVIEW
        ),
    )
    if may_organise:
        kb.button(
            text=tr("btn-events"),
            callback_data=EventsCb(action=EventsAction.HOME, school_id=0, district_id=district_id),
        )
    if may_broadcast:
        kb.button(
            text=tr("btn-broadcasts"),
            callback_data=DistrictBroadcastCb(action=BroadcastAction.HOME, district_id=district_id),
        )
    if may_invite_coordinator:
        kb.button(
            text=tr("btn-invite-coordinator"),
            callback_data=DistrictCb(
                action=DistrictAction.INVITE_COORDINATOR, district_id=district_id
            ),
        )
    kb.button(text=tr("btn-back"), callback_data=MenuCb(screen=Screen.DISTRICTS))
    kb.adjust(1)
    return kb.as_markup()


def school(school: Organization, actor: Actor) -> InlineKeyboardMarkup:
    kb = Keyboard()
    scope = {"district_id": school.district_id, "organization_id": school.id}
    if can(actor, Action.MANAGE_SCHOOLS, **scope):
        kb.button(
            text=tr("btn-invite-curator"),
            callback_data=SchoolCb(action=SchoolAction.INVITE_CURATOR, school_id=school.id),
        )
    if can(actor, Action.VIEW_BANK, **scope):
        for role in (Role.MENTEE, Role.MENTOR):
            kb.button(
                text=tr.plain("btn-bank", role=role),
                callback_data=BankCb(school_id=school.id, role=role.value, view=BankView.LIST),
            )
    if can(actor, Action.MANAGE_PAIRS, **scope):
        kb.button(
            text=tr("btn-pairs"),
            callback_data=PairsCb(school_id=school.id, view=PairsView.LIST),
        )
    if can(actor, Action.MANAGE_SURVEYS, **scope):
        kb.button(
            text=tr("btn-surveys"),
            callback_data=SurveysCb(school_id=school.id, action=SurveysAction.LIST),
        )
    if can(actor, Action.VIEW_REPORTS, **scope):
        kb.button(
            text=tr("btn-reports"),
            callback_data=ReportCb(school_id=school.id, action=ReportAction.MENU),
        )
    if school.id in actor.school_ids(Role.CURATOR):
        kb.button(text=tr("btn-roadmap"), callback_data=RoadmapOpenCb(school_id=school.id))
    if school.id in actor.school_ids(Role.CURATOR):
        kb.button(
            text=tr("btn-broadcasts"),
            callback_data=BroadcastCb(action=BroadcastAction.HOME, school_id=school.id),
        )
    if can(actor, Action.MANAGE_AWARDS, **scope):
        kb.button(
            text=tr("btn-awards"),
            callback_data=AwardCb(school_id=school.id, action=AwardAction.HOME),
        )
    if can(actor, Action.ORGANISE_EVENTS, **scope):
        kb.button(
            text=tr("btn-events"),
            callback_data=EventsCb(
                action=EventsAction.HOME, school_id=school.id, district_id=school.district_id
            ),
        )
    if can(actor, Action.MANAGE_LIBRARY, **scope):
        kb.button(
            text=tr("btn-library-add"),
            callback_data=LibraryManageCb(
                district_id=school.district_id, school_id=school.id, action=LibraryManageAction.ADD
            ),
        )
    if can(actor, Action.MANAGE_TEACHER_LINK, **scope):
        kb.button(
            text=tr("btn-teacher-link"),
            callback_data=SchoolCb(action=SchoolAction.TEACHER_LINK, school_id=school.id),
        )
    if can(actor, Action.CLOSE_SCHOOL_YEAR, **scope):
        kb.button(
            text=tr("btn-close-year"),
            callback_data=SchoolYearCb(action=YearAction.ASK, school_id=school.id),
        )
    if can(actor, Action.VIEW_BANK, **scope) or can(actor, Action.MANAGE_SCHOOLS, **scope):
        kb.button(
            text=tr("btn-year-archive"),
            callback_data=SchoolYearCb(action=YearAction.ARCHIVE, school_id=school.id),
        )
    if can(actor, Action.MANAGE_SCHOOLS, **scope):
        kb.button(
            text=tr("btn-back"),
            callback_data=DistrictCb(action=DistrictAction.OPEN, district_id=school.district_id),
        )
    else:
        kb.button(text=tr("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    return kb.as_markup()


def close_year(school_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr("btn-close-year-confirm"),
        callback_data=SchoolYearCb(action=YearAction.CLOSE, school_id=school_id),
    )
    kb.button(
        text=tr("btn-cancel"), callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school_id)
    )
    kb.adjust(1)
    return kb.as_markup()


def back_to_school(school_id: int) -> Keyboard:
    """A builder, so that a screen can put its own buttons above it."""
    kb = Keyboard()
    kb.button(
        text=tr("btn-back"), callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school_id)
    )
    return kb


def timezones() -> InlineKeyboardMarkup:
    kb = Keyboard()
    for index, zone in enumerate(SCHOOL_TIMEZONES):
        kb.button(text=timezone_label(zone), callback_data=TimezoneCb(index=index))
    kb.button(text=tr("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(2)
    return kb.as_markup()


def join_roles() -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr("btn-join-as-mentee"), callback_data=JoinRoleCb(role=Role.MENTEE.value))
    kb.button(text=tr("btn-join-as-mentor"), callback_data=JoinRoleCb(role=Role.MENTOR.value))
    kb.button(text=tr("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(2, 1)
    return kb.as_markup()


def preferences(
    school_id: int, options: list[tuple[int, str]], chosen: set[int]
) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for person_id, name in options:
        mark = "✅" if person_id in chosen else "▫️"
        kb.button(
            text=f"{mark} {name[:50]}",
            callback_data=PreferenceCb(school_id=school_id, chosen=person_id),
        )
    kb.adjust(1)
    return kb.as_markup()
