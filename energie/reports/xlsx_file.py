"""Saving an openpyxl workbook byte for byte the same for the same content.

openpyxl's ``Workbook.save`` stamps the clock into the document properties and into every zip
entry; ``save_workbook`` keeps the workbook's own "created" time and gives every entry one time.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from os import PathLike
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.writer.excel import ExcelWriter

#: The document time when the caller set none.
FIXED_TIME = dt.datetime(2000, 1, 1)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one time, so equal content gives equal bytes (openpyxl's
    ``save_workbook`` stamps the clock into the workbook and the zip)."""

    entry_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.entry_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: str | PathLike[str], arcname: str | PathLike[str] | None = None,
              compress_type: int | None = None, compresslevel: int | None = None) -> None:
        name = str(arcname) if arcname is not None else Path(filename).name
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


def save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save ``wb`` keeping its document times (openpyxl's ``Workbook.save`` sets "modified" to now)."""
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        created = wb.properties.created or FIXED_TIME
        archive.entry_time = created.timetuple()[:6]
        ExcelWriter(wb, archive).write_data()


