"""The permission matrix: every action against every kind of person, in and out of scope."""

from __future__ import annotations

import pytest

from bot.core.permissions import Action, Actor, can
from storage.models import Role, RoleGrant

SCHOOL, OTHER_SCHOOL, DISTRICT, OTHER_DISTRICT = 1, 2, 10, 20

PEOPLE: dict[str, tuple[RoleGrant, ...]] = {
    "stranger": (),
    "mentee": (RoleGrant(Role.MENTEE, organization_id=SCHOOL),),
    "mentor": (RoleGrant(Role.MENTOR, organization_id=SCHOOL),),
    "curator of another school": (RoleGrant(Role.CURATOR, organization_id=OTHER_SCHOOL),),
    "curator": (RoleGrant(Role.CURATOR, organization_id=SCHOOL),),
    "coordinator of another district": (RoleGrant(Role.COORDINATOR, district_id=OTHER_DISTRICT),),
    "coordinator": (RoleGrant(Role.COORDINATOR, district_id=DISTRICT),),
    "administrator": (RoleGrant(Role.ADMIN),),
}

# Allowed in SCHOOL (which belongs to DISTRICT). Everything else is refused.
ALLOWED: dict[Action, set[str]] = {
    Action.ANYONE: set(PEOPLE),
    # The menu is a person's own; asked about a school, it answers for people of that school.
    Action.USE_MENU: set(PEOPLE)
    - {"stranger", "curator of another school", "coordinator of another district"},
    Action.MANAGE_DISTRICTS: {"administrator"},
    Action.INVITE_COORDINATOR: {"administrator"},
    Action.MANAGE_SCHOOLS: {"coordinator", "administrator"},
    Action.MANAGE_TEACHER_LINK: {"curator"},
    Action.VIEW_BANK: {"curator"},
    Action.MANAGE_PAIRS: {"curator"},
    Action.CLOSE_SCHOOL_YEAR: {"curator"},
    Action.RESPOND_TO_PAIR: {"mentee", "mentor"},
    Action.VIEW_STATUS: {"administrator"},
    Action.MANAGE_SURVEYS: {"curator"},
    Action.VIEW_REPORTS: {"curator"},
    Action.VIEW_DISTRICT_REPORTS: {"coordinator", "administrator"},
    # The gate; a school's roadmap is then its curator's only (bot/roadmap/service.py).
    Action.MANAGE_ROADMAP: {"curator", "coordinator", "administrator"},
    Action.DISTRICT_ROADMAP: {"coordinator", "administrator"},
    Action.MANAGE_LIBRARY: {"curator", "coordinator"},
    # The gate; a school's broadcasts are then its curator's only (bot/broadcasts/service.py).
    Action.BROADCAST: {"curator", "coordinator"},
    Action.BROADCAST_DISTRICT: {"coordinator"},
    Action.MANAGE_AWARDS: {"curator"},
    # A school's events: its curator or its district's coordinator (bot/events/service.py).
    Action.ORGANISE_EVENTS: {"curator", "coordinator"},
    Action.DISTRICT_SURVEYS: {"coordinator", "administrator"},
}


def test_matrix_covers_every_action() -> None:
    assert set(ALLOWED) == set(Action)


@pytest.mark.parametrize("who", list(PEOPLE))
def test_everyone_registered_has_a_menu(who: str) -> None:
    actor = Actor(telegram_id=1, person=None, grants=PEOPLE[who])
    assert can(actor, Action.USE_MENU) == (who != "stranger")


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", list(PEOPLE))
def test_scoped_permission(action: Action, who: str) -> None:
    actor = Actor(telegram_id=1, person=None, grants=PEOPLE[who])
    allowed = can(actor, action, district_id=DISTRICT, organization_id=SCHOOL)
    assert allowed == (who in ALLOWED[action]), f"{who} / {action}"
