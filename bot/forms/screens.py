"""How a form looks in Telegram: a question with its buttons, the summary, a read-only card."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup

from bot.core.i18n import tr
from bot.forms.answers import render
from bot.forms.engine import SUMMARY, FormState
from bot.forms.model import AnswerValue, Form, FormPurpose, Question, QuestionKind
from bot.ui.callbacks import FormAction, FormCb
from bot.ui.keyboards import Keyboard

_SUMMARY_ANSWER_LIMIT = 150
_CARD_ANSWER_LIMIT = 600


def _hint(question: Question) -> str:
    kind = question.kind.value
    if question.allow_other and question.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        kind += "_other"
    return tr("form-hint", kind=kind, low=question.min_value, high=question.max_value)


def answer_mark(question: Question, value: AnswerValue) -> str:
    """The "✓ your answer" line left under a question once it is answered."""
    return tr("form-answer-mark", answer=_clip(render(question, value), 200))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def question_screen(
    state: FormState, school_name: str, draft: list[str] | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    question = state.question
    assert question is not None
    number, total = state.form.position(question.id, state.answers)
    lines = []
    if total > 1:
        lines += [tr("form-header", title=state.form.title, number=number, total=total), ""]
    lines.append(question.shown(school_name))
    if state.form.purpose is not FormPurpose.CONSENT:
        lines += ["", f"<i>{_hint(question)}</i>"]
        if not question.required:
            lines.append(f"<i>{tr('form-optional')}</i>")
    if draft is not None and question.kind is QuestionKind.MULTI:
        shown = render(question, draft) if draft else tr("form-skipped")
        lines.append(tr("form-selected", answer=shown))
    elif question.id in state.answers:
        shown = _clip(render(question, state.answers[question.id]), _SUMMARY_ANSWER_LIMIT)
        lines.append(tr("form-current-answer", answer=shown))
    return "\n".join(lines), _question_keyboard(state, question, draft)


def _question_keyboard(
    state: FormState, question: Question, draft: list[str] | None
) -> InlineKeyboardMarkup:
    session, q = state.session.id, question.id
    kb = Keyboard()
    widths: list[int] = []
    if question.kind is QuestionKind.SINGLE:
        for index, option in enumerate(question.options):
            kb.button(
                text=option.label,
                callback_data=FormCb(session=session, q=q, action=FormAction.PICK, v=index),
            )
            widths.append(1)
    elif question.kind is QuestionKind.MULTI:
        chosen = set(draft if draft is not None else state.answers.get(q) or [])
        for index, option in enumerate(question.options):
            mark = "✅" if option.id in chosen else "▫️"
            kb.button(
                text=f"{mark} {option.label}",
                callback_data=FormCb(session=session, q=q, action=FormAction.TOGGLE, v=index),
            )
        widths += [2] * ((len(question.options) + 1) // 2)
        kb.button(
            text=tr("btn-form-done"),
            callback_data=FormCb(session=session, q=q, action=FormAction.DONE),
        )
        widths.append(1)
    elif question.kind is QuestionKind.YES_NO:
        kb.button(
            text=tr("btn-yes"),
            callback_data=FormCb(session=session, q=q, action=FormAction.PICK, v=1),
        )
        kb.button(
            text=tr("btn-no"),
            callback_data=FormCb(session=session, q=q, action=FormAction.PICK, v=0),
        )
        widths.append(2)
    elif question.kind is QuestionKind.SCALE:
        for value in range(1, 11):
            kb.button(
                text=str(value),
                callback_data=FormCb(session=session, q=q, action=FormAction.PICK, v=value),
            )
        widths += [5, 5]
    nav = 0
    if state.form.previous(q, state.answers) is not None:
        kb.button(
            text=tr("btn-form-back"),
            callback_data=FormCb(session=session, q=q, action=FormAction.BACK),
        )
        nav += 1
    if not question.required:
        kb.button(
            text=tr("btn-form-skip"),
            callback_data=FormCb(session=session, q=q, action=FormAction.SKIP),
        )
        nav += 1
    if nav:
        widths.append(nav)
    if state.form.purpose is not FormPurpose.CONSENT:
        kb.button(
            text=tr("btn-form-pause"),
            callback_data=FormCb(session=session, q=q, action=FormAction.PAUSE),
        )
        widths.append(1)
    kb.adjust(*widths)
    return kb.as_markup()


def answers_listing(form: Form, answers: dict[str, AnswerValue], limit: int) -> list[str]:
    lines = []
    for number, question in enumerate(form.visible(answers), start=1):
        label = question.header or _clip(question.text, 60)
        value = render(question, answers[question.id]) if question.id in answers else "—"
        lines.append(f"{number}. <b>{escape(label)}</b>: {escape(_clip(value, limit))}")
    return lines


def summary_screen(state: FormState) -> tuple[str, InlineKeyboardMarkup]:
    lines = [f"<b>{escape(state.form.title)}</b>", tr("form-summary-hint"), ""]
    lines += answers_listing(state.form, state.answers, _SUMMARY_ANSWER_LIMIT)
    kb = Keyboard()
    session = state.session.id
    visible = state.form.visible(state.answers)
    for number, question in enumerate(visible, start=1):
        kb.button(
            text=f"✏ {number}",
            callback_data=FormCb(session=session, q=question.id, action=FormAction.EDIT),
        )
    kb.button(
        text=tr("btn-form-submit"),
        callback_data=FormCb(session=session, q=SUMMARY, action=FormAction.SUBMIT),
    )
    kb.button(
        text=tr("btn-form-pause"),
        callback_data=FormCb(session=session, q=SUMMARY, action=FormAction.PAUSE),
    )
    kb.adjust(*([5] * ((len(visible) + 4) // 5)), 1, 1)
    return "\n".join(lines), kb.as_markup()


def card_text(title: str, form: Form, answers: dict[str, AnswerValue], budget: int = 3900) -> str:
    """A read-only view of submitted answers (the person's own, or the curator's card).
    Telegram allows 4096 characters: whole lines are dropped past the budget, so a tag is
    never cut in half."""
    lines = [f"<b>{escape(title)}</b>", ""]

    for line in answers_listing(form, answers, _CARD_ANSWER_LIMIT):
        budget -= len(line) + 1
        if budget < 0:
            lines.append("…")
            break
        lines.append(line)
    return "\n".join(lines)
