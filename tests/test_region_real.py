"""The real run of the README: RES West-Overijssel (ES05), 11 municipalities, 1,826 GWh, from maps.

Candidates from the real boundaries, Natura 2000, NNN and TOP10NL places; the scenario from the
real ETLocal 2023 production; planned end to end through the CLI and checked independently here
with geopandas and the csv module.
"""

from __future__ import annotations

import csv
import json
import tomllib

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import SHARED_REAL

pytestmark = pytest.mark.realdata

FILES = {
    "boundaries": "gemeenten_overijssel_2026_rd.geojson",
    "natura": "natura2000_overijssel_wgs84.geojson",
    "nnn": "nnn_overijssel_wgs84.geojson",
    "places": "top10nl_plaatsen_overijssel_rd.geojson",
    "etlocal": "etlocal_gemeenten_2023_nl.csv",
}
#: Own shares from public_facts_res_overijssel.csv (F05 Kampen, F06 Ommen, F07 Steenwijkerland);
#: Steenwijkerland and Olst-Wijhe chose no wind (F07, F10).
SHARES = {"GM0166": 244.0, "GM0175": 104.0, "GM1708": 171.0}
TARGET_GWH = 1826.0  # F03


@pytest.fixture(scope="module")
def west_overijssel(tmp_path_factory):
    paths = {k: SHARED_REAL / v for k, v in FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        pytest.skip(f"real data not found (expected beside the project in ../shared): {missing[0]}")
    out = tmp_path_factory.mktemp("wo")
    runner = CliRunner()
    gen = runner.invoke(app, [
        "candidates", "--region", "ES05", "--boundaries", str(paths["boundaries"]),
        "--exclude", str(paths["natura"]), "--exclude", str(paths["nnn"]), "--places", str(paths["places"]),
        "--cell-ha", "16", "--out", str(out / "wo.gpkg")])
    assert gen.exit_code == 0, gen.output
    shares = [f"--share={g}={v:g}:test" for g, v in SHARES.items()]
    scen = runner.invoke(app, [
        "region-scenario", "--region", "ES05", "--boundaries", str(paths["boundaries"]),
        "--target-gwh", str(TARGET_GWH), "--existing", str(paths["etlocal"]), *shares,
        "--forbid", "GM1708=wind_turbine", "--forbid", "GM1773=wind_turbine",
        "--out", str(out / "wo.toml")])
    assert scen.exit_code == 0, scen.output
    run = runner.invoke(app, ["plan", "--sites", str(out / "wo.gpkg"), "--scenario", str(out / "wo.toml"),
                              "--json", str(out / "plan.json"), "--out", str(out / "plan.gpkg"),
                              "--map", str(out / "plan.png"), "--html", str(out / "plan.html"),
                              "--xlsx", str(out / "plan.xlsx")])
    assert run.exit_code == 0, run.output
    return paths, out, run.output


def _existing_from_csv(path) -> dict[str, float]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["geo_id"]: (float(r["wind_onshore_prod_TJ"]) + float(r["solar_parks_prod_TJ"])
                              + float(r["solar_roof_nonres_TJ"])) / 3.6
                for r in csv.DictReader(fh) if r["res_code"] == "ES05"}


def test_scenario_holds_the_eleven_municipalities_and_their_production(west_overijssel):
    paths, out, _ = west_overijssel
    scenario = tomllib.loads((out / "wo.toml").read_text(encoding="utf-8"))
    expected = _existing_from_csv(paths["etlocal"])
    assert sorted(scenario["municipalities"]) == sorted(expected) and len(expected) == 11
    for code, row in scenario["municipalities"].items():
        assert row["existing_gwh"] == pytest.approx(expected[code], abs=0.051)
        assert row.get("electricity_gwh") == SHARES.get(code)
    assert scenario["targets"]["electricity_gwh"] == TARGET_GWH


def test_plan_meets_the_region_and_every_own_share(west_overijssel):
    paths, out, output = west_overijssel
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] == "optimal"
    region = plan["targets"]["electricity"]
    assert region["target"] == TARGET_GWH and region["achieved"] >= TARGET_GWH - 1e-6
    rows = {m["gemeente"]: m for m in plan["municipalities"]}
    assert len(rows) == 11
    for code, share in SHARES.items():
        assert rows[code]["achieved_gwh"] >= share - 1e-6
    assert "RES West-Overijssel: municipalities" in output
    assert rows["GM1708"]["chosen_turbines"] == 0 and rows["GM1773"]["chosen_turbines"] == 0
    assert rows["GM1708"]["chosen_field_ha"] > 0  # Steenwijkerland meets its share with solar
    assert plan["excluded"]["municipality_forbids"]["sites"] > 0
    # the eleven totals add up to the region's achieved yield
    assert sum(m["achieved_gwh"] for m in rows.values()) == pytest.approx(region["achieved"], rel=1e-9)


def test_each_chosen_site_counts_only_for_the_municipality_that_holds_it(west_overijssel):
    """Recomputed with a spatial join of the chosen sites on the real boundaries."""
    paths, out, _ = west_overijssel
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    chosen = gpd.read_file(out / "plan.gpkg", layer="plan_sites", engine="pyogrio")
    towns = gpd.read_file(paths["boundaries"], engine="pyogrio").to_crs(28992)
    towns = towns[towns["res_code"] == "ES05"][["statcode", "geometry"]]
    joined = gpd.sjoin(chosen, towns, predicate="within", how="left")
    assert joined["statcode"].notna().all(), "a chosen site lies outside every ES05 municipality"
    assert (joined["statcode"] == joined["gemeente"]).all()
    inside = joined.groupby("statcode")["yield_gwh"].sum()
    existing = _existing_from_csv(paths["etlocal"])
    for m in plan["municipalities"]:
        got = inside.get(m["gemeente"], 0.0) + existing[m["gemeente"]]
        assert m["achieved_gwh"] == pytest.approx(got, abs=0.06)  # existing_gwh is rounded to 0.1 GWh


def test_region_documents_show_the_municipalities(west_overijssel):
    """The shared results of the region run: municipality rows with their real polygons in the
    GeoPackage, the exclusion areas and boundaries on the map page, every municipality in the HTML
    and the Excel workbook."""
    import openpyxl
    import pyogrio

    paths, out, _ = west_overijssel
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    towns = pyogrio.read_dataframe(out / "plan.gpkg", layer="plan_municipalities")
    assert len(towns) == 11 and towns.geometry.notna().all()
    boundaries = gpd.read_file(paths["boundaries"]).to_crs("EPSG:28992")
    code = next(c for c in ("statcode", "gm_code", "gemeentecode") if c in boundaries.columns)
    kampen = boundaries[boundaries[code] == "GM0166"].geometry.iloc[0]
    assert towns[towns["gemeente"] == "GM0166"].geometry.iloc[0].symmetric_difference(kampen).area < 1.0
    assert (out / "plan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "plan.html").read_text(encoding="utf-8")
    for m in plan["municipalities"]:
        assert m["name"] in page
    book = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)
    text = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    for m in plan["municipalities"]:
        assert m["name"] in text


def test_the_2050_step_plans_both_years_with_every_share_in_one_problem(west_overijssel):
    """The README's 2050 step: 2030 = 1,826 GWh, 2050 double, every own share scaled like the region's;
    one plan over both years."""
    paths, out, _ = west_overijssel
    runner = CliRunner()
    shares = [f"--share={g}={v:g}:test" for g, v in SHARES.items()]
    scen = runner.invoke(app, [
        "region-scenario", "--region", "ES05", "--boundaries", str(paths["boundaries"]),
        "--target-gwh", str(TARGET_GWH), "--year", "2030", "--multiple", "2050=2.0",
        "--existing", str(paths["etlocal"]), *shares,
        "--forbid", "GM1708=wind_turbine", "--forbid", "GM1773=wind_turbine", "--out", str(out / "wo2050.toml")])
    assert scen.exit_code == 0, scen.output
    run = runner.invoke(app, ["plan", "--sites", str(out / "wo.gpkg"), "--scenario", str(out / "wo2050.toml"),
                              "--json", str(out / "plan2050.json")])
    assert run.exit_code == 0, run.output
    doc = json.loads((out / "plan2050.json").read_text(encoding="utf-8"))
    one_year = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert doc["years"] == [2030, 2050] and doc["status"] == "optimal"
    assert doc["targets"]["2050"]["target"] == pytest.approx(2 * TARGET_GWH)
    for year, factor in (("2030", 1.0), ("2050", 2.0)):
        rows = {m["gemeente"]: m for m in doc["municipalities"][year]}
        for code, share in SHARES.items():
            assert rows[code]["target_gwh"] == pytest.approx(factor * share)
            assert rows[code]["achieved_gwh"] >= factor * share - 1e-6
    # the 2050 plan builds on 2030's: every site built by 2030 is still there
    assert set(doc["periods"]["2030"]["selected"]) <= set(doc["periods"]["2050"]["selected"])
    assert one_year["status"] == "optimal"
