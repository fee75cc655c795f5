"""Frozen records the repositories return. Names follow ../shared/DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CURATOR = "curator"
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True)
class District:
    id: int
    name: str


@dataclass(frozen=True)
class Organization:
    id: int
    district_id: int
    name: str
    timezone: str


@dataclass(frozen=True)
class Person:
    id: int
    telegram_id: int
    is_active: bool


@dataclass(frozen=True)
class RoleGrant:
    role: Role
    district_id: int | None = None
    organization_id: int | None = None


class InviteKind(StrEnum):
    PARENT = "parent"  # one-time, names a student whose parent is asked to consent
    COORDINATOR = "coordinator"  # one-time, names a district
    CURATOR = "curator"  # one-time, names a school
    TEACHER = "teacher"  # the school's shared join link; the teacher picks mentor or mentee


@dataclass(frozen=True)
class Invite:
    id: int
    kind: InviteKind
    district_id: int | None
    organization_id: int | None
    subject_person_id: int | None
    expires_at: datetime
    max_uses: int | None
    uses: int
    revoked: bool


class OutboxStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # taken by a tick, not yet handed to Telegram
    SENDING = "sending"  # handed to Telegram; outcome unknown until marked
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the person blocked the bot or was deactivated
    FAILED = "failed"  # permanent error (e.g. chat not found)
    SKIPPED = "skipped"  # expired before it could go out
    WITHDRAWN = "withdrawn"  # cancelled by the domain (e.g. a meeting was cancelled)
    UNKNOWN = "unknown"  # the process died mid-request: never resent, to avoid duplicates


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    unique_key: str
    chat_id: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    expires_at: datetime
    status: OutboxStatus
    attempts: int
    # A hand-off of the reply to the user's own action: sent at once, even in quiet hours.
    answers_user: bool = False


class FormStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class FormSession:
    id: int
    person_id: int
    organization_id: int | None
    subject_person_id: int | None
    form_id: str
    form_version: int
    status: FormStatus
    current_question: str  # "" while the summary is on screen
    started_at: datetime
    submitted_at: datetime | None


class ConsentKind(StrEnum):
    PERSONAL_DATA = "personal_data"
    PARENT = "parent"


@dataclass(frozen=True)
class Consent:
    id: int
    person_id: int
    organization_id: int
    kind: ConsentKind
    text_version: int
    text_hash: str
    agreed: bool
    decided_at: datetime
    message_id: int | None
    parent_telegram_id: int | None
    parent_name: str | None
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class Member:
    """A person holding a participant role (mentor or mentee) in one school."""

    person_id: int
    telegram_id: int
    is_active: bool
    joined_at: datetime


class PairStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"  # ended early (ProgramEndReason says why) or with the school year
    COMPLETED = "completed"  # the program was carried out: both sides confirmed it


class Decision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class PairParticipant:
    person_id: int
    role: Role
    decision: Decision
    reason: str | None


@dataclass(frozen=True)
class Pair:
    id: int
    organization_id: int
    mentor_id: int
    form: str
    kind: str
    status: PairStatus
    created_at: datetime
    activated_at: datetime | None
    participants: tuple[PairParticipant, ...]

    @property
    def mentee_ids(self) -> list[int]:
        return [p.person_id for p in self.participants if p.role is Role.MENTEE]


class DraftStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class PairDraft:
    id: int
    organization_id: int
    mentee_id: int
    mentor_id: int
    score: float
    reasons: tuple[str, ...]
    status: DraftStatus


class RequestKind(StrEnum):
    REPLACE_MENTOR = "replace_mentor"  # a mentee asks for another mentor
    RELEASE_MENTOR = "release_mentor"  # a mentor asks to be released


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class OrderKind(StrEnum):
    """The school's orders the district asks for; only the pairs order is issued by the bot."""

    PAIRS = "pairs"  # «Об утверждении наставнических пар/групп»
    # Recorded by the curator in the register of local acts (bot/reports):
    MODEL = "model"  # the order introducing the target model
    REGULATION = "regulation"  # the order approving the положение
    ROADMAP = "roadmap"  # the order approving the дорожная карта
    CURATOR = "curator"  # the order appointing the curator


@dataclass(frozen=True)
class SchoolOrder:
    id: int
    organization_id: int
    kind: OrderKind
    number: str
    signed_on: date
    file_id: str | None = None  # the act's file as Telegram keeps it, if the curator sent one


class MeetingKind(StrEnum):
    """The sequence of meetings of a program (DOMAIN.md, stage 7)."""

    ORGANIZATIONAL = "organizational"
    TRIAL = "trial"
    PLANNING = "planning"
    REGULAR = "regular"
    FINAL = "final"


class MeetingStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for the other side
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class ProgramStatus(StrEnum):
    DRAFT = "draft"  # the mentor is writing it
    PROPOSED = "proposed"  # waiting for the mentee
    CONFIRMED = "confirmed"
    status: str


class ProgramEndReason(StrEnum):
    """Why a pair's program ended (program_endings.reason, pairs.end_reason)."""

    COMPLETED = "completed"  # «программа выполнена», confirmed by both sides
    MENTOR = "mentor"  # early, by the mentor (after the notice of ТК РФ ст. 351.8)
    MENTEE = "mentee"  # early, by the mentee
    MUTUAL = "mutual"  # early, by mutual decision
    NOT_CARRIED_OUT = "not_carried_out"  # by the curator: «программа не реализована»
    LEFT = "left"  # «выбыл»: the mentee withdrew consent or left the school


class ProgramChangeStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ProgramSurveyStage(StrEnum):
    """The monitoring surveys of one program (program_surveys.stage)."""

    GROWTH_START = "growth_start"
    INTERMEDIATE = "intermediate"
    GROWTH_END = "growth_end"
    FINAL_MENTOR = "final_mentor"  # the mentor's satisfaction questionnaire
    FINAL_MENTEE = "final_mentee"  # the mentees' satisfaction questionnaire


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    RUNNING = "running"  # launched; answers are taken until the deadline
    CLOSED = "closed"  # closed early by the curator: final


class SurveyAudience(StrEnum):
    SCHOOL = "school"  # every mentor and mentee of the school
    MENTORS = "mentors"
    MENTEES = "mentees"
    NOT_ANSWERED = "not_answered"  # the non-respondents of another survey
    PAIRS = "pairs"  # the participants of pairs the curator chose
    CURATORS = "curators"  # the school's curators: a coordinator's survey of the district


class RecipientStatus(StrEnum):
    INVITED = "invited"  # has not opened the survey
    STARTED = "started"
    ANSWERED = "answered"


@dataclass(frozen=True)
class SurveyCampaign:
    id: int
    organization_id: int
    form_id: str
    form_version: int
    anonymous: bool
    status: SurveyStatus
    audience: SurveyAudience
    audience_survey_id: int | None
    deadline: datetime | None
    schedule: int
    created_at: datetime
    launched_at: datetime | None
    reminded_at: datetime | None
    # The coordinator's survey this school's campaign is part of (None: the school's own).
    district_survey_id: int | None = None


@dataclass(frozen=True)
class SurveyRecipient:
    survey_id: int
    person_id: int
    role: Role
    session_id: int | None
    status: RecipientStatus


# The roadmap and the library (issue 16).


class RoadmapKind(StrEnum):
    SCHOOL = "school"
    DISTRICT = "district"  # the district's template


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    YEARLY = "yearly"  # «ежегодно, сентябрь»


class ItemStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class AutoCheck(StrEnum):
    """What the bot itself sees happen and closes the item with."""

    NONE = ""
    MENTEE_BANK = "mentee_bank"  # a mentee questionnaire submitted
    MENTOR_BANK = "mentor_bank"
    PAIRS_ORDER = "pairs_order"  # the order «Об утверждении наставнических пар/групп»
    MONITORING_REPORT = "monitoring_report"  # the control monitoring's data sent to the district


class LibraryAudience(StrEnum):
    MENTORS = "mentors"
    MENTEES = "mentees"
    EVERYONE = "everyone"


class MaterialKind(StrEnum):
    FILE = "file"
    LINK = "link"
