"""The planner's entry points: one plan year, per-year targets, sites with districts.

All three go through the one pipeline (``energie.planner.pipeline.run_plan``) and differ only in
what they accept and return: ``plan`` a one-year scenario without ``[heat]`` (a ``Plan``),
``plan_phased`` per-year targets (a ``PhasedPlan``), ``plan_with_heat`` a scenario with ``[heat]``
and its districts (a ``Plan`` or ``PhasedPlan``). The formulation is in
``energie.model.contributions``, the shortfall scheme in ``energie.planner.elastic``; every plan
passes the independent checkers (``energie.check``).

Examples
--------
>>> from models import RooftopSolar, Scenario
>>> roof = RooftopSolar(site_id="R1", status="candidate", capacity_mw=10, cost_meur=8)
>>> p = plan([roof], Scenario(name="demo", targets={"electricity_gwh": 5}))
>>> p.status.value, p.selected
('optimal', ['R1'])

Per-year targets: a site built for 2030 stays in 2050.

>>> roofs = [RooftopSolar(site_id=f"R{k}", status="candidate", capacity_mw=10, cost_meur=8 + k) for k in (1, 2)]
>>> sc = Scenario(name="demo", targets={"2030": {"electricity_gwh": 5},
...                                     "2050": {"multiple_of": 2030, "factor": 3}})
>>> p = plan_phased(roofs, sc)
>>> [(q.year, q.built, round(q.achieved_gwh, 1)) for q in p.periods]
[(2030, ['R1'], 9.5), (2050, ['R2'], 19.0)]

Districts that leave natural gas:

>>> from models.heat import District
>>> d = [District(district_id=f"BU{k}", dwellings=100 * k, gas_m3_per_dwelling=1500) for k in (1, 2)]
>>> sc = Scenario(name="demo", heat={"gas_saved_share": {2030: 0.3, 2050: 1.0}})
>>> p = plan_with_heat([], d, sc)
>>> [(r.district_id, r.strategy, r.year) for r in p.heat.districts]  # green gas for one district only
[('BU1', 'all_electric', 2050), ('BU2', 'green_gas_hybrid', 2030)]
"""

from __future__ import annotations

from energie.planner.assemble import assemble_plan, site_result
from energie.engines.budget import TimeBudget, with_solver_overrides
from energie.model.horizon import first_period
from energie.planner.pipeline import PlanResult, run_plan
from models import InputError, Plan, Scenario, Site
from models.heat import District
from models.phasing import PhasedPlan
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
        A scenario with ``[heat]`` (plan it with ``energie.planner.plans.plan_with_heat``, which takes
        the districts) or with per-year targets (``energie.planner.plans.plan_phased``).
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


def plan_phased(sites: list[Site], scenario: Scenario, solver: str | None = None,
                time_limit_s: float | None = None, districts: list[District] | None = None) -> PhasedPlan:
    """Least-cost phased plan for a scenario with per-year targets, checked per period.

    Parameters
    ----------
    sites : validated sites with LIK types set; ``year`` says from when a site counts
    scenario : per-year targets, rules, ``objective.discount_rate_per_yr`` [1/yr], solver settings,
        optionally ``[municipalities]`` (own shares per year) and ``[heat]``
    solver : ``"cbc"`` or ``"highs"``; overrides ``scenario.solver.name``
    time_limit_s : overrides ``scenario.solver.time_limit_s`` [s], shared by every solve
    districts : the districts of ``[heat]``

    Raises
    ------
    InputError
        A scenario without per-year targets.
    SolverError
        When the solver fails or finds nothing in time, or a period fails the checker.
    """
    if not scenario.targets.is_phased:
        raise InputError(f"scenario '{scenario.name}' has no per-year targets ([targets.2030], ...); plan one "
                         "year with energie.plan")
    result = run_plan(sites, scenario, districts, solver, time_limit_s)
    assert isinstance(result, PhasedPlan)
    return result


def check_heat_inputs(scenario: Scenario, districts: list[District]) -> None:
    """``InputError`` when the scenario has no ``[heat]`` section (the districts' own problems, such as a
    repeated id, are found when the horizon is prepared: ``energie.model.horizon``)."""
    if scenario.heat is None:
        raise InputError(f"scenario '{scenario.name}' has no [heat] section; add one, e.g. [heat] with "
                         "gas_saved_share = {2030 = 0.2, 2050 = 1.0}")


def plan_with_heat(sites: list[Site], districts: list[District], scenario: Scenario,
                   solver: str | None = None, time_limit_s: float | None = None) -> PlanResult:
    """Least-cost coupled plan of ``sites`` and ``districts`` under ``scenario`` (with ``[heat]``).

    A one-year scenario gives a ``Plan`` (``plan.heat``); one with per-year targets a ``PhasedPlan``
    (``phased.heat``, each year's electricity target moved by the districts converted by then).

    Parameters
    ----------
    sites : validated sites with LIK types set (may be empty: a heat-only plan)
    districts : the districts that leave natural gas
    scenario : targets, rules, ``[heat]`` settings and solver settings
    solver, time_limit_s : override the scenario's solver and time limit [s]

    Raises
    ------
    InputError
        No ``[heat]`` section or repeated district ids.
    SolverError
        When the solver fails or finds nothing in time, or the plan fails a checker.
    """
    check_heat_inputs(scenario, districts)
    return run_plan(sites, scenario, districts, solver, time_limit_s)


__all__ = ["TimeBudget", "YIELD_TOL_GWH", "assemble_plan", "check_heat_inputs", "first_period", "plan", "plan_inputs",
           "plan_phased", "plan_with_heat", "reject_phased", "site_result", "with_solver_overrides"]
