"""The candidate grids: solar cells on a square RD grid and turbine positions on a wind lattice,
per municipality, filtered by the exclusion, place and buffer constraints (``sites.candidates``
turns them into sites of the file contract; its docstring describes the grids).

Every spatial test runs on whole arrays (shapely 2 + ``STRtree``); no Python loop runs over pairs of
geometries.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from models import InputError
from sites.candidate_options import Constraint, SolarOptions, TurbineClass, validate_options
from sites.reader import RD_NEW

#: More grid cells than this (before any test) is a typo in the cell size, not a plan.
MAX_GRID_CELLS = 3_000_000

def _blocked(tree: STRtree, cands: np.ndarray, geoms: np.ndarray, distance: float,
             polygonal: bool) -> np.ndarray:
    """Mask of candidates closer than ``distance`` to any of ``geoms`` (see ``Constraint``).

    The tree holds the candidates and the constraint geometries are the query input, so
    each (possibly large) constraint polygon is prepared once.
    """
    mask = np.zeros(len(cands), dtype=bool)
    if len(geoms) == 0 or len(cands) == 0:
        return mask
    if distance > 0:
        g_idx, c_idx = tree.query(geoms, predicate="dwithin", distance=distance)
        if len(c_idx):
            # dwithin is "≤ distance"; exactly at the distance is allowed
            c_idx = c_idx[shapely.distance(geoms[g_idx], cands[c_idx]) < distance]
    else:
        g_idx, c_idx = tree.query(geoms, predicate="intersects")
        if polygonal and len(c_idx):
            c_idx = c_idx[~shapely.touches(geoms[g_idx], cands[c_idx])]
    mask[c_idx] = True
    return mask


def _grid_cells(geom: object, side: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells of the global grid covered by ``geom``, reading order: (boxes, col, row)."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    i = np.arange(math.floor(minx / side), math.ceil(maxx / side), dtype=np.int64)
    j = np.arange(math.ceil(maxy / side) - 1, math.floor(miny / side) - 1, -1, dtype=np.int64)
    row_grid, col_grid = np.meshgrid(j, i, indexing="ij")
    cols, rows = col_grid.ravel(), row_grid.ravel()
    boxes = shapely.box(cols * side, rows * side, (cols + 1) * side, (rows + 1) * side)
    shapely.prepare(geom)
    inside = shapely.covers(geom, boxes)
    return boxes[inside], cols[inside], rows[inside]


def _lattice(geom: object, across_m: float, along_m: float, wind_from_deg: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lattice points through the RD origin covered by ``geom``: (points, i, j)."""
    theta = math.radians(wind_from_deg)
    # exact zeros and ones for an axis-aligned lattice (sin(π) is 1.2e-16, not 0)
    sin, cos = (0.0 if abs(v) < 1e-12 else v for v in (math.sin(theta), math.cos(theta)))
    along = np.array([sin, cos])
    across = np.array([cos, -sin])
    minx, miny, maxx, maxy = shapely.bounds(geom)
    corners = np.array([[minx, miny], [minx, maxy], [maxx, miny], [maxx, maxy]])
    s, t = corners @ across, corners @ along
    i = np.arange(math.floor(s.min() / across_m), math.ceil(s.max() / across_m) + 1, dtype=np.int64)
    j = np.arange(math.floor(t.min() / along_m), math.ceil(t.max() / along_m) + 1, dtype=np.int64)
    ii, jj = (a.ravel() for a in np.meshgrid(i, j, indexing="ij"))
    xy = np.outer(ii * across_m, across) + np.outer(jj * along_m, along)
    inside_box = (xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy)
    xy, ii, jj = xy[inside_box], ii[inside_box], jj[inside_box]
    points = shapely.points(xy)
    shapely.prepare(geom)
    inside = shapely.covers(geom, points)
    xy, ii, jj = xy[inside], ii[inside], jj[inside]
    order = np.lexsort((xy[:, 0], -xy[:, 1]))  # north to south, then west to east
    return points[inside][order], ii[order], jj[order]


def _per_municipality(municipalities: gpd.GeoDataFrame, make: str, options: SolarOptions | TurbineClass
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidates of every municipality: (geoms, gemeente code, number, grid count)."""
    geoms: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    numbers: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    for code, geom in zip(municipalities["gemeente"], municipalities.geometry.values, strict=True):
        if make == "solar":
            assert isinstance(options, SolarOptions)
            g, i, j = _grid_cells(geom, options.side_m)
        else:
            assert isinstance(options, TurbineClass)
            across, along = options.spacing_m
            g, i, j = _lattice(geom, across, along, options.wind_from_deg)
        geoms.append(g)
        codes.append(np.full(len(g), code, dtype=object))
        numbers.append(np.arange(1, len(g) + 1))
        keys.append(np.stack([i, j], axis=1) if len(g) else np.empty((0, 2), dtype=np.int64))
    all_geoms = np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
    all_codes = np.concatenate(codes) if codes else np.empty(0, dtype=object)
    all_numbers = np.concatenate(numbers) if numbers else np.empty(0, dtype=np.int64)
    all_keys = np.concatenate(keys) if keys else np.empty((0, 2), dtype=np.int64)
    # overlapping boundaries (or a point on a shared border): the first municipality keeps it
    _, first = np.unique(all_keys, axis=0, return_index=True)
    keep = np.zeros(len(all_geoms), dtype=bool)
    keep[first] = True
    return all_geoms[keep], all_codes[keep], all_numbers[keep], all_keys[keep]


def _estimate_cells(municipalities: gpd.GeoDataFrame, side: float) -> float:
    b = shapely.bounds(np.asarray(municipalities.geometry.values, dtype=object))
    return float((((b[:, 2] - b[:, 0]) / side + 1) * ((b[:, 3] - b[:, 1]) / side + 1)).sum())


def _apply(constraints: Sequence[Constraint], cands: np.ndarray, kind: str) -> tuple[np.ndarray, dict[str, int]]:
    """Keep-mask after every constraint, and how many candidates each one blocks."""
    keep = np.ones(len(cands), dtype=bool)
    counts: dict[str, int] = {}
    if len(cands) == 0:
        return keep, {c.name: 0 for c in constraints}
    tree = STRtree(cands)
    for c in constraints:
        distance = c.solar_m if kind == "solar" else c.wind_m
        if distance is None:
            continue
        blocked = _blocked(tree, cands, c.geoms, distance, polygonal=kind == "solar")
        counts[c.name] = int(blocked.sum())
        keep &= ~blocked
    return keep, counts


def with_setback(constraints: Sequence[Constraint], turbine: TurbineClass | None) -> list[Constraint]:
    """The setback constraint at the turbine class's ``setback_m``."""
    if turbine is None:
        return list(constraints)
    return [replace(c, wind_m=turbine.setback_m) if c.setback else c for c in constraints]


def _kept(municipalities: gpd.GeoDataFrame, constraints: Sequence[Constraint], kind: str,
          options: SolarOptions | TurbineClass) -> tuple[gpd.GeoDataFrame, dict[str, int], pd.Series]:
    """The grid of ``kind`` ("solar" or "wind") per municipality, filtered by the constraints."""
    geoms, codes, numbers, _ = _per_municipality(municipalities, kind, options)
    inside = pd.Series(codes).value_counts()
    keep, counts = _apply(constraints, geoms, kind)
    frame = gpd.GeoDataFrame({"gemeente": codes[keep], "number": numbers[keep]}, geometry=list(geoms[keep]),
                             crs=RD_NEW)
    return frame, counts, inside


def solar_field_cells(municipalities: gpd.GeoDataFrame, constraints: Sequence[Constraint],
                      options: SolarOptions = SolarOptions()) -> tuple[gpd.GeoDataFrame, dict[str, int], pd.Series]:
    """Solar field cells that pass every constraint.

    Returns
    -------
    (cells with ``gemeente``, ``number``; blocked count per constraint; grid cells inside per gemeente)
    """
    validate_options(options, None, constraints)
    estimate = _estimate_cells(municipalities, options.side_m)
    if estimate > MAX_GRID_CELLS:
        raise InputError(f"a cell of {options.cell_ha:g} ha gives about {estimate:,.0f} grid cells over the "
                         f"selection (limit {MAX_GRID_CELLS:,}); choose a larger cell or fewer municipalities")
    return _kept(municipalities, constraints, "solar", options)


def wind_positions(municipalities: gpd.GeoDataFrame, constraints: Sequence[Constraint],
                   turbine: TurbineClass = TurbineClass()) -> tuple[gpd.GeoDataFrame, dict[str, int], pd.Series]:
    """Turbine positions on the lattice that pass every constraint (see ``solar_field_cells``)."""
    constraints = with_setback(constraints, turbine)
    validate_options(None, turbine, constraints)
    across, along = turbine.spacing_m
    estimate = _estimate_cells(municipalities, math.sqrt(across * along))
    if estimate > MAX_GRID_CELLS:
        raise InputError(f"the turbine spacing gives about {estimate:,.0f} lattice points (limit "
                         f"{MAX_GRID_CELLS:,}); use a larger spacing or rotor")
    return _kept(municipalities, constraints, "wind", turbine)


__all__ = ["MAX_GRID_CELLS", "solar_field_cells", "wind_positions", "with_setback"]
