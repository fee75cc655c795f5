"""Survey campaigns, their recipients and their responses."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import (
    PairStatus,
    RecipientStatus,
    Role,
    SurveyAudience,
    SurveyCampaign,
    SurveyRecipient,
    SurveyStatus,
)

_COLUMNS = (
    "id, organization_id, form_id, form_version, anonymous, status, audience,"
    " audience_survey_id, deadline, schedule, created_at, launched_at, reminded_at,"
    " district_survey_id"
)
_DISTRICT_COLUMNS = (
    "id, district_id, form_id, form_version, anonymous, audience, deadline, status,"
    " launch_step, created_at"
)
# Rows per statement batch: a launch to a whole district never holds the loop for long.
BATCH = 1000


@dataclass(frozen=True, slots=True)
class Addressee:
    person_id: int
    telegram_id: int
    role: Role


@dataclass(frozen=True)
class DistrictSurvey:
    """A coordinator's survey of the whole district; each school answers its own campaign."""

    id: int
    district_id: int
    form_id: str
    form_version: int
    anonymous: bool
    audience: SurveyAudience  # CURATORS or SCHOOL
    deadline: datetime | None
    status: SurveyStatus  # DRAFT or RUNNING
    launching: bool  # the schools' campaigns are still being made
    created_at: datetime


@dataclass(frozen=True)
class MySurvey:
    """A survey addressed to a person, as their «Опросы» list shows it."""

    campaign: SurveyCampaign
    status: RecipientStatus


@dataclass(frozen=True)
class SchoolOffsets:
    """A school's own offsets; None: the configured default."""

    reminders: tuple[int, ...] | None
    midpoint_percent: int | None
    survey_days: int | None


@dataclass(frozen=True)
class Response:
    person_id: int | None  # None in an anonymous survey
    role: Role
    answers: dict[str, Any]


class SurveysRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        organization_id: int,
        form_id: str,
        form_version: int,
        anonymous: bool,
        created_by: int,
        now: datetime,
    ) -> int:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous,"
                " status, audience, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    organization_id,
                    form_id,
                    form_version,
                    1 if anonymous else 0,
                    SurveyStatus.DRAFT.value,
                    SurveyAudience.SCHOOL.value,
                    created_by,
                    to_db_time(now),
                ),
            )
        assert row is not None
        return int(row["id"])

    async def get(self, survey_id: int) -> SurveyCampaign | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM survey_campaigns WHERE id = ?", (survey_id,)
        )
        return _campaign(row) if row else None

    async def create_with_form(
        self, organization_id: int, prefix: str, body: str, created_by: int, now: datetime
    ) -> int:
        """A curator's own survey and the first version of its form (id: prefix + survey id),
        together: a draft never points at a form that is not stored."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous,"
                " status, audience, created_by, created_at) VALUES (?, '', 1, 1, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    organization_id,
                    SurveyStatus.DRAFT.value,
                    SurveyAudience.SCHOOL.value,
                    created_by,
                    to_db_time(now),
                ),
            )
            assert row is not None
            survey_id = int(row["id"])
            await conn.execute(
                "UPDATE survey_campaigns SET form_id = ? WHERE id = ?",
                (f"{prefix}{survey_id}", survey_id),
            )
            await conn.execute(
                "INSERT INTO survey_forms (form_id, version, body) VALUES (?, 1, ?)",
                (f"{prefix}{survey_id}", body),
            )
        return survey_id

    async def save_form(
        self, survey_id: int, form_id: str, version: int, body: str, previous: tuple[str, int]
    ) -> bool:
        """A draft's new form version, once: False if the survey was launched meanwhile, or
        another edit came first (its form is no longer `previous`)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE survey_campaigns SET form_id = ?, form_version = ?"
                " WHERE id = ? AND status = ? AND form_id = ? AND form_version = ?",
                (form_id, version, survey_id, SurveyStatus.DRAFT.value, *previous),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "INSERT INTO survey_forms (form_id, version, body) VALUES (?, ?, ?)"
                " ON CONFLICT (form_id, version) DO UPDATE SET body = excluded.body",
                (form_id, version, body),
            )
            # The draft's superseded version: no session was ever started on a draft.
            await conn.execute(
                "DELETE FROM survey_forms WHERE form_id = ? AND version < ?", (form_id, version)
            )
        return True

    async def forms(self) -> list[tuple[str, int, str]]:
        """Every stored survey form: loaded into the catalogue at start-up."""
        rows = await self._db.fetch_all("SELECT form_id, version, body FROM survey_forms")
        return [(row["form_id"], row["version"], row["body"]) for row in rows]

    async def of_school(self, organization_id: int) -> list[SurveyCampaign]:
        rows = await self._db.fetch_all(
            # A program's own monitoring surveys are the pair card's, not the curator's list.
            f"SELECT {_COLUMNS} FROM survey_campaigns WHERE organization_id = ?"
            " AND id NOT IN (SELECT survey_id FROM program_surveys WHERE survey_id IS NOT NULL)"
            # A contest's vote lives on the contest's screen: its results only after the deadline.
            " AND id NOT IN (SELECT survey_id FROM award_votes WHERE survey_id IS NOT NULL)"
            # A coordinator's survey is the coordinator's, even in the school it went to.
            " AND district_survey_id IS NULL ORDER BY id DESC LIMIT 20",
            (organization_id,),
        )
        return [_campaign(row) for row in rows]

    async def change_draft(self, survey_id: int, column: str, value: object) -> bool:
        """Set one setting of a draft; False once it is launched."""
        assert column in ("audience", "audience_survey_id", "anonymous", "deadline")
        if isinstance(value, datetime):
            value = to_db_time(value)
        return (
            await self._db.execute(
                f"UPDATE survey_campaigns SET {column} = ? WHERE id = ? AND status = ?",
                (value, survey_id, SurveyStatus.DRAFT.value),
            )
            == 1
        )

    async def audience(
        self, organization_id: int, audience: SurveyAudience, other_survey_id: int | None
    ) -> list[Addressee]:
        """Active people the survey would go to, one row a person; read a page at a time
        (by person id), so a district-sized audience never holds the loop for long."""
        if audience is SurveyAudience.PAIRS:
            sql = (
                "SELECT p.id, p.telegram_id, pp.role FROM survey_audience_pairs a"
                " JOIN pairs pr ON pr.id = a.pair_id JOIN pair_participants pp"
                " ON pp.pair_id = pr.id JOIN people p ON p.id = pp.person_id"
                " WHERE a.survey_id = ? AND pr.organization_id = ? AND pr.status = ?"
                " AND p.is_active = 1 AND p.id > ? ORDER BY p.id LIMIT ?"
            )
            params: tuple[object, ...] = (
                other_survey_id or 0,
                organization_id,
                PairStatus.ACTIVE.value,
            )
        elif audience is SurveyAudience.NOT_ANSWERED:
            sql = (
                "SELECT p.id, p.telegram_id, r.role FROM survey_recipients r"
                " JOIN people p ON p.id = r.person_id"
                " JOIN survey_campaigns c ON c.id = r.survey_id"
                " WHERE r.survey_id = ? AND c.organization_id = ? AND r.status <> ?"
                " AND p.is_active = 1 AND p.id > ? ORDER BY p.id LIMIT ?"
            )
            params = (
                other_survey_id or 0,
                organization_id,
                RecipientStatus.ANSWERED.value,
            )
        else:
            roles = {
                SurveyAudience.SCHOOL: (Role.MENTEE.value, Role.MENTOR.value),
                SurveyAudience.MENTORS: (Role.MENTOR.value, Role.MENTOR.value),
                SurveyAudience.MENTEES: (Role.MENTEE.value, Role.MENTEE.value),
                SurveyAudience.CURATORS: (Role.CURATOR.value, Role.CURATOR.value),
            }[audience]
            sql = (
                "SELECT p.id, p.telegram_id, g.role FROM role_grants g"
                " JOIN people p ON p.id = g.person_id WHERE g.organization_id = ?"
                " AND g.role IN (?, ?) AND p.is_active = 1 AND p.id > ?"
                " ORDER BY p.id, g.role LIMIT ?"
            )
            params = (organization_id, *roles)
        found: dict[int, Addressee] = {}
        last = 0
        while True:
            rows = await self._db.fetch_all(sql, (*params, last, BATCH))
            for row in rows:
                found.setdefault(
                    row["id"], Addressee(row["id"], row["telegram_id"], Role(row["role"]))
                )
            if len(rows) < BATCH:
                return list(found.values())
            # A person whose second role fell past the page is already in `found`.
            last = rows[-1]["id"]
            await asyncio.sleep(0)

    async def toggle_pair(self, survey_id: int, pair_id: int, organization_id: int) -> bool:
        """A pair of the survey's school in or out of a draft's audience; False once it is
        launched, or for a pair of another school."""
        async with self._db.transaction() as conn:
            draft = await conn.fetch_one(
                "SELECT 1 FROM survey_campaigns c JOIN pairs p ON p.organization_id ="
                " c.organization_id WHERE c.id = ? AND c.status = ? AND p.id = ?"
                " AND p.organization_id = ?",
                (survey_id, SurveyStatus.DRAFT.value, pair_id, organization_id),
            )
            if draft is None:
                return False
            cursor = await conn.execute(
                "DELETE FROM survey_audience_pairs WHERE survey_id = ? AND pair_id = ?",
                (survey_id, pair_id),
            )
            if cursor.rowcount == 0:
                await conn.execute(
                    "INSERT INTO survey_audience_pairs (survey_id, pair_id) VALUES (?, ?)",
                    (survey_id, pair_id),
                )
        return True

    async def chosen_pairs(self, survey_id: int) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT pair_id FROM survey_audience_pairs WHERE survey_id = ?", (survey_id,)
        )
        return {row["pair_id"] for row in rows}

    async def active_pairs(self, organization_id: int) -> list[tuple[int, int, Role]]:
        """(pair id, person id, role) of the school's working pairs, by pair."""
        rows = await self._db.fetch_all(
            "SELECT pr.id, pp.person_id, pp.role FROM pairs pr JOIN pair_participants pp"
            " ON pp.pair_id = pr.id WHERE pr.organization_id = ? AND pr.status = ?"
            " ORDER BY pr.id, pp.role, pp.person_id",
            (organization_id, PairStatus.ACTIVE.value),
        )
        return [(row["id"], row["person_id"], Role(row["role"])) for row in rows]

    async def start_running(self, survey_id: int, now: datetime, step: str) -> bool:
        """Draft → running, once: a second tap on «launch» finds it running already. `step`
        is where the launch stands (see `set_launch_step`)."""
        return (
            await self._db.execute(
                "UPDATE survey_campaigns SET status = ?, launched_at = ?, launch_step = ?"
                " WHERE id = ? AND status = ? AND deadline IS NOT NULL AND deadline > ?",
                (
                    SurveyStatus.RUNNING.value,
                    to_db_time(now),
                    step,
                    survey_id,
                    SurveyStatus.DRAFT.value,
                    to_db_time(now),
                ),
            )
            == 1
        )

    async def add_recipients(self, survey_id: int, people: Sequence[Addressee]) -> None:
        """In batches, each its own short transaction (so the loop runs in between)."""
        for start in range(0, len(people), BATCH):
            chunk = people[start : start + BATCH]
            async with self._db.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO survey_recipients (survey_id, person_id, role, status)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, person_id) DO NOTHING",
                    [
                        (survey_id, p.person_id, p.role.value, RecipientStatus.INVITED.value)
                        for p in chunk
                    ],
                )

    async def set_launch_step(self, survey_id: int, step: str | None) -> None:
        """'recipients' (being stored), 'queue' (their messages being queued), None (done)."""
        await self._db.execute(
            "UPDATE survey_campaigns SET launch_step = ? WHERE id = ?", (step, survey_id)
        )

    async def unfinished_launches(self) -> list[tuple[SurveyCampaign, str]]:
        """Running surveys whose launch was cut short, with the step it stopped at."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS}, launch_step FROM survey_campaigns"
            " WHERE status = ? AND launch_step IS NOT NULL ORDER BY id",
            (SurveyStatus.RUNNING.value,),
        )
        return [(_campaign(row), row["launch_step"]) for row in rows]

    async def of_person(self, person_id: int, limit: int = 20) -> list[MySurvey]:
        """The surveys addressed to the person, the latest deadline first."""
        rows = await self._db.fetch_all(
            f"SELECT {', '.join('c.' + c.strip() for c in _COLUMNS.split(','))}, r.status AS rs"
            " FROM survey_recipients r JOIN survey_campaigns c ON c.id = r.survey_id"
            " WHERE r.person_id = ? AND c.status <> ? ORDER BY c.deadline DESC, c.id DESC"
            " LIMIT ?",
            (person_id, SurveyStatus.DRAFT.value, limit),
        )
        return [MySurvey(_campaign(row), RecipientStatus(row["rs"])) for row in rows]

    async def recipient(self, survey_id: int, person_id: int) -> SurveyRecipient | None:
        row = await self._db.fetch_one(
            "SELECT survey_id, person_id, role, session_id, status FROM survey_recipients"
            " WHERE survey_id = ? AND person_id = ?",
            (survey_id, person_id),
        )
        return _recipient(row) if row else None

    async def by_session(self, session_id: int) -> SurveyRecipient | None:
        row = await self._db.fetch_one(
            "SELECT survey_id, person_id, role, session_id, status FROM survey_recipients"
            " WHERE session_id = ?",
            (session_id,),
        )
        return _recipient(row) if row else None

    async def attach(self, survey_id: int, person_id: int, session_id: int) -> bool:
        """Tie the person's form session to the survey, once: of two racing opens, one wins."""
        return (
            await self._db.execute(
                "UPDATE survey_recipients SET session_id = ?, status = ?"
                " WHERE survey_id = ? AND person_id = ? AND session_id IS NULL",
                (session_id, RecipientStatus.STARTED.value, survey_id, person_id),
            )
            == 1
        )

    async def record(
        self, recipient: SurveyRecipient, answers: dict[str, Any], anonymous: bool
    ) -> bool:
        """Keep the submitted answers. In an anonymous survey they are cut from the person:
        the response row has no person, the session keeps no answers, the recipient row keeps
        only "answered". False if an anonymous response was already taken."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE survey_recipients SET status = ? WHERE survey_id = ? AND person_id = ?"
                " AND status <> ?",
                (
                    RecipientStatus.ANSWERED.value,
                    recipient.survey_id,
                    recipient.person_id,
                    RecipientStatus.ANSWERED.value,
                ),
            )
            if anonymous and cursor.rowcount != 1:
                return False
            payload = json.dumps(answers, ensure_ascii=False)
            if anonymous:
                await conn.execute(
                    "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
                    " VALUES (?, ?, NULL, ?, ?)",
                    (secrets.token_hex(16), recipient.survey_id, recipient.role.value, payload),
                )
                await conn.execute(
                    "DELETE FROM form_answers WHERE session_id = ?", (recipient.session_id,)
                )
            else:
                await conn.execute(
                    "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (survey_id, person_id)"
                    " DO UPDATE SET answers = excluded.answers",
                    (
                        secrets.token_hex(16),
                        recipient.survey_id,
                        recipient.person_id,
                        recipient.role.value,
                        payload,
                    ),
                )
        return True

    async def counts(self, survey_id: int) -> dict[RecipientStatus, int]:
        rows = await self._db.fetch_all(
            "SELECT status, COUNT(*) AS n FROM survey_recipients WHERE survey_id = ?"
            " GROUP BY status",
            (survey_id,),
        )
        found = {status: 0 for status in RecipientStatus}
        found.update({RecipientStatus(row["status"]): int(row["n"]) for row in rows})
        return found

    async def non_respondents(self, survey_id: int) -> list[Addressee]:
        rows = await self._db.fetch_all(
            "SELECT p.id, p.telegram_id, r.role FROM survey_recipients r"
            " JOIN people p ON p.id = r.person_id WHERE r.survey_id = ? AND r.status <> ?"
            " AND p.is_active = 1 ORDER BY p.id",
            (survey_id, RecipientStatus.ANSWERED.value),
        )
        return [Addressee(row["id"], row["telegram_id"], Role(row["role"])) for row in rows]

    async def responses(self, survey_id: int) -> list[Response]:
        # Ordered by the random id: anonymous rows come in no telling order.
        rows = await self._db.fetch_all(
            "SELECT person_id, role, answers FROM survey_responses WHERE survey_id = ? ORDER BY id",
            (survey_id,),
        )

        def parsed() -> list[Response]:
            return [
                Response(row["person_id"], Role(row["role"]), json.loads(row["answers"]))
                for row in rows
            ]

        # 10,000 answers take ~0.2 s to parse: off the event loop.
        return await asyncio.to_thread(parsed) if len(rows) > BATCH else parsed()

    async def close(self, survey_id: int, now: datetime) -> bool:
        return (
            await self._db.execute(
                "UPDATE survey_campaigns SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
                (
                    SurveyStatus.CLOSED.value,
                    to_db_time(now),
                    survey_id,
                    SurveyStatus.RUNNING.value,
                ),
            )
            == 1
        )

    async def extend(self, survey_id: int, deadline: datetime) -> bool:
        """A later deadline for a running survey: a new reminder schedule, a new summary."""
        return (
            await self._db.execute(
                "UPDATE survey_campaigns SET deadline = ?, schedule = schedule + 1,"
                " summary_sent = 0 WHERE id = ? AND status = ? AND deadline < ?",
                (
                    to_db_time(deadline),
                    survey_id,
                    SurveyStatus.RUNNING.value,
                    to_db_time(deadline),
                ),
            )
            == 1
        )

    async def claim_reminder(self, survey_id: int, now: datetime, since: datetime) -> bool:
        """The curator's reminder by hand, unless one went out after `since`."""
        return (
            await self._db.execute(
                "UPDATE survey_campaigns SET reminded_at = ? WHERE id = ? AND status = ?"
                " AND (reminded_at IS NULL OR reminded_at <= ?)",
                (to_db_time(now), survey_id, SurveyStatus.RUNNING.value, to_db_time(since)),
            )
            == 1
        )

    async def past_deadline(self, now: datetime) -> list[SurveyCampaign]:
        """Running surveys whose deadline came and whose summary has not gone out."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM survey_campaigns WHERE status = ? AND summary_sent = 0"
            " AND deadline <= ?",
            (SurveyStatus.RUNNING.value, to_db_time(now)),
        )
        return [_campaign(row) for row in rows]

    async def mark_summary_sent(self, survey_id: int) -> bool:
        return (
            await self._db.execute(
                "UPDATE survey_campaigns SET summary_sent = 1 WHERE id = ? AND summary_sent = 0",
                (survey_id,),
            )
            == 1
        )

    # A coordinator's survey of the district.

    async def create_district(
        self,
        district_id: int,
        form_id: str,
        form_version: int,
        anonymous: bool,
        created_by: int,
        now: datetime,
    ) -> int:
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO survey_district_campaigns (district_id, form_id, form_version,"
                " anonymous, audience, status, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    district_id,
                    form_id,
                    form_version,
                    1 if anonymous else 0,
                    SurveyAudience.CURATORS.value,
                    SurveyStatus.DRAFT.value,
                    created_by,
                    to_db_time(now),
                ),
            )
        assert row is not None
        return int(row["id"])

    async def district_survey(self, district_survey_id: int) -> DistrictSurvey | None:
        row = await self._db.fetch_one(
            f"SELECT {_DISTRICT_COLUMNS} FROM survey_district_campaigns WHERE id = ?",
            (district_survey_id,),
        )
        return _district(row) if row else None

    async def of_district(self, district_id: int) -> list[DistrictSurvey]:
        rows = await self._db.fetch_all(
            f"SELECT {_DISTRICT_COLUMNS} FROM survey_district_campaigns WHERE district_id = ?"
            " ORDER BY id DESC LIMIT 20",
            (district_id,),
        )
        return [_district(row) for row in rows]

    async def change_district_draft(
        self, district_survey_id: int, column: str, value: object
    ) -> bool:
        """Set the audience or the deadline of a coordinator's draft; False once launched."""
        assert column in ("audience", "deadline")
        if isinstance(value, datetime):
            value = to_db_time(value)
        return (
            await self._db.execute(
                f"UPDATE survey_district_campaigns SET {column} = ? WHERE id = ? AND status = ?",
                (value, district_survey_id, SurveyStatus.DRAFT.value),
            )
            == 1
        )

    async def start_district(self, district_survey_id: int, now: datetime) -> bool:
        """Draft → running, once; the schools' campaigns are made next ('schools')."""
        return (
            await self._db.execute(
                "UPDATE survey_district_campaigns SET status = ?, launched_at = ?,"
                " launch_step = 'schools' WHERE id = ? AND status = ?"
                " AND deadline IS NOT NULL AND deadline > ?",
                (
                    SurveyStatus.RUNNING.value,
                    to_db_time(now),
                    district_survey_id,
                    SurveyStatus.DRAFT.value,
                    to_db_time(now),
                ),
            )
            == 1
        )

    async def district_launched(self, district_survey_id: int) -> None:
        await self._db.execute(
            "UPDATE survey_district_campaigns SET launch_step = NULL WHERE id = ?",
            (district_survey_id,),
        )

    async def unfinished_districts(self) -> list[DistrictSurvey]:
        rows = await self._db.fetch_all(
            f"SELECT {_DISTRICT_COLUMNS} FROM survey_district_campaigns"
            " WHERE status = ? AND launch_step IS NOT NULL ORDER BY id",
            (SurveyStatus.RUNNING.value,),
        )
        return [_district(row) for row in rows]

    async def add_school_part(
        self, survey: DistrictSurvey, organization_id: int, now: datetime
    ) -> int | None:
        """The school's campaign of a coordinator's survey, running, its recipients still to
        be stored; None if the school has it already. No summary goes to the school's
        curators: the results are the coordinator's."""
        assert survey.deadline is not None
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous,"
                " status, audience, deadline, created_by, created_at, launched_at,"
                " summary_sent, district_survey_id, launch_step)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 1, ?, 'recipients')"
                " ON CONFLICT (district_survey_id, organization_id) DO NOTHING RETURNING id",
                (
                    organization_id,
                    survey.form_id,
                    survey.form_version,
                    1 if survey.anonymous else 0,
                    SurveyStatus.RUNNING.value,
                    survey.audience.value,
                    to_db_time(survey.deadline),
                    to_db_time(now),
                    to_db_time(now),
                    survey.id,
                ),
            )
        return int(row["id"]) if row else None

    async def school_parts(self, district_survey_id: int) -> list[SurveyCampaign]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM survey_campaigns WHERE district_survey_id = ?"
            " ORDER BY organization_id",
            (district_survey_id,),
        )
        return [_campaign(row) for row in rows]

    # A school's own offsets.

    async def school_offsets(self, organization_id: int) -> SchoolOffsets:
        row = await self._db.fetch_one(
            "SELECT reminder_offsets, midpoint_percent, survey_days FROM survey_school_settings"
            " WHERE organization_id = ?",
            (organization_id,),
        )
        if row is None:
            return SchoolOffsets(None, None, None)
        raw = row["reminder_offsets"]
        return SchoolOffsets(
            tuple(int(d) for d in raw.split(",")) if raw else None,
            row["midpoint_percent"],
            row["survey_days"],
        )

    async def set_school_offset(
        self, organization_id: int, column: str, value: object, now: datetime
    ) -> None:
        assert column in ("reminder_offsets", "midpoint_percent", "survey_days")
        async with self._db.transaction() as conn:
            await conn.execute(
                f"INSERT INTO survey_school_settings (organization_id, {column}) VALUES (?, ?)"
                f" ON CONFLICT (organization_id) DO UPDATE SET {column} = excluded.{column}",
                (organization_id, value),
            )
            if column == "midpoint_percent":
                # The school's programs reach their midpoint on another day: looked at again.
                await conn.execute(
                    "UPDATE programs SET sweep_at = ? WHERE status = 'confirmed' AND pair_id IN"
                    " (SELECT id FROM pairs WHERE organization_id = ? AND status = 'active')",
                    (to_db_time(now), organization_id),
                )


def _campaign(row: Row) -> SurveyCampaign:
    def moment(name: str) -> datetime | None:
        return from_db_time(row[name]) if row[name] else None

    return SurveyCampaign(
        id=row["id"],
        organization_id=row["organization_id"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        anonymous=bool(row["anonymous"]),
        status=SurveyStatus(row["status"]),
        audience=SurveyAudience(row["audience"]),
        audience_survey_id=row["audience_survey_id"],
        deadline=moment("deadline"),
        schedule=row["schedule"],
        created_at=from_db_time(row["created_at"]),
        launched_at=moment("launched_at"),
        reminded_at=moment("reminded_at"),
        district_survey_id=row["district_survey_id"],
    )


def _recipient(row: Row) -> SurveyRecipient:
    return SurveyRecipient(
        survey_id=row["survey_id"],
        person_id=row["person_id"],
        role=Role(row["role"]),
        session_id=row["session_id"],
        status=RecipientStatus(row["status"]),
    )


def _district(row: Row) -> DistrictSurvey:
    return DistrictSurvey(
        id=row["id"],
        district_id=row["district_id"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        anonymous=bool(row["anonymous"]),
        audience=SurveyAudience(row["audience"]),
        deadline=from_db_time(row["deadline"]) if row["deadline"] else None,
        status=SurveyStatus(row["status"]),
        launching=row["launch_step"] is not None,
        created_at=from_db_time(row["created_at"]),
    )
