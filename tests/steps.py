"""Steps the tests share: a school, people joining, a questionnaire filled, pairs formed,
meetings proposed, the outbox delivered. Test modules import their steps from here only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from aiogram import Bot

from bot.core.config import MeetingSettings, OutboxSettings, QuietHours
from bot.core.i18n import tr
from bot.core.outbox import OutboxSender
from bot.forms.catalog import DEFAULT_CATALOG
from bot.forms.engine import FormEngine
from bot.meetings.service import MeetingService
from bot.organizations.service import OrganizationService
from bot.pairs.service import PairService
from bot.participation.banks import BankService
from bot.programs.service import ProgramService
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.events import Event, EventKind, EventsRepo, Invitee
from storage.forms import FormSessionsRepo
from storage.meetings import MeetingsRepo
from storage.models import Pair, PairStatus, Role, RoleGrant
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import OrdersRepo, PairRequestsRepo, PairsRepo, PreferencesRepo
from storage.people import PeopleRepo
from storage.programs import ProgramsRepo
from tests import seed
from tests.harness import FakeClock, Harness

ADMIN = 100
CURATOR = 50
TEACHER = 300
MENTOR, MENTEE = 11, 21
STICKER = {
    "sticker": {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}


def invite_token(text: str) -> str:
    match = re.search(r"start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match[1]


async def create_school(
    tg: Harness, district: str = "Городской округ", school: str = "МБОУ СОШ № 5"
) -> str:
    """The administrator creates a district and a school; returns the curator invite token."""
    menu = await tg.send(ADMIN, "/menu")
    assert "администратор" in menu["text"]
    await tg.press(ADMIN, "🏛 Округа и школы")
    await tg.press(ADMIN, "➕ Новый округ")
    await tg.send(ADMIN, district)
    await tg.press(ADMIN, "➕ Новая школа")
    await tg.send(ADMIN, school)
    created = await tg.press(ADMIN, "Москва (МСК)")
    assert f"Школа «{school}» создана" in created["text"]
    invite = await tg.press(ADMIN, "✉ Пригласить куратора")
    assert "для куратора школы" in invite["text"]
    return invite_token(invite["text"])


async def join_teacher(tg: Harness, role_button: str) -> None:
    """A school with a curator, whose teacher link TEACHER opens, choosing a role."""
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    await tg.press(CURATOR, "🏫 МБОУ СОШ № 5")
    link = await tg.press(CURATOR, "🔗 Новая ссылка для учителей")
    await tg.send(TEACHER, f"/start {invite_token(link['text'])}")
    await tg.press(TEACHER, role_button)


AGREE = "✅ Согласен(на)"


async def answers_of(db: Database, person_telegram_id: int, form_id: str) -> dict[str, Any]:
    rows = await db.fetch_all(
        "SELECT a.question_id, a.value FROM form_answers a"
        " JOIN form_sessions s ON s.id = a.session_id JOIN people p ON p.id = s.person_id"
        " WHERE p.telegram_id = ? AND s.form_id = ?",
        (person_telegram_id, form_id),
    )
    return {row["question_id"]: json.loads(row["value"]) for row in rows}


async def begin_mentee(tg: Harness) -> None:
    await join_teacher(tg, "Я наставляемый")
    consent = tg.fake.last(TEACHER)
    assert "Согласие на обработку персональных данных" in consent["text"]
    assert "МБОУ СОШ № 5" in consent["text"]
    first = await tg.press(TEACHER, AGREE)
    assert "Спасибо, согласие сохранено" in first["text"]
    assert "вопрос 1 из" in first["text"] and "фамилия, имя и отчество" in first["text"]


async def fill_mentee(
    tg: Harness, user: int = TEACHER, name: str = "Иванова Анна Сергеевна"
) -> dict[str, Any]:
    await tg.send(user, name)
    await tg.send(user, "учитель математики")
    await tg.press(user, "Молодой специалист (стаж до 3 лет)")
    await tg.press(user, "▫️ Математика")
    await tg.press(user, "▫️ Информатика")
    await tg.press(user, "Готово ✔")
    wrong = await tg.send(user, "пять")
    assert "Введите число цифрами от 0 до 60" in wrong["text"]
    await tg.send(user, "2 года")
    await tg.press(user, "▫️ Дисциплина и управление классом")
    other = await tg.send(user, "Документы по ОВЗ 📄")
    assert tr("form-other-added") in other["text"]
    assert "Документы по ОВЗ 📄" in other["text"]
    await tg.press(user, "Готово ✔")
    await tg.press(user, "Пропустить »")
    await tg.press(user, "Очно")
    await tg.press(user, "▫️ Пн")
    await tg.press(user, "▫️ Ср")
    await tg.press(user, "Готово ✔")
    await tg.press(user, "▫️ После уроков")
    return await tg.press(user, "Готово ✔")


def services(db: Database, clock: FakeClock) -> tuple[PairService, PairsRepo]:
    people, outbox, pairs = PeopleRepo(db), OutboxRepo(db), PairsRepo(db)
    banks = BankService(
        people,
        FormSessionsRepo(db),
        ConsentsRepo(db),
        pairs,
        outbox,
        DEFAULT_CATALOG,
        QuietHours(),
        clock,
    )
    service = PairService(
        pairs,
        PairRequestsRepo(db),
        PreferencesRepo(db),
        OrdersRepo(db),
        banks,
        people,
        OrganizationsRepo(db),
        outbox,
        QuietHours(),
        clock,
    )
    return service, pairs


async def deliver(bot: Bot, db: Database, clock: FakeClock) -> None:
    sender = OutboxSender(bot, OutboxRepo(db), PeopleRepo(db), clock, OutboxSettings())
    await sender.tick()


async def active_pair(
    db: Database, clock: FakeClock, school_id: int, mentor_id: int = MENTOR, mentee_id: int = MENTEE
) -> Pair:
    mentor = await seed.participant(db, clock, school_id, mentor_id, Role.MENTOR)
    mentee = await seed.participant(db, clock, school_id, mentee_id, Role.MENTEE)
    service, pairs = services(db, clock)
    created = await service.create(school_id, mentor, [mentee], CURATOR)
    assert isinstance(created, Pair)
    for person in (mentor, mentee):
        await service.respond(created, person, True, None)
    pair = await pairs.get(created.id)
    assert pair is not None and pair.status is PairStatus.ACTIVE
    # The invitations and acceptance notices are not what these tests look at.
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    return pair


async def write_program(tg: Harness) -> dict[str, Any]:
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    first = await tg.press(MENTOR, tr("btn-program-edit"))
    assert "Дата начала программы" in first["text"]
    assert "такой даты нет" in (await tg.send(MENTOR, "31.02.2026"))["text"].lower()
    await tg.send(MENTOR, "01.12.2026")
    short = await tg.send(MENTOR, "2")
    assert "от 3 до 12" in short["text"]
    await tg.send(MENTOR, "6")
    await tg.send(MENTOR, "Снять затруднения с дисциплиной на уроке")
    await tg.send(
        MENTOR,
        "Анализ урока; разбор двух уроков; 15.12.2026; карта урока\n"
        "Классное руководство; план работы; 20.01.2027; план",
    )
    await tg.press(MENTOR, "Пропустить »")
    return await tg.press(MENTOR, "📨 Отправить")


async def drain(bot: Bot, db: Database, clock: FakeClock) -> None:
    """Send everything due, a second apart per chat as Telegram requires."""
    for _ in range(5):
        await deliver(bot, db, clock)
        clock.advance(seconds=1)


def meeting_services(
    db: Database, clock: FakeClock, outbox: OutboxRepo | None = None
) -> tuple[MeetingService, ProgramService]:
    people, outbox = PeopleRepo(db), outbox or OutboxRepo(db)
    engine = FormEngine(FormSessionsRepo(db), DEFAULT_CATALOG, clock)
    programs = ProgramService(ProgramsRepo(db), PairsRepo(db), engine, people, outbox, clock)
    banks = BankService(
        people,
        FormSessionsRepo(db),
        ConsentsRepo(db),
        PairsRepo(db),
        outbox,
        DEFAULT_CATALOG,
        QuietHours(),
        clock,
    )
    service = MeetingService(
        MeetingsRepo(db),
        PairsRepo(db),
        people,
        OrganizationService(OrganizationsRepo(db), people, clock),
        banks,
        outbox,
        engine,
        programs,
        MeetingSettings(),
        QuietHours(),
        clock,
    )
    return service, programs


async def outbox_keys(db: Database, status: str) -> list[str]:
    rows = await db.fetch_all(
        "SELECT unique_key FROM outbox WHERE status = ? ORDER BY id", (status,)
    )
    return [row["unique_key"] for row in rows]


async def propose(tg: Harness, when: str = "завтра в 16:00") -> dict[str, object]:
    await tg.send(MENTOR, "/menu")
    await tg.press(MENTOR, tr("btn-my-pairs"))
    await tg.press(MENTOR, "🤝 1")
    await tg.press(MENTOR, tr("btn-meeting-new"))
    await tg.send(MENTOR, when)
    await tg.send(MENTOR, "каб. 204")
    return await tg.press(MENTOR, tr("btn-no-topic"))


async def give_feedback(tg: Harness, person: int) -> dict[str, Any]:
    """The person fills the feedback form on the meeting: held, 8 of 10, what was done."""
    await tg.press(person, tr("btn-feedback"))
    await tg.press(person, "Да")
    await tg.press(person, "8")
    await tg.send(person, "Познакомились, обсудили план")
    await tg.press(person, "Пропустить »")
    await tg.press(person, "Пропустить »")
    await tg.send(person, "Посетить урок наставника")
    return await tg.press(person, "📨 Отправить")


async def district_of(db: Database, school: int) -> int:
    found = await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (school,))
    assert found is not None
    return int(found["district_id"])


async def coordinator(db: Database, clock: FakeClock, school: int, telegram_id: int) -> int:
    """`telegram_id` made the coordinator of `school`'s district; returns the district id."""
    district = await district_of(db, school)
    await seed.person(db, clock, telegram_id, RoleGrant(Role.COORDINATOR, district_id=district))
    return district


async def other_school(db: Database, clock: FakeClock, curator: int) -> int:
    """«Школа № 2», in a district of its own, with `curator` as its curator."""
    school = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, curator, RoleGrant(Role.CURATOR, organization_id=school))
    return school


async def teachers(
    db: Database,
    clock: FakeClock,
    school: int,
    mentors: Iterable[int] = (MENTOR,),
    mentees: Iterable[int] = (MENTEE,),
) -> dict[int, int]:
    """Mentors, then mentees, who joined `school` with their questionnaires submitted:
    Telegram id → person id."""
    return {
        **{m: await seed.participant(db, clock, school, m, Role.MENTOR) for m in mentors},
        **{m: await seed.participant(db, clock, school, m, Role.MENTEE) for m in mentees},
    }


async def school_event(
    db: Database,
    clock: FakeClock,
    school: int,
    kind: EventKind,
    starts_at: datetime,
    guests: dict[int, int],
    title: str,
    place: str,
    key: str,
) -> Event:
    """An event of `school` for its mentors, created by its curator, with `guests` (Telegram id
    → person id, mentors of the school) invited; straight through the repository."""
    curator = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (CURATOR,))
    assert curator is not None
    repo = EventsRepo(db)
    event, _ = await repo.create(
        school,
        await district_of(db, school),
        kind,
        title,
        starts_at,
        place,
        "mentors",
        curator["id"],
        key,
        clock.now(),
    )
    await repo.invite(event.id, [Invitee(p, t, school, Role.MENTOR) for t, p in guests.items()])
    return event
