"""The built-in survey templates, as forms of the catalogue (purpose "survey"): the monitoring
questionnaires of Р-145, appendix 2, and of the 2021 recommendations for teacher mentoring.
`extra["anonymous"]` is the template's default; the curator can change it on the draft."""

from __future__ import annotations

from bot.forms.catalog import COMPETENCE_AREAS, FormCatalog
from bot.forms.model import Form, FormPurpose, Option, Question, QuestionKind

_SCALE_HINT = " (1 — совсем нет, 10 — полностью)"

FREQUENCY = (
    Option("weekly", "Раз в неделю и чаще"),
    Option("biweekly", "2–3 раза в месяц"),
    Option("monthly", "Раз в месяц"),
    Option("rarely", "Реже раза в месяц"),
)


def _scale(question_id: str, text: str, header: str) -> Question:
    return Question(question_id, text + _SCALE_HINT, QuestionKind.SCALE, header=header)


def _satisfaction(form_id: str, title: str, other: str, continue_text: str, become: str) -> Form:
    """Р-145, appendix 2: the same questionnaire for both sides, each about the other."""
    return Form(
        id=form_id,
        version=1,
        title=title,
        purpose=FormPurpose.SURVEY,
        intro="Анкета удовлетворённости участием в программе наставничества.",
        extra={"anonymous": True},
        questions=(
            _scale(
                "expected",
                "Насколько эффективной вы ожидали увидеть программу наставничества?",
                "Ожидаемая эффективность",
            ),
            _scale(
                "actual",
                "Насколько эффективной оказалась программа на деле?",
                "Фактическая эффективность",
            ),
            _scale("comfort", f"Насколько комфортным было общение {other}?", "Комфорт общения"),
            _scale("meetings", "Насколько полезными были встречи?", "Полезность встреч"),
            _scale("tasks", "Насколько понятными были задачи и задания?", "Понятность задач"),
            _scale("support", "Насколько вы ощущали поддержку?", "Поддержка"),
            _scale(
                "joint_work",
                "Насколько вы удовлетворены совместной работой?",
                "Совместная работа",
            ),
            _scale(
                "expectations",
                "Насколько оправдались ваши ожидания от программы?",
                "Ожидания оправдались",
            ),
            Question(
                "frequency",
                "Как часто проходили ваши встречи?",
                QuestionKind.SINGLE,
                options=FREQUENCY,
                header="Частота встреч",
            ),
            Question(
                "valuable",
                "Что было самым ценным в программе?",
                QuestionKind.TEXT,
                max_length=1000,
                header="Самое ценное",
            ),
            Question(
                "missing",
                "Чего вам не хватило?",
                QuestionKind.TEXT,
                max_length=1000,
                required=False,
                header="Чего не хватило",
            ),
            Question("continue", continue_text, QuestionKind.YES_NO, header="Продолжить"),
            Question("become_mentor", become, QuestionKind.YES_NO, header="Стать наставником"),
        ),
    )


MENTEE_SATISFACTION = _satisfaction(
    "survey_mentee_satisfaction",
    "Анкета удовлетворённости наставляемого",
    "с наставником",
    "Хотели бы вы продолжить работу в программе наставничества?",
    "Хотели бы вы сами стать наставником?",
)

MENTOR_SATISFACTION = _satisfaction(
    "survey_mentor_satisfaction",
    "Анкета удовлетворённости наставника",
    "с наставляемым",
    "Хотели бы вы продолжить работу в программе наставничества?",
    "Хотели бы вы снова стать наставником в следующей программе?",
)

INTERMEDIATE_FEEDBACK = Form(
    id="survey_intermediate",
    version=1,
    title="Промежуточная обратная связь",
    purpose=FormPurpose.SURVEY,
    intro="Промежуточная анкета: как идёт работа в паре и что стоит изменить.",
    extra={"anonymous": True},
    questions=(
        _scale("progress", "Насколько вы продвинулись к целям программы?", "Продвижение к целям"),
        _scale("meetings", "Насколько полезны встречи?", "Полезность встреч"),
        Question(
            "frequency",
            "Как часто проходят ваши встречи?",
            QuestionKind.SINGLE,
            options=FREQUENCY,
            header="Частота встреч",
        ),
        Question(
            "difficulties",
            "Какие трудности мешают работе в паре?",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            header="Трудности",
        ),
        Question(
            "change",
            "Что стоит изменить во второй половине программы?",
            QuestionKind.TEXT,
            max_length=1000,
            required=False,
            header="Что изменить",
        ),
        Question(
            "need_help",
            "Нужна ли помощь куратора программы?",
            QuestionKind.YES_NO,
            header="Нужна помощь куратора",
        ),
    ),
)

GROWTH_SELF_ASSESSMENT = Form(
    id="survey_growth",
    version=1,
    title="Самооценка профессионального роста",
    purpose=FormPurpose.SURVEY,
    intro="Оцените себя по каждой области: та же анкета в начале и в конце программы "
    "покажет ваш рост.",
    # Compared per participant, start against end: not anonymous.
    extra={"anonymous": False},
    questions=(
        *(
            _scale(f"area_{area.id}", f"«{area.label}»: насколько вы уверены в себе?", area.label)
            for area in COMPETENCE_AREAS
        ),
        _scale("motivation", "Ваша мотивация к профессиональному развитию.", "Мотивация"),
        _scale("confidence", "Насколько вы уверены в себе как педагог?", "Уверенность"),
    ),
)

SURVEY_TEMPLATES: tuple[Form, ...] = (
    MENTEE_SATISFACTION,
    MENTOR_SATISFACTION,
    INTERMEDIATE_FEEDBACK,
    GROWTH_SELF_ASSESSMENT,
)


def with_templates(catalog: FormCatalog) -> FormCatalog:
    """The catalogue with the survey templates added (once)."""
    known = {(form.id, form.version) for form in catalog.forms}
    extra = tuple(f for f in SURVEY_TEMPLATES if (f.id, f.version) not in known)
    return FormCatalog(forms=(*catalog.forms, *extra))
