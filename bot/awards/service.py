"""The school's contest (issue 14): the shortlists scored from the year's data, the vote of the
school's participants on a shortlist (an ordinary survey campaign: its audience, deadline,
delivery outside quiet hours, reminders, one answer a person and the summary at the deadline are
the surveys'), the winners, and a thank-you letter per winner (drawn on a worker thread)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.awards import documents, rules
from bot.awards.rules import NOMINATIONS, Facts, Nomination, title_of
from bot.core.clock import Clock
from bot.core.i18n import tr
from bot.core.when import WhenError
from bot.pairs.naming import pair_title
from bot.participation.banks import BankService
from bot.school_years.service import year_label
from bot.surveys.drafts import OPTION_LIMIT, DraftKind, DraftRefusal
from bot.surveys.rules import Rate
from bot.surveys.service import SurveyRefusal, SurveyService
from storage.awards import AwardsRepo, AwardVote
from storage.models import Organization, SurveyAudience, SurveyCampaign, SurveyStatus
from storage.pairs import PairsRepo
from storage.school_years import SchoolYearsRepo

log = logging.getLogger(__name__)


class AwardRefusal(StrEnum):
    """Rendered by `tr("award-refusal", reason=...)`."""

    NOT_FOUND = "not_found"  # a year of another school, or a stale button
    TOO_FEW = "too_few"  # a vote needs two candidates at least
    VOTE_EXISTS = "vote_exists"  # this nomination's vote of the year was opened already
    BUSY = "busy"  # the vote is being opened by another tap
    VOTE_RUNNING = "vote_running"  # winners only after the vote's deadline
    NO_WINNERS = "no_winners"  # no candidate in any nomination


@dataclass(frozen=True)
class Candidate:
    nomination: Nomination
    ref: int  # the mentor's person id, or the pair's id
    name: str  # as the shortlist and the vote show it
    facts: Facts
    people: tuple[tuple[int, str], ...]  # (person id, full name) of whom a letter goes to


@dataclass(frozen=True)
class VoteState:
    survey: SurveyCampaign
    rate: Rate
    over: bool  # the deadline came, or the curator closed it
    results: tuple[tuple[str, int], ...]  # option label and votes; empty until it is over
    hidden: bool  # over, but fewer than three voted: anonymous results are not shown


@dataclass(frozen=True)
class Contest:
    school: Organization
    year_id: int | None  # None: the open year
    year: str
    shortlists: dict[Nomination, tuple[Candidate, ...]]
    votes: dict[Nomination, VoteState]
    closed_years: tuple[tuple[int, str], ...]  # (id, label) for the year buttons


@dataclass(frozen=True)
class Winners:
    nomination: Nomination
    candidates: tuple[Candidate, ...]
    votes: int | None  # the winners' votes; None: chosen by the score (no vote held)


@dataclass(frozen=True)
class Publication:
    school: Organization
    year: str
    winners: tuple[Winners, ...]


@dataclass(frozen=True)
class Letter:
    filename: str
    content: bytes


class AwardService:
    def __init__(
        self,
        awards: AwardsRepo,
        years: SchoolYearsRepo,
        pairs: PairsRepo,
        banks: BankService,
        surveys: SurveyService,
        clock: Clock,
    ) -> None:
        self._awards = awards
        self._years = years
        self._pairs = pairs
        self._banks = banks
        self._surveys = surveys
        self._clock = clock

    async def _year(self, school: Organization, year_id: int | None) -> str | None:
        if year_id is None:
            return year_label(self._clock.now().astimezone(ZoneInfo(school.timezone)).date())
        found = [y.label for y in await self._years.of_school(school.id) if y.id == year_id]
        return found[0] if found else None

    async def contest(self, school: Organization, year_id: int | None) -> Contest | AwardRefusal:
        label = await self._year(school, year_id)
        if label is None:
            return AwardRefusal.NOT_FOUND
        votes = {}
        for nomination, vote in (await self._awards.votes(school.id, label)).items():
            state = await self._vote_state(vote)
            if state is not None:
                votes[Nomination(nomination)] = state
        closed = tuple((y.id, y.label) for y in await self._years.of_school(school.id))
        shortlists, _ = await self._candidates(school, year_id)
        return Contest(school, year_id, label, shortlists, votes, closed)

    async def _candidates(
        self,
        school: Organization,
        year_id: int | None,
        wanted: frozenset[tuple[Nomination, int]] = frozenset(),
    ) -> tuple[dict[Nomination, tuple[Candidate, ...]], dict[tuple[Nomination, int], Candidate]]:
        """The shortlists, and every candidate made on the way: the shortlisted and the
        `wanted` ones (a vote's candidates, who may have left the shortlist since)."""
        pairs = await self._awards.pair_facts(school.id, year_id, self._clock.now())
        answers = await self._awards.stage_answers([p.pair_id for p in pairs])
        names = await self._banks.names(school.id)

        def full(person_id: int) -> str:
            return names.get(person_id, "") or tr.plain("pair-person-unnamed")

        by_id = {p.pair_id: p for p in pairs}
        scored = {
            **{
                (Nomination.MENTOR, m): rules.facts(own, answers, Nomination.MENTOR)
                for m, own in rules.by_mentor(pairs).items()
            },
            **{
                (Nomination.PAIR, p.pair_id): rules.facts([p], answers, Nomination.PAIR)
                for p in pairs
            },
        }
        shortlists: dict[Nomination, tuple[Candidate, ...]] = {}
        built: dict[tuple[Nomination, int], Candidate] = {}
        for nomination in NOMINATIONS:

            def sort_name(ref: int, nomination: Nomination = nomination) -> str:
                return full(ref if nomination is Nomination.MENTOR else by_id[ref].mentor_id)

            chosen = [
                ref
                for _, _, ref in rules.top(
                    [(f.score, sort_name(r), r) for (n, r), f in scored.items() if n is nomination]
                )
            ]
            extra = [r for n, r in wanted if n is nomination and r not in chosen]
            for ref in chosen + extra:
                if (nomination, ref) not in scored:
                    continue
                facts = scored[(nomination, ref)]
                if nomination is Nomination.MENTOR:
                    built[(nomination, ref)] = Candidate(
                        nomination, ref, full(ref), facts, ((ref, full(ref)),)
                    )
                    continue
                pair = await self._pairs.get(ref)
                if pair is not None:
                    people = by_id[ref]
                    built[(nomination, ref)] = Candidate(
                        nomination,
                        ref,
                        pair_title(pair, names),
                        facts,
                        tuple((p, full(p)) for p in (people.mentor_id, *people.mentee_ids)),
                    )
            shortlists[nomination] = tuple(
                built[(nomination, r)] for r in chosen if (nomination, r) in built
            )
        return shortlists, built

    async def _vote_state(self, vote: AwardVote) -> VoteState | None:
        campaign = await self._surveys.get(vote.survey_id) if vote.survey_id else None
        if campaign is None or campaign.status is SurveyStatus.DRAFT:
            return None
        over = campaign.status is SurveyStatus.CLOSED or (
            campaign.deadline is not None and campaign.deadline <= self._clock.now()
        )
        summary = await self._surveys.summary(campaign)
        everyone = summary.groups[0] if summary.groups else None
        hidden = over and (everyone is None or everyone.hidden)
        results: tuple[tuple[str, int], ...] = ()
        if over and not hidden and everyone is not None and everyone.questions:
            counted = dict(everyone.questions[0].options)
            results = tuple(
                (o.label, counted.get(o.label, 0)) for o in summary.form.questions[0].options
            )
        return VoteState(campaign, summary.rate, over, results, hidden)

    # --- the vote ---

    async def vote_refusal(
        self, school: Organization, year_id: int | None, nomination: Nomination
    ) -> AwardRefusal | None:
        """Why a vote of this nomination cannot be opened, before the deadline is asked."""
        contest = await self.contest(school, year_id)
        if isinstance(contest, AwardRefusal):
            return contest
        if nomination in contest.votes:
            return AwardRefusal.VOTE_EXISTS
        if len(contest.shortlists[nomination]) < 2:
            return AwardRefusal.TOO_FEW
        return None

    async def open_vote(
        self, school: Organization, year_id: int | None, nomination: Nomination, raw: str, by: int
    ) -> VoteState | AwardRefusal | SurveyRefusal | WhenError:
        """A vote of the school's participants on the shortlist, until the deadline the curator
        typed. A bad deadline keeps the draft: the curator types another one."""
        contest = await self.contest(school, year_id)
        if isinstance(contest, AwardRefusal):
            return contest
        vote = (await self._awards.votes(school.id, contest.year)).get(nomination.value)
        if vote is None:
            candidates = contest.shortlists[nomination]
            if len(candidates) < 2:
                return AwardRefusal.TOO_FEW
            made = await self._draft(school, contest.year, nomination, candidates, by)
            if isinstance(made, AwardRefusal):
                return made
            campaign = made
        else:
            found = await self._surveys.get(vote.survey_id) if vote.survey_id else None
            if found is None:
                return AwardRefusal.BUSY
            campaign = found
        if campaign.status is not SurveyStatus.DRAFT:
            return AwardRefusal.VOTE_EXISTS
        dated = await self._surveys.set_deadline(campaign, raw)
        if isinstance(dated, WhenError | SurveyRefusal):
            return dated
        launched = await self._surveys.launch(dated)
        if isinstance(launched, SurveyRefusal):
            return launched
        log.info(
            "award vote opened school_id=%s survey_id=%s voters=%s", school.id, dated.id, launched
        )
        state = await self._vote_state(
            AwardVote(0, school.id, contest.year, nomination.value, dated.id, (), dated.created_at)
        )
        assert state is not None
        return state

    async def _draft(
        self,
        school: Organization,
        year: str,
        nomination: Nomination,
        candidates: tuple[Candidate, ...],
        by: int,
    ) -> SurveyCampaign | AwardRefusal:
        """The vote's survey: one single-choice question, a numbered option a candidate (the
        numbers keep two namesakes apart)."""
        vote_id = await self._awards.claim_vote(
            school.id,
            year,
            nomination.value,
            [(c.nomination.value, c.ref) for c in candidates],
            by,
            self._clock.now(),
        )
        if vote_id is None:
            return AwardRefusal.BUSY
        title = tr.plain("award-vote-title", title=title_of(nomination), year=year)
        created = await self._surveys.create_blank(school.id, title, by)
        assert isinstance(created, SurveyCampaign)  # the title is ours, never empty or long
        options = "\n".join(f"{n}. {c.name}"[:OPTION_LIMIT] for n, c in enumerate(candidates, 1))
        asked = await self._surveys.add_question(
            created,
            DraftKind.SINGLE,
            tr.plain("award-vote-question", title=title_of(nomination)),
            options,
        )
        assert not isinstance(asked, SurveyRefusal | DraftRefusal)
        audience = await self._surveys.set_audience(asked, SurveyAudience.SCHOOL)
        assert isinstance(audience, SurveyCampaign)
        await self._awards.attach_survey(vote_id, created.id)
        return audience

    # --- the winners ---

    async def publication(
        self, school: Organization, year_id: int | None
    ) -> Publication | AwardRefusal:
        """Each nomination's winners: by the votes once its vote is over, else (no vote, or too
        few votes to show) the highest score; refused while a vote is still running."""
        contest = await self.contest(school, year_id)
        if isinstance(contest, AwardRefusal):
            return contest
        if any(not state.over for state in contest.votes.values()):
            return AwardRefusal.VOTE_RUNNING
        votes = await self._awards.votes(school.id, contest.year)
        wanted = frozenset(
            (Nomination(kind), ref) for vote in votes.values() for kind, ref in vote.candidates
        )
        shortlists, built = await self._candidates(school, year_id, wanted)
        found = []
        for nomination in NOMINATIONS:
            state = contest.votes.get(nomination)
            if state is not None and state.results:
                frozen = votes[nomination.value].candidates
                counts = [count for _, count in state.results]
                best = rules.winners(counts)
                chosen = tuple(
                    built[key]
                    for i in best
                    if i < len(frozen)
                    and (key := (Nomination(frozen[i][0]), frozen[i][1])) in built
                )
                if chosen:
                    found.append(Winners(nomination, chosen, counts[best[0]]))
                    continue
            shortlist = shortlists[nomination]
            if shortlist:
                best_score = shortlist[0].facts.score
                found.append(
                    Winners(
                        nomination,
                        tuple(c for c in shortlist if c.facts.score == best_score),
                        None,
                    )
                )
        if not found:
            return AwardRefusal.NO_WINNERS
        return Publication(school, contest.year, tuple(found))

    async def letters(
        self, school: Organization, year_id: int | None
    ) -> list[Letter] | AwardRefusal:
        """A thank-you letter per winner (each person of a winning pair gets their own)."""
        published = await self.publication(school, year_id)
        if isinstance(published, AwardRefusal):
            return published

        def draw() -> list[Letter]:
            made = []
            for winners in published.winners:
                nomination = title_of(winners.nomination)
                for candidate in winners.candidates:
                    for person_id, name in candidate.people:
                        partners = ", ".join(n for p, n in candidate.people if p != person_id)
                        content = documents.letter(
                            school.name, name, nomination, published.year, partners
                        )
                        made.append(
                            Letter(f"letter_{winners.nomination}_{person_id}.docx", content)
                        )
            return made

        made = await asyncio.to_thread(draw)
        log.info("award letters made school_id=%s letters=%s", school.id, len(made))
        return made
