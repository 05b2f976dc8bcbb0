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

The model is ``energie.model`` (one problem for every scenario; per-year targets are its period
dimension) and the planner ``energie.planner``. Every plan is re-checked per period by ``check_phased_plan``, which runs the independent
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

from energie.checker_phasing import check_phased_plan
from energie.model.horizon import first_period
from energie.planner.pipeline import run_plan
from models import InputError, Scenario, Site
from models.heat import District
from models.phasing import PhasedPlan


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


__all__ = ["check_phased_plan", "first_period", "plan_phased"]
