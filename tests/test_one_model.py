"""The one problem over years × municipalities × heat districts: brute force = MILP, checker mutations.

The brute force enumerates every final set of candidates that the rules admit (``feasible_subsets``,
a third implementation of the rules) and every assignment of heat options to districts. With a zero
discount rate and sites that may be built from their ``year`` on, a final set is feasible when, in
every target year, the sites available by then meet the region's target plus the heat plan's
electricity by then and every municipality's own share; the gas targets and the green-gas cap are
checked per year. Its least objective must equal the MILP's (both solvers). With ``years`` the
instance adds a conversion capacity per municipality and a start district with a deadline.
"""

from __future__ import annotations

import itertools
import random

import pytest

from energie.check.heat import check_heat
from energie.check.phasing import check_phased_plan
from energie.model.horizon import prepare_horizon
from energie.planner.pipeline import run_plan
from models import PlanStatus, Scenario
from models.heat import District
from models.phasing import PhasedPlan
from tests.instances import RULES, feasible_subsets, site_yield, small_sites

TOWNS = ("GM0001", "GM0002")
YEARS = (2030, 2050)


def combined_instance(seed: int, solver: str, years: bool = False):
    rng = random.Random(seed)
    sites = []
    for k, s in enumerate(small_sites(9, seed)):
        year = rng.choice([None, None, 2040]) if not s.is_locked_in else rng.choice([None, 2035])
        sites.append(s.model_copy(update={"gemeente": TOWNS[k % 2], "year": year}))
    districts = [District(district_id=f"BU{k}", dwellings=rng.randint(200, 900), gas_m3_per_dwelling=1400,
                          gemeente=TOWNS[k % 2], area_ha=rng.uniform(10, 60),
                          deadline_year=2040 if years and k == 0 else None) for k in range(2)]
    capacity = {"max_dwellings_per_yr": rng.choice([60, 100]),
                "max_dwellings_per_yr_by_gemeente": {TOWNS[1]: 120}} if years else {}
    base = rng.uniform(4.0, 14.0)
    sc = Scenario.model_validate({
        "name": "combined", "targets": {"2030": {"electricity_gwh": base},
                                        "2050": {"multiple_of": 2030, "factor": rng.choice([1.2, 1.6])}},
        "policy": {"solar_on_land": "nee_tenzij", "zonneladder": "off", "min_turbine_distance_m": 400},
        "lik": RULES, "solver": {"name": solver, "gap_rel": 0.0, "time_limit_s": 60},
        "municipalities": {TOWNS[0]: {"electricity_gwh": round(base * 0.3, 3), "existing_gwh": 0.5},
                           TOWNS[1]: {"electricity_gwh_by_year": {2050: round(base * 0.4, 3)}}},
        "heat": {"periods": [2030, 2040, 2050], "gas_saved_share": {2030: 0.2, 2050: 1.0},
                 "electricity_coupling": "add_heat_demand", **capacity},
    })
    return sites, districts, sc


def _available(site, year: int) -> bool:
    return site.year is None or site.year <= year


def _years_ok(chosen, hd) -> bool:
    """Every start district converted by its deadline; each municipality's period within its capacity."""
    s = hd.settings
    for k, d in enumerate(hd.districts):
        if d.deadline_year is not None and not any(o.district == k and o.year <= d.deadline_year for o in chosen):
            return False
    start = s.conversion_start_year
    for year in s.periods:
        for town in {d.gemeente for d in hd.districts}:
            rate = s.max_dwellings_per_yr_by_gemeente.get(town, s.max_dwellings_per_yr)
            n = sum(hd.districts[o.district].dwellings for o in chosen
                    if o.year == year and hd.districts[o.district].gemeente == town)
            if rate is not None and n > rate * (year - start):
                return False
        start = year
    return True


def brute_force(sites, districts, sc) -> float | None:
    """The least objective over every admissible final set and heat assignment, or ``None``."""
    h = prepare_horizon(sites, sc, districts)
    hd = h.heat
    assert hd is not None
    per_district = [[None] + [o for o in hd.options if o.district == d] for d in range(len(hd.districts))]
    heat_plans = []
    for combo in itertools.product(*per_district):
        chosen = [o for o in combo if o is not None]
        ok = all(sum(o.facts.gas_saved_m3 for o in chosen if o.year <= y) / 1e6 >= hd.target_mm3(y) - 1e-9
                 for y in hd.settings.gas_saved_share)
        ok &= all(sum(o.facts.green_gas_m3 for o in chosen if o.year <= y) <= hd.green_gas_cap_m3 + 1e-6
                  for y in hd.periods)
        if ok and _years_ok(chosen, hd):
            heat_plans.append((chosen, sum(o.objective_meur for o in chosen)))
    best = None
    existing = {g: m.existing_gwh for g, m in sc.municipalities.items()}
    resolved = {t.year: t.target_gwh for t in sc.targets.resolved()}
    for chosen, _, cost in feasible_subsets(sites, sc):
        for heat, heat_cost in heat_plans:
            ok = True
            for year in YEARS:
                in_op = [s for s in sites if s.is_locked_in and _available(s, year)]
                in_op += [c for c in chosen if _available(c, year)]
                added = sum(o.facts.electricity_gwh for o in heat if o.year <= year)
                total = sum(site_yield(s, sc) for s in in_op) + sum(existing.values())
                ok &= total >= resolved[year] + added - 1e-9
                for g in TOWNS:
                    share = sc.municipal_target_gwh(g, year)
                    inside = sum(site_yield(s, sc) for s in in_op if s.gemeente == g) + existing.get(g, 0.0)
                    ok &= share is None or inside >= share - 1e-9
            # a candidate available only after the last year could never be built
            ok &= all(_available(c, YEARS[-1]) for c in chosen)
            if ok and (best is None or cost + heat_cost < best - 1e-12):
                best = cost + heat_cost
    return best


@pytest.mark.parametrize("solver", ["cbc", "highs"])
@pytest.mark.parametrize("seed", range(6))
def test_combined_milp_equals_brute_force(seed, solver):
    sites, districts, sc = combined_instance(seed, solver)
    expected = brute_force(sites, districts, sc)
    p = run_plan(sites, sc, districts)
    assert isinstance(p, PhasedPlan) and p.heat is not None
    if expected is None:
        assert p.status is PlanStatus.SHORTFALL
    else:
        assert p.status is PlanStatus.OPTIMAL
        assert p.objective_meur == pytest.approx(expected, abs=1e-6)
    # every year's plan holds each municipality's share of that year
    for q in p.periods:
        assert {m.gemeente for m in q.plan.municipalities} >= set(TOWNS)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
@pytest.mark.parametrize("seed", range(4))
def test_combined_with_capacity_and_a_deadline_milp_equals_brute_force(seed, solver):
    sites, districts, sc = combined_instance(seed, solver, years=True)
    expected = brute_force(sites, districts, sc)
    p = run_plan(sites, sc, districts)
    assert isinstance(p, PhasedPlan) and p.heat is not None and p.heat.capacity and p.heat.deadlines
    if expected is None:
        assert p.status is PlanStatus.SHORTFALL
    else:
        assert p.status is PlanStatus.OPTIMAL and p.heat.deadlines[0].met
        assert p.objective_meur == pytest.approx(expected, abs=1e-6)


def test_some_combined_instances_are_feasible_and_some_short():
    """The brute-force instances exercise both outcomes (else the comparison above proves little)."""
    outcomes = {brute_force(*combined_instance(seed, "highs")) is None for seed in range(6)}
    assert outcomes == {True, False}


def _solved(seed: int = 0):
    for s in range(seed, seed + 20):
        sites, districts, sc = combined_instance(s, "highs")
        p = run_plan(sites, sc, districts)
        if p.status is PlanStatus.OPTIMAL and any(q.built for q in p.periods) and p.heat and any(
                r.strategy for r in p.heat.districts):
            return sites, districts, sc, p
    raise AssertionError("no feasible combined instance among 20 seeds")


def test_checker_catches_a_broken_municipal_row():
    sites, districts, sc, p = _solved()
    assert check_phased_plan(sites, sc, p) == []
    q = p.periods[-1]
    rows = [m.model_copy(update={"achieved_gwh": m.achieved_gwh + 1.0}) if m.gemeente == TOWNS[0] else m
            for m in q.plan.municipalities]
    broken = p.model_copy(update={"periods": [*p.periods[:-1], q.model_copy(update={
        "plan": q.plan.model_copy(update={"municipalities": rows})})]})
    assert any("municipality GM0001" in msg for msg in check_phased_plan(sites, sc, broken))


def test_checker_catches_a_coupled_target_that_ignores_the_heat_plan():
    sites, districts, sc, p = _solved()
    targets = {t.year: (t.target_gwh, t.target_gwh) for t in sc.targets.resolved()}  # as if heat added nothing
    problems = check_heat(districts, sc, p.heat, p.status, targets)
    added_by_2050 = sum(r.electricity_added_gwh for r in p.heat.districts if r.year)
    assert added_by_2050 > 0 and any("coupled electricity target" in msg for msg in problems)


def test_checker_catches_a_site_that_does_not_stay():
    sites, districts, sc, p = _solved()
    first = next(q for q in p.periods if q.built)
    later = [q for q in p.periods if q.year > first.year]
    if not later:
        pytest.skip("everything is built in the last period")
    gone = first.built[0]
    q = later[0]
    plan = q.plan.model_copy(update={"selected": [s for s in q.plan.selected if s != gone]})
    broken = p.model_copy(update={"periods": [q2.model_copy(update={"plan": plan}) if q2.year == q.year else q2
                                              for q2 in p.periods]})
    assert any("must stay" in msg for msg in check_phased_plan(sites, sc, broken))


def test_example_2030_2050_with_heat_plans_both_years_in_one_problem(tmp_path):
    """`energie example hardenberg --dir` writes the whole question; `energie plan` answers it at once:
    2030 met, 2050 (double) short with its maximum, heat pumps raising each year's target."""
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    d = tmp_path / "hb"
    assert runner.invoke(app, ["example", "hardenberg", "--dir", str(d)]).exit_code == 0
    out = tmp_path / "plan.json"
    r = runner.invoke(app, ["plan", "--sites", str(d / "sites.gpkg"), "--scenario", str(d / "scenario-2030-2050.toml"),
                            "--no-color", "--json", str(out)])
    assert r.exit_code == 1, r.output                      # 2050: the example's land cannot give 868 GWh
    assert "2050: the target cannot be met" in r.output and "heat plan" in r.output
    import json

    doc = json.loads(out.read_text())
    assert doc["years"] == [2030, 2050] and doc["targets"]["2030"]["shortfall"] == 0
    couplings = {c["year"]: c for c in doc["heat"]["couplings"]}
    assert couplings[2050]["target_gwh"] > couplings[2050]["base_target_gwh"] == pytest.approx(868.0)
    assert all(r["strategy"] for r in doc["heat"]["districts"])  # every home aardgasvrij by 2050


def test_whatif_on_the_combined_problem_scales_every_year_and_share_alike():
    from energie.scenarios.compare import HorizonComparison
    from energie.scenarios.whatif import WhatIf, run_whatif

    sites, districts, sc, _ = _solved()
    c = run_whatif(sites, sc, WhatIf(target_scale=0.5), districts=districts)
    assert isinstance(c, HorizonComparison) and [y for y, _ in c.years] == list(YEARS)
    for (year, yc), q in zip(c.years, c.variant.periods, strict=True):
        assert q.target.target_gwh == pytest.approx(0.5 * next(t.target_gwh for t in sc.targets.resolved()
                                                               if t.year == year))
        shares = {m.gemeente: m.target_gwh for m in yc.variant.municipalities}
        for g in TOWNS:
            base = sc.municipal_target_gwh(g, year)
            assert shares[g] == (None if base is None else pytest.approx(0.5 * base))
    assert c.variant.objective_meur <= c.base.objective_meur + 1e-6   # a lower target never costs more
    one = run_whatif(sites, sc, WhatIf(target_scale=0.5, year=2050), districts=districts)
    assert one.variant.periods[0].target.target_gwh == pytest.approx(c.base.periods[0].target.target_gwh)


def test_whatif_lists_districts_whose_strategy_changed():
    from energie.scenarios.compare import district_changes
    from energie.scenarios.whatif import WhatIf, run_whatif

    sites, districts, sc, p = _solved()
    forbidden = sorted({r.strategy for r in p.heat.districts if r.strategy})[0]
    c = run_whatif(sites, sc, WhatIf(assignments=[f'heat.forbid=["{forbidden}"]']), districts=districts)
    changed = {ch.district_id for ch in c.district_changes}
    assert changed == {r.district_id for r in p.heat.districts if r.strategy == forbidden}
    assert district_changes(p.heat, p.heat) == []


def test_explain_on_the_combined_problem_prices_each_year():
    from energie.scenarios.explain import explain

    sites, districts, sc, p = _solved()
    e = explain(sites, sc, districts=districts)
    assert e.baseline.objective_meur == pytest.approx(p.objective_meur)
    assert [t.year for t in e.targets_by_year] == list(YEARS)
    for t in e.targets_by_year:
        assert t.step_cost_meur_per_gwh is None or t.step_cost_meur_per_gwh >= -1e-6
    for price in e.prices:   # relaxing a site rule never makes the combined plan dearer (zonneladder off)
        assert price.saving_meur is None or price.saving_meur >= -1e-6, price
    binding_shares = {f"municipal_target[{m.gemeente},{q.year}]" for q in p.periods for m in q.plan.municipalities
                      if m.target_gwh is not None and any(r.rule == f"municipal_target[{m.gemeente}]" and r.binding
                                                          for r in q.plan.rules)}
    assert binding_shares <= {price.rule for price in e.prices}


def test_alternatives_on_the_combined_problem_differ_and_respect_the_cap():
    from energie.scenarios.alternatives import generate_alternatives

    sites, districts, sc, p = _solved()
    r = generate_alternatives(sites, sc, k=2, slack=0.3, districts=districts)
    assert isinstance(r.optimum_result, PhasedPlan)
    assert r.optimum_result.objective_meur == pytest.approx(p.objective_meur)
    seen = [set(r.optimum.selected)]
    for a in r.alternatives:
        assert isinstance(a.result, PhasedPlan) and a.result.heat is not None
        assert a.result.objective_meur <= r.cost_cap_meur + 1e-6
        chosen = set(a.plan.selected)
        assert min(len(chosen ^ s) for s in seen) == a.min_distance >= 1
        seen.append(chosen)
        # the checkers ran inside; the alternative meets every year's target and share as the optimum does
        assert a.result.status is PlanStatus.OPTIMAL or a.result.status is PlanStatus.FEASIBLE


def test_geopackage_of_the_combined_plan_has_every_year_and_the_districts(tmp_path):
    import pyogrio

    from energie.reports.horizon import horizon_layers
    from sites.writer import write_gpkg

    sites, districts, sc, p = _solved()
    out = tmp_path / "plan.gpkg"
    write_gpkg(out, horizon_layers(p, sites, districts))
    towns = pyogrio.read_dataframe(out, layer="plan_municipalities")
    assert sorted(set(zip(towns["gemeente"], towns["year"]))) == sorted(
        (g, y) for g in {m.gemeente for m in p.periods[0].plan.municipalities} for y in YEARS)
    frame = pyogrio.read_dataframe(out, layer="plan_sites")
    assert set(frame["in_operation_from"].dropna()) <= set(YEARS)
    assert len(pyogrio.read_dataframe(out, layer="plan_districts")) == len(districts)


def test_phased_plan_as_a_table_and_its_json_target_used(tmp_path):
    from energie.reports.horizon import horizon_to_json

    sites, districts, sc, p = _solved()
    frame = p.to_frame()
    assert set(frame["site_id"]) == {s.site_id for s in p.periods[-1].plan.sites}
    assert set(frame["in_operation_from"].dropna()) <= set(YEARS)
    assert set(p.to_frame(year=YEARS[0])["site_id"]) == {s.site_id for s in p.periods[0].plan.sites}
    with pytest.raises(ValueError, match="not a target year"):
        p.plan_in(2040)
    doc = horizon_to_json(p)
    for q in p.periods:
        used = doc["targets"][str(q.year)]["target_used"]
        assert used == pytest.approx(q.plan.targets["electricity"].target_gwh)
        assert doc["targets"][str(q.year)]["shortfall"] == pytest.approx(max(0.0, used - q.achieved_gwh))


def test_explain_on_a_short_horizon_reports_the_shortfall_each_relaxation_closes():
    from energie.planner.pipeline import run_plan as plan_any
    from energie.scenarios.explain import explain, total_shortfall_gwh

    for seed in range(20):
        sites, districts, sc = combined_instance(seed, "highs")
        e = explain(sites, sc, districts=districts)
        if e.baseline.status is not PlanStatus.SHORTFALL:
            continue
        short = total_shortfall_gwh(e.baseline)
        assert short > 0
        drops = [p for p in e.prices if p.rule.startswith("municipal_target[")]
        for p in drops:  # dropping a share: recomputed from the relaxed plan, and never negative here
            assert p.extra_reachable_gwh is not None and p.extra_reachable_gwh >= -1e-6, (seed, p)
        again = explain(sites, sc, districts=districts)
        assert [(p.rule, p.extra_reachable_gwh) for p in again.prices] == [
            (p.rule, p.extra_reachable_gwh) for p in e.prices]  # deterministic
        assert plan_any(sites, sc, districts).status is PlanStatus.SHORTFALL
        return
    pytest.fail("no short combined instance among 20 seeds")


def test_validate_refuses_what_plan_would_refuse(tmp_path):
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    d = tmp_path / "hb"
    assert runner.invoke(app, ["example", "hardenberg", "--dir", str(d)]).exit_code == 0
    districts = tmp_path / "d.csv"
    districts.write_text("district_id,name,gemeente,dwellings,gas_m3_per_dwelling,deadline_year\n"
                         "BU1,Een,GM0160,300,1400,2025\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", "--sites", str(d / "sites.gpkg"), "--scenario",
                            str(d / "scenario-2030-2050.toml"), "--districts", str(districts)])
    assert r.exit_code == 2 and "BU1: deadline_year 2025 is before the first period" in r.output
    assert "inputs are valid" not in r.output
    r = runner.invoke(app, ["validate", "--sites", str(d / "sites.gpkg"), "--scenario",
                            str(d / "scenario-2030-2050.toml")])
    assert r.exit_code == 0 and "districts ([heat]): 21" in r.output
