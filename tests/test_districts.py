"""Reading aardgasvrij districts: the real ETLocal buurt table, our own CSV / GeoPackage, calibration.

Tests marked ``realdata`` read ``../shared/data/real`` (fixture ``shared_real``) and are skipped
when that data is absent. Expected totals are computed independently with the ``csv`` module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from models import InputError
from models.heat import GAS_MJ_PER_M3, HeatSource
from sites import DistrictSet, calibrate_to_municipality, read_districts, write_districts_gpkg

BUURTEN = "etlocal_buurten_overijssel_kwb2016vintage.csv"
GEMEENTEN = "etlocal_gemeenten_2023_nl.csv"
ETLOCAL_HEADER = ("type,cbs_code,gm_code,wk_code,area_name,municipality,number_of_residences,"
                  "avg_electricity_kwh_per_dwelling,avg_gas_m3_per_dwelling\n")
OWN_HEADER = ("district_id,name,gemeente,dwellings,gas_m3_per_dwelling,electricity_kwh_per_dwelling,"
              "rural,area_ha,pre_1965_share,heat_sources,earliest_year\n")


def _file_rows(shared_real: Path, gm: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The BU rows of ``gm`` with dwellings and gas use, and its GM row, read with plain ``csv``."""
    with (shared_real / BUURTEN).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    bu = [r for r in rows if r["type"] == "BU" and r["gm_code"] == gm
          and r["number_of_residences"] and float(r["number_of_residences"]) > 0 and r["avg_gas_m3_per_dwelling"]]
    return bu, next(r for r in rows if r["type"] == "GM" and r["cbs_code"] == gm)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _error(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        read_districts(path, **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# --------------------------------------------------------------------------- real ETLocal buurt data


@pytest.mark.realdata
def test_hardenberg_totals_match_the_file(shared_real: Path) -> None:
    ds = read_districts(shared_real / BUURTEN, gemeente="GM0160")
    bu, gm_row = _file_rows(shared_real, "GM0160")
    assert len(ds.districts) == len(bu) == 70
    assert ds.dwellings == sum(int(float(r["number_of_residences"])) for r in bu) == 23_100
    gas = sum(float(r["number_of_residences"]) * float(r["avg_gas_m3_per_dwelling"]) for r in bu)
    assert ds.gas_m3 == pytest.approx(gas, rel=1e-12)
    assert ds.gas_m3 == pytest.approx(37_177_800)
    assert [d.district_id for d in ds.districts] == sorted(r["cbs_code"] for r in bu)
    assert {d.gemeente for d in ds.districts} == {"GM0160"}
    # Against the file's own GM0160 row: dwellings −0.45 %. Gas differs by +2.05 % (37.18 against
    # 23,205 × 1,570 = 36.43 million m³): buurt averages weighted by dwellings do not add up to the
    # municipal average; across Overijssel this gap is −2.4 % … +3.8 %, so 1 % cannot hold for gas.
    assert ds.dwellings == pytest.approx(float(gm_row["number_of_residences"]), rel=0.01)
    gm_gas = float(gm_row["number_of_residences"]) * float(gm_row["avg_gas_m3_per_dwelling"])
    assert ds.gas_m3 == pytest.approx(gm_gas, rel=0.025)


@pytest.mark.realdata
def test_hardenberg_messages_and_rural_buurten(shared_real: Path) -> None:
    ds = read_districts(shared_real / BUURTEN, gemeente="gm0160")
    rural = {d.name for d in ds.districts if d.rural}
    assert rural == {d.name for d in ds.districts if "verspreid" in d.name.lower()
                     or "buitengebied" in d.name.lower()}
    assert len(rural) == 28 and "Verspreide huizen Kloosterhaar" in rural
    assert "70 buurten (BU rows) of GM0160" in ds.messages[0]
    assert any(m.startswith("28 of 70 buurten marked rural") for m in ds.messages)
    assert not any("left out" in m or "duplicate" in m for m in ds.messages)


@pytest.mark.realdata
def test_almelo_loads_with_its_colliding_code(shared_real: Path) -> None:
    ds = read_districts(shared_real / BUURTEN, gemeente="GM0141")
    bu, _ = _file_rows(shared_real, "GM0141")
    assert ds.dwellings == sum(int(float(r["number_of_residences"])) for r in bu)
    ids = {d.district_id for d in ds.districts}
    assert {"BU01411201", "BU01411201-2"} <= ids  # Parkweg and Haghoek West share one code
    assert any("BU01411201 (line 15, line 16) → BU01411201-2" in m for m in ds.messages)


@pytest.mark.realdata
def test_whole_file_without_filter(shared_real: Path) -> None:
    ds = read_districts(shared_real / BUURTEN)
    assert len({d.gemeente for d in ds.districts}) == 25
    assert len(ds.districts) == 1002  # 1,030 BU rows, 28 without dwellings or gas use
    assert any(m.startswith("28 buurten left out") for m in ds.messages)
    buitengebied = [d for d in ds.districts if "buitengebied" in d.name.lower()]
    assert len(buitengebied) == 15 and all(d.rural for d in buitengebied)


@pytest.mark.realdata
def test_calibration_to_etlocal_2023(shared_real: Path) -> None:
    raw = read_districts(shared_real / BUURTEN, gemeente="GM0160")
    ds = calibrate_to_municipality(raw, shared_real / GEMEENTEN, "GM0160")
    assert ds.dwellings == 25_102
    assert ds.gas_m3 * GAS_MJ_PER_M3 / 1e6 == pytest.approx(781.8, abs=0.05)  # [TJ]
    assert ds.messages[-1].startswith("dwellings × 1.087, gas per dwelling × 0.611 to match ETLocal 2023 for GM0160")
    factors = {round(a.gas_m3_per_dwelling / b.gas_m3_per_dwelling, 9) for a, b in zip(ds.districts, raw.districts)}
    assert len(factors) == 1
    with pytest.raises(InputError, match=r"etlocal_gemeenten_2023_nl.csv: gemeente 'GM9999' is not in the file"):
        calibrate_to_municipality(raw, shared_real / GEMEENTEN, "GM9999")
    with pytest.raises(InputError, match="other municipalities too"):
        calibrate_to_municipality(read_districts(shared_real / BUURTEN), shared_real / GEMEENTEN, "GM0160")


# --------------------------------------------------------------------------- small ETLocal-format files


def test_etlocal_duplicates_empty_rows_and_rural(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten.csv", ETLOCAL_HEADER
                  + "BU,BU00010001,GM0001,WK000100,Dorp,A,100.0,3000.0,1200.0\n"
                  + "BU,BU00010001,GM0001,WK000100,Dorp,A,100.0,3000.0,1200.0\n"
                  + "BU,BU00010002,GM0001,WK000100,Buitengebied Dorp,A,20.0,,2000.0\n"
                  + "BU,BU00010003,GM0001,WK000100,Bedrijven,A,0.0,,\n"
                  + "WK,WK000100,GM0001,WK000100,Wijk 00,A,120.0,3000.0,1300.0\n"
                  + "GM,GM0001,GM0001,,A,A,120.0,3000.0,1300.0\n")
    ds = read_districts(path)
    assert isinstance(ds, DistrictSet) and [d.district_id for d in ds.districts] == ["BU00010001", "BU00010002"]
    assert ds.dwellings == 120 and ds.gas_m3 == 100 * 1200 + 20 * 2000
    assert ds.districts[1].rural and ds.districts[1].electricity_kwh_per_dwelling is None
    text = "\n".join(ds.messages)
    assert "identical duplicate rows, kept once: BU00010001 (line 2, line 3)" in text
    assert "1 buurten left out: no dwellings or no gas use" in text and "BU00010003" in text
    assert "1 of 2 buurten marked rural" in text


# --------------------------------------------------------------------------- our own table


def _own_csv(tmp_path: Path) -> Path:
    return _write(tmp_path / "wijken.csv", OWN_HEADER
                  + "D2,Centrum,Hardenberg,400,1100,2500,nee,20,0.6,restwarmte; geothermie,2030\n"
                  + "D1,Buiten,Hardenberg,50,2000,,ja,,,,\n", encoding="utf-8-sig")


def test_own_csv_and_gpkg_round_trip(tmp_path: Path) -> None:
    ds = read_districts(_own_csv(tmp_path))
    assert [d.district_id for d in ds.districts] == ["D1", "D2"]
    d1, d2 = ds.districts
    assert d1.rural and not d2.rural and d1.area_ha is None and d2.earliest_year == 2030
    assert d2.heat_sources == [HeatSource.RESTWARMTE, HeatSource.GEOTHERMIE] and d2.old_stock
    assert ds.messages == ["2 districts from wijken.csv"]
    out = write_districts_gpkg(ds, tmp_path / "wijken.gpkg")
    again = read_districts(out, gemeente="Hardenberg")
    assert [d.model_dump() for d in again.districts] == [d.model_dump() for d in ds.districts]
    with pytest.raises(InputError, match="exists already"):
        write_districts_gpkg(ds, out)
    write_districts_gpkg(ds.districts, out, force=True)


def test_gpkg_in_wgs84_is_reprojected(tmp_path: Path) -> None:
    boxes = [shapely.box(230_000, 510_000, 231_000, 510_500), shapely.box(231_000, 510_000, 231_200, 510_100)]
    frame = gpd.GeoDataFrame({"district_id": [7, 8], "dwellings": [300, 12], "gas_m3_per_dwelling": [1000.0, 1800.0],
                              "area_ha": [None, 3.0], "opmerking": ["x", "y"]}, geometry=boxes, crs="EPSG:28992")
    path = tmp_path / "wgs84.gpkg"
    frame.to_crs("EPSG:4326").to_file(path, layer="wijken", engine="pyogrio")  # the only layer
    ds = read_districts(path)
    seven, eight = ds.districts
    assert seven.district_id == "7" and seven.area_ha == pytest.approx(50.0, rel=1e-4)
    assert eight.area_ha == 3.0  # given, not taken from the polygon
    assert seven.geometry.bounds == pytest.approx(boxes[0].bounds, abs=0.01)
    assert "columns not used: opmerking" in ds.messages
    again = read_districts(write_districts_gpkg(ds, tmp_path / "rd.gpkg"))
    assert [d.model_dump() for d in again.districts] == [d.model_dump() for d in ds.districts]
    assert again.districts[0].geometry.equals(seven.geometry)


# --------------------------------------------------------------------------- bad input


def test_missing_required_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", "district_id,dwellings\nD1,10\n")
    assert _error(path) == f"{path}: required column(s) missing: gas_m3_per_dwelling; " \
                           "name the columns like the District fields (district_id, name, gemeente, " \
                           "dwellings, gas_m3_per_dwelling, electricity_kwh_per_dwelling, rural, area_ha, " \
                           "pre_1965_share, heat_sources, earliest_year, deadline_year, address_density_per_km2)"


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", "district_id,dwellings,gas_m3_per_dwelling,rural\n"
                  "D1,10,-5,nee\nD2,veel,1200,ja\nD3,10,1200,misschien\n")
    text = _error(path)
    assert text.startswith(f"{path}: 3 problem(s) in the district rows")
    assert "line 2 (district_id 'D1'): gas_m3_per_dwelling: Input should be greater than or equal to 0 (got -5)" in text
    assert "line 3 (district_id 'D2'): dwellings: Input should be a valid integer" in text and "'veel'" in text
    assert "line 4 (district_id 'D3'): rural: Input should be a valid boolean" in text


def test_conflicting_duplicate_ids(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", "district_id,dwellings,gas_m3_per_dwelling\nD1,10,1200\nD1,10,1200\nD1,12,1200\n")
    text = _error(path)
    assert f"{path}: 1 problem(s)" in text
    assert "line 4 (district_id 'D1'): duplicate district_id with different values (first on line 2)" in text


def test_unknown_gemeente(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.csv", ETLOCAL_HEADER + "BU,BU00010001,GM0001,WK000100,Dorp,A,100,3000,1200\n"
                  "BU,BU00020001,GM0002,WK000200,Stad,B,100,3000,1200\n")
    assert _error(path, gemeente="GM0160") == (f"{path}: gemeente 'GM0160' is not in the file; "
                                               "it holds 2 municipalities: GM0001, GM0002")
    own = _own_csv(tmp_path)
    assert "no district has gemeente 'Ommen'; the file holds: Hardenberg" in _error(own, gemeente="Ommen")


def test_gpkg_without_crs(tmp_path: Path) -> None:
    path = tmp_path / "nocrs.gpkg"
    frame = gpd.GeoDataFrame({"district_id": ["D1"], "dwellings": [10], "gas_m3_per_dwelling": [1200.0]},
                             geometry=[shapely.box(0, 0, 100, 100)])
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        frame.to_file(path, layer="districts", engine="pyogrio")
    assert _error(path).startswith(f"{path} (layer 'districts'): the layer has no coordinate reference system")


def test_bad_polygon_and_empty_files(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
    path = tmp_path / "bad.gpkg"
    gpd.GeoDataFrame({"district_id": ["D1"], "dwellings": [10], "gas_m3_per_dwelling": [1200.0]},
                     geometry=[bowtie], crs="EPSG:28992").to_file(path, layer="districts", engine="pyogrio")
    assert "row 1 (district_id 'D1'): geometry: a district needs a valid polygon (got Self-intersection" in _error(path)
    empty = _write(tmp_path / "empty.csv", "")
    assert _error(empty) == f"{empty}: the file is empty; it needs a header line and one line per district"
    header_only = _write(tmp_path / "header.csv", OWN_HEADER)
    assert _error(header_only) == f"{header_only}: the file has a header but no rows; add one line per district"
    assert "district file not found" in _error(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- the rural rule


def test_rural_from_address_density_then_area_then_name(tmp_path: Path) -> None:
    """CBS stedelijkheid: < 500 addresses/km² is niet stedelijk; dwellings per km² of area stand in
    without it; the name rule only when neither is known."""
    path = _write(tmp_path / "buurten.csv", ETLOCAL_HEADER.rstrip("\n") + ",omgevingsadressendichtheid,area_ha\n"
                  + "BU,BU00010001,GM0001,WK000100,Buitengebied Oost,A,100.0,3000.0,1200.0,650,\n"
                  + "BU,BU00010002,GM0001,WK000100,Kern,A,300.0,3000.0,1200.0,420,\n"
                  + "BU,BU00010003,GM0001,WK000100,Es,A,200.0,3000.0,1200.0,,100\n"
                  + "BU,BU00010004,GM0001,WK000100,Verspreide huizen,A,40.0,3000.0,1200.0,,\n")
    ds = read_districts(path)
    assert [d.rural for d in ds.districts] == [False, True, True, True]  # 650 urban despite its name
    assert ds.districts[2].area_ha == 100 and ds.districts[0].address_density_per_km2 == 650
    assert ds.messages[-1] == ("3 of 4 buurten marked rural, by address density < 500/km² (CBS stedelijkheid: "
                               "niet stedelijk) for 2; dwellings per km² of area < 500 (no address density) for 1; "
                               "the name rule ('buitengebied' or 'verspreid' in the name; no density or area) for 1")


def test_own_table_keeps_its_rural_column_and_derives_the_blanks(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.csv", "district_id,name,dwellings,gas_m3_per_dwelling,rural,area_ha\n"
                  "D1,Buitengebied,50,2000,nee,\nD2,Veld,50,2000,,200\nD3,Centrum,900,1200,,30\n")
    ds = read_districts(path)
    assert [d.rural for d in ds.districts] == [False, True, False]
    assert ds.messages[-1].startswith("1 of 2 districts without a rural value marked rural, by dwellings per km²")
