"""Bad input, forged buttons, groups, floods, failures: a clear Russian answer, nothing stored."""

from __future__ import annotations

import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.ui import callbacks
from bot.ui.callbacks import DistrictAction, DistrictCb, MenuCb, SchoolAction, SchoolCb, Screen
from storage.db import Database
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, CURATOR, STICKER, TEACHER, create_school, join_teacher


async def test_group_chat_is_told_once_to_use_private_chat(tg: Harness) -> None:
    await tg.send(ADMIN, "/menu", chat_id=-500, chat_type="group")
    await tg.send(ADMIN, "ещё сообщение", chat_id=-500, chat_type="group")
    assert [m["text"] for m in tg.fake.bot_messages(-500)] == [tr("private-only")]


@pytest.mark.parametrize(
    ("text", "extra", "expected"),
    [
        ("/nosuchcommand", None, tr("unknown-command")),
        ("просто текст", None, tr("unexpected-text")),
        (None, STICKER, tr("unsupported-content")),
        (
            None,
            {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
            tr("unsupported-content"),
        ),
    ],
)
async def test_unexpected_messages_get_explanation_and_menu(
    tg: Harness, text: str | None, extra: dict[str, object] | None, expected: str
) -> None:
    reply = await tg.send(ADMIN, text, extra=extra)
    assert reply["text"].startswith(expected)
    assert "🏛 Округа и школы" in tg.fake.buttons(reply)


async def test_edited_message_is_not_taken_as_an_answer(tg: Harness, db: Database) -> None:
    await tg.send(ADMIN, "/schools")
    await tg.press(ADMIN, "➕ Новый округ")
    reply = await tg.send(ADMIN, "Исправленный округ", edited=True)
    assert reply["text"] == tr("edited-ignored")
    assert await db.fetch_one("SELECT id FROM districts") is None


async def test_stranger_gets_invite_hint_and_is_not_stored(tg: Harness, db: Database) -> None:
    reply = await tg.send(777, "привет")
    assert reply["text"] == tr("stranger-hint")
    await tg.press_data(777, MenuCb(screen=Screen.DISTRICTS).pack())
    assert tg.alert() == tr("stranger-hint")
    assert await db.fetch_one("SELECT id FROM people") is None


@pytest.mark.parametrize(
    "payload",
    [
        "x" * 5000,
        "приглашение-школы-номер-пять-приглашение-школы",
        "'; DROP TABLE invites; --",
        "A" * 43,
        "%00%0a<script>",
    ],
)
async def test_malformed_deep_links(tg: Harness, db: Database, payload: str) -> None:
    reply = await tg.send(888, f"/start {payload}")
    assert reply["text"] == tr("invite-invalid")
    assert await db.fetch_one("SELECT id FROM people") is None
    assert (await db.fetch_one("SELECT COUNT(*) AS n FROM invites"))["n"] == 0  # type: ignore[index]


async def test_mentee_forging_curator_button_is_refused(tg: Harness, db: Database) -> None:
    await join_teacher(tg, "Я наставляемый")
    school = await db.fetch_one("SELECT id FROM organizations")
    assert school is not None
    invites_before = await db.fetch_one("SELECT COUNT(*) AS n FROM invites")
    forged = SchoolCb(action=SchoolAction.TEACHER_LINK, school_id=school["id"]).pack()
    await tg.press_data(TEACHER, forged)
    assert tg.alert() == tr("forbidden")
    forged = SchoolCb(action=SchoolAction.INVITE_CURATOR, school_id=school["id"]).pack()
    await tg.press_data(TEACHER, forged)
    assert tg.alert() == tr("forbidden")
    invites_after = await db.fetch_one("SELECT COUNT(*) AS n FROM invites")
    assert invites_before is not None and invites_after is not None
    assert invites_after["n"] == invites_before["n"]


async def test_curator_cannot_open_another_school(
    tg: Harness, db: Database, clock: FakeClock
) -> None:
    token = await create_school(tg)
    await tg.send(CURATOR, f"/start {token}")
    other = await OrganizationsRepo(db).create_school(1, "Чужая школа", "Asia/Omsk", clock.now())
    assert other is not None
    await tg.press_data(CURATOR, SchoolCb(action=SchoolAction.OPEN, school_id=other.id).pack())
    assert tg.alert() == tr("forbidden")
    await tg.press_data(
        CURATOR, SchoolCb(action=SchoolAction.TEACHER_LINK, school_id=other.id).pack()
    )
    assert tg.alert() == tr("forbidden")
    assert "Чужая школа" not in " ".join(tg.texts(CURATOR))


async def test_coordinator_sees_only_own_district(tg: Harness, db: Database) -> None:
    await create_school(tg, district="Первый округ")
    await tg.press(ADMIN, "« Главное меню")
    await tg.press(ADMIN, "🏛 Округа и школы")
    await tg.press(ADMIN, "➕ Новый округ")
    await tg.send(ADMIN, "Второй округ")
    link = await tg.press(ADMIN, "✉ Пригласить координатора")
    token = link["text"].split("start=")[1].split()[0]
    await tg.send(400, f"/start {token}")
    listing = await tg.send(400, "/schools")
    assert set(tg.fake.buttons(listing)) == {"🏛 Второй округ", "« Главное меню"}
    first = await db.fetch_one("SELECT id FROM districts WHERE name = 'Первый округ'")
    assert first is not None
    await tg.press_data(
        400, DistrictCb(action=DistrictAction.NEW_SCHOOL, district_id=first["id"]).pack()
    )
    assert tg.alert() == tr("forbidden")
    await tg.press_data(
        400, DistrictCb(action=DistrictAction.INVITE_COORDINATOR, district_id=first["id"]).pack()
    )
    assert tg.alert() == tr("forbidden")


@pytest.mark.parametrize("data", ["garbage", "s:open:notanumber", "d:explode:1", "m:nosuch", ""])
async def test_stale_or_forged_callback_data(tg: Harness, data: str) -> None:
    await tg.send(ADMIN, "/menu")
    await tg.press_data(ADMIN, data or "x")
    assert tg.alert() == tr("stale-button")


async def test_bad_names_are_reasked(tg: Harness, db: Database) -> None:
    await tg.send(ADMIN, "/schools")
    await tg.press(ADMIN, "➕ Новый округ")
    for bad in ("x" * 5000, "a", "/menu2"):
        reply = await tg.send(ADMIN, bad)
        assert "Название должно быть текстом" in reply["text"]
    reply = await tg.send(ADMIN, None, extra=STICKER)
    assert "Название должно быть текстом" in reply["text"]
    reply = await tg.send(ADMIN, "Округ 🌲 Ёлкино <b>")
    # Shown as typed: the name was HTML-escaped, or the strict fake would have refused it.
    assert "Округ 🌲 Ёлкино <b>" in reply["text"]
    row = await db.fetch_one("SELECT name FROM districts")
    assert row is not None and row["name"] == "Округ 🌲 Ёлкино <b>"


async def test_flooding_user_is_warned_once_then_dropped(tg: Harness) -> None:
    tg.seconds_per_update = 0
    for _ in range(30):
        await tg.feed(tg.fake.message_update(ADMIN, "/help"))
    texts_seen = tg.texts(ADMIN)
    assert texts_seen.count(tr("throttled")) == 1
    assert len(texts_seen) == 11  # the burst of 10, then the single warning


async def test_failure_in_handler_tells_user_how_to_continue(
    tg: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(OrganizationsRepo, "districts", broken)
    reply = await tg.send(ADMIN, "/schools")
    assert reply["text"] == tr("something-went-wrong")


async def test_every_handler_declares_its_action(tg: Harness) -> None:
    for router in tg.dp.chain_tail:
        for name, observer in router.observers.items():
            if name in ("error", "update"):
                continue
            for handler in observer.handlers:
                assert "action" in handler.flags, f"{router.name}: {handler.callback.__name__}"


async def test_every_handler_and_filter_runs_on_the_event_loop(tg: Harness) -> None:
    # aiogram runs a plain (non-async) callable, a bare State or F filter among them, in a
    # worker thread on every check: a thread hop per update per filter. Use StateFilter.
    for router in tg.dp.chain_tail:
        for observer in router.observers.values():
            observer_wide = observer._handler.filters or []  # `router.message.filter(...)`
            for handler in observer.handlers:
                for callable_ in [handler, *(handler.filters or []), *observer_wide]:
                    assert callable_.awaitable, f"{router.name}: {callable_.callback!r}"


async def test_status_for_administrators_only(tg: Harness, db: Database, clock: FakeClock) -> None:
    now = clock.now()
    await OutboxRepo(db).enqueue(
        "k", 5, "broadcast", message_payload("x"), now, now + timedelta(hours=1), now
    )
    clock.advance(hours=2, minutes=3)
    report = await tg.send(ADMIN, "/status")
    assert "Версия: 0.1.0" in report["text"] and "Работает: 2:03:01" in report["text"]
    assert "Очередь исходящих: 1, самое старое к отправке: 23.11.2026 12:00" in report["text"]
    await join_teacher(tg, "Я наставник")
    refused = await tg.send(TEACHER, "/status")
    assert refused["text"].startswith(tr("forbidden"))


async def test_texts_speak_the_language_of_a_school_document(tg: Harness) -> None:
    """No chat slang or calques in what the bot says about joining, roles and groups."""
    await tg.send(ADMIN, "/menu", chat_id=-501, chat_type="group")
    told = tg.fake.last(-501)["text"]
    assert "в личные сообщения" in told and "в личку" not in told
    catalogues = ("bot/ui/common.ftl", "bot/participation", "bot/organizations")
    root = Path(__file__).resolve().parent.parent
    texts = " ".join(
        path.read_text("utf-8")
        for folder in catalogues
        for path in ([root / folder] if folder.endswith(".ftl") else (root / folder).glob("*.ftl"))
    )
    for slang in ("в личку", "с этой ролью", "дн.", "чел."):
        assert slang not in texts, slang


def test_every_kind_of_button_has_its_own_prefix() -> None:
    """Two kinds sharing a prefix would hand one's buttons to the other's handlers (it
    happened once, when two features chose "mn" in parallel)."""
    kinds = [
        kind
        for _, kind in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(kind, CallbackData) and kind is not CallbackData
    ]
    prefixes = [kind.__prefix__ for kind in kinds]
    assert len(kinds) > 30
    assert len(set(prefixes)) == len(prefixes), sorted(p for p in prefixes if prefixes.count(p) > 1)
