"""Monitoring reports: a school report (summary figures, charts, XLSX, DOCX) for a school of
10,000 participants and 100,000 meetings, and a district XLSX for 100 schools. Time and the
largest event-loop stall are measured in one run, the peak Python memory (tracemalloc, which
slows everything down) in a second."""

from __future__ import annotations

import asyncio
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.assembly import build_dispatcher
from bench import settled_heap
from bench.surveys import Sleeper
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.reports.service import DistrictReport, ReportService, SchoolReport, SiteExport
from bot.services import Services
from storage.db import Database, to_db_time
from storage.models import District, Organization
from storage.organizations import OrganizationsRepo

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"


def _service(db: Database) -> ReportService:
    """The report service as the bot assembles it."""
    settings = Settings(token=TOKEN, admins=frozenset(), timezone=ZoneInfo("Europe/Moscow"))
    services: Services = build_dispatcher(settings, db, SystemClock())["services"]
    return services.reports


async def _fill(
    db: Database, school_id: int, first_person: int, participants: int, meetings: int
) -> None:
    """Half mentors, half mentees (each with a submitted questionnaire), 80% of the mentees
    in one-to-one pairs, the meetings spread over the pairs and nine months, a fifth of them
    with a feedback form saying it took place."""
    now = SystemClock().now()
    stamp = to_db_time(now)
    mentors = participants // 2
    paired = int((participants - mentors) * 0.8)
    people = range(first_person, first_person + participants)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            [(p, 5_000_000 + p, stamp) for p in people],
        )
        await conn.executemany(
            "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
            " VALUES (?, ?, ?, ?)",
            [
                (p, "mentor" if p - first_person < mentors else "mentee", school_id, stamp)
                for p in people
            ],
        )
        await conn.executemany(
            "INSERT INTO form_sessions (id, person_id, organization_id, form_id, form_version,"
            " status, current_question, started_at, updated_at, submitted_at)"
            " VALUES (?, ?, ?, ?, 1, 'submitted', '', ?, ?, ?)",
            [
                (
                    p,
                    p,
                    school_id,
                    "mentor_questionnaire"
                    if p - first_person < mentors
                    else "mentee_questionnaire",
                    stamp,
                    stamp,
                    stamp,
                )
                for p in people
            ],
        )
        await conn.executemany(
            "INSERT INTO form_answers (session_id, question_id, value, answered_at)"
            " VALUES (?, 'full_name', ?, ?)",
            [(p, f'"Участник {p}"', stamp) for p in people],
        )
        pairs = []
        for n in range(paired):
            mentor, mentee = first_person + n % mentors, first_person + mentors + n
            row = await conn.fetch_one(
                "INSERT INTO pairs (organization_id, mentor_id, form, kind, status, created_by,"
                " created_at, activated_at) VALUES (?, ?, 'teacher_teacher', 'traditional',"
                " 'active', 1, ?, ?) RETURNING id",
                (school_id, mentor, stamp, stamp),
            )
            assert row is not None
            pairs.append((int(row["id"]), mentor, mentee))
        await conn.executemany(
            "INSERT INTO pair_participants (pair_id, person_id, role, decision)"
            " VALUES (?, ?, ?, 'accepted')",
            [(p, m, "mentor") for p, m, _ in pairs] + [(p, e, "mentee") for p, _, e in pairs],
        )
        # Every program's growth self-assessment at its start and completion, both sides.
        await conn.executemany(
            "INSERT INTO survey_campaigns (id, organization_id, form_id, form_version, anonymous,"
            " status, audience, created_by, created_at, launched_at)"
            " VALUES (?, ?, 'survey_growth', 1, 0, 'running', 'school', 1, ?, ?)",
            [(p * 2 + end, school_id, stamp, stamp) for p, _, _ in pairs for end in (0, 1)],
        )
        await conn.executemany(
            "INSERT INTO program_surveys (pair_id, stage, survey_id, sent_at) VALUES (?, ?, ?, ?)",
            [
                (p, stage, p * 2 + end, stamp)
                for p, _, _ in pairs
                for end, stage in enumerate(("growth_start", "growth_end"))
            ],
        )
        await conn.executemany(
            "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (
                    f"{p * 2 + end}-{person}",
                    p * 2 + end,
                    person,
                    role,
                    json.dumps({"area_lesson": 5 + end * 2 + person % 3, "motivation": 6 + end}),
                )
                for p, mentor, mentee in pairs
                for person, role in ((mentor, "mentor"), (mentee, "mentee"))
                for end in (0, 1)
            ],
        )
        rows = []
        for n in range(meetings):
            pair_id, mentor, _ = pairs[n % len(pairs)]
            when = now - timedelta(days=270) + timedelta(hours=(n * 7) % (300 * 24))
            rows.append((pair_id, to_db_time(when), "confirmed" if n % 4 else "proposed", mentor))
        await conn.executemany(
            "INSERT INTO meetings (pair_id, kind, starts_at, place, topic, status, proposed_by,"
            " created_at) VALUES (?, 'regular', ?, '', '', ?, ?, ?)",
            [(*r, stamp) for r in rows],
        )
        ids = await conn.fetch_all(
            "SELECT m.id, m.proposed_by FROM meetings m JOIN pairs p ON p.id = m.pair_id"
            " WHERE p.organization_id = ? ORDER BY m.id",
            (school_id,),
        )
        session = 50_000_000 + first_person * 100  # clear of the questionnaires
        feedback = []
        for index, meeting in enumerate(ids):
            if index % 5 == 0:
                session += 1
                feedback.append((session, meeting["proposed_by"], meeting["id"]))
        await conn.executemany(
            "INSERT INTO form_sessions (id, person_id, organization_id, form_id, form_version,"
            " status, current_question, started_at, updated_at, submitted_at)"
            " VALUES (?, ?, ?, 'meeting_feedback', 1, 'submitted', '', ?, ?, ?)",
            [(s, p, school_id, stamp, stamp, stamp) for s, p, _ in feedback],
        )
        await conn.executemany(
            "INSERT INTO form_answers (session_id, question_id, value, answered_at)"
            " VALUES (?, 'happened', 'true', ?)",
            [(s, stamp) for s, _, _ in feedback],
        )
        await conn.executemany(
            "INSERT INTO meeting_feedback (meeting_id, person_id, session_id) VALUES (?, ?, ?)",
            [(m, p, s) for s, p, m in feedback],
        )


async def _measure(
    make: Callable[[], Awaitable[object]],
) -> tuple[float, float, float]:
    """Seconds and worst stall (ms) of one run, then the peak traced memory (MB) of another."""
    gc.collect()
    sleeper = Sleeper()
    watcher = asyncio.create_task(sleeper.run())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    await make()
    seconds = time.perf_counter() - started
    sleeper.stop()
    await watcher
    tracemalloc.start()
    await make()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, sleeper.worst * 1000, peak / 2**20


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    participants = 1_000 if quick else 10_000
    meetings = 10_000 if quick else 100_000
    schools = 20 if quick else 100
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "reports.db")
        await db.migrate()
        organizations = OrganizationsRepo(db)
        district = await organizations.create_district("Округ", clock.now())
        assert district is not None
        made: list[Organization] = []
        for number in range(schools):
            school = await organizations.create_school(
                district.id, f"МБОУ СОШ № {number + 1}", "Europe/Moscow", clock.now()
            )
            assert school is not None
            made.append(school)
        await _fill(db, made[0].id, 10_000, participants, meetings)
        for number, school in enumerate(made[1:], start=1):
            await _fill(db, school.id, 100_000 + number * 1_000, 60, 300)
        service = _service(db)
        # Warm up the imports (matplotlib, openpyxl, python-docx): the bot pays them once.
        await service.school_report(made[-1], None)

        async def school_report() -> None:
            report = await service.school_report(made[0], None)
            assert isinstance(report, SchoolReport) and len(report.charts) == 3, report
            assert report.figures.growth, "growth before/after drawn"

        async def site_export() -> None:
            export = await service.site_export(made[0])
            assert isinstance(export, SiteExport) and b"data:image/png" in export.html

        async def district_report() -> None:
            report = await service.district_report(
                District(district.id, district.name), made, (await _label(service, district, made))
            )
            assert isinstance(report, DistrictReport) and len(report.figures.schools) == schools

        with settled_heap():  # as the bot runs once started
            school_figures = await _measure(school_report)
            district_figures = await _measure(district_report)
            site_figures = await _measure(site_export)
        await db.close()
    size = f"{participants} participants, {meetings} meetings"
    return {
        "school_report_seconds": _figure(school_figures[0], "s", size),
        "school_report_worst_loop_stall_ms": _figure(school_figures[1], "ms", size),
        "school_report_peak_memory_mb": _figure(school_figures[2], "MB", size),
        "site_export_seconds": _figure(site_figures[0], "s", size),
        "site_export_worst_loop_stall_ms": _figure(site_figures[1], "ms", size),
        "site_export_peak_memory_mb": _figure(site_figures[2], "MB", size),
        "district_xlsx_seconds": _figure(district_figures[0], "s", f"{schools} schools"),
        "district_xlsx_worst_loop_stall_ms": _figure(
            district_figures[1], "ms", f"{schools} schools"
        ),
        "district_xlsx_peak_memory_mb": _figure(district_figures[2], "MB", f"{schools} schools"),
    }


async def _label(service: ReportService, district: District, schools: list[Organization]) -> str:
    return (await service.district_years(district, schools))[0]


def _figure(value: float, unit: str, size: str) -> dict[str, Any]:
    return {
        "value": round(value, 3 if unit == "s" else 1),
        "unit": unit,
        "size": size,
        "baseline_value": None,
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
