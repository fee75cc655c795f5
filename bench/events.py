"""An event for a whole school: creating it with its invitations for 2,000 participants (against
200 in the same run: linear or better), one «Иду» answer with its reminders, the organiser's
card of 2,000 answers, with the largest event-loop stall while creating; after it, one tick on
the attendance checklist and the materials queued to everyone present."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.assembly import build_dispatcher
from bench.surveys import Sleeper
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.permissions import Actor
from bot.events.service import Draft, EventAudience, EventCard, EventService
from bot.services import Services
from storage.db import Database, to_db_time
from storage.events import EventKind
from storage.models import Person, Role, RoleGrant

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake1"


FILES = 3  # materials sent after the event


class _Later(SystemClock):
    """The clock after the event: attendance and materials are for a held event."""

    def __init__(self, moment: datetime) -> None:
        self._moment = moment

    def now(self) -> datetime:
        return self._moment


def _service(db: Database, clock: SystemClock | None = None) -> EventService:
    """The events service as the bot assembles it (broadcast audiences included)."""
    settings = Settings(token=TOKEN, admins=frozenset(), timezone=ZoneInfo("Europe/Moscow"))
    services: Services = build_dispatcher(settings, db, clock or SystemClock())["services"]
    return services.events


async def _fill(db: Database, participants: int) -> Actor:
    now = SystemClock().now()
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO districts (id, name, created_at) VALUES (1, 'Округ', ?)", (stamp,)
        )
        await conn.execute(
            "INSERT INTO organizations (id, district_id, name, timezone, created_at)"
            " VALUES (1, 1, 'Школа', 'Europe/Moscow', ?)",
            (stamp,),
        )
        await conn.executemany(
            "INSERT INTO people (id, telegram_id, is_active, created_at) VALUES (?, ?, 1, ?)",
            [(p, 10_000 + p, stamp) for p in range(1, participants + 2)],
        )
        await conn.executemany(
            "INSERT INTO role_grants (person_id, role, organization_id, granted_at)"
            " VALUES (?, ?, 1, ?)",
            [(1, Role.CURATOR.value, stamp)]
            + [
                (p, (Role.MENTOR if p % 2 else Role.MENTEE).value, stamp)
                for p in range(2, participants + 2)
            ],
        )
    person = Person(id=1, telegram_id=10_001, is_active=True)
    return Actor(10_001, person, (RoleGrant(Role.CURATOR, organization_id=1),))


async def _measure(participants: int) -> tuple[float, float, float, float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        await db.migrate()
        actor = await _fill(db, participants)
        service = _service(db)
        draft = Draft(
            EventKind.MENTOR_SCHOOL,
            "Школа наставников",
            SystemClock().now() + timedelta(days=3),
            "Актовый зал",
            EventAudience.EVERYONE,
            "bench",
        )
        sleeper = Sleeper()
        watcher = asyncio.create_task(sleeper.run())
        await asyncio.sleep(0.02)
        started = time.perf_counter()
        created = await service.create(actor, 1, 1, draft)
        create = time.perf_counter() - started
        sleeper.stop()
        await watcher
        assert not isinstance(created, str) and created.invited == participants, created
        invitee = Actor(10_002, Person(2, 10_002, True), ())
        started = time.perf_counter()
        await service.answer(invitee, created.event.id, True)
        answer = time.perf_counter() - started
        started = time.perf_counter()
        card = await service.card(actor, created.event.id)
        shown = time.perf_counter() - started
        assert isinstance(card, EventCard) and len(card.guests) == participants
        later = _Later(created.event.starts_at + timedelta(hours=2))
        service = _service(db, later)
        started = time.perf_counter()
        marked = await service.mark(actor, created.event.id, 2, True)
        mark = time.perf_counter() - started
        assert isinstance(marked, EventCard) and marked.attended == 1
        await service.mark_going(actor, created.event.id)
        for n in range(FILES):
            await service.add_material(actor, created.event.id, f"F{n}", f"{n}.pdf")
        await db.execute("UPDATE event_invitations SET attended = 1")
        started = time.perf_counter()
        sent = await service.send_materials(actor, created.event.id)
        materials = time.perf_counter() - started
        assert sent == participants, sent
        await db.close()
    return create, sleeper.worst, answer, shown, mark, materials


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    small, large = (50, 500) if quick else (200, 2000)
    base, _, _, base_card, base_mark, base_materials = await _measure(small)
    create, stall, answer, card, mark, materials = await _measure(large)
    return {
        "event_create_seconds": {
            "value": round(create, 3),
            "unit": "s",
            "size": f"{large} invitations queued",
            "baseline": f"{small} invitations, ×{large // small} = linear",
            "baseline_value": round(base, 3),
        },
        "event_create_worst_loop_stall_ms": {
            "value": round(stall * 1000, 1),
            "unit": "ms",
            "size": f"{large} invitations",
            "baseline_value": None,
        },
        "event_answer_ms": {
            "value": round(answer * 1000, 1),
            "unit": "ms",
            "size": f"one «Иду» of {large}, two reminders queued",
            "baseline_value": None,
        },
        "event_card_seconds": {
            "value": round(card, 3),
            "unit": "s",
            "size": f"{large} answers",
            "baseline": f"{small} answers",
            "baseline_value": round(base_card, 3),
        },
        "event_attendance_mark_ms": {
            "value": round(mark * 1000, 1),
            "unit": "ms",
            "size": f"one tick on the checklist of {large} guests, the card reread",
            "baseline": f"{small} guests",
            "baseline_value": round(base_mark * 1000, 1),
        },
        "event_materials_queue_seconds": {
            "value": round(materials, 3),
            "unit": "s",
            "size": f"{large} present × ({FILES} documents + a notice) queued",
            "baseline": f"{small} present",
            "baseline_value": round(base_materials, 3),
        },
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
