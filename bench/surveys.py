"""A survey launched to 10,000 participants of one school: the launch (recipients, invitations
and reminders queued in batches) while a sleeper task measures the largest event-loop stall;
then the summary and the XLSX of 10,000 answers."""

from __future__ import annotations

import asyncio
import json
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import settled_heap
from bot.core.clock import SystemClock
from bot.core.config import QuietHours
from bot.forms.catalog import DEFAULT_CATALOG
from bot.forms.engine import FormEngine
from bot.surveys.service import SurveyService
from bot.surveys.templates import MENTEE_SATISFACTION, with_templates
from storage.db import Database, to_db_time
from storage.forms import FormSessionsRepo
from storage.models import SurveyAudience
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from storage.surveys import SurveysRepo


class Sleeper:
    """Wakes every 5 ms and records how much later than asked it got to run."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._running = True

    async def run(self) -> None:
        while self._running:
            asked = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - asked - 0.005)

    def stop(self) -> None:
        self._running = False


async def _school(db: Database, count: int) -> int:
    now = to_db_time(SystemClock().now())
    organizations = OrganizationsRepo(db)
    district = await organizations.create_district("Округ", SystemClock().now())
    assert district is not None
    school = await organizations.create_school(
        district.id, "Школа", "Europe/Moscow", SystemClock().now()
    )
    assert school is not None
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            [(1000 + n, 5_000_000 + n, now) for n in range(count)],
        )
        await conn.executemany(
            "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
            " VALUES (?, 'mentee', ?, ?)",
            [(1000 + n, school.id, now) for n in range(count)],
        )
    return school.id


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    count = 1_000 if quick else 10_000
    size = f"{count} participants"
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "surveys.db")
        await db.migrate()
        school = await _school(db, count)
        sessions = FormSessionsRepo(db)
        engine = FormEngine(sessions, with_templates(DEFAULT_CATALOG), clock)
        repo = SurveysRepo(db)
        service = SurveyService(
            repo,
            engine,
            sessions,
            PeopleRepo(db),
            OrganizationsRepo(db),
            OutboxRepo(db),
            QuietHours(),
            clock,
        )
        draft = await service.create(school, MENTEE_SATISFACTION, 1)
        await repo.change_draft(draft.id, "audience", SurveyAudience.MENTEES.value)
        await repo.change_draft(draft.id, "deadline", clock.now() + timedelta(days=7))
        campaign = await service.get(draft.id)
        assert campaign is not None

        with settled_heap():  # as the bot runs once started
            sleeper = Sleeper()
            watcher = asyncio.create_task(sleeper.run())
            await asyncio.sleep(0.02)
            started = time.perf_counter()
            launched = await service.launch(campaign)
            launch_seconds = time.perf_counter() - started
            sleeper.stop()
            await watcher
        assert launched == count, launched
        row = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox")
        queued = int(row["n"]) if row else 0

        answers = {
            q.id: (7 if q.kind.value == "scale" else True if q.kind.value == "yes_no" else "текст")
            for q in MENTEE_SATISFACTION.questions
        }
        answers["frequency"] = "weekly"
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
                " VALUES (?, ?, NULL, 'mentee', ?)",
                [
                    (
                        secrets.token_hex(16),
                        campaign.id,
                        json.dumps({**answers, "comfort": n % 10 + 1}),
                    )
                    for n in range(count)
                ],
            )
        with settled_heap():
            results_sleeper = Sleeper()
            watcher = asyncio.create_task(results_sleeper.run())
            await asyncio.sleep(0.02)
            started = time.perf_counter()
            summary = await service.summary(campaign)
            content = await service.xlsx(campaign)
            results_seconds = time.perf_counter() - started
            results_sleeper.stop()
            await watcher
        assert summary.groups[0].respondents == count and content
        await db.close()
    return {
        "survey_launch_seconds": {
            "value": round(launch_seconds, 3),
            "unit": "s",
            "size": f"{size}, {queued} outbox rows",
            "baseline_value": None,
        },
        "survey_launch_worst_loop_stall_ms": {
            "value": round(sleeper.worst * 1000, 1),
            "unit": "ms",
            "size": size,
            "baseline_value": None,
        },
        "survey_summary_and_xlsx_seconds": {
            "value": round(results_seconds, 3),
            "unit": "s",
            "size": f"{count} answers",
            "baseline_value": None,
        },
        "survey_summary_and_xlsx_worst_loop_stall_ms": {
            "value": round(results_sleeper.worst * 1000, 1),
            "unit": "ms",
            "size": f"{count} answers",
            "baseline_value": None,
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
