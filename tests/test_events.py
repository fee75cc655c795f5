"""Events the bot organises (issue 15), through the dispatcher: created by the curator or the
district's coordinator, invitations and answers, reminders held by the outbox's quiet hours, a
new time and a cancellation, attendance, materials and the school report; bad input refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot

from bot.core.i18n import tr
from bot.reports.documents import school_tables
from bot.reports.service import ReportRefusal
from bot.ui.callbacks import (
    AttendanceAction,
    AttendanceCb,
    EventAction,
    EventCb,
    EventReplyAction,
    EventReplyCb,
    EventsAction,
    EventsCb,
)
from storage.db import Database, from_db_time
from storage.events import EventKind, EventsRepo
from storage.models import Organization
from tests.harness import FakeClock, Harness
from tests.steps import (
    CURATOR,
    MENTEE,
    MENTOR,
    coordinator,
    deliver,
    district_of,
    drain,
    other_school,
    outbox_keys,
    school_event,
    teachers,
)

COORDINATOR = 60
MENTOR_2 = 12
GOING = tr.plain("btn-event-going")
NOT_GOING = tr.plain("btn-event-not-going")


async def _begin(tg: Harness, user: int = CURATOR, screen: str = "🏫 Школа № 1") -> None:
    await tg.send(user, "/menu")
    await tg.press(user, screen)
    home = await tg.press(user, tr.plain("btn-events"))
    assert "Мероприятия ·" in home["text"]
    await tg.press(user, tr.plain("btn-event-new"))
    await tg.press(user, "«Школа наставников»")


async def _create(
    tg: Harness, when: str, audience: str = "Наставников", user: int = CURATOR
) -> dict[str, Any]:
    await _begin(tg, user)
    await tg.send(user, "Школа наставников: первое занятие")
    await tg.send(user, when)
    await tg.send(user, "Кабинет 12")
    confirm = await tg.press(user, audience)
    assert "Создать мероприятие" in confirm["text"], confirm["text"]
    return await tg.press(user, tr.plain("btn-event-create"))


async def _event_id(db: Database) -> int:
    row = await db.fetch_one("SELECT MAX(id) AS id FROM events")
    assert row is not None and row["id"] is not None
    return int(row["id"])


async def _answers(db: Database) -> dict[int, str | None]:
    rows = await db.fetch_all("SELECT person_id, answer FROM event_invitations")
    return {row["person_id"]: row["answer"] for row in rows}


async def test_a_curator_creates_an_event_and_sees_the_answers(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    people = await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _begin(tg)
    await tg.send(CURATOR, "Школа наставников: первое занятие")
    # A day in the past is refused with a clear message, and the time is asked again.
    past = await tg.send(CURATOR, "вчера в 10:00")
    assert "Этот день уже прошёл" in past["text"]
    assert "Время 10:00 сегодня уже прошло" in (await tg.send(CURATOR, "в 10:00"))["text"]
    asked = await tg.send(CURATOR, "25.11")
    assert "во сколько?" in asked["text"]
    await tg.send(CURATOR, "15:00")
    await tg.send(CURATOR, "Кабинет 12")
    confirm = await tg.press(CURATOR, "Наставников")
    assert "Начало: 25.11.2026 15:00" in confirm["text"]  # the school's time (Moscow)
    assert "наставники — 2 человека" in confirm["text"]
    create = tg.fake.buttons(confirm)[tr.plain("btn-event-create")]
    created = await tg.press_data(CURATOR, create, confirm)
    assert "2 получателя" in created["text"]
    # A double tap on «Создать» creates and sends nothing twice.
    await tg.press_data(CURATOR, create, confirm)
    assert "уже создано" in tg.alert()
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM events")
    assert row is not None and row["n"] == 1
    event_id = await _event_id(db)

    await drain(tg.bot, db, clock)
    invitation = tg.fake.last(MENTOR)
    assert "«Школа наставников»: Школа наставников: первое занятие" in invitation["text"]
    assert {GOING, NOT_GOING} <= set(tg.fake.buttons(invitation))
    assert tg.texts(MENTEE) == []  # not in the audience

    answered = await tg.press(MENTOR, GOING)
    assert "Ваш ответ: иду" in answered["text"]
    await tg.press(MENTOR_2, NOT_GOING)
    # One answer a person, changeable before the event.
    await tg.press(MENTOR_2, GOING)
    await tg.press(MENTOR_2, NOT_GOING)
    assert await _answers(db) == {
        people[MENTOR]: "going",
        people[MENTOR_2]: "not_going",
    }
    pending = await outbox_keys(db, "pending")
    assert pending == [
        f"ev:{event_id}:rem:0:{people[MENTOR]}:1440",
        f"ev:{event_id}:rem:0:{people[MENTOR]}:60",
    ]
    withdrawn = await outbox_keys(db, "withdrawn")
    assert f"ev:{event_id}:rem:0:{people[MENTOR_2]}:60" in withdrawn

    card = await tg.press(CURATOR, tr.plain("btn-event-refresh"))
    assert "Приглашено: 2 · идут: 1 · не смогут: 1 · не ответили: 0" in card["text"]
    assert "✅ Наставник" in card["text"]


async def test_a_reminder_in_quiet_hours_waits_for_their_end(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    people = await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _create(tg, "завтра в 8:30")  # 24.11 08:30 in Moscow, 05:30 UTC
    await drain(tg.bot, db, clock)
    await tg.press(MENTOR, GOING)
    event_id = await _event_id(db)
    # The day-before reminder would be due already: not queued. The hour-before one is due
    # at 07:30, inside the quiet hours (21:00-08:00).
    key = f"ev:{event_id}:rem:0:{people[MENTOR]}:60"
    assert await outbox_keys(db, "pending") == [key]
    before = len(tg.texts(MENTOR))
    clock.current = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)
    await deliver(tg.bot, db, clock)
    assert len(tg.texts(MENTOR)) == before
    row = await db.fetch_one(
        "SELECT status, next_attempt_at FROM outbox WHERE unique_key = ?", (key,)
    )
    assert row is not None and row["status"] == "pending"
    assert from_db_time(row["next_attempt_at"]) == datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    clock.current = datetime(2026, 11, 24, 5, 0, 1, tzinfo=UTC)
    await deliver(tg.bot, db, clock)
    assert "🔔 Напоминание" in tg.texts(MENTOR)[-1]
    assert "24.11.2026 08:30" in tg.texts(MENTOR)[-1]
    await deliver(tg.bot, db, clock)  # sent once
    assert sum("🔔" in t for t in tg.texts(MENTOR)) == 1


async def test_moving_and_cancelling_tell_those_who_answered(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    people = await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _create(tg, "25.11 15:00")
    await drain(tg.bot, db, clock)
    event_id = await _event_id(db)
    await tg.press(MENTOR, GOING)
    await tg.press(MENTOR_2, NOT_GOING)

    await tg.press(CURATOR, tr.plain("btn-event-refresh"))
    await tg.press(CURATOR, tr.plain("btn-event-move"))
    assert "Этот день уже прошёл" in (await tg.send(CURATOR, "вчера в 15:00"))["text"]
    moved = await tg.send(CURATOR, "26.11 16:00")
    assert "Начало: 26.11.2026 16:00" in moved["text"]
    assert await outbox_keys(db, "pending") == [
        f"ev:{event_id}:rem:1:{people[MENTOR]}:1440",
        f"ev:{event_id}:rem:1:{people[MENTOR]}:60",
        f"ev:{event_id}:moved1:{people[MENTOR]}",
        f"ev:{event_id}:moved1:{people[MENTOR_2]}",
    ]
    withdrawn = await outbox_keys(db, "withdrawn")
    assert f"ev:{event_id}:rem:0:{people[MENTOR]}:60" in withdrawn
    await drain(tg.bot, db, clock)
    for user in (MENTOR, MENTOR_2):
        assert "было 25.11.2026 15:00, теперь 26.11.2026 16:00" in tg.texts(user)[-1]

    await tg.press(CURATOR, tr.plain("btn-event-cancel"))
    cancelled = await tg.press(CURATOR, tr.plain("btn-event-cancel-confirm"))
    assert "— отменено" in cancelled["text"]
    assert await outbox_keys(db, "pending") == [
        f"ev:{event_id}:cancelled:{people[MENTOR]}",
        f"ev:{event_id}:cancelled:{people[MENTOR_2]}",
    ]
    # A second tap on the stale confirmation tells nobody again.
    await tg.press_data(CURATOR, EventCb(event_id=event_id, action=EventAction.CANCEL).pack())
    assert "отменено" in tg.alert()
    await drain(tg.bot, db, clock)
    for user in (MENTOR, MENTOR_2):
        assert sum("отменено" in t for t in tg.texts(user)) == 1
    assert await outbox_keys(db, "pending") == []
    # An answer to a cancelled event is refused.
    await tg.press(MENTOR, GOING)
    assert "Мероприятие отменено" in tg.alert()


async def test_after_the_event_attendance_and_the_report(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    people = await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _create(tg, "завтра в 15:00", audience="Всех участников")
    await drain(tg.bot, db, clock)
    event_id = await _event_id(db)
    await tg.press(MENTOR, GOING)
    await tg.press(MENTOR_2, GOING)
    # Before it is held, attendance is refused.
    await tg.press_data(
        CURATOR, AttendanceCb(event_id=event_id, action=AttendanceAction.PAGE).pack()
    )
    assert "ещё не прошло" in tg.alert()

    clock.current = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 17:00, after the start
    # An answer after the event began is refused with a clear message.
    await tg.press(MENTEE, GOING)
    assert "уже началось" in tg.alert()
    assert await _answers(db) == {
        people[MENTOR]: "going",
        people[MENTOR_2]: "going",
        people[MENTEE]: None,
    }

    marked = await _mark_mentor(tg)
    # A double tap on the same (stale) button leaves the mark as the button said.
    await tg.press_data(
        CURATOR,
        AttendanceCb(
            event_id=event_id, action=AttendanceAction.MARK, person=people[MENTOR], on=True
        ).pack(),
    )
    assert "✅ Наставник 11" in tg.fake.buttons(marked)
    rows = await db.fetch_all("SELECT person_id FROM event_invitations WHERE attended = 1")
    assert [r["person_id"] for r in rows] == [people[MENTOR]]
    # A forged person (not invited) is refused.
    await tg.press_data(
        CURATOR,
        AttendanceCb(event_id=event_id, action=AttendanceAction.MARK, person=999, on=True).pack(),
    )
    assert "не приглашены" in tg.alert()

    figures = await _figures(tg, school)
    assert figures.training is not None
    assert figures.training.held == {EventKind.MENTOR_SCHOOL: 1}
    assert figures.training.mentors_trained == 1


async def _mark_mentor(tg: Harness) -> dict[str, Any]:
    """The curator, after the event, marks MENTOR present on the checklist."""
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-events"))
    card = await tg.press(CURATOR, "24.11.2026 15:00 · Школа наставников: первое занятие")
    assert tr.plain("btn-event-move") not in tg.fake.buttons(card)
    checklist = await tg.press(CURATOR, tr.plain("btn-event-attendance"))
    assert "▫️ Наставник 11" in tg.fake.buttons(checklist)
    return await tg.press(CURATOR, "▫️ Наставник 11")


async def test_materials_reach_those_present_as_documents_through_the_outbox(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    people = await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _create(tg, "завтра в 15:00")
    await drain(tg.bot, db, clock)
    event_id = await _event_id(db)
    await tg.press(MENTOR, GOING)
    await tg.press(MENTOR_2, GOING)
    clock.current = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 17:00, after the start
    await _mark_mentor(tg)

    await tg.press(CURATOR, tr.plain("btn-back"))
    await tg.press(CURATOR, tr.plain("btn-event-materials"))
    assert "Это не файл" in (await tg.send(CURATOR, "вот материалы"))["text"]
    for n in (1, 2):
        await _attach(tg, n)
        assert f"Материалов: {n}" in tg.fake.last(CURATOR)["text"]
    # Sent at 22:30, in the quiet hours: through the outbox, which holds them till 08:00.
    clock.current = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    sent = await tg.press(CURATOR, tr.plain("btn-event-send-materials"))
    assert "1 участнику" in sent["text"]
    await tg.press_data(
        CURATOR, EventCb(event_id=event_id, action=EventAction.SEND_MATERIALS).pack()
    )  # a double tap
    files = [m["id"] for m in await db.fetch_all("SELECT id FROM event_materials ORDER BY id")]
    mentor = people[MENTOR]
    assert [k for k in await outbox_keys(db, "pending") if ":rem:" not in k] == [
        f"ev:{event_id}:mat:{mentor}",
        *(f"ev:{event_id}:doc:{file}:{mentor}" for file in files),
    ]
    assert _documents(tg) == []  # nothing sent by the handler itself
    before = len(tg.fake.bot_messages(MENTOR))
    await drain(tg.bot, db, clock)
    assert len(tg.fake.bot_messages(MENTOR)) == before
    clock.current = datetime(2026, 11, 25, 5, 0, 1, tzinfo=UTC)
    await drain(tg.bot, db, clock)
    notice, *received = tg.fake.bot_messages(MENTOR)[before:]
    assert "📎 Материалы мероприятия «Школа наставников: первое занятие»" in notice["text"]
    assert "2 файла" in notice["text"]
    assert [m["document"]["file_name"] for m in received] == ["F1", "F2"]
    assert all("«Школа наставников: первое занятие»" in m["caption"] for m in received)
    assert not any("📎" in t for t in tg.texts(MENTOR_2))  # not marked present

    # A file added later goes alone to those who have the others.
    await tg.press(CURATOR, tr.plain("btn-back"))
    await tg.press(CURATOR, tr.plain("btn-event-materials"))
    await _attach(tg, 3)
    await tg.press(CURATOR, tr.plain("btn-event-send-materials"))
    before = len(tg.fake.bot_messages(MENTOR))
    await drain(tg.bot, db, clock)
    assert [
        m.get("document", {}).get("file_name") for m in tg.fake.bot_messages(MENTOR)[before:]
    ] == ["F3"]

    await _opened_again_later(tg, clock, event_id)


async def _opened_again_later(tg: Harness, clock: FakeClock, event_id: int) -> None:
    """A week later the guest opens the materials again from the event card; one not marked
    present sees neither the event nor the files."""
    clock.current = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    await tg.send(MENTOR, "/menu")
    listed = await tg.press(MENTOR, tr.plain("btn-events"))
    assert "Материалы прошедших мероприятий" in listed["text"]
    card = await tg.press(MENTOR, "📎 24.11.2026 15:00 · Школа наставников: первое занятие")
    assert "Вы отмечены среди присутствовавших" in card["text"]
    assert GOING not in tg.fake.buttons(card)
    sent_before = len(_documents(tg))
    await tg.press(MENTOR, tr.plain("btn-event-materials-get"))
    assert _documents(tg)[sent_before:] == [(MENTOR, "F1"), (MENTOR, "F2"), (MENTOR, "F3")]
    await tg.send(MENTOR_2, "/menu")
    none = await tg.press(MENTOR_2, tr.plain("btn-events"))
    assert "📎" not in " ".join(tg.fake.buttons(none))
    await tg.press_data(
        MENTOR_2, EventReplyCb(action=EventReplyAction.MATERIALS, event_id=event_id).pack()
    )
    assert tg.alert() == tr.plain("event-refusal", reason="not_attended")
    opened = await tg.press_data(
        MENTOR_2, EventReplyCb(action=EventReplyAction.OPEN, event_id=event_id).pack()
    )
    assert "Вы не отмечены" in opened["text"]
    assert tr.plain("btn-event-materials-get") not in tg.fake.buttons(opened)


async def _attach(tg: Harness, n: int) -> None:
    document = {"document": {"file_id": f"F{n}", "file_unique_id": f"u{n}", "file_name": "a.pdf"}}
    await tg.feed(tg.fake.message_update(CURATOR, None, extra=document))


def _documents(tg: Harness) -> list[tuple[int, str]]:
    return [(int(p["chat_id"]), p["document"]) for m, p in tg.fake.requests if m == "sendDocument"]


async def _figures(tg: Harness, school_id: int) -> Any:
    services = tg.dp["services"]
    school = await services.organizations.school(school_id)
    assert isinstance(school, Organization)
    report = await services.reports.school_report(school, None)
    assert not isinstance(report, ReportRefusal)
    tables = [t.title for t in school_tables(report.figures)]
    assert tr.plain("report-training-title") in tables
    return report.figures


async def test_participants_see_their_upcoming_events_from_the_menu(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school, (MENTOR, MENTOR_2))
    await _create(tg, "25.11 15:00")
    await drain(tg.bot, db, clock)
    await tg.send(MENTOR, "/menu")
    listed = await tg.press(MENTOR, tr.plain("btn-events"))
    label = "25.11.2026 15:00 · Школа наставников: первое занятие · нет ответа"
    assert label in tg.fake.buttons(listed)
    opened = await tg.press(MENTOR, label)
    assert "Вы ещё не ответили" in opened["text"]
    await tg.press(MENTOR, GOING)
    listed = await tg.press(MENTOR, tr.plain("btn-events"))
    assert "25.11.2026 15:00 · Школа наставников: первое занятие · иду" in tg.fake.buttons(listed)
    await tg.send(MENTEE, "/menu")
    none = await tg.press(MENTEE, tr.plain("btn-events"))
    assert "нет" in none["text"]


async def test_a_coordinator_invites_the_curators_of_the_district(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    district = await coordinator(db, clock, school, COORDINATOR)
    await tg.send(COORDINATOR, "/menu")
    await tg.press(COORDINATOR, tr("btn-districts"))
    await tg.press(COORDINATOR, "🏛 Округ Школа № 1")
    home = await tg.press(COORDINATOR, tr.plain("btn-events"))
    assert "Мероприятия · Округ Школа № 1" in home["text"]
    await tg.press(COORDINATOR, tr.plain("btn-event-new"))
    await tg.press(COORDINATOR, "Круглый стол")
    await tg.send(COORDINATOR, "Круглый стол кураторов")
    await tg.send(COORDINATOR, "27.11 14:00")
    await tg.send(COORDINATOR, "https://example.org/meet")
    confirm = await tg.press(COORDINATOR, "Кураторов школ округа")
    assert "кураторы школ округа — 1 человек" in confirm["text"]
    await tg.press(COORDINATOR, tr.plain("btn-event-create"))
    await drain(tg.bot, db, clock)
    assert "Круглый стол: Круглый стол кураторов" in tg.texts(CURATOR)[-1]
    row = await db.fetch_one("SELECT organization_id, district_id FROM events")
    assert row is not None and row["organization_id"] is None and row["district_id"] == district


async def test_forged_and_foreign_presses_are_refused(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school, (MENTOR, MENTOR_2))
    other = await other_school(db, clock, 51)
    other_district = await district_of(db, other)
    await _create(tg, "25.11 15:00")
    event_id = await _event_id(db)
    await tg.send(MENTEE, "/menu")

    # An event started by a mentee through a forged callback.
    for data in (
        EventsCb(action=EventsAction.NEW, school_id=school, district_id=1).pack(),
        EventsCb(action=EventsAction.CREATE, school_id=school, district_id=1).pack(),
        EventCb(event_id=event_id, action=EventAction.CARD).pack(),
        EventCb(event_id=event_id, action=EventAction.CANCEL).pack(),
    ):
        await tg.press_data(MENTEE, data)
        assert tg.alert() == tr.plain("forbidden")
    row = await db.fetch_one("SELECT status FROM events WHERE id = ?", (event_id,))
    assert row is not None and row["status"] == "planned"

    # A coordinator addressing a school (or a district) outside their district.
    await coordinator(db, clock, school, COORDINATOR)
    await tg.send(COORDINATOR, "/menu")
    for data in (
        EventsCb(action=EventsAction.HOME, school_id=other, district_id=other_district).pack(),
        EventsCb(action=EventsAction.NEW, school_id=0, district_id=other_district).pack(),
    ):
        await tg.press_data(COORDINATOR, data)
        assert tr.plain("event-refusal", reason="forbidden") == tg.alert()
    # The curator of another school cannot reach this school's event.
    await tg.send(51, "/menu")
    await tg.press_data(51, EventCb(event_id=event_id, action=EventAction.CARD).pack())
    assert tr.plain("event-refusal", reason="forbidden") == tg.alert()

    # A forged event id, to the organiser and to an invitee.
    await tg.press_data(CURATOR, EventCb(event_id=9999, action=EventAction.CARD).pack())
    assert tr.plain("event-refusal", reason="not_found") == tg.alert()
    await tg.press_data(
        MENTEE, EventReplyCb(action=EventReplyAction.GOING, event_id=event_id).pack()
    )
    assert tr.plain("event-refusal", reason="not_found") == tg.alert()  # not invited
    await tg.press_data(CURATOR, "ec:99999999999999999999:c:0:0")
    assert tg.alert() == tr.plain("stale-button")
    assert set((await _answers(db)).values()) == {None}


async def test_the_training_figures_count_only_held_training(
    db: Database, clock: FakeClock, school: int
) -> None:
    repo = EventsRepo(db)
    guests = await teachers(db, clock, school, mentees=())
    now = clock.now()
    held = await school_event(
        db, clock, school, EventKind.SETUP_SESSION, now + timedelta(hours=1), guests, "a", "p", "k1"
    )
    later = await school_event(
        db, clock, school, EventKind.ROUND_TABLE, now + timedelta(days=3), guests, "b", "p", "k2"
    )
    for event in (held, later):
        await repo.mark(event.id, guests[MENTOR], True)
    after = now + timedelta(days=1)
    training = await repo.training(school, None, None, after)
    assert training.held == {EventKind.SETUP_SESSION: 1}  # the later one is not held yet
    assert training.mentors_trained == 1
    await repo.cancel(held.id)
    cancelled = await repo.training(school, None, None, after)
    assert cancelled.held == {} and cancelled.mentors_trained == 0
