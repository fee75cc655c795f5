"""Every text a user reads, in one place. HTML parse mode: escape user-supplied values."""

from __future__ import annotations

from datetime import date
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


# --- matching ---
FORMAT_NAMES = {"in_person": "очно", "remote": "дистанционно", "mixed": "смешанно"}


def match_needs(covered: int, needs: int) -> str:
    if not needs:
        return "затруднения не указаны"
    return f"совпадают {covered} из {needs} затруднений"


def match_subjects(common: list[str]) -> str:
    if not common:
        return "предметы разные"
    return "общий предмет: " + ", ".join(common).lower()


def match_format(mentee: str | None, mentor: str | None) -> str:
    if mentee is None or mentor is None:
        return "формат не указан"
    if mentee == mentor:
        return "оба " + FORMAT_NAMES.get(mentee, mentee)
    return f"формат: {FORMAT_NAMES.get(mentee, mentee)} / {FORMAT_NAMES.get(mentor, mentor)}"


def match_days(common: list[str]) -> str:
    return "общие дни: " + ", ".join(common) if common else "нет общих дней"


# --- pairs ---
PAIR_FORMS = {
    "teacher_teacher": "учитель – учитель",
    "student_student": "ученик – ученик",
    "teacher_student": "учитель – ученик",
    "head_teacher": "руководитель ОО – педагог",
    "employer_student": "работодатель – студент",
    "university_teacher": "педагог вуза/колледжа – молодой педагог",
}
PAIR_KINDS = {
    "traditional": "традиционное",
    "group": "групповое",
    "virtual": "виртуальное",
    "short_term": "краткосрочное",
    "reverse": "реверсивное",
    "situational": "ситуационное",
    "speed": "скоростное",
}
PAIR_STATUSES = {
    "invited": "ждёт ответов",
    "active": "действует",
    "declined": "отклонена",
    "withdrawn": "отозвана",
    "ended": "завершена",
}
PAIR_REFUSALS = {
    "mentor_full": "У наставника уже нет свободных мест — он набрал столько наставляемых, "
    "сколько готов вести.",
    "mentee_taken": "Этот наставляемый уже в паре или приглашён в другую пару.",
}
ALTERNATIVES_TITLE = "Кандидаты в наставники для «{name}»:"


def pair_invitation(mentor: str, mentees: list[str], form: str, kind: str) -> str:
    return (
        "<b>Приглашение в наставническую пару</b>\n\n"
        f"Наставник: {escape(mentor)}\n"
        f"Наставляемые: {escape(', '.join(mentees))}\n"
        f"Форма: {PAIR_FORMS.get(form, form)}; вид: {PAIR_KINDS.get(kind, kind)}.\n\n"
        "Принимая приглашение, вы даёте согласие на участие в программе наставничества "
        "и выполнение обязанностей участника пары."
    )


def pair_accepted_notice(who: str, now_active: bool) -> str:
    text = f"{escape(who)} принял(а) приглашение в пару."
    return text + (" Все участники согласны — пара начала работу." if now_active else "")


def pair_declined_notice(who: str, reason: str) -> str:
    return (
        f"{escape(who)} отказался(лась) от пары. Причина: {escape(reason) or '—'}. "
        "Наставляемый возвращён в банк."
    )


def pair_line(
    number: int, mentor: str, mentees: list[str], status: str, idle_days: int | None = None
) -> str:
    line = (
        f"{number}. {escape(mentor)} → {escape(', '.join(mentees))} — "
        f"{PAIR_STATUSES.get(status, status)}"
    )
    return line if idle_days is None else f"{line} ⚠ под риском: нет встреч {idle_days} дн."


def draft_line(
    number: int, mentee: str, mentor: str, score: float, reasons: tuple[str, ...]
) -> str:
    return (
        f"{number}. {escape(mentee)} ← {escape(mentor)} · {score:g} б.\n"
        f"   <i>{escape('; '.join(reasons))}</i>"
    )


# --- the director's order ---
ORDER_COLUMNS = ("№", "Наставник", "Наставляемый(е)", "Форма", "Вид", "Срок")
ORDER_ITEMS_AFTER = (
    "2. Наставникам совместно с наставляемыми разработать персонализированные программы "
    "наставничества в течение месяца.",
    "3. Контроль исполнения приказа возложить на куратора программы наставничества.",
)


def order_date_line(day: str) -> str:
    return f"от {day}                                   № ______"


def order_term(start: str) -> str:
    return f"с {start}"


def candidate_line(number: int, mentor: str, score: float, reasons: tuple[str, ...]) -> str:
    return f"{number}. {escape(mentor)} · {score:g} б.\n   <i>{escape('; '.join(reasons))}</i>"


def drafts_accepted(created: int, refused: int) -> str:
    text = f"Создано пар: {created}, приглашения отправлены."
    return text + (
        f" Не удалось: {refused} — эти строки остались в черновике; нажмите ✅ у строки, "
        "чтобы увидеть причину."
        if refused
        else ""
    )


# --- a pair's card, its program and requests ---
PROGRAM_STATUSES = {
    "draft": "черновик у наставника",
    "proposed": "ждёт подтверждения наставляемого",
    "confirmed": "подтверждена",
}
REQUEST_KINDS = {
    "replace_mentor": "просит заменить наставника",
    "release_mentor": "просит освободить его от наставничества",
}


def pair_card(
    mentor: str, mentees: list[str], form: str, kind: str, status: str, program: str
) -> str:
    return (
        f"{tr('pair-card-title')}\n"
        f"Наставник: {escape(mentor)}\n"
        f"Наставляемые: {escape(', '.join(mentees))}\n"
        f"Форма: {PAIR_FORMS.get(form, form)}; вид: {PAIR_KINDS.get(kind, kind)}\n"
        f"Статус: {PAIR_STATUSES.get(status, status)}\n"
        f"Программа: {program}"
    )


def request_notice(who: str, kind: str, reason: str) -> str:
    return f"{escape(who)} {REQUEST_KINDS.get(kind, kind)}.\nПричина: {escape(reason)}"


def request_decided(approved: bool, comment: str) -> str:
    verdict = "одобрил — пара завершена досрочно" if approved else "отклонил"
    return f"Куратор {verdict} ваш запрос. Комментарий: {escape(comment)}"


PROGRAM_DOC_COLUMNS = ("№", "Тема", "Содержание", "Срок", "Ожидаемый результат")


def program_term(start: date | None, months: int) -> str:
    if start is None:
        return f"{months} мес."
    return f"с {start.strftime('%d.%m.%Y')}, {months} мес."


def waiting_reminder(waiting: list[tuple[str, int]]) -> str:
    lines = ["<b>Наставляемые ждут наставника</b>"]
    lines += [f"• {escape(name)} — {days} дн." for name, days in waiting[:30]]
    if len(waiting) > 30:
        lines.append(f"… и ещё {len(waiting) - 30}")
    lines.append("Подберите пары: школа → «🤝 Пары» → «✨ Предложить пары».")
    return "\n".join(lines)


MENTEE_PREFERENCE_LIMIT = 3


def preferences_opened(mentees: int, mentors: int) -> str:
    return (
        f"Раунд предпочтений открыт: вопросы отправлены {mentees} наставляемым и {mentors} "
        "наставникам. Их выбор учтётся, когда вы нажмёте «Предложить пары»."
    )


# --- meeting times ---


def when_bad_time(typed: str) -> str:
    return f"Такого времени нет: {escape(typed)}. Часы от 0 до 23, минуты от 00 до 59."


def when_no_such_date(typed: str) -> str:
    return f"Такой даты нет: {escape(typed)}. Проверьте день и месяц."


# --- meetings ---
MEETING_KINDS = {
    "organizational": "организационная встреча",
    "trial": "пробная рабочая встреча",
    "planning": "встреча-планирование",
    "regular": "рабочая встреча",
    "final": "итоговая встреча",
}
MEETING_ASK_WHEN = (
    "Когда встречаемся? Напишите дату и время, например «28.11 15:30», «завтра в 16:00» "
    "или «в пятницу 15:00» (время школы: {zone})."
)
MEETING_STATUSES = {
    "proposed": "ждёт подтверждения",
    "confirmed": "подтверждена",
    "cancelled": "отменена",
}


def meeting_proposal(kind: str, when: str, place: str, topic: str) -> str:
    return (
        f"<b>Предложение встречи</b> ({kind})\n"
        f"Когда: {when}\nГде: {escape(place)}\nТема: {escape(topic)}"
    )


def meeting_confirmed(when: str, place: str) -> str:
    return f"Встреча {when} ({escape(place)}) подтверждена."


def meeting_cancelled(when: str) -> str:
    return f"Встреча {when} отменена."


def meeting_reminder(when: str, place: str, topic: str) -> str:
    return f"⏰ Напоминание: встреча {when}, {escape(place)}. Тема: {escape(topic)}."


def feedback_request(when: str) -> str:
    return f"Как прошла встреча {when}? Обратная связь обязательна — это 2 минуты."


def feedback_chaser(when: str) -> str:
    return f"Напоминаем: нужна ваша обратная связь о встрече {when}."


def feedback_owed(when: str) -> str:
    return f"Участник пары не оставил обратную связь о встрече {when}, несмотря на напоминания."


def pair_nudge(days: int) -> str:
    return (
        f"Вы не встречались с парой {days} дн. Назначьте встречу: /menu → «🤝 Мои пары» → "
        "«📅 Назначить встречу»."
    )


def pair_at_risk(pair_id: int, days: int) -> str:
    return f"Пара № {pair_id} под риском: нет встреч {days} дн."


def journal_line(when: str, kind: str, status: str, topic: str, summary: str) -> str:
    line = f"• {when} — {kind}, {status}. Тема: {escape(topic)}"
    return line + (f"\n  {escape(summary)}" if summary else "")


JOURNAL_DOC_COLUMNS = ("Дата", "Вид встречи", "Тема", "Статус", "Что сделано, результат, задание")


def journal_feedback(rating: int, done: str, next_step: str) -> str:
    return f"оценка {rating}/10; сделано: {done}; дальше: {next_step}"


def plan_final_meeting(end: str) -> str:
    return (
        f"Программа вашей пары завершается {end}. Запланируйте итоговую встречу: "
        "/menu → «🤝 Мои пары» → «📅 Назначить встречу»."
    )


def status_report(
    version: str,
    uptime: str,
    database_mb: float,
    queued: int,
    oldest: str,
    last_tick: str,
    failures: int,
    erasure: str,
) -> str:
    return (
        "<b>Состояние бота</b>\n"
        f"Версия: {version}\nРаботает: {uptime}\nБаза данных: {database_mb} МБ\n"
        f"Очередь исходящих: {queued}, самое старое к отправке: {oldest}\n"
        f"Последний такт планировщика: {last_tick}\n"
        f"Сбоев доставки за 24 ч: {failures}\n"
        f"Удаление данных (152-ФЗ): {erasure}"
    )


def erasure_summary(when: str, people: int, messages: int, backups: int) -> str:
    return (
        f"{when}; отозвавших согласие: {people}, очищено сообщений: {messages}, "
        f"удалено старых копий: {backups}"
    )


WEEKDAY_SHORT = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")


def time_suggestion(weekday: int, label: str) -> str:
    return f"{WEEKDAY_SHORT[weekday]} {label}"


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
