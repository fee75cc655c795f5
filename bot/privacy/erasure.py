"""The daily erasure job: the data of a person who withdrew consent is gone within 30 days.

Withdrawal erases the person's answers at once (`ConsentsRepo.withdraw`). This job
takes care of the rest and records each run:
- it erases again for everyone withdrawn, catching anything written after the withdrawal;
- it blanks the texts of delivered messages, which may quote a person's name or answers;
- it deletes backup copies old enough to still hold erased data.
With a run every day, anything older than RETENTION is gone by day RETENTION + 1 < 30.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from bot.core.clock import Clock
from storage.backup import remove_copies_older_than
from storage.consents import ConsentsRepo
from storage.erasure import ErasureRepo, ErasureRun

log = logging.getLogger(__name__)

RETENTION = timedelta(days=28)


class ErasureService:
    def __init__(
        self, consents: ConsentsRepo, erasure: ErasureRepo, backup_folder: Path, clock: Clock
    ) -> None:
        self._consents = consents
        self._erasure = erasure
        self._backup_folder = backup_folder
        self._clock = clock

    async def run(self) -> ErasureRun:
        now = self._clock.now()
        withdrawn = await self._erasure.withdrawn_people()
        for person_id, telegram_id in withdrawn:
            await self._consents.withdraw_and_erase(person_id, telegram_id, now)
        messages = await self._erasure.blank_finished_messages(now - RETENTION)
        backups = remove_copies_older_than(self._backup_folder, now - RETENTION)
        run = ErasureRun(ran_at=now, people=len(withdrawn), messages=messages, backups=backups)
        await self._erasure.record(run)
        log.info("erasure run people=%s messages=%s backups=%s", run.people, messages, backups)
        return run

    async def last_run(self) -> ErasureRun | None:
        return await self._erasure.last()
