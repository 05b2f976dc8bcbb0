"""GeoPackage → validated sites, following the file contract in the README.

Layer ``sites`` holds the sites; layer ``landscape`` (optional) the LIK
polygons. Every problem in the file is collected and reported at once, each
naming the row and the site id, so a user can fix a whole file in one pass.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pydantic import ValidationError

from models import InputError, Site, SiteKind, parse_site
from models.site import repowering_problems
from models.errors import preview_ids
from sites.scenario_io import format_validation_error, read_scenario

__all__ = ["read_scenario", "read_sites", "read_landscape", "read_municipalities", "read_map_layer", "sites_from_frame", "RD_NEW"]

RD_NEW = "EPSG:28992"
SITES_LAYER = "sites"
LANDSCAPE_LAYER = "landscape"
MUNICIPALITIES_LAYER = "municipalities"
REQUIRED_COLUMNS = ("site_id", "kind", "status", "capacity_mw", "cost_meur")
OPTIONAL_COLUMNS = (
    "name", "yield_gwh", "initiator", "area_ha", "zonneladder", "lik_type",
    "turbine_type", "hub_height_m", "rotor_diameter_m", "pilot_area", "year", "gemeente",
    "lifetime_years", "repowers",
)
_POLYGONAL = {"Polygon", "MultiPolygon"}
_KINDS = frozenset(k.value for k in SiteKind)
_TEXT_COLUMNS = {"site_id", "name", "turbine_type", "pilot_area", "gemeente", "repowers"}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return bool(pd.isna(value)) if not isinstance(value, str | bytes) else False


def list_layers(path: Path, fix: str = "save the file as GeoPackage (.gpkg) from QGIS") -> list[str]:
    """The layer names of a GeoPackage; an InputError ending in ``fix`` when it cannot be opened."""
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as err:  # pyogrio raises DataSourceError and friends
        raise InputError(f"cannot open as a GeoPackage ({type(err).__name__}: {err}); {fix}",
                         source=str(path)) from None


def _read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as err:
        raise InputError(f"cannot read layer '{layer}': {err}", source=str(path)) from None
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            f"layer '{layer}' has no geometry column (it is a plain table); save it as a spatial layer "
            "in EPSG:28992 (rooftop rows may leave their geometry empty)",
            source=str(path),
        )
    if gdf.crs is None:
        raise InputError(
            f"layer '{layer}' has no coordinate reference system; assign EPSG:28992 "
            "(RD New) in QGIS (Layer properties > Source) and save again",
            source=str(path),
        )
    if gdf.crs.to_epsg() != 28992:
        gdf = gdf.to_crs(RD_NEW)
    return gdf


def _polygon_problem(geom: Any, what: str) -> str | None:
    """Why ``geom`` is not a usable polygon of a ``what`` layer, or ``None``."""
    if geom is None or geom.is_empty or geom.geom_type not in _POLYGONAL:
        got = "no geometry" if geom is None or geom.is_empty else geom.geom_type
        return f"{what} features must be polygons (got {got})"
    if not geom.is_valid:
        return f"invalid polygon ({shapely.is_valid_reason(geom)}); repair it with QGIS 'Fix geometries'"
    return None


def read_landscape(path: str | Path) -> gpd.GeoDataFrame | None:
    """Read the ``landscape`` layer (``lik_type`` polygons) or ``None`` when absent."""
    path = Path(path)
    if LANDSCAPE_LAYER not in list_layers(path):
        return None
    gdf = _read_layer(path, LANDSCAPE_LAYER)
    src = f"{path} (layer '{LANDSCAPE_LAYER}')"
    if "lik_type" not in gdf.columns:
        raise InputError("column 'lik_type' is missing; add a text column with the LIK type", source=src)
    from models.site import normalise_lik_type

    problems: list[str] = []
    types: list[str] = []
    for row, (value, geom) in enumerate(zip(gdf["lik_type"], gdf.geometry, strict=True), start=1):
        bad = _polygon_problem(geom, "landscape")
        if bad:
            problems.append(f"row {row}: {bad}")
        try:
            types.append(normalise_lik_type("" if _blank(value) else str(value)))
        except ValueError as err:
            problems.append(f"row {row}: {err}")
            types.append("onbekend")
    if problems:
        raise InputError("the landscape layer has problems", problems, source=src)
    out = gpd.GeoDataFrame({"lik_type": types}, geometry=gdf.geometry.values, crs=RD_NEW)
    return out


def read_municipalities(path: str | Path) -> gpd.GeoDataFrame | None:
    """Read the ``municipalities`` layer (``gemeente`` code + polygons, as ``energie candidates``
    writes it) or ``None`` when absent. Sites without a ``gemeente`` take the one they stand in."""
    path = Path(path)
    if MUNICIPALITIES_LAYER not in list_layers(path):
        return None
    gdf = _read_layer(path, MUNICIPALITIES_LAYER)
    src = f"{path} (layer '{MUNICIPALITIES_LAYER}')"
    if "gemeente" not in gdf.columns:
        raise InputError("column 'gemeente' is missing; add a text column with the CBS code (GM0166)", source=src)
    problems = []
    for row, (code, geom) in enumerate(zip(gdf["gemeente"], gdf.geometry, strict=True), start=1):
        if _blank(code):
            problems.append(f"row {row}: gemeente is empty")
        bad = _polygon_problem(geom, "municipality")
        if bad:
            problems.append(f"row {row}: {bad}")
    if problems:
        raise InputError("the municipalities layer has problems", problems, source=src)
    return gpd.GeoDataFrame({"gemeente": [str(c).strip() for c in gdf["gemeente"]]},
                            geometry=gdf.geometry.values, crs=RD_NEW)


def read_map_layer(path: str | Path, layer: str) -> gpd.GeoDataFrame | None:
    """An optional polygon layer drawn on maps only (``exclusions``, ``municipalities``): ``None`` when
    absent; rows without a usable polygon are left off; reprojected to RD New."""
    path = Path(path)
    if layer not in list_layers(path):
        return None
    gdf = _read_layer(path, layer)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    gdf = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    return gdf if len(gdf) else None


def _row_record(row: dict[str, Any]) -> dict[str, Any]:
    """The contract's fields of one row (column → value), blanks left out, text stripped."""
    record: dict[str, Any] = {}
    for col, value in row.items():
        if _blank(value):
            continue
        if isinstance(value, str):
            value = value.strip()
        elif hasattr(value, "item"):
            value = value.item()
        if col in _TEXT_COLUMNS and isinstance(value, int | float) and not isinstance(value, bool):
            # a numeric id column (1, 2, 3 typed in Excel) is still an id: 1.0 → "1"
            value = str(int(value)) if float(value).is_integer() else str(value)
        record[col] = value
    return record


def _apply_geometry(record: dict[str, Any], geom: Any) -> str | None:
    """Fill geometry-derived fields; return a problem text or ``None``."""
    kind = record.get("kind")
    empty = geom is None or geom.is_empty
    gtype = None if empty else geom.geom_type
    if kind == SiteKind.SOLAR_FIELD:
        if gtype not in _POLYGONAL:
            return f"a solar_field needs a polygon geometry (got {gtype or 'none'})"
        if not geom.is_valid:
            return f"invalid polygon ({shapely.is_valid_reason(geom)}); repair it with QGIS 'Fix geometries'"
        record.setdefault("area_ha", geom.area / 10_000.0)
    elif kind == SiteKind.WIND_TURBINE:
        if gtype != "Point":
            return f"a wind_turbine needs a point geometry (got {gtype or 'none'})"
        record["x_m"], record["y_m"] = float(geom.x), float(geom.y)
    elif kind == SiteKind.ROOFTOP_SOLAR:
        if not empty and gtype not in _POLYGONAL and gtype != "Point":
            return f"a rooftop_solar site needs a polygon, a point or no geometry (got {gtype})"
        if not empty and not geom.is_valid:
            return f"invalid polygon ({shapely.is_valid_reason(geom)}); repair it with QGIS 'Fix geometries'"
    record["geometry"] = None if empty else geom
    return None


def sites_from_frame(gdf: gpd.GeoDataFrame, source: str) -> list[Site]:
    """Validate every row of a ``sites`` frame (EPSG:28992) into site models.

    Raises
    ------
    InputError
        Listing every bad row: row number, site id, column, what is wrong.
    """
    columns = list(gdf.columns)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"required column(s) missing: {', '.join(missing)}; see README 'File contract'",
            source=source,
        )
    unknown = sorted(set(columns) - set(REQUIRED_COLUMNS) - set(OPTIONAL_COLUMNS) - {"geometry"})
    problems: list[str] = []
    sites: list[Site] = []
    seen: dict[str, int] = {}
    geoms = gdf.geometry.values if gdf.geometry.name in columns else [None] * len(gdf)
    # plain per-column lists, not iterrows (which builds a Series per row: 10× slower at 10⁵ rows)
    used = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in columns]
    values = [gdf[c].tolist() for c in used]
    for row_no, (cells, geom) in enumerate(zip(zip(*values), geoms, strict=True), start=1):
        record = _row_record(dict(zip(used, cells, strict=True)))
        sid = str(record.get("site_id", "")).strip()
        label = f"row {row_no} (site_id '{sid}')" if sid else f"row {row_no} (no site_id)"
        if sid and sid in seen:
            problems.append(f"{label}: duplicate site_id, also on row {seen[sid]}; ids must be unique")
            continue
        if sid:
            seen[sid] = row_no
        if record.get("kind") not in _KINDS:
            got = record.get("kind")
            problems.append(
                f"{label}: kind must be one of {', '.join(k.value for k in SiteKind)} (got {got!r})"
            )
            continue
        if record["kind"] != SiteKind.SOLAR_FIELD:
            record.pop("zonneladder", None)
        if record["kind"] != SiteKind.WIND_TURBINE:
            for col in ("turbine_type", "hub_height_m", "rotor_diameter_m", "pilot_area"):
                record.pop(col, None)
        if record["kind"] == SiteKind.WIND_TURBINE:
            record.pop("area_ha", None)
        geom_problem = _apply_geometry(record, geom)
        if geom_problem:
            problems.append(f"{label}: {geom_problem}")
            continue
        try:
            sites.append(parse_site(record))
        except ValidationError as err:
            for line in format_validation_error(err):
                # the discriminator tag is the first loc element; drop it
                line = line.split(".", 1)[1] if line.startswith(record["kind"] + ".") else line
                problems.append(f"{label}: {line}")
    if not problems:
        problems = [f"row {seen[sid]} (site_id '{sid}'): {why}" for sid, why in repowering_problems(sites)]
    if problems:
        hint = f" (columns not in the contract are ignored: {preview_ids(unknown)})" if unknown else ""
        raise InputError(f"{len(problems)} problem(s) in the sites layer{hint}", problems, source=source)
    if not sites:
        raise InputError("the sites layer has no rows; add at least one site", source=source)
    return sites


def read_sites_frame(path: str | Path) -> gpd.GeoDataFrame:
    """Read the raw ``sites`` layer in EPSG:28992."""
    path = Path(path)
    if not path.is_file():
        raise InputError("sites file not found; give an existing .gpkg file", source=str(path))
    layers = list_layers(path)
    if SITES_LAYER not in layers:
        raise InputError(
            f"no layer named '{SITES_LAYER}' (layers: {', '.join(layers) or 'none'}); "
            "rename your site layer to 'sites'",
            source=str(path),
        )
    return _read_layer(path, SITES_LAYER)


def read_sites(path: str | Path) -> list[Site]:
    """Read and validate the ``sites`` layer of a GeoPackage (without landscape types)."""
    return sites_from_frame(read_sites_frame(path), f"{path} (layer '{SITES_LAYER}')")


