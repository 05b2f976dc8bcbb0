"""Reading GIS layers for candidate generation (``sites.geodata``): CRS, repairs, and bad files.

Bad files are built in ``tmp_path`` with geopandas/pyogrio; each must give an ``InputError``
naming the file and the fix (never a traceback). Tests marked ``realdata`` read
``../shared/data/real`` and are skipped, with the reason, when it is absent.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from models import InputError
from sites.boundaries import read_boundaries, select_municipalities
from sites.geodata import parse_buffer_spec, read_landscape_layer, read_layer, read_places, split_layer_spec

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
RD = "EPSG:28992"
X0, Y0 = 200_000.0, 500_000.0


def _write(path: Path, frame: gpd.GeoDataFrame, layer: str | None = None) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "'crs' was not provided" for the no-CRS case, on purpose
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    return path


def _square(naam: str = "a", crs: str | None = RD) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"naam": [naam]}, geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 100)], crs=crs)


def _error(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(info.value)


def test_wgs84_layer_is_reprojected_to_rd_new(tmp_path: Path) -> None:
    frame = _square().to_crs("EPSG:4326")
    layer = read_layer(_write(tmp_path / "wgs.gpkg", frame), role="exclusion layer")
    assert layer.frame.crs.to_epsg() == 28992 and layer.notes == ()
    assert layer.frame.geometry.iloc[0].area == pytest.approx(10_000.0, rel=1e-6)
    assert shapely.box(X0, Y0, X0 + 100, Y0 + 100).symmetric_difference(layer.frame.geometry.iloc[0]).area < 1.0


def test_missing_file_names_it(tmp_path: Path) -> None:
    msg = _error(read_layer, tmp_path / "nope.gpkg", role="exclusion layer")
    assert "nope.gpkg" in msg and "not found" in msg


def test_not_gis_data(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    assert "cannot open the exclusion layer file as GIS data" in _error(read_layer, path, role="exclusion layer")


def test_no_crs_says_how_to_assign_one(tmp_path: Path) -> None:
    msg = _error(read_layer, _write(tmp_path / "nocrs.gpkg", _square(crs=None)), role="exclusion layer")
    assert "no coordinate reference system" in msg and "assign one in QGIS" in msg and "EPSG:28992" in msg


def test_rd_coordinates_in_a_geojson_without_crs_member(tmp_path: Path) -> None:
    path = tmp_path / "rd.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                    '"geometry": {"type": "Polygon", "coordinates": [[[200000, 500000], [200100, 500000], '
                    '[200100, 500100], [200000, 500000]]]}}]}', encoding="utf-8")
    msg = _error(read_layer, path, role="exclusion layer")
    assert "not degrees" in msg and "assign EPSG:28992" in msg


def test_empty_layer(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"naam": []}, geometry=[], crs=RD)
    assert "has no features" in _error(read_layer, _write(tmp_path / "empty.gpkg", frame), role="exclusion layer")


def test_points_in_a_polygon_layer_name_the_rows(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"naam": ["veld", "paal", "weg"]},
                             geometry=[shapely.box(X0, Y0, X0 + 1, Y0 + 1), shapely.Point(X0, Y0),
                                       shapely.LineString([(X0, Y0), (X0 + 5, Y0)])], crs=RD)
    msg = _error(read_layer, _write(tmp_path / "pts.gpkg", frame), role="exclusion layer")
    assert "must hold polygons" in msg and "LineString, Point" in msg
    assert "row 2 (naam 'paal')" in msg and "row 3 (naam 'weg')" in msg and "--buffer" in msg


def test_points_are_fine_where_any_geometry_is(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"naam": ["paal"]}, geometry=[shapely.Point(X0, Y0)], crs=RD)
    layer = read_layer(_write(tmp_path / "pts.gpkg", frame), role="buffer layer", polygons=False)
    assert layer.frame.geometry.iloc[0].equals(shapely.Point(X0, Y0))


def test_polygons_in_a_mixed_layer_are_repaired_too(tmp_path: Path) -> None:
    bow = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    frame = gpd.GeoDataFrame({"naam": ["weg", "strik"]},
                             geometry=[shapely.LineString([(X0, Y0), (X0 + 5, Y0)]), bow], crs=RD)
    layer = read_layer(_write(tmp_path / "mixed.gpkg", frame), role="buffer layer", polygons=False)
    assert "row 2 (naam 'strik')" in layer.notes[0] and layer.frame.geometry.is_valid.all()


def test_bow_tie_is_repaired_and_reported(tmp_path: Path) -> None:
    bow = shapely.Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
    assert not bow.is_valid
    frame = gpd.GeoDataFrame({"naam": ["strik", "goed"]}, geometry=[bow, shapely.box(X0, Y0, X0 + 5, Y0 + 5)], crs=RD)
    layer = read_layer(_write(tmp_path / "bow.gpkg", frame), role="exclusion layer")
    assert len(layer.notes) == 1 and "repaired 1 invalid polygon(s)" in layer.notes[0]
    assert "row 1 (naam 'strik')" in layer.notes[0]
    fixed = layer.frame.geometry.iloc[0]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and fixed.area == pytest.approx(500_000.0)


def test_polygon_without_area_after_repair_is_an_error(tmp_path: Path) -> None:
    flat = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20)])
    frame = gpd.GeoDataFrame({"naam": ["plat"]}, geometry=[flat], crs=RD)
    msg = _error(read_layer, _write(tmp_path / "flat.gpkg", frame), role="exclusion layer")
    assert "no area left after repair" in msg and "row 1 (naam 'plat')" in msg and "Fix geometries" in msg


def test_rows_without_geometry_are_left_out_with_a_note(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"naam": ["a", "leeg"]}, geometry=[shapely.box(X0, Y0, X0 + 1, Y0 + 1), None], crs=RD)
    layer = read_layer(_write(tmp_path / "some.gpkg", frame), role="exclusion layer")
    assert len(layer.frame) == 1 and "1 row(s) without geometry left out" in layer.notes[0]


def test_several_layers_need_a_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "multi.gpkg", _square("a"), layer="natura")
    _write(path, _square("b"), layer="nnn")
    msg = _error(read_layer, path, role="exclusion layer")
    assert "2 layers (natura, nnn)" in msg and "multi.gpkg:LAYER" in msg
    assert read_layer(f"{path}:nnn", role="exclusion layer").frame["naam"].tolist() == ["b"]
    assert "Did you mean 'nnn'" in _error(read_layer, f"{path}:nn", role="exclusion layer")


def test_layer_and_buffer_specs() -> None:
    assert split_layer_spec("a.gpkg:roads") == (Path("a.gpkg"), "roads")
    assert split_layer_spec("a.gpkg") == (Path("a.gpkg"), None)
    assert parse_buffer_spec("a.gpkg:roads:150") == ("a.gpkg:roads", 150.0)
    assert parse_buffer_spec("wegen.geojson:0") == ("wegen.geojson", 0.0)
    for bad in ("wegen.geojson", "wegen.geojson:-5", "wegen.geojson:ver", ":100"):
        with pytest.raises(InputError, match="FILE:METRES"):
            parse_buffer_spec(bad)


def test_places_need_inwoners(tmp_path: Path) -> None:
    msg = _error(read_places, _write(tmp_path / "places.gpkg", _square()))
    assert "no column 'inwoners'" in msg and "columns: naam" in msg


def test_places_built_up_and_inhabitants(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({
        "naam": ["kern", "buurtschap", "bedrijven", "gehucht"],
        "type_gebied": ["woonkern", "buurtschap", "industriekern", "gehucht"],
        "bebouwde_kom": ["ja", "nee", "nee", "nee"],
        "inwoners": [1200.0, 40.0, None, 10.0],
    }, geometry=[shapely.box(X0 + 10 * i, Y0, X0 + 10 * i + 5, Y0 + 5) for i in range(4)], crs=RD)
    places = read_places(_write(tmp_path / "places.gpkg", frame)).frame
    assert places["built_up"].tolist() == [True, False, True, True]
    assert places["inwoners"].tolist() == [1200.0, 40.0, 0.0, 10.0]


def test_places_with_text_in_inwoners(tmp_path: Path) -> None:
    frame = _square("kern")
    frame["inwoners"] = ["veel"]
    msg = _error(read_places, _write(tmp_path / "places.gpkg", frame))
    assert "must hold a number ≥ 0" in msg and "row 1 (naam 'kern')" in msg


def test_landscape_layer_types(tmp_path: Path) -> None:
    frame = _square()
    frame["lik_type"] = ["Esdorpen"]
    assert read_landscape_layer(_write(tmp_path / "lik.gpkg", frame)).frame["lik_type"].tolist() == ["essen"]
    frame["lik_type"] = ["moeras"]
    assert "unknown landscape type 'moeras'" in _error(read_landscape_layer, _write(tmp_path / "bad.gpkg", frame))
    assert "no column 'lik_type'" in _error(read_landscape_layer, _write(tmp_path / "none.gpkg", _square()))


def _boundaries(tmp_path: Path, **columns: list[object]) -> Path:
    frame = gpd.GeoDataFrame(columns, geometry=[shapely.box(X0 + 2000 * i, Y0, X0 + 2000 * i + 1000, Y0 + 1000)
                                                for i in range(len(next(iter(columns.values()))))], crs=RD)
    return _write(tmp_path / "gemeenten.gpkg", frame)


def test_boundaries_find_the_code_column_and_select(tmp_path: Path) -> None:
    path = _boundaries(tmp_path, gemeentecode=[148, 160, 175], gemeentenaam=["Dalfsen", "Hardenberg", "Ommen"],
                       res_code=["ES05", "ES05", "ES04"])
    bounds = read_boundaries(path)
    assert bounds.frame["gemeente"].tolist() == ["GM0148", "GM0160", "GM0175"]
    assert select_municipalities(bounds, "es05")["gemeente"].tolist() == ["GM0148", "GM0160"]
    assert select_municipalities(bounds, None, ["ommen", "GM0148"])["gemeente"].tolist() == ["GM0148", "GM0175"]
    assert "does not belong to RES region ES05" in _error(select_municipalities, bounds, "ES05", ["Ommen"])
    msg = _error(select_municipalities, bounds, "ES99")
    assert "unknown RES region 'ES99'" in msg and "ES04 (1 municipalities), ES05 (2 municipalities)" in msg
    assert "Did you mean 'Dalfsen'" in _error(select_municipalities, bounds, None, ["Dalfsn"])


def test_boundaries_without_a_code_column(tmp_path: Path) -> None:
    path = _boundaries(tmp_path, naam=["Dalfsen"])
    msg = _error(read_boundaries, path)
    assert "no municipality code column" in msg and "--code-column" in msg
    assert read_boundaries(path, code_column="naam").frame["gemeente"].tolist() == ["Dalfsen"]
    assert "no column 'cbs'" in _error(read_boundaries, path, code_column="cbs")


def test_region_needs_a_res_code_column(tmp_path: Path) -> None:
    bounds = read_boundaries(_boundaries(tmp_path, statcode=["GM0148"]))
    assert "no 'res_code' column" in _error(select_municipalities, bounds, "ES05")


@pytest.mark.realdata
def test_real_layers_read_and_reproject() -> None:
    if not REAL.is_dir():
        pytest.skip(f"real public data not found at {REAL} (the project's ../shared checkout)")
    bounds = read_boundaries(REAL / "gemeenten_overijssel_2026_rd.geojson")
    assert len(bounds.frame) == 25 and bounds.notes == ()
    es05 = select_municipalities(bounds, "ES05")
    assert len(es05) == 11 and "GM0160" in set(es05["gemeente"])
    natura = read_layer(REAL / "natura2000_overijssel_wgs84.geojson", role="exclusion layer")
    assert natura.frame.crs.to_epsg() == 28992
    # ≈ 37,700 ha in the source, counted per feature (HR and VR features overlap)
    assert natura.frame.area.sum() / 10_000 == pytest.approx(37_700, rel=0.05)
    places = read_places(REAL / "top10nl_plaatsen_overijssel_rd.geojson").frame
    assert len(places) == 1138 and int(places["built_up"].sum()) >= 182
