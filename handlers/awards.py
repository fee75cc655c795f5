"""«🏆 Конкурс наставников» on the curator's school screen: the shortlists with their scores,
a vote of the school's participants on a shortlist (a survey campaign), the winners' message
(shown, and handed to the broadcast composer on a button) and the thank-you letters."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.awards.rules import NOMINATIONS, WEIGHTS, Nomination, title_of
from bot.awards.service import AwardRefusal, Candidate, Contest, Publication, VoteState
from bot.broadcasts.cards import Scope
from bot.broadcasts.composer import compose_with
from bot.core.i18n import tr
from bot.core.permissions import Action, Actor
from bot.core.refusals import Refusal
from bot.core.when import WhenError, explain, shown
from bot.services import Services
from bot.surveys.service import SurveyRefusal
from bot.ui import keyboards
from bot.ui.callbacks import AwardAction, AwardCb, SchoolAction, SchoolCb
from bot.ui.keyboards import Keyboard
from bot.ui.states import AwardStates
from handlers.render import fit, show
from handlers.scope import school_in_scope
from storage.models import Organization

AWARDS = {"action": Action.MANAGE_AWARDS}


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _candidate(place: int, candidate: Candidate) -> str:
    facts = candidate.facts
    return tr(
        "awards-candidate",
        place=place,
        name=candidate.name,
        score=_number(facts.score),
        completed=facts.completed,
        meetings=facts.meetings,
        feedback=facts.feedback,
        satisfaction=tr.plain(
            "awards-satisfaction", mean=_number(facts.satisfaction), respondents=facts.respondents
        )
        if facts.satisfaction is not None
        else tr.plain("awards-satisfaction-hidden", respondents=facts.respondents),
        growth=f"{facts.growth:+.1f}".replace(".", ",")
        if facts.growth is not None
        else tr.plain("awards-growth-none"),
    )


def _vote(state: VoteState, zone: ZoneInfo) -> list[str]:
    rate = state.rate
    if not state.over:
        deadline = shown(state.survey.deadline, zone) if state.survey.deadline else ""
        return [
            tr(
                "awards-vote-running",
                deadline=deadline,
                answered=rate.answered,
                recipients=rate.recipients,
            )
        ]
    if state.hidden:
        return [tr("awards-vote-hidden")]
    return [
        tr("awards-vote-over", answered=rate.answered, recipients=rate.recipients),
        *(tr("awards-vote-result", label=label, votes=votes) for label, votes in state.results),
    ]


def _button(
    kb: Keyboard, text: str, school_id: int, action: AwardAction, year: int, n: int = 0
) -> None:
    kb.button(text=text, callback_data=AwardCb(school_id=school_id, action=action, year=year, n=n))


def _home(contest: Contest) -> tuple[str, InlineKeyboardMarkup]:
    school, year = contest.school, contest.year_id or 0
    zone = ZoneInfo(school.timezone)
    lines = [tr("awards-title", school=school.name, year=contest.year)]
    kb = Keyboard()
    if not any(contest.shortlists.values()):
        lines.append(tr("awards-empty"))
    else:
        for nomination in NOMINATIONS:
            shortlist = contest.shortlists[nomination]
            lines += ["", tr("awards-nomination", title=title_of(nomination))]
            lines += [_candidate(n, c) for n, c in enumerate(shortlist, 1)] or [
                tr("awards-no-candidates")
            ]
            state = contest.votes.get(nomination)
            if state is not None:
                lines += _vote(state, zone)
            else:
                _button(
                    kb,
                    tr.plain("btn-award-vote", title=title_of(nomination)),
                    school.id,
                    AwardAction.VOTE,
                    year,
                    NOMINATIONS.index(nomination),
                )
        lines += [
            "",
            tr(
                "awards-weights",
                completed=WEIGHTS.completed,
                meeting=WEIGHTS.meeting,
                feedback=WEIGHTS.feedback,
                satisfaction=WEIGHTS.satisfaction,
                growth=WEIGHTS.growth,
            ),
        ]
        _button(kb, tr.plain("btn-award-publish"), school.id, AwardAction.PUBLISH, year)
    for year_id, label in reversed(contest.closed_years):
        if year_id != contest.year_id:
            _button(
                kb, tr.plain("btn-award-year", year=label), school.id, AwardAction.HOME, year_id
            )
    kb.button(
        text=tr.plain("btn-back"),
        callback_data=SchoolCb(action=SchoolAction.OPEN, school_id=school.id),
    )
    kb.adjust(1)
    return fit(lines), kb.as_markup()


def winners_text(publication: Publication) -> str:
    lines = [
        tr("awards-winners-title", school=publication.school.name, year=publication.year),
        "",
    ]
    for winners in publication.winners:
        how = (
            tr("awards-winner-by-votes", votes=winners.votes)
            if winners.votes is not None
            else tr("awards-winner-by-score", score=_number(winners.candidates[0].facts.score))
        )
        names = ", ".join(c.name for c in winners.candidates)
        lines.append(
            f"{tr('awards-winner', title=title_of(winners.nomination), names=names)} — {how}"
        )
    lines += ["", tr("awards-winners-thanks")]
    return fit(lines)


def _refusal(refusal: AwardRefusal | SurveyRefusal) -> str:
    if isinstance(refusal, SurveyRefusal):
        return tr.plain("survey-refusal", reason=refusal)
    return tr.plain("award-refusal", reason=refusal)


async def pressed(
    callback: CallbackQuery,
    callback_data: AwardCb,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    services: Services,
) -> None:
    school = await school_in_scope(
        callback, actor, callback_data.school_id, services.organizations, Action.MANAGE_AWARDS
    )
    if school is None:
        return
    year_id = callback_data.year or None
    action = callback_data.action
    if action is AwardAction.VOTE:
        await _ask_deadline(callback, school, year_id, callback_data.n, state, services)
    elif action in (AwardAction.PUBLISH, AwardAction.BROADCAST):
        await _publish(callback, school, year_id, action, state, services)
    elif action is AwardAction.LETTERS:
        await _letters(callback, school, year_id, bot, services)
    else:
        await state.clear()
        contest = await services.awards.contest(school, year_id)
        if isinstance(contest, AwardRefusal):
            await callback.answer(_refusal(contest), show_alert=True)
            return
        await show(callback, *_home(contest))


async def _ask_deadline(
    callback: CallbackQuery,
    school: Organization,
    year_id: int | None,
    index: int,
    state: FSMContext,
    services: Services,
) -> None:
    if index >= len(NOMINATIONS):
        await callback.answer(tr.plain("stale-button"), show_alert=True)
        return
    nomination = NOMINATIONS[index]
    refused = await services.awards.vote_refusal(school, year_id, nomination)
    if refused is not None:
        await callback.answer(_refusal(refused), show_alert=True)
        return
    await state.set_state(AwardStates.entering_deadline)
    await state.set_data(
        {"school_id": school.id, "year": year_id or 0, "nomination": nomination.value}
    )
    kb = Keyboard()
    _button(kb, tr.plain("btn-back"), school.id, AwardAction.HOME, year_id or 0)
    await show(callback, tr("awards-vote-ask", title=title_of(nomination)), kb.as_markup())


async def deadline_typed(
    message: Message, actor: Actor, state: FSMContext, services: Services
) -> None:
    data = await state.get_data()
    # Checked again: the dialog may be stale, or the role gone since.
    school = await services.organizations.school_for(
        actor, int(data.get("school_id") or 0), Action.MANAGE_AWARDS
    )
    if isinstance(school, Refusal) or data.get("nomination") not in set(NOMINATIONS):
        await state.clear()
        reason = school if isinstance(school, Refusal) else Refusal.NOT_FOUND
        await message.answer(tr("refusal", reason=reason), reply_markup=keyboards.back_to_main())
        return
    year_id = int(data.get("year") or 0) or None
    opened = await services.awards.open_vote(
        school, year_id, Nomination(data["nomination"]), message.text or "", actor.telegram_id
    )
    back = Keyboard()
    _button(back, tr.plain("btn-back"), school.id, AwardAction.HOME, year_id or 0)
    if isinstance(opened, WhenError):
        await message.answer(explain(opened), reply_markup=back.as_markup())
        return
    if isinstance(opened, AwardRefusal | SurveyRefusal):
        await message.answer(_refusal(opened), reply_markup=back.as_markup())
        return
    await state.clear()
    deadline = opened.survey.deadline
    await message.answer(
        tr(
            "awards-vote-opened",
            recipients=opened.rate.recipients,
            deadline=shown(deadline, ZoneInfo(school.timezone)) if deadline else "",
        ),
        reply_markup=back.as_markup(),
    )


async def _publish(
    callback: CallbackQuery,
    school: Organization,
    year_id: int | None,
    action: AwardAction,
    state: FSMContext,
    services: Services,
) -> None:
    publication = await services.awards.publication(school, year_id)
    if isinstance(publication, AwardRefusal):
        await callback.answer(_refusal(publication), show_alert=True)
        return
    text = winners_text(publication)
    if action is AwardAction.BROADCAST and isinstance(callback.message, Message):
        await callback.answer()
        await compose_with(callback.message, state, Scope((school,)), text, services.broadcasts)
        return
    kb = Keyboard()
    year = year_id or 0
    _button(kb, tr.plain("btn-award-broadcast"), school.id, AwardAction.BROADCAST, year)
    _button(kb, tr.plain("btn-award-letters"), school.id, AwardAction.LETTERS, year)
    _button(kb, tr.plain("btn-back"), school.id, AwardAction.HOME, year)
    kb.adjust(1)
    await show(callback, f"{text}\n\n{tr('awards-winners-note')}", kb.as_markup())


async def _letters(
    callback: CallbackQuery,
    school: Organization,
    year_id: int | None,
    bot: Bot,
    services: Services,
) -> None:
    letters = await services.awards.letters(school, year_id)
    if isinstance(letters, AwardRefusal):
        await callback.answer(_refusal(letters), show_alert=True)
        return
    await callback.answer()
    chat = callback.from_user.id
    for letter in letters:
        await bot.send_document(chat, BufferedInputFile(letter.content, letter.filename))
    back = Keyboard()
    _button(back, tr.plain("btn-back"), school.id, AwardAction.HOME, year_id or 0)
    await bot.send_message(
        chat, tr("awards-letters-sent", count=len(letters)), reply_markup=back.as_markup()
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(pressed, AwardCb.filter(), flags=AWARDS)
    router.message.register(
        deadline_typed, StateFilter(AwardStates.entering_deadline), flags=AWARDS
    )
    return router
