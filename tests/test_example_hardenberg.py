"""The built-in Hardenberg example: valid, sourced, inside the municipality, coherent.

Tests marked ``realdata`` read ``../shared/data/real`` (relative to the repository,
fixture ``shared_real``) and are skipped when that data is absent.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pytest
import shapely

from models import SiteKind, SiteStatus, WindTurbine
from models.defaults import SOLAR_FIELD_MWP_PER_HA, TJ_PER_GWH
from sites.catalog import example_frames, example_scenario_text, hardenberg, write_example
from sites.inputs import PlanningInputs, example_inputs, load_inputs

CANONICAL_LIK = {"beekdal", "essen", "veenontginning", "heide_ontginning", "stuwwal", "landgoed"}


def _real_file(shared_real: Path, name: str) -> Path:
    path = shared_real / name
    if not path.is_file():
        pytest.skip(f"real data file {path} is absent")
    return path


@pytest.fixture(scope="module")
def inputs() -> PlanningInputs:
    return example_inputs("hardenberg")


@pytest.fixture
def gm0160(shared_real: Path) -> shapely.Geometry:
    import geopandas as gpd

    gdf = gpd.read_file(_real_file(shared_real, "gemeenten_overijssel_2026_rd.geojson"))
    assert gdf.crs.to_epsg() == 28992
    row = gdf[gdf["statcode"] == "GM0160"]
    assert len(row) == 1
    return row.geometry.values[0]


def _by_id(inputs: PlanningInputs) -> dict:
    return {s.site_id: s for s in inputs.sites}


def test_example_validates_with_every_kind_and_status(inputs: PlanningInputs) -> None:
    sites = inputs.sites
    assert len(sites) == len({s.site_id for s in sites}) == 76
    kinds = {(s.kind, s.status) for s in sites}
    for kind in SiteKind:
        assert (kind.value, SiteStatus.EXISTING) in kinds
        assert (kind.value, SiteStatus.CANDIDATE) in kinds
    assert any(s.status is SiteStatus.PLANNED for s in sites)
    assert inputs.scenario.name == "hardenberg-2030"
    sites_frame, landscape = example_frames("hardenberg")
    assert sites_frame.crs.to_epsg() == landscape.crs.to_epsg() == 28992


def test_veenwieken_five_existing_e103_in_hardenberg_at_least_400m_apart(inputs: PlanningInputs) -> None:
    vw = [s for s in inputs.sites if isinstance(s, WindTurbine) and s.site_id.startswith("WT-VW-")]
    assert len(vw) == 5  # F15: 5 of the 10 stand in Hardenberg
    for s in vw:
        assert s.kind == "wind_turbine" and s.status is SiteStatus.EXISTING
        assert s.capacity_mw == 3.0  # F14
        assert (s.hub_height_m, s.rotor_diameter_m) == (98.0, 103.0)
        assert "E-103" in s.turbine_type
    # measured 2023 production (ETLocal wind_onshore_prod_TJ = 93 TJ) split over the five
    assert sum(s.yield_gwh or 0.0 for s in vw) == pytest.approx(93.0 / TJ_PER_GWH, abs=0.05)
    for a, b in itertools.combinations(vw, 2):
        assert math.hypot(a.x_m - b.x_m, a.y_m - b.y_m) >= 400.0, (a.site_id, b.site_id)


def test_candidate_turbines_include_pairs_closer_than_the_minimum_distance(inputs: PlanningInputs) -> None:
    wts = [s for s in inputs.sites if isinstance(s, WindTurbine) and s.status is SiteStatus.CANDIDATE]
    assert 12 <= len(wts) <= 16
    assert {s.pilot_area for s in wts} == {"Kloosterhaar-Bergentheim-Sibculo", "Diffelen"}
    close = [(a.site_id, b.site_id) for a, b in itertools.combinations(wts, 2)
             if math.hypot(a.x_m - b.x_m, a.y_m - b.y_m) < inputs.scenario.policy.min_turbine_distance_m]
    assert len(close) >= 2


@pytest.mark.realdata
def test_every_site_lies_inside_gm0160(inputs: PlanningInputs, gm0160: shapely.Geometry) -> None:
    outside = [s.site_id for s in inputs.sites if s.geometry is not None and not gm0160.contains(s.geometry)]
    assert outside == []
    without = sorted(s.site_id for s in inputs.sites if s.geometry is None)
    assert without == ["DAK-B01", "DAK-B02"]  # the ETLocal roof aggregates have no place


@pytest.mark.realdata
def test_candidate_turbines_keep_400m_from_woonkernen(inputs: PlanningInputs, shared_real: Path) -> None:
    import geopandas as gpd

    places = gpd.read_file(_real_file(shared_real, "top10nl_plaatsen_overijssel_rd.geojson"))
    kernen = shapely.union_all(places.loc[places["type_gebied"] == "woonkern"].geometry.values)
    near = {s.site_id: round(s.geometry.distance(kernen)) for s in inputs.sites
            if s.kind == "wind_turbine" and s.geometry.distance(kernen) < 400.0}
    assert near == {}


def test_landscape_layer_is_valid_canonical_and_does_not_overlap() -> None:
    landscape = hardenberg.build_landscape()
    assert set(landscape["lik_type"]) == CANONICAL_LIK
    assert all(g.is_valid and g.geom_type in {"Polygon", "MultiPolygon"} for g in landscape.geometry)
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(landscape.geometry, 2))
    assert overlap < 1.0  # m²


def test_assigned_lik_types_match_the_intended_ones(inputs: PlanningInputs) -> None:
    got = {s.site_id: s.lik_type for s in inputs.sites}
    named = {
        "WT-VW-01": "veenontginning", "WT-KBS-05": "veenontginning", "WT-KBS-11": "stuwwal",
        "WT-DIF-01": "beekdal", "WT-DIF-03": "heide_ontginning", "ZV-10": "essen",
        "ZV-11": "beekdal", "ZV-12": "stuwwal", "ZV-20": "landgoed", "ZV-08": "heide_ontginning",
        "DAK-11": "beekdal", "DAK-B01": "onbekend",
    }
    assert {k: got[k] for k in named} == named
    assert {k: hardenberg.INTENDED_LIK[k] for k in named} == named
    assert got == hardenberg.INTENDED_LIK


def test_fields_are_sized_at_085_mwp_per_ha(inputs: PlanningInputs) -> None:
    fields = [s for s in inputs.sites if s.kind == "solar_field"]
    assert 20 <= sum(s.status is SiteStatus.CANDIDATE for s in fields) <= 30
    for s in fields:
        assert s.capacity_mw == pytest.approx(SOLAR_FIELD_MWP_PER_HA * s.area_ha, rel=0.01), s.site_id
    existing_ha = sum(s.area_ha for s in fields if s.status is SiteStatus.EXISTING)
    assert existing_ha == pytest.approx(43.0 + 16.0 / SOLAR_FIELD_MWP_PER_HA, abs=0.1)  # F13 + Kloosterhaar


def test_existing_roofs_carry_the_etlocal_yields(inputs: PlanningInputs) -> None:
    s = _by_id(inputs)
    assert s["DAK-B01"].yield_gwh == pytest.approx(187.088 / TJ_PER_GWH, abs=0.01)
    assert s["DAK-B02"].yield_gwh == pytest.approx(422.644 / TJ_PER_GWH, abs=0.01)
    roofs = [x for x in inputs.sites if x.kind == "rooftop_solar" and x.status is SiteStatus.CANDIDATE]
    assert 12 <= len(roofs) <= 20
    for r in roofs:  # roofs cost more per MWp than fields (~0.5 M€/MWp)
        assert 0.7 <= r.cost_meur / r.capacity_mw <= 1.0, r.site_id


def test_target_equals_the_documented_derivation(inputs: PlanningInputs) -> None:
    text = example_scenario_text("hardenberg")
    target = tomllib.loads(text)["targets"]["electricity_gwh"]
    derived = 0.30 * 5208.54 / TJ_PER_GWH  # F11 × ETLocal derived_total_final_TJ
    assert target == pytest.approx(derived, abs=0.5)
    assert target == pytest.approx(hardenberg.target_gwh(), abs=0.5)
    assert inputs.scenario.targets.electricity_gwh == target


def test_target_is_not_met_by_locked_in_sites_but_reachable(inputs: PlanningInputs) -> None:
    from energie.facts.accounting import yield_gwh

    sc = inputs.scenario
    target = sc.targets.electricity_gwh
    assert target is not None
    locked = sum(yield_gwh(s, sc) for s in inputs.sites if s.is_locked_in)
    assert locked < target - 100
    everything = sum(yield_gwh(s, sc) for s in inputs.sites)
    assert everything > target + 100


def test_target_needs_farmland_so_strict_zonneladder_means_all_roofs(inputs: PlanningInputs) -> None:
    """The reason hardenberg.toml gives for ``zonneladder = "strict"``: everything but
    farmland (locked-in, wind up to the LIK caps, all roofs, all fields off farmland that
    their LIK admits) stays below the target."""
    from energie.facts.accounting import yield_gwh

    sc = inputs.scenario
    target = sc.targets.electricity_gwh
    assert target is not None and sc.policy.zonneladder == "strict"
    total = sum(yield_gwh(s, sc) for s in inputs.sites if s.is_locked_in)
    candidates = [s for s in inputs.sites if not s.is_locked_in and s.kind in sc.rule_for(s.lik_type).allow]
    total += sum(yield_gwh(s, sc) for s in candidates if s.kind == "rooftop_solar")
    total += sum(yield_gwh(s, sc) for s in candidates if s.kind == "solar_field" and not s.on_land)
    for lik, rule in sc.lik.items():
        wts = sorted((yield_gwh(s, sc) for s in candidates if s.kind == "wind_turbine" and s.lik_type == lik),
                     reverse=True)
        locked_n = sum(1 for s in inputs.sites
                       if s.is_locked_in and s.kind == "wind_turbine" and s.lik_type == lik)
        room = len(wts) if rule.max_turbines is None else max(rule.max_turbines - locked_n, 0)
        total += sum(wts[:room])
    assert total == pytest.approx(418.9, abs=0.1)  # the figure in hardenberg.toml
    assert total < target


@pytest.mark.realdata
def test_etlocal_figures_match_the_shared_csv(shared_real: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(_real_file(shared_real, "etlocal_gemeenten_2023_nl.csv"))
    row = frame.set_index("geo_id").loc["GM0160"]
    for key, value in hardenberg.ETLOCAL_GM0160.items():
        assert float(row[key]) == pytest.approx(value, rel=1e-4), key


def test_written_example_reads_back_the_same(tmp_path: Path, inputs: PlanningInputs) -> None:
    sites_path, scenario_path = write_example("hardenberg", tmp_path)
    again = load_inputs(sites_path, scenario_path)
    assert again.scenario == inputs.scenario
    assert [s.model_dump() for s in again.sites] == [s.model_dump() for s in inputs.sites]
