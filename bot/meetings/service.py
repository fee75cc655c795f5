"""The sequence of a pair's meetings: proposing, confirming, moving and cancelling them, the
reminders before, the mandatory feedback after, the journal, and nudges for pairs that stopped
meeting.

Everything timed becomes outbox rows whose keys name the meeting and its revision, so moving
or cancelling a meeting withdraws exactly its pending reminders. Whether a meeting was held is
storage's one rule (`storage.meetings.held_sql`), read here as `Meeting.held`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import MeetingSettings, QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.permissions import Actor
from bot.core.quiet import delivery_time, school_day
from bot.core.when import NeedsTime, WhenError, parse_when, shown
from bot.core.zones import school_zone
from bot.forms.catalog import MEETING_FEEDBACK
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.organizations.service import OrganizationService
from bot.pairs.naming import title_of
from bot.pairs.seats import Seat, pair_seat
from bot.participation.banks import BankService
from bot.programs.service import ProgramService, term_end
from bot.ui.callbacks import MeetingAction, MeetingCb
from bot.ui.keyboards import Keyboard
from storage.meetings import Meeting, MeetingsRepo, PairActivity
from storage.models import Decision, MeetingKind, MeetingStatus, Pair, PairStatus, Role
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.programs import DueProgram

FEEDBACK_DELAY = timedelta(hours=1)
FEEDBACK_LIFETIME = timedelta(days=14)
SUGGESTED_HOUR = 15  # after lessons, when most school meetings happen
SUGGESTED_DAYS = 4
SCHOOL_WEEK = 6  # Monday to Saturday: many Russian schools teach on Saturdays
SWEEP_BATCH = 500  # pairs the idle sweep reads and queues for in one go


class MeetingRefusal(StrEnum):
    """Why a meeting action was not done; the handler renders `meeting-refusal`."""

    PAIR_NOT_YOURS = "pair_not_yours"
    PAIR_NOT_ACTIVE = "pair_not_active"
    NOT_YOURS = "not_yours"
    CANCELLED_ALREADY = "cancelled_already"
    STALE = "stale"  # moved or confirmed since the button was sent
    OWN_PROPOSAL = "own_proposal"
    DRAFT_LOST = "draft_lost"
    FEEDBACK_FOR_CANCELLED = "feedback_for_cancelled"
    FEEDBACK_TOO_EARLY = "feedback_too_early"
    FEEDBACK_ALREADY = "feedback_already"


class MeetingOutcome(StrEnum):
    """Where a meeting stands, as the journal shows it."""

    AWAITING = "awaiting"  # proposed, still ahead
    PLANNED = "planned"  # confirmed, still ahead
    HELD = "held"
    NOT_HELD = "not_held"  # its time passed unconfirmed, or its participants said so
    CANCELLED = "cancelled"


def outcome(meeting: Meeting, now: datetime) -> MeetingOutcome:
    if meeting.status is MeetingStatus.CANCELLED:
        return MeetingOutcome.CANCELLED
    if meeting.held:
        return MeetingOutcome.HELD
    if meeting.starts_at <= now:
        return MeetingOutcome.NOT_HELD
    if meeting.status is MeetingStatus.CONFIRMED:
        return MeetingOutcome.PLANNED
    return MeetingOutcome.AWAITING


@dataclass(frozen=True)
class TimeChoice:
    """What to ask when a meeting's time is chosen: the school's zone, a few suggestions."""

    pair_id: int
    meeting_id: int | None  # the meeting being moved; None for a new one
    zone: ZoneInfo
    suggestions: list[datetime]  # in the school's zone


@dataclass(frozen=True)
class FeedbackNote:
    """One participant's submitted feedback on a meeting."""

    happened: bool
    rating: int
    done: str
    next_step: str


@dataclass(frozen=True)
class JournalEntry:
    meeting: Meeting
    outcome: MeetingOutcome
    notes: tuple[FeedbackNote, ...]


@dataclass(frozen=True)
class Journal:
    pair: Pair
    school: str
    names: dict[int, str]
    zone: ZoneInfo
    entries: list[JournalEntry]


OPENING_SEQUENCE = (MeetingKind.ORGANIZATIONAL, MeetingKind.TRIAL, MeetingKind.PLANNING)


FINAL_WINDOW = timedelta(days=30)
FINAL_REMINDER = timedelta(days=14)


def next_kind(
    meetings: list[Meeting], program_end: date | None, today: date, now: datetime
) -> MeetingKind:
    """First the organizational, trial and planning meetings, in that order; then regular
    ones, and the final meeting once the program's end is near. A kind is done once such a
    meeting was held or is still planned: a proposal whose time passed unconfirmed is not."""
    taken = {
        m.kind
        for m in meetings
        if m.held or (m.status is not MeetingStatus.CANCELLED and m.starts_at > now)
    }
    opening = next((k for k in OPENING_SEQUENCE if k not in taken), None)
    if opening is not None:
        return opening
    if program_end is not None and program_end - today <= FINAL_WINDOW:
        return MeetingKind.FINAL
    return MeetingKind.REGULAR


def school_days(today: date, count: int) -> list[date]:
    """The next `count` school days after today."""
    days: list[date] = []
    day = today
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < SCHOOL_WEEK:
            days.append(day)
    return days


def _key(meeting: Meeting, *parts: object) -> str:
    return ":".join(["meeting", str(meeting.id), f"r{meeting.revision}", *map(str, parts)])


def _all_keys(meeting_id: int) -> str:
    """The prefix of every message about the meeting, whatever its revision."""
    return f"meeting:{meeting_id}:"


class MeetingService:
    def __init__(
        self,
        meetings: MeetingsRepo,
        pairs: PairsRepo,
        people: PeopleRepo,
        organizations: OrganizationService,
        banks: BankService,
        outbox: OutboxRepo,
        engine: FormEngine,
        programs: ProgramService,
        settings: MeetingSettings,
        quiet: QuietHours,
        clock: Clock,
    ) -> None:
        self._meetings = meetings
        self._programs = programs
        self._pairs = pairs
        self._people = people
        self._organizations = organizations
        self._banks = banks
        self._outbox = outbox
        self._engine = engine
        self._settings = settings
        self._quiet = quiet
        self._clock = clock

    async def zone(self, pair: Pair) -> ZoneInfo:
        return await self._zone_of(pair.organization_id)

    async def _zone_of(self, school_id: int) -> ZoneInfo:
        school = await self._organizations.school(school_id)
        return school_zone(school)

    async def _own_pair(self, actor: Actor, pair_id: int) -> Pair | MeetingRefusal:
        """The pair, if the actor is its mentor or one of its mentees."""
        pair = await self._pairs.get(pair_id)
        seat = await pair_seat(actor, pair, self._organizations) if pair else None
        if pair is None or seat not in (Seat.MENTOR, Seat.MENTEE):
            return MeetingRefusal.PAIR_NOT_YOURS
        return pair

    async def _own_meeting(
        self, actor: Actor, meeting_id: int
    ) -> tuple[Meeting, Pair, int] | MeetingRefusal:
        """The meeting, its pair and the actor's person id, if the actor sits at the pair."""
        meeting = await self._meetings.get(meeting_id, self._clock.now())
        pair = await self._own_pair(actor, meeting.pair_id) if meeting else None
        if meeting is None or not isinstance(pair, Pair) or actor.person is None:
            return MeetingRefusal.NOT_YOURS
        return meeting, pair, actor.person.id

    async def _time_choice(self, pair: Pair, meeting_id: int | None) -> TimeChoice:
        zone = await self.zone(pair)
        today = self._clock.now().astimezone(zone).date()
        at = time(SUGGESTED_HOUR)
        return TimeChoice(
            pair.id,
            meeting_id,
            zone,
            [datetime.combine(day, at, tzinfo=zone) for day in school_days(today, SUGGESTED_DAYS)],
        )

    async def start(self, actor: Actor, pair_id: int) -> TimeChoice | MeetingRefusal:
        """A participant begins proposing a meeting: what to ask for its time."""
        pair = await self._own_pair(actor, pair_id)
        if not isinstance(pair, Pair):
            return pair
        if pair.status is not PairStatus.ACTIVE:
            return MeetingRefusal.PAIR_NOT_ACTIVE
        return await self._time_choice(pair, None)

    async def start_move(
        self, actor: Actor, meeting_id: int, revision: int
    ) -> TimeChoice | MeetingRefusal:
        """A participant begins moving a meeting to another time."""
        found = await self._own_meeting(actor, meeting_id)
        if not isinstance(found, tuple):
            return found
        meeting, pair, _ = found
        if revision != meeting.revision:
            return MeetingRefusal.STALE
        if meeting.status is MeetingStatus.CANCELLED:
            return MeetingRefusal.CANCELLED_ALREADY
        return await self._time_choice(pair, meeting.id)

    async def read_time(
        self, actor: Actor, pair_id: int, typed: str, on_day: date | None = None
    ) -> datetime | NeedsTime | WhenError | MeetingRefusal:
        """The time typed for a new meeting, read in the school's zone; `on_day` is the day
        named earlier without a time («завтра утром»)."""
        pair = await self._own_pair(actor, pair_id)
        if not isinstance(pair, Pair):
            return MeetingRefusal.NOT_YOURS
        return parse_when(typed, self._clock.now(), await self.zone(pair), on_day=on_day)

    async def propose(
        self, actor: Actor, pair_id: int, starts_at: datetime | None, place: str, topic: str
    ) -> Meeting | MeetingRefusal:
        """`starts_at` is None when the dialog lost it (an old version, a lost restart)."""
        pair = await self._own_pair(actor, pair_id)
        if not isinstance(pair, Pair) or actor.person is None:
            return MeetingRefusal.NOT_YOURS
        if starts_at is None:
            return MeetingRefusal.DRAFT_LOST
        if pair.status is not PairStatus.ACTIVE:
            return MeetingRefusal.PAIR_NOT_ACTIVE
        now = self._clock.now()
        zone = await self.zone(pair)
        kind = next_kind(
            await self._meetings.of_pair(pair.id, now),
            await self._programs.end_date(pair),
            starts_at.astimezone(zone).date(),
            now,
        )
        meeting_id = await self._meetings.create(
            pair.id, kind, starts_at, place, topic, actor.person.id, now
        )
        meeting = await self._meetings.get(meeting_id, now)
        assert meeting is not None
        await self._ask_others(pair, meeting)
        return meeting

    async def move(
        self, actor: Actor, meeting_id: int, typed: str, on_day: date | None = None
    ) -> Meeting | NeedsTime | WhenError | MeetingRefusal:
        """The meeting proposed again at the time typed; the other side confirms it anew."""
        found = await self._own_meeting(actor, meeting_id)
        if not isinstance(found, tuple):
            return found
        meeting, pair, person_id = found
        when = parse_when(typed, self._clock.now(), await self.zone(pair), on_day=on_day)
        if isinstance(when, NeedsTime | WhenError):
            return when
        if meeting.status is MeetingStatus.CANCELLED:
            return MeetingRefusal.CANCELLED_ALREADY
        now = self._clock.now()
        await self._outbox.withdraw_prefix(_key(meeting, ""), now)
        if not await self._meetings.reschedule(meeting.id, meeting.revision, when, person_id, now):
            return MeetingRefusal.STALE
        moved = await self._meetings.get(meeting.id, now)
        assert moved is not None
        await self._ask_others(pair, moved)
        return moved

    async def confirm(
        self, actor: Actor, meeting_id: int, revision: int
    ) -> Meeting | MeetingRefusal:
        found = await self._own_meeting(actor, meeting_id)
        if not isinstance(found, tuple):
            return found
        meeting, pair, person_id = found
        if revision != meeting.revision:
            return MeetingRefusal.STALE
        if person_id == meeting.proposed_by:
            return MeetingRefusal.OWN_PROPOSAL
        if meeting.status is not MeetingStatus.PROPOSED or not await self._meetings.confirm(
            meeting.id, meeting.revision, self._clock.now()
        ):
            return MeetingRefusal.STALE
        confirmed = await self._meetings.get(meeting.id, self._clock.now())
        assert confirmed is not None
        await self._schedule(confirmed, pair)
        zone = await self.zone(pair)
        await self._tell(
            pair,
            confirmed,
            "confirmed",
            tr(
                "meeting-confirmed-notice",
                when=shown(confirmed.starts_at, zone),
                place=confirmed.place,
            ),
            exclude=person_id,
        )
        return confirmed

    async def cancel(self, actor: Actor, meeting_id: int) -> Meeting | MeetingRefusal:
        found = await self._own_meeting(actor, meeting_id)
        if not isinstance(found, tuple):
            return found
        meeting, pair, person_id = found
        if not await self._meetings.cancel(meeting.id, self._clock.now()):
            return MeetingRefusal.CANCELLED_ALREADY
        await self._outbox.withdraw_prefix(_all_keys(meeting.id), self._clock.now())
        zone = await self.zone(pair)
        await self._tell(
            pair,
            meeting,
            "cancelled",
            tr("meeting-cancelled-notice", when=shown(meeting.starts_at, zone)),
            exclude=person_id,
        )
        return meeting

    async def pair_closed(self, pair_id: int) -> None:
        """The pair ended: nothing more is sent about its meetings."""
        for meeting in await self._meetings.of_pair(pair_id, self._clock.now()):
            await self._outbox.withdraw_prefix(_all_keys(meeting.id), self._clock.now())

    async def cancel_from(self, pair_id: int, moment: datetime) -> int:
        """The pair's program ends at `moment` (an early ending with notice): its meetings from
        then on are cancelled and nothing more is sent about them. Returns how many."""
        now = self._clock.now()
        cancelled = 0
        for meeting in await self._meetings.of_pair(pair_id, now):
            if meeting.starts_at >= moment and await self._meetings.cancel(meeting.id, now):
                await self._outbox.withdraw_prefix(_all_keys(meeting.id), now)
                cancelled += 1
        return cancelled

    async def feedback_form(self, actor: Actor, meeting_id: int) -> FormState | MeetingRefusal:
        """The person's feedback form for a meeting that took place (or should have)."""
        found = await self._own_meeting(actor, meeting_id)
        if not isinstance(found, tuple):
            return found
        meeting, pair, person_id = found
        if meeting.status is MeetingStatus.CANCELLED:
            return MeetingRefusal.FEEDBACK_FOR_CANCELLED
        if meeting.status is not MeetingStatus.CONFIRMED or meeting.starts_at > self._clock.now():
            return MeetingRefusal.FEEDBACK_TOO_EARLY
        session_id = await self._meetings.feedback_session(meeting.id, person_id)
        if session_id is not None:
            state = await self._engine.load(session_id)
            if state is None or not state.in_progress:
                return MeetingRefusal.FEEDBACK_ALREADY
            return state
        state = await self._engine.start(person_id, pair.organization_id, MEETING_FEEDBACK.id)
        if not await self._meetings.attach_feedback(meeting.id, person_id, state.session.id):
            return MeetingRefusal.FEEDBACK_ALREADY
        return state

    async def feedback_submitted(self, state: FormState) -> Next:
        """Feedback given: the chasers and the curator alert for this person are withdrawn."""
        link = await self._meetings.by_feedback_session(state.session.id)
        meeting = await self._meetings.get(link[0], self._clock.now()) if link else None
        if link is None or meeting is None:
            return Next(tr("form-gone"))
        await self._outbox.withdraw_prefix(_key(meeting, "owed", link[1], ""), self._clock.now())
        # «Встреча не состоялась» can make the pair idle since an earlier meeting
        await self._meetings.look_again(meeting.pair_id, self._clock.now())
        return Next(tr("feedback-thanks"))

    async def journal(self, actor: Actor, pair_id: int) -> Journal | MeetingRefusal:
        """The pair's meetings, where each stands, and its participants' feedback; for the
        pair's mentor, mentees and curator."""
        pair = await self._pairs.get(pair_id)
        if pair is None or await pair_seat(actor, pair, self._organizations) is None:
            return MeetingRefusal.PAIR_NOT_YOURS
        now = self._clock.now()
        entries = []
        for meeting in await self._meetings.of_pair(pair.id, now):
            notes = []
            for session_id in (await self._meetings.feedback_of(meeting.id)).values():
                state = await self._engine.load(session_id)
                if state is None or state.in_progress:
                    continue
                answers = state.answers
                notes.append(
                    FeedbackNote(
                        happened=answers.get("happened") is not False,
                        rating=int(answers.get("rating") or 0),
                        done=str(answers.get("done") or ""),
                        next_step=str(answers.get("next_step") or ""),
                    )
                )
            entries.append(JournalEntry(meeting, outcome(meeting, now), tuple(notes)))
        school = await self._organizations.school(pair.organization_id)
        return Journal(
            pair,
            school.name if school else "",
            await self._banks.names(pair.organization_id),
            await self.zone(pair),
            entries,
        )

    async def _participants(self, pair: Pair) -> list[tuple[int, int]]:
        """(person id, Telegram id) of the mentor and every mentee still in the pair."""
        found = []
        for participant in pair.participants:
            if participant.decision is Decision.DECLINED:
                continue
            person = await self._people.by_id(participant.person_id)
            if person is not None:
                found.append((person.id, person.telegram_id))
        return found

    async def _ask_others(self, pair: Pair, meeting: Meeting) -> None:
        zone = await self.zone(pair)
        text = tr(
            "meeting-proposal",
            kind=tr.plain("meeting-kind", kind=meeting.kind),
            when=shown(meeting.starts_at, zone),
            place=meeting.place,
            topic=meeting.topic,
        )
        await self._tell(
            pair, meeting, "ask", text, exclude=meeting.proposed_by, markup=_answer_buttons(meeting)
        )

    async def _tell(
        self,
        pair: Pair,
        meeting: Meeting,
        event: str,
        text: str,
        exclude: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        now = self._clock.now()
        for person_id, chat in await self._participants(pair):
            if person_id == exclude:
                continue
            await self._outbox.enqueue(
                _key(meeting, event, person_id),
                chat,
                "meeting",
                message_payload(text, markup),
                now,
                max(meeting.starts_at, now + timedelta(days=1)),
                now,
            )

    async def _schedule(self, meeting: Meeting, pair: Pair) -> None:
        """Reminders before, the feedback request after, chasers, and the curator alert."""
        now = self._clock.now()
        zone = await self.zone(pair)
        when = shown(meeting.starts_at, zone)
        participants = await self._participants(pair)
        for hours in self._settings.reminder_hours:
            due = delivery_time(
                meeting.starts_at - timedelta(hours=hours),
                meeting.starts_at,
                zone,
                self._quiet,
                now,
            )
            if due is None or due < now:
                continue
            for person_id, chat in participants:
                await self._outbox.enqueue(
                    _key(meeting, "remind", hours, person_id),
                    chat,
                    "meeting_reminder",
                    message_payload(
                        tr(
                            "meeting-reminder",
                            when=when,
                            place=meeting.place,
                            topic=meeting.topic,
                        )
                    ),
                    due,
                    meeting.starts_at,
                    now,
                    urgent=True,
                )

        asked = meeting.starts_at + FEEDBACK_DELAY
        feedback_button = _feedback_button(meeting)
        curators = await self._people.holders(Role.CURATOR, pair.organization_id)
        for person_id, chat in participants:
            steps = [(0, tr("feedback-request", when=when))] + [
                (days, tr("feedback-chaser", when=when))
                for days in self._settings.feedback_chaser_days
            ]
            for number, (days, text) in enumerate(steps):
                due = self._daytime(asked + timedelta(days=days), zone)
                await self._outbox.enqueue(
                    _key(meeting, "owed", person_id, number),
                    chat,
                    "feedback_chaser",
                    message_payload(text, feedback_button),
                    due,
                    due + FEEDBACK_LIFETIME,
                    now,
                )
            last = max(self._settings.feedback_chaser_days, default=0) + 1
            alert_at = self._daytime(asked + timedelta(days=last), zone)
            for curator in curators:
                await self._outbox.enqueue(
                    _key(meeting, "owed", person_id, f"curator{curator}"),
                    curator,
                    "curator_notice",
                    message_payload(tr("feedback-owed", when=when)),
                    alert_at,
                    alert_at + FEEDBACK_LIFETIME,
                    now,
                )

    def _daytime(self, wanted: datetime, zone: ZoneInfo) -> datetime:
        """Requests with no deadline wait for the end of quiet hours."""
        return (
            delivery_time(wanted, wanted + timedelta(days=1), zone, self._quiet, self._clock.now())
            or wanted
        )

    async def idle_days(self, school_id: int | None = None) -> dict[int, int]:
        """Days since each active pair last held a meeting (or started), for pairs with nothing
        planned."""
        now = self._clock.now()
        idle = {}
        for pair_id, started, last in await self._meetings.last_activity(now, school_id):
            since = last or started
            if since is not None and since <= now:
                idle[pair_id] = (now - since).days
        return idle

    async def at_risk(self, school_id: int) -> dict[int, int]:
        return {
            p: d
            for p, d in (await self.idle_days(school_id)).items()
            if d >= self._settings.risk_after_days
        }

    async def sweep(self) -> int:
        """Hourly: nudge pairs that have not met for a while; tell curators about pairs that
        need attention. Keys are per pair and school week, so each goes out once a week at most.
        Only the pairs due for a look are read (pairs.sweep_at), in bounded batches, so the
        sweep costs what is due, not what exists. Returns how many pairs it looked at."""
        now = self._clock.now()
        await self._ask_for_final_meetings()
        thresholds = f"{self._settings.nudge_after_days}:{self._settings.risk_after_days}"
        await self._meetings.sweep_with(thresholds, now)
        looked = 0
        while True:
            batch = await self._meetings.due_for_sweep(now, SWEEP_BATCH)
            for activity in batch:
                await self._nudge(activity, now)
            # Moved on only once the batch is queued: a sweep killed half-way looks again.
            await self._meetings.swept([(a, self._next_look(a, now)) for a in batch])
            looked += len(batch)
            if len(batch) < SWEEP_BATCH:
                return looked

    def _next_look(self, activity: PairActivity, now: datetime) -> datetime | None:
        """The next moment the pair's idle check can change by the clock alone; anything
        that happens to the pair (a meeting, a feedback) marks it sooner."""
        if not activity.active:
            return None
        if activity.next_planned is not None:
            return activity.next_planned  # idle again, at the soonest, once it has passed
        since = activity.last_held or activity.activated_at
        if since is None:
            return None
        nudge_at = since + timedelta(days=self._settings.nudge_after_days)
        # A pair owed a nudge is looked at every hour, as before: someone who joined it or
        # its school meanwhile gets theirs, and the week's keys keep the rest to one copy.
        return nudge_at if nudge_at > now else now + timedelta(minutes=30)

    async def _nudge(self, activity: PairActivity, now: datetime) -> None:
        if not activity.active or activity.next_planned is not None:
            return
        since = activity.last_held or activity.activated_at
        if since is None or since > now:
            return
        idle = (now - since).days
        pair = await self._pairs.get(activity.pair_id)
        if pair is None or idle < self._settings.nudge_after_days:
            return
        # The school's week: a sweep again in the same night (a new week begins at midnight)
        # repeats the keys of the nudges already held for the morning.
        day = school_day(now, await self.zone(pair), self._quiet)
        week = f"{day:%G-W%V}"
        for person_id, chat in await self._participants(pair):
            await self._outbox.enqueue(
                f"nudge:{pair.id}:{week}:{person_id}",
                chat,
                "pair_nudge",
                message_payload(tr("pair-nudge", days=idle)),
                now,
                now + timedelta(days=2),
                now,
            )
        if idle >= self._settings.risk_after_days:
            alert = tr("pair-at-risk", pair=await title_of(pair, self._pairs), days=idle)
            for curator in await self._people.holders(Role.CURATOR, pair.organization_id):
                await self._outbox.enqueue(
                    f"risk:{pair.id}:{week}:{curator}",
                    curator,
                    "curator_notice",
                    message_payload(alert),
                    now,
                    now + timedelta(days=2),
                    now,
                )

    async def _ask_for_final_meetings(self) -> None:
        """Two weeks before a program ends, ask the pair to plan its final meeting, once.
        Only the programs due for this look are read (programs.final_at), in bounded batches."""
        now = self._clock.now()
        while True:
            batch = await self._programs.due_for_final(FINAL_REMINDER, SWEEP_BATCH)
            looks = [(due, await self._final_look(due, now)) for due in batch]
            await self._programs.final_looked(looks)
            if len(batch) < SWEEP_BATCH:
                return

    async def _final_look(self, due: DueProgram, now: datetime) -> datetime | None:
        """Asks if the program ends within two weeks and no final meeting was held or is
        planned; returns when the answer can next change by the clock alone (a meeting
        confirmed, moved or cancelled marks the program sooner)."""
        term = due.term
        if term is None or due.final_held:
            return None
        if due.final_ahead is not None:
            return due.final_ahead  # a proposal that lapses unconfirmed asks again
        end = term_end(term)
        zone = await self._zone_of(term.organization_id)
        if end - now.astimezone(zone).date() > FINAL_REMINDER:
            return datetime.combine(end - FINAL_REMINDER, time(0), tzinfo=zone)
        pair = await self._pairs.get(term.pair_id)
        for person_id, chat in await self._participants(pair) if pair else []:
            await self._outbox.enqueue(
                # The end date in the key: an agreed extension asks again before the new end.
                f"final:{term.pair_id}:{end.isoformat()}:{person_id}",
                chat,
                "pair_nudge",
                message_payload(tr("plan-final-meeting", end=end.strftime("%d.%m.%Y"))),
                now,
                now + timedelta(days=7),
                now,
            )
        # Looked at every hour, as before: someone who joined the pair meanwhile is asked too.
        return now + timedelta(minutes=30)


def _answer_buttons(meeting: Meeting) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for label, action in (
        (tr("btn-meeting-confirm"), MeetingAction.CONFIRM),
        (tr("btn-meeting-move"), MeetingAction.MOVE),
        (tr("btn-meeting-cancel"), MeetingAction.CANCEL),
    ):
        kb.button(
            text=label,
            callback_data=MeetingCb(
                meeting_id=meeting.id, revision=meeting.revision, action=action
            ),
        )
    kb.adjust(1)
    return kb.as_markup()


def _feedback_button(meeting: Meeting) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=tr("btn-feedback"),
        callback_data=MeetingCb(
            meeting_id=meeting.id, revision=meeting.revision, action=MeetingAction.FEEDBACK
        ),
    )
    return kb.as_markup()
