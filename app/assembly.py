"""Assembly: the dispatcher factory used by both `main()` and the tests, and the runner."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import tzinfo

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.fsm.storage.base import BaseStorage
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

import handlers
from bot.core.clock import Clock, Health, SystemClock
from bot.core.config import Settings
from bot.core.outbox import OutboxSender
from bot.core.permissions import Actor
from bot.core.scheduler import Job, build_scheduler
from bot.forms.catalog import DEFAULT_CATALOG, FormCatalog
from bot.forms.engine import FormEngine
from bot.meetings.service import MeetingService
from bot.organizations.invites import InviteService
from bot.organizations.school_years import SchoolYearService
from bot.organizations.service import OrganizationService
from bot.pairs.service import PairService
from bot.participation.banks import BankService
from bot.participation.service import ParticipationService
from bot.privacy.consent import ConsentService
from bot.privacy.erasure import ErasureService
from bot.privacy.service import PrivacyService
from bot.programs.service import ProgramService
from bot.services import Services
from bot.ui import commands
from bot.ui.middlewares import ActorMiddleware, PermissionMiddleware, ThrottleMiddleware
from handlers.forms import FormServices
from storage.backup import backup
from storage.consents import ConsentsRepo
from storage.db import Database
from storage.erasure import ErasureRepo
from storage.forms import FormSessionsRepo
from storage.fsm import SQLStorage
from storage.invites import InvitesRepo
from storage.meetings import MeetingsRepo
from storage.models import Role, RoleGrant
from storage.notices import GroupNoticesRepo
from storage.organizations import OrganizationsRepo
from storage.outbox import OutboxRepo
from storage.pairs import PairRequestsRepo, PairsRepo, PreferencesRepo
from storage.people import PeopleRepo
from storage.programs import ProgramsRepo
from storage.school_years import SchoolYearsRepo

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


def build_dispatcher(
    settings: Settings,
    db: Database,
    clock: Clock,
    *,
    storage: BaseStorage | None = None,
    catalog: FormCatalog = DEFAULT_CATALOG,
) -> Dispatcher:
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
    banks = BankService(people, sessions, consents, pairs, outbox, catalog, clock)
    program_service = ProgramService(ProgramsRepo(db), pairs, engine, people, outbox, clock)
    meetings = MeetingsRepo(db)
    meetings_service = MeetingService(
        meetings,
        pairs,
        people,
        organizations,
        outbox,
        engine,
        program_service,
        settings.meetings,
        settings.quiet_hours,
        clock,
    )
    participation = ParticipationService(
        engine, consent, organizations, people, invites, outbox, clock
    )
    erasure = ErasureService(consents, ErasureRepo(db), settings.backup.folder, clock)
    school_years = SchoolYearService(
        SchoolYearsRepo(db), pairs, meetings_service, people, outbox, clock
    )
    pair_service = PairService(
        pairs, pair_requests, PreferencesRepo(db), banks, people, outbox, clock
    )
    privacy = PrivacyService(people, consents, sessions, organizations, outbox, catalog, clock)
    health = Health(clock.now())
    organization_service = OrganizationService(organizations, clock)
    services = Services(
        settings=settings,
        clock=clock,
        health=health,
        organizations=organization_service,
        forms=engine,
        participation=participation,
        banks=banks,
        invites=invites,
        school_years=school_years,
        pairs=pair_service,
        programs=program_service,
        meetings=meetings_service,
        privacy=privacy,
        erasure=erasure,
    )
    # The string keys below are being replaced by `services` (issue 12): a handler that still
    # reads one of them is moved to `services` with its feature.
    dp = Dispatcher(
        storage=storage or SQLStorage(db),
        services=services,
        settings=settings,
        clock=clock,
        db=db,
        outbox=outbox,
        health=health,
        erasure=erasure,
        school_years=school_years,
        catalog=catalog,
        people=people,
        organizations=organization_service,
        group_notices=GroupNoticesRepo(db),
        invites=invites,
        engine=engine,
        participation=participation,
        forms=FormServices(engine, participation, program_service, meetings_service),
        meetings=meetings,
        meetings_service=meetings_service,
        programs=program_service,
        pair_requests=pair_requests,
        banks=banks,
        pair_service=pair_service,
        pairs=pairs,
        privacy=privacy,
    )
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
        sender = OutboxSender(
            bot, OutboxRepo(db), PeopleRepo(db), clock, settings.outbox, dp["health"]
        )
        await sender.recover()
        pair_service: PairService = dp["pair_service"]
        organizations: OrganizationService = dp["organizations"]

        async def remind_about_waiting_mentees() -> None:
            for school in await organizations.all_schools():
                await pair_service.remind_about_waiting(
                    school.id, settings.pairs.waiting_reminder_days
                )

        meetings_service: MeetingService = dp["meetings_service"]

        async def backup_database() -> None:
            assert db.path is not None
            made = await backup(db.path, settings.backup.folder, settings.backup.keep, clock.now())
            log.info("backup made file=%s", made.name)

        erasure: ErasureService = dp["erasure"]

        daily: list[tuple[Job, int, tzinfo]] = [
            (_once_per(db, clock, "%Y-%m-%d", erasure.run), settings.backup.hour, settings.timezone)
        ]
        if db.path is not None:  # SQLite; a PostgreSQL server is backed up with pg_dump
            daily.append(
                (
                    _once_per(db, clock, "%Y-%m-%d", backup_database),
                    settings.backup.hour,
                    settings.timezone,
                )
            )
        hourly = [
            _once_per(db, clock, "%Y-%m-%dT%H", remind_about_waiting_mentees),
            _once_per(db, clock, "%Y-%m-%dT%H", meetings_service.sweep),
        ]
        if db.path is None:
            # Processes share a server: rows claimed by one that died go back within the hour.
            hourly.append(sender.recover)
        scheduler = build_scheduler(
            sender.tick,
            settings.outbox.tick_seconds,
            hourly=hourly,
            daily=daily,
        )

        async def on_startup(bot: Bot) -> None:
            await commands.publish_default(bot)
            for admin_id in settings.admins:
                await commands.publish_for(bot, Actor(admin_id, None, (RoleGrant(Role.ADMIN),)))
            scheduler.start()
            dp["health"].stalls.start()
            log.info("bot started mode=%s", settings.mode)

        async def on_shutdown() -> None:
            scheduler.shutdown(wait=False)
            await dp["health"].stalls.stop()
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
