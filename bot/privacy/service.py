"""A person's rights over their data: see it, take it away as a file, withdraw and erase.

A parent's rights are over the consent they gave for a child: withdrawing it ends the child's
participation and erases the child's data, as the child's own withdrawal would."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.forms.answers import render
from bot.forms.catalog import MENTEE_QUESTIONNAIRE, MENTOR_QUESTIONNAIRE, FormCatalog
from bot.forms.model import Form
from storage.consents import ConsentsRepo, Erased, Revocable
from storage.forms import FormSessionsRepo
from storage.models import Consent, ConsentKind, Person, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo
from storage.personal_data import PairRecord, PersonalData, PersonalDataRepo

NOTICE_LIFETIME = timedelta(days=7)
_NAMED_BY = [MENTEE_QUESTIONNAIRE.id, MENTOR_QUESTIONNAIRE.id]


@dataclass(frozen=True)
class ConsentLine:
    kind: ConsentKind
    version: int
    agreed: bool
    decided_at: datetime
    # given by the person as a parent, for a child
    as_parent: bool


@dataclass(frozen=True)
class FormLine:
    title: str
    submitted: bool
    answered: int


@dataclass(frozen=True)
class Overview:
    """What /privacy shows: the consents in force and the forms, without their answers."""

    consents: tuple[ConsentLine, ...]
    forms: tuple[FormLine, ...]


@dataclass(frozen=True)
class Withdrawn:
    """What a withdrawal took away: the person's own consent and participation, and the
    consents they had given as a parent (the Telegram ids of the children)."""

    own: bool
    children: tuple[int, ...]

    @property
    def nothing(self) -> bool:
        return not self.own and not self.children


class PrivacyService:
    def __init__(
        self,
        people: PeopleRepo,
        consents: ConsentsRepo,
        sessions: FormSessionsRepo,
        personal_data: PersonalDataRepo,
        organizations: OrganizationsRepo,
        outbox: OutboxRepo,
        catalog: FormCatalog,
        clock: Clock,
    ) -> None:
        self._people = people
        self._consents = consents
        self._sessions = sessions
        self._personal_data = personal_data
        self._organizations = organizations
        self._outbox = outbox
        self._catalog = catalog
        self._clock = clock

    async def overview(self, person: Person) -> Overview:
        own = [c for c in await self._consents.all_of(person.id) if c.withdrawn_at is None]
        given = [
            c
            for c in await self._consents.given_as_parent(person.telegram_id)
            if c.withdrawn_at is None
        ]
        forms = []
        for session in await self._sessions.all_of(person.id):
            form = self._catalog.get(session.form_id, session.form_version)
            answered = len(await self._sessions.answers(session.id))
            forms.append(FormLine(form.title, session.submitted_at is not None, answered))
        return Overview(
            consents=tuple(
                ConsentLine(c.kind, c.text_version, c.agreed, c.decided_at, as_parent)
                for as_parent, found in ((False, own), (True, given))
                for c in found
            ),
            forms=tuple(forms),
        )

    async def export(self, person: Person) -> dict[str, Any]:
        """Everything the bot stores about the person, readable without the bot. Other
        people appear only by the names the person sees on their pair's card."""
        roles = []
        for grant in await self._people.grants(person.id):
            school = await self._organizations.school(grant.organization_id or 0)
            roles.append(
                {
                    "роль": tr.plain("role-name", role=grant.role),
                    "школа": school.name if school else None,
                }
            )
        forms = []
        for session in await self._sessions.all_of(person.id):
            form = self._catalog.get(session.form_id, session.form_version)
            forms.append(
                {
                    "анкета": form.title,
                    "версия": form.version,
                    "статус": session.status.value,
                    "ответы": _answers(form, await self._sessions.answers(session.id)),
                }
            )
        stored = await self._personal_data.of_person(person.id)
        schools = (
            {pair.organization_id for pair in stored.pairs}
            | {preference.organization_id for preference in stored.preferences}
            | {note.organization_id for note in stored.notes}
        )
        names: dict[int, str] = {}
        school_names: dict[int, str] = {}
        for school_id in schools:
            names |= await self._sessions.names_in_school(school_id, _NAMED_BY)
            school = await self._organizations.school(school_id)
            school_names[school_id] = school.name if school else ""
        number = {pair.id: index for index, pair in enumerate(stored.pairs, start=1)}
        return {
            "telegram_id": person.telegram_id,
            "роли": roles,
            "согласия": [_consent(c) for c in await self._consents.all_of(person.id)],
            "согласия_родителя": [
                {
                    **_consent(c),
                    "школа": await self._school_name(c.organization_id),
                    "фио_родителя": c.parent_name,
                }
                for c in await self._consents.given_as_parent(person.telegram_id)
            ],
            "анкеты": forms,
            "пары": [
                await self._pair(pair, stored, names, school_names.get(pair.organization_id))
                for pair in stored.pairs
            ],
            "запросы": [
                {
                    "пара": number.get(request.pair_id),
                    "вид": request.kind,
                    "причина": request.reason,
                    "статус": request.status,
                    "комментарий_куратора": request.curator_comment,
                    "создан_utc": request.created_at.isoformat(),
                    "решён_utc": _iso(request.decided_at),
                }
                for request in stored.requests
            ],
            "предпочтения": [
                {
                    "школа": school_names.get(preference.organization_id),
                    "выбор": names.get(preference.chosen_id, ""),
                    "время_utc": preference.chosen_at.isoformat(),
                }
                for preference in stored.preferences
            ],
            "заметки_коллег": [
                {
                    "школа": school_names.get(note.organization_id),
                    "автор": names.get(note.author_id, ""),
                    "текст": note.text,
                    "видна_наставнику": note.for_mentor,
                    "время_utc": note.written_at.isoformat(),
                }
                for note in stored.notes
            ],
        }

    async def export_file(self, person: Person) -> bytes:
        data = await self.export(person)
        return await asyncio.to_thread(
            lambda: json.dumps(data, ensure_ascii=False, indent=2).encode()
        )

    async def revocable(self, person: Person) -> Revocable:
        return await self._consents.revocable(person.id, person.telegram_id)

    async def withdraw(self, person: Person) -> Withdrawn:
        """Withdraw what the person may withdraw and erase; tell the curators of each school
        who left, and a child that their parent withdrew."""
        before = await self._consents.revocable(person.id, person.telegram_id)
        if not before.own and not before.children:
            return Withdrawn(own=False, children=())
        now = self._clock.now()
        withdrawal = await self._consents.withdraw(person.id, person.telegram_id, now)
        await self._tell_curators(withdrawal.own, now)
        for child in withdrawal.children:
            await self._tell_curators(child, now, by_parent=True)
            await self._outbox.enqueue(
                f"parent-withdrawal:{child.person_id}:{now.isoformat()}",
                child.telegram_id,
                "parent_consent",
                message_payload(tr("parent-withdrawn-student")),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
        return Withdrawn(before.own, tuple(c.telegram_id for c in withdrawal.children))

    async def _tell_curators(self, erased: Erased, now: datetime, by_parent: bool = False) -> None:
        for school_id, role in erased.ended:
            if school_id is None:
                continue
            text = (
                tr("withdrawal-notice-parent") if by_parent else tr("withdrawal-notice", role=role)
            )
            for curator_id in await self._people.holders(Role.CURATOR, school_id):
                await self._outbox.enqueue(
                    f"withdrawal:{erased.person_id}:{school_id}:{role.value}:{now.isoformat()}"
                    f":{curator_id}",
                    curator_id,
                    "curator_notice",
                    message_payload(text),
                    now,
                    now + NOTICE_LIFETIME,
                    now,
                )

    async def _pair(
        self, pair: PairRecord, stored: PersonalData, names: dict[int, str], school: str | None
    ) -> dict[str, Any]:
        program = next((p for p in stored.programs if p.pair_id == pair.id), None)
        return {
            "школа": school,
            "форма": pair.form,
            "вид": pair.kind,
            "статус": pair.status.value,
            "создана_utc": pair.created_at.isoformat(),
            "начата_utc": _iso(pair.activated_at),
            "окончена_utc": _iso(pair.ended_at),
            "причина_окончания": pair.end_reason,
            "моя_роль": tr.plain("role-name", role=pair.role),
            "моё_решение": pair.decision.value,
            "решение_utc": _iso(pair.decided_at),
            "причина_отказа": pair.reason,
            "участники": [
                {"роль": tr.plain("role-name", role=role), "имя": names.get(other, "")}
                for other, role in pair.others
            ],
            "программа": None
            if program is None
            else {
                "статус": program.status,
                "редакция": program.revision,
                "изменена_utc": program.updated_at.isoformat(),
                "утверждена_utc": _iso(program.confirmed_at),
                "ответы": await self._session_answers(program.session_id),
            },
            "встречи": [
                {
                    "вид": meeting.kind,
                    "начало_utc": meeting.starts_at.isoformat(),
                    "место": meeting.place,
                    "тема": meeting.topic,
                    "статус": meeting.status,
                    "мой_отзыв": None
                    if meeting.feedback_session_id is None
                    else await self._session_answers(meeting.feedback_session_id),
                }
                for meeting in stored.meetings
                if meeting.pair_id == pair.id
            ],
        }

    async def _session_answers(self, session_id: int) -> dict[str, str]:
        loaded = await self._sessions.load(session_id)
        if loaded is None:
            return {}
        form = self._catalog.get(loaded.session.form_id, loaded.session.form_version)
        return _answers(form, loaded.answers)

    async def _school_name(self, school_id: int) -> str | None:
        school = await self._organizations.school(school_id)
        return school.name if school else None


def _answers(form: Form, answers: dict[str, Any]) -> dict[str, str]:
    return {
        q.text.split("\n")[0][:200]: render(q, answers[q.id])
        for q in form.questions
        if q.id in answers
    }


def _consent(consent: Consent) -> dict[str, Any]:
    return {
        "вид": tr.plain("privacy-consent-kind", kind=consent.kind),
        "редакция": consent.text_version,
        "хэш_текста": consent.text_hash,
        "id_сообщения": consent.message_id,
        "решение": "согласие" if consent.agreed else "отказ",
        "время_utc": consent.decided_at.isoformat(),
        "отозвано_utc": _iso(consent.withdrawn_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
