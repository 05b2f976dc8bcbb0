"""Consistency check before a solve: warnings that read like advice.

Problems that make the inputs unusable are ``InputError``s raised while
loading; this module finds inputs that are valid but suspicious or hopeless
(a target above anything reachable, locked-in sites breaking the rules).
"""

from __future__ import annotations

from collections import Counter

from energie.facts.prepare import PlanningData, prepare
from energie.facts.region import municipal_needs
from models import Scenario, Site, SiteKind
from models.errors import preview_ids


def consistency_warnings(sites: list[Site], scenario: Scenario) -> list[str]:
    """Human-readable warnings; empty when nothing looks off."""
    data = prepare(sites, scenario)
    return (_target_warnings(data) + _municipal_warnings(data) + _locked_warnings(data)
            + _landscape_warnings(data, sites))


def inventory_lines(sites: list[Site], scenario: Scenario) -> list[str]:
    """A short inventory: sites per kind and status, yields against the target [GWh/yr]."""
    data = prepare(sites, scenario)
    counts = Counter((s.kind, s.status.value) for s in sites)
    lines = []
    for kind in SiteKind:
        parts = [f"{counts[(kind.value, st)]} {st}" for st in ("existing", "planned", "candidate")
                 if counts[(kind.value, st)]]
        if parts:
            lines.append(f"{kind.value}: {', '.join(parts)}")
    target = scenario.targets.electricity_gwh
    if scenario.targets.is_phased:
        for r in scenario.targets.resolved():
            lines.append(f"target {r.year}: {r.target_gwh:,.1f} GWh ({r.reading})")
    lines.append(f"locked-in yield {data.locked_yield_gwh:,.1f} GWh; eligible candidates "
                 f"{len(data.candidates)} ({data.candidate_yield_gwh:,.1f} GWh); excluded {len(data.excluded)}")
    if target is not None:
        lines.append(f"target {target:,.1f} GWh: {max(0.0, target - data.locked_yield_gwh):,.1f} GWh "
                     "to choose from the candidates")
    if scenario.municipalities:
        with_target = sum(m.electricity_gwh is not None for m in scenario.municipalities.values())
        lines.append(f"municipalities: {len(scenario.municipalities)} ({with_target} with an own target); "
                     f"existing production outside the sites {data.existing_gwh:,.1f} GWh")
    return lines


def _target_warnings(data: PlanningData) -> list[str]:
    upper = data.locked_yield_gwh + data.candidate_yield_gwh
    targets = data.scenario.targets
    if targets.is_phased:
        return [f"target {r.year} of {r.target_gwh:,.1f} GWh is above the {upper:,.1f} GWh that all sites could "
                "give even without caps and spacing: that year will be a shortfall"
                for r in targets.resolved() if r.target_gwh > upper]
    target = targets.electricity_gwh
    if target is None:
        return ["no [targets] electricity_gwh: the plan will choose nothing beyond locked-in sites"]
    if target > upper:
        return [f"target {target:,.1f} GWh is above the {upper:,.1f} GWh that locked-in sites plus every "
                "eligible candidate could give even without caps and spacing: the plan will be a "
                "shortfall; add candidates or relax landscape rules"]
    return []


def _municipal_warnings(data: PlanningData) -> list[str]:
    """A municipality's own target above all its locked-in and eligible sites plus existing_gwh."""
    out = []
    for need in municipal_needs(data):
        upper = need.locked_gwh + sum(data.candidates[i].yield_gwh for i in need.candidates)
        if need.target_gwh > upper + 1e-6:
            out.append(f"municipality {need.gemeente}: its own target of {need.target_gwh:,.1f} GWh is above the "
                       f"{upper:,.1f} GWh that its existing production and every eligible site inside its "
                       "borders could give: it will be short")
    return out


def _locked_warnings(data: PlanningData) -> list[str]:
    out = []
    if data.locked_conflicts:
        pairs = preview_ids(f"{a}–{b}" for a, b in data.locked_conflicts)
        out.append(f"locked-in turbines closer than {data.scenario.policy.min_turbine_distance_m:.0f} m: {pairs}")
    for lik, area in sorted(data.locked_area_ha.items()):
        cap = data.scenario.rule_for(lik).max_solar_field_ha
        if cap is not None and area > cap + 1e-9:
            out.append(f"locked-in solar fields in {lik} take {area:,.1f} ha, above the cap of {cap:,.1f} ha")
    for lik, n in sorted(data.locked_turbines.items()):
        cap_n = data.scenario.rule_for(lik).max_turbines
        if cap_n is not None and n > cap_n:
            out.append(f"{n} locked-in turbines in {lik}, above the cap of {cap_n}")
    bad = [f.site_id for f in data.locked if f.kind not in data.scenario.rule_for(f.lik_type).allow]
    if bad:
        out.append(f"locked-in sites stand where their landscape type does not admit them: {preview_ids(bad)} "
                   "(they stay in the plan; check the rules or the status)")
    return out


def _landscape_warnings(data: PlanningData, sites: list[Site]) -> list[str]:
    out = []
    unknown = [s.site_id for s in sites if s.lik_type == "onbekend" and s.kind != SiteKind.ROOFTOP_SOLAR
               and not s.is_locked_in]
    if unknown and "onbekend" not in data.scenario.lik:
        out.append(f"{len(unknown)} candidate field(s)/turbine(s) lie outside every landscape polygon "
                   f"(type onbekend, which admits only rooftop solar): {preview_ids(unknown)}; add a "
                   "[lik.onbekend] table or extend the landscape layer")
    present = Counter(s.lik_type for s in sites)
    unused = sorted(set(data.scenario.lik) - set(present))
    if unused:
        out.append(f"the scenario has rules for landscape types no site lies in: {', '.join(unused)}")
    return out
