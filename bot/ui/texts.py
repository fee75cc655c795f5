"""Every text a user reads, in one place. HTML parse mode: escape user-supplied values."""

from __future__ import annotations

from html import escape

from bot.core.i18n import tr
from storage.models import InviteKind, Role

ROLE_NAMES: dict[Role, str] = {
    Role.ADMIN: "администратор",
    Role.COORDINATOR: "координатор округа",
    Role.CURATOR: "куратор школы",
    Role.MENTOR: "наставник",
    Role.MENTEE: "наставляемый",
}

# Russia's time zones, offered as buttons when a school is created.
SCHOOL_TIMEZONES: list[tuple[str, str]] = [
    ("Europe/Kaliningrad", "Калининград (МСК−1)"),
    ("Europe/Moscow", "Москва (МСК)"),
    ("Europe/Samara", "Самара (МСК+1)"),
    ("Asia/Yekaterinburg", "Екатеринбург (МСК+2)"),
    ("Asia/Omsk", "Омск (МСК+3)"),
    ("Asia/Krasnoyarsk", "Красноярск (МСК+4)"),
    ("Asia/Irkutsk", "Иркутск (МСК+5)"),
    ("Asia/Yakutsk", "Якутск (МСК+6)"),
    ("Asia/Vladivostok", "Владивосток (МСК+7)"),
    ("Asia/Magadan", "Магадан (МСК+8)"),
    ("Asia/Kamchatka", "Камчатка (МСК+9)"),
]

# --- buttons ---


def btn_district(name: str) -> str:
    return f"🏛 {name}"


def btn_school(name: str) -> str:
    return f"🏫 {name}"


def btn_questionnaire(role: Role, school: str) -> str:
    title = "Анкета наставника" if role is Role.MENTOR else "Анкета наставляемого"
    return f"📝 {title} · {school}"


# --- start, join ---
JOIN_CHOOSE_ROLE = (
    "Вы присоединяетесь к программе наставничества школы «{school}».\n\n"
    "Кем вы хотите участвовать? Один человек может быть и наставником, и наставляемым — "
    "вторую роль можно добавить, открыв ссылку ещё раз."
)


def joined(role: Role, place: str) -> str:
    return f"Готово! Вы — {ROLE_NAMES[role]} ({escape(place)}).\nГлавное меню ниже."


def join_choose_role(school: str) -> str:
    return JOIN_CHOOSE_ROLE.format(school=escape(school))


# --- menus ---
MAIN_MENU = "Главное меню. Ваши роли: {roles}."


def main_menu(roles: list[Role]) -> str:
    return MAIN_MENU.format(roles=", ".join(ROLE_NAMES[role] for role in roles))


HELP_BY_ROLE: dict[Role, str] = {
    Role.ADMIN: "Администратор: создаёт округа и школы, приглашает координаторов и кураторов "
    "(/schools).",
    Role.COORDINATOR: "Координатор: создаёт школы своего округа и приглашает их кураторов "
    "(/schools).",
    Role.CURATOR: "Куратор: выдаёт учителям ссылку для присоединения к программе школы "
    "(/teacherlink).",
    Role.MENTOR: "Наставник: заполняет анкету наставника (кнопка «Анкета» в /menu).",
    Role.MENTEE: "Наставляемый: заполняет анкету наставляемого (кнопка «Анкета» в /menu).",
}

# --- districts and schools ---
ASK_SCHOOL_TIMEZONE = "Выберите часовой пояс школы «{name}»."
NAME_INVALID = "Название должно быть текстом от 2 до {limit} символов. Попробуйте ещё раз."
DISTRICT_CREATED = "Округ «{name}» создан."
SCHOOL_CREATED = "Школа «{name}» создана."


def district_created(name: str) -> str:
    return DISTRICT_CREATED.format(name=escape(name))


def school_created(name: str) -> str:
    return SCHOOL_CREATED.format(name=escape(name))


def ask_school_timezone(name: str) -> str:
    return ASK_SCHOOL_TIMEZONE.format(name=escape(name))


def district_card(name: str, school_lines: list[str]) -> str:
    head = f"<b>{escape(name)}</b>\nШкол: {len(school_lines)}. Выберите школу или создайте новую."
    return "\n".join([head, "", *school_lines]) if school_lines else head


def school_card(name: str, district: str, timezone: str, counts: dict[Role, int]) -> str:
    return (
        f"<b>{escape(name)}</b>\n"
        f"Округ: {escape(district)}\n"
        f"Часовой пояс: {escape(timezone)}\n"
        f"Кураторов: {counts.get(Role.CURATOR, 0)}, "
        f"наставников: {counts.get(Role.MENTOR, 0)}, "
        f"наставляемых: {counts.get(Role.MENTEE, 0)}"
    )


INVITE_AUDIENCE: dict[InviteKind, str] = {
    InviteKind.COORDINATOR: "для координатора округа",
    InviteKind.CURATOR: "для куратора школы",
    InviteKind.TEACHER: "для учителей школы (наставников и наставляемых)",
    InviteKind.PARENT: "для родителя (законного представителя) ученика",
}


def invite_link(kind: InviteKind, place: str, link: str, valid_until: str, one_time: bool) -> str:
    usage = "одноразовая" if one_time else "многоразовая"
    return (
        f"Ссылка-приглашение {INVITE_AUDIENCE[kind]}: {escape(place)}.\n"
        f"Действует до {valid_until}, {usage}.\n\n"
        f"{escape(link)}\n\n"
        "Перешлите её нужному человеку. Если ссылка попала не туда — создайте новую, "
        "старая перестанет работать."
    )


# --- guard rails ---


def profile_line(role: Role, place: str) -> str:
    return f"• {ROLE_NAMES[role]}" + (f" — {escape(place)}" if place else "")


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


# --- consent ---

# --- parents of students ---


def parent_link_for_student(link: str) -> str:
    return (
        "Вы участвуете как ученик, поэтому нужно согласие родителя (законного представителя). "
        "Перешлите родителю эту ссылку — он откроет её в Telegram и подтвердит согласие:\n"
        f"{escape(link)}"
    )


# --- privacy (152-FZ rights) ---


def consent_line(kind: str, version: int, when: str, agreed: bool) -> str:
    what = "согласие на обработку ПДн" if kind == "personal_data" else "согласие родителя"
    decision = "дано" if agreed else "отказ"
    return f"• {what}, редакция {version}: {decision} {when}"


def form_line(title: str, submitted: bool, answered: int) -> str:
    status = "отправлена" if submitted else "заполняется"
    return f"• {escape(title)}: {status}, ответов: {answered}"


def withdrawal_notice(role: Role) -> str:
    return (
        f"Участник ({ROLE_NAMES[role]}) вашей школы отозвал согласие на обработку "
        "персональных данных. Его анкета удалена и в банке больше не показывается."
    )


# --- banks of mentees and mentors ---
BANK_STATUS = {
    "no_consent": "нет согласия на обработку ПДн",
    "not_started": "анкета не начата",
    "in_progress": "заполняет анкету",
    "awaiting_parent": "ждёт согласия родителя",
    "waiting": "ждёт наставника",
    "invited": "приглашён в пару",
    "in_pair": "в паре",
    "complete": "анкета заполнена",
}
BANK_TITLES = {Role.MENTEE: "Банк наставляемых", Role.MENTOR: "Банк наставников"}
BTN_BANK = {Role.MENTEE: "👥 Банк наставляемых", Role.MENTOR: "🧑‍🏫 Банк наставников"}
BTN_FILTER_AREA = {Role.MENTEE: "🔎 По затруднению", Role.MENTOR: "🔎 По компетенции"}
BTN_FILTER_AREA_MENTEE = BTN_FILTER_AREA[Role.MENTEE]

EXPORT_CAPTION = "{title}: {count} чел."


def bank_unnamed(telegram_id: int) -> str:
    return f"Участник id{telegram_id}"


def bank_status(status: str, days: int) -> str:
    text = BANK_STATUS[status]
    return f"{text} {days} дн." if status == "waiting" else text


def bank_header(role: Role, school: str, total: int, complete: int, waiting: int) -> str:
    line = (
        f"<b>{BANK_TITLES[role]}</b> · {escape(school)}\n"
        f"Всего: {total}, анкет заполнено: {complete}"
    )

    if role is Role.MENTEE:
        line += f", ждут наставника: {waiting}"
    return line


def bank_filter_line(label: str) -> str:
    return f"Фильтр: {escape(label)}"


def bank_line(number: int, name: str, status: str, reachable: bool = True) -> str:
    line = f"{number}. {escape(name)} — {status}"
    return line if reachable else f"{line} ⛔ {tr('unreachable')}"


def bank_reminded(count: int) -> str:
    if count == 0:
        return "Все уже заполнили анкеты или получили напоминание сегодня."
    return f"Напоминание отправлено: {count} чел."


def questionnaire_reminder(role: Role) -> str:
    title = "наставника" if role is Role.MENTOR else "наставляемого"
    return (
        f"Куратор программы наставничества напоминает: заполните, пожалуйста, анкету {title}. "
        "Откройте /menu → «Анкета». Ответы сохраняются сразу, можно в несколько подходов."
    )


def school_bank_counts(name: str, mentors: tuple[int, int], mentees: tuple[int, int]) -> str:
    return (
        f"🏫 {escape(name)}: наставников {mentors[0]} (анкет {mentors[1]}), "
        f"наставляемых {mentees[0]} (анкет {mentees[1]})"
    )


# --- meeting times ---


def when_bad_time(typed: str) -> str:
    return f"Такого времени нет: {escape(typed)}. Часы от 0 до 23, минуты от 00 до 59."


def when_no_such_date(typed: str) -> str:
    return f"Такой даты нет: {escape(typed)}. Проверьте день и месяц."


# --- meetings ---


# ----- the end of a school year -----


def year_close_preview(label: str, working: int, invited: int) -> str:
    return (
        f"<b>Завершить {label} учебный год?</b>\n\n"
        f"• Пары, которые сейчас работают ({working}), завершат программу вместе с годом; "
        "их участники получат сообщение. Назначенные встречи будут отменены.\n"
        f"• Приглашения без ответа ({invited}) будут отозваны, черновик подбора очищен.\n"
        "• Итоги года (пары, встречи, обратная связь) сохранятся в архиве для отчётов, "
        "а список пар начнётся заново.\n\n"
        "Анкеты и согласия учителей остаются: банки наставников и наставляемых сохраняются.\n"
        "Отменить это действие нельзя."
    )


def year_closed_already(label: str) -> str:
    return f"{label} учебный год уже завершён. Итоги — в архиве учебных лет."


def year_summary(
    label: str,
    closed_on: str,
    pairs: int,
    completed: int,
    ended_early: int,
    meetings: int,
    feedback: int,
) -> str:
    return (
        f"<b>{label}</b> (завершён {closed_on})\n"
        f"Пар и групп: {pairs}, из них завершили программу: {completed}, "
        f"закончили досрочно: {ended_early}\n"
        f"Встреч проведено: {meetings}, анкет обратной связи: {feedback}"
    )


def year_closed_done(summary: str) -> str:
    return f"✅ Учебный год завершён.\n\n{summary}"


def year_closed_for_pair(label: str) -> str:
    return (
        f"🎓 {label} учебный год завершён, и вместе с ним — программа вашей наставнической "
        "пары. Спасибо за работу! Если захотите продолжить в новом году, куратор подберёт пару."
    )


def year_archive(school: str, summaries: list[str]) -> str:
    return f"<b>Архив учебных лет — {escape(school)}</b>\n\n" + "\n\n".join(summaries)
