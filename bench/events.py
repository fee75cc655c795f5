"""An event for a whole school: creating it with its invitations for 2,000 participants (against
200 in the same run: linear or better), one «Иду» answer with its reminders, and the
organiser's card of 2,000 answers, with the largest event-loop stall while creating."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import timedelta
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


def _service(db: Database) -> EventService:
    """The events service as the bot assembles it (broadcast audiences included)."""
    settings = Settings(token=TOKEN, admins=frozenset(), timezone=ZoneInfo("Europe/Moscow"))
    services: Services = build_dispatcher(settings, db, SystemClock())["services"]
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


async def _measure(participants: int) -> tuple[float, float, float, float]:
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
        await db.close()
    return create, sleeper.worst, answer, shown


async def _run(quick: bool) -> dict[str, dict[str, Any]]:
    small, large = (50, 500) if quick else (200, 2000)
    base, _, _, base_card = await _measure(small)
    create, stall, answer, card = await _measure(large)
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
    }


def run(quick: bool) -> dict[str, dict[str, Any]]:
    return asyncio.run(_run(quick))
