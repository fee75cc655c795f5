"""A launch cut short by a crash (issue 13): the process dies between two batches of a launch;
the next run (start-up, or the hourly job) queues what is missing, and nobody gets a message
twice (every message has its unique key)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot

import bot.surveys.service as survey_service
import storage.surveys as survey_storage
from bot.surveys.templates import INTERMEDIATE_FEEDBACK
from storage.db import Database
from storage.models import Role, RoleGrant, SurveyAudience
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.surveys import SurveysRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import drain

MENTEES = tuple(range(21, 28))


class Crash(Exception):
    """The process dying half-way."""


def _crash_on(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, call: int) -> None:
    """`owner.name` raises on its `call`-th call (the earlier ones go through)."""
    real = getattr(owner, name)
    calls = 0

    async def dying(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise Crash
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, dying)


async def _draft(tg: Harness, db: Database, clock: FakeClock, school: int) -> Any:
    for mentee in MENTEES:
        await seed.participant(db, clock, school, mentee, Role.MENTEE)
    surveys = tg.dp["services"].surveys
    draft = await surveys.create(school, INTERMEDIATE_FEEDBACK, 1)
    repo = SurveysRepo(db)
    await repo.change_draft(draft.id, "audience", SurveyAudience.MENTEES.value)
    await repo.change_draft(draft.id, "deadline", clock.now() + timedelta(days=7))
    return await surveys.get(draft.id)


async def _invitations(tg: Harness, bot: Bot, db: Database, clock: FakeClock) -> Counter[int]:
    await drain(bot, db, clock)
    return Counter(
        chat
        for chat in MENTEES
        for text in tg.texts(chat)
        if "Опрос «Промежуточная обратная связь»" in text
    )


async def _queued(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT unique_key FROM outbox WHERE kind = 'survey'")
    return [row["unique_key"] for row in rows]


async def test_a_launch_dying_between_batches_of_messages_is_finished_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int, monkeypatch: Any
) -> None:
    campaign = await _draft(tg, db, clock, school)
    monkeypatch.setattr(survey_service, "OUTBOX_BATCH", 5)
    _crash_on(monkeypatch, OutboxRepo, "enqueue_many", 3)
    with pytest.raises(Crash):
        await tg.dp["services"].surveys.launch(campaign)
    monkeypatch.undo()
    before = await _queued(db)
    assert len(before) == 10  # two batches of five went in before the crash
    step = await db.fetch_one("SELECT launch_step FROM survey_campaigns")
    assert step is not None and step["launch_step"] == "queue"
    # The invitations queued before the crash go out; they are not sent again.
    sent = await _invitations(tg, bot, db, clock)
    assert set(sent) and set(sent) < set(MENTEES)
    await tg.dp["services"].surveys.sweep()  # what start-up and the hourly job run
    await tg.dp["services"].surveys.sweep()
    after = await _queued(db)
    assert len(after) == len(set(after)) == len(MENTEES) * 4  # invitation + 3 reminders each
    assert set(before) <= set(after)
    assert await _invitations(tg, bot, db, clock) == Counter(dict.fromkeys(MENTEES, 1))
    done = await db.fetch_one("SELECT status, launch_step FROM survey_campaigns")
    assert done is not None and (done["status"], done["launch_step"]) == ("running", None)


async def test_a_launch_dying_while_storing_recipients_gets_them_all(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int, monkeypatch: Any
) -> None:
    campaign = await _draft(tg, db, clock, school)
    monkeypatch.setattr(survey_storage, "BATCH", 3)
    _crash_on(monkeypatch, SurveysRepo, "add_recipients", 1)
    with pytest.raises(Crash):
        await tg.dp["services"].surveys.launch(campaign)
    monkeypatch.undo()
    row = await db.fetch_one("SELECT launch_step FROM survey_campaigns")
    assert row is not None and row["launch_step"] == "recipients"
    assert await _queued(db) == []
    await tg.dp["services"].surveys.sweep()
    recipients = await db.fetch_one("SELECT COUNT(*) AS n FROM survey_recipients")
    assert recipients is not None and recipients["n"] == len(MENTEES)
    assert await _invitations(tg, bot, db, clock) == Counter(dict.fromkeys(MENTEES, 1))


async def test_a_district_launch_dying_between_schools_reaches_every_school_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int, monkeypatch: Any
) -> None:
    organizations = OrganizationsRepo(db)
    first = await organizations.school(school)
    assert first is not None
    curators = {}
    for number in (2, 3):
        made = await organizations.create_school(
            first.district_id, f"Школа № {number}", "Europe/Moscow", clock.now()
        )
        assert made is not None
        curators[made.id] = 60 + number
        await seed.person(db, clock, 60 + number, RoleGrant(Role.CURATOR, organization_id=made.id))
    district = tg.dp["services"].district_surveys
    draft = await district.create(first.district_id, INTERMEDIATE_FEEDBACK, 1)
    assert await district.set_deadline(draft, "30.11 18:00")
    fresh = await district.get(draft.id)
    # The second school's campaign is made, its recipients never stored; the third never made.
    _crash_on(monkeypatch, SurveysRepo, "add_recipients", 2)
    with pytest.raises(Crash):
        await district.launch(fresh)
    monkeypatch.undo()
    parts = await db.fetch_all("SELECT organization_id, launch_step FROM survey_campaigns")
    assert len(parts) == 2
    await district.resume()
    await tg.dp["services"].surveys.sweep()
    await district.resume()
    parts = await db.fetch_all("SELECT organization_id, launch_step FROM survey_campaigns")
    assert len(parts) == 3 and all(p["launch_step"] is None for p in parts)
    await drain(bot, db, clock)
    for chat in (50, *curators.values()):
        invitations = [t for t in tg.texts(chat) if "Опрос «Промежуточная" in t]
        assert len(invitations) == 1, chat
    state = await db.fetch_one("SELECT launch_step FROM survey_district_campaigns")
    assert state is not None and state["launch_step"] is None
