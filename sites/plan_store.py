"""The ``--out`` GeoPackage: plan layers of one or more runs, plus a ``runs`` table.

Every layer row carries ``run_id``; the ``runs`` table (no geometry) says per run which scenario,
solver, status, objective and time, and the SHA-256 of every input file, so a planner can keep
several runs in one file, filter a layer on ``run_id`` in QGIS and still tell which inputs made it.

Writing is atomic: a new file is written to a temporary name and renamed; adding a run
(``append=True``) copies the existing runs and the new one into a temporary file and renames that
over the old one, so a failed run leaves the file as it was. The file is written as GeoPackage 1.2
so that older GDAL/QGIS versions (GDAL ≥ 2.2) read it without warnings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from models import InputError
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
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as err:  # pyogrio raises DataSourceError and friends
        raise InputError(f"cannot open as a GeoPackage ({type(err).__name__}: {err}); give a new file name, "
                         "or --force to replace it", source=str(path)) from None


def _read_all(path: Path) -> tuple[pd.DataFrame, dict[str, gpd.GeoDataFrame]]:
    runs = read_runs(path)
    layers: dict[str, gpd.GeoDataFrame] = {}
    for name in _layers(path):
        if name != RUNS_LAYER:
            frame = pyogrio.read_dataframe(path, layer=name)
            layers[name] = frame if isinstance(frame, gpd.GeoDataFrame) else gpd.GeoDataFrame(frame)
    return runs, layers


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


def _write_layer(path: Path, name: str, frame: pd.DataFrame) -> None:
    options: dict[str, Any] = {"DESCRIPTION": LAYER_DESCRIPTIONS.get(name, name)}
    # a layer of rows without any geometry (municipality figures without boundaries) is a plain table
    has_geometry = isinstance(frame, gpd.GeoDataFrame) and (len(frame) == 0 or frame.geometry.notna().any())
    if isinstance(frame, gpd.GeoDataFrame) and not has_geometry:
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if has_geometry:
        assert isinstance(frame, gpd.GeoDataFrame)
        geom_types = set(frame.geometry.dropna().geom_type) or {"Unknown"}
        options["geometry_type"] = geom_types.pop() if len(geom_types) == 1 else "Unknown"
        frame = frame.to_crs(RD_NEW) if frame.crs is not None and frame.crs != RD_NEW else frame
    if len(frame.columns) == 0:
        return
    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                            dataset_options=GPKG_OPTIONS if not path.exists() else None,
                            layer_options={"DESCRIPTION": options["DESCRIPTION"]},
                            **({"geometry_type": options["geometry_type"]} if "geometry_type" in options else {}))


def write_plan_gpkg(path: str | Path, runs: Sequence[tuple[Mapping[str, Any], Mapping[str, pd.DataFrame]]], *,
                    append: bool = False, force: bool = False) -> list[int]:
    """Write runs (``(facts for the runs table, layers)``) to ``path``; return their ``run_id``s.

    New file: refused when ``path`` exists, unless ``force`` (replace) or ``append`` (add these
    runs to a plan GeoPackage written before: its runs and layers are kept, ids continue)."""
    target = Path(path)
    old_runs: pd.DataFrame | None = None
    old_layers: dict[str, gpd.GeoDataFrame] = {}
    if append and target.exists():
        if target.is_dir():
            check_writable(target, True)
        old_runs, old_layers = _read_all(target)
    elif not force:
        if target.exists():
            raise InputError("the output exists already; pass --append to add this run to it, or --force to "
                             "replace it", source=str(target))
    first = int(old_runs["run_id"].max()) + 1 if old_runs is not None and len(old_runs) else 1
    ids = list(range(first, first + len(runs)))
    new_runs = pd.DataFrame([{"run_id": rid, **dict(facts)} for rid, (facts, _) in zip(ids, runs, strict=True)])
    all_runs = _concat(old_runs, new_runs)
    merged: dict[str, pd.DataFrame] = dict(old_layers)
    for rid, (_, layers) in zip(ids, runs, strict=True):
        for name, frame in layers.items():
            merged[name] = _concat(merged.get(name), _with_run_id(frame, rid))
    with atomic_path(target, force=True) as tmp:
        _write_layer(tmp, RUNS_LAYER, all_runs)
        for name in sorted(merged, key=_layer_order):
            _write_layer(tmp, name, merged[name])
    return ids


def _layer_order(name: str) -> tuple[int, str]:
    order = list(LAYER_DESCRIPTIONS)
    return (order.index(name) if name in order else len(order), name)
