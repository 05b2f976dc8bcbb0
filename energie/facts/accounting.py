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


#: Real discount rate [1/yr] for annualising investments: 4 %, between the 2.25 % real rate the
#: Dutch government prescribes for social cost-benefit analysis (Werkgroep Discontovoet 2020) and
#: the higher private rates PBL assumes in SDE++ advice.
DISCOUNT_RATE = 0.04
#: Economic lifetime [yr] of PV and wind: 25 years (PBL SDE++ advice uses 15-year subsidies on
#: installations that last 25-30 years).
LIFETIME_YEARS = 25


def capital_recovery_factor(rate: float = DISCOUNT_RATE, years: int = LIFETIME_YEARS) -> float:
    """Annuity factor [1/yr]: the yearly payment per unit of investment, r / (1 − (1 + r)^−n)."""
    if years <= 0:
        raise ValueError("years must be positive")
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)


def meur_per_gwh_to_eur_per_mwh(investment_meur: float, annual_gwh: float,
                                rate: float = DISCOUNT_RATE, years: int = LIFETIME_YEARS) -> float:
    """Annualised investment per MWh of yearly yield [€/MWh]: M€ × CRF × 1e6 / (GWh × 1000)."""
    return investment_meur * capital_recovery_factor(rate, years) * 1e6 / (annual_gwh * 1000.0)


def on_land(site: Site) -> bool:
    """Whether the site is a solar field on farmland or nature (zonneladder step 4–5)."""
    return isinstance(site, SolarField) and site.on_land
