"""Phasing 2030 → 2040 → 2050: target readings, the multi-period model, its checker, report and CLI."""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.planner.plans import plan
from energie.check.phasing import check_phased_plan
from energie.planner.plans import plan_phased
from energie.reports.phasing import phased_report_text, reading_text
from energie.scenarios.overrides import set_value
from models import InputError, PlanStatus, RooftopSolar, Scenario, SiteStatus, SolarField, WindTurbine
from models.targets import Targets, projected_energy_use_tj
from sites.catalog import write_example
from sites.inputs import example_inputs, load_inputs
from sites.scenario_io import scenario_from_dict
from tests.conftest import DATA, check_snapshot
from tests.instances import RULES, small_sites

_T2 = {"2030": {"electricity_gwh": 10}, "2050": {"electricity_gwh": 30}}
HARDENBERG_2050 = {"2030": {"electricity_gwh": 434}, "2050": {"multiple_of": 2030, "factor": 2.0}}
SHARE_2050 = {"share_of_energy_use": 1.0, "base_energy_use_tj": 5208.5, "base_year": 2023,
              "savings_until_2024": 0.02, "savings_after_2024": 0.015}


def _scenario(targets: dict, discount: float = 0.0, zonneladder: str = "off") -> Scenario:
    return Scenario.model_validate({
        "name": "phased", "targets": targets, "lik": RULES,
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": zonneladder, "min_turbine_distance_m": 400},
        "objective": {"discount_rate_per_yr": discount},
        "solver": {"gap_rel": 0.0, "time_limit_s": 60}})


@pytest.fixture(scope="module")
def hb():
    return example_inputs("hardenberg")


def _hb_scenario(hb, targets: dict) -> Scenario:
    data = hb.scenario.model_dump(mode="json")
    return Scenario.model_validate({**data, "name": "hardenberg-phased", "targets": targets})


# ------------------------------------------------------------------------------------ readings


def test_one_year_form_is_unchanged():
    t = Targets.model_validate({"electricity_gwh": 434})
    assert t.electricity_gwh == 434 and not t.is_phased and t.resolved() == []


def test_each_reading_resolves_and_multiples_chain():
    t = Targets.model_validate({"2030": {"electricity_gwh": 434}, "2040": {"multiple_of": 2030, "factor": 1.5},
                                "2050": {"multiple_of": 2040, "factor": 2.0}, "2045": SHARE_2050})
    got = {r.year: (r.reading, r.target_gwh) for r in t.resolved()}
    assert [r.year for r in t.resolved()] == [2030, 2040, 2045, 2050]
    assert got[2030] == ("absolute", 434.0)
    assert got[2040] == ("multiple", pytest.approx(651.0))
    assert got[2050] == ("multiple", pytest.approx(1302.0))
    assert got[2045][0] == "share"


def test_share_reading_equals_savings_compounded_by_hand():
    t = Targets.model_validate({"2030": {"electricity_gwh": 434}, "2050": SHARE_2050})
    share = t.resolved()[1]
    by_hand_tj = 5208.5 * 0.98 * 0.985 ** 26  # 2023 → 2024 at 2 %, then 26 years at 1.5 %
    assert share.energy_use_tj == pytest.approx(by_hand_tj, rel=1e-12)
    assert share.target_gwh == pytest.approx(by_hand_tj / 3.6, rel=1e-12)
    assert share.target_gwh == pytest.approx(957.1, abs=0.05)
    # defaults are 2 % and 1.5 %; other rates and base years compound the same way
    default = Targets.model_validate({"2050": {k: v for k, v in SHARE_2050.items() if "savings" not in k}})
    assert default.resolved()[0].target_gwh == pytest.approx(share.target_gwh, rel=1e-12)
    assert projected_energy_use_tj(1000, 2020, 2030, 0.03, 0.01) == pytest.approx(1000 * 0.97 ** 4 * 0.99 ** 6)
    assert projected_energy_use_tj(1000, 2026, 2030, 0.03, 0.01) == pytest.approx(1000 * 0.99 ** 4)
    assert "3,445.7 TJ" in reading_text(share) and "2.0 %/yr up to 2024" in reading_text(share)


@pytest.mark.parametrize("targets, words", [
    ({"electricity_gwh": 5, "2030": {"electricity_gwh": 5}}, "not both"),
    ({"2019": {"electricity_gwh": 5}}, "2020–2100"),
    ({"2101": {"electricity_gwh": 5}}, "2020–2100"),
    ({"electricty_gwh": 5}, "unknown key 'electricty_gwh'"),
    ({"2030": {}}, "targets.2030: give one reading"),
    ({"2030": {"electricity_gwh": 5, "multiple_of": 2025, "factor": 2}}, "not several"),
    ({"2025": {"electricity_gwh": 5}, "2030": {"multiple_of": 2025}}, "factor is missing"),
    ({"2030": {"factor": 2.0}}, "multiple_of is missing"),
    ({"2030": {"electricity_gwh": 5}, "2050": {"multiple_of": 2050, "factor": 2}}, "targets.2050.multiple_of"),
    ({"2030": {"electricity_gwh": 5}, "2050": {"multiple_of": 2040, "factor": 2}}, "earlier target year"),
    ({"2030": {"multiple_of": 2050, "factor": 2}, "2050": {"electricity_gwh": 5}}, "earlier years: none"),
    ({"2050": {**SHARE_2050, "share_of_energy_use": 0}}, "targets.2050.share_of_energy_use"),
    ({"2050": {**SHARE_2050, "share_of_energy_use": 1.2}}, "less than or equal to 1"),
    ({"2050": {"share_of_energy_use": 1.0}}, "missing: base_energy_use_tj, base_year"),
    ({"2050": {"base_energy_use_tj": 5208.5, "base_year": 2023}}, "share_of_energy_use"),
    ({"2030": {**SHARE_2050, "base_year": 2035}}, "targets.2030.base_year = 2035"),
    ({"2050": {**SHARE_2050, "savings_after_2024": 1.0}}, "targets.2050.savings_after_2024"),
    ({"2050": {"electricity_gwh": 5, "factr": 2}}, "targets.2050.factr: unknown key"),
])
def test_bad_targets_name_the_key(targets, words):
    with pytest.raises(InputError) as err:
        scenario_from_dict({"name": "x", "targets": targets}, "s.toml")
    assert words in str(err.value)


def test_toml_form_and_set_round_trip():
    text = ('name = "x"\n[targets.2030]\nelectricity_gwh = 434\n[targets.2050]\nmultiple_of = 2030\n'
            'factor = 2.0\n')
    sc = scenario_from_dict(tomllib.loads(text), "x.toml")
    assert [r.target_gwh for r in sc.targets.resolved()] == [434.0, 868.0]
    changed = set_value(sc, "targets.2050.factor=2.5")  # the scenario's dump validates again
    assert [r.target_gwh for r in changed.targets.resolved()] == [434.0, 1085.0]


def test_sites_layer_reads_year(tmp_path: Path):
    frame = gpd.read_file(DATA / "tiny.gpkg", layer="sites")
    frame["year"] = [2035.0 if sid == "DAK-1" else None for sid in frame["site_id"]]
    frame.to_file(tmp_path / "s.gpkg", layer="sites", driver="GPKG", engine="pyogrio")
    sites = load_inputs(tmp_path / "s.gpkg", DATA / "tiny.toml").sites
    assert {s.site_id: s.year for s in sites}["DAK-1"] == 2035
    assert sum(s.year is None for s in sites) == len(sites) - 1


# ------------------------------------------------------------------------------------ model


def _roof(sid: str, gwh: float, cost: float, status: str = "candidate", year: int | None = None) -> RooftopSolar:
    return RooftopSolar(site_id=sid, status=status, capacity_mw=gwh / 0.95, yield_gwh=gwh, cost_meur=cost,
                        year=year, lik_type="veenontginning")


def test_a_site_built_in_2030_stays_in_2050():
    sites = [_roof("R1", 10, 5), _roof("R2", 10, 6), _roof("R3", 10, 7)]
    for discount in (0.0, 0.04):
        sc = _scenario(_T2, discount)
        p = plan_phased(sites, sc)
        first, last = p.periods
        assert first.built == ["R1"] and last.built == ["R2", "R3"]
        assert first.plan.selected == ["R1"] and last.plan.selected == ["R1", "R2", "R3"]
        assert p.status is PlanStatus.OPTIMAL and check_phased_plan(sites, sc, p) == []
        assert p.cost_meur == pytest.approx(18)
    # discounted: the sites built for 2050 count (1.04)^-20 of their investment
    assert p.objective_meur == pytest.approx(5 + 13 * 1.04 ** -20)


def test_planned_site_with_a_later_year_counts_only_from_then():
    sites = [_roof("P1", 10, 0, status="planned", year=2035), _roof("R1", 6, 5), _roof("R2", 6, 4, year=2040)]
    sc = _scenario({"2030": {"electricity_gwh": 5}, "2040": {"electricity_gwh": 12},
                    "2050": {"electricity_gwh": 12}})
    p = plan_phased(sites, sc)
    y30, y40, y50 = p.periods
    assert "P1" not in y30.plan.locked_in and y30.built == ["R1"]  # the planned site does not count in 2030
    assert y40.started == ["P1"] and y40.achieved_gwh == pytest.approx(16)
    assert "R2" not in p.built_in()  # cheaper, but not available in 2030, and not needed after
    assert check_phased_plan(sites, sc, p) == []


def _brute_force(sites, sc):
    """(least objective, most yield in 2050 with 2030 at its target) over every assignment of each
    candidate to {not built, 2030, 2050}: a third, independent reading of the rules."""
    (t0, y0), (t1, y1) = [(r.target_gwh, r.year) for r in sc.targets.resolved()]
    d1 = (1 + sc.objective.discount_rate_per_yr) ** -(y1 - y0)
    fl = sc.full_load_hours
    gwh = {s.site_id: s.yield_gwh if s.yield_gwh is not None else s.capacity_mw * fl.for_kind(s.kind) / 1000
           for s in sites}
    locked = [s for s in sites if s.is_locked_in]
    cands = [s for s in sites if not s.is_locked_in]
    n = len(cands)

    def allowed(c):
        rule = sc.lik.get(c.lik_type)
        ok = c.kind in ({"rooftop_solar"} if rule is None else set(rule.allow))
        land_by_others = (c.kind == "solar_field" and c.on_land and c.initiator not in
                          {"energiecooperatie", "belangengroep"})
        return ok and not land_by_others

    def lower(c):
        if not allowed(c) or c.kind == "wind_turbine" or (c.kind == "solar_field" and c.on_land):
            return False
        rule = sc.lik.get(c.lik_type)
        if c.kind == "solar_field" and rule and rule.max_solar_field_ha is not None:
            used = sum(s.area_ha for s in locked if s.kind == "solar_field" and s.lik_type == c.lik_type)
            return c.area_ha <= rule.max_solar_field_ha - used + 1e-9
        return True

    def counts(s, year):
        return s.year is None or s.year <= year

    def final_ok(chosen):
        if not all(allowed(c) for c in chosen):
            return False
        for lik, rule in sc.lik.items():
            new = [c for c in chosen if c.lik_type == lik]
            every = [s for s in locked if s.lik_type == lik] + new
            if rule.max_solar_field_ha is not None and any(c.kind == "solar_field" for c in new):
                if sum(s.area_ha for s in every if s.kind == "solar_field") > rule.max_solar_field_ha + 1e-9:
                    return False
            if rule.max_turbines is not None and any(c.kind == "wind_turbine" for c in new):
                if sum(s.kind == "wind_turbine" for s in every) > rule.max_turbines:
                    return False
        wts = [s for s in locked + chosen if s.kind == "wind_turbine"]
        return not any((not a.is_locked_in or not b.is_locked_in) and math.hypot(a.x_m - b.x_m, a.y_m - b.y_m) < 400
                       for k, a in enumerate(wts) for b in wts[k + 1:])

    def ladder_ok(chosen, year):
        if sc.policy.zonneladder != "strict" or not any(c.kind == "solar_field" and c.on_land for c in chosen):
            return True
        return all(c in chosen for c in cands if counts(c, year) and lower(c))

    best_obj, best_reach = math.inf, (-math.inf, -math.inf)
    for final in range(1 << n):
        chosen = [cands[k] for k in range(n) if final >> k & 1]
        if not all(counts(c, y1) for c in chosen) or not final_ok(chosen) or not ladder_ok(chosen, y1):
            continue
        yield1 = sum(gwh[s.site_id] for s in locked if counts(s, y1)) + sum(gwh[c.site_id] for c in chosen)
        sub = final
        while True:  # every subset built in 2030
            early = [cands[k] for k in range(n) if sub >> k & 1]
            if all(counts(c, y0) for c in early) and ladder_ok(early, y0):
                yield0 = sum(gwh[s.site_id] for s in locked if counts(s, y0)) + sum(gwh[c.site_id] for c in early)
                best_reach = max(best_reach, (min(yield0, t0), yield1))
                if yield0 >= t0 - 1e-9 and yield1 >= t1 - 1e-9:
                    obj = 0.0
                    for c in chosen:
                        rule = sc.rule_for(c.lik_type)
                        impact = (rule.impact_per_ha * c.area_ha if c.kind == "solar_field"
                                  else rule.impact_per_turbine if c.kind == "wind_turbine" else 0.0)
                        obj += (c.cost_meur if c in early else d1 * c.cost_meur) + impact
                    best_obj = min(best_obj, obj)
            if sub == 0:
                break
            sub = (sub - 1) & final
    return best_obj, best_reach[1]


def _phased_instance(seed: int) -> list:
    sites = small_sites(13, seed)
    cands = [s for s in sites if not s.is_locked_in][:10]
    locked = [s for s in sites if s.is_locked_in]
    # one candidate only from 2040, one existing site that only counts from 2040
    cands[0] = cands[0].model_copy(update={"year": 2040})
    if locked:
        locked[0] = locked[0].model_copy(update={"year": 2040, "status": SiteStatus.PLANNED})
    return locked + cands


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("ladder", ["off", "strict"])
@pytest.mark.parametrize("discount, solver", [(0.0, "cbc"), (0.05, "cbc"), (0.05, "highs")])
def test_optimum_equals_brute_force(seed, ladder, discount, solver):
    sites = _phased_instance(seed)
    wide = _scenario({"2030": {"electricity_gwh": 0}, "2050": {"electricity_gwh": 0}}, discount, ladder)
    _, reach = _brute_force(sites, wide)
    fl = wide.full_load_hours
    locked = {year: sum(s.yield_gwh or s.capacity_mw * fl.for_kind(s.kind) / 1000 for s in sites
                        if s.is_locked_in and (s.year or 0) <= year) for year in (2030, 2050)}
    t30 = round(locked[2030] + 0.5 * (reach - locked[2050]), 3)
    t50 = round(locked[2050] + 0.85 * (reach - locked[2050]), 3)
    sc = _scenario({"2030": {"electricity_gwh": t30}, "2050": {"electricity_gwh": t50}}, discount, ladder)
    best, _ = _brute_force(sites, sc)
    p = plan_phased(sites, sc, solver=solver)
    assert p.status is PlanStatus.OPTIMAL
    assert p.objective_meur == pytest.approx(best, abs=1e-6)
    assert check_phased_plan(sites, sc, p) == []


@pytest.mark.parametrize("seed", range(2))
def test_shortfall_reaches_the_brute_force_maximum(seed):
    sites = _phased_instance(seed)
    sc = _scenario({"2030": {"electricity_gwh": 1.0}, "2050": {"electricity_gwh": 10_000}}, 0.0, "strict")
    _, reach = _brute_force(sites, sc)
    p = plan_phased(sites, sc)
    assert p.status is PlanStatus.SHORTFALL and p.periods[0].status is not PlanStatus.SHORTFALL
    assert p.periods[1].max_reachable_gwh == pytest.approx(reach, abs=1e-6)
    assert p.periods[1].shortfall_gwh == pytest.approx(10_000 - reach, abs=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_one_target_year_equals_the_single_year_plan(seed):
    sites = small_sites(16, seed)
    one = _scenario({"electricity_gwh": 25.0}, zonneladder="strict")
    phased = _scenario({"2030": {"electricity_gwh": 25.0}}, zonneladder="strict")
    a, b = plan(sites, one), plan_phased(sites, phased)
    assert b.periods[0].plan.selected == a.selected
    assert b.objective_meur == pytest.approx(a.objective_meur, abs=1e-9)
    assert b.status is a.status


def test_hardenberg_one_year_table_equals_the_single_year_plan(hb):
    a = plan(hb.sites, hb.scenario)
    b = plan_phased(hb.sites, _hb_scenario(hb, {"2030": {"electricity_gwh": 434}}))
    assert b.periods[0].plan.selected == a.selected and b.objective_meur == pytest.approx(a.objective_meur)


def test_hardenberg_double_2030_is_short_in_2050(hb):
    p = plan_phased(hb.sites, _hb_scenario(hb, HARDENBERG_2050))
    y30, y50 = p.periods
    single_max = plan(hb.sites, _hb_scenario(hb, {"electricity_gwh": 868.0})).max_reachable_gwh
    assert y30.status is PlanStatus.OPTIMAL and y30.achieved_gwh >= 434
    assert y50.status is PlanStatus.SHORTFALL and y50.max_reachable_gwh == pytest.approx(single_max)
    assert p.status is PlanStatus.SHORTFALL
    assert check_phased_plan(hb.sites, _hb_scenario(hb, HARDENBERG_2050), p) == []


# ------------------------------------------------------------------------------------ checker


def test_checker_catches_mutated_plans():
    sites = [_roof("R1", 10, 5), _roof("R2", 10, 6), _roof("R3", 10, 7), _roof("R4", 10, 8, year=2045)]
    sc = _scenario(_T2)
    p = plan_phased(sites, sc)
    assert check_phased_plan(sites, sc, p) == []
    y30, y50 = p.periods

    def with_periods(a, b):
        return p.model_copy(update={"periods": [a, b]})

    gone = y50.model_copy(update={"plan": y50.plan.model_copy(update={"selected": ["R2", "R3"]})})
    assert any("must stay" in m for m in check_phased_plan(sites, sc, with_periods(y30, gone)))
    twice = y50.model_copy(update={"built": ["R1", "R2", "R3"]})
    assert any("built twice" in m for m in check_phased_plan(sites, sc, with_periods(y30, twice)))
    early = y30.model_copy(update={"built": ["R1", "R4"], "plan": y30.plan.model_copy(
        update={"selected": ["R1", "R4"]})})
    problems = check_phased_plan(sites, sc, with_periods(early, y50))
    assert any("available only from 2045" in m for m in problems)
    short = y30.model_copy(update={"plan": y30.plan.model_copy(update={"selected": [], "cost_meur": 0.0})})
    assert any(m.startswith("2030: ") for m in check_phased_plan(sites, sc, with_periods(short, y50)))
    wrong_target = y50.model_copy(update={"target": y50.target.model_copy(update={"target_gwh": 20.0})})
    assert any("target" in m for m in check_phased_plan(sites, sc, with_periods(y30, wrong_target)))


def test_checker_runs_every_rule_per_period():
    field = SolarField(site_id="F1", status="candidate", capacity_mw=8.5, area_ha=10, cost_meur=1,
                       initiator="energiecooperatie", lik_type="veenontginning")
    roof = _roof("R1", 1, 9)
    wt = WindTurbine(site_id="W1", status="candidate", capacity_mw=3, cost_meur=4, x_m=0, y_m=0,
                     lik_type="veenontginning")
    wt_late = WindTurbine(site_id="W0", status="planned", capacity_mw=3, cost_meur=0, x_m=100, y_m=0,
                          lik_type="veenontginning", year=2050)
    sites = [field, roof, wt, wt_late]
    sc = _scenario({"2030": {"electricity_gwh": 8}, "2050": {"electricity_gwh": 16}}, zonneladder="strict")
    p = plan_phased(sites, sc)
    assert p.built_in() == {"F1": 2030, "R1": 2030}  # the roof first (ladder); W1 too close to W0 from 2050
    y30 = p.periods[0]
    no_roof = y30.model_copy(update={"plan": y30.plan.model_copy(update={"selected": ["F1"], "cost_meur": 1.0})})
    bad = p.model_copy(update={"periods": [no_roof, p.periods[1]]})
    assert any("2030: zonneladder" in m for m in check_phased_plan(sites, sc, bad))


# ------------------------------------------------------------------------------------ report and CLI


@pytest.fixture(scope="module")
def hb_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hb")
    gpkg, scenario = write_example("hardenberg", folder)
    text = scenario.read_text(encoding="utf-8")
    base = re.sub(r"\nelectricity_gwh = 434\n", "\n", text).replace("[targets]\n", "", 1)
    base = base.replace('name = "hardenberg-2030"', 'name = "hardenberg-2030-2050"')
    assert "electricity_gwh" not in base and "[targets" not in base

    def phased(name: str, tables: str) -> Path:
        path = folder / name
        path.write_text(base + "\n" + tables, encoding="utf-8")  # tables last: top-level keys come first
        return path

    return {
        "sites": gpkg,
        "short": phased("short.toml", '[targets.2030]\nelectricity_gwh = 434\n\n'
                                      '[targets.2050]\nmultiple_of = 2030\nfactor = 2.0\n'),
        "fits": phased("fits.toml", '[targets.2030]\nelectricity_gwh = 380\n\n'
                                    '[targets.2040]\nmultiple_of = 2030\nfactor = 1.1\n\n'
                                    '[targets.2050]\nshare_of_energy_use = 0.45\nbase_energy_use_tj = 5208.5\n'
                                    'base_year = 2023\n'),
    }


def _stable_report(sites_path: Path, scenario_path: Path) -> str:
    """The report without what varies between machines (times, solver version), at 100 columns."""
    inputs = load_inputs(sites_path, scenario_path)
    p = plan_phased(inputs.sites, inputs.scenario)
    return phased_report_text(p.model_copy(update={"solve_time_s": 0.0, "build_time_s": 0.0,
                                                   "solver_version": "SOLVER"}), width=100)


def test_cli_phased_shortfall_exit_1_snapshot_and_json(hb_files, tmp_path):
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", "--sites", str(hb_files["sites"]), "--scenario", str(hb_files["short"]),
                                 "--json", str(out), "--no-color"])
    assert r.exit_code == 1, r.output
    assert max(len(line) for line in r.output.splitlines()) <= 100
    for words in ("shortfall: the target of 2050 cannot be met", "maximum reachable under the rules 449.6 GWh",
                  "2050: 868.0 GWh = 2.00 × the 2030 target of 434.0 GWh"):
        assert words in r.output
    text = _stable_report(hb_files["sites"], hb_files["short"])
    assert "\x1b[" not in text and max(len(line) for line in text.splitlines()) <= 100
    check_snapshot("phasing_hardenberg_shortfall.txt", text)
    doc = json.loads(out.read_text())
    assert doc["phased"] is True and doc["years"] == [2030, 2050] and doc["status"] == "shortfall"
    assert set(doc["targets"]) == {"2030", "2050"} and doc["targets"]["2050"]["reading"] == "multiple"
    assert set(doc["periods"]["2030"]["selected"]) <= set(doc["periods"]["2050"]["selected"])
    assert doc["periods"]["2050"]["max_reachable_gwh"] == pytest.approx(449.6, abs=0.05)
    assert sorted(doc["built_in"]) == doc["selected"] == doc["periods"]["2050"]["selected"]


def test_cli_phased_feasible_exit_0_snapshot_and_out(hb_files, tmp_path):
    gpkg = tmp_path / "plan.gpkg"
    r = CliRunner().invoke(app, ["plan", "--sites", str(hb_files["sites"]), "--scenario", str(hb_files["fits"]),
                                 "--out", str(gpkg), "--no-color"])
    assert r.exit_code == 0, r.output
    assert "45.0 % of use" in r.output and "1.10 × 2030" in r.output and "5,208.5 TJ in 2023" in r.output
    check_snapshot("phasing_hardenberg_three_periods.txt", _stable_report(hb_files["sites"], hb_files["fits"]))
    frame = gpd.read_file(gpkg, layer="plan_sites")
    assert set(frame["in_operation_from"]) <= {2030, 2040, 2050} and frame["in_operation_from"].notna().all()


def test_cli_single_year_scenario_gives_the_single_year_plan(tiny_paths, tmp_path):
    out = tmp_path / "p.json"
    r = CliRunner().invoke(app, ["plan", "--sites", str(tiny_paths[0]), "--scenario", str(tiny_paths[1]),
                                 "--json", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    inputs = load_inputs(*tiny_paths)
    expected = plan(inputs.sites, inputs.scenario)
    assert "phased" not in doc and doc["selected"] == expected.selected
    assert doc["objective"] == pytest.approx(expected.objective_meur)


def test_cli_bad_phased_scenario_exits_2(hb_files, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(hb_files["short"].read_text().replace("multiple_of = 2030", "multiple_of = 2040"))
    r = CliRunner().invoke(app, ["plan", "--sites", str(hb_files["sites"]), "--scenario", str(bad)])
    assert r.exit_code == 2 and "targets.2050.multiple_of = 2040" in r.output


def test_report_text_is_plain_and_fits(hb):
    p = plan_phased(hb.sites, _hb_scenario(hb, {"2030": {"electricity_gwh": 434}, "2050": SHARE_2050}))
    text = phased_report_text(p)
    assert "\x1b[" not in text and max(len(line) for line in text.splitlines()) <= 100
    assert "100.0 % of use" in text and "957.1" in text


def test_readme_phasing_example_and_docstring_examples_run():
    import doctest

    import energie.planner.plans
    import models.scenario
    import models.targets

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Phasing 2030 → 2040 → 2050", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    sc = scenario_from_dict({"name": "readme", **tomllib.loads(block)}, "README")
    assert [(r.year, r.reading) for r in sc.targets.resolved()] == [
        (2030, "absolute"), (2040, "multiple"), (2050, "share")]
    for module in (models.targets, models.scenario, energie.planner.plans):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_questions_work_on_a_phased_scenario():
    """explain and whatif ask their question of the whole horizon (no refusal): explain prices the
    target of each year, whatif compares year by year."""
    from energie.facts.presolve import consistency_warnings, inventory_lines
    from energie.scenarios.compare import HorizonComparison
    from energie.scenarios.explain import explain
    from energie.scenarios.whatif import WhatIf, run_whatif
    from models import Scenario
    from sites.inputs import example_inputs

    hb = example_inputs("hardenberg")
    data = hb.scenario.model_dump(mode="json")
    data["targets"] = {"2030": {"electricity_gwh": 434.0}, "2040": {"multiple_of": 2030, "factor": 1.02}}
    phased = Scenario.model_validate(data)
    e = explain(hb.sites, phased)
    assert [t.year for t in e.targets_by_year] == [2030, 2040] and e.target is None
    assert all(t.step_cost_meur_per_gwh is not None and t.step_cost_meur_per_gwh >= 0 for t in e.targets_by_year)
    assert e.prices and all(p.saving_meur is None or p.saving_meur >= -1e-6 for p in e.prices)
    c = run_whatif(hb.sites, phased, WhatIf(target_scale=1.01))
    assert isinstance(c, HorizonComparison) and [y for y, _ in c.years] == [2030, 2040]
    data["targets"] = {"2030": {"electricity_gwh": 434.0}, "2050": {"multiple_of": 2030, "factor": 2.0}}
    phased = Scenario.model_validate(data)
    lines = inventory_lines(hb.sites, phased)
    assert any(line.startswith("target 2050: 868.0 GWh") for line in lines)
    warnings = consistency_warnings(hb.sites, phased)
    assert not any("no [targets]" in w for w in warnings)
    assert any("target 2050" in w for w in warnings)
