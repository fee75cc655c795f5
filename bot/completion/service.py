"""The end of every program (issue 13): completion confirmed by both sides with the final
surveys, early endings with their reason (the mentor's after the notice of ТК РФ ст. 351.8),
changes by mutual agreement kept as revisions, overdue programs, and the monitoring surveys
(growth at the start and at completion, intermediate feedback at the midpoint)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.core.clock import Clock
from bot.core.config import MonitoringSettings, QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.quiet import delivery_time, school_day
from bot.core.zones import school_zone
from bot.forms.model import Form, QuestionKind
from bot.meetings.service import MeetingService
from bot.organizations.service import OrganizationService
from bot.pairs.naming import title_of
from bot.programs.service import ProgramService, term_end
from bot.surveys.service import SurveyService
from bot.surveys.templates import (
    GROWTH_SELF_ASSESSMENT,
    INTERMEDIATE_FEEDBACK,
    MENTEE_SATISFACTION,
    MENTOR_SATISFACTION,
)
from bot.ui.callbacks import (
    PairCardAction,
    PairCardCb,
    PracticeAction,
    PracticeCb,
    ProgramChangeCb,
    ProgramEndCb,
)
from bot.ui.keyboards import Keyboard
from storage.models import (
    Decision,
    Pair,
    PairStatus,
    ProgramEndReason,
    ProgramStatus,
    ProgramSurveyStage,
    Role,
    SurveyAudience,
)
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo
from storage.programs import ProgramChange, ProgramEnding, ProgramsRepo, ProgramTerm
from storage.surveys import Addressee

log = logging.getLogger(__name__)

NOTICE_LIFETIME = timedelta(days=7)
WORKING_WEEK = 5  # Mon-Fri
SWEEP_BATCH = 500  # programs the hourly sweep reads and queues for in one go
LOOK_AGAIN = timedelta(minutes=30)  # a program owed something is looked at every hour


def notice_end(notified: date, working_days: int) -> date:
    """The day a mentor's early ending takes effect (ТК РФ ст. 351.8: at least `working_days`
    working days' notice). The notice period starts the day after the notice (ТК РФ ст. 14)
    and counts Monday to Friday; the ending takes effect on its last working day."""
    day, counted = notified, 0
    while counted < working_days:
        day += timedelta(days=1)
        if day.weekday() < WORKING_WEEK:
            counted += 1
    return day


class CompletionRefusal(StrEnum):
    """Why an ending or a change was not done; rendered by `tr("completion-refusal", ...)`."""

    NOT_ACTIVE = "not_active"
    NOT_YOURS = "not_yours"  # this side may not end the program for this reason
    NO_FINAL_MEETING = "no_final_meeting"
    NO_FINAL_FEEDBACK = "no_final_feedback"
    ENDING = "ending"  # an ending of this pair is already recorded
    NO_PROGRAM = "no_program"  # no confirmed program to change
    CHANGE_PENDING = "change_pending"
    NOTHING_CHANGED = "nothing_changed"
    BAD_END_DATE = "bad_end_date"
    CHANGE_GONE = "change_gone"
    OWN_CHANGE = "own_change"  # the side that proposed a change cannot accept it


class Step(StrEnum):
    """What an agreement of one side led to."""

    WAITING = "waiting"  # the other side is asked to agree too
    ENDED = "ended"  # everyone agreed: the pair has ended
    NOTICE = "notice"  # the mentor's ending takes effect after the notice


@dataclass(frozen=True)
class Ended:
    step: Step
    effective_on: date


@dataclass(frozen=True)
class GrowthLine:
    label: str
    start: float
    end: float

    @property
    def change(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Growth:
    lines: list[GrowthLine]
    people: int  # how many participants answered at the start and at completion


# Who may end a program early for which reason.
_REASONS = {
    Role.MENTOR: (ProgramEndReason.MENTOR, ProgramEndReason.MUTUAL),
    Role.MENTEE: (ProgramEndReason.MENTEE, ProgramEndReason.MUTUAL),
    Role.CURATOR: (ProgramEndReason.NOT_CARRIED_OUT,),
}


# Each stage's template, and which side it goes to (SCHOOL: everyone in the pair).
_STAGE_SURVEYS: dict[ProgramSurveyStage, tuple[Form, SurveyAudience]] = {
    ProgramSurveyStage.GROWTH_START: (GROWTH_SELF_ASSESSMENT, SurveyAudience.SCHOOL),
    ProgramSurveyStage.INTERMEDIATE: (INTERMEDIATE_FEEDBACK, SurveyAudience.SCHOOL),
    ProgramSurveyStage.GROWTH_END: (GROWTH_SELF_ASSESSMENT, SurveyAudience.SCHOOL),
    ProgramSurveyStage.FINAL_MENTOR: (MENTOR_SATISFACTION, SurveyAudience.MENTORS),
    ProgramSurveyStage.FINAL_MENTEE: (MENTEE_SATISFACTION, SurveyAudience.MENTEES),
}


def reasons_for(side: Role) -> tuple[ProgramEndReason, ...]:
    return _REASONS.get(side, ())


class CompletionService:
    def __init__(
        self,
        programs: ProgramsRepo,
        program_service: ProgramService,
        pairs: PairsRepo,
        meetings: MeetingService,
        surveys: SurveyService,
        people: PeopleRepo,
        organizations: OrganizationService,
        outbox: OutboxRepo,
        settings: MonitoringSettings,
        quiet: QuietHours,
        clock: Clock,
    ) -> None:
        self._programs = programs
        self._program_service = program_service
        self._pairs = pairs
        self._meetings = meetings
        self._surveys = surveys
        self._people = people
        self._organizations = organizations
        self._outbox = outbox
        self._settings = settings
        self._quiet = quiet
        self._clock = clock

    async def _zone(self, pair: Pair) -> ZoneInfo:
        school = await self._organizations.school(pair.organization_id)
        return school_zone(school)

    async def _today(self, pair: Pair) -> date:
        return self._clock.now().astimezone(await self._zone(pair)).date()

    async def ending(self, pair: Pair) -> ProgramEnding | None:
        return await self._programs.ending(pair.id)

    async def pending_change(self, pair: Pair) -> ProgramChange | None:
        return await self._programs.pending_change(pair.id)

    # --- the program starts: the growth self-assessment ---

    async def confirm(self, pair: Pair) -> bool:
        """The mentee confirms the program; the first time, everyone in the pair is asked the
        growth self-assessment (compared with the same one at completion)."""
        if not await self._program_service.confirm(pair):
            return False
        await self._send(pair, ProgramSurveyStage.GROWTH_START)
        return True

    # --- normal completion ---

    async def complete(self, pair: Pair, person_id: int) -> Ended | CompletionRefusal:
        """One side's «программа выполнена», once the final meeting was held and this person
        gave feedback on it; the pair completes when every participant has said so."""
        refused = await self._can_end(pair)
        if refused is not None:
            return refused
        given = await self._programs.feedback_on_final(pair.id, person_id, self._clock.now())
        if given is None:
            return CompletionRefusal.NO_FINAL_MEETING
        if not given:
            return CompletionRefusal.NO_FINAL_FEEDBACK
        return await self._agree(pair, person_id, ProgramEndReason.COMPLETED, "")

    async def _agree(
        self, pair: Pair, person_id: int, reason: ProgramEndReason, note: str
    ) -> Ended | CompletionRefusal:
        await self._programs.agree(pair.id, person_id, reason, self._clock.now())
        today = await self._today(pair)
        if not _everyone(pair) <= await self._programs.agreed(pair.id, reason):
            await self._ask_others(pair, person_id, reason)
            return Ended(Step.WAITING, today)
        if not await self._programs.start_ending(
            pair.id, reason, note, person_id, today, self._clock.now()
        ):
            return CompletionRefusal.ENDING
        await self._finish(pair, reason)
        return Ended(Step.ENDED, today)

    async def _can_end(self, pair: Pair) -> CompletionRefusal | None:
        if pair.status is not PairStatus.ACTIVE:
            return CompletionRefusal.NOT_ACTIVE
        if await self._programs.ending(pair.id) is not None:
            return CompletionRefusal.ENDING
        return None

    async def _ask_others(self, pair: Pair, person_id: int, reason: ProgramEndReason) -> None:
        kb = Keyboard()
        if reason is ProgramEndReason.COMPLETED:
            kb.button(
                text=tr.plain("btn-program-complete"),
                callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.COMPLETE),
            )
        else:
            kb.button(
                text=tr.plain("btn-end-agree"),
                callback_data=ProgramEndCb(pair_id=pair.id, reason=reason.value),
            )
        kb.button(
            text=tr.plain("btn-program-open"),
            callback_data=PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN),
        )
        kb.adjust(1)
        text = tr("completion-asked", reason=reason, pair=await title_of(pair, self._pairs))
        chats = await self._chats([p for p in _everyone(pair) if p != person_id])
        await self._tell(pair, f"agree:{reason.value}", text, chats, kb.as_markup())

    # --- early endings ---

    async def terminate(
        self, pair: Pair, person_id: int, side: Role, reason: ProgramEndReason, note: str
    ) -> Ended | CompletionRefusal:
        """End the program early. The mentee's ending and the curator's «программа не
        реализована» take effect at once; the mentor's after the notice; a mutual decision
        once everyone agreed."""
        if reason not in reasons_for(side):
            return CompletionRefusal.NOT_YOURS
        refused = await self._can_end(pair)
        if refused is not None:
            return refused
        if reason is ProgramEndReason.MUTUAL:
            return await self._agree(pair, person_id, reason, note)
        now = self._clock.now()
        today = await self._today(pair)
        effective = (
            notice_end(today, self._settings.notice_working_days)
            if reason is ProgramEndReason.MENTOR
            else today
        )
        if not await self._programs.start_ending(pair.id, reason, note, person_id, effective, now):
            return CompletionRefusal.ENDING
        log.info("program ending pair_id=%s reason=%s", pair.id, reason.value)
        if effective <= today:
            await self._finish(pair, reason)
            return Ended(Step.ENDED, effective)
        zone = await self._zone(pair)
        await self._meetings.cancel_from(pair.id, datetime.combine(effective, time(0), tzinfo=zone))
        text = tr(
            "ending-notice",
            pair=await title_of(pair, self._pairs),
            date=effective.strftime("%d.%m.%Y"),
            note=note,
        )
        chats = await self._chats(_everyone(pair)) + await self._curators(pair)
        await self._tell(pair, "notice", text, chats)
        return Ended(Step.NOTICE, effective)

    async def _finish(self, pair: Pair, reason: ProgramEndReason) -> None:
        """The pair ends: nothing more about its meetings; everyone and the curator are told;
        a completed program gets its final surveys and the growth self-assessment again."""
        completed = reason is ProgramEndReason.COMPLETED
        status = PairStatus.COMPLETED if completed else PairStatus.ENDED
        if not await self._pairs.end(pair.id, status, reason, self._clock.now()):
            return
        await self._meetings.pair_closed(pair.id)
        await self._outbox.withdraw_prefix(f"programs:{pair.id}:", self._clock.now())
        text = tr(
            "ended-notice",
            reason=tr.plain("program-end-reason", reason=reason),
            pair=await title_of(pair, self._pairs),
        )
        chats = await self._chats(_everyone(pair)) + await self._curators(pair)
        await self._tell(pair, "ended", text, chats)
        if completed:
            await self._offer_publication(pair)
            await self._send(pair, ProgramSurveyStage.FINAL_MENTOR)
            await self._send(pair, ProgramSurveyStage.FINAL_MENTEE)
            await self._send(pair, ProgramSurveyStage.GROWTH_END)
        log.info("pair ended pair_id=%s reason=%s", pair.id, reason.value)

    async def _offer_publication(self, pair: Pair) -> None:
        """Each side may agree to publish the pair's case as a best practice (bot/practices:
        nothing is published without every side's consent)."""
        kb = Keyboard()
        for label, names in (
            (tr.plain("btn-practice-agree"), 0),
            (tr.plain("btn-practice-agree-names"), 1),
        ):
            kb.button(
                text=label,
                callback_data=PracticeCb(action=PracticeAction.AGREE, pair_id=pair.id, v=names),
            )
        kb.adjust(1)
        chats = await self._chats(_everyone(pair))
        await self._tell(pair, "practice", tr("practice-offer"), chats, kb.as_markup())

    # --- changes by mutual agreement ---

    async def propose_change(
        self, pair: Pair, person_id: int, ends_on: date | None, activities: str | None
    ) -> ProgramChange | CompletionRefusal:
        """A new end date and/or plan, proposed by one side to the other; the curator sees it."""
        if pair.status is not PairStatus.ACTIVE:
            return CompletionRefusal.NOT_ACTIVE
        program = await self._programs.get(pair.id)
        if program is None or program.status is not ProgramStatus.CONFIRMED:
            return CompletionRefusal.NO_PROGRAM
        if ends_on is None and activities is None:
            return CompletionRefusal.NOTHING_CHANGED
        start = await self._program_service.start_date(pair)
        if ends_on is not None and (
            ends_on <= await self._today(pair) or (start is not None and ends_on <= start)
        ):
            return CompletionRefusal.BAD_END_DATE
        change_id = await self._programs.propose_change(
            pair.id, person_id, ends_on, activities, self._clock.now()
        )
        change = await self._programs.change(change_id) if change_id else None
        if change is None:
            return CompletionRefusal.CHANGE_PENDING
        text = tr(
            "change-proposed",
            pair=await title_of(pair, self._pairs),
            date=ends_on.strftime("%d.%m.%Y") if ends_on else "none",
            plan=activities or "none",
        )
        kb = Keyboard()
        for label, accept in (
            (tr.plain("btn-change-accept"), True),
            (tr.plain("btn-change-decline"), False),
        ):
            kb.button(
                text=label,
                callback_data=ProgramChangeCb(change_id=change.id, accept=accept),
            )
        others = [p for p in _everyone(pair) if _side(pair, p) is not _side(pair, person_id)]
        markup = kb.as_markup()
        await self._tell(pair, f"change{change.id}", text, await self._chats(others), markup)
        await self._tell(pair, f"change{change.id}", text, await self._curators(pair))
        return change

    async def change_for(self, change_id: int) -> tuple[ProgramChange, Pair] | None:
        change = await self._programs.change(change_id)
        pair = await self._pairs.get(change.pair_id) if change else None
        return (change, pair) if change is not None and pair is not None else None

    async def decide_change(
        self, change: ProgramChange, pair: Pair, person_id: int, accept: bool
    ) -> ProgramChange | CompletionRefusal:
        """The other side's answer. An accepted change is a new revision of the program (the
        previous ones are kept); the end-date reminders follow the new date."""
        if change.proposed_by is not None and _side(pair, person_id) is _side(
            pair, change.proposed_by
        ):
            return CompletionRefusal.OWN_CHANGE
        if pair.status is not PairStatus.ACTIVE:
            return CompletionRefusal.NOT_ACTIVE
        now = self._clock.now()
        if not await self._programs.decide_change(change, accept, person_id, now):
            return CompletionRefusal.CHANGE_GONE
        if accept:
            found = await self._program_service.get(pair)
            if found is not None:
                await self._programs.record_revision(pair.id, found[1].answers, change.id, now)
        text = tr("change-decided", accepted=accept, pair=await title_of(pair, self._pairs))
        chats = await self._chats([change.proposed_by] if change.proposed_by else [])
        await self._tell(pair, f"decided{change.id}", text, chats + await self._curators(pair))
        decided = await self._programs.change(change.id)
        assert decided is not None
        return decided

    # --- overdue programs, the notice's end, the midpoint ---

    async def overdue(self, school_id: int) -> list[tuple[Pair, date]]:
        """The school's working pairs whose program's end date has passed without an ending."""
        found = []
        for term in await self._programs.terms():
            if term.organization_id != school_id:
                continue
            pair = await self._pairs.get(term.pair_id)
            if pair is not None and await self._is_overdue(pair, term_end(term)):
                found.append((pair, term_end(term)))
        return found

    async def _is_overdue(self, pair: Pair, end: date) -> bool:
        late = (await self._today(pair) - end).days >= max(1, self._settings.overdue_after_days)
        return late and await self._programs.ending(pair.id) is None

    async def sweep(self) -> int:
        """Hourly: endings whose notice ran out take effect; overdue programs are listed for
        the curator and both sides are asked, once; the intermediate feedback goes out at the
        program's midpoint. Only the programs due for a look are read (programs.sweep_at), in
        bounded batches. Returns how many programs it looked at."""
        now = self._clock.now()
        # Up to the UTC day after: the furthest east a school's day can be (UTC+14); each
        # ending is then checked against its own school's day.
        for ending in await self._programs.due_endings(now.date() + timedelta(days=1)):
            pair = await self._pairs.get(ending.pair_id)
            if pair is not None and ending.effective_on <= await self._today(pair):
                await self._finish(pair, ending.reason)
        await self._programs.sweep_with(
            "program_sweep", str(self._settings.overdue_after_days), now
        )
        listed: dict[int, list[str]] = {}
        looked = 0
        while True:
            batch = await self._programs.due_for_sweep(now, SWEEP_BATCH)
            looks = [(due, await self._look(due.term, now, listed)) for due in batch]
            # Moved on only once the batch is queued: a sweep killed half-way looks again.
            await self._programs.swept("sweep_at", looks)
            looked += len(batch)
            if len(batch) < SWEEP_BATCH:
                break
        for school_id, lines in listed.items():
            school = await self._organizations.school(school_id)
            zone = school_zone(school)
            # The school's week, as the day a list queued now arrives on: a sweep again in the
            # same night repeats the key of the list already held for the morning.
            week = f"{school_day(now, zone, self._quiet):%G-W%V}"
            text = "\n".join([tr("overdue-title"), *lines])
            for curator in await self._people.holders(Role.CURATOR, school_id):
                key = f"overdue-list:{school_id}:{week}:{curator}"
                await self._queue(zone, key, curator, text)
        return looked

    async def _look(
        self, term: ProgramTerm | None, now: datetime, listed: dict[int, list[str]]
    ) -> datetime | None:
        """One program's overdue and midpoint checks; returns when it is due again."""
        pair = await self._pairs.get(term.pair_id) if term is not None else None
        if term is None or pair is None:
            return None  # no longer a confirmed program of a working pair: nothing by the clock
        end = term_end(term)
        if await self._is_overdue(pair, end):
            await self._ask_overdue(pair, end)
            title = await title_of(pair, self._pairs)
            listed.setdefault(pair.organization_id, []).append(
                tr("overdue-line", pair=title, end=end.strftime("%d.%m.%Y"))
            )
            # Looked at every hour, as before: the week's list names every overdue program.
            return now + LOOK_AGAIN
        # The school's own midpoint, or the configured one.
        offsets = await self._surveys.offsets(pair.organization_id)
        share = offsets.midpoint_percent / 100
        midpoint = term.start + (end - term.start) * share
        today = await self._today(pair)
        if midpoint <= today < end and not await self._send(pair, ProgramSurveyStage.INTERMEDIATE):
            return now + LOOK_AGAIN  # nobody to ask yet: tried again every hour, as before
        zone = await self._zone(pair)
        late = end + timedelta(days=max(1, self._settings.overdue_after_days))
        moments = [datetime.combine(midpoint, time(0), tzinfo=zone)] if today < midpoint else []
        moments.append(datetime.combine(late, time(0), tzinfo=zone))
        upcoming = [m for m in moments if m > now]
        # An ending recorded keeps a late program from being overdue: nothing more by the clock.
        return min(upcoming) if upcoming else None

    async def _ask_overdue(self, pair: Pair, end: date) -> None:
        """Both sides, once for this end date: complete, extend, or say why not."""
        kb = Keyboard()
        for label, action in (
            (tr.plain("btn-program-complete"), PairCardAction.COMPLETE),
            (tr.plain("btn-program-revise"), PairCardAction.REVISE),
            (tr.plain("btn-program-explain"), PairCardAction.EXPLAIN),
        ):
            kb.button(text=label, callback_data=PairCardCb(pair_id=pair.id, action=action))
        kb.adjust(1)
        text = tr("overdue-ask", end=end.strftime("%d.%m.%Y"))
        chats = await self._chats(_everyone(pair))
        await self._tell(pair, f"overdue{end.isoformat()}", text, chats, kb.as_markup())

    async def explain(self, pair: Pair, person_id: int, text: str) -> bool:
        """Why an overdue program is not completed, for the curator."""
        if pair.status is not PairStatus.ACTIVE:
            return False
        notice = tr("overdue-explained", pair=await title_of(pair, self._pairs), text=text)
        stamp = self._clock.now().strftime("%Y%m%d%H%M")
        curators = await self._curators(pair)
        await self._tell(pair, f"explain{person_id}:{stamp}", notice, curators)
        return True

    # --- the monitoring surveys ---

    async def _send(self, pair: Pair, stage: ProgramSurveyStage) -> bool:
        """Send a stage's survey(s) to the pair's participants, once a stage; False while
        there is nobody to send it to."""
        people = await self._addressees(pair)
        if not people:
            return False
        if not await self._programs.claim_survey(pair.id, stage, self._clock.now()):
            return True
        days = (await self._surveys.offsets(pair.organization_id)).survey_days
        deadline = self._clock.now() + timedelta(days=days)
        form, audience = _STAGE_SURVEYS[stage]
        side = {SurveyAudience.MENTORS: Role.MENTOR, SurveyAudience.MENTEES: Role.MENTEE}
        recipients = [a for a in people if a.role is side.get(audience, a.role)]
        sent = await self._surveys.send_now(
            pair.organization_id, form, recipients, deadline, audience
        )
        if isinstance(sent, int):
            await self._programs.set_survey(pair.id, stage, sent)
        return True

    async def growth(self, pair: Pair, person_id: int | None) -> Growth | None:
        """The change per competence between the start and the completion self-assessments:
        the person's own, or (None) the average of the pair's participants, without names."""
        surveys = await self._programs.surveys(pair.id)
        start_id = surveys.get(ProgramSurveyStage.GROWTH_START)
        end_id = surveys.get(ProgramSurveyStage.GROWTH_END)
        if start_id is None or end_id is None:
            return None
        starts = {r.person_id: r.answers for r in await self._surveys.named_responses(start_id)}
        ends = {r.person_id: r.answers for r in await self._surveys.named_responses(end_id)}
        both = [p for p in starts if p in ends and (person_id is None or p == person_id)]
        if not both:
            return None
        lines = []
        for question in GROWTH_SELF_ASSESSMENT.questions:
            if question.kind is not QuestionKind.SCALE:
                continue
            pairs_of = [
                (float(starts[p][question.id]), float(ends[p][question.id]))
                for p in both
                if isinstance(starts[p].get(question.id), int | float)
                and isinstance(ends[p].get(question.id), int | float)
            ]
            if pairs_of:
                lines.append(
                    GrowthLine(
                        question.header or question.id,
                        sum(s for s, _ in pairs_of) / len(pairs_of),
                        sum(e for _, e in pairs_of) / len(pairs_of),
                    )
                )
        return Growth(lines, len(both))

    # --- sending ---

    async def _addressees(self, pair: Pair) -> list[Addressee]:
        found = []
        for person_id in _everyone(pair):
            person = await self._people.by_id(person_id)
            if person is not None and person.is_active:
                role = Role.MENTOR if person_id == pair.mentor_id else Role.MENTEE
                found.append(Addressee(person.id, person.telegram_id, role))
        return found

    async def _chats(self, person_ids: list[int] | set[int]) -> list[int]:
        return [p.telegram_id for i in sorted(person_ids) if (p := await self._people.by_id(i))]

    async def _curators(self, pair: Pair) -> list[int]:
        return await self._people.holders(Role.CURATOR, pair.organization_id)

    async def _tell(
        self,
        pair: Pair,
        what: str,
        text: str,
        chats: list[int],
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Keyed by the pair first: its pending messages are withdrawn when it ends."""
        zone = await self._zone(pair)
        for chat in chats:
            await self._queue(zone, f"programs:{pair.id}:{what}:{chat}", chat, text, markup)

    async def _queue(
        self,
        zone: ZoneInfo,
        key: str,
        chat: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """Through the outbox, once a key, outside quiet hours in the school's time."""
        now = self._clock.now()
        expires = now + NOTICE_LIFETIME
        due = delivery_time(now, expires, zone, self._quiet, now) or now
        payload = message_payload(text, markup)
        await self._outbox.enqueue(key, chat, "program", payload, due, expires, now)


def _everyone(pair: Pair) -> set[int]:
    """The mentor and the mentees who accepted: the people whose agreement ends a program."""
    return {
        p.person_id
        for p in pair.participants
        if p.decision is Decision.ACCEPTED or p.person_id == pair.mentor_id
    }


def _side(pair: Pair, person_id: int) -> Role:
    return Role.MENTOR if person_id == pair.mentor_id else Role.MENTEE
