"""`energie region-scenario`: the scenario a region starts from, and its errors."""

from __future__ import annotations

import tomllib

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from cli.main import app
from models import InputError, Scenario
from sites.region_scenario import etlocal_existing_gwh, parse_forbid, parse_share, region_scenario_toml

TOWNS = pd.DataFrame({"gemeente": ["GM0002", "GM0001"], "name": ['Oost "dorp"', "West"]})


def test_written_scenario_validates_and_keeps_shares_and_existing():
    text = region_scenario_toml(TOWNS, region_code="ES99", region_name="RES Test", target_gwh=100,
                                existing={"GM0001": (12.5, "wind 12.5")}, shares={"GM0002": (40.0, "F99")})
    sc = Scenario.model_validate(tomllib.loads(text))
    assert list(sc.municipalities) == ["GM0001", "GM0002"]
    assert sc.municipalities["GM0002"].electricity_gwh == 40.0 and sc.municipalities["GM0002"].source == "F99"
    assert sc.municipalities["GM0002"].name == 'Oost "dorp"'
    assert sc.existing_gwh == 12.5 and sc.targets.electricity_gwh == 100
    assert sc.region is not None and sc.region.code == "ES99"
    assert "onbekend" in sc.lik


@pytest.mark.parametrize("bad", ["GM0001", "GM0001=abc", "=5", "GM0001=-3", "GM0001=nan"])
def test_bad_share_is_explained(bad):
    with pytest.raises(InputError, match="CODE=GWH"):
        parse_share(bad)


@pytest.mark.parametrize("bad", ["GM0001", "GM0001=", "GM0001=wind", "=wind_turbine"])
def test_bad_forbid_is_explained(bad):
    with pytest.raises(InputError, match="CODE=KIND"):
        parse_forbid(bad)


def test_forbid_is_written():
    text = region_scenario_toml(TOWNS, region_code="", region_name="x", target_gwh=None,
                                forbid={"GM0001": ["wind_turbine", "solar_field"]})
    sc = Scenario.model_validate(tomllib.loads(text))
    assert sc.municipalities["GM0001"].forbid == ["wind_turbine", "solar_field"]


def test_share_parsing():
    assert parse_share("gm0166=244:F05 koggecourant") == ("GM0166", 244.0, "F05 koggecourant")


def test_share_for_a_municipality_outside_the_selection():
    with pytest.raises(InputError, match="GM0009"):
        region_scenario_toml(TOWNS, region_code="", region_name="x", target_gwh=None, shares={"GM0009": (1.0, "")})


def test_etlocal_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        etlocal_existing_gwh(tmp_path / "none.csv", ["GM0001"])
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an ETLocal municipal table"):
        etlocal_existing_gwh(tmp_path / "other.csv", ["GM0001"])
    (tmp_path / "e.csv").write_text("geo_id,wind_onshore_prod_TJ,solar_parks_prod_TJ,solar_roof_nonres_TJ\n"
                                    "GM0001,36,3.6,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="GM0002"):
        etlocal_existing_gwh(tmp_path / "e.csv", ["GM0001", "GM0002"])
    with pytest.raises(InputError, match="solar_roof_nonres_TJ = 'x' is not a number"):
        etlocal_existing_gwh(tmp_path / "e.csv", ["GM0001"])


def test_cli_writes_and_refuses_to_overwrite(tmp_path):
    frame = gpd.GeoDataFrame({"statcode": ["GM0001", "GM0002"], "statnaam": ["West", "Oost"],
                              "res_code": ["ES99", "ES99"]},
                             geometry=[shapely.box(200000, 500000, 201000, 501000),
                                       shapely.box(201000, 500000, 202000, 501000)], crs="EPSG:28992")
    frame.to_file(tmp_path / "b.gpkg", driver="GPKG", engine="pyogrio")
    (tmp_path / "e.csv").write_text("geo_id,wind_onshore_prod_TJ,solar_parks_prod_TJ,solar_roof_nonres_TJ\n"
                                    "GM0001,36,3.6,0\nGM0002,0,0,7.2\n", encoding="utf-8")
    args = ["region-scenario", "--boundaries", str(tmp_path / "b.gpkg"), "--region", "ES99",
            "--target-gwh", "50", "--existing", str(tmp_path / "e.csv"), "--share", "GM0002=20:F1",
            "--out", str(tmp_path / "s.toml")]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2 municipalities, 1 with an own share, existing production 13.0 GWh/yr" in first.output
    sc = Scenario.model_validate(tomllib.loads((tmp_path / "s.toml").read_text(encoding="utf-8")))
    assert sc.municipalities["GM0001"].existing_gwh == 11.0
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    wrong = CliRunner().invoke(app, [*args[:-2], "--region", "ES77", "--out", str(tmp_path / "t.toml")])
    assert wrong.exit_code == 2 and "ES99" in wrong.output and "Traceback" not in wrong.output
