"""Survey campaigns: a curator's draft, its launch to an audience, answers through the one form
engine, reminders through the one outbox, the results."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import MonitoringSettings, QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.quiet import delivery_time
from bot.core.when import WhenError, shown
from bot.core.zones import school_zone
from bot.forms.catalog import FormCatalog
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.forms.model import Form, Option, Question
from bot.surveys import drafts, rules
from bot.surveys.drafts import DraftKind, DraftRefusal
from bot.surveys.export import to_xlsx
from bot.surveys.rules import OffsetField, OffsetRefusal, Offsets, Rate, Summary
from bot.surveys.screens import summary_text
from bot.surveys.templates import SURVEY_TEMPLATES
from bot.ui.callbacks import SurveyAction, SurveyCb, SurveyTakeCb
from bot.ui.keyboards import Keyboard
from storage.forms import FormSessionsRepo
from storage.models import (
    RecipientStatus,
    Role,
    SurveyAudience,
    SurveyCampaign,
    SurveyRecipient,
    SurveyStatus,
)
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo, Queued
from storage.people import PeopleRepo
from storage.surveys import Addressee, Response, SurveysRepo

log = logging.getLogger(__name__)

QUESTIONNAIRES = ["mentee_questionnaire", "mentor_questionnaire"]
SUMMARY_LIFETIME = timedelta(days=3)
# Messages queued per statement: building a batch holds the event loop about 10-20 ms, and
# every batch is a commit of its own (bench/surveys.py: 500 took 1.7 s for 40,000 rows, 1000
# 1.3 s, 2000 no faster and twice the stall).
OUTBOX_BATCH = 1000
# Where a launch stands (survey_campaigns.launch_step): what a crash leaves to finish.
STORING = "recipients"
QUEUING = "queue"


class SurveyRefusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_DRAFT = "not_draft"  # a launched survey's questions and audience are frozen
    NO_AUDIENCE = "no_audience"
    NO_DEADLINE = "no_deadline"
    DEADLINE_PAST = "deadline_past"
    CLOSED = "closed"
    NOT_RECIPIENT = "not_recipient"
    DEADLINE_PASSED = "deadline_passed"
    ANSWERED = "answered"  # anonymous: answers cannot be changed, nor given again
    REMINDED_RECENTLY = "reminded_recently"
    NOT_LATER = "not_later"
    NO_ONE_LEFT = "no_one_left"
    NO_QUESTIONS = "no_questions"
    EDITED_MEANWHILE = "edited_meanwhile"  # another screen changed the draft first
    AFTER_SCHOOL_YEAR = "after_school_year"  # a deadline past 31 August


@dataclass(frozen=True)
class PairChoice:
    pair_id: int
    mentors: str
    mentees: str
    chosen: bool


class MyState(StrEnum):
    """A survey in the person's «Опросы» list."""

    NEW = "new"  # not opened yet
    STARTED = "started"  # stopped half-way: continues where it stopped
    ANSWERED = "answered"  # a named survey's answers can still be changed
    DONE = "done"  # answered, anonymous: nothing more to do
    CLOSED = "closed"  # past the deadline or closed: no answers taken


@dataclass(frozen=True)
class MySurveyEntry:
    campaign: SurveyCampaign
    title: str
    state: MyState
    zone: ZoneInfo


@dataclass(frozen=True)
class Opened:
    state: FormState
    resumed: bool


class SurveyService:
    def __init__(
        self,
        surveys: SurveysRepo,
        engine: FormEngine,
        sessions: FormSessionsRepo,
        people: PeopleRepo,
        organizations: OrganizationsRepo,
        outbox: OutboxRepo,
        quiet: QuietHours,
        clock: Clock,
        offsets: tuple[timedelta, ...] = rules.DEFAULT_OFFSETS,
        monitoring: MonitoringSettings | None = None,
    ) -> None:
        self._surveys = surveys
        self._engine = engine
        self._sessions = sessions
        self._people = people
        self._organizations = organizations
        self._outbox = outbox
        self._quiet = quiet
        self._clock = clock
        monitoring = monitoring or MonitoringSettings()
        # The configured offsets: a school without its own uses these.
        self._defaults = Offsets(
            tuple(offset.days for offset in offsets),
            monitoring.midpoint_percent,
            monitoring.survey_days,
        )
        self._template_ids = frozenset(form.id for form in SURVEY_TEMPLATES)

    @property
    def catalog(self) -> FormCatalog:
        return self._engine.catalog

    def templates(self) -> tuple[Form, ...]:
        return SURVEY_TEMPLATES

    def owns(self, form: Form) -> bool:
        return form.id in self._template_ids or form.id.startswith(drafts.CUSTOM_PREFIX)

    def form(self, campaign: SurveyCampaign) -> Form:
        return self.catalog.get(campaign.form_id, campaign.form_version)

    async def zone(self, campaign: SurveyCampaign) -> ZoneInfo:
        school = await self._organizations.school(campaign.organization_id)
        return school_zone(school)

    async def get(self, survey_id: int) -> SurveyCampaign | None:
        return await self._surveys.get(survey_id)

    async def of_school(self, school_id: int) -> list[SurveyCampaign]:
        return await self._surveys.of_school(school_id)

    # The curator's draft.

    async def create(self, school_id: int, template: Form, curator: int) -> SurveyCampaign:
        survey_id = await self._surveys.create(
            school_id,
            template.id,
            template.version,
            bool(template.extra.get("anonymous", False)),
            curator,
            self._clock.now(),
        )
        log.info("survey created survey_id=%s school_id=%s", survey_id, school_id)
        created = await self._surveys.get(survey_id)
        assert created is not None
        return created

    async def load_forms(self) -> None:
        """At start-up: the curators' own survey forms into the catalogue."""
        for form_id, version, body in await self._surveys.forms():
            self.catalog.add(drafts.form(form_id, version, body))

    async def create_blank(
        self, school_id: int, raw_title: str, curator: int
    ) -> SurveyCampaign | DraftRefusal:
        """A survey of the curator's own, with no questions yet."""
        name = drafts.title(raw_title)
        if isinstance(name, DraftRefusal):
            return name
        body = drafts.body(name, "", ())
        survey_id = await self._surveys.create_with_form(
            school_id, drafts.CUSTOM_PREFIX, body, curator, self._clock.now()
        )
        created = await self._surveys.get(survey_id)
        assert created is not None
        self.catalog.add(drafts.form(created.form_id, created.form_version, body))
        log.info("survey created survey_id=%s school_id=%s blank=1", survey_id, school_id)
        return created

    async def add_question(
        self, campaign: SurveyCampaign, kind: DraftKind, text: str, raw_options: str = ""
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        choices: tuple[Option, ...] = ()
        if kind in drafts.CHOICE_KINDS:
            parsed = drafts.options(raw_options)
            if isinstance(parsed, DraftRefusal):
                return parsed
            choices = parsed
        return await self._revise(
            campaign, drafts.added(self.form(campaign).questions, kind, text, choices)
        )

    async def reword_question(
        self, campaign: SurveyCampaign, index: int, text: str
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        return await self._revise(
            campaign, drafts.reworded(self.form(campaign).questions, index, text)
        )

    async def set_options(
        self, campaign: SurveyCampaign, index: int, raw: str
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        parsed = drafts.options(raw)
        if isinstance(parsed, DraftRefusal):
            return parsed
        return await self._revise(
            campaign, drafts.with_options(self.form(campaign).questions, index, parsed)
        )

    async def toggle_required(
        self, campaign: SurveyCampaign, index: int
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        return await self._revise(campaign, drafts.toggled(self.form(campaign).questions, index))

    async def move_question(
        self, campaign: SurveyCampaign, index: int, step: int
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        return await self._revise(
            campaign, drafts.moved(self.form(campaign).questions, index, step)
        )

    async def remove_question(
        self, campaign: SurveyCampaign, index: int
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        return await self._revise(campaign, drafts.removed(self.form(campaign).questions, index))

    async def _revise(
        self, campaign: SurveyCampaign, questions: tuple[Question, ...] | DraftRefusal
    ) -> SurveyCampaign | SurveyRefusal | DraftRefusal:
        """The draft's next form version: a template's questions become the survey's own
        form on the first edit; the template itself never changes."""
        if isinstance(questions, DraftRefusal):
            return questions
        if campaign.status is not SurveyStatus.DRAFT:
            return SurveyRefusal.NOT_DRAFT
        current = self.form(campaign)
        own = campaign.form_id.startswith(drafts.CUSTOM_PREFIX)
        form_id = campaign.form_id if own else f"{drafts.CUSTOM_PREFIX}{campaign.id}"
        version = campaign.form_version + 1 if own else 1
        body = drafts.body(current.title, current.intro, questions)
        if not await self._surveys.save_form(
            campaign.id, form_id, version, body, (campaign.form_id, campaign.form_version)
        ):
            fresh = await self._surveys.get(campaign.id)
            if fresh is None or fresh.status is not SurveyStatus.DRAFT:
                return SurveyRefusal.NOT_DRAFT
            return SurveyRefusal.EDITED_MEANWHILE
        self.catalog.add(drafts.form(form_id, version, body))
        return await self._reload(campaign)

    async def set_audience(
        self, campaign: SurveyCampaign, audience: SurveyAudience, other_id: int | None = None
    ) -> SurveyCampaign | SurveyRefusal:
        if audience is SurveyAudience.NOT_ANSWERED:
            other = await self._surveys.get(other_id or 0)
            if (
                other is None
                or other.organization_id != campaign.organization_id
                or other.id == campaign.id
                or other.status is SurveyStatus.DRAFT
            ):
                return SurveyRefusal.NOT_FOUND
        changed = await self._surveys.change_draft(campaign.id, "audience", audience.value)
        if changed:
            await self._surveys.change_draft(
                campaign.id,
                "audience_survey_id",
                other_id if audience is SurveyAudience.NOT_ANSWERED else None,
            )
        return await self._reload(campaign) if changed else SurveyRefusal.NOT_DRAFT

    async def toggle_anonymous(self, campaign: SurveyCampaign) -> SurveyCampaign | SurveyRefusal:
        flipped = 0 if campaign.anonymous else 1
        if not await self._surveys.change_draft(campaign.id, "anonymous", flipped):
            return SurveyRefusal.NOT_DRAFT
        return await self._reload(campaign)

    async def set_deadline(
        self, campaign: SurveyCampaign, raw: str
    ) -> SurveyCampaign | SurveyRefusal | WhenError:
        now, zone = self._clock.now(), await self.zone(campaign)
        deadline = rules.parse_deadline(raw, now, zone)
        if isinstance(deadline, WhenError):
            return deadline
        if deadline > rules.school_year_end(now, zone):
            return SurveyRefusal.AFTER_SCHOOL_YEAR
        if not await self._surveys.change_draft(campaign.id, "deadline", deadline):
            return SurveyRefusal.NOT_DRAFT
        return await self._reload(campaign)

    async def audience(self, campaign: SurveyCampaign) -> list[Addressee]:
        return await self._surveys.audience(
            campaign.organization_id,
            campaign.audience,
            campaign.id
            if campaign.audience is SurveyAudience.PAIRS
            else campaign.audience_survey_id,
        )

    async def pair_choices(self, campaign: SurveyCampaign) -> list[PairChoice]:
        """The school's working pairs, for the curator to pick the audience from."""
        chosen = await self._surveys.chosen_pairs(campaign.id)
        names = await self._sessions.names_in_school(campaign.organization_id, QUESTIONNAIRES)
        members: dict[int, list[tuple[int, Role]]] = {}
        for pair_id, person_id, role in await self._surveys.active_pairs(campaign.organization_id):
            members.setdefault(pair_id, []).append((person_id, role))
        return [
            PairChoice(
                pair_id,
                ", ".join(names.get(p, "") or "—" for p, r in people if r is Role.MENTOR),
                ", ".join(names.get(p, "") or "—" for p, r in people if r is not Role.MENTOR),
                pair_id in chosen,
            )
            for pair_id, people in members.items()
        ]

    async def toggle_pair(
        self, campaign: SurveyCampaign, pair_id: int
    ) -> SurveyCampaign | SurveyRefusal:
        if not await self._surveys.toggle_pair(campaign.id, pair_id, campaign.organization_id):
            fresh = await self._surveys.get(campaign.id)
            return (
                SurveyRefusal.NOT_DRAFT
                if fresh and fresh.status is not SurveyStatus.DRAFT
                else SurveyRefusal.NOT_FOUND
            )
        return await self._reload(campaign)

    async def _reload(self, campaign: SurveyCampaign) -> SurveyCampaign | SurveyRefusal:
        fresh = await self._surveys.get(campaign.id)
        return fresh if fresh is not None else SurveyRefusal.NOT_FOUND

    # Launch and delivery.

    async def launch(self, campaign: SurveyCampaign) -> int | SurveyRefusal:
        """Send the survey to its audience; returns how many it went to."""
        now = self._clock.now()
        if campaign.status is not SurveyStatus.DRAFT:
            return SurveyRefusal.NOT_DRAFT
        if campaign.deadline is None:
            return SurveyRefusal.NO_DEADLINE
        if campaign.deadline <= now:
            return SurveyRefusal.DEADLINE_PAST
        if not self.form(campaign).questions:
            return SurveyRefusal.NO_QUESTIONS
        people = await self.audience(campaign)
        if not people:
            return SurveyRefusal.NO_AUDIENCE
        if not await self._surveys.start_running(campaign.id, now, STORING):
            return SurveyRefusal.NOT_DRAFT
        launched = await self._reload(campaign)
        assert isinstance(launched, SurveyCampaign)
        await self.finish_launch(launched, STORING, people)
        log.info("survey launched survey_id=%s recipients=%s", campaign.id, len(people))
        return len(people)

    async def finish_launch(
        self, campaign: SurveyCampaign, step: str, people: list[Addressee] | None = None
    ) -> None:
        """The launch from `step` on: the recipients stored, then everyone's invitation and
        reminders queued. Run again after a crash, it queues only what is missing: every
        message has its unique key, so nobody gets one twice."""
        if step == STORING:
            await self._surveys.add_recipients(
                campaign.id, people if people is not None else await self.audience(campaign)
            )
            await self._surveys.set_launch_step(campaign.id, QUEUING)
            step = QUEUING
        if step == QUEUING:
            if people is None:
                people = await self._surveys.non_respondents(campaign.id)
            if campaign.deadline is not None and campaign.deadline > self._clock.now():
                await self._schedule(campaign, people, with_invitation=True)
            await self._surveys.set_launch_step(campaign.id, None)

    async def resume(self) -> int:
        """At start-up and hourly: the launches a crash cut short are finished."""
        unfinished = await self._surveys.unfinished_launches()
        for campaign, step in unfinished:
            await self.finish_launch(campaign, step)
            log.info("survey launch resumed survey_id=%s step=%s", campaign.id, step)
        return len(unfinished)

    # A school's own offsets.

    async def offsets(self, school_id: int) -> Offsets:
        own = await self._surveys.school_offsets(school_id)
        return Offsets(
            own.reminders or self._defaults.reminders,
            own.midpoint_percent or self._defaults.midpoint_percent,
            own.survey_days or self._defaults.survey_days,
        )

    async def set_offsets(
        self, school_id: int, field: OffsetField, raw: str
    ) -> Offsets | OffsetRefusal:
        """The school's reminder days, midpoint or days to answer, as the curator typed them;
        surveys launched later use them (the queued reminders stay as they were)."""
        values = rules.parse_offsets(field, raw)
        if isinstance(values, OffsetRefusal):
            return values
        column, value = {
            OffsetField.REMINDERS: ("reminder_offsets", ",".join(map(str, values))),
            OffsetField.MIDPOINT: ("midpoint_percent", values[0]),
            OffsetField.SURVEY_DAYS: ("survey_days", values[0]),
        }[field]
        await self._surveys.set_school_offset(school_id, column, value, self._clock.now())
        log.info("survey offsets set school_id=%s field=%s", school_id, field.value)
        return await self.offsets(school_id)

    async def _schedule(
        self, campaign: SurveyCampaign, people: list[Addressee], *, with_invitation: bool
    ) -> None:
        """The invitation (at launch) and the reminders of the current schedule, for each
        person, queued in batches: the texts are the same for everyone, built once."""
        assert campaign.deadline is not None
        now = self._clock.now()
        zone = await self.zone(campaign)
        deadline = campaign.deadline
        title = self.form(campaign).title
        when = shown(deadline, zone)
        button = _take_button(campaign.id)
        steps: list[tuple[str, datetime, dict[str, object]]] = []
        if with_invitation:
            due = delivery_time(now, deadline, zone, self._quiet, now) or now
            text = tr(
                "survey-invitation",
                title=title,
                intro=self.form(campaign).intro,
                deadline=when,
                anonymous=campaign.anonymous,
            )
            steps.append(("inv", due, message_payload(text, button)))
        days = (await self.offsets(campaign.organization_id)).reminders
        offsets = tuple(timedelta(days=d) for d in days)
        reminders = rules.reminder_times(deadline, now, zone, self._quiet, offsets)
        for number, due in enumerate(reminders):
            text = tr("survey-reminder", title=title, deadline=when)
            steps.append((f"s{campaign.schedule}:{number}", due, message_payload(text, button)))
        batch: list[Queued] = []
        for person in people:
            for step, due, payload in steps:
                batch.append(
                    Queued(
                        _key(campaign.id, step, person.person_id),
                        person.telegram_id,
                        "survey",
                        payload,
                        due,
                        deadline,
                    )
                )
                if len(batch) >= OUTBOX_BATCH:
                    await self._outbox.enqueue_many(batch, now)
                    batch = []
                    await asyncio.sleep(0)  # let updates in between the batches
        if batch:
            await self._outbox.enqueue_many(batch, now)

    def _own_keys(self, campaign: SurveyCampaign, person_id: int) -> list[str]:
        # Each reminder the school's offsets may give, and the deadline's morning.
        reminders = range(rules.MAX_REMINDERS + 1)
        steps = ["inv"] + [f"s{campaign.schedule}:{n}" for n in reminders]
        return [_key(campaign.id, step, person_id) for step in steps]

    # The participant.

    async def mine(self, person_id: int) -> list[MySurveyEntry]:
        """The surveys addressed to the person: the open ones to answer or change, the
        closed ones marked as such."""
        found = []
        for entry in await self._surveys.of_person(person_id):
            campaign = entry.campaign
            if self._refusal_of_time(campaign) is not None:
                state = MyState.CLOSED
            elif entry.status is RecipientStatus.ANSWERED:
                state = MyState.DONE if campaign.anonymous else MyState.ANSWERED
            elif entry.status is RecipientStatus.STARTED:
                state = MyState.STARTED
            else:
                state = MyState.NEW
            found.append(
                MySurveyEntry(campaign, self.form(campaign).title, state, await self.zone(campaign))
            )
        return found

    async def open(self, survey_id: int, person_id: int) -> Opened | SurveyRefusal:
        """The person's form session of the survey: resumed, or started once."""
        campaign = await self._surveys.get(survey_id)
        recipient = await self._surveys.recipient(survey_id, person_id)
        if campaign is None or recipient is None:
            return SurveyRefusal.NOT_RECIPIENT
        refused = self._refusal(campaign, recipient)
        if refused is not None:
            return refused
        if recipient.status is RecipientStatus.ANSWERED:
            return SurveyRefusal.ANSWERED
        if recipient.session_id is not None:
            return await self._load(recipient.session_id, resumed=True)
        state = await self._engine.start(person_id, campaign.organization_id, campaign.form_id)
        if not await self._surveys.attach(survey_id, person_id, state.session.id):
            # Opened twice at once: the other tap's session is the one.
            again = await self._surveys.recipient(survey_id, person_id)
            return await self._load(again.session_id if again else None, resumed=True)
        return Opened(state, resumed=False)

    async def change(self, survey_id: int, person_id: int) -> Opened | SurveyRefusal:
        """A named survey's answers opened again (until the deadline)."""
        campaign = await self._surveys.get(survey_id)
        recipient = await self._surveys.recipient(survey_id, person_id)
        if campaign is None or recipient is None or recipient.session_id is None:
            return SurveyRefusal.NOT_RECIPIENT
        refused = self._refusal(campaign, recipient)
        if refused is not None:
            return refused
        state = await self._engine.load(recipient.session_id)
        if state is None:
            return SurveyRefusal.NOT_RECIPIENT
        if state.in_progress:
            return Opened(state, resumed=True)
        reopened = await self._engine.reopen(state)
        return Opened(reopened, resumed=True) if reopened else SurveyRefusal.ANSWERED

    async def _load(self, session_id: int | None, *, resumed: bool) -> Opened | SurveyRefusal:
        state = await self._engine.load(session_id) if session_id else None
        if state is None:
            return SurveyRefusal.NOT_RECIPIENT
        if not state.in_progress:
            return SurveyRefusal.ANSWERED
        return Opened(state, resumed)

    def _refusal(
        self, campaign: SurveyCampaign, recipient: SurveyRecipient
    ) -> SurveyRefusal | None:
        """Why this person may not answer now, if they may not."""
        refused = self._refusal_of_time(campaign)
        if refused is not None:
            return refused
        if campaign.anonymous and recipient.status is RecipientStatus.ANSWERED:
            return SurveyRefusal.ANSWERED
        return None

    def _refusal_of_time(self, campaign: SurveyCampaign) -> SurveyRefusal | None:
        """Why nobody may answer it now: closed, not running, or past its deadline."""
        if campaign.status is SurveyStatus.CLOSED:
            return SurveyRefusal.CLOSED
        if campaign.status is not SurveyStatus.RUNNING or campaign.deadline is None:
            return SurveyRefusal.NOT_RECIPIENT
        if self._clock.now() >= campaign.deadline:
            return SurveyRefusal.DEADLINE_PASSED
        return None

    async def gate(self, state: FormState) -> Next | None:
        """Checked by the form engine's handlers before every answer to a survey: after the
        deadline, or once a survey is closed, nothing more is taken."""
        if not self.owns(state.form):
            return None
        recipient = await self._surveys.by_session(state.session.id)
        campaign = await self._surveys.get(recipient.survey_id) if recipient else None
        if recipient is None or campaign is None:
            return Next(tr("survey-refusal", reason=SurveyRefusal.NOT_RECIPIENT))
        refused = self._refusal(campaign, recipient)
        return Next(tr("survey-refusal", reason=refused)) if refused else None

    async def submitted(self, state: FormState) -> Next:
        recipient = await self._surveys.by_session(state.session.id)
        campaign = await self._surveys.get(recipient.survey_id) if recipient else None
        if recipient is None or campaign is None:
            return Next(tr("survey-refusal", reason=SurveyRefusal.NOT_RECIPIENT))
        answers = state.form.final_answers(state.answers)
        if not await self._surveys.record(recipient, answers, campaign.anonymous):
            return Next(tr("survey-refusal", reason=SurveyRefusal.ANSWERED))
        await self._outbox.withdraw(
            self._own_keys(campaign, recipient.person_id), self._clock.now()
        )
        log.info("survey answered survey_id=%s", campaign.id)
        return Next(tr("survey-thanks", anonymous=campaign.anonymous))

    # The curator's running survey.

    async def rate(self, campaign: SurveyCampaign) -> Rate:
        counts = await self._surveys.counts(campaign.id)
        return Rate(
            recipients=sum(counts.values()),
            answered=counts[RecipientStatus.ANSWERED],
            started=counts[RecipientStatus.STARTED],
            not_opened=counts[RecipientStatus.INVITED],
        )

    async def remind(self, campaign: SurveyCampaign) -> int | SurveyRefusal:
        """Remind every non-respondent now, by hand; not twice within an hour."""
        now = self._clock.now()
        refused = self._running(campaign)
        if refused is not None:
            return refused
        people = await self._surveys.non_respondents(campaign.id)
        if not people:
            return SurveyRefusal.NO_ONE_LEFT
        if not await self._surveys.claim_reminder(
            campaign.id, now, now - rules.MANUAL_REMINDER_GAP
        ):
            return SurveyRefusal.REMINDED_RECENTLY
        assert campaign.deadline is not None
        zone = await self.zone(campaign)
        due = delivery_time(now, campaign.deadline, zone, self._quiet, now) or now
        text = tr(
            "survey-reminder",
            title=self.form(campaign).title,
            deadline=shown(campaign.deadline, zone),
        )
        payload = message_payload(text, _take_button(campaign.id))
        stamp = now.strftime("%Y%m%d%H%M")
        for start in range(0, len(people), OUTBOX_BATCH):
            await self._outbox.enqueue_many(
                [
                    Queued(
                        _key(campaign.id, f"hand{stamp}", p.person_id),
                        p.telegram_id,
                        "survey",
                        payload,
                        due,
                        campaign.deadline,
                    )
                    for p in people[start : start + OUTBOX_BATCH]
                ],
                now,
            )
        log.info("survey reminded survey_id=%s people=%s", campaign.id, len(people))
        return len(people)

    def _running(self, campaign: SurveyCampaign) -> SurveyRefusal | None:
        if campaign.status is SurveyStatus.CLOSED:
            return SurveyRefusal.CLOSED
        if campaign.status is not SurveyStatus.RUNNING:
            return SurveyRefusal.NOT_FOUND
        if campaign.deadline is None or campaign.deadline <= self._clock.now():
            return SurveyRefusal.DEADLINE_PASSED
        return None

    async def extend(
        self, campaign: SurveyCampaign, raw: str
    ) -> SurveyCampaign | SurveyRefusal | WhenError:
        """A later deadline: respondents are left alone, non-respondents are reminded on the
        new schedule (the old one is withdrawn)."""
        if campaign.status is not SurveyStatus.RUNNING:
            return (
                SurveyRefusal.CLOSED
                if campaign.status is SurveyStatus.CLOSED
                else SurveyRefusal.NOT_FOUND
            )
        now, zone = self._clock.now(), await self.zone(campaign)
        deadline = rules.parse_deadline(raw, now, zone)
        if isinstance(deadline, WhenError):
            return deadline
        if deadline > rules.school_year_end(now, zone):
            return SurveyRefusal.AFTER_SCHOOL_YEAR
        if not await self._surveys.extend(campaign.id, deadline):
            fresh = await self._surveys.get(campaign.id)
            if fresh is not None and fresh.status is SurveyStatus.CLOSED:
                return SurveyRefusal.CLOSED
            return SurveyRefusal.NOT_LATER
        await self._outbox.withdraw_prefix(f"sv:{campaign.id}:s{campaign.schedule}:", now)
        extended = await self._reload(campaign)
        assert isinstance(extended, SurveyCampaign)
        await self._schedule(
            extended, await self._surveys.non_respondents(campaign.id), with_invitation=False
        )
        log.info("survey extended survey_id=%s", campaign.id)
        return extended

    async def close(self, campaign: SurveyCampaign) -> Summary | SurveyRefusal:
        """Closed early by the curator: no more answers, no more reminders."""
        now = self._clock.now()
        if not await self._surveys.close(campaign.id, now):
            return (
                SurveyRefusal.CLOSED
                if campaign.status is SurveyStatus.CLOSED
                else SurveyRefusal.NOT_FOUND
            )
        await self._outbox.withdraw_prefix(f"sv:{campaign.id}:", now)
        await self._surveys.mark_summary_sent(campaign.id)
        closed = await self._reload(campaign)
        assert isinstance(closed, SurveyCampaign)
        log.info("survey closed survey_id=%s", campaign.id)
        return await self.summary(closed)

    # Results.

    async def summary(self, campaign: SurveyCampaign) -> Summary:
        form = self.form(campaign)
        responses = await self._surveys.responses(campaign.id)
        groups = await asyncio.to_thread(rules.results, form, responses, campaign.anonymous)
        return Summary(campaign, form, await self.rate(campaign), groups)

    async def xlsx(self, campaign: SurveyCampaign) -> bytes:
        form = self.form(campaign)
        responses = await self._surveys.responses(campaign.id)
        names = (
            {}
            if campaign.anonymous
            else await self._sessions.names_in_school(campaign.organization_id, QUESTIONNAIRES)
        )

        def build() -> bytes:
            headers, rows = rules.table(form, responses, names, campaign.anonymous)
            return to_xlsx(form.title, headers, rows)

        return await asyncio.to_thread(build)

    async def sweep(self) -> None:
        """Hourly: the summary of every survey whose deadline came goes to the school's
        curators, once (again after an extension). First, launches a crash cut short."""
        await self.resume()
        now = self._clock.now()
        for campaign in await self._surveys.past_deadline(now):
            if not await self._surveys.mark_summary_sent(campaign.id):
                continue
            summary = await self.summary(campaign)
            payload = message_payload(
                summary_text(summary, await self.zone(campaign)), _results_buttons(campaign.id)
            )
            for curator in await self._people.holders(Role.CURATOR, campaign.organization_id):
                await self._outbox.enqueue(
                    _key(campaign.id, f"sum{campaign.schedule}", curator),
                    curator,
                    "curator_notice",
                    payload,
                    now,
                    now + SUMMARY_LIFETIME,
                    now,
                )
            log.info("survey summary queued survey_id=%s", campaign.id)

    # --- Programs' monitoring (bot/programs/completion.py): one template sent now to chosen
    # people of one school, with a deadline. No summary at the deadline: a program's own
    # surveys are read on the pair card and in the reports.

    async def send_now(
        self,
        school_id: int,
        template: Form,
        people: list[Addressee],
        deadline: datetime,
        audience: SurveyAudience = SurveyAudience.SCHOOL,
    ) -> int | SurveyRefusal:
        """Launch `template` to exactly `people`; the survey's id. `audience` only says which
        side they are (the recipients are the people given)."""
        if not people:
            return SurveyRefusal.NO_AUDIENCE
        now = self._clock.now()
        if deadline <= now:
            return SurveyRefusal.DEADLINE_PAST
        survey_id = await self._surveys.create(
            school_id,
            template.id,
            template.version,
            bool(template.extra.get("anonymous", False)),
            0,
            now,
        )
        await self._surveys.change_draft(survey_id, "audience", audience.value)
        await self._surveys.change_draft(survey_id, "deadline", deadline)
        await self._surveys.mark_summary_sent(survey_id)
        # Stored before the launch: the audience of the school is not who it goes to.
        await self._surveys.add_recipients(survey_id, people)
        if not await self._surveys.start_running(survey_id, now, QUEUING):
            return SurveyRefusal.NOT_DRAFT
        campaign = await self._surveys.get(survey_id)
        assert campaign is not None
        await self.finish_launch(campaign, QUEUING, people)
        log.info("survey sent survey_id=%s recipients=%s", survey_id, len(people))
        return survey_id

    async def named_responses(self, survey_id: int) -> list[Response]:
        """The answers of a named survey, with who gave them (empty for an anonymous one)."""
        campaign = await self._surveys.get(survey_id)
        if campaign is None or campaign.anonymous:
            return []
        return await self._surveys.responses(survey_id)


def _key(survey_id: int, step: str, person: int) -> str:
    return f"sv:{survey_id}:{step}:{person}"


def _take_button(survey_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=tr.plain("btn-survey-take"), callback_data=SurveyTakeCb(survey_id=survey_id))
    return kb.as_markup()


def _results_buttons(survey_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-survey-xlsx"),
        callback_data=SurveyCb(survey_id=survey_id, action=SurveyAction.XLSX),
    )
    kb.button(
        text=tr.plain("btn-survey-card"),
        callback_data=SurveyCb(survey_id=survey_id, action=SurveyAction.CARD),
    )
    kb.adjust(1)
    return kb.as_markup()
