"""The contest (issue 14) through the dispatcher: the shortlists with their scores, the vote of
the school's participants on a survey campaign, the winners' message and thank-you letters,
and who may not reach them."""

from __future__ import annotations

import asyncio
import io
import json
import re
from datetime import timedelta

from aiogram import Bot
from docx import Document

from bot.core.i18n import tr
from bot.surveys.service import SurveyRefusal
from bot.ui.callbacks import AwardAction, AwardCb
from storage.db import Database
from storage.meetings import MeetingsRepo
from storage.models import MeetingKind, Pair, PairStatus, Role, RoleGrant
from tests import seed
from tests.harness import FakeClock, Harness
from tests.steps import CURATOR, drain, services

TAKE = tr.plain("btn-survey-take")
SEND = "📨 Отправить"


async def _pair(
    db: Database, clock: FakeClock, school: int, mentor: int, mentees: list[int]
) -> Pair:
    service, pairs = services(db, clock)
    created = await service.create(school, mentor, mentees, CURATOR)
    assert isinstance(created, Pair)
    for person in (mentor, *mentees):
        await service.respond(created, person, True, None)
    pair = await pairs.get(created.id)
    assert pair is not None and pair.status is PairStatus.ACTIVE
    return pair


async def _held(db: Database, clock: FakeClock, pair: Pair, count: int) -> None:
    repo = MeetingsRepo(db)
    for day in range(count):
        meeting_id = await repo.create(
            pair.id,
            MeetingKind.REGULAR,
            clock.now() - timedelta(days=day + 1),
            "каб. 204",
            "",
            pair.mentor_id,
            clock.now() - timedelta(days=30),
        )
        assert await repo.confirm(meeting_id, 1, clock.now())


async def _program_survey(
    db: Database,
    pair: Pair,
    stage: str,
    answers: list[tuple[int | None, Role, dict[str, int]]],
) -> None:
    """A program's own survey of this stage with these responses (person None: anonymous)."""
    row = await db.fetch_one(
        "INSERT INTO survey_campaigns (organization_id, form_id, form_version, anonymous, status,"
        " audience, created_by, created_at) VALUES (?, 'survey_growth', 1, 0, 'running',"
        " 'school', 0, '2026-11-01T00:00:00+00:00') RETURNING id",
        (pair.organization_id,),
    )
    assert row is not None
    await db.execute(
        "INSERT INTO program_surveys (pair_id, stage, survey_id, sent_at) VALUES (?, ?, ?, ?)",
        (pair.id, stage, row["id"], "2026-11-01T00:00:00+00:00"),
    )
    for index, (person, role, numbers) in enumerate(answers):
        await db.execute(
            "INSERT INTO survey_responses (id, survey_id, person_id, role, answers)"
            " VALUES (?, ?, ?, ?, ?)",
            (f"{row['id']}-{index}", row["id"], person, role.value, json.dumps(numbers)),
        )


async def _school_of_two(db: Database, clock: FakeClock, school: int) -> tuple[Pair, Pair]:
    """Two mentors: Иванова (a completed program, 3 meetings, growth +2, mentees' satisfaction
    from a group of three) and Петров (one meeting)."""
    ivanova = await seed.participant(
        db, clock, school, 11, Role.MENTOR, full_name="Иванова Анна Сергеевна", capacity=3
    )
    petrov = await seed.participant(
        db, clock, school, 12, Role.MENTOR, full_name="Петров Павел Петрович"
    )
    mentees = [
        await seed.participant(db, clock, school, 20 + n, Role.MENTEE, full_name=f"Сидорова {n}")
        for n in range(4)
    ]
    group = await _pair(db, clock, school, ivanova, mentees[:3])
    single = await _pair(db, clock, school, petrov, mentees[3:])
    await _held(db, clock, group, 3)
    await _held(db, clock, single, 1)
    await db.execute("UPDATE pairs SET status = 'completed' WHERE id = ?", (group.id,))
    await _program_survey(
        db, group, "growth_start", [(mentees[0], Role.MENTEE, {"motivation": 5, "confidence": 5})]
    )
    await _program_survey(
        db, group, "growth_end", [(mentees[0], Role.MENTEE, {"motivation": 7, "confidence": 7})]
    )
    await _program_survey(
        db,
        group,
        "final_mentee",
        [(None, Role.MENTEE, {"actual": score, "expected": 1}) for score in (8, 9, 10)],
    )
    await _program_survey(db, single, "final_mentee", [(None, Role.MENTEE, {"actual": 10})])
    await db.execute("UPDATE outbox SET status = 'sent', finished_at = created_at")
    return group, single


async def _open(tg: Harness, user: int = CURATOR) -> dict[str, object]:
    await tg.send(user, "/menu")
    await tg.press(user, "🏫 Школа № 1")
    return await tg.press(user, tr.plain("btn-awards"))


async def test_the_shortlist_shows_each_candidates_score_and_the_weights(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await _school_of_two(db, clock, school)
    screen = str((await _open(tg))["text"])
    assert "Конкурс наставников — Школа № 1, 2026/2027 учебный год" in screen
    mentors = screen.split("«Лучшая пара»", maxsplit=1)[0]
    # 1 program ×10 + 3 meetings ×2 + satisfaction 9 ×2 + growth 2 ×5 = 44 («expected» left out)
    assert "1. Иванова Анна Сергеевна — баллов: 44" in mentors
    assert "удовлетворённость: 9 (ответов: 3); рост самооценки: +2" in mentors
    # One anonymous answer is counted but never shown or scored.
    assert "2. Петров Павел Петрович — баллов: 2" in mentors
    assert "не учитывается (ответов: 1, нужно не меньше 3)" in mentors
    pairs = screen.split("«Лучшая пара»")[1]
    assert "1. Иванова А. С. — Сидорова 0, Сидорова 1, Сидорова 2 — баллов: 44" in pairs
    assert "завершённая программа ×10, проведённая встреча ×2" in screen


async def test_an_empty_school_says_there_are_no_candidates_and_has_no_vote(
    tg: Harness, school: int
) -> None:
    screen = await _open(tg)
    assert tr.plain("awards-empty") in str(screen["text"])
    assert not [b for b in tg.fake.buttons(screen) if "Голосование" in b]
    await tg.press_data(
        CURATOR, AwardCb(school_id=school, action=AwardAction.PUBLISH).pack(), screen
    )
    assert tg.alert() == tr.plain("award-refusal", reason="no_winners")


async def test_a_vote_with_fewer_than_two_candidates_is_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    mentor = await seed.participant(db, clock, school, 11, Role.MENTOR)
    mentee = await seed.participant(db, clock, school, 21, Role.MENTEE)
    await _held(db, clock, await _pair(db, clock, school, mentor, [mentee]), 1)
    await _open(tg)
    await tg.press(CURATOR, tr.plain("btn-award-vote", title="«Наставник года»"))
    assert tg.alert() == tr.plain("award-refusal", reason="too_few")
    assert await db.fetch_one("SELECT id FROM award_votes") is None


async def _vote(tg: Harness, db: Database, clock: FakeClock, bot: Bot) -> int:
    """The curator opens the mentors' vote; three participants vote, the third with two racing
    taps of «send». Returns the vote's survey id."""
    await _open(tg)
    await tg.press(CURATOR, tr.plain("btn-award-vote", title="«Наставник года»"))
    wrong = await tg.send(CURATOR, "вчера")
    assert tr.plain("when-day-past") in wrong["text"], wrong["text"]
    opened = await tg.send(CURATOR, "через неделю")
    assert "Голосование открыто: приглашения получат участники (6)" in opened["text"]
    row = await db.fetch_one("SELECT survey_id FROM award_votes WHERE nomination = 'mentor'")
    assert row is not None and row["survey_id"]
    await drain(bot, db, clock)
    for voter in (20, 21):
        await tg.press(voter, TAKE)
        await tg.press(voter, "1. Иванова Анна Сергеевна")
        await tg.press(voter, SEND)
    await tg.press(22, TAKE)
    await tg.press(22, "2. Петров Павел Петрович")
    summary = tg.fake.last(22)
    submit = tg.fake.buttons(summary)[SEND]
    await asyncio.gather(*(tg.press_data(22, submit, summary) for _ in range(2)))
    return int(row["survey_id"])


async def _votes(db: Database, survey_id: int) -> list[str]:
    rows = await db.fetch_all(
        "SELECT person_id, answers FROM survey_responses WHERE survey_id = ?", (survey_id,)
    )
    assert all(r["person_id"] is None for r in rows)  # anonymous: nobody's vote is known
    return sorted(json.loads(r["answers"])["q1"] for r in rows)


async def test_the_participants_vote_once_and_the_results_come_after_the_deadline(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _school_of_two(db, clock, school)
    survey_id = await _vote(tg, db, clock, bot)
    assert await _votes(db, survey_id) == ["o1", "o1", "o2"]  # the racing taps: one vote
    await tg.press(20, TAKE)
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.ANSWERED)

    running = str((await _open(tg))["text"])
    assert "проголосовали 3 из 6. Итоги — после окончания срока" in running
    assert not re.search(r"— \d+ голос", running)
    assert not [b for b in tg.fake.buttons(tg.fake.last(CURATOR)) if "Наставник года" in b]
    # The vote is the contest's: the curator's list of surveys does not show its results.
    await tg.press(CURATOR, tr.plain("btn-back"))
    surveys = await tg.press(CURATOR, tr.plain("btn-surveys"))
    assert "Голосование" not in str(surveys["text"])
    assert not [b for b in tg.fake.buttons(surveys) if "Голосование" in b]
    await _open(tg)
    await tg.press(CURATOR, tr.plain("btn-award-publish"))
    assert tg.alert() == tr.plain("award-refusal", reason="vote_running")

    clock.advance(days=8)
    await tg.press(23, TAKE)
    assert tg.alert() == tr.plain("survey-refusal", reason=SurveyRefusal.DEADLINE_PASSED)
    assert await _votes(db, survey_id) == ["o1", "o1", "o2"]
    over = str((await _open(tg))["text"])
    assert "1. Иванова Анна Сергеевна — 2 голоса" in over
    assert "2. Петров Павел Петрович — 1 голос" in over


async def test_the_winners_get_a_message_to_broadcast_and_thank_you_letters(
    tg: Harness, db: Database, clock: FakeClock, bot: Bot, school: int
) -> None:
    await _school_of_two(db, clock, school)
    await _vote(tg, db, clock, bot)
    clock.advance(days=8)
    await _open(tg)
    published = await tg.press(CURATOR, tr.plain("btn-award-publish"))
    text = str(published["text"])
    assert "«Наставник года»: Иванова Анна Сергеевна — по итогам голосования (2 голоса)" in text
    # No vote in this nomination: the highest score wins.
    assert (
        "«Лучшая пара»: Иванова А. С. — Сидорова 0, Сидорова 1, Сидорова 2 — по баллам (44)" in text
    )

    await tg.press(CURATOR, tr.plain("btn-award-letters"))
    letters = {name: content for who, name, content in tg.fake.uploads if who == CURATOR}
    assert len(letters) == 5  # the mentor, and each of the winning group's four people
    mentor = next(c for n, c in letters.items() if n.startswith("letter_mentor_"))
    body = "\n".join(p.text for p in Document(io.BytesIO(mentor)).paragraphs)
    assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in body and "Школа № 1" in body
    assert "Иванова Анна Сергеевна" in body and "«Наставник года»" in body
    assert "2026/2027 учебного года" in body and "в паре с" not in body
    group = [
        "\n".join(p.text for p in Document(io.BytesIO(c)).paragraphs)
        for n, c in letters.items()
        if n.startswith("letter_pair_")
    ]
    named = sorted(t.split("награждается\n", maxsplit=1)[1].split("\n")[0] for t in group)
    assert named == ["Иванова Анна Сергеевна", "Сидорова 0", "Сидорова 1", "Сидорова 2"]
    assert all("«Лучшая пара»" in t and "в паре с:" in t for t in group)

    # The message handed to the broadcast composer: the audience, then its preview.
    await tg.press(CURATOR, tr.plain("btn-back"))
    await tg.press(CURATOR, tr.plain("btn-award-publish"))
    asked = await tg.press(CURATOR, tr.plain("btn-award-broadcast"))
    assert asked["text"] == tr.plain("broadcast-audience-ask")
    await tg.press(CURATOR, tr.plain("btn-broadcast-audience", audience="everyone"))
    preview, confirm = tg.texts(CURATOR)[-2:]
    assert preview.startswith("🏆 Итоги конкурса наставников") and "Иванова Анна" in preview
    await tg.press(CURATOR, tr.plain("btn-broadcast-send"))
    queued = await db.fetch_all("SELECT payload FROM outbox WHERE kind = 'broadcast'")
    assert len(queued) == 6 and "Итоги конкурса наставников" in queued[0]["payload"], confirm


async def test_a_mentee_and_another_schools_curator_are_refused(
    tg: Harness, db: Database, clock: FakeClock, school: int
) -> None:
    await _school_of_two(db, clock, school)
    other = await seed.school(db, clock, "Школа № 2")
    await seed.person(db, clock, 51, RoleGrant(Role.CURATOR, organization_id=other))
    await tg.send(20, "/menu")
    for action in (AwardAction.HOME, AwardAction.PUBLISH, AwardAction.LETTERS):
        await tg.press_data(20, AwardCb(school_id=school, action=action).pack())
        assert tg.alert() == tr.plain("forbidden"), action
    await tg.send(51, "/menu")
    for action in (AwardAction.HOME, AwardAction.VOTE, AwardAction.PUBLISH, AwardAction.LETTERS):
        await tg.press_data(51, AwardCb(school_id=school, action=action).pack())
        assert tg.alert() == tr.plain("refusal", reason="forbidden"), tg.alert()
    assert not tg.fake.uploads
    assert await db.fetch_one("SELECT id FROM award_votes") is None
    texts = "\n".join(tg.texts(20) + tg.texts(51))
    assert "Иванова Анна" not in texts and "Конкурс наставников" not in texts
