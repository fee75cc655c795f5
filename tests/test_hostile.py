"""Hostile input: arbitrary text, callback data and deep links never break the bot, every reply
is one Telegram accepts, and the logs carry ids, never names, answers or the token."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import logs, texts
from tests.conftest import ADMIN, TOKEN
from tests.harness import Harness
from tests.test_join_flow import TEACHER, join_teacher
from tests.test_questionnaire import AGREE

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def no_failures(caplog: pytest.LogCaptureFixture) -> None:
    failed = [r for r in caplog.records if "update failed" in r.getMessage()]
    assert not failed, failed[0].getMessage()


@FUZZ
@given(text=st.text(min_size=1, max_size=600))
async def test_any_text_in_any_state(
    tg: Harness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    caplog.set_level(logging.ERROR)
    for user in (ADMIN, 555):
        await tg.send(user, text)
    no_failures(caplog)


@FUZZ
@given(data=st.text(min_size=1, max_size=64).filter(lambda d: len(d.encode()) <= 64))
async def test_any_callback_data(tg: Harness, caplog: pytest.LogCaptureFixture, data: str) -> None:
    caplog.set_level(logging.ERROR)
    await tg.send(ADMIN, "/menu")
    await tg.press_data(ADMIN, data)
    await tg.press_data(777, data, tg.fake.message_update(777, "x")["message"])
    no_failures(caplog)


@FUZZ
@given(payload=st.text(min_size=1, max_size=300))
async def test_any_deep_link(tg: Harness, caplog: pytest.LogCaptureFixture, payload: str) -> None:
    caplog.set_level(logging.ERROR)
    reply = await tg.send(888, f"/start {payload}")
    assert reply["text"] in (texts.INVITE_INVALID, texts.STRANGER_WELCOME)
    no_failures(caplog)


async def test_logs_carry_ids_not_names_answers_or_token(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    logs.hold_back_libraries()  # as the running bot does at start-up
    caplog.set_level(logging.DEBUG)
    await join_teacher(tg, "Я наставляемый")
    await tg.press(TEACHER, AGREE)
    await tg.send(TEACHER, "Секретова Тайна Ответовна")
    await tg.send(TEACHER, "учитель тайных наук")
    await tg.send(TEACHER, "/revoke")
    await tg.press(TEACHER, texts.BTN_REVOKE_CONFIRM)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # something was logged at all
    for secret in ("Секретова", "тайных наук", TOKEN, TOKEN.split(":")[1]):
        assert secret not in logged
