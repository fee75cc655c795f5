"""The scoped half of the permission check for buttons that name a school or a district."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from bot.core.refusals import Refusal
from bot.organizations.service import OrganizationService
from storage.models import District, Organization


async def school_in_scope(
    callback: CallbackQuery,
    actor: Actor,
    school_id: int,
    organizations: OrganizationService,
    *actions: Action,
) -> Organization | None:
    """The school, if the actor may do one of the actions there; otherwise tell them why not."""
    school = await organizations.school_for(actor, school_id, *actions)
    if isinstance(school, Refusal):
        await callback.answer(tr("refusal", reason=school), show_alert=True)
        return None
    return school


async def district_in_scope(
    callback: CallbackQuery, actor: Actor, district_id: int, organizations: OrganizationService
) -> District | None:
    """The district, if the actor sees its aggregated reports (a coordinator only their own)."""
    district = await organizations.district(district_id)
    if district is None or not can(actor, Action.VIEW_DISTRICT_REPORTS, district_id=district_id):
        refusal = Refusal.FORBIDDEN if district else Refusal.NOT_FOUND
        await callback.answer(tr.plain("refusal", reason=refusal), show_alert=True)
        return None
    return district
