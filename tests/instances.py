"""Small instances built in code for unit tests, brute force and properties."""

from __future__ import annotations

import itertools
import math
import random

from models import RooftopSolar, Scenario, Site, SolarField, WindTurbine

RULES = {
    "veenontginning": {"allow": ["solar_field", "rooftop_solar", "wind_turbine"], "max_solar_field_ha": 30.0,
                       "max_turbines": 3, "impact_per_ha": 0.02, "impact_per_turbine": 0.5},
    "heide_ontginning": {"allow": ["solar_field", "rooftop_solar"], "max_solar_field_ha": 15.0,
                         "impact_per_ha": 0.05},
    "beekdal": {"allow": ["rooftop_solar"]},
}


def scenario(target_gwh: float | None, solver: str = "cbc", **policy: object) -> Scenario:
    """A small scenario with exact optimality (gap 0) so brute force can compare."""
    return Scenario.model_validate({
        "name": "small", "targets": {"electricity_gwh": target_gwh},
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": "off", "min_turbine_distance_m": 400,
                   **policy},
        "lik": RULES, "solver": {"name": solver, "gap_rel": 0.0, "time_limit_s": 60},
    })


def small_sites(n: int, seed: int, locked_share: float = 0.15) -> list[Site]:
    """``n`` random sites over three landscape types; turbines in a 2 km box so spacing matters."""
    rng = random.Random(seed)
    sites: list[Site] = []
    for i in range(n):
        kind = rng.choice(["solar_field", "solar_field", "rooftop_solar", "wind_turbine", "wind_turbine"])
        common = dict(
            site_id=f"S{i:02d}", status="existing" if rng.random() < locked_share else "candidate",
            cost_meur=round(rng.uniform(0.5, 8.0), 3),
            initiator=rng.choice(["energiecooperatie", "commercieel", "belangengroep", "agrarisch"]),
            lik_type=rng.choice(["veenontginning", "veenontginning", "heide_ontginning", "beekdal"]),
        )
        if kind == "solar_field":
            area = round(rng.uniform(2.0, 14.0), 2)
            sites.append(SolarField(**common, capacity_mw=round(area * 0.85, 3), area_ha=area,
                                    zonneladder=rng.choice(["landbouwgrond", "landbouwgrond", "multifunctioneel"])))
        elif kind == "rooftop_solar":
            sites.append(RooftopSolar(**common, capacity_mw=round(rng.uniform(0.5, 5.0), 3)))
        else:
            sites.append(WindTurbine(**common, capacity_mw=rng.choice([3.0, 5.6]),
                                     x_m=240_000 + rng.uniform(0, 2000), y_m=510_000 + rng.uniform(0, 2000)))
    return sites


LOCAL = {"energiecooperatie", "belangengroep"}


def site_yield(s, sc):
    return s.yield_gwh if s.yield_gwh is not None else s.capacity_mw * sc.full_load_hours.for_kind(s.kind) / 1000


def feasible_subsets(sites, sc):
    """Every rule-feasible subset of the candidates as (chosen, yield incl. locked-in and existing_gwh,
    objective), by enumeration: a third implementation of the rules, for brute-force tests."""
    locked = [s for s in sites if s.is_locked_in]
    cands = [s for s in sites if not s.is_locked_in]
    assert len(cands) <= 15
    min_d = sc.policy.min_turbine_distance_m
    for mask in range(1 << len(cands)):
        chosen = [c for k, c in enumerate(cands) if mask >> k & 1]
        ok = True
        for c in chosen:
            rule = sc.lik.get(c.lik_type)
            allow = {"rooftop_solar"} if rule is None else set(rule.allow)
            if c.kind not in allow or (c.kind == "solar_field" and c.on_land
                                       and sc.policy.solar_on_land == "nee_tenzij" and c.initiator not in LOCAL):
                ok = False
                break
        if not ok:
            continue
        for lik, rule in sc.lik.items():
            new = [c for c in chosen if c.lik_type == lik]
            everything = [s for s in locked if s.lik_type == lik] + new
            if rule.max_solar_field_ha is not None and any(c.kind == "solar_field" for c in new):
                ok &= sum(s.area_ha for s in everything if s.kind == "solar_field") <= rule.max_solar_field_ha + 1e-9
            if rule.max_turbines is not None and any(c.kind == "wind_turbine" for c in new):
                ok &= sum(s.kind == "wind_turbine" for s in everything) <= rule.max_turbines
        if sc.policy.zonneladder == "strict" and any(c.kind == "solar_field" and c.on_land for c in chosen):
            ok &= all(c in chosen for c in cands if _lower_step_eligible(c, sc, locked))
        wts = [s for s in locked + chosen if s.kind == "wind_turbine"]
        for a, b in itertools.combinations(wts, 2):
            if (not a.is_locked_in or not b.is_locked_in) and math.hypot(a.x_m - b.x_m, a.y_m - b.y_m) < min_d:
                ok = False
        if not ok:
            continue
        y = sum(site_yield(s, sc) for s in locked + chosen) + sum(m.existing_gwh for m in sc.municipalities.values())
        yield chosen, y, sum(c.cost_meur + sc.objective.landscape_weight * _impact(c, sc) for c in chosen)


def _lower_step_eligible(c, sc, locked):
    rule = sc.lik.get(c.lik_type)
    allow = {"rooftop_solar"} if rule is None else set(rule.allow)
    if c.kind not in allow or c.kind == "wind_turbine" or (c.kind == "solar_field" and c.on_land):
        return False
    if c.kind == "solar_field" and rule is not None and rule.max_solar_field_ha is not None:
        used = sum(s.area_ha for s in locked if s.kind == "solar_field" and s.lik_type == c.lik_type)
        return c.area_ha <= rule.max_solar_field_ha - used + 1e-9
    return True


def _impact(c, sc):
    rule = sc.rule_for(c.lik_type)
    if c.kind == "solar_field":
        return rule.impact_per_ha * c.area_ha
    return rule.impact_per_turbine if c.kind == "wind_turbine" else 0.0
