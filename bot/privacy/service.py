"""A person's rights over their data: see it, take it away as a file, withdraw and erase."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.forms.answers import render
from bot.forms.catalog import FormCatalog
from bot.ui import texts
from storage.consents import ConsentsRepo
from storage.forms import FormSessionsRepo
from storage.models import Person, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo

NOTICE_LIFETIME = timedelta(days=7)


class PrivacyService:
    def __init__(
        self,
        people: PeopleRepo,
        consents: ConsentsRepo,
        sessions: FormSessionsRepo,
        organizations: OrganizationsRepo,
        outbox: OutboxRepo,
        catalog: FormCatalog,
        clock: Clock,
    ) -> None:
        self._people = people
        self._consents = consents
        self._sessions = sessions
        self._organizations = organizations
        self._outbox = outbox
        self._catalog = catalog
        self._clock = clock

    async def export(self, person: Person) -> dict[str, Any]:
        """Everything the bot stores about the person, readable without the bot."""
        roles = []
        for grant in await self._people.grants(person.id):
            school = await self._organizations.school(grant.organization_id or 0)
            roles.append(
                {
                    "роль": tr.plain("role-name", role=grant.role),
                    "школа": school.name if school else None,
                }
            )
        consents = [
            {
                "вид": consent.kind.value,
                "редакция": consent.text_version,
                "хэш_текста": consent.text_hash,
                "решение": "согласие" if consent.agreed else "отказ",
                "время_utc": consent.decided_at.isoformat(),
                "отозвано_utc": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in await self._consents.all_of(person.id)
        ]
        forms = []
        for session in await self._sessions.all_of(person.id):
            form = self._catalog.get(session.form_id, session.form_version)
            answers = await self._sessions.answers(session.id)
            forms.append(
                {
                    "анкета": form.title,
                    "версия": form.version,
                    "статус": session.status.value,
                    "ответы": {
                        q.text.split("\n")[0][:200]: render(q, answers[q.id])
                        for q in form.questions
                        if q.id in answers
                    },
                }
            )
        return {
            "telegram_id": person.telegram_id,
            "роли": roles,
            "согласия": consents,
            "анкеты": forms,
        }

    async def overview(self, person: Person, zone: ZoneInfo) -> str:
        lines = [tr("privacy-title"), "", tr("privacy-stored"), ""]
        consents = await self._consents.all_of(person.id)
        for consent in consents:
            if consent.withdrawn_at is None:
                when = consent.decided_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
                lines.append(
                    texts.consent_line(
                        consent.kind.value, consent.text_version, when, consent.agreed
                    )
                )
        if not consents:
            lines.append(tr("privacy-no-consent"))
        for session in await self._sessions.all_of(person.id):
            form = self._catalog.get(session.form_id, session.form_version)
            answered = len(await self._sessions.answers(session.id))
            lines.append(texts.form_line(form.title, session.submitted_at is not None, answered))
        return "\n".join(lines)

    async def export_file(self, person: Person) -> bytes:
        return json.dumps(await self.export(person), ensure_ascii=False, indent=2).encode()

    async def withdraw(self, person: Person) -> int:
        """Withdraw consent and erase; tell the curators of each school the person left.
        Returns how many participations ended."""
        now = self._clock.now()
        ended = await self._consents.withdraw_and_erase(person.id, person.telegram_id, now)
        for school_id, role in ended:
            if school_id is None:
                continue
            for curator_id in await self._people.holders(Role.CURATOR, school_id):
                await self._outbox.enqueue(
                    f"withdrawal:{person.id}:{school_id}:{role.value}:{now.isoformat()}:{curator_id}",
                    curator_id,
                    "curator_notice",
                    message_payload(texts.withdrawal_notice(role)),
                    now,
                    now + NOTICE_LIFETIME,
                    now,
                )
        return len(ended)
