"""Results for the school website's «Наставничество» section: the year's anonymised figures
and charts as one self-contained HTML page (charts as data: URIs, no scripts, no external
resources, every text escaped) and the same page as .docx.

The page is a list of `Section`s rendered twice; a new part of the page (the library's best
practices, say) is one more `Section` appended in `sections`. Nothing personal goes in: no
names (the pairs needing attention are left out), no contacts, means only of groups of three
or more (the figures already hide smaller ones)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.core.documents import as_bytes, centered, new_document
from bot.core.i18n import tr
from bot.practices.service import PublishedCase
from bot.reports import documents
from bot.reports.charts import Chart
from bot.reports.documents import Table
from bot.reports.figures import SchoolFigures


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class SitePage:
    title: str
    subtitle: str
    sections: tuple[Section, ...]


def sections(
    figures: SchoolFigures, drawn: list[Chart], cases: Sequence[PublishedCase] = ()
) -> list[Section]:
    """The page's parts, in order; tables and charts are the school report's own, the
    cases are those both sides of a pair agreed to publish (named only if they agreed)."""
    tables = {t.title: t for t in documents.school_tables(figures)}
    chart = {c.name: c for c in drawn}
    outcomes = figures.outcomes
    found: list[Section] = [
        Section(
            tr.plain("site-section-pairs"),
            (
                tr.plain(
                    "site-pairs",
                    mentors=figures.mentors,
                    mentees=figures.mentees,
                    pairs=figures.total_pairs,
                    groups=figures.groups,
                ),
            ),
            tables[tr.plain("report-table-pairs")] if figures.pairs else None,
        ),
        Section(
            tr.plain("site-section-programs"),
            (
                tr.plain(
                    "site-programs",
                    active=outcomes.active,
                    completed=outcomes.completed,
                    early=outcomes.ended_early,
                ),
            ),
            chart=chart.get("programs"),
        ),
        Section(
            tr.plain("site-section-meetings"),
            (
                tr.plain(
                    "site-meetings",
                    held=figures.meetings("held"),
                    feedback=figures.meetings("feedback"),
                ),
            ),
            chart=chart.get("meetings"),
        ),
    ]
    if figures.satisfaction.shown:
        found.append(
            Section(
                tr.plain("report-table-satisfaction"),
                (tr.plain("site-satisfaction"),),
                tables[tr.plain("report-table-satisfaction")],
                chart.get("satisfaction"),
            )
        )
    if figures.growth:
        found.append(
            Section(
                tr.plain("report-chart-growth"),
                (tr.plain("site-growth"),),
                tables[tr.plain("report-table-growth")],
                chart.get("growth"),
            )
        )
    found.append(
        Section(
            tr.plain("site-section-events"),
            () if figures.events else (tr.plain("site-no-events"),),
            tables[tr.plain("report-table-events")] if figures.events else None,
        )
    )
    if cases:
        found.append(Section(tr.plain("site-section-practices"), _case_lines(cases)))
    if figures.acts:
        found.append(
            Section(tr.plain("site-section-acts"), (), tables[tr.plain("report-table-acts")])
        )
    return found


def _case_lines(cases: Sequence[PublishedCase]) -> tuple[str, ...]:
    lines: list[str] = []
    for case in cases:
        lines.append(tr.plain("site-practice", goal=case.goal, done=case.done, result=case.result))
        if case.mentor is not None:
            mentees = ", ".join(case.mentees or ())
            lines.append(tr.plain("site-practice-names", mentor=case.mentor, mentees=mentees))
    return tuple(lines)


def page(
    figures: SchoolFigures, drawn: list[Chart], cases: Sequence[PublishedCase] = ()
) -> SitePage:
    return SitePage(
        tr.plain("site-title"),
        tr.plain("report-docx-subtitle", school=figures.school, year=figures.year),
        tuple(sections(figures, drawn, cases)),
    )


_STYLE = (
    "body{font-family:Arial,Helvetica,sans-serif;max-width:900px;margin:0 auto;padding:16px;"
    "color:#222;line-height:1.45}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}"
    "table{border-collapse:collapse;width:100%;margin:8px 0}"
    "th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f0f3f7}img{max-width:100%;height:auto}figcaption{color:#555}"
)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _html_section(section: Section) -> str:
    parts = [f"<section><h2>{escape(section.title)}</h2>"]
    parts += [f"<p>{escape(text)}</p>" for text in section.paragraphs]
    if section.table is not None:
        parts.append(_html_table(section.table))
    if section.chart is not None:
        data = base64.b64encode(section.chart.png).decode("ascii")
        caption = escape(section.chart.caption)
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    parts.append("</section>")
    return "".join(parts)


def html(found: SitePage) -> bytes:
    body = "".join(_html_section(s) for s in found.sections)
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(found.title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(found.title)}</h1><p>{escape(found.subtitle)}</p>{body}</body></html>"
    ).encode()


def docx(found: SitePage) -> bytes:
    from docx.shared import Cm  # noqa: PLC0415

    document = new_document()
    centered(document, found.title)
    centered(document, found.subtitle, bold=False)
    for section in found.sections:
        document.add_heading(section.title, level=2)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table is not None:
            documents.add_table(document, section.table, heading=False)
        if section.chart is not None:
            document.add_picture(io.BytesIO(section.chart.png), width=Cm(16))
            document.add_paragraph(section.chart.caption)
    return as_bytes(document)
