"""The help screens: one per role a person holds, naming only buttons their menus have."""

from __future__ import annotations

from bot.core.i18n import tr
from bot.participation.service import HelpTopic


def help_text(topics: list[HelpTopic]) -> str:
    """The help of each role the person holds, naming the buttons their menus really have."""
    if HelpTopic.STRANGER in topics:
        return tr("help-stranger")
    if HelpTopic.PARENT in topics:
        return tr("help-parent")
    lines = [tr("help-header"), tr("help-common"), tr("help-privacy")]
    for topic in topics:
        # Literal keys, so that tests/test_texts.py can check each of them.
        lines += ["", _help(topic)]
    return "\n".join(lines)


def _help(topic: HelpTopic) -> str:
    if topic is HelpTopic.ADMIN:
        return tr("help-admin")
    if topic is HelpTopic.COORDINATOR:
        return tr("help-coordinator")
    if topic is HelpTopic.CURATOR:
        return tr("help-curator")
    if topic is HelpTopic.MENTOR:
        return tr("help-mentor")
    return tr("help-mentee")
