"""The aggregate SQL of the monitoring reports (issue 14): counts only, never answers or names.

A school year is a set of pairs: the open year's pairs have no `school_year_id`, a closed
year's carry its id. Meetings and feedback belong to the year of their pair. Large schools are
read a slice of pairs at a time, so one report never holds the event loop for long."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from storage.db import Database, Row, from_db_time, to_db_time
from storage.meetings import held_sql
from storage.models import (
    ConsentKind,
    Decision,
    FormStatus,
    MeetingStatus,
    OrderKind,
    PairStatus,
    ProgramSurveyStage,
    Role,
    SchoolOrder,
)

# Pairs per statement when meetings are counted: ~2,500 meetings, ~30 ms of the loop.
PAIR_SLICE = 100
RESPONSE_PAGE = 1000


class EndReason(StrEnum):
    """How a pair's program ended, for the report: `pairs.status` and `pairs.end_reason`."""

    COMPLETED = "completed"  # carried out (both sides confirmed), or closed with the year
    MENTOR = "mentor"  # early, by the mentor
    MENTEE = "mentee"  # early, by the mentee
    MUTUAL = "mutual"  # early, by mutual decision
    NOT_CARRIED_OUT = "not_carried_out"  # by the curator: «программа не реализована»
    LEFT = "left"  # «выбыл»: withdrew consent or left the school
    REPLACE_MENTOR = "replace_mentor"  # the mentee asked for another mentor
    RELEASE_MENTOR = "release_mentor"  # the mentor asked to be released
    OTHER = "other"


# The request's free text follows its kind («replace_mentor: …»): only the kind is read.
_REASON_SQL = (
    "CASE WHEN p.status = 'completed' OR p.end_reason IN ('year_closed', 'completed')"
    " THEN 'completed'"
    " WHEN p.end_reason IN ('mentor', 'mentee', 'mutual', 'not_carried_out', 'left')"
    " THEN p.end_reason"
    " WHEN p.end_reason = 'consent_withdrawn' THEN 'left'"
    " WHEN p.end_reason LIKE 'replace_mentor%' THEN 'replace_mentor'"
    " WHEN p.end_reason LIKE 'release_mentor%' THEN 'release_mentor'"
    " ELSE 'other' END"
)


class PracticeLevel(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    FEDERAL = "federal"


@dataclass(frozen=True)
class PracticeEvent:
    id: int
    organization_id: int
    name: str
    level: PracticeLevel
    held_on: date
    participants: int
    result: str
    link: str


@dataclass(frozen=True)
class CuratorContacts:
    full_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class PairCount:
    form: str
    kind: str
    pairs: int


@dataclass(frozen=True)
class Outcomes:
    active: int
    ended: dict[EndReason, int]

    @property
    def completed(self) -> int:
        return self.ended.get(EndReason.COMPLETED, 0)

    @property
    def ended_early(self) -> int:
        return sum(n for reason, n in self.ended.items() if reason is not EndReason.COMPLETED)


@dataclass(frozen=True)
class MonthMeetings:
    month: str  # YYYY-MM (UTC)
    held: int
    planned: int  # still ahead
    missed: int  # its time passed and it was not held
    cancelled: int
    feedback: int  # feedback forms sent in


@dataclass(frozen=True)
class SchoolPairs:
    """A school's pairs of one year, for the district's table."""

    organization_id: int
    year_id: int | None
    form: str
    pairs: int
    completed: int


@dataclass(frozen=True)
class ScaleAnswers:
    """One respondent's answers to a satisfaction survey (only the numbers)."""

    role: Role
    answers: dict[str, int]


@dataclass(frozen=True)
class GrowthAnswers:
    """One participant's growth self-assessment at a program's start and at its completion
    (only the numbers): matched by person in SQL, so who answered never leaves storage."""

    before: dict[str, int]
    after: dict[str, int]


def _numbers(raw: str) -> dict[str, int]:
    answers = json.loads(raw)
    return {
        key: value
        for key, value in answers.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


class ReportsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- the figures of one school year ---

    @staticmethod
    def _year(year_id: int | None) -> str:
        return "p.school_year_id IS NULL" if year_id is None else "p.school_year_id = ?"

    @staticmethod
    def _params(organization_id: int, year_id: int | None) -> tuple[int, ...]:
        return (organization_id,) if year_id is None else (organization_id, year_id)

    async def pair_ids(self, organization_id: int, year_id: int | None) -> list[int]:
        """Pairs and groups of the year that started working (all their meetings count)."""
        rows = await self._db.fetch_all(
            "SELECT p.id FROM pairs p WHERE p.organization_id = ?"
            f" AND {self._year(year_id)} AND p.activated_at IS NOT NULL ORDER BY p.id",
            self._params(organization_id, year_id),
        )
        return [int(row["id"]) for row in rows]

    async def pair_counts(self, organization_id: int, year_id: int | None) -> list[PairCount]:
        rows = await self._db.fetch_all(
            "SELECT p.form, p.kind, COUNT(*) AS n FROM pairs p WHERE p.organization_id = ?"
            f" AND {self._year(year_id)} AND p.activated_at IS NOT NULL"
            " GROUP BY p.form, p.kind ORDER BY p.form, p.kind",
            self._params(organization_id, year_id),
        )
        return [PairCount(row["form"], row["kind"], int(row["n"])) for row in rows]

    async def participants(self, organization_id: int, year_id: int | None) -> dict[Role, int]:
        """Distinct people who worked in the year's pairs, by their role in them."""
        rows = await self._db.fetch_all(
            "SELECT pp.role, COUNT(DISTINCT pp.person_id) AS n FROM pair_participants pp"
            " JOIN pairs p ON p.id = pp.pair_id WHERE p.organization_id = ?"
            f" AND {self._year(year_id)} AND p.activated_at IS NOT NULL AND pp.decision = ?"
            " GROUP BY pp.role",
            (*self._params(organization_id, year_id), Decision.ACCEPTED.value),
        )
        return {Role(row["role"]): int(row["n"]) for row in rows}

    async def outcomes(self, organization_id: int, year_id: int | None) -> Outcomes:
        rows = await self._db.fetch_all(
            f"SELECT p.status, {_REASON_SQL} AS reason, COUNT(*) AS n FROM pairs p"
            f" WHERE p.organization_id = ? AND {self._year(year_id)}"
            " AND p.activated_at IS NOT NULL AND p.status IN (?, ?, ?)"
            f" GROUP BY p.status, {_REASON_SQL}",
            (
                *self._params(organization_id, year_id),
                PairStatus.ACTIVE.value,
                PairStatus.ENDED.value,
                PairStatus.COMPLETED.value,
            ),
        )
        active = 0
        ended: dict[EndReason, int] = {}
        for row in rows:
            if row["status"] == PairStatus.ACTIVE:
                active += int(row["n"])
            else:
                ended[EndReason(row["reason"])] = int(row["n"])
        return Outcomes(active, ended)

    async def confirmed_programs(self, pair_ids: list[int]) -> int:
        total = 0
        for start in range(0, len(pair_ids), PAIR_SLICE):
            chunk = pair_ids[start : start + PAIR_SLICE]
            marks = ", ".join("?" for _ in chunk)
            row = await self._db.fetch_one(
                f"SELECT COUNT(*) AS n FROM programs WHERE pair_id IN ({marks})"
                " AND confirmed_at IS NOT NULL",
                chunk,
            )
            total += int(row["n"]) if row else 0
        return total

    async def meetings_by_month(self, pair_ids: list[int], now: datetime) -> list[MonthMeetings]:
        """Meetings of these pairs by the month they were (to be) held, a slice of pairs per
        statement. Held is `held_sql`, read once per meeting."""
        stamp = to_db_time(now)
        months: dict[str, list[int]] = {}
        for start in range(0, len(pair_ids), PAIR_SLICE):
            chunk = pair_ids[start : start + PAIR_SLICE]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT t.month, SUM(t.held) AS held,"
                " SUM(CASE WHEN t.status <> ? AND t.starts_at > ? THEN 1 ELSE 0 END) AS planned,"
                " SUM(CASE WHEN t.status <> ? AND t.starts_at <= ? AND t.held = 0"
                " THEN 1 ELSE 0 END) AS missed,"
                " SUM(CASE WHEN t.status = ? THEN 1 ELSE 0 END) AS cancelled,"
                " SUM(t.feedback) AS feedback FROM ("
                " SELECT SUBSTR(m.starts_at, 1, 7) AS month, m.status, m.starts_at,"
                f" CASE WHEN {held_sql()} THEN 1 ELSE 0 END AS held,"
                " (SELECT COUNT(*) FROM meeting_feedback f JOIN form_sessions s"
                " ON s.id = f.session_id AND s.status = ? WHERE f.meeting_id = m.id) AS feedback"
                f" FROM meetings m WHERE m.pair_id IN ({marks})) t GROUP BY t.month",
                (
                    MeetingStatus.CANCELLED.value,
                    stamp,
                    MeetingStatus.CANCELLED.value,
                    stamp,
                    MeetingStatus.CANCELLED.value,
                    stamp,
                    FormStatus.SUBMITTED.value,
                    *chunk,
                ),
            )
            for row in rows:
                counts = months.setdefault(row["month"], [0, 0, 0, 0, 0])
                for index, name in enumerate(("held", "planned", "missed", "cancelled")):
                    counts[index] += int(row[name] or 0)
                counts[4] += int(row["feedback"] or 0)
            await asyncio.sleep(0)
        return [MonthMeetings(month, *counts) for month, counts in sorted(months.items())]

    async def waiting_since(
        self, organization_id: int, questionnaire: str, student: str
    ) -> list[datetime]:
        """When each mentee waiting for a mentor submitted the questionnaire: the bank's
        WAITING (bot/participation/banks.py) as one aggregate query, since the bank itself reads
        every answer of the school (~0.8 s of the loop for 5,000 mentees). Waiting: the latest
        questionnaire submitted, no place held in a pair, and for a student the parent's consent.
        `+ 0` and `|| ''` (no index serves an expression) keep the planner on the per-person
        indexes: a school-wide index made it quadratic, 13 s for 5,000 mentees."""
        rows = await self._db.fetch_all(
            "SELECT s.submitted_at FROM role_grants g JOIN form_sessions s"
            " ON s.person_id = g.person_id AND s.organization_id = g.organization_id"
            " AND s.form_id = ? WHERE g.organization_id = ? AND g.role = ? AND s.status = ?"
            " AND s.id = (SELECT MAX(f.id) FROM form_sessions f WHERE f.person_id = s.person_id"
            " AND f.organization_id + 0 = s.organization_id AND f.form_id = s.form_id)"
            " AND NOT EXISTS (SELECT 1 FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
            " WHERE pp.person_id = g.person_id AND pp.role = ? AND p.organization_id + 0 = ?"
            " AND p.status || '' IN (?, ?) AND pp.decision <> ?)"
            " AND NOT (EXISTS (SELECT 1 FROM form_answers a WHERE a.session_id = s.id"
            " AND a.question_id = 'category' AND a.value = ?) AND NOT EXISTS ("
            " SELECT 1 FROM consents c WHERE c.person_id = g.person_id"
            " AND c.organization_id = g.organization_id AND c.kind = ? AND c.withdrawn_at IS NULL"
            " AND c.decision = 'agree' AND c.id = (SELECT MAX(id) FROM consents"
            " WHERE person_id = c.person_id AND organization_id = c.organization_id"
            " AND kind = c.kind)))",
            (
                questionnaire,
                organization_id,
                Role.MENTEE.value,
                FormStatus.SUBMITTED.value,
                Role.MENTEE.value,
                organization_id,
                PairStatus.INVITED.value,
                PairStatus.ACTIVE.value,
                Decision.DECLINED.value,
                json.dumps(student),
                ConsentKind.PARENT.value,
            ),
        )
        return [from_db_time(row["submitted_at"]) for row in rows if row["submitted_at"]]

    async def withdrawals(
        self, organization_id: int, since: datetime | None, until: datetime | None
    ) -> int:
        """People who withdrew their consent in the period: what survives them is this count."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM withdrawals WHERE organization_id = ?"
            " AND withdrawn_at > ? AND withdrawn_at <= ?",
            (organization_id, *_bounds(since, until)),
        )
        return int(row["n"]) if row else 0

    async def scale_answers(
        self,
        organization_id: int,
        form_ids: tuple[str, ...],
        since: datetime | None,
        until: datetime | None,
    ) -> list[ScaleAnswers]:
        """The numeric answers of the school's surveys of these forms launched in the period,
        without who gave them, a page at a time."""
        marks = ", ".join("?" for _ in form_ids)
        campaigns = await self._db.fetch_all(
            f"SELECT id FROM survey_campaigns WHERE organization_id = ? AND form_id IN ({marks})"
            " AND launched_at IS NOT NULL AND launched_at > ? AND launched_at <= ?",
            (organization_id, *form_ids, *_bounds(since, until)),
        )
        found: list[ScaleAnswers] = []
        for campaign in campaigns:
            last = ""
            while True:
                rows = await self._db.fetch_all(
                    "SELECT id, role, answers FROM survey_responses WHERE survey_id = ?"
                    " AND id > ? ORDER BY id LIMIT ?",
                    (campaign["id"], last, RESPONSE_PAGE),
                )
                found += [ScaleAnswers(Role(row["role"]), _numbers(row["answers"])) for row in rows]
                if len(rows) < RESPONSE_PAGE:
                    break
                last = rows[-1]["id"]
                await asyncio.sleep(0)
        return found

    async def growth_answers(self, pair_ids: list[int]) -> list[GrowthAnswers]:
        """The start and completion self-assessments of these pairs' programs, one per
        participant who answered both, a slice of pairs per statement."""
        found: list[GrowthAnswers] = []
        for start in range(0, len(pair_ids), PAIR_SLICE):
            chunk = pair_ids[start : start + PAIR_SLICE]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT b.answers AS before, a.answers AS after FROM program_surveys ps"
                " JOIN program_surveys pe ON pe.pair_id = ps.pair_id AND pe.stage = ?"
                " JOIN survey_responses b ON b.survey_id = ps.survey_id"
                " JOIN survey_responses a ON a.survey_id = pe.survey_id"
                " AND a.person_id = b.person_id"
                f" WHERE ps.stage = ? AND ps.pair_id IN ({marks}) AND b.person_id IS NOT NULL",
                (
                    ProgramSurveyStage.GROWTH_END.value,
                    ProgramSurveyStage.GROWTH_START.value,
                    *chunk,
                ),
            )
            found += [GrowthAnswers(_numbers(r["before"]), _numbers(r["after"])) for r in rows]
            await asyncio.sleep(0)
        return found

    # --- the register: local acts, the curator's contacts, events ---

    async def acts(self, organization_ids: list[int]) -> dict[int, list[SchoolOrder]]:
        """Every recorded act of these schools, the latest first."""
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT id, organization_id, kind, number, signed_on, file_id FROM school_orders"
            f" WHERE organization_id IN ({marks}) ORDER BY signed_on DESC, id DESC",
            organization_ids,
        )
        found: dict[int, list[SchoolOrder]] = {}
        for row in rows:
            found.setdefault(row["organization_id"], []).append(
                SchoolOrder(
                    row["id"],
                    row["organization_id"],
                    OrderKind(row["kind"]),
                    row["number"],
                    date.fromisoformat(row["signed_on"]),
                    row["file_id"],
                )
            )
        return found

    async def set_contacts(
        self, organization_id: int, contacts: CuratorContacts, updated_by: int, now: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO curator_contacts (organization_id, full_name, email, phone, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organization_id) DO UPDATE SET"
            " full_name = excluded.full_name, email = excluded.email, phone = excluded.phone,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (
                organization_id,
                contacts.full_name,
                contacts.email,
                contacts.phone,
                updated_by,
                to_db_time(now),
            ),
        )

    async def contacts(self, organization_ids: list[int]) -> dict[int, CuratorContacts]:
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT organization_id, full_name, email, phone FROM curator_contacts"
            f" WHERE organization_id IN ({marks})",
            organization_ids,
        )
        return {
            row["organization_id"]: CuratorContacts(row["full_name"], row["email"], row["phone"])
            for row in rows
        }

    async def add_event(
        self,
        organization_id: int,
        name: str,
        level: PracticeLevel,
        held_on: date,
        participants: int,
        result: str,
        link: str,
        created_by: int,
        now: datetime,
    ) -> PracticeEvent:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO practice_events (organization_id, name, level, held_on,"
                " participants, result, link, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    organization_id,
                    name,
                    level.value,
                    held_on.isoformat(),
                    participants,
                    result,
                    link,
                    created_by,
                    to_db_time(now),
                ),
            )
        assert row is not None
        return PracticeEvent(
            int(row["id"]), organization_id, name, level, held_on, participants, result, link
        )

    async def events(self, organization_ids: list[int]) -> dict[int, list[PracticeEvent]]:
        """Every recorded event of these schools, in date order."""
        if not organization_ids:
            return {}
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT id, organization_id, name, level, held_on, participants, result, link"
            f" FROM practice_events WHERE organization_id IN ({marks}) ORDER BY held_on, id",
            organization_ids,
        )
        found: dict[int, list[PracticeEvent]] = {}
        for row in rows:
            found.setdefault(row["organization_id"], []).append(
                PracticeEvent(
                    row["id"],
                    row["organization_id"],
                    row["name"],
                    PracticeLevel(row["level"]),
                    date.fromisoformat(row["held_on"]),
                    row["participants"],
                    row["result"],
                    row["link"],
                )
            )
        return found

    # --- the district: every school at once ---

    async def district_pairs(self, organization_ids: list[int]) -> list[SchoolPairs]:
        """Pairs that worked, by school, year and form, with how many completed, in one query."""
        if not organization_ids:
            return []
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT p.organization_id, p.school_year_id, p.form, COUNT(*) AS n,"
            f" SUM(CASE WHEN p.status IN (?, ?) AND {_REASON_SQL} = ? THEN 1 ELSE 0 END)"
            " AS completed"
            f" FROM pairs p WHERE p.organization_id IN ({marks}) AND p.activated_at IS NOT NULL"
            " GROUP BY p.organization_id, p.school_year_id, p.form",
            (
                PairStatus.ENDED.value,
                PairStatus.COMPLETED.value,
                EndReason.COMPLETED.value,
                *organization_ids,
            ),
        )
        return [
            SchoolPairs(
                row["organization_id"],
                row["school_year_id"],
                row["form"],
                int(row["n"]),
                int(row["completed"] or 0),
            )
            for row in rows
        ]

    async def closed_years(
        self, organization_ids: list[int]
    ) -> list[tuple[int, int, str, datetime]]:
        """(school, year id, label, closed at) of every closed year of these schools."""
        if not organization_ids:
            return []
        marks = ", ".join("?" for _ in organization_ids)
        rows = await self._db.fetch_all(
            "SELECT organization_id, id, label, closed_at FROM school_years"
            f" WHERE organization_id IN ({marks}) ORDER BY closed_at",
            organization_ids,
        )
        return [
            (row["organization_id"], row["id"], row["label"], from_db_time(row["closed_at"]))
            for row in rows
        ]


@dataclass(frozen=True)
class MonitoringRequest:
    id: int
    district_id: int
    deadline: datetime
    created_at: datetime
    reminded_at: datetime | None


@dataclass(frozen=True)
class MonitoringFigures:
    """What a school's confirmation records: the report's counts at that moment."""

    mentors: int
    mentees: int
    pairs: int
    completed: int
    meetings_held: int
    events: int


@dataclass(frozen=True)
class MonitoringSubmission:
    organization_id: int
    submitted_at: datetime
    late: bool
    figures: MonitoringFigures


_REQUEST = "id, district_id, deadline, created_at, reminded_at"
_FIGURES = ("mentors", "mentees", "pairs", "completed", "meetings_held", "events")


def _request(row: Row) -> MonitoringRequest:
    return MonitoringRequest(
        int(row["id"]),
        int(row["district_id"]),
        from_db_time(row["deadline"]),
        from_db_time(row["created_at"]),
        from_db_time(row["reminded_at"]) if row["reminded_at"] else None,
    )


class MonitoringRepo:
    """The control monitoring: a district's requests and the schools' confirmations."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, district_id: int, deadline: datetime, created_by: int, now: datetime
    ) -> MonitoringRequest:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO monitoring_requests (district_id, deadline, created_by, created_at)"
                f" VALUES (?, ?, ?, ?) RETURNING {_REQUEST}",
                (district_id, to_db_time(deadline), created_by, to_db_time(now)),
            )
        assert row is not None
        return _request(row)

    async def get(self, request_id: int) -> MonitoringRequest | None:
        row = await self._db.fetch_one(
            f"SELECT {_REQUEST} FROM monitoring_requests WHERE id = ?", (request_id,)
        )
        return _request(row) if row else None

    async def latest(self, district_id: int) -> MonitoringRequest | None:
        row = await self._db.fetch_one(
            f"SELECT {_REQUEST} FROM monitoring_requests WHERE district_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (district_id,),
        )
        return _request(row) if row else None

    async def claim_reminder(self, request_id: int, now: datetime, not_since: datetime) -> bool:
        """Take the right to remind, unless someone reminded after `not_since` (atomic: two
        taps at once remind once)."""
        changed = await self._db.execute(
            "UPDATE monitoring_requests SET reminded_at = ? WHERE id = ?"
            " AND (reminded_at IS NULL OR reminded_at <= ?)",
            (to_db_time(now), request_id, to_db_time(not_since)),
        )
        return changed == 1

    async def submit(
        self,
        request_id: int,
        organization_id: int,
        submitted_by: int,
        now: datetime,
        late: bool,
        figures: MonitoringFigures,
    ) -> bool:
        """Record the school's confirmation once; False when it was recorded already."""
        marks = ", ".join("?" for _ in _FIGURES)
        inserted = await self._db.execute(
            "INSERT INTO monitoring_submissions (request_id, organization_id, submitted_by,"
            f" submitted_at, late, {', '.join(_FIGURES)}) VALUES (?, ?, ?, ?, ?, {marks})"
            " ON CONFLICT (request_id, organization_id) DO NOTHING",
            (
                request_id,
                organization_id,
                submitted_by,
                to_db_time(now),
                1 if late else 0,
                *(getattr(figures, name) for name in _FIGURES),
            ),
        )
        return inserted == 1

    async def submissions(self, request_id: int) -> dict[int, MonitoringSubmission]:
        rows = await self._db.fetch_all(
            f"SELECT organization_id, submitted_at, late, {', '.join(_FIGURES)}"
            " FROM monitoring_submissions WHERE request_id = ?",
            (request_id,),
        )
        return {
            int(row["organization_id"]): MonitoringSubmission(
                int(row["organization_id"]),
                from_db_time(row["submitted_at"]),
                bool(row["late"]),
                MonitoringFigures(*(int(row[name]) for name in _FIGURES)),
            )
            for row in rows
        }


def _bounds(since: datetime | None, until: datetime | None) -> tuple[str, str]:
    """A period as two comparable texts; an open end is the far past or future."""
    return (
        to_db_time(since) if since else "",
        to_db_time(until) if until else "9999",
    )
