"""Heat planning: brute force, properties, green-gas preference, coupling, shortfall, checker."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energie.check.heat import check_heat_plan
from energie.facts.heat_accounting import discount_factor, not_eligible_reason, strategy_facts
from energie.planner.plans import plan_with_heat
from models import InputError, PlanStatus, RooftopSolar, Scenario
from models.heat import District, HeatSettings, HeatStrategy

SOLVERS = ["cbc", "highs"]


def _district(k: int, dwellings: int, gas: float, **kw: object) -> District:
    return District(district_id=f"BU{k:02d}", dwellings=dwellings, gas_m3_per_dwelling=gas, **kw)


def _mixed(n: int = 4) -> list[District]:
    """Districts of varied size, one rural, one with residual heat and a density for a network."""
    out = []
    for k in range(n):
        extra: dict[str, object] = {}
        if k % 4 == 1:
            extra = {"rural": True}
        if k % 4 == 2:
            extra = {"heat_sources": ["restwarmte"], "area_ha": 20.0}
        if k % 4 == 3:
            extra = {"earliest_year": 2040}
        out.append(_district(k, 150 + 90 * k, 1100 + 260 * ((3 * k) % 5), **extra))
    return out


def _scenario(heat: dict[str, object], **kw: object) -> Scenario:
    return Scenario(name="t", heat=heat, **kw)


def heat_brute_force(districts: list[District], s: HeatSettings,
                     admissible: Callable[[tuple[tuple[HeatStrategy, int] | None, ...]], bool] | None = None
                     ) -> float | None:
    """Cheapest objective over every assignment (strategy, period or none) meeting all heat rules, and
    ``admissible`` (of the assignment, one entry per district) when given."""
    choices = []
    for d in districts:
        opts: list[tuple[HeatStrategy, int] | None] = [None]
        for strategy in HeatStrategy:
            if not_eligible_reason(d, strategy, s) is None:
                opts += [(strategy, p) for p in s.periods if d.earliest_year is None or p >= d.earliest_year]
        choices.append(opts)
    gas_total = sum(d.gas_m3 for d in districts)
    cap = s.green_gas_cap_m3(sum(d.dwellings for d in districts))
    best = None
    for combo in itertools.product(*choices):
        if admissible is not None and not admissible(combo):
            continue
        facts = [(strategy_facts(d, c[0], s), c[1]) for d, c in zip(districts, combo, strict=True) if c]
        if any(sum(f.green_gas_m3 for f, y in facts if y <= p) > cap + 1e-6 for p in s.periods):
            continue
        if any(sum(f.gas_saved_m3 for f, y in facts if y <= year) < share * gas_total - 1e-6
               for year, share in s.gas_saved_share.items()):
            continue
        cost = sum(f.weight * discount_factor(y, s.periods[0], s.discount_rate_per_yr) * f.cost_meur
                   for f, y in facts)
        best = cost if best is None or cost < best else best
    return best


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", range(4))
def test_heat_optimum_equals_brute_force(solver: str, seed: int) -> None:
    districts = _mixed(4)[seed % 2:] if seed < 2 else _mixed(5)[1:]
    heat = {"periods": [2030, 2050], "gas_saved_share": {2030: 0.15 + 0.1 * seed, 2050: 1.0},
            "rural_green_gas_weight": 0.7, "green_gas_m3_per_dwelling": 300 + 50 * seed}
    sc = _scenario(heat)
    assert sc.heat is not None
    best = heat_brute_force(districts, sc.heat)
    p = plan_with_heat([], districts, sc, solver=solver)
    assert best is not None and p.status is PlanStatus.OPTIMAL
    assert p.objective_meur == pytest.approx(best, rel=1e-6, abs=1e-6)


def _cost(districts: list[District], heat: dict[str, object]) -> float:
    p = plan_with_heat([], districts, _scenario(heat), solver="highs")
    assert p.status is PlanStatus.OPTIMAL and p.objective_meur is not None
    return p.objective_meur


district_lists = st.lists(
    st.tuples(st.integers(50, 900), st.integers(700, 2600), st.booleans(), st.sampled_from(["", "restwarmte"]),
              st.sampled_from([None, 15.0, 60.0])),
    min_size=2, max_size=6)


def _build(rows: list[tuple[int, int, bool, str, float | None]]) -> list[District]:
    return [_district(k, n, gas, rural=rural, heat_sources=src, area_ha=area)
            for k, (n, gas, rural, src, area) in enumerate(rows)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district_lists, st.floats(0.0, 0.6), st.floats(0.0, 0.4))
def test_raising_the_2030_gas_target_never_lowers_cost(rows: list, low: float, extra: float) -> None:
    districts = _build(rows)
    base = {"gas_saved_share": {2050: 1.0}, "green_gas_m3_per_dwelling": 400}
    cheap = _cost(districts, {**base, "gas_saved_share": {2030: low, 2050: 1.0}})
    dear = _cost(districts, {**base, "gas_saved_share": {2030: min(1.0, low + extra), 2050: 1.0}})
    assert dear >= cheap - 1e-6 * max(1.0, cheap)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(district_lists, st.floats(0.0, 0.8))
def test_forbidding_heat_networks_never_lowers_cost(rows: list, share_2030: float) -> None:
    districts = _build(rows)
    heat = {"gas_saved_share": {2030: share_2030, 2050: 1.0}, "green_gas_m3_per_dwelling": 200}
    free = _cost(districts, heat)
    banned = _cost(districts, {**heat, "forbid": ["heat_network_ht", "heat_network_lt"]})
    assert banned >= free - 1e-6 * max(1.0, free)


def test_rural_green_gas_weight_moves_rural_districts_to_green_gas() -> None:
    districts = [_district(k, 400, 1800, rural=k < 3) for k in range(6)]
    heat = {"gas_saved_share": {2050: 1.0}, "green_gas_m3_per_dwelling": 500}
    green = {"green_gas_hybrid", "green_gas_boiler"}

    def rural_on_green(weight: float) -> int:
        p = plan_with_heat([], districts, _scenario({**heat, "rural_green_gas_weight": weight}), solver="highs")
        assert p.heat is not None
        return sum(1 for r in p.heat.districts if r.rural and r.strategy in green)

    # the green gas cap (500 m³ × 2,400 dwellings) serves only part of the districts: who gets it
    # follows the weight
    assert rural_on_green(0.5) == 3
    assert rural_on_green(1.0) <= rural_on_green(0.5)
    assert rural_on_green(3.0) < 3


def test_add_heat_demand_raises_the_electricity_target_and_shapes_the_heat_choice() -> None:
    roofs = [RooftopSolar(site_id=f"R{k}", status="candidate", capacity_mw=2.0, cost_meur=1.0 + k) for k in range(4)]
    districts = [_district(k, 500, 1600) for k in range(3)]
    heat = {"periods": [2030, 2050], "gas_saved_share": {2030: 0.6, 2050: 1.0}, "green_gas_m3_per_dwelling": 700}
    plain = plan_with_heat(roofs, districts, _scenario({**heat, "electricity_coupling": "none"},
                                                       targets={"electricity_gwh": 5.0}), solver="highs")
    coupled = plan_with_heat(roofs, districts, _scenario(heat, targets={"electricity_gwh": 5.0}), solver="highs")
    assert plain.heat is not None and coupled.heat is not None and coupled.heat.coupling is not None
    assert plain.targets["electricity"].target_gwh == pytest.approx(5.0)
    added = coupled.heat.years[0].electricity_added_gwh
    assert coupled.targets["electricity"].target_gwh == pytest.approx(5.0 + added)
    assert coupled.targets["electricity"].achieved_gwh >= 5.0 + added - 1e-6
    assert coupled.objective_meur is not None and plain.objective_meur is not None
    assert coupled.objective_meur >= plain.objective_meur - 1e-9


def test_share_of_energy_use_lowers_the_target_when_districts_convert() -> None:
    districts = [_district(k, 500, 1600) for k in range(3)]
    heat = {"gas_saved_share": {2030: 0.5, 2050: 1.0}, "electricity_coupling": "share_of_energy_use",
            "renewable_share": 0.3}
    roofs = [RooftopSolar(site_id="R1", status="candidate", capacity_mw=50.0, cost_meur=30.0)]
    p = plan_with_heat(roofs, districts, _scenario(heat, targets={"electricity_gwh": 40.0}), solver="highs")
    assert p.heat is not None and p.heat.coupling is not None
    change_tj = p.heat.years[0].energy_use_change_tj
    assert change_tj < 0
    assert p.targets["electricity"].target_gwh == pytest.approx(40.0 + 0.3 * change_tj / 3.6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_unreachable_gas_target_is_a_shortfall_with_the_maximum(solver: str) -> None:
    districts = [_district(0, 300, 1500), _district(1, 700, 1500, earliest_year=2040)]
    sc = _scenario({"gas_saved_share": {2030: 0.8, 2050: 1.0}, "green_gas_m3_per_dwelling": 2000})
    p = plan_with_heat([], districts, sc, solver=solver)
    assert p.status is PlanStatus.SHORTFALL and p.heat is not None
    g2030 = p.heat.gas_targets[0]
    assert g2030.max_reachable_mm3 == pytest.approx(0.45) and g2030.shortfall_mm3 == pytest.approx(0.75)
    assert p.heat.gas_targets[1].shortfall_mm3 == 0.0
    assert [r.year for r in p.heat.districts] == [2030, 2050]  # discounting: as late as allowed


def test_checker_catches_a_tampered_heat_plan() -> None:
    districts = _mixed(4)
    sc = _scenario({"gas_saved_share": {2030: 0.3, 2050: 1.0}, "forbid": ["all_electric"]},
                   targets={"electricity_gwh": 0.0})
    plan = plan_with_heat([], districts, sc, solver="highs")
    assert plan.heat is not None and check_heat_plan(districts, sc, plan) == []
    rows = list(plan.heat.districts)
    rows[0] = rows[0].model_copy(update={"strategy": "all_electric"})
    bad = plan.model_copy(update={"heat": plan.heat.model_copy(update={"districts": rows})})
    assert any("forbidden" in p for p in check_heat_plan(districts, sc, bad))
    late = [r.model_copy(update={"year": 2050}) if r.year == 2030 else r for r in plan.heat.districts]
    missed = plan.model_copy(update={"heat": plan.heat.model_copy(update={"districts": late})})
    assert any("not reported as a shortfall" in p for p in check_heat_plan(districts, sc, missed))
    wrong = plan.model_copy(update={"targets": {"electricity": plan.targets["electricity"].model_copy(
        update={"target_gwh": 0.0})}})
    assert any("coupled electricity target" in p for p in check_heat_plan(districts, sc, wrong))


def test_bad_heat_inputs_are_input_errors() -> None:
    with pytest.raises(InputError, match=r"\[heat\]"):
        plan_with_heat([], _mixed(2), Scenario(name="t"))
    twice = [_district(1, 10, 1000), _district(1, 20, 1000)]
    with pytest.raises(InputError, match="BU01"):
        plan_with_heat([], twice, _scenario({"gas_saved_share": {2050: 1.0}}))
    with pytest.raises(ValueError, match="heat.strategies.all_electric"):
        HeatSettings.model_validate({"strategies": {"all_electric": {"heat_pump_share": 0.5}}})
    with pytest.raises(ValueError, match="before the first period"):
        HeatSettings.model_validate({"gas_saved_share": {2025: 0.1}})


def test_readme_heat_example_and_docstring_examples_run() -> None:
    import doctest
    import tomllib
    from pathlib import Path

    import energie.facts.heat
    import energie.facts.heat_accounting
    import energie.planner.plans

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Aardgasvrij", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    sc = Scenario.model_validate({"name": "readme", **tomllib.loads(block)})
    assert sc.heat is not None and sc.heat.gas_saved_share == {2030: 0.2, 2050: 1.0}
    assert sc.heat.spec(HeatStrategy.ALL_ELECTRIC).capex_eur_per_dwelling == 15000
    for module in (energie.facts.heat_accounting, energie.facts.heat, energie.planner.plans):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(energie.planner.plans).attempted > 0
