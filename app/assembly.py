"""Assembly: the dispatcher factory used by both `main()` and the tests, and the runner."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from datetime import timedelta, tzinfo

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
)
from aiogram.methods.base import Response
from aiogram.types import User
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

import handlers
from bot.awards.service import AwardService
from bot.broadcasts.service import PROGRESS_EVERY, BroadcastService
from bot.completion.service import CompletionService
from bot.core.clock import Clock, Health, SystemClock
from bot.core.config import Settings
from bot.core.outbox import OutboxSender
from bot.core.permissions import Actor
from bot.core.replies import ReplyGuard
from bot.core.scheduler import Job, build_scheduler
from bot.events.service import EventService
from bot.forms.catalog import DEFAULT_CATALOG, FormCatalog
from bot.forms.engine import FormEngine, FormState
from bot.forms.flow import FormFlow, Next, state_only
from bot.forms.model import FormPurpose
from bot.library.service import LibraryService
from bot.meetings.service import MeetingService
from bot.operations.status import StatusService
from bot.organizations.invites import InviteService
from bot.organizations.service import OrganizationService
from bot.pairs.service import PairService
from bot.participation.banks import BankService
from bot.participation.service import ParticipationService
from bot.practices.notes import NoteService
from bot.practices.service import PracticeService
from bot.privacy.consent import ConsentService
from bot.privacy.erasure import ErasureService
from bot.privacy.service import PrivacyService
from bot.programs.service import ProgramService
from bot.reports.monitoring import MonitoringService
from bot.reports.service import ReportService
from bot.roadmap.service import RoadmapService
from bot.school_years.service import SchoolYearService
from bot.services import Services
from bot.surveys.district import DistrictSurveyService
from bot.surveys.service import SurveyService
from bot.surveys.templates import with_templates
from bot.ui import commands
from bot.ui.middlewares import (
    ActorMiddleware,
    OnceMiddleware,
    PermissionMiddleware,
    ThrottleMiddleware,
)
from storage.awards import AwardsRepo
from storage.backup import backup
from storage.broadcasts import BroadcastsRepo
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.erasure import ErasureRepo
from storage.events import EventsRepo
from storage.forms import FormSessionsRepo
from storage.fsm import SQLStorage
from storage.invites import InvitesRepo
from storage.library import LibraryRepo
from storage.meetings import MeetingsRepo
from storage.models import Role, RoleGrant
from storage.notices import GroupNoticesRepo
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import OrdersRepo, PairRequestsRepo, PairsRepo, PreferencesRepo
from storage.people import PeopleRepo
from storage.personal_data import PersonalDataRepo
from storage.practices import PracticesRepo
from storage.programs import ProgramsRepo
from storage.reports import MonitoringRepo, ReportsRepo
from storage.roadmap import RoadmapRepo
from storage.school_years import SchoolYearsRepo
from storage.surveys import SurveysRepo
from storage.updates import HandledUpdatesRepo

log = logging.getLogger(__name__)

# aiogram checks every Bot API answer with the generic model Response[T], which pydantic caches
# only weakly: after a garbage collection the next call rebuilds it, about 7 ms on the event
# loop, about a hundred times per 2,500 updates in bench/updates.py. Keep the hot ones alive.
_RESPONSE_MODELS = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        SendMessage,
        EditMessageText,
        EditMessageReplyMarkup,
        AnswerCallbackQuery,
        SendDocument,
    )
)


def create_bot(settings: Settings) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_server))
    return Bot(
        settings.token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def settle_heap() -> None:
    """Once started: what start-up made (modules, models) lives as long as the process, so it
    is kept out of the full collections, which otherwise stall the loop ~130 ms
    (bench/surveys.py) and take a fifth of update handling (bench/updates.py)."""
    gc.collect()
    gc.freeze()


def build_dispatcher(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    storage: SQLStorage | None = None,
    catalog: FormCatalog = DEFAULT_CATALOG,
) -> Dispatcher:
    catalog = with_templates(catalog)
    people = PeopleRepo(db)
    organizations = OrganizationsRepo(db)
    outbox = OutboxRepo(db)
    sessions = FormSessionsRepo(db)
    consents = ConsentsRepo(db)
    pairs = PairsRepo(db)
    pair_requests = PairRequestsRepo(db)
    invites = InviteService(InvitesRepo(db, people), clock, settings.invites)
    engine = FormEngine(sessions, catalog, clock)
    consent = ConsentService(consents, catalog, clock)
    banks = BankService(
        people, sessions, consents, pairs, outbox, catalog, settings.quiet_hours, clock
    )
    programs_repo = ProgramsRepo(db)
    program_service = ProgramService(programs_repo, pairs, engine, people, outbox, clock)
    organization_service = OrganizationService(organizations, people, clock)
    meetings_service = MeetingService(
        MeetingsRepo(db),
        pairs,
        people,
        organization_service,
        banks,
        outbox,
        engine,
        program_service,
        settings.meetings,
        settings.quiet_hours,
        clock,
    )
    group_notices = GroupNoticesRepo(db)
    participation = ParticipationService(
        engine, consent, organizations, people, invites, outbox, group_notices, clock
    )
    erasure = ErasureService(consents, ErasureRepo(db), settings.backup.folder, clock)
    school_years = SchoolYearService(
        SchoolYearsRepo(db), pairs, meetings_service, people, outbox, clock
    )
    orders = OrdersRepo(db)
    pair_service = PairService(
        pairs,
        pair_requests,
        PreferencesRepo(db),
        orders,
        banks,
        people,
        organizations,
        outbox,
        settings.quiet_hours,
        clock,
    )
    privacy = PrivacyService(
        people, consents, sessions, PersonalDataRepo(db), organizations, outbox, catalog, clock
    )
    health = Health(clock.now())
    surveys = SurveyService(
        SurveysRepo(db),
        engine,
        sessions,
        people,
        organizations,
        outbox,
        settings.quiet_hours,
        clock,
        tuple(timedelta(days=days) for days in settings.surveys.reminder_offsets_days),
        settings.monitoring,
    )
    district_surveys = DistrictSurveyService(surveys, SurveysRepo(db), organizations, clock)
    fsm = storage or SQLStorage(db)

    async def form_gate(state: FormState) -> Next | None:
        return await participation.consent_gate(state) or await surveys.gate(state)

    async def survey_submitted(state: FormState) -> Next:
        if surveys.owns(state.form):
            return await surveys.submitted(state)
        return await meetings_service.feedback_submitted(state)

    form_flow = FormFlow(
        engine,
        organization_service,
        fsm,
        form_gate,
        {
            FormPurpose.CONSENT: participation.finish,
            FormPurpose.QUESTIONNAIRE: participation.finish,
            FormPurpose.PROGRAM: state_only(program_service.submitted),
            FormPurpose.SURVEY: state_only(survey_submitted),
        },
        clock,
    )
    completion = CompletionService(
        programs_repo,
        program_service,
        pairs,
        meetings_service,
        surveys,
        people,
        organization_service,
        outbox,
        settings.monitoring,
        settings.quiet_hours,
        clock,
    )
    roadmap = RoadmapService(
        RoadmapRepo(db), organizations, people, banks, outbox, settings.quiet_hours, clock
    )
    library = LibraryService(LibraryRepo(db), organizations, sessions, clock)
    practices = PracticeService(PracticesRepo(db), pairs, people, organizations, outbox, clock)
    broadcasts = BroadcastService(
        BroadcastsRepo(db),
        organization_service,
        banks,
        surveys,
        SurveysRepo(db),
        outbox,
        clock,
        settings.quiet_hours,
        people,
    )
    reports_repo = ReportsRepo(db)
    reports = ReportService(
        reports_repo,
        orders,
        SchoolYearsRepo(db),
        pairs,
        people,
        banks,
        meetings_service,
        clock,
        practices,
        EventsRepo(db),
    )
    services = Services(
        settings=settings,
        clock=clock,
        health=health,
        organizations=organization_service,
        forms=engine,
        form_flow=form_flow,
        participation=participation,
        banks=banks,
        invites=invites,
        school_years=school_years,
        pairs=pair_service,
        programs=program_service,
        meetings=meetings_service,
        privacy=privacy,
        erasure=erasure,
        surveys=surveys,
        district_surveys=district_surveys,
        completion=completion,
        reports=reports,
        monitoring=MonitoringService(
            MonitoringRepo(db),
            reports_repo,
            reports,
            roadmap,
            people,
            outbox,
            settings.quiet_hours,
            clock,
        ),
        roadmap=roadmap,
        status=StatusService(db, outbox, erasure, health, clock),
        library=library,
        practices=practices,
        notes=NoteService(PracticesRepo(db), people, organizations, banks, outbox, clock),
        broadcasts=broadcasts,
        awards=AwardService(AwardsRepo(db), SchoolYearsRepo(db), pairs, banks, surveys, clock),
        events=EventService(
            EventsRepo(db), organization_service, broadcasts, banks, people, outbox, clock
        ),
    )
    dp = Dispatcher(storage=fsm, services=services)
    once = OnceMiddleware(HandledUpdatesRepo(db), clock)
    dp["once"] = once  # the scheduler prunes its marks
    dp.update.outer_middleware(once)
    # Replies that fail on a 5xx or a network error are retried, then queued (bot/core/replies).
    dp.update.outer_middleware(ReplyGuard(outbox, fsm, clock).on_update)
    dp.update.outer_middleware(ActorMiddleware(people, settings.admins))
    throttle = ThrottleMiddleware(clock, settings.throttle)
    permission = PermissionMiddleware()
    for observer in (dp.message, dp.edited_message, dp.callback_query):
        observer.outer_middleware(throttle)
        observer.middleware(permission)
    dp.include_routers(*handlers.build_routers())
    return dp


async def run(settings: Settings) -> None:
    clock = SystemClock()
    db = await Database.connect(
        settings.database.url,
        path=settings.database.path,
        busy_timeout_ms=settings.database.busy_timeout_ms,
        synchronous=settings.database.synchronous,
    )
    bot = create_bot(settings)
    try:
        await db.migrate()
        me = await _identify(bot)
        log.info("bot identity bot_id=%s", me.id)
        dp = build_dispatcher(settings, db, clock)
        await dp["services"].surveys.load_forms()
        sender = OutboxSender(
            bot,
            OutboxRepo(db),
            PeopleRepo(db),
            clock,
            settings.outbox,
            dp["services"].health,
            settings.quiet_hours,
            settings.timezone,
        )
        await sender.recover()
        scheduler = _periodic_jobs(dp, db, sender, settings, clock)
        once: OnceMiddleware = dp["once"]

        async def on_startup(bot: Bot) -> None:
            await commands.publish_default(bot)
            for admin_id in settings.admins:
                await commands.publish_for(bot, Actor(admin_id, None, (RoleGrant(Role.ADMIN),)))
            scheduler.start()
            settle_heap()
            dp["services"].health.stalls.start()
            log.info("bot started mode=%s", settings.mode)

        async def on_shutdown() -> None:
            scheduler.shutdown(wait=False)
            await once.flush()
            await dp["services"].health.stalls.stop()
            log.info("bot stopped")

        dp.startup.register(on_startup)
        dp.shutdown.register(on_shutdown)
        if settings.mode == "webhook":
            await _run_webhook(dp, bot, settings)
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            await dp.start_polling(
                bot,
                allowed_updates=dp.resolve_used_update_types(),
                tasks_concurrency_limit=settings.max_concurrent_updates,
            )
    finally:
        await bot.session.close()
        await db.close()


def _periodic_jobs(
    dp: Dispatcher, db: Database, sender: OutboxSender, settings: Settings, clock: Clock
) -> AsyncIOScheduler:
    """The scheduler is only a clock: every job reads what is owed from the tables. Jobs that
    write run once per hour or day across processes sharing one PostgreSQL (`_once_per`)."""
    services: Services = dp["services"]
    once: OnceMiddleware = dp["once"]

    async def remind_about_waiting_mentees() -> None:
        await services.pairs.remind_waiting_due(settings.pairs.waiting_reminder_days)

    async def backup_database() -> None:
        assert db.path is not None
        made = await backup(db.path, settings.backup.folder, settings.backup.keep, clock.now())
        log.info("backup made file=%s", made.name)

    # Job ids are the functions' names, so each job gets a name of its own.
    async def summarise_surveys_at_deadline() -> None:
        await services.district_surveys.resume()
        await services.surveys.sweep()

    async def end_and_monitor_programs() -> None:
        await services.completion.sweep()

    async def sweep_roadmaps() -> None:
        await services.roadmap.sweep()

    async def tick() -> None:
        await once.flush()  # the marks of the updates handled since the last tick
        await sender.tick()

    hour, day = "%Y-%m-%dT%H", "%Y-%m-%d"
    hourly: list[Job] = [
        _once_per(db, clock, hour, job)
        for job in (
            remind_about_waiting_mentees,
            services.meetings.sweep,
            summarise_surveys_at_deadline,
            end_and_monitor_programs,
        )
    ]
    hourly.append(once.forget_old)  # each process flushes its own marks
    if db.path is None:
        # Processes share a server: rows claimed by one that died go back within the hour.
        hourly.append(sender.recover)
    daily_jobs: list[Job] = [services.erasure.run, sweep_roadmaps]
    if db.path is not None:  # SQLite; a PostgreSQL server is backed up with pg_dump
        daily_jobs.append(backup_database)
    daily: list[tuple[Job, int, tzinfo]] = [
        (_once_per(db, clock, day, job), settings.backup.hour, settings.timezone)
        for job in daily_jobs
    ]
    scheduler = build_scheduler(tick, settings.outbox.tick_seconds, hourly=hourly, daily=daily)
    # Its own job: a tick sending a big broadcast runs long, the progress must not wait for it.
    scheduler.add_job(
        services.broadcasts.report_progress,
        "interval",
        seconds=PROGRESS_EVERY.total_seconds(),
        id="broadcast_progress",
    )
    # Once at start as well: a summary that fell due while the bot was down goes out now,
    # and a launch cut short by a crash is finished, not an hour later.
    scheduler.add_job(summarise_surveys_at_deadline, id="surveys_at_start")
    return scheduler


def _once_per(db: Database, clock: Clock, slot_format: str, job: Job) -> Job:
    """Several processes may share one PostgreSQL: each periodic run happens in one of them."""

    async def run_once() -> None:
        async with db.run_once(job.__name__, f"{clock.now():{slot_format}}") as mine:
            if mine:
                await job()

    run_once.__name__ = job.__name__
    return run_once


async def _identify(bot: Bot) -> User:
    """getMe, waiting out an unreachable or failing Bot API; a wrong token fails at once."""
    delay = 1.0
    while True:
        try:
            return await bot.me()
        except (TelegramNetworkError, TelegramServerError) as error:
            log.warning(
                "bot api unavailable, retrying in %ss error=%s", delay, type(error).__name__
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)


async def _run_webhook(dp: Dispatcher, bot: Bot, settings: Settings) -> None:
    hook = settings.webhook
    app = web.Application()
    # Telegram hears "200 OK" only once the update is handled: if the process dies mid-way,
    # Telegram delivers the update again instead of it being lost. Its max_connections then
    # bounds how many updates are handled at once, as the task limit does in polling.
    SimpleRequestHandler(
        dp, bot, handle_in_background=False, secret_token=hook.secret_token
    ).register(app, path=hook.path)
    setup_application(app, dp, bot=bot)
    await bot.set_webhook(
        hook.url,
        secret_token=hook.secret_token,
        allowed_updates=dp.resolve_used_update_types(),
        max_connections=min(settings.max_concurrent_updates, 100),
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, hook.listen_host, hook.listen_port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    log.info("webhook listening host=%s port=%s", hook.listen_host, hook.listen_port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
