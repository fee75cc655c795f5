"""Logging set-up. Our own logs carry Telegram ids and event names only; chatty libraries are
held at WARNING whatever the level."""

from __future__ import annotations

import logging

# APScheduler logs every tick at INFO, and a run merged into the next one (coalesce) at
# WARNING; both are noise, since the tables remember what is owed. Job failures stay (ERROR).
_HELD_BACK = {"apscheduler": logging.ERROR}


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    hold_back_libraries()


def hold_back_libraries() -> None:
    for name, level in _HELD_BACK.items():
        logging.getLogger(name).setLevel(level)
