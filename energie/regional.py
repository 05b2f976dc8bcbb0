"""Region-wide planning: the region's total and each municipality's own share in one model.

A municipality's own target counts only the sites inside its borders (``gemeente``)
plus its existing production outside the sites layer::

    municipal_target[g]:  Σ_{i ∈ candidates of g} yield_i · x_i  ≥  target_g − existing_g − locked_g

When the targets cannot all be met, two phases (as for the region alone, see
``energie.optimise``): first the smallest total shortfall, Σ over the region and
every municipality of its shortfall [GWh/yr] (each a variable 0 ≤ s ≤ its need),
then the cheapest plan in which no target falls shorter than in that plan. A municipality that stays short gets its
own maximum reachable yield inside its borders under all rules (one more solve
each), so the report can say what its land and rules allow.

Examples
--------
>>> from models import Scenario, RooftopSolar
>>> roofs = [RooftopSolar(site_id=f"R{g}", status="candidate", capacity_mw=10, cost_meur=8,
...                       gemeente=g) for g in ("GM0001", "GM0002")]
>>> s = Scenario(name="region", targets={"electricity_gwh": 5},
...              municipalities={"GM0002": {"electricity_gwh": 5}})
>>> from energie.optimise import plan
>>> p = plan(roofs, s)
>>> p.selected, [(m.gemeente, m.achieved_gwh) for m in p.municipalities]
(['RGM0002'], [('GM0001', 0.0), ('GM0002', 9.5)])
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from energie.build import (
    BuiltModel, add_res_target_constraints, add_rule_constraints, new_model, set_min_cost_objective,
    yield_expression,
)
from energie.model.horizon import MunicipalNeed
from energie.prepare import PlanningData
from models import InputError, MunicipalityResult, RuleUse, Scenario, SiteKind

#: Sites without a ``gemeente`` are shown under this key.
NO_GEMEENTE = "(none)"


def region_messages(data: PlanningData) -> list[str]:
    """Notes on municipal targets the sites cannot serve; ``InputError`` when no site has a gemeente."""
    targets = {g for g, m in data.scenario.municipalities.items() if m.electricity_gwh is not None}
    if not targets:
        return []
    facts = data.locked + data.candidates
    present = {f.site.gemeente for f in facts if f.site.gemeente}
    if not present:
        raise InputError(
            f"the scenario gives {len(targets)} municipality target(s) ([municipalities]) but no site has a "
            "gemeente: add a 'gemeente' column (CBS code such as GM0166) to the sites layer, or generate "
            "the candidates with `energie candidates`, which fills it from the municipal boundaries")
    return [f"municipality {g} has a target but no eligible or locked-in site inside its borders (sites' "
            "gemeente column); only its existing_gwh counts" for g in sorted(targets - present)]


def municipal_rule(gemeente: str) -> str:
    """Readable constraint name of a municipality's own target."""
    return f"municipal_target[{gemeente}]"


def municipal_needs(data: PlanningData) -> list[MunicipalNeed]:
    """One ``MunicipalNeed`` per municipality with a target, sorted by key."""
    locked: dict[str, float] = defaultdict(float)
    for f in data.locked:
        if f.site.gemeente:
            locked[f.site.gemeente] += f.yield_gwh
    idx: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        if f.site.gemeente:
            idx[f.site.gemeente].append(i)
    return [MunicipalNeed(g, 0, m.electricity_gwh, m.existing_gwh + locked[g], idx[g])
            for g, m in sorted(data.scenario.municipalities.items()) if m.electricity_gwh is not None]


def _municipal_expr(model: BuiltModel, data: PlanningData, need: MunicipalNeed) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression([(model.x[i], data.candidates[i].yield_gwh) for i in need.candidates
                  if data.candidates[i].yield_gwh])


def add_municipal_target_constraints(model: BuiltModel, data: PlanningData,
                                     shortfall: dict[str, pulp.LpVariable] | None = None) -> None:
    """Σ yield inside g (+ shortfall[g]) ≥ target_g − existing_g − locked_g, for every g with a target."""
    for need in municipal_needs(data):
        if need.need_gwh <= 0:
            continue
        expr = _municipal_expr(model, data, need)
        if shortfall is not None:
            expr = expr + shortfall[need.gemeente]
        model.add(municipal_rule(need.gemeente), expr >= need.need_gwh)


def build_region_min_cost_model(data: PlanningData, target_gwh: float) -> BuiltModel:
    """Least-cost plan meeting the region's total and every municipality's own target."""
    model = new_model(data, pulp.LpMinimize, "min_cost_region")
    set_min_cost_objective(model, data)
    add_res_target_constraints(model, data, target_gwh)
    add_municipal_target_constraints(model, data)
    add_rule_constraints(model, data)
    return model


def build_min_shortfall_model(data: PlanningData, target_gwh: float, caps_gwh: dict[str, float] | None = None
                              ) -> tuple[BuiltModel, dict[str, pulp.LpVariable]]:
    """Targets with shortfall variables (``short_region``, one per municipality), each 0 ≤ s ≤ its need.

    Without ``caps_gwh``: minimise Σ s. With it (the shortfalls of the phase-1 plan, by ``region`` and
    municipality): each s ≤ its cap and minimise cost. Capping each shortfall rather than their sum
    keeps a target that phase 1 met met.
    """
    model = new_model(data, pulp.LpMinimize, "min_shortfall" if caps_gwh is None else "min_cost_at_shortfall")
    short: dict[str, pulp.LpVariable] = {}

    def bound(key: str, need: float) -> float:
        need = max(0.0, need)
        return need if caps_gwh is None else min(need, caps_gwh.get(key, need))

    region_need = max(0.0, target_gwh - data.locked_yield_gwh)
    short["region"] = model.problem.add_variable("short_region", 0, bound("region", region_need))
    model.add("res_target[electricity]", yield_expression(model, data) + short["region"] >= region_need)
    for need in municipal_needs(data):
        short[need.gemeente] = model.problem.add_variable(
            f"short_{len(short):04d}", 0, bound(need.gemeente, need.need_gwh))
    add_municipal_target_constraints(model, data, short)
    add_rule_constraints(model, data)
    if caps_gwh is None:
        model.problem.setObjective(pulp.lpSum(short.values()))
    else:
        set_min_cost_objective(model, data)
    return model, short


def build_max_yield_within(data: PlanningData, indices: list[int]) -> BuiltModel:
    """Largest yield of the candidates ``indices`` (one municipality) under every rule."""
    model = new_model(data, pulp.LpMaximize, "max_yield_within")
    model.problem.setObjective(pulp.LpAffineExpression([(model.x[i], data.candidates[i].yield_gwh) for i in indices]))
    add_rule_constraints(model, data)
    return model


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


def municipal_rule_uses(data: PlanningData, chosen: set[int]) -> list[RuleUse]:
    """A municipality's target *binds* when dropping any one of its chosen sites would break it."""
    out = []
    for need in municipal_needs(data):
        mine = [data.candidates[i].yield_gwh for i in need.candidates if i in chosen]
        achieved = need.locked_gwh + sum(mine)
        met = achieved >= need.target_gwh - 1e-6
        tight = bool(mine) and achieved - min(mine) < need.target_gwh - 1e-6
        note = ("target not met inside its borders" if not met else
                "every site chosen inside its borders is needed for its own target" if tight else
                "met with room to spare: the region's total or cost chose these sites")
        out.append(RuleUse(rule=municipal_rule(need.gemeente), family="target", limit=need.target_gwh,
                           used=achieved, unit="GWh", binding=(not met) or tight, blocked_yield_gwh=0.0,
                           note=note))
    return out


__all__ = ["NO_GEMEENTE", "region_messages", "MunicipalNeed", "add_municipal_target_constraints", "build_max_yield_within",
           "build_min_shortfall_model", "build_region_min_cost_model", "municipal_needs",
           "municipal_rule", "municipal_rule_uses", "municipality_results"]
