"""Every form the bot asks, as data. A change to a form is a new version next to the old one:
sessions started on version N keep reading version N."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.forms.model import Form, FormPurpose, Option, Question, QuestionKind, ShowIf

# The shared list of competence areas: a mentee's difficulties and a mentor's strengths are
# chosen from the same list, so matching can compare them.
COMPETENCE_AREAS: tuple[Option, ...] = (
    Option("lesson", "Планирование и проведение урока"),
    Option("fgos", "Рабочие программы, ФГОС, документация"),
    Option("assessment", "Оценивание и контроль результатов"),
    Option("discipline", "Дисциплина и управление классом"),
    Option("parents", "Взаимодействие с родителями"),
    Option("inclusion", "Дети с ОВЗ, инклюзия"),
    Option("gifted", "Работа с одарёнными детьми"),
    Option("digital", "Цифровые инструменты, дистанционное обучение"),
    Option("exams", "Подготовка к ОГЭ и ЕГЭ"),
    Option("upbringing", "Воспитательная работа, классное руководство"),
    Option("projects", "Проектная и исследовательская деятельность"),
    Option("stress", "Профессиональное выгорание, стресс"),
)

SUBJECTS: tuple[Option, ...] = (
    Option("primary", "Начальные классы"),
    Option("russian", "Русский язык и литература"),
    Option("math", "Математика"),
    Option("informatics", "Информатика"),
    Option("physics", "Физика"),
    Option("chemistry", "Химия"),
    Option("biology", "Биология"),
    Option("geography", "География"),
    Option("history", "История и обществознание"),
    Option("foreign", "Иностранный язык"),
    Option("pe", "Физическая культура"),
    Option("arts", "Музыка, ИЗО"),
    Option("technology", "Технология (труд)"),
    Option("safety", "ОБЗР"),
)

FORMATS = (
    Option("in_person", "Очно"),
    Option("remote", "Дистанционно"),
    Option("mixed", "Смешанно"),
)

DAYS = (
    Option("mon", "Пн"),
    Option("tue", "Вт"),
    Option("wed", "Ср"),
    Option("thu", "Чт"),
    Option("fri", "Пт"),
    Option("sat", "Сб"),
)

TIMES = (
    Option("before", "До уроков"),
    Option("breaks", "На переменах / в окна"),
    Option("after", "После уроков"),
    Option("evening", "Вечером"),
)

STUDENT_CATEGORY = "student"
_NOT_STUDENT = ShowIf("category", STUDENT_CATEGORY, matches=False)

_COMMON_HEAD = (
    Question(
        "full_name",
        "Ваши фамилия, имя и отчество полностью.",
        QuestionKind.TEXT,
        max_length=150,
        header="ФИО",
    ),
    Question(
        "position",
        "Ваша должность (например, «учитель математики»; ученику — класс).",
        QuestionKind.TEXT,
        max_length=150,
        header="Должность / класс",
    ),
)

_COMMON_TAIL = (
    Question(
        "format",
        "Какой формат встреч вам удобен?",
        QuestionKind.SINGLE,
        options=FORMATS,
        header="Формат",
    ),
    Question(
        "days",
        "В какие дни вам удобно встречаться? Отметьте все подходящие.",
        QuestionKind.MULTI,
        options=DAYS,
        header="Дни",
    ),
    Question("times", "В какое время?", QuestionKind.MULTI, options=TIMES, header="Время"),
)

MENTEE_QUESTIONNAIRE = Form(
    id="mentee_questionnaire",
    version=1,
    title="Анкета наставляемого",
    purpose=FormPurpose.QUESTIONNAIRE,
    intro="Анкета поможет куратору подобрать вам наставника. Ответы сохраняются сразу — "
    "можно прерваться и продолжить позже.",
    questions=(
        *_COMMON_HEAD,
        Question(
            "category",
            "К какой категории вы относитесь?",
            QuestionKind.SINGLE,
            options=(
                Option("young", "Молодой специалист (стаж до 3 лет)"),
                Option("new", "Новый сотрудник школы"),
                Option("difficulties", "Педагог с профессиональными затруднениями"),
                Option("changing", "Меняю предмет или должность"),
                Option(STUDENT_CATEGORY, "Обучающийся (ученик)"),
            ),
            header="Категория",
        ),
        Question(
            "subjects",
            "Какие предметы вы ведёте? Отметьте все.",
            QuestionKind.MULTI,
            options=SUBJECTS,
            allow_other=True,
            header="Предметы",
            show_if=_NOT_STUDENT,
        ),
        Question(
            "experience",
            "Ваш педагогический стаж, полных лет (число).",
            QuestionKind.NUMBER,
            min_value=0,
            max_value=60,
            header="Стаж, лет",
            show_if=_NOT_STUDENT,
        ),
        Question(
            "difficulties",
            "Какие профессиональные затруднения вы испытываете? "
            "Отметьте все подходящие или напишите свои.",
            QuestionKind.MULTI,
            options=COMPETENCE_AREAS,
            allow_other=True,
            header="Затруднения",
        ),
        Question(
            "expectations",
            "Чего вы ждёте от наставничества?",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            header="Ожидания",
        ),
        *_COMMON_TAIL,
    ),
)

MENTOR_QUESTIONNAIRE = Form(
    id="mentor_questionnaire",
    version=1,
    title="Анкета наставника",
    purpose=FormPurpose.QUESTIONNAIRE,
    intro="Анкета поможет куратору подобрать вам наставляемых. Ответы сохраняются сразу — "
    "можно прерваться и продолжить позже.",
    questions=(
        *_COMMON_HEAD,
        Question(
            "subjects",
            "Какие предметы вы ведёте? Отметьте все.",
            QuestionKind.MULTI,
            options=SUBJECTS,
            allow_other=True,
            header="Предметы",
        ),
        Question(
            "experience",
            "Ваш педагогический стаж, полных лет (число).",
            QuestionKind.NUMBER,
            min_value=0,
            max_value=60,
            header="Стаж, лет",
        ),
        Question(
            "qualification",
            "Ваша квалификационная категория.",
            QuestionKind.SINGLE,
            options=(
                Option("none", "Без категории"),
                Option("conformity", "Соответствие занимаемой должности"),
                Option("first", "Первая"),
                Option("highest", "Высшая"),
                Option("methodist", "Педагог-методист / педагог-наставник"),
            ),
            header="Категория",
        ),
        Question(
            "competences",
            "В чём вы можете помочь коллегам? Отметьте все подходящие или напишите свои.",
            QuestionKind.MULTI,
            options=COMPETENCE_AREAS,
            allow_other=True,
            header="Компетенции",
        ),
        Question(
            "has_experience",
            "Был ли у вас опыт наставничества?",
            QuestionKind.YES_NO,
            header="Опыт наставничества",
        ),
        Question(
            "experience_details",
            "Расскажите коротко об этом опыте.",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            show_if=ShowIf("has_experience", True),
            header="Об опыте",
        ),
        Question(
            "capacity",
            "Сколько наставляемых вы готовы вести одновременно (1–5)?",
            QuestionKind.NUMBER,
            min_value=1,
            max_value=5,
            header="Готов вести",
        ),
        *_COMMON_TAIL,
    ),
)

CONSENT_CHOICES = (Option("agree", "✅ Согласен(на)"), Option("decline", "Не согласен(на)"))

PERSONAL_DATA_CONSENT = Form(
    id="consent_personal_data",
    version=1,
    title="Согласие на обработку персональных данных",
    purpose=FormPurpose.CONSENT,
    review=False,
    questions=(
        Question(
            "decision",
            "<b>Согласие на обработку персональных данных</b>\n\n"
            "Я даю согласие оператору — {school} — на обработку моих персональных данных "
            "в соответствии со ст. 9 Федерального закона от 27.07.2006 № 152-ФЗ.\n\n"
            "<b>Цель:</b> участие в программе наставничества школы: подбор наставника или "
            "наставляемого, планирование встреч, мониторинг и отчёты программы.\n"
            "<b>Данные:</b> фамилия, имя, отчество; должность; предметы; стаж; "
            "квалификационная категория; профессиональные затруднения и компетенции; "
            "удобные формат, дни и время встреч; ответы на анкеты и опросы программы; "
            "идентификатор Telegram.\n"
            "<b>Действия:</b> сбор, запись, систематизация, хранение, уточнение, "
            "использование, передача куратору программы и в отчёты муниципалитету "
            "(в обезличенном виде), удаление; с использованием средств автоматизации.\n"
            "<b>Срок:</b> на время участия в программе, но не более 3 лет, или до отзыва "
            "согласия.\n"
            "<b>Отзыв:</b> в любой момент командой /revoke в этом боте или письменным "
            "заявлением оператору; после отзыва мои данные удаляются.",
            QuestionKind.SINGLE,
            options=CONSENT_CHOICES,
        ),
    ),
)

PARENT_CONSENT = Form(
    id="consent_parent",
    version=1,
    title="Согласие родителя (законного представителя)",
    purpose=FormPurpose.CONSENT,
    review=False,
    questions=(
        Question(
            "parent_name",
            "Вас просят дать согласие на участие ребёнка в программе "
            "наставничества школы.\n\nВведите ваши фамилию, имя и отчество.",
            QuestionKind.TEXT,
            max_length=150,
            header="ФИО родителя",
        ),
        Question(
            "decision",
            "<b>Согласие родителя (законного представителя)</b>\n\n"
            "Я, законный представитель обучающегося, даю согласие оператору — {school} — "
            "на участие моего ребёнка в программе наставничества и на обработку его "
            "персональных данных (ФИО, класс, ответы на анкеты и опросы программы, "
            "идентификатор Telegram) в соответствии со ст. 9 Федерального закона "
            "№ 152-ФЗ, для подбора наставника, планирования встреч и отчётов программы, "
            "на время участия в программе, но не более 3 лет. Согласие можно отозвать, "
            "обратившись к куратору программы школы.",
            QuestionKind.SINGLE,
            options=CONSENT_CHOICES,
        ),
    ),
)


PAIR_PROGRAM = Form(
    id="pair_program",
    version=1,
    title="Персонализированная программа наставничества",
    purpose=FormPurpose.PROGRAM,
    intro="Составьте программу пары. После отправки её подтвердит наставляемый, "
    "а куратор увидит её в карточке пары.",
    questions=(
        Question("start_date", "Дата начала программы.", QuestionKind.DATE, header="Начало"),
        Question(
            "months",
            "Срок программы, месяцев (от 3 до 12).",
            QuestionKind.NUMBER,
            min_value=3,
            max_value=12,
            header="Срок, мес.",
        ),
        Question(
            "goals",
            "Цели программы: каких результатов должен достичь наставляемый, "
            "какие затруднения снять?",
            QuestionKind.TEXT,
            max_length=1500,
            header="Цели",
        ),
        Question(
            "activities",
            "План мероприятий — каждое с новой строки в виде "
            "«тема; содержание; срок; ожидаемый результат». Например:\n"
            "<i>Анализ урока; посещение и разбор двух уроков наставника; 15.12.2026; "
            "технологическая карта урока</i>",
            QuestionKind.TEXT,
            max_length=3000,
            header="Мероприятия",
        ),
        Question(
            "development_plan",
            "Индивидуальный план развития наставляемого (необязательно).",
            QuestionKind.TEXT,
            max_length=1500,
            required=False,
            header="План развития",
        ),
    ),
)


_HAPPENED = ShowIf("happened", True)

MEETING_FEEDBACK = Form(
    id="meeting_feedback",
    version=1,
    title="Обратная связь о встрече",
    purpose=FormPurpose.SURVEY,
    questions=(
        Question("happened", "Встреча состоялась?", QuestionKind.YES_NO, header="Состоялась"),
        Question(
            "rating",
            "Насколько полезной была встреча (1 — совсем нет, 10 — очень)?",
            QuestionKind.SCALE,
            show_if=_HAPPENED,
            header="Оценка",
        ),
        Question(
            "done",
            "Что сделали на встрече?",
            QuestionKind.TEXT,
            max_length=1000,
            show_if=_HAPPENED,
            header="Что сделано",
        ),
        Question(
            "useful",
            "Что было самым полезным?",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            show_if=_HAPPENED,
            header="Полезное",
        ),
        Question(
            "difficulties",
            "Какие трудности возникли?",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            header="Трудности",
        ),
        Question(
            "next_step",
            "Следующий шаг или задание до следующей встречи.",
            QuestionKind.TEXT,
            max_length=500,
            show_if=_HAPPENED,
            header="Следующий шаг",
        ),
    ),
)


@dataclass(frozen=True)
class FormCatalog:
    """All versions of all forms; `current` is what a new session starts on."""

    forms: tuple[Form, ...]
    # Forms made at run time (a curator's own survey): added when made and at start-up, so
    # every holder of the catalogue (engine, privacy, banks) resolves their sessions.
    _added: dict[tuple[str, int], Form] = field(default_factory=dict, compare=False, repr=False)

    def add(self, form: Form) -> None:
        self._added[(form.id, form.version)] = form

    def get(self, form_id: str, version: int) -> Form:
        for form in self.forms:
            if form.id == form_id and form.version == version:
                return form
        added = self._added.get((form_id, version))
        if added is not None:
            return added
        raise KeyError(f"{form_id} v{version}")

    def current(self, form_id: str) -> Form:
        versions = [f for f in (*self.forms, *self._added.values()) if f.id == form_id]
        if not versions:
            raise KeyError(form_id)
        return max(versions, key=lambda f: f.version)


DEFAULT_CATALOG = FormCatalog(
    forms=(
        MENTEE_QUESTIONNAIRE,
        MENTOR_QUESTIONNAIRE,
        PERSONAL_DATA_CONSENT,
        PARENT_CONSENT,
        PAIR_PROGRAM,
        MEETING_FEEDBACK,
    )
)
