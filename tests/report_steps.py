"""Shared steps of the monitoring report tests (issue 14): opening the reports, reading what
the bot uploaded (PNG, XLSX, DOCX), seeding meetings, surveys and a district of two schools."""

from __future__ import annotations

import io
import json
import struct
from datetime import timedelta
from typing import Any

from docx import Document
from openpyxl import load_workbook

from bot.core.i18n import tr
from bot.surveys.templates import GROWTH_SELF_ASSESSMENT, MENTEE_SATISFACTION, MENTOR_SATISFACTION
from storage.db import Database, to_db_time
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, Role, RoleGrant
from storage.organizations import OrganizationsRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR

COORDINATOR = 70
REPORT = "📊 Отчёт за текущий учебный год"


async def open_reports(tg: Harness, user: int = CURATOR, school: str = "Школа № 1") -> None:
    await tg.send(user, "/menu")
    await tg.press(user, f"🏫 {school}")
    await tg.press(user, tr.plain("btn-reports"))


def uploads(tg: Harness, chat: int) -> dict[str, bytes]:
    return {name: content for who, name, content in tg.fake.uploads if who == chat}


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def sheet_rows(content: bytes, title: str) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


async def meeting(
    db: Database, clock: FakeClock, pair_id: int, proposer: int, days: int, confirmed: bool
) -> int:
    repo = MeetingsRepo(db)
    meeting_id = await repo.create(
        pair_id,
        MeetingKind.REGULAR,
        clock.now() + timedelta(days=days),
        "каб. 204",
        "",
        proposer,
        clock.now(),
    )
    if confirmed:
        assert await repo.confirm(meeting_id, 1, clock.now())
    return meeting_id


async def satisfaction_survey(
    db: Database, clock: FakeClock, school_id: int, role: Role, scores: list[int]
) -> None:
    """A launched satisfaction survey with one anonymous response per score."""
    form = MENTOR_SATISFACTION if role is Role.MENTOR else MENTEE_SATISFACTION
    stamp = to_db_time(clock.now() - timedelta(days=1))
    row = await db.fetch_one(
        "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous, status,"
        " audience, created_by, created_at, launched_at) VALUES (?, ?, 1, 1, 'running', ?, ?,"
        " ?, ?) RETURNING id",
        (
            school_id,
            form.id,
            "mentors" if role is Role.MENTOR else "mentees",
            CURATOR,
            stamp,
            stamp,
        ),
    )
    assert row is not None
    for index, score in enumerate(scores):
        await db.execute(
            "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
            " VALUES (?, ?, NULL, ?, ?)",
            (
                f"{row['id']}-{index}",
                row["id"],
                role.value,
                json.dumps({"expected": score, "actual": score - 1, "valuable": "всё"}),
            ),
        )


async def district_with_two_schools(db: Database, clock: FakeClock) -> tuple[int, int, int]:
    organizations = OrganizationsRepo(db)
    district = await organizations.create_district("Устьянский округ", clock.now())
    assert district is not None
    first = await organizations.create_school(
        district.id, "МБОУ ОСОШ № 1", "Europe/Moscow", clock.now()
    )
    second = await organizations.create_school(
        district.id, "МБОУ ОСОШ № 2", "Europe/Moscow", clock.now()
    )
    assert first is not None and second is not None
    await seed.person(db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=district.id))
    await seed.person(db, clock, CURATOR, RoleGrant(Role.CURATOR, organization_id=first.id))
    return district.id, first.id, second.id


async def growth_surveys(
    db: Database,
    clock: FakeClock,
    school_id: int,
    pair_id: int,
    scores: dict[int, tuple[dict[str, int], dict[str, int]]],
) -> None:
    """The pair's growth self-assessments at the start and at completion, as bot/completion
    records them: one named response per person id, before and after."""
    stamp = to_db_time(clock.now() - timedelta(days=1))
    for stage, index in (("growth_start", 0), ("growth_end", 1)):
        row = await db.fetch_one(
            "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous,"
            " status, audience, created_by, created_at, launched_at) VALUES (?, ?, 1, 0,"
            " 'running', 'school', ?, ?, ?) RETURNING id",
            (school_id, GROWTH_SELF_ASSESSMENT.id, CURATOR, stamp, stamp),
        )
        assert row is not None
        await db.execute(
            "INSERT INTO program_surveys (pair_id, stage, survey_id, sent_at) VALUES (?, ?, ?, ?)",
            (pair_id, stage, row["id"], stamp),
        )
        for person_id, answers in scores.items():
            await db.execute(
                "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
                " VALUES (?, ?, ?, 'mentee', ?)",
                (f"{row['id']}-{person_id}", row["id"], person_id, json.dumps(answers[index])),
            )
