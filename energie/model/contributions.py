"""What each part of a scenario adds to the one problem. Each family adds nothing when its data is absent.

Sites (``energie.facts.prepare``):

- ``stays[<id>,<year>]``: w[i, k] ≤ w[i, k+1], a site built stays (to the end of the horizon; a
  candidate whose lifetime can end before has ``built_once`` and ``operates`` instead, see
  ``energie.model.lifetimes``);
- ``lik_area[<type>]``, ``lik_turbines[<type>]``, ``spacing[<a>,<b>]``: on the last period while
  nothing of theirs can retire. The set in operation then only grows and every locked-in site of the
  horizon is in operation at its end, so caps and spacing there imply them in every earlier period.
  Once something can retire: per period, ``lik_area[<type>,<year>]``, ``spacing[<a>,<b>,<year>]``;
- ``zonneladder[lower|land,<id>(,<year>)]`` (strict ladder): per period, no field on land in
  operation unless every lower-step candidate available by then is built (via ``lower_steps_full``).
  When the lower-step fields of one landscape type cannot all fit its area cap, the ladder can never
  open: the fields on land are fixed at 0 (no rows) and ``Problem.messages`` says why;

Targets, each with an elastic shortfall (``energie.model.problem.Elastic``):

- ``res_target[electricity(,<year>)]``: locked-in yield in k + Σ yield × w[·, k] + short ≥ target_k
  + what the heat plan adds by then (``add_heat_demand``: the heat pumps' electricity;
  ``share_of_energy_use``: the share of the change in energy use);
- ``municipal_target[<gemeente>(,<year>)]``: the same inside one municipality's borders;
- ``gas_saved[<year>]``: gas saved by the districts converted by then + short ≥ share × their use;
- ``deadline[<district>]``: a start district's gas × Σ y over its options by its ``deadline_year`` +
  short ≥ its gas [million m³/yr]; the shortfall weighs 8.79 GWh per million m³ and its tier is the
  deadline year, so a deadline that capacity cannot serve is a reported shortfall.

Heat (``energie.facts.heat.HeatData``): ``one_choice[<district>]``, ``green_gas[<year>]`` and
``conversion_capacity[<gemeente>,<year>]``: Σ dwellings × y over the municipality's options of the
period ≤ rate × the period's years (``[heat] max_dwellings_per_yr``; nothing without it).

Objective: Σ_i Σ_k (d_k × cost_i + weight × impact_i [+ soft-ladder charge]) × built[i, k], with
built = w[k] − w[k−1] (s[i, k] for a candidate that can retire) and d_k = (1 + r)^−(year_k − first
year), plus each heat option's weighted, discounted investment.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import pulp

from energie.facts.prepare import zonneladder_groups
from energie.facts.heat import GWH_PER_MM3, HeatOption
from energie.model.horizon import Horizon
from energie.model.lifetimes import add_operation_constraints, locked_use_in, periods_for
from energie.model.problem import Problem, new_problem
from energie.facts.prepare import SiteFacts
from models import SiteKind
from models.defaults import TJ_PER_GWH


def add_stay_constraints(p: Problem) -> None:
    """A candidate in operation in one period is in operation in the next (unless it can retire)."""
    h = p.horizon
    for (i, k), var in p.w.items():
        if (i, k + 1) in p.w and (i, k) not in p.s:
            # the row built directly: PuLP's var − var and ≤ cost 2× the time over 10⁵ rows
            row = pulp.LpConstraint(pulp.LpAffineExpression([(var, 1.0), (p.w[i, k + 1], -1.0)]),
                                    pulp.LpConstraintLE, rhs=0.0)
            p.add(f"stays[{h.candidates[i].site_id},{h.years[k]}]", row)


def add_lik_constraints(p: Problem) -> None:
    """Per landscape type: solar-field area ≤ cap − locked-in area; turbines ≤ cap − locked-in
    turbines; on the last period, or per period when something there can retire."""
    h = p.horizon
    data = h.data
    fields: dict[str, list[int]] = defaultdict(list)
    turbines: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        if f.kind == SiteKind.SOLAR_FIELD:
            fields[f.lik_type].append(i)
        elif f.kind == SiteKind.WIND_TURBINE:
            turbines[f.lik_type].append(i)
    for lik in sorted(fields):
        cap = data.scenario.rule_for(lik).max_solar_field_ha
        if cap is not None:
            _cap(p, f"lik_area[{lik}", fields[lik], lik, [data.candidates[i].area_ha for i in fields[lik]],
                 [cap - locked_use_in(h, k, lik)[0] for k in range(h.n_periods)])
    for lik in sorted(turbines):
        cap_n = data.scenario.rule_for(lik).max_turbines
        if cap_n is not None:
            _cap(p, f"lik_turbines[{lik}", turbines[lik], lik, [1.0] * len(turbines[lik]),
                 [cap_n - locked_use_in(h, k, lik)[1] for k in range(h.n_periods)])


def _cap(p: Problem, head: str, idx: list[int], lik: str, sizes: list[float], left: list[float]) -> None:
    """Σ size × w[·, k] ≤ max(0, left[k]) on the last period (``head]``) or every period (``head,<year>]``)."""
    h = p.horizon
    periods = periods_for(h, idx, {f.site_id for f in h.data.locked if f.lik_type == lik})
    for k in [p.last] if periods is None else periods:
        here = [(p.w[i, k], a) for i, a in zip(idx, sizes, strict=True) if (i, k) in p.w]
        left_k = max(0.0, left[k])
        if sum(a for _, a in here) > left_k + 1e-9:
            p.add(head + ("]" if periods is None else f",{h.years[k]}]"), pulp.LpAffineExpression(here) <= left_k)


def add_zonneladder_constraints(p: Problem) -> None:
    """Strict zonneladder per period: full ≤ w[l, k] for every lower-step candidate l and
    w[f, k] ≤ full for every field on land f, with ``lower_steps_full(_<year>)`` ∈ [0, 1]."""
    h = p.horizon
    if h.scenario.policy.zonneladder != "strict":
        return
    lower, land = zonneladder_groups(h.data)
    for k in range(h.n_periods):
        lower_k = [i for i in lower if (i, k) in p.w]
        land_k = [i for i in land if (i, k) in p.w]
        if not lower_k or not land_k:
            continue
        closed = ladder_closed_by(h, lower_k)
        if closed is not None:
            # land can never open in k: fixing its fields at 0 is exact and spares one row per
            # candidate (42k at 100k synthetic sites), which made the strict ladder slow to solve
            for i in land_k:
                p.w[i, k].upBound = 0
            lik, need_ha, cap_ha = closed
            when = f" in {h.years[k]}" if h.is_phased else ""
            p.messages.append(
                f"strict zonneladder: no solar field on land can be in operation{when}"
                f" — every lower-step candidate must be built first, and their fields in {lik} take "
                f"{need_ha:,.1f} ha, above the {cap_ha:,.1f} ha lik_area[{lik}] leaves; raise that cap, "
                "drop lower-step candidates there, or choose zonneladder = \"soft\"")
            continue
        full = p.lp.add_variable("lower_steps_full" + (f"_{h.years[k]}" if h.is_phased else ""), 0, 1)
        for i in lower_k:
            p.add(f"zonneladder[lower,{h.candidates[i].site_id}{h.label(k)}]", full - p.built_by(i, k) <= 0)
        for i in land_k:
            p.add(f"zonneladder[land,{h.candidates[i].site_id}{h.label(k)}]", p.w[i, k] - full <= 0)


def ladder_closed_by(h: Horizon, lower: list[int]) -> tuple[str, float, float] | None:
    """The landscape type whose area cap the lower-step ``lower`` candidates cannot all fit in,
    as (type, their area [ha], area the cap leaves [ha]); ``None`` when they may all be built
    as far as the caps go, or when something there can retire (the caps then hold per period)."""
    areas: dict[str, list[int]] = defaultdict(list)
    for i in lower:
        f = h.candidates[i]
        if f.kind == SiteKind.SOLAR_FIELD:
            areas[f.lik_type].append(i)
    for lik in sorted(areas):
        cap = h.scenario.rule_for(lik).max_solar_field_ha
        if cap is None or periods_for(h, areas[lik], {f.site_id for f in h.data.locked if f.lik_type == lik}):
            continue
        left = max(0.0, cap - locked_use_in(h, h.n_periods - 1, lik)[0])
        need = sum(h.candidates[i].area_ha for i in areas[lik])
        if need > left + 1e-9:
            return lik, need, left
    return None


def add_spacing_constraints(p: Problem) -> None:
    """No two turbines in operation closer than ``policy.min_turbine_distance_m``: w_a + w_b ≤ 1, on
    the last period, or per period where one of the two can retire."""
    h = p.horizon
    c = h.candidates
    for a, b in h.data.conflicts:
        periods = periods_for(h, [a, b], set())
        if periods is None:
            p.add(f"spacing[{c[a].site_id},{c[b].site_id}]", p.w[a, p.last] + p.w[b, p.last] <= 1)
            continue
        for k in periods:
            if (a, k) in p.w and (b, k) in p.w:
                p.add(f"spacing[{c[a].site_id},{c[b].site_id},{h.years[k]}]", p.w[a, k] + p.w[b, k] <= 1)


# ---------------------------------------------------------------------------------------- heat


def _heat_sum(p: Problem, by_year: int | None, value: str, scale: float = 1.0) -> pulp.LpAffineExpression:
    hd = p.horizon.heat
    if hd is None or by_year is None:
        return pulp.LpAffineExpression()
    return pulp.LpAffineExpression([(p.y[o], getattr(opt.facts, value) * scale) for o, opt in enumerate(hd.options)
                                    if opt.year <= by_year and getattr(opt.facts, value)])


def add_heat_variables(p: Problem) -> None:
    """``y_<option>`` per heat option."""
    hd = p.horizon.heat
    if hd is not None:
        p.y = {o: p.lp.add_variable(f"y_{o:06d}", 0, 1, cat=pulp.LpBinary) for o in range(len(hd.options))}


def heat_coupling(p: Problem, k: int) -> pulp.LpAffineExpression:
    """What the heat plan adds to period ``k``'s electricity target [GWh/yr] (may be negative)."""
    hd = p.horizon.heat
    if hd is None:
        return pulp.LpAffineExpression()
    mode, year = hd.settings.electricity_coupling, p.horizon.heat_year(k)
    if mode == "add_heat_demand":
        return _heat_sum(p, year, "electricity_gwh")
    if mode == "share_of_energy_use":
        return _heat_sum(p, year, "energy_use_change_tj", (hd.settings.renewable_share or 0.0) / TJ_PER_GWH)
    return pulp.LpAffineExpression()


def add_heat_constraints(p: Problem) -> None:
    """At most one strategy and year per district; gas saved per target year; green gas per year."""
    hd = p.horizon.heat
    if hd is None:
        return
    by_district: dict[int, list[pulp.LpVariable]] = defaultdict(list)
    for o, opt in enumerate(hd.options):
        by_district[opt.district].append(p.y[o])
    for d, variables in sorted(by_district.items()):
        if len(variables) > 1:
            p.add(f"one_choice[{hd.districts[d].district_id}]", pulp.lpSum(variables) <= 1)
    for year in sorted(hd.settings.gas_saved_share):
        short = p.add_elastic(f"gas_saved[{year}]", year, GWH_PER_MM3, "gas", str(year), hd.target_mm3(year))
        p.add(f"gas_saved[{year}]", _heat_sum(p, year, "gas_saved_m3", 1e-6) + short >= hd.target_mm3(year))
    for year in hd.periods:
        used = _heat_sum(p, year, "green_gas_m3", 1e-6)
        if used.keys():
            p.add(f"green_gas[{year}]", used <= hd.green_gas_cap_m3 / 1e6)


def add_conversion_capacity_constraints(p: Problem) -> None:
    """Per municipality and period: dwellings of the districts converting in the period ≤ its capacity.

    Examples
    --------
    >>> from energie.model.horizon import prepare_horizon
    >>> from models import Scenario
    >>> from models.heat import District
    >>> d = [District(district_id="BU1", gemeente="GM0160", dwellings=900, gas_m3_per_dwelling=1500)]
    >>> sc = Scenario(name="t", heat={"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 100})
    >>> p = build_problem(prepare_horizon([], sc, d))
    >>> sorted(n for n in p.constraints if n.startswith("conversion"))
    ['conversion_capacity[GM0160,2030]']
    """
    hd = p.horizon.heat
    if hd is None:
        return
    for limit in hd.capacity_limits():
        members = set(limit.districts)
        terms = [(p.y[o], float(hd.districts[opt.district].dwellings)) for o, opt in enumerate(hd.options)
                 if opt.year == limit.year and opt.district in members]
        # a period with room for every district it could take needs no constraint
        if sum(hd.districts[d].dwellings for d in {opt.district for opt in hd.options
                                                   if opt.year == limit.year and opt.district in members}
               ) <= limit.limit_dwellings:
            continue
        p.add(f"conversion_capacity[{limit.gemeente},{limit.year}]",
              pulp.LpAffineExpression(terms) <= limit.limit_dwellings)


def add_deadline_constraints(p: Problem) -> None:
    """A start district converts in a period at or before its ``deadline_year`` (elastic)."""
    hd = p.horizon.heat
    if hd is None:
        return
    for k, d in enumerate(hd.districts):
        if d.deadline_year is None:
            continue
        gas_mm3 = d.gas_m3 / 1e6
        rule = f"deadline[{d.district_id}]"
        short = p.add_elastic(rule, d.deadline_year, GWH_PER_MM3, "deadline", d.district_id, gas_mm3)
        by_then = [(p.y[o], gas_mm3) for o, opt in enumerate(hd.options)
                   if opt.district == k and opt.year <= d.deadline_year]
        p.add(rule, pulp.LpAffineExpression(by_then) + short >= gas_mm3)


# ---------------------------------------------------------------------------------------- targets


def add_target_constraints(p: Problem) -> None:
    """The region's electricity target per period, then every municipality's own per period."""
    h = p.horizon
    yields = [f.yield_gwh for f in h.candidates]
    for k, target in enumerate(h.targets_gwh):
        if target is None:
            continue
        rule = f"res_target[electricity{h.label(k)}]"
        short = p.add_elastic(rule, h.heat_year(k), 1.0, "region", "region", target, k)
        p.add(rule, p.operating(k, yields) + short - heat_coupling(p, k) >= target - h.locked_yield_gwh(k))
    for need in h.municipal:
        if need.need_gwh <= 0:
            continue
        rule = f"municipal_target[{need.gemeente}{h.label(need.period)}]"
        short = p.add_elastic(rule, h.heat_year(need.period), 1.0, "municipality", need.gemeente,
                              need.target_gwh, need.period)
        p.add(rule, p.operating(need.period, yields, need.candidates) + short >= need.need_gwh)


# ---------------------------------------------------------------------------------------- objective


def discount_factors(h: Horizon) -> list[float]:
    """(1 + r)^−(year_k − first year) per period [-]; 1 for a one-year scenario."""
    if not h.is_phased:
        return [1.0]
    r = h.scenario.objective.discount_rate_per_yr
    first = h.years[0]
    assert first is not None
    return [(1.0 + r) ** -((year or first) - first) for year in h.years]


def build_coefficient(f: SiteFacts, discount: float) -> float:
    """Objective coefficient of building ``f`` in a period with discount factor ``discount`` [M€]:
    the investment discounted, landscape impact and soft-ladder charge not."""
    return f.objective_meur - (1.0 - discount) * f.site.cost_meur


def heat_option_cost(opt: HeatOption) -> float:
    """A heat option's objective coefficient [M€]: weight × discount factor × investment."""
    return opt.objective_meur


def set_cost_objective(p: Problem) -> None:
    """Minimise Σ coefficient(i, k) × built[i, k] (written on w) + Σ heat option cost × y."""
    h = p.horizon
    d = discount_factors(h)
    last = p.last
    terms = []
    for (i, k), var in p.w.items():
        if (i, k) in p.s:
            continue  # the build variables carry its cost
        f = h.candidates[i]
        later = build_coefficient(f, d[k + 1]) if k < last else 0.0
        terms.append((var, build_coefficient(f, d[k]) - later))
    terms += [(var, build_coefficient(h.candidates[i], d[b])) for (i, b), var in p.s.items()]
    if h.heat is not None:
        terms += [(p.y[o], heat_option_cost(opt)) for o, opt in enumerate(h.heat.options)]
    p.cost = pulp.LpAffineExpression([(v, c) for v, c in terms if c])
    p.lp.setObjective(p.cost)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the problem is built: building creates hundreds of
    thousands of PuLP objects and no garbage cycles, and the collector's passes over them took half the
    build (RES West-Overijssel at 1 ha × 3 years: 8.0 → 4.8 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_problem(h: Horizon, name: str = "plan") -> Problem:
    """The least-cost problem of ``h`` with every contribution; shortfalls fixed at 0."""
    with _collector_paused():
        p = new_problem(h, name)
        add_heat_variables(p)
        set_cost_objective(p)
        add_target_constraints(p)
        add_stay_constraints(p)
        add_operation_constraints(p)
        add_lik_constraints(p)
        add_zonneladder_constraints(p)
        add_spacing_constraints(p)
        add_heat_constraints(p)
        add_conversion_capacity_constraints(p)
        add_deadline_constraints(p)
    return p


__all__ = ["add_conversion_capacity_constraints", "add_deadline_constraints", "add_heat_constraints", "add_lik_constraints", "add_spacing_constraints", "add_stay_constraints",
           "add_target_constraints", "add_zonneladder_constraints", "build_coefficient", "build_problem",
           "discount_factors", "heat_coupling", "set_cost_objective"]
