"""Reading real GeoPackages: LIK enrichment, CRS handling, round trip of the example."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from sites import load_inputs
from sites.landscape import assign_lik_types
from sites.writer import atomic_path, write_text
from models import InputError


def test_tiny_loads_with_landscape_types(tiny_paths):
    inputs = load_inputs(*tiny_paths)
    by_id = {s.site_id: s for s in inputs.sites}
    assert by_id["ZV-3"].lik_type == "beekdal"
    assert by_id["WT-2"].lik_type == "veenontginning"
    assert by_id["DAK-1"].lik_type == "onbekend"  # no geometry
    assert by_id["ZV-1"].area_ha == pytest.approx(316 * 316 / 10_000)  # from the polygon
    assert by_id["DAK-1"].area_ha == 3.0


def test_other_crs_is_reprojected(tmp_path, tiny_paths):
    frame = gpd.read_file(tiny_paths[0], layer="sites")
    land = gpd.read_file(tiny_paths[0], layer="landscape")
    out = tmp_path / "wgs84.gpkg"
    frame.to_crs("EPSG:4326").to_file(out, layer="sites")
    land.to_crs("EPSG:4326").to_file(out, layer="landscape")
    a = {s.site_id: s for s in load_inputs(*tiny_paths).sites}
    b = {s.site_id: s for s in load_inputs(out, tiny_paths[1]).sites}
    assert a.keys() == b.keys()
    assert b["WT-2"].x_m == pytest.approx(a["WT-2"].x_m, abs=0.01)
    assert b["ZV-1"].area_ha == pytest.approx(a["ZV-1"].area_ha, rel=1e-4)
    assert all(a[k].lik_type == b[k].lik_type for k in a)


def test_polygon_takes_majority_landscape_and_ties_are_stable():
    land = [shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)]
    field = shapely.box(6, 0, 16, 10)  # 4 in A, 6 in B
    tie = shapely.box(5, 0, 15, 10)
    assert assign_lik_types([field, tie, shapely.Point(50, 50), None], land, ["essen", "beekdal"]) == [
        "beekdal", "beekdal", "onbekend", "onbekend"]
    assert assign_lik_types([tie], list(reversed(land)), ["beekdal", "essen"]) == ["beekdal"]


def test_atomic_write_keeps_existing_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "old")
    with pytest.raises(InputError, match="--force"):
        write_text(target, "new")
    with pytest.raises(RuntimeError):
        with atomic_path(target, force=True) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
