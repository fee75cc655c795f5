"""A teacher's (or student's) way into the program: consent first, then the questionnaire of
their role; for a student, a parent's consent too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from aiogram import Bot
from aiogram.utils.deep_linking import create_start_link

from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.permissions import Actor
from bot.core.refusals import Refusal
from bot.forms.catalog import STUDENT_CATEGORY
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.forms.model import FormPurpose
from bot.organizations.invites import InviteProblem, InviteService, IssuedInvite, grant_for
from bot.privacy.consent import AGREE, CONSENT_FORM_ID, DECISION, PARENT_FORM_ID, ConsentService
from storage.models import Invite, InviteKind, Organization, Role, RoleGrant
from storage.notices import GroupNoticesRepo
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.people import PeopleRepo

QUESTIONNAIRE_OF: dict[Role, str] = {
    Role.MENTEE: "mentee_questionnaire",
    Role.MENTOR: "mentor_questionnaire",
}
NOTICE_LIFETIME = timedelta(days=7)


class HelpTopic(StrEnum):
    """Whose help a person reads: one per role they hold, or the parent's, or a stranger's."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CURATOR = "curator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    PARENT = "parent"
    STRANGER = "stranger"


class JoinRefusal(StrEnum):
    ALREADY_HELD = "already_held"  # the person has this role already
    STALE = "stale"  # the invite died between opening it and choosing a role
    GONE = "gone"  # the school or district of the invite no longer exists


@dataclass(frozen=True)
class TeacherInvite:
    """A teacher link was opened: the person chooses a role next."""

    invite_id: int
    school: Organization


@dataclass(frozen=True)
class Joined:
    """A role granted by an invite; `following` is what the person does next (a teacher:
    the consent or the questionnaire)."""

    actor: Actor
    grant: RoleGrant
    place: str
    following: Next | None = None


class ParticipationService:
    def __init__(
        self,
        engine: FormEngine,
        consent: ConsentService,
        organizations: OrganizationsRepo,
        people: PeopleRepo,
        invites: InviteService,
        outbox: OutboxRepo,
        group_notices: GroupNoticesRepo,
        clock: Clock,
    ) -> None:
        self._group_notices = group_notices
        self._engine = engine
        self._consent = consent
        self._organizations = organizations
        self._people = people
        self._invites = invites
        self._outbox = outbox
        self._clock = clock

    async def help_topics(self, actor: Actor) -> list[HelpTopic]:
        if actor.is_registered:
            return [HelpTopic(role.value) for role in Role if role in actor.roles]
        if await self._people.is_parent(actor.telegram_id):
            return [HelpTopic.PARENT]
        return [HelpTopic.STRANGER]

    async def first_group_notice(self, chat_id: int) -> bool:
        """The bot works only in private chats; a group is told so once."""
        return await self._group_notices.first_notice(chat_id, self._clock.now())

    async def open_invite(
        self, actor: Actor, token: str
    ) -> InviteProblem | JoinRefusal | TeacherInvite | Joined | FormState:
        """/start with an invite: a teacher link asks for a role next, a parent link opens the
        parent's consent form, a coordinator's or curator's link grants the role at once."""
        checked = await self._invites.check(token)
        if isinstance(checked, InviteProblem):
            return checked
        if checked.kind is InviteKind.PARENT:
            return await self._parent_form(checked, actor)
        if checked.kind is InviteKind.TEACHER:
            school = await self._organizations.school(checked.organization_id or 0)
            return JoinRefusal.GONE if school is None else TeacherInvite(checked.id, school)
        grant = grant_for(checked)
        if grant in actor.grants:
            return JoinRefusal.ALREADY_HELD
        person = await self._invites.redeem(actor, checked, grant)
        if person is None:
            return InviteProblem.USED
        if grant.organization_id is not None:
            school = await self._organizations.school(grant.organization_id)
            place = school.name if school else ""
        else:
            district = await self._organizations.district(grant.district_id or 0)
            place = district.name if district else ""
        joined = Actor(actor.telegram_id, person, (*actor.grants, grant))
        return Joined(joined, grant, place)

    async def _parent_form(self, invite: Invite, actor: Actor) -> InviteProblem | FormState:
        """A parent opened the link a student forwarded: their consent form, nothing else."""
        parent = await self._invites.redeem(actor, invite, None)
        if parent is None:
            return InviteProblem.USED
        return await self._engine.start(
            parent.id, invite.organization_id, PARENT_FORM_ID, invite.subject_person_id
        )

    async def join_teacher(
        self, actor: Actor, invite_id: int, role: Role
    ) -> InviteProblem | JoinRefusal | Joined:
        """The role chosen on a teacher link: granted, then the consent or the questionnaire."""
        if role not in QUESTIONNAIRE_OF:
            return InviteProblem.INVALID
        checked = await self._invites.check_id(invite_id)
        if isinstance(checked, InviteProblem):
            return JoinRefusal.STALE
        grant = grant_for(checked, role)
        if grant in actor.grants:
            return JoinRefusal.ALREADY_HELD
        person = await self._invites.redeem(actor, checked, grant)
        if person is None:
            return JoinRefusal.STALE
        school = await self._organizations.school(grant.organization_id or 0)
        if school is None:
            return JoinRefusal.GONE
        joined = Actor(actor.telegram_id, person, (*actor.grants, grant))
        following = await self.open_questionnaire(person.id, school.id, role)
        return Joined(joined, grant, school.name, following)

    async def own_questionnaire(self, actor: Actor, school_id: int, role: Role) -> Next | None:
        """The person's own questionnaire of a role they hold in that school; None otherwise."""
        grant = RoleGrant(role, organization_id=school_id)
        if role not in QUESTIONNAIRE_OF or grant not in actor.grants or actor.person is None:
            return None
        return await self.open_questionnaire(actor.person.id, school_id, role)

    async def open_questionnaire(self, person_id: int, school_id: int, role: Role) -> Next:
        """Consent when missing or outdated, else the questionnaire (resumed, new or done)."""
        if not await self._consent.has_valid(person_id, school_id):
            consent, _ = await self._engine.resume_or_start(person_id, school_id, CONSENT_FORM_ID)
            return Next(tr("consent-first"), consent)
        latest = await self._engine.latest(person_id, school_id, QUESTIONNAIRE_OF[role])
        return await self._questionnaire(person_id, school_id, role, latest)

    async def _questionnaire(
        self, person_id: int, school_id: int, role: Role, latest: FormState | None
    ) -> Next:
        """The questionnaire after its latest session: sent (shown as is), resumed or new."""
        if latest is None:
            state = await self._engine.start(person_id, school_id, QUESTIONNAIRE_OF[role])
            return Next(state.form.intro, state)
        if not latest.in_progress:
            return Next("", latest)
        return Next(tr("form-resumed"), latest, resumed=True)

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
            pending = await self._pending_questionnaire(session.person_id, school.id)
            if pending is None:
                return Next(tr("consent-thanks"))
            role, latest = pending
            if state.form.version == self._engine.catalog.current(CONSENT_FORM_ID).version:
                # The consent just recorded is the valid one: no need to read it back.
                following = await self._questionnaire(session.person_id, school.id, role, latest)
            else:
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
            notice += "\n\n" + tr("parent-link-for-student", link=link)
        return Next(notice)

    async def parent_link(self, student_id: int, school_id: int, bot: Bot) -> str:
        issued = await self._parent_invite(student_id, school_id, student_id)
        return await create_start_link(bot, issued.token)

    async def reissue_parent_link(
        self, school_id: int, student_id: int, curator_telegram_id: int
    ) -> IssuedInvite | Refusal:
        """A fresh parent-consent link for a student of the school whose parent has not
        consented yet; the link given before stops working (one live link per student)."""
        grants = await self._people.grants(student_id)
        if RoleGrant(Role.MENTEE, organization_id=school_id) not in grants:
            return Refusal.NOT_FOUND
        latest = await self._engine.latest(student_id, school_id, QUESTIONNAIRE_OF[Role.MENTEE])
        if (
            latest is None
            or latest.in_progress
            or latest.answers.get("category") != STUDENT_CATEGORY
            or await self._consent.has_parent_consent(student_id, school_id)
        ):
            return Refusal.FORBIDDEN
        return await self._parent_invite(student_id, school_id, curator_telegram_id)

    async def _parent_invite(
        self, student_id: int, school_id: int, created_by: int
    ) -> IssuedInvite:
        return await self._invites.issue(
            InviteKind.PARENT, created_by, organization_id=school_id, subject_person_id=student_id
        )

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

    async def _pending_questionnaire(
        self, person_id: int, school_id: int
    ) -> tuple[Role, FormState | None] | None:
        """The first of the person's roles in the school whose questionnaire is not sent, with
        its session in progress (None when not begun)."""
        for grant in await self._people.grants(person_id):
            if grant.organization_id != school_id or grant.role not in QUESTIONNAIRE_OF:
                continue
            latest = await self._engine.latest(person_id, school_id, QUESTIONNAIRE_OF[grant.role])
            if latest is None or latest.in_progress:
                return grant.role, latest
        return None

    async def _school(self, school_id: int | None) -> Organization:
        school = await self._organizations.school(school_id or 0)
        if school is None:
            raise LookupError("form session without a school")
        return school
