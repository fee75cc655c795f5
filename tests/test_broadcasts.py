"""Curators' broadcasts (issue 15), through the dispatcher: composed, previewed, confirmed,
delivered by the one outbox; bad input refused; a double tap or a second enqueue sends once."""

from __future__ import annotations

from typing import Any

from aiogram import Bot

from bot.broadcasts.service import Audience, Draft
from bot.core.i18n import tr
from bot.core.permissions import Actor
from bot.ui.callbacks import BroadcastAction, BroadcastCb
from storage.broadcasts import Content
from storage.db import Database
from storage.people import PeopleRepo
from tests.fake_telegram import FakeTelegram, Fault
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, MENTEE, MENTOR, STICKER, active_pair, drain, other_school, teachers

TEXT = "<b>Собрание наставников</b> в пятницу в 15:00, кабинет 12."
SHOWN = "Собрание наставников в пятницу в 15:00, кабинет 12."  # as the fake parses the HTML


async def _compose(tg: Harness) -> dict[str, Any]:
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    await tg.press(CURATOR, tr.plain("btn-broadcasts"))
    asked = await tg.press(CURATOR, tr.plain("btn-broadcast-new"))
    assert "текст объявления" in asked["text"]
    return asked


def _sent_markup(tg: Harness, chat_id: int) -> list[str]:
    return [
        str(params["text"])
        for method, params in tg.fake.requests
        if method == "sendMessage" and int(params["chat_id"]) == chat_id
    ]


async def _progress(tg: Harness, db: Database, clock: FakeClock) -> None:
    """What the periodic job does: queue the progress edits, and the outbox sends them."""
    clock.advance(seconds=5)
    await tg.dp["services"].broadcasts.report_progress()
    await drain(tg.bot, db, clock)


def _message(tg: Harness, chat_id: int, message_id: int) -> dict[str, Any]:
    return next(m for m in tg.fake.bot_messages(chat_id) if m["message_id"] == message_id)


async def _copies(db: Database) -> int:
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'broadcast'")
    assert row is not None
    return int(row["n"])


async def test_a_curator_sends_an_announcement_to_the_mentors(
    tg: Harness, db: Database, bot: Bot, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTORS))
    preview, confirm = tg.fake.bot_messages(CURATOR)[-2:]
    assert preview["text"] == SHOWN
    assert _sent_markup(tg, CURATOR)[-2] == TEXT  # the preview went out as HTML
    assert "наставники — 1 человек" in confirm["text"]
    queued = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    assert "в очереди: 1" in queued["text"]
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == [SHOWN]
    assert _sent_markup(tg, MENTOR) == [TEXT]  # exactly what the curator previewed
    assert tg.texts(MENTEE) == []  # not in the audience
    await tg.send(CURATOR, "/menu")
    await tg.press(CURATOR, "🏫 Школа № 1")
    history = await tg.press(CURATOR, tr.plain("btn-broadcasts"))
    past = next(label for label in tg.fake.buttons(history) if "доставлено 1 из 1" in label)
    card = await tg.press(CURATOR, past)
    assert "Доставлено: 1 · не доставлено: 0 · в очереди: 0" in card["text"]


async def test_the_card_lists_who_did_not_receive_it_and_why(
    tg: Harness, db: Database, clock: FakeClock, school: int, fake: FakeTelegram
) -> None:
    await teachers(db, clock, school)
    fake.blocked.add(MENTEE)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    live = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    assert "в очереди: 2" in live["text"]
    await drain(tg.bot, db, clock)
    await _progress(tg, db, clock)
    card = _message(tg, CURATOR, live["message_id"])  # the same message, edited in place
    assert "Доставлено: 1 · не доставлено: 1 · в очереди: 0" in card["text"]
    assert "Рассылка завершена" in card["text"]
    assert "заблокировал(а) бота" in card["text"]
    assert tg.texts(MENTOR) == [SHOWN]


async def test_bad_announcements_are_refused_with_a_clear_message(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    for text, extra, expected in (
        (None, STICKER, "Объявление пустое"),
        ("а" * 4097, None, "длиннее 4096 символов"),
        ("<b>Собрание в пятницу", None, "В оформлении текста ошибка"),
        ("<blink>Собрание</blink>", None, "В оформлении текста ошибка"),
        ("Оценки 4 < 5", None, "В оформлении текста ошибка"),
        ("Родители & дети", None, "В оформлении текста ошибка"),
    ):
        await tg.feed(tg.fake.message_update(CURATOR, text, extra=extra))
        answer = tg.fake.last(CURATOR)
        assert expected in answer["text"], answer["text"]
        assert tr.plain("btn-cancel") in tg.fake.buttons(answer)
    # Still composing: a good text goes on to the audience.
    asked = await tg.send(CURATOR, "&lt;" + "а" * 4095)  # 4096 once Telegram parses it
    assert "Кому отправить" in asked["text"]
    assert await _copies(db) == 0


async def test_an_audience_of_nobody_is_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)  # both finished their questionnaires
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.UNFINISHED))
    assert "нет ни одного человека" in tg.alert()
    assert tr.plain("btn-broadcast-send") not in tg.fake.buttons(tg.fake.last(CURATOR))
    assert await _copies(db) == 0


async def test_a_double_tap_on_send_sends_once(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    confirm = tg.fake.last(CURATOR)
    data = tg.fake.buttons(confirm)[tr.plain("btn-broadcast-send")]
    await tg.press_data(CURATOR, data, confirm)
    await tg.press_data(CURATOR, data, confirm)
    assert "уже отправлена" in tg.alert()
    assert await _copies(db) == 2
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == [SHOWN]
    assert tg.texts(MENTEE) == [SHOWN]


async def test_enqueueing_the_same_broadcast_twice_makes_no_second_copy(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    # What a restart half-way does: the same draft is queued again.
    await teachers(db, clock, school)
    person, grants = await PeopleRepo(db).with_grants(CURATOR)
    actor = Actor(CURATOR, person, tuple(grants))
    service = tg.dp["services"].broadcasts
    draft = Draft(Content(TEXT), Audience.EVERYONE)
    first = await service.send(actor, school, draft, "draft-1")
    again = await service.send(actor, school, draft, "draft-1")
    assert not isinstance(first, str) and not isinstance(again, str)
    assert not first.repeated and again.repeated
    assert again.broadcast.id == first.broadcast.id
    assert await _copies(db) == 2
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM broadcasts")
    assert row is not None and row["n"] == 1


async def test_a_broadcast_queued_at_night_waits_and_the_curator_is_told_when(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    clock.advance(hours=11)  # 23:00 in Moscow
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTEES))
    queued = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    assert "Рассылка уйдёт 24.11.2026 08:00" in queued["text"]
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTEE) == []
    clock.advance(hours=9)  # 08:00
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTEE) == [SHOWN]


async def test_a_mentee_cannot_start_or_send_a_broadcast(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await tg.send(MENTEE, "/broadcast")
    assert "только её куратор" not in tg.fake.last(MENTEE)["text"]  # refused before the handler
    for action in (
        BroadcastAction.NEW,
        BroadcastAction.SEND,
        BroadcastAction.HOME,
        BroadcastAction.CANCEL,
        BroadcastAction.AGAIN,
    ):
        await tg.press_data(
            MENTEE, BroadcastCb(action=action, school_id=school).pack(), tg.fake.last(MENTEE)
        )
        assert tg.alert()
    assert await _copies(db) == 0
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM broadcasts")
    assert row is not None and row["n"] == 0
    # Another school's curator, forging this school's id, is refused by the service too.
    await other_school(db, clock, 77)
    await tg.send(77, "/menu")
    await tg.press_data(77, BroadcastCb(action=BroadcastAction.NEW, school_id=school).pack())
    assert "только её куратор" in tg.alert()


DOCUMENT = {
    "document": {"file_id": "BQACAgIAAxk-plan", "file_unique_id": "plan", "file_name": "plan.pdf"}
}


def _requests(tg: Harness, method: str, chat_id: int) -> list[dict[str, Any]]:
    return [p for m, p in tg.fake.requests if m == method and int(p["chat_id"]) == chat_id]


async def test_a_document_with_a_caption_and_a_link_button_reaches_the_mentors(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    caption = {**DOCUMENT, "caption": "План недели наставника"}
    await tg.feed(tg.fake.message_update(CURATOR, None, extra=caption))
    asked = tg.fake.last(CURATOR)
    assert "Кому отправить" in asked["text"]
    await tg.press(CURATOR, tr.plain("btn-broadcast-buttons"))
    await tg.send(CURATOR, "Положение о наставничестве — https://school1.ru/nastavnik")
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTORS))
    preview = _requests(tg, "sendDocument", CURATOR)[-1]  # what the mentors will get
    assert preview["document"] == "BQACAgIAAxk-plan"
    assert preview["caption"] == "План недели наставника"
    await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    await drain(tg.bot, db, clock)
    (copy,) = _requests(tg, "sendDocument", MENTOR)
    assert copy["document"] == "BQACAgIAAxk-plan" and copy["caption"] == caption["caption"]
    (button,) = copy["reply_markup"]["inline_keyboard"][0]
    assert button == {"text": "Положение о наставничестве", "url": "https://school1.ru/nastavnik"}
    assert _requests(tg, "sendDocument", MENTEE) == []
    row = await db.fetch_one("SELECT media, file_id FROM broadcasts")
    assert row is not None and (row["media"], row["file_id"]) == ("document", "BQACAgIAAxk-plan")


async def test_a_long_caption_and_bad_buttons_are_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    await tg.feed(tg.fake.message_update(CURATOR, None, extra={**DOCUMENT, "caption": "а" * 1025}))
    assert "Подпись к файлу длиннее 1024" in tg.fake.last(CURATOR)["text"]
    await tg.feed(tg.fake.message_update(CURATOR, None, extra={**DOCUMENT, "caption": "а" * 1024}))
    await tg.press(CURATOR, tr.plain("btn-broadcast-buttons"))
    for typed in (
        "Сайт ftp://school1.ru",
        "javascript:alert(1)",
        "https://school1.ru",
        "Сайт https://",
    ):
        answer = await tg.send(CURATOR, typed)
        assert "Кнопки не распознаны" in answer["text"], typed
    answer = await tg.send(CURATOR, "Чат tg://resolve?domain=school1")
    assert "Кому отправить" in answer["text"]


async def test_a_file_telegram_refuses_fails_once_with_its_reason(
    tg: Harness, db: Database, clock: FakeClock, school: int, fake: FakeTelegram
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    await tg.feed(tg.fake.message_update(CURATOR, None, extra=DOCUMENT))
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.MENTORS))
    refusal = "Bad Request: wrong file identifier/HTTP URL specified"
    fake.faults.append(Fault("sendDocument", 400, refusal, times=10))
    live = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    await drain(tg.bot, db, clock)
    await _progress(tg, db, clock)
    row = await db.fetch_one("SELECT status, attempts FROM outbox WHERE kind = 'broadcast'")
    assert row is not None and (row["status"], row["attempts"]) == ("failed", 1)  # no retries
    final = _message(tg, CURATOR, live["message_id"])["text"]
    assert "не доставлено: 1" in final and "Telegram не принял файл" in final


async def test_a_scheduled_broadcast_waits_for_its_time_or_for_the_end_of_quiet_hours(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)  # 12:00 on 23.11.2026 in Moscow
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    await tg.press(CURATOR, tr.plain("btn-broadcast-later"))
    answer = await tg.send(CURATOR, "вчера в 9:00")
    assert tr.plain("btn-cancel") in tg.fake.buttons(answer)  # asked again
    confirm = await tg.send(CURATOR, "завтра в 7:00")
    assert "Рассылка уйдёт 24.11.2026 08:00" in confirm["text"]
    assert "время тишины" in confirm["text"]
    await tg.press(CURATOR, tr.plain("btn-cancel"))
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    await tg.press(CURATOR, tr.plain("btn-broadcast-later"))
    confirm = await tg.send(CURATOR, "завтра в 9:00")
    assert "Рассылка уйдёт 24.11.2026 09:00" in confirm["text"]
    live = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    assert "уйдёт 24.11.2026 09:00" in live["text"]
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == []
    clock.advance(hours=21)  # 09:00 next day
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == [SHOWN] and tg.texts(MENTEE) == [SHOWN]


async def test_a_scheduled_broadcast_is_cancelled_before_it_starts(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await teachers(db, clock, school)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    await tg.press(CURATOR, tr.plain("btn-broadcast-later"))
    await tg.send(CURATOR, "завтра в 9:00")
    live = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    await tg.press(CURATOR, tr.plain("btn-broadcast-cancel"))
    assert "Отменено: 2" in tg.alert()
    await tg.press_data(CURATOR, tg.fake.buttons(live)[tr.plain("btn-broadcast-cancel")], live)
    assert "отменять нечего" in tg.alert()  # a double tap
    await _progress(tg, db, clock)
    final = _message(tg, CURATOR, live["message_id"])
    assert "Отменено: 2" in final["text"] and "Рассылка завершена" in final["text"]
    clock.advance(days=1)
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTOR) == [] and tg.texts(MENTEE) == []


async def test_progress_is_edited_only_when_it_changed_and_sent_again_to_who_missed_it(
    tg: Harness, db: Database, clock: FakeClock, school: int, fake: FakeTelegram
) -> None:
    await teachers(db, clock, school)
    fake.blocked.add(MENTEE)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.EVERYONE))
    live = await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    clock.advance(seconds=5)
    assert await tg.dp["services"].broadcasts.report_progress() == 0  # the same text: no edit
    await drain(tg.bot, db, clock)
    for _ in range(3):
        await _progress(tg, db, clock)
    edits = [
        r
        for r in _requests(tg, "editMessageText", CURATOR)
        if r["message_id"] == live["message_id"]
    ]
    assert len(edits) == 1  # once: to the final counts
    failed = await db.fetch_one(
        "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'broadcast_progress' AND status <> 'sent'"
    )
    assert failed is not None and failed["n"] == 0  # never "message is not modified"
    final = _message(tg, CURATOR, live["message_id"])
    assert "заблокировал(а) бота" in final["text"]
    fake.blocked.discard(MENTEE)
    data = tg.fake.buttons(final)[tr.plain("btn-broadcast-again")]
    again = await tg.press_data(CURATOR, data, final)
    await tg.press_data(CURATOR, data, final)  # a double tap: one resend
    assert "тем, кто не получил" in again["text"] and "в очереди: 1" in again["text"]
    await drain(tg.bot, db, clock)
    assert tg.texts(MENTEE) == [SHOWN] and tg.texts(MENTOR) == [SHOWN]  # the mentor once
    row = await db.fetch_one("SELECT COUNT(*) AS n FROM broadcasts")
    assert row is not None and row["n"] == 2


async def test_pairs_without_a_planned_meeting_are_an_audience(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await active_pair(db, clock, school)
    await _compose(tg)
    await tg.send(CURATOR, TEXT)
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience=Audience.NO_MEETING))
    assert "2 человека" in tg.fake.last(CURATOR)["text"]
