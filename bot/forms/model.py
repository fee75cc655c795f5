"""What a form is: plain data, versioned, so old answers keep their old meaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from html import escape
from typing import Any

# An answer as stored (JSON): str for text and single choice, int for number and scale,
# "YYYY-MM-DD" for a date, bool for yes/no, list[str] for multiple choice, None when skipped.
# A free-text "other" choice is stored as "other:<text>".
AnswerValue = Any
OTHER_PREFIX = "other:"


class QuestionKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"
    YES_NO = "yes_no"


class FormPurpose(StrEnum):
    CONSENT = "consent"
    QUESTIONNAIRE = "questionnaire"
    SURVEY = "survey"
    PROGRAM = "program"


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class ShowIf:
    """Ask the question only if another question's answer is (or contains) this value;
    with `matches=False`, only if it is not."""

    question_id: str
    value: AnswerValue
    matches: bool = True

    def holds(self, answers: dict[str, AnswerValue]) -> bool:
        given = answers.get(self.question_id)
        found = self.value in given if isinstance(given, list) else given == self.value
        return found == self.matches


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: QuestionKind
    required: bool = True
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    max_length: int = 500
    min_value: int = 0
    max_value: int = 100
    show_if: ShowIf | None = None
    # Short column header for exports; the text itself is too long for a spreadsheet.
    header: str = ""

    def shown(self, school_name: str) -> str:
        """The text as shown: HTML, with the operator's (school's) name filled in."""
        return self.text.replace("{school}", escape(school_name))

    def option_label(self, option_id: str) -> str:
        if option_id.startswith(OTHER_PREFIX):
            return option_id[len(OTHER_PREFIX) :]
        return next((o.label for o in self.options if o.id == option_id), option_id)


@dataclass(frozen=True)
class Form:
    id: str
    version: int
    title: str
    purpose: FormPurpose
    questions: tuple[Question, ...]
    # Consents are answered with one tap; a questionnaire ends with a summary to check.
    review: bool = True
    intro: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def visible(self, answers: dict[str, AnswerValue]) -> list[Question]:
        return [q for q in self.questions if q.show_if is None or q.show_if.holds(answers)]

    def next_unanswered(self, answers: dict[str, AnswerValue]) -> Question | None:
        return next((q for q in self.visible(answers) if q.id not in answers), None)

    def previous(self, question_id: str, answers: dict[str, AnswerValue]) -> Question | None:
        visible = self.visible(answers)
        ids = [q.id for q in visible]
        if question_id not in ids:
            return visible[-1] if visible and question_id == "" else None
        index = ids.index(question_id)
        return visible[index - 1] if index > 0 else None

    def position(self, question_id: str, answers: dict[str, AnswerValue]) -> tuple[int, int]:
        visible = [q.id for q in self.visible(answers)]
        return (visible.index(question_id) + 1 if question_id in visible else 0), len(visible)

    def final_answers(self, answers: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        """Answers to the questions still visible: a changed condition drops the hidden ones."""
        return {q.id: answers[q.id] for q in self.visible(answers) if q.id in answers}
