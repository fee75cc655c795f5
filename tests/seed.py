"""Arranging a school full of participants straight through the repositories, so a test can
spend its dispatcher steps on the behaviour it checks."""

from __future__ import annotations

from typing import Any

from bot.forms.catalog import DEFAULT_CATALOG, PERSONAL_DATA_CONSENT
from bot.privacy.consent import document_hash
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.forms import FormSessionsRepo
from storage.models import ConsentKind, Role, RoleGrant
from storage.organizations import OrganizationsRepo
from storage.people import PeopleRepo
from tests.harness import FakeClock

MENTEE_ANSWERS: dict[str, Any] = {
    "full_name": "Наставляемая",
    "position": "учитель",
    "category": "young",
    "subjects": ["math"],
    "experience": 1,
    "difficulties": ["lesson", "discipline"],
    "expectations": None,
    "format": "in_person",
    "days": ["mon"],
    "times": ["after"],
}
MENTOR_ANSWERS: dict[str, Any] = {
    "full_name": "Наставник",
    "position": "учитель",
    "subjects": ["math"],
    "experience": 20,
    "qualification": "highest",
    "competences": ["lesson", "discipline"],
    "has_experience": False,
    "capacity": 1,
    "format": "in_person",
    "days": ["mon"],
    "times": ["after"],
}


async def school(db: Database, clock: FakeClock, name: str = "Школа № 1") -> int:
    organizations = OrganizationsRepo(db)
    district = await organizations.create_district(f"Округ {name}", clock.now())
    assert district is not None
    created = await organizations.create_school(district.id, name, "Europe/Moscow", clock.now())
    assert created is not None
    return created.id


async def person(db: Database, clock: FakeClock, telegram_id: int, grant: RoleGrant) -> int:
    people = PeopleRepo(db)
    async with db.transaction() as conn:
        person_id = await people.ensure_in(conn, telegram_id, clock.now())
        await people.grant_in(conn, person_id, grant, clock.now())
    return person_id


async def participant(
    db: Database,
    clock: FakeClock,
    school_id: int,
    telegram_id: int,
    role: Role,
    **answers: Any,
) -> int:
    """A teacher who joined, consented and submitted the questionnaire of their role."""
    person_id = await person(db, clock, telegram_id, RoleGrant(role, organization_id=school_id))
    await ConsentsRepo(db).record(
        person_id,
        school_id,
        ConsentKind.PERSONAL_DATA,
        PERSONAL_DATA_CONSENT.version,
        document_hash(PERSONAL_DATA_CONSENT, "Школа"),
        True,
        clock.now(),
        1,
    )
    base = MENTEE_ANSWERS if role is Role.MENTEE else MENTOR_ANSWERS
    given = {**base, "full_name": f"{base['full_name']} {telegram_id}", **answers}
    form = DEFAULT_CATALOG.current(f"{role.value}_questionnaire")
    sessions = FormSessionsRepo(db)
    session = await sessions.start(
        person_id, school_id, form.id, form.version, "full_name", clock.now()
    )
    order = [q.id for q in form.questions]
    for index, question_id in enumerate(order):
        following = order[index + 1] if index + 1 < len(order) else ""
        await sessions.answer(
            session.id, question_id, given.get(question_id), following, clock.now()
        )
    assert await sessions.submit(session.id, list(given), clock.now())
    return person_id
