"""The heat plan's terminal report (snapshot at 100 columns) and its PNG map.

The plan is built by hand from ``energie.facts.heat_accounting`` (no optimiser), so these tests pin the
rendering only.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.image import imread
from rich.console import Console
from shapely.geometry import box

from energie.facts.heat_accounting import discount_factor, strategy_facts
from energie.reports.heat import heat_report_text, render_heat
from energie.reports.heat_map import heat_map_png
from models.errors import InputError
from models.heat import (
    DEFAULT_STRATEGIES,
    District,
    HeatSettings,
    HeatSource,
    HeatStrategy,
)
from models.heat_plan import (
    DistrictResult,
    ElectricityCoupling,
    GasTargetResult,
    HeatPlan,
    StrategyTotals,
    YearTotals,
)
from tests.conftest import check_snapshot

S = HeatStrategy
#: (id, name, dwellings, m³/dwelling, rural, pre-1965 share, sources, area ha, strategy, year, grid cell)
_DISTRICTS = [
    ("BU01600001", "Centrum", 1200, 1100, False, 0.3, ["restwarmte"], 30.0, S.HEAT_NETWORK_HT, 2030, (0, 1)),
    ("BU01600002", "Oost", 900, 1300, False, 0.1, [], None, S.ALL_ELECTRIC, 2030, (1, 1)),
    ("BU01600003", "Noord", 600, 1500, False, 0.2, ["aquathermie"], 20.0, S.HEAT_NETWORK_LT, 2050, (0, 2)),
    ("BU01600004", "Buitengebied Zuid-Oost en Veldhoek", 150, 2200, True, 0.6, [], None, S.GREEN_GAS_BOILER, 2050,
     (1, 0)),
    ("BU01600005", "Dorp West", 400, 1700, False, 0.55, [], None, S.GREEN_GAS_HYBRID, 2050, (0, 0)),
    ("BU01600006", "Veld", 80, 2500, True, None, [], None, None, None, (1, 2)),
]
PERIODS = [2030, 2050]
RATE = 0.04


def _districts() -> list[District]:
    out = []
    for did, name, n, gas, rural, old, sources, area, _, _, (i, j) in _DISTRICTS:
        x0, y0 = 239_000 + 1_000 * i, 498_500 + 1_000 * j
        out.append(District(district_id=did, name=name, gemeente="Hardenberg", dwellings=n,
                            gas_m3_per_dwelling=gas, rural=rural, pre_1965_share=old,
                            heat_sources=[HeatSource(s) for s in sources], area_ha=area,
                            geometry=box(x0, y0, x0 + 1_000, y0 + 1_000)))
    return out


def _result(d: District, strategy: HeatStrategy | None, year: int | None) -> DistrictResult:
    common = {"district_id": d.district_id, "name": d.name, "gemeente": d.gemeente, "rural": d.rural,
              "old_stock": d.old_stock, "dwellings": d.dwellings, "gas_mm3": d.gas_m3 / 1e6}
    if strategy is None or year is None:
        return DistrictResult(**common, strategy=None, year=None, cost_meur=0.0, cost_pv_meur=0.0,
                              gas_saved_mm3=0.0, green_gas_mm3=0.0, electricity_added_gwh=0.0,
                              energy_use_change_tj=0.0)
    f = strategy_facts(d, strategy, HeatSettings(periods=PERIODS))
    return DistrictResult(**common, strategy=strategy.value, year=year, cost_meur=f.cost_meur,
                          cost_pv_meur=f.cost_meur * discount_factor(year, PERIODS[0], RATE),
                          gas_saved_mm3=f.gas_saved_m3 / 1e6, green_gas_mm3=f.green_gas_m3 / 1e6,
                          electricity_added_gwh=f.electricity_gwh, energy_use_change_tj=f.energy_use_change_tj)


def _plan(districts: list[District]) -> HeatPlan:
    rows = [_result(d, spec[8], spec[9]) for d, spec in zip(districts, _DISTRICTS, strict=True)]
    total_gas = sum(r.gas_mm3 for r in rows)
    cap = 250.0 * sum(r.dwellings for r in rows) / 1e6

    def by(year: int) -> list[DistrictResult]:
        return [r for r in rows if r.year is not None and r.year <= year]

    years = [YearTotals(year=y, dwellings_converted=sum(r.dwellings for r in by(y)),
                        dwellings_new=sum(r.dwellings for r in by(y) if r.year == y),
                        gas_saved_mm3=sum(r.gas_saved_mm3 for r in by(y)),
                        green_gas_mm3=sum(r.green_gas_mm3 for r in by(y)), green_gas_cap_mm3=cap,
                        electricity_added_gwh=sum(r.electricity_added_gwh for r in by(y)),
                        energy_use_change_tj=sum(r.energy_use_change_tj for r in by(y))) for y in PERIODS]
    saved_2030, saved_2050 = years[0].gas_saved_mm3, years[1].gas_saved_mm3
    targets = [GasTargetResult(year=2030, share=0.6, target_mm3=0.6 * total_gas, saved_mm3=saved_2030,
                               shortfall_mm3=0.6 * total_gas - saved_2030, max_reachable_mm3=saved_2030),
               GasTargetResult(year=2050, share=0.95, target_mm3=0.95 * total_gas, saved_mm3=saved_2050,
                               shortfall_mm3=0.0)]
    strategies = []
    for s in HeatStrategy:
        mine = [r for r in rows if r.strategy == s.value]
        strategies.append(StrategyTotals(
            strategy=s.value, label=DEFAULT_STRATEGIES[s].label, districts=len(mine),
            dwellings=sum(r.dwellings for r in mine), cost_meur=sum(r.cost_meur for r in mine),
            gas_saved_mm3=sum(r.gas_saved_mm3 for r in mine), green_gas_mm3=sum(r.green_gas_mm3 for r in mine),
            electricity_added_gwh=sum(r.electricity_added_gwh for r in mine)))
    first = years[0]
    coupling = ElectricityCoupling(mode="add_heat_demand", year=2030, base_target_gwh=120.0,
                                   heat_electricity_gwh=first.electricity_added_gwh,
                                   energy_use_change_tj=first.energy_use_change_tj,
                                   target_gwh=120.0 + first.electricity_added_gwh)
    return HeatPlan(periods=PERIODS, discount_rate_per_yr=RATE, districts=rows, gas_targets=targets,
                    years=years, strategies=strategies, cost_meur=sum(r.cost_meur for r in rows),
                    cost_pv_meur=sum(r.cost_pv_meur for r in rows), gas_mm3=total_gas, coupling=coupling)


@pytest.fixture
def districts() -> list[District]:
    return _districts()


@pytest.fixture
def heat(districts: list[District]) -> HeatPlan:
    return _plan(districts)


def _printed(heat: HeatPlan, width: int = 100) -> str:
    buf = io.StringIO()
    render_heat(heat, Console(file=buf, width=width, color_system=None, force_terminal=False,
                              legacy_windows=False))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def test_heat_report_snapshot(heat):
    text = _printed(heat)
    assert text == heat_report_text(heat)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "\x1b[" not in text
    order = ["heat plan", "Gas targets", "Per period", "Per strategy", "Electricity coupling", "Per district"]
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions)
    assert "the heat pumps' electricity must be renewable too" in text
    # sorted by year then id; the district that stays on gas last
    rows = [line.split()[0] for line in text.split("Per district")[1].splitlines() if line.startswith(" BU")]
    assert rows == ["BU01600001", "BU01600002", "BU01600003", "BU01600004", "BU01600005", "BU01600006"]
    check_snapshot("heat_report.txt", text)


def test_heat_report_lists_40_districts_then_counts(heat):
    base = heat.districts[0]
    many = [base.model_copy(update={"district_id": f"BU{i:03d}"}) for i in range(45)]
    text = heat_report_text(heat.model_copy(update={"districts": many}))
    assert "BU039" in text and "BU040" not in text
    assert "… and 5 more districts (see --json)" in text


def test_heat_map_png(heat, districts, tmp_path):
    first, second = tmp_path / "heat.png", tmp_path / "again.png"
    heat_map_png(heat, districts, first, "Hardenberg: heat plan")
    image = imread(first)
    height, width = image.shape[:2]  # "tight" crops the 10 x 7.5 in canvas to its content
    assert 500 <= height <= 800 and 700 <= width <= 1300
    colours = np.unique(image.reshape(-1, image.shape[-1]), axis=0)
    assert len(colours) > 10
    heat_map_png(heat, districts, second, "Hardenberg: heat plan")
    assert first.read_bytes() == second.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_heat_map_needs_polygons(heat, districts, tmp_path):
    bare = [d.model_copy(update={"geometry": None}) for d in districts]
    with pytest.raises(InputError, match="polygons") as err:
        heat_map_png(heat, bare, tmp_path / "map.png", "no geometry")
    assert "BU01600001" in str(err.value) and "unaffected" in str(err.value)
    assert not list(tmp_path.iterdir())


def test_heat_map_does_not_overwrite_without_force(heat, districts, tmp_path):
    path = tmp_path / "map.png"
    path.write_bytes(b"keep me")
    with pytest.raises(InputError, match="--force"):
        heat_map_png(heat, districts, path, "exists")
    assert path.read_bytes() == b"keep me"
    heat_map_png(heat, districts, path, "exists", force=True)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_plan_report_ends_with_the_heat_report(heat, tiny_paths):
    from energie.planner.plans import plan_inputs
    from energie.reports.terminal import plan_report_text
    from sites import load_inputs

    p = plan_inputs(load_inputs(*tiny_paths))
    base, coupled = plan_report_text(p), plan_report_text(p.model_copy(update={"heat": heat}))
    assert coupled.startswith(base)
    assert coupled[len(base):].lstrip("\n") == heat_report_text(heat)
