"""The attendance checklist of a big event (issue 15), through the dispatcher: a page at a time
within Telegram's 100 buttons, a mark keeps its page and stores the right person, the bulk
mark of those who said «Иду», forged and stale pages clamped, foreign presses refused, and
the school report and the district's XLSX counting the mentors trained."""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot

from bot.core.i18n import tr
from bot.core.when import shown
from bot.reports.service import ReportRefusal
from bot.ui.callbacks import AttendanceAction, AttendanceCb
from storage.db import Database
from storage.events import Event, EventAnswer, EventKind, EventsRepo, Invitee
from storage.models import Organization, Role, RoleGrant
from tests import seed
from tests.harness import FakeClock, Harness
from tests.report_steps import COORDINATOR, district_with_two_schools, sheet_rows, uploads
from tests.steps import CURATOR, MENTEE, other_school, school_event

GUESTS = 250
FIRST = 1000  # the guests' Telegram ids: FIRST, FIRST + 1, ...
GOING = 30  # the first GOING guests said «Иду»


async def _held_event(db: Database, clock: FakeClock, school: int) -> tuple[Event, list[int]]:
    """A «Школа наставников» of GUESTS mentors, begun an hour ago; the person ids in the order
    of their Telegram ids."""
    people = [
        await seed.person(db, clock, FIRST + n, RoleGrant(Role.MENTOR, organization_id=school))
        for n in range(GUESTS)
    ]
    now = clock.now()
    event = await school_event(
        db,
        clock,
        school,
        EventKind.MENTOR_SCHOOL,
        now + timedelta(hours=1),
        {FIRST + n: p for n, p in enumerate(people)},
        "Школа наставников",
        "Актовый зал",
        "draft",
    )
    repo = EventsRepo(db)
    for person_id in people[:GOING]:
        await repo.answer(event.id, person_id, EventAnswer.GOING, now)
    clock.current = now + timedelta(hours=2)
    return event, people


def _guest_buttons(tg: Harness, message: dict[str, Any]) -> dict[str, str]:
    return {
        label: data for label, data in tg.fake.buttons(message).items() if "Участник id" in label
    }


def _count(message: dict[str, Any]) -> int:
    return sum(len(row) for row in message["reply_markup"]["inline_keyboard"])


def _page(message: dict[str, Any]) -> tuple[int, int]:
    found = re.search(r"Страница (\d+) из (\d+)", message["text"])
    assert found is not None, message["text"]
    return int(found[1]), int(found[2])


async def _attended(db: Database) -> set[int]:
    rows = await db.fetch_all("SELECT person_id FROM event_invitations WHERE attended = 1")
    return {row["person_id"] for row in rows}


async def test_a_checklist_of_250_guests_goes_a_page_at_a_time(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    event, people = await _held_event(db, clock, school)
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-events"))
    await tg.press(CURATOR, f"{shown(event.starts_at, ZoneInfo('Europe/Moscow'))} · {event.title}")
    page = await tg.press(CURATOR, tr.plain("btn-event-attendance"))
    assert "Присутствовали: 0 из 250 · сказали «Иду»: 30" in page["text"]

    # Every page within Telegram's limit, every guest on exactly one page.
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    while True:
        number, total = _page(page)
        assert (number, total) == (len(pages) + 1, 13)
        assert _count(page) <= 100
        pages.append(copy.deepcopy(page))  # the fake edits the message in place
        seen += _guest_buttons(tg, page)
        buttons = tg.fake.buttons(page)
        following = tr.plain("btn-event-page-next", page=number + 1)
        if following not in buttons:
            break
        page = await tg.press_data(CURATOR, buttons[following], page)
    assert len(seen) == len(set(seen)) == GUESTS
    assert len(_guest_buttons(tg, pages[0])) == 20 and len(_guest_buttons(tg, pages[-1])) == 10
    assert tr.plain("btn-event-page-prev", page=12) in tg.fake.buttons(pages[-1])

    # A mark on page 3 stores that guest and shows page 3 again, with the counts.
    await tg.press_data(CURATOR, tg.fake.buttons(pages[1])[tr.plain("btn-event-page-next", page=3)])
    third = tg.fake.last(CURATOR)
    assert _page(third) == (3, 13)
    label, data = sorted(_guest_buttons(tg, third).items())[5]
    telegram_id = int(label.rsplit("id", 1)[1])
    marked = await tg.press_data(CURATOR, data, third)
    assert await _attended(db) == {people[telegram_id - FIRST]}
    assert _page(marked) == (3, 13)
    assert "Присутствовали: 1 из 250" in marked["text"]
    assert f"✅ {label.split(' ', 1)[1]}" in tg.fake.buttons(marked)

    # Everyone who said «Иду», in one tap; the page stays.
    bulk = await tg.press(CURATOR, tr.plain("btn-event-mark-going"))
    assert _page(bulk) == (3, 13)
    assert await _attended(db) == {*people[:GOING], people[telegram_id - FIRST]}
    assert "Присутствовали: 31 из 250 · сказали «Иду»: 30" in bulk["text"]

    # The school report counts the mentors trained.
    services = tg.dp["services"]
    organization = await services.organizations.school(school)
    assert isinstance(organization, Organization)
    report = await services.reports.school_report(organization, None)
    assert not isinstance(report, ReportRefusal)
    assert report.figures.training is not None
    assert report.figures.training.mentors_trained == 31
    assert report.figures.training.held == {EventKind.MENTOR_SCHOOL: 1}


async def test_forged_stale_and_foreign_pages(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    event, people = await _held_event(db, clock, school)
    await tg.send(CURATOR, "/menu")

    def data(**fields: Any) -> str:
        return AttendanceCb(event_id=event.id, **fields).pack()

    # A forged page past the end shows the last page; one before the start, the first.
    last = await tg.press_data(CURATOR, data(action=AttendanceAction.PAGE, page=9999))
    assert _page(last) == (13, 13) and len(_guest_buttons(tg, last)) == 10
    first = await tg.press_data(CURATOR, data(action=AttendanceAction.PAGE, page=-2))
    assert _page(first) == (1, 13)
    # Past the field's bound: the button is stale, nothing reaches the service.
    await tg.press_data(CURATOR, f"ea:{event.id}:p:10000:0:0")
    assert tg.alert() == tr.plain("stale-button")

    # A page drawn before guests left (their data erased): the mark still names its person,
    # and the page shown is the last one there is now.
    stale = AttendanceCb(
        event_id=event.id, action=AttendanceAction.MARK, page=12, person=people[-1], on=True
    )
    await db.execute(
        "DELETE FROM event_invitations WHERE event_id = ? AND person_id IN ("
        + ", ".join("?" for _ in people[100:200])
        + ")",
        (event.id, *people[100:200]),
    )
    shown = await tg.press_data(CURATOR, stale.pack())
    assert _page(shown) == (8, 8)
    assert await _attended(db) == {people[-1]}
    # A guest no longer invited is refused, and nothing is stored.
    gone = stale.model_copy(update={"person": people[150]})
    await tg.press_data(CURATOR, gone.pack())
    assert tg.alert() == tr.plain("event-refusal", reason="not_found")
    assert await _attended(db) == {people[-1]}

    # A mentee through a forged button; the curator of another school.
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await tg.send(MENTEE, "/menu")
    for action in AttendanceAction:
        await tg.press_data(MENTEE, data(action=action, person=people[0], on=True))
        assert tg.alert() == tr.plain("forbidden")
    await other_school(db, clock, 51)
    await tg.send(51, "/menu")
    for action in AttendanceAction:
        await tg.press_data(51, data(action=action, person=people[0], on=True))
        assert tg.alert() == tr.plain("event-refusal", reason="forbidden")
    assert await _attended(db) == {people[-1]}


async def test_the_district_report_counts_the_mentors_trained(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock
) -> None:
    district, first, second = await district_with_two_schools(db, clock)
    mentors = {
        11: (first, await seed.participant(db, clock, first, 11, Role.MENTOR)),
        12: (first, await seed.participant(db, clock, first, 12, Role.MENTOR)),
        13: (second, await seed.participant(db, clock, second, 13, Role.MENTOR)),
    }
    coordinator = await db.fetch_one("SELECT id FROM people WHERE telegram_id = ?", (COORDINATOR,))
    assert coordinator is not None
    repo = EventsRepo(db)
    now = clock.now()
    events = []
    for kind, title in (
        (EventKind.MENTOR_SCHOOL, "Школа наставников"),
        (EventKind.ROUND_TABLE, "Круглый стол"),
    ):
        event, _ = await repo.create(
            None,
            district,
            kind,
            title,
            now + timedelta(hours=1),
            "Зал",
            "mentors",
            coordinator["id"],
            title,
            now,
        )
        await repo.invite(
            event.id, [Invitee(p, t, s, Role.MENTOR) for t, (s, p) in mentors.items()]
        )
        events.append(event)
    # A round table is not a training: who attended it is not counted.
    await repo.mark(events[1].id, mentors[12][1], True)
    clock.current = now + timedelta(hours=2)

    # The coordinator marks the training's attendance on the district's screen.
    await tg.send(COORDINATOR, "/schools")
    await tg.press(COORDINATOR, "🏛 Устьянский округ")
    await tg.press(COORDINATOR, tr.plain("btn-events"))
    await tg.press(
        COORDINATOR, f"{shown(events[0].starts_at, ZoneInfo('Europe/Moscow'))} · Школа наставников"
    )
    await tg.press(COORDINATOR, tr.plain("btn-event-attendance"))
    await tg.press(COORDINATOR, "▫️ Наставник 11")
    marked = await tg.press(COORDINATOR, "▫️ Наставник 13")
    assert "Присутствовали: 2 из 3" in marked["text"]

    await tg.send(COORDINATOR, "/schools")
    await tg.press(COORDINATOR, "🏛 Устьянский округ")
    await tg.press(COORDINATOR, tr.plain("btn-district-report"))
    await tg.press(COORDINATOR, "📊 2026/2027 учебный год")
    assert any("наставников прошли обучение: 2" in t for t in tg.texts(COORDINATOR))
    monitoring = sheet_rows(
        uploads(tg, COORDINATOR)["district_2026-2027.xlsx"], "Мониторинг реализации"
    )
    assert monitoring[0][-1] == tr.plain("report-training-mentors")
    assert [(row[1], row[-1]) for row in monitoring[1:]] == [
        ("МБОУ ОСОШ № 1", 1),
        ("МБОУ ОСОШ № 2", 1),  # no pairs yet, but its mentor was trained
        ("Итого", 2),
    ]
