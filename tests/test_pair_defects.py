"""The pair defects of issue 11, each through the dispatcher: the paged draft list and an
«Принять все» that states what it accepts, pairs named by their people, the order's number
and date, the evidence of the consent given by accepting an invitation."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from aiogram import Bot
from docx import Document

from bot.core.i18n import tr
from bot.pairs.naming import pair_title, short_name
from bot.pairs.service import INVITATION_VERSION, invitation_hash
from storage.db import Database
from storage.models import Decision, OrderKind, Pair, PairParticipant, PairStatus, Role
from storage.pairs import OrdersRepo, PairsRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, active_pair, deliver, meeting_services, services


async def _open_pairs(tg: Harness) -> dict[str, object]:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    return await tg.press(CURATOR, tr("btn-pairs"))


async def test_draft_list_is_paged_and_accept_all_states_its_count(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    for n in range(16):
        await seed.participant(db, clock, school, 100 + n, Role.MENTOR)
        await seed.participant(db, clock, school, 200 + n, Role.MENTEE)
    await _open_pairs(tg)
    first = await tg.press(CURATOR, tr("btn-propose"))
    assert "Строки 1–10 из 16" in first["text"]
    assert "\n10. " in first["text"] and "\n11. " not in first["text"]
    assert "✅ Принять все (16)" in tg.fake.buttons(first)
    second = await tg.press(CURATOR, "Ещё 6 »")
    assert "Строки 11–16 из 16" in second["text"] and "\n16. " in second["text"]
    assert "« Предыдущие" in tg.fake.buttons(second)
    done = await tg.press(CURATOR, "✅ Принять все (16)")
    assert "Создано пар: 16, приглашения отправлены." in done["text"]
    assert len(await PairsRepo(db).for_school(school)) == 16


async def test_accept_all_accepts_nothing_when_the_list_changed_since_it_was_shown(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    for n in range(2):
        await seed.participant(db, clock, school, 100 + n, Role.MENTOR)
        await seed.participant(db, clock, school, 200 + n, Role.MENTEE)
    await _open_pairs(tg)
    await tg.press(CURATOR, tr("btn-propose"))
    service, pairs = services(db, clock)
    await service.propose(school)  # another curator proposes again: new drafts
    changed = await tg.press(CURATOR, "✅ Принять все (2)")
    assert "Список черновика изменился" in changed["text"]
    assert await pairs.for_school(school) == []
    await tg.press(CURATOR, "✅ Принять все (2)")  # the fresh list's button
    assert len(await pairs.for_school(school)) == 2


def test_pairs_are_named_by_surname_and_initials() -> None:
    def person(pid: int, role: Role) -> PairParticipant:
        return PairParticipant(pid, role, Decision.ACCEPTED, None)

    group = Pair(
        7,
        1,
        1,
        "teacher_teacher",
        "group",
        PairStatus.ACTIVE,
        datetime(2026, 11, 23, tzinfo=UTC),
        None,
        (person(1, Role.MENTOR), person(2, Role.MENTEE), person(3, Role.MENTEE)),
    )
    names = {1: "Иванова Анна Петровна", 2: "Петрова  Мария Сергеевна", 3: "Сидоров Иван"}
    assert pair_title(group, names) == "Иванова А. П. — Петрова М. С., Сидоров И."
    assert short_name("Наставник 11") == "Наставник 11"
    assert "7" not in pair_title(group, {})


async def test_risk_alert_names_the_pair_by_its_people_not_its_id(
    db: Database, clock: FakeClock, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await db.execute(
        "UPDATE form_answers SET value = ? WHERE question_id = 'full_name' AND session_id IN"
        " (SELECT id FROM form_sessions WHERE person_id = ?)",
        (json.dumps("Иванова Анна Петровна"), pair.mentor_id),
    )
    await db.execute(
        "UPDATE form_answers SET value = ? WHERE question_id = 'full_name' AND session_id IN"
        " (SELECT id FROM form_sessions WHERE person_id = ?)",
        (json.dumps("Петрова Мария Сергеевна"), pair.mentee_ids[0]),
    )
    service, _ = meeting_services(db, clock)
    clock.advance(days=22)
    await service.sweep()
    row = await db.fetch_one("SELECT payload FROM outbox WHERE unique_key LIKE 'risk:%'")
    assert row is not None
    text = json.loads(row["payload"])["text"]
    assert text == "Пара Иванова А. П. — Петрова М. С. требует внимания: нет встреч 22 дня."
    assert "№" not in text


async def test_order_asks_for_its_number_and_date_and_keeps_them(
    tg: Harness, db: Database, clock: FakeClock, fake: FakeTelegram, school: int
) -> None:
    await active_pair(db, clock, school)
    await _open_pairs(tg)
    asked = await tg.press(CURATOR, tr("btn-order"))
    assert "Укажите номер и дату приказа, например: 45-о от 01.09.2026" in asked["text"]
    assert "Без номера (заполнить от руки)" in fake.buttons(asked)
    wrong = await tg.send(CURATOR, "сорок пятый")
    assert "Не удалось прочитать номер и дату" in wrong["text"]
    assert "Без номера (заполнить от руки)" in fake.buttons(wrong)
    assert await OrdersRepo(db).of_school(school, OrderKind.PAIRS) == []
    sent = await tg.send(CURATOR, "45-о от 01.09.2026")
    assert "№ 45-о от 01.09.2026" in sent["caption"]
    _, _, content = fake.uploads[-1]
    paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert "№ 45-о от 01.09.2026" in paragraphs
    kept = await OrdersRepo(db).of_school(school, OrderKind.PAIRS)
    assert [(o.number, o.signed_on.isoformat()) for o in kept] == [("45-о", "2026-09-01")]
    # Without a number, the field is left visible to fill by hand; nothing more is kept.
    await tg.press(CURATOR, tr("btn-order"))
    await tg.press(CURATOR, "Без номера (заполнить от руки)")
    _, _, blank = fake.uploads[-1]
    paragraphs = [p.text for p in Document(io.BytesIO(blank)).paragraphs]
    assert "№ ____ от «__» ______ 20__ г." in paragraphs
    assert len(await OrdersRepo(db).of_school(school, OrderKind.PAIRS)) == 1


async def test_accepting_an_invitation_keeps_the_evidence_of_consent(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    service, _ = services(db, clock)
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    sent = await db.fetch_one("SELECT payload FROM outbox WHERE kind = 'pair_invitation'")
    assert sent is not None
    shown = json.loads(sent["payload"])["text"]
    await deliver(bot, db, clock)
    invitation = fake.last(21)
    assert (await tg.press(21, tr("btn-accept")))["text"] == tr("pair-accepted")
    row = await db.fetch_one(
        "SELECT consent_version, consent_hash, message_id, decided_at FROM pair_participants"
        " WHERE pair_id = ? AND person_id = ?",
        (created.id, mentee),
    )
    assert row is not None
    assert row["consent_version"] == INVITATION_VERSION
    assert row["consent_hash"] == invitation_hash(shown)
    assert row["message_id"] == invitation["message_id"]
    assert row["decided_at"] is not None


async def test_preference_button_is_worded_as_a_school_document(tg: Harness, school: int) -> None:
    listing = await _open_pairs(tg)
    labels = tg.fake.buttons(listing)
    assert "🗳 Выбор наставника по предпочтениям" in labels
    assert not any("Раунд" in label for label in labels)
