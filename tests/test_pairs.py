"""Forming pairs through the dispatcher: proposal, invitations, answers, refusals, the order."""

from __future__ import annotations

import asyncio
import io

from aiogram import Bot
from docx import Document

from bot.core.i18n import tr
from bot.pairs.service import PairsRefusal
from bot.ui.callbacks import DraftAction, DraftCb, PairInviteCb
from storage.db import Database
from storage.models import Pair, PairStatus, Role, RoleGrant
from storage.pairs import PairsRepo
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, deliver, services


async def test_proposal_to_active_pair_and_order(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    await seed.participant(db, clock, school, 11, Role.MENTOR, capacity=2)
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await seed.participant(db, clock, school, 22, Role.MENTEE, difficulties=["parents"])
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-pairs"))
    drafts = await tg.press(CURATOR, tr("btn-propose"))
    assert "Наставляемая 21 ← Наставник 11" in drafts["text"]
    assert "совпадают 2 из 2 затруднений" in drafts["text"]
    accepted = await tg.press(CURATOR, tr("btn-accept-all", count=2))
    assert tr("drafts-accepted", created=2, refused=0) in accepted["text"]
    await deliver(bot, db, clock)
    invitation = fake.last(21)
    assert "Приглашение в наставническую пару" in invitation["text"]
    assert "Наставник: Наставник 11" in invitation["text"]
    for user in (21, 11):
        reply = await tg.press(user, tr("btn-accept"))
        assert reply["text"] == tr("pair-accepted")
    statuses = {
        await _tg(db, p.mentee_ids[0]): p.status for p in await PairsRepo(db).for_school(school)
    }
    assert statuses == {21: PairStatus.ACTIVE, 22: PairStatus.INVITED}
    await deliver(bot, db, clock)
    clock.advance(seconds=1)  # one message per second to the same chat
    await deliver(bot, db, clock)

    assert any("пара начала работу" in t for t in tg.texts(CURATOR))
    listing = await tg.press(CURATOR, "« Назад")
    assert "1. Наставник 11 — Наставляемая 21: действует" in listing["text"]
    await tg.press(CURATOR, tr("btn-order"))
    await tg.press(CURATOR, tr("btn-order-blank"))

    _, name, content = fake.uploads[-1]
    assert name.endswith(".docx")
    document = Document(io.BytesIO(content))
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["№", "Наставник", "Наставляемый(е)", "Форма", "Вид", "Срок"]
    assert rows[1][1:5] == ["Наставник 11", "Наставляемая 21", "учитель – учитель", "традиционное"]
    assert rows[1][5] == "с 23.11.2026"
    assert "Об утверждении наставнических пар/групп" in "\n".join(
        p.text for p in document.paragraphs
    )


async def _tg(db: Database, person_id: int) -> int:
    row = await db.fetch_one("SELECT telegram_id FROM people WHERE id = ?", (person_id,))
    assert row is not None
    return int(row["telegram_id"])


async def test_decline_with_reason_returns_mentee_to_bank(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    service, pairs = services(db, clock)
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    await deliver(bot, db, clock)
    ask = await tg.press(21, tr("btn-decline"))
    assert ask["text"] == tr("pair-ask-reason")
    done = await tg.send(21, "Мы работаем в разные смены")
    assert done["text"] == tr("pair-declined")
    pair = await pairs.get(created.id)
    assert pair is not None and pair.status is PairStatus.DECLINED
    found = await service.candidates(school)
    assert mentee in found.mentees and found.mentors[mentor][0].capacity == 1
    notice = await db.fetch_one("SELECT payload FROM outbox WHERE kind = 'curator_notice'")
    assert notice is not None and "разные смены" in notice["payload"]


async def test_capacity_and_concurrent_conflicting_accepts(
    db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR, capacity=1)
    first = await seed.participant(db, clock, school, 21, Role.MENTEE)
    second = await seed.participant(db, clock, school, 22, Role.MENTEE)
    service, pairs = services(db, clock)
    over = await service.create(school, mentor, [first, second], CURATOR)
    assert over is PairsRefusal.MENTOR_FULL
    await pairs.replace_drafts(
        school, [(first, mentor, 50.0, ("a",)), (second, mentor, 40.0, ("b",))], clock.now()
    )
    drafts = await pairs.drafts(school)
    results = await asyncio.gather(*(service.accept_draft(d, CURATOR) for d in drafts))
    assert sum(isinstance(r, Pair) for r in results) == 1
    assert PairsRefusal.MENTOR_FULL in results or PairsRefusal.MENTOR_UNAVAILABLE in results
    assert len(await pairs.for_school(school)) == 1


async def test_student_without_parent_consent_cannot_be_paired(
    db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    student = await seed.participant(db, clock, school, 21, Role.MENTEE, category="student")
    service, _ = services(db, clock)
    assert (await service.propose(school)).total == 0
    assert await service.create(school, mentor, [student], CURATOR) is PairsRefusal.AWAITING_PARENT
    assert await service.create(school, mentor, [mentor], CURATOR) is PairsRefusal.SELF


async def test_withdrawn_consent_and_withdrawn_invitation(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR, capacity=2)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    gone = await seed.participant(db, clock, school, 22, Role.MENTEE)
    service, pairs = services(db, clock)
    await tg.send(22, "/revoke")
    await tg.press(22, tr("btn-revoke-confirm"))
    assert await service.create(school, mentor, [gone], CURATOR) is PairsRefusal.MENTEE_UNKNOWN
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    await deliver(bot, db, clock)
    assert isinstance(await service.withdraw(created), Pair)
    await tg.press(21, tr("btn-accept"))
    assert tg.alert() == tr("pair-refusal", reason=PairsRefusal.INVITATION_GONE)
    pair = await pairs.get(created.id)
    assert pair is not None and pair.status is PairStatus.WITHDRAWN


async def test_forged_pair_buttons_are_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, 60, RoleGrant(Role.CURATOR, organization_id=other))
    outsider = await seed.participant(db, clock, other, 31, Role.MENTEE)
    service, pairs = services(db, clock)
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair) and outsider
    await pairs.replace_drafts(school, [(mentee, mentor, 1.0, ("x",))], clock.now())
    draft = (await pairs.drafts(school))[0]
    # A mentee of another school answering this school's invitation.
    await tg.press_data(
        31,
        PairInviteCb(pair_id=created.id, accept=True).pack(),
        tg.fake.message_update(31, "x")["message"],
    )
    assert tg.alert() == tr("pair-refusal", reason=PairsRefusal.INVITATION_GONE)
    # The other school's curator accepting this school's draft.
    await tg.press_data(
        60,
        DraftCb(draft_id=draft.id, action=DraftAction.ACCEPT).pack(),
        tg.fake.message_update(60, "x")["message"],
    )
    assert tg.alert() == tr("forbidden")
    # A mentee pressing a curator's draft button.
    await tg.press_data(
        21,
        DraftCb(draft_id=draft.id, action=DraftAction.ACCEPT).pack(),
        tg.fake.message_update(21, "x")["message"],
    )
    assert tg.alert() == tr("forbidden")
    still = await pairs.get(created.id)
    assert still is not None and still.status is PairStatus.INVITED


async def test_curator_sets_form_kind_and_grows_a_group(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR, capacity=2)
    first = await seed.participant(db, clock, school, 21, Role.MENTEE)
    await seed.participant(db, clock, school, 22, Role.MENTEE)
    await seed.participant(db, clock, school, 23, Role.MENTEE)
    service, pairs = services(db, clock)
    created = await service.create(school, mentor, [first], CURATOR)
    assert isinstance(created, Pair)
    for person in (mentor, first):
        await service.respond(created, person, True, None)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-pairs"))
    await tg.press(CURATOR, "🤝 1")
    await tg.press(CURATOR, tr("btn-pair-form"))
    card = await tg.press(CURATOR, "руководитель ОО – педагог")
    assert "Форма: руководитель ОО – педагог" in card["text"]
    await tg.press(CURATOR, tr("btn-pair-add"))
    await tg.press(CURATOR, "Наставляемая 22")
    assert tg.alert() == tr("pair-mentee-added")
    grown = await pairs.get(created.id)
    assert grown is not None and grown.kind == "group" and len(grown.mentee_ids) == 2
    assert grown.status is PairStatus.ACTIVE
    await tg.press(CURATOR, tr("btn-pair-add"))
    await tg.press(CURATOR, "Наставляемая 23")
    assert tg.alert() == tr("pair-refusal", reason=PairsRefusal.MENTOR_FULL)
    await db.execute(
        "UPDATE outbox SET status = 'sent', finished_at = created_at WHERE chat_id <> 22"
    )
    await deliver(bot, db, clock)
    assert (await tg.press(22, tr("btn-accept")))["text"] == tr("pair-accepted")
    joined = await pairs.get(created.id)
    assert joined is not None and joined.status is PairStatus.ACTIVE


async def test_curator_reminded_of_long_waiting_mentees(
    db: Database, clock: FakeClock, school: int
) -> None:
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    service, _ = services(db, clock)
    clock.advance(days=10)
    assert not await service.remind_about_waiting(school, 14)
    clock.advance(days=5)
    assert await service.remind_about_waiting(school, 14)
    assert await service.remind_about_waiting(school, 14)  # a second run the same day
    rows = await db.fetch_all("SELECT chat_id, payload FROM outbox")
    assert len(rows) == 1 and rows[0]["chat_id"] == CURATOR
    assert "Наставляемая 21 — 15 дней" in rows[0]["payload"]


async def test_waiting_reminder_looks_only_at_schools_due(
    db: Database, clock: FakeClock, school: int
) -> None:
    other = await seed.school(db, clock, "Школа № 2")
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await seed.participant(db, clock, other, 22, Role.MENTEE)
    service, _ = services(db, clock)
    clock.advance(hours=1)
    assert await service.remind_waiting_due(14) == 2  # each school once after the migration
    for _ in range(3):
        clock.advance(hours=1)
        assert await service.remind_waiting_due(14) == 0  # nobody reaches 14 days for now
    await seed.participant(db, clock, school, 23, Role.MENTEE)
    clock.advance(hours=1)
    assert await service.remind_waiting_due(14) == 1  # the school where someone submitted
    clock.advance(days=14, hours=-3)
    assert await service.remind_waiting_due(14) == 2
    rows = await db.fetch_all("SELECT unique_key FROM outbox")
    assert [r["unique_key"].split(":")[1] for r in rows] == [str(school)]  # no curator in 2
    clock.advance(hours=1)
    restarted, _ = services(db, clock)  # a new process: the marks are in the database
    assert await restarted.remind_waiting_due(14) == 0
    # A curator who joins today gets today's list, the first one not again.
    await seed.person(db, clock, 51, RoleGrant(Role.CURATOR, organization_id=school))
    assert await restarted.remind_waiting_due(14) == 1
    rows = await db.fetch_all("SELECT chat_id, payload FROM outbox ORDER BY id")
    assert [r["chat_id"] for r in rows] == [CURATOR, 51]
    assert "Наставляемая 21 — 14 дней" in rows[1]["payload"]
    assert "Наставляемая 23" not in rows[1]["payload"]  # 13 days yet
    clock.advance(days=1)
    assert await restarted.remind_waiting_due(14) == 2  # tomorrow's list, in both schools
    rows = await db.fetch_all("SELECT chat_id, payload FROM outbox ORDER BY id")
    assert [r["chat_id"] for r in rows] == [CURATOR, 51, CURATOR, 51]
    assert "Наставляемая 23 — 14 дней" in rows[2]["payload"]


async def test_waiting_reminder_looks_again_when_a_pair_ends(
    db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    service, _ = services(db, clock)
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    await db.execute("DELETE FROM outbox")
    clock.advance(hours=1)
    assert await service.remind_waiting_due(14) == 1
    row = await db.fetch_one("SELECT waiting_at FROM organizations WHERE id = ?", (school,))
    assert row is not None and row["waiting_at"] is None  # nobody waits: never by the clock
    clock.advance(days=20)
    assert await service.remind_waiting_due(14) == 0
    assert isinstance(await service.withdraw(created), Pair)  # the mentee is free again
    await db.execute("DELETE FROM outbox WHERE unique_key NOT LIKE 'waiting:%'")
    clock.advance(hours=1)
    assert await service.remind_waiting_due(14) == 1
    rows = await db.fetch_all("SELECT payload FROM outbox WHERE unique_key LIKE 'waiting:%'")
    assert len(rows) == 1 and "Наставляемая 21 — 20 дней" in rows[0]["payload"]
    clock.advance(hours=1)
    assert await service.remind_waiting_due(14) == 0  # reminded today: tomorrow again


async def test_preference_round_makes_mutual_choices_win(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    # On questionnaires alone mentee 21 fits mentor 11 best; 21 and 12 choose each other.
    await seed.participant(db, clock, school, 11, Role.MENTOR)
    await seed.participant(
        db, clock, school, 12, Role.MENTOR, competences=["gifted"], subjects=["history"]
    )
    await seed.participant(db, clock, school, 21, Role.MENTEE)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr("btn-pairs"))
    await tg.press(CURATOR, tr("btn-preferences"))
    assert tg.alert() == tr("preferences-opened", mentees=1, mentors=2)
    await deliver(bot, db, clock)
    assert tr("preferences-ask-mentee") in fake.last(21)["text"]
    picked = await tg.press(21, "▫️ Наставник 12")
    assert "✅ Наставник 12" in fake.buttons(picked)
    await tg.press(12, "▫️ Наставляемая 21")
    drafts = await tg.press(CURATOR, tr("btn-propose"))
    assert "Наставляемая 21 ← Наставник 12" in drafts["text"]


async def test_mentee_names_at_most_three_mentors(
    db: Database, clock: FakeClock, school: int
) -> None:
    mentors = [await seed.participant(db, clock, school, 11 + n, Role.MENTOR) for n in range(4)]
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    service, _ = services(db, clock)
    await service.open_preference_round(school)
    results = [await service.toggle_preference(school, mentee, m) for m in mentors]
    assert [r[0] for r in results if r] == [True, True, True, False]
    assert await service.toggle_preference(school, mentee, mentee) is None  # not a mentor
    outsider = await seed.school(db, clock, "Школа № 2")
    assert await service.toggle_preference(outsider, mentee, mentors[0]) is None
