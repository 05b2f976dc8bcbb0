"""Spatial enrichment: give each site the LIK type of the landscape it stands in.

A point (turbine) takes the type of the polygon that holds it; a polygon
(solar field, roof cluster) the type that covers most of its area. A site
outside every polygon is ``onbekend``. Ties go to the alphabetically first
type, so the result never depends on file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely import STRtree


def assign_lik_types(
    geometries: Sequence[Any], land_geoms: Sequence[Any], land_types: Sequence[str]
) -> list[str]:
    """LIK type per site geometry (EPSG:28992); ``None``/empty geometry → ``onbekend``.

    Parameters
    ----------
    geometries : site geometries [RD New, m]
    land_geoms : landscape polygons [RD New, m]
    land_types : canonical LIK type of each landscape polygon
    """
    n = len(geometries)
    result = ["onbekend"] * n
    if n == 0 or len(land_geoms) == 0:
        return result
    # missing or invalid geometry gets no type here; the reader reports invalid polygons itself
    geoms = np.array([g if g is not None and g.is_valid else shapely.Point() for g in geometries],
                     dtype=object)
    lands = np.asarray(land_geoms, dtype=object)
    types = np.asarray(land_types, dtype=object)
    tree = STRtree(lands)
    site_idx, land_idx = tree.query(geoms, predicate="intersects")
    if len(site_idx) == 0:
        return result
    gtypes = shapely.get_type_id(geoms[site_idx])
    polygonal = (gtypes == 3) | (gtypes == 6)
    weight = np.ones(len(site_idx))
    if polygonal.any():
        inter = shapely.intersection(geoms[site_idx[polygonal]], lands[land_idx[polygonal]])
        weight[polygonal] = shapely.area(inter)
    best: dict[int, tuple[float, str]] = {}
    # sum area per (site, type) first: a type split over several polygons counts whole
    sums: dict[tuple[int, str], float] = {}
    for s, t, w in zip(site_idx.tolist(), types[land_idx].tolist(), weight.tolist(), strict=True):
        sums[(s, t)] = sums.get((s, t), 0.0) + w
    for (s, t), w in sorted(sums.items()):
        cur = best.get(s)
        if cur is None or w > cur[0] + 1e-9:
            best[s] = (w, t)
    for s, (w, t) in best.items():
        if w > 0:
            result[s] = t
    return result
