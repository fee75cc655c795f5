from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from storage.db import Database, Row, from_db_time, to_db_time
from storage.models import (
    Decision,
    DraftStatus,
    OrderKind,
    Pair,
    PairDraft,
    PairParticipant,
    PairStatus,
    ProgramEndReason,
    RequestKind,
    RequestStatus,
    Role,
    SchoolOrder,
)

# Pairs that hold a place: a mentee in one of these is not free, a mentor's load counts them.
_HOLDING = (PairStatus.INVITED.value, PairStatus.ACTIVE.value)


# The waiting reminder re-reads what changed this long before its last run: a transaction
# still open then commits its earlier time afterwards.
WAITING_OVERLAP = timedelta(minutes=5)

# Schools where something happened since a moment that can make a mentee wait for a mentor
# (or bring a curator to remind), each found through the index on its time (migration 0032).
_TOUCHED = (
    "SELECT organization_id AS id FROM form_sessions WHERE submitted_at > ?"
    " UNION SELECT organization_id FROM consents WHERE decided_at > ?"
    " UNION SELECT organization_id FROM role_grants WHERE granted_at > ?"
    " UNION SELECT p.organization_id FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
    " WHERE pp.decided_at > ?"
    " UNION SELECT organization_id FROM pairs WHERE ended_at > ?"
)


class PairRefusal(StrEnum):
    MENTOR_FULL = "mentor_full"
    MENTEE_TAKEN = "mentee_taken"


class PairsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        organization_id: int,
        mentor_id: int,
        mentee_ids: list[int],
        form: str,
        kind: str,
        capacity: int,
        created_by: int,
        now: datetime,
        invitation: tuple[int, str],
    ) -> int | PairRefusal:
        """Create the pair with its invitations, checking capacity and that the mentees are
        free inside the same transaction: two curators accepting conflicting drafts at once
        cannot both succeed. `invitation`: the version and hash of the text everyone is sent."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT COUNT(*) FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
                " WHERE p.mentor_id = ? AND p.status IN (?, ?) AND pp.role = ?"
                " AND pp.decision <> ?",
                (mentor_id, *_HOLDING, Role.MENTEE.value, Decision.DECLINED.value),
            )
            if row is None or row[0] + len(mentee_ids) > capacity:
                return PairRefusal.MENTOR_FULL
            marks = ", ".join("?" for _ in mentee_ids)
            taken = await conn.fetch_one(
                "SELECT COUNT(*) FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
                f" WHERE pp.person_id IN ({marks}) AND pp.role = ? AND p.status IN (?, ?)"
                " AND pp.decision <> ?",
                (*mentee_ids, Role.MENTEE.value, *_HOLDING, Decision.DECLINED.value),
            )
            if taken is None or taken[0] > 0:
                return PairRefusal.MENTEE_TAKEN
            created = await conn.fetch_one(
                "INSERT INTO pairs (organization_id, mentor_id, form, kind, status, created_by,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    organization_id,
                    mentor_id,
                    form,
                    kind,
                    PairStatus.INVITED.value,
                    created_by,
                    stamp,
                ),
            )
            assert created is not None
            pair_id = int(created["id"])
            for person_id, role in [(mentor_id, Role.MENTOR)] + [
                (mentee, Role.MENTEE) for mentee in mentee_ids
            ]:
                await conn.execute(
                    "INSERT INTO pair_participants (pair_id, person_id, role, decision,"
                    " consent_version, consent_hash) VALUES (?, ?, ?, ?, ?, ?)",
                    (pair_id, person_id, role.value, Decision.PENDING.value, *invitation),
                )
        return pair_id

    async def get(self, pair_id: int) -> Pair | None:
        pairs = await self._pairs("p.id = ?", (pair_id,))
        return pairs[0] if pairs else None

    async def for_school(self, organization_id: int) -> list[Pair]:
        """The school's pairs of the current year (closed years' pairs are archived)."""
        return await self._pairs(
            "p.organization_id = ? AND p.school_year_id IS NULL", (organization_id,)
        )

    async def involving(self, person_id: int) -> list[Pair]:
        return await self._pairs(
            "p.id IN (SELECT pair_id FROM pair_participants WHERE person_id = ?)", (person_id,)
        )

    async def _pairs(self, condition: str, params: tuple[object, ...]) -> list[Pair]:
        rows = await self._db.fetch_all(
            "SELECT p.id, p.organization_id, p.mentor_id, p.form, p.kind, p.status,"
            " p.created_at, p.activated_at, pp.person_id, pp.role, pp.decision, pp.reason"
            " FROM pairs p JOIN pair_participants pp ON pp.pair_id = p.id"
            f" WHERE {condition} ORDER BY p.id, pp.role DESC, pp.person_id",
            params,
        )
        grouped: dict[int, list[Row]] = {}
        for row in rows:
            grouped.setdefault(row["id"], []).append(row)
        return [_pair(group) for group in grouped.values()]

    async def decide(
        self,
        pair_id: int,
        person_id: int,
        accept: bool,
        reason: str | None,
        now: datetime,
        message_id: int | None,
    ) -> PairStatus | None:
        """Record one participant's answer to a pending invitation, with the id of the message
        they answered (the evidence of their written consent); returns the pair's new status,
        or None when there was nothing to answer (withdrawn, already answered)."""
        stamp = to_db_time(now)
        decision = Decision.ACCEPTED if accept else Decision.DECLINED
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE pair_participants SET decision = ?, decided_at = ?, reason = ?,"
                " message_id = ? WHERE pair_id = ? AND person_id = ? AND decision = ?"
                " AND pair_id IN (SELECT id FROM pairs WHERE status IN (?, ?))",
                (
                    decision.value,
                    stamp,
                    reason,
                    message_id,
                    pair_id,
                    person_id,
                    Decision.PENDING.value,
                    *_HOLDING,
                ),
            )
            if cursor.rowcount != 1:
                return None
            current = await conn.fetch_one("SELECT status FROM pairs WHERE id = ?", (pair_id,))
            if current is not None and current["status"] == PairStatus.ACTIVE.value:
                # A mentee added to a working group: their answer does not stop the group.
                return PairStatus.ACTIVE
            participants = await conn.fetch_all(
                "SELECT role, decision FROM pair_participants WHERE pair_id = ?", (pair_id,)
            )
            answers = [(Role(r["role"]), Decision(r["decision"])) for r in participants]

            mentees = [d for role, d in answers if role is Role.MENTEE]
            mentor = next(d for role, d in answers if role is Role.MENTOR)
            status = PairStatus.INVITED
            if mentor is Decision.DECLINED or all(d is Decision.DECLINED for d in mentees):
                status = PairStatus.DECLINED
            elif all(d is not Decision.PENDING for _, d in answers):
                status = PairStatus.ACTIVE
            if status is not PairStatus.INVITED:
                started = stamp if status is PairStatus.ACTIVE else None
                # sweep_at: the idle sweep looks at a pair from the moment it starts
                await conn.execute(
                    "UPDATE pairs SET status = ?, activated_at = ?, sweep_at = ? WHERE id = ?",
                    (status.value, started, started, pair_id),
                )
        return status

    async def add_mentee(
        self, pair_id: int, mentee_id: int, capacity: int, invitation: tuple[int, str]
    ) -> PairRefusal | None:
        """Invite one more mentee into a pair (it becomes a group), with the same checks as
        `create`, in one transaction."""
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT COUNT(*) FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
                " WHERE p.mentor_id = (SELECT mentor_id FROM pairs WHERE id = ?)"
                " AND p.status IN (?, ?) AND pp.role = ? AND pp.decision <> ?",
                (pair_id, *_HOLDING, Role.MENTEE.value, Decision.DECLINED.value),
            )
            if row is None or row[0] + 1 > capacity:
                return PairRefusal.MENTOR_FULL
            taken = await conn.fetch_one(
                "SELECT COUNT(*) FROM pair_participants pp JOIN pairs p ON p.id = pp.pair_id"
                " WHERE pp.person_id = ? AND pp.role = ? AND p.status IN (?, ?)"
                " AND pp.decision <> ?",
                (mentee_id, Role.MENTEE.value, *_HOLDING, Decision.DECLINED.value),
            )
            if taken is None or taken[0] > 0:
                return PairRefusal.MENTEE_TAKEN
            await conn.execute(
                "INSERT INTO pair_participants (pair_id, person_id, role, decision,"
                " consent_version, consent_hash) VALUES (?, ?, ?, ?, ?, ?)",
                (pair_id, mentee_id, Role.MENTEE.value, Decision.PENDING.value, *invitation),
            )
            await conn.execute("UPDATE pairs SET kind = 'group' WHERE id = ?", (pair_id,))
        return None

    async def set_form_kind(self, pair_id: int, form: str, kind: str) -> bool:
        return (
            await self._db.execute(
                "UPDATE pairs SET form = ?, kind = ? WHERE id = ? AND status IN (?, ?)",
                (form, kind, pair_id, *_HOLDING),
            )
            == 1
        )

    async def withdraw(self, pair_id: int, now: datetime) -> bool:

        return (
            await self._db.execute(
                "UPDATE pairs SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
                (PairStatus.WITHDRAWN.value, to_db_time(now), pair_id, PairStatus.INVITED.value),
            )
            == 1
        )

    async def end(
        self, pair_id: int, status: PairStatus, reason: ProgramEndReason, now: datetime
    ) -> bool:
        """A working pair ends (completed, or early with `reason`), and its recorded ending
        with it, in one transaction; False if it was not working any more. Its rows, meetings
        and program stay: the history and the figures read them."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE pairs SET status = ?, ended_at = ?, end_reason = ?"
                " WHERE id = ? AND status = ?",
                (status.value, stamp, reason.value, pair_id, PairStatus.ACTIVE.value),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE program_endings SET ended_at = ? WHERE pair_id = ? AND ended_at IS NULL",
                (stamp, pair_id),
            )
        return True

    async def participant_names(self, pair_id: int, form_ids: list[str]) -> dict[int, str]:
        """Person id → the full name in their latest questionnaire (one of `form_ids`) at the
        pair's school, for everyone in the pair, in one query."""
        marks = ", ".join("?" for _ in form_ids)
        rows = await self._db.fetch_all(
            "SELECT pp.person_id, a.value FROM pair_participants pp"
            " JOIN pairs p ON p.id = pp.pair_id"
            " JOIN form_answers a ON a.question_id = 'full_name' AND a.session_id = ("
            " SELECT MAX(s.id) FROM form_sessions s WHERE s.person_id = pp.person_id"
            f" AND s.organization_id = p.organization_id AND s.form_id IN ({marks}))"
            " WHERE pp.pair_id = ?",
            (*form_ids, pair_id),
        )
        return {row["person_id"]: str(json.loads(row["value"]) or "") for row in rows}

    async def mentee_pair_status(self, organization_id: int) -> dict[int, PairStatus]:
        """For each mentee holding a place in a pair of the school: invited or active."""
        rows = await self._db.fetch_all(
            "SELECT pp.person_id, p.status FROM pair_participants pp"
            " JOIN pairs p ON p.id = pp.pair_id WHERE p.organization_id = ? AND pp.role = ?"
            " AND p.status IN (?, ?) AND pp.decision <> ?",
            (organization_id, Role.MENTEE.value, *_HOLDING, Decision.DECLINED.value),
        )
        return {row["person_id"]: PairStatus(row["status"]) for row in rows}

    async def waiting_due(self, now: datetime, days: str) -> list[int]:
        """The schools the waiting reminder looks at now: their waiting_at has come, or
        something happened in them since its last run. Reminding after another number of
        `days` looks at every school once."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            row = await conn.fetch_one(
                "SELECT value FROM sweep_settings WHERE name = 'waiting_days'"
            )
            if row is None or row["value"] != days:
                await conn.execute(
                    "INSERT INTO sweep_settings (name, value) VALUES ('waiting_days', ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (days,),
                )
                await conn.execute("UPDATE organizations SET waiting_at = ?", (stamp,))
            ran = await conn.fetch_one(
                "SELECT value FROM sweep_settings WHERE name = 'waiting_ran'"
            )
            due = await conn.fetch_all(
                "SELECT id FROM organizations WHERE waiting_at <= ?", (stamp,)
            )
            touched = []
            if ran is not None:
                since = to_db_time(from_db_time(ran["value"]) - WAITING_OVERLAP)
                touched = await conn.fetch_all(_TOUCHED, (since,) * 5)
        found = {row["id"] for row in due} | {row["id"] for row in touched}
        return sorted(found - {None})

    async def waiting_looked(self, organization_id: int, at: datetime | None) -> None:
        """The school's next waiting look (None: only when something happens in it)."""
        await self._db.execute(
            "UPDATE organizations SET waiting_at = ? WHERE id = ?",
            (to_db_time(at) if at else None, organization_id),
        )

    async def waiting_ran(self, now: datetime) -> None:
        """The waiting reminder's run finished: the next one reads what changed since."""
        await self._db.execute(
            "INSERT INTO sweep_settings (name, value) VALUES ('waiting_ran', ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (to_db_time(now),),
        )

    async def mentor_loads(self, organization_id: int) -> dict[int, int]:
        rows = await self._db.fetch_all(
            "SELECT p.mentor_id, COUNT(*) AS n FROM pairs p"
            " JOIN pair_participants pp ON pp.pair_id = p.id"
            " WHERE p.organization_id = ? AND p.status IN (?, ?) AND pp.role = ?"
            " AND pp.decision <> ? GROUP BY p.mentor_id",
            (organization_id, *_HOLDING, Role.MENTEE.value, Decision.DECLINED.value),
        )
        return {row["mentor_id"]: int(row["n"]) for row in rows}

    # --- the curator's draft proposal ---

    async def replace_drafts(
        self,
        organization_id: int,
        drafts: list[tuple[int, int, float, tuple[str, ...]]],
        now: datetime,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE pair_drafts SET status = ? WHERE organization_id = ? AND status = ?",
                (DraftStatus.DISCARDED.value, organization_id, DraftStatus.OPEN.value),
            )
            for mentee_id, mentor_id, score, reasons in drafts:
                await conn.execute(
                    "INSERT INTO pair_drafts (organization_id, mentee_id, mentor_id, score,"
                    " reasons, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        organization_id,
                        mentee_id,
                        mentor_id,
                        score,
                        json.dumps(reasons, ensure_ascii=False),
                        DraftStatus.OPEN.value,
                        to_db_time(now),
                    ),
                )

    async def drafts(self, organization_id: int, upto: int | None = None) -> list[PairDraft]:
        """The open drafts, best first; `upto`: only those with an id not above it (the rows
        of a proposal already shown: a newer proposal has higher ids)."""
        rows = await self._db.fetch_all(
            "SELECT * FROM pair_drafts WHERE organization_id = ? AND status = ? AND id <= ?"
            " ORDER BY score DESC, id",
            (organization_id, DraftStatus.OPEN.value, upto if upto is not None else 2**63 - 1),
        )
        return [_draft(row) for row in rows]

    async def draft(self, draft_id: int) -> PairDraft | None:
        row = await self._db.fetch_one("SELECT * FROM pair_drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    async def close_draft(self, draft_id: int, status: DraftStatus) -> bool:
        return (
            await self._db.execute(
                "UPDATE pair_drafts SET status = ? WHERE id = ? AND status = ?",
                (status.value, draft_id, DraftStatus.OPEN.value),
            )
            == 1
        )

    async def change_draft(
        self, draft_id: int, mentor_id: int, score: float, reasons: tuple[str, ...]
    ) -> bool:
        return (
            await self._db.execute(
                "UPDATE pair_drafts SET mentor_id = ?, score = ?, reasons = ?"
                " WHERE id = ? AND status = ?",
                (
                    mentor_id,
                    score,
                    json.dumps(reasons, ensure_ascii=False),
                    draft_id,
                    DraftStatus.OPEN.value,
                ),
            )
            == 1
        )


def _pair(rows: list[Row]) -> Pair:
    first = rows[0]
    return Pair(
        id=first["id"],
        organization_id=first["organization_id"],
        mentor_id=first["mentor_id"],
        form=first["form"],
        kind=first["kind"],
        status=PairStatus(first["status"]),
        created_at=from_db_time(first["created_at"]),
        activated_at=from_db_time(first["activated_at"]) if first["activated_at"] else None,
        participants=tuple(
            PairParticipant(
                row["person_id"], Role(row["role"]), Decision(row["decision"]), row["reason"]
            )
            for row in rows
        ),
    )


def _draft(row: Row) -> PairDraft:
    return PairDraft(
        id=row["id"],
        organization_id=row["organization_id"],
        mentee_id=row["mentee_id"],
        mentor_id=row["mentor_id"],
        score=float(row["score"]),
        reasons=tuple(json.loads(row["reasons"])),
        status=DraftStatus(row["status"]),
    )


@dataclass(frozen=True)
class PairRequest:
    id: int
    pair_id: int
    person_id: int
    kind: RequestKind
    reason: str
    status: RequestStatus


class PairRequestsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, pair_id: int, person_id: int, kind: RequestKind, reason: str, now: datetime
    ) -> int | None:
        """None when the person already has a pending request for this pair."""
        pending = RequestStatus.PENDING.value
        async with self._db.transaction() as conn:
            if await conn.fetch_one(
                "SELECT 1 FROM pair_requests WHERE pair_id = ? AND person_id = ? AND status = ?",
                (pair_id, person_id, pending),
            ):
                return None
            row = await conn.fetch_one(
                "INSERT INTO pair_requests (pair_id, person_id, kind, reason, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (pair_id, person_id, kind.value, reason, pending, to_db_time(now)),
            )
            return int(row["id"]) if row else None

    async def get(self, request_id: int) -> PairRequest | None:
        row = await self._db.fetch_one(
            "SELECT id, pair_id, person_id, kind, reason, status FROM pair_requests WHERE id = ?",
            (request_id,),
        )
        if row is None:
            return None
        return PairRequest(
            row["id"],
            row["pair_id"],
            row["person_id"],
            RequestKind(row["kind"]),
            row["reason"],
            RequestStatus(row["status"]),
        )

    async def decide(self, request_id: int, approve: bool, comment: str, now: datetime) -> bool:
        """Record the curator's decision; an approval ends the pair early with the reason,
        in the same transaction, so the mentee is back in the bank at once."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE pair_requests SET status = ?, curator_comment = ?, decided_at = ?"
                " WHERE id = ? AND status = ?",
                (
                    (RequestStatus.APPROVED if approve else RequestStatus.DECLINED).value,
                    comment,
                    stamp,
                    request_id,
                    RequestStatus.PENDING.value,
                ),
            )
            if cursor.rowcount != 1:
                return False
            if approve:
                await conn.execute(
                    "UPDATE pairs SET status = ?, ended_at = ?, end_reason = ("
                    " SELECT kind || ': ' || reason FROM pair_requests WHERE id = ?)"
                    " WHERE id = (SELECT pair_id FROM pair_requests WHERE id = ?)"
                    " AND status = ?",
                    (
                        PairStatus.ENDED.value,
                        stamp,
                        request_id,
                        request_id,
                        PairStatus.ACTIVE.value,
                    ),
                )
        return True


class PreferencesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start_round(self, organization_id: int) -> None:
        await self._db.execute(
            "DELETE FROM preferences WHERE organization_id = ?", (organization_id,)
        )

    async def toggle(
        self,
        organization_id: int,
        chooser_id: int,
        chosen_id: int,
        side: Role,
        limit: int,
        now: datetime,
    ) -> bool:
        """Add or remove one choice; False when adding would exceed the limit."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM preferences WHERE organization_id = ? AND chooser_id = ?"
                " AND chosen_id = ?",
                (organization_id, chooser_id, chosen_id),
            )
            if cursor.rowcount == 1:
                return True
            row = await conn.fetch_one(
                "SELECT COUNT(*) FROM preferences WHERE organization_id = ? AND chooser_id = ?",
                (organization_id, chooser_id),
            )
            if row is None or row[0] >= limit:
                return False
            await conn.execute(
                "INSERT INTO preferences (organization_id, chooser_id, chosen_id, side,"
                " chosen_at) VALUES (?, ?, ?, ?, ?)",
                (organization_id, chooser_id, chosen_id, side.value, to_db_time(now)),
            )
        return True

    async def chosen_by(self, organization_id: int, chooser_id: int) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT chosen_id FROM preferences WHERE organization_id = ? AND chooser_id = ?",
            (organization_id, chooser_id),
        )
        return {row["chosen_id"] for row in rows}

    async def of_school(
        self, organization_id: int
    ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        """(mentee, mentor) pairs named by mentees, and those named by mentors."""
        rows = await self._db.fetch_all(
            "SELECT chooser_id, chosen_id, side FROM preferences WHERE organization_id = ?",
            (organization_id,),
        )
        by_mentees = {(r["chooser_id"], r["chosen_id"]) for r in rows if r["side"] == "mentee"}
        by_mentors = {(r["chosen_id"], r["chooser_id"]) for r in rows if r["side"] == "mentor"}
        return by_mentees, by_mentors


class OrdersRepo:
    """The school's orders with their numbers and dates (the district report lists them)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        organization_id: int,
        kind: OrderKind,
        number: str,
        signed_on: date,
        created_by: int,
        now: datetime,
        file: tuple[str, str] | None = None,
    ) -> SchoolOrder:
        """`file`: the Telegram file id and name of the act's scan, if the curator sent one."""
        order_id = await self._db.insert(
            "INSERT INTO school_orders (organization_id, kind, number, signed_on, created_by,"
            " created_at, file_id, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                organization_id,
                kind.value,
                number,
                signed_on.isoformat(),
                created_by,
                to_db_time(now),
                *(file or (None, None)),
            ),
        )
        return SchoolOrder(
            order_id, organization_id, kind, number, signed_on, file[0] if file else None
        )

    async def of_school(self, organization_id: int, kind: OrderKind) -> list[SchoolOrder]:
        """The orders of this kind, the latest first."""
        rows = await self._db.fetch_all(
            "SELECT id, organization_id, kind, number, signed_on FROM school_orders"
            " WHERE organization_id = ? AND kind = ? ORDER BY signed_on DESC, id DESC",
            (organization_id, kind.value),
        )
        return [
            SchoolOrder(
                row["id"],
                row["organization_id"],
                OrderKind(row["kind"]),
                row["number"],
                date.fromisoformat(row["signed_on"]),
            )
            for row in rows
        ]
