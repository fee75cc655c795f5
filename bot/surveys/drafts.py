"""A curator's own survey questions, without storage: the six kinds a curator picks from, the
edits of a draft (add, change, remove, reorder), and the stored form of a draft's version.
A draft's every edit is a new version of its form; once launched, the version is frozen."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from typing import Any

from bot.forms.model import Form, FormPurpose, Option, Question, QuestionKind

# A survey made by a curator (or from a template the curator edited) is the form of this id
# followed by the survey's id.
CUSTOM_PREFIX = "survey_custom_"
MAX_QUESTIONS = 40
MAX_OPTIONS = 10
MIN_OPTIONS = 2
QUESTION_LIMIT = 500
TITLE_LIMIT = 120
OPTION_LIMIT = 100
SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 2000
_SCALE_HINT = " (1 — совсем нет, 10 — полностью)"


class DraftKind(StrEnum):
    SCALE = "scale"
    SINGLE = "single"
    MULTI = "multi"
    YES_NO = "yes_no"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


CHOICE_KINDS = (DraftKind.SINGLE, DraftKind.MULTI)
_KINDS = {
    DraftKind.SCALE: QuestionKind.SCALE,
    DraftKind.SINGLE: QuestionKind.SINGLE,
    DraftKind.MULTI: QuestionKind.MULTI,
    DraftKind.YES_NO: QuestionKind.YES_NO,
    DraftKind.SHORT_TEXT: QuestionKind.TEXT,
    DraftKind.LONG_TEXT: QuestionKind.TEXT,
}


class DraftRefusal(StrEnum):
    EMPTY_TITLE = "empty_title"
    EMPTY_TEXT = "empty_text"
    TOO_LONG = "too_long"
    OPTIONS = "options"  # 2 to 10 options, each short
    TOO_MANY = "too_many"
    NO_SUCH_QUESTION = "no_such_question"
    NOT_CHOICE = "not_choice"


def kind_of(question: Question) -> DraftKind:
    if question.kind is QuestionKind.TEXT:
        return (
            DraftKind.LONG_TEXT if question.max_length > SHORT_TEXT_LIMIT else DraftKind.SHORT_TEXT
        )
    if question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.MULTI):
        return DraftKind(question.kind.value)
    if question.kind is QuestionKind.YES_NO:
        return DraftKind.YES_NO
    # Number and date questions exist only in built-in forms: shown as short answers.
    return DraftKind.SHORT_TEXT


def title(raw: str) -> str | DraftRefusal:
    text = " ".join(raw.split())
    if not text:
        return DraftRefusal.EMPTY_TITLE
    return text if len(text) <= TITLE_LIMIT else DraftRefusal.TOO_LONG


def options(raw: str) -> tuple[Option, ...] | DraftRefusal:
    """One option a line."""
    labels = [" ".join(line.split()) for line in raw.splitlines()]
    labels = list(dict.fromkeys(label for label in labels if label))
    if not MIN_OPTIONS <= len(labels) <= MAX_OPTIONS or any(
        len(label) > OPTION_LIMIT for label in labels
    ):
        return DraftRefusal.OPTIONS
    return tuple(Option(f"o{number}", label) for number, label in enumerate(labels, 1))


def _text(raw: str) -> str | DraftRefusal:
    text = raw.strip()
    if not text:
        return DraftRefusal.EMPTY_TEXT
    return text if len(text) <= QUESTION_LIMIT else DraftRefusal.TOO_LONG


def added(
    questions: Sequence[Question], kind: DraftKind, raw: str, choices: tuple[Option, ...] = ()
) -> tuple[Question, ...] | DraftRefusal:
    if len(questions) >= MAX_QUESTIONS:
        return DraftRefusal.TOO_MANY
    text = _text(raw)
    if isinstance(text, DraftRefusal):
        return text
    if (kind in CHOICE_KINDS) != bool(choices):
        return DraftRefusal.OPTIONS
    taken = {q.id for q in questions}
    number = len(questions) + 1
    while f"q{number}" in taken:
        number += 1
    question_kind = _KINDS[kind]
    question = Question(
        f"q{number}",
        text + _SCALE_HINT if kind is DraftKind.SCALE else text,
        question_kind,
        options=choices,
        max_length=LONG_TEXT_LIMIT if kind is DraftKind.LONG_TEXT else SHORT_TEXT_LIMIT,
        header=text[:60],
    )
    return (*questions, question)


def _at(questions: Sequence[Question], index: int) -> Question | DraftRefusal:
    return questions[index] if 0 <= index < len(questions) else DraftRefusal.NO_SUCH_QUESTION


def _put(questions: Sequence[Question], index: int, question: Question) -> tuple[Question, ...]:
    return (*questions[:index], question, *questions[index + 1 :])


def reworded(
    questions: Sequence[Question], index: int, raw: str
) -> tuple[Question, ...] | DraftRefusal:
    question = _at(questions, index)
    if isinstance(question, DraftRefusal):
        return question
    text = _text(raw)
    if isinstance(text, DraftRefusal):
        return text
    if question.kind is QuestionKind.SCALE:
        text += _SCALE_HINT
    return _put(questions, index, replace(question, text=text, header=text[:60]))


def with_options(
    questions: Sequence[Question], index: int, choices: tuple[Option, ...]
) -> tuple[Question, ...] | DraftRefusal:
    question = _at(questions, index)
    if isinstance(question, DraftRefusal):
        return question
    if kind_of(question) not in CHOICE_KINDS:
        return DraftRefusal.NOT_CHOICE
    return _put(questions, index, replace(question, options=choices))


def toggled(questions: Sequence[Question], index: int) -> tuple[Question, ...] | DraftRefusal:
    question = _at(questions, index)
    if isinstance(question, DraftRefusal):
        return question
    return _put(questions, index, replace(question, required=not question.required))


def removed(questions: Sequence[Question], index: int) -> tuple[Question, ...] | DraftRefusal:
    question = _at(questions, index)
    if isinstance(question, DraftRefusal):
        return question
    return tuple(q for q in questions if q.id != question.id)


def moved(
    questions: Sequence[Question], index: int, step: int
) -> tuple[Question, ...] | DraftRefusal:
    question = _at(questions, index)
    if isinstance(question, DraftRefusal):
        return question
    target = min(max(index + step, 0), len(questions) - 1)
    rest = [q for q in questions if q.id != question.id]
    rest.insert(target, question)
    return tuple(rest)


def form(form_id: str, version: int, body: str) -> Form:
    data = json.loads(body)
    return Form(
        id=form_id,
        version=version,
        title=data["title"],
        purpose=FormPurpose.SURVEY,
        intro=data.get("intro", ""),
        questions=tuple(_question(q) for q in data["questions"]),
    )


def body(name: str, intro: str, questions: Sequence[Question]) -> str:
    return json.dumps(
        {"title": name, "intro": intro, "questions": [_stored(q) for q in questions]},
        ensure_ascii=False,
    )


def _stored(question: Question) -> dict[str, Any]:
    # Conditions are dropped: a reordered question could come before its condition.
    return {
        "id": question.id,
        "text": question.text,
        "kind": question.kind.value,
        "required": question.required,
        "options": [[o.id, o.label] for o in question.options],
        "allow_other": question.allow_other,
        "max_length": question.max_length,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "header": question.header,
    }


def _question(data: dict[str, Any]) -> Question:
    return Question(
        data["id"],
        data["text"],
        QuestionKind(data["kind"]),
        required=data["required"],
        options=tuple(Option(i, label) for i, label in data["options"]),
        allow_other=data["allow_other"],
        max_length=data["max_length"],
        min_value=data["min_value"],
        max_value=data["max_value"],
        header=data["header"],
    )
