"""What the sender is shown of a broadcast: whose it is, its counts, who did not receive it and
why. Both the service (which queues the live message's edits) and the screens use these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData

from bot.core.zones import school_zone
from bot.ui.callbacks import BroadcastAction, BroadcastCb, DistrictBroadcastCb
from storage.broadcasts import Broadcast
from storage.models import District, Organization


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose broadcasts: a school's (its curator's), or a district's (its coordinator's, to the
    schools of the district: one broadcast row per school, grouped)."""

    schools: tuple[Organization, ...]
    district: District | None = None

    @property
    def school_id(self) -> int:
        return 0 if self.district or not self.schools else self.schools[0].id

    @property
    def district_id(self) -> int:
        return self.district.id if self.district else 0

    @property
    def name(self) -> str:
        return self.district.name if self.district else self.schools[0].name

    @property
    def zone(self) -> ZoneInfo:
        """The zone times are typed and shown in: the school's, or the district's first."""
        return school_zone(self.schools[0] if self.schools else None)

    def cb(self, action: BroadcastAction, v: int = 0) -> CallbackData:
        if self.district is not None:
            return DistrictBroadcastCb(action=action, district_id=self.district.id, v=v)
        return BroadcastCb(action=action, school_id=self.school_id, v=v)


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
    school: str | None = None  # a district's broadcast: the recipient's school


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
    scope: Scope
    survey: str | None = None  # the title of the survey of NOT_ANSWERED

    @property
    def finished(self) -> bool:
        return self.progress.pending == 0
