"""Independent check of a phased plan: every period through ``energie.check.plan``, plus what spans periods.

Shares no code with the model builders (``energie.model``, ``energie.planner``): lifetimes,
retirements and repowering are recomputed here from the sites' own columns.
"""

from __future__ import annotations

from energie.check.plan import check_plan
from models import PlanStatus, Scenario, Site, SolarField
from models.defaults import SOLAR_LIFETIME_YEARS, WIND_LIFETIME_YEARS
from models.phasing import PeriodResult, PhasedPlan


def _life(site: Site) -> int:
    """The site's lifetime [yr]: its own, else the default of its kind."""
    if site.lifetime_years is not None:
        return site.lifetime_years
    return WIND_LIFETIME_YEARS if site.kind == "wind_turbine" else SOLAR_LIFETIME_YEARS


def _counts_in(site: Site, year: int, lifetimes: bool = True) -> bool:
    """A locked-in site (or a candidate's availability, ``lifetimes=False``) in ``year``: started by
    then and, with a year of its own, not past year + lifetime."""
    if site.year is None:
        return True
    return site.year <= year and (not lifetimes or year < site.year + _life(site))


def _never_fits(site: Site, scenario: Scenario, horizon_locked: list[Site]) -> bool:
    """A candidate field larger than its landscape cap less every locked-in field in operation in the
    last year: it can be in no period's plan (it would still stand then, beside them)."""
    rule = scenario.lik.get(site.lik_type)
    if not isinstance(site, SolarField) or rule is None or rule.max_solar_field_ha is None:
        return False
    used = sum(s.area_ha for s in horizon_locked if isinstance(s, SolarField) and s.lik_type == site.lik_type)
    return site.area_ha > rule.max_solar_field_ha - used + 1e-9


def _runs(built_year: int, site: Site, year: int) -> bool:
    return built_year <= year < built_year + _life(site)


def _lifetime_problems(period: PeriodResult, seen: dict[str, int], by_id: dict[str, Site],
                       previous: set[str]) -> list[str]:
    """Built candidates run exactly their lifetime; a repowering never runs with the site it replaces;
    the period's ``retired`` and ``repowered`` are what the sites say."""
    year = period.year
    problems: list[str] = []
    expected = {sid for sid, b in seen.items() if sid in by_id and _runs(b, by_id[sid], year)}
    selected = set(period.plan.selected)
    for sid in sorted(expected - selected):
        problems.append(f"{year}: {sid}, built in {seen[sid]}, is not in operation within its lifetime "
                        "(a site must stay)")
    for sid in sorted(selected - expected):
        if sid in seen and sid in by_id:
            problems.append(f"{year}: {sid} runs past its lifetime ({seen[sid]} + {_life(by_id[sid])} years)")
        else:
            problems.append(f"{year}: {sid} is in operation but was never built (a site must stay)")
    in_operation = selected | set(period.plan.locked_in)
    for sid in sorted(selected):
        old = by_id[sid].repowers if sid in by_id else None
        if old is not None and old in in_operation:
            problems.append(f"{year}: {sid} runs together with {old}, the site it repowers")
    retired = sorted(previous - in_operation)
    if period.retired != retired:
        problems.append(f"{year}: retired {period.retired}, the sites say {retired}")
    repowered = {sid: by_id[sid].repowers for sid in period.built if sid in by_id and by_id[sid].repowers}
    if period.repowered != repowered:
        problems.append(f"{year}: repowered {period.repowered}, the sites say {repowered}")
    return problems


def check_phased_plan(sites: list[Site], scenario: Scenario, phased: PhasedPlan) -> list[str]:
    """Every violation, per period and across periods; empty when the phased plan is sound.

    Independent of the model builders: per period it builds the site list as it stands in the
    target year (locked-in sites whose ``year`` has come and whose lifetime has not ended,
    candidates available by then and not used up) and runs ``energie.check.plan.check_plan`` on that
    period's plan and a one-year scenario with its target. Across periods: no site built twice,
    built sites run exactly their lifetime, no candidate built before its ``year``, a repowering
    never runs with the site it replaces, the totals add up.
    """
    problems: list[str] = []
    expected = scenario.targets.resolved()
    if [t.year for t in expected] != phased.years:
        return [f"periods {phased.years} differ from the scenario's target years {[t.year for t in expected]}"]
    by_id = {s.site_id: s for s in sites}
    last = phased.years[-1]
    horizon_locked = [s for s in sites if s.is_locked_in and _counts_in(s, last)]
    seen: dict[str, int] = {}
    previous: set[str] = set()
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
        problems += _lifetime_problems(period, seen, by_id, previous)
        previous = set(period.plan.selected) | set(period.plan.locked_in)
        locked_now = {s.site_id for s in sites if s.is_locked_in and _counts_in(s, year)}
        used_up = {sid for sid, b in seen.items() if sid in by_id and not _runs(b, by_id[sid], year)}
        in_year = [s for s in sites if s.site_id in locked_now or (
            not s.is_locked_in and _counts_in(s, year, lifetimes=False) and s.site_id not in used_up
            and s.repowers not in locked_now and not _never_fits(s, scenario, horizon_locked))]
        used = period.plan.targets.get("electricity")
        target = period.target.target_gwh
        if scenario.heat is None and (used is None or abs(used.target_gwh - target) > 1e-9 * max(1.0, target)):
            problems.append(f"{year}: the plan was held to {used.target_gwh if used else 'no'} GWh, the scenario "
                            f"gives {target} GWh")
        elif used is not None:
            target = used.target_gwh  # moved by the heat plan; check_heat recomputes it
        problems += [f"{year}: {p}" for p in check_plan(in_year, scenario.in_year(year, target), period.plan)]
    cost = sum(by_id[sid].cost_meur for sid in seen if sid in by_id)
    if abs(cost - phased.cost_meur) > 1e-6 * max(1.0, cost):
        problems.append(f"investment recomputed {cost:.6f} M€ differs from the plan's {phased.cost_meur:.6f} M€")
    short = any(p.status is PlanStatus.SHORTFALL for p in phased.periods) or bool(
        phased.heat and (any(g.shortfall_mm3 > 0 for g in phased.heat.gas_targets)
                         or any(not d.met for d in phased.heat.deadlines)))
    if short != (phased.status is PlanStatus.SHORTFALL):
        problems.append(f"status {phased.status} does not match the periods' shortfalls")
    return problems
