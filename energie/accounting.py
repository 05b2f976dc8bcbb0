"""Energy accounting: yields, areas, landscape impact and unit conversions.

Pure functions on single sites; every quantity carries its unit in its name.
"""

from __future__ import annotations

from models import Scenario, Site, SiteKind, SolarField
from models.defaults import TJ_PER_GWH


def gwh_to_tj(value_gwh: float) -> float:
    """Energy [GWh] → [TJ] (1 GWh = 3.6 TJ)."""
    return value_gwh * TJ_PER_GWH


def tj_to_gwh(value_tj: float) -> float:
    """Energy [TJ] → [GWh]."""
    return value_tj / TJ_PER_GWH


def yield_gwh(site: Site, scenario: Scenario) -> float:
    """Annual yield [GWh/yr]: the site's own ``yield_gwh`` or capacity [MW] × full-load hours [h] / 1000."""
    if site.yield_gwh is not None:
        return float(site.yield_gwh)
    return site.capacity_mw * scenario.full_load_hours.for_kind(site.kind) / 1000.0


def field_area_ha(site: Site) -> float:
    """Land taken by a solar field [ha]; 0 for roofs and turbines (a turbine's footprint is not capped by area)."""
    return float(site.area_ha) if isinstance(site, SolarField) else 0.0


def impact_meur(site: Site, scenario: Scenario) -> float:
    """Unweighted landscape impact [M€-equivalent] from the site's LIK rule."""
    rule = scenario.rule_for(site.lik_type)
    if site.kind == SiteKind.SOLAR_FIELD:
        return rule.impact_per_ha * field_area_ha(site)
    if site.kind == SiteKind.WIND_TURBINE:
        return rule.impact_per_turbine
    return 0.0


def on_land(site: Site) -> bool:
    """Whether the site is a solar field on farmland or nature (zonneladder step 4–5)."""
    return isinstance(site, SolarField) and site.on_land
