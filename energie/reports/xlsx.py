"""The report as an Excel workbook (``--xlsx plan.xlsx``), for advisers who work in Excel.

Sheets, in order: ``Overview`` (title, run facts, contents with links, the report's text), one sheet
per report table (every section, in order), ``Sites`` (every input site, full precision) and, when
the document has a map image, ``Map``. Figures are numeric cells with a number format that shows
the decimals of the terminal report; text stays text (ids such as ``007``; a name such as
``=1+1`` is never a formula). The file is the same, byte for byte, for the same document.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from energie.reports.blocks import Cell, Section, TableBlock, TextBlock, printed
from energie.reports.document import IN_PLAN_AS, ReportDocument
from energie.reports.xlsx_file import FIXED_TIME, save_workbook
from models import InputError
from sites.writer import atomic_path

#: Excel's limits: sheet names (UTF-16 code units), characters in a cell, rows in a sheet.
MAX_SHEET_NAME = 31
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
#: Characters Excel forbids in sheet names; "History" is reserved for change tracking.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {"history"}
#: Text starting with one of these is a formula when typed into Excel: such cells get the quote
#: prefix (Excel's leading apostrophe), so they stay text even when edited.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Document and zip-entry time when ``run_info`` gives none (``run_info["created"]``, ISO 8601).
_EMPTY = {"", "–", "—"}

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING = Font(bold=True, size=12)
_NOTE = Font(color="9C5700")
_CAPTION = Font(italic=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEAD_BORDER = Border(bottom=Side(style="thin"))
_RIGHT = Alignment(horizontal="right")


# --------------------------------------------------------------------------- cells


def text_value(value: str) -> str | None:
    """Text as Excel can hold it: control characters dropped, at most 32,767 characters; "" → None."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]
    return text or None


def number_format(text: str, percent: bool = False) -> str:
    """An Excel number format showing a number as ``text`` shows it: same decimals, thousands
    commas (``"1,234.5"`` → ``#,##0.0``; a year ``"2030"`` → ``0``), an explicit ``+`` kept."""
    form = printed(text)
    sign, whole, decimals = (form.sign, form.whole, form.decimals) if form else ("", "", "")
    grouped = "," in whole or len(whole) < 4
    body = ("#,##0" if grouped else "0") + ("." + "0" * len(decimals) if decimals else "")
    if percent:
        body += "%"
    return f"+{body};-{body};{body}" if sign == "+" else body


def cell_value(cell: Cell) -> tuple[Any, str | None]:
    """A report cell as an Excel value and number format: numbers as numbers (percent cells as
    fractions), "" and "–" empty, anything else text."""
    if cell.number is None:
        stripped = cell.text.strip()
        return (None if stripped in _EMPTY else text_value(cell.text)), None
    fmt = number_format(cell.text, cell.percent)
    if cell.percent:
        return cell.number / 100.0, fmt
    if "." not in fmt and float(cell.number).is_integer():
        return int(cell.number), fmt
    return cell.number, fmt


def _as_text(c: Any) -> None:
    """Keep text that looks like a formula text: openpyxl would store ``"=…"`` as a formula."""
    c.data_type = "s"
    c.quotePrefix = True


def _guard(ws: Any, row: int, values: Sequence[Any]) -> None:
    for j, v in enumerate(values, start=1):
        if isinstance(v, str) and v.startswith(_FORMULA_START):
            _as_text(ws.cell(row=row, column=j))


def _put(ws: Any, row: int, column: int, value: Any, font: Font | None = None) -> Any:
    value = text_value(value) if isinstance(value, str) else value
    c = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        _as_text(c)
    if font is not None:
        c.font = font
    return c


def _widths(ws: Any, lengths: Iterable[int], first: int = 1, low: int = 6, high: int = 60) -> None:
    for j, n in enumerate(lengths, start=first):
        ws.column_dimensions[get_column_letter(j)].width = min(max(n + 2, low), high)


# --------------------------------------------------------------------------- sheet names


def _fit(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-16 units, cut at a word when that keeps most of it."""
    if _units(text) <= limit:
        return text
    cut = text
    while _units(cut) > limit - 1:
        cut = cut[:-1]
    word = cut.rsplit(" ", 1)[0]
    return (word if len(word) >= len(cut) // 2 else cut).rstrip(" -–") + "…"


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clean(text: str) -> str:
    return " ".join(_FORBIDDEN.sub(" ", text).split()).strip("'").strip()


def short_title(title: str) -> str:
    """A table title without its explanation: "Sites by kind (locked-in = …)" → "Sites by kind"."""
    return _clean(title.split(" (", 1)[0]) or _clean(title)


def section_prefix(title: str) -> str:
    """What tells a section apart: "What if: target × 1.2" → "target × 1.2"."""
    tail = title.rsplit(": ", 1)[-1]
    return _clean(tail) or _clean(title)


def unique_sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name close to ``wanted`` that is not in ``taken`` (case-insensitively, as
    Excel compares); adds it to ``taken``."""
    base = _clean(wanted) or "Table"
    name, n = _fit(base, MAX_SHEET_NAME), 1
    while name.casefold() in taken or name.casefold() in _RESERVED:
        n += 1
        suffix = f" ({n})"
        name = _fit(base, MAX_SHEET_NAME - len(suffix)) + suffix
    taken.add(name.casefold())
    return name


def _table_names(sections: list[Section], taken: set[str]) -> list[tuple[str, Section, TableBlock]]:
    out = []
    for k, section in enumerate(sections):
        prefix = _fit(section_prefix(section.title) or f"Part {k + 1}", 15) + " " if k else ""
        for i, b in enumerate(b for b in section.blocks if isinstance(b, TableBlock)):
            short = short_title(b.title) or f"Table {i + 1}"
            out.append((unique_sheet_name(prefix + short, taken), section, b))
    return out


# --------------------------------------------------------------------------- sheets


def _table_sheet(ws: Any, heading: str, block: TableBlock) -> None:
    """Title in row 1, header in row 2 (bold, frozen, autofilter), data, then the caption."""
    _put(ws, 1, 1, heading, _HEADING)
    columns = [" ".join(c.split()) for c in block.columns]
    lengths = [len(c) for c in columns]
    for j, (name, numeric) in enumerate(zip(columns, block.numeric, strict=True), start=1):
        c = _put(ws, 2, j, name, _BOLD)
        c.fill, c.border = _HEAD_FILL, _HEAD_BORDER
        if numeric:
            c.alignment = _RIGHT
    for i, row in enumerate(block.rows, start=3):
        for j, cell in enumerate(row, start=1):
            value, fmt = cell_value(cell)
            c = _put(ws, i, j, value)
            if fmt is not None:
                c.number_format = fmt
            elif block.numeric[j - 1] and value is not None:
                c.alignment = _RIGHT
            lengths[j - 1] = max(lengths[j - 1], len(cell.text))
    last = 2 + len(block.rows)
    if columns:
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last}"
    for k, line in enumerate(block.caption.splitlines(), start=last + 2):
        _put(ws, k, 1, line, _CAPTION)
    _widths(ws, lengths)


def _site_column(series: pd.Series) -> list[Any]:
    if pd.api.types.is_bool_dtype(series):
        return [bool(v) for v in series.tolist()]
    return [_site_value(v) for v in series.tolist()]


def _site_value(v: Any) -> Any:
    """A number as it is (Excel has no NaN or infinity: empty), anything else text."""
    if isinstance(v, bool | int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    return text_value(str(v))


def _sites_sheet(ws: Any, frame: pd.DataFrame) -> None:
    """Header in row 1 (a plain table for filters and pivot tables), one row per site, numbers at
    full precision; the site id column and the header stay in view."""
    columns = [str(c) for c in frame.columns]
    ws.append(columns)
    _guard(ws, 1, columns)
    for c in ws[1]:
        c.font, c.fill, c.border = _BOLD, _HEAD_FILL, _HEAD_BORDER
    data = [_site_column(frame[c]) for c in frame.columns]
    for i, row in enumerate(zip(*data, strict=True), start=2):
        ws.append(row)
        _guard(ws, i, row)
    lengths = [max([len(name)] + [len(v) if isinstance(v, str) else 12 for v in values])
               for name, values in zip(columns, data, strict=True)]
    _widths(ws, lengths, high=50)
    if columns:
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"


def pillow_available() -> bool:
    """openpyxl needs Pillow to place images (matplotlib depends on it, so it is normally there)."""
    return importlib.util.find_spec("PIL") is not None


def _map_sheet(ws: Any, title: str, png: bytes) -> None:
    _put(ws, 1, 1, f"Map: {title}", _HEADING)
    if not pillow_available():
        _put(ws, 2, 1, "The map image is left out: placing images needs the Python package Pillow.", _NOTE)
        return
    from openpyxl.drawing.image import Image

    image = Image(io.BytesIO(png))
    image.anchor = "A3"
    ws.add_image(image)


def _link(ws: Any, row: int, column: int, sheet: str) -> None:
    c = _put(ws, row, column, sheet)
    c.hyperlink = Hyperlink(ref=c.coordinate, location=f"{quote_sheetname(sheet)}!A1", display=sheet)
    c.style = "Hyperlink"


def _overview(ws: Any, doc: ReportDocument, contents: list[tuple[str, str, str, int | None]],
              sheets: dict[int, str]) -> None:
    """Title, run facts, contents (sheet, section, what, rows), then the report in its order: every
    text block, and a link to its sheet where a table stood (``sheets``: table id → sheet name)."""
    _put(ws, 1, 1, doc.title, _TITLE)
    row = 3
    if doc.run_info:
        _put(ws, row, 1, "Run", _HEADING)
        for key, value in doc.run_info.items():
            row += 1
            _put(ws, row, 1, key, _BOLD)
            _put(ws, row, 2, value)
        row += 2
    _put(ws, row, 1, "Contents", _HEADING)
    row += 1
    for j, head in enumerate(("sheet", "section", "contents", "rows"), start=1):
        _put(ws, row, j, head, _BOLD).border = _HEAD_BORDER
    for sheet, heading, what, n in contents:
        row += 1
        _link(ws, row, 1, sheet)
        _put(ws, row, 2, heading)
        _put(ws, row, 3, what)
        _put(ws, row, 4, n)
    row += 2
    _put(ws, row, 1, "Sites sheet: in_plan_as", _BOLD)
    for key, meaning in IN_PLAN_AS.items():
        row += 1
        _put(ws, row, 1, key)
        _put(ws, row, 2, meaning)
    for section in doc.sections:
        row += 2
        _put(ws, row, 1, section.title, _HEADING)
        for b in section.blocks:
            if isinstance(b, TableBlock):
                row += 1
                sheet = sheets[id(b)]
                _link(ws, row, 1, sheet)
                _put(ws, row, 2, f"table: {b.title}")
                continue
            if b.title:
                row += 1
                _put(ws, row, 1, b.title, _BOLD)
            for line in b.text.splitlines():
                row += 1
                _put(ws, row, 1, line, _NOTE if b.emphasis else None)
    _widths(ws, [28, 34, 70, 8])


def document_time(run_info: dict[str, str]) -> dt.datetime:
    """The workbook's created/modified time: ``run_info["created"]`` (ISO 8601) or ``FIXED_TIME``,
    never the clock, so the same document gives the same file."""
    try:
        when = dt.datetime.fromisoformat(run_info.get("created", ""))
    except ValueError:
        return FIXED_TIME
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return max(when, dt.datetime(1980, 1, 1))


def workbook_for(doc: ReportDocument) -> openpyxl.Workbook:
    """The document as a workbook: Overview, one sheet per report table, Sites, Map.

    Raises
    ------
    InputError
        More sites than an Excel sheet has rows.
    """
    if len(doc.site_table) >= MAX_ROWS:
        raise InputError(f"{len(doc.site_table):,} sites do not fit on one Excel sheet (at most "
                         f"{MAX_ROWS - 1:,} rows); leave out --xlsx and write the sites with --out "
                         "(GeoPackage) or --json")
    wb = openpyxl.Workbook()
    overview = wb.active
    overview.title = "Overview"
    taken = {"overview", "sites", "map"}
    contents: list[tuple[str, str, str, int | None]] = []
    sheets: dict[int, str] = {}
    for name, section, block in _table_names(doc.sections, taken):
        sheets[id(block)] = name
        heading = block.title or name
        in_plan = section is doc.sections[0]
        _table_sheet(wb.create_sheet(name), heading if in_plan else f"{section.title} — {heading}", block)
        contents.append((name, section.title, heading, len(block.rows)))
    _sites_sheet(wb.create_sheet("Sites"), doc.site_table)
    contents.append(("Sites", "", "Every input site with what the plan did with it (units in the column "
                     "names; full precision)", len(doc.site_table)))
    if doc.map_png is not None:
        _map_sheet(wb.create_sheet("Map"), doc.title, doc.map_png)
        contents.append(("Map", "", "Map of the plan", None))
    _overview(overview, doc, contents, sheets)
    when = document_time(doc.run_info)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "energieplanner"
    wb.properties.title = doc.title
    return wb


# --------------------------------------------------------------------------- writing


def write_xlsx(doc: ReportDocument, path: str | Path, *, force: bool = False) -> Path:
    """Write the workbook atomically (sites.writer.atomic_path: temp file + rename; refuses an
    existing file unless force).

    Raises
    ------
    InputError
        ``path`` exists (without ``force``), is a folder, or its folder does not exist; more sites
        than an Excel sheet has rows.
    """
    with atomic_path(path, force) as tmp:
        save_workbook(workbook_for(doc), tmp)
    return Path(path)
