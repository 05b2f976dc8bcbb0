"""What a shared result holds: report sections, map layers and a full site table.

``build_document`` gathers, from a plan (and optional what-if comparisons), everything the map
(``energie.reports.plan_map``), the HTML page (``energie.reports.html``) and the Excel workbook
(``energie.reports.xlsx``) show, so the three read one object and agree with the terminal report.
All geometry is EPSG:28992 (RD New).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from energie.facts.accounting import field_area_ha, yield_gwh
from energie.reports.blocks import Section, blocks
from models import Plan, Scenario, Site

RD_NEW = "EPSG:28992"

#: Columns of ``MapLayers.sites`` (and the site table), in order.
SITE_COLUMNS = ["site_id", "name", "kind", "in_plan_as", "status", "lik_type", "gemeente", "initiator",
                "capacity_mw", "yield_gwh", "area_ha", "cost_meur", "impact_meur", "reason", "detail"]

#: ``in_plan_as`` values: what the plan did with a site.
IN_PLAN_AS = {
    "chosen": "chosen by the plan",
    "locked_in": "locked in (existing or planned)",
    "not_chosen": "candidate, not chosen",
    "excluded": "excluded by a rule (never in any plan)",
}


@dataclass(frozen=True)
class MapLayers:
    """Everything a map of a plan draws, each a GeoDataFrame in EPSG:28992 (or ``None``).

    ``sites``: every input site with geometry, columns ``SITE_COLUMNS``; ``in_plan_as`` is
    ``chosen``, ``locked_in``, ``not_chosen`` or ``excluded`` (then ``reason``/``detail`` say why).
    ``landscape``: LIK polygons with ``lik_type``. ``exclusions``: areas where nothing may come
    (the input's ``exclusions`` layer, column ``source``). ``boundaries``: municipality polygons
    (``gemeente``).
    """

    sites: gpd.GeoDataFrame
    landscape: gpd.GeoDataFrame | None = None
    exclusions: gpd.GeoDataFrame | None = None
    boundaries: gpd.GeoDataFrame | None = None

    def of(self, *in_plan_as: str) -> gpd.GeoDataFrame:
        """The sites with one of the given ``in_plan_as`` values."""
        return self.sites[self.sites["in_plan_as"].isin(in_plan_as)]


@dataclass
class ReportDocument:
    """A result to share: title, report sections (plan first, then one per what-if), the map
    layers, an optional static map (PNG bytes), the full site table and facts about the run."""

    title: str
    sections: list[Section]
    layers: MapLayers | None
    site_table: pd.DataFrame
    #: Ordered facts about the run (scenario, solver, status, input file hashes, version, …).
    run_info: dict[str, str] = field(default_factory=dict)
    map_png: bytes | None = None


def site_frame(plan: Plan, sites: list[Site], scenario: Scenario | None = None) -> pd.DataFrame:
    """One row per input site (in input order) with what the plan did with it; with ``scenario``,
    a candidate outside the plan shows the yield it would give (its own or capacity × full-load hours)."""
    in_plan = {s.site_id: s for s in plan.sites}
    excluded = {e.site_id: e for e in plan.excluded}
    rows: list[dict[str, Any]] = []
    for s in sites:
        row: dict[str, Any] = {
            "site_id": s.site_id, "name": s.name, "kind": s.kind, "status": str(s.status),
            "lik_type": s.lik_type, "gemeente": s.gemeente or "", "initiator": str(s.initiator),
            "capacity_mw": s.capacity_mw, "yield_gwh": None, "area_ha": field_area_ha(s),
            "cost_meur": s.cost_meur, "impact_meur": None, "reason": "", "detail": ""}
        if s.site_id in in_plan:
            r = in_plan[s.site_id]
            row.update(in_plan_as="chosen" if r.chosen else "locked_in", yield_gwh=r.yield_gwh,
                       area_ha=r.area_ha, cost_meur=r.cost_meur, impact_meur=r.impact_meur, lik_type=r.lik_type)
        elif s.site_id in excluded:
            e = excluded[s.site_id]
            row.update(in_plan_as="excluded", reason=e.reason, detail=e.detail, yield_gwh=e.yield_gwh,
                       lik_type=e.lik_type)
        else:
            row.update(in_plan_as="not_chosen",
                       yield_gwh=yield_gwh(s, scenario) if scenario is not None else s.yield_gwh)
        rows.append(row)
    frame = pd.DataFrame.from_records(rows, columns=SITE_COLUMNS)
    for col in ("capacity_mw", "yield_gwh", "area_ha", "cost_meur", "impact_meur"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def map_layers(plan: Plan, sites: list[Site], landscape: gpd.GeoDataFrame | None = None,
               exclusions: gpd.GeoDataFrame | None = None, boundaries: gpd.GeoDataFrame | None = None,
               scenario: Scenario | None = None) -> MapLayers:
    """The plan's map layers; sites without geometry (rooftop totals) are left off the map."""
    frame = site_frame(plan, sites, scenario)
    geometry = [s.geometry for s in sites]
    gdf = gpd.GeoDataFrame(frame, geometry=geometry, crs=RD_NEW)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    return MapLayers(gdf, _polygons(landscape), _polygons(exclusions), _polygons(boundaries))


def _polygons(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if frame is None or len(frame) == 0:
        return None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return frame.to_crs(RD_NEW) if frame.crs is not None and frame.crs != RD_NEW else frame


def build_document(plan: Plan, sites: list[Site], *, title: str, report: object,
                   comparisons: list[tuple[str, object]] | None = None,
                   landscape: gpd.GeoDataFrame | None = None, exclusions: gpd.GeoDataFrame | None = None,
                   boundaries: gpd.GeoDataFrame | None = None, scenario: Scenario | None = None,
                   run_info: dict[str, str] | None = None) -> ReportDocument:
    """Gather a plan's report (the rich renderable ``report``), what-if sections
    (``(heading, rich renderable)`` pairs) and map layers into one document."""
    sections = [Section("Plan", blocks(report))]
    for heading, renderable in comparisons or []:
        sections.append(Section(heading, blocks(renderable)))
    layers = map_layers(plan, sites, landscape, exclusions, boundaries, scenario)
    return ReportDocument(title=title, sections=sections, layers=layers,
                          site_table=site_frame(plan, sites, scenario),
                          run_info=dict(run_info or {}))
