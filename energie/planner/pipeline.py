"""The one pipeline for every scenario: prepare → build → solve (elastic) → assemble → check.

Any combination of per-year targets, ``[municipalities]`` and ``[heat]`` goes through the same
steps. A scenario with one plan year gives a ``Plan``; one with per-year targets a ``PhasedPlan``
(a ``Plan`` per target year). Every plan passes the independent checkers before it is returned.

Examples
--------
>>> from models import RooftopSolar, Scenario
>>> roofs = [RooftopSolar(site_id=f"R{k}", status="candidate", capacity_mw=10, cost_meur=8 + k,
...                       gemeente=f"GM000{k}") for k in (1, 2)]
>>> sc = Scenario(name="demo", targets={"2030": {"electricity_gwh": 5},
...                                     "2050": {"multiple_of": 2030, "factor": 3}},
...               municipalities={"GM0002": {"electricity_gwh": 5}})
>>> p = run_plan(roofs, sc)
>>> [(q.year, q.built) for q in p.periods]   # GM0002's own share comes first, in 2030
[(2030, ['R2']), (2050, ['R1'])]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeAlias

from energie.check.result import check_result
from energie.engines.budget import TimeBudget, with_solver_overrides
from energie.facts.region import region_messages
from energie.model.contributions import build_problem
from energie.model.horizon import Horizon, prepare_horizon
from energie.model.problem import Problem
from energie.planner.assemble import period_plan
from energie.planner.elastic import Solved, solve_problem
from energie.planner.outcome import Outcome
from energie.planner.phased import assemble_phased
from models import Plan, PlanStatus, Scenario, Site
from models.errors import preview_ids
from models.heat import District
from models.phasing import PhasedPlan

PlanResult: TypeAlias = Plan | PhasedPlan


def _messages(h: Horizon) -> list[str]:
    out = list(h.messages)
    if h.scenario.has_municipal_targets:
        out += region_messages(h.data)
    if h.heat is not None:
        with_option = {o.district for o in h.heat.options}
        stuck = [d.district_id for k, d in enumerate(h.heat.districts) if k not in with_option]
        if stuck:
            out.append(f"{len(stuck)} district(s) have no eligible strategy and stay on natural gas: "
                       f"{preview_ids(stuck)}")
    return out


def _one_period_plan(o: Outcome, messages: list[str], build_s: float) -> Plan:
    result = o.solved.result
    plan = period_plan(o, 0, o.h.scenario.name, result, o.solved.solve_s + sum(o.spent), build_s, messages)
    status = PlanStatus.SHORTFALL if o.heat_short() else plan.status
    heat_objective = sum(opt.objective_meur for opt in o.options)
    return plan.model_copy(update={"status": status, "heat": o.heat_plan(),
                                   "objective_meur": (plan.objective_meur or 0.0) + heat_objective})


@dataclass
class Planned:
    """A plan with the problem it was solved on, for questions that edit the built problem further
    (alternatives add their cost cap and distance to it, as PyPSA's MGA does)."""

    result: PlanResult
    problem: Problem
    solved: Solved
    budget: TimeBudget
    messages: list[str]


def result_of(p: Problem, solved: Solved, budget: TimeBudget, messages: list[str], build_s: float,
              sites: list[Site], districts: list[District]) -> PlanResult:
    """The checked ``Plan`` (one plan year) or ``PhasedPlan`` of ``solved`` values of ``p``."""
    h = p.horizon
    outcome = Outcome(p, solved, budget)
    if h.is_phased:
        result: PlanResult = assemble_phased(outcome, messages, build_s)
    else:
        result = _one_period_plan(outcome, messages, build_s)
    check_result(sites, districts, h.scenario, result)
    if isinstance(result, Plan):
        result.attach_geometry(sites)
    else:
        for period in result.periods:
            period.plan.attach_geometry(sites)
    return result


def plan_problem(sites: list[Site], scenario: Scenario, districts: list[District] | None = None,
                 solver: str | None = None, time_limit_s: float | None = None) -> Planned:
    """``run_plan``, keeping the built problem (its shortfalls capped where the plan is short)."""
    scenario, settings = with_solver_overrides(scenario, solver, time_limit_s)
    t0 = time.perf_counter()
    h = prepare_horizon(sites, scenario, districts)
    messages = _messages(h)
    p = build_problem(h, "plan")
    messages += p.messages
    budget = TimeBudget(settings)
    solved = solve_problem(p, budget)
    messages += solved.messages
    build_s = time.perf_counter() - t0 - solved.solve_s
    result = result_of(p, solved, budget, messages, build_s, sites, districts or [])
    return Planned(result, p, solved, budget, messages)


def run_plan(sites: list[Site], scenario: Scenario, districts: list[District] | None = None,
             solver: str | None = None, time_limit_s: float | None = None) -> PlanResult:
    """The least-cost plan of ``sites`` (and ``districts``) under ``scenario``, checked independently.

    Parameters
    ----------
    sites : validated sites with LIK types set; ``year`` says from when a site counts (per-year scenarios)
    scenario : targets (one year or per year), rules, ``[municipalities]``, ``[heat]``, solver settings
    districts : the districts that leave natural gas (scenarios with ``[heat]``)
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s], shared by every solve

    Raises
    ------
    InputError
        Inputs the planner cannot use (repeated district ids, municipal targets without gemeente).
    SolverError
        When the solver fails or finds nothing in time, or the plan fails an independent check.
    """
    return plan_problem(sites, scenario, districts, solver, time_limit_s).result


__all__ = ["PlanResult", "Planned", "plan_problem", "result_of", "run_plan"]
