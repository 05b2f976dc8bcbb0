"""Sweeps: range parsing, picklable runs, parallel = serial, properties along a sweep, CSV/PNG, CLI."""

from __future__ import annotations

import csv
import io
import pickle
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.facts.accounting import capital_recovery_factor
from energie.planner.plans import plan
from energie.reports.sweep import CSV_COLUMNS, save_sweep_chart, sweep_csv, sweep_text
from energie.scenarios.sweep import (
    MAX_POINTS, TARGET_KEY, SweepRow, parse_range, run_sweep, summarise, sweep_runs, sweep_scenarios,
    with_marginals,
)
from energie.scenarios.sweep_runs import ScenarioRun, run_scenario
from models import InputError, PlanStatus
from sites.inputs import example_inputs
from tests.conftest import check_snapshot
from tests.instances import scenario, small_sites

runner = CliRunner()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MEETS = (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)


@pytest.fixture(scope="module")
def hb():
    return example_inputs("hardenberg")


@pytest.fixture(scope="module")
def hb_sweep(hb):
    """380:460:20 on Hardenberg with two workers: four points met, one shortfall (max 449.6 GWh)."""
    values = parse_range("380:460:20")
    runs = sweep_runs(hb.sites, hb.scenario, TARGET_KEY, values)
    return values, runs, run_sweep(runs, workers=2)


# --------------------------------------------------------------------------- parse_range


@pytest.mark.parametrize("text, expected", [
    ("200:300:50", [200.0, 250.0, 300.0]),
    ("200:310:50", [200.0, 250.0, 300.0]),        # STOP off the grid: not included
    (" 0 : 1 : 0.1 ", [round(0.1 * i, 10) for i in range(11)]),  # 0.1 steps land on 1.0 exactly
    ("5:5:1", [5.0]),
    ("-1:1:1", [-1.0, 0.0, 1.0]),
    ("0.5:2:0.5", [0.5, 1.0, 1.5, 2.0]),
])
def test_parse_range(text, expected):
    assert parse_range(text) == expected


def test_parse_range_200_600_25_is_inclusive():
    values = parse_range("200:600:25")
    assert len(values) == 17 and values[0] == 200 and values[-1] == 600


@pytest.mark.parametrize("text, message", [
    ("200:600", "START:STOP:STEP"),
    ("200:600:25:5", "START:STOP:STEP"),
    ("a:600:25", "START 'a' is not a number"),
    ("200:600:x", "STEP 'x' is not a number"),
    ("200:nan:25", "finite"),
    ("200:600:0", "STEP must be above 0"),
    ("200:600:-25", "STEP must be above 0"),
    ("600:200:25", "below START"),
    (f"0:{MAX_POINTS}:1", "more than 500"),
])
def test_parse_range_errors(text, message):
    with pytest.raises(InputError, match=message):
        parse_range(text, "--target-gwh")


def test_max_points_is_allowed():
    assert len(parse_range(f"1:{MAX_POINTS}:1")) == MAX_POINTS


# --------------------------------------------------------------------------- scenarios and runs


def test_param_values_are_validated_like_set(hb):
    scens = sweep_scenarios(hb.scenario, "lik.veenontginning.max_turbines", [5.0, 6.0])
    assert [s.lik["veenontginning"].max_turbines for s in scens] == [5, 6]
    assert sweep_scenarios(hb.scenario, TARGET_KEY, [300.0])[0].targets.electricity_gwh == 300.0
    with pytest.raises(InputError, match="max_turbines") as err:
        sweep_scenarios(hb.scenario, "lik.veenontginning.max_turbines", [5.5])
    assert "fractional" in str(err.value)
    with pytest.raises(InputError, match="unknown key"):
        sweep_scenarios(hb.scenario, "lik.veenontginning.max_turbine", [5.0])


def test_a_phased_scenario_sweeps_the_target_of_one_year(hb):
    phased = hb.scenario.model_copy(update={"targets": type(hb.scenario.targets).model_validate(
        {"2030": {"electricity_gwh": 434}, "2040": {"multiple_of": 2030, "factor": 1.01}})})
    with pytest.raises(InputError, match="--year"):
        sweep_scenarios(phased, TARGET_KEY, [1.0])       # which year's target? it must be named
    runs = sweep_runs(hb.sites, phased, TARGET_KEY, [440.0, 445.0], year=2040)
    assert [r.scenario.targets.years[2040].electricity_gwh for r in runs] == [440.0, 445.0]
    rows = [run_scenario(r) for r in runs]
    assert all(p.targets["electricity"].target_gwh in (440.0, 445.0) for p in rows)   # the 2040 plan
    assert rows[0].objective_meur <= rows[1].objective_meur + 1e-6
    assert [len(sweep_scenarios(phased, "objective.landscape_weight", [1.0, 2.0]))] == [2]


def test_scenario_run_pickles_and_equals_plan(hb):
    run = sweep_runs(hb.sites, hb.scenario, TARGET_KEY, [400.0])[0]
    back = pickle.loads(pickle.dumps(run))
    assert isinstance(back, ScenarioRun) and back == run
    assert pickle.loads(pickle.dumps(run_scenario)) is run_scenario  # pickled by name: pool/cluster-ready
    got = run_scenario(back)
    want = plan(hb.sites, run.scenario)
    times = {"solve_time_s": 0.0, "build_time_s": 0.0}
    assert got.model_copy(update=times) == want.model_copy(update=times)


def test_two_workers_equal_one_point_by_point(hb, hb_sweep):
    values, runs, parallel = hb_sweep
    calls = []
    serial = run_sweep(runs, workers=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, len(runs)) for i in range(1, len(runs) + 1)]
    assert len(parallel) == len(serial) == len(values)
    for v, a, b in zip(values, parallel, serial):
        assert a.plan is not None and b.plan is not None
        assert a.plan.targets["electricity"].target_gwh == v  # input order, whatever finished first
        assert (a.plan.status, a.plan.selected) == (b.plan.status, b.plan.selected)
        assert a.plan.objective_meur == pytest.approx(b.plan.objective_meur, abs=1e-9)


def _check_sweep_properties(plans, gap_rel):
    for a, b in pairwise(plans):
        if a.status is PlanStatus.SHORTFALL:
            assert b.status is PlanStatus.SHORTFALL  # a shortfall is never followed by a plan that meets
        if a.status is PlanStatus.OPTIMAL and b.status is PlanStatus.OPTIMAL:
            # cost never decreases as the target rises (within the solver's gap tolerance)
            assert b.objective_meur >= a.objective_meur * (1 - gap_rel) - 1e-6


def test_properties_along_the_hardenberg_sweep(hb, hb_sweep):
    _, _, points = hb_sweep
    plans = [p.plan for p in points]
    assert [p.status for p in plans] == [PlanStatus.OPTIMAL] * 4 + [PlanStatus.SHORTFALL]
    _check_sweep_properties(plans, hb.scenario.solver.gap_rel)


@pytest.mark.parametrize("seed", range(4))
def test_properties_along_small_sweeps(seed):
    sites = small_sites(14, seed)
    runs = sweep_runs(sites, scenario(None), TARGET_KEY, parse_range("0:120:15"))
    plans = [p.plan for p in run_sweep(runs, workers=1)]
    _check_sweep_properties(plans, 0.0)
    reach = [p for p in plans if p.status is PlanStatus.SHORTFALL]
    assert all(p.max_reachable_gwh == pytest.approx(reach[0].max_reachable_gwh) for p in reach)


# --------------------------------------------------------------------------- marginal cost


def _row(value, status, achieved, cost):
    return SweepRow(value, value, status, achieved, 0.0, cost, cost, 0.0, 1, 0.0, 0, 0.0, 0.0)


def test_marginal_cost_definition():
    rows = with_marginals([
        _row(100, "optimal", 120.0, 0.0),     # first point: no predecessor
        _row(130, "optimal", 120.0, 0.0),     # yield unchanged: undefined
        _row(160, "optimal", 160.0, 20.0),    # 20 M€ for 40 GWh/yr
        _row(190, "feasible", 190.0, 26.0),
        _row(220, "shortfall", 200.0, 30.0),  # beyond the maximum: none
    ], rate=0.04, years=25)
    m = [r.marginal_meur_per_gwh for r in rows]
    assert m[:2] == [None, None] and m[4] is None
    assert m[2] == pytest.approx(0.5) and m[3] == pytest.approx(0.2)
    crf = capital_recovery_factor(0.04, 25)
    assert crf == pytest.approx(0.0640, abs=1e-4)
    assert rows[2].marginal_eur_per_mwh == pytest.approx(20.0 * 1e6 * crf / (40.0 * 1000))
    assert with_marginals(rows, rate=0.0, years=20)[2].marginal_eur_per_mwh == pytest.approx(0.5 * 1e3 / 20)


# --------------------------------------------------------------------------- outputs


def _summary(hb, hb_sweep):
    values, _, points = hb_sweep
    return summarise(hb.scenario, TARGET_KEY, "380:460:20", values, points, workers=2, wall_s=1.0)


def test_report_fits_100_columns_and_marks_shortfall(hb, hb_sweep):
    text = sweep_text(_summary(hb, hb_sweep), show_times=False)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "shortfall" in text and "SHORTFALL at 1 point (460 and up)" in text
    assert "25 years at 4.0 % real" in text


def test_csv_has_one_row_per_point(hb, hb_sweep):
    rows = list(csv.DictReader(io.StringIO(sweep_csv(_summary(hb, hb_sweep)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {"target_gwh", "achieved_gwh", "cost_meur", "marginal_eur_per_mwh", "area_ha", "turbines",
            "status"} <= set(CSV_COLUMNS)
    assert [float(r["target_gwh"]) for r in rows] == [380, 400, 420, 440, 460]
    assert [r["status"] for r in rows] == ["optimal"] * 4 + ["shortfall"]
    assert rows[0]["marginal_eur_per_mwh"] == "" and float(rows[1]["marginal_eur_per_mwh"]) > 0
    assert rows[-1]["marginal_eur_per_mwh"] == ""


def test_chart_is_a_png(hb, hb_sweep, tmp_path):
    path = tmp_path / "sweep.png"
    save_sweep_chart(_summary(hb, hb_sweep), path)
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 10_000


# --------------------------------------------------------------------------- CLI


def test_cli_sweep_writes_table_csv_and_png(tmp_path):
    out_csv, out_png = tmp_path / "sweep.csv", tmp_path / "sweep.png"
    args = ["sweep", "--example", "hardenberg", "--target-gwh", "380:460:20", "--csv", str(out_csv),
            "--png", str(out_png), "--workers", "2", "--solver", "cbc", "--no-color", "--no-times"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output  # a shortfall point is reported, not an error
    check_snapshot("sweep_hardenberg.txt", "".join(line.rstrip() + "\n" for line in r.stdout.splitlines()))
    assert len(out_csv.read_text().splitlines()) == 1 + 5
    assert out_png.read_bytes()[:8] == PNG_MAGIC

    before = out_csv.read_bytes()
    r = runner.invoke(app, args)  # outputs exist, no --force
    assert r.exit_code == 2 and "--force" in r.output and "Traceback" not in r.output
    assert out_csv.read_bytes() == before
    r = runner.invoke(app, [*args, "--force", "--workers", "1"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("args, message", [
    (["--target-gwh", "600:200:25"], "below START"),
    (["--target-gwh", "200-600"], "START:STOP:STEP"),
    (["--target-gwh", "200:600:25", "--param", "objective.landscape_weight"], "not both"),
    (["--param", "objective.landscape_weight"], "--values"),
    (["--param", "policy.no_such_key", "--values", "1:2:1"], "unknown key"),
    (["--target-gwh", "200:600:25", "--workers", "0"], "--workers"),
    (["--target-gwh", "200:600:25", "--discount-rate", "4"], "fraction"),
])
def test_cli_sweep_bad_input_exits_2(args, message):
    r = runner.invoke(app, ["sweep", "--example", "hardenberg", *args])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


def test_cli_sweep_any_scenario_key():
    r = runner.invoke(app, ["sweep", "--example", "hardenberg", "--param", "lik.veenontginning.max_turbines",
                            "--values", "8:10:1", "--workers", "1", "--no-color"])
    assert r.exit_code == 0, r.output
    assert "Sweep of lik.veenontginning.max_turbines" in r.stdout and "€/MWh" not in r.stdout


def test_docstring_examples_run():
    import doctest

    import energie.scenarios.sweep

    result = doctest.testmod(energie.scenarios.sweep)
    assert result.failed == 0 and result.attempted >= 3


def test_report_names_the_engine():
    """The timing note says which engine ran the points."""
    from energie.reports.rich_tables import render_to_text
    from energie.reports.sweep import render_sweep
    from energie.scenarios.sweep import summarise
    from models import Scenario

    sc = Scenario(name="x")
    local = render_to_text(render_sweep(summarise(sc, "targets.electricity_gwh", "1:2:1", [], [], 2, 1.0),
                                        show_times=True))
    dask = render_to_text(render_sweep(summarise(sc, "targets.electricity_gwh", "1:2:1", [], [], 2, 1.0,
                                                 engine="dask"), show_times=True))
    assert "2 worker processes" in local and "2 Dask workers" in dask
