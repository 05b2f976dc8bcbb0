"""Solve the one problem: least cost, else the smallest shortfall in time order, then least cost again.

When every target can be met the first solve is the plan. When not, one elastic scheme serves every
scenario (it replaces the four of earlier versions):

1. every target's shortfall variable is opened (≥ 0);
2. **tiers in time order**: for each calendar year with a target (the one plan year first for a
   one-year scenario), minimise the weighted sum of that year's shortfalls — the region's
   electricity, each municipality's own share [GWh/yr] and the districts' gas at 8.79 GWh per
   million m³ — with every earlier year's shortfall capped at what its tier reached. An earlier
   year comes first because every later period builds on it;
3. the cheapest plan with each shortfall at most its tier's value (plus the solver's own optimality
   tolerance, ``gap_rel`` of the target), warm-started from the last tier.

With a zero discount rate over several periods the build period changes no cost; a last solve
with the final choices fixed then builds each site as late as the targets allow (the limit of a
vanishing discount rate), so the phasing is well defined.

Every solve edits the same built problem (bounds and objective), as linopy and PyPSA studies do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import pulp

from energie.model.problem import Elastic, Problem, expression_value
from energie.engines.budget import (
    TimeBudget, checked_solve, empty_result, keep_cheaper_warm_start, raise_if_no_solution,
)
from energie.engines.solver import SolveResult, SolveStatus
from models import SolverError

#: Shortfalls below this [GWh/yr-equivalent] count as met (solver tolerance).
SHORT_TOL = 1e-6
#: Least room [-, relative to the target] a tier's shortfall is capped above what it reached.
CAP_REL = 1e-7


@dataclass
class Solved:
    """The final values of the problem and what the shortfall scheme learnt on the way."""

    result: SolveResult
    values: dict[str, float]
    solve_s: float
    messages: list[str]
    #: Whether the elastic scheme ran (some target could not be met).
    elastic: bool = False
    #: Values of each tier's solve, by tier year (``None`` for a one-year scenario without heat).
    tier_values: dict[int | None, dict[str, float]] = field(default_factory=dict)


def _tiers(p: Problem) -> list[tuple[int | None, list[Elastic]]]:
    groups: dict[int | None, list[Elastic]] = defaultdict(list)
    for e in p.elastic:
        groups[e.year].append(e)
    return sorted(groups.items(), key=lambda kv: -1 if kv[0] is None else kv[0])


def obviously_short(p: Problem) -> bool:
    """A region target above everything that could count in its period (no heat to move it)."""
    h = p.horizon
    if h.heat is not None:
        return False
    return any(t is not None and t > h.upper_gwh(k) + SHORT_TOL for k, t in enumerate(h.targets_gwh))


def _solve(p: Problem, budget: TimeBudget, warm: dict[str, float] | None, spent: list[float]) -> SolveResult:
    result = checked_solve(p.lp, budget.next(), warm)
    spent.append(result.time_s)
    return result


def solve_problem(p: Problem, budget: TimeBudget) -> Solved:
    """The least-cost plan of ``p``, or the smallest shortfall in time order at least cost."""
    settings = budget.settings
    messages: list[str] = []
    spent: list[float] = []
    result: SolveResult | None = None
    if not p.w and not p.y:
        return _nothing_to_choose(p, budget)
    if not obviously_short(p):
        result = _solve(p, budget, None, spent)
    solved = Solved(result, result.values, 0.0, messages) if result is not None else None
    if result is None or result.status is SolveStatus.INFEASIBLE:
        solved = _elastic(p, budget, spent, messages)
    assert solved is not None
    raise_if_no_solution(solved.result, settings)
    if solved.result.status is SolveStatus.INFEASIBLE:
        raise SolverError("the solver reports the reachable targets as infeasible; please report this")
    build_late(p, solved, budget, spent)
    solved.solve_s = sum(spent)
    return solved


def _nothing_to_choose(p: Problem, budget: TimeBudget) -> Solved:
    """No candidate and no heat option: each target is short by what the locked-in sites leave."""
    values: dict[str, float] = {}
    for e in p.elastic:
        values[e.var.name] = max(0.0, -float(p.constraints[e.rule].constant))  # short − need ≥ 0
    result = replace(empty_result(budget.settings), values=values)
    return Solved(result, values, 0.0, [], elastic=any(v > SHORT_TOL for v in values.values()))


def _elastic(p: Problem, budget: TimeBudget, spent: list[float], messages: list[str]) -> Solved:
    gap = budget.settings.gap_rel
    for e in p.elastic:
        e.var.upBound = None
    warm: dict[str, float] = {}
    tier_values: dict[int | None, dict[str, float]] = {}
    for year, tier in _tiers(p):
        p.lp.setObjective(pulp.LpAffineExpression([(e.var, e.weight) for e in tier]))
        result = _solve(p, budget, warm or None, spent)
        when = "" if year is None else f" in {year}"
        if result.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            raise SolverError(f"could not compute the smallest shortfall of the targets{when} ({result.status}); "
                              "raise solver.time_limit_s")
        if result.status is not SolveStatus.OPTIMAL and (result.objective or 0.0) > SHORT_TOL:
            messages.append(f"the smallest shortfall{when} is not proven (solver stopped, gap "
                            f"{100 * (result.gap or 0):.3g} %); raise solver.time_limit_s for a proof")
        warm = dict(result.values)
        tier_values[year] = warm
        for e in tier:
            left = result.values.get(e.var.name, 0.0)
            # room for the solver's optimality tolerance and for the precision of its solution values
            # (CBC writes about 8 significant digits): gap_rel, and at least 1e-7, of the target
            e.var.upBound = 0.0 if left <= SHORT_TOL else left + max(gap, CAP_REL) * max(1.0, abs(e.target))
    p.lp.setObjective(p.cost)
    result = _solve(p, budget, warm, spent)
    result = keep_cheaper_warm_start(result, warm, expression_value(p.cost, warm), messages, "the smallest shortfall")
    return Solved(result, result.values, 0.0, messages, elastic=True, tier_values=tier_values)


def build_late(p: Problem, solved: Solved, budget: TimeBudget, spent: list[float]) -> None:
    """Zero discount rate over several periods: with the final choices fixed, build as late as allowed:
    minimise Σ_i (cost_i + 1 k€) × (year_last − year of its build period), the M€-years invested
    early (+ 1 k€ so that a free site is not built early for nothing either). A candidate that can
    retire is "chosen" when built at all: it keeps a reward above any early-investment term for being
    built (its build period stays free), the others not built are fixed at 0."""
    h = p.horizon
    if h.n_periods < 2 or h.scenario.objective.discount_rate_per_yr != 0 or not p.w:
        return
    values = solved.values
    last = p.last
    years = [y for y in h.years if y is not None]
    span = years[-1] - years[0]
    stay = {i: var for i, var in p.x.items() if (i, last) not in p.s}
    fixed = [*stay.values(), *p.y.values()]
    built = {i for i in p.retiring()
             if sum(values.get(p.s[i, b].name, 0.0) for b in range(h.candidate_from[i], h.n_periods)) > 0.5}
    unbuilt = [var for (i, _), var in p.s.items() if i not in built]
    saved = {v.name: (v.lowBound, v.upBound) for v in [*fixed, *unbuilt]}
    for var in fixed:
        var.lowBound = var.upBound = float(values.get(var.name, 0.0) > 0.5)
    for var in unbuilt:
        var.lowBound = var.upBound = 0.0
    final = {i for i, var in stay.items() if values.get(var.name, 0.0) > 0.5}
    terms = [(var, (h.candidates[i].site.cost_meur + 1e-3) * (years[k + 1] - years[k]))
             for (i, k), var in p.w.items() if k < last and i in final]
    for (i, b), var in p.s.items():
        if i in built:
            early = (h.candidates[i].site.cost_meur + 1e-3) * (years[-1] - years[b])
            terms.append((var, early - (h.candidates[i].site.cost_meur + 1e-3) * span - 1.0))
    p.lp.setObjective(pulp.LpAffineExpression(terms))
    late = _solve(p, budget, {v.name: values.get(v.name, 0.0) for v in p.lp.variables()}, spent)
    if late.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        solved.values = {**values, **{v.name: late.values.get(v.name, 0.0) for v in [*p.w.values(), *p.s.values()]}}
    for var in [*fixed, *unbuilt]:
        var.lowBound, var.upBound = saved[var.name]
    p.lp.setObjective(p.cost)


def max_in_period(p: Problem, budget: TimeBudget, weights: list[float], k: int, spent: list[float],
                  only: list[int] | None = None, before: int | None = None) -> dict[str, float] | None:
    """Values that maximise Σ weight × w[·, k] (``only``: these candidates) under every rule, with the
    shortfalls of years before ``before`` kept at their caps (earlier periods as reached) and every
    other target open (``before=None``: all open)."""
    saved = {e.var.name: e.var.upBound for e in p.elastic}
    for e in p.elastic:
        if before is None or e.year is None or e.year >= before:
            e.var.upBound = None
    p.lp.setObjective(-p.operating(k, weights, only))
    result = _solve(p, budget, None, spent)
    for e in p.elastic:
        e.var.upBound = saved[e.var.name]
    p.lp.setObjective(p.cost)
    return result.values if result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else None


__all__ = ["SHORT_TOL", "Solved", "build_late", "max_in_period", "obviously_short", "solve_problem"]
