"""A coordinator's broadcasts to the district (issue 15), and a restart in the middle of a
broadcast: through the dispatcher and the outbox, what each person receives and what is
stored. The district's broadcast is one row per school, grouped under the first."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot

import bot.broadcasts.service as broadcast_service
from app.assembly import build_dispatcher
from bot.broadcasts.service import Audience, Draft
from bot.core.config import OutboxSettings, Settings
from bot.core.i18n import tr
from bot.core.outbox import OutboxSender
from bot.core.permissions import Actor
from bot.ui.callbacks import BroadcastAction, BroadcastCb, DistrictBroadcastCb
from storage.broadcasts import Content
from storage.db import Database
from storage.models import Role, RoleGrant
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, MENTEE, MENTOR, coordinator, deliver, district_of, drain, teachers

TEXT = "<b>Совещание кураторов</b> в четверг в 15:00."
SHOWN = "Совещание кураторов в четверг в 15:00."
COORDINATOR = 60
CURATOR_2 = 51  # the curator of the district's second school
MENTOR_2 = 401  # a mentor of the second school
DISTRICT = "🏛 Округ Школа № 1"
FORBIDDEN = tr.plain("broadcast-refusal", reason="district_forbidden")


async def _district(db: Database, clock: FakeClock, school: int, zone: str) -> tuple[int, int]:
    """The district of `school` with a second school in `zone`, its curator and a mentor, and
    the district's coordinator. Returns (district id, second school id)."""
    district = await district_of(db, school)
    other = await OrganizationsRepo(db).create_school(district, "Школа № 2", zone, clock.now())
    assert other is not None
    await seed.person(db, clock, CURATOR_2, RoleGrant(Role.CURATOR, organization_id=other.id))
    await coordinator(db, clock, school, COORDINATOR)
    await teachers(db, clock, school)
    await teachers(db, clock, other.id, (MENTOR_2,), ())
    return district, other.id


async def _compose(tg: Harness, audience: Audience) -> dict[str, Any]:
    """The coordinator, from the district's screen, up to the confirmation."""
    await tg.send(COORDINATOR, "/menu")
    await tg.press(COORDINATOR, tr("btn-districts"))
    await tg.press(COORDINATOR, DISTRICT)
    home = await tg.press(COORDINATOR, tr.plain("btn-broadcasts"))
    assert "Рассылки · Округ Школа № 1" in home["text"]
    asked = await tg.press(COORDINATOR, tr.plain("btn-broadcast-new"))
    assert "текст объявления" in asked["text"]
    audiences = await tg.send(COORDINATOR, TEXT)
    assert tr.plain("btn-broadcast-audience", audience=Audience.MENTORS) not in tg.fake.buttons(
        audiences
    )  # the school's audiences are the curator's
    await tg.press(COORDINATOR, tr.plain("btn-broadcast-district-audience", audience=audience))
    preview, confirm = tg.fake.bot_messages(COORDINATOR)[-2:]
    assert preview["text"] == SHOWN
    return confirm


async def _progress(tg: Harness, db: Database, clock: FakeClock) -> None:
    clock.advance(seconds=5)
    await tg.dp["services"].broadcasts.report_progress()
    await drain(tg.bot, db, clock)


def _message(tg: Harness, chat_id: int, message_id: int) -> dict[str, Any]:
    return next(m for m in tg.fake.bot_messages(chat_id) if m["message_id"] == message_id)


async def _count(db: Database, sql: str) -> int:
    row = await db.fetch_one(sql)
    assert row is not None
    return int(row["n"])


async def _copies(db: Database) -> int:
    return await _count(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'broadcast'")


async def test_a_coordinator_reaches_the_curators_of_the_district_and_again_who_missed_it(
    tg: Harness, db: Database, clock: FakeClock, school: int, fake: FakeTelegram
) -> None:
    _, other = await _district(db, clock, school, "Europe/Samara")
    fake.blocked.add(CURATOR_2)
    confirm = await _compose(tg, Audience.CURATORS)
    assert "кураторы школ округа — 2 человека" in confirm["text"]
    assert "время тишины" not in confirm["text"]
    live = await tg.press(COORDINATOR, tr.plain("btn-broadcast-send"))
    assert "кураторам школ округа" in live["text"] and "в очереди: 2" in live["text"]
    rows = await db.fetch_all(
        "SELECT id, organization_id, district_broadcast_id FROM broadcasts ORDER BY id"
    )
    lead = rows[0]["id"]
    assert [(r["organization_id"], r["district_broadcast_id"]) for r in rows] == [
        (school, lead),
        (other, lead),
    ]  # one row per school, grouped under the first
    await drain(tg.bot, db, clock)
    await _progress(tg, db, clock)
    assert tg.texts(CURATOR) == [SHOWN]
    assert tg.texts(MENTOR) == [] and tg.texts(MENTOR_2) == []
    final = _message(tg, COORDINATOR, live["message_id"])  # the one message, edited in place
    assert "Доставлено: 1 · не доставлено: 1 · в очереди: 0" in final["text"]
    assert "Школа № 2\n• 51 — заблокировал(а) бота" in final["text"]

    fake.blocked.discard(CURATOR_2)
    data = tg.fake.buttons(final)[tr.plain("btn-broadcast-again")]
    again = await tg.press_data(COORDINATOR, data, final)
    await tg.press_data(COORDINATOR, data, final)  # a double tap: one resend
    assert "тем, кто не получил" in again["text"] and "в очереди: 1" in again["text"]
    await drain(tg.bot, db, clock)
    assert tg.texts(CURATOR_2) == [SHOWN] and tg.texts(CURATOR) == [SHOWN]
    assert await _count(db, "SELECT COUNT(*) AS n FROM broadcasts") == 4
    assert await _copies(db) == 3

    # The history aggregates each group; the curator's own history does not list it.
    await tg.send(COORDINATOR, "/menu")
    await tg.press(COORDINATOR, tr("btn-districts"))
    await tg.press(COORDINATOR, DISTRICT)
    history = await tg.press(COORDINATOR, tr.plain("btn-broadcasts"))
    labels = [label for label in tg.fake.buttons(history) if "доставлено" in label]
    assert [label.split(" · ")[1] for label in labels] == [
        "доставлено 1 из 1",
        "доставлено 1 из 2",
    ]
    card = await tg.press(COORDINATOR, labels[1])
    assert "Доставлено: 1 · не доставлено: 1" in card["text"]
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    own = await tg.press(CURATOR, tr.plain("btn-broadcasts"))
    assert tr("broadcasts-none") in own["text"]


async def test_all_participants_of_the_district_and_a_school_in_its_quiet_hours(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    # 12:00 in Moscow is 21:00 in Kamchatka: the second school's quiet hours have begun.
    await _district(db, clock, school, "Asia/Kamchatka")
    confirm = await _compose(tg, Audience.EVERYONE)
    assert "все участники школ округа — 3 человека" in confirm["text"]
    assert "В 1 школе округа в это время действует время тишины" in confirm["text"]
    live = await tg.press(COORDINATOR, tr.plain("btn-broadcast-send"))
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == [SHOWN] and tg.texts(MENTEE) == [SHOWN]
    assert tg.texts(MENTOR_2) == []  # held by the outbox until the morning there
    assert tg.texts(CURATOR) == [] and tg.texts(CURATOR_2) == []  # not participants
    await _progress(tg, db, clock)
    shown = _message(tg, COORDINATOR, live["message_id"])["text"]
    assert "Доставлено: 2 · не доставлено: 0 · в очереди: 1" in shown
    clock.advance(hours=10, minutes=59)  # 07:59 in Kamchatka
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR_2) == []
    clock.advance(minutes=1)  # 08:00
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR_2) == [SHOWN] and tg.texts(MENTOR) == [SHOWN]
    await _progress(tg, db, clock)
    final = _message(tg, COORDINATOR, live["message_id"])["text"]
    assert "Доставлено: 3 · не доставлено: 0 · в очереди: 0" in final
    assert "Рассылка завершена" in final
    assert await _copies(db) == 3


async def test_forged_presses_for_a_district_are_refused_and_store_nothing(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    district, _ = await _district(db, clock, school, "Europe/Moscow")
    foreign = await seed.school(db, clock, "Школа № 3")  # in a district of its own
    foreign_district = await district_of(db, foreign)
    actions = (
        BroadcastAction.HOME,
        BroadcastAction.NEW,
        BroadcastAction.AUDIENCE,
        BroadcastAction.SEND,
        BroadcastAction.CARD,
    )
    # The coordinator, for another district.
    await tg.send(COORDINATOR, "/menu")
    for action in actions:
        data = DistrictBroadcastCb(action=action, district_id=foreign_district).pack()
        await tg.press_data(COORDINATOR, data)
        assert tg.alert() == FORBIDDEN
    # The coordinator, for a school of their district: that is its curator's.
    await tg.press_data(
        COORDINATOR, BroadcastCb(action=BroadcastAction.NEW, school_id=school).pack()
    )
    assert "только её куратор" in tg.alert()
    # A curator, and a mentee, for the district.
    await tg.send(CURATOR, "/menu")
    await tg.send(MENTEE, "/menu")
    for action in actions:
        data = DistrictBroadcastCb(action=action, district_id=district).pack()
        await tg.press_data(CURATOR, data)
        assert tg.alert() == FORBIDDEN
        await tg.press_data(MENTEE, data)
        assert tg.alert() == tr.plain("forbidden")
    assert await _count(db, "SELECT COUNT(*) AS n FROM broadcasts") == 0
    assert await _copies(db) == 0
    # The curator's composer keeps the school's audiences.
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-broadcasts"))
    await tg.press(CURATOR, tr.plain("btn-broadcast-new"))
    audiences = await tg.send(CURATOR, TEXT)
    labels = tg.fake.buttons(audiences)
    assert tr.plain("btn-broadcast-audience", audience=Audience.MENTORS) in labels
    assert not any("округа" in label for label in labels)

    # A district's broadcast: its card, cancel and resend are the coordinator's only.
    person, grants = await PeopleRepo(db).with_grants(COORDINATOR)
    coordinator = Actor(COORDINATOR, person, tuple(grants))
    sent = await tg.dp["services"].broadcasts.send(
        coordinator, 0, Draft(Content(TEXT), Audience.CURATORS), "draft-1", district
    )
    assert not isinstance(sent, str)
    for action in (BroadcastAction.CARD, BroadcastAction.CANCEL, BroadcastAction.AGAIN):
        data = BroadcastCb(action=action, school_id=school, v=sent.broadcast.id).pack()
        await tg.press_data(CURATOR, data)
        assert tg.alert() == FORBIDDEN
    cancelled = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM broadcasts WHERE cancelled_at IS NULL"
    )
    assert cancelled is not None and cancelled["n"] == 2
    assert await _count(db, "SELECT COUNT(*) AS n FROM broadcasts") == 2
    await drain(tg.bot, db, clock)  # not cancelled by the forged press: delivered, once
    assert tg.texts(CURATOR).count(SHOWN) == 1 and tg.texts(CURATOR_2) == [SHOWN]


async def test_a_curator_who_is_also_the_coordinator_chooses_where_to_send(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await _district(db, clock, school, "Europe/Moscow")
    await coordinator(db, clock, school, CURATOR)
    chosen = await tg.send(CURATOR, "/broadcast")
    assert "Кому вы отправляете объявление" in chosen["text"]
    assert {"🏫 Школа № 1", DISTRICT} <= set(tg.fake.buttons(chosen))
    await tg.press(CURATOR, DISTRICT)
    audiences = await tg.send(CURATOR, TEXT)
    assert tr.plain("btn-broadcast-district-audience", audience=Audience.CURATORS) in (
        tg.fake.buttons(audiences)
    )
    # A coordinator only goes straight to the composer.
    asked = await tg.send(COORDINATOR, "/broadcast")
    assert "текст объявления" in asked["text"]


class _Crash(Exception):
    """The process dies here."""


async def test_a_restart_mid_broadcast_sends_each_copy_once_and_counts_right(
    tg: Harness,
    db: Database,
    clock: FakeClock,
    school: int,
    bot: Bot,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = (MENTOR, MENTEE, 402, 403, 404)
    await teachers(db, clock, school)
    await teachers(db, clock, school, people[2:], ())
    # The copies are queued two at a time; the process dies queueing the second batch.
    monkeypatch.setattr(broadcast_service, "BATCH", 2)
    enqueue_many = OutboxRepo.enqueue_many
    batches: list[int] = []

    async def dies_on_the_second(self: OutboxRepo, messages: list[Queued], now: Any) -> None:
        batches.append(len(messages))
        if len(batches) == 2:
            raise _Crash
        await enqueue_many(self, messages, now)

    monkeypatch.setattr(OutboxRepo, "enqueue_many", dies_on_the_second)
    await tg.send(CURATOR, "/broadcast")
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    confirm = tg.fake.last(CURATOR)
    send = tg.fake.buttons(confirm)[tr.plain("btn-broadcast-send")]
    await tg.press_data(CURATOR, send, confirm)
    monkeypatch.setattr(OutboxRepo, "enqueue_many", enqueue_many)
    assert batches == [2, 2]  # died queueing the second batch
    assert await _copies(db) == 2
    # The dying process's sender had taken one copy and sent the other.
    await db.execute(
        "UPDATE outbox SET status = 'claimed', claimed_by = 'dead-worker' WHERE id ="
        " (SELECT MIN(id) FROM outbox WHERE kind = 'broadcast')"
    )
    await deliver(bot, db, clock)
    assert sum(len(tg.texts(p)) for p in people) == 1

    # A new process on the same database; the curator's tap comes again (unanswered).
    restarted = Harness(build_dispatcher(settings, db, clock), bot, tg.fake, clock)
    await OutboxSender(bot, OutboxRepo(db), PeopleRepo(db), clock, OutboxSettings()).recover()
    live = await restarted.press_data(CURATOR, send, confirm)
    assert "Доставлено: 1 · не доставлено: 0 · в очереди: 4" in live["text"]
    await restarted.press_data(CURATOR, send, confirm)  # and once more: nothing twice
    assert "уже отправлена" in restarted.alert()
    await drain(bot, db, clock)
    clock.advance(seconds=5)
    await restarted.dp["services"].broadcasts.report_progress()
    await drain(bot, db, clock)
    for person in people:
        assert tg.texts(person) == [SHOWN], person
    final = _message(tg, CURATOR, live["message_id"])["text"]
    assert "Доставлено: 5 · не доставлено: 0 · в очереди: 0" in final
    assert "Рассылка завершена" in final
    assert await _copies(db) == 5
    assert await _count(db, "SELECT COUNT(*) AS n FROM broadcast_recipients") == 5
    assert await _count(db, "SELECT COUNT(*) AS n FROM broadcasts") == 1


async def test_a_scheduled_district_broadcast_is_cancelled_in_every_school(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await _district(db, clock, school, "Europe/Samara")
    await _compose(tg, Audience.CURATORS)
    await tg.press(COORDINATOR, tr.plain("btn-broadcast-later"))
    confirm = await tg.send(COORDINATOR, "завтра в 9:00")  # typed in the first school's time
    assert "Рассылка уйдёт 24.11.2026 09:00" in confirm["text"]
    live = await tg.press(COORDINATOR, tr.plain("btn-broadcast-send"))
    assert "уйдёт 24.11.2026 09:00" in live["text"] and "в очереди: 2" in live["text"]
    await tg.press(COORDINATOR, tr.plain("btn-broadcast-cancel"))
    assert "Отменено: 2" in tg.alert()
    await _progress(tg, db, clock)
    final = _message(tg, COORDINATOR, live["message_id"])["text"]
    assert "Отменено: 2" in final and "Рассылка завершена" in final
    rows = await db.fetch_all("SELECT cancelled_at FROM broadcasts")
    assert len(rows) == 2 and all(r["cancelled_at"] for r in rows)
    clock.advance(days=1)
    await drain(tg.bot, db, clock)
    assert tg.texts(CURATOR) == [] and tg.texts(CURATOR_2) == []
