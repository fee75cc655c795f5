"""How a pair is named to people: by its people, never by a database id.

«Иванова А. П. — Петрова М. С.»; a group: «Иванова А. П. — Петрова М. С., Сидоров И. И.»."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.i18n import tr
from bot.participation.service import QUESTIONNAIRE_OF
from storage.models import Pair, Role
from storage.pairs import PairsRepo

QUESTIONNAIRES = [QUESTIONNAIRE_OF[Role.MENTOR], QUESTIONNAIRE_OF[Role.MENTEE]]


def short_name(full_name: str) -> str:
    """Surname and initials from the questionnaire's full name («Иванова Анна Петровна» →
    «Иванова А. П.»); a name of another shape is kept as written."""
    words = full_name.split()
    if not 2 <= len(words) <= 3 or not all(w[0].isalpha() for w in words[1:]):
        return " ".join(words)
    return " ".join([words[0], *(f"{w[0].upper()}." for w in words[1:])])


def pair_title(pair: Pair, names: Mapping[int, str]) -> str:
    """The naming rule: mentor — mentee(s), each by surname and initials."""

    def named(person_id: int) -> str:
        given = names.get(person_id, "").strip()
        return short_name(given) if given else tr.plain("pair-person-unnamed")

    return tr.plain(
        "pair-title",
        mentor=named(pair.mentor_id),
        mentees=", ".join(named(m) for m in pair.mentee_ids),
    )


async def title_of(pair: Pair, pairs: PairsRepo) -> str:
    """The pair's name for a caller without the school's names at hand (one query)."""
    return pair_title(pair, await pairs.participant_names(pair.id, QUESTIONNAIRES))
