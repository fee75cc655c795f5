"""The scoped half of the permission check for buttons that name a school."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.organizations.service import OrganizationService
from storage.models import Organization


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
