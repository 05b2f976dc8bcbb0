"""A ``PhasedPlan`` from the solved problem: a cumulative ``Plan`` per target year, heat over the years."""

from __future__ import annotations

from energie.model.contributions import build_coefficient, discount_factors
from energie.planner.assemble import period_plan
from energie.planner.outcome import Outcome
from energie.engines.solver import SolveStatus
from models import PlanStatus
from models.phasing import PeriodResult, PhasedPlan


def _retired(o: Outcome, k: int) -> list[str]:
    """Sites in operation in period k − 1 that are not in k: their lifetime ended."""
    h = o.h
    if k == 0:
        return []
    locked = [f.site_id for f in h.data.locked if h.counts(f.site_id, k - 1) and not h.counts(f.site_id, k)]
    built = [h.candidates[i].site_id for i in o.chosen(k - 1) - o.chosen(k)]
    return sorted(locked + built)


def _repowered(o: Outcome, k: int) -> dict[str, str]:
    """Repowering candidates built in period k → the site each replaces."""
    out = {}
    for i, k0 in o.built_at.items():
        old = o.h.candidates[i].site.repowers
        if k0 == k and old is not None:
            out[o.h.candidates[i].site_id] = old
    return dict(sorted(out.items()))


def assemble_phased(o: Outcome, messages: list[str], build_s: float) -> PhasedPlan:
    """Per period the plan as it stands in its target year (sites in operation, municipalities'
    shares of that year, the electricity target moved by the heat plan); then the horizon's totals."""
    h, result = o.h, o.solved.result
    scenario = h.scenario
    solved_status = PlanStatus.OPTIMAL if result.status is SolveStatus.OPTIMAL else PlanStatus.FEASIBLE
    periods: list[PeriodResult] = []
    for k, resolved in enumerate(h.resolved):
        target = o.target_gwh(k)
        assert target is not None
        achieved = o.achieved_gwh(k)
        plan_k = period_plan(o, k, f"{scenario.name} ({resolved.year})", None, 0.0, 0.0, [])
        periods.append(PeriodResult(
            year=resolved.year, target=resolved, achieved_gwh=achieved, shortfall_gwh=max(0.0, target - achieved),
            max_reachable_gwh=plan_k.max_reachable_gwh,
            built=sorted(h.candidates[i].site_id for i, k0 in o.built_at.items() if k0 == k),
            started=sorted(f.site_id for f in h.locked_in(k) if h.locked_from[f.site_id] == k),
            retired=_retired(o, k), repowered=_repowered(o, k), plan=plan_k))
    heat = o.heat_plan()
    short = any(p.status is PlanStatus.SHORTFALL for p in periods) or bool(o.heat_short())
    d = discount_factors(h)
    built = [h.candidates[i] for i in o.built_at]
    objective = sum(build_coefficient(h.candidates[i], d[k]) for i, k in o.built_at.items())
    objective += sum(opt.objective_meur for opt in o.options)
    return PhasedPlan(
        scenario_name=scenario.name, status=PlanStatus.SHORTFALL if short else solved_status,
        solver=result.solver, solver_version=result.solver_version, objective_meur=objective,
        bound_meur=result.bound, gap=result.gap, discount_rate_per_yr=scenario.objective.discount_rate_per_yr,
        solve_time_s=o.solved.solve_s + sum(o.spent), build_time_s=build_s, periods=periods,
        excluded=h.data.excluded, cost_meur=sum(f.site.cost_meur for f in built),
        impact_meur=sum(f.impact_meur for f in built), messages=messages, heat=heat,
        region_name=scenario.region.name if scenario.region else "")


__all__ = ["assemble_phased"]
