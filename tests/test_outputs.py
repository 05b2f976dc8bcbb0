"""Result files to share: the ``--out`` GeoPackage with its runs table (checked with GDAL's own
``ogrinfo``), ``energie report`` with what-ifs, the Python API and atomic, no-overwrite writing.

``ogrinfo`` comes from Debian's gdal-bin: ``.ci/run`` installs it; without it the ogrinfo test skips
locally and fails under ``CI=true``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner, Result

from cli.main import app
import energie
from energie.scenarios.whatif import WhatIf, parse_whatif
from models import InputError, Plan
from sites import plan_store
from sites.plan_store import read_runs, write_plan_gpkg

RUNNER = CliRunner()


def run(*args: object) -> Result:
    result = RUNNER.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    assert run("example", "hardenberg", "--dir", folder).exit_code == 0
    return folder


def _files(folder: Path) -> tuple[str, ...]:
    return ("--sites", str(folder / "sites.gpkg"), "--scenario", str(folder / "scenario.toml"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _layer(path: Path, name: str) -> pd.DataFrame:
    return pyogrio.read_dataframe(path, layer=name)


def _require(program: str) -> str:
    found = shutil.which(program)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{program} is missing on CI; .ci/run installs it (Debian package gdal-bin)")
    pytest.skip(f"{program} not installed (Debian: apt-get install gdal-bin)")


# --- the GeoPackage and its runs table -------------------------------------------------------------

@pytest.fixture(scope="module")
def two_runs(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gpkg") / "plans.gpkg"
    js = out.with_suffix(".json")
    first = run("plan", *_files(example_dir), "--out", out, "--json", js)
    assert first.exit_code == 0, first.output
    second = run("plan", *_files(example_dir), "--out", out, "--append", "--run-name", "met CBC", "--solver", "cbc")
    assert second.exit_code == 0, second.output
    return out, json.loads(js.read_text())


def test_runs_table_records_each_run_with_input_hashes(two_runs: tuple[Path, dict], example_dir: Path) -> None:
    out, plan_json = two_runs
    runs = read_runs(out)
    assert runs["run_id"].tolist() == [1, 2]
    assert runs["run_name"].tolist() == ["hardenberg-2030", "met CBC"]
    assert runs["solver"].tolist() == ["highs", "cbc"]
    assert (runs["status"] == "optimal").all()
    assert runs.loc[0, "objective_meur"] == pytest.approx(plan_json["objective"])
    # both solvers prove the same optimum within the gap tolerance
    assert runs.loc[1, "objective_meur"] == pytest.approx(plan_json["objective"], rel=1e-4)
    assert runs.loc[0, "sites_sha256"] == _sha256(example_dir / "sites.gpkg")
    assert runs.loc[0, "scenario_sha256"] == _sha256(example_dir / "scenario.toml")
    assert runs.loc[0, "sites_file"] == str((example_dir / "sites.gpkg").resolve())
    assert runs.loc[0, "target_gwh"] == pytest.approx(plan_json["targets"]["electricity"]["target"])
    assert runs.loc[0, "achieved_gwh"] == pytest.approx(plan_json["yield_gwh_total"])
    assert set(runs.columns) >= {"created_utc", "solve_time_s", "energieplanner_version", "command", "gap"}
    assert runs.loc[1, "command"].startswith("energie plan ")


def test_layers_hold_each_run_filtered_by_run_id(two_runs: tuple[Path, dict]) -> None:
    out, plan_json = two_runs
    names = [n for n, _ in pyogrio.list_layers(out)]
    assert set(names) == {"runs", "plan_sites", "excluded_sites", "candidates_not_chosen", "landscape"}
    sites = _layer(out, "plan_sites")
    for rid in (1, 2):
        rows = sites[sites["run_id"] == rid]
        assert sorted(rows.loc[rows["in_plan_as"] == "chosen", "site_id"]) == plan_json["selected"]
        assert sorted(rows.loc[rows["in_plan_as"] == "locked_in", "site_id"]) == plan_json["locked_in"]
    excluded = _layer(out, "excluded_sites")
    assert len(excluded[excluded["run_id"] == 1]) == sum(v["sites"] for v in plan_json["excluded"].values())
    assert excluded["reason"].notna().all()
    others = _layer(out, "candidates_not_chosen")
    in_plan = set(plan_json["selected"]) | set(excluded["site_id"])
    assert not set(others["site_id"]) & in_plan
    landscape = _layer(out, "landscape")
    assert landscape.crs.to_epsg() == 28992
    assert landscape.groupby("run_id").size().tolist() == [13, 13]


def test_ogrinfo_reads_the_geopackage(two_runs: tuple[Path, dict]) -> None:
    """GDAL's own command-line reader (Debian gdal-bin, older than the GDAL in pyogrio) opens the
    file without warnings and sees every layer, the runs and RD New."""
    ogrinfo = _require("ogrinfo")
    out, plan_json = two_runs
    listing = subprocess.run([ogrinfo, "-ro", str(out)], capture_output=True, text=True, check=True)
    assert "Warning" not in listing.stderr and "ERROR" not in listing.stderr, listing.stderr
    for name in ("plan_sites", "excluded_sites", "candidates_not_chosen", "landscape", "runs"):
        assert f": {name}" in listing.stdout
    counts = subprocess.run([ogrinfo, "-ro", "-q", str(out), "-sql",
                             "SELECT run_id, COUNT(*) AS n FROM plan_sites GROUP BY run_id"],
                            capture_output=True, text=True, check=True).stdout
    n_plan = len(plan_json["selected"]) + len(plan_json["locked_in"])
    assert counts.count(f"n (Integer) = {n_plan}") == 2, counts
    runs = subprocess.run([ogrinfo, "-ro", "-q", str(out), "-sql", "SELECT run_name, status FROM runs"],
                          capture_output=True, text=True, check=True).stdout
    assert "run_name (String) = met CBC" in runs and runs.count("status (String) = optimal") == 2
    summary = subprocess.run([ogrinfo, "-ro", "-so", str(out), "landscape"], capture_output=True, text=True,
                             check=True).stdout
    assert "Amersfoort / RD New" in summary and "Feature Count: 26" in summary


def test_existing_out_needs_append_or_force_and_stays_untouched(two_runs: tuple[Path, dict],
                                                                 example_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.gpkg"
    shutil.copy(two_runs[0], out)
    before = out.read_bytes()
    refused = run("plan", *_files(example_dir), "--out", out)
    assert refused.exit_code == 2
    assert "--append" in refused.output and "--force" in refused.output
    assert out.read_bytes() == before
    replaced = run("plan", *_files(example_dir), "--out", out, "--force")
    assert replaced.exit_code == 0
    assert read_runs(out)["run_id"].tolist() == [1]


def test_append_refuses_a_geopackage_that_is_not_a_plan_file(example_dir: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "mine.gpkg"
    shutil.copy(example_dir / "sites.gpkg", foreign)
    before = foreign.read_bytes()
    result = run("plan", *_files(example_dir), "--out", foreign, "--append")
    assert result.exit_code == 2
    assert "no 'runs' table" in result.output
    assert foreign.read_bytes() == before


def test_out_may_not_be_an_input_file(example_dir: Path) -> None:
    sites = example_dir / "sites.gpkg"
    before = sites.read_bytes()
    result = run("plan", *_files(example_dir), "--out", sites, "--force")
    assert result.exit_code == 2 and "input file" in result.output
    assert sites.read_bytes() == before


def test_failed_append_leaves_the_file_as_it_was(two_runs: tuple[Path, dict], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "p.gpkg"
    shutil.copy(two_runs[0], out)
    before = out.read_bytes()
    real = pyogrio.write_dataframe
    calls = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:  # the runs row went in, the first layer fails
            raise OSError("disk full")
        real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    new = gpd.GeoDataFrame({"site_id": ["X"]}, geometry=gpd.points_from_xy([1.0], [2.0]), crs="EPSG:28992")
    with pytest.raises(OSError, match="disk full"):
        write_plan_gpkg(out, [({"run_name": "x"}, {"plan_sites": new})], append=True)
    assert calls == ["runs", "plan_sites"]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]


def test_append_adds_rows_without_rewriting_and_equals_writing_all_at_once(tmp_path: Path) -> None:
    """Appending run by run gives the same layers as writing the runs together; a layer whose schema
    fits gets only the new rows (its old rows keep their feature ids)."""
    def layers(k: int) -> dict[str, gpd.GeoDataFrame]:
        pts = gpd.GeoDataFrame({"site_id": [f"T{k}", f"U{k}"], "yield_gwh": [1.0 * k, 2.0]},
                               geometry=gpd.points_from_xy([k, k + 1.0], [0.0, 1.0]), crs="EPSG:28992")
        table = gpd.GeoDataFrame({"gemeente": ["GM0160"], "achieved_gwh": [10.0 * k]}, geometry=[None],
                                 crs="EPSG:28992")
        return {"plan_sites": pts, "plan_municipalities": table}

    one_by_one, together = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    for k in (1, 2, 3):
        write_plan_gpkg(one_by_one, [({"run_name": f"r{k}"}, layers(k))], append=True)
    write_plan_gpkg(together, [({"run_name": f"r{k}"}, layers(k)) for k in (1, 2, 3)])
    for name in ("runs", "plan_sites", "plan_municipalities"):
        a = pyogrio.read_dataframe(one_by_one, layer=name, fid_as_index=True)
        b = pyogrio.read_dataframe(together, layer=name, fid_as_index=True)
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
    info = pyogrio.read_info(one_by_one, layer="plan_municipalities")
    assert info["geometry_type"] is None and info["features"] == 3


def test_append_unions_columns_of_different_plan_types(tmp_path: Path) -> None:
    out = tmp_path / "p.gpkg"
    a = gpd.GeoDataFrame({"site_id": ["A"], "gwh": [1.5]}, geometry=gpd.points_from_xy([1.0], [2.0]),
                         crs="EPSG:28992")
    b = gpd.GeoDataFrame({"site_id": ["B"], "in_operation_from": [2030]},
                         geometry=gpd.points_from_xy([3.0], [4.0]), crs="EPSG:28992")
    assert write_plan_gpkg(out, [({"run_name": "a"}, {"plan_sites": a})]) == [1]
    assert write_plan_gpkg(out, [({"run_name": "b", "extra": "y"}, {"plan_sites": b})], append=True) == [2]
    sites = _layer(out, "plan_sites").sort_values("run_id")
    assert sites["site_id"].tolist() == ["A", "B"]
    assert sites["gwh"].iloc[0] == 1.5 and pd.isna(sites["gwh"].iloc[1])
    assert pd.isna(sites["in_operation_from"].iloc[0]) and sites["in_operation_from"].iloc[1] == 2030
    assert read_runs(out)["run_name"].tolist() == ["a", "b"]


# --- energie report --------------------------------------------------------------------------------

def test_report_writes_plan_and_whatifs_as_runs(example_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.gpkg"
    result = run("report", *_files(example_dir), "--out", out,
                 "--whatif", "target-scale=1.1", "--whatif", "drop=WT-KBS-01,ZV-01; forbid-lik=beekdal")
    assert result.exit_code == 0, result.output
    assert "What-if: target × 1.1" in result.output
    assert "What-if: forbid landscape beekdal; drop WT-KBS-01; drop ZV-01" in result.output
    runs = read_runs(out)
    assert runs["run_name"].tolist() == ["hardenberg-2030", "What if: target × 1.1",
                                         "What if: forbid landscape beekdal; drop WT-KBS-01; drop ZV-01"]
    assert runs.loc[1, "target_gwh"] == pytest.approx(1.1 * runs.loc[0, "target_gwh"])
    sites = _layer(out, "plan_sites")
    third = sites[sites["run_id"] == 3]
    assert not {"WT-KBS-01", "ZV-01"} & set(third["site_id"])
    assert not ((third["lik_type"] == "beekdal") & (third["in_plan_as"] == "chosen")
                & (third["kind"] != "rooftop_solar")).any()


@pytest.mark.parametrize(("spec", "message"), [
    ("target-scale", "not KEY=VALUE"),
    ("target-scale=twice", "must be a number"),
    ("forbid-landscape=beekdal", "unknown change 'forbid-landscape'"),
    (" ; ", "no change given"),
])
def test_bad_whatif_text_is_explained(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_whatif(spec)


def test_whatif_text_mirrors_the_whatif_options() -> None:
    edits = parse_whatif("target_gwh=500; drop=ZV-01, ZV-02; forbid-kind=wind_turbine; "
                         "set=lik.beekdal.max_turbines=0; overlay=a.toml")
    assert edits == WhatIf(overlays=["a.toml"], assignments=["lik.beekdal.max_turbines=0"], forbid_lik=[],
                           forbid_kind=["wind_turbine"], target_gwh=500.0, target_scale=None,
                           drop=["ZV-01", "ZV-02"])


def test_report_whatif_on_a_phased_scenario_compares_year_by_year(example_dir: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "phased.toml"
    text = (example_dir / "scenario.toml").read_text(encoding="utf-8")
    assert "[targets]" in text
    scenario.write_text(text.replace("[targets]", "[targets.2030]"), encoding="utf-8")
    html = tmp_path / "r.html"
    result = run("report", "--sites", example_dir / "sites.gpkg", "--scenario", scenario,
                 "--whatif", "target-scale=0.5", "--html", html, "--no-color")
    assert result.exit_code == 0, result.output
    assert "What-if: target × 0.5" in result.output and "In 2030 (the plan as it stands then)" in result.output
    assert "What if: target × 0.5" in html.read_text(encoding="utf-8")
    result = run("report", "--sites", example_dir / "sites.gpkg", "--scenario", scenario,
                 "--whatif", "target-gwh=300")
    assert result.exit_code == 2 and "--year" in result.output
    result = run("report", "--sites", example_dir / "sites.gpkg", "--scenario", scenario,
                 "--whatif", "target-gwh=300; year=2040")
    assert result.exit_code == 2 and "not a target year" in result.output


# --- the Python API --------------------------------------------------------------------------------

def test_api_plans_from_files_and_objects_alike(example_dir: Path) -> None:
    from_files = energie.plan(example_dir / "sites.gpkg", example_dir / "scenario.toml")
    sites, scenario = energie.example("hardenberg")
    from_objects = energie.plan(sites, scenario)
    from_dict = energie.plan(sites, scenario.model_dump(mode="json"))
    assert from_files.selected == from_objects.selected == from_dict.selected
    assert from_files.objective_meur == pytest.approx(from_objects.objective_meur)


def test_plan_frames_carry_units_and_geometry() -> None:
    sites, scenario = energie.example("hardenberg")
    p = energie.plan(sites, scenario)
    frame = p.to_frame()
    assert len(frame) == len(p.sites)
    assert {"capacity_mw", "yield_gwh", "area_ha", "cost_meur", "in_plan_as"} <= set(frame.columns)
    assert frame["yield_gwh"].sum() == pytest.approx(p.yield_gwh_total - p.existing_gwh)
    gdf = p.to_geodataframe()
    assert gdf.crs.to_epsg() == 28992
    by_id = {s.site_id: s for s in sites}
    for sid, geom in zip(gdf["site_id"], gdf.geometry, strict=True):
        expected = by_id[sid].geometry
        assert (geom is None and expected is None) or geom.equals(expected)
    excluded = p.to_geodataframe("excluded")
    assert sorted(excluded["site_id"]) == sorted(e.site_id for e in p.excluded)
    assert excluded.geometry.notna().all()
    with pytest.raises(ValueError, match="'plan' or 'excluded'"):
        p.to_frame("everything")  # type: ignore[arg-type]


def test_plan_read_back_from_json_equals_and_has_no_geometry() -> None:
    sites, scenario = energie.example("hardenberg")
    p = energie.plan(sites, scenario)
    again = Plan.model_validate_json(p.model_dump_json())
    assert again == p
    assert again.to_geodataframe().geometry.isna().all()


def test_api_explains_bad_arguments() -> None:
    sites, scenario = energie.example("hardenberg")
    with pytest.raises(InputError, match="list of Site objects; item 0 is a dict"):
        energie.plan([{"site_id": "x"}], scenario)  # type: ignore[list-item]
    with pytest.raises(InputError, match="a Scenario, a TOML file path or a dict"):
        energie.plan(sites, 42)  # type: ignore[arg-type]


# --- the README's examples -------------------------------------------------------------------------

def _readme_section(title: str) -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"## {title}")
    return readme[start:readme.index("\n## ", start + 1)]


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    section = _readme_section("Sharing results")
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102  (our own README)
    printed = capsys.readouterr().out.split()
    assert printed[0] == "optimal" and float(printed[1]) >= 434.0
    frame, gdf = namespace["frame"], namespace["gdf"]
    assert isinstance(frame, pd.DataFrame) and isinstance(gdf, gpd.GeoDataFrame)
    assert len(frame) == len(gdf) > 0


def test_readme_report_commands_parse(tmp_path: Path) -> None:
    """The README's ``energie report`` line runs as written (outputs moved to tmp_path)."""
    section = _readme_section("Sharing results")
    block = section.split("```bash\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    import shlex

    lines = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert [line[:2] for line in lines] == [["energie", "plan"], ["energie", "report"]]
    for args in lines:
        args = [str(tmp_path / a) if a.startswith("hb-") else a for a in args[1:]]
        result = run(*args)
        assert result.exit_code in (0, 1), result.output  # target × 2 may be a shortfall; still written
    assert read_runs(tmp_path / "hb-runs.gpkg")["run_id"].tolist() == [1, 2, 3, 4]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["hb-plan.html", "hb-plan.png", "hb-plan.xlsx", "hb-report.html", "hb-report.xlsx",
                       "hb-runs.gpkg"]
    page = (tmp_path / "hb-report.html").read_text(encoding="utf-8")
    assert "What if: target × 2" in page and "What if: forbid landscape beekdal; drop WT-KBS-03" in page


def test_map_must_be_a_png_before_anything_is_solved(tmp_path: Path) -> None:
    result = run("plan", "--example", "hardenberg", "--map", tmp_path / "plan.pdf")
    assert result.exit_code == 2 and "ending in .png" in result.output
    assert "Scenario hardenberg-2030" not in result.output  # refused before planning
    assert list(tmp_path.iterdir()) == []
