"""The banks of mentees and mentors of a school: who is in them, in what state, exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.core.config import QuietHours
from bot.core.i18n import tr
from bot.core.outbox import message_payload
from bot.core.quiet import school_day
from bot.core.zones import school_zone
from bot.forms.answers import render
from bot.forms.catalog import STUDENT_CATEGORY, FormCatalog
from bot.forms.model import AnswerValue, Form
from bot.participation.service import QUESTIONNAIRE_OF
from storage.consents import ConsentsRepo
from storage.forms import FormSessionsRepo
from storage.models import ConsentKind, FormStatus, Organization, PairStatus, Role
from storage.outbox import OutboxRepo
from storage.pairs import PairsRepo
from storage.people import PeopleRepo

REMINDER_LIFETIME = timedelta(days=2)
# Which answer a filter looks at: a mentee's difficulties and a mentor's strengths are
# chosen from the same list of competence areas.
AREA_QUESTION = {Role.MENTEE: "difficulties", Role.MENTOR: "competences"}
SUBJECT_QUESTION = "subjects"


class BankStatus(StrEnum):
    NO_CONSENT = "no_consent"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_PARENT = "awaiting_parent"
    WAITING = "waiting"  # a mentee with a complete questionnaire, waiting for a mentor
    INVITED = "invited"  # invited into a pair, answers pending
    IN_PAIR = "in_pair"
    COMPLETE = "complete"  # a mentor with a complete questionnaire

    @property
    def unfinished(self) -> bool:
        return self in (BankStatus.NO_CONSENT, BankStatus.NOT_STARTED, BankStatus.IN_PROGRESS)


@dataclass(frozen=True)
class BankEntry:
    person_id: int
    telegram_id: int
    role: Role
    status: BankStatus
    days_waiting: int
    form: Form | None
    answers: dict[str, AnswerValue]
    reachable: bool = True  # False once Telegram said they blocked the bot
    load: int = 0  # a mentor: mentees held now (invited or active)
    submitted_at: datetime | None = None  # a waiting mentee: when the wait began

    @property
    def name(self) -> str:
        full_name = self.answers.get("full_name")
        return str(full_name) if full_name else unnamed(self.telegram_id)

    @property
    def capacity(self) -> int | None:
        """A mentor: how many mentees they said they can take; None before they said it."""
        given = self.answers.get("capacity")
        return given if isinstance(given, int) and self.role is Role.MENTOR else None

    def mentions(self, question_id: str, option_id: str) -> bool:
        given = self.answers.get(question_id)
        return isinstance(given, list) and option_id in given


def unnamed(telegram_id: int) -> str:
    return tr.plain("bank-unnamed", telegram_id=telegram_id)


@dataclass(frozen=True)
class BankFilter:
    """The curator's filter on a bank: option ids of a subject and of a competence area."""

    subject: str | None = None
    area: str | None = None

    @property
    def on(self) -> bool:
        return self.subject is not None or self.area is not None


@dataclass(frozen=True)
class BankCounts:
    total: int
    complete: int
    waiting: int


class BankService:
    def __init__(
        self,
        people: PeopleRepo,
        sessions: FormSessionsRepo,
        consents: ConsentsRepo,
        pairs: PairsRepo,
        outbox: OutboxRepo,
        catalog: FormCatalog,
        quiet: QuietHours,
        clock: Clock,
    ) -> None:
        self._people = people
        self._pairs = pairs
        self._sessions = sessions
        self._consents = consents
        self._outbox = outbox
        self._catalog = catalog
        self._quiet = quiet
        self._clock = clock

    async def bank(self, school_id: int, role: Role) -> list[BankEntry]:
        form_id = QUESTIONNAIRE_OF[role]
        members = await self._people.members(role, school_id)
        sessions = {s.person_id: s for s in await self._sessions.for_school(school_id, form_id)}
        answers = await self._sessions.answers_for([s.id for s in sessions.values()])
        consented = await self._consents.agreed_people(school_id, ConsentKind.PERSONAL_DATA)
        parents = await self._consents.agreed_people(school_id, ConsentKind.PARENT)
        in_pairs = await self._pairs.mentee_pair_status(school_id) if role is Role.MENTEE else {}
        loads = await self._pairs.mentor_loads(school_id) if role is Role.MENTOR else {}
        today = self._clock.now()
        entries = []
        for member in members:
            session = sessions.get(member.person_id)
            given = answers.get(session.id, {}) if session else {}
            days, since = 0, None
            if session is None:
                status = (
                    BankStatus.NOT_STARTED
                    if member.person_id in consented
                    else BankStatus.NO_CONSENT
                )
            elif session.status is FormStatus.IN_PROGRESS:
                status = BankStatus.IN_PROGRESS
            elif given.get("category") == STUDENT_CATEGORY and member.person_id not in parents:
                status = BankStatus.AWAITING_PARENT
            elif member.person_id in in_pairs:
                active = in_pairs[member.person_id] is PairStatus.ACTIVE
                status = BankStatus.IN_PAIR if active else BankStatus.INVITED
            elif role is Role.MENTEE:
                status = BankStatus.WAITING
                since = session.submitted_at
                days = max(0, (today - (since or today)).days)
            else:
                status = BankStatus.COMPLETE
            form = self._catalog.get(form_id, session.form_version) if session else None
            entries.append(
                BankEntry(
                    member.person_id,
                    member.telegram_id,
                    role,
                    status,
                    days,
                    form,
                    given,
                    member.is_active,
                    loads.get(member.person_id, 0),
                    since,
                )
            )

        return sorted(entries, key=lambda e: (e.status.unfinished, e.name.lower()))

    async def entry(self, school_id: int, role: Role, person_id: int) -> BankEntry | None:
        """One person of the school's bank; None for anyone else (a forged id)."""
        found = (e for e in await self.bank(school_id, role) if e.person_id == person_id)
        return next(found, None)

    async def names(self, school_id: int) -> dict[int, str]:
        """Everyone in the school's banks, by person id, named as the bank names them."""
        roles = (Role.MENTEE, Role.MENTOR)
        forms = [QUESTIONNAIRE_OF[role] for role in roles]
        given = await self._sessions.names_in_school(school_id, forms)
        names = {}
        for role in roles:
            for member in await self._people.members(role, school_id):
                names[member.person_id] = given.get(member.person_id) or unnamed(member.telegram_id)
        return names

    async def counts(self, school_id: int, role: Role) -> BankCounts:
        entries = await self.bank(school_id, role)
        return BankCounts(
            total=len(entries),
            complete=sum(1 for e in entries if not e.status.unfinished),
            waiting=sum(1 for e in entries if e.status is BankStatus.WAITING),
        )

    async def remind_unfinished(self, school: Organization, role: Role) -> int:
        """Queue one reminder per unfinished participant per school day (a press at night and
        another before 08:00 are one reminder in the morning); returns how many were new."""
        now = self._clock.now()
        day = school_day(now, school_zone(school), self._quiet)
        queued = 0
        for entry in await self.bank(school.id, role):
            if not entry.status.unfinished:
                continue
            key = f"bank-reminder:{school.id}:{role.value}:{entry.person_id}:{day}"
            if await self._outbox.enqueue(
                key,
                entry.telegram_id,
                "questionnaire_reminder",
                message_payload(tr("questionnaire-reminder", role=role)),
                now,
                now + REMINDER_LIFETIME,
                now,
            ):
                queued += 1
        return queued

    async def export(self, school_id: int, role: Role, only: BankFilter) -> BankExport:
        """What the curator sees on the screen, filter and all, with the current form."""
        entries = filtered(await self.bank(school_id, role), only)
        return BankExport(role, only, entries, self._catalog.current(QUESTIONNAIRE_OF[role]))


@dataclass(frozen=True)
class BankExport:
    role: Role
    only: BankFilter
    entries: list[BankEntry]
    form: Form


def filtered(entries: list[BankEntry], only: BankFilter) -> list[BankEntry]:
    return [
        entry
        for entry in entries
        if (only.subject is None or entry.mentions(SUBJECT_QUESTION, only.subject))
        and (only.area is None or entry.mentions(AREA_QUESTION[entry.role], only.area))
    ]


def export_table(entries: list[BankEntry], form: Form) -> tuple[list[str], list[list[str]]]:
    """One row per person, one column per question of the current form (Russian headers).
    Answers given to an older version land under the question with the same id."""
    headers = [tr.plain("export-status"), tr.plain("export-days-waiting")] + [
        q.header or q.text for q in form.questions
    ]
    rows = []
    for entry in entries:
        row = [tr.plain("bank-status", status=entry.status), str(entry.days_waiting or "")]
        for question in form.questions:
            value = entry.answers.get(question.id)
            row.append(render(question, value) if question.id in entry.answers else "")
        rows.append(row)
    return headers, rows


def to_xlsx(
    title: str, headers: list[str], rows: list[list[str]], note: str | None = None
) -> bytes:
    """`note` (the filter the curator set) goes above the headers, so the file says what it
    holds."""
    # openpyxl costs ~30 MB of memory: loaded on the first export, not at start-up.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    if note:
        sheet.append([spreadsheet_safe(note)])
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    sheet.freeze_panes = "A3" if note else "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(12, width + 2), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(headers: list[str], rows: list[list[str]], note: str | None = None) -> bytes:
    """UTF-8 with a BOM and semicolons: what Excel with Russian settings opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if note:
        writer.writerow([spreadsheet_safe(note)])
    writer.writerow(headers)
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def spreadsheet_safe(value: str) -> str:
    """A typed answer must not become a formula in the curator's spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
