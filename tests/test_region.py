"""Region-wide planning: the region's total and each municipality's own target in one model."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from energie.check.plan import check_plan
from energie.planner.plans import plan
from energie.reports.terminal import plan_report_text
from models import InputError, PlanStatus, RooftopSolar, Scenario
from tests.conftest import check_snapshot
from tests.instances import RULES, feasible_subsets, site_yield, small_sites

TOWNS = ("GM0001", "GM0002", "GM0003")


def region_sites(n: int, seed: int) -> list:
    """``small_sites`` spread over three municipalities by index (deterministic)."""
    return [s.model_copy(update={"gemeente": TOWNS[k % 3]}) for k, s in enumerate(small_sites(n, seed))]


def region_scenario(region_gwh: float | None, towns: dict[str, float | None], solver: str = "cbc",
                    existing: dict[str, float] | None = None) -> Scenario:
    existing = existing or {}
    return Scenario.model_validate({
        "name": "region", "targets": {"electricity_gwh": region_gwh},
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": "off", "min_turbine_distance_m": 400},
        "lik": RULES, "solver": {"name": solver, "gap_rel": 0.0, "time_limit_s": 60},
        "region": {"name": "Testregio", "code": "ES99"},
        "municipalities": {g: {"name": f"Town {g[-1]}", "electricity_gwh": t, "existing_gwh": existing.get(g, 0.0)}
                           for g, t in towns.items()},
    })


def _inside(sites, chosen, sc, g):
    ids = {c.site_id for c in chosen}
    got = sum(site_yield(s, sc) for s in sites if s.gemeente == g and (s.is_locked_in or s.site_id in ids))
    return got + sc.municipalities[g].existing_gwh if g in sc.municipalities else got


def _shortfalls(sites, chosen, y, sc):
    out = {"region": max(0.0, (sc.targets.electricity_gwh or 0.0) - y)}
    for g, m in sc.municipalities.items():
        if m.electricity_gwh is not None:
            out[g] = max(0.0, m.electricity_gwh - _inside(sites, chosen, sc, g))
    return out


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_region_optimum_equals_brute_force(seed, solver):
    """Every municipal target met at least cost, or the smallest total shortfall at least cost, as
    enumerating every subset says."""
    sites = region_sites(13, seed)
    probe = region_scenario(None, {g: None for g in TOWNS}, solver)
    best_y = max(y for _, y, _ in feasible_subsets(sites, probe))
    # a region target of 60 % of the maximum; towns asked for 45 % of what lies inside them
    # (reachable or not: some seeds give a shortfall)
    inside_max = {g: sum(site_yield(s, probe) for s in sites if s.gemeente == g) for g in TOWNS}
    sc = region_scenario(round(0.6 * best_y, 3), {g: round(0.45 * inside_max[g], 3) for g in TOWNS[:2]},
                         solver, existing={"GM0002": 1.5})
    p = plan(sites, sc)
    assert check_plan(sites, sc, p) == []
    rows = [(chosen, y, cost, _shortfalls(sites, chosen, y, sc)) for chosen, y, cost in feasible_subsets(sites, sc)]
    least_short = min(sum(s.values()) for *_, s in rows)
    got = {"region": p.targets["electricity"].shortfall_gwh,
           **{m.gemeente: m.shortfall_gwh for m in p.municipalities if m.target_gwh is not None}}
    assert sum(got.values()) == pytest.approx(least_short, abs=1e-6)
    # no subset that is as short on every target is cheaper
    best_cost = min(cost for _, _, cost, s in rows if all(s[k] <= got[k] + 1e-6 for k in s))
    assert p.objective_meur == pytest.approx(best_cost, abs=1e-6)
    assert (p.status is PlanStatus.SHORTFALL) == (least_short > 1e-6)


def test_only_sites_inside_count_for_a_municipality():
    """The cheap roof in GM0001 cannot serve GM0002's own target; GM0002's dearer roof must be built."""
    roofs = [RooftopSolar(site_id="cheap", status="candidate", capacity_mw=10, cost_meur=1, gemeente="GM0001"),
             RooftopSolar(site_id="dear", status="candidate", capacity_mw=10, cost_meur=9, gemeente="gm0002")]
    without = plan(roofs, region_scenario(5.0, {"GM0002": None}))
    assert without.selected == ["cheap"]
    with_town = plan(roofs, region_scenario(5.0, {"GM0002": 5.0}))
    assert with_town.selected == ["dear"]
    assert with_town.status is PlanStatus.OPTIMAL
    row = {m.gemeente: m for m in with_town.municipalities}["GM0002"]
    assert row.achieved_gwh == pytest.approx(9.5) and row.share_of_region == pytest.approx(9.5 / 5.0)


def test_existing_production_counts_for_town_and_region():
    roof = RooftopSolar(site_id="R", status="candidate", capacity_mw=10, cost_meur=1, gemeente="GM0001")
    sc = region_scenario(20.0, {"GM0001": 20.0}, existing={"GM0001": 12.0})
    p = plan([roof], sc)
    assert p.status is PlanStatus.OPTIMAL and p.selected == ["R"]
    assert p.targets["electricity"].achieved_gwh == pytest.approx(21.5)
    assert p.existing_gwh == 12.0 and p.yield_gwh_total == pytest.approx(21.5)
    # existing production alone meets a smaller target: nothing is built
    assert plan([roof], region_scenario(10.0, {"GM0001": 10.0}, existing={"GM0001": 12.0})).selected == []


def test_short_municipality_gets_its_own_maximum_and_the_region_stays_met():
    """GM0002 cannot reach its target; the region's total can be met and is; the report says what
    GM0002's land allows."""
    sites = [RooftopSolar(site_id=f"R{g}{k}", status="candidate", capacity_mw=4, cost_meur=1 + k,
                          gemeente=g) for g in ("GM0001", "GM0002") for k in range(3)]
    sc = region_scenario(20.0, {"GM0002": 50.0}, solver="highs")
    p = plan(sites, sc)
    assert p.status is PlanStatus.SHORTFALL
    assert p.targets["electricity"].shortfall_gwh == 0.0
    row = {m.gemeente: m for m in p.municipalities}["GM0002"]
    assert row.max_reachable_gwh == pytest.approx(3 * 3.8) and row.shortfall_gwh == pytest.approx(50 - 11.4)
    assert p.max_reachable_gwh is None  # the region's own target is met
    assert check_plan(sites, sc, p) == []
    text = plan_report_text(p)
    assert "GM0002 Town 2: short by 38.6 GWh; at most 11.4 GWh is reachable inside its borders" in text
    assert "municipal_target[GM0002]" in text


def test_checker_catches_a_wrong_municipal_figure_and_a_missed_town():
    sites = region_sites(13, 3)
    sc = region_scenario(None, {"GM0001": 5.0})
    p = plan(sites, sc)
    assert check_plan(sites, sc, p) == []
    rows = [m.model_copy(update={"achieved_gwh": m.achieved_gwh + 1}) if m.gemeente == "GM0001" else m
            for m in p.municipalities]
    assert any("GM0001: yield inside recomputed" in x for x in check_plan(sites, sc, p.model_copy(update={"municipalities": rows})))
    harder = region_scenario(None, {"GM0001": 1e4})
    problems = check_plan(sites, harder, p)
    assert any("municipality GM0001" in x and "< its target" in x for x in problems)


def test_no_gemeente_on_any_site_is_a_clear_error():
    roof = RooftopSolar(site_id="R", status="candidate", capacity_mw=10, cost_meur=1)
    with pytest.raises(InputError, match="no site has a gemeente"):
        plan([roof], region_scenario(5.0, {"GM0001": 1.0}))


def test_municipality_without_sites_is_noted():
    roof = RooftopSolar(site_id="R", status="candidate", capacity_mw=10, cost_meur=1, gemeente="GM0001")
    p = plan([roof], region_scenario(5.0, {"GM0001": 1.0, "GM0009": 2.0}, existing={"GM0009": 3.0}))
    assert p.status is PlanStatus.OPTIMAL
    assert any("GM0009 has a target but no eligible or locked-in site" in m for m in p.messages)


def test_scenario_validation_of_municipalities():
    with pytest.raises(ValidationError, match="given twice"):
        region_scenario(1.0, {"gm0001": 1.0, "GM0001": 2.0})
    with pytest.raises(ValidationError):
        region_scenario(1.0, {"GM0001": -1.0})
    with pytest.raises(ValidationError, match="electricty_gwh|Extra inputs"):
        Scenario.model_validate({"name": "x", "municipalities": {"GM0001": {"electricty_gwh": 3}}})


def test_phased_plan_meets_every_municipal_share_in_every_year():
    """Per-year targets with [municipalities]: each town's own share in each target year, from
    electricity_gwh_by_year or scaled like the region's target (one problem, no refusal)."""
    from energie.planner.plans import plan_phased

    sites = region_sites(12, 3)
    sc = Scenario.model_validate({
        "name": "p", "targets": {"2030": {"electricity_gwh": 10}, "2050": {"multiple_of": 2030, "factor": 1.5}},
        "lik": RULES, "policy": {"zonneladder": "off"}, "solver": {"name": "cbc", "gap_rel": 0.0},
        "municipalities": {"GM0001": {"electricity_gwh": 4}, "GM0002": {"electricity_gwh_by_year": {2050: 5}}}})
    p = plan_phased(sites, sc)
    rows = {(q.year, m.gemeente): m for q in p.periods for m in q.plan.municipalities}
    assert rows[2030, "GM0001"].target_gwh == pytest.approx(4.0)
    assert rows[2050, "GM0001"].target_gwh == pytest.approx(6.0)   # scaled like the region: × 1.5
    assert rows[2030, "GM0002"].target_gwh is None and rows[2050, "GM0002"].target_gwh == pytest.approx(5.0)
    for (year, g), m in rows.items():
        if m.target_gwh is not None and p.status is not PlanStatus.SHORTFALL:
            assert m.achieved_gwh >= m.target_gwh - 1e-6, (year, g)


def test_municipal_share_for_a_year_without_target_is_refused():
    with pytest.raises(ValidationError, match="2040.*not a target year"):
        Scenario.model_validate({"name": "p", "targets": {"2030": {"electricity_gwh": 10}},
                                 "municipalities": {"GM0001": {"electricity_gwh_by_year": {2040: 5}}}})
    with pytest.raises(ValidationError, match="needs per-year targets"):
        Scenario.model_validate({"name": "p", "targets": {"electricity_gwh": 10},
                                 "municipalities": {"GM0001": {"electricity_gwh_by_year": {2030: 5}}}})


def test_region_report_snapshot():
    sites = region_sites(13, 5)
    sc = region_scenario(30.0, {"GM0001": 12.0, "GM0003": 15.0}, existing={"GM0003": 2.0})
    text = plan_report_text(plan(sites, sc))
    check_snapshot("region_report.txt", text[text.index("Targets"):text.index("Sites by kind")])


def test_cli_plan_on_a_region_scenario(tmp_path):
    """`energie plan` on a GeoPackage with a gemeente column and a scenario with [municipalities]."""
    import geopandas as gpd
    import shapely

    from cli.main import app

    frame = gpd.GeoDataFrame({
        "site_id": ["A1", "A2", "B1"], "kind": ["rooftop_solar"] * 3, "status": ["candidate"] * 3,
        "capacity_mw": [10.0, 10.0, 10.0], "cost_meur": [1.0, 2.0, 5.0],
        "gemeente": ["GM0001", "GM0001", "GM0002"]},
        geometry=[shapely.Point(230000 + k, 500000) for k in range(3)], crs="EPSG:28992")
    frame.to_file(tmp_path / "s.gpkg", layer="sites", driver="GPKG", engine="pyogrio")
    (tmp_path / "s.toml").write_text(
        'name = "regio"\n[targets]\nelectricity_gwh = 15\n[region]\nname = "Testregio"\ncode = "ES99"\n'
        '[municipalities.GM0002]\nname = "Oost"\nelectricity_gwh = 5\nsource = "test"\n'
        '[municipalities.GM0001]\nname = "West"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "--sites", str(tmp_path / "s.gpkg"), "--scenario",
                                      str(tmp_path / "s.toml"), "--json", str(tmp_path / "p.json"),
                                      "--out", str(tmp_path / "p.gpkg")])
    assert result.exit_code == 0, result.output
    assert "Testregio: municipalities" in result.output
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert data["selected"] == ["A1", "B1"]
    assert [m["gemeente"] for m in data["municipalities"]] == ["GM0001", "GM0002"]
    assert math.isclose(data["municipalities"][1]["achieved_gwh"], 9.5)
    towns = gpd.read_file(tmp_path / "p.gpkg", layer="plan_municipalities", engine="pyogrio")
    assert list(towns["gemeente"]) == ["GM0001", "GM0002"] and list(towns["target_gwh"].fillna(-1)) == [-1, 5.0]
    chosen = gpd.read_file(tmp_path / "p.gpkg", layer="plan_sites", engine="pyogrio")
    assert dict(zip(chosen["site_id"], chosen["gemeente"])) == {"A1": "GM0001", "B1": "GM0002"}


def test_plan_without_municipalities_is_unchanged():
    """A scenario without [municipalities] gives no municipality rows and no region messages."""
    sites = region_sites(10, 2)
    sc = region_scenario(10.0, {})
    p = plan(sites, sc)
    assert p.municipalities == [] and p.existing_gwh == 0.0


def test_town_without_candidates_is_short_by_its_gap():
    roof = RooftopSolar(site_id="R", status="existing", capacity_mw=1, cost_meur=0, gemeente="GM0001")
    p = plan([roof], region_scenario(None, {"GM0001": 5.0}))
    assert p.status is PlanStatus.SHORTFALL
    assert {m.gemeente: m.shortfall_gwh for m in p.municipalities}["GM0001"] == pytest.approx(4.05)


def test_sites_without_gemeente_take_it_from_the_municipalities_layer(tmp_path):
    import geopandas as gpd
    import shapely

    from sites.inputs import load_sites

    sites = gpd.GeoDataFrame({
        "site_id": ["P", "F", "X", "R"], "kind": ["wind_turbine", "solar_field", "rooftop_solar", "rooftop_solar"],
        "status": ["candidate"] * 4, "capacity_mw": [5.6, 1.0, 1.0, 1.0], "cost_meur": [6.0, 0.6, 0.6, 0.6],
        "gemeente": [None, None, "GM0009", None]},
        geometry=[shapely.Point(200500, 500500), shapely.box(200900, 500000, 201300, 500100),
                  shapely.Point(200500, 500500), None], crs="EPSG:28992")
    towns = gpd.GeoDataFrame({"gemeente": ["GM0001", "GM0002"]},
                             geometry=[shapely.box(200000, 500000, 201000, 501000),
                                       shapely.box(201000, 500000, 202000, 501000)], crs="EPSG:28992")
    path = tmp_path / "s.gpkg"
    sites.to_file(path, layer="sites", driver="GPKG", engine="pyogrio")
    towns.to_file(path, layer="municipalities", driver="GPKG", engine="pyogrio")
    got = {s.site_id: s.gemeente for s in load_sites(path)[0]}
    # the field overlaps GM0002 more (300 of 400 m); an explicit gemeente wins; no geometry, no gemeente
    assert got == {"P": "GM0001", "F": "GM0002", "X": "GM0009", "R": None}
    towns.drop(columns="gemeente").to_file(path, layer="municipalities", driver="GPKG", engine="pyogrio", mode="w")
    with pytest.raises(InputError, match="column 'gemeente' is missing"):
        load_sites(path)


def test_presolve_warns_about_a_hopeless_municipal_target():
    from energie.facts.presolve import consistency_warnings, inventory_lines

    roof = RooftopSolar(site_id="R", status="candidate", capacity_mw=10, cost_meur=1, gemeente="GM0001")
    sc = region_scenario(5.0, {"GM0001": 30.0, "GM0002": None}, existing={"GM0001": 2.0})
    assert any("municipality GM0001: its own target of 30.0 GWh is above the 11.5 GWh" in w
               for w in consistency_warnings([roof], sc))
    assert "municipalities: 2 (1 with an own target); existing production outside the sites 2.0 GWh" in \
        inventory_lines([roof], sc)


def test_a_municipality_can_forbid_a_kind():
    """Steenwijkerland's RES choice: no wind. Its turbine is excluded with the reason, the checker
    rejects a plan that builds it anyway, and its own target is met with solar instead."""
    from models import WindTurbine

    wt = WindTurbine(site_id="W", status="candidate", capacity_mw=5.6, cost_meur=6, x_m=1, y_m=1, gemeente="GM1708")
    roof = RooftopSolar(site_id="R", status="candidate", capacity_mw=10, cost_meur=9, gemeente="GM1708")
    allow_all = Scenario.model_validate({
        "name": "x", "targets": {"electricity_gwh": 5}, "lik": {"onbekend": {"allow": ["wind_turbine", "rooftop_solar"]}},
        "municipalities": {"GM1708": {"electricity_gwh": 5}}})
    assert plan([wt, roof], allow_all).selected == ["W"]
    no_wind = allow_all.model_validate({**allow_all.model_dump(),
                                        "municipalities": {"GM1708": {"electricity_gwh": 5, "forbid": ["wind_turbine"]}}})
    p = plan([wt, roof], no_wind)
    assert p.selected == ["R"] and [(e.site_id, e.reason) for e in p.excluded] == [("W", "municipality_forbids")]
    assert "municipality_forbids" in plan_report_text(p)
    forced = plan([wt, roof], allow_all)
    assert any("municipality GM1708 forbids wind_turbine" in x for x in check_plan([wt, roof], no_wind, forced))


def test_readme_region_block_is_a_valid_scenario():
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Region-wide planning"):]
    block = section[section.index("```toml") + 7:section.index("```", section.index("```toml") + 7)]
    sc = Scenario.model_validate({"name": "readme", **tomllib.loads(block)})
    assert sc.municipalities["GM0166"].electricity_gwh == 244 and sc.region is not None


def test_explain_prices_a_municipal_share_and_a_forbidden_kind():
    """The price of GM0002's own share and of its no-wind choice, each equal to re-planning without it."""
    from energie.scenarios.explain import explain
    from models import WindTurbine

    sites = [RooftopSolar(site_id="cheap", status="candidate", capacity_mw=10, cost_meur=1, gemeente="GM0001"),
             RooftopSolar(site_id="dear", status="candidate", capacity_mw=10, cost_meur=9, gemeente="GM0002"),
             WindTurbine(site_id="wind", status="candidate", capacity_mw=3, cost_meur=4, x_m=0, y_m=0,
                         gemeente="GM0002")]
    sc = Scenario.model_validate({
        "name": "x", "targets": {"electricity_gwh": 5}, "lik": {"onbekend": {"allow": ["rooftop_solar", "wind_turbine"]}},
        "municipalities": {"GM0002": {"electricity_gwh": 5, "forbid": ["wind_turbine"]}}})
    ex = explain(sites, sc)
    prices = {p.rule: p for p in ex.prices}
    assert ex.baseline.selected == ["dear"]
    assert prices["municipal_target[GM0002]"].saving_meur == pytest.approx(9 - 1)
    assert prices["municipality_forbids[GM0002]"].saving_meur == pytest.approx(9 - 4)


def test_alternatives_keep_every_municipal_share():
    """Alternatives differ from the optimum but never drop a municipality below its own share."""
    from energie.scenarios.alternatives import generate_alternatives

    sites = [RooftopSolar(site_id=f"R{g[-1]}{k}", status="candidate", capacity_mw=4, cost_meur=1 + 0.1 * k,
                          gemeente=g) for g in ("GM0001", "GM0002") for k in range(4)]
    sc = region_scenario(10.0, {"GM0002": 7.0}, solver="highs")
    res = generate_alternatives(sites, sc, k=2, slack=0.5)
    assert res.alternatives
    for alt in [res.optimum] + [a.plan for a in res.alternatives]:
        row = {m.gemeente: m for m in alt.municipalities}["GM0002"]
        assert row.achieved_gwh >= 7.0 - 1e-6 and row.shortfall_gwh == 0.0
        assert check_plan(sites, sc, alt) == []
    short = generate_alternatives(sites, region_scenario(10.0, {"GM0002": 70.0}, solver="highs"), k=2, slack=0.5)
    assert not short.alternatives and "cannot reach its own share" in " ".join(short.messages)


def test_region_scenario_writes_later_years_as_multiples_and_refuses_bad_ones():
    import pandas as pd

    from sites.region_scenario import parse_multiple, region_scenario_toml
    from sites.scenario_io import scenario_from_dict

    towns = pd.DataFrame({"gemeente": ["GM0001", "GM0002"], "name": ["A", "B"]})
    text = region_scenario_toml(towns, region_code="ES99", region_name="R", target_gwh=100.0,
                                shares={"GM0001": (30.0, "")}, year=2030, multiples={2050: 2.0})
    import tomllib

    sc = scenario_from_dict(tomllib.loads(text), "test")
    assert [(t.year, t.target_gwh) for t in sc.targets.resolved()] == [(2030, 100.0), (2050, 200.0)]
    assert sc.municipal_target_gwh("GM0001", 2050) == pytest.approx(60.0)
    with pytest.raises(InputError, match="needs --year"):
        region_scenario_toml(towns, region_code="", region_name="R", target_gwh=100.0, multiples={2050: 2.0})
    with pytest.raises(InputError, match="later year"):
        region_scenario_toml(towns, region_code="", region_name="R", target_gwh=100.0, year=2030,
                             multiples={2030: 2.0})
    with pytest.raises(InputError, match="needs --target-gwh"):
        region_scenario_toml(towns, region_code="", region_name="R", target_gwh=None, year=2030)
    with pytest.raises(InputError, match="YEAR=FACTOR"):
        parse_multiple("2050")
    with pytest.raises(InputError, match="above 0"):
        parse_multiple("2050=0")
