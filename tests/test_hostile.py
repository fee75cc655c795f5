"""Hostile input: arbitrary text, callback data and deep links never break the bot, every reply
is one Telegram accepts, and the logs carry ids, never names, answers or the token."""

from __future__ import annotations

import logging
from enum import Enum

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.core import logs
from bot.core.i18n import tr
from bot.ui import callbacks, states
from storage.db import Database
from storage.models import Role, RoleGrant
from tests import seed
from tests.conftest import TOKEN
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, AGREE, CURATOR, MENTEE, MENTOR, TEACHER, active_pair, join_teacher

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
STICKER = {
    "file_id": "s",
    "file_unique_id": "s",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}


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
    assert reply["text"] in (tr("invite-invalid"), tr("stranger-welcome"))
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
    await tg.press(TEACHER, tr("btn-revoke-confirm"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # something was logged at all
    for secret in ("Секретова", "тайных наук", TOKEN, TOKEN.split(":")[1]):
        assert secret not in logged


# ----- every handler, through forged buttons and stale dialog states -----

PEOPLE_IN_THE_WORLD = (ADMIN, CURATOR, MENTOR, MENTEE, 60, 999)  # 60: another school's curator
CALLBACK_KINDS = sorted(
    (
        c
        for c in vars(callbacks).values()
        if isinstance(c, type) and issubclass(c, CallbackData) and c is not CallbackData
    ),
    key=lambda c: c.__name__,
)
STATES = sorted(
    (
        s
        for group in vars(states).values()
        if isinstance(group, type) and issubclass(group, StatesGroup) and group is not StatesGroup
        for s in group.__all_states__
    ),
    key=lambda s: str(s.state),
)


def _field_values(annotation: object) -> st.SearchStrategy[str]:
    """Values a forger would try for a field: real ones, ids of things that exist or not,
    negative and huge numbers, junk."""
    junk = st.text(alphabet="abc-_01", max_size=6)
    numbers = st.sampled_from(["0", "1", "2", "3", "-1", "999999", "9223372036854775807"])
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.one_of(st.sampled_from([str(m.value) for m in annotation]), junk)
    return st.one_of(numbers, junk)


@st.composite
def forged_callback_data(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(CALLBACK_KINDS))
    values = [draw(_field_values(field.annotation)) for field in kind.model_fields.values()]
    data = ":".join([kind.__prefix__, *values])
    assume(len(data.encode()) <= 64)
    return data


@pytest.fixture
async def world(db: Database, clock: FakeClock, school: int) -> int:
    """A school with its curator, an active pair, another school with its curator."""
    await active_pair(db, clock, school)
    other = await seed.school(db, clock, name="Школа № 2")
    await seed.person(db, clock, 60, RoleGrant(Role.CURATOR, organization_id=other))
    return school


@FUZZ
@given(data=forged_callback_data())
async def test_forged_buttons_of_every_kind_from_everyone(
    tg: Harness, caplog: pytest.LogCaptureFixture, world: int, data: str
) -> None:
    caplog.set_level(logging.ERROR)
    tg.clock.advance(minutes=1)  # past the flood limit: every example reaches the handlers
    for user in PEOPLE_IN_THE_WORLD:
        await tg.press_data(user, data, tg.fake.message_update(user, "x")["message"])
    no_failures(caplog)


@FUZZ
@given(
    state=st.sampled_from(STATES),
    text=st.text(min_size=1, max_size=200),
    data=st.fixed_dictionaries(
        {},
        optional={
            "session_id": st.integers(-1, 5),
            "pair_id": st.integers(-1, 5),
            "invite_id": st.integers(-1, 5),
            "district_id": st.integers(-1, 5),
            "request_id": st.integers(-1, 5),
            "starts_at": st.text(max_size=12),
        },
    ),
)
async def test_text_and_stickers_in_every_state_with_any_state_data(
    tg: Harness,
    caplog: pytest.LogCaptureFixture,
    world: int,
    state: State,
    text: str,
    data: dict[str, object],
) -> None:
    """A dialog state whose data is stale or missing (a restart mid-dialog, an old version,
    a forged update) still gets an answer, never a failure."""
    caplog.set_level(logging.ERROR)
    tg.clock.advance(minutes=1)
    for user in PEOPLE_IN_THE_WORLD:
        key = StorageKey(bot_id=tg.bot.id, chat_id=user, user_id=user)
        await tg.dp.storage.set_state(key, state)
        await tg.dp.storage.set_data(key, data)
        await tg.send(user, text)
        await tg.dp.storage.set_state(key, state)
        await tg.feed(tg.fake.message_update(user, extra={"sticker": STICKER}))
    no_failures(caplog)


def _with_huge_ids(kind: type[CallbackData]) -> list[str]:
    """Callback data of this kind, once per integer field, that field set past SQLite's range."""
    plain = {
        name: str(next(iter(f.annotation)).value)
        if isinstance(f.annotation, type) and issubclass(f.annotation, Enum)
        else "1"
        for name, f in kind.model_fields.items()
    }
    forged = []
    for name, f in kind.model_fields.items():
        if f.annotation is int or getattr(f.annotation, "__origin__", None) is int:
            values = {**plain, name: str(2**63)}
            forged.append(":".join([kind.__prefix__, *values.values()]))
    return forged


FORGED_HUGE = [data for kind in CALLBACK_KINDS for data in _with_huge_ids(kind)]


@pytest.mark.parametrize("data", FORGED_HUGE)
async def test_an_id_past_the_integer_range_is_a_stale_button(
    tg: Harness, caplog: pytest.LogCaptureFixture, world: int, data: str
) -> None:
    caplog.set_level(logging.ERROR)
    for user in (ADMIN, CURATOR, MENTOR):
        await tg.press_data(user, data, tg.fake.message_update(user, "x")["message"])
        assert tg.alert() == tr("stale-button"), data
    no_failures(caplog)


def test_every_factory_with_an_integer_is_forged() -> None:
    assert {data.split(":")[0] for data in FORGED_HUGE} >= {"dr", "f", "mt", "pc", "pi", "s", "y"}
