"""Rules about districts and schools that are not SQL."""

from __future__ import annotations

import re
import unicodedata

DISTRICT_NAME_LIMIT = 120
SCHOOL_NAME_LIMIT = 200


def clean_name(raw: str | None, limit: int) -> str | None:
    """A district or school name as typed, tidied; None when it cannot be a name."""
    if raw is None:
        return None
    name = re.sub(r"\s+", " ", raw).strip()
    if not 2 <= len(name) <= limit or name.startswith("/"):
        return None
    if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs") for char in name):
        return None
    return name
