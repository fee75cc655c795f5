"""The methodological library (issue 16), through the dispatcher: the curator uploads, bad
files and links are refused, participants browse by audience, search, and a mentee finds what
matches the difficulties of the questionnaire."""

from __future__ import annotations

from typing import Any

from aiogram import Bot

from bot.core.i18n import tr
from bot.ui.callbacks import (
    LibraryManageAction,
    LibraryManageCb,
    MaterialCb,
    MaterialDeleteCb,
    PairCardAction,
    PairCardCb,
    PlanAction,
    PlanCb,
)
from storage.db import Database
from storage.library import LibraryRepo
from storage.models import LibraryAudience, MaterialKind, Role
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, STICKER, active_pair, write_program

MENTEE, MENTOR = 21, 11
OTHER_CURATOR = 51
MB = 1024 * 1024


def _document(name: str, size: int, file_id: str = "F1") -> dict[str, Any]:
    return {
        "document": {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "file_size": size,
        }
    }


async def _start_upload(tg: Harness) -> None:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    asked = await tg.press(CURATOR, tr.plain("btn-library-add"))
    assert "Пришлите файл" in asked["text"]


async def _upload(
    tg: Harness, extra: dict[str, Any] | None, text: str | None, title: str, audience: str
) -> dict[str, Any]:
    await _start_upload(tg)
    await tg.feed(tg.fake.message_update(CURATOR, text, extra=extra))
    await tg.send(CURATOR, title)
    await tg.press(CURATOR, "Дисциплина и управление классом")
    return await tg.press(CURATOR, audience)


async def test_bad_files_and_links_are_refused_with_a_clear_message(
    tg: Harness, db: Database, school: int
) -> None:
    await _start_upload(tg)
    for extra, text, expected in (
        (_document("lecture.mp4", 25 * MB), None, "больше 20 МБ"),
        (_document("setup.exe", MB), None, "Такой файл не подходит"),
        (STICKER, None, "Такой файл не подходит"),
        (None, "посмотрите на сайте школы", "не похоже на ссылку"),
    ):
        await tg.feed(tg.fake.message_update(CURATOR, text, extra=extra))
        answer = tg.fake.last(CURATOR)
        assert expected in answer["text"], answer["text"]
        assert tr.plain("btn-cancel") in tg.fake.buttons(answer)
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM library_materials")
    assert row is not None and row["n"] == 0


async def test_mentee_finds_material_matching_difficulty_and_audiences_are_kept(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    # The mentee named «lesson» and «discipline» among the difficulties.
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    await seed.participant(db, clock, school, MENTOR, Role.MENTOR)
    added = await _upload(
        tg,
        _document("discipline.pdf", 2 * MB),
        None,
        "Памятка: дисциплина на уроке",
        "наставляемые",
    )
    assert "добавлен в методическую копилку" in added["text"]
    await _upload(tg, None, "https://example.org/mentors", "Как вести первую встречу", "наставники")
    rows = await db.fetch_all("SELECT title, topic, audience, kind, file_id FROM library_materials")
    assert [tuple(r) for r in rows] == [
        ("Памятка: дисциплина на уроке", "discipline", "mentees", "file", "F1"),
        ("Как вести первую встречу", "discipline", "mentors", "link", None),
    ]

    await tg.send(MENTEE, "/menu")
    home = await tg.press(MENTEE, tr.plain("btn-library"))
    assert "материалов: 1" in home["text"]  # the mentors' link is not the mentee's
    assert "подобрано: 1" in home["text"]
    mine = await tg.press(MENTEE, tr.plain("btn-library-for-me", count=1))
    assert "📎 Памятка: дисциплина на уроке" in tg.fake.buttons(mine)
    await tg.press(MENTEE, "📎 Памятка: дисциплина на уроке")
    sent = tg.fake.last(MENTEE)
    assert sent["document"]["file_name"] == "F1"  # sent again by its Telegram file_id

    await tg.press(MENTEE, tr.plain("btn-main-menu"))
    await tg.press(MENTEE, tr.plain("btn-library"))
    await tg.press(MENTEE, tr.plain("btn-library-search"))
    found = await tg.send(MENTEE, "дисциплина")
    assert "найден 1 материал" in found["text"]
    await tg.press(MENTEE, tr.plain("btn-back"))
    await tg.press(MENTEE, tr.plain("btn-library-search"))
    nothing = await tg.send(MENTEE, "ОГЭ")
    assert "найдено 0 материалов" in nothing["text"] and "Материалов пока нет" in nothing["text"]

    await tg.send(MENTOR, "/menu")
    seen = await tg.press(MENTOR, tr.plain("btn-library"))
    assert "материалов: 1" in seen["text"]
    # A mentor cannot open the mentees' material by a forged callback.
    mentees_only = int(
        (await db.fetch_one("SELECT id FROM library_materials WHERE audience = 'mentees'"))["id"]  # type: ignore[index]
    )
    await tg.press_data(MENTOR, MaterialCb(material_id=mentees_only).pack())
    assert tg.alert() == tr.plain("library-refusal", reason="not_found")


async def test_mentee_cannot_upload_by_forged_callback(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await seed.participant(db, clock, school, MENTEE, Role.MENTEE)
    district = int(
        (await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (school,)))[  # type: ignore[index]
            "district_id"
        ]
    )
    await tg.send(MENTEE, "/menu")
    for school_id in (school, 0):
        await tg.press_data(
            MENTEE,
            LibraryManageCb(
                district_id=district, school_id=school_id, action=LibraryManageAction.ADD
            ).pack(),
        )
        assert tg.alert() == tr.plain("forbidden")
    # Nor a curator in another school's library.
    other = await seed.school(db, clock, "Школа № 2")
    await tg.send(CURATOR, "/menu")
    await tg.press_data(
        CURATOR,
        LibraryManageCb(
            district_id=district, school_id=other, action=LibraryManageAction.ADD
        ).pack(),
    )
    assert tg.alert() == tr.plain("library-refusal", reason="forbidden")
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM library_materials")
    assert row is not None and row["n"] == 0


async def _material(db: Database, clock: FakeClock, school: int, title: str, by: int) -> int:
    district = await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (school,))
    assert district is not None
    return await LibraryRepo(db).add(
        district["district_id"],
        school,
        title,
        "lesson",
        LibraryAudience.EVERYONE,
        MaterialKind.LINK,
        None,
        None,
        "https://example.org/lesson",
        by,
        clock.now(),
    )


async def test_a_pair_attaches_materials_to_plan_items_and_deleting_one_takes_it_away(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await active_pair(db, clock, school)
    await write_program(tg)
    ours = await _material(db, clock, school, "Карта анализа урока", CURATOR)
    other = await seed.school(db, clock, "Школа № 2")
    theirs = await _material(db, clock, other, "Чужой материал", OTHER_CURATOR)

    await tg.send(MENTOR, "/menu")
    await tg.press_data(MENTOR, PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN).pack())
    items = await tg.press(MENTOR, tr.plain("btn-plan-materials"))
    assert "1. Анализ урока (0)" in tg.fake.buttons(items)
    await tg.press(MENTOR, "1. Анализ урока (0)")
    await tg.press(MENTOR, tr.plain("btn-plan-attach"))
    attached = await tg.press(MENTOR, "📎 Карта анализа урока")
    assert tg.alert() == tr.plain("plan-attached", title="Карта анализа урока")
    assert "прикреплён 1 материал" in attached["text"]
    # A double tap, and another school's material by a forged button, are refused.
    for material, reason in ((ours, "attached"), (theirs, "not_found")):
        await tg.press_data(
            MENTOR,
            PlanCb(pair_id=pair.id, action=PlanAction.ATTACH, item=0, v=material).pack(),
        )
        assert tg.alert() == tr.plain("library-refusal", reason=reason)
    # A plan item that does not exist is a stale button; the curator only reads.
    await tg.press_data(
        MENTOR, PlanCb(pair_id=pair.id, action=PlanAction.ATTACH, item=7, v=ours).pack()
    )
    assert tg.alert() == tr.plain("stale-button")
    rows = await db.fetch_all("SELECT pair_id, item, material_id FROM plan_materials")
    assert [tuple(r) for r in rows] == [(pair.id, 0, ours)]
    # The other side sees it on the program card.
    await tg.send(MENTEE, "/menu")
    card = await tg.press_data(
        MENTEE, PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN).pack()
    )
    assert (
        "Материалы к плану:" in card["text"] and "Анализ урока: Карта анализа урока" in card["text"]
    )

    # A participant cannot delete it, not even by a forged confirmation.
    await tg.press_data(MENTEE, MaterialCb(material_id=ours).pack())
    assert tr.plain("btn-library-delete") not in tg.fake.buttons(tg.fake.last(MENTEE))
    for confirm in (False, True):
        await tg.press_data(MENTEE, MaterialDeleteCb(material_id=ours, confirm=confirm).pack())
        assert tg.alert() == tr.plain("library-refusal", reason="forbidden_delete")
    # The curator deletes it after a confirmation; it leaves the plan too.
    await tg.send(CURATOR, "/menu")
    await tg.press_data(CURATOR, MaterialCb(material_id=ours).pack())
    asked = await tg.press(CURATOR, tr.plain("btn-library-delete"))
    assert "Удалить материал «Карта анализа урока»" in asked["text"]
    done = await tg.press(CURATOR, tr.plain("btn-library-delete-confirm"))
    assert "удалён из методической копилки" in done["text"]
    assert (await db.fetch_one("SELECT COUNT(*) AS n FROM plan_materials"))["n"] == 0  # type: ignore[index]
    assert (await db.fetch_one("SELECT COUNT(*) AS n FROM library_materials"))["n"] == 1  # type: ignore[index]
    # Stale buttons of the deleted material say what happened.
    gone = tr.plain("library-refusal", reason="not_found")
    for data in (
        MaterialCb(material_id=ours).pack(),
        MaterialDeleteCb(material_id=ours, confirm=True).pack(),
    ):
        await tg.press_data(CURATOR, data)
        assert tg.alert() == gone and "удалили" in gone
    await tg.press_data(CURATOR, MaterialDeleteCb(material_id=theirs).pack())
    assert tg.alert() == gone  # another school's material is not even seen
