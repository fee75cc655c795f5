"""The form model, the answer parser and the engine, without Telegram: a small form of every
question kind, walked through the engine over a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.core.i18n import tr
from bot.forms.answers import Invalid, parse_typed, render
from bot.forms.catalog import FormCatalog
from bot.forms.engine import SUMMARY, FormEngine, FormState
from bot.forms.model import Form, FormPurpose, Option, Question, QuestionKind, ShowIf
from bot.ui.states import FormStates
from storage.db import Database
from storage.forms import FormSessionsRepo
from storage.fsm import SQLStorage
from storage.models import ConsentKind, FormStatus, Role, RoleGrant
from tests import seed
from tests.harness import FakeClock

TODAY = date(2026, 11, 23)
ROLE = Question(
    "role",
    "Кто вы?",
    QuestionKind.SINGLE,
    options=(Option("teacher", "Учитель"), Option("student", "Ученик")),
    allow_other=True,
)
NAME = Question("name", "Ваше имя для {school}.", QuestionKind.TEXT, max_length=10)
SUBJECTS = Question(
    "subjects",
    "Предметы",
    QuestionKind.MULTI,
    options=(Option("math", "Математика"), Option("art", "ИЗО")),
    allow_other=True,
    show_if=ShowIf("role", "student", matches=False),
)
YEARS = Question("years", "Стаж", QuestionKind.NUMBER, min_value=0, max_value=60)
BORN = Question("born", "Дата", QuestionKind.DATE, required=False)
SCORE = Question("score", "Оценка", QuestionKind.SCALE)
AGREE = Question("agree", "Согласны?", QuestionKind.YES_NO)
FORM = Form(
    id="sample",
    version=1,
    title="Пробная анкета",
    purpose=FormPurpose.QUESTIONNAIRE,
    questions=(ROLE, NAME, SUBJECTS, YEARS, BORN, SCORE, AGREE),
)
KEY = StorageKey(bot_id=1, chat_id=7, user_id=7)


# ----- the model -----


def test_show_if_by_value_by_list_and_negated() -> None:
    assert ShowIf("role", "student").holds({"role": "student"})
    assert not ShowIf("role", "student").holds({})
    assert ShowIf("subjects", "math").holds({"subjects": ["art", "math"]})
    assert not ShowIf("subjects", "math").holds({"subjects": ["art"]})
    negated = ShowIf("role", "student", matches=False)
    assert negated.holds({}) and not negated.holds({"role": "student"})


def test_hidden_questions_are_skipped_and_their_answers_dropped() -> None:
    teacher = {"role": "teacher", "name": "Анна"}
    assert FORM.next_unanswered(teacher) == SUBJECTS
    student = {**teacher, "role": "student", "subjects": ["math"]}
    assert SUBJECTS not in FORM.visible(student)
    assert FORM.next_unanswered(student) == YEARS
    assert "subjects" not in FORM.final_answers(student)
    assert FORM.position("years", student) == (3, 6)
    assert FORM.position("years", teacher) == (4, 7)


def test_previous_question_and_the_last_one_from_the_summary() -> None:
    answers = {"role": "student"}
    assert FORM.previous("role", answers) is None
    assert FORM.previous("years", answers) == NAME  # the hidden question is stepped over
    assert FORM.previous(SUMMARY, answers) == AGREE
    assert FORM.previous("no_such_question", answers) is None


def test_other_option_labels_and_the_school_in_the_text() -> None:
    assert ROLE.option_label("teacher") == "Учитель"
    assert ROLE.option_label("other:Завуч") == "Завуч"
    assert NAME.shown("Школа <№ 5>") == "Ваше имя для Школа &lt;№ 5&gt;."


# ----- parsing what was typed, for each kind -----


def _hint(question: Question, raw: str | None) -> str:
    parsed = parse_typed(question, raw, TODAY)
    assert isinstance(parsed, Invalid), parsed
    return parsed.hint


def test_text_answers() -> None:
    assert parse_typed(NAME, "  Анна  ", TODAY) == "Анна"
    assert _hint(NAME, None) == tr("form-text-expected")
    assert _hint(NAME, "   ") == tr("form-empty")
    assert _hint(NAME, "Анна\x07") == tr("form-bad-characters")
    assert _hint(NAME, "А" * 11) == (
        "Ответ слишком длинный: 11 символов, можно до 10 символов. Сократите, пожалуйста."
    )
    short = replace(NAME, max_length=1)
    assert "22 символа, можно до 1 символа." in _hint(short, "А" * 22)
    assert "21 символ, можно до 1 символа." in _hint(short, "А" * 21)


def test_number_and_scale_answers() -> None:
    assert parse_typed(YEARS, "2 года", TODAY) == 2
    assert parse_typed(YEARS, "15 лет", TODAY) == 15
    assert _hint(YEARS, "пять") == "Введите число цифрами от 0 до 60, например 5."
    assert _hint(YEARS, "61") == "Введите число цифрами от 0 до 60, например 5."
    assert parse_typed(SCORE, "10", TODAY) == 10
    assert _hint(SCORE, "0") == "Введите число цифрами от 1 до 10, например 5."


def test_date_answers() -> None:
    assert parse_typed(BORN, "25.11.2026", TODAY) == "2026-11-25"
    assert parse_typed(BORN, "1/9/26", TODAY) == "2026-09-01"
    assert _hint(BORN, "завтра") == tr("form-date-format")
    assert _hint(BORN, "31.02.2026") == tr("form-no-such-date", typed="31.02.2026")
    assert _hint(BORN, "01.13.2026") == tr("form-no-such-date", typed="01.13.2026")
    assert _hint(BORN, "01.01.1900") == tr("form-date-range")


def test_yes_no_and_choice_answers() -> None:
    assert parse_typed(AGREE, "Да", TODAY) is True
    assert parse_typed(AGREE, "-", TODAY) is False
    assert _hint(AGREE, "может быть") == tr("form-yes-no")
    assert parse_typed(ROLE, "Завуч", TODAY) == "other:Завуч"
    closed = replace(ROLE, allow_other=False)
    assert _hint(closed, "Завуч") == tr("form-use-buttons")
    assert _hint(ROLE, "Я" * 501).startswith("Ответ слишком длинный: 501 символ,")


def test_answers_as_read() -> None:
    assert render(AGREE, True) == tr("yes")
    assert render(BORN, "2026-11-25") == "25.11.2026"
    assert render(SUBJECTS, ["math", "other:Труд"]) == "Математика, Труд"
    assert render(SUBJECTS, []) == tr("form-skipped")
    assert render(BORN, None) == tr("form-skipped")
    assert render(ROLE, "other:Завуч") == "Завуч"


# ----- the engine over a database -----


@pytest.fixture
async def person(db: Database, clock: FakeClock) -> tuple[int, int]:
    school_id = await seed.school(db, clock)
    person_id = await seed.person(db, clock, 7, RoleGrant(Role.MENTEE, organization_id=school_id))
    return person_id, school_id


def _engine(db: Database, clock: FakeClock, *forms: Form) -> FormEngine:
    return FormEngine(FormSessionsRepo(db), FormCatalog(forms=forms or (FORM,)), clock)


async def _walk(engine: FormEngine, state: FormState, *values: object) -> FormState:
    for value in values:
        answered = await engine.answer(state, value)
        assert answered is not None, state.session.current_question
        state = answered
    return state


async def test_answers_move_on_and_are_what_a_reload_reads(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    engine = _engine(db, clock)
    state = await engine.start(*person, "sample")
    assert state.question == ROLE and state.consent_version is None
    state = await _walk(engine, state, "student", "Анна")
    assert state.question == YEARS  # the subjects question is hidden for a student
    reloaded = await engine.load(state.session.id)
    assert reloaded == state


async def test_an_answer_to_a_question_no_longer_on_screen_is_refused(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    engine = _engine(db, clock)
    first = await engine.start(*person, "sample")
    assert await engine.answer(first, "teacher") is not None
    assert await engine.answer(first, "student") is None  # the old screen, a double tap
    reloaded = await engine.load(first.session.id)
    assert reloaded is not None and reloaded.answers == {"role": "teacher"}


async def test_back_edit_summary_and_submit(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    engine = _engine(db, clock)
    state = await engine.start(*person, "sample")
    state = await _walk(engine, state, "teacher", "Анна", ["math"])
    back = await engine.back(state)
    assert back is not None and back.question == SUBJECTS
    assert back.answers["subjects"] == ["math"]  # kept, shown as the current answer
    assert await engine.edit(back, "name") is None  # only from the summary
    state = await _walk(engine, back, ["art"], 3, None, 7, True)
    assert state.session.current_question == SUMMARY and state.question is None
    # The role changes from the summary: the subjects answer is hidden, then dropped.
    edited = await engine.edit(state, "role")
    assert edited is not None and edited.question == ROLE
    state = await _walk(engine, edited, "student")
    assert state.question is None  # every visible question is answered: the summary again
    assert await engine.submit(state)
    assert not await engine.submit(state)
    done = await engine.load(state.session.id)
    assert done is not None and done.session.status is FormStatus.SUBMITTED
    assert "subjects" not in done.answers and done.answers["born"] is None
    reopened = await engine.reopen(done)
    assert reopened is not None and reopened.in_progress and reopened.question is None
    assert reopened == await engine.load(done.session.id)


async def test_a_session_keeps_the_version_it_started_on(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    state = await _engine(db, clock).start(*person, "sample")
    v2 = replace(FORM, version=2, questions=(NAME, ROLE))
    newer = _engine(db, clock, FORM, v2)
    old = await newer.load(state.session.id)
    assert old is not None and old.form.version == 1 and old.question == ROLE
    fresh, resumed = await newer.resume_or_start(*person, "sample")
    assert resumed and fresh.form.version == 1
    assert not await newer.submit(fresh)  # not at the summary
    other_school = await seed.school(db, clock, name="Школа № 2")
    started = await newer.start(person[0], other_school, "sample")
    assert started.form.version == 2 and started.question == NAME


async def test_the_consent_on_file_is_read_with_the_session(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    person_id, school_id = person
    engine = _engine(db, clock)
    state = await engine.start(person_id, school_id, "sample")
    for decision, version in (("agree", 1), ("agree", 3), ("decline", 4)):
        await db.execute(
            "INSERT INTO consents (person_id, organization_id, kind, text_version, text_hash,"
            " decision, decided_at) VALUES (?, ?, ?, ?, 'h', ?, 't')",
            (person_id, school_id, ConsentKind.PERSONAL_DATA.value, version, decision),
        )
        loaded = await engine.load(state.session.id)
        assert loaded is not None
        assert loaded.consent_version == (version if decision == "agree" else None)


async def test_the_fsm_row_commits_with_the_answer_or_not_at_all(
    db: Database, clock: FakeClock, person: tuple[int, int]
) -> None:
    engine = _engine(db, clock)
    storage = SQLStorage(db)
    state = await engine.start(*person, "sample")
    screen = {"session_id": state.session.id, "draft": None}
    answered = await engine.answer(
        state, "teacher", storage.staged(KEY, FormStates.answering, screen)
    )
    assert answered is not None
    refused = {"session_id": 0, "draft": None}
    assert await engine.answer(state, "x", storage.staged(KEY, None, refused)) is None
    # A fresh storage reads the row: the refused answer wrote nothing there either.
    again = SQLStorage(db)
    assert await again.get_state(KEY) == FormStates.answering.state
    assert await again.get_data(KEY) == screen
    assert storage.staged(KEY, FormStates.answering, screen) is None  # nothing would change
