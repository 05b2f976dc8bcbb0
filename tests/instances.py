"""Small instances built in code for unit tests, brute force and properties."""

from __future__ import annotations

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
