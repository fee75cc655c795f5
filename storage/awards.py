"""The facts the awards' shortlist is scored from, per pair of one school year, and the votes
on a shortlist (issue 14). Counts and numbers only: names come from the banks, and the answers
of anonymous surveys arrive without who gave them."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.meetings import held_sql
from storage.models import Decision, FormStatus, ProgramSurveyStage, Role
from storage.reports import PAIR_SLICE

# The program's completed as the monitoring report counts it (storage/reports.py): carried out,
# or working until the school year closed.
_COMPLETED_SQL = (
    "CASE WHEN p.status = 'completed' OR p.end_reason IN ('year_closed', 'completed')"
    " THEN 1 ELSE 0 END"
)
_STAGES = (
    ProgramSurveyStage.FINAL_MENTOR,
    ProgramSurveyStage.FINAL_MENTEE,
    ProgramSurveyStage.GROWTH_START,
    ProgramSurveyStage.GROWTH_END,
)


@dataclass(frozen=True)
class PairFacts:
    """One pair or group of the year, as the score reads it."""

    pair_id: int
    mentor_id: int
    mentee_ids: tuple[int, ...]  # those who accepted
    kind: str
    completed: bool
    meetings_held: int
    feedback: int  # feedback forms sent in by the pair's participants


@dataclass(frozen=True)
class StageAnswers:
    """One response to one of a program's own surveys: only its numbers. `person_id` is None
    for the anonymous satisfaction questionnaires."""

    pair_id: int
    stage: ProgramSurveyStage
    person_id: int | None
    role: Role
    numbers: dict[str, int]


@dataclass(frozen=True)
class AwardVote:
    id: int
    organization_id: int
    year_label: str
    nomination: str
    survey_id: int | None
    candidates: tuple[tuple[str, int], ...]  # (kind, id) in the order of the options
    created_at: datetime


class AwardsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pair_facts(
        self, organization_id: int, year_id: int | None, now: datetime
    ) -> list[PairFacts]:
        """Every pair of the year that started working, with its completion, held meetings and
        feedback, a slice of pairs per statement."""
        year = "p.school_year_id IS NULL" if year_id is None else "p.school_year_id = ?"
        rows = await self._db.fetch_all(
            f"SELECT p.id, p.mentor_id, p.kind, {_COMPLETED_SQL} AS completed FROM pairs p"
            f" WHERE p.organization_id = ? AND {year} AND p.activated_at IS NOT NULL"
            " ORDER BY p.id",
            (organization_id,) if year_id is None else (organization_id, year_id),
        )
        ids = [int(row["id"]) for row in rows]
        mentees: dict[int, list[int]] = {}
        counts: dict[int, tuple[int, int]] = {}
        for start in range(0, len(ids), PAIR_SLICE):
            chunk = ids[start : start + PAIR_SLICE]
            marks = ", ".join("?" for _ in chunk)
            for row in await self._db.fetch_all(
                "SELECT pair_id, person_id FROM pair_participants"
                f" WHERE pair_id IN ({marks}) AND role = ? AND decision = ? ORDER BY person_id",
                (*chunk, Role.MENTEE.value, Decision.ACCEPTED.value),
            ):
                mentees.setdefault(int(row["pair_id"]), []).append(int(row["person_id"]))
            for row in await self._db.fetch_all(
                f"SELECT m.pair_id, SUM(CASE WHEN {held_sql()} THEN 1 ELSE 0 END) AS held,"
                " SUM((SELECT COUNT(*) FROM meeting_feedback f JOIN form_sessions s"
                " ON s.id = f.session_id AND s.status = ? WHERE f.meeting_id = m.id)) AS feedback"
                f" FROM meetings m WHERE m.pair_id IN ({marks}) GROUP BY m.pair_id",
                (to_db_time(now), FormStatus.SUBMITTED.value, *chunk),
            ):
                counts[int(row["pair_id"])] = (int(row["held"] or 0), int(row["feedback"] or 0))
            await asyncio.sleep(0)
        return [
            PairFacts(
                int(row["id"]),
                int(row["mentor_id"]),
                tuple(mentees.get(int(row["id"]), ())),
                row["kind"],
                bool(row["completed"]),
                *counts.get(int(row["id"]), (0, 0)),
            )
            for row in rows
        ]

    async def stage_answers(self, pair_ids: list[int]) -> list[StageAnswers]:
        """The numeric answers to these pairs' final satisfaction questionnaires and growth
        self-assessments."""
        found: list[StageAnswers] = []
        stages = [stage.value for stage in _STAGES]
        for start in range(0, len(pair_ids), PAIR_SLICE):
            chunk = pair_ids[start : start + PAIR_SLICE]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT ps.pair_id, ps.stage, r.person_id, r.role, r.answers"
                " FROM program_surveys ps JOIN survey_responses r ON r.survey_id = ps.survey_id"
                f" WHERE ps.pair_id IN ({marks}) AND ps.stage IN (?, ?, ?, ?) ORDER BY r.id",
                (*chunk, *stages),
            )
            for row in rows:
                answers = json.loads(row["answers"])
                found.append(
                    StageAnswers(
                        int(row["pair_id"]),
                        ProgramSurveyStage(row["stage"]),
                        row["person_id"],
                        Role(row["role"]),
                        {
                            key: value
                            for key, value in answers.items()
                            if isinstance(value, int) and not isinstance(value, bool)
                        },
                    )
                )
            await asyncio.sleep(0)
        return found

    # --- votes ---

    async def claim_vote(
        self,
        organization_id: int,
        year_label: str,
        nomination: str,
        candidates: list[tuple[str, int]],
        created_by: int,
        now: datetime,
    ) -> int | None:
        """The vote of this nomination and year, once: None if it exists already."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO award_votes (organization_id, year_label, nomination, candidates,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (organization_id, year_label, nomination) DO NOTHING RETURNING id",
                (
                    organization_id,
                    year_label,
                    nomination,
                    json.dumps(candidates),
                    created_by,
                    to_db_time(now),
                ),
            )
        return int(row["id"]) if row else None

    async def attach_survey(self, vote_id: int, survey_id: int) -> None:
        await self._db.execute(
            "UPDATE award_votes SET survey_id = ? WHERE id = ?", (survey_id, vote_id)
        )

    async def votes(self, organization_id: int, year_label: str) -> dict[str, AwardVote]:
        rows = await self._db.fetch_all(
            "SELECT id, organization_id, year_label, nomination, survey_id, candidates,"
            " created_at FROM award_votes WHERE organization_id = ? AND year_label = ?",
            (organization_id, year_label),
        )
        return {
            row["nomination"]: AwardVote(
                int(row["id"]),
                int(row["organization_id"]),
                row["year_label"],
                row["nomination"],
                row["survey_id"],
                tuple((kind, int(ref)) for kind, ref in json.loads(row["candidates"])),
                from_db_time(row["created_at"]),
            )
            for row in rows
        }
