"""Report, JSON and layers of a plan over several years with municipalities and heat.

A ``PhasedPlan`` may carry every dimension: each period's plan has the municipalities' rows of
that year, and ``heat`` the districts and each year's coupled electricity target. The phased
report (``energie.report_phasing``) shows the periods; this adds a table of municipality × year
and the heat report, so one report covers the whole question.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from rich.console import Group
from rich.table import Table
from rich.text import Text

from energie import fmt
from energie.reports.export import heat_layers
from energie.reports.heat import render_heat_group
from energie.reports.phasing import phased_plan_layers, phased_plan_to_json, render_phased_plan
from energie.reports.rich_tables import row, table
from models import Site
from models.heat import District
from models.phasing import PhasedPlan


def _table(title: str, caption: str, *columns: str, text_cols: int) -> Table:
    t = table(title, *columns, text_cols=text_cols)
    t.caption, t.caption_justify = Text(caption), "left"
    return t


def municipalities_by_year(p: PhasedPlan) -> Table | None:
    """One row per municipality and target year: own target, in operation inside, shortfall [GWh/yr]."""
    if not any(q.plan.municipalities for q in p.periods):
        return None
    t = _table("Municipalities per target year (GWh/yr inside their borders)",
               "target: the municipality's own share that year; achieved: existing_gwh + locked-in + built sites "
               "inside its borders; new ha / wt: built by that year",
               "gemeente", "name", "year", "target", "achieved", "short", "new ha", "new wt", "max reachable",
               text_cols=2)
    rows = [(m, q.year) for q in p.periods for m in q.plan.municipalities]
    for m, year in sorted(rows, key=lambda r: (r[0].gemeente, r[1])):
        cells = (m.gemeente, m.name[:18], str(year), fmt.num(m.target_gwh), fmt.num(m.achieved_gwh),
                 fmt.num(m.shortfall_gwh) if m.target_gwh is not None else "", fmt.num(m.chosen_field_ha),
                 str(m.chosen_turbines), fmt.num(m.max_reachable_gwh))
        row(t, *cells)
    return t


def render_horizon(p: PhasedPlan) -> Group:
    """The phased report, then municipalities per year and the heat plan where the scenario has them."""
    parts: list[object] = [render_phased_plan(p)]
    if p.heat is not None and p.heat.couplings:
        parts.append(Text("With [heat], each year's shortfall above is measured against the target used: the "
                          "scenario's plus what the districts converted by then add (table 'Electricity "
                          "coupling' below).\n"))
    towns = municipalities_by_year(p)
    if towns is not None:
        parts += [towns, Text("")]
    if p.heat is not None:
        parts.append(render_heat_group(p.heat))
    return Group(*parts)  # type: ignore[arg-type]


def horizon_to_json(p: PhasedPlan) -> dict[str, Any]:
    """The phased ``--json`` document plus ``municipalities`` per year and ``heat``."""
    doc = phased_plan_to_json(p)
    if any(q.plan.municipalities for q in p.periods):
        doc["municipalities"] = {str(q.year): [m.model_dump() for m in q.plan.municipalities] for q in p.periods}
    if p.heat is not None:
        doc["heat"] = p.heat.model_dump(mode="json")
    return doc


def horizon_layers(p: PhasedPlan, sites: list[Site], districts: list[District]) -> dict[str, gpd.GeoDataFrame]:
    """The phased layers (``in_operation_from``), ``plan_municipalities`` with a row per municipality and
    target year, and ``plan_districts`` with each district's strategy and year."""
    layers = phased_plan_layers(p, sites)
    rows = [{"year": q.year, **m.model_dump()} for q in p.periods for m in q.plan.municipalities]
    if rows:
        # one row per municipality and target year (filter on "year" in QGIS; polygons joined on gemeente)
        layers["plan_municipalities"] = gpd.GeoDataFrame(rows, geometry=[None] * len(rows), crs="EPSG:28992")
    if p.heat is not None:
        layers.update(heat_layers(p.periods[-1].plan.model_copy(update={"heat": p.heat}), districts))
    return layers


__all__ = ["horizon_layers", "horizon_to_json", "municipalities_by_year", "render_horizon"]
