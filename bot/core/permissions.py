"""Who may do what: the one permission check every handler goes through.

Handlers declare the action they perform with `flags={"action": Action.X}`; the permission
middleware refuses the update before the handler runs unless the actor holds a role that allows
the action somewhere. A handler that touches a particular district or school calls `can` again
with that scope, so a forged callback naming another school is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.models import Person, Role, RoleGrant


class Action(StrEnum):
    ANYONE = "anyone"  # strangers included: /start, /help, explanations
    USE_MENU = "use_menu"  # any registered person
    MANAGE_DISTRICTS = "manage_districts"
    MANAGE_SCHOOLS = "manage_schools"  # create schools, invite curators
    INVITE_COORDINATOR = "invite_coordinator"
    MANAGE_TEACHER_LINK = "manage_teacher_link"
    VIEW_BANK = "view_bank"  # the school's banks of mentees and mentors, exports, reminders
    MANAGE_PAIRS = "manage_pairs"
    CLOSE_SCHOOL_YEAR = "close_school_year"
    RESPOND_TO_PAIR = "respond_to_pair"
    VIEW_STATUS = "view_status"
    MANAGE_SURVEYS = "manage_surveys"  # create, launch, extend, close; results and exports
    VIEW_REPORTS = "view_reports"  # the school's report, its register of local acts and events
    VIEW_DISTRICT_REPORTS = "view_district_reports"  # the district's tables (aggregated)
    MANAGE_ROADMAP = "manage_roadmap"  # a school's roadmap (curator), a district template
    DISTRICT_ROADMAP = "district_roadmap"  # the district's template and the schools' progress
    MANAGE_LIBRARY = "manage_library"  # upload materials to the library
    BROADCAST = "broadcast"  # the gate of the composer: a curator's or a coordinator's
    BROADCAST_DISTRICT = "broadcast_district"  # announcements to the district's schools
    MANAGE_AWARDS = "manage_awards"  # the contest: shortlists, the vote, the winners
    ORGANISE_EVENTS = "organise_events"  # a school's events (curator), a district's (coordinator)
    DISTRICT_SURVEYS = "district_surveys"  # a survey to every school of the district


_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_DISTRICTS: frozenset({Role.ADMIN}),
    Action.INVITE_COORDINATOR: frozenset({Role.ADMIN}),
    Action.MANAGE_SCHOOLS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Action.MANAGE_TEACHER_LINK: frozenset({Role.CURATOR}),
    Action.VIEW_BANK: frozenset({Role.CURATOR}),
    Action.MANAGE_PAIRS: frozenset({Role.CURATOR}),
    Action.CLOSE_SCHOOL_YEAR: frozenset({Role.CURATOR}),
    Action.RESPOND_TO_PAIR: frozenset({Role.MENTOR, Role.MENTEE}),
    Action.VIEW_STATUS: frozenset({Role.ADMIN}),
    Action.MANAGE_SURVEYS: frozenset({Role.CURATOR}),
    Action.VIEW_REPORTS: frozenset({Role.CURATOR}),
    Action.VIEW_DISTRICT_REPORTS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Action.MANAGE_ROADMAP: frozenset({Role.CURATOR, Role.COORDINATOR, Role.ADMIN}),
    Action.DISTRICT_ROADMAP: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Action.MANAGE_LIBRARY: frozenset({Role.CURATOR, Role.COORDINATOR}),
    # The gate; a school's broadcasts are then its curator's only (bot/broadcasts/service.py).
    Action.BROADCAST: frozenset({Role.CURATOR, Role.COORDINATOR}),
    Action.BROADCAST_DISTRICT: frozenset({Role.COORDINATOR}),
    Action.MANAGE_AWARDS: frozenset({Role.CURATOR}),
    Action.ORGANISE_EVENTS: frozenset({Role.CURATOR, Role.COORDINATOR}),
    Action.DISTRICT_SURVEYS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Action.USE_MENU: frozenset(Role),
}


@dataclass(frozen=True)
class Actor:
    """The person behind an update, with every role they hold."""

    telegram_id: int
    person: Person | None
    grants: tuple[RoleGrant, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)

    @property
    def is_registered(self) -> bool:
        return bool(self.grants)

    def scopes(self, role: Role) -> list[RoleGrant]:
        return [grant for grant in self.grants if grant.role == role]

    def district_ids(self, role: Role) -> list[int]:
        return [g.district_id for g in self.scopes(role) if g.district_id is not None]

    def school_ids(self, role: Role) -> list[int]:
        return [g.organization_id for g in self.scopes(role) if g.organization_id is not None]


def can(
    actor: Actor,
    action: Action,
    *,
    district_id: int | None = None,
    organization_id: int | None = None,
) -> bool:
    """True when the actor may perform the action; with a scope, in that district or school.

    A school scope must come with its district, so a coordinator's right over the district's
    schools can be checked.
    """
    if action is Action.ANYONE:
        return True
    allowed = _ALLOWED[action]
    for grant in actor.grants:
        if grant.role not in allowed:
            continue
        if grant.role is Role.ADMIN or (district_id is None and organization_id is None):
            return True
        if grant.role is Role.COORDINATOR and district_id == grant.district_id:
            return True
        if organization_id is not None and organization_id == grant.organization_id:
            return True
    return False
