"""What the sender is shown of a broadcast: its counts, who did not receive it and why. Both
the service (which queues the live message's edits) and the screens use these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage.broadcasts import Broadcast


class Reason(StrEnum):
    """Why a recipient did not receive the broadcast, as the sender is told."""

    BLOCKED = "blocked"
    DEACTIVATED = "deactivated"
    FILE_REFUSED = "file_refused"
    REFUSED = "refused"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Undelivered:
    name: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class Progress:
    sent: int
    failed: int
    pending: int
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.pending + self.cancelled


@dataclass(frozen=True, slots=True)
class BroadcastCard:
    broadcast: Broadcast
    progress: Progress
    undelivered: list[Undelivered]
    goes_at: datetime | None  # not gone yet: when it will (a chosen time, the end of quiet)
    zone: ZoneInfo
    survey: str | None = None  # the title of the survey of NOT_ANSWERED

    @property
    def finished(self) -> bool:
        return self.progress.pending == 0
