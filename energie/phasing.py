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
from dataclasses import dataclass

import pulp

from energie.build import BuiltModel, add_lik_constraints, add_spacing_constraints, zonneladder_groups
from energie.checker import check_plan
from energie.optimise import YIELD_TOL_GWH, site_result
from energie.prepare import PlanningData, SiteFacts, prepare
from energie.rules import rule_uses
from energie.solver import SolveResult, SolveStatus, solve, solver_version
from models import Plan, PlanStatus, Scenario, Site, SolarField, SolverError, TargetResult
from models.errors import preview_ids
from models.phasing import PeriodResult, PhasedPlan
from models.scenario import ResolvedTarget, SolverSettings, Targets


def _first_period(year: int | None, years: list[int]) -> int | None:
    """Index of the first target year at or after ``year`` (0 when ``year`` is empty)."""
    if year is None:
        return 0
    return next((k for k, t in enumerate(years) if t >= year), None)


@dataclass(frozen=True)
class PhasedData:
    """Planning data over the horizon plus, per site, the first period it may count in."""

    data: PlanningData
    targets: list[ResolvedTarget]
    #: Locked-in site id → index of the first period it counts in.
    locked_from: dict[str, int]
    #: Per candidate index: the first period it may be built in.
    candidate_from: list[int]
    messages: list[str]

    @property
    def years(self) -> list[int]:
        return [t.year for t in self.targets]

    def locked_in(self, k: int) -> list[SiteFacts]:
        return [f for f in self.data.locked if self.locked_from[f.site_id] <= k]

    def locked_yield_gwh(self, k: int) -> float:
        return sum(f.yield_gwh for f in self.locked_in(k))

    def upper_gwh(self, k: int) -> float:
        """Locked-in yield in period ``k`` plus every candidate available by then [GWh/yr]."""
        return self.locked_yield_gwh(k) + sum(
            f.yield_gwh for f, k0 in zip(self.data.candidates, self.candidate_from, strict=True) if k0 <= k)


def prepare_phased(sites: list[Site], scenario: Scenario) -> PhasedData:
    """Resolve the targets and prepare the horizon: sites whose ``year`` is after the last target
    year are left out (with a message); exclusions use every locked-in site of the horizon."""
    targets = scenario.targets.resolved()
    if not targets:
        raise ValueError("prepare_phased needs a scenario with per-year targets ([targets.2030], ...)")
    years = [t.year for t in targets]
    late = [s for s in sites if _first_period(s.year, years) is None]
    late_ids = {s.site_id for s in late}
    data = prepare([s for s in sites if s.site_id not in late_ids], scenario)
    messages = []
    if late:
        messages.append(f"sites with a year after {years[-1]} are left out of every period: "
                        f"{preview_ids(sorted(late_ids))}")
    if data.locked_conflicts:
        messages.append("locked-in turbines closer than the minimum distance: "
                        + ", ".join(f"{a}–{b}" for a, b in data.locked_conflicts[:5]))
    locked_from = {f.site_id: _first_period(f.site.year, years) or 0 for f in data.locked}
    candidate_from = [_first_period(f.site.year, years) or 0 for f in data.candidates]
    return PhasedData(data, targets, locked_from, candidate_from, messages)


# ---------------------------------------------------------------------------------------- model


@dataclass
class PhasedModel:
    """A PuLP problem with ``w[(candidate index, period index)]``; ``view`` holds the last period's
    variables as a ``BuiltModel`` for the single-year builders, and every constraint name."""

    view: BuiltModel
    w: dict[tuple[int, int], pulp.LpVariable]

    @property
    def problem(self) -> pulp.LpProblem:
        return self.view.problem


def new_phased_model(pd: PhasedData, sense: int, name: str) -> PhasedModel:
    """One binary ``w_<index>_<year>`` per candidate and period from its first period on."""
    prob = pulp.LpProblem(name, sense)
    last = len(pd.years) - 1
    w = {(i, k): prob.add_variable(f"w_{i:06d}_{pd.years[k]}", 0, 1, cat=pulp.LpBinary)
         for i, k0 in enumerate(pd.candidate_from) for k in range(k0, last + 1)}
    return PhasedModel(BuiltModel(prob, {i: w[i, last] for i in range(len(pd.candidate_from))}), w)


def _operating(model: PhasedModel, pd: PhasedData, k: int, weight: list[float]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression([(model.w[i, k], c) for i, c in enumerate(weight)
                                    if c and (i, k) in model.w])


def add_stay_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """A candidate in operation in one period is in operation in the next: w[i, t] ≤ w[i, t+1]."""
    for (i, k), var in model.w.items():
        if (i, k + 1) in model.w:
            model.view.add(f"stays[{pd.data.candidates[i].site_id},{pd.years[k]}]", var - model.w[i, k + 1] <= 0)


def add_period_target_constraints(model: PhasedModel, pd: PhasedData, levels: list[float]) -> None:
    """Per period: locked-in yield in operation + Σ yield × w ≥ level [GWh/yr]."""
    yields = [f.yield_gwh for f in pd.data.candidates]
    for k, level in enumerate(levels):
        model.view.add(f"res_target[electricity,{pd.years[k]}]",
                       _operating(model, pd, k, yields) >= level - pd.locked_yield_gwh(k))


def add_period_zonneladder_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """Strict zonneladder per period, on the candidates available by then: a field on land in
    operation ⇒ every lower-step candidate in operation (via ``lower_steps_full_<year>`` ∈ [0, 1])."""
    if pd.data.scenario.policy.zonneladder != "strict":
        return
    lower, land = zonneladder_groups(pd.data)
    for k, year in enumerate(pd.years):
        lower_k = [i for i in lower if (i, k) in model.w]
        land_k = [i for i in land if (i, k) in model.w]
        if not lower_k or not land_k:
            continue
        full = model.problem.add_variable(f"lower_steps_full_{year}", 0, 1)
        for i in lower_k:
            model.view.add(f"zonneladder[lower,{pd.data.candidates[i].site_id},{year}]", full - model.w[i, k] <= 0)
        for i in land_k:
            model.view.add(f"zonneladder[land,{pd.data.candidates[i].site_id},{year}]", model.w[i, k] - full <= 0)


def add_phased_rule_constraints(model: PhasedModel, pd: PhasedData) -> None:
    """Staying, caps and spacing over the horizon, the zonneladder per period."""
    add_stay_constraints(model, pd)
    add_lik_constraints(model.view, pd.data)
    add_spacing_constraints(model.view, pd.data)
    add_period_zonneladder_constraints(model, pd)


def discount_factors(pd: PhasedData) -> list[float]:
    """(1 + r)^−(t − first year) per period [-]."""
    r = pd.data.scenario.objective.discount_rate_per_yr
    return [(1.0 + r) ** -(t - pd.years[0]) for t in pd.years]


def build_coefficient(f: SiteFacts, discount: float) -> float:
    """Objective coefficient of building ``f`` in a period with discount factor ``discount`` [M€]:
    the investment discounted, landscape impact and soft-ladder charge not."""
    return f.objective_meur - (1.0 - discount) * f.site.cost_meur


def set_phased_cost_objective(model: PhasedModel, pd: PhasedData) -> None:
    """Minimise Σ coefficient(i, t) × built[i, t], written on w: built = w[t] − w[t−1]."""
    d = discount_factors(pd)
    last = len(pd.years) - 1
    terms = []
    for (i, k), var in model.w.items():
        f = pd.data.candidates[i]
        later = build_coefficient(f, d[k + 1]) if k < last else 0.0
        terms.append((var, build_coefficient(f, d[k]) - later))
    model.problem.setObjective(pulp.LpAffineExpression([(v, c) for v, c in terms if c]))


def build_phased_min_cost_model(pd: PhasedData, levels: list[float]) -> PhasedModel:
    """Least-cost phased plan whose yield in each period reaches ``levels`` [GWh/yr]."""
    model = new_phased_model(pd, pulp.LpMinimize, "phased_min_cost")
    set_phased_cost_objective(model, pd)
    add_period_target_constraints(model, pd, levels)
    add_phased_rule_constraints(model, pd)
    return model


def build_phased_max_yield_model(pd: PhasedData, k: int, earlier_levels: list[float]) -> PhasedModel:
    """Most yield in period ``k`` with each earlier period at its level [GWh/yr]."""
    model = new_phased_model(pd, pulp.LpMaximize, f"phased_max_yield_{pd.years[k]}")
    model.problem.setObjective(_operating(model, pd, k, [f.yield_gwh for f in pd.data.candidates]))
    add_period_target_constraints(model, pd, earlier_levels)
    add_phased_rule_constraints(model, pd)
    return model


def build_latest_build_model(pd: PhasedData, levels: list[float], final: set[int]) -> PhasedModel:
    """With the final set fixed, build each site as late as the levels allow: minimise
    Σ_i cost_i × Σ_{t < last} w[i, t] × (next year − t), the M€-years invested early."""
    model = new_phased_model(pd, pulp.LpMinimize, "phased_latest_build")
    last = len(pd.years) - 1
    for i, var in model.view.x.items():
        var.lowBound = var.upBound = float(i in final)
    # + 1 k€ so that a free site is not built early for nothing either
    terms = [(var, (pd.data.candidates[i].site.cost_meur + 1e-3) * (pd.years[k + 1] - pd.years[k]))
             for (i, k), var in model.w.items() if k < last and i in final]
    model.problem.setObjective(pulp.LpAffineExpression(terms))
    add_period_target_constraints(model, pd, levels)
    add_stay_constraints(model, pd)
    add_period_zonneladder_constraints(model, pd)
    return model


# ---------------------------------------------------------------------------------------- solve


class _Budget:
    """The scenario's time limit shared by every solve of one phased plan."""

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        self.deadline = time.perf_counter() + settings.time_limit_s

    def next(self) -> SolverSettings:
        return self.settings.model_copy(update={"time_limit_s": max(1.0, self.deadline - time.perf_counter())})


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


def _reachable_levels(pd: PhasedData, targets: list[float], budget: _Budget, messages: list[str]
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
    updates: dict[str, object] = {"name": solver} if solver else {}
    if time_limit_s is not None:
        updates["time_limit_s"] = time_limit_s
    settings = SolverSettings.model_validate({**scenario.solver.model_dump(), **updates})
    scenario = scenario.model_copy(update={"solver": settings}) if updates else scenario
    t0 = time.perf_counter()
    pd = prepare_phased(sites, scenario)
    messages = list(pd.messages)
    targets = [t.target_gwh for t in pd.targets]
    budget = _Budget(settings)
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
        if result.objective is None or result.objective > warm_cost + 1e-9:
            messages.append("the cheapest plan reaching the reachable levels was not found within the time "
                            "limit; this plan reaches them but its cost is not minimised")
            result = SolveResult(SolveStatus.FEASIBLE, warm_cost, None, None, result.solver,
                                 result.solver_version, result.time_s, warm)
    assert model is not None
    if result.status is SolveStatus.NO_SOLUTION:
        raise SolverError(f"{settings.name} found no plan within {settings.time_limit_s:.0f} s; raise "
                          "solver.time_limit_s or try --solver " + ("highs" if settings.name == "cbc" else "cbc"))
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
        one_year = scenario.model_copy(update={"targets": Targets(electricity_gwh=period.target.target_gwh)})
        problems += [f"{year}: {p}" for p in check_plan(in_year, one_year, period.plan)]
    cost = sum(by_id[sid].cost_meur for sid in seen if sid in by_id)
    if abs(cost - phased.cost_meur) > 1e-6 * max(1.0, cost):
        problems.append(f"investment recomputed {cost:.6f} M€ differs from the plan's {phased.cost_meur:.6f} M€")
    short = any(p.status is PlanStatus.SHORTFALL for p in phased.periods)
    if short != (phased.status is PlanStatus.SHORTFALL):
        problems.append(f"status {phased.status} does not match the periods' shortfalls")
    return problems


__all__ = ["PhasedData", "check_phased_plan", "plan_phased", "prepare_phased"]
