"""The default roadmap: the stages the five seed roadmaps share (../shared/seeds/), in the
wording of a school document, with deadlines as months of the school year."""

from __future__ import annotations

from dataclasses import dataclass

from bot.roadmap.rules import place
from storage.models import AutoCheck, DeadlineKind
from storage.roadmap import NewItem


@dataclass(frozen=True)
class TemplateEntry:
    stage: str
    activity: str
    content: str
    kind: DeadlineKind
    month: int
    day: int | None
    role: str
    result: str
    auto: AutoCheck = AutoCheck.NONE

    def placed(self, start: int) -> NewItem:
        return NewItem(
            stage=self.stage,
            activity=self.activity,
            content=self.content,
            deadline_kind=self.kind,
            due_on=place(self.month, self.day, start),
            responsible_role=self.role,
            result=self.result,
            auto=self.auto,
        )


_PREPARATION = "Подготовка условий и нормативное обеспечение"
_MENTEES = "Формирование банка наставляемых"
_MENTORS = "Формирование банка наставников"
_TRAINING = "Отбор и обучение наставников"
_PAIRS = "Формирование наставнических пар/групп"
_WORK = "Организация работы наставнических пар/групп"
_COMPLETION = "Завершение персонализированных программ наставничества"
_MONITORING = "Мониторинг и оценка результатов"
_INFORMATION = "Информационная поддержка системы наставничества"
_DEPUTY = "Заместитель директора по УВР"

DEFAULT_TEMPLATE: tuple[TemplateEntry, ...] = (
    TemplateEntry(
        _PREPARATION,
        "Подготовка и принятие локальных нормативных актов",
        "Приказ о внедрении целевой модели наставничества; Положение о системе наставничества;"
        " дорожная карта на учебный год.",
        DeadlineKind.MONTH,
        9,
        None,
        "Директор",
        "Приказ ОО, Положение, дорожная карта",
    ),
    TemplateEntry(
        _PREPARATION,
        "Назначение куратора целевой модели наставничества",
        "Издание приказа о назначении куратора и ответственных за реализацию программы"
        " наставничества.",
        DeadlineKind.DATE,
        9,
        30,
        "Директор",
        "Приказ о назначении куратора",
    ),
    TemplateEntry(
        _MENTEES,
        "Сбор данных о наставляемых",
        "Анкетирование о профессиональных запросах и затруднениях; согласия на обработку"
        " персональных данных; для несовершеннолетних — согласия родителей (законных"
        " представителей).",
        DeadlineKind.YEARLY,
        9,
        None,
        _DEPUTY,
        "Сформирована база наставляемых с перечнем запросов",
        AutoCheck.MENTEE_BANK,
    ),
    TemplateEntry(
        _MENTORS,
        "Сбор данных о наставниках",
        "Анкетирование потенциальных наставников, собеседование; согласия на обработку"
        " персональных данных.",
        DeadlineKind.YEARLY,
        9,
        None,
        _DEPUTY,
        "Сформирована база наставников",
        AutoCheck.MENTOR_BANK,
    ),
    TemplateEntry(
        _TRAINING,
        "Обучение наставников для работы с наставляемыми",
        "Анализ банка наставников; «Школа наставников», установочные сессии; подготовка"
        " методических материалов для сопровождения наставнической деятельности.",
        DeadlineKind.MONTH,
        10,
        None,
        _DEPUTY,
        "Проведены занятия, подготовлены методические материалы",
    ),
    TemplateEntry(
        _PAIRS,
        "Закрепление наставнических пар/групп",
        "Сопоставление анкет наставников и наставляемых, групповая встреча; приказ"
        " «Об утверждении наставнических пар/групп» с письменного согласия участников.",
        DeadlineKind.MONTH,
        10,
        None,
        "Директор, куратор",
        "Приказ об утверждении наставнических пар/групп",
        AutoCheck.PAIRS_ORDER,
    ),
    TemplateEntry(
        _PAIRS,
        "Разработка персонализированных программ наставничества",
        "Программа для каждой пары/группы; психолого-педагогическая поддержка наставляемых, не"
        " сформировавших пару, продолжение поиска наставника.",
        DeadlineKind.MONTH,
        11,
        None,
        "Наставники",
        "Персонализированные программы наставничества",
    ),
    TemplateEntry(
        _WORK,
        "Комплекс последовательных встреч наставников и наставляемых",
        "Организационная, пробная рабочая встреча, встреча-планирование, регулярные встречи,"
        " итоговая встреча; обратная связь после каждой встречи.",
        DeadlineKind.MONTH,
        5,
        None,
        "Наставники, куратор",
        "Журнал наставничества",
    ),
    TemplateEntry(
        _WORK,
        "Текущий контроль достижения планируемых результатов",
        "Анкеты обратной связи для промежуточной оценки.",
        DeadlineKind.MONTH,
        1,
        None,
        "Куратор",
        "Промежуточные результаты мониторинга",
    ),
    TemplateEntry(
        _COMPLETION,
        "Подведение итогов работы наставнических пар/групп",
        "Мониторинг личной удовлетворённости и качества реализации программ; личная и групповая"
        " рефлексия; итоговое мероприятие, конкурсы «Наставник года», «Лучшая пара»; пополнение"
        " методической копилки.",
        DeadlineKind.MONTH,
        5,
        None,
        _DEPUTY,
        "Протокол педагогического совета, лучшие практики",
    ),
    TemplateEntry(
        _MONITORING,
        "Мониторинг реализации программ наставничества",
        "Сбор и обобщение результатов мониторинга; аналитическая справка; отчёт в управление"
        " образования.",
        DeadlineKind.MONTH,
        6,
        None,
        "Куратор",
        "Аналитическая справка, отчёт в округ",
        AutoCheck.MONITORING_REPORT,
    ),
    TemplateEntry(
        _INFORMATION,
        "Освещение мероприятий дорожной карты",
        "Информирование педагогов, обучающихся и родителей на всех этапах: педагогический"
        " совет, сайт образовательной организации, социальные сети.",
        DeadlineKind.MONTH,
        6,
        None,
        "Заместитель директора по ВР",
        "Материалы размещены на сайте ОО",
    ),
)


def default_items(start: int) -> list[NewItem]:
    return [entry.placed(start) for entry in DEFAULT_TEMPLATE]
