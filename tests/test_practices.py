"""Best practices and colleagues' notes (issue 16), through the dispatcher: a completed pair's
case is published only with every side's consent, appears in the library and in the website
export's records, and goes with a withdrawal; a colleague invited by the curator writes a note
on a mentee's card, seen by the mentor only if allowed, exported and erased with the mentee."""

from __future__ import annotations

import json
from datetime import timedelta

from aiogram import Bot

from bot.core.i18n import tr
from bot.services import Services
from bot.ui.callbacks import (
    CardCb,
    MeetingAction,
    MeetingCb,
    NoteAction,
    NoteCb,
    PairCardAction,
    PairCardCb,
    PracticeAction,
    PracticeCb,
)
from storage.db import Database
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, Pair, Role, RoleGrant
from tests import seed
from tests.fake_telegram import FakeTelegram
from tests.harness import FakeClock, Harness
from tests.report_steps import open_reports, uploads
from tests.steps import CURATOR, MENTEE, MENTOR, active_pair, deliver, drain, write_program
from tests.steps import services as pair_services

OTHER_CURATOR, COLLEAGUE, STRANGER = 51, 12, 13
AGREE = tr.plain("btn-practice-agree")
AGREE_NAMES = tr.plain("btn-practice-agree-names")


def _services(tg: Harness) -> Services:
    services: Services = tg.dp["services"]
    return services


async def _count(db: Database, sql: str, *params: object) -> int:
    row = await db.fetch_one(sql, params)
    assert row is not None
    return int(row[0])


async def _feedback(tg: Harness, person: int, meeting_id: int) -> None:
    data = MeetingCb(meeting_id=meeting_id, revision=1, action=MeetingAction.FEEDBACK).pack()
    await tg.press_data(person, data)
    await tg.press(person, "Да")
    await tg.press(person, "8")
    await tg.send(person, "Подвели итоги программы")
    await tg.press(person, "Пропустить »")
    await tg.press(person, "Пропустить »")
    await tg.send(person, "Продолжить работу самостоятельно")
    await tg.press(person, "📨 Отправить")


async def _completed_pair(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> Pair:
    """A pair walked to «программа выполнена» by both sides after the final meeting."""
    pair = await active_pair(db, clock, school)
    await write_program(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-program-open"))
    await tg.press(MENTEE, tr("btn-program-confirm"))
    meetings = MeetingsRepo(db)
    meeting_id = await meetings.create(
        pair.id, MeetingKind.FINAL, clock.now() + timedelta(hours=1), "каб. 204", "", 1, clock.now()
    )
    assert await meetings.confirm(meeting_id, 1, clock.now())
    clock.advance(hours=3)
    for person in (MENTOR, MENTEE):
        await _feedback(tg, person, meeting_id)
        await tg.press_data(
            person, PairCardCb(pair_id=pair.id, action=PairCardAction.COMPLETE).pack()
        )
    row = await db.fetch_one("SELECT status FROM pairs WHERE id = ?", (pair.id,))
    assert row is not None and row["status"] == "completed"
    await drain(bot, db, clock)
    return pair


async def _outsiders_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int, pair: Pair
) -> int:
    """Nobody outside the pair consents for it; another school's curator cannot describe it.
    Returns the other school."""
    await seed.participant(db, clock, school, STRANGER, Role.MENTOR)
    await tg.send(STRANGER, "/menu")
    await tg.press_data(STRANGER, PracticeCb(action=PracticeAction.AGREE, pair_id=pair.id).pack())
    assert tg.alert() == tr.plain("practice-refusal", reason="not_yours")
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, OTHER_CURATOR, RoleGrant(Role.CURATOR, organization_id=other))
    await tg.send(OTHER_CURATOR, "/menu")
    await tg.press_data(
        OTHER_CURATOR, PracticeCb(action=PracticeAction.EDIT, pair_id=pair.id).pack()
    )
    assert tg.alert() == tr.plain("practice-refusal", reason="not_found")
    return other


async def _site_page(tg: Harness) -> str:
    await open_reports(tg)
    await tg.press(CURATOR, tr.plain("btn-report-site"))
    return uploads(tg, CURATOR)["nastavnichestvo_2026-2027.html"].decode()


async def test_a_case_needs_both_consents_is_published_and_goes_with_a_withdrawal(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _completed_pair(tg, db, clock, bot, school)
    for person in (MENTOR, MENTEE):
        assert any(tr.plain("practice-offer") in t for t in tg.texts(person))
    edit = PracticeCb(action=PracticeAction.EDIT, pair_id=pair.id).pack()
    publish = PracticeCb(action=PracticeAction.PUBLISH, pair_id=pair.id).pack()
    one_consent = tr.plain("practice-refusal", reason="one_consent")
    await tg.send(CURATOR, "/menu")
    await tg.press_data(CURATOR, edit)
    assert tg.alert() == one_consent

    # One consent alone publishes nothing: the curator can neither describe nor publish it.
    await tg.press(MENTOR, AGREE)
    assert tg.alert() == tr.plain("practice-agreed", ready=False)
    for data in (edit, publish):
        await tg.press_data(CURATOR, data)
        assert tg.alert() == one_consent
    assert await _count(db, "SELECT COUNT(*) FROM practices") == 0
    await tg.press(MENTEE, AGREE_NAMES)
    assert tg.alert() == tr.plain("practice-agreed", ready=True)
    other = await _outsiders_refused(tg, db, clock, school, pair)

    await drain(bot, db, clock)
    await tg.press(CURATOR, tr.plain("btn-practice-edit"))
    await tg.send(CURATOR, "Снять затруднения с дисциплиной на уроке")
    await tg.send(CURATOR, "Разобрали десять уроков, составили карту урока")
    preview = await tg.send(CURATOR, "Замечаний по дисциплине стало вдвое меньше")
    assert "Разобрали десять уроков" in preview["text"] and "Пара:" not in preview["text"]
    await tg.press(CURATOR, tr.plain("btn-practice-publish"))
    assert tr("practice-published") in tg.fake.last(CURATOR)["text"]
    await tg.press_data(CURATOR, publish)  # a double tap
    assert tg.alert() == tr.plain("practice-refusal", reason="published")

    # The website export's records: no names, as the mentor agreed without them.
    [case] = await _services(tg).practices.published_cases(school, "2026/2027")
    assert (case.goal, case.mentor, case.mentees) == (
        "Снять затруднения с дисциплиной на уроке",
        None,
        None,
    )
    assert await _services(tg).practices.published_cases(school, "2025/2026") == []
    # ...and the school website's page carries the case, still without names.
    page = await _site_page(tg)
    assert tr.plain("site-section-practices") in page
    assert "Результат: Замечаний по дисциплине стало вдвое меньше." in page
    assert "Наставник 11" not in page and "Наставляемая 21" not in page
    assert await _services(tg).practices.published_cases(other, "2026/2027") == []
    # With the mentor's consent to names too, the pair is named.
    await tg.press(MENTOR, AGREE_NAMES)
    [named] = await _services(tg).practices.published_cases(school)
    assert named.mentor == "Наставник 11" and named.mentees == ("Наставляемая 21",)

    # Participants read it in the library's «Лучшие практики».
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, tr.plain("btn-library"))
    listed = await tg.press(MENTEE, tr.plain("btn-practices", count=1))
    stale = tg.fake.buttons(listed)["⭐ Снять затруднения с дисциплиной на уроке"]
    opened = await tg.press_data(MENTEE, stale)
    assert "Замечаний по дисциплине стало вдвое меньше" in opened["text"]

    # Either side's withdrawal of consent removes the case.
    await tg.send(MENTOR, "/revoke")
    await tg.press(MENTOR, tr("btn-revoke-confirm"))
    assert await _count(db, "SELECT COUNT(*) FROM practices") == 0
    assert await _count(db, "SELECT COUNT(*) FROM practice_consents") == 0
    assert await _services(tg).practices.published_cases(school) == []
    await tg.press_data(MENTEE, stale)
    assert tg.alert() == tr.plain("practice-refusal", reason="not_found")


async def _other_school_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int, mentee: int, mentor: int
) -> None:
    """Another school's curator reaches neither the notes nor the colleagues of the mentee,
    whether naming the mentee's school or their own."""
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, OTHER_CURATOR, RoleGrant(Role.CURATOR, organization_id=other))
    await tg.send(OTHER_CURATOR, "/menu")
    for action, school_id in ((NoteAction.LIST, school), (NoteAction.PICK, other)):
        await tg.press_data(
            OTHER_CURATOR,
            NoteCb(action=action, school_id=school_id, mentee_id=mentee).pack(),
        )
        assert tg.alert() == tr.plain("note-refusal", reason="not_found")
    await tg.press_data(
        OTHER_CURATOR,
        NoteCb(action=NoteAction.INVITE, school_id=other, mentee_id=mentee, v=mentor).pack(),
    )
    assert tg.alert() == tr.plain("note-refusal", reason="not_found")


async def test_an_invited_colleague_writes_a_note_the_mentor_sees_and_erasure_takes_it(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, fake: FakeTelegram, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, MENTOR, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await seed.participant(
        db, clock, school, COLLEAGUE, Role.MENTOR, full_name="Петрова Ольга Ивановна"
    )
    await tg.send(CURATOR, "/menu")
    await tg.press_data(
        CURATOR, CardCb(school_id=school, role=Role.MENTEE.value, person_id=mentee).pack()
    )
    notes = await tg.press(CURATOR, tr.plain("btn-notes"))
    assert "Заметки коллег о запросах: Наставляемая" in notes["text"]
    picked = await tg.press(CURATOR, tr.plain("btn-note-ask"))
    assert {"Наставник 11", "Петрова Ольга Ивановна"} <= set(fake.buttons(picked))
    invited = await tg.press(CURATOR, "Петрова Ольга Ивановна")
    assert "Запрос отправлен: Петрова Ольга Ивановна" in invited["text"]
    note_id = int((await db.fetch_one("SELECT id FROM mentee_notes"))["id"])  # type: ignore[index]

    # Someone not invited cannot write it, by a forged button.
    await tg.send(STRANGER, "/menu")
    await seed.person(db, clock, STRANGER, RoleGrant(Role.MENTOR, organization_id=school))
    await tg.press_data(STRANGER, NoteCb(action=NoteAction.WRITE, v=note_id).pack())
    assert tg.alert() == tr.plain("note-refusal", reason="not_invited")
    await _other_school_refused(tg, db, clock, school, mentee, mentor)
    assert await _count(db, "SELECT COUNT(*) FROM mentee_notes") == 1

    await drain(bot, db, clock)
    invitation = fake.last(COLLEAGUE)
    assert "просит вас добавить заметку" in invitation["text"]
    write = fake.buttons(invitation)[tr.plain("btn-note-write")]
    await tg.press_data(COLLEAGUE, write)
    await tg.send(COLLEAGUE, "Тревожится на открытых уроках, лучше начинать с малых групп")
    saved = await tg.press(COLLEAGUE, tr.plain("btn-note-share", share=True))
    assert tr("note-saved", for_mentor=True) in saved["text"]
    await tg.press_data(COLLEAGUE, write)  # the invitation is used up
    assert tg.alert() == tr.plain("note-refusal", reason="written")

    listed = await tg.press_data(
        CURATOR, NoteCb(action=NoteAction.LIST, school_id=school, mentee_id=mentee).pack()
    )
    assert "Петрова Ольга Ивановна" in listed["text"] and "малых групп" in listed["text"]

    # After pairing the mentor reads it on the pair's card; the mentee does not.
    service, _ = pair_services(db, clock)
    created = await service.create(school, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    for person in (mentor, mentee):
        await service.respond(created, person, True, None)
    card = PairCardCb(pair_id=created.id, action=PairCardAction.OPEN).pack()
    await tg.send(MENTOR, "/menu")
    assert "малых групп" in (await tg.press_data(MENTOR, card))["text"]
    await tg.send(MENTEE, "/menu")
    assert "малых групп" not in (await tg.press_data(MENTEE, card))["text"]

    # The mentee's own data: exported by /mydata, erased on withdrawal.
    await tg.send(MENTEE, "/mydata")
    exported = json.loads(fake.uploads[-1][2])
    [note] = exported["заметки_коллег"]
    assert note["автор"] == "Петрова Ольга Ивановна" and "малых групп" in note["текст"]
    await tg.send(MENTEE, "/revoke")
    await tg.press(MENTEE, tr("btn-revoke-confirm"))
    assert await _count(db, "SELECT COUNT(*) FROM mentee_notes") == 0
