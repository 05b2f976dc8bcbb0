"""Lifetimes and repowering: input columns, the horizon, the one problem, the report and the checker."""

from __future__ import annotations

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.check.plan import check_plan
from energie.check.phasing import check_phased_plan
from energie.model.contributions import build_problem
from energie.model.horizon import prepare_horizon
from energie.planner.plans import plan
from energie.planner.pipeline import run_plan
from energie.reports.phasing import phased_plan_to_json, phased_report_text
from models import InputError, PlanStatus, RooftopSolar, Scenario, WindTurbine
from models.defaults import SOLAR_LIFETIME_YEARS, WIND_LIFETIME_YEARS
from models.phasing import PhasedPlan
from sites.reader import sites_from_frame
from tests.conftest import DATA
from tests.instances import RULES

YEARS3 = ("2030", "2040", "2050")


def _scenario(targets: dict, **objective: float) -> Scenario:
    return Scenario.model_validate({
        "name": "life", "targets": targets, "lik": RULES, "objective": objective,
        "policy": {"solar_on_land": "ja", "zonneladder": "off", "min_turbine_distance_m": 400},
        "solver": {"gap_rel": 0.0, "time_limit_s": 60}})


def _three(t30: float, t40: float, t50: float) -> Scenario:
    return _scenario({y: {"electricity_gwh": t} for y, t in zip(YEARS3, (t30, t40, t50), strict=True)})


def _sites(r1_life: int = 15) -> list:
    """An old turbine (2015, retires 2040) with a repowering candidate at its place, a short-lived roof."""
    return [
        WindTurbine(site_id="OLD", status="existing", capacity_mw=3, yield_gwh=15, cost_meur=0, x_m=0, y_m=0,
                    year=2015, lik_type="veenontginning"),
        WindTurbine(site_id="NEW", status="candidate", capacity_mw=5.6, yield_gwh=25, cost_meur=8, x_m=10, y_m=0,
                    repowers="OLD", lik_type="veenontginning"),
        RooftopSolar(site_id="R1", status="candidate", capacity_mw=5, yield_gwh=5, cost_meur=3,
                     lifetime_years=r1_life),
        RooftopSolar(site_id="R3", status="existing", capacity_mw=5, yield_gwh=6, cost_meur=0),
    ]


@pytest.fixture(scope="module")
def solved() -> tuple[list, Scenario, PhasedPlan]:
    sites, sc = _sites(), _three(26, 31, 31)
    p = run_plan(sites, sc)
    assert isinstance(p, PhasedPlan)
    return sites, sc, p


# ------------------------------------------------------------------------------------ inputs


def test_defaults_per_kind():
    assert WindTurbine(site_id="T", status="existing", capacity_mw=3, cost_meur=0, x_m=0, y_m=0).life_years == \
        WIND_LIFETIME_YEARS == 25
    assert RooftopSolar(site_id="R", status="existing", capacity_mw=1, cost_meur=0).life_years == SOLAR_LIFETIME_YEARS
    assert RooftopSolar(site_id="R", status="existing", capacity_mw=1, cost_meur=0, lifetime_years=30).life_years == 30


def _frame(**changes: dict) -> gpd.GeoDataFrame:
    frame = gpd.read_file(DATA / "tiny.gpkg", layer="sites")
    frame["year"] = [2015.0 if sid == "WT-1" else None for sid in frame["site_id"]]
    frame["lifetime_years"] = [20.0 if sid == "WT-1" else None for sid in frame["site_id"]]
    frame["repowers"] = [changes.get("repowers", {}).get(sid) for sid in frame["site_id"]]
    if "status" in changes:
        frame["status"] = [changes["status"].get(sid, st) for sid, st in zip(frame["site_id"], frame["status"])]
    return frame


def test_sites_layer_reads_lifetime_and_repowers():
    sites = {s.site_id: s for s in sites_from_frame(_frame(repowers={"WT-2": "WT-1"}), "s.gpkg")}
    assert sites["WT-1"].lifetime_years == 20 and sites["WT-2"].repowers == "WT-1"


@pytest.mark.parametrize("repowers, status, words", [
    ({"WT-2": "WT-9"}, {}, "row 2 (site_id 'WT-2'): repowers 'WT-9', which is no site_id"),
    ({"WT-2": "WT-3"}, {}, "row 2 (site_id 'WT-2'): repowers 'WT-3', a candidate"),
    ({"WT-2": "DAK-2"}, {}, "row 2 (site_id 'WT-2'): repowers 'DAK-2', a rooftop_solar; a site can only repower "
                            "one of its own kind (wind_turbine)"),
    ({"DAK-2": "WT-1"}, {}, "row 8 (site_id 'DAK-2'): repowers is for candidates, this site is planned"),
])
def test_bad_repowers_name_the_row_site_and_fix(repowers, status, words):
    with pytest.raises(InputError) as err:
        sites_from_frame(_frame(repowers=repowers, status=status), "s.gpkg (layer 'sites')")
    assert words in str(err.value) and "s.gpkg (layer 'sites')" in str(err.value)


def test_bad_repowers_exit_2_in_the_cli(tmp_path):
    path = tmp_path / "s.gpkg"
    _frame(repowers={"WT-2": "WT-9"}).to_file(path, layer="sites", driver="GPKG", engine="pyogrio")
    r = CliRunner().invoke(app, ["plan", "--sites", str(path), "--scenario", str(DATA / "tiny.toml"), "--no-color"])
    assert r.exit_code == 2 and "WT-2" in r.output and "WT-9" in r.output and "Traceback" not in r.output


def test_bad_repowers_from_python_raise_input_error():
    sites = [*_sites()[:1], _sites()[1].model_copy(update={"repowers": "R3"}), _sites()[3]]
    with pytest.raises(InputError, match="site NEW: repowers 'R3', a rooftop_solar"):
        run_plan(sites, _three(10, 10, 10))


# ------------------------------------------------------------------------------------ horizon and model


def test_one_year_scenarios_ignore_lifetimes_and_exclude_repowering():
    sc = _scenario({"electricity_gwh": 20})
    p = plan(_sites(), sc)
    assert "OLD" in p.locked_in and p.targets["electricity"].achieved_gwh == pytest.approx(21)
    assert {e.site_id: e.reason for e in p.excluded} == {"NEW": "repowers_in_operation"}


def test_retired_sites_do_not_count_and_the_repowering_takes_their_place(solved):
    sites, sc, p = solved
    h = prepare_horizon(sites, sc)
    assert [sorted(f.site_id for f in h.locked_in(k)) for k in range(3)] == [["OLD", "R3"], ["R3"], ["R3"]]
    assert [h.locked_yield_gwh(k) for k in range(3)] == [21, 6, 6]
    assert p.status is PlanStatus.OPTIMAL
    y30, y40, y50 = p.periods
    assert (y30.built, y40.built, y50.built) == (["R1"], ["NEW"], [])
    assert (y30.retired, y40.retired, y50.retired) == ([], ["OLD"], ["R1"])  # R1: 2030 + 15 ≤ 2050
    assert y40.repowered == {"NEW": "OLD"} and y50.plan.selected == ["NEW"]
    assert [q.achieved_gwh for q in p.periods] == [26, 36, 31]
    assert check_phased_plan(sites, sc, p) == []


def test_a_retired_candidate_is_not_built_again():
    """2050 would need R1 again; it was needed in 2030 and cannot be rebuilt: 2050 falls short."""
    p = run_plan(_sites(), _three(26, 31, 36))
    assert p.status is PlanStatus.SHORTFALL and p.built_in() == {"R1": 2030, "NEW": 2040}
    assert p.periods[2].shortfall_gwh == pytest.approx(5) and p.periods[2].max_reachable_gwh == pytest.approx(31)


def test_caps_and_spacing_per_period_once_something_retires():
    """A cap of one turbine held by OLD until 2040: a far-away turbine only from 2040 on."""
    far = WindTurbine(site_id="FAR", status="candidate", capacity_mw=3, yield_gwh=10, cost_meur=1, x_m=5000,
                      y_m=0, lik_type="veenontginning")
    rules = {**RULES, "veenontginning": {**RULES["veenontginning"], "max_turbines": 1}}
    sc = _three(15, 10, 10).model_copy(update={"lik": Scenario.model_validate(
        {"name": "x", "targets": {"electricity_gwh": 1}, "lik": rules}).lik})
    sites = [_sites()[0], far]
    p = build_problem(prepare_horizon(sites, sc))
    names = set(p.constraints)
    assert "lik_turbines[veenontginning,2030]" in names and "lik_turbines[veenontginning]" not in names
    plan_ = run_plan(sites, sc)
    assert plan_.built_in() == {"FAR": 2040} and plan_.periods[0].plan.selected == []


def test_one_period_names_are_unchanged():
    p = build_problem(prepare_horizon(_sites(), _scenario({"electricity_gwh": 20})))
    assert not p.s and all(v.name.startswith("x_") for v in p.w.values())
    assert not any("operates" in n or "built_once" in n for n in p.constraints)


def test_a_site_without_a_year_runs_through_with_a_note():
    old = RooftopSolar(site_id="R0", status="existing", capacity_mw=5, yield_gwh=5, cost_meur=0)
    sc = _scenario({"2030": {"electricity_gwh": 1}, "2060": {"electricity_gwh": 1}})
    h = prepare_horizon([old], sc)
    assert h.counts("R0", 1) and any("without a year" in m and "R0" in m for m in h.messages)
    assert not prepare_horizon([old], _three(1, 1, 1)).messages  # 2030 + 25 > 2050: it cannot matter


# ------------------------------------------------------------------------------------ report


def test_report_and_json_show_what_retires_and_what_repowers(solved):
    _, _, p = solved
    text = phased_report_text(p.model_copy(update={"solve_time_s": 0.0, "build_time_s": 0.0}))
    assert "Sites that retire per period" in text
    line = next(ln for ln in text.splitlines() if " OLD " in ln)
    assert "2040" in line and "NEW" in line and "15.0" in line and "25.0" in line
    doc = phased_plan_to_json(p)
    assert doc["periods"]["2040"]["retired"] == ["OLD"] and doc["periods"]["2040"]["repowered"] == {"NEW": "OLD"}
    assert doc["periods"]["2050"]["retired"] == ["R1"]


# ------------------------------------------------------------------------------------ checker mutations


def _mutate(p: PhasedPlan, year: int, **plan_update: object) -> PhasedPlan:
    periods = [q.model_copy(update={"plan": q.plan.model_copy(update=plan_update)}) if q.year == year else q
               for q in p.periods]
    return p.model_copy(update={"periods": periods})


def test_checker_catches_a_retired_site_that_still_counts(solved):
    sites, sc, p = solved
    broken = _mutate(p, 2040, locked_in=["OLD", "R3"])
    problems = check_phased_plan(sites, sc, broken)
    assert any("2040: the plan's locked-in list differs" in m for m in problems)
    assert any("2040: NEW runs together with OLD" in m for m in problems)


def test_checker_catches_a_repowering_before_its_site_retired(solved):
    sites, sc, p = solved
    y30 = p.periods[0]
    early = y30.model_copy(update={"built": ["NEW", "R1"], "plan": y30.plan.model_copy(
        update={"selected": ["NEW", "R1"]})})
    later = p.periods[1].model_copy(update={"built": []})
    broken = p.model_copy(update={"periods": [early, later, p.periods[2]]})
    problems = check_phased_plan(sites, sc, broken)
    assert any("2030: NEW runs together with OLD" in m for m in problems)


def test_one_year_checker_catches_a_repowering_beside_its_site():
    sites, sc = _sites(), _scenario({"electricity_gwh": 20})
    p = plan(sites, sc)
    broken = p.model_copy(update={"selected": ["NEW"], "cost_meur": 8.0})
    assert any("NEW: repowers OLD, which is still in operation" in m for m in check_plan(sites, sc, broken))


def test_checker_catches_a_candidate_past_its_lifetime(solved):
    sites, sc, p = solved
    broken = _mutate(p, 2050, selected=["NEW", "R1"])
    assert any("2050: R1 runs past its lifetime (2030 + 15 years)" in m for m in check_phased_plan(sites, sc, broken))


def test_checker_catches_a_candidate_gone_before_its_lifetime(solved):
    sites, sc, p = solved
    broken = _mutate(p, 2040, selected=["NEW"])
    assert any("2040: R1, built in 2030, is not in operation within its lifetime" in m
               for m in check_phased_plan(sites, sc, broken))


def test_checker_catches_wrong_retired_and_repowered_lists(solved):
    sites, sc, p = solved
    q = p.periods[1].model_copy(update={"retired": [], "repowered": {}})
    broken = p.model_copy(update={"periods": [p.periods[0], q, p.periods[2]]})
    problems = check_phased_plan(sites, sc, broken)
    assert any("2040: retired [], the sites say ['OLD']" in m for m in problems)
    assert any("2040: repowered {}, the sites say {'NEW': 'OLD'}" in m for m in problems)


def test_docstring_examples_run():
    import doctest

    import energie.model.horizon
    import models.site

    for module in (models.site, energie.model.horizon):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0
