"""Candidate solar fields and wind-turbine positions generated from maps.

Pure functions over GeoDataFrames in EPSG:28992 (read them with ``sites.geodata``):

* **Solar fields**: a square grid whose lines lie on multiples of the cell side in RD New
  (side = √(cell_ha × 10,000) m). A cell is kept when it lies wholly inside one
  municipality (``covers``), its interior is disjoint from every exclusion polygon (it may
  share an edge; with a buffer it keeps that distance), from every built-up place polygon,
  and no feature of a buffer layer (road, rail, water) crosses it.
* **Wind turbines**: a lattice through the RD origin with ``spacing_across_d`` × rotor
  diameter between turbines in a row across the prevailing wind and ``spacing_along_d`` ×
  rotor diameter between rows along it (default wind from 225°, south-west). A position
  is kept when the tower point lies inside a selected municipality, outside (and not on
  the edge of) every exclusion polygon, at least ``setback_m`` from every place polygon
  with inhabitants (exactly ``setback_m`` is allowed) and at least the given metres from
  every feature of a buffer layer.

Both grids are global, so candidates of neighbouring municipalities never overlap and
turbines keep their spacing across borders. Ids are stable: ``ZV-GM0148-000123`` is the
123rd cell of Dalfsen's grid inside Dalfsen in reading order (north to south, west to east),
whatever the exclusion layers; it changes only with the boundaries or the cell size.
Turbine ids ``WT-GM0148-00042`` likewise, with the turbine spacing and wind direction.

Every spatial test runs on whole arrays (shapely 2 + ``STRtree``); no Python loop runs
over pairs of geometries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from models import InputError, Initiator
from sites.candidate_grid import solar_field_cells, wind_positions, with_setback
from sites.candidate_options import (
    Constraint, SolarOptions, TurbineClass, build_constraints, validate_options,
)
from sites.landscape import assign_lik_types
from sites.reader import OPTIONAL_COLUMNS, RD_NEW, REQUIRED_COLUMNS

__all__ = [
    "CandidateResult", "Constraint", "SolarOptions", "TurbineClass", "build_constraints",
    "generate_candidates", "solar_field_cells", "wind_positions",
]

_TEXT = {"site_id", "name", "kind", "status", "initiator", "zonneladder", "lik_type", "turbine_type",
         "pilot_area", "gemeente"}


@dataclass(frozen=True)
class CandidateResult:
    """Generated candidates in the sites-layer file contract, with what limited them.

    ``sites``: file-contract columns + geometry (EPSG:28992), solar cells then turbines, each
    in municipality and id order. ``by_municipality``: one row per selected municipality.
    ``by_layer``: per constraint the area it covers inside the selection and the cells and
    positions it blocks (a candidate blocked by two layers counts for both).
    ``exclusions``: the constraints dissolved and clipped to the selection, for maps.
    """

    sites: gpd.GeoDataFrame
    municipalities: gpd.GeoDataFrame
    by_municipality: pd.DataFrame
    by_layer: pd.DataFrame
    exclusions: gpd.GeoDataFrame
    landscape: gpd.GeoDataFrame | None = None
    notes: tuple[str, ...] = field(default=())

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The GeoPackage layers: ``sites`` (+ ``landscape``), ``municipalities``, ``exclusions``.

        ``lik_type`` is left empty in the file's ``sites`` layer: in the file contract a filled-in
        type is the user's own choice and overrides the ``landscape`` layer, which must stay the
        source (edit the landscape in QGIS and plan again).
        """
        sites_layer = self.sites.copy()
        sites_layer["lik_type"] = None
        out = {"sites": sites_layer}
        if self.landscape is not None:
            out["landscape"] = self.landscape
        out["municipalities"] = self.municipalities
        out["exclusions"] = self.exclusions
        return out


def _contract_frame(rows: dict[str, object], geometry: list[object]) -> gpd.GeoDataFrame:
    n = len(geometry)
    data: dict[str, object] = {}
    for col in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        value = rows.get(col)
        if value is None:
            value = [None] * n if col in _TEXT else np.full(n, np.nan)
        data[col] = value
    return gpd.GeoDataFrame(data, geometry=geometry, crs=RD_NEW)


def _solar_sites(cells: gpd.GeoDataFrame, names: dict[str, str], options: SolarOptions) -> gpd.GeoDataFrame:
    area_ha = np.round(shapely.area(np.asarray(cells.geometry.values, dtype=object)) / 10_000.0, 6)
    mw = area_ha * options.mwp_per_ha
    codes = cells["gemeente"].tolist()
    numbers = cells["number"].tolist()
    n = len(cells)
    return _contract_frame({
        "site_id": [f"ZV-{c}-{k:06d}" for c, k in zip(codes, numbers, strict=True)],
        "name": [f"{names.get(c, c)} zonneveld {k}" for c, k in zip(codes, numbers, strict=True)],
        "kind": ["solar_field"] * n, "status": ["candidate"] * n,
        "capacity_mw": np.round(mw, 6), "yield_gwh": np.round(mw * options.flh_h / 1000.0, 6),
        "cost_meur": np.round(mw * options.meur_per_mwp, 6), "initiator": [options.initiator] * n,
        "area_ha": area_ha, "zonneladder": ["landbouwgrond"] * n, "gemeente": codes,
    }, list(cells.geometry.values))


def _wind_sites(points: gpd.GeoDataFrame, names: dict[str, str], turbine: TurbineClass) -> gpd.GeoDataFrame:
    codes = points["gemeente"].tolist()
    numbers = points["number"].tolist()
    n = len(points)
    return _contract_frame({
        "site_id": [f"WT-{c}-{k:05d}" for c, k in zip(codes, numbers, strict=True)],
        "name": [f"{names.get(c, c)} windturbine {k}" for c, k in zip(codes, numbers, strict=True)],
        "kind": ["wind_turbine"] * n, "status": ["candidate"] * n,
        "capacity_mw": np.full(n, turbine.capacity_mw),
        "yield_gwh": np.full(n, round(turbine.capacity_mw * turbine.flh_h / 1000.0, 6)),
        "cost_meur": np.full(n, round(turbine.capacity_mw * turbine.meur_per_mw, 6)),
        "initiator": [Initiator.COMMERCIEEL.value] * n,
        "turbine_type": [turbine.name] * n, "hub_height_m": np.full(n, turbine.hub_height_m),
        "rotor_diameter_m": np.full(n, turbine.rotor_diameter_m), "gemeente": codes,
    }, list(points.geometry.values))


def _exclusion_map(constraints: Sequence[Constraint], selection: object) -> gpd.GeoDataFrame:
    """Each constraint dissolved and clipped to the selection, for maps; with its area inside."""
    rows = []
    shapely.prepare(selection)
    for c in constraints:
        geoms = c.geoms[shapely.intersects(selection, c.geoms)] if len(c.geoms) else c.geoms
        clipped = shapely.intersection(shapely.union_all(geoms), selection) if len(geoms) else shapely.Polygon()
        rows.append({"source": c.name, "applies_to": c.applies_to,
                     "solar_buffer_m": np.nan if c.solar_m is None else c.solar_m,
                     "wind_buffer_m": np.nan if c.wind_m is None else c.wind_m,
                     "area_ha": round(float(shapely.area(clipped)) / 10_000.0, 3),
                     "geometry": None if clipped.is_empty else clipped})
    if not rows:
        return gpd.GeoDataFrame({"source": [], "applies_to": [], "solar_buffer_m": [], "wind_buffer_m": [],
                                 "area_ha": []}, geometry=[], crs=RD_NEW)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)


def generate_candidates(
    municipalities: gpd.GeoDataFrame,
    constraints: Sequence[Constraint] = (),
    *,
    solar: SolarOptions | None = SolarOptions(),
    wind: TurbineClass | None = TurbineClass(),
    landscape: gpd.GeoDataFrame | None = None,
    roofs: gpd.GeoDataFrame | None = None,
) -> CandidateResult:
    """Solar field cells and turbine positions over ``municipalities``, in the file contract.

    Parameters
    ----------
    municipalities : columns ``gemeente`` (CBS code), ``name``, ``res_code`` and polygons in
        EPSG:28992 (``sites.boundaries.select_municipalities``)
    constraints : from ``build_constraints``; turbines keep ``wind.setback_m`` from the places
        with inhabitants
    solar, wind : options, or ``None`` to generate none of that kind
    landscape : ``lik_type`` polygons; each candidate gets the type it stands in (else ``onbekend``)
    roofs : rooftop candidates to add (``sites.rooftops.rooftop_candidates``), counted per municipality

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> square = gpd.GeoDataFrame({"gemeente": ["GM0001"], "name": ["Vierkant"], "res_code": [None]},
    ...                           geometry=[shapely.box(200_000, 500_000, 201_000, 501_000)], crs="EPSG:28992")
    >>> result = generate_candidates(square, solar=SolarOptions(cell_ha=25), wind=None)
    >>> result.sites["site_id"].tolist()
    ['ZV-GM0001-000001', 'ZV-GM0001-000002', 'ZV-GM0001-000003', 'ZV-GM0001-000004']
    """
    if solar is None and wind is None and roofs is None:
        raise InputError("nothing to generate: both solar fields and wind turbines are switched off")
    constraints = with_setback(constraints, wind)
    validate_options(solar, wind, constraints)
    names = dict(zip(municipalities["gemeente"], municipalities["name"], strict=True))
    codes = list(municipalities["gemeente"])
    frames: list[gpd.GeoDataFrame] = []
    blocked: dict[str, dict[str, int]] = {"solar": {}, "wind": {}}
    per = pd.DataFrame(index=pd.Index(codes, name="gemeente"))
    per["name"] = [names[c] for c in codes]
    if solar is not None:
        cells, blocked["solar"], inside = solar_field_cells(municipalities, constraints, solar)
        sites = _solar_sites(cells, names, solar)
        frames.append(sites)
        per["grid_cells"] = inside.reindex(codes).fillna(0).astype(int).to_numpy()
        grouped = sites.groupby("gemeente")
        per["cells"] = grouped.size().reindex(codes).fillna(0).astype(int).to_numpy()
        per["solar_ha"] = grouped["area_ha"].sum().reindex(codes).fillna(0.0).to_numpy()
        per["solar_mw"] = grouped["capacity_mw"].sum().reindex(codes).fillna(0.0).to_numpy()
        per["solar_gwh"] = grouped["yield_gwh"].sum().reindex(codes).fillna(0.0).to_numpy()
    if wind is not None:
        points, blocked["wind"], inside = wind_positions(municipalities, constraints, wind)
        sites = _wind_sites(points, names, wind)
        frames.append(sites)
        per["lattice_points"] = inside.reindex(codes).fillna(0).astype(int).to_numpy()
        grouped = sites.groupby("gemeente")
        per["turbines"] = grouped.size().reindex(codes).fillna(0).astype(int).to_numpy()
        per["wind_mw"] = grouped["capacity_mw"].sum().reindex(codes).fillna(0.0).to_numpy()
        per["wind_gwh"] = grouped["yield_gwh"].sum().reindex(codes).fillna(0.0).to_numpy()
    if roofs is not None:
        frames.append(roofs)
        grouped = roofs.groupby("gemeente")
        per["roof_mw"] = grouped["capacity_mw"].sum().reindex(codes).fillna(0.0).to_numpy()
        per["roof_gwh"] = grouped["yield_gwh"].sum().reindex(codes).fillna(0.0).to_numpy()
    per["total_gwh"] = per.get("solar_gwh", 0.0) + per.get("wind_gwh", 0.0) + per.get("roof_gwh", 0.0)
    all_sites = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    all_sites = gpd.GeoDataFrame(all_sites, geometry="geometry", crs=RD_NEW)
    land = None
    if landscape is not None and len(landscape):
        land = gpd.GeoDataFrame({"lik_type": list(landscape["lik_type"])},
                                geometry=list(landscape.geometry.values), crs=RD_NEW)
        all_sites["lik_type"] = assign_lik_types(list(all_sites.geometry.values), list(land.geometry.values),
                                                 list(land["lik_type"]))
    else:
        all_sites["lik_type"] = "onbekend"
    selection = shapely.union_all(np.asarray(municipalities.geometry.values, dtype=object))
    excl = _exclusion_map(constraints, selection)
    by_layer = pd.DataFrame({
        "layer": [c.name for c in constraints],
        "applies_to": [c.applies_to for c in constraints],
        "solar_buffer_m": [np.nan if c.solar_m is None else c.solar_m for c in constraints],
        "wind_buffer_m": [np.nan if c.wind_m is None else c.wind_m for c in constraints],
        "area_ha": excl["area_ha"].to_numpy() if len(excl) else [],
        "cells_blocked": [blocked["solar"].get(c.name) for c in constraints],
        "positions_blocked": [blocked["wind"].get(c.name) for c in constraints],
    })
    munis = gpd.GeoDataFrame({"gemeente": codes, "name": [names[c] for c in codes],
                              "res_code": list(municipalities["res_code"])},
                             geometry=list(municipalities.geometry.values), crs=RD_NEW)
    return CandidateResult(all_sites, munis, per.reset_index(), by_layer, excl, land)
