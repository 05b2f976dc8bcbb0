"""Rooftop solar candidates per municipality from the ETLocal municipal table (no geometry).

ETLocal 2023 gives per municipality the roof area available for PV on homes
(``residential_roof_pv_km2``, ETM key ``residences_roof_surface_available_for_pv``) and on other
buildings (``nonres_roof_pv_km2``, ``buildings_roof_surface_available_for_pv``), and today's roof
PV production (``solar_roof_residential_TJ``, ``solar_roof_nonres_TJ``). The remaining potential
is area × ``usable_share`` × ``kwp_per_m2`` minus today's capacity (production / full-load
hours), cut into candidates of at most ``block_mwp`` so the optimiser can take part of it.

**Assumptions** (no source; override them): ``kwp_per_m2`` = 0.15 kWp/m² (as the Hardenberg
example; modules give ~0.2 kWp/m² of module area, less with rows and aisles on flat roofs),
``usable_share`` = 1.0 (ETM already calls the area "available for PV"), investment 0.85 M€/MWp
(the middle of the Hardenberg example's indicative 0.72–1.0 M€/MWp).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np

from models import InputError
from models.defaults import FLH_SOLAR_H, TJ_PER_GWH
from models.errors import preview_ids
from sites.districts import gm_code, read_csv_rows
from sites.reader import OPTIONAL_COLUMNS, RD_NEW, REQUIRED_COLUMNS

__all__ = ["RooftopOptions", "rooftop_candidates"]

#: (id letter, name, ETLocal area column [km²], ETLocal production column [TJ/yr])
ROOF_GROUPS = (
    ("W", "woningdaken", "residential_roof_pv_km2", "solar_roof_residential_TJ"),
    ("U", "utiliteitsdaken", "nonres_roof_pv_km2", "solar_roof_nonres_TJ"),
)
_TEXT = {"site_id", "name", "kind", "status", "initiator", "zonneladder", "lik_type", "turbine_type",
         "pilot_area", "gemeente"}


@dataclass(frozen=True)
class RooftopOptions:
    """How roof area becomes candidates (every default an assumption, see the module docstring).

    Parameters
    ----------
    usable_share : share of the ETLocal roof area that takes panels [-]
    kwp_per_m2 : peak power per m² of that area [kWp/m²]
    block_mwp : largest candidate [MWp]
    meur_per_mwp : investment [M€/MWp]
    flh_h : full-load hours [h/yr] (``FLH_SOLAR_H``, ETM 2023), also to turn today's production
        into capacity
    subtract_existing : leave out the capacity already on the roofs (ETLocal 2023)
    """

    usable_share: float = 1.0
    kwp_per_m2: float = 0.15
    block_mwp: float = 5.0
    meur_per_mwp: float = 0.85
    flh_h: float = FLH_SOLAR_H
    subtract_existing: bool = True


def _number(row: Mapping[str, object], column: str, line: int, source: str) -> float:
    try:
        value = float(str(row[column]).strip() or "nan")
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and value >= 0):
        raise InputError(f"line {line}: '{column}' must be a number ≥ 0 (got {row[column]!r})", source=source)
    return value


def rooftop_candidates(etlocal_csv: str | Path, gemeenten: Sequence[str], names: Mapping[str, str] | None = None,
                       options: RooftopOptions = RooftopOptions()) -> gpd.GeoDataFrame:
    """Rooftop candidates (kind ``rooftop_solar``, no geometry) in the sites-layer file contract.

    Ids ``DZ-GM0160-W-001`` (homes) and ``DZ-GM0160-U-001`` (other buildings); each block has
    ``block_mwp`` except the last of a group.

    Raises
    ------
    InputError
        File or column missing, a municipality not in the table, a value that is no number.
    """
    for label, value in (("usable_share", options.usable_share), ("kwp_per_m2", options.kwp_per_m2),
                         ("block_mwp", options.block_mwp), ("flh_h", options.flh_h)):
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"rooftop option {label} must be a number above 0 (got {value})")
    path = Path(etlocal_csv)
    header, rows = read_csv_rows(path)
    needed = ["geo_id", *(c for g in ROOF_GROUPS for c in g[2:])]
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError(f"column(s) missing: {', '.join(missing)}; give the ETLocal municipal table "
                         "(etlocal_gemeenten_2023_nl.csv)", source=str(path))
    by_code = {str(r["geo_id"]).strip().upper(): (line, r) for line, r in rows}
    records: list[dict[str, object]] = []
    for code in (gm_code(g) for g in gemeenten):
        if code not in by_code:
            raise InputError(f"gemeente '{code}' is not in the file ({len(rows)} municipalities, e.g. "
                             f"{preview_ids(sorted(by_code))})", source=str(path))
        line, row = by_code[code]
        for letter, label, area_col, prod_col in ROOF_GROUPS:
            area_m2 = _number(row, area_col, line, str(path)) * 1e6 * options.usable_share
            mwp = area_m2 * options.kwp_per_m2 / 1000.0
            if options.subtract_existing:
                existing_mwp = _number(row, prod_col, line, str(path)) / TJ_PER_GWH * 1000.0 / options.flh_h
                mwp -= existing_mwp
            blocks = math.ceil(round(mwp / options.block_mwp, 9)) if mwp > 0 else 0
            for k in range(blocks):
                size = min(options.block_mwp, mwp - k * options.block_mwp)
                records.append({
                    "site_id": f"DZ-{code}-{letter}-{k + 1:03d}",
                    "name": f"{(names or {}).get(code, code)} {label} {k + 1}",
                    "capacity_mw": round(size, 6), "yield_gwh": round(size * options.flh_h / 1000.0, 6),
                    "cost_meur": round(size * options.meur_per_mwp, 6),
                    "area_ha": round(size * 1000.0 / options.kwp_per_m2 / 10_000.0, 6), "gemeente": code,
                })
    n = len(records)
    data: dict[str, object] = {}
    for col in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        if col in ("kind", "status", "initiator"):
            data[col] = [{"kind": "rooftop_solar", "status": "candidate", "initiator": "commercieel"}[col]] * n
        elif records and col in records[0]:
            data[col] = [r[col] for r in records]
        else:
            data[col] = [None] * n if col in _TEXT else np.full(n, np.nan)
    return gpd.GeoDataFrame(data, geometry=[None] * n, crs=RD_NEW)
