"""The end of every program (issue 13, second half): completion after the final meeting,
early endings (the mentor's after the notice of ТК РФ ст. 351.8), changes by mutual agreement
kept as revisions, overdue programs, the monitoring surveys, and the bad input around them."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiogram import Bot

from bot.completion.service import notice_end
from bot.core.i18n import tr
from bot.meetings.service import FINAL_REMINDER
from bot.services import Services
from bot.surveys.rules import OffsetField
from bot.ui.callbacks import (
    MeetingAction,
    MeetingCb,
    PairCardAction,
    PairCardCb,
    ProgramChangeCb,
    ProgramEndCb,
)
from storage.db import Database, from_db_time
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, MeetingStatus, Pair, ProgramSurveyStage, Role
from storage.surveys import SurveysRepo
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, MENTEE, MENTOR, active_pair, deliver, drain, write_program

OTHER_MENTOR = 12


def _services(tg: Harness) -> Services:
    services: Services = tg.dp["services"]
    return services


async def _confirmed_pair(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> Pair:
    pair = await active_pair(db, clock, school)
    await write_program(tg)
    await deliver(bot, db, clock)
    await tg.press(MENTEE, tr("btn-program-open"))
    await tg.press(MENTEE, tr("btn-program-confirm"))
    await drain(bot, db, clock)
    return pair


async def _meeting(
    db: Database, clock: FakeClock, pair: Pair, kind: MeetingKind, at: datetime
) -> int:
    meetings = MeetingsRepo(db)
    meeting_id = await meetings.create(
        pair.id, kind, at, "каб. 204", "", pair.mentor_id, clock.now()
    )
    assert await meetings.confirm(meeting_id, 1, clock.now())
    return meeting_id


async def _feedback(tg: Harness, person: int, meeting_id: int) -> None:
    data = MeetingCb(meeting_id=meeting_id, revision=1, action=MeetingAction.FEEDBACK).pack()
    await tg.press_data(person, data)
    await tg.press(person, "Да")
    await tg.press(person, "8")
    await tg.send(person, "Подвели итоги программы")
    await tg.press(person, "Пропустить »")
    await tg.press(person, "Пропустить »")
    await tg.send(person, "Продолжить работу самостоятельно")
    await tg.press(person, "📨 Отправить")


async def _press(tg: Harness, user: int, pair_id: int, action: PairCardAction) -> dict[str, Any]:
    return await tg.press_data(user, PairCardCb(pair_id=pair_id, action=action).pack())


async def _pair_row(db: Database, pair_id: int) -> tuple[str, str | None]:
    row = await db.fetch_one("SELECT status, end_reason FROM pairs WHERE id = ?", (pair_id,))
    assert row is not None
    return row["status"], row["end_reason"]


async def _count(db: Database, sql: str, *params: object) -> int:
    row = await db.fetch_one(sql, params)
    assert row is not None
    return int(row[0])


def test_the_mentors_notice_counts_three_working_days() -> None:
    assert notice_end(date(2026, 11, 23), 3) == date(2026, 11, 26)  # Mon → Thu
    assert notice_end(date(2026, 11, 27), 3) == date(2026, 12, 2)  # Fri → Wed
    assert notice_end(date(2026, 11, 28), 3) == date(2026, 12, 2)  # Sat → Wed
    assert notice_end(date(2026, 11, 26), 3) == date(2026, 12, 1)  # Thu → Tue


async def test_completing_a_pair_without_a_held_final_meeting_is_refused(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    # A final meeting only planned (ahead) is not held.
    await _meeting(db, clock, pair, MeetingKind.FINAL, clock.now() + timedelta(days=3))
    await _press(tg, MENTOR, pair.id, PairCardAction.COMPLETE)
    assert "итоговая встреча ещё не проведена" in tg.alert()
    assert await _pair_row(db, pair.id) == ("active", None)
    assert await _count(db, "SELECT COUNT(*) FROM program_agreements") == 0


async def test_a_pair_walks_from_its_final_meeting_to_a_completed_program(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    # The growth self-assessment was asked when the program was confirmed.
    start = await db.fetch_one("SELECT survey_id FROM program_surveys WHERE stage = 'growth_start'")
    assert start is not None and start["survey_id"]
    assert any("Самооценка профессионального роста" in t for t in tg.texts(MENTEE))
    meeting_id = await _meeting(
        db, clock, pair, MeetingKind.FINAL, clock.now() + timedelta(hours=1)
    )
    clock.advance(hours=3)
    await _press(tg, MENTOR, pair.id, PairCardAction.COMPLETE)
    assert "обратную связь по итоговой встрече" in tg.alert()  # not yet given
    await _feedback(tg, MENTOR, meeting_id)
    await _press(tg, MENTOR, pair.id, PairCardAction.COMPLETE)
    assert tr("completion-waiting") == tg.alert()
    assert await _pair_row(db, pair.id) == ("active", None)
    await drain(bot, db, clock)
    assert "Подтвердите и вы" in tg.fake.last(MENTEE)["text"]
    await _feedback(tg, MENTEE, meeting_id)
    await tg.press(MENTEE, tr("btn-program-complete"))
    assert "Программа завершена: программа выполнена" in tg.alert()
    assert await _pair_row(db, pair.id) == ("completed", "completed")
    ending = await db.fetch_one("SELECT reason, ended_at FROM program_endings")
    assert ending is not None and ending["reason"] == "completed" and ending["ended_at"]
    # The final surveys: each side its own template, and the growth self-assessment again.
    sent = await db.fetch_all(
        "SELECT c.form_id, p.telegram_id FROM survey_recipients r"
        " JOIN survey_campaigns c ON c.id = r.survey_id JOIN people p ON p.id = r.person_id"
        " ORDER BY c.id, p.telegram_id"
    )
    assert [(r["form_id"], r["telegram_id"]) for r in sent] == [
        ("survey_growth", MENTOR),
        ("survey_growth", MENTEE),
        ("survey_mentor_satisfaction", MENTOR),
        ("survey_mentee_satisfaction", MENTEE),
        ("survey_growth", MENTOR),
        ("survey_growth", MENTEE),
    ]
    await drain(bot, db, clock)
    assert any("Анкета удовлетворённости наставляемого" in t for t in tg.texts(MENTEE))
    assert any("Анкета удовлетворённости наставника" in t for t in tg.texts(MENTOR))
    # The program's own surveys stay off the curator's list of surveys.
    assert await _services(tg).surveys.of_school(school) == []
    # History stays; the mentee may be paired again.
    assert await _count(db, "SELECT COUNT(*) FROM meetings WHERE pair_id = ?", pair.id) == 1
    assert (
        await _count(db, "SELECT COUNT(*) FROM program_revisions WHERE pair_id = ?", pair.id) == 1
    )
    candidates = await _services(tg).pairs.candidates(school)
    assert pair.mentee_ids[0] in candidates.mentees


async def test_growth_is_shown_per_competence_to_the_participant_and_averaged_for_the_curator(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    surveys = SurveysRepo(db)
    completion = _services(tg).completion
    await completion._send(pair, ProgramSurveyStage.GROWTH_END)
    stages = {
        r["stage"]: r["survey_id"]
        for r in await db.fetch_all("SELECT stage, survey_id FROM program_surveys")
    }
    for stage, (mentor_score, mentee_score) in (("growth_start", (6, 3)), ("growth_end", (8, 7))):
        for person, score in ((pair.mentor_id, mentor_score), (pair.mentee_ids[0], mentee_score)):
            recipient = await surveys.recipient(stages[stage], person)
            assert recipient is not None
            answers = {"motivation": score, "confidence": score}
            assert await surveys.record(recipient, answers, False)
    await tg.send(MENTEE, "/menu")
    await tg.press(MENTEE, tr("btn-my-pairs"))
    own = await tg.press(MENTEE, "🤝 1")
    assert "• Мотивация: 3 → 7 (+4)" in own["text"]
    await tg.send(CURATOR, "/menu")
    card = await tg.press_data(
        CURATOR, PairCardCb(pair_id=pair.id, action=PairCardAction.OPEN).pack()
    )
    assert "среднее по участникам пары" in card["text"]
    assert "• Мотивация: 4.5 → 7.5 (+3.0)" in card["text"]


async def test_both_sides_ending_early_at_the_same_moment_make_one_ending(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    for user, reason in ((MENTOR, "mentor"), (MENTEE, "mentee")):
        await tg.press_data(user, ProgramEndCb(pair_id=pair.id, reason=reason).pack())
        assert tr("end-ask-note") in tg.fake.last(user)["text"]
    await asyncio.gather(tg.send(MENTOR, "Перевожусь в другую школу"), tg.send(MENTEE, "Ухожу"))
    answers = [tg.fake.last(MENTOR)["text"], tg.fake.last(MENTEE)["text"]]
    refused = tr("completion-refusal", reason="ending")
    assert sum(1 for text in answers if text == refused) == 1
    assert await _count(db, "SELECT COUNT(*) FROM program_endings") == 1


async def test_the_mentors_early_ending_takes_effect_after_three_working_days(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)  # Monday 23.11.2026
    before = await _meeting(
        db, clock, pair, MeetingKind.REGULAR, datetime.fromisoformat("2026-11-25T12:00+00:00")
    )
    after = await _meeting(
        db, clock, pair, MeetingKind.REGULAR, datetime.fromisoformat("2026-11-27T12:00+00:00")
    )
    await tg.press_data(MENTOR, ProgramEndCb(pair_id=pair.id, reason="mentor").pack())
    done = await tg.send(MENTOR, "Перевожусь в другую школу")
    assert "прекращается 26.11.2026" in done["text"]
    assert await _pair_row(db, pair.id) == ("active", None)
    statuses = {m.id: m.status for m in await MeetingsRepo(db).of_pair(pair.id, clock.now())}
    assert statuses == {before: MeetingStatus.CONFIRMED, after: MeetingStatus.CANCELLED}
    assert (
        await _count(
            db,
            "SELECT COUNT(*) FROM outbox WHERE unique_key LIKE ? AND status = 'pending'",
            f"meeting:{after}:%",
        )
        == 0
    )
    await drain(bot, db, clock)
    for user in (MENTEE, CURATOR):
        assert "прекращается 26.11.2026" in tg.fake.last(user)["text"]
    clock.advance(days=2)  # Wednesday: the notice runs on
    await _services(tg).completion.sweep()
    assert await _pair_row(db, pair.id) == ("active", None)
    clock.advance(days=1)
    await _services(tg).completion.sweep()
    assert await _pair_row(db, pair.id) == ("ended", "mentor")
    ending = await db.fetch_one("SELECT effective_on, note FROM program_endings")
    assert ending is not None and (ending["effective_on"], ending["note"]) == (
        "2026-11-26",
        "Перевожусь в другую школу",
    )


async def test_an_early_ending_takes_effect_on_the_far_east_schools_own_day(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    # Kamchatka's day is ahead of the UTC day until noon: 27.11 begins at 12:00 UTC on 26.11.
    await db.execute("UPDATE organizations SET timezone = 'Asia/Kamchatka' WHERE id = ?", (school,))
    clock.advance(hours=14)  # Tuesday 24.11, 11:00 in Kamchatka
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    await tg.press_data(MENTOR, ProgramEndCb(pair_id=pair.id, reason="mentor").pack())
    done = await tg.send(MENTOR, "Перевожусь в другую школу")
    assert "прекращается 27.11.2026" in done["text"]
    clock.current = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # 26.11, 23:00 in Kamchatka
    await _services(tg).completion.sweep()
    assert await _pair_row(db, pair.id) == ("active", None)
    clock.advance(hours=2)  # 27.11, 01:00 there, still 26.11 in UTC
    await _services(tg).completion.sweep()
    assert await _pair_row(db, pair.id) == ("ended", "mentor")


async def test_a_revision_proposed_while_another_is_pending_is_refused_and_history_is_kept(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    await _press(tg, MENTOR, pair.id, PairCardAction.REVISE)
    assert "Не удалось прочитать дату" in (await tg.send(MENTOR, "тридцатое июня"))["text"]
    await tg.send(MENTOR, "30.06.2027")
    assert tr("change-sent") in (await tg.send(MENTOR, "-"))["text"]
    await _press(tg, MENTEE, pair.id, PairCardAction.REVISE)
    assert "ещё ждёт ответа" in tg.alert()
    assert await _count(db, "SELECT COUNT(*) FROM program_changes") == 1
    await drain(bot, db, clock)
    assert "Новая дата окончания: 30.06.2027" in tg.fake.last(MENTEE)["text"]
    assert "Новая дата окончания: 30.06.2027" in tg.fake.last(CURATOR)["text"]
    # The mentor cannot accept their own proposal.
    await tg.press(MENTOR, tr("btn-program-open"))
    own = await db.fetch_one("SELECT id FROM program_changes")
    assert own is not None
    await tg.press_data(MENTOR, ProgramChangeCb(change_id=own["id"], accept=True).pack())
    assert "ответить на него должна другая сторона" in tg.alert()
    await tg.press(MENTEE, tr("btn-change-accept"))
    assert tr("change-answered", accepted=True) == tg.alert()
    program = await db.fetch_one(
        "SELECT revision, ends_on FROM programs WHERE pair_id = ?", (pair.id,)
    )
    assert program is not None and (program["revision"], program["ends_on"]) == (2, "2027-06-30")
    revisions = await db.fetch_all(
        "SELECT revision, ends_on FROM program_revisions ORDER BY revision"
    )
    assert [(r["revision"], r["ends_on"]) for r in revisions] == [(1, None), (2, "2027-06-30")]
    assert await _services(tg).programs.end_date(pair) == date(2027, 6, 30)
    # Answering again changes nothing.
    await tg.press(MENTEE, tr("btn-change-accept"))
    assert "уже ответили" in tg.alert()


async def test_forged_callbacks_for_another_pairs_completion_and_termination(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    await seed.participant(db, clock, school, OTHER_MENTOR, Role.MENTOR)
    await tg.send(OTHER_MENTOR, "/menu")
    await _press(tg, OTHER_MENTOR, pair.id, PairCardAction.COMPLETE)
    assert tg.alert() == tr("pair-not-yours")
    await tg.press_data(OTHER_MENTOR, ProgramEndCb(pair_id=pair.id, reason="mentor").pack())
    assert tg.alert() == tr("forbidden")
    await tg.press_data(OTHER_MENTOR, ProgramEndCb(pair_id=pair.id, reason="bogus").pack())
    assert tg.alert() == tr("forbidden")
    assert await _pair_row(db, pair.id) == ("active", None)
    assert await _count(db, "SELECT COUNT(*) FROM program_endings") == 0
    assert await _count(db, "SELECT COUNT(*) FROM program_agreements") == 0


async def test_a_mentee_cannot_press_the_curators_not_carried_out_but_the_curator_can(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    forged = ProgramEndCb(pair_id=pair.id, reason="not_carried_out").pack()
    await tg.press_data(MENTEE, forged)
    assert tg.alert() == tr("forbidden")
    # Nothing was asked: a text now is not taken as a reason.
    await tg.send(MENTEE, "Не реализована")
    assert await _count(db, "SELECT COUNT(*) FROM program_endings") == 0
    await tg.send(CURATOR, "/menu")
    card = await _press(tg, CURATOR, pair.id, PairCardAction.END)
    assert tr("btn-end-reason", reason="not_carried_out") in tg.fake.buttons(card)
    await tg.press(CURATOR, tr("btn-end-reason", reason="not_carried_out"))
    done = await tg.send(CURATOR, "Встречи не проводились")
    assert "программа не реализована" in done["text"]
    assert await _pair_row(db, pair.id) == ("ended", "not_carried_out")


async def test_overdue_programs_are_listed_and_both_sides_asked_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)  # ends 01.06.2027
    completion = _services(tg).completion
    clock.advance(days=(date(2027, 6, 2) - date(2026, 11, 23)).days, hours=10)  # 19:00 МСК
    await completion.sweep()
    await completion.sweep()
    asked = await db.fetch_all(
        "SELECT unique_key FROM outbox WHERE unique_key LIKE 'programs:%overdue%'"
    )
    assert len(asked) == 2
    listed = await db.fetch_all(
        "SELECT unique_key, payload FROM outbox WHERE unique_key LIKE 'overdue-list:%'"
    )
    assert len(listed) == 1 and "срок истёк 01.06.2027" in listed[0]["payload"]
    assert [p.id for p, _ in await completion.overdue(school)] == [pair.id]
    await drain(bot, db, clock)  # 22:00 МСК: quiet hours, nothing goes out
    assert "истёк" not in tg.fake.last(MENTEE)["text"]
    clock.advance(hours=10)
    await drain(bot, db, clock)
    ask = tg.fake.last(MENTEE)
    assert "Срок вашей программы наставничества истёк 01.06.2027" in ask["text"]
    await tg.press(MENTEE, tr("btn-program-explain"))
    assert tr("explain-sent") in (await tg.send(MENTEE, "Болела два месяца"))["text"]
    await drain(bot, db, clock)
    assert "Болела два месяца" in tg.fake.last(CURATOR)["text"]


async def test_the_intermediate_feedback_goes_out_at_the_midpoint_once(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _confirmed_pair(tg, db, clock, bot, school)  # 01.12.2026 – 01.06.2027
    completion = _services(tg).completion
    clock.advance(days=(date(2027, 2, 20) - date(2026, 11, 23)).days)
    await completion.sweep()
    assert (
        await _count(db, "SELECT COUNT(*) FROM program_surveys WHERE stage = 'intermediate'") == 0
    )
    clock.advance(days=12)
    await completion.sweep()
    await completion.sweep()
    sent = await db.fetch_all(
        "SELECT c.form_id FROM program_surveys s JOIN survey_campaigns c ON c.id = s.survey_id"
        " WHERE s.stage = 'intermediate'"
    )
    assert [r["form_id"] for r in sent] == ["survey_intermediate"]
    recipients = (
        "SELECT COUNT(*) FROM survey_recipients r JOIN program_surveys s"
        " ON s.survey_id = r.survey_id WHERE s.stage = 'intermediate'"
    )
    assert await _count(db, recipients) == 2


async def test_a_mentee_who_withdraws_consent_ends_the_program_with_reason_left(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    await tg.send(MENTEE, "/revoke")
    await tg.press(MENTEE, tr("btn-revoke-confirm"))
    assert await _pair_row(db, pair.id) == ("ended", "left")
    ending = await db.fetch_one("SELECT reason FROM program_endings WHERE pair_id = ?", (pair.id,))
    assert ending is not None and ending["reason"] == "left"
    # The mentor still opens the pair: its card and program.
    await tg.send(MENTOR, "/menu")
    card = await _press(tg, MENTOR, pair.id, PairCardAction.OPEN)
    assert "Завершение: участник выбыл" in card["text"]


async def test_a_mutual_early_ending_needs_both_sides(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)
    await tg.press_data(MENTOR, ProgramEndCb(pair_id=pair.id, reason="mutual").pack())
    waiting = await tg.send(MENTOR, "Цели достигнуты раньше срока")
    assert tr("completion-waiting") in waiting["text"]
    assert await _pair_row(db, pair.id) == ("active", None)
    await drain(bot, db, clock)
    assert "по взаимному решению" in tg.fake.last(MENTEE)["text"]
    await tg.press(MENTEE, tr("btn-end-agree"))
    done = await tg.send(MENTEE, "Согласна")
    assert "досрочно по взаимному решению" in done["text"]
    assert await _pair_row(db, pair.id) == ("ended", "mutual")


async def test_the_completion_sweep_reads_only_the_programs_due(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    """Issue 17: the hourly sweep costs the programs due for a look, not every program."""
    pair = await _confirmed_pair(tg, db, clock, bot, school)  # 01.12.2026 – 01.06.2027
    completion = _services(tg).completion
    assert await completion.sweep() == 1  # just confirmed: looked at once
    assert await completion.sweep() == 0
    clock.advance(days=(date(2027, 1, 20) - date(2026, 11, 23)).days)
    assert await completion.sweep() == 0  # the midpoint (02.03.2027) has not come
    # The school moves its midpoint to a quarter: its programs are looked at again.
    await _services(tg).surveys.set_offsets(school, OffsetField.MIDPOINT, "25")
    assert await completion.sweep() == 1
    assert await completion.sweep() == 0  # sent once; a restart reads the same marks
    stages = await db.fetch_all("SELECT stage FROM program_surveys WHERE pair_id = ?", (pair.id,))
    assert [r["stage"] for r in stages].count(ProgramSurveyStage.INTERMEDIATE.value) == 1
    clock.current = datetime(2027, 6, 1, 20, 59, tzinfo=UTC)  # 23:59 МСК on the end day
    assert await completion.sweep() == 0
    clock.advance(minutes=1)  # 02.06 in Moscow: overdue
    assert await completion.sweep() == 1
    clock.advance(hours=1)
    assert await completion.sweep() == 1  # an overdue program is looked at every hour
    asked = await db.fetch_all("SELECT 1 FROM outbox WHERE unique_key LIKE 'programs:%overdue%'")
    assert len(asked) == 2  # and both sides asked once


async def test_the_final_meeting_check_reads_only_the_programs_due(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    pair = await _confirmed_pair(tg, db, clock, bot, school)  # ends 01.06.2027
    meetings = _services(tg).meetings
    await meetings.sweep()
    row = await db.fetch_one("SELECT final_at FROM programs WHERE pair_id = ?", (pair.id,))
    assert row is not None
    assert from_db_time(row["final_at"]) == datetime(2027, 5, 17, 21, 0, tzinfo=UTC)  # 18.05 МСК
    clock.current = datetime(2027, 5, 17, 20, 0, tzinfo=UTC)
    assert await _services(tg).programs.due_for_final(FINAL_REMINDER, 10) == []
    clock.current = datetime(2027, 5, 18, 9, 0, tzinfo=UTC)
    await meetings.sweep()
    await meetings.sweep()
    finals = "SELECT COUNT(*) FROM outbox WHERE unique_key LIKE 'final:%'"
    assert await _count(db, finals) == 2
    # A final meeting planned: not asked; the check looks again when it was to start.
    at = datetime(2027, 5, 25, 12, 0, tzinfo=UTC)
    meeting_id = await _meeting(db, clock, pair, MeetingKind.FINAL, at)
    clock.advance(hours=1)
    await meetings.sweep()
    row = await db.fetch_one("SELECT final_at FROM programs WHERE pair_id = ?", (pair.id,))
    assert row is not None and from_db_time(row["final_at"]) == at
    assert await MeetingsRepo(db).cancel(meeting_id, clock.now())  # cancelled: looked at now
    assert len(await _services(tg).programs.due_for_final(FINAL_REMINDER, 10)) == 1
