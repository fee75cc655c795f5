"""A person's rights over their data, through the dispatcher: a parent withdraws the consent
given for a child, withdrawal leaves no free text behind, /mydata holds everything stored."""

from __future__ import annotations

import json
from typing import Any

from aiogram import Bot

from bot.core.i18n import tr
from bot.core.permissions import Actor
from bot.participation.service import ParticipationService
from bot.ui.commands import commands_for
from storage.db import Database, to_db_time
from storage.models import Pair, PairStatus, ProgramEndReason, Role
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import (
    AGREE,
    CURATOR,
    MENTEE,
    MENTOR,
    active_pair,
    deliver,
    drain,
    give_feedback,
    invite_token,
    propose,
    services,
    write_program,
)

PARENT = 900


async def person_id(db: Database, telegram_id: int) -> int:
    row = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (telegram_id,))
    assert row is not None
    return int(row["id"])


async def student_in_pair(tg: Harness, db: Database, clock: FakeClock, school: int) -> Pair:
    """A student (MENTEE) whose parent (PARENT) consented through the link, then paired."""
    mentor = await seed.participant(db, clock, school, MENTOR, Role.MENTOR)
    student = await seed.participant(
        db, clock, school, MENTEE, Role.MENTEE, category="student", position="8 «Б» класс"
    )
    participation: ParticipationService = tg.dp["services"].participation
    link = await participation.parent_link(student, school, tg.bot)
    await tg.send(PARENT, f"/start {invite_token(link)}")
    await tg.send(PARENT, "Смирнова Ольга Викторовна")
    agreed = await tg.press(PARENT, AGREE)
    assert tr("parent-thanks") in agreed["text"]
    service, pairs = services(db, clock)
    created = await service.create(school, mentor, [student], CURATOR)
    assert isinstance(created, Pair)
    for person in (mentor, student):
        await service.respond(created, person, True, None)
    pair = await pairs.get(created.id)
    assert pair is not None and pair.status is PairStatus.ACTIVE
    return pair


async def test_parent_withdraws_the_consent_given_for_a_child(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await student_in_pair(tg, db, clock, school)
    student = await person_id(db, MENTEE)

    ask = await tg.send(PARENT, "/revoke")
    assert ask["text"] == tr("revoke-confirm-parent")
    done = await tg.press(PARENT, tr("btn-revoke-confirm"))
    assert done["text"] == tr("revoke-done-parent", children=1)

    consent = await db.fetch_one(
        "SELECT withdrawn_at, parent_name FROM consents WHERE kind = 'parent'"
    )
    assert consent is not None and consent["withdrawn_at"] is not None
    assert consent["parent_name"] is None
    # The child's questionnaire is erased and the child is out of the bank and of the pair.
    assert await db.fetch_all("SELECT id FROM form_sessions WHERE person_id = ?", (student,)) == []
    grants = await db.fetch_all("SELECT role FROM role_grants WHERE person_id = ?", (student,))
    assert grants == []
    pair = await db.fetch_one("SELECT status, end_reason FROM pairs")
    assert pair is not None and (pair["status"], pair["end_reason"]) == (
        "ended",
        ProgramEndReason.LEFT.value,  # «выбыл»
    )
    # The parent's own form (their name) is gone too.
    parent = await person_id(db, PARENT)
    assert await db.fetch_all("SELECT id FROM form_sessions WHERE person_id = ?", (parent,)) == []
    await drain(bot, db, clock)
    assert tr("parent-withdrawn-student") in tg.texts(MENTEE)
    assert tr("withdrawal-notice-parent") in tg.texts(CURATOR)
    stranger = [c.command for c in commands_for(Actor(MENTEE, None, ()))]
    assert [c["command"] for c in tg.fake.commands[f"chat:{MENTEE}"]] == stranger
    # Nothing left to withdraw: the second attempt says so instead of confirming again.
    again = await tg.send(PARENT, "/revoke")
    assert again["text"] == tr("revoke-nothing")


async def test_revoke_with_nothing_to_withdraw_confirms_nothing(
    tg: Harness, db: Database, school: int
) -> None:
    answer = await tg.send(CURATOR, "/revoke")
    assert answer["text"] == tr("revoke-nothing")
    # A stale confirmation button cannot report a withdrawal that did not happen either.
    pressed = await tg.press_data(CURATOR, "pd:confirm")
    assert pressed["text"] == tr("revoke-nothing")
    grants = await db.fetch_all("SELECT role FROM role_grants")
    assert [row["role"] for row in grants] == ["curator"]


async def test_parent_who_consented_is_told_what_follows(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await student_in_pair(tg, db, clock, school)
    # The thanks alone: not the stranger's hint to open an invitation link.
    assert tg.fake.last(PARENT)["text"] == tr("parent-thanks")
    privacy = await tg.send(PARENT, "/privacy")
    assert "согласие на участие ребёнка, редакция 1: дано" in privacy["text"]
    assert tr("privacy-no-consent") not in privacy["text"]


async def test_withdrawal_leaves_none_of_the_persons_free_text(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, MENTOR, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    service, _ = services(db, clock)
    # A first invitation the mentee declined, with a reason; then the pair that works.
    declined = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(declined, Pair)
    await service.respond(declined, mentee, False, "Не подходит время, Иванова в отпуске")
    pair = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(pair, Pair)
    for person in (mentor, mentee):
        await service.respond(pair, person, True, None)
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    # A draft line quoting their questionnaire, and a preference they gave.
    now = to_db_time(clock.now())
    await db.execute(
        "INSERT INTO pair_drafts (organization_id, mentee_id, mentor_id, score, reasons, status,"
        " created_at) VALUES (?, ?, ?, 1.0, '[\"затруднение: дисциплина\"]', 'accepted', ?)",
        (school, mentee, mentor, now),
    )
    await db.execute(
        "INSERT INTO preferences (organization_id, chooser_id, chosen_id, side, chosen_at)"
        " VALUES (?, ?, ?, 'mentee', ?)",
        (school, mentee, mentor, now),
    )
    await propose(tg)  # the place the mentor typed: «каб. 204»
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, tr("btn-my-pairs"))
    await tg.press(MENTEE, "🤝 1")
    await tg.press(MENTEE, tr("btn-request-replace"))
    sent = await tg.send(MENTEE, "Наставник не отвечает на сообщения")
    assert tr("request-sent") in sent["text"]

    await tg.send(MENTEE, "/revoke")
    await tg.press(MENTEE, tr("btn-revoke-confirm"))

    reasons = await db.fetch_all(
        "SELECT reason FROM pair_participants WHERE person_id = ? AND reason IS NOT NULL"
        " AND reason <> ''",
        (mentee,),
    )
    assert reasons == []
    request = await db.fetch_one("SELECT reason FROM pair_requests")
    assert request is not None and request["reason"] == ""
    meeting = await db.fetch_one("SELECT place, topic, status, starts_at FROM meetings")
    assert meeting is not None
    assert (meeting["place"], meeting["topic"], meeting["status"]) == ("", "", "confirmed")
    draft = await db.fetch_one("SELECT reasons FROM pair_drafts")
    assert draft is not None and draft["reasons"] == "[]"
    assert await db.fetch_one("SELECT 1 FROM preferences") is None


async def test_mentors_withdrawal_erases_the_program_and_feedback_texts(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await active_pair(db, clock, school)
    await write_program(tg)
    await propose(tg)
    await drain(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    clock.advance(hours=30)
    await drain(bot, db, clock)
    await give_feedback(tg, MENTOR)
    await tg.send(MENTOR, "/revoke")
    await tg.press(MENTOR, tr("btn-revoke-confirm"))
    texts = await db.fetch_all("SELECT value FROM form_answers")
    assert all("Снять затруднения" not in row["value"] for row in texts)
    assert all("Познакомились" not in row["value"] for row in texts)
    assert await db.fetch_one("SELECT 1 FROM programs") is None
    meeting = await db.fetch_one("SELECT place FROM meetings")
    assert meeting is not None and meeting["place"] == ""


def section(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = data[key]
    assert isinstance(found, list)
    return found


async def test_mydata_holds_pairs_programs_meetings_feedback_and_requests(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await write_program(tg)
    await propose(tg)
    await drain(bot, db, clock)
    await tg.press(MENTEE, tr("btn-meeting-confirm"))
    clock.advance(hours=30)
    await drain(bot, db, clock)
    await give_feedback(tg, MENTEE)
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, tr("btn-my-pairs"))
    await tg.press(MENTEE, "🤝 1")
    await tg.press(MENTEE, tr("btn-request-replace"))
    await tg.send(MENTEE, "Наставник не отвечает на сообщения")

    await tg.send(MENTEE, "/mydata")
    chat, _, content = fake.uploads[-1]
    assert chat == MENTEE
    data = json.loads(content)
    assert [c["вид"] for c in section(data, "согласия")] == [
        tr.plain("privacy-consent-kind", kind="personal_data")
    ]
    assert section(data, "согласия")[0]["id_сообщения"] == 1
    [pair] = section(data, "пары")
    assert pair["моя_роль"] == "наставляемый"
    assert pair["статус"] == "active"
    assert pair["моё_решение"] == "accepted"
    # The mentor is named as the mentee sees them on the pair's card, no ids of other people.
    assert pair["участники"] == [{"роль": "наставник", "имя": f"Наставник {MENTOR}"}]
    program = pair["программа"]
    assert program["статус"] == "proposed"
    assert "Снять затруднения с дисциплиной на уроке" in program["ответы"].values()
    [meeting] = pair["встречи"]
    assert (meeting["место"], meeting["статус"]) == ("каб. 204", "confirmed")
    assert "Познакомились, обсудили план" in meeting["мой_отзыв"].values()
    [request] = section(data, "запросы")
    assert request["причина"] == "Наставник не отвечает на сообщения"
    assert request["статус"] == "pending"


async def test_mydata_of_a_parent_holds_the_consent_they_gave(
    tg: Harness, db: Database, clock: FakeClock, fake: FakeTelegram, school: int
) -> None:
    await student_in_pair(tg, db, clock, school)
    await tg.send(PARENT, "/mydata")
    chat, _, content = fake.uploads[-1]
    assert chat == PARENT
    data = json.loads(content)
    [given] = section(data, "согласия_родителя")
    assert given["фио_родителя"] == "Смирнова Ольга Викторовна"
    assert given["решение"] == "согласие"
    assert len(given["хэш_текста"]) == 64
