"""Bad inputs: every broken file in ``tests/data/bad`` gives an ``InputError`` that says what is wrong.

The corpus and its table of cases live in ``tests/make_bad_inputs.py`` (which also regenerates
it). For every bad case, ``sites.inputs.load_inputs`` must raise ``models.InputError`` -- never
another exception -- whose message names the file, the row and site id where there is one, the
column or key and the offending value. Good cases must load and plan.

Cases marked xfail are known library bugs; the reason says what goes wrong.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from energie.planner.plans import plan_inputs
from models import InputError, PlanStatus
from sites.inputs import load_inputs
from tests.make_bad_inputs import (
    BAD_CASES,
    BAD_DIR,
    CASE_BY_NAME,
    CASES,
    GOOD_CASES,
    GOOD_ROWS,
    GOOD_SCENARIO,
    GOOD_SITES,
    Case,
    generate,
    good_rows,
    landscape_frame,
    sites_frame,
    write_gpkg,
)


def _params(cases: tuple[Case, ...]) -> list[object]:
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
            for c in cases]


def _load_error(case: Case) -> InputError:
    """Load the case's pair; return the InputError (any other exception fails the test as it is)."""
    with pytest.raises(InputError) as info:
        load_inputs(BAD_DIR / case.sites, BAD_DIR / case.scenario)
    return info.value


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_is_complete_and_small():
    files = {p.name for p in BAD_DIR.iterdir() if p.is_file()}
    wanted = {GOOD_SITES, GOOD_SCENARIO} | {c.own_file for c in CASES}
    assert files == wanted, "run `python -m tests.make_bad_inputs` to regenerate tests/data/bad"
    assert len(BAD_CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)
    assert all(p.stat().st_size < 40_000 for p in BAD_DIR.iterdir()), "corpus files should stay small"


def _layers(path: Path) -> dict[str, pd.DataFrame]:
    """Every layer of a GeoPackage as a plain frame (geometry as WKB) plus its CRS, for comparison."""
    out = {}
    for name, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=str(name))
        crs = getattr(frame, "crs", None)
        plain = pd.DataFrame(frame)
        if "geometry" in plain:
            plain["geometry"] = [None if g is None else g.wkb_hex for g in plain["geometry"]]
        plain["__crs__"] = str(crs)
        out[str(name)] = plain
    return out


def test_committed_corpus_matches_the_generator(tmp_path):
    """The committed files hold what ``make_bad_inputs.py`` writes (GeoPackage bytes differ by timestamp)."""
    generate(tmp_path)
    fresh = {p.name for p in tmp_path.iterdir()}
    assert fresh == {p.name for p in BAD_DIR.iterdir() if p.is_file()}
    for name in sorted(fresh):
        new, old = tmp_path / name, BAD_DIR / name
        if name.endswith(".gpkg") and new.read_bytes()[:16] == b"SQLite format 3\x00":
            a, b = _layers(new), _layers(old)
            assert a.keys() == b.keys(), name
            for layer in a:
                pd.testing.assert_frame_equal(a[layer], b[layer], obj=f"{name}:{layer}")
        else:
            assert new.read_bytes() == old.read_bytes(), name


def _cell_diffs(good: pd.DataFrame, other: pd.DataFrame) -> int:
    """Cells (attributes and geometries) that differ, plus columns present in only one frame."""
    def blank(v: object) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    # a renamed column counts once
    diff = max(len(set(good.columns) - set(other.columns)), len(set(other.columns) - set(good.columns)))
    for col in (c for c in good.columns if c in other.columns and c != "geometry"):
        diff += sum(1 for a, b in zip(good[col], other[col], strict=True)
                    if not (blank(a) and blank(b)) and str(a) != str(b))
    if "geometry" in good and "geometry" in other:
        diff += sum(1 for a, b in zip(good["geometry"], other["geometry"], strict=True)
                    if (a is None) != (b is None) or (a is not None and b is not None and not a.equals(b)))
    return diff


def test_each_bad_sites_file_differs_from_good_in_one_thing():
    """Single-problem sites files differ from ``good_sites.gpkg`` in exactly one cell or column."""
    good = {"sites": sites_frame(good_rows()), "landscape": landscape_frame()}
    checked = []
    for case in CASES:
        path = BAD_DIR / case.sites
        if case.sites == GOOD_SITES or case.name in {"sites_many_bad_rows", "sites_text_capacity",
                                                      "good_integer_site_ids", "good_sites_epsg4326",
                                                      "sites_landscape_points"}:
            continue  # several rows, a column type or a layer's geometry type change on purpose
        if path.read_bytes()[:16] != b"SQLite format 3\x00":
            continue
        layers = {str(n) for n, _ in pyogrio.list_layers(path)}
        if layers != {"sites", "landscape"}:
            continue  # a whole layer is renamed, missing or non-spatial
        frames = {name: pyogrio.read_dataframe(path, layer=name) for name in layers}
        if any(getattr(f, "crs", None) is None or len(f) != len(good[n]) for n, f in frames.items()):
            continue  # no CRS / empty layer: the whole layer differs
        diff = sum(_cell_diffs(good[n], frames[n]) for n in layers)
        assert diff == 1, f"{case.name}: {diff} differences from good_sites"
        checked.append(case.name)
    assert len(checked) >= 15, checked


# --------------------------------------------------------------------------- bad cases


@pytest.mark.parametrize("case", _params(BAD_CASES))
def test_bad_input_raises_input_error_naming_the_problem(case: Case):
    err = _load_error(case)
    msg = str(err)
    assert case.own_file in msg, f"the message must name the file:\n{msg}"
    for part in case.expect:
        assert part in msg, f"{part!r} missing from:\n{msg}"
    assert err.exit_code == 2
    assert "Traceback" not in msg


@pytest.mark.parametrize("case", _params(tuple(c for c in BAD_CASES if "row " in " ".join(c.expect))))
def test_row_problems_are_structured(case: Case):
    """Row-level problems also come as ``problems`` lines, each naming row and site id."""
    err = _load_error(case)
    assert err.problems, "row problems belong in InputError.problems"
    for line in err.problems:
        assert line.startswith("row "), line


def test_every_problem_of_a_file_is_listed():
    err = _load_error(CASE_BY_NAME["sites_many_bad_rows"])
    assert len(err.problems) == 4, err.problems
    rows = [p.split(":", 1)[0] for p in err.problems]
    assert rows == ["row 2 (site_id 'F2')", "row 3 (site_id 'R1')", "row 4 (site_id 'T1')", "row 5 (site_id 'T2')"]
    assert "capacity_mw" in err.problems[0]
    assert "initiator" in err.problems[1] and "'bank'" in err.problems[1]
    assert "point" in err.problems[2]
    assert "status" in err.problems[3] and "'gebouwd'" in err.problems[3]
    assert str(err).splitlines()[0].endswith("4 problem(s) in the sites layer")


def test_landscape_problems_are_all_listed():
    err = _load_error(CASE_BY_NAME["sites_landscape_points"])
    assert [p.split(":")[0] for p in err.problems] == ["row 1", "row 2"]


def test_many_problems_are_counted_and_truncated(tmp_path):
    """60 bad rows: all counted, 50 shown, then the number left."""
    rows = []
    for i in range(60):
        row = good_rows()[2]
        row.update(site_id=f"R{i}", capacity_mw=-1.0)
        rows.append(row)
    path = tmp_path / "many.gpkg"
    write_gpkg(path, {"sites": sites_frame(rows)})
    with pytest.raises(InputError) as info:
        load_inputs(path, BAD_DIR / GOOD_SCENARIO)
    assert len(info.value.problems) == 60
    msg = str(info.value)
    assert "60 problem(s)" in msg and "row 50 (site_id 'R49')" in msg and "… and 10 more problems" in msg
    assert "row 51 " not in msg


def test_scenario_errors_are_reported_before_sites_errors():
    """``load_inputs`` with both files bad fails on the scenario (``validate`` lists both, see test_cli)."""
    with pytest.raises(InputError) as info:
        load_inputs(BAD_DIR / "sites_negative_capacity.gpkg", BAD_DIR / "scenario_unknown_key.toml")
    assert "max_turbine" in str(info.value)


@pytest.mark.parametrize("missing", ["sites", "scenario"])
def test_missing_file_is_an_input_error(tmp_path, missing):
    sites = tmp_path / "nope.gpkg" if missing == "sites" else BAD_DIR / GOOD_SITES
    scen = tmp_path / "nope.toml" if missing == "scenario" else BAD_DIR / GOOD_SCENARIO
    with pytest.raises(InputError, match="not found") as info:
        load_inputs(sites, scen)
    assert "nope." in str(info.value)


def test_empty_file_named_gpkg_is_an_input_error(tmp_path):
    path = tmp_path / "empty.gpkg"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="GeoPackage"):
        load_inputs(path, BAD_DIR / GOOD_SCENARIO)


def test_landscape_without_crs_is_an_input_error(tmp_path):
    path = tmp_path / "land_nocrs.gpkg"
    write_gpkg(path, {"sites": sites_frame(good_rows()),
                      "landscape": landscape_frame().set_crs(None, allow_override=True)})
    with pytest.raises(InputError) as info:
        load_inputs(path, BAD_DIR / GOOD_SCENARIO)
    assert "'landscape'" in str(info.value) and "EPSG:28992" in str(info.value)


# --------------------------------------------------------------------------- good cases


@pytest.mark.parametrize("case", _params(GOOD_CASES))
def test_good_input_loads_and_plans(case: Case):
    inputs = load_inputs(BAD_DIR / case.sites, BAD_DIR / case.scenario)
    assert len(inputs.sites) == len(GOOD_ROWS)
    assert inputs.sources["crs"] == "EPSG:28992"
    by_kind = {s.kind for s in inputs.sites}
    assert by_kind == {"solar_field", "rooftop_solar", "wind_turbine"}
    assert [s.lik_type for s in inputs.sites] == [
        "veenontginning", "heide_ontginning", "veenontginning", "veenontginning", "veenontginning"]
    result = plan_inputs(inputs)
    assert result.status is PlanStatus.OPTIMAL
    assert result.targets["electricity"].shortfall_gwh == 0


def test_epsg4326_is_reprojected_to_rd_new():
    good = load_inputs(BAD_DIR / GOOD_SITES, BAD_DIR / GOOD_SCENARIO)
    wgs = load_inputs(BAD_DIR / "good_sites_epsg4326.gpkg", BAD_DIR / GOOD_SCENARIO)
    assert gpd.read_file(BAD_DIR / "good_sites_epsg4326.gpkg", layer="sites").crs.to_epsg() == 4326
    for a, b in zip(good.sites, wgs.sites, strict=True):
        assert a.site_id == b.site_id and a.lik_type == b.lik_type
        assert b.geometry.distance(a.geometry) < 0.01  # m, after a round trip through degrees
        if a.kind == "solar_field":
            assert b.area_ha == pytest.approx(a.area_ha, rel=1e-6)
        if a.kind == "wind_turbine":
            assert (b.x_m, b.y_m) == (pytest.approx(a.x_m, abs=0.01), pytest.approx(a.y_m, abs=0.01))
    assert wgs.landscape is not None and wgs.landscape.crs.to_epsg() == 28992
    pa, pb = plan_inputs(good), plan_inputs(wgs)
    assert pa.selected == pb.selected and pb.status is PlanStatus.OPTIMAL


def test_good_pair_plans_the_same_with_both_solvers():
    inputs = load_inputs(BAD_DIR / GOOD_SITES, BAD_DIR / GOOD_SCENARIO)
    highs, cbc = plan_inputs(inputs, solver="highs"), plan_inputs(inputs, solver="cbc")
    assert highs.status is cbc.status is PlanStatus.OPTIMAL
    assert highs.objective_meur == pytest.approx(cbc.objective_meur, abs=1e-6)
