"""aiogram routers, one per use case. Each module's `build_router()` makes a fresh router, so
every dispatcher (the bot's, each test's) gets its own."""

from aiogram import Router

from handlers import (
    banks,
    districts,
    errors,
    fallback,
    forms,
    groups,
    invitations,
    join,
    meetings,
    menu,
    pair_card,
    pairs,
    participation,
    privacy,
    school_years,
    schools,
    start,
    status,
)


def build_routers() -> list[Router]:
    """Order matters: group chats are turned away before anything else sees them; commands
    come before the form engine, so /menu works in the middle of a questionnaire (which treats
    any other text as an answer); the fallback router (anything nobody else handled) is last."""
    return [
        errors.build_router(),
        groups.build_router(),
        start.build_router(),
        join.build_router(),
        menu.build_router(),
        status.build_router(),
        privacy.build_router(),
        districts.build_router(),
        schools.build_router(),
        school_years.build_router(),
        banks.build_router(),
        pairs.build_router(),
        invitations.build_router(),
        meetings.build_router(),  # its pair-card buttons before the card's catch-all
        pair_card.build_router(),
        participation.build_router(),
        forms.build_router(),
        fallback.build_router(),
    ]
