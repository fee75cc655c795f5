"""Administrator -> district -> school -> curator invite -> teacher join link, in-process."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod

from bench.statements import counting
from bot.core.i18n import tr
from bot.core.permissions import Actor
from bot.ui.commands import commands_for
from bot.ui.states import FormStates, JoinStates
from storage.db import Database
from storage.models import Role, RoleGrant
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, AGREE, CURATOR, TEACHER, create_school, invite_token, join_teacher


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


async def test_joining_teacher_is_told_what_comes_next(tg: Harness, db: Database) -> None:
    """Not «Главное меню ниже» when the consent follows: the consent, then the questionnaire;
    a second role, with the consent given, goes straight to its questionnaire."""
    await join_teacher(tg, "Я наставляемый")
    joined, consent = tg.fake.bot_messages(TEACHER)[-2:]
    assert joined["text"] == (
        "Готово! Вы — наставляемый (МБОУ СОШ № 5). Дальше — согласие на обработку "
        "персональных данных, затем анкета наставляемого."
    )
    assert "Главное меню" not in joined["text"]
    assert "Согласие на обработку персональных данных" in consent["text"]
    await tg.press(TEACHER, AGREE)
    link = next(t for t in tg.texts(CURATOR) if "start=" in t)
    await tg.send(TEACHER, f"/start {invite_token(link)}")
    await tg.press(TEACHER, "Я наставник")
    second, form = tg.fake.bot_messages(TEACHER)[-2:]
    assert second["text"] == "Готово! Вы — наставник (МБОУ СОШ № 5). Дальше — анкета наставника."
    assert "вопрос 1 из" in form["text"]
    roles = await db.fetch_all("SELECT role FROM role_grants WHERE role IN ('mentor', 'mentee')")
    assert sorted(row["role"] for row in roles) == ["mentee", "mentor"]


async def test_cancel_with_nothing_to_cancel_leads_back_to_the_menu(tg: Harness) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.send(CURATOR, "/cancel")
    typed = tg.fake.last(CURATOR)
    assert typed["text"].startswith(tr("nothing-to-cancel"))
    assert "🏫 МБОУ СОШ № 5" in tg.fake.buttons(typed)
    # A stale «✖ Отмена» under a finished step: the answer carries the menu too.
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "🏛 Округа и школы")
    await tg.press(ADMIN, "➕ Новый округ")
    await tg.send(ADMIN, "Второй округ")
    pressed = await tg.press(ADMIN, tr("btn-cancel"))
    assert pressed["text"].startswith(tr("nothing-to-cancel"))
    assert tr("btn-help") in tg.fake.buttons(pressed)
    assert tr("btn-districts") in tg.fake.buttons(pressed)


async def test_the_dialog_state_is_stored_before_the_reply_leaves(
    tg: Harness, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state writes of an update are held and stored together, but never after the
    message that shows where the dialog is: a crash after the reply loses nothing."""
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.press(CURATOR, "🏫 МБОУ СОШ № 5")
    link = await tg.press(CURATOR, "🔗 Новая ссылка для учителей")
    seen: list[tuple[str, str | None]] = []
    make_request = tg.bot.session.make_request

    async def watched(bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage) and method.chat_id == TEACHER:
            row = await db.fetch_one(
                "SELECT state FROM fsm_states WHERE storage_key LIKE ?", (f"%:{TEACHER}:%",)
            )
            seen.append((method.text, row["state"] if row else None))
        return await make_request(bot, method, timeout)

    monkeypatch.setattr(tg.bot.session, "make_request", watched)
    await tg.send(TEACHER, f"/start {invite_token(link['text'])}")
    await tg.press(TEACHER, "Я наставляемый")
    states = [state for text, state in seen]
    assert states == [JoinStates.choosing_role.state, FormStates.answering.state], seen
    assert "Согласие на обработку персональных данных" in seen[-1][0]


def test_a_person_with_two_roles_sees_each_command_once() -> None:
    grants = (RoleGrant(Role.ADMIN), RoleGrant(Role.COORDINATOR, district_id=1))
    listed = commands_for(Actor(ADMIN, None, grants))
    names = [command.command for command in listed]
    assert len(names) == len(set(names)) and "schools" in names and "status" in names
    schools = next(command for command in listed if command.command == "schools")
    assert schools.description == tr.plain("command-schools")
    stranger = commands_for(Actor(TEACHER, None, ()))
    assert [(c.command, c.description) for c in stranger] == [
        ("start", tr.plain("command-start")),
        ("help", tr.plain("command-help")),
    ]


async def test_choosing_a_role_reads_the_person_and_the_consent_form_once(
    tg: Harness, db: Database
) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.press(CURATOR, "🏫 МБОУ СОШ № 5")
    link = await tg.press(CURATOR, "🔗 Новая ссылка для учителей")
    await tg.send(TEACHER, f"/start {invite_token(link['text'])}")
    with counting(db) as chosen:
        await tg.press(TEACHER, "Я наставляемый")
    assert tg.fake.last(TEACHER)["text"].startswith(tr("consent-first"))
    # The actor with their roles, and the redemption's own lookup of the new row: the person
    # is not read a third time. The consent form is looked for once, then started.
    people = [sql for sql in chosen.sql if sql.startswith("SELECT") and " FROM people" in sql]
    assert len(people) == 2, people
    forms = [sql for sql in chosen.sql if "FROM form_sessions" in sql]
    assert len(forms) == 2, forms  # the latest session (none yet), the one just started
