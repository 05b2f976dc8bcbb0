"""Vector layers for candidate generation: exclusions, places, landscape, buffers (municipality
boundaries: ``sites.boundaries``).

Every layer is read with geopandas through pyogrio in whatever CRS it carries and
reprojected to EPSG:28992 (RD New). What a user's GIS files get wrong is reported as an
``InputError`` that names the file, the layer, the rows and the fix: a missing file or
layer, a layer without features or without a CRS, the wrong geometry type, a missing
attribute column. Invalid polygons are repaired with ``shapely.make_valid`` (the polygonal
parts are kept) and the repair is reported as a note the caller prints; a geometry that
has no area left after repair is an error.

A layer is named ``path`` or ``path:layer`` (for a GeoPackage with several layers).
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from models import InputError
from models.errors import preview_ids
from models.site import normalise_lik_type

__all__ = [
    "BUILT_UP_TYPES", "GeoLayer", "parse_buffer_spec", "read_landscape_layer", "read_layer", "read_places",
    "split_layer_spec",
]

RD_NEW = "EPSG:28992"
#: TOP10NL ``type_gebied`` values whose polygons count as built-up area (no solar field), next
#: to every polygon with ``bebouwde_kom = ja``. Not built-up: ``buurtschap`` (large rural name
#: areas, mostly farmland: 207 ha on average in Overijssel), ``wijk``/``buurt``/``stadsdeel``
#: (subdivisions that overlap the woonkern polygons).
BUILT_UP_TYPES = frozenset({"woonkern", "deelkern", "industriekern", "gehucht"})
_POLYGONAL = ("Polygon", "MultiPolygon")
#: RD New's domain with a margin [m]; data reprojected outside it most likely had a wrong CRS.
_RD_DOMAIN = (-50_000.0, 250_000.0, 350_000.0, 680_000.0)


@dataclass(frozen=True)
class GeoLayer:
    """A layer in EPSG:28992 with only usable rows, where it came from, and notes to print.

    ``notes`` say what was changed on the way (repaired polygons, rows without geometry
    left out, GDAL warnings); the CLI prints them, a library caller may log them.
    """

    frame: gpd.GeoDataFrame
    source: str
    notes: tuple[str, ...] = ()


def split_layer_spec(spec: str | Path) -> tuple[Path, str | None]:
    """``path`` or ``path:layer`` → (path, layer or ``None``). An existing file wins over a split."""
    text = str(spec)
    path = Path(text)
    if path.exists() or ":" not in text:
        return path, None
    head, layer = text.rsplit(":", 1)
    if head and layer and not layer.startswith(("/", "\\")):
        return Path(head), layer
    return path, None


def parse_buffer_spec(text: str) -> tuple[str, float]:
    """``FILE[:LAYER]:METRES`` → (``FILE[:LAYER]``, metres ≥ 0)."""
    head, sep, tail = str(text).rpartition(":")
    try:
        metres = float(tail) if sep else float("nan")
    except ValueError:
        metres = float("nan")
    if not head or not np.isfinite(metres) or metres < 0:
        raise InputError(f"--buffer expects FILE:METRES, e.g. roads.gpkg:150 (got '{text}'); "
                         "the metres are a number ≥ 0")
    return head, metres


def _open(path: Path, layer: str | None, role: str) -> tuple[str | None, str]:
    """Check the file and pick the layer; return (layer, source label)."""
    if not path.exists():
        raise InputError(f"{role} file not found; give an existing file (GeoPackage, GeoJSON, shapefile)",
                         source=str(path))
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise InputError(f"{role}: this is a folder; give a file", source=str(path))
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as err:  # pyogrio raises DataSourceError and friends
        raise InputError(f"cannot open the {role} file as GIS data ({type(err).__name__}: {err}); "
                         "save it as GeoPackage or GeoJSON from QGIS", source=str(path)) from None
    if not layers:
        raise InputError(f"the {role} file holds no layers", source=str(path))
    if layer is None:
        if len(layers) > 1:
            raise InputError(f"the {role} file has {len(layers)} layers ({preview_ids(layers)}); "
                             f"name one as {path}:LAYER", source=str(path))
        return None, str(path)
    if layer not in layers:
        close = difflib.get_close_matches(layer, layers, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise InputError(f"no layer '{layer}' in the {role} file (layers: {preview_ids(layers)}).{hint}",
                         source=str(path))
    return layer, f"{path}:{layer}"


def row_labels(frame: pd.DataFrame, rows: Sequence[int]) -> list[str]:
    """``row 3 (naam 'Dalfsen')`` for the 0-based positions ``rows``."""
    name_col = next((c for c in ("naam", "name", "statnaam", "statcode") if c in frame.columns), None)
    labels = []
    for pos in rows:
        label = f"row {pos + 1}"
        if name_col is not None:
            value = frame[name_col].iloc[pos]
            if isinstance(value, str) and value.strip():
                label += f" ({name_col} '{value.strip()}')"
        labels.append(label)
    return labels


def _polygonal_part(geom: Any) -> Any:
    """The polygonal part of a geometry as a (Multi)Polygon, or an empty polygon."""
    parts = shapely.get_parts(geom)
    while True:  # collections inside collections
        nested = shapely.get_type_id(parts) == 7
        if not nested.any():
            break
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    polys = [p for p in parts if p.geom_type in _POLYGONAL and not p.is_empty]
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.union_all(polys)


def _repair_polygons(frame: gpd.GeoDataFrame, src: str, role: str,
                     only: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Repair invalid polygons (keep polygonal parts); error on rows left without area.

    ``only``: a mask of the rows to look at (default: all)."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)
    collection = types == 7
    invalid = ~shapely.is_valid(geoms) | collection
    if only is not None:
        invalid &= only
    notes: list[str] = []
    if not invalid.any():
        return geoms, notes
    rows = np.flatnonzero(invalid)
    fixed = np.array([_polygonal_part(g) for g in shapely.make_valid(geoms[rows])], dtype=object)
    unusable = rows[shapely.is_empty(fixed) | (shapely.area(fixed) <= 0.0)]
    if len(unusable):
        labels = row_labels(frame, unusable.tolist())
        raise InputError(
            f"the {role} has {len(unusable)} polygon(s) with no area left after repair "
            f"({preview_ids(labels)}); fix or delete them in QGIS (Vector > Geometry tools > Fix geometries)",
            [f"{label}: {shapely.is_valid_reason(geoms[pos])}" for label, pos in zip(labels, unusable, strict=True)],
            source=src,
        )
    geoms = geoms.copy()
    geoms[rows] = fixed
    labels = row_labels(frame, rows.tolist())
    notes.append(f"{src}: repaired {len(rows)} invalid polygon(s) with make_valid, polygonal parts kept "
                 f"({preview_ids(labels)})")
    return geoms, notes


def read_layer(spec: str | Path, *, role: str, polygons: bool = True,
               required: Sequence[str] = ()) -> GeoLayer:
    """Read one vector layer, check it and reproject it to EPSG:28992.

    Parameters
    ----------
    spec : ``path`` or ``path:layer``
    role : what the layer is for, used in messages ("exclusion layer", "places", …)
    polygons : the layer must hold polygons (invalid ones are repaired); else any geometry
    required : attribute columns that must be present

    Raises
    ------
    InputError
        Missing or unreadable file, missing layer, no features, no CRS, wrong geometry
        type (rows named), missing column, polygons without area after repair.
    """
    path, layer = split_layer_spec(spec)
    layer, src = _open(path, layer, role)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = gpd.read_file(path, layer=layer, engine="pyogrio")
        except Exception as err:
            raise InputError(f"cannot read the {role} ({type(err).__name__}: {err})", source=src) from None
    notes = [f"{src}: {w.message}" for w in caught]
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise InputError(f"the {role} has no geometry column (it is a plain table); save it as a spatial layer",
                         source=src)
    if len(frame) == 0:
        raise InputError(f"the {role} has no features; draw or load at least one", source=src)
    if frame.crs is None:
        raise InputError(
            f"the {role} has no coordinate reference system; assign one in QGIS (Layer properties > "
            "Source > Assigned CRS: EPSG:28992 for RD New metres, EPSG:4326 for GPS degrees) and save again",
            source=src,
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"the {role} has no column {', '.join(repr(c) for c in missing)} "
                         f"(columns: {preview_ids([c for c in frame.columns if c != frame.geometry.name], 12)})",
                         source=src)
    frame = frame.reset_index(drop=True)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.all():
        raise InputError(f"the {role} has {len(frame)} feature(s) but none with a geometry", source=src)
    if empty.any():
        notes.append(f"{src}: {int(empty.sum())} row(s) without geometry left out "
                     f"({preview_ids(row_labels(frame, np.flatnonzero(empty).tolist()))})")
        frame = frame.loc[~empty].reset_index(drop=True)
        geoms = np.asarray(frame.geometry.values, dtype=object)
    if polygons:
        kinds = np.asarray(shapely.get_type_id(geoms))
        wrong = ~np.isin(kinds, (3, 6, 7))  # Polygon, MultiPolygon, GeometryCollection (repaired)
        if wrong.any():
            rows = np.flatnonzero(wrong)
            got = sorted({geoms[i].geom_type for i in rows})
            raise InputError(
                f"the {role} must hold polygons, but {len(rows)} row(s) hold {', '.join(got)} "
                f"({preview_ids(row_labels(frame, rows.tolist()))}); give a polygon layer "
                "(buffer points or lines into polygons in QGIS, or pass lines/points with --buffer FILE:METRES)",
                source=src,
            )
        geoms, repair_notes = _repair_polygons(frame, src, role)
        notes += repair_notes
    else:
        # polygons in a mixed layer are repaired too: predicates on invalid polygons are unreliable
        geoms, repair_notes = _repair_polygons(frame, src, role, only=np.isin(shapely.get_type_id(geoms), (3, 6)))
        notes += repair_notes
    geoms = shapely.force_2d(geoms)
    frame = gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name), geometry=list(geoms), crs=frame.crs)
    raw = frame.total_bounds
    if frame.crs.is_geographic and (np.abs(raw[[0, 2]]).max() > 180 or np.abs(raw[[1, 3]]).max() > 90):
        raise InputError(
            f"the {role} says its CRS is {frame.crs.to_string()} (degrees) but its coordinates are not "
            f"degrees (bounds {raw.round(0).tolist()}); a GeoJSON without a 'crs' member counts as WGS84. "
            "If they are RD New metres, assign EPSG:28992 in QGIS and save again", source=src)
    if frame.crs.to_epsg() != 28992:
        try:
            frame = frame.to_crs(RD_NEW)
        except Exception as err:
            raise InputError(f"cannot reproject the {role} from {frame.crs.to_string()} to EPSG:28992 "
                             f"({err})", source=src) from None
    bounds = frame.total_bounds
    if not np.isfinite(bounds).all():
        raise InputError(f"the {role} has coordinates that do not transform to EPSG:28992; is its CRS "
                         "right? (check Layer properties > Source in QGIS)", source=src)
    x0, y0, x1, y1 = _RD_DOMAIN
    if bounds[0] < x0 or bounds[1] < y0 or bounds[2] > x1 or bounds[3] > y1:
        notes.append(f"{src}: lies (partly) outside the Netherlands after reprojection to EPSG:28992 "
                     f"(bounds {bounds.round(0).tolist()}); is its CRS right?")
    return GeoLayer(frame, src, tuple(notes))


def find_column(frame: pd.DataFrame, candidates: Sequence[str]) -> str | None:
    lower = {str(c).lower(): str(c) for c in frame.columns}
    return next((lower[c] for c in candidates if c in lower), None)


def read_places(spec: str | Path) -> GeoLayer:
    """Place polygons with ``inwoners`` (≥ 0; empty = 0) and ``built_up`` (bool).

    ``built_up``: ``bebouwde_kom = ja`` or ``type_gebied`` in ``BUILT_UP_TYPES`` (TOP10NL
    *Plaats*). A layer with neither column counts every polygon as built-up (noted).
    """
    layer = read_layer(spec, role="places")
    frame = layer.frame
    col = find_column(frame, ("inwoners",))
    if col is None:
        raise InputError(
            "the places have no column 'inwoners' (inhabitants; the turbine setback applies to places "
            f"with inwoners > 0); columns: {preview_ids([c for c in frame.columns if c != 'geometry'], 12)}. "
            "Use TOP10NL Plaats with CBS inwoners, or add the column",
            source=layer.source)
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = [i for i, (r, v) in enumerate(zip(raw, values, strict=True))
           if pd.isna(v) and not (r is None or (isinstance(r, float) and np.isnan(r)) or str(r).strip() == "")]
    bad += [i for i, v in enumerate(values) if pd.notna(v) and v < 0]
    if bad:
        raise InputError(f"column '{col}' must hold a number ≥ 0 (or be empty) in every row "
                         f"({preview_ids(row_labels(frame, sorted(bad)))})", source=layer.source)
    notes = list(layer.notes)
    kom_col = find_column(frame, ("bebouwde_kom",))
    type_col = find_column(frame, ("type_gebied",))
    if kom_col is None and type_col is None:
        built_up = np.ones(len(frame), dtype=bool)
        notes.append(f"{layer.source}: no 'bebouwde_kom' or 'type_gebied' column; every place polygon "
                     "counts as built-up (no solar fields in it)")
    else:
        built_up = np.zeros(len(frame), dtype=bool)
        if kom_col is not None:
            built_up |= frame[kom_col].astype(str).str.strip().str.lower().eq("ja").to_numpy()
        if type_col is not None:
            built_up |= frame[type_col].astype(str).str.strip().str.lower().isin(BUILT_UP_TYPES).to_numpy()
    keep = {c: frame[c] for c in ("naam", "type_gebied", "bebouwde_kom", "gm_code") if c in frame.columns}
    out = gpd.GeoDataFrame({**keep, "inwoners": values.fillna(0.0).astype(float).to_numpy(),
                            "built_up": built_up}, geometry=frame.geometry.values, crs=RD_NEW)
    return GeoLayer(out, layer.source, tuple(notes))


def read_landscape_layer(spec: str | Path) -> GeoLayer:
    """LIK polygons with a canonical ``lik_type`` (see ``models.site.normalise_lik_type``)."""
    layer = read_layer(spec, role="landscape layer", required=("lik_type",))
    frame = layer.frame
    problems: list[str] = []
    types: list[str] = []
    for label, value in zip(row_labels(frame, list(range(len(frame)))), frame["lik_type"], strict=True):
        try:
            types.append(normalise_lik_type("" if value is None or pd.isna(value) else str(value)))
        except ValueError as err:
            problems.append(f"{label}: {err}")
    if problems:
        raise InputError("the landscape layer has unknown landscape types", problems, source=layer.source)
    out = gpd.GeoDataFrame({"lik_type": types}, geometry=frame.geometry.values, crs=RD_NEW)
    return GeoLayer(out, layer.source, layer.notes)
