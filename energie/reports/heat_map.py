"""Map of a heat plan: districts coloured and hatched by strategy, as PNG (matplotlib Agg + geopandas).

Reads only the ``HeatPlan`` and the districts' polygons. Colour and hatch both name the strategy, so
the map reads in black and white too. The PNG carries no software version or time stamp: the same
plan gives the same bytes.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd

from energie.reports.map_style import CRS_RD_NEW, new_figure, north_arrow, rd_new_axes, save_png, scale_bar
from models.errors import InputError, preview_ids
from models.heat import DEFAULT_STRATEGIES, District, HeatStrategy
from models.heat_plan import HeatPlan
from sites.writer import atomic_path

if TYPE_CHECKING:
    from matplotlib.artist import Artist

#: Face colour and hatch per strategy (Okabe–Ito colours: readable with colour blindness).
STRATEGY_STYLE: dict[HeatStrategy, tuple[str, str]] = {
    HeatStrategy.ALL_ELECTRIC: ("#56B4E9", "///"),
    HeatStrategy.HEAT_NETWORK_HT: ("#D55E00", "xx"),
    HeatStrategy.HEAT_NETWORK_LT: ("#E69F00", "\\\\\\"),
    HeatStrategy.GREEN_GAS_HYBRID: ("#009E73", "++"),
    HeatStrategy.GREEN_GAS_BOILER: ("#F0E442", ".."),
}
ON_GAS_STYLE = ("#EEEEEE", "")
ON_GAS_LABEL = "stays on natural gas"
#: Up to this many districts the map writes each district's period year on it.
MAX_YEAR_LABELS = 60


def _frame(heat: HeatPlan, districts: list[District]) -> gpd.GeoDataFrame:
    """One row per district of the plan with its polygon; InputError when any polygon is missing."""
    by_id = {d.district_id: d for d in districts}
    missing = [r.district_id for r in heat.districts
               if r.district_id not in by_id or by_id[r.district_id].geometry is None
               or by_id[r.district_id].geometry.is_empty]
    if missing:
        raise InputError(
            f"the heat map needs district polygons (e.g. a GeoPackage of buurt polygons); "
            f"{len(missing)} district(s) have none: {preview_ids(missing)}. Give the districts as polygons "
            "or leave out the map: the rest of the plan (report, JSON) is unaffected.")
    return gpd.GeoDataFrame(
        {"district_id": [r.district_id for r in heat.districts],
         "strategy": [r.strategy or "" for r in heat.districts],
         "year": [r.year for r in heat.districts]},
        geometry=[by_id[r.district_id].geometry for r in heat.districts], crs=CRS_RD_NEW)


def _legend_handles(frame: gpd.GeoDataFrame) -> list[Artist]:
    from matplotlib.patches import Patch

    handles: list[Artist] = []
    for strategy in HeatStrategy:
        n = int((frame["strategy"] == strategy.value).sum())
        if n:
            face, hatch = STRATEGY_STYLE[strategy]
            spec = DEFAULT_STRATEGIES[strategy]
            handles.append(Patch(facecolor=face, hatch=hatch, edgecolor="black", linewidth=0.6,
                                 label=f"{spec.startanalyse} {spec.label} ({n})"))
    n_gas = int((frame["strategy"] == "").sum())
    if n_gas:
        handles.append(Patch(facecolor=ON_GAS_STYLE[0], edgecolor="black", linewidth=0.6,
                             label=f"{ON_GAS_LABEL} ({n_gas})"))
    return handles


def heat_map_png(heat: HeatPlan, districts: list[District], path: str | Path, title: str, *,
                 force: bool = False) -> None:
    """Draw the heat plan's districts by strategy and write the map as PNG, atomically.

    Each district is filled with its strategy's colour and hatch (``STRATEGY_STYLE``); districts that
    stay on natural gas are light grey. The legend gives each strategy's label and number of districts.
    With at most ``MAX_YEAR_LABELS`` districts, the period year is written at each district's
    representative point. Axes are RD New coordinates [m]; a scale bar [km] and a north arrow are drawn.

    Parameters
    ----------
    heat : HeatPlan
        The heat plan; every district in it needs a polygon in ``districts``.
    districts : list of District
        The districts with ``geometry`` as shapely polygons in EPSG:28992 [m].
    path : str or Path
        The PNG to write; written to a temporary file next to it, then moved into place.
    title : str
        Title above the map.
    force : bool
        Overwrite ``path`` when it exists.

    Raises
    ------
    InputError
        A district has no polygon, or ``path`` exists and ``force`` is False, or its folder is missing.
    """
    frame = _frame(heat, districts)
    with atomic_path(path, force) as tmp:
        fig = new_figure(10.0, 7.5)
        ax = fig.add_subplot()
        # large (rural) districts first, so that villages inside or beside them stay visible
        large = frame.geometry.area > 4 * float(frame.geometry.area.median())
        for layer, z in ((frame[large], 1), (frame[~large], 2)):
            for strategy in (*HeatStrategy, None):
                part = layer[layer["strategy"] == (strategy.value if strategy else "")]
                if len(part):
                    face, hatch = STRATEGY_STYLE[strategy] if strategy else ON_GAS_STYLE
                    part.plot(ax=ax, facecolor=face, hatch=hatch, edgecolor="black", linewidth=0.6, zorder=z)
        if len(frame) <= MAX_YEAR_LABELS:
            for point, row in zip(frame.representative_point(), frame.itertuples(), strict=True):
                if row.year is not None and not math.isnan(row.year):
                    ax.text(point.x, point.y, str(int(row.year)), ha="center", va="center", fontsize=6,
                            zorder=4, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                            "edgecolor": "none", "alpha": 0.85})
        xmin, ymin, xmax, ymax = (float(v) for v in frame.total_bounds)
        extent = rd_new_axes(ax, (xmin, ymin, xmax, ymax))
        scale_bar(ax, extent)
        north_arrow(ax)
        ax.legend(handles=_legend_handles(frame), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  frameon=False, title="strategy (districts)", title_fontsize=8, alignment="left")
        ax.set_title(title, fontsize=11)
        save_png(fig, tmp, tight=True)


__all__ = ["STRATEGY_STYLE", "heat_map_png"]
