"""The broadcast's card as the sender sees it: the same text in the live progress message
(edited through the outbox) and in the history, so an edit never repeats what is shown."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.broadcasts.cards import BroadcastCard
from bot.core.i18n import tr
from bot.core.when import shown
from bot.ui.callbacks import BroadcastAction
from bot.ui.keyboards import Keyboard
from storage.broadcasts import Content

SHOWN = 30  # undelivered recipients listed on the card


def link_buttons(content: Content) -> InlineKeyboardMarkup | None:
    if not content.buttons:
        return None
    kb = Keyboard()
    for text, url in content.buttons:
        kb.button(text=text, url=url)
    kb.adjust(1)
    return kb.as_markup()


def progress_screen(card: BroadcastCard, *, live: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """`live`: the progress message (a stop button while sending); otherwise the card opened
    from the history (refresh and back as well)."""
    broadcast, progress = card.broadcast, card.progress
    lines = [
        tr(
            "broadcast-card",
            audience=broadcast.audience,
            survey=card.survey or "",
            resend=1 if broadcast.resend_of else 0,
            district=int(card.scope.district is not None),
        )
    ]
    if card.goes_at is not None:
        lines.append(tr("broadcast-goes-at", when=shown(card.goes_at, card.zone)))
    lines.append(
        tr(
            "broadcast-progress",
            sent=progress.sent,
            failed=progress.failed,
            pending=progress.pending,
        )
    )
    if progress.cancelled:
        lines.append(tr("broadcast-cancelled", count=progress.cancelled))
    if card.finished:
        lines.append(tr("broadcast-finished"))
    if card.undelivered:
        lines.append(tr("broadcast-undelivered"))
        school = None
        for failed in card.undelivered[:SHOWN]:
            if failed.school is not None and failed.school != school:
                school = failed.school  # a district's: listed under each school
                lines.append(tr("broadcast-undelivered-school", school=school))
            lines.append(tr("broadcast-undelivered-line", name=failed.name, reason=failed.reason))
        if len(card.undelivered) > SHOWN:
            lines.append(tr("broadcast-undelivered-more", count=len(card.undelivered) - SHOWN))
    kb = Keyboard()

    def button(text: str, action: BroadcastAction) -> None:
        kb.button(text=text, callback_data=card.scope.cb(action, broadcast.id))

    if not card.finished:
        button(tr.plain("btn-broadcast-cancel"), BroadcastAction.CANCEL)
    elif card.undelivered:
        button(tr.plain("btn-broadcast-again"), BroadcastAction.AGAIN)
    if not live:
        button(tr.plain("btn-broadcast-refresh"), BroadcastAction.CARD)
        kb.button(text=tr.plain("btn-back"), callback_data=card.scope.cb(BroadcastAction.HOME))
    kb.adjust(1)
    markup = kb.as_markup()
    return "\n".join(lines), markup if markup.inline_keyboard else None
