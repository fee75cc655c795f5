"""How survey results read in Telegram (the curator's summary)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.i18n import tr
from bot.core.when import shown
from bot.forms.model import QuestionKind
from bot.surveys.rules import MIN_GROUP, GroupResult, QuestionResult, Rate, Summary

_OPEN_ANSWER_LIMIT = 300


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rate_line(summary: Summary) -> str:
    return rate_text(summary.rate)


def rate_text(rate: Rate) -> str:
    return tr(
        "survey-rate",
        recipients=rate.recipients,
        answered=rate.answered,
        percent=_share(rate.answered, rate.recipients),
        started=rate.started,
        not_opened=rate.not_opened,
    )


def summary_text(summary: Summary, zone: ZoneInfo, budget: int = 3900) -> str:
    """Counts, then each group's results; whole lines are dropped past Telegram's limit."""
    campaign = summary.campaign
    lines = [
        tr("survey-summary-title", title=summary.form.title),
        tr(
            "survey-summary-deadline",
            deadline=shown(campaign.deadline, zone) if campaign.deadline else "—",
            anonymous=campaign.anonymous,
        ),
        rate_line(summary),
    ]
    for group in summary.groups:
        lines += ["", *_group(group)]
    kept: list[str] = []
    for line in lines:
        budget -= len(line) + 1
        if budget < 0:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(kept)


def _group(group: GroupResult) -> list[str]:
    lines = [
        tr("survey-group", role=group.role.value if group.role else "all", count=group.respondents)
    ]
    if group.hidden:
        return [*lines, tr("survey-group-hidden", least=MIN_GROUP)]
    if not group.respondents:
        return [*lines, tr("survey-no-answers")]
    for number, result in enumerate(group.questions, start=1):
        lines += _question(number, result)
    return lines


def _question(number: int, result: QuestionResult) -> list[str]:
    question = result.question
    header = question.header or _clip(question.text, 60)
    kind = question.kind
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        if result.mean is None:
            return [tr("survey-line-empty", number=number, header=header)]
        spread = ", ".join(
            f"{value}×{count}" for value, count in enumerate(result.distribution, 1) if count
        )
        return [
            tr(
                "survey-line-scale",
                number=number,
                header=header,
                mean=_number(result.mean),
                count=result.answered,
                spread=spread or "—",
            )
        ]
    if kind is QuestionKind.YES_NO:
        return [
            tr(
                "survey-line-yes-no",
                number=number,
                header=header,
                yes=result.yes,
                yes_share=_share(result.yes, result.answered),
                no=result.no,
                no_share=_share(result.no, result.answered),
            )
        ]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        options = "; ".join(f"{label} — {count}" for label, count in result.options)
        return [tr("survey-line-choice", number=number, header=header, options=options or "—")]
    lines = [tr("survey-line-open", number=number, header=header, count=len(result.texts))]
    lines += [
        tr("survey-open-answer", text=_clip(text, _OPEN_ANSWER_LIMIT)) for text in result.texts
    ]
    return lines
