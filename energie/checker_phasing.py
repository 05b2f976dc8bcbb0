"""Independent check of a phased plan: every period through ``energie.checker``, plus what spans periods.

Shares no code with the phased model builders (``energie.build_phasing``).
"""

from __future__ import annotations

from energie.checker import check_plan
from models import PlanStatus, Scenario, Site, SolarField
from models.scenario import Targets
from models.phasing import PhasedPlan


def _counts_in(site: Site, year: int) -> bool:
    return site.year is None or site.year <= year


def _never_fits(site: Site, scenario: Scenario, horizon_locked: list[Site]) -> bool:
    """A candidate field larger than its landscape cap less every locked-in field of the horizon: it
    can be in no period's plan (it would still stand when the last locked-in field arrives)."""
    rule = scenario.lik.get(site.lik_type)
    if not isinstance(site, SolarField) or rule is None or rule.max_solar_field_ha is None:
        return False
    used = sum(s.area_ha for s in horizon_locked if isinstance(s, SolarField) and s.lik_type == site.lik_type)
    return site.area_ha > rule.max_solar_field_ha - used + 1e-9


def _in_year(scenario: Scenario, year: int, target_gwh: float) -> Scenario:
    """The scenario as one year: the year's target and each municipality's own share in that year."""
    towns = {g: m.model_copy(update={"electricity_gwh": scenario.municipal_target_gwh(g, year),
                                     "electricity_gwh_by_year": {}})
             for g, m in scenario.municipalities.items()}
    return scenario.model_copy(update={"targets": Targets(electricity_gwh=target_gwh), "municipalities": towns})


def check_phased_plan(sites: list[Site], scenario: Scenario, phased: PhasedPlan) -> list[str]:
    """Every violation, per period and across periods; empty when the phased plan is sound.

    Independent of the model builders: per period it builds the site list as it stands in the
    target year (locked-in sites whose ``year`` has come, candidates available by then) and runs
    ``energie.checker.check_plan`` on that period's plan and a one-year scenario with its target.
    Across periods: no site built twice, built sites stay, no candidate built before its ``year``,
    the totals add up.
    """
    problems: list[str] = []
    expected = scenario.targets.resolved()
    if [t.year for t in expected] != phased.years:
        return [f"periods {phased.years} differ from the scenario's target years {[t.year for t in expected]}"]
    by_id = {s.site_id: s for s in sites}
    last = phased.years[-1]
    horizon_locked = [s for s in sites if s.is_locked_in and _counts_in(s, last)]
    seen: dict[str, int] = {}
    so_far: set[str] = set()
    for period, resolved in zip(phased.periods, expected, strict=True):
        year = period.year
        if abs(period.target.target_gwh - resolved.target_gwh) > 1e-9 * max(1.0, resolved.target_gwh):
            problems.append(f"{year}: target {period.target.target_gwh} GWh, the scenario gives {resolved.target_gwh}")
        for sid in period.built:
            if sid in seen:
                problems.append(f"{sid}: built twice, in {seen[sid]} and {year}")
            seen[sid] = year
            site = by_id.get(sid)
            if site is not None and site.year is not None and site.year > year:
                problems.append(f"{sid}: built by {year} but available only from {site.year}")
        so_far |= set(period.built)
        if set(period.plan.selected) != so_far:
            problems.append(f"{year}: the sites in operation are not the ones built up to then (a site must stay)")
        in_year = [s for s in sites if (s.is_locked_in and _counts_in(s, year)) or (
            not s.is_locked_in and _counts_in(s, year) and not _never_fits(s, scenario, horizon_locked))]
        used = period.plan.targets.get("electricity")
        target = period.target.target_gwh
        if scenario.heat is None and (used is None or abs(used.target_gwh - target) > 1e-9 * max(1.0, target)):
            problems.append(f"{year}: the plan was held to {used.target_gwh if used else 'no'} GWh, the scenario "
                            f"gives {target} GWh")
        elif used is not None:
            target = used.target_gwh  # moved by the heat plan; check_heat recomputes it
        problems += [f"{year}: {p}" for p in check_plan(in_year, _in_year(scenario, year, target), period.plan)]
    cost = sum(by_id[sid].cost_meur for sid in seen if sid in by_id)
    if abs(cost - phased.cost_meur) > 1e-6 * max(1.0, cost):
        problems.append(f"investment recomputed {cost:.6f} M€ differs from the plan's {phased.cost_meur:.6f} M€")
    short = any(p.status is PlanStatus.SHORTFALL for p in phased.periods) or bool(
        phased.heat and (any(g.shortfall_mm3 > 0 for g in phased.heat.gas_targets)
                         or any(not d.met for d in phased.heat.deadlines)))
    if short != (phased.status is PlanStatus.SHORTFALL):
        problems.append(f"status {phased.status} does not match the periods' shortfalls")
    return problems
