"""The scoped half of the permission check for buttons that name a school."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor, can
from storage.models import Organization
from storage.organizations import OrganizationsRepo


async def school_in_scope(
    callback: CallbackQuery,
    actor: Actor,
    school_id: int,
    organizations: OrganizationsRepo,
    *actions: Action,
) -> Organization | None:
    """The school, if the actor may do one of the actions there; otherwise tell them why not
    (a forged id of another school lands here)."""
    school = await organizations.school(school_id)
    if school is None:
        await callback.answer(tr("not-found"), show_alert=True)
        return None
    scope = {"district_id": school.district_id, "organization_id": school.id}
    if not any(can(actor, action, **scope) for action in actions):
        await callback.answer(tr("forbidden"), show_alert=True)
        return None
    return school
