"""Every text a user reads, in one place. HTML parse mode: escape user-supplied values."""

from __future__ import annotations

from datetime import date
from html import escape

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
BTN_BACK = "« Назад"
BTN_MAIN_MENU = "« Главное меню"
BTN_CANCEL = "✖ Отмена"
BTN_HELP = "❓ Помощь"
BTN_PROFILE = "👤 Мои роли"
BTN_DISTRICTS = "🏛 Округа и школы"
BTN_NEW_DISTRICT = "➕ Новый округ"
BTN_NEW_SCHOOL = "➕ Новая школа"
BTN_INVITE_COORDINATOR = "✉ Пригласить координатора"
BTN_INVITE_CURATOR = "✉ Пригласить куратора"
BTN_TEACHER_LINK = "🔗 Новая ссылка для учителей"
BTN_JOIN_AS_MENTEE = "Я наставляемый"
BTN_JOIN_AS_MENTOR = "Я наставник"


def btn_district(name: str) -> str:
    return f"🏛 {name}"


def btn_school(name: str) -> str:
    return f"🏫 {name}"


def btn_questionnaire(role: Role, school: str) -> str:
    title = "Анкета наставника" if role is Role.MENTOR else "Анкета наставляемого"
    return f"📝 {title} · {school}"


# --- start, join ---
STRANGER_WELCOME = (
    "Здравствуйте! Это бот программы наставничества педагогов.\n\n"
    "Здесь учителя заполняют анкеты и согласия, наставники и наставляемые планируют "
    "встречи и оставляют обратную связь, а куратор формирует пары и готовит отчёты.\n\n"
    "Чтобы начать, нужна ссылка-приглашение вашей школы: попросите её у куратора "
    "программы наставничества (обычно это заместитель директора)."
)
STRANGER_HINT = (
    "Вы пока не участник программы. Откройте ссылку-приглашение от куратора вашей школы — "
    "и бот всё покажет."
)
INVITE_INVALID = (
    "Ссылка-приглашение не распознана. Проверьте, что скопировали её целиком, "
    "или попросите у куратора новую."
)
INVITE_EXPIRED = "Срок действия этой ссылки истёк. Попросите у куратора новую ссылку."
INVITE_USED = (
    "Эта ссылка уже использована. Одноразовую ссылку нельзя открыть повторно — попросите новую."
)
INVITE_REVOKED = "Эта ссылка отозвана. Попросите у куратора действующую ссылку."
INVITE_ALREADY_HELD = "Вы уже участвуете с этой ролью — ничего менять не нужно."
JOIN_CHOOSE_ROLE = (
    "Вы присоединяетесь к программе наставничества школы «{school}».\n\n"
    "Кем вы хотите участвовать? Один человек может быть и наставником, и наставляемым — "
    "вторую роль можно добавить, открыв ссылку ещё раз."
)
JOIN_STALE = "Это приглашение уже не действует. Откройте ссылку от куратора ещё раз."


def joined(role: Role, place: str) -> str:
    return f"Готово! Вы — {ROLE_NAMES[role]} ({escape(place)}).\nГлавное меню ниже."


def join_choose_role(school: str) -> str:
    return JOIN_CHOOSE_ROLE.format(school=escape(school))


# --- menus ---
MAIN_MENU = "Главное меню. Ваши роли: {roles}."
MENU_STRANGER = STRANGER_HINT


def main_menu(roles: list[Role]) -> str:
    return MAIN_MENU.format(roles=", ".join(ROLE_NAMES[role] for role in roles))


PROFILE_TITLE = "<b>Ваши роли</b>"
HELP_HEADER = "<b>Что умеет бот</b>"
HELP_COMMON = "/menu — главное меню\n/help — эта справка\n/cancel — прервать текущий шаг"
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
HELP_STRANGER = (
    "Бот ведёт программы наставничества школ. Чтобы участвовать, откройте "
    "ссылку-приглашение от куратора вашей школы."
)

# --- districts and schools ---
DISTRICTS_TITLE = "<b>Округа</b>\nВыберите округ или создайте новый."
DISTRICTS_EMPTY = "<b>Округа</b>\nПока нет ни одного округа — создайте первый."
ASK_DISTRICT_NAME = "Введите название округа (до 120 символов), например «Городской округ Самара»."
ASK_SCHOOL_NAME = "Введите название школы (до 200 символов), например «МБОУ СОШ № 5»."
ASK_SCHOOL_TIMEZONE = "Выберите часовой пояс школы «{name}»."
NAME_INVALID = "Название должно быть текстом от 2 до {limit} символов. Попробуйте ещё раз."
DISTRICT_EXISTS = "Округ с таким названием уже есть. Введите другое название."
SCHOOL_EXISTS = "В этом округе уже есть школа с таким названием. Введите другое название."
DISTRICT_CREATED = "Округ «{name}» создан."
SCHOOL_CREATED = "Школа «{name}» создана."
NOT_FOUND = "Не нашёл этот объект — возможно, он был удалён. Откройте меню заново."


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
PRIVATE_ONLY = (
    "Я работаю только в личных сообщениях: анкеты и согласия — личные данные. Напишите мне в личку."
)
FORBIDDEN = "Это действие вам недоступно."
NOT_REGISTERED = STRANGER_HINT
STALE_BUTTON = "Эта кнопка устарела. Вот актуальное меню."
UNKNOWN_COMMAND = "Такой команды нет. Список команд — /help, меню ниже."
UNEXPECTED_TEXT = "Я не ожидал здесь сообщения. Выберите действие в меню ниже."
UNSUPPORTED_CONTENT = "Я понимаю только текст и кнопки. Выберите действие в меню ниже."
EDITED_IGNORED = "Исправленные сообщения я не учитываю — отправьте ответ заново новым сообщением."
THROTTLED = "Слишком много сообщений подряд. Подождите несколько секунд и продолжайте."
CANCELLED = "Действие отменено."
NOTHING_TO_CANCEL = "Сейчас нечего отменять."
SOMETHING_WENT_WRONG = (
    "Что-то пошло не так — ваши прежние ответы сохранены. "
    "Повторите действие через минуту или откройте /menu."
)
DATABASE_BUSY = "Сервер сейчас занят. Ничего не потеряно — повторите через минуту."


def profile_line(role: Role, place: str) -> str:
    return f"• {ROLE_NAMES[role]}" + (f" — {escape(place)}" if place else "")


# --- forms (questionnaires, consents, surveys) ---
YES = "Да"
NO = "Нет"
BTN_YES = "Да"
BTN_NO = "Нет"
BTN_FORM_BACK = "« Предыдущий вопрос"
BTN_FORM_SKIP = "Пропустить »"
BTN_FORM_PAUSE = "⏸ Прервать (ответы сохранены)"
BTN_FORM_DONE = "Готово ✔"
BTN_FORM_SUBMIT = "📨 Отправить"
BTN_FORM_REOPEN = "✏ Изменить анкету"
FORM_SKIPPED = "—"
UNKNOWN_COMMAND_IN_FORM = (
    "Такой команды нет. Чтобы выйти из анкеты, нажмите «Прервать» или отправьте /menu — "
    "ответы сохранены."
)
FORM_TEXT_EXPECTED = "Здесь нужен текстовый ответ — стикеры, фото и голосовые я не сохраняю."
FORM_EMPTY = "Ответ не может быть пустым. Напишите ответ или воспользуйтесь кнопками."
FORM_YES_NO = "Ответьте «да» или «нет» — или нажмите кнопку."
FORM_USE_BUTTONS = "Выберите вариант кнопкой под вопросом."
FORM_BAD_CHARACTERS = "В ответе есть служебные символы. Напишите ответ обычным текстом."
FORM_DATE_FORMAT = "Введите дату в виде ДД.ММ.ГГГГ, например 25.11.2026."
FORM_DATE_RANGE = "Дата выглядит неправдоподобно. Проверьте год и введите дату ДД.ММ.ГГГГ."
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
FORM_OPTIONAL = "Вопрос необязательный — можно пропустить."
FORM_CURRENT_ANSWER = "Сейчас: {answer}"
FORM_SELECTED = "Выбрано: {answer}"
FORM_PICK_AT_LEAST_ONE = "Отметьте хотя бы один вариант или напишите свой."
FORM_REQUIRED = "Этот вопрос обязательный."
FORM_NO_PREVIOUS = "Это первый вопрос."
FORM_STALE = "Этот вопрос уже позади — вот где вы сейчас."
FORM_GONE = "Эта анкета больше не действует. Откройте /menu."
FORM_RESUMED = "Продолжаем с того места, где вы остановились."
FORM_PAUSED = "Ответы сохранены. Продолжить можно в любой момент: /menu → анкета."
FORM_SUMMARY_HINT = "Проверьте ответы. Нажмите номер, чтобы исправить ответ, или «Отправить»."
FORM_AT_SUMMARY = "Все вопросы пройдены — проверьте ответы и нажмите «Отправить»."
FORM_SUBMITTED = "Анкета отправлена куратору. Спасибо!"
FORM_ANSWER_MARK = "✓ Ваш ответ: {answer}"
FORM_OTHER_ADDED = "Добавил ваш вариант. Отметьте остальные и нажмите «Готово»."


def form_too_long(length: int, limit: int) -> str:
    return f"Ответ слишком длинный: {length} символов, можно до {limit}. Сократите, пожалуйста."


def form_number(low: int, high: int) -> str:
    return f"Введите число цифрами от {low} до {high}, например {min(max(low, 5), high)}."


def form_no_such_date(typed: str) -> str:
    return f"Такой даты нет: {escape(typed)}. Проверьте день и месяц (ДД.ММ.ГГГГ)."


def form_header(title: str, number: int, total: int) -> str:
    return f"<i>{escape(title)} · вопрос {number} из {total}</i>"


# --- consent ---
CONSENT_FIRST = (
    "Прежде чем заполнить анкету, прочитайте согласие на обработку персональных данных. "
    "Без него бот не сохраняет ответы анкеты."
)
CONSENT_THANKS = "Спасибо, согласие сохранено."
CONSENT_DECLINED = (
    "Вы не дали согласие — анкета не будет заполнена, и ваши данные мы не храним. "
    "Если передумаете, откройте /menu → анкета."
)
CONSENT_NEW_VERSION = (
    "Текст согласия обновился. Чтобы продолжить, прочитайте новую редакцию и подтвердите."
)

# --- parents of students ---
PARENT_THANKS = "Спасибо! Согласие сохранено, ребёнок может участвовать в программе."
PARENT_DECLINED = "Вы не дали согласие. Ребёнок не будет включён в программу наставничества."
PARENT_AGREED_STUDENT = "Родитель дал согласие — вы можете участвовать в программе наставничества."
PARENT_DECLINED_STUDENT = (
    "Родитель не дал согласие на ваше участие в программе. Обратитесь к куратору программы."
)


def parent_link_for_student(link: str) -> str:
    return (
        "Вы участвуете как ученик, поэтому нужно согласие родителя (законного представителя). "
        "Перешлите родителю эту ссылку — он откроет её в Telegram и подтвердит согласие:\n"
        f"{escape(link)}"
    )


# --- privacy (152-FZ rights) ---
BTN_MY_DATA = "📄 Мои данные файлом"
BTN_REVOKE = "🗑 Отозвать согласие"
BTN_REVOKE_CONFIRM = "Да, отозвать и удалить"
PRIVACY_STRANGER = (
    "О вас бот хранит только ваш Telegram id, и то лишь после перехода по ссылке-приглашению."
)
PRIVACY_TITLE = "<b>Ваши данные в боте</b>"
PRIVACY_STORED = (
    "Бот хранит: ваш Telegram id, ваши роли в программе, согласия (редакция, время, "
    "решение) и ответы на анкеты и опросы. Имена и ответы видят только вы и куратор вашей "
    "школы; в отчёты округа они попадают только в виде чисел."
)
PRIVACY_NO_CONSENT = "Согласие на обработку персональных данных вы пока не давали."
REVOKE_CONFIRM = (
    "Отозвать согласие на обработку персональных данных?\n\n"
    "Ваши анкеты и ответы будут удалены, вы перестанете быть участником программы, "
    "куратор получит уведомление. Отменить это нельзя, но присоединиться заново можно "
    "по ссылке школы."
)
REVOKE_DONE = (
    "Согласие отозвано, ваши анкеты и ответы удалены. Для статистики школы осталась только "
    "обезличенная запись о выбытии. Спасибо, что были с нами."
)
REVOKE_NOTHING = "Действующих согласий нет — удалять нечего."
MY_DATA_CAPTION = "Все данные, которые бот хранит о вас (JSON)."
MY_DATA_FILENAME = "moi_dannye.json"


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
BTN_FILTER_SUBJECT = "🔎 По предмету"
BTN_FILTER_AREA = {Role.MENTEE: "🔎 По затруднению", Role.MENTOR: "🔎 По компетенции"}
BTN_FILTER_RESET = "✖ Сбросить фильтр"
BTN_FILTER_AREA_MENTEE = BTN_FILTER_AREA[Role.MENTEE]

BTN_EXPORT_XLSX = "📤 Excel (XLSX)"
BTN_EXPORT_CSV = "📤 CSV"
BTN_REMIND = "🔔 Напомнить незаполнившим"
BTN_PREV_PAGE = "‹"
BTN_NEXT_PAGE = "›"
BANK_EMPTY = "Пока никого нет. Разошлите учителям ссылку школы."
BANK_NOTHING_FOUND = "По этому фильтру никого нет."
BANK_PICK_FILTER = "Выберите значение фильтра."
BANK_NOT_MEMBER = "Этот участник не найден в банке вашей школы."
BANK_NOT_FILLED = "Анкета ещё не заполнена."
EXPORT_STATUS = "Статус"
EXPORT_DAYS_WAITING = "Дней ожидания"
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
    return line if reachable else f"{line} ⛔ {UNREACHABLE}"


UNREACHABLE = "заблокировал бота: сообщения не доходят"


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
PAIR_SELF = "Нельзя составить пару из одного человека."
PAIR_MENTOR_UNAVAILABLE = (
    "Этот наставник сейчас недоступен: анкета не заполнена, согласие отозвано или нет мест."
)
PAIR_MENTEE_UNKNOWN = "Этот наставляемый не найден в банке школы (возможно, отозвал согласие)."
PAIR_AWAITING_PARENT = "Ученика нельзя включить в пару, пока родитель не дал согласие."
PAIR_MENTEE_NOT_READY = "Наставляемый ещё не заполнил анкету."
PAIR_INVITATION_GONE = "Это приглашение уже неактуально: на него ответили или куратор его отозвал."
PAIR_ACCEPTED = "Спасибо! Ваше согласие на участие в паре записано."
PAIR_DECLINED = "Ваш отказ записан, куратор получит уведомление."
PAIR_ASK_REASON = "Коротко напишите причину отказа (до 300 символов) — её увидит куратор."
BTN_ACCEPT = "✅ Принимаю"
BTN_DECLINE = "Отказаться"
BTN_PAIRS = "🤝 Пары"
BTN_PROPOSE = "✨ Предложить пары"
BTN_ACCEPT_ALL = "✅ Принять все"
BTN_ORDER = "📄 Приказ о парах (.docx)"
PAIRS_EMPTY = "Пар пока нет. Нажмите «Предложить пары» — бот подберёт их по анкетам."
DRAFTS_EMPTY = "Предложить некого: нет наставляемых, ждущих наставника, или у наставников нет мест."
DRAFTS_TITLE = "<b>Предложение пар</b> (черновик). Примите, замените или уберите строки."
ALTERNATIVES_TITLE = "Кандидаты в наставники для «{name}»:"
DRAFT_GONE = "Эта строка черновика уже обработана."
ORDER_CAPTION = "Проект приказа об утверждении наставнических пар."
ORDER_EMPTY = (
    "Действующих пар пока нет: приказ формируется после того, как пары примут приглашения."
)


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
ORDER_HEADING = "ПРИКАЗ"
ORDER_TITLE = "Об утверждении наставнических пар/групп"
ORDER_PREAMBLE = (
    "В соответствии с Положением о системе наставничества педагогических работников "
    "и дорожной картой реализации программы наставничества, на основании анкет участников "
    "и их письменного согласия"
)
ORDER_ITEM_APPROVE = "ПРИКАЗЫВАЮ:\n1. Утвердить наставнические пары/группы:"
ORDER_COLUMNS = ("№", "Наставник", "Наставляемый(е)", "Форма", "Вид", "Срок")
ORDER_ITEMS_AFTER = (
    "2. Наставникам совместно с наставляемыми разработать персонализированные программы "
    "наставничества в течение месяца.",
    "3. Контроль исполнения приказа возложить на куратора программы наставничества.",
)
ORDER_SIGNATURE = "Директор ______________ / ______________ /"


def order_date_line(day: str) -> str:
    return f"от {day}                                   № ______"


def order_term(start: str) -> str:
    return f"с {start}"


def candidate_line(number: int, mentor: str, score: float, reasons: tuple[str, ...]) -> str:
    return f"{number}. {escape(mentor)} · {score:g} б.\n   <i>{escape('; '.join(reasons))}</i>"


DRAFT_ACCEPTED = "Пара создана, участникам отправлены приглашения."


def drafts_accepted(created: int, refused: int) -> str:
    text = f"Создано пар: {created}, приглашения отправлены."
    return text + (
        f" Не удалось: {refused} — эти строки остались в черновике; нажмите ✅ у строки, "
        "чтобы увидеть причину."
        if refused
        else ""
    )


# --- a pair's card, its program and requests ---
BTN_PROGRAM_OPEN = "🗂 Открыть пару и программу"
BTN_PROGRAM_EDIT = "✏ Составить / изменить программу"
BTN_PROGRAM_CONFIRM = "✅ Подтвердить программу"
BTN_PROGRAM_DOCX = "📄 Программа (.docx)"
BTN_REQUEST_REPLACE = "🔁 Попросить заменить наставника"
BTN_REQUEST_RELEASE = "🚪 Попросить освободить от наставничества"
BTN_APPROVE = "✅ Одобрить"
BTN_REJECT = "✖ Отклонить"
PROGRAM_STATUSES = {
    "draft": "черновик у наставника",
    "proposed": "ждёт подтверждения наставляемого",
    "confirmed": "подтверждена",
}
PROGRAM_NONE = "программа ещё не составлена"
PROGRAM_SENT = "Программа отправлена наставляемому на подтверждение; куратор её видит."
PROGRAM_TO_CONFIRM = (
    "Наставник составил (или изменил) персонализированную программу вашей пары. "
    "Откройте её и подтвердите, если согласны."
)
PROGRAM_SENT_NOTICE = "Наставник отправил программу пары на подтверждение наставляемому."
PROGRAM_CONFIRMED_NOTICE = "Программа наставничества подтверждена наставляемым."
PROGRAM_CONFIRMED = "Спасибо! Программа подтверждена."
PROGRAM_NOT_PROPOSED = "Подтверждать пока нечего: программа не отправлена или уже подтверждена."
PROGRAM_MISSING = "Программа ещё не составлена."
PAIR_NOT_YOURS = "Эта пара вам недоступна."
REQUEST_ASK_REASON = "Коротко опишите причину (до 500 символов) — её увидит куратор."
REQUEST_SENT = "Запрос отправлен куратору. Ответ придёт сюда."
REQUEST_DUPLICATE = "Ваш прошлый запрос по этой паре ещё ждёт решения куратора."
REQUEST_ASK_COMMENT = "Напишите комментарий к решению (его увидит участник)."
REQUEST_GONE = "Этот запрос уже рассмотрен."
REQUEST_KINDS = {
    "replace_mentor": "просит заменить наставника",
    "release_mentor": "просит освободить его от наставничества",
}
PAIR_CARD_TITLE = "<b>Наставническая пара</b>"


def pair_card(mentor: str, mentees: list[str], form: str, kind: str, status: str,
              program: str) -> str:  # fmt: skip
    return (
        f"{PAIR_CARD_TITLE}\n"
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


PROGRAM_DOC_TITLE = "Персонализированная программа наставничества"
PROGRAM_DOC_MENTOR = "Наставник"
PROGRAM_DOC_MENTEES = "Наставляемый(е)"
PROGRAM_DOC_FORM = "Форма наставничества"
PROGRAM_DOC_KIND = "Вид"
PROGRAM_DOC_TERM = "Срок реализации"
PROGRAM_DOC_GOALS = "Цели"
PROGRAM_DOC_PLAN = "Индивидуальный план развития"
PROGRAM_DOC_COLUMNS = ("№", "Тема", "Содержание", "Срок", "Ожидаемый результат")
PROGRAM_DOC_SIGNATURES = (
    "Наставник ______________      Наставляемый ______________      Куратор ______________"
)


def program_term(start: date | None, months: int) -> str:
    if start is None:
        return f"{months} мес."
    return f"с {start.strftime('%d.%m.%Y')}, {months} мес."


MY_PAIRS_TITLE = "<b>Мои пары</b>"
MY_PAIRS_EMPTY = "Вы пока не в паре. Куратор пришлёт приглашение, когда подберёт пару."
BTN_MY_PAIRS = "🤝 Мои пары"
REQUEST_DECIDED = "Решение записано, участники пары получат уведомление."


def waiting_reminder(waiting: list[tuple[str, int]]) -> str:
    lines = ["<b>Наставляемые ждут наставника</b>"]
    lines += [f"• {escape(name)} — {days} дн." for name, days in waiting[:30]]
    if len(waiting) > 30:
        lines.append(f"… и ещё {len(waiting) - 30}")
    lines.append("Подберите пары: школа → «🤝 Пары» → «✨ Предложить пары».")
    return "\n".join(lines)


BTN_PAIR_FORM = "🔧 Форма"
BTN_PAIR_KIND = "🔧 Вид"
BTN_PAIR_ADD = "➕ Добавить наставляемого (группа)"
BTN_PAIR_WITHDRAW = "✖ Отозвать приглашение"
PAIR_PICK_FORM = "Выберите форму наставничества."
PAIR_PICK_KIND = "Выберите вид наставничества."
PAIR_PICK_MENTEE = "Кого пригласить в группу? (наставляемые, ждущие наставника)"
PAIR_NO_WAITING = "Свободных наставляемых с заполненной анкетой нет."
PAIR_UPDATED = "Сохранено."
PAIR_MENTEE_ADDED = "Приглашение отправлено, пара стала группой."
PAIR_WITHDRAWN = "Приглашение отозвано."

BTN_PREFERENCES = "🗳 Раунд предпочтений"
MENTEE_PREFERENCE_LIMIT = 3
PREFERENCES_ASK_MENTEE = (
    "После встречи кандидатов куратор просит вас назвать наставников, с которыми вы хотели бы "
    "работать: отметьте до трёх. Взаимный выбор будет учтён в первую очередь."
)
PREFERENCES_ASK_MENTOR = (
    "После встречи кандидатов куратор просит вас отметить наставляемых, которых вы готовы "
    "взять. Взаимный выбор будет учтён в первую очередь."
)
PREFERENCE_LIMIT = "Можно выбрать не больше трёх наставников. Снимите отметку с одного из них."
PREFERENCE_CLOSED = "Раунд предпочтений для вас закрыт: вы уже в паре или не участвуете в подборе."


def preferences_opened(mentees: int, mentors: int) -> str:
    return (
        f"Раунд предпочтений открыт: вопросы отправлены {mentees} наставляемым и {mentors} "
        "наставникам. Их выбор учтётся, когда вы нажмёте «Предложить пары»."
    )


# --- meeting times ---
WHEN_FORMAT = (
    "Не понял дату и время. Напишите, например: «28.11 15:30», «завтра в 16:00» "
    "или «в пятницу 15:00»."
)
WHEN_PAST = "Это время уже прошло. Укажите время встречи в будущем."
WHEN_TOO_FAR = "Встречу можно назначить не дальше чем на год вперёд."


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
BTN_MEETING_NEW = "📅 Назначить встречу"
BTN_JOURNAL = "📓 Журнал встреч"
BTN_JOURNAL_DOCX = "📄 Журнал (.docx)"
BTN_MEETING_CONFIRM = "✅ Подтверждаю"
BTN_MEETING_MOVE = "🕑 Предложить другое время"
BTN_MEETING_CANCEL = "✖ Отменить встречу"
BTN_FEEDBACK = "📝 Оставить обратную связь"
BTN_ONLINE = "💻 Онлайн"
BTN_NO_TOPIC = "Без темы"
MEETING_ASK_WHEN = (
    "Когда встречаемся? Напишите дату и время, например «28.11 15:30», «завтра в 16:00» "
    "или «в пятницу 15:00» (время школы: {zone})."
)
MEETING_ASK_PLACE = "Где? Напишите место (например, «каб. 204») или ссылку на онлайн-встречу."
MEETING_ASK_TOPIC = "Тема встречи? Выберите следующий пункт программы или напишите свою."
MEETING_TEXT_LIMIT = "Слишком длинно: до 200 символов. Напишите короче."
MEETING_PAIR_NOT_ACTIVE = "Встречи назначаются только в действующей паре."
MEETING_PROPOSED = "Предложение встречи отправлено — ждём подтверждения."
MEETING_CONFIRMED = "Встреча подтверждена. Напомню заранее."
MEETING_CANCELLED = "Встреча отменена, участники получат уведомление."
MEETING_CANCELLED_ALREADY = "Эта встреча уже отменена."
MEETING_NOT_PROPOSED = "Это предложение уже неактуально: время изменили или встречу подтвердили."
MEETING_OWN_PROPOSAL = "Это ваше предложение — его подтверждает другая сторона."
MEETING_DRAFT_LOST = (
    "Черновик встречи потерялся. Начните заново: /menu → «🤝 Мои пары» → «📅 Назначить встречу»."
)
MEETING_NOT_YOURS = "Эта встреча вам недоступна."
FEEDBACK_FOR_CANCELLED = "Встреча была отменена — обратная связь по ней не нужна."
FEEDBACK_TOO_EARLY = "Обратную связь можно оставить после встречи."
FEEDBACK_ALREADY = "Вы уже оставили обратную связь по этой встрече. Спасибо!"
FEEDBACK_THANKS = "Спасибо за обратную связь! Она попадёт в журнал пары."
JOURNAL_EMPTY = "Встреч пока не было."
JOURNAL_TITLE = "<b>Журнал наставничества</b>"
MEETING_STATUSES = {"proposed": "ждёт подтверждения", "confirmed": "подтверждена",
                    "cancelled": "отменена"}  # fmt: skip


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


JOURNAL_NOT_HELD = "не состоялась"
JOURNAL_DOC_TITLE = "Журнал наставничества"
JOURNAL_DOC_COLUMNS = ("Дата", "Вид встречи", "Тема", "Статус", "Что сделано, результат, задание")


def journal_feedback(rating: int, done: str, next_step: str) -> str:
    return f"оценка {rating}/10; сделано: {done}; дальше: {next_step}"


def plan_final_meeting(end: str) -> str:
    return (
        f"Программа вашей пары завершается {end}. Запланируйте итоговую встречу: "
        "/menu → «🤝 Мои пары» → «📅 Назначить встречу»."
    )


def status_report(
    version: str, uptime: str, database_mb: float, queued: int, oldest: str, last_tick: str,
    failures: int, erasure: str,
) -> str:  # fmt: skip
    return (
        "<b>Состояние бота</b>\n"
        f"Версия: {version}\nРаботает: {uptime}\nБаза данных: {database_mb} МБ\n"
        f"Очередь исходящих: {queued}, самое старое к отправке: {oldest}\n"
        f"Последний такт планировщика: {last_tick}\n"
        f"Сбоев доставки за 24 ч: {failures}\n"
        f"Удаление данных (152-ФЗ): {erasure}"
    )


ERASURE_NEVER_RAN = "ещё не запускалось"


def erasure_summary(when: str, people: int, messages: int, backups: int) -> str:
    return (
        f"{when}; отозвавших согласие: {people}, очищено сообщений: {messages}, "
        f"удалено старых копий: {backups}"
    )


WEEKDAY_SHORT = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")


def time_suggestion(weekday: int, label: str) -> str:
    return f"{WEEKDAY_SHORT[weekday]} {label}"


# ----- the end of a school year -----

BTN_CLOSE_YEAR = "📦 Завершить учебный год"
BTN_YEAR_ARCHIVE = "📚 Архив учебных лет"
BTN_CLOSE_YEAR_CONFIRM = "✅ Завершить год"
YEAR_ARCHIVE_EMPTY = "Завершённых учебных лет пока нет."


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


def year_summary(label: str, closed_on: str, pairs: int, completed: int, ended_early: int,
                 meetings: int, feedback: int) -> str:  # fmt: skip
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
