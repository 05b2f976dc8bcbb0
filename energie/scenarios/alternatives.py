"""Modelling to generate alternatives (MGA): genuinely different plans within a cost slack.

After the least-cost plan, each alternative maximises the *minimum* number of
candidate sites in which it differs from every plan found before it (the
optimum and the earlier alternatives: a Hamming distance over candidates;
locked-in sites are in every plan), under every rule, the same target and a
cost cap ``objective ≤ (1 + slack) × optimum``. Among the plans with that
largest difference, a second (lexicographic) solve takes the cheapest, so the
same input gives the same alternatives and none costs more than it must.
Generation stops early when no plan within the slack differs from the ones
found. Every alternative is re-checked by the independent checker.

References
----------
Brill, E. D., Chang, S.-Y. and Hopkins, L. D. (1982). Modeling to generate
alternatives: the HSJ approach and an illustration using a problem in land use
planning. *Management Science* 28(3), 221–235.
DeCarolis, J. F. (2011). Using modeling to generate alternatives (MGA) to expand
our thinking on energy futures. *Energy Economics* 33(2), 145–152.

Examples
--------
>>> from models import Scenario, RooftopSolar
>>> roofs = [RooftopSolar(site_id=f"R{i}", status="candidate", capacity_mw=6, cost_meur=c)
...          for i, c in enumerate([5.0, 5.1, 9.0])]
>>> r = generate_alternatives(roofs, Scenario(name="demo", targets={"electricity_gwh": 5}), k=2, slack=0.05)
>>> r.optimum.selected, [a.plan.selected for a in r.alternatives], [a.min_distance for a in r.alternatives]
(['R0'], [['R1']], [2])
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulp

from energie import fmt
from energie.model.problem import Problem, expression_value
from energie.planner.elastic import Solved, build_late
from energie.planner.pipeline import PlanResult, plan_problem, result_of
from energie.scenarios.sweep_runs import point_plan
from energie.engines.solver import SolveResult, SolveStatus, solve
from models.heat import District
from models import (
    InputError,
    Plan,
    PlanStatus,
    Scenario,
    Site,
    SolverError,
    SolverSettings,
)

#: Most alternatives one run may ask for (each is a MILP solve or two).
MAX_ALTERNATIVES = 20
#: Relative tolerance on the cost cap when re-checking an alternative [-].
COST_TOL_REL = 1e-6
#: Share of the time limit the optimum may use; the alternatives share the rest [-].
OPTIMUM_SHARE = 0.5
#: Share of an alternative's time that the max-difference solve may use; the rest is for the cheapest tie.
DISTANCE_SHARE = 0.7
DISTANCE_VAR = "mga_min_distance"


def parse_slack(text: str) -> float:
    """``"5%"``, ``"5 %"``, ``"0.05"`` (or ``"2,5%"``) → a fraction in [0, 1] [-].

    Raises
    ------
    InputError
        For anything else, or a slack above 100 %.
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*", text.replace(",", "."))
    if not m:
        raise InputError(f"--slack must be a percentage such as 5% or a fraction such as 0.05 (got '{text}')")
    value = float(m.group(1)) / (100.0 if m.group(2) else 1.0)
    if value > 1.0:
        raise InputError(f"--slack must lie between 0 % and 100 % (got '{text}' = {100 * value:g} %); "
                         "for five percent write 5% or 0.05")
    return value


@dataclass(frozen=True)
class Alternative:
    """One alternative plan and how different it is."""

    plan: Plan
    #: Candidate sites in exactly one of this plan and the optimum.
    differs_from_optimum: int
    #: The maximised quantity: fewest differing sites to any plan found before this one.
    min_distance: int
    #: Upper bound on that difference when the solver stopped at its limit; ``None`` when proven.
    distance_bound: int | None = None
    #: The full result (a ``PhasedPlan`` over several target years); ``plan`` is its last year.
    result: PlanResult | None = None


@dataclass(frozen=True)
class AlternativesResult:
    """The optimum, the alternatives found (at most ``requested``) and why generation stopped."""

    optimum: Plan
    alternatives: list[Alternative]
    requested: int
    #: Allowed extra objective, as a fraction of the optimum's [-].
    slack: float
    #: (1 + slack) × the optimum's objective [M€].
    cost_cap_meur: float
    #: Wall-clock time of the whole run [s].
    time_s: float
    messages: list[str] = field(default_factory=list)
    #: The optimum's full result (a ``PhasedPlan`` over several target years); ``optimum`` its last year.
    optimum_result: PlanResult | None = None

    @property
    def plans(self) -> list[Plan]:
        """The optimum first, then the alternatives in the order found."""
        return [self.optimum] + [a.plan for a in self.alternatives]

    def min_difference(self, index: int) -> int | None:
        """Fewest differing sites between plan ``index`` (0 = optimum) and any other plan of the set."""
        plans = self.plans
        others = [hamming(plans[index], p) for k, p in enumerate(plans) if k != index]
        return min(others) if others else None


def hamming(a: Plan, b: Plan) -> int:
    """Candidate sites chosen in exactly one of two plans (locked-in sites are in both)."""
    return len(set(a.selected) ^ set(b.selected))


def in_plan(p: Problem, values: dict[str, float]) -> set[int]:
    """Candidate indices in the plan at the end of the horizon at solved ``values`` (built by then)."""
    return {i for i, var in p.x.items() if values.get(var.name, 0.0) > 0.5}


def add_alternative_constraints(p: Problem, cost_cap_meur: float) -> pulp.LpVariable:
    """The MGA additions to the built problem: ``mga_cost_cap`` (its least-cost objective ≤ the cap) and
    the distance ``d`` (integer), to which ``add_distance_constraint`` ties each plan found."""
    d = p.lp.add_variable(DISTANCE_VAR, 0, len(p.x), cat=pulp.LpInteger)
    p.add("mga_cost_cap", p.cost <= cost_cap_meur)
    return d


def add_distance_constraint(p: Problem, d: pulp.LpVariable, label: str, chosen: set[int]) -> None:
    """``mga_distance[<label>]``: d ≤ Σ_{i∈S}(1 − x_i) + Σ_{i∉S} x_i, the number of candidates that
    differ from plan S, with x the plan at the end of the horizon (what is built over all years; when
    it is built is left to the least cost, so a shift in time is no alternative)."""
    differ = pulp.LpAffineExpression([(var, -1.0 if i in chosen else 1.0) for i, var in p.x.items()],
                                     constant=float(len(chosen)))
    p.add(f"mga_distance[{label}]", d - differ <= 0)


def build_alternative_model(p: Problem, cost_cap_meur: float,
                            previous: Sequence[tuple[str, set[int]]]) -> pulp.LpVariable:
    """Turn the built problem ``p`` into the MGA problem: cost cap, one distance constraint per plan in
    ``previous``, maximise the minimum distance ``d`` (returned). Constraint names: ``mga_cost_cap``,
    ``mga_distance[<label>]``, besides the planner's own."""
    d = add_alternative_constraints(p, cost_cap_meur)
    for label, chosen in previous:
        add_distance_constraint(p, d, label, chosen)
    return d


class _Clock:
    """One time limit shared by the optimum and every alternative."""

    def __init__(self, settings: SolverSettings) -> None:
        self.settings = settings
        self.deadline = time.perf_counter() + settings.time_limit_s

    def left_s(self) -> float:
        return self.deadline - time.perf_counter()

    def share(self, fraction: float) -> SolverSettings:
        """Settings with a time limit of ``fraction`` of what is left (at least 1 s, as ``plan`` does)."""
        return self.settings.model_copy(update={"time_limit_s": max(1.0, fraction * self.left_s())})


def _solve(p: Problem, settings: SolverSettings, warm: dict[str, float]) -> SolveResult:
    result = solve(p.lp, settings, warm)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{settings.name} returned an unknown status; try the other solver (--solver)")
    if result.status is SolveStatus.INFEASIBLE:
        # the optimum itself satisfies every constraint of the MGA model
        raise SolverError(f"{settings.name} reports the alternatives model as infeasible although the optimum "
                          "satisfies it; try the other solver (--solver) and please report this")
    return result


_STOPS = {
    "none_exists": "no plan within {slack} of the optimum differs from {plans}: stopped after {found} "
                   "alternative(s); a larger --slack may open more",
    "none_found": "{label}: no plan that differs from {plans} was found within the time limit (not proven "
                  "that none exists); raise solver.time_limit_s",
    "no_solution": "{label}: the solver found no plan within its share of the time limit; raise "
                   "solver.time_limit_s",
}


@dataclass(frozen=True)
class _Found:
    values: dict[str, float]
    chosen: set[int]
    min_distance: int
    distance_bound: int | None
    result: SolveResult
    proven: bool
    solve_s: float
    notes: list[str]


def _next_alternative(p: Problem, d: pulp.LpVariable, previous: list[tuple[str, set[int]]], warm: dict[str, float],
                      clock: _Clock, parts: int, label: str) -> _Found | str:
    """The next alternative, or why there is none (a key of ``_STOPS``): maximise d, then the cheapest
    plan at that distance (a floor on d that is lifted again afterwards)."""
    p.lp.setObjective(pulp.LpAffineExpression([(d, -1.0)]))
    first = _solve(p, clock.share(DISTANCE_SHARE / parts), {**warm, d.name: 0.0})
    if first.status is SolveStatus.NO_SOLUTION:
        return "no_solution"
    chosen = in_plan(p, first.values)
    best = min(len(chosen ^ q) for _, q in previous)  # recount: do not trust the solver's d
    proven = first.status is SolveStatus.OPTIMAL
    bound = None if proven or first.bound is None else math.floor(-first.bound + 1e-6)
    if best == 0:
        return "none_exists" if proven else "none_found"
    notes = [] if proven else [(
        f"{label}: the solver stopped at the time limit; {best} differing sites is not proven the most "
        f"(bound {bound if bound is not None else '–'}, gap {100 * (first.gap or 0):.3g} %)")]
    floor = f"mga_distance_floor[{label}]"
    p.add(floor, d >= best)
    p.lp.setObjective(p.cost)
    second = solve(p.lp, clock.share(1.0 / parts), first.values)
    p.constraints[floor].changeRHS(0.0)   # lifted: the next alternative starts from d ≥ 0
    values, result = first.values, first
    if (second.objective is not None and min(len(in_plan(p, second.values) ^ q) for _, q in previous) >= best
            and expression_value(p.cost, second.values) <= expression_value(p.cost, first.values) + 1e-9):
        values, result, chosen = second.values, second, in_plan(p, second.values)
        if second.status is not SolveStatus.OPTIMAL:
            notes.append(f"{label}: the solver stopped at the time limit before proving this the cheapest of "
                         f"the most different plans (gap {100 * (second.gap or 0):.3g} %)")
        proven = proven and second.status is SolveStatus.OPTIMAL
    else:
        notes.append(f"{label}: the cheapest of the most different plans was not found within the time "
                     "limit; this one is as different but may cost more than it must")
        proven = False
    return _Found(values, chosen, min(len(chosen ^ q) for _, q in previous), bound, result, proven,
                  first.time_s + second.time_s, notes)


def generate_alternatives(sites: list[Site], scenario: Scenario, k: int = 3, slack: float = 0.05,
                          solver: str | None = None, time_limit_s: float | None = None,
                          districts: list[District] | None = None) -> AlternativesResult:
    """The optimum and up to ``k`` maximally different plans within ``slack`` of its objective, for any
    scenario: over several target years a difference is a candidate built in one plan over the horizon
    and not in the other, and the districts are re-planned within the same cost cap.

    Parameters
    ----------
    sites : validated sites with LIK types set
    scenario : targets, rules and solver settings
    k : how many alternatives to look for (1 … ``MAX_ALTERNATIVES``)
    slack : allowed extra objective as a fraction of the optimum's [-], 0 … 1
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s], shared by the whole run: the
        optimum may use half (the cap is measured from it), each alternative an equal part of what
        is left; an alternative stopped at its part is returned with status ``feasible`` and a note
    districts : the districts of a scenario with ``[heat]``

    Raises
    ------
    InputError
        For ``k`` or ``slack`` out of range.
    SolverError
        When a solver fails, or a plan fails the checker or exceeds the cost cap.
    """
    if not 1 <= k <= MAX_ALTERNATIVES:
        raise InputError(f"-k must be between 1 and {MAX_ALTERNATIVES} alternatives (got {k})")
    if not 0.0 <= slack <= 1.0:
        raise InputError(f"--slack must lie between 0 % and 100 % (got {100 * slack:g} %)")
    t0 = time.perf_counter()
    updates = {key: v for key, v in (("name", solver), ("time_limit_s", time_limit_s)) if v is not None}
    settings = SolverSettings.model_validate({**scenario.solver.model_dump(), **updates})
    scenario = scenario.model_copy(update={"solver": settings})
    clock = _Clock(settings)
    # the cap is measured from the optimum, so it gets the largest share; what it leaves flows on
    planned = plan_problem(sites, scenario, districts, time_limit_s=clock.share(OPTIMUM_SHARE).time_limit_s)
    optimum_result, p = planned.result, planned.problem
    optimum = point_plan(optimum_result)
    previous = [("optimum", in_plan(p, planned.solved.values))]
    cap = (1.0 + slack) * (optimum_result.objective_meur or 0.0)
    found: list[Alternative] = []
    messages: list[str] = []
    towns = optimum.municipalities if isinstance(optimum_result, Plan) else [
        m for q in optimum_result.periods for m in q.plan.municipalities]
    if any(m.shortfall_gwh > 0 for m in towns):
        messages.append("a municipality cannot reach its own share, so no alternatives are searched; "
                        "lower its share (or drop it) and ask again")
        return AlternativesResult(optimum, found, k, slack, cap, time.perf_counter() - t0, messages, optimum_result)
    if optimum.status is PlanStatus.FEASIBLE:
        messages.append("the optimum is not proven (solver stopped at its time limit): the slack is measured "
                        "from the best plan found")
    if not p.w:
        messages.append("there are no candidate sites: every plan is the same")
        return AlternativesResult(optimum, found, k, slack, cap, time.perf_counter() - t0, messages, optimum_result)
    d = build_alternative_model(p, cap, previous)
    warm = dict(planned.solved.values)
    for j in range(1, k + 1):
        label = f"alt {j}"
        step = _next_alternative(p, d, previous, warm, clock, k - j + 1, label)
        if isinstance(step, str):
            plans = "the optimum" if j == 1 else f"the optimum and the {j - 1} alternative(s) before"
            messages.append(_STOPS[step].format(slack=fmt.pct(slack), plans=plans, found=j - 1, label=label))
            break
        solved = Solved(step.result, step.values, step.solve_s, [])
        build_late(p, solved, planned.budget, [])   # zero discount rate: each site as late as allowed
        result = result_of(p, solved, planned.budget, list(step.notes), 0.0, sites, districts or [])
        status = optimum.status if optimum.status is PlanStatus.SHORTFALL else (
            PlanStatus.OPTIMAL if step.proven else PlanStatus.FEASIBLE)
        alt = point_plan(result).model_copy(update={
            "status": status, "max_reachable_gwh": optimum.max_reachable_gwh, "solve_time_s": step.solve_s})
        _verify(alt, cap, label)
        found.append(Alternative(alt, hamming(alt, optimum), step.min_distance,
                                 step.distance_bound, result))
        messages += step.notes
        tag = label.replace(" ", "_")
        previous.append((tag, step.chosen))
        add_distance_constraint(p, d, tag, step.chosen)
    return AlternativesResult(optimum, found, k, slack, cap, time.perf_counter() - t0, messages, optimum_result)


def _verify(alt: Plan, cap_meur: float, label: str) -> None:
    """The cost cap recomputed from the plan's own figures (``result_of`` ran the independent checkers)."""
    objective = alt.objective_meur or 0.0
    if objective > cap_meur + COST_TOL_REL * max(1.0, abs(cap_meur)):
        raise SolverError(f"{label} costs {objective:.6f} M€, above the cap of {cap_meur:.6f} M€ the slack allows; "
                          "please report this")


__all__ = ["Alternative", "AlternativesResult", "build_alternative_model",
           "generate_alternatives", "hamming", "parse_slack"]
