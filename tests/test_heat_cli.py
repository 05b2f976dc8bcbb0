"""``energie heat`` and ``energie plan`` with districts: real buurt data, the example, outputs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
from typer.testing import CliRunner

from cli.main import app
from energie.check.heat import check_heat_plan
from energie.planner.plans import plan_with_heat
from models import PlanStatus
from sites.districts import read_districts
from sites.heat_inputs import example_heat_inputs, load_heat_inputs

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
BUURTEN = REAL / "etlocal_buurten_overijssel_kwb2016vintage.csv"
GEMEENTEN = REAL / "etlocal_gemeenten_2023_nl.csv"
needs_real = pytest.mark.skipif(not BUURTEN.is_file(), reason=f"real data not found at {REAL} (../shared absent)")
runner = CliRunner()


@pytest.mark.realdata
@needs_real
@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_all_hardenberg_buurten_from_real_numbers_meet_the_gas_targets(solver: str) -> None:
    inputs = load_heat_inputs(BUURTEN, "GM0160", GEMEENTEN, None, None)
    assert len(inputs.districts) == 70
    plan = plan_with_heat(inputs.sites, inputs.districts, inputs.scenario, solver=solver)
    assert plan.status is PlanStatus.OPTIMAL and plan.heat is not None
    total = sum(d.gas_m3 for d in inputs.districts) / 1e6
    assert total == pytest.approx(781.8 / 31.65, rel=1e-3)  # ETLocal 2023 household gas, calibrated
    saved = {g.year: g.saved_mm3 for g in plan.heat.gas_targets}
    assert saved[2030] >= 0.2 * total - 1e-6 and saved[2050] == pytest.approx(total)
    assert check_heat_plan(inputs.districts, inputs.scenario, plan) == []


@pytest.mark.realdata
@needs_real
def test_rural_weight_on_real_buurten_moves_rural_buurten_to_green_gas() -> None:
    inputs = load_heat_inputs(BUURTEN, "GM0160", None, None, None)
    green = {"green_gas_hybrid", "green_gas_boiler"}

    def rural_green_dwellings(weight: float) -> int:
        heat = inputs.scenario.heat
        assert heat is not None
        sc = inputs.scenario.model_copy(update={"heat": heat.model_copy(update={"rural_green_gas_weight": weight})})
        p = plan_with_heat([], inputs.districts, sc, solver="highs")
        assert p.heat is not None
        return sum(r.dwellings for r in p.heat.districts if r.rural and r.strategy in green)

    preferred, neutral, against = rural_green_dwellings(0.6), rural_green_dwellings(1.0), rural_green_dwellings(1.8)
    assert preferred >= neutral >= against
    assert preferred > against


@pytest.mark.realdata
@needs_real
def test_cli_heat_on_real_buurten_writes_json_and_gpkg(tmp_path: Path) -> None:
    out, js = tmp_path / "heat.gpkg", tmp_path / "heat.json"
    r = runner.invoke(app, ["heat", "--gemeente", "GM0160", "--buurten", str(BUURTEN), "--calibrate-to",
                            str(GEMEENTEN), "--out", str(out), "--json", str(js)])
    assert r.exit_code == 0, r.output
    assert "dwellings × 1.087" in r.output and "Per district" in r.output
    doc = json.loads(js.read_text())
    assert len(doc["heat"]["districts"]) == 70 and doc["status"] == "optimal"
    assert [name for name, _ in pyogrio.list_layers(out)] == ["plan_districts"]
    # no polygons in the CBS/ETLocal table: the map says so instead of drawing nothing
    r = runner.invoke(app, ["heat", "--gemeente", "GM0160", "--buurten", str(BUURTEN), "--map",
                            str(tmp_path / "m.png")])
    assert r.exit_code == 2 and "polygon" in r.output
    assert not (tmp_path / "m.png").exists()


def test_cli_heat_example_map_and_exit_codes(tmp_path: Path) -> None:
    png = tmp_path / "map.png"
    r = runner.invoke(app, ["heat", "--example", "hardenberg", "--map", str(png)])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "add_heat_demand" in r.output and "Per strategy" in r.output
    r = runner.invoke(app, ["heat", "--example", "hardenberg", "--map", str(png)])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(app, ["heat"])
    assert r.exit_code == 2 and "--buurten" in r.output
    r = runner.invoke(app, ["heat", "--buurten", str(tmp_path / "missing.csv")])
    assert r.exit_code == 2 and "missing.csv" in r.output


def test_example_heat_plan_is_coupled_and_checked() -> None:
    inputs = example_heat_inputs("hardenberg")
    plans = [plan_with_heat(inputs.sites, inputs.districts, inputs.scenario, solver=s) for s in ("cbc", "highs")]
    for p in plans:
        assert p.status is PlanStatus.OPTIMAL and p.heat is not None and p.heat.coupling is not None
        assert p.targets["electricity"].target_gwh == pytest.approx(434.0 + p.heat.years[0].electricity_added_gwh)
    assert plans[0].objective_meur == pytest.approx(plans[1].objective_meur, rel=2e-4)


def test_plan_with_a_heat_scenario_reads_the_districts_layer(tmp_path: Path) -> None:
    from sites.catalog import example_heat_text, write_example
    from sites.districts import write_districts_gpkg

    sites_path, _ = write_example("hardenberg", tmp_path / "hb")
    scenario = tmp_path / "hb" / "scenario-warmte.toml"
    assert scenario.read_text(encoding="utf-8") == example_heat_text("hardenberg")
    r = runner.invoke(app, ["plan", "--sites", str(sites_path), "--scenario", str(scenario)])
    assert r.exit_code == 0 and "Dedemsvaart" in r.output  # the GeoPackage's districts layer
    r = runner.invoke(app, ["validate", "--sites", str(sites_path), "--scenario", str(scenario)])
    assert r.exit_code == 0 and "districts ([heat]): 21, 23,165 dwellings" in r.output
    bare = tmp_path / "bare.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(sites_path, layer="sites"), bare, layer="sites")
    r = runner.invoke(app, ["plan", "--sites", str(bare), "--scenario", str(scenario)])
    assert r.exit_code == 2 and "'districts' layer" in r.output
    r = runner.invoke(app, ["validate", "--sites", str(bare), "--scenario", str(scenario)])
    assert r.exit_code == 2 and "'districts' layer" in r.output
    districts = tmp_path / "districts.gpkg"
    write_districts_gpkg(example_heat_inputs("hardenberg").districts, districts)
    out = tmp_path / "plan.gpkg"
    r = runner.invoke(app, ["plan", "--sites", str(sites_path), "--scenario", str(scenario), "--districts",
                            str(districts), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "heat plan" in r.output
    assert {"plan_sites", "excluded_sites", "plan_districts"} <= {n for n, _ in pyogrio.list_layers(out)}
    assert len(read_districts(districts).districts) == 21
    assert pyogrio.read_info(out, layer="plan_districts")["features"] == 21
    # what-if plans the districts too (no refusal, no silent electricity-only plan): a lower target
    r = runner.invoke(app, ["whatif", "--sites", str(sites_path), "--scenario", str(scenario), "--target-gwh",
                            "400", "--no-color"])
    assert r.exit_code == 0, r.output
    assert "target 400 GWh" in r.output and "Sites added" in r.output
