"""HTML for the report's blocks: sortable tables, text and panels, run facts and the full site table.

Every text goes through ``esc``; a number column's cells carry the number they show in
``data-v`` so that ``static/report.js`` sorts by it rather than by the text.
"""

from __future__ import annotations

import html
import math
import re
from typing import NamedTuple

import pandas as pd

from energie import fmt
from energie.reports.blocks import Block, Cell, TableBlock, TextBlock
from energie.reports.document import IN_PLAN_AS

#: Site-table columns: header, decimals of a number column (``None``: text). The decimals are
#: those of the terminal report (``energie.reports.terminal``), so the same site shows the same figures.
SITE_TABLE_COLUMNS: dict[str, tuple[str, int | None]] = {
    "site_id": ("site", None), "name": ("name", None), "kind": ("kind", None), "in_plan_as": ("in plan", None),
    "status": ("status", None), "lik_type": ("landscape", None), "gemeente": ("gemeente", None),
    "initiator": ("initiator", None), "capacity_mw": ("MW", 1), "yield_gwh": ("GWh", 1), "area_ha": ("ha", 1),
    "cost_meur": ("M€", 1), "impact_meur": ("impact M€-eq", 2), "reason": ("excluded because", None),
    "detail": ("detail", None),
}


#: Site-table columns left out on paper (A4 portrait has room for about ten).
PRINT_LEAVES_OUT = ("status", "initiator", "impact_meur")


def esc(text: object) -> str:
    """Text as HTML (``&``, ``<``, ``>`` and both quotes escaped)."""
    return html.escape(str(text), quote=True)


class Ids:
    """Readable, unique element ids from titles (``"Sites by kind (…)"`` → ``plan-sites-by-kind``)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(self, *parts: str) -> str:
        slug = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-")[:40] for part in parts) if p)
        base = slug or "part"
        slug, n = base, 2
        while slug in self._used:
            slug, n = f"{base}-{n}", n + 1
        self._used.add(slug)
        return slug


def _value(number: float) -> str:
    """A sort key as short text: ``12.0`` → ``12``; 12 significant digits at most."""
    return f"{number:.12g}"


def _th(label: str, numeric: bool, index: int) -> str:
    cls = ' class="num"' if numeric else ""
    text = esc(label) if label else f'<span class="vh">column {index + 1}</span>'
    return (f'<th scope="col"{cls}><button type="button" class="sort">{text}'
            '<span class="arrow" aria-hidden="true"></span></button></th>')


def _td(cell: Cell, numeric: bool) -> str:
    if numeric and cell.number is not None:
        return f'<td class="num" data-v="{_value(cell.number)}">{esc(cell.text)}</td>'
    return f'<td class="num">{esc(cell.text)}</td>' if numeric else f"<td>{esc(cell.text)}</td>"


def table_html(block: TableBlock, element_id: str) -> str:
    """A report table: its title as a heading, the table (sortable), its caption under it."""
    out = []
    labelled = ""
    if block.title:
        out.append(f'<h3 id="{element_id}">{esc(block.title)}</h3>')
        labelled = f' aria-labelledby="{element_id}"'
    head = "".join(_th(c, n, i) for i, (c, n) in enumerate(zip(block.columns, block.numeric)))
    body = "\n".join("<tr>" + "".join(_td(c, n) for c, n in zip(row, block.numeric)) + "</tr>"
                     for row in block.rows)
    out.append(f'<div class="table-wrap"><table class="sortable"{labelled}>\n<thead><tr>{head}</tr></thead>\n'
               f"<tbody>\n{body}\n</tbody></table></div>")
    if not block.rows:
        out.append('<p class="caption">(no rows)</p>')
    if block.caption:
        out.append(f'<p class="caption">{esc(block.caption)}</p>')
    return "\n".join(out)


def text_html(block: TextBlock, element_id: str) -> str:
    """A panel (titled text: the report's header box), a note (emphasis) or plain text."""
    if block.title:
        text = f'\n<pre class="panel-text">{esc(block.text)}</pre>' if block.text else ""
        return (f'<div class="panel"><h3 id="{element_id}">{esc(block.title)}</h3>{text}</div>')
    if block.emphasis:
        return f'<div class="note" role="note">{esc(block.text)}</div>'
    return f'<div class="text">{esc(block.text)}</div>'


def block_html(block: Block, element_id: str) -> str:
    return table_html(block, element_id) if isinstance(block, TableBlock) else text_html(block, element_id)


def run_info_html(run_info: dict[str, str]) -> str:
    if not run_info:
        return '<p class="text">No facts about the run were recorded.</p>'
    rows = "\n".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in run_info.items())
    return f'<div class="table-wrap"><table class="facts">\n<tbody>\n{rows}\n</tbody></table></div>'


def _empty(column: pd.Series) -> bool:
    return bool(column.isna().all()) or bool(column.astype(str).str.strip().eq("").all())


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


#: Rows of the site table on one page; the rest is a page away (see ``site_table``).
SITE_PAGE_ROWS = 200


def _site_cell(column: str, value: object, decimals: int | None) -> str | list[object]:
    """A site-table cell as data: text, or ``[text, number]`` in a number column."""
    if decimals is not None:
        if _missing(value):
            return ""
        x = float(value)  # type: ignore[arg-type]
        return [fmt.num(x, decimals), float(_value(x))]
    text = "" if _missing(value) else str(value)
    return text.replace("_", " ") if column == "in_plan_as" else text


def _site_td(cell: str | list[object], numeric: bool, link: bool) -> str:
    if numeric:
        if isinstance(cell, list):
            return f'<td class="num" data-v="{_value(float(cell[1]))}">{esc(cell[0])}</td>'  # type: ignore[arg-type]
        return '<td class="num"></td>'
    if link:
        return f'<td><a class="to-map" href="#map" title="show on the map">{esc(cell)}</a></td>'
    return f"<td>{esc(cell)}</td>"


class SiteTable(NamedTuple):
    html: str
    #: What ``static/report.js`` sorts, filters and pages.
    data: dict[str, object]
    #: Print rule that leaves out the columns a sheet of paper has no room for.
    print_css: str


def site_table(frame: pd.DataFrame, mapped_ids: set[str]) -> SiteTable:
    """Every input site with what the plan did with it: the HTML (filter box, plan filter, the
    table with its first ``SITE_PAGE_ROWS`` rows, a pager) and the table's data, from which
    ``static/report.js`` sorts, filters and pages (a region's 10,000 rows are too many to
    re-order in the page itself). Ids of sites on the map link to the map."""
    columns = [c for c in frame.columns if c in SITE_TABLE_COLUMNS] + \
              [c for c in frame.columns if c not in SITE_TABLE_COLUMNS and c != "geometry"]
    # a column empty in every row (gemeente in a one-municipality plan, …) only takes room
    columns = [c for c in columns if c in ("site_id", "in_plan_as") or not _empty(frame[c])]
    spec = [SITE_TABLE_COLUMNS.get(c, (c.replace("_", " "), None)) for c in columns]
    numeric = [dec is not None for _, dec in spec]
    rows, plan, on_map = [], [], []
    for record in frame[columns].itertuples(index=False, name=None):
        values = dict(zip(columns, record))
        rows.append([_site_cell(c, v, dec) for c, v, (_, dec) in zip(columns, record, spec)])
        plan.append("" if _missing(values.get("in_plan_as")) else str(values.get("in_plan_as")))
        on_map.append(1 if str(values.get("site_id")) in mapped_ids else 0)
    link_col = columns.index("site_id") if "site_id" in columns else -1
    first = "\n".join("<tr>" + "".join(_site_td(cell, numeric[j], j == link_col and bool(on_map[i]))
                                        for j, cell in enumerate(row)) + "</tr>"
                       for i, row in enumerate(rows[:SITE_PAGE_ROWS]))
    head = "".join(_th(label, dec is not None, i) for i, (label, dec) in enumerate(spec))
    options = "".join(f'<option value="{esc(k)}">{esc(k.replace("_", " "))}</option>' for k in IN_PLAN_AS)
    n = len(rows)
    shown = f"rows 1–{min(n, SITE_PAGE_ROWS):,} of {n:,}" if n > SITE_PAGE_ROWS else f"{n:,} sites"
    pager = "" if n > SITE_PAGE_ROWS else " hidden"
    html_text = (
        '<div class="filters" role="search">'
        '<label>Filter <input type="search" id="site-filter" placeholder="id, name, kind, landscape, reason…" '
        'autocomplete="off"></label>'
        f'<label>In plan <select id="site-plan"><option value="">all sites</option>{options}</select></label>'
        f'<span id="site-count" aria-live="polite">{shown}</span>'
        f'<span class="pager"{pager}><button type="button" data-page="-1">‹ previous</button>'
        '<button type="button" data-page="1">next ›</button></span></div>\n'
        '<div class="table-wrap tall"><table class="sortable" id="site-table" aria-label="All sites">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{first}\n</tbody></table></div>")
    data = {"numeric": numeric, "link": link_col, "pageRows": SITE_PAGE_ROWS, "rows": rows, "plan": plan,
            "onMap": on_map}
    hidden = [i + 1 for i, c in enumerate(columns) if c in PRINT_LEAVES_OUT]
    print_css = ("@media print { " + ", ".join(f"#site-table tr > :nth-child({i})" for i in hidden)
                 + " { display: none; } }") if hidden else ""
    return SiteTable(html_text, data, print_css)
