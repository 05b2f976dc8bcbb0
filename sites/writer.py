"""Atomic output writing: temp file in the target folder, then ``os.replace``.

A failed run never leaves a half-written file, and an existing file is only
replaced when the caller passes ``force=True``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd

from models import InputError


def check_writable(path: Path, force: bool) -> None:
    """Refuse to overwrite ``path`` unless ``force``; refuse a folder or a missing parent folder."""
    if path.is_dir():
        raise InputError("the output is a folder; give a file name", source=str(path))
    if path.exists() and not force:
        raise InputError("the output exists already; pass --force to overwrite it", source=str(path))
    if not path.parent.exists():
        raise InputError("the output folder does not exist; create it first", source=str(path))


@contextmanager
def atomic_path(path: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it onto ``path``."""
    target = Path(path)
    check_writable(target, force)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: str | Path, text: str, force: bool = False) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(path, force) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def json_text(data: Any) -> str:
    """JSON as the tool writes it: sorted keys, 2-space indent, UTF-8 text, final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: str | Path, data: Any, force: bool = False) -> Path:
    """Write JSON (sorted keys, 2-space indent) atomically."""
    return write_text(path, json_text(data), force)


def write_gpkg(path: str | Path, layers: dict[str, gpd.GeoDataFrame], force: bool = False) -> Path:
    """Write several layers into one new GeoPackage atomically (pyogrio), as GeoPackage 1.2 so that
    older GDAL/QGIS versions read it without warnings."""
    with atomic_path(path, force) as tmp:
        for name, frame in layers.items():
            frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", VERSION="1.2")
    return Path(path)


def write_many(writers: list[tuple[Path, Callable[[Path], object]]], force: bool = False) -> None:
    """Check every target first, then write each atomically, so nothing is half done
    because a later target already existed."""
    for target, _ in writers:
        check_writable(target, force)
    for target, write in writers:
        with atomic_path(target, force=True) as tmp:
            write(tmp)
