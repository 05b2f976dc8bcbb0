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
from energie.build import (
    BuiltModel,
    add_res_target_constraints,
    add_rule_constraints,
    new_model,
    set_min_cost_objective,
)
from energie.checker import assert_plan_feasible
from energie.optimise import assemble_plan, chosen_indices, plan
from energie.prepare import PlanningData, prepare
from energie.regional import add_municipal_target_constraints
from energie.reports.export import plan_to_json
from energie.scenarios.overrides import require_single_year
from energie.solver import SolveResult, SolveStatus, solve
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


def build_alternative_model(data: PlanningData, target_gwh: float, cost_cap_meur: float,
                            previous: Sequence[tuple[str, set[int]]],
                            min_distance: int | None = None) -> tuple[BuiltModel, pulp.LpVariable]:
    """MGA model over the same candidates and rules as the optimiser.

    Parameters
    ----------
    data : prepared planning data (candidates sorted by id)
    target_gwh : yield to reach, locked-in included [GWh/yr]
    cost_cap_meur : upper bound on Σ objective_meur × x [M€]
    previous : (label, chosen candidate indices) of every plan found so far
    min_distance : ``None``: maximise the minimum Hamming distance ``d`` to ``previous``;
        a number: require ``d ≥ min_distance`` and minimise the objective (the tie-break)

    Returns the model and ``d``. Constraint names: ``mga_cost_cap``, ``mga_distance[<label>]``,
    ``mga_distance_floor``, besides the optimiser's own.
    """
    sense = pulp.LpMaximize if min_distance is None else pulp.LpMinimize
    model = new_model(data, sense, "mga_max_distance" if min_distance is None else "mga_cheapest")
    n = len(data.candidates)
    d = model.problem.add_variable(DISTANCE_VAR, 0, n, cat=pulp.LpInteger)
    cost = pulp.LpAffineExpression([(model.x[i], f.objective_meur) for i, f in enumerate(data.candidates)])
    add_res_target_constraints(model, data, target_gwh)
    add_municipal_target_constraints(model, data)
    add_rule_constraints(model, data)
    model.add("mga_cost_cap", cost <= cost_cap_meur)
    for label, chosen in previous:
        # Σ_{i∈S}(1 − x_i) + Σ_{i∉S} x_i, the number of candidates that differ from plan S
        differ = pulp.LpAffineExpression([(model.x[i], -1.0 if i in chosen else 1.0) for i in range(n)],
                                         constant=float(len(chosen)))
        model.add(f"mga_distance[{label}]", d - differ <= 0)
    if min_distance is None:
        model.problem.setObjective(pulp.LpAffineExpression([(d, 1.0)]))
    else:
        model.add("mga_distance_floor", d >= min_distance)
        set_min_cost_objective(model, data)
    return model, d


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


def _solve(model: BuiltModel, settings: SolverSettings, warm: dict[str, float]) -> SolveResult:
    result = solve(model.problem, settings, warm)
    if result.status is SolveStatus.ERROR:
        raise SolverError(f"{settings.name} returned an unknown status; try the other solver (--solver)")
    if result.status is SolveStatus.INFEASIBLE:
        # the optimum itself satisfies every constraint of the MGA model
        raise SolverError(f"{settings.name} reports the alternatives model as infeasible although the optimum "
                          "satisfies it; try the other solver (--solver) and please report this")
    return result


def _target_gwh(optimum: Plan, scenario: Scenario) -> float:
    """The yield every alternative must reach [GWh/yr]: the target, or for a shortfall the optimum's
    maximum reachable yield within the solver's tolerance (as ``optimise.plan`` aims at it)."""
    if optimum.status is PlanStatus.SHORTFALL:
        reach = optimum.max_reachable_gwh or optimum.yield_gwh_total
        return reach - max(1e-6, scenario.solver.gap_rel * reach)
    return scenario.targets.electricity_gwh or 0.0


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
    chosen: set[int]
    min_distance: int
    distance_bound: int | None
    status: PlanStatus
    result: SolveResult | None
    solve_s: float
    build_s: float
    notes: list[str]


def _differ(a: set[int], b: set[int]) -> int:
    return len(a ^ b)


def _next_alternative(data: PlanningData, target_gwh: float, cap_meur: float,
                      previous: list[tuple[str, set[int]]], clock: _Clock, parts: int,
                      label: str) -> _Found | str:
    """The next alternative, or why there is none (a key of ``_STOPS``)."""
    tb = time.perf_counter()
    model, d = build_alternative_model(data, target_gwh, cap_meur, previous)
    build_s = time.perf_counter() - tb
    optimum_set = previous[0][1]
    warm = {model.x[i].name: float(i in optimum_set) for i in model.x} | {d.name: 0.0}
    first = _solve(model, clock.share(DISTANCE_SHARE / parts), warm)
    if first.status is SolveStatus.NO_SOLUTION:
        return "no_solution"
    chosen = chosen_indices(model, first)
    best = min(_differ(chosen, p) for _, p in previous)  # recount: do not trust the solver's d
    proven = first.status is SolveStatus.OPTIMAL
    bound = None if proven or first.bound is None else math.floor(first.bound + 1e-6)
    if best == 0:
        return "none_exists" if proven else "none_found"
    notes = [] if proven else [(
        f"{label}: the solver stopped at the time limit; {best} differing sites is not proven the most "
        f"(bound {bound if bound is not None else '–'}, gap {100 * (first.gap or 0):.3g} %)")]
    tb = time.perf_counter()
    cheap_model, _ = build_alternative_model(data, target_gwh, cap_meur, previous, min_distance=best)
    build_s += time.perf_counter() - tb
    second = solve(cheap_model.problem, clock.share(1.0 / parts), first.values)
    cost = {i: data.candidates[i].objective_meur for i in model.x}
    cheap = chosen_indices(cheap_model, second) if second.objective is not None else None
    if (cheap is not None and min(_differ(cheap, p) for _, p in previous) >= best
            and sum(cost[i] for i in cheap) <= sum(cost[i] for i in chosen) + 1e-9):
        chosen = cheap
        if second.status is not SolveStatus.OPTIMAL:
            notes.append(f"{label}: the solver stopped at the time limit before proving this the cheapest of "
                         f"the most different plans (gap {100 * (second.gap or 0):.3g} %)")
        proven = proven and second.status is SolveStatus.OPTIMAL
        result: SolveResult | None = second
    else:
        notes.append(f"{label}: the cheapest of the most different plans was not found within the time "
                     "limit; this one is as different but may cost more than it must")
        proven, result = False, None
    return _Found(chosen, min(_differ(chosen, p) for _, p in previous), bound,
                  PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE, result,
                  first.time_s + second.time_s, build_s, notes)


def generate_alternatives(sites: list[Site], scenario: Scenario, k: int = 3, slack: float = 0.05,
                          solver: str | None = None, time_limit_s: float | None = None) -> AlternativesResult:
    """The optimum and up to ``k`` maximally different plans within ``slack`` of its objective.

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

    Raises
    ------
    InputError
        For ``k`` or ``slack`` out of range.
    SolverError
        When a solver fails, or a plan fails the checker or exceeds the cost cap.
    """
    require_single_year(scenario, "alternatives")
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
    optimum = plan(sites, scenario, time_limit_s=clock.share(OPTIMUM_SHARE).time_limit_s)
    data = prepare(sites, scenario)
    index = {f.site_id: i for i, f in enumerate(data.candidates)}
    previous = [("optimum", {index[s] for s in optimum.selected})]
    cap = (1.0 + slack) * (optimum.objective_meur or 0.0)
    target = _target_gwh(optimum, scenario)
    found: list[Alternative] = []
    messages: list[str] = []
    if any(m.shortfall_gwh > 0 for m in optimum.municipalities):
        messages.append("a municipality cannot reach its own share, so no alternatives are searched; "
                        "lower its share (or drop it) and ask again")
        return AlternativesResult(optimum, found, k, slack, cap, time.perf_counter() - t0, messages)
    if optimum.status is PlanStatus.FEASIBLE:
        messages.append("the optimum is not proven (solver stopped at its time limit): the slack is measured "
                        "from the best plan found")
    for j in range(1, k + 1):
        label = f"alt {j}"
        if not data.candidates:
            messages.append("there are no candidate sites: every plan is the same")
            break
        step = _next_alternative(data, target, cap, previous, clock, k - j + 1, label)
        if isinstance(step, str):
            plans = "the optimum" if j == 1 else f"the optimum and the {j - 1} alternative(s) before"
            messages.append(_STOPS[step].format(slack=fmt.pct(slack), plans=plans, found=j - 1, label=label))
            break
        status = PlanStatus.SHORTFALL if optimum.status is PlanStatus.SHORTFALL else step.status
        alt = assemble_plan(data, scenario, step.chosen, status, step.result, step.solve_s, step.build_s,
                             optimum.max_reachable_gwh, step.notes)
        _verify(sites, scenario, alt, cap, label)
        found.append(Alternative(alt, hamming(alt, optimum), step.min_distance, step.distance_bound))
        messages += step.notes
        previous.append((label.replace(" ", "_"), step.chosen))
    return AlternativesResult(optimum, found, k, slack, cap, time.perf_counter() - t0, messages)


def _verify(sites: list[Site], scenario: Scenario, alt: Plan, cap_meur: float, label: str) -> None:
    """The independent checker, and the cost cap recomputed from the plan's own figures."""
    assert_plan_feasible(sites, scenario, alt)
    objective = alt.objective_meur or 0.0
    if objective > cap_meur + COST_TOL_REL * max(1.0, abs(cap_meur)):
        raise SolverError(f"{label} costs {objective:.6f} M€, above the cap of {cap_meur:.6f} M€ the slack allows; "
                          "please report this")


def alternatives_to_json(r: AlternativesResult) -> dict[str, Any]:
    """The ``--json`` document: the optimum and each alternative as ``plan_to_json`` writes a plan,
    with the differences in sites."""
    base = set(r.optimum.selected)
    return {
        "schema_version": 1,
        "slack": r.slack,
        "cost_cap_meur": r.cost_cap_meur,
        "requested": r.requested,
        "found": len(r.alternatives),
        "messages": r.messages,
        "optimum": plan_to_json(r.optimum),
        "alternatives": [{
            "differs_from_optimum": a.differs_from_optimum,
            "min_distance": a.min_distance,
            "distance_bound": a.distance_bound,
            "added": sorted(set(a.plan.selected) - base),
            "removed": sorted(base - set(a.plan.selected)),
            "plan": plan_to_json(a.plan),
        } for a in r.alternatives],
        "distances": [[hamming(p, q) for q in r.plans] for p in r.plans],
    }


__all__ = ["Alternative", "AlternativesResult", "alternatives_to_json", "build_alternative_model",
           "generate_alternatives", "hamming", "parse_slack"]
