"""Turning what a person typed into a stored answer, or into a precise Russian hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.core.i18n import tr
from bot.forms.model import OTHER_PREFIX, AnswerValue, Question, QuestionKind


@dataclass(frozen=True)
class Invalid:
    hint: str


def parse_typed(question: Question, raw: str | None, today: date) -> AnswerValue | Invalid:
    """A typed answer. Choice questions accept typed text only as their "other" option."""
    if raw is None:
        return Invalid(tr("form-text-expected"))
    text = raw.strip()
    if not text:
        return Invalid(tr("form-empty"))
    kind = question.kind
    if kind is QuestionKind.TEXT:
        return _text(question, text)
    if kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        low, high = (
            (1, 10) if kind is QuestionKind.SCALE else (question.min_value, question.max_value)
        )
        return _number(text, low, high)
    if kind is QuestionKind.DATE:
        return _date(text, today)
    if kind is QuestionKind.YES_NO:
        lowered = text.lower()
        if lowered in ("да", "yes", "+"):
            return True
        if lowered in ("нет", "no", "-"):
            return False
        return Invalid(tr("form-yes-no"))
    if question.allow_other:
        other = _text(question, text)
        return other if isinstance(other, Invalid) else OTHER_PREFIX + str(other)
    return Invalid(tr("form-use-buttons"))


def _text(question: Question, text: str) -> str | Invalid:
    if len(text) > question.max_length:
        return Invalid(tr("form-too-long", length=len(text), limit=question.max_length))
    if any(ord(char) < 32 and char not in "\n\t" for char in text):
        return Invalid(tr("form-bad-characters"))
    return text


def _number(text: str, low: int, high: int) -> int | Invalid:
    match = re.fullmatch(r"(\d{1,6})(?:\s*(?:год|года|лет|г\.?))?", text.lower())
    if not match:
        return Invalid(tr("form-number", low=low, high=high, example=min(max(low, 5), high)))
    value = int(match[1])
    if not low <= value <= high:
        return Invalid(tr("form-number", low=low, high=high, example=min(max(low, 5), high)))
    return value


def _date(text: str, today: date) -> str | Invalid:
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})", text)
    if not match:
        return Invalid(tr("form-date-format"))
    day, month, year = int(match[1]), int(match[2]), int(match[3])
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        return Invalid(tr("form-no-such-date", typed=text))
    try:
        value = date(year, month, day)
    except ValueError:
        return Invalid(tr("form-no-such-date", typed=text))
    if not today.year - 100 <= value.year <= today.year + 5:
        return Invalid(tr("form-date-range"))
    return value.isoformat()


def render(question: Question, value: AnswerValue) -> str:
    """An answer as a person reads it (plain text, not escaped)."""
    if value is None:
        return tr("form-skipped")
    if question.kind is QuestionKind.YES_NO:
        return tr("yes") if value else tr("no")
    if question.kind is QuestionKind.DATE:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    if question.kind is QuestionKind.MULTI:
        return ", ".join(question.option_label(str(v)) for v in value) or tr("form-skipped")
    if question.kind is QuestionKind.SINGLE:
        return question.option_label(str(value))
    return str(value)
