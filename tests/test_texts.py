"""The Fluent catalogues against the code that uses them: every key used exists and is given
exactly the variables its message refers to; no message is left unused; Russian plurals."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor

from bot.core.i18n import PACKAGE_ROOT, Catalogue, Html, TextError, tr

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for folder in ("app", "bot", "handlers") for p in (ROOT / folder).rglob("*.py")]


class _References(Visitor):
    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.messages: set[str] = set()

    def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:  # noqa: N802
        self.variables.add(node.id.name)

    def visit_MessageReference(self, node: fluent_ast.MessageReference) -> None:  # noqa: N802
        self.messages.add(node.id.name)


def _messages() -> dict[str, _References]:
    found: dict[str, _References] = {}
    for path in PACKAGE_ROOT.rglob("*.ftl"):
        for entry in FluentParser().parse(path.read_text("utf-8")).body:
            if isinstance(entry, fluent_ast.Message):
                references = _References()
                references.visit(entry)
                found[entry.id.name] = references
    return found


def _uses() -> Iterator[tuple[str, str, set[str] | None]]:
    """(where, key, variables given, or None when passed as **mapping) of each tr call."""
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            named = (isinstance(func, ast.Name) and func.id == "tr") or (
                isinstance(func, ast.Attribute)
                and func.attr == "plain"
                and isinstance(func.value, ast.Name)
                and func.value.id == "tr"
            )
            if not named:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0] if node.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{where}: the key must be a literal, so this test can check it"
            )
            given = (
                None
                if any(k.arg is None for k in node.keywords)
                else {k.arg for k in node.keywords if k.arg is not None}
            )
            yield where, first.value, given


def test_every_key_used_exists_with_exactly_its_variables() -> None:
    messages = _messages()
    problems = []
    for where, key, given in _uses():
        if key not in messages:
            problems.append(f"{where}: no message {key}")
        elif given is not None and given != messages[key].variables:
            problems.append(
                f"{where}: {key} needs {sorted(messages[key].variables)}, given {sorted(given)}"
            )
    assert not problems, "\n".join(problems)


def test_no_message_is_left_unused() -> None:
    messages = _messages()
    used = {key for _, key, _ in _uses()}
    used |= {ref for references in messages.values() for ref in references.messages}
    assert not sorted(set(messages) - used)


def test_russian_plurals_and_escaping() -> None:
    catalogue = Catalogue(
        {
            "t.ftl": (
                "days = { $n ->\n    [one] {$n} день\n    [few] {$n} дня\n"
                "   *[other] {$n} дней\n }\n"
                "hello = Здравствуйте, {$name}!\n"
            )
        }
    )
    assert [catalogue("days", n=n) for n in (1, 2, 5, 11, 21, 2026)] == [
        "1 день",
        "2 дня",
        "5 дней",
        "11 дней",
        "21 день",
        "2026 дней",
    ]
    assert catalogue("hello", name="<b>Анна</b>") == "Здравствуйте, &lt;b&gt;Анна&lt;/b&gt;!"
    assert catalogue("hello", name=Html("<b>Анна</b>")) == "Здравствуйте, <b>Анна</b>!"
    assert catalogue.plain("hello", name="<b>Анна</b>") == "Здравствуйте, <b>Анна</b>!"
    with pytest.raises(TextError):
        catalogue("hello")
    with pytest.raises(TextError):
        catalogue("no-such-text")
    with pytest.raises(TextError):
        Catalogue({"a.ftl": "x = 1\n", "b.ftl": "x = 2\n"})


def test_the_shipped_catalogue_loads() -> None:
    assert tr.keys == set(_messages())
