"""The daily roadmap sweep over 1,000 schools × 60 items with 10% due within the reminder window
(against 100 schools in the same run: linear or better), its largest event-loop stall, and the
.docx export of a 60-item roadmap."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import settled_heap
from bench.surveys import Sleeper
from bot.core.clock import SystemClock
from bot.core.config import QuietHours
from bot.forms.catalog import DEFAULT_CATALOG
from bot.participation.banks import BankService
from bot.roadmap import rules
from bot.roadmap.service import RoadmapService
from storage.consents import ConsentsRepo
from storage.db import Database, to_db_time
from storage.forms import FormSessionsRepo
from storage.models import RoadmapKind
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.roadmap import RoadmapRepo

ITEMS = 60
DUE_SHARE = 10  # every tenth item falls due within the week


def _service(db: Database) -> RoadmapService:
    clock = SystemClock()
    people = PeopleRepo(db)
    banks = BankService(
        people,
        FormSessionsRepo(db),
        ConsentsRepo(db),
        PairsRepo(db),
        OutboxRepo(db),
        DEFAULT_CATALOG,
        QuietHours(),
        clock,
    )
    return RoadmapService(
        RoadmapRepo(db),
        OrganizationsRepo(db),
        people,
        banks,
        OutboxRepo(db),
        QuietHours(),
        clock,
    )


async def _fill(db: Database, schools: int) -> None:
    """Schools with a curator each and this year's roadmap of 60 items, each with a person."""
    now = SystemClock().now()
    stamp = to_db_time(now)
    today = now.date()
    label = rules.year_label(rules.year_start(today))
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO districts (id, name, created_at) VALUES (1, 'Округ', ?)", (stamp,)
        )
        await conn.executemany(
            "INSERT INTO organizations (id, district_id, name, timezone, created_at)"
            " VALUES (?, 1, ?, 'Europe/Moscow', ?)",
            [(s, f"Школа {s}", stamp) for s in range(1, schools + 1)],
        )
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            [(s, 10_000 + s, stamp) for s in range(1, schools + 1)],
        )
        await conn.executemany(
            "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
            " VALUES (?, 'curator', ?, ?)",
            [(s, s, stamp) for s in range(1, schools + 1)],
        )
        await conn.executemany(
            "INSERT INTO roadmaps (id, kind, scope_id, district_id, school_year, created_at)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            [(s, RoadmapKind.SCHOOL.value, s, label, stamp) for s in range(1, schools + 1)],
        )
        items = []
        for s in range(1, schools + 1):
            for n in range(ITEMS):
                ahead = 3 if n % DUE_SHARE == 0 else 30 + n
                items.append(
                    (
                        (s - 1) * ITEMS + n + 1,
                        s,
                        n,
                        (today + timedelta(days=ahead)).isoformat(),
                    )
                )
        await conn.executemany(
            "INSERT INTO roadmap_items (id, roadmap_id, position, stage, activity, content,"
            " deadline_kind, due_on, status) VALUES (?, ?, ?, 'Этап', 'Мероприятие',"
            " 'Содержание деятельности', 'date', ?, 'planned')",
            items,
        )
        await conn.executemany(
            "INSERT INTO roadmap_responsibles (item_id, person_id) VALUES (?, ?)",
            [(item[0], item[1]) for item in items],
        )


async def _sweep(schools: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        await db.migrate()
        await _fill(db, schools)
        service = _service(db)
        with settled_heap():
            sleeper = Sleeper()
            watcher = asyncio.create_task(sleeper.run())
            await asyncio.sleep(0.02)
            started = time.perf_counter()
            report = await service.sweep()
            seconds = time.perf_counter() - started
            sleeper.stop()
            await watcher
        assert report.roadmaps == schools, report
        await db.close()
    return seconds, sleeper.worst, report.queued


async def _docx() -> float:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        await db.migrate()
        await _fill(db, 1)
        service = _service(db)
        roadmap = await RoadmapRepo(db).get(1)
        assert roadmap is not None
        await service.docx(roadmap)  # python-docx loaded once, as in the running bot
        started = time.perf_counter()
        content = await service.docx(roadmap)
        seconds = time.perf_counter() - started
        assert content
        await db.close()
    return seconds


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    small, large = (20, 200) if quick else (100, 1000)
    base, _, _ = await _sweep(small)
    seconds, stall, queued = await _sweep(large)
    docx = await _docx()
    return {
        "roadmap_sweep_seconds": {
            "value": round(seconds, 3),
            "unit": "s",
            "size": f"{large} schools × {ITEMS} items, 10% due, {queued} outbox rows",
            "baseline": f"{small} schools, ×{large // small} = linear",
            "baseline_value": round(base, 3),
        },
        "roadmap_sweep_worst_loop_stall_ms": {
            "value": round(stall * 1000, 1),
            "unit": "ms",
            "size": f"{large} schools",
            "baseline_value": None,
        },
        "roadmap_docx_seconds": {
            "value": round(docx, 3),
            "unit": "s",
            "size": f"{ITEMS} items",
            "baseline_value": None,
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
