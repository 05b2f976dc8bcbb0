"""Plan: prepare → build → solve → (explain a shortfall) → check.

The target is elastic in the sense users need: when it cannot be met the plan
still comes back, with status ``shortfall``, the maximum reachable yield and the
rules that bind. That is done in two phases rather than with a big penalty
(which would make the MIP gap meaningless): maximise the reachable yield, then
find the cheapest plan that reaches it.

Examples
--------
>>> from models import Scenario, RooftopSolar
>>> roof = RooftopSolar(site_id="R1", status="candidate", capacity_mw=10, cost_meur=8)
>>> p = plan([roof], Scenario(name="demo", targets={"electricity_gwh": 5}))
>>> p.status.value, p.selected
('optimal', ['R1'])
"""

from __future__ import annotations

import time

from energie.build import BuiltModel, build_max_yield_model, build_min_cost_model
from energie.checker import assert_plan_feasible
from energie.prepare import PlanningData, SiteFacts, prepare
from energie.regional import (
    build_max_yield_within, build_min_shortfall_model, build_region_min_cost_model, municipal_needs,
    municipal_rule_uses, municipality_results, region_messages,
)
from energie.rules import rule_uses
from energie.solver import SolveResult, SolveStatus, solve, solver_version
from models import (
    InputError,
    Plan,
    PlanStatus,
    Scenario,
    Site,
    SiteResult,
    SolverError,
    TargetResult,
)
from models.scenario import SolverSettings
from sites import PlanningInputs

#: Tolerance on yields [GWh/yr] when comparing with a target.
YIELD_TOL_GWH = 1e-6


def chosen_indices(model: BuiltModel, result: SolveResult) -> set[int]:
    return {i for i, var in model.x.items() if result.values.get(var.name, 0.0) > 0.5}


def site_result(f: SiteFacts, chosen: bool) -> SiteResult:
    s = f.site
    return SiteResult(
        site_id=s.site_id, name=s.name, kind=s.kind, status=s.status.value, lik_type=s.lik_type,
        initiator=s.initiator.value, capacity_mw=s.capacity_mw, yield_gwh=f.yield_gwh, area_ha=f.area_ha,
        cost_meur=s.cost_meur, impact_meur=f.impact_meur, chosen=chosen, gemeente=s.gemeente)


def assemble_plan(data: PlanningData, scenario: Scenario, chosen: set[int], status: PlanStatus,
                  result: SolveResult | None, solve_s: float, build_s: float,
                  max_reachable_gwh: float | None, messages: list[str],
                  municipal_max_gwh: dict[str, float] | None = None) -> Plan:
    """A ``Plan`` for the candidate indices ``chosen``, with its targets, rules and totals (and, for a
    region, a row per municipality with ``municipal_max_gwh``, the maximum inside each short one)."""
    target = scenario.targets.electricity_gwh
    facts = [data.candidates[i] for i in sorted(chosen)]
    achieved = data.locked_yield_gwh + sum(f.yield_gwh for f in facts)
    name = scenario.solver.name
    rules = rule_uses(data, chosen, target, achieved)
    return Plan(
        scenario_name=scenario.name, status=status, solver=result.solver if result else name,
        solver_version=result.solver_version if result else solver_version(name),
        objective_meur=sum(f.objective_meur for f in facts),
        bound_meur=result.bound if result else None, gap=result.gap if result else None,
        solve_time_s=solve_s, build_time_s=build_s,
        selected=sorted(f.site_id for f in facts),
        locked_in=sorted(f.site_id for f in data.locked),
        sites=[site_result(f, False) for f in data.locked] + [site_result(f, True) for f in facts],
        excluded=data.excluded,
        targets={} if target is None else {"electricity": TargetResult(
            target_gwh=target, achieved_gwh=achieved, shortfall_gwh=max(0.0, target - achieved))},
        rules=rules[:1] + municipal_rule_uses(data, chosen) + rules[1:],
        existing_gwh=data.existing_gwh,
        region_name=scenario.region.name if scenario.region else "",
        municipalities=(municipality_results(data, chosen, target, municipal_max_gwh)
                        if scenario.municipalities else []),
        max_reachable_gwh=max_reachable_gwh,
        cost_meur=sum(f.site.cost_meur for f in facts),
        impact_meur=sum(f.impact_meur for f in facts),
        messages=messages,
    )


def _empty_result(settings: SolverSettings) -> SolveResult:
    return SolveResult(SolveStatus.OPTIMAL, 0.0, 0.0, 0.0, settings.name, solver_version(settings.name), 0.0, {})


def _solve(model: BuiltModel, data: PlanningData, settings: SolverSettings,
           warm_start: dict[str, float] | None = None) -> SolveResult:
    if not data.candidates:
        return _empty_result(settings)
    result = solve(model.problem, settings, warm_start)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{settings.name} returned an unknown status; try the other solver (--solver)")
    return result


def keep_cheaper_warm_start(result: SolveResult, warm: dict[str, float], warm_cost: float,
                            messages: list[str], what: str) -> SolveResult:
    """The solver's result, or the known feasible warm start when the solver did no better in time."""
    if result.objective is not None and result.objective <= warm_cost + 1e-9:
        return result
    messages.append(f"the cheapest plan reaching {what} was not found within the time limit; this plan "
                    "reaches it but its cost is not minimised")
    return SolveResult(SolveStatus.FEASIBLE, warm_cost, None, None, result.solver, result.solver_version,
                       result.time_s, warm)


def raise_if_no_solution(result: SolveResult, settings: SolverSettings) -> None:
    """A ``SolverError`` with advice when the solver stopped without any plan."""
    if result.status is SolveStatus.NO_SOLUTION:
        other = "highs" if settings.name == "cbc" else "cbc"
        raise SolverError(f"{settings.name} found no plan within {settings.time_limit_s:.0f} s; raise "
                          f"solver.time_limit_s or try --solver {other}")


def _max_reachable(data: PlanningData, settings: SolverSettings) -> tuple[float, set[int], SolveResult]:
    model = build_max_yield_model(data)
    result = _solve(model, data, settings)
    if result.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        raise SolverError(f"could not compute the maximum reachable yield ({result.status}); "
                          "raise solver.time_limit_s")
    chosen = chosen_indices(model, result)
    return data.locked_yield_gwh + sum(data.candidates[i].yield_gwh for i in chosen), chosen, result


class TimeBudget:
    """The scenario's time limit shared by every solve of one plan (at least 1 s per solve)."""

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        self.deadline = time.perf_counter() + settings.time_limit_s

    def next(self) -> SolverSettings:
        left = max(1.0, self.deadline - time.perf_counter())
        return self.settings.model_copy(update={"time_limit_s": left})


def reject_heat(scenario: Scenario) -> None:
    """``InputError`` for a scenario with ``[heat]``: only ``energie.heat_optimise`` plans districts."""
    if scenario.heat is not None:
        raise InputError(f"scenario '{scenario.name}' has a [heat] section: plan it with `energie plan` or "
                         "`energie heat`, which plan the districts too (what-if, explain, alternatives and "
                         "sweep do not plan heat yet; remove [heat] to use them on the sites alone)")


def reject_municipalities(scenario: Scenario, what: str) -> None:
    """``InputError`` for a scenario with ``[municipalities]`` in a planner that does not plan them."""
    if scenario.municipalities:
        raise InputError(f"scenario '{scenario.name}' has [municipalities]: {what} does not plan per-"
                         "municipality targets yet; plan the region with one target year and no [heat], "
                         "or remove [municipalities]")


def with_solver_overrides(scenario: Scenario, solver: str | None,
                          time_limit_s: float | None) -> tuple[Scenario, SolverSettings]:
    """The scenario with ``solver`` and ``time_limit_s`` [s] (when given) in its solver settings."""
    updates: dict[str, object] = {"name": solver} if solver else {}
    if time_limit_s is not None:
        updates["time_limit_s"] = time_limit_s  # validated by SolverSettings (> 0)
    settings = SolverSettings.model_validate({**scenario.solver.model_dump(), **updates})
    return (scenario.model_copy(update={"solver": settings}) if updates else scenario), settings


def _solve_with_municipal_targets(
        data: PlanningData, need: float, settings: SolverSettings, budget: TimeBudget, messages: list[str]
) -> tuple[BuiltModel, SolveResult, float | None, dict[str, float], float, float]:
    """Region total and municipal targets: the cheapest plan, else the smallest total shortfall at least
    cost (``energie.regional``). Returns model, result, region maximum (``None``), the maximum reachable
    inside each short municipality, build and solve seconds."""
    tb = time.perf_counter()
    model = build_region_min_cost_model(data, need)
    build_s = time.perf_counter() - tb
    result = _solve(model, data, budget.next())
    solve_s = result.time_s
    municipal_max: dict[str, float] = {}
    if result.status is not SolveStatus.INFEASIBLE:
        return model, result, None, municipal_max, build_s, solve_s
    tb = time.perf_counter()
    phase1, short = build_min_shortfall_model(data, need)
    build_s += time.perf_counter() - tb
    first = _solve(phase1, data, budget.next())
    solve_s += first.time_s
    if first.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) or first.objective is None:
        raise SolverError(f"could not compute the smallest shortfall of the targets ({first.status}); "
                          "raise solver.time_limit_s")
    if first.status is not SolveStatus.OPTIMAL:
        messages.append(f"the smallest total shortfall is not proven (solver stopped, gap "
                        f"{100 * (first.gap or 0):.3g} %); raise solver.time_limit_s for a proof")
    # a target the phase-1 plan meets stays met; one it misses may miss by at most as much more as the
    # solver's own optimality tolerance (gap_rel of its need), room for the cost phase
    caps = {}
    for key, var in short.items():
        left = first.values.get(var.name, 0.0)
        caps[key] = 0.0 if left <= 1e-6 else left + settings.gap_rel * (var.upBound or 0.0)
    tb = time.perf_counter()
    model, _ = build_min_shortfall_model(data, need, caps)
    build_s += time.perf_counter() - tb
    warm = {v.name: first.values.get(v.name, 0.0) for v in model.problem.variables()}
    reach_set = chosen_indices(phase1, first)
    result = _solve(model, data, budget.next(), warm)
    solve_s += result.time_s
    reach_cost = sum(data.candidates[i].objective_meur for i in reach_set)
    result = keep_cheaper_warm_start(result, warm, reach_cost, messages, "the smallest shortfall")
    chosen = chosen_indices(model, result)
    for m in municipal_needs(data):
        got = m.locked_gwh + sum(data.candidates[i].yield_gwh for i in m.candidates if i in chosen)
        if got < m.target_gwh - YIELD_TOL_GWH:
            within = build_max_yield_within(data, m.candidates)
            res = _solve(within, data, budget.next())
            solve_s += res.time_s
            municipal_max[m.gemeente] = m.locked_gwh + sum(
                data.candidates[i].yield_gwh for i in chosen_indices(within, res))
    return model, result, None, municipal_max, build_s, solve_s


def plan(sites: list[Site], scenario: Scenario, solver: str | None = None,
         time_limit_s: float | None = None) -> Plan:
    """Least-cost plan for ``sites`` under ``scenario``, checked independently.

    Parameters
    ----------
    sites : validated sites with LIK types set
    scenario : targets, rules and solver settings
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s]

    Raises
    ------
    SolverError
        When the solver fails or finds nothing in time, or the plan fails the checker.
    """
    reject_heat(scenario)
    scenario, settings = with_solver_overrides(scenario, solver, time_limit_s)
    t0 = time.perf_counter()
    data = prepare(sites, scenario)
    target = scenario.targets.electricity_gwh
    messages: list[str] = []
    if data.locked_conflicts:
        pairs = ", ".join(f"{a}–{b}" for a, b in data.locked_conflicts[:5])
        messages.append(f"locked-in turbines closer than the minimum distance: {pairs}")
    max_reachable: float | None = None
    need = (target or 0.0)
    upper = data.locked_yield_gwh + data.candidate_yield_gwh
    build_s = solve_s = 0.0
    result: SolveResult | None = None
    model: BuiltModel | None = None
    budget = TimeBudget(settings)
    municipal_max: dict[str, float] = {}
    if scenario.has_municipal_targets:
        messages += region_messages(data)
        model, result, max_reachable, municipal_max, build_s, solve_s = _solve_with_municipal_targets(
            data, need, settings, budget, messages)
    else:
        if need <= upper + YIELD_TOL_GWH:
            tb = time.perf_counter()
            model = build_min_cost_model(data, need)
            build_s += time.perf_counter() - tb
            result = _solve(model, data, budget.next())
            solve_s += result.time_s
        if result is None or result.status is SolveStatus.INFEASIBLE:
            max_reachable, reach_set, first = _max_reachable(data, budget.next())
            solve_s += first.time_s
            if first.status is not SolveStatus.OPTIMAL:
                messages.append(f"the maximum reachable yield is not proven (solver stopped, gap "
                                f"{100 * (first.gap or 0):.3g} %); raise solver.time_limit_s for a proof")
            # aim at the maximum within the solver's own optimality tolerance
            tol_gwh = max(1e-6, settings.gap_rel * max_reachable)
            tb = time.perf_counter()
            model = build_min_cost_model(data, max_reachable - tol_gwh)
            build_s += time.perf_counter() - tb
            warm = {model.x[i].name: float(i in reach_set) for i in model.x}
            result = _solve(model, data, budget.next(), warm)
            solve_s += result.time_s
            reach_cost = sum(data.candidates[i].objective_meur for i in reach_set)
            result = keep_cheaper_warm_start(result, warm, reach_cost, messages, "the maximum yield")
    assert model is not None
    raise_if_no_solution(result, settings)
    if result.status is SolveStatus.INFEASIBLE:
        raise SolverError("the solver reports the reachable maximum as infeasible; please report this")
    chosen = chosen_indices(model, result)
    achieved = data.locked_yield_gwh + sum(data.candidates[i].yield_gwh for i in chosen)
    shortfall = max(0.0, need - achieved) if target is not None else 0.0
    towns = municipality_results(data, chosen, target, municipal_max) if scenario.municipalities else []
    town_short = any(m.shortfall_gwh > YIELD_TOL_GWH for m in towns)
    if shortfall > YIELD_TOL_GWH and max_reachable is None and scenario.has_municipal_targets:
        max_reachable, _, first = _max_reachable(data, budget.next())
        solve_s += first.time_s
    if max_reachable is not None or shortfall > YIELD_TOL_GWH or town_short:
        status = PlanStatus.SHORTFALL
        if max_reachable is None and shortfall > YIELD_TOL_GWH:
            max_reachable = achieved
    else:
        status = PlanStatus.OPTIMAL if result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
    result_plan = assemble_plan(data, scenario, chosen, status, result, solve_s,
                                time.perf_counter() - t0 - solve_s, max_reachable, messages, municipal_max)
    assert_plan_feasible(sites, scenario, result_plan)
    return result_plan.attach_geometry(sites)


def plan_inputs(inputs: PlanningInputs, solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """``plan`` on loaded ``PlanningInputs``."""
    return plan(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit_s)


__all__ = ["TimeBudget", "assemble_plan", "chosen_indices", "plan", "plan_inputs", "site_result",
           "reject_heat", "reject_municipalities", "with_solver_overrides"]
