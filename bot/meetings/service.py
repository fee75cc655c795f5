"""The sequence of a pair's meetings: proposing, confirming, moving and cancelling them, the
reminders before, the mandatory feedback after, and nudges for pairs that stopped meeting.

Everything timed becomes outbox rows whose keys name the meeting and its revision, so moving
or cancelling a meeting withdraws exactly its pending reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import MeetingSettings, QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.quiet import delivery_time
from bot.core.when import shown
from bot.forms.catalog import MEETING_FEEDBACK
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import Next
from bot.programs.service import ProgramService
from bot.ui import texts
from bot.ui.callbacks import MeetingAction, MeetingCb
from bot.ui.keyboards import Keyboard
from storage.meetings import Meeting, MeetingsRepo
from storage.models import Pair, PairStatus, Role
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo

FEEDBACK_DELAY = timedelta(hours=1)
FEEDBACK_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class JournalEntry:
    meeting: Meeting
    summary: str  # what the feedback says, one line per participant


class MeetingKind(StrEnum):
    ORGANIZATIONAL = "organizational"
    TRIAL = "trial"
    PLANNING = "planning"
    REGULAR = "regular"
    FINAL = "final"


OPENING_SEQUENCE = (MeetingKind.ORGANIZATIONAL, MeetingKind.TRIAL, MeetingKind.PLANNING)


FINAL_WINDOW = timedelta(days=30)
FINAL_REMINDER = timedelta(days=14)


def next_kind(meetings: list[Meeting], program_end: date | None, today: date) -> MeetingKind:
    """First the organizational, trial and planning meetings, in that order; then regular
    ones, and the final meeting once the program's end is near."""
    held = {m.kind for m in meetings if m.status != "cancelled"}
    opening = next((k for k in OPENING_SEQUENCE if k.value not in held), None)
    if opening is not None:
        return opening
    if program_end is not None and program_end - today <= FINAL_WINDOW:
        return MeetingKind.FINAL
    return MeetingKind.REGULAR


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
        organizations: OrganizationsRepo,
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
        self._outbox = outbox
        self._engine = engine
        self._settings = settings
        self._quiet = quiet
        self._clock = clock

    async def zone(self, pair: Pair) -> ZoneInfo:
        return await self._zone_of(pair.organization_id)

    async def _zone_of(self, school_id: int) -> ZoneInfo:
        school = await self._organizations.school(school_id)
        return ZoneInfo(school.timezone if school else "Europe/Moscow")

    async def propose(
        self, pair: Pair, person_id: int, starts_at: datetime, place: str, topic: str
    ) -> Meeting | str:
        if pair.status is not PairStatus.ACTIVE:
            return tr("meeting-pair-not-active")
        zone = await self.zone(pair)
        kind = next_kind(
            await self._meetings.of_pair(pair.id),
            await self._programs.end_date(pair),
            starts_at.astimezone(zone).date(),
        )
        meeting_id = await self._meetings.create(
            pair.id, kind.value, starts_at, place, topic, person_id, self._clock.now()
        )
        meeting = await self._meetings.get(meeting_id)
        assert meeting is not None
        await self._ask_others(pair, meeting)
        return meeting

    async def confirm(self, meeting: Meeting, pair: Pair, person_id: int) -> str:
        if person_id == meeting.proposed_by:
            return tr("meeting-own-proposal")
        if meeting.status != "proposed" or not await self._meetings.confirm(
            meeting.id, meeting.revision
        ):
            return tr("meeting-not-proposed")
        confirmed = await self._meetings.get(meeting.id)
        assert confirmed is not None
        await self._schedule(confirmed, pair)
        zone = await self.zone(pair)
        await self._tell(
            pair,
            confirmed,
            "confirmed",
            texts.meeting_confirmed(shown(confirmed.starts_at, zone), confirmed.place),
            exclude=person_id,
        )
        return tr("meeting-confirmed")

    async def reschedule(
        self, meeting: Meeting, pair: Pair, person_id: int, starts_at: datetime
    ) -> str:
        if meeting.status == "cancelled":
            return tr("meeting-cancelled-already")
        now = self._clock.now()
        await self._outbox.withdraw_prefix(_key(meeting, ""), now)
        if not await self._meetings.reschedule(meeting.id, meeting.revision, starts_at, person_id):
            return tr("meeting-not-proposed")
        moved = await self._meetings.get(meeting.id)
        assert moved is not None
        await self._ask_others(pair, moved)
        return tr("meeting-proposed")

    async def pair_closed(self, pair_id: int) -> None:
        """The pair ended: nothing more is sent about its meetings."""
        for meeting in await self._meetings.of_pair(pair_id):
            await self._outbox.withdraw_prefix(_all_keys(meeting.id), self._clock.now())

    async def cancel(self, meeting: Meeting, pair: Pair, person_id: int) -> str:
        if not await self._meetings.cancel(meeting.id):
            return tr("meeting-cancelled-already")
        await self._outbox.withdraw_prefix(_all_keys(meeting.id), self._clock.now())
        zone = await self.zone(pair)
        await self._tell(
            pair,
            meeting,
            "cancelled",
            texts.meeting_cancelled(shown(meeting.starts_at, zone)),
            exclude=person_id,
        )
        return tr("meeting-cancelled")

    async def feedback_form(self, meeting: Meeting, person_id: int) -> FormState | str:
        """The person's feedback form for a meeting that took place (or should have)."""
        if meeting.status == "cancelled":
            return tr("feedback-for-cancelled")
        if meeting.status != "confirmed" or meeting.starts_at > self._clock.now():
            return tr("feedback-too-early")
        session_id = await self._meetings.feedback_session(meeting.id, person_id)
        if session_id is not None:
            state = await self._engine.load(session_id)
            if state is None or not state.in_progress:
                return tr("feedback-already")
            return state
        pair = await self._pairs.get(meeting.pair_id)
        state = await self._engine.start(
            person_id, pair.organization_id if pair else None, MEETING_FEEDBACK.id
        )
        if not await self._meetings.attach_feedback(meeting.id, person_id, state.session.id):
            return tr("feedback-already")
        return state

    async def feedback_submitted(self, state: FormState) -> Next:
        """Feedback given: the chasers and the curator alert for this person are withdrawn."""
        link = await self._meetings.by_feedback_session(state.session.id)
        meeting = await self._meetings.get(link[0]) if link else None
        if link is None or meeting is None:
            return Next(tr("form-gone"))
        await self._outbox.withdraw_prefix(_key(meeting, "owed", link[1], ""), self._clock.now())
        return Next(tr("feedback-thanks"))

    async def journal(self, pair: Pair) -> list[JournalEntry]:
        """The pair's meetings with a line from each participant's feedback."""
        entries = []
        for meeting in await self._meetings.of_pair(pair.id):
            notes = []
            for session_id in (await self._meetings.feedback_of(meeting.id)).values():
                state = await self._engine.load(session_id)
                if state is None or state.in_progress:
                    continue
                answers = state.answers
                if answers.get("happened") is False:
                    notes.append(tr("journal-not-held"))
                    continue
                notes.append(
                    texts.journal_feedback(
                        int(answers.get("rating") or 0),
                        str(answers.get("done") or ""),
                        str(answers.get("next_step") or ""),
                    )
                )
            entries.append(JournalEntry(meeting, " | ".join(notes)))
        return entries

    async def _participants(self, pair: Pair) -> list[tuple[int, int]]:
        """(person id, Telegram id) of the mentor and every mentee still in the pair."""
        found = []
        for participant in pair.participants:
            if participant.decision.value == "declined":
                continue
            person = await self._people.by_id(participant.person_id)
            if person is not None:
                found.append((person.id, person.telegram_id))
        return found

    async def _ask_others(self, pair: Pair, meeting: Meeting) -> None:
        zone = await self.zone(pair)
        text = texts.meeting_proposal(
            texts.MEETING_KINDS[meeting.kind],
            shown(meeting.starts_at, zone),
            meeting.place,
            meeting.topic,
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
                    message_payload(texts.meeting_reminder(when, meeting.place, meeting.topic)),
                    due,
                    meeting.starts_at,
                    now,
                    urgent=True,
                )

        asked = meeting.starts_at + FEEDBACK_DELAY
        feedback_button = _feedback_button(meeting)
        curators = await self._people.holders(Role.CURATOR, pair.organization_id)
        for person_id, chat in participants:
            steps = [(0, texts.feedback_request(when))] + [
                (days, texts.feedback_chaser(when)) for days in self._settings.feedback_chaser_days
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
                    message_payload(texts.feedback_owed(when)),
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
        """Days since each active pair last met (or started), for pairs with nothing planned."""
        now = self._clock.now()
        idle = {}
        for pair_id, started, last in await self._meetings.last_activity(school_id):
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

    async def sweep(self) -> None:
        """Hourly: nudge pairs that have not met for a while; tell curators about pairs at
        risk. Keys are per pair and week, so each goes out once a week at most."""
        now = self._clock.now()
        week = now.strftime("%G-W%V")
        await self._ask_for_final_meetings()
        for pair_id, idle in (await self.idle_days()).items():
            pair = await self._pairs.get(pair_id)
            if pair is None or idle < self._settings.nudge_after_days:
                continue

            for person_id, chat in await self._participants(pair):
                await self._outbox.enqueue(
                    f"nudge:{pair_id}:{week}:{person_id}",
                    chat,
                    "pair_nudge",
                    message_payload(texts.pair_nudge(idle)),
                    now,
                    now + timedelta(days=2),
                    now,
                )
            if idle >= self._settings.risk_after_days:
                for curator in await self._people.holders(Role.CURATOR, pair.organization_id):
                    await self._outbox.enqueue(
                        f"risk:{pair_id}:{week}:{curator}",
                        curator,
                        "curator_notice",
                        message_payload(texts.pair_at_risk(pair_id, idle)),
                        now,
                        now + timedelta(days=2),
                        now,
                    )

    async def _ask_for_final_meetings(self) -> None:
        """Two weeks before a program ends, ask the pair to plan its final meeting, once."""
        now = self._clock.now()
        for term, end in await self._programs.ending_without_final_meeting():
            today = now.astimezone(await self._zone_of(term.organization_id)).date()
            if end - today > FINAL_REMINDER:
                continue
            pair = await self._pairs.get(term.pair_id)
            for person_id, chat in await self._participants(pair) if pair else []:
                await self._outbox.enqueue(
                    f"final:{term.pair_id}:{person_id}",
                    chat,
                    "pair_nudge",
                    message_payload(texts.plan_final_meeting(end.strftime("%d.%m.%Y"))),
                    now,
                    now + timedelta(days=7),
                    now,
                )


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
