"""Which rules shape the plan: use, limit and the yield each rule keeps out.

Reads only planning data and the chosen set; no solver. A rule *binds* when
it keeps at least one otherwise eligible candidate out of the plan.
"""

from __future__ import annotations

from collections import defaultdict

from energie.facts.region import municipal_needs
from energie.rules.names import TARGET_RULE, municipal_rule
from energie.facts.prepare import PlanningData, zonneladder_groups
from models import RuleUse, SiteKind


def _excluded_rules(data: PlanningData) -> list[RuleUse]:
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for e in data.excluded:
        key = f"lik_allow[{e.lik_type}]" if e.reason == "lik_not_allowed" else e.reason
        if e.reason == "lik_cap_full":
            key = f"lik_cap_full[{e.lik_type}]"
        groups[(key, e.reason)].append(e.yield_gwh)
    notes = {
        "lik_not_allowed": "candidates of a kind the landscape type does not admit",
        "nee_tenzij": "solar fields on land by non-local initiators",
        "spacing_existing": "turbine positions too close to locked-in turbines",
        "lik_cap_full": "candidates that do not fit the cap left after locked-in sites",
        "municipality_forbids": "candidates of a kind their municipality does not want",
        "repowers_in_operation": "repowering candidates whose site runs to the last target year",
    }
    return [
        RuleUse(rule=key, family=reason, limit=None, used=float(len(ys)), unit="sites",
                binding=True, blocked_yield_gwh=sum(ys), note=notes[reason])
        for (key, reason), ys in sorted(groups.items())
    ]


def _cap_rules(data: PlanningData, chosen: set[int]) -> list[RuleUse]:
    out: list[RuleUse] = []
    by_lik: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(data.candidates):
        by_lik[f.lik_type].append(i)
    lik_types = sorted(set(by_lik) | set(data.locked_area_ha) | set(data.locked_turbines))
    for lik in lik_types:
        rule = data.scenario.rule_for(lik)
        idx = by_lik.get(lik, [])
        if rule.max_solar_field_ha is not None:
            fields = [i for i in idx if data.candidates[i].kind == SiteKind.SOLAR_FIELD]
            used = data.locked_area_ha.get(lik, 0.0) + sum(data.candidates[i].area_ha for i in fields if i in chosen)
            left = rule.max_solar_field_ha - used
            blocked = [i for i in fields if i not in chosen and data.candidates[i].area_ha > left + 1e-6]
            out.append(RuleUse(
                rule=f"lik_area[{lik}]", family="landscape_cap", limit=rule.max_solar_field_ha, used=used,
                unit="ha", binding=bool(blocked),
                blocked_yield_gwh=sum(data.candidates[i].yield_gwh for i in blocked),
                note=f"{len(blocked)} candidate field(s) do not fit in the {max(left, 0):.1f} ha left"))
        if rule.max_turbines is not None:
            wts = [i for i in idx if data.candidates[i].kind == SiteKind.WIND_TURBINE]
            used_n = data.locked_turbines.get(lik, 0) + sum(1 for i in wts if i in chosen)
            blocked = [i for i in wts if i not in chosen] if used_n >= rule.max_turbines else []
            out.append(RuleUse(
                rule=f"lik_turbines[{lik}]", family="landscape_cap", limit=float(rule.max_turbines),
                used=float(used_n), unit="wt", binding=bool(blocked),
                blocked_yield_gwh=sum(data.candidates[i].yield_gwh for i in blocked),
                note=f"{len(blocked)} candidate turbine(s) left out at the cap"))
    return out


def _zonneladder_rule(data: PlanningData, chosen: set[int]) -> list[RuleUse]:
    if data.scenario.policy.zonneladder != "strict":
        return []
    lower, land = zonneladder_groups(data)
    if not land:
        return []
    lower_used = sum(1 for i in lower if i in chosen)
    all_lower = lower_used == len(lower)
    blocked = [] if all_lower else [i for i in land if i not in chosen]
    note = ("every eligible roof and built-up/multifunctional field is used, so fields on land may follow"
            if all_lower else "fields on land wait until every roof and lower-step field is used")
    return [RuleUse(rule="zonneladder[land_last]", family="zonneladder", limit=float(len(lower)),
                    used=float(lower_used), unit="lower", binding=all_lower or bool(blocked),
                    blocked_yield_gwh=sum(data.candidates[i].yield_gwh for i in blocked), note=note)]


def _closest_pair_m(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 2:
        return None
    from energie.facts.spacing import pairs_within
    import numpy as np

    xy = np.array(points, dtype=float)
    radius = 1000.0
    while True:  # grow the search radius until some pair is found (few iterations)
        pairs = pairs_within(xy, None, radius)
        if pairs:
            return min(float(np.hypot(*(xy[a] - xy[b]))) for a, b in pairs)
        radius *= 4


def _spacing_rule(data: PlanningData, chosen: set[int]) -> list[RuleUse]:
    if not data.conflicts:
        return []
    blocked = sorted({b if a in chosen else a for a, b in data.conflicts
                      if (a in chosen) != (b in chosen)} - chosen)
    plan_turbines = [f for f in data.locked if f.kind == SiteKind.WIND_TURBINE] + [
        data.candidates[i] for i in sorted(chosen) if data.candidates[i].kind == SiteKind.WIND_TURBINE]
    closest = _closest_pair_m([(f.site.x_m, f.site.y_m) for f in plan_turbines])  # type: ignore[union-attr]
    return [RuleUse(rule="spacing[min_turbine_distance]", family="spacing",
                    limit=data.scenario.policy.min_turbine_distance_m, used=closest,
                    unit="m", binding=bool(blocked),
                    blocked_yield_gwh=sum(data.candidates[i].yield_gwh for i in blocked),
                    note=f"{len(blocked)} position(s) too close to a chosen turbine; 'used' = closest pair")]


def rule_uses(data: PlanningData, chosen: set[int], target_gwh: float | None,
              achieved_gwh: float) -> list[RuleUse]:
    """Every rule's use, sorted: target first, then caps, policies and exclusions."""
    out: list[RuleUse] = []
    if target_gwh is not None:
        met = achieved_gwh >= target_gwh - 1e-6
        # without a target the least-cost plan builds nothing: the target binds whenever it drives a choice
        out.append(RuleUse(rule=TARGET_RULE, family="target", limit=target_gwh, used=achieved_gwh,
                           unit="GWh", binding=bool(chosen) or not met, blocked_yield_gwh=0.0,
                           note="every chosen site is there to reach the target" if met else "target not met"))
    out += _cap_rules(data, chosen) + _zonneladder_rule(data, chosen) + _spacing_rule(data, chosen)
    return out + _excluded_rules(data)


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
