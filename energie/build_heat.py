"""Pure builders of the heat part of the MILP: one binary per (district, strategy, period).

Formulation (readable constraint names):

- ``y[d, s, p]`` = 1: district d converts to strategy s in the period ending in year p; only
  eligible strategies (``energie.heat_accounting.not_eligible_reason``) and open periods get one;
- ``one_choice[<district>]``: Σ_{s,p} y[d, s, p] ≤ 1 (a district may stay on gas unless a
  target needs it);
- ``gas_saved[<year>]``: Σ_{p ≤ year} gas_d × y + shortfall ≥ share × gas of all districts
  [million m³/yr];
- ``green_gas[<year>]``: Σ_{p ≤ year} green gas × y ≤ cap, in every period year [million m³/yr];
- objective: Σ weight × (1 + r)^−(p − first period) × investment × y [M€], where ``weight`` is
  the scenario's green-gas preference (1 for other strategies);
- coupling (``add_coupled_target``): the electricity target of the plan year (the first period)
  becomes ``base + Σ_{p ≤ year} electricity × y`` (``add_heat_demand``) or
  ``base + share × Σ_{p ≤ year} Δuse × y / 3.6`` (``share_of_energy_use``).

Shortfall variables (``short_*``, ≥ 0) are part of the model with upper bound 0; the planner
opens them only to explain a target that cannot be met (``energie.heat_optimise``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from energie.build import BuiltModel
from energie.heat_accounting import (
    StrategyFacts,
    discount_factor,
    not_eligible_reason,
    open_periods,
    strategy_facts,
)
from models.defaults import TJ_PER_GWH
from models.heat import GAS_KWH_PER_M3, District, HeatSettings, HeatStrategy

#: GWh of natural gas per million m³ (8.79 GWh): puts gas and electricity shortfalls on one scale.
GWH_PER_MM3 = GAS_KWH_PER_M3
ELECTRICITY_TARGET = "res_target[electricity]"


@dataclass(frozen=True)
class HeatOption:
    """District ``district`` (index) converting to ``facts.strategy`` in period ``year``."""

    district: int
    year: int
    facts: StrategyFacts
    #: Objective coefficient [M€]: weight × discount factor × investment.
    objective_meur: float


@dataclass(frozen=True)
class HeatData:
    """Everything the heat builders need; districts sorted by id."""

    districts: list[District]
    settings: HeatSettings
    options: list[HeatOption]
    #: district id → [(strategy, reason code)] for strategies it may not use.
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]]
    green_gas_cap_m3: float

    @property
    def periods(self) -> list[int]:
        return self.settings.periods

    @property
    def gas_m3(self) -> float:
        return sum(d.gas_m3 for d in self.districts)

    def target_mm3(self, year: int) -> float:
        return self.settings.gas_saved_share[year] * self.gas_m3 / 1e6


def prepare_heat(districts: list[District], settings: HeatSettings) -> HeatData:
    """Eligible options per district, with their numbers and objective coefficients."""
    ordered = sorted(districts, key=lambda d: d.district_id)
    first = settings.periods[0]
    options: list[HeatOption] = []
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]] = {}
    for k, d in enumerate(ordered):
        years = open_periods(d, settings.periods)
        for s in HeatStrategy:
            reason = not_eligible_reason(d, s, settings)
            if reason is not None:
                not_eligible.setdefault(d.district_id, []).append((s, reason))
                continue
            facts = strategy_facts(d, s, settings)
            for year in years:
                disc = discount_factor(year, first, settings.discount_rate_per_yr)
                options.append(HeatOption(k, year, facts, facts.weight * disc * facts.cost_meur))
    dwellings = sum(d.dwellings for d in ordered)
    return HeatData(ordered, settings, options, not_eligible, settings.green_gas_cap_m3(dwellings))


@dataclass
class HeatModel:
    """Heat variables and shortfall variables inside a ``BuiltModel``."""

    y: dict[int, pulp.LpVariable]
    short_gas: dict[int, pulp.LpVariable]
    short_electricity: pulp.LpVariable | None = None

    def shortfall_variables(self) -> list[pulp.LpVariable]:
        """Every shortfall variable: gas per target year, then electricity."""
        extra = [self.short_electricity] if self.short_electricity is not None else []
        return [v for _, v in sorted(self.short_gas.items())] + extra


def expression_value(expr: pulp.LpAffineExpression, values: dict[str, float]) -> float:
    """An expression's value at solved ``values`` (variable name → value; missing = 0)."""
    return float(expr.constant) + sum(c * values.get(v.name, 0.0) for v, c in expr.items())


def add_heat_variables(model: BuiltModel, hd: HeatData) -> HeatModel:
    """``y_<district>_<strategy>_<year>`` per option, named by the option's index."""
    y = {o: model.problem.add_variable(f"y_{o:06d}", 0, 1, cat=pulp.LpBinary) for o in range(len(hd.options))}
    short = {year: model.problem.add_variable(f"short_gas_{year}", 0, 0)
             for year in sorted(hd.settings.gas_saved_share)}
    return HeatModel(y, short)


def _sum(hm: HeatModel, hd: HeatData, value: str, by_year: int, scale: float = 1.0) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression([(hm.y[o], getattr(opt.facts, value) * scale)
                                    for o, opt in enumerate(hd.options)
                                    if opt.year <= by_year and getattr(opt.facts, value)])


def add_one_choice_constraints(model: BuiltModel, hm: HeatModel, hd: HeatData) -> None:
    """At most one strategy and period per district."""
    by_district: dict[int, list[pulp.LpVariable]] = {}
    for o, opt in enumerate(hd.options):
        by_district.setdefault(opt.district, []).append(hm.y[o])
    for k, variables in sorted(by_district.items()):
        if len(variables) > 1:
            model.add(f"one_choice[{hd.districts[k].district_id}]", pulp.lpSum(variables) <= 1)


def add_gas_target_constraints(model: BuiltModel, hm: HeatModel, hd: HeatData) -> None:
    """Natural gas saved by each target year ≥ its share of the districts' use [million m³/yr]."""
    for year, var in sorted(hm.short_gas.items()):
        model.add(f"gas_saved[{year}]", _sum(hm, hd, "gas_saved_m3", year, 1e-6) + var >= hd.target_mm3(year))


def add_green_gas_constraints(model: BuiltModel, hm: HeatModel, hd: HeatData) -> None:
    """Green gas used by the districts converted by each period year ≤ the cap [million m³/yr]."""
    for year in hd.periods:
        used = _sum(hm, hd, "green_gas_m3", year, 1e-6)
        if used.keys():
            model.add(f"green_gas[{year}]", used <= hd.green_gas_cap_m3 / 1e6)


def heat_objective(hm: HeatModel, hd: HeatData) -> pulp.LpAffineExpression:
    """Σ objective coefficient × y [M€]."""
    return pulp.LpAffineExpression([(hm.y[o], opt.objective_meur) for o, opt in enumerate(hd.options)
                                    if opt.objective_meur])


def coupling_expression(hm: HeatModel, hd: HeatData) -> pulp.LpAffineExpression:
    """What the heat plan adds to the plan year's electricity target [GWh/yr] (may be negative)."""
    mode, year = hd.settings.electricity_coupling, hd.periods[0]
    if mode == "add_heat_demand":
        return _sum(hm, hd, "electricity_gwh", year)
    if mode == "share_of_energy_use":
        share = hd.settings.renewable_share or 0.0
        return _sum(hm, hd, "energy_use_change_tj", year, share / TJ_PER_GWH)
    return pulp.LpAffineExpression()


def add_coupled_target(model: BuiltModel, hm: HeatModel, hd: HeatData, yield_expr: pulp.LpAffineExpression,
                       need_gwh: float) -> None:
    """Chosen yield + shortfall ≥ ``need_gwh`` (target − locked-in yield) + the heat plan's share."""
    hm.short_electricity = model.problem.add_variable("short_electricity", 0, 0)
    model.add(ELECTRICITY_TARGET,
              yield_expr + hm.short_electricity - coupling_expression(hm, hd) >= need_gwh)


def add_heat_constraints(model: BuiltModel, hm: HeatModel, hd: HeatData) -> None:
    """Every heat constraint family."""
    add_one_choice_constraints(model, hm, hd)
    add_gas_target_constraints(model, hm, hd)
    add_green_gas_constraints(model, hm, hd)


def shortfall_expression(hm: HeatModel) -> pulp.LpAffineExpression:
    """Σ shortfalls on one energy scale [GWh/yr]: electricity + 8.79 GWh per million m³ of gas."""
    terms = [(v, GWH_PER_MM3) for _, v in sorted(hm.short_gas.items())]
    if hm.short_electricity is not None:
        terms.append((hm.short_electricity, 1.0))
    return pulp.LpAffineExpression(terms)
