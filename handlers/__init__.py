"""aiogram routers, one per use case."""

from aiogram import Router

from handlers import districts, errors, fallback, groups, join, menu, schools, start


def get_routers() -> list[Router]:
    """Order matters: group chats are turned away before anything else sees them, and the
    fallback router (anything nobody else handled) comes last."""
    return [
        errors.router,
        groups.router,
        start.router,
        join.router,
        menu.router,
        districts.router,
        schools.router,
        fallback.router,
    ]
