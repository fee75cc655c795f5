from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Connection, Database, Row, from_db_time, to_db_time
from storage.fsm import FsmWrite
from storage.models import ConsentKind, FormSession, FormStatus

_COLUMNS = (
    "id, person_id, organization_id, subject_person_id, form_id, form_version, status,"
    " current_question, started_at, submitted_at"
)


@dataclass(frozen=True)
class LoadedSession:
    session: FormSession
    answers: dict[str, Any]
    # The text version of the person's personal-data consent for the session's school, if
    # their last decision there (not withdrawn) was to agree: answers are stored only under it.
    consent_version: int | None


# One statement per step: the session, its answers (one row each, or one row of NULLs) and
# the consent on file. Columns of the session are prefixed, the answers' are not.
_LOAD = (
    "SELECT " + ", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(",")) + ","
    " a.question_id, a.value, (SELECT CASE WHEN c.decision = 'agree' THEN c.text_version END"
    " FROM consents c WHERE c.person_id = s.person_id AND c.organization_id = s.organization_id"
    " AND c.kind = ? AND c.withdrawn_at IS NULL ORDER BY c.id DESC LIMIT 1) AS consent_version"
    " FROM form_sessions s LEFT JOIN form_answers a ON a.session_id = s.id WHERE s.id = {session}"
)
_LOAD_BY_ID = _LOAD.format(session="?")
_LOAD_LATEST = _LOAD.format(
    session="(SELECT id FROM form_sessions WHERE person_id = ? AND form_id = ?"
    " AND COALESCE(organization_id, 0) = ? ORDER BY id DESC LIMIT 1)"
)


class FormSessionsRepo:
    """Form sessions and their answers; each answer is committed as it arrives."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(
        self,
        person_id: int,
        organization_id: int | None,
        form_id: str,
        form_version: int,
        first_question: str,
        now: datetime,
        subject_person_id: int | None = None,
    ) -> FormSession:
        stamp = to_db_time(now)
        session_id = await self._db.insert(
            "INSERT INTO form_sessions (person_id, organization_id, subject_person_id, form_id,"
            " form_version, status, current_question, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                organization_id,
                subject_person_id,
                form_id,
                form_version,
                FormStatus.IN_PROGRESS.value,
                first_question,
                stamp,
                stamp,
            ),
        )
        return FormSession(
            id=session_id,
            person_id=person_id,
            organization_id=organization_id,
            subject_person_id=subject_person_id,
            form_id=form_id,
            form_version=form_version,
            status=FormStatus.IN_PROGRESS,
            current_question=first_question,
            started_at=now,
            submitted_at=None,
        )

    async def load(self, session_id: int) -> LoadedSession | None:
        rows = await self._db.fetch_all(_LOAD_BY_ID, (ConsentKind.PERSONAL_DATA.value, session_id))
        return _loaded(rows)

    async def load_latest(
        self, person_id: int, form_id: str, organization_id: int | None
    ) -> LoadedSession | None:
        """The person's newest session of the form there, loaded as `load` does, in the same
        one statement."""
        rows = await self._db.fetch_all(
            _LOAD_LATEST,
            (ConsentKind.PERSONAL_DATA.value, person_id, form_id, organization_id or 0),
        )
        return _loaded(rows)

    async def for_school(self, organization_id: int, form_id: str) -> list[FormSession]:
        """The latest session of each person for this form in the school."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM form_sessions WHERE id IN ("
            " SELECT MAX(id) FROM form_sessions WHERE organization_id = ? AND form_id = ?"
            " GROUP BY person_id)",
            (organization_id, form_id),
        )
        return [_session(row) for row in rows]

    async def names_in_school(self, organization_id: int, form_ids: list[str]) -> dict[int, str]:
        """Person id → the full name given in their latest questionnaire of these forms, in
        one query (a pair screen needs the names, not every answer of the school)."""
        marks = ", ".join("?" for _ in form_ids)
        rows = await self._db.fetch_all(
            "SELECT s.person_id, a.value FROM form_answers a"
            " JOIN form_sessions s ON s.id = a.session_id WHERE a.question_id = 'full_name'"
            " AND s.id IN (SELECT MAX(id) FROM form_sessions WHERE organization_id = ?"
            f" AND form_id IN ({marks}) GROUP BY person_id, form_id)",
            (organization_id, *form_ids),
        )
        return {row["person_id"]: str(json.loads(row["value"]) or "") for row in rows}

    async def answers(self, session_id: int) -> dict[str, Any]:
        rows = await self._db.fetch_all(
            "SELECT question_id, value FROM form_answers WHERE session_id = ?", (session_id,)
        )
        return {row["question_id"]: json.loads(row["value"]) for row in rows}

    async def answers_for(self, session_ids: list[int]) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {session_id: {} for session_id in session_ids}
        for start in range(0, len(session_ids), 500):
            chunk = session_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT session_id, question_id, value FROM form_answers"
                f" WHERE session_id IN ({marks})",
                chunk,
            )
            for row in rows:
                found[row["session_id"]][row["question_id"]] = json.loads(row["value"])
        return found

    async def answer(
        self,
        session_id: int,
        question_id: str,
        value: Any,
        next_question: str,
        now: datetime,
        screen: FsmWrite | None = None,
        submit_keeping: list[str] | None = None,
    ) -> bool:
        """Store one answer, move the session on and (if it changes) the chat's FSM state to
        the screen that follows, in one transaction; with `submit_keeping`, the last answer of
        a form without a summary (a consent) submits it in that transaction too.

        False (nothing written) unless the session is in progress at that very question: a
        double tap or a button from an old message cannot answer twice or out of turn.
        """
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE form_sessions SET current_question = ?, updated_at = ?"
                " WHERE id = ? AND status = ? AND current_question = ?",
                (next_question, stamp, session_id, FormStatus.IN_PROGRESS.value, question_id),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "INSERT INTO form_answers (session_id, question_id, value, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, question_id)"
                " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                (session_id, question_id, json.dumps(value, ensure_ascii=False), stamp),
            )
            if submit_keeping is not None:
                await _close(conn, session_id, submit_keeping, stamp)
            if screen is not None:
                await screen.run(conn)
        if screen is not None:
            screen.committed()
        return True

    async def move(self, session_id: int, expected: str, target: str, now: datetime) -> bool:
        """Show another question (back, edit from the summary) if still at `expected`."""
        return (
            await self._db.execute(
                "UPDATE form_sessions SET current_question = ?, updated_at = ?"
                " WHERE id = ? AND status = ? AND current_question = ?",
                (target, to_db_time(now), session_id, FormStatus.IN_PROGRESS.value, expected),
            )
            == 1
        )

    async def submit(self, session_id: int, keep: list[str], now: datetime) -> bool:
        """Close the session, dropping answers to questions a changed condition hid."""
        async with self._db.transaction() as conn:
            return await _close(conn, session_id, keep, to_db_time(now))

    async def reopen(self, session_id: int, now: datetime) -> bool:
        """A submitted questionnaire opened for changes: back to its summary."""
        return (
            await self._db.execute(
                "UPDATE form_sessions SET status = ?, current_question = '', updated_at = ?"
                " WHERE id = ? AND status = ?",
                (
                    FormStatus.IN_PROGRESS.value,
                    to_db_time(now),
                    session_id,
                    FormStatus.SUBMITTED.value,
                ),
            )
            == 1
        )

    async def all_of(self, person_id: int) -> list[FormSession]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM form_sessions WHERE person_id = ? ORDER BY id", (person_id,)
        )
        return [_session(row) for row in rows]


def _loaded(rows: list[Row]) -> LoadedSession | None:
    if not rows:
        return None
    answers = {
        row["question_id"]: json.loads(row["value"])
        for row in rows
        if row["question_id"] is not None
    }
    return LoadedSession(_session(rows[0]), answers, rows[0]["consent_version"])


def _session(row: Row) -> FormSession:
    return FormSession(
        id=row["id"],
        person_id=row["person_id"],
        organization_id=row["organization_id"],
        subject_person_id=row["subject_person_id"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        status=FormStatus(row["status"]),
        current_question=row["current_question"],
        started_at=from_db_time(row["started_at"]),
        submitted_at=from_db_time(row["submitted_at"]) if row["submitted_at"] else None,
    )


async def _close(conn: Connection, session_id: int, keep: list[str], stamp: str) -> bool:
    """Submit a session in progress, dropping answers to questions a changed condition hid."""
    cursor = await conn.execute(
        "UPDATE form_sessions SET status = ?, submitted_at = ?, updated_at = ?,"
        " current_question = '' WHERE id = ? AND status = ?",
        (FormStatus.SUBMITTED.value, stamp, stamp, session_id, FormStatus.IN_PROGRESS.value),
    )
    if cursor.rowcount != 1:
        return False
    marks = ", ".join("?" for _ in keep) or "''"
    await conn.execute(
        f"DELETE FROM form_answers WHERE session_id = ? AND question_id NOT IN ({marks})",
        (session_id, *keep),
    )
    return True
