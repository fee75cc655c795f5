"""/start, with or without an invite deep link."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.forms.engine import FormEngine
from bot.organizations.invites import InviteProblem, InviteService, grant_for
from bot.organizations.service import OrganizationService
from bot.privacy.consent import PARENT_FORM_ID
from bot.services import Services
from bot.ui import commands, keyboards, menus, texts
from bot.ui.states import JoinStates
from handlers.forms import present
from storage.models import Invite, InviteKind
from storage.people import PeopleRepo

ANYONE = {"action": Action.ANYONE}

PROBLEM_TEXTS = {
    InviteProblem.INVALID: tr("invite-invalid"),
    InviteProblem.EXPIRED: tr("invite-expired"),
    InviteProblem.USED: tr("invite-used"),
    InviteProblem.REVOKED: tr("invite-revoked"),
}


async def start_with_invite(
    message: Message,
    command: CommandObject,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    invites: InviteService,
    organizations: OrganizationService,
    services: Services,
    people: PeopleRepo,
) -> None:
    checked = await invites.check(command.args or "")
    if isinstance(checked, InviteProblem):
        await message.answer(PROBLEM_TEXTS[checked])
        return
    if checked.kind is InviteKind.PARENT:
        await _parent_consent(
            message, checked, actor, state, invites, services.forms, people, organizations
        )
        return
    if checked.kind is InviteKind.TEACHER:
        school = await organizations.school(checked.organization_id or 0)
        if school is None:
            await message.answer(tr("invite-invalid"))
            return
        # The invite id waits in the persistent FSM, never in callback data a client could forge.
        await state.set_state(JoinStates.choosing_role)
        await state.set_data({"invite_id": checked.id})
        await message.answer(
            texts.join_choose_role(school.name), reply_markup=keyboards.join_roles()
        )
        return
    grant = grant_for(checked)
    if grant in actor.grants:
        await message.answer(tr("invite-already-held"))
        return
    if not await invites.redeem(checked, actor.telegram_id, grant):
        await message.answer(tr("invite-used"))
        return
    await state.clear()
    joined = Actor(actor.telegram_id, actor.person, (*actor.grants, grant))
    await commands.publish_for(bot, joined)
    if grant.organization_id is not None:
        school = await organizations.school(grant.organization_id)
        place = school.name if school else ""
    else:
        district = await organizations.district(grant.district_id or 0)
        place = district.name if district else ""
    text, markup = await menus.main_menu(joined, organizations)
    await message.answer(texts.joined(grant.role, place))
    await message.answer(text, reply_markup=markup)


async def _parent_consent(
    message: Message,
    invite: Invite,
    actor: Actor,
    state: FSMContext,
    invites: InviteService,
    engine: FormEngine,
    people: PeopleRepo,
    organizations: OrganizationService,
) -> None:
    """A parent opened the link a student forwarded: their consent form, nothing else."""
    if not await invites.redeem(invite, actor.telegram_id, None):
        await message.answer(tr("invite-used"))
        return
    parent = await people.by_telegram_id(actor.telegram_id)
    assert parent is not None  # registered by the redemption
    form = await engine.start(
        parent.id, invite.organization_id, PARENT_FORM_ID, invite.subject_person_id
    )
    await present(message, form, state, organizations)


async def start_plain(
    message: Message, actor: Actor, state: FSMContext, organizations: OrganizationService
) -> None:
    if not actor.is_registered:
        await message.answer(tr("stranger-welcome"))
        return
    await state.clear()
    text, markup = await menus.main_menu(actor, organizations)
    await message.answer(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start_with_invite, CommandStart(deep_link=True), flags=ANYONE)
    router.message.register(start_plain, CommandStart(), flags=ANYONE)
    return router
