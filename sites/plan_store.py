"""The ``--out`` GeoPackage: plan layers of one or more runs, plus a ``runs`` table.

Every layer row carries ``run_id``; the ``runs`` table (no geometry) says per run which scenario,
solver, status, objective and time, and the SHA-256 of every input file, so a planner can keep
several runs in one file, filter a layer on ``run_id`` in QGIS and still tell which inputs made it.

Writing is atomic: a new file is written to a temporary name and renamed; adding a run
(``append=True``) copies the file to a temporary name, adds the new rows there (only a layer whose
columns must change is written again whole) and renames the copy over the old file, so a failed run
leaves the file as it was. The file is written as GeoPackage 1.2
so that older GDAL/QGIS versions (GDAL ≥ 2.2) read it without warnings.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from models import InputError
from sites.reader import list_layers
from sites.writer import atomic_path, check_writable

RUNS_LAYER = "runs"
RD_NEW = "EPSG:28992"
GPKG_OPTIONS = {"VERSION": "1.2"}

#: What each layer holds (written as the GeoPackage layer description, shown by QGIS).
LAYER_DESCRIPTIONS = {
    "plan_sites": "Sites in the plan (in_plan_as: chosen candidate or locked_in existing/planned); filter on run_id",
    "excluded_sites": "Candidates a rule keeps out of every plan (reason, detail); filter on run_id",
    "candidates_not_chosen": "Eligible candidates the plan did not choose; filter on run_id",
    "landscape": "Landscape (LIK) polygons the run used; filter on run_id",
    "plan_municipalities": "Per municipality: target, existing, new and total yield; filter on run_id",
    "plan_districts": "Districts with their heat strategy and year; filter on run_id",
    RUNS_LAYER: "One row per run: scenario, solver, status, objective, time and input file hashes",
}


def file_sha256(path: str | Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def text_sha256(*texts: str) -> str:
    """SHA-256 (hex) of texts joined by NUL (for built-in examples: their source texts)."""
    return hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()


def read_runs(path: str | Path) -> pd.DataFrame:
    """The ``runs`` table of a plan GeoPackage (an InputError when the file has none)."""
    path = Path(path)
    if RUNS_LAYER not in _layers(path):
        raise InputError(f"has no '{RUNS_LAYER}' table: it was not written by 'energie plan --out' (or by an "
                         "older version); give a new file name, or --force to replace it", source=str(path))
    frame = pyogrio.read_dataframe(path, layer=RUNS_LAYER)
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


def _layers(path: Path) -> list[str]:
    return list_layers(path, fix="give a new file name, or --force to replace it")


def _with_run_id(frame: pd.DataFrame, run_id: int) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, "run_id", run_id)
    return out


def _concat(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    if old is None or len(old) == 0:
        return new
    if len(new) == 0:
        return old
    # columns of both, old first; a column missing on one side is empty there
    both = pd.concat([old, new], ignore_index=True, sort=False)
    if isinstance(new, gpd.GeoDataFrame) or isinstance(old, gpd.GeoDataFrame):
        crs = getattr(new, "crs", None) or getattr(old, "crs", None)
        return gpd.GeoDataFrame(both, geometry="geometry", crs=crs)
    return both


def _normalised(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """The frame as written (RD New; rows without any geometry → a plain table) and its geometry
    type (``None`` for a plain table, ``"Unknown"`` for mixed types)."""
    # a layer of rows without any geometry (municipality figures without boundaries) is a plain table
    has_geometry = isinstance(frame, gpd.GeoDataFrame) and (len(frame) == 0 or frame.geometry.notna().any())
    if isinstance(frame, gpd.GeoDataFrame) and not has_geometry:
        return pd.DataFrame(frame.drop(columns=frame.geometry.name)), None
    if not has_geometry:
        return frame, None
    assert isinstance(frame, gpd.GeoDataFrame)
    geom_types = set(frame.geometry.dropna().geom_type) or {"Unknown"}
    frame = frame.to_crs(RD_NEW) if frame.crs is not None and frame.crs != RD_NEW else frame
    return frame, geom_types.pop() if len(geom_types) == 1 else "Unknown"


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    """Write (or replace) one layer."""
    frame, geometry_type = _normalised(frame)
    if len(frame.columns) == 0:
        return
    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                            dataset_options=GPKG_OPTIONS if not path.exists() else None,
                            layer_options={"DESCRIPTION": LAYER_DESCRIPTIONS.get(name, name)},
                            **({"geometry_type": geometry_type} if geometry_type else {}))


def _appendable(path: Path, name: str, frame: pd.DataFrame) -> bool:
    """Whether ``frame``'s rows can be added to the existing layer as they are: no new column, the
    same kind of values per column, and a geometry the layer's type admits."""
    frame, geometry_type = _normalised(frame)
    info = pyogrio.read_info(path, layer=name)
    layer_type = info["geometry_type"]
    if (geometry_type is None) != (layer_type is None):
        return False
    if geometry_type is not None and layer_type not in ("Unknown", geometry_type):
        return False
    fields = {str(f): str(d) for f, d in zip(info["fields"], info["dtypes"], strict=True)}
    for column in frame.columns:
        if isinstance(frame, gpd.GeoDataFrame) and column == frame.geometry.name:
            continue
        if column not in fields:
            return False
        values = frame[column].dropna()
        if len(values) and pd.api.types.is_numeric_dtype(values) != (fields[column] != "object"):
            return False
    return True


def write_plan_gpkg(path: str | Path, runs: Sequence[tuple[Mapping[str, Any], Mapping[str, pd.DataFrame]]], *,
                    append: bool = False, force: bool = False) -> list[int]:
    """Write runs (``(facts for the runs table, layers)``) to ``path``; return their ``run_id``s.

    New file: refused when ``path`` exists, unless ``force`` (replace) or ``append`` (add these
    runs to a plan GeoPackage written before: its runs and layers are kept, ids continue)."""
    target = Path(path)
    if append and target.exists():
        if target.is_dir():
            check_writable(target, True)
        return _append_runs(target, runs)
    if target.exists() and not force:
        raise InputError("the output exists already; pass --append to add this run to it, or --force to "
                         "replace it", source=str(target))
    ids = list(range(1, len(runs) + 1))
    new_runs, layers = _new_rows(ids, runs)
    with atomic_path(target, force=True) as tmp:
        _write_layer(tmp, RUNS_LAYER, new_runs)
        for name in sorted(layers, key=_layer_order):
            _write_layer(tmp, name, layers[name])
    return ids


def _new_rows(ids: list[int], runs: Sequence[tuple[Mapping[str, Any], Mapping[str, pd.DataFrame]]]
              ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The runs-table rows and, per layer, the rows (with ``run_id``) of ``runs``."""
    new_runs = pd.DataFrame([{"run_id": rid, **dict(facts)} for rid, (facts, _) in zip(ids, runs, strict=True)])
    layers: dict[str, pd.DataFrame] = {}
    for rid, (_, frames) in zip(ids, runs, strict=True):
        for name, frame in frames.items():
            layers[name] = _concat(layers.get(name), _with_run_id(frame, rid))
    return new_runs, layers


def _append_runs(target: Path, runs: Sequence[tuple[Mapping[str, Any], Mapping[str, pd.DataFrame]]]) -> list[int]:
    """Copy the file, add the new rows to each layer (a layer whose columns or geometry type must
    change is read and written again whole), then move the copy over the file."""
    old_runs = read_runs(target)
    first = int(old_runs["run_id"].max()) + 1 if len(old_runs) else 1
    ids = list(range(first, first + len(runs)))
    new_runs, layers = _new_rows(ids, runs)
    existing = set(_layers(target))
    with atomic_path(target, force=True) as tmp:
        shutil.copyfile(target, tmp)
        for name, frame in [(RUNS_LAYER, new_runs), *sorted(layers.items(), key=lambda kv: _layer_order(kv[0]))]:
            if name not in existing:
                _write_layer(tmp, name, frame)
            elif _appendable(tmp, name, frame):
                rows, _ = _normalised(frame)
                if len(rows):
                    pyogrio.write_dataframe(rows, tmp, layer=name, driver="GPKG", append=True)
            else:
                old = pyogrio.read_dataframe(tmp, layer=name)
                _write_layer(tmp, name, _concat(old, frame))
    return ids


def _layer_order(name: str) -> tuple[int, str]:
    order = list(LAYER_DESCRIPTIONS)
    return (order.index(name) if name in order else len(order), name)
