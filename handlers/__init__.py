"""aiogram routers, one per use case. Each module's `build_router()` makes a fresh router, so
every dispatcher (the bot's, each test's) gets its own."""

from aiogram import Router

from handlers import (
    awards,
    banks,
    broadcasts,
    district_surveys,
    districts,
    errors,
    events,
    fallback,
    forms,
    groups,
    invitations,
    join,
    library,
    meetings,
    menu,
    monitoring,
    pair_card,
    pairs,
    participation,
    plan_materials,
    practices,
    privacy,
    reports,
    roadmap,
    school_years,
    schools,
    start,
    status,
    surveys,
)


def build_routers() -> list[Router]:
    """Order matters. Group chats are turned away before anything else sees them. Then the
    routers go roughly by how often they are used: each router an update passes costs about
    20-40 µs in aiogram (bench/updates.py), and answers to questionnaires are most updates.
    The form engine takes any text but a /command in a questionnaire, so commands still reach
    their routers mid-questionnaire. The fallback router (anything nobody else handled) comes
    last; the error router after it, as errors are rare and a router costs every update."""
    return [
        groups.build_router(),
        forms.build_router(),
        menu.build_router(),
        start.build_router(),
        join.build_router(),
        participation.build_router(),
        meetings.build_router(),  # its pair-card buttons before the card's catch-all
        pair_card.build_router(),
        plan_materials.build_router(),
        invitations.build_router(),
        pairs.build_router(),
        banks.build_router(),
        privacy.build_router(),
        status.build_router(),
        districts.build_router(),
        schools.build_router(),
        school_years.build_router(),
        surveys.build_router(),
        district_surveys.build_router(),
        reports.build_router(),
        monitoring.build_router(),
        roadmap.build_router(),
        library.build_router(),
        practices.build_router(),
        broadcasts.build_router(),
        awards.build_router(),
        events.build_router(),
        forms.build_unknown_command_router(),
        fallback.build_router(),
        errors.build_router(),
    ]
