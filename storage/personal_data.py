"""Everything stored about one person outside their forms and consents, read for /mydata:
their pairs and invitations, the programs and meetings of those pairs, their feedback links,
requests and preferences. Other people appear as ids, for the service to name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row, from_db_time
from storage.models import Decision, PairStatus, Role


@dataclass(frozen=True)
class PairRecord:
    id: int
    organization_id: int
    form: str
    kind: str
    status: PairStatus
    created_at: datetime
    activated_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    # the person's own seat: their role, their answer to the invitation and its reason
    role: Role
    decision: Decision
    decided_at: datetime | None
    reason: str | None
    others: tuple[tuple[int, Role], ...]


@dataclass(frozen=True)
class ProgramRecord:
    pair_id: int
    session_id: int
    status: str
    revision: int
    updated_at: datetime
    confirmed_at: datetime | None


@dataclass(frozen=True)
class MeetingRecord:
    pair_id: int
    kind: str
    starts_at: datetime
    place: str
    topic: str
    status: str
    # the person's feedback form on it, if they filled one
    feedback_session_id: int | None


@dataclass(frozen=True)
class RequestRecord:
    pair_id: int
    kind: str
    reason: str
    status: str
    curator_comment: str | None
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class PreferenceRecord:
    organization_id: int
    chosen_id: int
    side: str
    chosen_at: datetime


@dataclass(frozen=True)
class NoteRecord:
    """A colleague's note on the person as a mentee (seed 001: the class teacher, the
    psychologist)."""

    organization_id: int
    author_id: int
    text: str
    for_mentor: bool
    written_at: datetime


@dataclass(frozen=True)
class PersonalData:
    pairs: tuple[PairRecord, ...]
    programs: tuple[ProgramRecord, ...]
    meetings: tuple[MeetingRecord, ...]
    requests: tuple[RequestRecord, ...]
    preferences: tuple[PreferenceRecord, ...]
    notes: tuple[NoteRecord, ...] = ()


_OF_THEIR_PAIRS = "(SELECT pair_id FROM pair_participants WHERE person_id = ?)"


class PersonalDataRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_person(self, person_id: int) -> PersonalData:
        """Seven queries whatever the number of pairs and meetings."""
        pairs = await self._db.fetch_all(
            "SELECT p.id, p.organization_id, p.form, p.kind, p.status, p.created_at,"
            " p.activated_at, p.ended_at, p.end_reason, me.role, me.decision, me.decided_at,"
            " me.reason FROM pairs p JOIN pair_participants me ON me.pair_id = p.id"
            " WHERE me.person_id = ? ORDER BY p.id",
            (person_id,),
        )
        seats = await self._db.fetch_all(
            "SELECT pair_id, person_id, role FROM pair_participants"
            f" WHERE pair_id IN {_OF_THEIR_PAIRS} AND person_id <> ? ORDER BY role, person_id",
            (person_id, person_id),
        )
        others: dict[int, list[tuple[int, Role]]] = {}
        for seat in seats:
            others.setdefault(seat["pair_id"], []).append((seat["person_id"], Role(seat["role"])))
        programs = await self._db.fetch_all(
            "SELECT pair_id, session_id, status, revision, updated_at, confirmed_at FROM programs"
            f" WHERE pair_id IN {_OF_THEIR_PAIRS} ORDER BY pair_id",
            (person_id,),
        )
        meetings = await self._db.fetch_all(
            "SELECT m.pair_id, m.kind, m.starts_at, m.place, m.topic, m.status, f.session_id"
            " FROM meetings m LEFT JOIN meeting_feedback f ON f.meeting_id = m.id"
            f" AND f.person_id = ? WHERE m.pair_id IN {_OF_THEIR_PAIRS} ORDER BY m.starts_at",
            (person_id, person_id),
        )
        requests = await self._db.fetch_all(
            "SELECT pair_id, kind, reason, status, curator_comment, created_at, decided_at"
            " FROM pair_requests WHERE person_id = ? ORDER BY id",
            (person_id,),
        )
        preferences = await self._db.fetch_all(
            "SELECT organization_id, chosen_id, side, chosen_at FROM preferences"
            " WHERE chooser_id = ? ORDER BY chosen_at",
            (person_id,),
        )
        notes = await self._db.fetch_all(
            "SELECT organization_id, author_id, text, for_mentor, written_at FROM mentee_notes"
            " WHERE mentee_id = ? AND written_at IS NOT NULL ORDER BY written_at",
            (person_id,),
        )
        return PersonalData(
            pairs=tuple(_pair(row, tuple(others.get(row["id"], []))) for row in pairs),
            programs=tuple(
                ProgramRecord(
                    row["pair_id"],
                    row["session_id"],
                    row["status"],
                    row["revision"],
                    from_db_time(row["updated_at"]),
                    _time(row["confirmed_at"]),
                )
                for row in programs
            ),
            meetings=tuple(
                MeetingRecord(
                    row["pair_id"],
                    row["kind"],
                    from_db_time(row["starts_at"]),
                    row["place"],
                    row["topic"],
                    row["status"],
                    row["session_id"],
                )
                for row in meetings
            ),
            requests=tuple(
                RequestRecord(
                    row["pair_id"],
                    row["kind"],
                    row["reason"],
                    row["status"],
                    row["curator_comment"],
                    from_db_time(row["created_at"]),
                    _time(row["decided_at"]),
                )
                for row in requests
            ),
            preferences=tuple(
                PreferenceRecord(
                    row["organization_id"],
                    row["chosen_id"],
                    row["side"],
                    from_db_time(row["chosen_at"]),
                )
                for row in preferences
            ),
            notes=tuple(
                NoteRecord(
                    row["organization_id"],
                    row["author_id"],
                    row["text"],
                    bool(row["for_mentor"]),
                    from_db_time(row["written_at"]),
                )
                for row in notes
            ),
        )


def _time(text: str | None) -> datetime | None:
    return from_db_time(text) if text else None


def _pair(row: Row, others: tuple[tuple[int, Role], ...]) -> PairRecord:
    return PairRecord(
        id=row["id"],
        organization_id=row["organization_id"],
        form=row["form"],
        kind=row["kind"],
        status=PairStatus(row["status"]),
        created_at=from_db_time(row["created_at"]),
        activated_at=_time(row["activated_at"]),
        ended_at=_time(row["ended_at"]),
        end_reason=row["end_reason"],
        role=Role(row["role"]),
        decision=Decision(row["decision"]),
        decided_at=_time(row["decided_at"]),
        reason=row["reason"],
        others=others,
    )
