from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Connection, Database, Row, from_db_time, to_db_time
from storage.models import (
    Consent,
    ConsentKind,
    Decision,
    OutboxStatus,
    PairStatus,
    ProgramEndReason,
    Role,
)

_COLUMNS = (
    "id, person_id, organization_id, kind, text_version, text_hash, decision, decided_at,"
    " message_id, parent_telegram_id, parent_name, withdrawn_at"
)

# A participation: the school (None for none) and the role held there.
Participation = tuple[int | None, Role]


@dataclass(frozen=True)
class Revocable:
    """What a person may withdraw: their own consent or participation, and the consents they
    gave as a parent (how many children)."""

    own: bool
    children: int


@dataclass(frozen=True)
class Erased:
    person_id: int
    telegram_id: int
    ended: tuple[Participation, ...]


@dataclass(frozen=True)
class Withdrawal:
    own: Erased
    children: tuple[Erased, ...]


class ConsentsRepo:
    """Consent evidence, and the erasure that follows a withdrawal."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        person_id: int,
        organization_id: int,
        kind: ConsentKind,
        text_version: int,
        text_hash: str,
        agreed: bool,
        now: datetime,
        message_id: int | None,
        parent_telegram_id: int | None = None,
        parent_name: str | None = None,
    ) -> None:
        await self._db.execute(
            f"INSERT INTO consents ({_COLUMNS.split(', ', 1)[1]})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                person_id,
                organization_id,
                kind.value,
                text_version,
                text_hash,
                "agree" if agreed else "decline",
                to_db_time(now),
                message_id,
                parent_telegram_id,
                parent_name,
            ),
        )

    async def latest(
        self, person_id: int, organization_id: int, kind: ConsentKind
    ) -> Consent | None:
        """The person's last decision for this school, unless withdrawn since."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM consents WHERE person_id = ? AND organization_id = ?"
            " AND kind = ? AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
            (person_id, organization_id, kind.value),
        )
        return _consent(row) if row else None

    async def agreed_people(self, organization_id: int, kind: ConsentKind) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT c.person_id FROM consents c WHERE c.organization_id = ? AND c.kind = ?"
            " AND c.withdrawn_at IS NULL AND c.id = (SELECT MAX(id) FROM consents"
            " WHERE person_id = c.person_id AND organization_id = c.organization_id"
            " AND kind = c.kind) AND c.decision = 'agree'",
            (organization_id, kind.value),
        )
        return {row["person_id"] for row in rows}

    async def all_of(self, person_id: int) -> list[Consent]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM consents WHERE person_id = ? ORDER BY id", (person_id,)
        )
        return [_consent(row) for row in rows]

    async def given_as_parent(self, parent_telegram_id: int) -> list[Consent]:
        """The consents a parent gave (or refused) for their children: their own evidence."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM consents WHERE kind = ? AND parent_telegram_id = ?"
            " ORDER BY id",
            (ConsentKind.PARENT.value, parent_telegram_id),
        )
        return [_consent(row) for row in rows]

    async def revocable(self, person_id: int, telegram_id: int) -> Revocable:
        """What a withdrawal by this person would take away, so that nothing false is shown."""
        own = await self._db.fetch_one(
            "SELECT 1 FROM consents WHERE person_id = ? AND withdrawn_at IS NULL"
            " AND decision = 'agree' UNION SELECT 1 FROM role_grants WHERE person_id = ?"
            " AND role IN (?, ?)",
            (person_id, person_id, Role.MENTOR.value, Role.MENTEE.value),
        )
        children = await self._db.fetch_all(_CHILDREN, (ConsentKind.PARENT.value, telegram_id))
        return Revocable(own=own is not None, children=len(children))

    async def withdraw(self, person_id: int, telegram_id: int, now: datetime) -> Withdrawal:
        """The person's withdrawal, in one transaction: their own consents and data, and, for
        a parent, the consent given for each child, which ends the child's participation
        and erases the child's data as the child's own withdrawal would."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            children = []
            for row in await conn.fetch_all(_CHILDREN, (ConsentKind.PARENT.value, telegram_id)):
                ended = await _erase(conn, row["person_id"], row["telegram_id"], stamp)
                children.append(Erased(row["person_id"], row["telegram_id"], tuple(ended)))
            own = await _erase(conn, person_id, telegram_id, stamp)
        return Withdrawal(Erased(person_id, telegram_id, tuple(own)), tuple(children))

    async def withdraw_and_erase(
        self, person_id: int, telegram_id: int, now: datetime
    ) -> list[Participation]:
        """Erase again for a person who withdrew (the daily job): their own data only, never
        the consents they gave as a parent."""
        async with self._db.transaction() as conn:
            return await _erase(conn, person_id, telegram_id, to_db_time(now))


# The children whose parent consent, given by this Telegram user, is in force.
_CHILDREN = (
    "SELECT DISTINCT c.person_id, p.telegram_id FROM consents c JOIN people p"
    " ON p.id = c.person_id WHERE c.kind = ? AND c.parent_telegram_id = ?"
    " AND c.withdrawn_at IS NULL AND c.decision = 'agree'"
)


async def _erase(
    conn: Connection, person_id: int, telegram_id: int, stamp: str
) -> list[Participation]:
    """Withdraw every consent of the person and erase their personal data.

    Kept: consent rows (ids, versions, hashes and times: the evidence, no names), the person's
    Telegram id, one anonymous `withdrawals` row per participation for the school's statistics,
    and of their pairs and meetings only what the other participants need: that they existed,
    their dates and statuses. Every free text the person wrote goes. Returns the (school, role)
    participations that ended.
    """
    held = await conn.fetch_all(
        "SELECT organization_id, role FROM role_grants WHERE person_id = ? AND role IN (?, ?)",
        (person_id, Role.MENTOR.value, Role.MENTEE.value),
    )
    ended = [(row["organization_id"], Role(row["role"])) for row in held]
    for organization_id, role in ended:
        await conn.execute(
            "INSERT INTO withdrawals (organization_id, role, withdrawn_at) VALUES (?, ?, ?)",
            (organization_id, role.value, stamp),
        )
    # What hangs off the person's form sessions goes first: their meeting feedback and, for a
    # mentor, the programs they wrote.
    # The history of the programs they wrote goes with them; what they typed about an ending
    # or a change is blanked.
    await conn.execute(
        "DELETE FROM program_revisions WHERE pair_id IN (SELECT pair_id FROM programs"
        " WHERE session_id IN (SELECT id FROM form_sessions WHERE person_id = ?))",
        (person_id,),
    )
    await conn.execute("UPDATE program_endings SET note = '' WHERE initiated_by = ?", (person_id,))
    await conn.execute(
        "UPDATE program_changes SET activities = NULL WHERE proposed_by = ?", (person_id,)
    )
    for table in ("form_answers", "meeting_feedback", "programs"):
        await conn.execute(
            f"DELETE FROM {table} WHERE session_id IN"
            " (SELECT id FROM form_sessions WHERE person_id = ?)",
            (person_id,),
        )
    # Named survey answers and the survey invitations (anonymous answers have no person).
    for table in ("survey_responses", "survey_recipients"):
        await conn.execute(f"DELETE FROM {table} WHERE person_id = ?", (person_id,))
    await conn.execute("DELETE FROM form_sessions WHERE person_id = ?", (person_id,))
    # Free texts outside the forms: the reasons they gave for a refusal or a request (and the
    # curator's answer to it), the reasons a draft quoted from their questionnaire, whom they
    # preferred. A meeting's place and topic tell where the person was and what about; a
    # reschedule changes who proposed it, so the texts of every meeting of their pairs go.
    await conn.execute(
        "UPDATE pair_participants SET reason = NULL WHERE person_id = ?", (person_id,)
    )
    await conn.execute(
        "UPDATE pair_requests SET reason = '', curator_comment = NULL WHERE person_id = ?",
        (person_id,),
    )
    await conn.execute(
        "UPDATE meetings SET place = '', topic = '' WHERE pair_id IN"
        " (SELECT pair_id FROM pair_participants WHERE person_id = ?)",
        (person_id,),
    )
    await conn.execute(
        "UPDATE pair_drafts SET reasons = '[]' WHERE mentee_id = ? OR mentor_id = ?",
        (person_id, person_id),
    )
    await conn.execute(
        "DELETE FROM preferences WHERE chooser_id = ? OR chosen_id = ?", (person_id, person_id)
    )
    # A published case of their pairs goes with either side's withdrawal; the notes written
    # about them as a mentee, and those they wrote about others, go too.
    for table in ("practices", "practice_consents"):
        await conn.execute(
            f"DELETE FROM {table} WHERE pair_id IN"
            " (SELECT pair_id FROM pair_participants WHERE person_id = ?)",
            (person_id,),
        )
    await conn.execute(
        "DELETE FROM mentee_notes WHERE mentee_id = ? OR author_id = ?", (person_id, person_id)
    )
    await conn.execute(
        "DELETE FROM role_grants WHERE person_id = ? AND role IN (?, ?)",
        (person_id, Role.MENTOR.value, Role.MENTEE.value),
    )
    await conn.execute(
        "UPDATE consents SET withdrawn_at = ?, parent_name = NULL"
        " WHERE person_id = ? AND withdrawn_at IS NULL",
        (stamp, person_id),
    )
    # Invitations and draft lines with the person lapse, active pairs end; the pair rows stay,
    # as ids only, for the school's statistics.
    await conn.execute(
        "UPDATE pairs SET status = 'withdrawn', ended_at = ? WHERE status = 'invited'"
        " AND id IN (SELECT pair_id FROM pair_participants WHERE person_id = ?)",
        (stamp, person_id),
    )
    # A mentee leaving a group with other mentees leaves it alone: the group goes on.
    await conn.execute(
        "UPDATE pair_participants SET decision = ?, reason = ? WHERE person_id = ?"
        " AND role = ? AND pair_id IN (SELECT p.id FROM pairs p WHERE p.status = ?"
        " AND EXISTS (SELECT 1 FROM pair_participants o WHERE o.pair_id = p.id"
        " AND o.role = ? AND o.person_id <> ? AND o.decision = ?))",
        (
            Decision.DECLINED.value,
            ProgramEndReason.LEFT.value,
            person_id,
            Role.MENTEE.value,
            PairStatus.ACTIVE.value,
            Role.MENTEE.value,
            person_id,
            Decision.ACCEPTED.value,
        ),
    )
    # Their other programs end early: «выбыл», recorded as every ending is.
    leaving = " AND id IN (SELECT pair_id FROM pair_participants WHERE person_id = ?" + (
        " AND decision <> ?)"
    )
    await conn.execute(
        "INSERT INTO program_endings (pair_id, reason, note, requested_at, effective_on,"
        " ended_at) SELECT id, ?, '', ?, ?, ? FROM pairs WHERE status = ?"
        + leaving
        + " ON CONFLICT (pair_id) DO UPDATE SET reason = excluded.reason,"
        " ended_at = excluded.ended_at",
        (
            ProgramEndReason.LEFT.value,
            stamp,
            stamp[:10],  # the UTC day of the withdrawal
            stamp,
            PairStatus.ACTIVE.value,
            person_id,
            Decision.DECLINED.value,
        ),
    )
    await conn.execute(
        "UPDATE pairs SET status = ?, ended_at = ?, end_reason = ? WHERE status = ?" + leaving,
        (
            PairStatus.ENDED.value,
            stamp,
            ProgramEndReason.LEFT.value,
            PairStatus.ACTIVE.value,
            person_id,
            Decision.DECLINED.value,
        ),
    )
    await conn.execute(
        "UPDATE pair_drafts SET status = 'discarded' WHERE status = 'open'"
        " AND (mentee_id = ? OR mentor_id = ?)",
        (person_id, person_id),
    )
    await conn.execute(
        "UPDATE invites SET revoked_at = ? WHERE subject_person_id = ? AND revoked_at IS NULL",
        (stamp, person_id),
    )
    await conn.execute(
        "UPDATE outbox SET status = 'withdrawn', finished_at = ?"
        " WHERE chat_id = ? AND status = 'pending'",
        (stamp, telegram_id),
    )
    # Texts already sent to them may quote their answers. A row in flight keeps its text
    # until sent; the daily erasure job blanks it then.
    await conn.execute(
        "UPDATE outbox SET payload = '{}' WHERE chat_id = ? AND status NOT IN (?, ?)",
        (telegram_id, OutboxStatus.CLAIMED.value, OutboxStatus.SENDING.value),
    )
    return ended


def _consent(row: Row) -> Consent:
    return Consent(
        id=row["id"],
        person_id=row["person_id"],
        organization_id=row["organization_id"],
        kind=ConsentKind(row["kind"]),
        text_version=row["text_version"],
        text_hash=row["text_hash"],
        agreed=row["decision"] == "agree",
        decided_at=from_db_time(row["decided_at"]),
        message_id=row["message_id"],
        parent_telegram_id=row["parent_telegram_id"],
        parent_name=row["parent_name"],
        withdrawn_at=from_db_time(row["withdrawn_at"]) if row["withdrawn_at"] else None,
    )
