"""From solved heat variables to a ``HeatPlan``: per district, per period, per strategy."""

from __future__ import annotations

from collections import defaultdict

from energie.facts.heat import CapacityLimit, HeatData, HeatOption
from energie.facts.heat_accounting import NOT_ELIGIBLE_REASONS, discount_factor
from models.heat import DEFAULT_STRATEGIES, HeatStrategy
from models.heat_plan import (
    CapacityResult,
    DeadlineResult,
    DistrictResult,
    ElectricityCoupling,
    GasTargetResult,
    HeatPlan,
    StrategyTotals,
    YearTotals,
)


def _district_results(hd: HeatData, options: list[HeatOption]) -> list[DistrictResult]:
    by_district = {o.district: o for o in options}
    first, rate = hd.periods[0], hd.settings.discount_rate_per_yr
    out = []
    for k, d in enumerate(hd.districts):
        o = by_district.get(k)
        f = o.facts if o else None
        out.append(DistrictResult(
            district_id=d.district_id, name=d.name, gemeente=d.gemeente, rural=d.rural, old_stock=d.old_stock,
            dwellings=d.dwellings, gas_mm3=d.gas_m3 / 1e6,
            strategy=f.strategy.value if f else None, year=o.year if o else None,
            cost_meur=f.cost_meur if f else 0.0,
            cost_pv_meur=f.cost_meur * discount_factor(o.year, first, rate) if f and o else 0.0,
            gas_saved_mm3=f.gas_saved_m3 / 1e6 if f else 0.0,
            green_gas_mm3=f.green_gas_m3 / 1e6 if f else 0.0,
            electricity_added_gwh=f.electricity_gwh if f else 0.0,
            energy_use_change_tj=f.energy_use_change_tj if f else 0.0,
            not_eligible=[f"{s.value}: {NOT_ELIGIBLE_REASONS[r]}" for s, r in hd.not_eligible.get(d.district_id, [])]))
    return out


def _year_totals(hd: HeatData, districts: list[DistrictResult]) -> list[YearTotals]:
    out = []
    for year in hd.periods:
        done = [r for r in districts if r.year is not None and r.year <= year]
        out.append(YearTotals(
            year=year, dwellings_converted=sum(r.dwellings for r in done),
            dwellings_new=sum(r.dwellings for r in done if r.year == year),
            gas_saved_mm3=sum(r.gas_saved_mm3 for r in done), green_gas_mm3=sum(r.green_gas_mm3 for r in done),
            green_gas_cap_mm3=hd.green_gas_cap_m3 / 1e6,
            electricity_added_gwh=sum(r.electricity_added_gwh for r in done),
            energy_use_change_tj=sum(r.energy_use_change_tj for r in done)))
    return out


def _capacity(hd: HeatData, limit: CapacityLimit, districts: list[DistrictResult]) -> CapacityResult:
    members = set(limit.districts)
    used = sum(districts[k].dwellings for k in members if districts[k].year == limit.year)
    left = limit.limit_dwellings - used
    could = {o.district for o in hd.options if o.year == limit.year and o.district in members}
    kept_out = [k for k in could if (districts[k].year or limit.year + 1) > limit.year
                and districts[k].dwellings > left + 1e-9]
    return CapacityResult(gemeente=limit.gemeente, year=limit.year, years=limit.years, rate_per_yr=limit.rate_per_yr,
                          limit_dwellings=limit.limit_dwellings, converted_dwellings=used, binding=bool(kept_out))


def _deadlines(hd: HeatData, districts: list[DistrictResult]) -> list[DeadlineResult]:
    out = []
    for k, d in enumerate(hd.districts):
        if d.deadline_year is None:
            continue
        r = districts[k]
        met = r.year is not None and r.year <= d.deadline_year
        later = any(o.district == k and o.year > d.deadline_year for o in hd.options)
        out.append(DeadlineResult(
            district_id=d.district_id, name=d.name, gemeente=d.gemeente, deadline_year=d.deadline_year,
            dwellings=d.dwellings, year=r.year, met=met, binding=met and later and r.year == hd.deadline_period(k),
            shortfall_mm3=0.0 if met else d.gas_m3 / 1e6))
    return out


def _strategy_totals(districts: list[DistrictResult]) -> list[StrategyTotals]:
    groups: dict[str, list[DistrictResult]] = defaultdict(list)
    for r in districts:
        if r.strategy is not None:
            groups[r.strategy].append(r)
    return [StrategyTotals(
        strategy=s.value, label=DEFAULT_STRATEGIES[s].label, districts=len(groups[s.value]),
        dwellings=sum(r.dwellings for r in groups[s.value]), cost_meur=sum(r.cost_meur for r in groups[s.value]),
        gas_saved_mm3=sum(r.gas_saved_mm3 for r in groups[s.value]),
        green_gas_mm3=sum(r.green_gas_mm3 for r in groups[s.value]),
        electricity_added_gwh=sum(r.electricity_added_gwh for r in groups[s.value]))
        for s in HeatStrategy if groups.get(s.value)]


def _gas_targets(hd: HeatData, opened: set[int], years: list[YearTotals]) -> list[GasTargetResult]:
    out = []
    for year, share in sorted(hd.settings.gas_saved_share.items()):
        saved = _saved_by(hd, year, years)
        target = hd.target_mm3(year)
        short = max(0.0, target - saved)
        out.append(GasTargetResult(year=year, share=share, target_mm3=target, saved_mm3=saved,
                                   shortfall_mm3=short if short > 1e-9 else 0.0,
                                   max_reachable_mm3=saved if year in opened else None))
    return out


def _saved_by(hd: HeatData, year: int, years: list[YearTotals]) -> float:
    """Gas saved by ``year`` [million m³/yr]: the totals of the last period year at or before it."""
    done = [t for t in years if t.year <= year]
    return done[-1].gas_saved_mm3 if done else 0.0


def coupling_for(hd: HeatData, options: list[HeatOption], year: int, base_gwh: float,
                 added_gwh: float) -> ElectricityCoupling:
    """How the chosen ``options`` converted by ``year`` move its electricity target ``base_gwh``
    by ``added_gwh`` [GWh/yr] (the value of the coupling the model used)."""
    done = [o for o in options if o.year <= year]
    return ElectricityCoupling(
        mode=hd.settings.electricity_coupling, year=year, base_target_gwh=base_gwh,
        heat_electricity_gwh=sum(o.facts.electricity_gwh for o in done),
        energy_use_change_tj=sum(o.facts.energy_use_change_tj for o in done), target_gwh=base_gwh + added_gwh)


def assemble_heat_plan(hd: HeatData, options: list[HeatOption], couplings: list[ElectricityCoupling],
                       short_gas_years: set[int]) -> HeatPlan:
    """The ``HeatPlan`` of the chosen ``options``; ``couplings`` per electricity target year (first =
    the plan year), ``short_gas_years`` the gas target years whose shortfall had to be opened."""
    districts = _district_results(hd, options)
    years = _year_totals(hd, districts)
    return HeatPlan(
        periods=hd.periods, discount_rate_per_yr=hd.settings.discount_rate_per_yr, districts=districts,
        gas_targets=_gas_targets(hd, short_gas_years, years), years=years, strategies=_strategy_totals(districts),
        cost_meur=sum(r.cost_meur for r in districts), cost_pv_meur=sum(r.cost_pv_meur for r in districts),
        gas_mm3=hd.gas_m3 / 1e6, coupling=couplings[0] if couplings else None,
        couplings=couplings if len(couplings) > 1 else [],
        capacity=[_capacity(hd, limit, districts) for limit in hd.capacity_limits()],
        deadlines=_deadlines(hd, districts))


__all__ = ["assemble_heat_plan", "coupling_for"]
