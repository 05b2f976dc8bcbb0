"""Static map of a plan for a council: what the plan builds, what exists, what rules keep out.

Reads only ``MapLayers`` (``energie.reports.document``): the sites with ``in_plan_as``, and optionally the LIK
landscape, the exclusion areas and the municipality boundaries, all in RD New (EPSG:28992).

The map has one visual grammar, so it reads in black and white too: the *shape* says the kind (a
polygon is a solar field, a hatched polygon a roof, a triangle a wind turbine) and the *fill* says what
the plan does with it (light fill: chosen; dark fill: existing or planned, locked in; outline only:
a candidate not chosen; crossed: a candidate a rule keeps out). The landscape is a pale tint with a
light texture per type; no-go areas are hatched in dark green. Every category differs from every other
by hatch, marker, edge or a clearly different grey (``tests/test_plan_map.py`` checks this on the
legend). Each category is drawn as one compound path or one scatter, so a region with tens of
thousands of cells stays fast; crowded candidates are drawn thinner and markers smaller on large maps.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from energie.fmt import num
from energie.reports.document import MapLayers
from energie.reports.map_style import (
    CRS_RD_NEW, Bounds, Style, blank_handle, draw_points, draw_polygons, legend_beside, legend_handle, new_figure,
    north_arrow, png_bytes, polygons_path, rd_new_axes, scale_bar, section_legend,
)
from models.errors import InputError
from models.site import LIK_TYPES
from sites.writer import atomic_path

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Figure size [in]: A4 landscape proportions (1800 × 1275 px at the default 150 dpi).
MAP_SIZE_IN = (12.0, 8.5)
#: Margins [figure fraction] around the map and the legend right of it (the map takes what the
#: legend leaves).
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT, LEGEND_GAP = 0.075, 0.065, 0.11, 0.015, 0.015
#: Legend labels longer than this [characters] wrap.
LABEL_WIDTH = 44
#: Up to this many municipalities the map writes their names on them.
MAX_BOUNDARY_LABELS = 12
#: Up to this many distinct exclusion sources each gets its own hatch and legend entry.
MAX_EXCLUSION_SOURCES = 4
#: More candidates of one category than this are drawn with thinner lines and smaller markers (ten
#: times as many: thinner still), so that their outlines stay a light tone under the plan.
CROWDED = 300
#: Maps up to this width or height [m] get full-size markers; wider maps shrink them (to 35 %).
FULL_MARKERS_SPAN_M = 30_000.0
#: A site of the plan smaller than this on the map [pt] also gets a square (``SMALL_SITE_SQUARE`` [pt²]),
#: so that a 4 ha field on a map of a region is still seen.
SMALL_SITE_PT, SMALL_SITE_SQUARE = 3.0, 20.0
#: Drawing levels: background, areas, candidates, boundaries, the plan; markers above polygons.
Z_LANDSCAPE, Z_EXCLUSIONS, Z_CANDIDATES, Z_BOUNDARIES, Z_PLAN, Z_MARKERS, Z_NAMES = 1, 2, 3, 3.5, 4, 6, 11


#: Sites by what the plan does with them and their kind (Okabe–Ito colours, colour-blind safe).
#: Grey levels: chosen field 0.64, chosen roof 0.84 + hatch, locked-in solar 0.22,
#: chosen turbine 0.62, locked-in turbine 0.17; candidates are hollow or crossed.
SITE_STYLES: dict[str, Style] = {
    "chosen_field": Style("#E69F00", "black", linewidth=0.7),
    "chosen_roof": Style("#F0E442", "black", hatch="////", linewidth=0.9),
    "chosen_turbine": Style("#56B4E9", "black", marker="^", size=70.0, linewidth=0.9),
    "locked_solar": Style("#5C3300", "black", linewidth=0.7),
    "locked_turbine": Style("#08306B", "black", marker="^", size=70.0, linewidth=0.9),
    "not_chosen_solar": Style("none", "#6E6E6E", linewidth=0.5),
    "not_chosen_turbine": Style("none", "#6E6E6E", marker="^", size=28.0, linewidth=0.7),
    "excluded_solar": Style("white", "#555555", hatch="xxxx", hatch_colour="#808080", linewidth=0.5,
                            hatch_linewidth=0.5),
    "excluded_turbine": Style("#505050", "#505050", marker="x", size=22.0, linewidth=0.9),
}
SITE_LABELS: dict[str, str] = {
    "chosen_field": "chosen solar fields",
    "chosen_roof": "chosen rooftop solar",
    "chosen_turbine": "chosen wind turbines",
    "locked_solar": "existing/planned solar",
    "locked_turbine": "existing/planned wind turbines",
    "not_chosen_solar": "solar, not chosen",
    "not_chosen_turbine": "wind turbines, not chosen",
    "excluded_solar": "solar, kept out by a rule",
    "excluded_turbine": "wind turbines, kept out by a rule",
}
_PLAN_KEYS = ("chosen_field", "chosen_roof", "chosen_turbine", "locked_solar", "locked_turbine")
_CANDIDATE_KEYS = ("not_chosen_solar", "not_chosen_turbine", "excluded_solar", "excluded_turbine")
#: Drawing order within each level: the faint candidates first, what the plan chose last.
_DRAW_ORDER = ("not_chosen_solar", "excluded_solar", "not_chosen_turbine", "excluded_turbine",
               "locked_solar", "chosen_field", "chosen_roof", "locked_turbine", "chosen_turbine")

#: The outlines of crowded candidates too small to see one by one.
_FAINT_EDGE = "#C8C8C8"
#: Pale tint and light grey texture per LIK type: the background, not the message.
_LANDSCAPE_HATCH = "#B4B4B4"
LANDSCAPE_STYLES: dict[str, Style] = {
    "beekdal": Style("#D4E6F1", "none", "--", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "essen": Style("#F5E6BE", "none", "..", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "veenontginning": Style("#E6D8C8", "none", "||", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "heide_ontginning": Style("#EADCEC", "none", "\\\\", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "stuwwal": Style("#E2E8C8", "none", "oo", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "landgoed": Style("#CFE5CC", "none", "++", _LANDSCAPE_HATCH, hatch_linewidth=0.4),
    "onbekend": Style("#F0F0F0", "none"),
}
#: Types outside ``LIK_TYPES`` (a user's own classification): the first ones get these textures,
#: any further ones share one legend entry.
_OTHER_LANDSCAPE_HATCHES = ("**", "OO")
_REST_KEY = "\x00rest"  # a NUL never comes from a file, so no real type has this name
_REST_LANDSCAPE = Style("#E3E3E3", "none", "//", _LANDSCAPE_HATCH, hatch_linewidth=0.4)
_EXCLUSION_GREEN = "#1B7837"
EXCLUSION_HATCHES = ("///", "\\\\\\", "---", "|||")
#: Municipality boundaries: dark dash-dot outlines.
BOUNDARY_COLOUR, BOUNDARY_WIDTH, BOUNDARY_DASHES = "#262626", 1.2, (0, (7, 2, 1.5, 2))


def render_plan_map(layers: MapLayers, title: str, subtitle: str = "", *, dpi: int = 150) -> bytes:
    """PNG bytes of the plan map.

    Draws the landscape (LIK types as pale tints with a light texture), the exclusion areas (hatched
    dark green, per source when there are at most ``MAX_EXCLUSION_SOURCES``), the municipality
    boundaries (dash-dot outlines, named when at most ``MAX_BOUNDARY_LABELS``) and the sites by what the
    plan does with them (``SITE_STYLES``), with a legend (counts and capacity [MW]), a scale bar, a north
    arrow and RD New axes [m]. The same layers give the same bytes.

    Parameters
    ----------
    layers : MapLayers
        The plan's map layers (``energie.reports.document.map_layers``), EPSG:28992 [m].
    title : str
        Title above the map (e.g. scenario and municipality).
    subtitle : str
        Second line (e.g. status and GWh achieved against the target); empty for none.
    dpi : int
        Resolution [dots per inch] of the ``MAP_SIZE_IN`` figure; between 50 and 600.

    Raises
    ------
    InputError
        No site has a geometry (nothing to map), or ``dpi`` is out of range.
    """
    if not 50 <= dpi <= 600:
        raise InputError(f"the map resolution must be between 50 and 600 dpi (got {dpi})")
    fig = _figure(layers, title, subtitle, dpi)
    return png_bytes(fig)


def check_map_path(path: str | Path) -> Path:
    """Refuse a map file name that does not end in ``.png`` (the map is a PNG image)."""
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise InputError("the plan map is a PNG image; give a file name ending in .png", source=str(target))
    return target


def write_plan_map(layers: MapLayers, path: str | Path, title: str, subtitle: str = "", *,
                   force: bool = False) -> Path:
    """Write ``render_plan_map`` as PNG to ``path`` atomically; returns the path.

    Raises
    ------
    InputError
        ``path`` does not end in ``.png``, exists and ``force`` is False, or its folder is missing;
        or there is nothing to map (see ``render_plan_map``). Nothing is written then.
    """
    target = check_map_path(path)
    with atomic_path(target, force) as tmp:
        tmp.write_bytes(render_plan_map(layers, title, subtitle))
    return target


# --------------------------------------------------------------------------- figure


def _figure(layers: MapLayers, title: str, subtitle: str, dpi: float) -> Figure:
    """The drawn figure (tests read its legend)."""
    sites = _rd_new(layers.sites)
    sites = sites[sites.geometry.notna() & ~sites.geometry.is_empty] if sites is not None else None
    if sites is None or sites.empty:
        raise InputError(
            "there is nothing to map: no site of the plan has a geometry (rooftop totals and sites "
            "from a table without coordinates are left off the map). Give the sites as a GeoPackage "
            "with points and polygons in EPSG:28992, or leave out the map: the plan and its report are "
            "unaffected.")
    extent = _extent(sites, _rd_new(layers.boundaries))
    fig = new_figure(*MAP_SIZE_IN, dpi=dpi, constrained=False)
    ax = fig.add_axes((MARGIN_LEFT, MARGIN_BOTTOM, 0.6, 1.0 - MARGIN_BOTTOM - MARGIN_TOP))
    ax.set_anchor("NW")
    frame = rd_new_axes(ax, extent, pad_x=0.04, pad_y=0.15)
    handles: list[tuple[str, Artist | None]] = []
    landscape = _clip(_rd_new(layers.landscape), frame)
    exclusions = _clip(_rd_new(layers.exclusions), frame)
    boundaries = _clip(_rd_new(layers.boundaries), frame)
    plan, candidates = _draw_sites(ax, sites, frame)
    handles += [("Plan", None), *plan]
    if not any(label.startswith("chosen") for label, _ in plan):
        handles.append(("(no sites chosen)", blank_handle()))
    if candidates:
        handles += [("Candidates", None), *candidates]
    areas = _draw_exclusions(ax, exclusions) + _draw_boundaries(ax, boundaries)
    if areas:
        handles += [("Areas", None), *areas]
    lik = _draw_landscape(ax, landscape)
    if lik:
        handles += [("Landscape (LIK)", None), *lik]
    scale_bar(ax, frame)
    north_arrow(ax)
    legend = section_legend(fig, handles, wrap=LABEL_WIDTH)
    legend_beside(fig, ax, legend, (MARGIN_LEFT, MARGIN_BOTTOM, 1.0 - MARGIN_RIGHT, 1.0 - MARGIN_TOP), LEGEND_GAP)
    box = ax.get_position()
    fig.text(box.x0, 0.975, title, fontsize=13, fontweight="bold", va="top")
    if subtitle:
        fig.text(box.x0, 0.937, subtitle, fontsize=9.5, va="top")
    return fig


def _rd_new(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """``frame`` in RD New (a frame without CRS is taken to be in RD New); ``None`` when empty."""
    if frame is None or len(frame) == 0:
        return None
    if frame.crs is not None and frame.crs != CRS_RD_NEW:
        frame = frame.to_crs(CRS_RD_NEW)
    return frame


def _extent(sites: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame | None) -> Bounds:
    """The sites and the municipalities (not the landscape or exclusions, which may cover a province)."""
    bounds = [sites.total_bounds] + ([boundaries.total_bounds] if boundaries is not None else [])
    stacked = np.vstack(bounds)
    xmin, ymin = stacked[:, 0].min(), stacked[:, 1].min()
    xmax, ymax = stacked[:, 2].max(), stacked[:, 3].max()
    # a single turbine still gets a map of a kilometre around it
    cx, cy, half = (xmin + xmax) / 2, (ymin + ymax) / 2, 500.0
    return (float(min(xmin, cx - half)), float(min(ymin, cy - half)),
            float(max(xmax, cx + half)), float(max(ymax, cy + half)))


def _clip(frame: gpd.GeoDataFrame | None, extent: Bounds) -> gpd.GeoDataFrame | None:
    """The rows whose bounding box meets the map (index-based, no geometry is cut)."""
    if frame is None:
        return None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    xmin, ymin, xmax, ymax = extent
    inside = frame.cx[xmin:xmax, ymin:ymax]
    return inside if len(inside) else None


# --------------------------------------------------------------------------- layers


def _site_category(sites: gpd.GeoDataFrame) -> np.ndarray:
    """The ``SITE_STYLES`` key of every site, from ``in_plan_as`` and ``kind``."""
    status = sites["in_plan_as"].to_numpy(dtype=object)
    kind = sites["kind"].to_numpy(dtype=object)
    turbine = kind == "wind_turbine"
    chosen_solar = np.where(kind == "rooftop_solar", "chosen_roof", "chosen_field")
    return np.select(
        [(status == "chosen") & turbine, status == "chosen", (status == "locked_in") & turbine,
         status == "locked_in", (status == "excluded") & turbine, status == "excluded", turbine],
        ["chosen_turbine", chosen_solar, "locked_turbine", "locked_solar", "excluded_turbine",
         "excluded_solar", "not_chosen_turbine"], default="not_chosen_solar")


def _draw_sites(ax: Axes, sites: gpd.GeoDataFrame,
                frame: Bounds) -> tuple[list[tuple[str, Artist]], list[tuple[str, Artist]]]:
    """Draw the sites per category within ``frame`` [m]; the legend entries of the plan and of the
    other candidates."""
    width_m, height_m = frame[2] - frame[0], frame[3] - frame[1]
    # markers shrink on large maps, so that turbines stay apart
    marker_scale = max(min(FULL_MARKERS_SPAN_M / max(width_m, height_m), 1.0), 0.35)
    # the map's scale [pt/m], roughly: the legend takes about 40 % of the width
    pt_per_m = 72 * min(0.55 * MAP_SIZE_IN[0] / width_m, (1 - MARGIN_TOP - MARGIN_BOTTOM) * MAP_SIZE_IN[1] / height_m)
    category = _site_category(sites)
    polygonal = sites.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    small = np.sqrt(sites.geometry.area.to_numpy()) * pt_per_m < SMALL_SITE_PT
    entries: dict[str, tuple[str, Artist]] = {}
    for i, key in enumerate(_DRAW_ORDER):
        mask = category == key
        if not mask.any():
            continue
        style, part = SITE_STYLES[key], sites[mask]
        level = Z_PLAN if key in _PLAN_KEYS else Z_CANDIDATES
        drawn = replace(style, size=style.size * marker_scale)
        if key not in _PLAN_KEYS and len(part) > CROWDED:  # a carpet of outlines would hide the plan
            drawn = replace(drawn, linewidth=style.linewidth * 0.4, hatch_linewidth=style.hatch_linewidth * 0.6,
                            size=drawn.size * 0.5)
            if np.median(small[mask]):  # cells of a pixel or two: their outlines become a tone, keep it light
                drawn = replace(drawn, edge=_FAINT_EDGE, linewidth=0.1)
        z = Z_MARKERS + level / 10 + i / 100
        if style.marker:
            draw_points(ax, part.geometry, drawn, z)
        else:
            shapes = polygonal[mask]
            draw_polygons(ax, part.geometry[shapes], drawn, level + i / 100)
            # a solar site given as a point, or too small to see, is (also) a square in the same style
            squared = ~shapes | (small[mask] & (key in _PLAN_KEYS))
            draw_points(ax, part.geometry[squared], replace(drawn, marker="s", size=SMALL_SITE_SQUARE), z)
        entries[key] = (_site_label(key, part), legend_handle(style))
    return ([entries[k] for k in _PLAN_KEYS if k in entries],
            [entries[k] for k in _CANDIDATE_KEYS if k in entries])


def _site_label(key: str, part: gpd.GeoDataFrame) -> str:
    if key in _PLAN_KEYS:
        mw = float(np.nansum(part["capacity_mw"].to_numpy(dtype=float)))
        return f"{SITE_LABELS[key]} ({len(part)}, {num(mw)} MW)"
    return f"{SITE_LABELS[key]} ({len(part)})"


def _column(frame: gpd.GeoDataFrame, name: str, default: str) -> pd.Series:
    """A text column, ``default`` where it is missing or empty."""
    if name not in frame:
        return pd.Series(default, index=frame.index)
    return frame[name].fillna(default).astype(str).replace("", default)


def _draw_exclusions(ax: Axes, exclusions: gpd.GeoDataFrame | None) -> list[tuple[str, Artist]]:
    """Hatched no-go areas: a hatch per source when there are few, else one for all."""
    if exclusions is None:
        return []
    sources = _column(exclusions, "source", "")
    names = sorted(set(sources), key=lambda name: (_source_name(name), name))
    if len(names) > MAX_EXCLUSION_SOURCES or names == [""]:
        style = _exclusion_style(0)
        draw_polygons(ax, exclusions.geometry, style, Z_EXCLUSIONS)
        what = f" ({len(names)} sources)" if len(names) > 1 else ""
        return [(f"no-go area{what}", legend_handle(style))]
    applies = _column(exclusions, "applies_to", "")
    entries = []
    for i, name in enumerate(names):
        style, rows = _exclusion_style(i), (sources == name).to_numpy()
        draw_polygons(ax, exclusions.geometry[rows], style, Z_EXCLUSIONS + i / 100)
        kinds = sorted(set(applies[rows]) - {""})  # "solar_field", "wind_turbine" or both joined by "+"
        only = f", {kinds[0].replace('_', ' ')}s only" if len(kinds) == 1 and "+" not in kinds[0] else ""
        entries.append((f"no-go area: {_source_name(name)}{only}", legend_handle(style)))
    return entries


def _source_name(source: str) -> str:
    """A source as people read it: a file path becomes its file name without the extension."""
    return re.sub(r"\.(geojson|gpkg|shp|fgb|parquet|json)\b", "", PurePath(source).name) or "unnamed"


def _exclusion_style(i: int) -> Style:
    return Style("none", _EXCLUSION_GREEN, EXCLUSION_HATCHES[i], _EXCLUSION_GREEN, linewidth=0.4,
                 hatch_linewidth=0.6)


def _draw_boundaries(ax: Axes, boundaries: gpd.GeoDataFrame | None) -> list[tuple[str, Artist]]:
    """Dash-dot outlines, each named (``name``, else ``gemeente``) when there are few."""
    from matplotlib import patheffects
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch

    if boundaries is None:
        return []
    ax.add_artist(PathPatch(polygons_path(boundaries.geometry.values), fill=False, edgecolor=BOUNDARY_COLOUR,
                            linewidth=BOUNDARY_WIDTH, linestyle=BOUNDARY_DASHES, zorder=Z_BOUNDARIES))
    names = _column(boundaries, "name", "") if "name" in boundaries else _column(boundaries, "gemeente", "")
    if len(boundaries) <= MAX_BOUNDARY_LABELS:
        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        for point, text in zip(boundaries.geometry.representative_point(), names, strict=True):
            if text:
                ax.text(point.x, point.y, text, ha="center", va="center", fontsize=8, fontstyle="italic",
                        color=BOUNDARY_COLOUR, zorder=Z_NAMES, path_effects=halo)
    handle = Line2D([], [], color=BOUNDARY_COLOUR, linewidth=BOUNDARY_WIDTH, linestyle=BOUNDARY_DASHES)
    return [(f"municipality boundary ({len(boundaries)})", handle)]


def _draw_landscape(ax: Axes, landscape: gpd.GeoDataFrame | None) -> list[tuple[str, Artist]]:
    """Pale LIK types in ``LIK_TYPES`` order, then a user's own types."""
    if landscape is None:
        return []
    types = _column(landscape, "lik_type", "onbekend")
    present = set(types)
    others = sorted(present - set(LIK_TYPES))
    if len(others) > len(_OTHER_LANDSCAPE_HATCHES):  # one entry for the rest, not a legend of dozens
        rest = others[len(_OTHER_LANDSCAPE_HATCHES) - 1:]
        others = others[:len(_OTHER_LANDSCAPE_HATCHES) - 1]
        types = types.where(~types.isin(rest), _REST_KEY)
    styles = {**{t: LANDSCAPE_STYLES[t] for t in LIK_TYPES if t in present},
              **{t: Style("#EDEDED", "none", h, _LANDSCAPE_HATCH, hatch_linewidth=0.4)
                 for t, h in zip(others, _OTHER_LANDSCAPE_HATCHES, strict=False)}}
    labels = {t: t.replace("_", "-") for t in styles}
    if _REST_KEY in set(types):
        styles[_REST_KEY] = _REST_LANDSCAPE
        labels[_REST_KEY] = f"other landscape types ({len(present) - len(labels)})"
    entries = []
    for i, (lik_type, style) in enumerate(styles.items()):
        draw_polygons(ax, landscape.geometry[(types == lik_type).to_numpy()], style, Z_LANDSCAPE + i / 100)
        entries.append((labels[lik_type], legend_handle(style)))
    return entries


__all__ = ["LANDSCAPE_STYLES", "SITE_STYLES", "render_plan_map", "write_plan_map"]
