"""Plan heat and electricity together: sites and district strategies in one MILP.

When a scenario has a ``[heat]`` section, the districts' strategies change the electricity the
municipality needs (heat pumps) and its total energy use, so the electricity target of each year
depends on the heat choices. Both halves are solved in the one problem (``energie.model``),
with per-year targets and ``[municipalities]`` as further dimensions.

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

from energie.planner.pipeline import PlanResult, run_plan
from models import InputError, Scenario, Site
from models.errors import preview_ids
from models.heat import District


def check_heat_inputs(scenario: Scenario, districts: list[District]) -> None:
    """``InputError`` when the scenario cannot plan heat or the districts repeat an id."""
    if scenario.heat is None:
        raise InputError(f"scenario '{scenario.name}' has no [heat] section; add one, e.g. [heat] with "
                         "gas_saved_share = {2030 = 0.2, 2050 = 1.0}")
    ids = [d.district_id for d in districts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError(f"district ids occur more than once: {preview_ids(twice)}; make them unique")


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


__all__ = ["check_heat_inputs", "plan_with_heat"]
