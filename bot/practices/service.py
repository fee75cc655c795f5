"""Best practices («лучшие практики»): at completion a pair may agree to publish its case.
Nothing is published before every side of the pair agreed; the curator then writes a short
description (goal, what was done, result) and publishes it to the library and to the school's
website export. Names appear only when every side agreed to be named. A withdrawal of consent
by either side erases the case (storage/consents.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.permissions import Action, Actor, can
from bot.pairs.naming import QUESTIONNAIRES, short_name, title_of
from bot.school_years.service import year_label
from bot.ui.callbacks import PracticeAction, PracticeCb
from bot.ui.keyboards import Keyboard
from storage.models import Decision, Pair, PairStatus, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.practices import Practice, PracticesRepo

log = logging.getLogger(__name__)

NOTICE_LIFETIME = timedelta(days=7)
FIELD_LIMIT = 1000


class PracticeRefusal(StrEnum):
    NOT_COMPLETED = "not_completed"  # only a completed program's case is published
    NOT_YOURS = "not_yours"
    ONE_CONSENT = "one_consent"  # not every side of the pair agreed
    NOT_FOUND = "not_found"
    BAD_TEXT = "bad_text"
    NO_DESCRIPTION = "no_description"
    PUBLISHED = "published"  # already published


class Agreement(StrEnum):
    WAITING = "waiting"  # the other side has not agreed yet
    READY = "ready"  # everyone agreed: the curator is asked to describe the case


@dataclass(frozen=True)
class PublishedCase:
    """A case as the library and the website export show it: no personal data unless every
    side of the pair agreed to names (then `mentor` and `mentees` are set)."""

    id: int
    school_id: int
    school_year: str
    goal: str
    done: str
    result: str
    form: str
    kind: str
    published_on: date
    mentor: str | None
    mentees: tuple[str, ...] | None


def _sides(pair: Pair) -> set[int]:
    """Whose consent a publication needs: the mentor and every mentee who accepted."""
    return {
        p.person_id
        for p in pair.participants
        if p.decision is Decision.ACCEPTED or p.person_id == pair.mentor_id
    }


class PracticeService:
    def __init__(
        self,
        practices: PracticesRepo,
        pairs: PairsRepo,
        people: PeopleRepo,
        organizations: OrganizationsRepo,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._practices = practices
        self._pairs = pairs
        self._people = people
        self._organizations = organizations
        self._outbox = outbox
        self._clock = clock

    async def agree(
        self, actor: Actor, pair_id: int, with_names: bool
    ) -> Agreement | PracticeRefusal:
        """One side's «Согласен(на) на публикацию»; when the last side agrees, the curator is
        asked to describe the case. One consent alone publishes nothing."""
        pair = await self._pairs.get(pair_id)
        if pair is None or actor.person is None or actor.person.id not in _sides(pair):
            return PracticeRefusal.NOT_YOURS
        if pair.status is not PairStatus.COMPLETED:
            return PracticeRefusal.NOT_COMPLETED
        await self._practices.agree(pair.id, actor.person.id, with_names, self._clock.now())
        log.info("practice consent pair_id=%s person_id=%s", pair.id, actor.person.id)
        if not await self._everyone_agreed(pair):
            return Agreement.WAITING
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-practice-edit"),
            callback_data=PracticeCb(action=PracticeAction.EDIT, pair_id=pair.id),
        )
        now = self._clock.now()
        text = tr("practice-ready", pair=await title_of(pair, self._pairs))
        for curator in await self._people.holders(Role.CURATOR, pair.organization_id):
            await self._outbox.enqueue(
                f"practice:{pair.id}:ready:{curator}",
                curator,
                "curator_notice",
                message_payload(text, kb.as_markup()),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
        return Agreement.READY

    async def _everyone_agreed(self, pair: Pair) -> bool:
        agreed = {c.person_id for c in await self._practices.consents(pair.id)}
        return _sides(pair) <= agreed

    async def for_curator(self, actor: Actor, pair_id: int) -> Pair | PracticeRefusal:
        """The pair whose case the curator may describe and publish: theirs, completed, and
        agreed to by every side."""
        pair = await self._pairs.get(pair_id)
        school = await self._organizations.school(pair.organization_id) if pair else None
        if (
            pair is None
            or school is None
            or not can(
                actor,
                Action.MANAGE_PAIRS,
                district_id=school.district_id,
                organization_id=school.id,
            )
        ):
            return PracticeRefusal.NOT_FOUND
        if pair.status is not PairStatus.COMPLETED:
            return PracticeRefusal.NOT_COMPLETED
        if not await self._everyone_agreed(pair):
            return PracticeRefusal.ONE_CONSENT
        return pair

    async def save(
        self, actor: Actor, pair_id: int, goal: str, done: str, result: str
    ) -> Practice | PracticeRefusal:
        pair = await self.for_curator(actor, pair_id)
        if isinstance(pair, PracticeRefusal):
            return pair
        texts = [" ".join(t.split()) for t in (goal, done, result)]
        if not all(texts) or any(len(t) > FIELD_LIMIT for t in texts):
            return PracticeRefusal.BAD_TEXT
        goal, done, result = texts
        now = self._clock.now()
        year = year_label(now.date())
        return await self._practices.save(
            pair.id, pair.organization_id, year, goal, done, result, now
        )

    async def draft(self, pair_id: int) -> Practice | None:
        return await self._practices.of_pair(pair_id)

    async def publish(self, actor: Actor, pair_id: int) -> Practice | PracticeRefusal:
        pair = await self.for_curator(actor, pair_id)
        if isinstance(pair, PracticeRefusal):
            return pair
        if await self._practices.of_pair(pair.id) is None:
            return PracticeRefusal.NO_DESCRIPTION
        if not await self._practices.publish(pair.id, actor.telegram_id, self._clock.now()):
            return PracticeRefusal.PUBLISHED
        log.info("practice published pair_id=%s", pair.id)
        found = await self._practices.of_pair(pair.id)
        assert found is not None
        return found

    async def published_cases(self, school_id: int, year: str = "") -> list[PublishedCase]:
        """The school's published cases (of a school year «2026/2027», or all), for the
        library and the school website export."""
        return [await self._case(p) for p in await self._practices.published([school_id], year)]

    async def cases(self, actor: Actor) -> list[PublishedCase]:
        """The published cases of the schools the person belongs to."""
        schools = sorted({g.organization_id for g in actor.grants if g.organization_id})
        return [await self._case(p) for p in await self._practices.published(schools)]

    async def case(self, actor: Actor, case_id: int) -> PublishedCase | PracticeRefusal:
        found = [c for c in await self.cases(actor) if c.id == case_id]
        return found[0] if found else PracticeRefusal.NOT_FOUND

    async def _case(self, practice: Practice) -> PublishedCase:
        pair = await self._pairs.get(practice.pair_id)
        assert pair is not None  # the case goes with its pair (ON DELETE CASCADE)
        consents = await self._practices.consents(pair.id)
        named = bool(consents) and all(c.with_names for c in consents)
        names = await self._pairs.participant_names(pair.id, QUESTIONNAIRES) if named else {}
        published = practice.published_at or self._clock.now()
        return PublishedCase(
            id=practice.id,
            school_id=practice.organization_id,
            school_year=practice.school_year,
            goal=practice.goal,
            done=practice.done,
            result=practice.result,
            form=pair.form,
            kind=pair.kind,
            published_on=published.date(),
            mentor=short_name(names.get(pair.mentor_id, "")) if named else None,
            mentees=tuple(short_name(names.get(m, "")) for m in pair.mentee_ids) if named else None,
        )
