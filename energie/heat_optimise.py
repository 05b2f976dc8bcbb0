"""Plan heat and electricity together: sites and district strategies in one MILP.

When a scenario has a ``[heat]`` section, the districts' strategies change the electricity the
municipality needs (heat pumps) and its total energy use, so the electricity target of the plan
year depends on the heat choices (``energie.build_heat``). Both halves are solved in one model.

Shortfall, in the spirit of ``energie.optimise``: first the cheapest plan meeting every target;
when none exists, the smallest total shortfall on one energy scale (electricity [GWh/yr] plus gas
at 8.79 GWh per million m³), then the cheapest plan with at most that shortfall per target. The
plan comes back with status ``shortfall`` and the most each target can reach.

Every plan passes two independent checks: ``energie.checker`` (sites, against the coupled
electricity target) and ``energie.checker_heat`` (districts, gas targets, green gas, coupling).

Examples
--------
>>> from models import Scenario
>>> from models.heat import District
>>> d = [District(district_id=f"BU{k}", dwellings=100 * k, gas_m3_per_dwelling=1500) for k in (1, 2)]
>>> sc = Scenario(name="demo", heat={"gas_saved_share": {2030: 0.3, 2050: 1.0}})
>>> p = plan_with_heat([], d, sc)
>>> [(r.district_id, r.strategy, r.year) for r in p.heat.districts]  # green gas for one district only
[('BU1', 'all_electric', 2050), ('BU2', 'green_gas_hybrid', 2030)]
"""

from __future__ import annotations

import time

import pulp

from energie.build import BuiltModel, add_rule_constraints, new_model, yield_expression
from energie.build_heat import (
    HeatData,
    HeatModel,
    add_coupled_target,
    add_heat_constraints,
    add_heat_variables,
    expression_value,
    heat_objective,
    prepare_heat,
    shortfall_expression,
)
from energie.checker import assert_plan_feasible
from energie.checker_heat import assert_heat_plan_feasible
from energie.heat_results import assemble_heat_plan, chosen_options
from energie.optimise import (
    TimeBudget,
    assemble_plan,
    chosen_indices,
    reject_municipalities,
    keep_cheaper_warm_start,
    raise_if_no_solution,
    with_solver_overrides,
)
from energie.prepare import PlanningData, prepare
from energie.solver import SolveResult, SolveStatus, solve
from models import InputError, Plan, PlanStatus, Scenario, Site, SolverError, Targets
from models.errors import preview_ids
from models.heat import District

#: Shortfalls below this [GWh/yr-equivalent] count as met (solver tolerance).
SHORT_TOL = 1e-6


def _solve(model: BuiltModel, budget: TimeBudget, warm: dict[str, float] | None = None) -> SolveResult:
    result = solve(model.problem, budget.next(), warm)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{budget.settings.name} returned an unknown status; try the other solver (--solver)")
    return result


def check_heat_inputs(scenario: Scenario, districts: list[District]) -> None:
    """``InputError`` when the scenario cannot plan heat or the districts repeat an id."""
    if scenario.heat is None:
        raise InputError(f"scenario '{scenario.name}' has no [heat] section; add one, e.g. [heat] with "
                         "gas_saved_share = {2030 = 0.2, 2050 = 1.0}")
    if scenario.targets.is_phased:
        raise InputError("heat planning with per-year electricity targets ([targets.2030], ...) is not "
                         "supported yet; give one plan year ([targets] electricity_gwh = ...). The heat "
                         "periods ([heat] periods) still run to 2050.")
    ids = [d.district_id for d in districts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError(f"district ids occur more than once: {', '.join(twice[:5])}; make them unique")


def plan_with_heat(sites: list[Site], districts: list[District], scenario: Scenario,
                   solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """Least-cost coupled plan of ``sites`` and ``districts`` under ``scenario`` (with ``[heat]``).

    Parameters
    ----------
    sites : validated sites with LIK types set (may be empty: a heat-only plan)
    districts : the districts that leave natural gas
    scenario : targets, rules, ``[heat]`` settings and solver settings
    solver, time_limit_s : override the scenario's solver and time limit [s]

    Raises
    ------
    InputError
        No ``[heat]`` section, per-year electricity targets, or repeated district ids.
    SolverError
        When the solver fails or finds nothing in time, or the plan fails a checker.
    """
    reject_municipalities(scenario, "the heat planner")
    check_heat_inputs(scenario, districts)
    scenario, settings = with_solver_overrides(scenario, solver, time_limit_s)
    assert scenario.heat is not None
    t0 = time.perf_counter()
    data = prepare(sites, scenario)
    hd = prepare_heat(districts, scenario.heat)
    model = new_model(data, pulp.LpMinimize, "coupled_min_cost")
    hm = add_heat_variables(model, hd)
    add_rule_constraints(model, data)
    add_heat_constraints(model, hm, hd)
    target = scenario.targets.electricity_gwh
    if target is not None:
        add_coupled_target(model, hm, hd, yield_expression(model, data), target - data.locked_yield_gwh)
    site_cost = pulp.LpAffineExpression([(model.x[i], f.objective_meur) for i, f in enumerate(data.candidates)])
    cost = site_cost + heat_objective(hm, hd)
    model.problem.setObjective(cost)
    budget = TimeBudget(settings)
    messages = _heat_messages(hd)
    result = _solve(model, budget)
    solve_s = result.time_s
    if result.status is SolveStatus.INFEASIBLE:
        for var in hm.shortfall_variables():
            var.upBound = None
        model.problem.setObjective(shortfall_expression(hm))
        least = _solve(model, budget)
        solve_s += least.time_s
        raise_if_no_solution(least, settings)
        if least.status is not SolveStatus.OPTIMAL:
            messages.append("the smallest shortfall is not proven (the solver stopped); raise solver.time_limit_s")
        for var in hm.shortfall_variables():
            var.upBound = least.values.get(var.name, 0.0) + 1e-6
        model.problem.setObjective(cost)
        result = _solve(model, budget, least.values)
        solve_s += result.time_s
        result = keep_cheaper_warm_start(result, least.values, expression_value(cost, least.values), messages,
                                         "the smallest shortfall")
    raise_if_no_solution(result, settings)
    if result.status is SolveStatus.INFEASIBLE:
        raise SolverError("the solver reports the smallest shortfall as infeasible; please report this")
    return _assemble(sites, districts, scenario, data, hd, model, hm, result, solve_s,
                     time.perf_counter() - t0 - solve_s, messages)


def _heat_messages(hd: HeatData) -> list[str]:
    with_option = {o.district for o in hd.options}
    stuck = [d.district_id for k, d in enumerate(hd.districts) if k not in with_option]
    if not stuck:
        return []
    return [f"{len(stuck)} district(s) have no eligible strategy and stay on natural gas: {preview_ids(stuck)}"]


def _assemble(sites: list[Site], districts: list[District], scenario: Scenario, data: PlanningData,
              hd: HeatData, model: BuiltModel, hm: HeatModel, result: SolveResult, solve_s: float,
              build_s: float, messages: list[str]) -> Plan:
    chosen = chosen_indices(model, result)
    options = chosen_options(hm, hd, result.values)
    heat = assemble_heat_plan(hd, options, scenario.targets.electricity_gwh, result.values, hm)
    short_e = result.values.get(hm.short_electricity.name, 0.0) if hm.short_electricity is not None else 0.0
    short_gas = any(result.values.get(v.name, 0.0) > SHORT_TOL for v in hm.short_gas.values())
    coupled = scenario
    if heat.coupling is not None:
        coupled = scenario.model_copy(update={"targets": Targets(electricity_gwh=max(0.0, heat.coupling.target_gwh))})
    solved = PlanStatus.OPTIMAL if result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
    electricity_status = PlanStatus.SHORTFALL if short_e > SHORT_TOL else solved
    plan = assemble_plan(data, coupled, chosen, electricity_status, result, solve_s, build_s,
                         None, messages)
    assert_plan_feasible(sites, coupled, plan)
    if electricity_status is PlanStatus.SHORTFALL:
        plan = plan.model_copy(update={"max_reachable_gwh": plan.targets["electricity"].achieved_gwh})
    status = PlanStatus.SHORTFALL if short_gas else electricity_status
    plan = plan.model_copy(update={
        "status": status, "heat": heat,
        "objective_meur": (plan.objective_meur or 0.0) + sum(o.objective_meur for o in options)})
    assert_heat_plan_feasible(districts, scenario, plan)
    return plan.attach_geometry(sites)


__all__ = ["check_heat_inputs", "plan_with_heat"]
