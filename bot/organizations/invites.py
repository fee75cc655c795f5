"""Deep-link invites: issuing, checking and redeeming them."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.config import InviteSettings
from bot.core.permissions import Actor
from storage.invites import InvitesRepo
from storage.models import Invite, InviteKind, Person, Role, RoleGrant

# Telegram allows 1-64 characters of A-Z, a-z, 0-9, _ and - in a /start payload.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


class InviteProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


@dataclass(frozen=True)
class IssuedInvite:
    token: str
    expires_at: datetime
    one_time: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def grant_for(invite: Invite, chosen_role: Role | None = None) -> RoleGrant:
    """The role an invite gives; a teacher link gives the role the teacher chose."""
    if invite.kind is InviteKind.COORDINATOR:
        return RoleGrant(Role.COORDINATOR, district_id=invite.district_id)
    if invite.kind is InviteKind.CURATOR:
        return RoleGrant(Role.CURATOR, organization_id=invite.organization_id)
    if invite.kind is InviteKind.PARENT:
        raise ValueError("a parent link grants no role")
    if chosen_role not in (Role.MENTOR, Role.MENTEE):
        raise ValueError("a teacher link grants mentor or mentee")
    return RoleGrant(chosen_role, organization_id=invite.organization_id)


class InviteService:
    def __init__(self, invites: InvitesRepo, clock: Clock, settings: InviteSettings) -> None:
        self._invites = invites
        self._clock = clock
        self._settings = settings

    async def issue(
        self,
        kind: InviteKind,
        created_by: int,
        *,
        district_id: int | None = None,
        organization_id: int | None = None,
        subject_person_id: int | None = None,
    ) -> IssuedInvite:
        now = self._clock.now()
        token = secrets.token_urlsafe(32)  # 256 bits, 43 characters
        ttl = {
            InviteKind.COORDINATOR: timedelta(hours=self._settings.coordinator_ttl_hours),
            InviteKind.CURATOR: timedelta(hours=self._settings.curator_ttl_hours),
            InviteKind.TEACHER: timedelta(days=self._settings.teacher_ttl_days),
            InviteKind.PARENT: timedelta(days=self._settings.teacher_ttl_days),
        }[kind]
        one_time = kind is not InviteKind.TEACHER
        await self._invites.create(
            token_hash(token),
            kind,
            district_id,
            organization_id,
            created_by,
            now,
            now + ttl,
            1 if one_time else None,
            subject_person_id=subject_person_id,
        )
        return IssuedInvite(token=token, expires_at=now + ttl, one_time=one_time)

    async def check(self, token: str) -> Invite | InviteProblem:
        if not _TOKEN_SHAPE.fullmatch(token):
            return InviteProblem.INVALID
        invite = await self._invites.by_hash(token_hash(token))
        return self._usable(invite)

    async def check_id(self, invite_id: int) -> Invite | InviteProblem:
        return self._usable(await self._invites.by_id(invite_id))

    async def redeem(self, actor: Actor, invite: Invite, grant: RoleGrant | None) -> Person | None:
        """Use the invite; a parent link grants no role (grant=None), it only registers them.
        The person who used it (new or not); None when it was used up meanwhile."""
        person_id = await self._invites.redeem(
            invite.id, actor.telegram_id, grant, self._clock.now()
        )
        if person_id is None:
            return None
        # Someone inactive never gets this far (bot/ui/middlewares.py): a new row is active.
        return actor.person or Person(person_id, actor.telegram_id, is_active=True)

    def _usable(self, invite: Invite | None) -> Invite | InviteProblem:
        if invite is None:
            return InviteProblem.INVALID
        if invite.revoked:
            return InviteProblem.REVOKED
        if invite.max_uses is not None and invite.uses >= invite.max_uses:
            return InviteProblem.USED
        if invite.expires_at <= self._clock.now():
            return InviteProblem.EXPIRED
        return invite
