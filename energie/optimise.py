"""One-year plans: ``plan(sites, scenario)`` through the one pipeline (``energie.planner``).

The target is elastic in the sense users need: when it cannot be met the plan still comes back,
with status ``shortfall``, the maximum reachable yield and the rules that bind
(``energie.planner.elastic``).

Examples
--------
>>> from models import Scenario, RooftopSolar
>>> roof = RooftopSolar(site_id="R1", status="candidate", capacity_mw=10, cost_meur=8)
>>> p = plan([roof], Scenario(name="demo", targets={"electricity_gwh": 5}))
>>> p.status.value, p.selected
('optimal', ['R1'])
"""

from __future__ import annotations

from energie.planner.assemble import assemble_plan, site_result
from energie.planner.pipeline import run_plan
from energie.planner.solving import TimeBudget, with_solver_overrides
from models import InputError, Plan, Scenario, Site
from sites import PlanningInputs

#: Tolerance on yields [GWh/yr] when comparing with a target.
YIELD_TOL_GWH = 1e-6


def reject_phased(scenario: Scenario, what: str) -> None:
    """``InputError`` for a scenario with per-year targets in a question asked of one plan year."""
    if scenario.targets.is_phased:
        years = ", ".join(str(y) for y in scenario.targets.years)
        raise InputError(f"{what} works on one plan year, but scenario '{scenario.name}' has per-year targets "
                         f"({years}); plan it with `energie plan`, or give one year ([targets] electricity_gwh)")


def plan(sites: list[Site], scenario: Scenario, solver: str | None = None,
         time_limit_s: float | None = None) -> Plan:
    """Least-cost plan for ``sites`` under a one-year ``scenario``, checked independently.

    Parameters
    ----------
    sites : validated sites with LIK types set
    scenario : targets, rules and solver settings; ``[municipalities]`` plans every own share too
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s]

    Raises
    ------
    InputError
        A scenario with ``[heat]`` (plan it with ``energie.heat_optimise.plan_with_heat``, which takes
        the districts) or with per-year targets (``energie.phasing.plan_phased``).
    SolverError
        When the solver fails or finds nothing in time, or the plan fails the checker.
    """
    if scenario.heat is not None:
        raise InputError(f"scenario '{scenario.name}' has a [heat] section: plan it with `energie plan` or "
                         "`energie heat`, which plan the districts too (what-if, explain, alternatives and "
                         "sweep do not plan heat yet; remove [heat] to use them on the sites alone)")
    reject_phased(scenario, "this question")
    result = run_plan(sites, scenario, None, solver, time_limit_s)
    assert isinstance(result, Plan)
    return result


def plan_inputs(inputs: PlanningInputs, solver: str | None = None, time_limit_s: float | None = None) -> Plan:
    """``plan`` on loaded ``PlanningInputs``."""
    return plan(inputs.sites, inputs.scenario, solver=solver, time_limit_s=time_limit_s)


__all__ = ["TimeBudget", "YIELD_TOL_GWH", "assemble_plan", "plan", "plan_inputs", "reject_phased",
           "site_result", "with_solver_overrides"]
