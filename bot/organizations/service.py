"""Districts and schools: creating them, finding them, and who may act in which of them."""

from __future__ import annotations

from bot.core.clock import Clock
from bot.core.permissions import Action, Actor, can
from bot.core.refusals import Refusal
from storage.models import District, Organization, Role
from storage.organizations import OrganizationsRepo
from storage.people import PeopleRepo


class OrganizationService:
    def __init__(self, organizations: OrganizationsRepo, people: PeopleRepo, clock: Clock) -> None:
        self._organizations = organizations
        self._people = people
        self._clock = clock

    async def create_district(self, name: str) -> District | None:
        """None when a district with that name already exists."""
        return await self._organizations.create_district(name, self._clock.now())

    async def create_school(
        self, district_id: int, name: str, timezone: str
    ) -> Organization | None:
        """None when the district already has a school with that name."""
        return await self._organizations.create_school(
            district_id, name, timezone, self._clock.now()
        )

    async def district(self, district_id: int) -> District | None:
        return await self._organizations.district(district_id)

    async def school(self, school_id: int) -> Organization | None:
        return await self._organizations.school(school_id)

    async def schools(self, district_id: int) -> list[Organization]:
        return await self._organizations.schools(district_id)

    async def all_schools(self) -> list[Organization]:
        return await self._organizations.all_schools()

    async def visible_districts(self, actor: Actor) -> list[District]:
        if can(actor, Action.MANAGE_DISTRICTS):
            return await self._organizations.districts()
        return await self._organizations.districts(actor.district_ids(Role.COORDINATOR))

    async def district_for(self, actor: Actor, district_id: int) -> District | Refusal:
        """The district, if the actor may manage its schools."""
        district = await self._organizations.district(district_id)
        if district is None:
            return Refusal.NOT_FOUND
        if not can(actor, Action.MANAGE_SCHOOLS, district_id=district.id):
            return Refusal.FORBIDDEN
        return district

    async def create_school_for(
        self, actor: Actor, district_id: int, name: str, timezone: str
    ) -> Organization | Refusal | None:
        """None when the district already has a school with that name."""
        district = await self.district_for(actor, district_id)
        if isinstance(district, Refusal):
            return district
        return await self.create_school(district.id, name, timezone)

    async def member_counts(self, school_id: int) -> dict[Role, int]:
        """How many people hold each role in the school."""
        return await self._people.count_in_school(school_id)

    async def school_for(
        self, actor: Actor, school_id: int, *actions: Action
    ) -> Organization | Refusal:
        """The school, if the actor may do one of the actions there (a forged id of another
        school is refused here)."""
        school = await self._organizations.school(school_id)
        if school is None:
            return Refusal.NOT_FOUND
        scope = {"district_id": school.district_id, "organization_id": school.id}
        if not any(can(actor, action, **scope) for action in actions):
            return Refusal.FORBIDDEN
        return school
