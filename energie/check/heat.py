"""Independent checker of the heat side of a plan, in plain Python.

It shares no code with ``energie.facts.heat_accounting``, ``energie.facts.heat`` or
``energie.planner.heat_results``: it re-derives each district's numbers from the district and the
strategy's specification, and checks eligibility, the one-choice rule, the gas targets, the green
gas cap, the plan's own figures and the electricity coupling (the target the site plan was held
to must equal the scenario's target plus what the heat plan adds). Over the years: the dwellings
converted per municipality and period against ``[heat] max_dwellings_per_yr`` × the period's years,
every start district's deadline (met, or reported as missed with a shortfall status) and the
dwellings converted per period.
"""

from __future__ import annotations

from models import Plan, PlanStatus, Scenario, SolverError
from models.heat import District, HeatSettings, HeatStrategy
from models.heat_plan import DistrictResult, HeatPlan

_REL = 1e-6
_KWH_PER_M3 = 31.65 / 3.6   # natural gas, 31.65 MJ/m³ (ETLocal)
_ETA = 0.9                  # boiler seasonal efficiency


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _REL * max(1.0, abs(a), abs(b))


def _numbers(d: District, s: HeatSettings, strategy: HeatStrategy) -> dict[str, float]:
    spec = s.spec(strategy)
    heat = d.dwellings * d.gas_m3_per_dwelling * _KWH_PER_M3 * _ETA * (1 - spec.insulation_saving)
    elec = heat * spec.heat_pump_share / spec.heat_pump_spf + heat * spec.network_share * spec.network_electricity_per_heat
    green = heat * spec.green_gas_share / _ETA / _KWH_PER_M3
    gas = d.dwellings * d.gas_m3_per_dwelling
    use_tj = ((elec + heat * spec.network_share) * 3.6e-6 + (green - gas) * 31.65e-6)
    cost = (d.dwellings * spec.capex_eur_per_dwelling + gas * spec.capex_eur_per_m3_gas) / 1e6
    return {"gas": gas / 1e6, "green": green / 1e6, "elec": elec / 1e6, "use": use_tj, "cost": cost}


def _eligibility(d: District, s: HeatSettings, strategy: HeatStrategy, year: int) -> list[str]:
    problems = []
    spec = s.spec(strategy)
    if strategy in s.forbid:
        problems.append(f"{d.district_id}: {strategy.value} is forbidden")
    if spec.needs_sources and not any(src in d.heat_sources for src in spec.needs_sources):
        problems.append(f"{d.district_id}: {strategy.value} without a suitable heat source")
    if spec.min_dwellings_per_ha is not None:
        if d.area_ha is None and d.rural:
            problems.append(f"{d.district_id}: heat network in a rural district of unknown area")
        if d.area_ha is not None and d.dwellings / d.area_ha < spec.min_dwellings_per_ha:
            problems.append(f"{d.district_id}: density {d.dwellings / d.area_ha:.1f} < {spec.min_dwellings_per_ha}")
    if year not in s.periods:
        problems.append(f"{d.district_id}: year {year} is not a period")
    if d.earliest_year is not None and year < d.earliest_year:
        problems.append(f"{d.district_id}: converts by {year}, before its earliest year {d.earliest_year}")
    return problems


def check_heat_plan(districts: list[District], scenario: Scenario, plan: Plan) -> list[str]:
    """Every violation of the heat rules or of the heat plan's own figures; empty when sound."""
    reported = plan.targets.get("electricity")
    s = scenario.heat
    base = scenario.targets.electricity_gwh
    targets = {} if s is None or base is None else {s.periods[0]: (base, None if reported is None else reported.target_gwh)}
    return check_heat(districts, scenario, plan.heat, plan.status, targets)


def check_heat(districts: list[District], scenario: Scenario, heat: HeatPlan | None, status: PlanStatus,
               targets: dict[int, tuple[float, float | None]]) -> list[str]:
    """Every violation of the heat rules or of the heat plan's own figures; empty when sound.

    ``targets``: per electricity target year, the scenario's target and the one the plan used (moved
    by the heat plan) [GWh/yr]; each is recomputed here from the districts converted by then.
    """
    s = scenario.heat
    if s is None or heat is None:
        return ["the scenario has a [heat] section but the plan no heat part"] if s is not None else []
    by_id = {d.district_id: d for d in districts}
    rows = {r.district_id: r for r in heat.districts}
    problems = []
    if sorted(rows) != sorted(by_id) or len(rows) != len(heat.districts):
        problems.append("the plan's districts differ from the input districts")
    done: list[tuple[int, dict[str, float]]] = []
    for did, r in sorted(rows.items()):
        d = by_id.get(did)
        if d is None or r.strategy is None:
            continue
        if r.year is None:
            problems.append(f"{did}: a strategy without a year")
            continue
        strategy = HeatStrategy(r.strategy)
        problems += _eligibility(d, s, strategy, r.year)
        n = _numbers(d, s, strategy)
        for key, got in (("gas", r.gas_saved_mm3), ("green", r.green_gas_mm3), ("elec", r.electricity_added_gwh),
                         ("use", r.energy_use_change_tj), ("cost", r.cost_meur)):
            if not _close(n[key], got):
                problems.append(f"{did}: {key} recomputed {n[key]:.6f} differs from the plan's {got:.6f}")
        done.append((r.year, n))
    total_gas = sum(d.dwellings * d.gas_m3_per_dwelling for d in districts) / 1e6
    cap = (s.green_gas_cap_mm3 if s.green_gas_cap_mm3 is not None
           else s.green_gas_m3_per_dwelling * sum(d.dwellings for d in districts) / 1e6)
    for year in s.periods:
        green = sum(n["green"] for y, n in done if y <= year)
        if green > cap * (1 + _REL) + _REL:
            problems.append(f"green gas {green:.3f} > cap {cap:.3f} million m³ in {year}")
    short_gas = False
    for year, share in sorted(s.gas_saved_share.items()):
        saved = sum(n["gas"] for y, n in done if y <= year)
        if saved < share * total_gas - _REL * max(1.0, total_gas):
            short_gas = True
            reported = [g for g in heat.gas_targets if g.year == year]
            if not reported or reported[0].shortfall_mm3 <= 0:
                problems.append(f"gas saved by {year} is {saved:.3f} < {share:.0%} of {total_gas:.3f} million m³, "
                                "not reported as a shortfall")
    if short_gas and status is not PlanStatus.SHORTFALL:
        problems.append(f"a gas target is missed but the status is {status}")
    for year, (base, used) in sorted(targets.items()):
        problems += _check_coupling(s, year, base, used, done)
    problems += _check_capacity(districts, s, rows)
    missed, deadline_problems = _check_deadlines(districts, heat, rows)
    problems += deadline_problems
    if missed and status is not PlanStatus.SHORTFALL:
        problems.append(f"deadlines missed ({', '.join(missed[:5])}) but the status is {status}")
    problems += _check_dwellings_per_period(s, heat, rows)
    return problems


def heat_is_short(districts: list[District], scenario: Scenario, heat: HeatPlan | None) -> bool:
    """Whether the plan's districts miss a gas target or a start district's deadline, recomputed from
    the districts and the plan's strategy years (not from the plan's own shortfall figures)."""
    s = scenario.heat
    if s is None or heat is None:
        return False
    year = {r.district_id: r.year for r in heat.districts}
    total = sum(d.dwellings * d.gas_m3_per_dwelling for d in districts)
    for by, share in s.gas_saved_share.items():
        saved = sum(d.dwellings * d.gas_m3_per_dwelling for d in districts if (year.get(d.district_id) or by + 1) <= by)
        if saved < share * total - _REL * max(1.0, total):
            return True
    return any(d.deadline_year is not None and (year.get(d.district_id) or d.deadline_year + 1) > d.deadline_year
               for d in districts)


def _periods_with_years(s: HeatSettings) -> list[tuple[int, int]]:
    out, start = [], s.conversion_start_year
    for year in s.periods:
        out.append((year, year - start))
        start = year
    return out


def _check_capacity(districts: list[District], s: HeatSettings, rows: dict[str, DistrictResult]) -> list[str]:
    problems = []
    by_town: dict[str, list[District]] = {}
    for d in districts:
        by_town.setdefault(d.gemeente, []).append(d)
    for town, members in sorted(by_town.items()):
        rate = s.max_dwellings_per_yr_by_gemeente.get(town, s.max_dwellings_per_yr)
        if rate is None:
            continue
        for year, years in _periods_with_years(s):
            n = sum(d.dwellings for d in members if d.district_id in rows and rows[d.district_id].year == year)
            if n > rate * years + _REL:
                problems.append(f"{town or 'districts without gemeente'}: {n} dwellings convert in the period to "
                                f"{year}, over the capacity {rate:g}/yr × {years} yr = {rate * years:g}")
    return problems


def _check_deadlines(districts: list[District], heat: HeatPlan,
                     rows: dict[str, DistrictResult]) -> tuple[list[str], list[str]]:
    reported = {r.district_id: r for r in heat.deadlines}
    missed, problems = [], []
    for d in districts:
        if d.deadline_year is None:
            continue
        r = rows.get(d.district_id)
        year = None if r is None else r.year
        ok = year is not None and year <= d.deadline_year
        got = reported.get(d.district_id)
        if not ok:
            missed.append(d.district_id)
        if got is None:
            problems.append(f"{d.district_id}: deadline {d.deadline_year} not in the plan's deadlines")
        elif got.met != ok or (not ok and got.shortfall_mm3 <= 0):
            when = "stays on natural gas" if year is None else f"converts by {year}"
            problems.append(f"{d.district_id}: {when} against its deadline {d.deadline_year}, reported as "
                            f"{'met' if got.met else 'missed'}")
    extra = sorted(set(reported) - {d.district_id for d in districts if d.deadline_year is not None})
    if extra:
        problems.append(f"deadlines reported for districts without one: {', '.join(extra[:5])}")
    return missed, problems


def _check_dwellings_per_period(s: HeatSettings, heat: HeatPlan, rows: dict[str, DistrictResult]) -> list[str]:
    problems, total = [], 0
    reported = {t.year: t for t in heat.years}
    for year in s.periods:
        new = sum(r.dwellings for r in rows.values() if r.year == year)
        total += new
        t = reported.get(year)
        if t is None or t.dwellings_new != new or t.dwellings_converted != total:
            problems.append(f"{year}: {new} dwellings convert in the period ({total} by then); the plan says "
                            + ("nothing" if t is None else f"{t.dwellings_new} ({t.dwellings_converted})"))
    return problems


def _check_coupling(s: HeatSettings, year: int, base: float, used: float | None,
                    done: list[tuple[int, dict[str, float]]]) -> list[str]:
    added = 0.0
    if s.electricity_coupling == "add_heat_demand":
        added = sum(n["elec"] for y, n in done if y <= year)
    elif s.electricity_coupling == "share_of_energy_use":
        added = (s.renewable_share or 0.0) * sum(n["use"] for y, n in done if y <= year) / 3.6
    expected = max(0.0, base + added)
    if used is None or not _close(used, expected):
        got = "none" if used is None else f"{used:.6f}"
        return [f"{year}: coupled electricity target recomputed {expected:.6f} GWh, the plan used {got}"]
    return []


def assert_heat_plan_feasible(districts: list[District], scenario: Scenario, plan: Plan) -> None:
    """Raise ``SolverError`` when ``check_heat_plan`` finds anything."""
    problems = check_heat_plan(districts, scenario, plan)
    if problems:
        raise SolverError("the heat plan failed the independent feasibility check:\n  - "
                          + "\n  - ".join(problems[:20]))
