"""Per municipality of a region plan: what lies inside its borders [GWh/yr, ha, M€]."""

from __future__ import annotations

from collections import defaultdict

from energie.facts.prepare import PlanningData
from energie.facts.region import NO_GEMEENTE
from models import MunicipalityResult, Scenario, SiteKind


def municipality_results(data: PlanningData, chosen: set[int], region_target_gwh: float | None,
                         max_reachable: dict[str, float] | None = None) -> list[MunicipalityResult]:
    """Per municipality (scenario rows and every ``gemeente`` of the sites), what lies inside."""
    scenario: Scenario = data.scenario
    keys = set(scenario.municipalities)
    keys |= {f.site.gemeente or NO_GEMEENTE for f in data.locked + data.candidates}
    sums: dict[str, dict[str, float]] = {k: defaultdict(float) for k in keys}
    for f in data.locked:
        sums[f.site.gemeente or NO_GEMEENTE]["locked"] += f.yield_gwh
    for i in sorted(chosen):
        f = data.candidates[i]
        row = sums[f.site.gemeente or NO_GEMEENTE]
        row["chosen"] += f.yield_gwh
        row["n"] += 1
        row["ha"] += f.area_ha if f.kind == SiteKind.SOLAR_FIELD else 0.0
        row["wt"] += f.kind == SiteKind.WIND_TURBINE
        row["cost"] += f.site.cost_meur
    out = []
    for g in sorted(keys, key=lambda k: (k == NO_GEMEENTE, k)):
        m = scenario.municipalities.get(g)
        row = sums[g]
        existing = m.existing_gwh if m else 0.0
        achieved = existing + row["locked"] + row["chosen"]
        target = m.electricity_gwh if m else None
        out.append(MunicipalityResult(
            gemeente=g, name=m.name if m else "", target_gwh=target, existing_gwh=existing,
            locked_gwh=row["locked"], chosen_gwh=row["chosen"], achieved_gwh=achieved,
            shortfall_gwh=max(0.0, (target or 0.0) - achieved), chosen_sites=int(row["n"]),
            chosen_field_ha=row["ha"], chosen_turbines=int(row["wt"]), chosen_cost_meur=row["cost"],
            share_of_region=achieved / region_target_gwh if region_target_gwh else None,
            max_reachable_gwh=(max_reachable or {}).get(g), source=m.source if m else ""))
    return out


__all__ = ["municipality_results"]
