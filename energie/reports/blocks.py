"""The terminal report as neutral blocks (headings, text, tables) for HTML and Excel.

The rich renderables built by the terminal report modules of ``energie.reports`` are the one source
of the report's content: this module walks them and returns plain blocks, so the HTML page and the
Excel sheets show exactly the figures of the terminal report. Number cells keep their printed text
(``"1,234.5"``) and also carry the parsed number (``1234.5``) for sorting and for numeric Excel cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

#: A printed number: optional sign, digits with thousands commas, optional decimals, optional unit
#: suffix '%' (kept apart in ``Cell.percent``). "–" and "" are empty cells.
_NUMBER = re.compile(r"^([-+−]?)(\d{1,3}(?:,\d{3})*|\d+)(\.\d+)?\s*(%?)$")


@dataclass(frozen=True)
class Cell:
    text: str
    #: The number the text shows, when it is one (percent cells: 12.5 for "12.5 %").
    number: float | None = None
    percent: bool = False


@dataclass(frozen=True)
class TableBlock:
    title: str
    columns: list[str]
    #: Per column: True when it is right-aligned in the terminal (a number column).
    numeric: list[bool]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass(frozen=True)
class TextBlock:
    text: str
    #: A panel title ("energieplanner: allocation plan") or "" for plain text.
    title: str = ""
    #: True for warnings/notes (yellow or red in the terminal).
    emphasis: bool = False


Block = Union[TableBlock, TextBlock]


@dataclass
class Section:
    """A titled part of a report document (the plan, one what-if comparison, …)."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Printed:
    """How a number was printed: sign (``""``, ``"+"``, ``"-"``), whole digits as printed (with
    thousands commas), decimals (without the point) and whether it ended in ``%``."""

    sign: str
    whole: str
    decimals: str
    percent: bool


def printed(text: str) -> Printed | None:
    """The parts of a printed number (``"+1,234.50 %"``), or ``None`` when ``text`` is not one."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    sign, whole, frac, pct = m.groups()
    return Printed("-" if sign == "−" else sign, whole, (frac or "").lstrip("."), pct == "%")


def parse_cell(text: str) -> Cell:
    """``"1,234.5"`` → 1234.5; ``"12.5 %"`` → 12.5 (percent); anything else stays text only."""
    form = printed(text)
    if form is None:
        return Cell(text)
    value = float(form.whole.replace(",", "") + ("." + form.decimals if form.decimals else ""))
    if form.sign == "-":
        value = -value
    return Cell(text, value, form.percent)


def _plain(obj: object) -> str:
    if obj is None:
        return ""
    if isinstance(obj, Text):
        return obj.plain
    if isinstance(obj, str):
        return Text.from_markup(obj).plain
    return str(obj)


def _emphasis(text: object) -> bool:
    if not isinstance(text, Text):
        return False
    styles = [str(text.style)] + [str(span.style) for span in text.spans]
    return any(word in s for s in styles for word in ("yellow", "red"))


def table_block(table: Table) -> TableBlock:
    columns = [_plain(c.header) for c in table.columns]
    numeric = [c.justify == "right" for c in table.columns]
    cells = [list(c._cells) for c in table.columns]  # rich keeps cells per column
    n_rows = max((len(c) for c in cells), default=0)
    rows = []
    for i in range(n_rows):
        row = []
        for j, col in enumerate(cells):
            text = _plain(col[i]) if i < len(col) else ""
            row.append(parse_cell(text) if numeric[j] else Cell(text))
        rows.append(row)
    return TableBlock(_plain(table.title), columns, numeric, rows, _plain(table.caption))


def blocks(renderable: object) -> list[Block]:
    """Flatten a rich renderable (Group, Panel, Table, Text, Padding, str) into blocks, in order."""
    if isinstance(renderable, Group):
        out: list[Block] = []
        for part in renderable.renderables:
            out += blocks(part)
        return out
    if isinstance(renderable, Table):
        return [table_block(renderable)]
    if isinstance(renderable, Panel):
        inner = blocks(renderable.renderable)
        title = _plain(renderable.title)
        if inner and isinstance(inner[0], TextBlock) and not inner[0].title:
            inner[0] = TextBlock(inner[0].text, title, inner[0].emphasis)
        elif title:
            inner.insert(0, TextBlock("", title))
        return inner
    if isinstance(renderable, Padding):
        return blocks(renderable.renderable)
    if isinstance(renderable, (Text, str)):
        text = _plain(renderable).rstrip("\n")
        return [TextBlock(text, "", _emphasis(renderable))] if text else []
    raise TypeError(f"energie.reports.blocks cannot flatten {type(renderable).__name__}")


def tables(sections: list[Section]) -> list[tuple[Section, TableBlock]]:
    """Every table of every section, in order."""
    return [(s, b) for s in sections for b in s.blocks if isinstance(b, TableBlock)]
