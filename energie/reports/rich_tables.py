"""The terminal reports' building blocks (rich): a table, a row of plain-text cells, text output.

Every terminal report module (``terminal``, ``heat``, ``phasing``, ``compare``, ``explain``,
``alternatives``, ``sweep``) builds its tables here, so they look alike and read well at 100
columns without colour, and none of them imports another report for its helpers.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: Most sites listed in one table of the terminal report (the rest are in --json / --out).
MAX_SITE_ROWS = 40
#: Site kinds as one short word, for narrow tables.
SHORT_KIND = {"solar_field": "field", "rooftop_solar": "roof", "wind_turbine": "wind"}


def table(title: str, *columns: str, text_cols: int = 1) -> Table:
    """Columns after the first ``text_cols`` are numbers (right-aligned); a trailing
    column named ``note`` or ``meaning`` is text too."""
    t = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i, col in enumerate(columns):
        is_text = i < text_cols or col in ("note", "meaning")
        t.add_column(col, justify="left" if is_text else "right", no_wrap=i == 0)
    return t


def row(t: Table, *cells: str) -> None:
    """Add cells as plain text: ids and rule names such as ``lik_area[beekdal]`` are not markup."""
    t.add_row(*(Text(c) for c in cells))


def render_to_text(renderable: object, width: int = 100) -> str:
    """Any rich renderable as plain text (no colour) at ``width`` columns, lines right-stripped."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    console.print(renderable)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
