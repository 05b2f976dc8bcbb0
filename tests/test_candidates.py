"""Candidate generation from maps (``sites.candidates``, ``energie candidates``).

Hand-made squares pin the exact behaviour (grid alignment, shared edges, distances exactly at
the limit, stable ids). On the real Overijssel files (``realdata``: ``../shared/data/real``,
skipped when absent) every rule is re-checked independently with geopandas, reading the files
directly rather than through ``sites.geodata``: turbines outside Natura 2000 and NNN and at
least the setback from every place with inhabitants, turbines at least the spacing apart, solar
cells within their municipality and outside every exclusion and built-up area. The output
GeoPackage must load through the file contract and ``energie plan`` must run on it.
"""

from __future__ import annotations

import doctest
import math
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from typer.testing import CliRunner, Result

import sites.candidates
from cli.main import app
from models import InputError
from models.defaults import FLH_SOLAR_H, SOLAR_FIELD_MEUR_PER_MWP, SOLAR_FIELD_MWP_PER_HA
from sites.candidates import (
    SolarOptions, TurbineClass, build_constraints, generate_candidates, solar_field_cells, wind_positions,
)
from sites.boundaries import read_boundaries, select_municipalities
from sites.geodata import read_layer, read_places
from sites.inputs import load_sites
from sites.rooftops import rooftop_candidates
from sites.writer import write_gpkg

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
GEMEENTEN = REAL / "gemeenten_overijssel_2026_rd.geojson"
NATURA = REAL / "natura2000_overijssel_wgs84.geojson"
NNN = REAL / "nnn_overijssel_wgs84.geojson"
PLACES = REAL / "top10nl_plaatsen_overijssel_rd.geojson"
RD = "EPSG:28992"
X0, Y0 = 200_000.0, 500_000.0
BUILT_UP_TYPES = ("woonkern", "deelkern", "industriekern", "gehucht")


def _munis(*boxes: tuple[str, shapely.Geometry]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"gemeente": [c for c, _ in boxes], "name": [f"Gem {c[-1]}" for c, _ in boxes],
                             "res_code": ["ES99"] * len(boxes)}, geometry=[g for _, g in boxes], crs=RD)


def _frame(*geoms: shapely.Geometry, **columns: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=RD)


def _places(*rows: tuple[shapely.Geometry, float, bool]) -> gpd.GeoDataFrame:
    return _frame(*(g for g, _, _ in rows), inwoners=[float(n) for _, n, _ in rows], built_up=[b for _, _, b in rows])


SQUARE = _munis(("GM0001", shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)))
SOLAR25 = SolarOptions(cell_ha=25)


# --------------------------------------------------------------------------- solar cells, exact


def test_one_km_square_gives_four_25_ha_cells_in_reading_order() -> None:
    result = generate_candidates(SQUARE, solar=SOLAR25, wind=None)
    sites_ = result.sites
    assert sites_["site_id"].tolist() == [f"ZV-GM0001-00000{i}" for i in range(1, 5)]
    # north-west first, then east, then the southern row
    corners = [shapely.get_coordinates(g).min(axis=0).tolist() for g in sites_.geometry]
    assert corners == [[X0, Y0 + 500], [X0 + 500, Y0 + 500], [X0, Y0], [X0 + 500, Y0]]
    assert sites_["area_ha"].tolist() == [25.0] * 4
    mw = 25 * SOLAR_FIELD_MWP_PER_HA
    assert sites_["capacity_mw"].tolist() == pytest.approx([mw] * 4)
    assert sites_["yield_gwh"].tolist() == pytest.approx([mw * FLH_SOLAR_H / 1000] * 4)
    assert sites_["cost_meur"].tolist() == pytest.approx([mw * SOLAR_FIELD_MEUR_PER_MWP] * 4)
    assert set(sites_["kind"]) == {"solar_field"} and set(sites_["status"]) == {"candidate"}
    assert set(sites_["initiator"]) == {"energiecooperatie"} and set(sites_["zonneladder"]) == {"landbouwgrond"}
    assert set(sites_["gemeente"]) == {"GM0001"} and set(sites_["lik_type"]) == {"onbekend"}
    row = result.by_municipality.iloc[0]
    assert (row["grid_cells"], row["cells"], row["solar_ha"]) == (4, 4, 100.0)


def test_grid_lies_on_multiples_of_the_cell_side() -> None:
    shifted = _munis(("GM0001", shapely.box(X0 + 100, Y0 + 100, X0 + 1100, Y0 + 1100)))
    cells, _, inside = solar_field_cells(shifted, [], SOLAR25)
    assert len(cells) == 1 and inside["GM0001"] == 1
    assert cells.geometry.iloc[0].equals(shapely.box(X0 + 500, Y0 + 500, X0 + 1000, Y0 + 1000))
    side = SolarOptions(cell_ha=2).side_m
    odd, _, _ = solar_field_cells(SQUARE, [], SolarOptions(cell_ha=2))
    xs = shapely.get_coordinates(np.asarray(odd.geometry.values))[:, 0]
    assert np.allclose(xs / side, np.round(xs / side)) and len(odd) == (math.floor(X0 / side + 1000 / side)
                                                                        - math.ceil(X0 / side)) ** 2


def test_an_exclusion_removes_exactly_the_cells_it_overlaps() -> None:
    one_cell = build_constraints([("n2k", _frame(shapely.box(X0, Y0, X0 + 500, Y0 + 500)))])
    kept = generate_candidates(SQUARE, one_cell, solar=SOLAR25, wind=None).sites
    # the neighbours share an edge or a corner with it and stay
    assert kept["site_id"].tolist() == ["ZV-GM0001-000001", "ZV-GM0001-000002", "ZV-GM0001-000004"]
    corner = build_constraints([("n2k", _frame(shapely.box(X0 + 450, Y0 + 450, X0 + 550, Y0 + 550)))])
    result = generate_candidates(SQUARE, corner, solar=SOLAR25, wind=None)
    assert result.sites.empty
    assert result.by_layer.loc[0, "cells_blocked"] == 4 and result.by_layer.loc[0, "area_ha"] == 1.0


def test_exclusion_buffer_exactly_at_the_distance_is_allowed() -> None:
    speck = [("n2k", _frame(shapely.box(X0, Y0, X0 + 100, Y0 + 100)))]
    at = generate_candidates(SQUARE, build_constraints(speck, exclude_buffer_m=400.0), solar=SOLAR25, wind=None)
    assert at.sites["site_id"].tolist() == ["ZV-GM0001-000001", "ZV-GM0001-000002", "ZV-GM0001-000004"]
    beyond = generate_candidates(SQUARE, build_constraints(speck, exclude_buffer_m=400.001), solar=SOLAR25, wind=None)
    assert beyond.sites["site_id"].tolist() == ["ZV-GM0001-000002"]  # NE corner: 400·√2 m away


def test_built_up_places_keep_cells_out_other_places_do_not() -> None:
    places = _places((shapely.box(X0 + 600, Y0 + 600, X0 + 700, Y0 + 700), 900, True),
                     (shapely.box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200), 30, False))
    result = generate_candidates(SQUARE, build_constraints(places=places), solar=SOLAR25, wind=None)
    assert result.sites["site_id"].tolist() == ["ZV-GM0001-000001", "ZV-GM0001-000003", "ZV-GM0001-000004"]


def test_a_buffer_layer_line_blocks_the_cells_it_crosses_not_the_edge_it_follows() -> None:
    road = _frame(shapely.LineString([(X0 + 250, Y0 - 50), (X0 + 250, Y0 + 1050)]),  # crosses the west column
                  shapely.LineString([(X0 - 50, Y0 + 500), (X0 + 1050, Y0 + 500)]))  # follows the middle edge
    result = generate_candidates(SQUARE, build_constraints(buffers=[("wegen", road, 100.0)]), solar=SOLAR25, wind=None)
    assert result.sites["site_id"].tolist() == ["ZV-GM0001-000002", "ZV-GM0001-000004"]


def test_cells_straddling_two_municipalities_are_dropped_and_ids_are_stable() -> None:
    two = _munis(("GM0001", shapely.box(X0, Y0, X0 + 750, Y0 + 1000)),
                 ("GM0002", shapely.box(X0 + 750, Y0, X0 + 1500, Y0 + 1000)))
    cells, _, _ = solar_field_cells(two, [], SOLAR25)
    assert list(zip(cells["gemeente"], cells["number"], strict=True)) == [
        ("GM0001", 1), ("GM0001", 2), ("GM0002", 1), ("GM0002", 2)]
    assert [g.bounds[0] for g in cells.geometry] == [X0, X0, X0 + 1000, X0 + 1000]
    # an exclusion elsewhere never renumbers the others
    n2k = build_constraints([("n2k", _frame(shapely.box(X0, Y0 + 600, X0 + 100, Y0 + 700)))])
    after = generate_candidates(two, n2k, solar=SOLAR25, wind=None).sites["site_id"].tolist()
    assert after == ["ZV-GM0001-000002", "ZV-GM0002-000001", "ZV-GM0002-000002"]


# --------------------------------------------------------------------------- turbines, exact

AXIS = TurbineClass(rotor_diameter_m=100.0, wind_from_deg=0.0)  # 400 m across (x), 600 m along (y)
BIG = _munis(("GM0001", shapely.box(X0, Y0, X0 + 2000, Y0 + 2000)))


def _xy(frame: gpd.GeoDataFrame) -> list[tuple[float, float]]:
    return [(p.x, p.y) for p in frame.geometry]


def test_axis_aligned_lattice_with_spacing_in_rotor_diameters() -> None:
    points, _, inside = wind_positions(BIG, [], AXIS)
    xs, ys = sorted({x for x, _ in _xy(points)}), sorted({y for _, y in _xy(points)}, reverse=True)
    assert xs == [X0 + 400 * k for k in range(6)]  # both borders included: the tower point is inside
    assert ys == [501_600.0, 501_000.0, 500_400.0]  # multiples of 600 m from the RD origin
    assert len(points) == 18 == inside["GM0001"]
    assert _xy(points)[:2] == [(X0, 501_600.0), (X0 + 400, 501_600.0)]  # north-west first


def test_setback_exactly_at_the_distance_is_allowed() -> None:
    village = shapely.box(X0 - 1000, Y0, X0 - 400, Y0 + 2000)  # 400 m west of the x = X0 column
    places = _places((village, 250, True))
    at = generate_candidates(BIG, build_constraints(places=places), solar=None, wind=AXIS)
    assert len(at.sites) == 18
    inside = generate_candidates(BIG, build_constraints(places=places), solar=None,
                                 wind=TurbineClass(rotor_diameter_m=100.0, wind_from_deg=0.0, setback_m=400.5))
    assert len(inside.sites) == 15 and min(p.x for p in inside.sites.geometry) == X0 + 400
    assert inside.by_layer.set_index("layer").loc["places (inhabited)", "positions_blocked"] == 3
    # the turbine class's setback is the one that counts
    by_class = generate_candidates(BIG, build_constraints(places=places), solar=None,
                                   wind=TurbineClass(rotor_diameter_m=100.0, wind_from_deg=0.0, setback_m=400.5))
    assert len(by_class.sites) == 15 and by_class.by_layer.loc[1, "wind_buffer_m"] == 400.5
    empty = _places((village, 0, False))  # no inhabitants: no setback
    far = TurbineClass(rotor_diameter_m=100.0, wind_from_deg=0.0, setback_m=9999)
    assert len(generate_candidates(BIG, build_constraints(places=empty), solar=None, wind=far).sites) == 18


def test_turbines_stay_out_of_exclusions_including_their_edge() -> None:
    n2k = _frame(shapely.box(X0, Y0, X0 + 400, Y0 + 2000))  # holds the x = X0 column, x = X0 + 400 on its edge
    result = generate_candidates(BIG, build_constraints([("n2k", n2k)]), solar=None, wind=AXIS)
    assert min(p.x for p in result.sites.geometry) == X0 + 800 and len(result.sites) == 12


def test_buffer_layer_keeps_turbines_at_the_given_metres() -> None:
    road = _frame(shapely.LineString([(X0 + 1000, Y0 - 100), (X0 + 1000, Y0 + 2100)]))
    result = generate_candidates(BIG, build_constraints(buffers=[("wegen", road, 400.0)]), solar=None, wind=AXIS)
    assert sorted({p.x for p in result.sites.geometry}) == [X0, X0 + 400, X0 + 1600, X0 + 2000]  # ≥ 600 m away


def test_rotated_lattice_keeps_the_spacing_and_follows_the_wind() -> None:
    turbine = TurbineClass(rotor_diameter_m=150.0)  # wind from 225°: 600 m across, 900 m along
    points, _, _ = wind_positions(_munis(("GM0001", shapely.box(X0, Y0, X0 + 5000, Y0 + 5000))), [], turbine)
    xy = shapely.get_coordinates(np.asarray(points.geometry.values))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    assert d.min() == pytest.approx(600.0)
    i, j = np.unravel_index(np.argmin(d), d.shape)
    dx, dy = xy[j] - xy[i]
    assert abs(dx * math.sin(math.radians(225)) + dy * math.cos(math.radians(225))) < 1e-6  # across the wind
    assert len(points) == len(set(points["number"])) and points["number"].is_monotonic_increasing


def test_a_turbine_on_a_shared_border_belongs_to_one_municipality() -> None:
    two = _munis(("GM0001", shapely.box(X0, Y0, X0 + 1200, Y0 + 2000)),
                 ("GM0002", shapely.box(X0 + 1200, Y0, X0 + 2400, Y0 + 2000)))
    points, _, _ = wind_positions(two, [], AXIS)
    xy = _xy(points)
    assert len(xy) == len(set(xy)) and set(points.loc[[x == X0 + 1200 for x, _ in xy], "gemeente"]) == {"GM0001"}


def test_turbine_fields_and_landscape_types() -> None:
    landscape = gpd.GeoDataFrame({"lik_type": ["veenontginning"]}, geometry=[shapely.box(X0 - 1, Y0, X0 + 500, Y0 + 2001)],
                                 crs=RD)
    result = generate_candidates(BIG, solar=SOLAR25, wind=AXIS, landscape=landscape)
    wt = result.sites[result.sites["kind"] == "wind_turbine"]
    assert wt["site_id"].iloc[0] == "WT-GM0001-00001" and set(wt["turbine_type"]) == {AXIS.name}
    assert set(wt["capacity_mw"]) == {5.6} and set(wt["rotor_diameter_m"]) == {100.0}
    assert set(wt["hub_height_m"]) == {120.0} and set(wt["initiator"]) == {"commercieel"}
    assert wt["yield_gwh"].iloc[0] == pytest.approx(5.6 * 2756 / 1000)
    assert set(wt.loc[[p.x <= X0 + 400 for p in wt.geometry], "lik_type"]) == {"veenontginning"}
    assert set(wt.loc[[p.x > X0 + 500 for p in wt.geometry], "lik_type"]) == {"onbekend"}
    zv = result.sites[result.sites["kind"] == "solar_field"]
    assert zv.loc[[g.bounds[0] == X0 for g in zv.geometry], "lik_type"].eq("veenontginning").all()
    assert list(result.layers()) == ["sites", "landscape", "municipalities", "exclusions"]


def test_options_are_checked() -> None:
    with pytest.raises(InputError, match="cell_ha must be a number above 0"):
        generate_candidates(SQUARE, solar=SolarOptions(cell_ha=0), wind=None)
    with pytest.raises(InputError, match="initiator must be one of"):
        generate_candidates(SQUARE, solar=SolarOptions(initiator="buurman"), wind=None)
    with pytest.raises(InputError, match="rotor_m must be a number above 0"):
        generate_candidates(SQUARE, solar=None, wind=TurbineClass(rotor_diameter_m=-1))
    with pytest.raises(InputError, match="nothing to generate"):
        generate_candidates(SQUARE, solar=None, wind=None)
    with pytest.raises(InputError, match="about .* grid cells"):
        generate_candidates(_munis(("GM0001", shapely.box(0, 300_000, 280_000, 620_000))),
                            solar=SolarOptions(cell_ha=0.01), wind=None)


def test_the_output_follows_the_file_contract(tmp_path: Path) -> None:
    result = generate_candidates(BIG, solar=SOLAR25, wind=AXIS)
    path = write_gpkg(tmp_path / "c.gpkg", result.layers())
    site_list, landscape = load_sites(path)
    assert landscape is None and len(site_list) == len(result.sites) == 16 + 18
    assert {s.gemeente for s in site_list} == {"GM0001"}
    assert [s.site_id for s in site_list] == result.sites["site_id"].tolist()


def test_the_docstring_example_runs() -> None:
    assert doctest.testmod(sites.candidates).failed == 0


def test_rooftop_blocks_from_an_etlocal_row(tmp_path: Path) -> None:
    csv = tmp_path / "etlocal.csv"
    csv.write_text("geo_id,residential_roof_pv_km2,nonres_roof_pv_km2,solar_roof_residential_TJ,solar_roof_nonres_TJ\n"
                   "GM0001,0.1,0.02,6.84,0\n", encoding="utf-8")
    roofs = rooftop_candidates(csv, ["GM0001"], {"GM0001": "Vierkant"})
    # homes: 0.1 km² × 0.15 kWp/m² = 15 MWp minus today's 6.84 TJ / 3.6 / 950 h = 2 MWp; other roofs 3 MWp
    assert roofs["site_id"].tolist() == ["DZ-GM0001-W-001", "DZ-GM0001-W-002", "DZ-GM0001-W-003", "DZ-GM0001-U-001"]
    assert roofs["capacity_mw"].tolist() == pytest.approx([5.0, 5.0, 3.0, 3.0])
    assert set(roofs["kind"]) == {"rooftop_solar"} and roofs.geometry.isna().all()
    result = generate_candidates(SQUARE, solar=SOLAR25, wind=None, roofs=roofs)
    assert result.by_municipality.loc[0, "roof_mw"] == pytest.approx(16.0)
    path = write_gpkg(tmp_path / "c.gpkg", result.layers())
    assert sum(s.kind == "rooftop_solar" for s in load_sites(path)[0]) == 4
    with pytest.raises(InputError, match="gemeente 'GM0002' is not in the file"):
        rooftop_candidates(csv, ["GM0002"])


# --------------------------------------------------------------------------- real Overijssel data

needs_real = pytest.mark.skipif(not GEMEENTEN.is_file(),
                                reason=f"real public data not found at {REAL} (the project's ../shared checkout)")


@pytest.fixture(scope="module")
def real_layers() -> dict[str, object]:
    if not GEMEENTEN.is_file():
        pytest.skip(f"real public data not found at {REAL} (the project's ../shared checkout)")
    natura = read_layer(NATURA, role="exclusion layer")
    nnn = read_layer(NNN, role="exclusion layer")
    return {"boundaries": read_boundaries(GEMEENTEN), "natura": natura, "nnn": nnn,
            "places": read_places(PLACES)}


def _generate(layers: dict[str, object], munis: gpd.GeoDataFrame, cell_ha: float,
              setback_m: float = 400.0, exclusions: tuple[str, ...] = ("natura", "nnn")) -> sites.candidates.CandidateResult:
    excl = [(layers[k].source, layers[k].frame) for k in exclusions]  # type: ignore[attr-defined]
    constraints = build_constraints(excl, layers["places"].frame, setback_m=setback_m)  # type: ignore[attr-defined]
    return generate_candidates(munis, constraints, solar=SolarOptions(cell_ha=cell_ha),
                               wind=TurbineClass(setback_m=setback_m))


@pytest.fixture(scope="module")
def three(real_layers: dict[str, object]) -> tuple[gpd.GeoDataFrame, sites.candidates.CandidateResult]:
    munis = select_municipalities(real_layers["boundaries"], "ES05", ["GM0148", "GM0175", "GM1773"])  # type: ignore[arg-type]
    return munis, _generate(real_layers, munis, 16.0)


def _independent(path: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(path, engine="pyogrio").to_crs(RD)


@pytest.mark.realdata
@needs_real
def test_real_turbines_outside_nature_and_beyond_the_setback(three: tuple[gpd.GeoDataFrame, object]) -> None:
    _, result = three
    turbines = result.sites[result.sites["kind"] == "wind_turbine"][["site_id", "geometry"]]  # type: ignore[attr-defined]
    assert len(turbines) > 100
    for path in (NATURA, NNN):
        hits = gpd.sjoin(turbines, _independent(path)[["geometry"]], predicate="intersects")
        assert hits.empty, f"turbines in {path.name}: {hits['site_id'].tolist()[:5]}"
    places = _independent(PLACES)
    inhabited = places[pd.to_numeric(places["inwoners"], errors="coerce").fillna(0) > 0][["geometry"]]
    nearest = gpd.sjoin_nearest(turbines, inhabited, distance_col="d")
    assert nearest["d"].min() >= 400.0 - 1e-6
    assert nearest["d"].min() < 600.0  # the setback binds somewhere, so the check is not vacuous


@pytest.mark.realdata
@needs_real
def test_real_turbines_keep_the_spacing(three: tuple[gpd.GeoDataFrame, object]) -> None:
    _, result = three
    wt = result.sites[result.sites["kind"] == "wind_turbine"]  # type: ignore[attr-defined]
    xy = np.column_stack([wt.geometry.x, wt.geometry.y])
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 4 * 150.0 - 1e-6  # 4 rotor diameters across the wind, across borders too


@pytest.mark.realdata
@needs_real
def test_real_cells_inside_their_municipality_and_outside_every_exclusion(
        three: tuple[gpd.GeoDataFrame, object]) -> None:
    munis, result = three
    cells = result.sites[result.sites["kind"] == "solar_field"][["site_id", "gemeente", "geometry"]]  # type: ignore[attr-defined]
    assert len(cells) > 500
    gemeenten = _independent(GEMEENTEN)[["statcode", "geometry"]]
    within = gpd.sjoin(cells, gemeenten, predicate="within")
    assert len(within) == len(cells) and (within["statcode"] == within["gemeente"]).all()
    places = _independent(PLACES)
    built_up = places[(places["bebouwde_kom"] == "ja") | places["type_gebied"].isin(BUILT_UP_TYPES)]
    for name, layer in (("natura", _independent(NATURA)), ("nnn", _independent(NNN)), ("built-up", built_up)):
        pairs = gpd.sjoin(cells, layer[["geometry"]], predicate="intersects")
        if len(pairs):
            overlap = shapely.area(shapely.intersection(np.asarray(pairs.geometry.values),
                                                        np.asarray(layer.geometry.values)[pairs["index_right"].to_numpy()]))
            assert overlap.max() < 1e-6, f"cells overlap {name}: {pairs['site_id'].tolist()[:5]}"


@pytest.mark.realdata
@needs_real
def test_real_ids_do_not_depend_on_the_exclusions(real_layers: dict[str, object],
                                                  three: tuple[gpd.GeoDataFrame, object]) -> None:
    munis, result = three
    without_nnn = _generate(real_layers, munis, 16.0, exclusions=("natura",))
    with_all = set(result.sites["site_id"])  # type: ignore[attr-defined]
    assert with_all < set(without_nnn.sites["site_id"])
    same = without_nnn.sites[without_nnn.sites["site_id"].isin(with_all)].set_index("site_id").geometry
    ours = result.sites.set_index("site_id").geometry.loc[same.index]  # type: ignore[attr-defined]
    assert shapely.equals(np.asarray(same.values), np.asarray(ours.values)).all()


@pytest.mark.realdata
@needs_real
def test_real_all_of_es05_at_25_ha_in_seconds(real_layers: dict[str, object]) -> None:
    munis = select_municipalities(real_layers["boundaries"], "ES05")  # type: ignore[arg-type]
    started = time.perf_counter()
    result = _generate(real_layers, munis, 25.0)
    elapsed = time.perf_counter() - started
    per = result.by_municipality.set_index("gemeente")
    assert len(per) == 11 and (per["cells"] > 0).all() and (per["turbines"] > 0).all()
    assert result.sites["site_id"].is_unique
    assert per["total_gwh"].sum() > 1826  # far more candidates than RES West-Overijssel's 2030 target (F03)
    assert elapsed < 20, f"generation took {elapsed:.1f} s"


# --------------------------------------------------------------------------- CLI


def run(*args: object) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


SCENARIO = """name = "candidates"
[targets]
electricity_gwh = 250.0
[lik.onbekend]
allow = ["solar_field", "wind_turbine", "rooftop_solar"]
[lik.veenontginning]
allow = ["solar_field", "wind_turbine", "rooftop_solar"]
max_turbines = 3
"""


@pytest.mark.realdata
@needs_real
def test_cli_candidates_then_plan(tmp_path: Path) -> None:
    lik = tmp_path / "lik.gpkg"
    gpd.GeoDataFrame({"lik_type": ["Veenontginning"]}, geometry=[shapely.box(225_000, 500_000, 245_000, 520_000)],
                     crs=RD).to_crs("EPSG:4326").to_file(lik, engine="pyogrio")
    out = tmp_path / "candidates.gpkg"
    args = ("candidates", "--boundaries", GEMEENTEN, "--region", "ES05", "--gemeente", "GM0148",
            "--gemeente", "Ommen", "--exclude", NATURA, "--exclude", NNN, "--places", PLACES,
            "--landscape", lik, "--cell-ha", 25, "--roofs", REAL / "etlocal_gemeenten_2023_nl.csv", "--out", out)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "GM0148" in result.output and "Ommen" in result.output and "nnn_overijssel_wgs84.geojson" in result.output
    assert [name for name, _ in pyogrio.list_layers(out)] == ["sites", "landscape", "municipalities", "exclusions"]
    site_list, landscape = load_sites(out)
    assert landscape is not None and {s.lik_type for s in site_list} == {"onbekend", "veenontginning"}
    assert {s.gemeente for s in site_list} == {"GM0148", "GM0175"}
    roofs = [s for s in site_list if s.kind == "rooftop_solar"]
    # Dalfsen: (1.38502 + 2.07337) km² × 0.15 kWp/m² − (95.2915 + 128.418) TJ / 3.6 / 950 h (ETLocal 2023)
    dalfsen = sum(s.capacity_mw for s in roofs if s.gemeente == "GM0148")
    assert dalfsen == pytest.approx(3.45839 * 150 - 223.7095 / 3.6 / 0.95, rel=1e-4)
    exclusions = gpd.read_file(out, layer="exclusions", engine="pyogrio")
    assert exclusions["source"].tolist()[:2] == [str(NATURA), str(NNN)]
    again = run(*args)
    assert again.exit_code == 2 and "--force" in again.output
    scenario = tmp_path / "s.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    planned = run("plan", "--sites", out, "--scenario", scenario, "--json", tmp_path / "plan.json")
    assert planned.exit_code == 0, planned.output
    assert "optimal" in planned.output


def _bad(tmp_path: Path, name: str, frame: gpd.GeoDataFrame) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(tmp_path / name, engine="pyogrio")
    return tmp_path / name


@pytest.mark.realdata
@needs_real
@pytest.mark.parametrize("case", ["region", "missing", "nocrs", "points", "inwoners", "empty", "nothing", "buffer"])
def test_cli_bad_geodata_exits_2_with_a_clear_message(tmp_path: Path, case: str) -> None:
    base = {"--boundaries": GEMEENTEN, "--region": "ES05", "--gemeente": "GM1896", "--places": PLACES,
            "--cell-ha": 25}
    extra: list[object] = []
    square = shapely.box(210_000, 515_000, 211_000, 516_000)
    expected: tuple[str, ...]
    if case == "region":
        base["--region"] = "ES99"
        expected = ("unknown RES region 'ES99'", "ES04 (14 municipalities), ES05 (11 municipalities)")
    elif case == "missing":
        extra = ["--exclude", tmp_path / "natura.gpkg"]
        expected = ("natura.gpkg", "not found")
    elif case == "nocrs":
        extra = ["--exclude", _bad(tmp_path, "nocrs.gpkg", gpd.GeoDataFrame(geometry=[square], crs=None))]
        expected = ("nocrs.gpkg", "no coordinate reference system", "assign one in QGIS")
    elif case == "points":
        frame = gpd.GeoDataFrame({"naam": ["paal"]}, geometry=[shapely.Point(210_000, 515_000)], crs=RD)
        extra = ["--exclude", _bad(tmp_path, "points.gpkg", frame)]
        expected = ("points.gpkg", "must hold polygons", "row 1 (naam 'paal')")
    elif case == "inwoners":
        base["--places"] = _bad(tmp_path, "places.gpkg", gpd.GeoDataFrame({"naam": ["x"]}, geometry=[square], crs=RD))
        expected = ("places.gpkg", "no column 'inwoners'")
    elif case == "empty":
        extra = ["--exclude", _bad(tmp_path, "empty.gpkg", gpd.GeoDataFrame({"naam": []}, geometry=[], crs=RD))]
        expected = ("empty.gpkg", "has no features")
    elif case == "nothing":
        extra = ["--no-solar", "--no-wind"]
        expected = ("nothing to generate",)
    else:
        extra = ["--buffer", "wegen.gpkg"]
        expected = ("--buffer expects FILE:METRES",)
    args = [a for k, v in base.items() for a in (k, v)] + extra + ["--out", tmp_path / "out.gpkg"]
    result = run("candidates", *args)
    assert result.exit_code == 2, result.output
    for text in expected:
        assert text in result.output
    assert not (tmp_path / "out.gpkg").exists()


@pytest.mark.realdata
@needs_real
def test_cli_reports_a_repaired_polygon(tmp_path: Path) -> None:
    bow = shapely.Polygon([(205_000, 515_000), (206_000, 516_000), (206_000, 515_000), (205_000, 516_000)])
    bad = _bad(tmp_path, "bow.gpkg", gpd.GeoDataFrame({"naam": ["strik"]}, geometry=[bow], crs=RD))
    result = run("candidates", "--boundaries", GEMEENTEN, "--gemeente", "GM1896", "--places", PLACES,
                 "--exclude", bad, "--cell-ha", 25, "--no-wind", "--out", tmp_path / "out.gpkg")
    assert result.exit_code == 0, result.output
    assert "note:" in result.output and "repaired 1 invalid polygon(s)" in result.output
