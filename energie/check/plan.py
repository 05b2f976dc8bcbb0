"""Independent feasibility checker, in plain Python.

It re-derives every rule straight from the scenario and the sites and checks
a plan against them, sharing no code with the model builders (``prepare``,
``build``, ``accounting``): a bug there cannot hide itself here. Spacing is
checked with a plain grid hash over every turbine pair, not the STRtree the
builder uses.
"""

from __future__ import annotations

import math
from collections import defaultdict

from models import Plan, PlanStatus, Scenario, Site, SolarField, SolverError, WindTurbine

_TOL = 1e-6
_LOCAL = {"energiecooperatie", "belangengroep"}
_LAND = {"landbouwgrond", "natuur"}


def _yield(site: Site, scenario: Scenario) -> float:
    if site.yield_gwh is not None:
        return float(site.yield_gwh)
    hours = {"solar_field": scenario.full_load_hours.solar_field,
             "rooftop_solar": scenario.full_load_hours.rooftop_solar,
             "wind_turbine": scenario.full_load_hours.wind_turbine}[site.kind]
    return site.capacity_mw * hours / 1000.0


def _allowed(site: Site, scenario: Scenario) -> bool:
    rule = scenario.lik.get(site.lik_type)
    allowed = {"rooftop_solar"} if rule is None else {str(k) for k in rule.allow}
    return site.kind in allowed


def _forbidden_by_town(site: Site, scenario: Scenario) -> bool:
    town = scenario.municipalities.get(site.gemeente or "")
    return town is not None and site.kind in town.forbid


def _is_land_field(site: Site) -> bool:
    return site.kind == "solar_field" and str(getattr(site, "zonneladder", "")) in _LAND


def _on_lower_step(site: Site, scenario: Scenario, locked: list[Site]) -> bool:
    """An eligible roof, or an eligible field on built-up/multifunctional land that fits its cap."""
    if not _allowed(site, scenario) or _forbidden_by_town(site, scenario):
        return False
    if site.kind == "rooftop_solar":
        return True
    if not isinstance(site, SolarField) or _is_land_field(site):
        return False
    rule = scenario.lik.get(site.lik_type)
    if rule is None or rule.max_solar_field_ha is None:
        return True
    used = sum(s.area_ha for s in locked if isinstance(s, SolarField) and s.lik_type == site.lik_type)
    return site.area_ha <= rule.max_solar_field_ha - used + 1e-9


def _close_pairs(points: list[tuple[str, float, float]], min_m: float) -> list[tuple[str, str, float]]:
    cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    size = max(min_m, 1.0)
    for k, (_, x, y) in enumerate(points):
        cell[(math.floor(x / size), math.floor(y / size))].append(k)
    out = []
    for k, (sid, x, y) in enumerate(points):
        cx, cy = math.floor(x / size), math.floor(y / size)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for m in cell.get((cx + dx, cy + dy), []):
                    if m > k:
                        d = math.hypot(points[m][1] - x, points[m][2] - y)
                        if d < min_m - 1e-6:
                            out.append((sid, points[m][0], d))
    return out


def check_plan(sites: list[Site], scenario: Scenario, plan: Plan) -> list[str]:
    """Every violation of the rules or of the plan's own figures; empty when the plan is sound."""
    by_id = {s.site_id: s for s in sites}
    problems: list[str] = []
    selected = list(plan.selected)
    if len(set(selected)) != len(selected):
        problems.append("a site is selected twice")
    unknown = [i for i in selected if i not in by_id]
    if unknown:
        problems.append(f"selected ids not in the input: {unknown[:5]}")
    chosen = [by_id[i] for i in selected if i in by_id]
    locked = [s for s in sites if s.status in ("existing", "planned")]
    if sorted(s.site_id for s in locked) != sorted(plan.locked_in):
        problems.append("the plan's locked-in list differs from the existing + planned sites")
    for s in chosen:
        if s.status != "candidate":
            problems.append(f"{s.site_id}: selected but its status is {s.status}")
        if not _allowed(s, scenario):
            problems.append(f"{s.site_id}: {s.kind} is not admitted in landscape type {s.lik_type}")
        if _forbidden_by_town(s, scenario):
            problems.append(f"{s.site_id}: municipality {s.gemeente} forbids {s.kind}")
        if (_is_land_field(s) and scenario.policy.solar_on_land == "nee_tenzij"
                and str(s.initiator) not in _LOCAL):
            problems.append(f"{s.site_id}: field on land by {s.initiator} violates nee, tenzij")

    in_plan = locked + chosen
    chosen_ids = {s.site_id for s in chosen}
    locked_ids = {s.site_id for s in locked}
    for s in chosen:
        if s.repowers is not None and s.repowers in locked_ids:
            problems.append(f"{s.site_id}: repowers {s.repowers}, which is still in operation in the plan")
    for lik, rule in scenario.lik.items():
        here = [s for s in in_plan if s.lik_type == lik]
        new_here = [s for s in here if s.site_id in chosen_ids]
        area = sum(s.area_ha for s in here if isinstance(s, SolarField))
        if rule.max_solar_field_ha is not None and any(s.kind == "solar_field" for s in new_here):
            if area > rule.max_solar_field_ha + _TOL:
                problems.append(f"lik_area[{lik}]: {area:.3f} ha > cap {rule.max_solar_field_ha} ha")
        n_wt = sum(1 for s in here if s.kind == "wind_turbine")
        if rule.max_turbines is not None and any(s.kind == "wind_turbine" for s in new_here):
            if n_wt > rule.max_turbines:
                problems.append(f"lik_turbines[{lik}]: {n_wt} turbines > cap {rule.max_turbines}")

    if scenario.policy.zonneladder == "strict" and any(_is_land_field(s) for s in chosen):
        lower = [s for s in sites if s.status == "candidate" and _on_lower_step(s, scenario, locked)]
        missing = [s.site_id for s in lower if s.site_id not in chosen_ids]
        if missing:
            problems.append("zonneladder strict: a field on land is chosen but these roofs or lower-step "
                            f"fields are not: {missing[:5]}")

    turbines = [(s.site_id, s.x_m, s.y_m) for s in in_plan if isinstance(s, WindTurbine)]
    for a, b, d in _close_pairs(turbines, scenario.policy.min_turbine_distance_m):
        if a in chosen_ids or b in chosen_ids:
            problems.append(f"spacing: {a} and {b} are {d:.0f} m apart")

    existing = sum(m.existing_gwh for m in scenario.municipalities.values())
    achieved = sum(_yield(s, scenario) for s in in_plan) + existing
    target = scenario.targets.electricity_gwh
    reported = plan.targets.get("electricity")
    if target is not None:
        if reported is None or abs(reported.achieved_gwh - achieved) > 1e-6 * max(1.0, achieved):
            problems.append(f"achieved yield recomputed {achieved:.6f} GWh differs from the plan's figure")
        if plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE) and achieved < target - 1e-6 * max(1, target):
            problems.append(f"status {plan.status} but {achieved:.3f} GWh < target {target} GWh")
        towns_met = all(m.shortfall_gwh <= 1e-6 * max(1.0, m.target_gwh or 0.0) for m in plan.municipalities)
        if plan.status is PlanStatus.SHORTFALL and achieved >= target - 1e-6 * max(1, target) and towns_met:
            problems.append("status shortfall but every target is met")
    problems += _check_municipalities(in_plan, scenario, plan)
    cost = sum(s.cost_meur for s in chosen)
    if abs(cost - plan.cost_meur) > 1e-6 * max(1.0, cost):
        problems.append(f"investment recomputed {cost:.6f} M€ differs from the plan's {plan.cost_meur:.6f} M€")
    return problems


def _check_municipalities(in_plan: list[Site], scenario: Scenario, plan: Plan) -> list[str]:
    """Each municipality's own yield (its sites + existing_gwh) against its target and the plan's rows."""
    if not scenario.municipalities:
        return []
    problems: list[str] = []
    inside: dict[str, float] = defaultdict(float)
    for s in in_plan:
        inside[s.gemeente or "(none)"] += _yield(s, scenario)
    reported = {m.gemeente: m for m in plan.municipalities}
    for code, m in scenario.municipalities.items():
        got = inside.get(code, 0.0) + m.existing_gwh
        row = reported.get(code)
        if row is None:
            problems.append(f"municipality {code} is missing from the plan's municipality rows")
            continue
        if abs(row.achieved_gwh - got) > 1e-6 * max(1.0, got):
            problems.append(f"municipality {code}: yield inside recomputed {got:.6f} GWh differs from the "
                            f"plan's {row.achieved_gwh:.6f} GWh")
        if m.electricity_gwh is None:
            continue
        short = got < m.electricity_gwh - 1e-6 * max(1.0, m.electricity_gwh)
        if short and plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
            problems.append(f"status {plan.status} but municipality {code} has {got:.3f} GWh inside its "
                            f"borders < its target {m.electricity_gwh} GWh")
        if short != (row.shortfall_gwh > 1e-6 * max(1.0, m.electricity_gwh)):
            problems.append(f"municipality {code}: the plan's shortfall {row.shortfall_gwh:.3f} GWh does not "
                            f"match {got:.3f} GWh against {m.electricity_gwh} GWh")
    return problems


def assert_plan_feasible(sites: list[Site], scenario: Scenario, plan: Plan) -> None:
    """Raise ``SolverError`` when ``check_plan`` finds anything."""
    problems = check_plan(sites, scenario, plan)
    if problems:
        raise SolverError("the plan failed the independent feasibility check:\n  - "
                          + "\n  - ".join(problems[:20]))
