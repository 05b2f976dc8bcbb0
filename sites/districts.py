"""Aardgasvrij districts (``models.heat.District``) from the ETLocal buurt table or our own table.

The ETLocal neighbourhood CSV (Quintel ``etlocal`` ``db/datasets/nl_datasets.csv``, built on CBS
*Kerncijfers wijken en buurten*) gives one district per BU row; our own table is a CSV or a
GeoPackage (layer ``districts``) with columns named like the ``District`` fields. Every row problem
is reported at once (file, line or row, district id, field, what is wrong).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
from pydantic import ValidationError

from models import InputError
from models.errors import preview_ids
from models.heat import District
from sites.reader import RD_NEW
from sites.rural import rural_message, rural_rule
from sites.scenario_io import format_validation_error
from sites.writer import write_gpkg

__all__ = ["DistrictSet", "districts_from_frame", "gm_code", "read_csv_rows", "read_districts", "write_districts_gpkg"]

DISTRICTS_LAYER = "districts"
FIELDS = tuple(name for name in District.model_fields if name != "geometry")
REQUIRED = ("district_id", "dwellings", "gas_m3_per_dwelling")
ETLOCAL_COLUMNS = frozenset({"type", "cbs_code", "gm_code", "area_name", "number_of_residences",
                             "avg_gas_m3_per_dwelling"})
#: Columns of an ETLocal/CBS buurt table that give the address density [addresses/km²] or the area [ha]
#: (CBS KWB: ``Omgevingsadressendichtheid``, ``OppervlakteLand``), matched case-insensitively by prefix.
DENSITY_COLUMNS = ("address_density_per_km2", "omgevingsadressendichtheid")
AREA_COLUMNS = ("area_ha", "oppervlakteland")
_NUMBERS = frozenset(name for name in FIELDS if name not in ("district_id", "name", "gemeente", "rural",
                                                            "heat_sources"))
_BOOL_WORDS = {"ja": True, "nee": False, "j": True, "n": False, "waar": True, "onwaar": False}
_Row = tuple[str, dict[str, Any], dict[str, Any]]  # (where, raw values for identity, record)


@dataclass(frozen=True)
class DistrictSet:
    """Districts read from one file, sorted by ``district_id``, with what the loader decided."""

    districts: list[District]
    source: str
    messages: list[str] = field(default_factory=list)

    @property
    def dwellings(self) -> int:
        """Number of dwellings of all districts [-]."""
        return sum(d.dwellings for d in self.districts)

    @property
    def gas_m3(self) -> float:
        """Natural gas use of all districts [m³/yr]."""
        return sum(d.gas_m3 for d in self.districts)


def _blank(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and not value.strip()


def gm_code(gemeente: str) -> str:
    """``"GM0160"``, ``"gm0160"``, ``"160"`` → ``"GM0160"``."""
    text = gemeente.strip().upper()
    return f"GM{int(text):04d}" if text.isdigit() else text


def read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Header and (line number, row) pairs of a UTF-8 CSV (a BOM is allowed)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [str(c).strip() for c in reader.fieldnames or []]
            if not header:
                raise InputError("the file is empty; it needs a header line and one line per district",
                                 source=str(path))
            reader.fieldnames = header
            rows = [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError("file not found; give an existing .csv file", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text; save it as CSV UTF-8", source=str(path)) from None
    except csv.Error as err:
        raise InputError(f"the file is not valid CSV: {err}", source=str(path)) from None
    if not rows:
        raise InputError("the file has a header but no rows; add one line per district", source=str(path))
    return header, rows


def _number(text: Any) -> Any:
    """A number from CSV text; text that is no number is returned for pydantic to report."""
    if _blank(text):
        return None
    try:
        value = float(str(text).strip())
    except ValueError:
        return str(text).strip()
    return int(value) if value.is_integer() else value


def _validate(rows: list[_Row], source: str, rename_conflicts: bool) -> tuple[list[District], list[str]]:
    """Validate every record into a ``District``; raise one InputError listing all problems."""
    problems: list[str] = []
    identical: list[str] = []
    renamed: list[str] = []
    districts: list[District] = []
    seen: dict[str, tuple[str, dict[str, Any]]] = {}
    for where, raw, record in rows:
        did = str(record.get("district_id", "")).strip()
        label = f"{where} (district_id '{did}')" if did else f"{where} (no district_id)"
        if did and did in seen:
            first_where, first_raw = seen[did]
            if first_raw == raw:
                identical.append(f"{did} ({first_where}, {where})")
                continue
            if not rename_conflicts:
                problems.append(f"{label}: duplicate district_id with different values (first on "
                                f"{first_where}); give every district its own id")
                continue
            n = 2
            while f"{did}-{n}" in seen:
                n += 1
            renamed.append(f"{did} ({first_where}, {where}) → {did}-{n}")
            did = record["district_id"] = f"{did}-{n}"
        if did:
            seen[did] = (where, raw)
        if "geometry_problem" in record:
            problems.append(f"{label}: geometry: {record.pop('geometry_problem')}; repair it with QGIS "
                            "'Fix geometries'")
        try:
            districts.append(District.model_validate(record))
        except ValidationError as err:
            problems.extend(f"{label}: {line}" for line in format_validation_error(err))
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the district rows; fix them and read again",
                         problems, source=source)
    messages = []
    if identical:
        messages.append(f"{len(identical)} id(s) on identical duplicate rows, kept once: {preview_ids(identical)}")
    if renamed:
        messages.append(f"{len(renamed)} id(s) on several rows with different values, taken as different buurten "
                        f"(the file's codes were rebuilt from numeric columns and can collide): {preview_ids(renamed)}")
    return sorted(districts, key=lambda d: d.district_id), messages


def _column(header: list[str], prefixes: tuple[str, ...]) -> str | None:
    return next((c for p in prefixes for c in header if c.strip().lower().startswith(p)), None)


def _numeric(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _decide_rural(record: dict[str, Any]) -> None:
    """Set ``record["rural"]`` by ``sites.rural.rural_rule`` (left unset when its numbers are unreadable)."""
    dwellings = _numeric(record.get("dwellings"))
    if dwellings is not None:
        record["rural"] = rural_rule(str(record.get("name", "")), dwellings,
                                     _numeric(record.get("address_density_per_km2")), _numeric(record.get("area_ha")))[0]


def _rural_message(districts: list[District], what: str) -> str:
    return rural_message([rural_rule(d.name, d.dwellings, d.address_density_per_km2, d.area_ha) for d in districts],
                         what)


def _etlocal(path: Path, rows: list[tuple[int, dict[str, Any]]], gemeente: str | None) -> DistrictSet:
    """District set from the BU rows of an ETLocal buurt table (rural by ``sites.rural``)."""
    codes = sorted({str(r["gm_code"]).strip() for _, r in rows
                    if str(r.get("type") or "").strip() == "BU" and not _blank(r.get("gm_code"))})
    gm = None if gemeente is None else gm_code(gemeente)
    if gm is not None and gm not in codes:
        raise InputError(f"gemeente '{gm}' is not in the file; it holds {len(codes)} municipalities: "
                         f"{preview_ids(codes)}", source=str(path))
    selected: list[_Row] = []
    left_out: list[str] = []
    header = list(rows[0][1]) if rows else []
    density_col, area_col = _column(header, DENSITY_COLUMNS), _column(header, AREA_COLUMNS)
    for line, raw in rows:
        if str(raw.get("type") or "").strip() != "BU" or (gm and str(raw.get("gm_code")).strip() != gm):
            continue
        dwellings, gas = _number(raw.get("number_of_residences")), _number(raw.get("avg_gas_m3_per_dwelling"))
        if dwellings in (None, 0) or gas is None:
            left_out.append(str(raw.get("cbs_code")))
            continue
        name = str(raw.get("area_name") or "").strip()
        record = {"district_id": raw.get("cbs_code"), "name": name, "gemeente": raw.get("gm_code"),
                  "dwellings": dwellings, "gas_m3_per_dwelling": gas,
                  "electricity_kwh_per_dwelling": _number(raw.get("avg_electricity_kwh_per_dwelling"))}
        for key, col in (("address_density_per_km2", density_col), ("area_ha", area_col)):
            value = _number(raw.get(col)) if col else None
            if value:
                record[key] = value
        _decide_rural(record)
        selected.append((f"line {line}", raw, record))
    scope = gm or f"{len(codes)} municipalities"
    if not selected:
        raise InputError(f"no buurt (type BU) rows with dwellings and gas use for {scope}", source=str(path))
    districts, notes = _validate(selected, str(path), rename_conflicts=True)
    summary = (f"{len(districts)} buurten (BU rows) of {scope} from the ETLocal buurt table "
               "(WK, GM and PV rows are totals and were not used)")
    messages = [summary, *notes]
    if left_out:
        messages.append(f"{len(left_out)} buurten left out: no dwellings or no gas use in the file, "
                        f"so they cannot be planned: {preview_ids(left_out)}")
    messages.append(_rural_message(districts, "buurten"))
    return DistrictSet(districts, str(path), messages)


def _record(raw: dict[str, Any]) -> dict[str, Any]:
    """The District fields of one row of our own table, blanks left out."""
    record: dict[str, Any] = {}
    for name in FIELDS:
        value: Any = raw.get(name)
        if _blank(value):
            continue
        value = value.item() if hasattr(value, "item") else value
        value = value.strip() if isinstance(value, str) else value
        if name == "district_id" and isinstance(value, float) and value.is_integer():
            value = int(value)  # a numeric id column typed in a spreadsheet: 1.0 → "1"
        elif name == "rural" and isinstance(value, str):
            value = _BOOL_WORDS.get(value.lower(), value)
        elif name in _NUMBERS and isinstance(value, str):
            value = _number(value)
        record[name] = value
    return record


def _gpkg_rows(path: Path) -> tuple[list[str], list[_Row]]:
    """Columns and rows of the ``districts`` (or only) layer, polygons in EPSG:28992."""
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as err:  # pyogrio raises DataSourceError and friends
        raise InputError(f"cannot open as a GeoPackage ({type(err).__name__}: {err}); save the file as "
                         "GeoPackage (.gpkg) or CSV", source=str(path)) from None
    if DISTRICTS_LAYER not in layers and len(layers) != 1:
        raise InputError(f"no layer named '{DISTRICTS_LAYER}' (layers: {', '.join(layers) or 'none'}); "
                         f"rename the district layer to '{DISTRICTS_LAYER}'", source=str(path))
    layer = DISTRICTS_LAYER if DISTRICTS_LAYER in layers else layers[0]
    source = f"{path} (layer '{layer}')"
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as err:
        raise InputError(f"cannot read the layer: {err}", source=source) from None
    return _frame_rows(gdf, source)


def _frame_rows(gdf: Any, source: str) -> tuple[list[str], list[_Row]]:
    """Columns and rows of a (Geo)DataFrame of districts, polygons in EPSG:28992."""
    geoms: list[Any] = [None] * len(gdf)
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.notna().any():
        if gdf.crs is None:
            raise InputError("the layer has no coordinate reference system; assign its CRS (e.g. "
                             "EPSG:28992, RD New) in QGIS (Layer properties > Source) and save again",
                             source=source)
        geoms = list(gdf.to_crs(RD_NEW).geometry.values)
    if len(gdf) == 0:
        raise InputError("the layer has no rows; add one feature per district", source=source)
    rows: list[_Row] = []
    for row_no, (raw, geom) in enumerate(zip(gdf.drop(columns="geometry", errors="ignore").to_dict("records"),
                                             geoms, strict=True), start=1):
        record = _record(raw)
        if geom is not None and not geom.is_empty:
            if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
                why = geom.geom_type if geom.is_valid else shapely.is_valid_reason(geom)
                record["geometry_problem"] = f"a district needs a valid polygon (got {why})"
            else:
                record["geometry"] = geom
                record.setdefault("area_ha", geom.area / 10_000.0)
        identity = {**record, "geometry": None if geom is None else geom.wkb}
        rows.append((f"row {row_no}", identity, record))
    return [str(c) for c in gdf.columns if c != "geometry"], rows


def _own(path: Path, columns: list[str], rows: list[_Row], gemeente: str | None,
         source: str | None = None) -> DistrictSet:
    """District set from our own table (CSV or GeoPackage)."""
    source = source or str(path)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(f"required column(s) missing: {', '.join(missing)}; name the columns like the "
                         f"District fields ({', '.join(FIELDS)})", source=source)
    if gemeente is not None:
        wanted = {gemeente.strip().upper(), gm_code(gemeente)}
        known = sorted({str(rec.get("gemeente", "")) for _, _, rec in rows} - {""})
        rows = [r for r in rows if str(r[2].get("gemeente", "")).upper() in wanted]
        if not rows:
            raise InputError(f"no district has gemeente '{gemeente}'; the file holds: "
                             f"{preview_ids(known) or 'no gemeente values'}", source=source)
    derived = set()
    for _, _, rec in rows:
        if "rural" not in rec:
            _decide_rural(rec)
            derived.add(str(rec.get("district_id", "")).strip())
    districts, messages = _validate(rows, source, rename_conflicts=False)
    if derived:
        messages.append(_rural_message([d for d in districts if d.district_id in derived],
                                       "districts without a rural value"))
    unused = sorted(set(columns) - set(FIELDS))
    if unused:
        messages.append(f"columns not used: {preview_ids(unused)}")
    return DistrictSet(districts, source, [f"{len(districts)} districts from {path.name}", *messages])


def districts_from_frame(frame: gpd.GeoDataFrame, source: str) -> DistrictSet:
    """Districts from a GeoDataFrame in our own table's columns (e.g. a built-in example)."""
    return _own(Path(source), *_frame_rows(frame, source), None, source=source)


def read_districts(path: str | Path, gemeente: str | None = None) -> DistrictSet:
    """Read aardgasvrij districts from an ETLocal buurt CSV or our own CSV / GeoPackage table.

    Parameters
    ----------
    path : str or Path
        ETLocal buurt CSV (recognised by its columns), our own CSV (UTF-8, a BOM is allowed) or
        a GeoPackage (``.gpkg``; layer ``districts`` or its only layer; reprojected to EPSG:28992).
    gemeente : str, optional
        Keep only this municipality: a CBS code (``"GM0160"``) or, in our own table, the value of
        its ``gemeente`` column. ``None`` keeps all.

    Returns
    -------
    DistrictSet
        Districts sorted by id; ``messages`` says what was left out, merged or derived.

    Raises
    ------
    InputError
        A missing or unreadable file, missing columns, an unknown gemeente, or bad rows (all listed).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("district file not found; give an existing .csv or .gpkg file", source=str(path))
    if path.suffix.lower() == ".gpkg":
        return _own(path, *_gpkg_rows(path), gemeente)
    header, rows = read_csv_rows(path)
    if ETLOCAL_COLUMNS <= set(header):
        return _etlocal(path, rows, gemeente)
    return _own(path, header, [(f"line {line}", raw, _record(raw)) for line, raw in rows], gemeente)


def write_districts_gpkg(districts: DistrictSet | Sequence[District], path: str | Path,
                         force: bool = False) -> Path:
    """Write districts as layer ``districts`` of a new GeoPackage (EPSG:28992), atomically.

    ``heat_sources`` is written as ``"a; b"`` text; ``read_districts`` reads the file back.
    """
    items = districts.districts if isinstance(districts, DistrictSet) else list(districts)
    if not items:
        raise InputError("no districts to write", source=str(path))
    data: dict[str, list[Any]] = {name: [getattr(d, name) for d in items] for name in FIELDS}
    data["heat_sources"] = ["; ".join(s.value for s in d.heat_sources) for d in items]
    frame = gpd.GeoDataFrame(data, geometry=[d.geometry for d in items], crs=RD_NEW)
    return write_gpkg(path, {DISTRICTS_LAYER: frame}, force=force)
