"""From solved values to result objects: a ``Plan`` per period, a ``PhasedPlan`` over several.

Per period the plan is assembled on a one-year *view* of the scenario (``Scenario.in_year``): the
period's electricity target (moved by the heat plan where ``[heat]`` couples to it) and every
municipality's own share in that year. So the one-year reports, JSON and checker read every period.
"""

from __future__ import annotations

import dataclasses

from energie.model.horizon import Horizon
from energie.facts.prepare import PlanningData, SiteFacts, locked_use
from energie.rules.uses import municipal_rule_uses
from energie.planner.municipalities import municipality_results
from energie.rules.uses import rule_uses
from energie.engines.solver import SolveResult, SolveStatus, solver_version
from energie.planner.elastic import SHORT_TOL
from energie.planner.outcome import Outcome
from models import Plan, PlanStatus, Scenario, SiteResult, TargetResult, Targets


def site_result(f: SiteFacts, chosen: bool) -> SiteResult:
    s = f.site
    return SiteResult(
        site_id=s.site_id, name=s.name, kind=s.kind, status=s.status.value, lik_type=s.lik_type,
        initiator=s.initiator.value, capacity_mw=s.capacity_mw, yield_gwh=f.yield_gwh, area_ha=f.area_ha,
        cost_meur=s.cost_meur, impact_meur=f.impact_meur, chosen=chosen, gemeente=s.gemeente)


def assemble_plan(data: PlanningData, scenario: Scenario, chosen: set[int], status: PlanStatus,
                  result: SolveResult | None, solve_s: float, build_s: float,
                  max_reachable_gwh: float | None, messages: list[str],
                  municipal_max_gwh: dict[str, float] | None = None) -> Plan:
    """A ``Plan`` for the candidate indices ``chosen``, with its targets, rules and totals (and, for a
    region, a row per municipality with ``municipal_max_gwh``, the maximum inside each short one)."""
    target = scenario.targets.electricity_gwh
    facts = [data.candidates[i] for i in sorted(chosen)]
    achieved = data.locked_yield_gwh + sum(f.yield_gwh for f in facts)
    name = scenario.solver.name
    rules = rule_uses(data, chosen, target, achieved)
    return Plan(
        scenario_name=scenario.name, status=status, solver=result.solver if result else name,
        solver_version=result.solver_version if result else solver_version(name),
        objective_meur=sum(f.objective_meur for f in facts),
        bound_meur=result.bound if result else None, gap=result.gap if result else None,
        solve_time_s=solve_s, build_time_s=build_s,
        selected=sorted(f.site_id for f in facts),
        locked_in=sorted(f.site_id for f in data.locked),
        sites=[site_result(f, False) for f in data.locked] + [site_result(f, True) for f in facts],
        excluded=data.excluded,
        targets={} if target is None else {"electricity": TargetResult(
            target_gwh=target, achieved_gwh=achieved, shortfall_gwh=max(0.0, target - achieved))},
        rules=rules[:1] + municipal_rule_uses(data, chosen) + rules[1:],
        existing_gwh=data.existing_gwh,
        region_name=scenario.region.name if scenario.region else "",
        municipalities=(municipality_results(data, chosen, target, municipal_max_gwh)
                        if scenario.municipalities else []),
        max_reachable_gwh=max_reachable_gwh,
        cost_meur=sum(f.site.cost_meur for f in facts),
        impact_meur=sum(f.impact_meur for f in facts),
        messages=messages,
    )


def period_data(h: Horizon, k: int, scenario: Scenario) -> PlanningData:
    """The planning data as it stands in period ``k``: locked-in sites in operation then (started,
    not retired) and what they use of each landscape cap."""
    locked = h.locked_in(k)
    area, turbines = locked_use(locked)
    return dataclasses.replace(h.data, locked=locked, scenario=scenario, locked_area_ha=dict(area),
                               locked_turbines=dict(turbines))


def period_plan(o: Outcome, k: int, name: str, result: SolveResult | None, solve_s: float, build_s: float,
                messages: list[str]) -> Plan:
    """The plan as it stands in period ``k`` (its sites in operation, its target moved by the heat plan,
    each municipality's share that year); status ``shortfall`` when the region or a municipality falls
    short then. ``result`` fills solver, bound and gap (``None``: a period of a plan over several years,
    whose bound belongs to the whole horizon)."""
    h = o.h
    scenario_k = h.scenario.in_year(h.years[k], o.target_gwh(k)).model_copy(update={"name": name})
    solved = PlanStatus.OPTIMAL if o.solved.result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
    short = o.region_short(k)
    reach = max(o.region_reach[k] or 0.0, o.achieved_gwh(k)) if short else None
    plan = assemble_plan(period_data(h, k, scenario_k), scenario_k, o.chosen(k), solved, result, solve_s, build_s,
                         reach, messages, o.municipal_max[k])
    if short or any(m.shortfall_gwh > SHORT_TOL * max(1.0, m.target_gwh or 0.0) for m in plan.municipalities):
        plan = plan.model_copy(update={"status": PlanStatus.SHORTFALL})
    return plan


__all__ = ["assemble_plan", "period_data", "period_plan", "site_result"]
