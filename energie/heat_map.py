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

from models.errors import InputError, preview_ids
from models.heat import DEFAULT_STRATEGIES, District, HeatStrategy
from models.heat_plan import HeatPlan
from sites.writer import atomic_path

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

#: RD New, the Dutch national grid [m].
CRS_RD_NEW = "EPSG:28992"
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


def _nice_length_m(span_m: float) -> float:
    """A round scale bar length [m] (1, 2 or 5 × 10^k) of about a fifth of ``span_m`` [m]."""
    target = max(span_m / 5.0, 1.0)
    base = 10.0 ** math.floor(math.log10(target))
    return max(f * base for f in (1.0, 2.0, 5.0) if f * base <= target)


def _scale_bar(ax: Axes, xmin: float, ymin: float, span_m: float, height_m: float) -> None:
    """Two-segment black/white bar in the lower left, labelled in km."""
    from matplotlib.patches import Rectangle

    length = _nice_length_m(span_m)
    x0, y0, h = xmin + 0.04 * span_m, ymin + 0.04 * height_m, 0.012 * height_m
    for i, face in enumerate(("black", "white")):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, h,
                               facecolor=face, edgecolor="black", linewidth=0.8, zorder=5))
    km = length / 1000.0
    words = f"{km:g} km"
    for x, text in ((x0, "0"), (x0 + length, words)):
        ax.text(x, y0 + 1.8 * h, text, ha="center", va="bottom", fontsize=7, zorder=5)


def _north_arrow(ax: Axes) -> None:
    """An arrow with "N" in the upper right (RD New grid north; true north differs by < 2°)."""
    ax.annotate("N", xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=10, fontweight="bold",
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 9,
                            "headlength": 8})


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
    # the Agg canvas directly, no pyplot figure: no global backend state, no GUI
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    frame = _frame(heat, districts)
    with atomic_path(path, force) as tmp:
        fig = Figure(figsize=(10.0, 7.5), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
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
        span, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
        # room for the scale bar below and the north arrow above the districts
        xmin, xmax = xmin - 0.05 * span, xmax + 0.05 * span
        ymin, ymax = ymin - 0.15 * height, ymax + 0.15 * height
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal")
        ax.ticklabel_format(style="plain", useOffset=False)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("x [m] (RD New, EPSG:28992)", fontsize=8)
        ax.set_ylabel("y [m] (RD New, EPSG:28992)", fontsize=8)
        _scale_bar(ax, xmin, ymin, xmax - xmin, ymax - ymin)
        _north_arrow(ax)
        ax.legend(handles=_legend_handles(frame), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  frameon=False, title="strategy (districts)", title_fontsize=8, alignment="left")
        ax.set_title(title, fontsize=11)
        fig.savefig(tmp, format="png", metadata={"Software": None}, bbox_inches="tight")


__all__ = ["STRATEGY_STYLE", "heat_map_png"]
