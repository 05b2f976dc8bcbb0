"""Turbine spacing conflicts from a spatial index (no all-pairs loop)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely import STRtree


def pairs_within(
    xy_a_m: np.ndarray, xy_b_m: np.ndarray | None, distance_m: float
) -> list[tuple[int, int]]:
    """Index pairs closer than ``distance_m`` [m].

    With ``xy_b_m`` ``None``: pairs (i, j), i < j, within the points ``xy_a_m``
    (shape (n, 2), RD New metres). Otherwise pairs (i in a, j in b). The result is
    sorted, so model building is deterministic.
    """
    if distance_m <= 0 or len(xy_a_m) == 0:
        return []
    pts_a = shapely.points(np.asarray(xy_a_m, dtype=float))
    pts_b = pts_a if xy_b_m is None else shapely.points(np.asarray(xy_b_m, dtype=float))
    if len(pts_b) == 0:
        return []
    tree = STRtree(pts_b)
    ia, ib = tree.query(pts_a, predicate="dwithin", distance=distance_m)
    # dwithin is "<="; a pair exactly at the minimum distance is allowed
    d = shapely.distance(pts_a[ia], pts_b[ib])
    keep = d < distance_m - 1e-9
    ia, ib = ia[keep], ib[keep]
    if xy_b_m is None:
        upper = ia < ib
        ia, ib = ia[upper], ib[upper]
    order = np.lexsort((ib, ia))
    return list(zip(ia[order].tolist(), ib[order].tolist(), strict=True))
