"""Why a service did not do what was asked. Services return a refusal instead of raising or
returning text; the handler renders it (`tr("refusal", reason=...)`, bot/ui/common.ftl).
A feature with refusals of its own defines its own StrEnum the same way."""

from __future__ import annotations

from enum import StrEnum


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
