"""Pure MILP builders: ``PlanningData`` → ``pulp.LpProblem``. No I/O, no solving.

One function per constraint family; constraint names are stable and readable
(``lik_area[veenontginning]``). PuLP replaces ``[`` and ``]`` in names by ``_``
in LP files, so ``BuiltModel.constraint_names`` keeps the readable name of each.

Examples
--------
>>> from models import Scenario, SolarField
>>> s = Scenario(name="demo", targets={"electricity_gwh": 1.0})
>>> f = SolarField(site_id="F1", status="candidate", capacity_mw=2, cost_meur=1,
...                area_ha=2.4, zonneladder="multifunctioneel")
>>> from energie.prepare import prepare
>>> m = build_min_cost_model(prepare([f], s), target_gwh=1.0)
>>> sorted(m.constraint_names.values())
['res_target[electricity]']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulp

from energie.prepare import PlanningData
from models import SiteKind

TARGET_RULE = "res_target[electricity]"


@dataclass
class BuiltModel:
    """A PuLP problem with its decision variables (by candidate index) and constraint names."""

    problem: pulp.LpProblem
    x: dict[int, pulp.LpVariable]
    constraint_names: dict[str, str] = field(default_factory=dict)

    def add(self, readable: str, constraint: pulp.LpConstraint) -> None:
        safe = readable.translate(str.maketrans("[], -/+>", "________")).rstrip("_")
        self.problem += constraint, safe
        self.constraint_names[safe] = readable


def new_model(data: PlanningData, sense: int, name: str) -> BuiltModel:
    """One binary variable per eligible candidate, named by index (``x_000042``)."""
    prob = pulp.LpProblem(name, sense)
    x = {i: prob.add_variable(f"x_{i:06d}", 0, 1, cat=pulp.LpBinary) for i in range(len(data.candidates))}
    return BuiltModel(prob, x)


def _expr(pairs: list[tuple[pulp.LpVariable, float]]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(pairs)


def yield_expression(model: BuiltModel, data: PlanningData) -> pulp.LpAffineExpression:
    """Σ yield_gwh × x over candidates [GWh/yr]."""
    return _expr([(model.x[i], f.yield_gwh) for i, f in enumerate(data.candidates) if f.yield_gwh])


def set_min_cost_objective(model: BuiltModel, data: PlanningData) -> None:
    """Minimise Σ (cost + weight × impact [+ soft zonneladder charge]) × x [M€]."""
    model.problem.setObjective(_expr([(model.x[i], f.objective_meur) for i, f in enumerate(data.candidates)]))


def add_res_target_constraints(model: BuiltModel, data: PlanningData, target_gwh: float) -> None:
    """Locked-in yield + chosen yield ≥ target [GWh/yr]."""
    need = target_gwh - data.locked_yield_gwh
    model.add(TARGET_RULE, yield_expression(model, data) >= need)


def add_lik_constraints(model: BuiltModel, data: PlanningData) -> None:
    """Per landscape type: solar-field area ≤ cap − locked-in area; turbines ≤ cap − locked-in."""
    area: dict[str, list[tuple[pulp.LpVariable, float]]] = defaultdict(list)
    turbines: dict[str, list[tuple[pulp.LpVariable, float]]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        if f.kind == SiteKind.SOLAR_FIELD:
            area[f.lik_type].append((model.x[i], f.area_ha))
        elif f.kind == SiteKind.WIND_TURBINE:
            turbines[f.lik_type].append((model.x[i], 1.0))
    for lik in sorted(area):
        left_ha = data.remaining_area_ha(lik)
        if left_ha is not None and sum(a for _, a in area[lik]) > left_ha + 1e-9:
            model.add(f"lik_area[{lik}]", _expr(area[lik]) <= left_ha)
    for lik in sorted(turbines):
        left_n = data.remaining_turbines(lik)
        if left_n is not None and len(turbines[lik]) > left_n:
            model.add(f"lik_turbines[{lik}]", _expr(turbines[lik]) <= left_n)


def zonneladder_groups(data: PlanningData) -> tuple[list[int], list[int]]:
    """Indices of eligible candidates on the lower steps (roofs, fields on built-up or
    multifunctional land) and of candidate fields on land (farmland, nature)."""
    lower = [i for i, f in enumerate(data.candidates)
             if f.kind == SiteKind.ROOFTOP_SOLAR or (f.kind == SiteKind.SOLAR_FIELD and not f.on_land)]
    land = [i for i, f in enumerate(data.candidates) if f.on_land]
    return lower, land


def add_zonneladder_constraints(model: BuiltModel, data: PlanningData) -> None:
    """Strict zonneladder: any field on land ⇒ every eligible candidate on a lower step chosen.

    Linear in size via an auxiliary ``lower_steps_full`` ∈ [0, 1]: full ≤ x_l for
    every lower-step candidate l and x_f ≤ full for every field on land f.
    """
    if data.scenario.policy.zonneladder != "strict":
        return
    lower, land = zonneladder_groups(data)
    if not lower or not land:
        return
    full = model.problem.add_variable("lower_steps_full", 0, 1)
    for r in lower:
        model.add(f"zonneladder[lower,{data.candidates[r].site_id}]", full - model.x[r] <= 0)
    for f in land:
        model.add(f"zonneladder[land,{data.candidates[f].site_id}]", model.x[f] - full <= 0)


def add_spacing_constraints(model: BuiltModel, data: PlanningData) -> None:
    """No two chosen turbines closer than ``policy.min_turbine_distance_m``: x_i + x_j ≤ 1."""
    for a, b in data.conflicts:
        ida, idb = data.candidates[a].site_id, data.candidates[b].site_id
        model.add(f"spacing[{ida},{idb}]", model.x[a] + model.x[b] <= 1)


def add_rule_constraints(model: BuiltModel, data: PlanningData) -> None:
    """All rule families shared by every model variant."""
    add_lik_constraints(model, data)
    add_zonneladder_constraints(model, data)
    add_spacing_constraints(model, data)


def build_min_cost_model(data: PlanningData, target_gwh: float) -> BuiltModel:
    """Least-cost plan meeting ``target_gwh`` [GWh/yr] under every rule."""
    model = new_model(data, pulp.LpMinimize, "min_cost")
    set_min_cost_objective(model, data)
    add_res_target_constraints(model, data, target_gwh)
    add_rule_constraints(model, data)
    return model


def build_max_yield_model(data: PlanningData) -> BuiltModel:
    """Largest reachable yield under every rule (used to explain a shortfall)."""
    model = new_model(data, pulp.LpMaximize, "max_yield")
    model.problem.setObjective(yield_expression(model, data))
    add_rule_constraints(model, data)
    return model
