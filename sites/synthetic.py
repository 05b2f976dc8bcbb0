"""Seeded synthetic instances for tests and benchmarks (not real data).

Sites are scattered over a 60 × 60 km box in RD New roughly where Overijssel
lies, on a landscape of square LIK patches, with the shares of kinds, statuses
and initiators a RES region has. Same ``seed``, same instance.
"""

from __future__ import annotations

import numpy as np
import geopandas as gpd
import shapely

from models import Scenario
from sites.reader import RD_NEW

X0_M, Y0_M, SIDE_M = 200_000.0, 470_000.0, 60_000.0
LIK_CYCLE = ("veenontginning", "heide_ontginning", "beekdal", "essen", "stuwwal", "landgoed")


def synthetic_landscape(patches_per_side: int = 6) -> gpd.GeoDataFrame:
    """Square landscape patches cycling through the LIK types."""
    step = SIDE_M / patches_per_side
    geoms, types = [], []
    for i in range(patches_per_side):
        for j in range(patches_per_side):
            x, y = X0_M + i * step, Y0_M + j * step
            geoms.append(shapely.box(x, y, x + step, y + step))
            types.append(LIK_CYCLE[(i * 7 + j * 3) % len(LIK_CYCLE)])
    return gpd.GeoDataFrame({"lik_type": types}, geometry=geoms, crs=RD_NEW)


def synthetic_sites(n: int, seed: int = 0, turbine_share: float = 0.15,
                    roof_share: float = 0.25) -> gpd.GeoDataFrame:
    """``n`` sites in the file contract's columns (EPSG:28992)."""
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    kind = np.where(u < turbine_share, "wind_turbine",
                    np.where(u < turbine_share + roof_share, "rooftop_solar", "solar_field"))
    status = np.where(rng.random(n) < 0.04, "existing", "candidate")
    x = X0_M + rng.random(n) * SIDE_M
    y = Y0_M + rng.random(n) * SIDE_M
    area_ha = np.round(rng.uniform(1.0, 25.0, n), 2)
    side = np.sqrt(area_ha * 10_000.0)
    cap = np.where(kind == "solar_field", area_ha * 0.85,
                   np.where(kind == "wind_turbine", rng.choice([3.0, 4.2, 5.6], n),
                            np.round(rng.uniform(0.2, 4.0, n), 2)))
    eur_per_mw = np.where(kind == "solar_field", 0.5, np.where(kind == "wind_turbine", 1.4, 0.8))
    cost = np.round(cap * eur_per_mw * rng.uniform(0.8, 1.25, n), 3)
    geoms = np.where(kind == "solar_field", shapely.box(x, y, x + side, y + side),
                     np.where(kind == "wind_turbine", shapely.points(x, y), shapely.box(x, y, x + 80, y + 80)))
    initiator = rng.choice(["energiecooperatie", "belangengroep", "commercieel", "gemeente", "agrarisch"], n,
                           p=[0.25, 0.1, 0.45, 0.05, 0.15])
    zonneladder = np.where(kind == "solar_field",
                           rng.choice(["landbouwgrond", "multifunctioneel", "bebouwd"], n, p=[0.75, 0.2, 0.05]),
                           "")
    width = max(6, len(str(n)))
    return gpd.GeoDataFrame({
        "site_id": [f"S{i:0{width}d}" for i in range(n)],
        "name": "", "kind": kind, "status": status, "capacity_mw": np.round(cap, 3), "cost_meur": cost,
        "initiator": initiator, "zonneladder": zonneladder,
    }, geometry=geoms, crs=RD_NEW)


def synthetic_scenario(target_share: float = 0.3, upper_gwh: float | None = None, n_sites: int = 1000,
                       **policy: object) -> Scenario:
    """A scenario with caps on the land-hungry LIK types, scaled with ``n_sites`` so that
    they bind without making every target a shortfall; the target is ``target_share`` ×
    ``upper_gwh`` (the yield of all sites) when given."""
    target = None if upper_gwh is None else round(target_share * upper_gwh, 3)
    k = n_sites / 1000.0
    return Scenario.model_validate({
        "name": "synthetic",
        "targets": {"electricity_gwh": target},
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": "off", "min_turbine_distance_m": 400, **policy},
        "lik": {
            "veenontginning": {"allow": ["solar_field", "rooftop_solar", "wind_turbine"],
                               "max_solar_field_ha": 1_500.0 * k, "max_turbines": int(12 * k),
                               "impact_per_ha": 0.02, "impact_per_turbine": 0.5},
            "heide_ontginning": {"allow": ["solar_field", "rooftop_solar", "wind_turbine"],
                                 "max_solar_field_ha": 800.0 * k, "max_turbines": int(8 * k),
                                 "impact_per_ha": 0.03, "impact_per_turbine": 0.8},
            "stuwwal": {"allow": ["rooftop_solar", "solar_field"], "max_solar_field_ha": 100.0 * k,
                        "impact_per_ha": 0.1},
            "landgoed": {"allow": ["rooftop_solar"]},
            "beekdal": {"allow": ["rooftop_solar"]},
            "essen": {"allow": ["rooftop_solar"]},
        },
    })
