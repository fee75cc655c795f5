"""Every text a user reads, in one place. HTML parse mode: escape user-supplied values."""

from __future__ import annotations

from html import escape

# --- forms (questionnaires, consents, surveys) ---
FORM_HINTS = {
    "text": "Напишите ответ сообщением.",
    "number": "Введите число от {low} до {high}.",
    "date": "Введите дату ДД.ММ.ГГГГ.",
    "single": "Выберите вариант.",
    "single_other": "Выберите вариант или напишите свой сообщением.",
    "multi": "Отметьте подходящие варианты и нажмите «Готово».",
    "multi_other": "Отметьте варианты и нажмите «Готово»; свой вариант напишите сообщением.",
    "scale": "Оцените от 1 до 10.",
    "yes_no": "Ответьте кнопкой.",
}
FORM_CURRENT_ANSWER = "Сейчас: {answer}"
FORM_SELECTED = "Выбрано: {answer}"
FORM_ANSWER_MARK = "✓ Ваш ответ: {answer}"


def form_too_long(length: int, limit: int) -> str:
    return f"Ответ слишком длинный: {length} символов, можно до {limit}. Сократите, пожалуйста."


def form_number(low: int, high: int) -> str:
    return f"Введите число цифрами от {low} до {high}, например {min(max(low, 5), high)}."


def form_no_such_date(typed: str) -> str:
    return f"Такой даты нет: {escape(typed)}. Проверьте день и месяц (ДД.ММ.ГГГГ)."


def form_header(title: str, number: int, total: int) -> str:
    return f"<i>{escape(title)} · вопрос {number} из {total}</i>"
