"""A teacher's (or student's) way into the program: consent first, then the questionnaire of
their role; for a student, a parent's consent too."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot
from aiogram.utils.deep_linking import create_start_link

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.forms.catalog import STUDENT_CATEGORY
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.forms.model import FormPurpose
from bot.organizations.invites import InviteService
from bot.privacy.consent import AGREE, CONSENT_FORM_ID, DECISION, PARENT_FORM_ID, ConsentService
from bot.ui import texts
from storage.models import InviteKind, Organization, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo

QUESTIONNAIRE_OF: dict[Role, str] = {
    Role.MENTEE: "mentee_questionnaire",
    Role.MENTOR: "mentor_questionnaire",
}
NOTICE_LIFETIME = timedelta(days=7)


class ParticipationService:
    def __init__(
        self,
        engine: FormEngine,
        consent: ConsentService,
        organizations: OrganizationsRepo,
        people: PeopleRepo,
        invites: InviteService,
        outbox: OutboxRepo,
        clock: Clock,
    ) -> None:
        self._engine = engine
        self._consent = consent
        self._organizations = organizations
        self._people = people
        self._invites = invites
        self._outbox = outbox
        self._clock = clock

    async def open_questionnaire(self, person_id: int, school_id: int, role: Role) -> Next:
        """Consent when missing or outdated, else the questionnaire (resumed, new or done)."""
        if not await self._consent.has_valid(person_id, school_id):
            consent, _ = await self._engine.resume_or_start(person_id, school_id, CONSENT_FORM_ID)
            return Next(tr("consent-first"), consent)
        form_id = QUESTIONNAIRE_OF[role]
        latest = await self._engine.latest(person_id, school_id, form_id)
        if latest is not None and not latest.in_progress:
            return Next("", latest)
        state, resumed = await self._engine.resume_or_start(person_id, school_id, form_id)
        notice = tr("form-resumed") if resumed else state.form.intro
        return Next(notice, state, resumed)

    async def consent_gate(self, state: FormState) -> Next | None:
        """A questionnaire may store answers only under a valid consent (e.g. after a new
        version of the text, the person is asked again first)."""
        if (
            state.form.purpose is not FormPurpose.QUESTIONNAIRE
            or state.session.organization_id is None
        ):
            return None
        # The consent on file was read with the session: no query on every answer.
        if state.consent_version == self._engine.catalog.current(CONSENT_FORM_ID).version:
            return None
        consent, _ = await self._engine.resume_or_start(
            state.session.person_id, state.session.organization_id, CONSENT_FORM_ID
        )
        return Next(tr("consent-new-version"), consent)

    async def finish(self, state: FormState, message_id: int | None, bot: Bot) -> Next:
        """Act on a submitted form."""
        session = state.session
        school = await self._school(session.organization_id)
        if state.form.id == CONSENT_FORM_ID:
            agreed = state.answers.get(DECISION) == AGREE
            await self._consent.record(
                session.person_id, school.id, state.form, school.name, agreed, message_id
            )
            if not agreed:
                return Next(tr("consent-declined"))
            role = await self._pending_role(session.person_id, school.id)
            if role is None:
                return Next(tr("consent-thanks"))
            following = await self.open_questionnaire(session.person_id, school.id, role)
            return Next(
                f"{tr('consent-thanks')} {following.notice}".strip(),
                following.state,
                following.resumed,
            )
        if state.form.id == PARENT_FORM_ID:
            return await self._finish_parent(state, school, message_id)
        notice = tr("form-submitted")
        if state.answers.get("category") == STUDENT_CATEGORY and not (
            await self._consent.has_parent_consent(session.person_id, school.id)
        ):
            link = await self.parent_link(session.person_id, school.id, bot)
            notice += "\n\n" + texts.parent_link_for_student(link)
        return Next(notice)

    async def parent_link(self, student_id: int, school_id: int, bot: Bot) -> str:
        issued = await self._invites.issue(
            InviteKind.PARENT, student_id, organization_id=school_id, subject_person_id=student_id
        )
        return await create_start_link(bot, issued.token)

    async def _finish_parent(
        self, state: FormState, school: Organization, message_id: int | None
    ) -> Next:
        session = state.session
        student_id = session.subject_person_id
        agreed = state.answers.get(DECISION) == AGREE
        parent = await self._people.by_id(session.person_id)
        if student_id is None or parent is None:
            return Next(tr("form-gone"))
        await self._consent.record_parent(
            student_id,
            school.id,
            state.form,
            school.name,
            agreed,
            message_id,
            parent.telegram_id,
            str(state.answers.get("parent_name", "")),
        )
        student = await self._people.by_id(student_id)
        if student is not None:
            now = self._clock.now()
            notice = tr("parent-agreed-student") if agreed else tr("parent-declined-student")
            await self._outbox.enqueue(
                f"parent-consent:{session.id}",
                student.telegram_id,
                "parent_consent",
                message_payload(notice),
                now,
                now + NOTICE_LIFETIME,
                now,
            )
        return Next(tr("parent-thanks") if agreed else tr("parent-declined"))

    async def _pending_role(self, person_id: int, school_id: int) -> Role | None:
        """The first of the person's roles in the school whose questionnaire is not sent."""
        for grant in await self._people.grants(person_id):
            if grant.organization_id != school_id or grant.role not in QUESTIONNAIRE_OF:
                continue
            latest = await self._engine.latest(person_id, school_id, QUESTIONNAIRE_OF[grant.role])
            if latest is None or latest.in_progress:
                return grant.role
        return None

    async def _school(self, school_id: int | None) -> Organization:
        school = await self._organizations.school(school_id or 0)
        if school is None:
            raise LookupError("form session without a school")
        return school
