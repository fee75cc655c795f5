"""Screens shared by several handlers: the main menu, the help, the list of one's roles."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.core.i18n import tr
from bot.core.permissions import Actor
from bot.organizations.service import OrganizationService
from bot.ui import keyboards
from storage.models import Organization, Role


async def main_menu(
    actor: Actor, organizations: OrganizationService
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not actor.is_registered:
        return tr("stranger-hint"), None
    curator_schools: list[Organization] = []
    questionnaires: list[tuple[Role, Organization]] = []
    for grant in actor.grants:
        school = await organizations.school(grant.organization_id or 0)
        if school is None:
            continue
        if grant.role is Role.CURATOR:
            curator_schools.append(school)
        elif grant.role in (Role.MENTEE, Role.MENTOR):
            questionnaires.append((grant.role, school))
    roles = ", ".join(tr.plain("role-name", role=role) for role in Role if role in actor.roles)
    markup = keyboards.main_menu(actor, curator_schools, questionnaires)
    return tr("main-menu", roles=roles), markup


async def profile_text(actor: Actor, organizations: OrganizationService) -> str:
    lines = [tr("profile-title")]
    for grant in actor.grants:
        place = ""
        if grant.organization_id is not None:
            school = await organizations.school(grant.organization_id)
            place = school.name if school else ""
        elif grant.district_id is not None:
            district = await organizations.district(grant.district_id)
            place = district.name if district else ""
        lines.append(
            tr("profile-line-place", role=grant.role, place=place)
            if place
            else tr("profile-line", role=grant.role)
        )
    return "\n".join(lines)
