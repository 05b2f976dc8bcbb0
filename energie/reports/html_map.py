"""The interactive map of the HTML report as data: GeoJSON layers in EPSG:4326, their styles,
the legend and the optional tile layer.

``energie.reports.html`` embeds what ``map_data`` returns as JSON; ``static/report.js`` draws it
with Leaflet. Coordinates are rounded to 6 decimals (about 0.1 m); area layers (landscape,
exclusions, boundaries) are simplified by ``SIMPLIFY_M`` first. Every value a popup shows is
formatted here (``energie.fmt``), so the page shows the figures the terminal report shows.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from energie import fmt
from energie.facts.prepare import EXCLUSION_REASONS
from energie.reports.document import IN_PLAN_AS, RD_NEW, MapLayers
from models import InputError

WGS84 = "EPSG:4326"
#: Decimals of a longitude/latitude [°]: 1e-6° is about 0.1 m in the Netherlands.
DECIMALS = 6
#: Douglas-Peucker tolerance for area layers [m], well under a screen pixel up to zoom 15.
SIMPLIFY_M = 2.0

#: ``tiles`` names → (URL template, attribution HTML, max zoom).
TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors', 19),
    "pdok": ("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
             'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart, PDOK)',
             19),
}

KIND_LABEL = {"solar_field": "solar field", "wind_turbine": "wind turbine", "rooftop_solar": "rooftop solar"}
#: Fill colour of chosen sites by kind (colour-blind safe Okabe-Ito hues).
KIND_COLOUR = {"solar_field": "#e69f00", "wind_turbine": "#0072b2", "rooftop_solar": "#cc79a7"}
OTHER_COLOUR = "#009e73"
#: Muted fills of the LIK types the planner knows; other types take ``OTHER_FILLS`` in sorted order.
LANDSCAPE_FILLS = {"beekdal": "#d2e5ea", "essen": "#f0e2bf", "heide_ontginning": "#e5dbec", "landgoed": "#d3e7cc",
                   "stuwwal": "#e9d5c4", "veenontginning": "#e3e0d3", "onbekend": "#eeeeee"}
OTHER_FILLS = ["#dde3f0", "#efe0e6", "#e2ecd9", "#f2e9d8", "#dbe9e6", "#ebe3d2"]
#: Site groups from bottom to top: (pane, in_plan_as values, label, style).
_SITE_GROUPS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("sitesExcluded", "excluded", "Excluded by a rule",
     {"color": "#b2182b", "weight": 1.2, "dashArray": "3 3", "fillColor": "#f4a6a6", "fillOpacity": 0.35}),
    ("sitesNotChosen", "not_chosen", "Candidate, not chosen",
     {"color": "#7a7a7a", "weight": 1, "dashArray": "2 3", "fillColor": "#ffffff", "fillOpacity": 0.25,
      "opacity": 0.8}),
    ("sitesLocked", "locked_in", "Locked in (existing or planned)",
     {"color": "#222222", "weight": 1.5, "fillColor": "#5f5f5f", "fillOpacity": 0.75}),
    ("sitesChosen", "chosen", "Chosen",
     {"color": "#3d2b00", "weight": 1, "fillOpacity": 0.85}),
]
#: Panes for the area layers and the sites, bottom to top, with their z-index (Leaflet's
#: overlayPane is 400, markers 600, tooltips 650).
PANES = {"landscape": 410, "boundaries": 420, "exclusions": 430, "sitesExcluded": 440, "sitesNotChosen": 450,
         "sitesLocked": 460, "sitesChosen": 470}
SITE_PANES = [g[0] for g in _SITE_GROUPS]
EXCLUSION_STYLE = {"color": "#8e4585", "weight": 1, "dashArray": "4 3", "fillColor": "#8e4585", "fillOpacity": 0.12}
BOUNDARY_STYLE = {"color": "#444444", "weight": 2, "dashArray": "8 4 2 4", "fill": False}
LANDSCAPE_STYLE = {"color": "#9a9a8a", "weight": 0.6, "fillOpacity": 0.8, "fillColor": "#eeeeee"}
#: Above this many sites on the map, the excluded and not-chosen groups start switched off (the
#: layer control shows them), so that a region's map opens on what the plan builds.
BUSY_SITES = 2_000
#: More candidates not chosen than this are left off the interactive map (they stay in the site
#: table, on the static map and in the GeoPackage): at 117,000 cells they were 43 of the page's
#: 69 MB (benchmarks/results/outputs_2026-11-23.md).
MAX_NOT_CHOSEN_ON_MAP = 20_000


def left_off_map(sites: gpd.GeoDataFrame) -> int:
    """How many not-chosen candidates the interactive map leaves out (0 or all of them)."""
    n = int((sites["in_plan_as"] == "not_chosen").sum())
    return n if n > MAX_NOT_CHOSEN_ON_MAP else 0


def tile_layer(tiles: str | None) -> dict[str, Any] | None:
    """The tile layer for ``tiles``: ``None`` (no background, works offline), ``"osm"``,
    ``"pdok"`` (Kadaster's BRT-Achtergrondkaart) or an ``https://…{z}…{x}…{y}…`` URL template."""
    if tiles is None:
        return None
    if tiles in TILES:
        url, attribution, max_zoom = TILES[tiles]
        return {"url": url, "attribution": attribution, "maxZoom": max_zoom}
    if tiles.startswith("https://") and all(k in tiles for k in ("{z}", "{x}", "{y}")):
        return {"url": tiles, "attribution": "Background tiles: " + _host(tiles), "maxZoom": 19}
    raise InputError(f"unknown tiles {tiles!r}; use {', '.join(TILES)} or an https:// URL template with "
                     "{z}, {x} and {y}")


def _host(url: str) -> str:
    return url.split("/")[2]


def tile_hosts(tiles: str | None) -> list[str]:
    """The origins the page may load tiles from (for its Content-Security-Policy)."""
    layer = tile_layer(tiles)
    return [] if layer is None else ["https://" + _host(layer["url"])]


def _wgs84(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Longitude/latitude; a layer without a CRS is taken to be RD New, as the document's layers are."""
    return (geoms if geoms.crs is not None else geoms.set_crs(RD_NEW)).to_crs(WGS84)


def _geometries(frame: gpd.GeoDataFrame, simplify_m: float = 0.0) -> list[dict[str, Any] | None]:
    geoms = frame.geometry
    if simplify_m:
        geoms = geoms.simplify(simplify_m)
    values = shapely.transform(_wgs84(geoms).values, lambda xy: np.round(xy, DECIMALS))
    return [None if g is None or g.is_empty else mapping(g) for g in values]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _number(value: object, decimals: int = 1) -> str:
    if value is None or value is pd.NA:
        return ""
    x = float(value)  # type: ignore[arg-type]
    return "" if math.isnan(x) else fmt.num(x, decimals)


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _site_features(sites: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    features = []
    for geometry, row in zip(_geometries(sites), sites.itertuples(index=False)):
        if geometry is None:
            continue
        props = {"id": _text(row.site_id), "n": _text(row.name), "k": _text(row.kind),
                 "p": _text(row.in_plan_as), "s": _text(row.status), "l": _text(row.lik_type),
                 "g": _text(row.gemeente), "mw": _number(row.capacity_mw), "gwh": _number(row.yield_gwh),
                 "ha": _number(row.area_ha) if row.kind != "wind_turbine" else "",
                 "eur": _number(row.cost_meur), "r": _text(row.reason), "d": _text(row.detail)}
        features.append({"type": "Feature", "properties": {k: v for k, v in props.items() if v},
                         "geometry": geometry})
    return features


def _area_features(frame: gpd.GeoDataFrame, keys: dict[str, str]) -> list[dict[str, Any]]:
    """Features of an area layer with the given columns (column → property key)."""
    present = {col: key for col, key in keys.items() if col in frame.columns}
    features = []
    for i, geometry in enumerate(_geometries(frame, SIMPLIFY_M)):
        if geometry is None:
            continue
        props = {key: _text(frame[col].iloc[i]) for col, key in present.items()}
        features.append({"type": "Feature", "properties": {k: v for k, v in props.items() if v},
                         "geometry": geometry})
    return features


def _kind_style(base: dict[str, Any], kind: str, in_plan_as: str) -> dict[str, Any]:
    style = dict(base)
    if in_plan_as == "chosen":
        style["fillColor"] = KIND_COLOUR.get(kind, OTHER_COLOUR)
    return style


def _site_layers(sites: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One layer per site group (chosen sites: one per kind), top of the map first."""
    layers = []
    for pane, in_plan_as, label, base in reversed(_SITE_GROUPS):
        group = sites[sites["in_plan_as"] == in_plan_as]
        if in_plan_as == "not_chosen" and left_off_map(sites):
            continue
        if in_plan_as == "chosen":
            parts = [(f"{label}: {KIND_LABEL.get(k, k)}", group[group["kind"] == k], k)
                     for k in sorted(group["kind"].unique(), key=_kind_order)]
        else:
            parts = [(label, group, "")]
        for name, part, kind in parts:
            if len(part) == 0:
                continue
            # polygons first, so that turbines (points) are drawn on top of fields in the same pane
            part = part.iloc[np.argsort(part.geom_type.eq("Point").to_numpy(), kind="stable")]
            show = len(sites) <= BUSY_SITES or in_plan_as in ("chosen", "locked_in")
            layers.append({"id": f"{pane}-{kind}" if kind else pane, "label": f"{name} ({len(part):,})",
                           "pane": pane, "sites": True, "show": show, "style": _kind_style(base, kind, in_plan_as),
                           "data": _collection(_site_features(part))})
    return layers


def _kind_order(kind: str) -> int:
    return list(KIND_LABEL).index(kind) if kind in KIND_LABEL else len(KIND_LABEL)


def landscape_colours(landscape: gpd.GeoDataFrame | None) -> dict[str, str]:
    if landscape is None or "lik_type" not in landscape.columns:
        return {}
    types = sorted({_text(t) for t in landscape["lik_type"]} - {""})
    others = iter([t for t in types if t not in LANDSCAPE_FILLS])
    extra = {t: OTHER_FILLS[i % len(OTHER_FILLS)] for i, t in enumerate(others)}
    return {t: LANDSCAPE_FILLS.get(t) or extra[t] for t in types}


def _area_layers(layers: MapLayers) -> list[dict[str, Any]]:
    out = []
    if layers.exclusions is not None:
        out.append({"id": "exclusions", "label": f"Exclusion areas ({len(layers.exclusions):,})",
                    "pane": "exclusions", "tooltip": "s", "show": True,
                    "style": EXCLUSION_STYLE,
                    "data": _collection(_area_features(layers.exclusions, {"source": "s"}))})
    if layers.boundaries is not None:
        out.append({"id": "boundaries", "label": f"Municipal boundaries ({len(layers.boundaries):,})",
                    "pane": "boundaries", "tooltip": "g", "show": True,
                    "style": BOUNDARY_STYLE,
                    "data": _collection(_area_features(layers.boundaries, {"gemeente": "g", "name": "n"}))})
    if layers.landscape is not None:
        colours = landscape_colours(layers.landscape)
        out.append({"id": "landscape", "label": f"Landscape types, LIK ({len(layers.landscape):,})",
                    "pane": "landscape", "tooltip": "l", "show": True,
                    "style": LANDSCAPE_STYLE,
                    "fillBy": {"key": "l", "colours": colours},
                    "data": _collection(_area_features(layers.landscape, {"lik_type": "l", "name": "n"}))})
    return out


def _bounds(layers: MapLayers) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the sites, else of the area layers."""
    for frame in (layers.sites, layers.boundaries, layers.landscape, layers.exclusions):
        if frame is not None and len(frame):
            west, south, east, north = _wgs84(frame.geometry).total_bounds
            return [[round(float(south), DECIMALS), round(float(west), DECIMALS)],
                    [round(float(north), DECIMALS), round(float(east), DECIMALS)]]
    return None


def _shapes(group: gpd.GeoDataFrame) -> list[str]:
    points = group.geom_type.eq("Point")
    return (["area"] if (~points).any() else []) + (["point"] if points.any() else [])


def legend(layers: MapLayers) -> list[tuple[str, list[dict[str, Any]]]]:
    """Legend groups (heading, entries); an entry has a label, its shapes (``area``, ``point``,
    ``line``) and style, in the order of the map's layers."""
    sites: list[dict[str, Any]] = []
    for _pane, in_plan_as, label, base in reversed(_SITE_GROUPS):
        group = layers.sites[layers.sites["in_plan_as"] == in_plan_as]
        if in_plan_as == "chosen":
            for k in sorted(set(group["kind"]), key=_kind_order):
                sites.append({"label": f"{label}: {KIND_LABEL.get(k, k)}", "title": IN_PLAN_AS[in_plan_as],
                              "shapes": _shapes(group[group["kind"] == k]),
                              "style": _kind_style(base, k, in_plan_as)})
        elif len(group):
            sites.append({"label": label, "title": IN_PLAN_AS[in_plan_as], "shapes": _shapes(group),
                          "style": base})
    groups = [("Sites (circles: wind turbines)", sites)] if sites else []
    areas = [{"label": label, "title": "", "shapes": [shape], "style": style}
             for frame, label, shape, style in ((layers.exclusions, "Exclusion areas", "area", EXCLUSION_STYLE),
                                                (layers.boundaries, "Municipal boundaries", "line", BOUNDARY_STYLE))
             if frame is not None]
    landscape = [{"label": lik, "title": "", "shapes": ["area"], "style": {**LANDSCAPE_STYLE, "fillColor": colour}}
                 for lik, colour in landscape_colours(layers.landscape).items()]
    return groups + ([("Areas", areas)] if areas else []) + ([("Landscape types (LIK)", landscape)] if landscape else [])


def map_data(layers: MapLayers, tiles: str | None = None) -> dict[str, Any]:
    """Everything ``static/report.js`` needs to draw the map; layers top of the map first."""
    return {"bounds": _bounds(layers), "tiles": tile_layer(tiles), "panes": PANES, "sitePanes": SITE_PANES,
            "layers": _site_layers(layers.sites) + _area_layers(layers),
            "kindLabels": KIND_LABEL, "inPlanAs": IN_PLAN_AS, "reasons": EXCLUSION_REASONS}
