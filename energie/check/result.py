"""Every plan through the independent checkers (``energie.check.plan``, ``checker_phasing``, ``checker_heat``)."""

from __future__ import annotations

from energie.check.plan import check_plan
from energie.check.heat import check_heat, heat_is_short
from energie.check.phasing import check_phased_plan
from models import Plan, Scenario, Site, SolverError, Targets
from models.heat import District
from models.phasing import PhasedPlan

#: ``energie.check.plan``'s complaint about a shortfall status with every electricity target met.
SHORT_BUT_MET = "status shortfall but every target is met"


def check_result(sites: list[Site], districts: list[District], scenario: Scenario, result: Plan | PhasedPlan) -> None:
    """Raise ``SolverError`` listing every violation the independent checkers find."""
    if isinstance(result, Plan):
        reported = result.targets.get("electricity")
        checked = scenario
        if scenario.heat is not None and reported is not None:
            # the heat plan moved the target; check_heat recomputes that move independently
            checked = scenario.model_copy(update={"targets": Targets(electricity_gwh=reported.target_gwh)})
        problems = check_plan(sites, checked, result)
        if heat_is_short(districts, scenario, result.heat):
            # the heat side explains a shortfall status; check_heat checks it is reported
            problems = [p for p in problems if p != SHORT_BUT_MET]
        if scenario.heat is not None:
            base = scenario.targets.electricity_gwh
            targets = {} if base is None else {
                scenario.heat.periods[0]: (base, None if reported is None else reported.target_gwh)}
            problems += check_heat(districts, scenario, result.heat, result.status, targets)
    else:
        problems = check_phased_plan(sites, scenario, result)
        if scenario.heat is not None:
            used = {p.year: p.plan.targets.get("electricity") for p in result.periods}
            targets = {t.year: (t.target_gwh, None if used.get(t.year) is None else used[t.year].target_gwh)  # type: ignore[union-attr]
                       for t in scenario.targets.resolved()}
            problems += check_heat(districts, scenario, result.heat, result.status, targets)
    if problems:
        raise SolverError("the plan failed the independent feasibility check:\n  - " + "\n  - ".join(problems[:20]))


__all__ = ["check_result"]
