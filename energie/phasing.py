"""Phased planning: several target years, and a site built in one period stays in every later one.

Variables: a binary ``w[i, t]`` per eligible candidate ``i`` and period ``t`` (the period that ends in
target year ``t``): *i is in operation in t*, i.e. built in ``t`` or earlier. "Built in t" is
``w[i, t] − w[i, t−1]``; ``w`` is used rather than the build variables themselves because every
per-period rule reads the sites in operation, so each row has one term per candidate instead of
one per candidate and earlier period, and "a site stays" is a visible constraint of its own.

Constraints (readable names):

- ``stays[<id>,<year>]``: w[i, t] ≤ w[i, t+1]; a candidate with a ``year`` has no variable before it;
- ``res_target[electricity,<year>]``: locked-in yield in t + Σ yield_i w[i, t] ≥ target_t;
  existing and planned sites count from the first target year at or after their ``year``;
- ``zonneladder[lower|land,<id>,<year>]`` (strict ladder): per period, no field on land in operation
  unless every lower-step candidate available by then is;
- ``lik_area[..]``, ``lik_turbines[..]``, ``spacing[..]``: built by ``energie.build`` on the last
  period's variables. The set in operation only grows and every locked-in site of the horizon is in
  operation at its end, so caps and spacing in the last period imply them in every earlier one.

Objective: Σ_i Σ_t (d_t × cost_i + weight × impact_i [+ soft-ladder charge]) × built[i, t] with
d_t = (1 + r)^−(t − first year), ``objective.discount_rate_per_yr`` = r (default 0). With r = 0 the
build period changes no cost; a second solve with the chosen set fixed then builds each site as
late as the targets allow (the limit of a vanishing discount rate), so the phasing is well defined.

Shortfall, in the spirit of ``energie.optimise``: when the targets cannot all be met, periods are
taken in time order (the earlier target first, as every later period builds on it): the most yield
reachable in the period given the levels of the earlier ones, capped at its target, becomes its
level; then the cheapest plan reaching every level. Without candidate years this reaches every
period's own maximum at once (build the final set in the first period).

Every plan is re-checked per period by ``check_phased_plan``, which runs the independent
``energie.checker.check_plan`` on the plan as it stands in each target year.

Examples
--------
>>> from models import RooftopSolar, Scenario
>>> roofs = [RooftopSolar(site_id=f"R{k}", status="candidate", capacity_mw=10, cost_meur=8 + k) for k in (1, 2)]
>>> sc = Scenario(name="demo", targets={"2030": {"electricity_gwh": 5},
...                                     "2050": {"multiple_of": 2030, "factor": 3}})
>>> p = plan_phased(roofs, sc)
>>> [(q.year, q.built, round(q.achieved_gwh, 1)) for q in p.periods]
[(2030, ['R1'], 9.5), (2050, ['R2'], 19.0)]
"""
from __future__ import annotations

import time

from energie.build_phasing import (
    PhasedData,
    PhasedModel,
    build_coefficient,
    build_latest_build_model,
    build_phased_max_yield_model,
    build_phased_min_cost_model,
    discount_factors,
    prepare_phased,
)
from energie.checker_phasing import check_phased_plan
from energie.optimise import (
    YIELD_TOL_GWH,
    TimeBudget,
    keep_cheaper_warm_start,
    reject_heat,
    reject_municipalities,
    raise_if_no_solution,
    site_result,
    with_solver_overrides,
)
from energie.rules import rule_uses
from energie.solver import SolveResult, SolveStatus, solve, solver_version
from models import Plan, PlanStatus, Scenario, Site, SolverError, TargetResult
from models.phasing import PeriodResult, PhasedPlan
from models.scenario import SolverSettings


def _solve(model: PhasedModel, settings: SolverSettings, warm: dict[str, float] | None = None) -> SolveResult:
    if not model.w:
        return SolveResult(SolveStatus.OPTIMAL, 0.0, 0.0, 0.0, settings.name, solver_version(settings.name),
                           0.0, {})
    result = solve(model.problem, settings, warm)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{settings.name} returned an unknown status; try the other solver (--solver)")
    return result


def _operation(model: PhasedModel, values: dict[str, float]) -> dict[tuple[int, int], bool]:
    return {key: values.get(var.name, 0.0) > 0.5 for key, var in model.w.items()}


def _yield_in(pd: PhasedData, on: dict[tuple[int, int], bool], k: int) -> float:
    return pd.locked_yield_gwh(k) + sum(f.yield_gwh for i, f in enumerate(pd.data.candidates) if on.get((i, k)))


def _reachable_levels(pd: PhasedData, targets: list[float], budget: TimeBudget, messages: list[str]
                      ) -> tuple[list[float], list[float | None], dict[str, float], float]:
    """Periods in time order: level = min(target, most reachable given the earlier levels)."""
    levels: list[float] = []
    reach: list[float | None] = []
    warm: dict[str, float] = {}
    solve_s = 0.0
    for k, target in enumerate(targets):
        model = build_phased_max_yield_model(pd, k, levels)
        result = _solve(model, budget.next())
        solve_s += result.time_s
        if result.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            raise SolverError(f"could not compute the maximum reachable yield in {pd.years[k]} ({result.status}); "
                              "raise solver.time_limit_s")
        got = _yield_in(pd, _operation(model, result.values), k)
        warm = {var.name: result.values.get(var.name, 0.0) for var in model.w.values()}
        if got >= target - YIELD_TOL_GWH:
            levels.append(target)
            reach.append(None)
            continue
        if result.status is not SolveStatus.OPTIMAL:
            messages.append(f"the maximum reachable yield in {pd.years[k]} is not proven (solver stopped, gap "
                            f"{100 * (result.gap or 0):.3g} %); raise solver.time_limit_s for a proof")
        # aim at the maximum within the solver's own optimality tolerance, as energie.optimise does
        levels.append(got - max(1e-6, budget.settings.gap_rel * got))
        reach.append(got)
    return levels, reach, warm, solve_s


def plan_phased(sites: list[Site], scenario: Scenario, solver: str | None = None,
                time_limit_s: float | None = None) -> PhasedPlan:
    """Least-cost phased plan for a scenario with per-year targets, checked per period.

    Parameters
    ----------
    sites : validated sites with LIK types set; ``year`` says from when a site counts
    scenario : per-year targets, rules, ``objective.discount_rate_per_yr`` [1/yr] and solver settings
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s], shared by every solve

    Raises
    ------
    SolverError
        When the solver fails or finds nothing in time, or a period fails the checker.
    """
    reject_heat(scenario)
    reject_municipalities(scenario, "a phased plan (per-year targets)")
    scenario, settings = with_solver_overrides(scenario, solver, time_limit_s)
    t0 = time.perf_counter()
    pd = prepare_phased(sites, scenario)
    messages = list(pd.messages)
    targets = [t.target_gwh for t in pd.targets]
    budget = TimeBudget(settings)
    levels: list[float] = list(targets)
    reach: list[float | None] = [None] * len(targets)
    solve_s = 0.0
    result: SolveResult | None = None
    model: PhasedModel | None = None
    if all(t <= pd.upper_gwh(k) + YIELD_TOL_GWH for k, t in enumerate(targets)):
        model = build_phased_min_cost_model(pd, levels)
        result = _solve(model, budget.next())
        solve_s += result.time_s
    if result is None or result.status is SolveStatus.INFEASIBLE:
        levels, reach, warm, spent = _reachable_levels(pd, targets, budget, messages)
        solve_s += spent
        model = build_phased_min_cost_model(pd, levels)
        result = _solve(model, budget.next(), warm)
        solve_s += result.time_s
        warm_on = _operation(model, warm)
        warm_cost = _objective(pd, warm_on)
        result = keep_cheaper_warm_start(result, warm, warm_cost, messages, "the reachable levels")
    assert model is not None
    raise_if_no_solution(result, settings)
    if result.status is SolveStatus.INFEASIBLE:
        raise SolverError("the solver reports the reachable levels as infeasible; please report this")
    on = _operation(model, result.values)
    if scenario.objective.discount_rate_per_yr == 0 and len(pd.years) > 1 and model.w:
        final = {i for (i, k), v in on.items() if v and k == len(pd.years) - 1}
        late = build_latest_build_model(pd, levels, final)
        late_result = _solve(late, budget.next(), {model.w[key].name: float(v) for key, v in on.items()})
        solve_s += late_result.time_s
        if late_result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            on = _operation(late, late_result.values)
    phased = _assemble(pd, on, targets, reach, result, messages, solve_s, time.perf_counter() - t0 - solve_s)
    problems = check_phased_plan(sites, scenario, phased)
    if problems:
        raise SolverError("the phased plan failed the independent feasibility check:\n  - "
                          + "\n  - ".join(problems[:20]))
    return phased


# ---------------------------------------------------------------------------------------- result


def _built_period(pd: PhasedData, on: dict[tuple[int, int], bool]) -> dict[int, int]:
    """Candidate index → period index it is built in (the first period it is in operation)."""
    out: dict[int, int] = {}
    for (i, k), v in sorted(on.items(), key=lambda kv: kv[0][1]):
        if v and i not in out:
            out[i] = k
    return out


def _objective(pd: PhasedData, on: dict[tuple[int, int], bool]) -> float:
    d = discount_factors(pd)
    return sum(build_coefficient(pd.data.candidates[i], d[k]) for i, k in _built_period(pd, on).items())


def _assemble(pd: PhasedData, on: dict[tuple[int, int], bool], targets: list[float], reach: list[float | None],
              result: SolveResult, messages: list[str], solve_s: float, build_s: float) -> PhasedPlan:
    data, scenario = pd.data, pd.data.scenario
    built_at = _built_period(pd, on)
    periods: list[PeriodResult] = []
    for k, resolved in enumerate(pd.targets):
        chosen = {i for i, k0 in built_at.items() if k0 <= k}
        facts = [data.candidates[i] for i in sorted(chosen)]
        locked = pd.locked_in(k)
        achieved = pd.locked_yield_gwh(k) + sum(f.yield_gwh for f in facts)
        target = targets[k]
        shortfall = max(0.0, target - achieved)
        short = achieved < target - 1e-6 * max(1.0, target)
        if short:
            status = PlanStatus.SHORTFALL
        else:
            status = PlanStatus.OPTIMAL if result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
        max_reach = reach[k]
        plan_k = Plan(
            scenario_name=f"{scenario.name} ({resolved.year})", status=status, solver=result.solver,
            solver_version=result.solver_version, objective_meur=sum(f.objective_meur for f in facts),
            bound_meur=None, gap=None, solve_time_s=0.0, build_time_s=0.0,
            selected=sorted(f.site_id for f in facts), locked_in=sorted(f.site_id for f in locked),
            sites=[site_result(f, False) for f in locked] + [site_result(f, True) for f in facts],
            excluded=data.excluded,
            targets={"electricity": TargetResult(target_gwh=target, achieved_gwh=achieved, shortfall_gwh=shortfall)},
            rules=rule_uses(data, chosen, target, achieved),
            max_reachable_gwh=(achieved if max_reach is None else max(max_reach, achieved)) if short else None,
            cost_meur=sum(f.site.cost_meur for f in facts), impact_meur=sum(f.impact_meur for f in facts))
        periods.append(PeriodResult(
            year=resolved.year, target=resolved, achieved_gwh=achieved, shortfall_gwh=shortfall,
            max_reachable_gwh=plan_k.max_reachable_gwh,
            built=sorted(data.candidates[i].site_id for i, k0 in built_at.items() if k0 == k),
            started=sorted(f.site_id for f in locked if pd.locked_from[f.site_id] == k), plan=plan_k))
    if any(p.status is PlanStatus.SHORTFALL for p in periods):
        status = PlanStatus.SHORTFALL
    else:
        status = PlanStatus.OPTIMAL if result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
    all_built = [data.candidates[i] for i in built_at]
    return PhasedPlan(
        scenario_name=scenario.name, status=status, solver=result.solver, solver_version=result.solver_version,
        objective_meur=_objective(pd, on), bound_meur=result.bound, gap=result.gap,
        discount_rate_per_yr=scenario.objective.discount_rate_per_yr, solve_time_s=solve_s, build_time_s=build_s,
        periods=periods, excluded=data.excluded, cost_meur=sum(f.site.cost_meur for f in all_built),
        impact_meur=sum(f.impact_meur for f in all_built), messages=messages)


# ---------------------------------------------------------------------------------------- check


__all__ = ["PhasedData", "check_phased_plan", "plan_phased", "prepare_phased"]
