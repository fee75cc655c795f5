"""Administrator -> district -> school -> curator invite -> teacher join link, in-process."""

from __future__ import annotations

from storage.db import Database
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, TEACHER, create_school, invite_token


async def test_admin_creates_school_and_curator_joins(tg: Harness, db: Database) -> None:
    token = await create_school(tg)
    welcome = await tg.send(CURATOR, f"/start {token}")
    assert "🏫 МБОУ СОШ № 5" in tg.fake.buttons(welcome)
    assert "куратор школы (МБОУ СОШ № 5)" in tg.texts(CURATOR)[-2]
    row = await db.fetch_one(
        "SELECT g.role, o.name FROM role_grants g JOIN people p ON p.id = g.person_id"
        " JOIN organizations o ON o.id = g.organization_id WHERE p.telegram_id = ?",
        (CURATOR,),
    )
    assert row is not None and (row["role"], row["name"]) == ("curator", "МБОУ СОШ № 5")
    # Curator commands are published for that chat only.
    assert any(c["command"] == "teacherlink" for c in tg.fake.commands[f"chat:{CURATOR}"])


async def test_one_time_invite_cannot_be_used_twice(tg: Harness) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    second = await tg.send(CURATOR + 1, f"/start {token}")
    assert "уже использована" in second["text"]


async def test_teacher_joins_by_school_link_and_chooses_role(tg: Harness, db: Database) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.press(CURATOR, "🏫 МБОУ СОШ № 5")
    link = await tg.press(CURATOR, "🔗 Новая ссылка для учителей")
    teacher_token = invite_token(link["text"])
    choose = await tg.send(TEACHER, f"/start {teacher_token}")
    assert "МБОУ СОШ № 5" in choose["text"]
    await tg.press(TEACHER, "Я наставляемый")
    assert "наставляемый (МБОУ СОШ № 5)" in " ".join(tg.texts(TEACHER))
    # The same link works for the next teacher too.
    await tg.send(TEACHER + 1, f"/start {teacher_token}")
    await tg.press(TEACHER + 1, "Я наставник")
    rows = await db.fetch_all(
        "SELECT p.telegram_id, g.role FROM role_grants g JOIN people p ON p.id = g.person_id"
        " WHERE g.role IN ('mentor', 'mentee') ORDER BY p.telegram_id"
    )
    assert [(r["telegram_id"], r["role"]) for r in rows] == [
        (TEACHER, "mentee"),
        (TEACHER + 1, "mentor"),
    ]


async def test_new_teacher_link_retires_the_old_one(tg: Harness) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.press(CURATOR, "🏫 МБОУ СОШ № 5")
    old = invite_token((await tg.press(CURATOR, "🔗 Новая ссылка для учителей"))["text"])
    await tg.send(CURATOR, "/teacherlink")
    await tg.press(CURATOR, "🔗 Новая ссылка для учителей")
    reply = await tg.send(TEACHER, f"/start {old}")
    assert "отозвана" in reply["text"]


async def test_expired_invite(tg: Harness, clock: FakeClock) -> None:
    token = await create_school(tg)
    clock.advance(hours=73)
    reply = await tg.send(CURATOR, f"/start {token}")
    assert "Срок действия" in reply["text"]


async def test_stranger_without_link_is_told_how_to_join_and_not_stored(
    tg: Harness, db: Database
) -> None:
    reply = await tg.send(555, "/start")
    assert "ссылка-приглашение" in reply["text"]
    assert await db.fetch_one("SELECT id FROM people WHERE telegram_id = 555") is None
    assert await db.fetch_one("SELECT storage_key FROM fsm_states") is None
