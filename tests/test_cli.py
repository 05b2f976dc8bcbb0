"""The ``energie`` command through ``typer.testing.CliRunner``: exit codes, messages, output files.

Exit codes: 0 plan found, 1 shortfall (or solver failure), 2 bad input or options. Every bad
input of the corpus (``tests/make_bad_inputs.py``) must exit 2 with a message naming the
problem and no traceback. Solvers run for real (HiGHS and CBC) on the 5-site corpus fixture.

Tests marked xfail document known library bugs; the reason says what goes wrong.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from energie.planner.plans import plan_inputs
from sites.inputs import load_inputs
from tests.make_bad_inputs import (
    BAD_CASES,
    BAD_DIR,
    CASE_BY_NAME,
    GOOD_CASES,
    GOOD_SCENARIO,
    GOOD_SCENARIO_TEXT,
    GOOD_SITES,
    Case,
)

GOOD = ("--sites", str(BAD_DIR / GOOD_SITES), "--scenario", str(BAD_DIR / GOOD_SCENARIO))
HAS_HARDENBERG = importlib.util.find_spec("sites.catalog.hardenberg") is not None
needs_hardenberg = pytest.mark.skipif(not HAS_HARDENBERG, reason="sites/catalog/hardenberg.py not written yet")
JSON_KEYS = {"status", "objective", "gap", "bound", "solver", "selected", "yield_gwh_total", "targets", "by_lik",
             "by_kind", "binding"}
OLD_NS = 1_000_000_000 * 10**9  # 2001-09-09, an mtime no run can produce


def run(*args: object) -> Result:
    """Invoke ``energie`` in-process. An exception the CLI did not turn into an exit code is re-raised
    (it is a bug: a user would see "internal error" and exit 3 from ``cli.main.main``)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


def _params(cases: tuple[Case, ...]) -> list[object]:
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in cases]


def _scenario(tmp_path: Path, old: str, new: str, name: str = "scenario.toml") -> Path:
    assert GOOD_SCENARIO_TEXT.count(old) == 1
    path = tmp_path / name
    path.write_text(GOOD_SCENARIO_TEXT.replace(old, new), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------- plan: exit 0


@needs_hardenberg
def test_plan_example_hardenberg_exits_0():
    result = run("plan", "--example", "hardenberg", "--no-color")
    assert result.exit_code == 0, result.output
    assert "optimal" in result.output


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_plan_good_fixture_exits_0(solver):
    result = run("plan", *GOOD, "--solver", solver, "--no-color")
    assert result.exit_code == 0, result.output
    assert "bad-inputs-base" in result.output and "optimal" in result.output
    assert ("HiGHS" if solver == "highs" else "CBC") in result.output


@pytest.mark.parametrize("case", _params(GOOD_CASES))
def test_plan_good_corpus_cases_exit_0(case: Case):
    result = run("plan", "--sites", BAD_DIR / case.sites, "--scenario", BAD_DIR / case.scenario, "--no-color")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- exit 2: bad inputs and options


def _assert_names_problem(result: Result, case: Case) -> None:
    assert result.exit_code == 2, result.output
    assert "input error" in result.output
    assert case.own_file in result.output
    for part in case.expect:
        assert part in result.output, f"{part!r} missing from:\n{result.output}"


@pytest.mark.parametrize("case", _params(BAD_CASES))
def test_plan_bad_input_exits_2_naming_the_problem(case: Case, tmp_path):
    out = tmp_path / "plan.json"
    result = run("plan", "--sites", BAD_DIR / case.sites, "--scenario", BAD_DIR / case.scenario, "--json", out)
    _assert_names_problem(result, case)
    assert list(tmp_path.iterdir()) == [], "a failed run must not write anything"


@pytest.mark.parametrize("case", _params(BAD_CASES))
def test_validate_bad_input_exits_2_naming_the_problem(case: Case):
    result = run("validate", "--sites", BAD_DIR / case.sites, "--scenario", BAD_DIR / case.scenario)
    _assert_names_problem(result, case)
    assert "inputs are valid" not in result.output


def test_unknown_solver_exits_2():
    result = run("plan", *GOOD, "--solver", "foo")
    assert result.exit_code == 2
    assert "--solver" in result.output and "'foo'" in result.output


@needs_hardenberg
def test_example_and_sites_together_exit_2():
    result = run("plan", "--example", "hardenberg", "--sites", BAD_DIR / GOOD_SITES)
    assert result.exit_code == 2
    assert "--example" in result.output and "not both" in result.output
    result = run("plan", "--example", "hardenberg", *GOOD)
    assert result.exit_code == 2


@pytest.mark.parametrize("args", [(), ("--sites", BAD_DIR / GOOD_SITES), ("--scenario", BAD_DIR / GOOD_SCENARIO)],
                         ids=["nothing", "sites-only", "scenario-only"])
def test_plan_without_both_files_exits_2(args):
    result = run("plan", *args)
    assert result.exit_code == 2
    assert "--sites" in result.output and "--scenario" in result.output


def test_unknown_example_exits_2():
    result = run("plan", "--example", "atlantis")
    assert result.exit_code == 2
    assert "atlantis" in result.output and "hardenberg" in result.output


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_time_limit_must_be_positive(limit):
    result = run("plan", *GOOD, "--time-limit", limit)
    assert result.exit_code == 2, result.output
    assert "--time-limit" in result.output


# --------------------------------------------------------------------------- exit 1: shortfall


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_shortfall_exits_1_and_still_writes_the_plan(tmp_path, solver):
    scen = _scenario(tmp_path, "electricity_gwh = 15.0", "electricity_gwh = 1e6")
    out = tmp_path / "plan.json"
    result = run("plan", "--sites", BAD_DIR / GOOD_SITES, "--scenario", scen, "--solver", solver, "--json", out,
                 "--no-color")
    assert result.exit_code == 1, result.output
    assert "shortfall" in result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["status"] == "shortfall"
    t = doc["targets"]["electricity"]
    assert t["target"] == 1e6 and t["shortfall"] == pytest.approx(1e6 - t["achieved"])
    assert doc["max_reachable_gwh"] == pytest.approx(t["achieved"])
    # every eligible site is in the plan: F1, F2, R1, T1 (T2 is locked in)
    assert doc["selected"] == ["F1", "F2", "R1", "T1"]


# --------------------------------------------------------------------------- output files


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_plan_writes_json_and_geopackage(tmp_path, solver):
    # heide_ontginning admits no solar field here, so F2 is excluded and excluded_sites is not empty
    scen = _scenario(tmp_path, 'allow = ["solar_field", "rooftop_solar"]', 'allow = ["rooftop_solar"]')
    js, gp = tmp_path / "out.json", tmp_path / "out.gpkg"
    result = run("plan", "--sites", BAD_DIR / GOOD_SITES, "--scenario", scen, "--solver", solver,
                 "--json", js, "--out", gp)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg", "out.json", "scenario.toml"], "no temp files"

    doc = json.loads(js.read_text(encoding="utf-8"))
    assert JSON_KEYS <= doc.keys()
    assert doc["status"] == "optimal"
    assert doc["selected"] == sorted(doc["selected"]) and doc["selected"]
    assert ("HiGHS" if solver == "highs" else "CBC") in doc["solver"]
    assert isinstance(doc["objective"], float) and isinstance(doc["bound"], float) and doc["gap"] is not None
    assert doc["objective"] >= doc["bound"] - 1e-6
    assert set(doc["targets"]) == {"electricity"}
    assert set(doc["targets"]["electricity"]) == {"target", "achieved", "shortfall"}
    assert doc["targets"]["electricity"]["target"] == 15.0
    assert doc["targets"]["electricity"]["achieved"] == pytest.approx(doc["yield_gwh_total"])
    assert doc["targets"]["electricity"]["shortfall"] == 0
    assert isinstance(doc["by_lik"], dict) and isinstance(doc["by_kind"], dict) and isinstance(doc["binding"], list)
    assert set(doc["by_kind"]) <= {"solar_field", "rooftop_solar", "wind_turbine"}
    assert all(r["binding"] for r in doc["binding"])
    assert "lik_not_allowed" in doc["excluded"]

    # the same plan as the library computes
    inputs = load_inputs(BAD_DIR / GOOD_SITES, scen)
    expected = plan_inputs(inputs, solver=solver)
    assert doc["selected"] == expected.selected
    assert doc["objective"] == pytest.approx(expected.objective_meur)

    layers = {str(name) for name, _ in pyogrio.list_layers(gp)}
    assert {"plan_sites", "excluded_sites"} <= layers
    plan_sites = gpd.read_file(gp, layer="plan_sites")
    excluded = gpd.read_file(gp, layer="excluded_sites")
    assert plan_sites.crs.to_epsg() == 28992 and excluded.crs.to_epsg() == 28992
    assert sorted(plan_sites["site_id"]) == sorted(doc["selected"] + doc["locked_in"])
    assert list(excluded["site_id"]) == ["F2"] and list(excluded["reason"]) == ["lik_not_allowed"]
    assert plan_sites.geometry.notna().all()


def test_existing_json_without_force_exits_2_and_writes_nothing(tmp_path):
    js, gp = tmp_path / "out.json", tmp_path / "out.gpkg"
    js.write_text('{"old": true}\n', encoding="utf-8")
    os.utime(js, ns=(OLD_NS, OLD_NS))
    before = _snapshot(tmp_path)
    result = run("plan", *GOOD, "--json", js, "--out", gp)
    assert result.exit_code == 2, result.output
    assert "--force" in result.output and "out.json" in result.output
    assert _snapshot(tmp_path) == before, "the existing file is unchanged and no other output is written"
    assert "optimal" not in result.output, "the check comes before the solve"


def test_existing_gpkg_without_force_exits_2_and_writes_no_json(tmp_path):
    js, gp = tmp_path / "out.json", tmp_path / "out.gpkg"
    shutil.copy(BAD_DIR / GOOD_SITES, gp)
    before = _snapshot(tmp_path)
    result = run("plan", *GOOD, "--json", js, "--out", gp)
    assert result.exit_code == 2, result.output
    assert "out.gpkg" in result.output
    assert _snapshot(tmp_path) == before


def test_force_overwrites_outputs(tmp_path):
    js, gp = tmp_path / "out.json", tmp_path / "out.gpkg"
    js.write_text("old", encoding="utf-8")
    shutil.copy(BAD_DIR / GOOD_SITES, gp)
    result = run("plan", *GOOD, "--json", js, "--out", gp, "--force")
    assert result.exit_code == 0, result.output
    assert json.loads(js.read_text(encoding="utf-8"))["status"] == "optimal"
    assert {str(n) for n, _ in pyogrio.list_layers(gp)} == {"plan_sites", "excluded_sites", "candidates_not_chosen",
                                                            "landscape", "runs"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg", "out.json"]


def test_missing_output_folder_exits_2(tmp_path):
    result = run("plan", *GOOD, "--json", tmp_path / "nope" / "out.json")
    assert result.exit_code == 2
    assert "folder does not exist" in result.output
    assert not (tmp_path / "nope").exists()


def test_json_target_that_is_a_folder_exits_2(tmp_path):
    folder = tmp_path / "out.json"
    folder.mkdir()
    result = run("plan", *GOOD, "--json", folder, "--force")
    assert result.exit_code == 2
    assert "out.json" in result.output and "folder" in result.output


# --------------------------------------------------------------------------- example


@needs_hardenberg
def test_example_writes_refuses_overwrite_and_forces(tmp_path):
    d = tmp_path / "ex"
    result = run("example", "hardenberg", "--dir", d)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in d.iterdir()) == ["scenario-2030-2050.toml", "scenario-warmte.toml", "scenario.toml", "sites.gpkg"]
    assert {str(n) for n, _ in pyogrio.list_layers(d / "sites.gpkg")} >= {"sites", "landscape", "districts"}
    for p in d.iterdir():
        os.utime(p, ns=(OLD_NS, OLD_NS))
    before = _snapshot(d)

    result = run("example", "hardenberg", "--dir", d)
    assert result.exit_code == 2, result.output
    assert "--force" in result.output
    assert _snapshot(d) == before, "files untouched without --force"

    (d / "scenario.toml").unlink()  # one file exists: still refused, nothing written
    before = _snapshot(d)
    result = run("example", "hardenberg", "--dir", d)
    assert result.exit_code == 2
    assert _snapshot(d) == before

    result = run("example", "hardenberg", "--dir", d, "--force")
    assert result.exit_code == 0, result.output
    after = _snapshot(d)
    assert sorted(after) == ["scenario-2030-2050.toml", "scenario-warmte.toml", "scenario.toml", "sites.gpkg"]
    assert all(mtime != OLD_NS for _, mtime in after.values())

    # what the example writes is valid input
    result = run("validate", "--sites", d / "sites.gpkg", "--scenario", d / "scenario.toml")
    assert result.exit_code == 0, result.output


def test_example_unknown_name_exits_2():
    result = run("example", "atlantis", "--dir", "unused")
    assert result.exit_code == 2
    assert "atlantis" in result.output


def test_example_unknown_name_creates_no_folder(tmp_path):
    result = run("example", "atlantis", "--dir", tmp_path / "new")
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_example_dir_that_is_a_file_exits_2(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    result = run("example", "hardenberg", "--dir", f)
    assert result.exit_code == 2
    assert "afile" in result.output


# --------------------------------------------------------------------------- validate


def test_validate_good_pair_exits_0():
    result = run("validate", *GOOD)
    assert result.exit_code == 0, result.output
    assert "inputs are valid: 5 sites, scenario 'bad-inputs-base'" in result.output


@needs_hardenberg
def test_validate_example_exits_0():
    result = run("validate", "--example", "hardenberg")
    assert result.exit_code == 0, result.output
    assert "inputs are valid" in result.output


def test_validate_reports_bad_scenario_and_unreadable_sites_file():
    result = run("validate", "--sites", BAD_DIR / "sites_no_crs.gpkg",
                 "--scenario", BAD_DIR / "scenario_unknown_key.toml")
    assert result.exit_code == 2
    assert "max_turbine" in result.output and "coordinate reference system" in result.output


def test_validate_reports_bad_scenario_and_bad_site_rows():
    result = run("validate", "--sites", BAD_DIR / "sites_negative_capacity.gpkg",
                 "--scenario", BAD_DIR / "scenario_unknown_key.toml")
    assert result.exit_code == 2
    assert "max_turbine" in result.output
    assert "row 2 (site_id 'F2')" in result.output and "capacity_mw" in result.output


def test_validate_warning_keeps_bracketed_text(tmp_path):
    scen = _scenario(tmp_path, "[targets]\nelectricity_gwh = 15.0\n", "")
    result = run("validate", "--sites", BAD_DIR / GOOD_SITES, "--scenario", scen)
    assert result.exit_code == 0, result.output
    assert "no [targets] electricity_gwh" in result.output


@pytest.mark.parametrize("folder", ["run[v2]", "x[/]"])
def test_error_message_keeps_brackets_in_paths(tmp_path, folder):
    d = tmp_path / folder
    d.mkdir(parents=True)  # "x[/]" is the folders "x[" and "]"
    shutil.copy(BAD_DIR / "sites_negative_capacity.gpkg", d / "sites.gpkg")
    result = run("plan", "--sites", d / "sites.gpkg", "--scenario", BAD_DIR / GOOD_SCENARIO)
    assert result.exit_code == 2
    assert f"{folder}/sites.gpkg" in result.output
    assert "row 2 (site_id 'F2')" in result.output


def test_multiline_problems_are_all_printed():
    case = CASE_BY_NAME["sites_many_bad_rows"]
    result = run("validate", "--sites", BAD_DIR / case.sites, "--scenario", BAD_DIR / case.scenario)
    assert result.exit_code == 2
    assert sum(1 for line in result.output.splitlines() if line.startswith("  - row ")) == 4
