"""The composer's steps another screen can hand a text to (the contest's winners): a new draft
in the dialog's state, and the choice of its audience. Here, under bot/, so the broadcasts
router and the awards router both import it and neither imports the other."""

from __future__ import annotations

import uuid
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message

from bot.broadcasts.cards import Scope
from bot.broadcasts.service import BroadcastService, audiences_of
from bot.core.i18n import tr
from bot.ui.callbacks import BroadcastAction, MenuCb, Screen
from bot.ui.keyboards import Keyboard
from bot.ui.states import BroadcastStates


async def begin(state: FSMContext, scope: Scope, **content: Any) -> None:
    """A new draft of this school's (district's) broadcast, with the content given so far;
    its key, made now, lets a second tap on «Отправить» find the same broadcast."""
    await state.set_data(
        {
            "school_id": scope.school_id,
            "district_id": scope.district_id,
            "draft": uuid.uuid4().hex,
            **content,
        }
    )


async def audience_screen(
    scope: Scope, broadcasts: BroadcastService
) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    for index, audience in enumerate(audiences_of(scope)):
        kb.button(
            text=(
                tr.plain("btn-broadcast-district-audience", audience=audience)
                if scope.district
                else tr.plain("btn-broadcast-audience", audience=audience)
            ),
            callback_data=scope.cb(BroadcastAction.AUDIENCE, index),
        )
    if scope.district is None:
        for survey in await broadcasts.open_surveys(scope.school_id):
            kb.button(
                text=tr.plain("btn-broadcast-survey", title=survey.title),
                callback_data=scope.cb(BroadcastAction.SURVEY, survey.id),
            )
    kb.button(
        text=tr.plain("btn-broadcast-buttons"), callback_data=scope.cb(BroadcastAction.BUTTONS)
    )
    kb.button(text=tr.plain("btn-cancel"), callback_data=MenuCb(screen=Screen.CANCEL))
    kb.adjust(1)
    return tr("broadcast-audience-ask"), kb.as_markup()


async def ask_audience(message: Message, scope: Scope, broadcasts: BroadcastService) -> None:
    text, markup = await audience_screen(scope, broadcasts)
    await message.answer(text, reply_markup=markup)


async def compose_with(
    message: Message, state: FSMContext, scope: Scope, text: str, broadcasts: BroadcastService
) -> None:
    """A broadcast of a text another screen wrote: straight to the audience, then the same
    preview and confirmation as a typed one."""
    await state.set_state(BroadcastStates.confirming)
    await begin(state, scope, text=text, media=None, file_id=None, buttons=[])
    await ask_audience(message, scope, broadcasts)
