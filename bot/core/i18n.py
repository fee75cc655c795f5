"""Every text a user reads comes from a Fluent catalogue (`*.ftl`) beside the feature that says
it, with Russian plural rules from CLDR: `{ $days -> [one] … [few] … *[other] … }`.

`tr("key", name=...)` gives HTML for a message: string values are escaped, since most of them
were typed by users; pass `Html(...)` for a fragment that is already HTML. `tr.plain(...)` gives
text that is not HTML (button labels, documents, spreadsheets). The catalogue is data shipped
with the code and read once; `tests/test_texts.py` checks that every key used in the code
exists, gets the variables its message needs, and that no message is left unused.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number
from fluent.syntax import ast as syntax

LOCALE = "ru"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class Html(str):
    """A fragment that is already HTML: inserted into a message without escaping."""


class TextError(LookupError):
    """A key missing from the catalogue, or a message formatted without its variables."""


class Catalogue:
    def __init__(self, sources: dict[str, str]) -> None:
        self._bundle = FluentBundle([LOCALE], use_isolating=False)
        self.keys: set[str] = set()
        for name, source in sorted(sources.items()):
            resource = FluentResource(source)
            for entry in resource.body:
                if isinstance(entry, syntax.Junk):
                    raise TextError(f"{name}: cannot parse {(entry.content or '')[:60]!r}")
                if isinstance(entry, syntax.Message):
                    key = entry.id.name
                    if key in self.keys:
                        raise TextError(f"{name}: {key} is defined twice")
                    self.keys.add(key)
            self._bundle.add_resource(resource)

    @classmethod
    def load(cls, root: Path = PACKAGE_ROOT) -> Catalogue:
        sources = {
            str(path.relative_to(root)): path.read_text("utf-8") for path in root.rglob("*.ftl")
        }
        return cls(sources)

    def __call__(self, key: str, /, **args: Any) -> str:
        """HTML: string values escaped unless they are `Html`."""
        return self._format(key, {name: _html_value(value) for name, value in args.items()})

    def plain(self, key: str, /, **args: Any) -> str:
        """Not HTML: button labels, file names, documents and spreadsheets."""
        return self._format(key, args)

    def _format(self, key: str, args: dict[str, Any]) -> str:
        if not self._bundle.has_message(key):
            raise TextError(f"no text {key!r}")
        message = self._bundle.get_message(key)
        if message.value is None:
            raise TextError(f"{key} has no value")
        values = {name: _fluent_value(value) for name, value in args.items()}
        text, errors = self._bundle.format_pattern(message.value, values)
        if errors:
            raise TextError(f"{key}: {errors[0]}")
        return str(text)


def _html_value(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Html):
        return escape(value)
    return value


def _fluent_value(value: Any) -> Any:
    # Enum members select variants by their value; numbers are shown without digit grouping
    # (years, ids and counts alike) but still choose the plural form.
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return fluent_number(value, useGrouping=False)
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


tr = Catalogue.load()
