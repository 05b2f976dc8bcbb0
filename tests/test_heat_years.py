"""Heat over the years: conversion capacity per municipality and period, start districts with a deadline.

Brute force (a third implementation of the rules: every assignment of a strategy and period, or
none, to each district) = MILP on small instances with capacity and deadlines, both solvers; the
independent checker catches a plan over capacity and a missed deadline that is not reported.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from energie.check.heat import check_heat_plan
from energie.model.contributions import build_problem
from energie.model.horizon import prepare_horizon
from energie.planner.pipeline import run_plan
from models import InputError, Plan, PlanStatus, Scenario
from models.heat import District, HeatSettings, HeatStrategy
from sites import read_districts
from tests.test_heat import heat_brute_force

SOLVERS = ["cbc", "highs"]
TOWNS = ("GM0001", "GM0002", "")


def _plan(districts: list[District], heat: dict[str, object], solver: str = "highs") -> Plan:
    sc = Scenario.model_validate({"name": "t", "heat": heat, "solver": {"name": solver, "gap_rel": 0.0}})
    p = run_plan([], sc, districts)
    assert isinstance(p, Plan) and p.heat is not None
    return p


def _instance(seed: int) -> tuple[list[District], dict[str, object]]:
    rng = random.Random(seed)
    districts = [District(district_id=f"BU{k}", gemeente=TOWNS[k % 3], dwellings=rng.randint(100, 700),
                          gas_m3_per_dwelling=rng.choice([1200, 1600, 2000]),
                          earliest_year=rng.choice([None, None, 2040]),
                          deadline_year=rng.choice([None, None, 2040, 2045]) if k % 2 == 0 else None)
                 for k in range(5)]
    districts = [d.model_copy(update={"deadline_year": None}) if d.earliest_year and d.deadline_year
                 and d.deadline_year < d.earliest_year else d for d in districts]
    heat: dict[str, object] = {
        "periods": [2030, 2040, 2050], "gas_saved_share": {2030: rng.choice([0.05, 0.2]), 2050: rng.choice([0.7, 1.0])},
        "forbid": ["green_gas_boiler"], "green_gas_m3_per_dwelling": 400, "rural_green_gas_weight": 0.8,
        "max_dwellings_per_yr": rng.choice([80, 120, 200]),
        "max_dwellings_per_yr_by_gemeente": {"GM0002": rng.choice([50, 100])}}
    return districts, heat


def _limit(s: HeatSettings, gemeente: str, year: int) -> float | None:
    rate = s.max_dwellings_per_yr_by_gemeente.get(gemeente, s.max_dwellings_per_yr)
    start = ([s.conversion_start_year] + s.periods)[s.periods.index(year)]
    return None if rate is None else rate * (year - start)


def brute_force(districts: list[District], s: HeatSettings) -> float | None:
    """The least objective over every assignment meeting every rule, gas target, capacity and deadline."""

    def admissible(combo: tuple[tuple[HeatStrategy, int] | None, ...]) -> bool:
        pairs = list(zip(districts, combo, strict=True))
        if any(d.deadline_year is not None and (c is None or c[1] > d.deadline_year) for d, c in pairs):
            return False
        for town, year in itertools.product(set(TOWNS), s.periods):
            limit = _limit(s, town, year)
            n = sum(d.dwellings for d, c in pairs if c and c[1] == year and d.gemeente == town)
            if limit is not None and n > limit:
                return False
        return True

    return heat_brute_force(districts, s, admissible)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", range(8))
def test_capacity_and_deadlines_milp_equals_brute_force(seed: int, solver: str) -> None:
    districts, heat = _instance(seed)
    s = HeatSettings.model_validate(heat)
    expected = brute_force(districts, s)
    p = _plan(districts, heat, solver)
    assert p.heat is not None
    if expected is None:
        assert p.status is PlanStatus.SHORTFALL
    else:
        assert p.status is PlanStatus.OPTIMAL
        assert p.objective_meur == pytest.approx(expected, rel=1e-6, abs=1e-6)
        assert all(d.met for d in p.heat.deadlines)


def test_brute_force_instances_bind_and_fall_short() -> None:
    """The instances exercise feasible and short outcomes and binding capacity (else they prove little)."""
    outcomes, binding = set(), False
    for seed in range(8):
        districts, heat = _instance(seed)
        outcomes.add(brute_force(districts, HeatSettings.model_validate(heat)) is None)
        p = _plan(districts, heat)
        binding |= any(c.binding for c in p.heat.capacity) if p.heat else False
    assert outcomes == {True, False} and binding


def test_capacity_family_adds_nothing_without_the_key() -> None:
    districts = [District(district_id=f"BU{k}", gemeente="GM0160", dwellings=900, gas_m3_per_dwelling=1500)
                 for k in range(3)]
    plain = Scenario(name="t", heat={"gas_saved_share": {2050: 1.0}})
    names = set(build_problem(prepare_horizon([], plain, districts)).constraints)
    assert not any(n.startswith("conversion_capacity") for n in names)
    capped = Scenario(name="t", heat={"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 150})
    names = set(build_problem(prepare_horizon([], capped, districts)).constraints)
    # 2030: 150 × 5 yr = 750 < 2,700; 2040 and 2050: 1,500 < 2,700
    assert {"conversion_capacity[GM0160,2030]", "conversion_capacity[GM0160,2040]",
            "conversion_capacity[GM0160,2050]"} <= names


def test_capacity_spreads_conversions_over_the_periods() -> None:
    districts = [District(district_id=f"BU{k}", gemeente="GM0160", dwellings=500, gas_m3_per_dwelling=1500)
                 for k in range(5)]
    heat = {"gas_saved_share": {2050: 1.0}}
    free = _plan(districts, heat)
    capped = _plan(districts, {**heat, "max_dwellings_per_yr": 100})
    assert free.heat is not None and capped.heat is not None
    assert [y.dwellings_new for y in free.heat.years] == [0, 0, 2500]  # discounting: all in the last period
    assert [y.dwellings_new for y in capped.heat.years] == [500, 1000, 1000]
    assert [c.binding for c in capped.heat.capacity] == [True, True, False]  # 2050: nobody left out
    assert [y.dwellings_converted for y in capped.heat.years] == [500, 1500, 2500]


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_deadline_over_capacity_is_an_explained_shortfall(solver: str) -> None:
    districts = [District(district_id="BU1", gemeente="GM0141", name="Aalderinkshoek", dwellings=800,
                          gas_m3_per_dwelling=1300, deadline_year=2030),
                 District(district_id="BU2", gemeente="GM0141", dwellings=300, gas_m3_per_dwelling=1300,
                          deadline_year=2030)]
    p = _plan(districts, {"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 100}, solver)
    assert p.status is PlanStatus.SHORTFALL and p.heat is not None
    by_id = {d.district_id: d for d in p.heat.deadlines}
    assert not by_id["BU1"].met and by_id["BU1"].shortfall_mm3 == pytest.approx(1.04)
    assert by_id["BU2"].met and by_id["BU2"].year == 2030
    from energie.reports.heat import heat_report_text

    text = heat_report_text(p.heat)
    assert "BU1: the deadline 2030 cannot be met: its 800 dwellings exceed GM0141's capacity" in text


def test_deadline_pulls_a_district_forward_and_binds() -> None:
    districts = [District(district_id="BU1", dwellings=400, gas_m3_per_dwelling=1500, deadline_year=2035),
                 District(district_id="BU2", dwellings=400, gas_m3_per_dwelling=1500)]
    p = _plan(districts, {"gas_saved_share": {2050: 1.0}})
    assert p.heat is not None and [r.year for r in p.heat.districts] == [2030, 2050]
    (d,) = p.heat.deadlines
    assert d.met and d.binding and d.year == 2030


def test_checker_catches_a_plan_over_capacity_and_an_unreported_missed_deadline() -> None:
    districts = [District(district_id=f"BU{k}", gemeente="GM0160", dwellings=400, gas_m3_per_dwelling=1500,
                          deadline_year=2040 if k == 0 else None) for k in range(4)]
    sc = Scenario(name="t", heat={"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 100})
    p = run_plan([], sc, districts)
    assert isinstance(p, Plan) and p.heat is not None and check_heat_plan(districts, sc, p) == []
    # every district in 2050: 1,600 dwellings against 100/yr × 10 yr = 1,000
    rows = [r.model_copy(update={"year": 2050}) for r in p.heat.districts]
    years = [y.model_copy(update={"dwellings_new": 1600 if y.year == 2050 else 0,
                                  "dwellings_converted": 1600 if y.year == 2050 else 0}) for y in p.heat.years]
    over = p.model_copy(update={"heat": p.heat.model_copy(update={"districts": rows, "years": years})})
    problems = check_heat_plan(districts, sc, over)
    assert any("GM0160: 1600 dwellings convert in the period to 2050, over the capacity 100/yr × 10 yr" in m
               for m in problems)
    assert any("BU0: converts by 2050 against its deadline 2040, reported as met" in m for m in problems)
    assert any("deadlines missed (BU0) but the status is optimal" in m for m in problems)
    stale = p.model_copy(update={"heat": p.heat.model_copy(update={"deadlines": []})})
    assert any("BU0: deadline 2040 not in the plan's deadlines" in m for m in check_heat_plan(districts, sc, stale))


def _error(districts: list[District], heat: dict[str, object]) -> str:
    with pytest.raises(InputError) as info:
        run_plan([], Scenario(name="t", heat=heat), districts)
    return str(info.value)


def test_deadlines_that_no_plan_can_meet_are_input_errors() -> None:
    heat = {"gas_saved_share": {2050: 1.0}}
    early = District(district_id="BU_EARLY", dwellings=10, gas_m3_per_dwelling=1000, deadline_year=2028)
    late = District(district_id="BU_LATE", dwellings=10, gas_m3_per_dwelling=1000, deadline_year=2040,
                    earliest_year=2045)
    gap = District(district_id="BU_GAP", dwellings=10, gas_m3_per_dwelling=1000, deadline_year=2038,
                   earliest_year=2032)
    text = _error([early, late, gap], heat)
    assert "3 start district(s) cannot meet their deadline" in text
    assert "BU_EARLY: deadline_year 2028 is before the first period 2030; add a period ≤ 2028" in text
    assert "BU_LATE: deadline_year 2040 is before its earliest_year 2045" in text
    assert "BU_GAP: no period between its earliest_year 2032 and its deadline_year 2038" in text
    stuck = District(district_id="BU_STUCK", dwellings=10, gas_m3_per_dwelling=1000, deadline_year=2030)
    text = _error([stuck], {**heat, "forbid": ["green_gas_boiler", "green_gas_hybrid", "all_electric"]})
    assert "BU_STUCK: a deadline but no eligible strategy (all_electric: forbidden by the scenario; heat_network_ht: no suitable heat source" in text
    assert "remove the deadline" in text


def test_bad_capacity_keys() -> None:
    d = [District(district_id="BU1", gemeente="GM0160", dwellings=10, gas_m3_per_dwelling=1000)]
    text = _error(d, {"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr_by_gemeente": {"GM0106": 100}})
    assert "max_dwellings_per_yr_by_gemeente names municipalities no district has: GM0106" in text
    assert "(GM0160)" in text
    with pytest.raises(ValueError, match="conversion_start_year 2030 must be before the first period 2030"):
        HeatSettings.model_validate({"conversion_start_year": 2030})
    s = HeatSettings.model_validate({"max_dwellings_per_yr": 1500, "max_dwellings_per_yr_by_gemeente": {"GM0160": 1200}})
    assert s.period_years() == [(2030, 5), (2040, 10), (2050, 10)]
    assert s.dwellings_per_yr("GM0160") == 1200 and s.dwellings_per_yr("GM0141") == 1500


def test_deadline_year_is_read_from_our_own_csv(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("district_id,gemeente,dwellings,gas_m3_per_dwelling,deadline_year\n"
                    "BU01410001,GM0141,600,1300,2030\nBU01410002,GM0141,400,1300,\n", encoding="utf-8")
    ds = read_districts(path)
    assert [d.deadline_year for d in ds.districts] == [2030, None]


def test_heat_shortfall_with_the_electricity_target_met_passes_the_checks() -> None:
    """A one-year plan whose electricity target is met and whose gas target capacity cannot reach is a
    shortfall the checkers accept (the electricity checker alone would call it a false alarm)."""
    from models import RooftopSolar

    roofs = [RooftopSolar(site_id="R1", status="candidate", capacity_mw=20.0, cost_meur=5.0)]
    districts = [District(district_id=f"BU{k}", gemeente="GM0160", dwellings=400, gas_m3_per_dwelling=1500)
                 for k in range(4)]
    sc = Scenario.model_validate({"name": "t", "targets": {"electricity_gwh": 5.0},
                                  "heat": {"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 40}})
    p = run_plan(roofs, sc, districts)
    assert isinstance(p, Plan) and p.heat is not None and p.status is PlanStatus.SHORTFALL
    assert p.targets["electricity"].shortfall_gwh == 0 and p.heat.gas_targets[-1].shortfall_mm3 > 0


def test_a_missed_deadline_alone_makes_a_phased_plan_short() -> None:
    from models import RooftopSolar

    roofs = [RooftopSolar(site_id="R1", status="candidate", capacity_mw=20.0, cost_meur=5.0)]
    districts = [District(district_id="BU1", gemeente="GM0160", dwellings=900, gas_m3_per_dwelling=1500,
                          deadline_year=2030)]
    sc = Scenario.model_validate({"name": "t", "targets": {"2030": {"electricity_gwh": 5.0},
                                                           "2050": {"electricity_gwh": 6.0}},
                                  "heat": {"gas_saved_share": {2050: 1.0}, "max_dwellings_per_yr": 100}})
    p = run_plan(roofs, sc, districts)
    assert p.status is PlanStatus.SHORTFALL and p.heat is not None
    assert [g.shortfall_mm3 for g in p.heat.gas_targets] == [0.0]
    # missed by one period or two weighs the same; discounting then puts it in the last period
    assert not p.heat.deadlines[0].met and p.heat.deadlines[0].year == 2050


def test_docstring_examples_of_the_new_families_run() -> None:
    import doctest

    import energie.model.contributions
    import sites.rural

    for module in (energie.model.contributions, sites.rural):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
