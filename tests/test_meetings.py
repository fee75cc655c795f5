"""The meeting sequence through the dispatcher: proposing, reminders, feedback, changes."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta
from types import UnionType
from typing import Any, get_args, get_type_hints

import pytest
from aiogram import Bot

from bot.core.i18n import tr
from bot.forms.catalog import DEFAULT_CATALOG
from bot.forms.engine import FormEngine
from bot.meetings.service import MeetingRefusal, MeetingService, next_kind
from bot.programs.service import ProgramService
from bot.ui.callbacks import MeetingAction, MeetingCb
from handlers import meetings as meeting_handlers
from storage.db import Database
from storage.forms import FormSessionsRepo
from storage.meetings import Meeting, MeetingsRepo
from storage.models import MeetingKind, MeetingStatus, Pair, Role
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    give_feedback,
    meeting_services,
    outbox_keys,
    propose,
    services,
)


async def test_bad_times_are_explained(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    ask = await tg.press(MENTOR, tr("btn-meeting-new"))
    assert "Москва (МСК)" in str(ask["text"])
    for typed, reason in (
        ("31.02 10:00", tr("when-no-such-date", typed="31.02")),
        ("вчера", tr("when-day-past")),
        ("28.11 25:61", tr("when-no-such-time", typed="25:61")),
        ("28.11.2028 10:00", tr("when-too-far")),
    ):
        assert (await tg.send(MENTOR, typed))["text"] == reason
    assert await MeetingsRepo(db).of_pair(1, clock.now()) == []


async def test_propose_confirm_remind_and_feedback(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    assert (await propose(tg))["text"] == tr("meeting-proposed")
    await deliver(bot, db, clock)
    proposal = fake.last(MENTEE)
    assert "Предложение встречи" in proposal["text"] and "организационная" in proposal["text"]
    assert "24.11.2026 16:00" in proposal["text"]
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    assert tg.alert() == tr("meeting-confirmed")
    pending = await outbox_keys(db, "pending")
    assert any(":remind:24:" in k for k in pending) and any(":remind:1:" in k for k in pending)
    clock.advance(hours=27)  # 15:00 local, an hour before the meeting
    await drain(bot, db, clock)
    reminders = [m["text"] for m in fake.bot_messages(MENTOR) if "⏰" in m.get("text", "")]
    assert reminders == ["⏰ Напоминание: встреча 24.11.2026 16:00, каб. 204. Тема: Без темы."] * 2
    clock.advance(hours=2)  # the meeting is over
    await drain(bot, db, clock)
    assert "Как прошла встреча" in fake.last(MENTEE)["text"]
    thanks = await give_feedback(tg, MENTEE)
    assert tr("feedback-thanks") in thanks["text"]
    withdrawn = await outbox_keys(db, "withdrawn")
    assert len(withdrawn) == 3 and all(":owed:" in k for k in withdrawn)  # 2 chasers, 1 alert
    assert any(":owed:" in k for k in await outbox_keys(db, "pending"))  # the mentor still owes
    again = await tg.press_data(
        MENTEE, MeetingCb(meeting_id=1, revision=1, action=MeetingAction.FEEDBACK).pack()
    )
    assert tg.alert() == tr("meeting-refusal", reason=MeetingRefusal.FEEDBACK_ALREADY) and again
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    journal = await tg.press(MENTOR, tr("btn-journal"))
    assert "оценка 8/10; сделано: Познакомились, обсудили план" in journal["text"]
    await tg.press(MENTOR, tr("btn-journal-docx"))
    assert fake.uploads[-1][1] == "zhurnal_1.docx"


async def test_move_between_reminders_and_cancel(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await propose(tg)
    await deliver(bot, db, clock)
    old = fake.last(MENTEE)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    clock.advance(hours=5)  # after the 24 h reminder, before the 1 h one
    await deliver(bot, db, clock)
    await tg.press_data(MENTEE, fake.buttons(old)[tr("btn-meeting-move")], old)
    moved = await tg.send(MENTEE, "в пятницу 15:00")
    assert moved["text"] == tr("meeting-proposed")
    assert not any(k.startswith("meeting:1:r1:") for k in await outbox_keys(db, "pending"))
    await tg.press_data(
        MENTOR, MeetingCb(meeting_id=1, revision=1, action=MeetingAction.CONFIRM).pack()
    )
    assert tg.alert() == tr("meeting-refusal", reason=MeetingRefusal.STALE)
    clock.advance(seconds=2)
    await deliver(bot, db, clock)
    assert "27.11.2026 15:00" in fake.last(MENTOR)["text"]
    await tg.press(MENTOR, tr("btn-meeting-cancel"))
    assert tg.alert() == tr("meeting-cancelled")
    assert not any(
        k.startswith("meeting:1:")
        for k in await outbox_keys(db, "pending")
        if ":cancelled:" not in k
    )
    await tg.press_data(
        MENTOR, MeetingCb(meeting_id=1, revision=2, action=MeetingAction.FEEDBACK).pack()
    )
    assert tg.alert() == tr("meeting-refusal", reason=MeetingRefusal.FEEDBACK_FOR_CANCELLED)


async def test_ended_pair_and_forged_meeting_buttons(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await propose(tg)
    await seed.participant(db, clock, school, 22, Role.MENTEE)
    for action in MeetingAction:
        await tg.press_data(
            22,
            MeetingCb(meeting_id=1, revision=1, action=action).pack(),
            tg.fake.message_update(22, "x")["message"],
        )
        assert tg.alert() == tr("meeting-refusal", reason=MeetingRefusal.NOT_YOURS)
    await db.execute("UPDATE pairs SET status = 'ended' WHERE id = ?", (pair.id,))
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    assert tr("my-pairs-empty") in tg.fake.last(MENTOR)["text"]


async def test_idle_pairs_are_nudged_then_flagged(
    db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    service, _ = meeting_services(db, clock)
    clock.advance(days=13)
    await service.sweep()
    assert await outbox_keys(db, "pending") == []
    clock.advance(days=2)
    await service.sweep()
    await service.sweep()
    nudges = await outbox_keys(db, "pending")
    assert len(nudges) == 2 and all(k.startswith("nudge:") for k in nudges)
    clock.advance(days=7)
    await service.sweep()
    risk = [k for k in await outbox_keys(db, "pending") if k.startswith("risk:")]
    assert risk == [f"risk:1:{clock.now():%G-W%V}:{CURATOR}"]


async def test_curator_sees_pairs_at_risk_and_unreachable_people(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await PeopleRepo(db).mark_inactive(MENTEE, "blocked")
    clock.advance(days=22)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    pairs = await tg.press(CURATOR, tr("btn-pairs"))
    assert "⚠ требует внимания: нет встреч 22 дня" in pairs["text"]
    await tg.press(CURATOR, "« Назад")
    bank = await tg.press(CURATOR, "👥 Банк наставляемых")
    assert f"Наставляемая {MENTEE} — в паре ⛔ {tr('unreachable')}" in bank["text"]


def test_sequence_of_meeting_kinds() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)

    def held(*kinds: MeetingKind) -> list[Meeting]:
        return [
            Meeting(n, 1, k, at, "", "", MeetingStatus.CONFIRMED, 1, 1, True)
            for n, k in enumerate(kinds)
        ]

    today = now.date()
    organizational, trial, planning = (
        MeetingKind.ORGANIZATIONAL,
        MeetingKind.TRIAL,
        MeetingKind.PLANNING,
    )
    assert next_kind([], None, today, now) is organizational
    assert next_kind(held(organizational), None, today, now) is trial
    assert next_kind(held(organizational, trial), None, today, now) is planning
    opening = held(organizational, trial, planning)
    assert next_kind(opening, date(2027, 5, 1), today, now) is MeetingKind.REGULAR
    assert next_kind(opening, date(2026, 12, 10), today, now) is MeetingKind.FINAL
    # A proposal whose time passed unconfirmed was not the organizational meeting.
    lapsed = Meeting(9, 1, organizational, at, "", "", MeetingStatus.PROPOSED, 1, 1, False)
    assert next_kind([lapsed], None, today, now) is organizational


async def test_pair_is_asked_to_plan_the_final_meeting(
    db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    service, programs = meeting_services(db, clock)
    engine = FormEngine(FormSessionsRepo(db), DEFAULT_CATALOG, clock)
    form = await programs.edit(pair)
    for value in ("2026-12-01", 6, "Цели", "Тема; содержание; 01.02.2027; итог", None):
        assert form is not None
        form = await engine.answer(form, value)
    assert form is not None and await engine.submit(form)
    await programs.submitted(form)
    assert await programs.confirm(pair)
    assert await programs.end_date(pair) == date(2027, 6, 1)
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    clock.current = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
    await service.sweep()
    assert not [k for k in await outbox_keys(db, "pending") if k.startswith("final:")]
    clock.current = datetime(2027, 5, 20, 9, 0, tzinfo=UTC)
    await service.sweep()
    finals = [k for k in await outbox_keys(db, "pending") if k.startswith("final:")]
    assert len(finals) == 2


async def test_time_picked_from_buttons(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    ask = await tg.press(MENTOR, tr("btn-meeting-new"))
    assert list(tg.fake.buttons(ask))[:2] == ["Вт 24.11 15:00", "Ср 25.11 15:00"]
    place = await tg.press(MENTOR, "Ср 25.11 15:00")
    assert place["text"] == tr("meeting-ask-place")
    await tg.press(MENTOR, tr("btn-online"))
    await tg.press(MENTOR, tr("btn-no-topic"))
    meeting = (await MeetingsRepo(db).of_pair(1, clock.now()))[0]
    assert meeting.starts_at == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert meeting.place == "Онлайн"


class CrashingOutbox(OutboxRepo):
    """Dies (as a killed process would) after queueing `survives` messages."""

    def __init__(self, db: Database, survives: int) -> None:
        super().__init__(db)
        self.survives = survives

    async def enqueue(self, *args: Any, **kwargs: Any) -> bool:
        if self.survives == 0:
            raise SystemExit("killed")
        self.survives -= 1
        return await super().enqueue(*args, **kwargs)


async def test_sweep_killed_half_way_then_run_again_queues_each_message_once(
    db: Database, clock: FakeClock, school: int
) -> None:
    service, _ = services(db, clock)
    for n in range(10):
        mentor = await seed.participant(db, clock, school, 300 + n, Role.MENTOR)
        mentee = await seed.participant(db, clock, school, 400 + n, Role.MENTEE)
        created = await service.create(school, mentor, [mentee], CURATOR)
        assert isinstance(created, Pair)
        for person in (mentor, mentee):
            await service.respond(created, person, True, None)
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    clock.advance(days=22)  # every pair idle long enough for nudges and a risk notice
    crashing, _ = meeting_services(db, clock, CrashingOutbox(db, survives=13))
    with pytest.raises(SystemExit):
        await crashing.sweep()
    assert len(await outbox_keys(db, "pending")) == 13
    restarted, _ = meeting_services(db, clock)
    await restarted.sweep()
    pending = await outbox_keys(db, "pending")
    # Two nudges and one curator notice per pair, each exactly once.
    assert len(pending) == len(set(pending)) == 30
    assert sum(key.startswith("risk:") for key in pending) == 10


async def test_the_sweep_reads_only_the_pairs_due_for_a_look(
    db: Database, clock: FakeClock, school: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: the hourly sweep costs what is due, not every active pair."""
    pairs, _ = services(db, clock)
    made = []
    for n in range(10):
        mentor = await seed.participant(db, clock, school, 300 + n, Role.MENTOR)
        mentee = await seed.participant(db, clock, school, 400 + n, Role.MENTEE)
        created = await pairs.create(school, mentor, [mentee], CURATOR)
        assert isinstance(created, Pair)
        for person in (mentor, mentee):
            await pairs.respond(created, person, True, None)
        made.append(created)
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    service, _ = meeting_services(db, clock)
    read: list[str] = []
    fetch_all = db.fetch_all

    async def spy(sql: str, params: Any = ()) -> Any:
        rows = await fetch_all(sql, params)
        if "p.sweep_at <=" in sql:
            read.append(sql)
            looked.append(len(rows))
        return rows

    looked: list[int] = []
    monkeypatch.setattr(db, "fetch_all", spy)
    clock.advance(hours=1)
    assert await service.sweep() == 10  # just started: each is looked at once
    clock.advance(hours=1)
    assert await service.sweep() == 0  # none can be idle before 14 days
    third, repo = made[2], MeetingsRepo(db)
    meeting_id = await repo.create(
        third.id,
        MeetingKind.REGULAR,
        clock.now() + timedelta(days=1),
        "",
        "",
        third.mentor_id,
        clock.now(),
    )
    assert await repo.confirm(meeting_id, 1, clock.now())
    clock.advance(hours=1)
    assert await service.sweep() == 1  # the pair with a new meeting, alone
    clock.advance(hours=1)
    assert await service.sweep() == 0  # and not again before its meeting has passed
    assert looked == [10, 0, 1, 0]
    assert await outbox_keys(db, "pending") == []
    clock.advance(days=14)
    assert await service.sweep() == 10
    # Two nudges for each pair but the third: it met a day after it started.
    nudged = {key.split(":")[1] for key in await outbox_keys(db, "pending")}
    assert nudged == {str(pair.id) for pair in made if pair.id != third.id}
    if db.path is not None:  # the plan: through the index, no scan of pairs
        plan = await fetch_all("EXPLAIN QUERY PLAN " + read[-1], (0, 0, 0, 0))
        details = " ".join(str(row["detail"]) for row in plan)
        assert "pairs_sweep" in details and "SCAN p" not in details


async def test_day_counts_agree_with_their_number(
    db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    service, _ = meeting_services(db, clock)
    clock.advance(days=22)
    await service.sweep()
    await drain(bot, db, clock)
    nudge = fake.last(MENTOR)["text"]
    assert "не было встреч 22 дня." in nudge and "дн." not in nudge


def test_meeting_handlers_take_services_and_services_return_no_text() -> None:
    """Issue 12: no repository in a handler; refusals are typed, never Russian text."""
    for name, function in inspect.getmembers(meeting_handlers, inspect.iscoroutinefunction):
        for hint in get_type_hints(function).values():
            assert not getattr(hint, "__module__", "").startswith("storage."), name
    for service in (MeetingService, ProgramService):
        for name, method in inspect.getmembers(service, inspect.iscoroutinefunction):
            if not name.startswith("_"):
                returned = get_type_hints(method)["return"]
                union = isinstance(returned, UnionType)
                assert returned is not str and not (union and str in get_args(returned)), name
