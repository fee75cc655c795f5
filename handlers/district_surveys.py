"""A coordinator's survey to every school of the district: from a template, to the schools'
curators or all their participants, with a deadline; then the response rate per school."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.core.i18n import Html, tr
from bot.core.permissions import Action, Actor, can
from bot.core.when import WhenError, explain, shown
from bot.services import Services
from bot.surveys.district import DISTRICT_AUDIENCES, DistrictRefusal, DistrictSurveyService
from bot.surveys.screens import rate_text
from bot.surveys.service import SurveyRefusal
from bot.ui import keyboards
from bot.ui.callbacks import (
    DistrictAction,
    DistrictCb,
    DistrictSurveyAction,
    DistrictSurveyCb,
    DistrictSurveysAction,
    DistrictSurveysCb,
)
from bot.ui.keyboards import Keyboard
from bot.ui.states import SurveyStates
from handlers.render import fit, show
from storage.models import District, SurveyStatus
from storage.surveys import DistrictSurvey

DISTRICT = {"action": Action.DISTRICT_SURVEYS}


async def _district(actor: Actor, district_id: int, services: Services) -> District | None:
    """The district, if the actor runs surveys there (a forged id of another one: None)."""
    district = await services.organizations.district(district_id)
    if district is None or not can(actor, Action.DISTRICT_SURVEYS, district_id=district.id):
        return None
    return district


async def _survey(
    actor: Actor, survey_id: int, services: Services
) -> tuple[DistrictSurvey, District] | None:
    survey = await services.district_surveys.get(survey_id)
    district = await _district(actor, survey.district_id, services) if survey else None
    return (survey, district) if survey is not None and district is not None else None


def _refusal(reason: SurveyRefusal | DistrictRefusal) -> str:
    if isinstance(reason, DistrictRefusal):
        return tr.plain("district-survey-refusal", reason=reason)
    return tr.plain("survey-refusal", reason=reason)


async def _card(
    survey: DistrictSurvey, district: District, service: DistrictSurveyService
) -> tuple[str, InlineKeyboardMarkup]:
    zone = await service.zone(district.id)
    lines = [
        tr("district-survey-title", title=service.form(survey).title, district=district.name),
        tr("survey-card-status", status=survey.status, anonymous=survey.anonymous),
        tr("district-survey-audience", audience=survey.audience),
        tr(
            "survey-card-deadline",
            deadline=shown(survey.deadline, zone) if survey.deadline else "—",
        ),
    ]
    kb = Keyboard()

    def button(label: str, action: DistrictSurveyAction, v: int = 0) -> None:
        kb.button(
            text=label, callback_data=DistrictSurveyCb(survey_id=survey.id, action=action, v=v)
        )

    if survey.status is SurveyStatus.DRAFT:
        lines.append(tr("survey-card-recipients", count=await service.recipients(survey)))
        for index, audience in enumerate(DISTRICT_AUDIENCES):
            label = tr.plain(
                "btn-district-survey-audience",
                audience=audience,
                chosen=audience is survey.audience,
            )
            button(label, DistrictSurveyAction.AUDIENCE, index)
        button(tr.plain("btn-survey-deadline"), DistrictSurveyAction.DEADLINE)
        button(tr.plain("btn-survey-launch"), DistrictSurveyAction.LAUNCH_ASK)
    else:
        rates = await service.rates(survey)
        lines.append("")
        lines.append(tr("district-survey-rates", schools=len(rates)))
        for entry in rates:
            lines.append(
                tr(
                    "district-survey-school",
                    school=entry.school.name,
                    rate=Html(rate_text(entry.rate)),
                )
            )
        if survey.launching:
            lines.append(tr("district-survey-launching"))
        button(tr.plain("btn-district-survey-refresh"), DistrictSurveyAction.CARD)
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=DistrictSurveysCb(district_id=district.id, action=DistrictSurveysAction.LIST),
    )
    kb.adjust(1)
    return fit(lines), kb.as_markup()


async def surveys_list(
    callback: CallbackQuery,
    callback_data: DistrictSurveysCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    district = await _district(actor, callback_data.district_id, services)
    if district is None:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    await state.clear()
    service = services.district_surveys
    templates = services.surveys.templates()
    if callback_data.action is DistrictSurveysAction.TEMPLATE:
        if callback_data.v >= len(templates):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        created = await service.create(district.id, templates[callback_data.v], actor.telegram_id)
        text, markup = await _card(created, district, service)
        await show(callback, tr("survey-created", card=Html(text)), markup)
        return
    kb = Keyboard()
    if callback_data.action is DistrictSurveysAction.NEW:
        for index, form in enumerate(templates):
            kb.button(
                text=form.title,
                callback_data=DistrictSurveysCb(
                    district_id=district.id, action=DistrictSurveysAction.TEMPLATE, v=index
                ),
            )
        kb.button(
            text=tr.plain("btn-back"),
            callback_data=DistrictSurveysCb(
                district_id=district.id, action=DistrictSurveysAction.LIST
            ),
        )
        kb.adjust(1)
        await show(callback, tr("district-survey-templates"), kb.as_markup())
        return
    surveys = await service.of_district(district.id)
    for survey in surveys:
        kb.button(
            text=tr.plain(
                "btn-survey-item", title=service.form(survey).title, status=survey.status
            ),
            callback_data=DistrictSurveyCb(survey_id=survey.id, action=DistrictSurveyAction.CARD),
        )
    kb.button(
        text=tr.plain("btn-survey-new"),
        callback_data=DistrictSurveysCb(district_id=district.id, action=DistrictSurveysAction.NEW),
    )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=DistrictCb(action=DistrictAction.OPEN, district_id=district.id),
    )
    kb.adjust(1)
    text = tr("district-surveys-title", district=district.name)
    await show(
        callback, text if surveys else f"{text}\n{tr('district-surveys-empty')}", kb.as_markup()
    )


async def survey_card(
    callback: CallbackQuery,
    callback_data: DistrictSurveyCb,
    actor: Actor,
    state: FSMContext,
    services: Services,
) -> None:
    found = await _survey(actor, callback_data.survey_id, services)
    if found is None:
        await callback.answer(tr("forbidden"), show_alert=True)
        return
    survey, district = found
    service = services.district_surveys
    action = callback_data.action
    if action is DistrictSurveyAction.DEADLINE:
        await state.set_state(SurveyStates.entering_district_deadline)
        await state.set_data({"district_survey_id": survey.id})
        await show(callback, tr("survey-deadline-ask"), keyboards.cancel())
        return
    if action is DistrictSurveyAction.AUDIENCE:
        if callback_data.v >= len(DISTRICT_AUDIENCES):
            await callback.answer(tr("stale-button"), show_alert=True)
            return
        changed = await service.set_audience(survey, DISTRICT_AUDIENCES[callback_data.v])
        if isinstance(changed, SurveyRefusal):
            await _refused(callback, survey, district, service, changed)
            return
        survey = changed
    if action in (DistrictSurveyAction.LAUNCH_ASK, DistrictSurveyAction.LAUNCH):
        await _launch(callback, action, survey, district, service)
        return
    await show(callback, *await _card(survey, district, service))


async def _launch(
    callback: CallbackQuery,
    action: DistrictSurveyAction,
    survey: DistrictSurvey,
    district: District,
    service: DistrictSurveyService,
) -> None:
    if action is DistrictSurveyAction.LAUNCH:
        launched = await service.launch(survey)
        if isinstance(launched, SurveyRefusal | DistrictRefusal):
            await _refused(callback, survey, district, service, launched)
            return
        fresh = await service.get(survey.id) or survey
        text, markup = await _card(fresh, district, service)
        notice = tr("district-survey-launched", schools=launched.schools, count=launched.recipients)
        await show(callback, f"{notice}\n\n{text}", markup)
        return
    refused = await service.refusal(survey)
    if refused is not None:
        await _refused(callback, survey, district, service, refused)
        return
    assert survey.deadline is not None
    count = await service.recipients(survey)
    kb = Keyboard()
    kb.button(
        text=tr.plain("btn-survey-launch-confirm", count=count),
        callback_data=DistrictSurveyCb(survey_id=survey.id, action=DistrictSurveyAction.LAUNCH),
    )
    kb.button(
        text=tr.plain("btn-cancel"),
        callback_data=DistrictSurveyCb(survey_id=survey.id, action=DistrictSurveyAction.CARD),
    )
    kb.adjust(1)
    text = tr(
        "district-survey-launch-ask",
        title=service.form(survey).title,
        schools=len(await service.schools(district.id)),
        count=count,
        deadline=shown(survey.deadline, await service.zone(district.id)),
    )
    await show(callback, text, kb.as_markup())


async def _refused(
    callback: CallbackQuery,
    survey: DistrictSurvey,
    district: District,
    service: DistrictSurveyService,
    refusal: SurveyRefusal | DistrictRefusal,
) -> None:
    fresh = await service.get(survey.id) or survey
    text, markup = await _card(fresh, district, service)
    await show(callback, text, markup, alert=_refusal(refusal))


async def deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    found = await _survey(actor, int(data.get("district_survey_id") or 0), services)
    if found is None:
        await state.clear()
        await message.answer(tr("survey-refusal", reason=SurveyRefusal.NOT_FOUND))
        return
    survey, district = found
    service = services.district_surveys
    changed = await service.set_deadline(survey, message.text or "")
    if isinstance(changed, WhenError) or changed is SurveyRefusal.AFTER_SCHOOL_YEAR:
        reason = (
            explain(changed)
            if isinstance(changed, WhenError)
            else tr("survey-refusal", reason=changed)
        )
        await message.answer(
            tr("survey-deadline-wrong", reason=Html(reason)), reply_markup=keyboards.cancel()
        )
        return
    await state.clear()
    if isinstance(changed, SurveyRefusal):
        text, markup = await _card(survey, district, service)
        await message.answer(
            f"{tr('survey-refusal', reason=changed)}\n\n{text}", reply_markup=markup
        )
        return
    text, markup = await _card(changed, district, service)
    await message.answer(f"{tr('survey-deadline-set')}\n\n{text}", reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(surveys_list, DistrictSurveysCb.filter(), flags=DISTRICT)
    router.callback_query.register(survey_card, DistrictSurveyCb.filter(), flags=DISTRICT)
    router.message.register(
        deadline_typed, StateFilter(SurveyStates.entering_district_deadline), flags=DISTRICT
    )
    return router
