"""Where a person sits at a pair: the permission rule for every pair screen and button."""

from __future__ import annotations

from enum import StrEnum

from bot.core.permissions import Action, Actor, can
from bot.organizations.service import OrganizationService
from storage.models import Decision, Pair


class Seat(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    CURATOR = "curator"


async def pair_seat(actor: Actor, pair: Pair, organizations: OrganizationService) -> Seat | None:
    """Its mentor, one of its mentees (not one who declined), its curator, or nobody."""
    person_id = actor.person.id if actor.person else None
    if person_id == pair.mentor_id:
        return Seat.MENTOR
    if any(
        p.person_id == person_id and p.decision is not Decision.DECLINED
        for p in pair.participants
        if p.person_id != pair.mentor_id
    ):
        return Seat.MENTEE
    school = await organizations.school(pair.organization_id)
    if school and can(
        actor, Action.MANAGE_PAIRS, district_id=school.district_id, organization_id=school.id
    ):
        return Seat.CURATOR
    return None
