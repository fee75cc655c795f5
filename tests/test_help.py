"""The help of every role names only buttons that its menus really show, and says what the
person can do; a stranger and a parent get a help of their own."""

from __future__ import annotations

import re

import pytest

from bot.core.i18n import tr
from bot.ui.callbacks import MenuCb, Screen
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.models import ConsentKind, Role, RoleGrant
from storage.people import PeopleRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import ADMIN, CURATOR, MENTEE, MENTOR, active_pair

COORDINATOR = 60
PARENT = 900
STRANGER = 999
# Buttons that change something (or leave the menus) are not pressed on the walk.
_NOT_PRESSED = ("m:cancel", "m:new_district", "d:new_school", "y:close", "pr:", "mt:")


async def _labels_in_menus(tg: Harness, user: int, depth: int = 3) -> set[str]:
    """Every button label on the main menu and on the screens it leads to (each screen is
    reached afresh from /menu, since a press edits the message it was on)."""
    seen: set[str] = set()
    pressed: set[str] = set()

    async def screen(path: list[str]) -> dict[str, str]:
        message = await tg.send(user, "/menu")
        for data in path:
            message = await tg.press_data(user, data, message)
        return dict(tg.fake.buttons(message))

    async def walk(path: list[str]) -> None:
        buttons = await screen(path)
        seen.update(buttons)
        if len(path) == depth:
            return
        for data in buttons.values():
            if data not in pressed and not data.startswith(_NOT_PRESSED):
                pressed.add(data)
                await walk([*path, data])

    await walk([])
    return seen


def _seen(key: str) -> str:
    """A text as the person sees it: without the HTML tags."""
    return re.sub(r"<[^>]+>", "", tr(key))


def _named_buttons(text: str) -> list[str]:
    return re.findall(r"«([^»]+)»", text)


async def _people(db: Database, clock: FakeClock, school: int) -> None:
    district = await db.fetch_one("SELECT district_id FROM organizations WHERE id = ?", (school,))
    assert district is not None
    await seed.person(
        db, clock, COORDINATOR, RoleGrant(Role.COORDINATOR, district_id=district["district_id"])
    )
    await active_pair(db, clock, school)


@pytest.mark.parametrize(
    ("user", "key"),
    [
        (ADMIN, "help-admin"),
        (COORDINATOR, "help-coordinator"),
        (CURATOR, "help-curator"),
        (MENTOR, "help-mentor"),
        (MENTEE, "help-mentee"),
    ],
)
async def test_help_of_each_role_names_only_its_buttons(
    tg: Harness, db: Database, clock: FakeClock, school: int, user: int, key: str
) -> None:
    await _people(db, clock, school)
    shown = await tg.send(user, "/help")
    assert _seen(key) in shown["text"]
    named = _named_buttons(tr(key))
    assert named, f"{key} names no button"
    labels = await _labels_in_menus(tg, user)
    missing = [
        name
        for name in named
        if name not in labels
        and not (name.endswith("…") and any(label.startswith(name[:-1]) for label in labels))
    ]
    assert not missing, f"{key} names buttons its menus do not have: {missing}"
    # The help of another role is not shown.
    others = {"help-admin", "help-coordinator", "help-curator", "help-mentor", "help-mentee"}
    assert not any(_seen(other) in shown["text"] for other in others - {key})
    assert tg.fake.buttons(shown).get(tr("btn-main-menu")) == MenuCb(screen=Screen.MAIN).pack()


async def test_stranger_and_parent_have_their_own_help(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    stranger = await tg.send(STRANGER, "/help")
    assert stranger["text"] == _seen("help-stranger")
    student = await seed.participant(db, clock, school, 31, Role.MENTEE, category="student")
    async with db.transaction() as conn:
        await PeopleRepo(db).ensure_in(conn, PARENT, clock.now())
    await ConsentsRepo(db).record(
        student, school, ConsentKind.PARENT, 1, "h", True, clock.now(), 1, PARENT, "Родитель"
    )
    helped = await tg.send(PARENT, "/help")
    assert helped["text"] == _seen("help-parent")
    # Writing to the bot afterwards, a parent is not told to look for an invitation.
    assert (await tg.send(PARENT, "что дальше?"))["text"] == tr("parent-hint")
    assert (await tg.send(STRANGER, "что дальше?"))["text"] == tr("stranger-hint")
