from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.db import Database, Row, from_db_time, to_db_time
from storage.meetings import ahead_sql, held_sql
from storage.models import (
    FormStatus,
    MeetingKind,
    ProgramChangeStatus,
    ProgramEndReason,
    ProgramStatus,
    ProgramSurveyStage,
)


@dataclass(frozen=True)
class Program:
    pair_id: int
    session_id: int
    status: ProgramStatus
    revision: int
    confirmed_at: datetime | None
    ends_on: date | None = None  # an end date agreed later (an extension)


@dataclass(frozen=True)
class ProgramTerm:
    """When a confirmed program starts and how many months it runs (or the end date agreed
    later, `ends_on`)."""

    pair_id: int
    organization_id: int
    start: date
    months: int
    ends_on: date | None = None


@dataclass(frozen=True)
class DueProgram:
    """A program whose look by an hourly sweep has come: its term (None when it is no
    longer a confirmed program of a working pair), and for the final-meeting check whether
    the final meeting was held and when the next one planned starts."""

    pair_id: int
    mark: str  # sweep_at / final_at as stored: moved on only if nothing marked it meanwhile
    term: ProgramTerm | None
    final_held: bool = False
    final_ahead: datetime | None = None


@dataclass(frozen=True)
class ProgramChange:
    """A change proposed by one side: a new end date and/or a new plan of activities."""

    id: int
    pair_id: int
    proposed_by: int | None
    ends_on: date | None
    activities: str | None
    status: ProgramChangeStatus


@dataclass(frozen=True)
class ProgramRevision:
    """One accepted version of the program, as agreed."""

    revision: int
    answers: dict[str, Any]
    ends_on: date | None
    change_id: int | None
    accepted_at: datetime


@dataclass(frozen=True)
class ProgramEnding:
    pair_id: int
    reason: ProgramEndReason
    note: str
    initiated_by: int | None
    requested_at: datetime
    effective_on: date
    ended_at: datetime | None


_TERMS = (
    "SELECT p.id, p.organization_id, s.value AS start, n.value AS months, pr.ends_on FROM pairs p"
    " JOIN programs pr ON pr.pair_id = p.id AND pr.status = ?"
    " JOIN form_answers s ON s.session_id = pr.session_id AND s.question_id = 'start_date'"
    " JOIN form_answers n ON n.session_id = pr.session_id AND n.question_id = 'months'"
    " WHERE p.status = 'active'"
)


# A due program with what its term needs, read through the index of the sweep's column.
_DUE = (
    "SELECT pr.pair_id AS id, pr.{column} AS mark, p.organization_id,"
    " CASE WHEN pr.status = ? AND p.status = 'active' THEN 1 ELSE 0 END AS working,"
    " s.value AS start, n.value AS months, pr.ends_on{extra} FROM programs pr"
    " JOIN pairs p ON p.id = pr.pair_id"
    " LEFT JOIN form_answers s ON s.session_id = pr.session_id AND s.question_id = 'start_date'"
    " LEFT JOIN form_answers n ON n.session_id = pr.session_id AND n.question_id = 'months'"
    " WHERE pr.{column} <= ? ORDER BY pr.{column} LIMIT ?"
)
_FINAL = (
    ", (SELECT MAX(CASE WHEN {held} THEN 1 ELSE 0 END) FROM meetings m"
    " WHERE m.pair_id = pr.pair_id AND m.kind = ?) AS final_held,"
    " (SELECT MIN(m.starts_at) FROM meetings m WHERE m.pair_id = pr.pair_id AND m.kind = ?"
    " AND {ahead}) AS final_ahead"
)


class ProgramsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def due_for_sweep(self, now: datetime, limit: int) -> list[DueProgram]:
        """Up to `limit` programs whose completion-sweep look has come, earliest first."""
        rows = await self._db.fetch_all(
            _DUE.format(column="sweep_at", extra=""),
            (ProgramStatus.CONFIRMED.value, to_db_time(now), limit),
        )
        return [
            DueProgram(row["id"], row["mark"], _term(row) if row["working"] else None)
            for row in rows
        ]

    async def due_for_final(self, now: datetime, limit: int) -> list[DueProgram]:
        """Up to `limit` programs whose final-meeting look has come, with their final
        meetings held and ahead, in one query."""
        stamp = to_db_time(now)
        extra = _FINAL.format(held=held_sql(), ahead=ahead_sql())
        final = MeetingKind.FINAL.value
        rows = await self._db.fetch_all(
            _DUE.format(column="final_at", extra=extra),
            (ProgramStatus.CONFIRMED.value, stamp, final, final, stamp, stamp, limit),
        )
        return [
            DueProgram(
                row["id"],
                row["mark"],
                _term(row) if row["working"] else None,
                bool(row["final_held"]),
                from_db_time(row["final_ahead"]) if row["final_ahead"] else None,
            )
            for row in rows
        ]

    async def swept(self, column: str, looked: list[tuple[DueProgram, datetime | None]]) -> None:
        """Each program looked at is due again at the moment given (None: only when something
        happens to it); a program marked while the sweep looked keeps its mark."""
        assert column in ("sweep_at", "final_at")
        async with self._db.transaction() as conn:
            await conn.executemany(
                f"UPDATE programs SET {column} = ? WHERE pair_id = ? AND {column} = ?",
                [(to_db_time(at) if at else None, due.pair_id, due.mark) for due, at in looked],
            )

    async def sweep_with(self, name: str, value: str, now: datetime) -> None:
        """The programs' sweep_at (or final_at) were computed with some settings: when they
        differ from `value`, every confirmed program is looked at again, once."""
        column = {"program_sweep": "sweep_at", "program_final": "final_at"}[name]
        async with self._db.transaction() as conn:
            row = await conn.fetch_one("SELECT value FROM sweep_settings WHERE name = ?", (name,))
            if row is not None and row["value"] == value:
                return
            await conn.execute(
                "INSERT INTO sweep_settings (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
            await conn.execute(
                f"UPDATE programs SET {column} = ? WHERE status = ?",
                (to_db_time(now), ProgramStatus.CONFIRMED.value),
            )

    async def terms(self) -> list[ProgramTerm]:
        """The confirmed programs of every active pair, in one query."""
        return _terms(await self._db.fetch_all(_TERMS, (ProgramStatus.CONFIRMED.value,)))

    async def get(self, pair_id: int) -> Program | None:
        row = await self._db.fetch_one(
            "SELECT pair_id, session_id, status, revision, confirmed_at, ends_on FROM programs"
            " WHERE pair_id = ?",
            (pair_id,),
        )
        if row is None:
            return None
        return Program(
            pair_id=row["pair_id"],
            session_id=row["session_id"],
            status=ProgramStatus(row["status"]),
            revision=row["revision"],
            confirmed_at=from_db_time(row["confirmed_at"]) if row["confirmed_at"] else None,
            ends_on=date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
        )

    async def by_session(self, session_id: int) -> Program | None:
        row = await self._db.fetch_one(
            "SELECT pair_id FROM programs WHERE session_id = ?", (session_id,)
        )
        return await self.get(row["pair_id"]) if row else None

    async def create(self, pair_id: int, session_id: int, now: datetime) -> bool:
        return (
            await self._db.execute(
                "INSERT INTO programs (pair_id, session_id, status, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (pair_id) DO NOTHING",
                (pair_id, session_id, ProgramStatus.DRAFT.value, to_db_time(now)),
            )
            == 1
        )

    async def set_status(
        self,
        pair_id: int,
        expected: tuple[ProgramStatus, ...],
        status: ProgramStatus,
        now: datetime,
    ) -> bool:
        """Move the program on if it is still in one of the `expected` states. Leaving the
        confirmed state starts a new revision, which needs both sides again."""
        marks = ", ".join("?" for _ in expected)
        return (
            await self._db.execute(
                # A program confirmed (or no longer) is looked at by the next sweeps.
                f"UPDATE programs SET status = ?, updated_at = ?, sweep_at = updated_at,"
                " final_at = updated_at, confirmed_at = COALESCE(?, confirmed_at),"
                " revision = CASE WHEN status = ? THEN revision + 1 ELSE revision END"
                f" WHERE pair_id = ? AND status IN ({marks})",
                (
                    status.value,
                    to_db_time(now),
                    to_db_time(now) if status is ProgramStatus.CONFIRMED else None,
                    ProgramStatus.CONFIRMED.value,
                    pair_id,
                    *(s.value for s in expected),
                ),
            )
            == 1
        )

    # --- revisions: every accepted version is kept ---

    async def record_revision(
        self, pair_id: int, answers: dict[str, Any], change_id: int | None, now: datetime
    ) -> None:
        """Keep the program as it stands now (confirmed) as its current revision."""
        program = await self.get(pair_id)
        if program is None:
            return
        await self._db.execute(
            "INSERT INTO program_revisions (pair_id, revision, answers, ends_on, change_id,"
            " accepted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pair_id, revision) DO NOTHING",
            (
                pair_id,
                program.revision,
                json.dumps(answers, ensure_ascii=False),
                program.ends_on.isoformat() if program.ends_on else None,
                change_id,
                to_db_time(now),
            ),
        )

    async def revisions(self, pair_id: int) -> list[ProgramRevision]:
        rows = await self._db.fetch_all(
            "SELECT revision, answers, ends_on, change_id, accepted_at FROM program_revisions"
            " WHERE pair_id = ? ORDER BY revision",
            (pair_id,),
        )
        return [
            ProgramRevision(
                row["revision"],
                json.loads(row["answers"]),
                date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
                row["change_id"],
                from_db_time(row["accepted_at"]),
            )
            for row in rows
        ]

    # --- changes by mutual agreement ---

    async def propose_change(
        self,
        pair_id: int,
        person_id: int,
        ends_on: date | None,
        activities: str | None,
        now: datetime,
    ) -> int | None:
        """None when another change of the pair is still pending."""
        pending = ProgramChangeStatus.PENDING.value
        async with self._db.transaction() as conn:
            if await conn.fetch_one(
                "SELECT 1 FROM program_changes WHERE pair_id = ? AND status = ?",
                (pair_id, pending),
            ):
                return None
            row = await conn.fetch_one(
                "INSERT INTO program_changes (pair_id, proposed_by, ends_on, activities, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    pair_id,
                    person_id,
                    ends_on.isoformat() if ends_on else None,
                    activities,
                    pending,
                    to_db_time(now),
                ),
            )
            return int(row["id"]) if row else None

    async def change(self, change_id: int) -> ProgramChange | None:
        row = await self._db.fetch_one(
            "SELECT id, pair_id, proposed_by, ends_on, activities, status FROM program_changes"
            " WHERE id = ?",
            (change_id,),
        )
        return _change(row) if row else None

    async def pending_change(self, pair_id: int) -> ProgramChange | None:
        row = await self._db.fetch_one(
            "SELECT id, pair_id, proposed_by, ends_on, activities, status FROM program_changes"
            " WHERE pair_id = ? AND status = ?",
            (pair_id, ProgramChangeStatus.PENDING.value),
        )
        return _change(row) if row else None

    async def decide_change(
        self, change: ProgramChange, accept: bool, person_id: int, now: datetime
    ) -> bool:
        """Accept (the program takes the change as a new revision) or decline, once; all in one
        transaction, so two answers racing apply it at most once."""
        stamp = to_db_time(now)
        status = ProgramChangeStatus.ACCEPTED if accept else ProgramChangeStatus.DECLINED
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE program_changes SET status = ?, decided_by = ?, decided_at = ?"
                " WHERE id = ? AND status = ?",
                (status.value, person_id, stamp, change.id, ProgramChangeStatus.PENDING.value),
            )
            if cursor.rowcount != 1:
                return False
            if not accept:
                return True
            if change.activities is not None:
                await conn.execute(
                    "INSERT INTO form_answers (session_id, question_id, value, answered_at)"
                    " SELECT session_id, 'activities', ?, ? FROM programs WHERE pair_id = ?"
                    " ON CONFLICT (session_id, question_id)"
                    " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                    (json.dumps(change.activities, ensure_ascii=False), stamp, change.pair_id),
                )
            await conn.execute(
                "UPDATE programs SET revision = revision + 1, updated_at = ?,"
                " sweep_at = updated_at, final_at = updated_at,"
                " ends_on = COALESCE(?, ends_on) WHERE pair_id = ?",
                (stamp, change.ends_on.isoformat() if change.ends_on else None, change.pair_id),
            )
        return True

    # --- the end: both sides' agreement, the ending, the monitoring surveys ---

    async def agree(
        self, pair_id: int, person_id: int, kind: ProgramEndReason, now: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO program_agreements (pair_id, person_id, kind, agreed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (pair_id, person_id, kind) DO NOTHING",
            (pair_id, person_id, kind.value, to_db_time(now)),
        )

    async def agreed(self, pair_id: int, kind: ProgramEndReason) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT person_id FROM program_agreements WHERE pair_id = ? AND kind = ?",
            (pair_id, kind.value),
        )
        return {row["person_id"] for row in rows}

    async def start_ending(
        self,
        pair_id: int,
        reason: ProgramEndReason,
        note: str,
        initiated_by: int | None,
        effective_on: date,
        now: datetime,
    ) -> bool:
        """Record how the program ends, once: of two endings started together, one wins."""
        return (
            await self._db.execute(
                "INSERT INTO program_endings (pair_id, reason, note, initiated_by, requested_at,"
                " effective_on) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pair_id) DO NOTHING",
                (
                    pair_id,
                    reason.value,
                    note,
                    initiated_by,
                    to_db_time(now),
                    effective_on.isoformat(),
                ),
            )
            == 1
        )

    async def ending(self, pair_id: int) -> ProgramEnding | None:
        row = await self._db.fetch_one(
            "SELECT * FROM program_endings WHERE pair_id = ?", (pair_id,)
        )
        return _ending(row) if row else None

    async def due_endings(self, today: date) -> list[ProgramEnding]:
        """Endings whose day has come and whose pair has not ended yet."""
        rows = await self._db.fetch_all(
            "SELECT * FROM program_endings WHERE ended_at IS NULL AND effective_on <= ?",
            (today.isoformat(),),
        )
        return [_ending(row) for row in rows]

    async def claim_survey(self, pair_id: int, stage: ProgramSurveyStage, now: datetime) -> bool:
        """Take the right to send this stage's survey, once."""
        return (
            await self._db.execute(
                "INSERT INTO program_surveys (pair_id, stage, sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT (pair_id, stage) DO NOTHING",
                (pair_id, stage.value, to_db_time(now)),
            )
            == 1
        )

    async def set_survey(self, pair_id: int, stage: ProgramSurveyStage, survey_id: int) -> None:
        await self._db.execute(
            "UPDATE program_surveys SET survey_id = ? WHERE pair_id = ? AND stage = ?",
            (survey_id, pair_id, stage.value),
        )

    async def surveys(self, pair_id: int) -> dict[ProgramSurveyStage, int]:
        rows = await self._db.fetch_all(
            "SELECT stage, survey_id FROM program_surveys WHERE pair_id = ?"
            " AND survey_id IS NOT NULL",
            (pair_id,),
        )
        return {ProgramSurveyStage(row["stage"]): int(row["survey_id"]) for row in rows}

    async def feedback_on_final(self, pair_id: int, person_id: int, now: datetime) -> bool | None:
        """None: the pair has no held final meeting; else whether this person gave feedback on
        it (storage.meetings.held_sql decides «held»)."""
        row = await self._db.fetch_one(
            "SELECT MAX(CASE WHEN EXISTS (SELECT 1 FROM meeting_feedback f"
            " JOIN form_sessions s ON s.id = f.session_id AND s.status = ?"
            " WHERE f.meeting_id = m.id AND f.person_id = ?) THEN 1 ELSE 0 END) AS given"
            f" FROM meetings m WHERE m.pair_id = ? AND m.kind = ? AND {held_sql()}",
            (
                FormStatus.SUBMITTED.value,
                person_id,
                pair_id,
                MeetingKind.FINAL.value,
                to_db_time(now),
            ),
        )
        if row is None or row["given"] is None:
            return None
        return bool(row["given"])


def _terms(rows: list[Row]) -> list[ProgramTerm]:
    return [term for row in rows if (term := _term(row)) is not None]


def _term(row: Row) -> ProgramTerm | None:
    start = json.loads(row["start"]) if row["start"] else None
    months = json.loads(row["months"]) if row["months"] else None
    if not start or not months:
        return None
    return ProgramTerm(
        row["id"],
        row["organization_id"],
        date.fromisoformat(str(start)),
        int(months),
        date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
    )


def _change(row: Row) -> ProgramChange:
    return ProgramChange(
        row["id"],
        row["pair_id"],
        row["proposed_by"],
        date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
        row["activities"],
        ProgramChangeStatus(row["status"]),
    )


def _ending(row: Row) -> ProgramEnding:
    return ProgramEnding(
        row["pair_id"],
        ProgramEndReason(row["reason"]),
        row["note"],
        row["initiated_by"],
        from_db_time(row["requested_at"]),
        date.fromisoformat(row["effective_on"]),
        from_db_time(row["ended_at"]) if row["ended_at"] else None,
    )
