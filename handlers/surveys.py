"""Survey campaigns: the curator's drafts, launch, results; a participant opening a survey.
The answers themselves go through the form engine's handlers (handlers/forms.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import Html, tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.core.when import WhenError, explain, shown
from bot.forms.engine import FormState
from bot.forms.model import QuestionKind
from bot.forms.screens import question_screen
from bot.services import Services
from bot.surveys.drafts import CHOICE_KINDS, DraftKind, DraftRefusal, kind_of
from bot.surveys.rules import OFFSET_BOUNDS, OffsetField, OffsetRefusal
from bot.surveys.screens import rate_line, summary_text
from bot.surveys.service import MyState, SurveyRefusal, SurveyService
from bot.ui import keyboards
from bot.ui.callbacks import (
    MenuCb,
    SchoolAction,
    SchoolCb,
    Screen,
    SurveyAction,
    SurveyCb,
    SurveysAction,
    SurveysCb,
    SurveyTakeCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import SurveyStates
from handlers.forms import present
from handlers.render import fit, show
from handlers.scope import school_in_scope
from storage.models import FormSession, FormStatus, SurveyAudience, SurveyCampaign, SurveyStatus

MANAGE = {"action": Action.MANAGE_SURVEYS}
MEMBER = {"action": Action.USE_MENU}
AUDIENCES = list(SurveyAudience)
PAIRS_SHOWN = 60  # a school's working pairs fit one screen
OFFSET_FIELDS = list(OffsetField)
OFFSET_VALUES = {field.value for field in OffsetField}


async def _campaign(
    callback: CallbackQuery, actor: Actor, survey_id: int, services: Services
) -> SurveyCampaign | None:
    """The survey, if it is of a school where the actor manages surveys."""
    campaign = await services.surveys.get(survey_id)
    # A school's part of a coordinator's survey is the coordinator's, not the curator's.
    if campaign is None or campaign.district_survey_id is not None:
        await callback.answer(tr("survey-refusal", reason=SurveyRefusal.NOT_FOUND), show_alert=True)
        return None
    school = await school_in_scope(
        callback, actor, campaign.organization_id, services.organizations, Action.MANAGE_SURVEYS
    )
    return campaign if school is not None else None


async def _card(
    campaign: SurveyCampaign, surveys: SurveyService
) -> tuple[str, InlineKeyboardMarkup]:
    form = surveys.form(campaign)
    zone = await surveys.zone(campaign)
    lines = [
        tr("survey-card-title", title=form.title, questions=len(form.questions)),
        tr("survey-card-status", status=campaign.status, anonymous=campaign.anonymous),
        tr(
            "survey-card-audience",
            who=tr.plain(
                "survey-audience",
                audience=campaign.audience,
                other=campaign.audience_survey_id or 0,
            ),
        ),
        tr(
            "survey-card-deadline",
            deadline=shown(campaign.deadline, zone) if campaign.deadline else "—",
        ),
    ]
    kb = Keyboard()

    def button(label: str, action: SurveyAction) -> None:
        kb.button(text=label, callback_data=SurveyCb(survey_id=campaign.id, action=action))

    if campaign.status is SurveyStatus.DRAFT:
        lines.append(tr("survey-card-recipients", count=len(await surveys.audience(campaign))))
        button(tr.plain("btn-survey-questions"), SurveyAction.QUESTIONS)
        button(tr.plain("btn-survey-preview"), SurveyAction.PREVIEW)
        button(tr.plain("btn-survey-audience"), SurveyAction.AUDIENCE)
        button(tr.plain("btn-survey-deadline"), SurveyAction.DEADLINE)
        button(
            tr.plain("btn-survey-anonymous", anonymous=campaign.anonymous), SurveyAction.ANONYMOUS
        )
        button(tr.plain("btn-survey-launch"), SurveyAction.LAUNCH_ASK)
    else:
        summary = await surveys.summary(campaign)
        lines.append(rate_line(summary))
        button(tr.plain("btn-survey-results"), SurveyAction.RESULTS)
        button(tr.plain("btn-survey-xlsx"), SurveyAction.XLSX)
        if campaign.status is SurveyStatus.RUNNING:
            button(tr.plain("btn-survey-remind"), SurveyAction.REMIND)
            button(tr.plain("btn-survey-extend"), SurveyAction.EXTEND)
            button(tr.plain("btn-survey-close"), SurveyAction.CLOSE_ASK)
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SurveysCb(school_id=campaign.organization_id, action=SurveysAction.LIST),
    )
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


async def surveys_list(
    callback: CallbackQuery,
    callback_data: SurveysCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_SURVEYS
    )
    if school is None:
        return
    surveys = services.surveys
    if callback_data.action is SurveysAction.TEMPLATE:
        templates = surveys.templates()
        if callback_data.v >= len(templates):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        created = await surveys.create(school.id, templates[callback_data.v], actor.telegram_id)
        text, markup = await _card(created, surveys)
        await show(callback, tr("survey-created", card=Html(text)), markup)
        return
    if callback_data.action is SurveysAction.OFFSETS:
        await show(callback, *await _offsets(school.id, surveys))
        return
    if callback_data.action is SurveysAction.OFFSET:
        if callback_data.v >= len(OFFSET_FIELDS):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        field = OFFSET_FIELDS[callback_data.v]
        await state.set_state(SurveyStates.entering_offsets)
        await state.set_data({"school_id": school.id, "field": field.value})
        await show(callback, tr("survey-offsets-ask", field=field), keyboards.cancel())
        return
    if callback_data.action is SurveysAction.BLANK:
        await state.set_state(SurveyStates.entering_title)
        await state.set_data({"school_id": school.id})
        await show(callback, tr("survey-title-ask"), keyboards.cancel())
        return
    kb = Keyboard()
    if callback_data.action is SurveysAction.NEW:
        for index, form in enumerate(surveys.templates()):
            kb.button(
                text=form.title,
                callback_data=SurveysCb(
                    school_id=school.id, action=SurveysAction.TEMPLATE, v=index
                ),
            )
        kb.button(
            text=tr.plain("btn-survey-blank"),
            callback_data=SurveysCb(school_id=school.id, action=SurveysAction.BLANK),
        )
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=SurveysCb(school_id=school.id, action=SurveysAction.LIST),
        )
        kb.adjust(1)
        await show(callback, tr("survey-templates"), kb.as_markup())
        return
    campaigns = await surveys.of_school(school.id)
    for campaign in campaigns:
        kb.button(
            text=tr.plain(
                "btn-survey-item", title=surveys.form(campaign).title, status=campaign.status
            ),
            callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
        )
    kb.button(
        text=tr.plain("btn-survey-new"),
        callback_data=SurveysCb(school_id=school.id, action=SurveysAction.NEW),
    )
    kb.button(
        text=tr.plain("btn-survey-offsets"),
        callback_data=SurveysCb(school_id=school.id, action=SurveysAction.OFFSETS),
    )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
    )
    kb.adjust(1)
    text = tr("surveys-title", school=school.name)
    await show(callback, text if campaigns else f"{text}\n{tr('surveys-empty')}", kb.as_markup())


async def _offsets(school_id: int, surveys: SurveyService) -> tuple[str, InlineKeyboardMarkup]:
    """The school's offsets (its own, or the configured ones), each with its button."""
    offsets = await surveys.offsets(school_id)
    text = tr(
        "survey-offsets",
        reminders=", ".join(map(str, offsets.reminders)),
        midpoint=offsets.midpoint_percent,
        days=offsets.survey_days,
    )
    kb = Keyboard()
    for index, field in enumerate(OFFSET_FIELDS):
        kb.button(
            text=tr.plain("btn-survey-offset", field=field),
            callback_data=SurveysCb(school_id=school_id, action=SurveysAction.OFFSET, v=index),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SurveysCb(school_id=school_id, action=SurveysAction.LIST),
    )
    kb.adjust(1)
    return text, kb.as_markup()


async def offsets_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    school = await services.organizations.school_for(
        actor, int(data.get("school_id") or 0), Action.MANAGE_SURVEYS
    )
    if isinstance(school, Refusal) or data.get("field") not in OFFSET_VALUES:
        await state.clear()
        await message.answer(tr("survey-refusal", reason=SurveyRefusal.NOT_FOUND))
        return
    field = OffsetField(data["field"])
    changed = await services.surveys.set_offsets(school.id, field, message.text or "")
    if isinstance(changed, OffsetRefusal):
        # Asked again: the state stays.
        low, high, most = OFFSET_BOUNDS[field]
        await message.answer(
            tr("survey-offsets-wrong", reason=changed, low=low, high=high, most=most),
            reply_markup=keyboards.cancel(),
        )
        return
    await state.clear()
    text, markup = await _offsets(school.id, services.surveys)
    await message.answer(f"{tr('survey-offsets-saved')}\n\n{text}", reply_markup=markup)


async def survey(
    callback: CallbackQuery,
    callback_data: SurveyCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    campaign = await _campaign(callback, actor, callback_data.survey_id, services)
    if campaign is None:
        return
    surveys = services.surveys
    action = callback_data.action
    if action in DRAFT_ACTIONS:
        await _draft(callback, callback_data, campaign, state, surveys)
        return
    if action in (SurveyAction.PAIRS, SurveyAction.PAIR) or (
        action is SurveyAction.SET_AUDIENCE
        and callback_data.v == AUDIENCES.index(SurveyAudience.PAIRS)
    ):
        await _pairs(callback, callback_data, campaign, surveys)
        return
    if action is SurveyAction.PREVIEW:
        await _preview(callback, campaign, surveys)
        return
    if action is SurveyAction.XLSX:
        await _xlsx(callback, campaign, surveys)
        return
    if action is SurveyAction.AUDIENCE:
        await show(callback, tr("survey-audience-ask"), await _audiences(campaign, surveys))
        return
    if action in (SurveyAction.DEADLINE, SurveyAction.EXTEND):
        await state.set_state(SurveyStates.entering_deadline)
        await state.set_data({"survey_id": campaign.id, "extend": action is SurveyAction.EXTEND})
        await show(callback, tr("survey-deadline-ask"), keyboards.cancel())
        return
    if action is SurveyAction.LAUNCH_ASK:
        await _launch_ask(callback, campaign, surveys)
        return
    if action is SurveyAction.CLOSE_ASK:
        kb = Keyboard()
        kb.button(
            text=tr.plain("btn-survey-close-confirm"),
            callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CLOSE),
        )
        kb.button(
            text=tr.plain("btn-cancel"),
            callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
        )
        kb.adjust(1)
        await show(callback, tr("survey-close-ask"), kb.as_markup())
        return
    if action is SurveyAction.RESULTS:
        summary = await surveys.summary(campaign)
        text, markup = await _card(campaign, surveys)
        await show(callback, summary_text(summary, await surveys.zone(campaign)), markup)
        return
    if action is SurveyAction.CLOSE:
        closed = await surveys.close(campaign)
        if isinstance(closed, SurveyRefusal):
            await _refused(callback, campaign, surveys, closed)
            return
        _, markup = await _card(closed.campaign, surveys)
        await show(callback, summary_text(closed, await surveys.zone(campaign)), markup)
        return
    result = await _change(callback_data, campaign, surveys)
    if isinstance(result, SurveyRefusal):
        await _refused(callback, campaign, surveys, result)
        return
    notice, fresh = result
    text, markup = await _card(fresh, surveys)
    await show(callback, f"{notice}\n\n{text}" if notice else text, markup)


async def _change(
    data: SurveyCb, campaign: SurveyCampaign, surveys: SurveyService
) -> tuple[str, SurveyCampaign] | SurveyRefusal:
    """The actions that change the survey and then show its card again."""
    action = data.action
    if action is SurveyAction.SET_AUDIENCE or action is SurveyAction.OTHER:
        if action is SurveyAction.OTHER:
            changed = await surveys.set_audience(campaign, SurveyAudience.NOT_ANSWERED, data.v)
        elif data.v < len(AUDIENCES) and AUDIENCES[data.v] is not SurveyAudience.NOT_ANSWERED:
            changed = await surveys.set_audience(campaign, AUDIENCES[data.v])
        else:
            return SurveyRefusal.NOT_FOUND
        return changed if isinstance(changed, SurveyRefusal) else ("", changed)
    if action is SurveyAction.ANONYMOUS:
        flipped = await surveys.toggle_anonymous(campaign)
        return flipped if isinstance(flipped, SurveyRefusal) else ("", flipped)
    if action is SurveyAction.LAUNCH:
        launched = await surveys.launch(campaign)
        if isinstance(launched, SurveyRefusal):
            return launched
        fresh = await surveys.get(campaign.id)
        assert fresh is not None
        return tr("survey-launched", count=launched), fresh
    if action is SurveyAction.REMIND:
        reminded = await surveys.remind(campaign)
        if isinstance(reminded, SurveyRefusal):
            return reminded
        return tr("survey-reminded", count=reminded), campaign
    return "", campaign


async def _refused(
    callback: CallbackQuery,
    campaign: SurveyCampaign,
    surveys: SurveyService,
    refusal: SurveyRefusal,
) -> None:
    fresh = await surveys.get(campaign.id) or campaign
    text, markup = await _card(fresh, surveys)
    await show(callback, text, markup, alert=tr.plain("survey-refusal", reason=refusal))


async def _pairs(
    callback: CallbackQuery, data: SurveyCb, campaign: SurveyCampaign, surveys: SurveyService
) -> None:
    """The audience "the participants of chosen pairs": the school's pairs, each a toggle."""
    changed: SurveyCampaign | SurveyRefusal = campaign
    if data.action is SurveyAction.SET_AUDIENCE:
        changed = await surveys.set_audience(campaign, SurveyAudience.PAIRS)
    elif data.action is SurveyAction.PAIR:
        changed = await surveys.toggle_pair(campaign, data.v)
    if isinstance(changed, SurveyRefusal):
        await _refused(callback, campaign, surveys, changed)
        return
    choices = await surveys.pair_choices(changed)
    kb = Keyboard()
    for choice in choices[:PAIRS_SHOWN]:
        kb.button(
            text=tr.plain(
                "btn-survey-pair",
                chosen=choice.chosen,
                mentors=choice.mentors,
                mentees=choice.mentees,
            ),
            callback_data=SurveyCb(
                survey_id=campaign.id, action=SurveyAction.PAIR, v=choice.pair_id
            ),
        )
    kb.button(
        text=tr.plain("btn-survey-pairs-done"),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
    )
    kb.adjust(1)
    text = tr(
        "survey-pairs-ask",
        chosen=sum(c.chosen for c in choices),
        recipients=len(await surveys.audience(changed)),
    )
    await show(callback, text if choices else tr("survey-pairs-none"), kb.as_markup())


async def _audiences(campaign: SurveyCampaign, surveys: SurveyService) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for index, audience in enumerate(AUDIENCES):
        if audience is SurveyAudience.NOT_ANSWERED:
            continue
        kb.button(
            text=tr.plain("survey-audience", audience=audience, other=0),
            callback_data=SurveyCb(
                survey_id=campaign.id, action=SurveyAction.SET_AUDIENCE, v=index
            ),
        )
    for other in await surveys.of_school(campaign.organization_id):
        if other.id == campaign.id or other.status is SurveyStatus.DRAFT:
            continue
        kb.button(
            text=tr.plain(
                "btn-survey-not-answered", title=surveys.form(other).title, other=other.id
            ),
            callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.OTHER, v=other.id),
        )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
    )
    kb.adjust(1)
    return kb.as_markup()


async def _launch_ask(
    callback: CallbackQuery, campaign: SurveyCampaign, surveys: SurveyService
) -> None:
    count = len(await surveys.audience(campaign))
    refusal = None
    if not surveys.form(campaign).questions:
        refusal = SurveyRefusal.NO_QUESTIONS
    elif campaign.deadline is None:
        refusal = SurveyRefusal.NO_DEADLINE
    elif not count:
        refusal = SurveyRefusal.NO_AUDIENCE
    if refusal is not None:
        await _refused(callback, campaign, surveys, refusal)
        return
    assert campaign.deadline is not None
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-survey-launch-confirm", count=count),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.LAUNCH),
    )
    kb.button(
        text=tr.plain("btn-cancel"),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
    )
    kb.adjust(1)
    text = tr(
        "survey-launch-ask",
        title=surveys.form(campaign).title,
        count=count,
        deadline=shown(campaign.deadline, await surveys.zone(campaign)),
    )
    await show(callback, text, kb.as_markup())


async def _preview(
    callback: CallbackQuery, campaign: SurveyCampaign, surveys: SurveyService
) -> None:
    """The invitation and every question as a participant reads them, buttons spelt out."""
    form = surveys.form(campaign)
    zone = await surveys.zone(campaign)
    deadline = shown(campaign.deadline, zone) if campaign.deadline else "—"
    lines = [
        tr("survey-preview-title"),
        "",
        tr(
            "survey-invitation",
            title=form.title,
            intro=form.intro,
            deadline=deadline,
            anonymous=campaign.anonymous,
        ),
    ]
    moment = datetime.now(UTC)
    for question in form.questions:
        session = FormSession(
            0,
            0,
            campaign.organization_id,
            None,
            form.id,
            form.version,
            FormStatus.IN_PROGRESS,
            question.id,
            moment,
            None,
        )
        text, _ = question_screen(FormState(session, form, {}), "")
        lines += [
            "",
            "———",
            text,
            _buttons_spelt(question.kind, [o.label for o in question.options]),
        ]
    await callback.answer()
    if isinstance(callback.message, Message):
        text, markup = await _card(campaign, surveys)
        for chunk in _chunks(lines):
            await callback.message.answer(chunk)
        await callback.message.answer(text, reply_markup=markup)


def _buttons_spelt(kind: QuestionKind, options: list[str]) -> str:
    if kind is QuestionKind.SCALE:
        return "[1] [2] [3] [4] [5] [6] [7] [8] [9] [10]"
    if kind is QuestionKind.YES_NO:
        return f"[{tr('btn-yes')}] [{tr('btn-no')}]"
    return " ".join(f"[{label}]" for label in options)


def _chunks(lines: list[str], limit: int = 3900) -> list[str]:
    chunks: list[list[str]] = [[]]
    used = 0
    for line in lines:
        if used + len(line) + 1 > limit and chunks[-1]:
            chunks.append([])
            used = 0
        chunks[-1].append(line)
        used += len(line) + 1
    return [fit(chunk) for chunk in chunks]


async def _xlsx(callback: CallbackQuery, campaign: SurveyCampaign, surveys: SurveyService) -> None:
    await callback.answer()
    if campaign.status is SurveyStatus.DRAFT or not isinstance(callback.message, Message):
        return
    content = await surveys.xlsx(campaign)
    await callback.message.answer_document(
        BufferedInputFile(content, f"survey_{campaign.id}.xlsx"),
        caption=tr("survey-xlsx-caption", title=surveys.form(campaign).title),
    )


async def _typed_campaign(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> SurveyCampaign | None:
    """The survey a typed answer is for, if the actor still manages surveys of its school."""
    data = await state.get_data()
    campaign = await services.surveys.get(int(data.get("survey_id") or 0))
    school = (
        await services.organizations.school_for(
            actor, campaign.organization_id, Action.MANAGE_SURVEYS
        )
        if campaign is not None
        else Refusal.NOT_FOUND
    )
    if campaign is None or isinstance(school, Refusal):
        await state.clear()
        await message.answer(tr("survey-refusal", reason=SurveyRefusal.NOT_FOUND))
        return None
    return campaign


async def deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    surveys = services.surveys
    campaign = await _typed_campaign(message, actor, state, services)
    if campaign is None:
        return
    raw = message.text or ""
    changed = await (
        surveys.extend(campaign, raw) if data.get("extend") else surveys.set_deadline(campaign, raw)
    )
    if isinstance(changed, WhenError):
        await message.answer(
            tr("survey-deadline-wrong", reason=Html(explain(changed))),
            reply_markup=keyboards.cancel(),
        )
        return
    if changed is SurveyRefusal.AFTER_SCHOOL_YEAR:
        await message.answer(
            tr("survey-deadline-wrong", reason=Html(tr("survey-refusal", reason=changed))),
            reply_markup=keyboards.cancel(),
        )
        return
    await state.clear()
    if isinstance(changed, SurveyRefusal):
        text, markup = await _card(campaign, surveys)
        await message.answer(
            f"{tr('survey-refusal', reason=changed)}\n\n{text}", reply_markup=markup
        )
        return
    text, markup = await _card(changed, surveys)
    await message.answer(f"{tr('survey-deadline-set')}\n\n{text}", reply_markup=markup)


async def take(
    callback: CallbackQuery,
    callback_data: SurveyTakeCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    """A participant opens the survey from its invitation or a reminder."""
    surveys = services.surveys
    message = callback.message
    if actor.person is None or not isinstance(message, Message):
        await callback.answer(
            tr("survey-refusal", reason=SurveyRefusal.NOT_RECIPIENT), show_alert=True
        )
        return
    opened = await (
        surveys.change(callback_data.survey_id, actor.person.id)
        if callback_data.change
        else surveys.open(callback_data.survey_id, actor.person.id)
    )
    if opened is SurveyRefusal.ANSWERED:
        campaign = await surveys.get(callback_data.survey_id)
        if campaign is not None and not campaign.anonymous:
            kb = Keyboard()
            kb.button(
                text=tr.plain("btn-survey-change"),
                callback_data=SurveyTakeCb(survey_id=campaign.id, change=True),
            )
            await show(callback, tr("survey-answered-named"), kb.as_markup())
            return
    if isinstance(opened, SurveyRefusal):
        await callback.answer(tr.plain("survey-refusal", reason=opened), show_alert=True)
        return
    await callback.answer()
    notice = tr("form-resumed") if opened.resumed and opened.state.answers else ""
    await present(message, opened.state, state, services.organizations, notice)


async def my_surveys(
    callback: CallbackQuery, actor: Actor, state: FSMContext, services: Services
) -> None:
    """The participant's «Опросы»: the open surveys (answer, continue, change until the
    deadline) and the closed ones, marked so; their buttons take the same path as the
    invitation's, where a closed survey is refused with its reason."""
    await state.clear()
    entries = await services.surveys.mine(actor.person.id) if actor.person else []
    lines = [tr("my-surveys-title")]
    kb = Keyboard()
    for entry in entries:
        deadline = entry.campaign.deadline
        lines.append(
            tr(
                "my-survey-line",
                title=entry.title,
                state=entry.state,
                deadline=shown(deadline, entry.zone) if deadline else "—",
            )
        )
        if entry.state is not MyState.DONE:
            kb.button(
                text=tr.plain("btn-my-survey", title=entry.title, state=entry.state),
                callback_data=SurveyTakeCb(
                    survey_id=entry.campaign.id, change=entry.state is MyState.ANSWERED
                ),
            )
    if not entries:
        lines.append(tr("my-surveys-empty"))
    kb.button(text=tr.plain("btn-main-menu"), callback_data=MenuCb(screen=Screen.MAIN))
    kb.adjust(1)
    await show(callback, fit(lines), kb.as_markup())


# A draft's questions.

DRAFT_ACTIONS = frozenset(
    {
        SurveyAction.QUESTIONS,
        SurveyAction.QUESTION,
        SurveyAction.Q_ADD,
        SurveyAction.Q_KIND,
        SurveyAction.Q_TEXT,
        SurveyAction.Q_OPTIONS,
        SurveyAction.Q_REQUIRED,
        SurveyAction.Q_UP,
        SurveyAction.Q_DOWN,
        SurveyAction.Q_DELETE,
    }
)
KINDS = list(DraftKind)


async def _draft(
    callback: CallbackQuery,
    data: SurveyCb,
    campaign: SurveyCampaign,
    state: FSMContext,
    surveys: SurveyService,
) -> None:
    action, index = data.action, data.v
    if campaign.status is not SurveyStatus.DRAFT:
        await _refused(callback, campaign, surveys, SurveyRefusal.NOT_DRAFT)
        return
    if action is SurveyAction.QUESTIONS:
        await show(callback, *_questions(campaign, surveys))
        return
    if action is SurveyAction.QUESTION:
        await show(callback, *_question(campaign, surveys, index))
        return
    if action is SurveyAction.Q_ADD:
        kb = Keyboard()
        for number, kind in enumerate(KINDS):
            kb.button(
                text=tr.plain("survey-kind", kind=kind),
                callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.Q_KIND, v=number),
            )
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.QUESTIONS),
        )
        kb.adjust(2)
        await show(callback, tr("survey-kind-ask"), kb.as_markup())
        return
    if action in (SurveyAction.Q_KIND, SurveyAction.Q_TEXT, SurveyAction.Q_OPTIONS):
        await _ask(callback, data, campaign, state)
        return
    changed = await {
        SurveyAction.Q_REQUIRED: lambda: surveys.toggle_required(campaign, index),
        SurveyAction.Q_UP: lambda: surveys.move_question(campaign, index, -1),
        SurveyAction.Q_DOWN: lambda: surveys.move_question(campaign, index, 1),
        SurveyAction.Q_DELETE: lambda: surveys.remove_question(campaign, index),
    }[action]()
    if isinstance(changed, SurveyRefusal):
        await _refused(callback, campaign, surveys, changed)
        return
    if isinstance(changed, DraftRefusal):
        await show(
            callback,
            *_questions(campaign, surveys),
            alert=tr.plain("survey-draft-refusal", reason=changed),
        )
        return
    if action is SurveyAction.Q_DELETE:
        await show(callback, *_questions(changed, surveys))
        return
    moved = index + {SurveyAction.Q_UP: -1, SurveyAction.Q_DOWN: 1}.get(action, 0)
    last = len(surveys.form(changed).questions) - 1
    await show(callback, *_question(changed, surveys, min(max(moved, 0), last)))


async def _ask(
    callback: CallbackQuery, data: SurveyCb, campaign: SurveyCampaign, state: FSMContext
) -> None:
    """The text of a new or reworded question, or a choice question's options, is typed."""
    if data.action is SurveyAction.Q_KIND:
        if data.v >= len(KINDS):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        await state.set_state(SurveyStates.entering_question)
        await state.set_data({"survey_id": campaign.id, "kind": KINDS[data.v].value})
        await show(callback, tr("survey-question-ask"), keyboards.cancel())
        return
    await state.set_data({"survey_id": campaign.id, "index": data.v})
    if data.action is SurveyAction.Q_TEXT:
        await state.set_state(SurveyStates.entering_question)
        await show(callback, tr("survey-question-ask"), keyboards.cancel())
        return
    await state.set_state(SurveyStates.entering_options)
    await show(callback, tr("survey-options-ask"), keyboards.cancel())


def _questions(
    campaign: SurveyCampaign, surveys: SurveyService
) -> tuple[str, InlineKeyboardMarkup]:
    form = surveys.form(campaign)
    lines = [tr("survey-questions-title", title=form.title, count=len(form.questions))]
    kb = Keyboard()
    for number, question in enumerate(form.questions, start=1):
        lines.append(
            tr(
                "survey-question-line",
                number=number,
                text=question.text,
                kind=kind_of(question),
                required=question.required,
            )
        )
        kb.button(
            text=tr.plain("btn-survey-question", number=number),
            callback_data=SurveyCb(
                survey_id=campaign.id, action=SurveyAction.QUESTION, v=number - 1
            ),
        )
    if not form.questions:
        lines.append(tr("survey-questions-empty"))
    kb.adjust(5)
    wide = Keyboard()
    wide.button(
        text=tr.plain("btn-survey-q-add"),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.Q_ADD),
    )
    wide.button(
        text=tr.plain("btn-survey-card"),
        callback_data=SurveyCb(survey_id=campaign.id, action=SurveyAction.CARD),
    )
    wide.adjust(1)
    kb.attach(wide)
    return fit(lines), kb.as_markup()


def _question(
    campaign: SurveyCampaign, surveys: SurveyService, index: int
) -> tuple[str, InlineKeyboardMarkup]:
    questions = surveys.form(campaign).questions
    if not 0 <= index < len(questions):
        return _questions(campaign, surveys)
    question = questions[index]
    kind = kind_of(question)
    lines = [
        tr(
            "survey-question-card",
            number=index + 1,
            total=len(questions),
            text=question.text,
            kind=kind,
            required=question.required,
        ),
        *(tr("survey-question-option", label=option.label) for option in question.options),
    ]
    kb = Keyboard()

    def button(label: str, action: SurveyAction) -> None:
        kb.button(text=label, callback_data=SurveyCb(survey_id=campaign.id, action=action, v=index))

    button(tr.plain("btn-survey-q-text"), SurveyAction.Q_TEXT)
    if kind in CHOICE_KINDS:
        button(tr.plain("btn-survey-q-options"), SurveyAction.Q_OPTIONS)
    button(tr.plain("btn-survey-q-required", required=question.required), SurveyAction.Q_REQUIRED)
    if index > 0:
        button(tr.plain("btn-survey-q-up"), SurveyAction.Q_UP)
    if index < len(questions) - 1:
        button(tr.plain("btn-survey-q-down"), SurveyAction.Q_DOWN)
    button(tr.plain("btn-survey-q-delete"), SurveyAction.Q_DELETE)
    button(tr.plain("btn-survey-q-list"), SurveyAction.QUESTIONS)
    kb.adjust(1)
    return fit(lines), kb.as_markup()


async def title_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    school = await services.organizations.school_for(
        actor, int(data.get("school_id") or 0), Action.MANAGE_SURVEYS
    )
    if isinstance(school, Refusal):
        await state.clear()
        await message.answer(tr("survey-refusal", reason=SurveyRefusal.NOT_FOUND))
        return
    created = await services.surveys.create_blank(school.id, message.text or "", actor.telegram_id)
    if isinstance(created, DraftRefusal):
        await message.answer(
            tr("survey-draft-refusal", reason=created), reply_markup=keyboards.cancel()
        )
        return
    await state.clear()
    await show(message, *_questions(created, services.surveys))


async def question_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    campaign = await _typed_campaign(message, actor, state, services)
    if campaign is None:
        return
    data = await state.get_data()
    surveys = services.surveys
    raw = message.text or ""
    if "index" in data:
        await _typed_result(
            message,
            state,
            campaign,
            surveys,
            await surveys.reword_question(campaign, int(data["index"]), raw),
        )
        return
    kind = DraftKind(data.get("kind", DraftKind.SHORT_TEXT.value))
    if kind in CHOICE_KINDS and raw.strip():
        # The options come next, with the text kept until then.
        await state.set_state(SurveyStates.entering_options)
        await state.update_data(text=raw)
        await message.answer(tr("survey-options-ask"), reply_markup=keyboards.cancel())
        return
    await _typed_result(
        message, state, campaign, surveys, await surveys.add_question(campaign, kind, raw)
    )


async def options_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    campaign = await _typed_campaign(message, actor, state, services)
    if campaign is None:
        return
    data = await state.get_data()
    surveys = services.surveys
    raw = message.text or ""
    changed = await (
        surveys.set_options(campaign, int(data["index"]), raw)
        if "index" in data
        else surveys.add_question(
            campaign,
            DraftKind(data.get("kind", DraftKind.SINGLE.value)),
            str(data.get("text", "")),
            raw,
        )
    )
    await _typed_result(message, state, campaign, surveys, changed)


async def _typed_result(
    message: Message,
    state: FSMContext,
    campaign: SurveyCampaign,
    surveys: SurveyService,
    changed: SurveyCampaign | SurveyRefusal | DraftRefusal,
) -> None:
    if isinstance(changed, DraftRefusal):
        # Asked again: the state stays.
        await message.answer(
            tr("survey-draft-refusal", reason=changed), reply_markup=keyboards.cancel()
        )
        return
    await state.clear()
    if isinstance(changed, SurveyRefusal):
        text, markup = await _card(campaign, surveys)
        await message.answer(
            f"{tr('survey-refusal', reason=changed)}\n\n{text}", reply_markup=markup
        )
        return
    text, markup = _questions(changed, surveys)
    await message.answer(f"{tr('survey-question-saved')}\n\n{text}", reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(surveys_list, SurveysCb.filter(), flags=MANAGE)
    router.callback_query.register(survey, SurveyCb.filter(), flags=MANAGE)
    router.callback_query.register(take, SurveyTakeCb.filter(), flags=MEMBER)
    router.callback_query.register(
        my_surveys, MenuCb.filter(F.screen == Screen.MY_SURVEYS), flags=MEMBER
    )
    router.message.register(
        deadline_typed, StateFilter(SurveyStates.entering_deadline), flags=MANAGE
    )
    router.message.register(title_typed, StateFilter(SurveyStates.entering_title), flags=MANAGE)
    router.message.register(offsets_typed, StateFilter(SurveyStates.entering_offsets), flags=MANAGE)
    router.message.register(
        question_typed, StateFilter(SurveyStates.entering_question), flags=MANAGE
    )
    router.message.register(options_typed, StateFilter(SurveyStates.entering_options), flags=MANAGE)
    return router
