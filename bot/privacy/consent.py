"""Consent to personal-data processing (152-FZ): the document, its evidence, its checks."""

from __future__ import annotations

import hashlib

from bot.core.clock import Clock
from bot.forms.catalog import PARENT_CONSENT, PERSONAL_DATA_CONSENT, FormCatalog
from bot.forms.model import Form
from storage.consents import ConsentsRepo
from storage.models import ConsentKind

CONSENT_FORM_ID = PERSONAL_DATA_CONSENT.id
PARENT_FORM_ID = PARENT_CONSENT.id
DECISION = "decision"
AGREE = "agree"


def document_hash(form: Form, school_name: str) -> str:
    """Fingerprint of exactly the consent text the person saw."""
    decision = form.question(DECISION)
    assert decision is not None
    shown = f"{form.id}:{form.version}\n{decision.shown(school_name)}"
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()


class ConsentService:
    def __init__(self, consents: ConsentsRepo, catalog: FormCatalog, clock: Clock) -> None:
        self._consents = consents
        self._catalog = catalog
        self._clock = clock

    async def has_valid(self, person_id: int, organization_id: int) -> bool:
        """Agreed to the current version of the text: a new version asks again."""
        latest = await self._consents.latest(person_id, organization_id, ConsentKind.PERSONAL_DATA)
        current = self._catalog.current(CONSENT_FORM_ID).version
        return latest is not None and latest.agreed and latest.text_version == current

    async def has_parent_consent(self, person_id: int, organization_id: int) -> bool:
        latest = await self._consents.latest(person_id, organization_id, ConsentKind.PARENT)
        return latest is not None and latest.agreed

    async def record(
        self,
        person_id: int,
        organization_id: int,
        form: Form,
        school_name: str,
        agreed: bool,
        message_id: int | None,
    ) -> None:
        await self._consents.record(
            person_id,
            organization_id,
            ConsentKind.PERSONAL_DATA,
            form.version,
            document_hash(form, school_name),
            agreed,
            self._clock.now(),
            message_id,
        )

    async def record_parent(
        self,
        student_id: int,
        organization_id: int,
        form: Form,
        school_name: str,
        agreed: bool,
        message_id: int | None,
        parent_telegram_id: int,
        parent_name: str,
    ) -> None:
        await self._consents.record(
            student_id,
            organization_id,
            ConsentKind.PARENT,
            form.version,
            document_hash(form, school_name),
            agreed,
            self._clock.now(),
            message_id,
            parent_telegram_id,
            parent_name,
        )
