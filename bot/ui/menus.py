"""Screens shared by several handlers: the main menu, the help, the list of one's roles."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
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
    manages = can(actor, Action.MANAGE_DISTRICTS) or can(actor, Action.MANAGE_SCHOOLS)
    return _main_menu(actor.roles, manages, tuple(curator_schools), tuple(questionnaires))


@lru_cache(maxsize=4096)
def _main_menu(
    roles: frozenset[Role],
    manages: bool,
    curator_schools: tuple[Organization, ...],
    questionnaires: tuple[tuple[Role, Organization], ...],
) -> tuple[str, InlineKeyboardMarkup]:
    """Drawn once for all who share it (most teachers of a school): drawing it took a third
    of a /menu update (bench/updates.py). Telegram's types are frozen, so sharing is safe."""
    names = ", ".join(tr.plain("role-name", role=role) for role in Role if role in roles)
    markup = keyboards.main_menu(roles, manages, curator_schools, questionnaires)
    return tr("main-menu", roles=names), markup


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
