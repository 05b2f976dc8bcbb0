"""Heat accounting: what one strategy does in one district, and whether it may. Pure functions.

Units: gas [m³/yr], electricity [GWh/yr], energy use [TJ/yr], money [M€]. The physics is in the
docstring of ``models.heat``.

Examples
--------
>>> from models.heat import District, HeatSettings, HeatStrategy
>>> d = District(district_id="BU1", dwellings=1000, gas_m3_per_dwelling=1500)
>>> f = strategy_facts(d, HeatStrategy.ALL_ELECTRIC, HeatSettings())
>>> round(f.electricity_gwh, 2), round(f.cost_meur, 1)  # 1.5 Mm³ → 11.9 GWh heat → ×0.65 / 3
(2.57, 24.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from models.heat import (
    BOILER_EFFICIENCY,
    GAS_KWH_PER_M3,
    GAS_MJ_PER_M3,
    GREEN_GAS_STRATEGIES,
    District,
    HeatSettings,
    HeatStrategy,
    StrategySpec,
)

#: Reason codes for a strategy a district may not use, with the words reports use.
NOT_ELIGIBLE_REASONS: dict[str, str] = {
    "forbidden": "forbidden by the scenario",
    "no_source": "no suitable heat source in the district",
    "density": "too few dwellings per hectare for a heat network",
    "rural_unknown_density": "rural district without an area: density for a heat network not shown",
}


@dataclass(frozen=True)
class StrategyFacts:
    """One strategy in one district, per year once converted (costs once)."""

    district_id: str
    strategy: HeatStrategy
    cost_meur: float
    gas_saved_m3: float
    green_gas_m3: float
    electricity_gwh: float
    network_heat_gwh: float
    #: Total final energy use after − before [TJ/yr] (negative: less energy used).
    energy_use_change_tj: float
    #: Objective weight on the cost [-] (green gas preference).
    weight: float


def heat_demand_kwh(district: District, spec: StrategySpec) -> float:
    """Useful heat after the strategy's insulation [kWh/yr]: gas × 8.79 kWh/m³ × 0.9 × (1 − saving)."""
    return district.gas_m3 * GAS_KWH_PER_M3 * BOILER_EFFICIENCY * (1.0 - spec.insulation_saving)


def strategy_facts(district: District, strategy: HeatStrategy, settings: HeatSettings) -> StrategyFacts:
    """The numbers of ``strategy`` in ``district`` under ``settings`` (with its overrides)."""
    spec = settings.spec(strategy)
    heat_kwh = heat_demand_kwh(district, spec)
    electricity_kwh = (heat_kwh * spec.heat_pump_share / spec.heat_pump_spf
                       + heat_kwh * spec.network_share * spec.network_electricity_per_heat)
    network_kwh = heat_kwh * spec.network_share
    green_gas_m3 = heat_kwh * spec.green_gas_share / BOILER_EFFICIENCY / GAS_KWH_PER_M3
    change_mj = ((electricity_kwh + network_kwh) * 3.6 + green_gas_m3 * GAS_MJ_PER_M3
                 - district.gas_m3 * GAS_MJ_PER_M3)
    cost_eur = district.dwellings * spec.capex_eur_per_dwelling + district.gas_m3 * spec.capex_eur_per_m3_gas
    weight = settings.green_gas_weight(district) if strategy in GREEN_GAS_STRATEGIES else 1.0
    return StrategyFacts(
        district_id=district.district_id, strategy=strategy, cost_meur=cost_eur / 1e6,
        gas_saved_m3=district.gas_m3, green_gas_m3=green_gas_m3, electricity_gwh=electricity_kwh / 1e6,
        network_heat_gwh=network_kwh / 1e6, energy_use_change_tj=change_mj / 1e6, weight=weight)


def not_eligible_reason(district: District, strategy: HeatStrategy, settings: HeatSettings) -> str | None:
    """A reason code from ``NOT_ELIGIBLE_REASONS`` when ``district`` may not use ``strategy``."""
    if strategy in settings.forbid:
        return "forbidden"
    spec = settings.spec(strategy)
    if spec.needs_sources and not set(spec.needs_sources) & set(district.heat_sources):
        return "no_source"
    if spec.min_dwellings_per_ha is not None:
        density = district.density_dwellings_per_ha
        if density is None and district.rural:
            return "rural_unknown_density"
        if density is not None and density < spec.min_dwellings_per_ha:
            return "density"
    return None


def open_periods(district: District, periods: list[int]) -> list[int]:
    """The periods a district may convert in: those ending in or after its ``earliest_year``."""
    return [p for p in periods if district.earliest_year is None or p >= district.earliest_year]


def discount_factor(year: int, first_year: int, rate: float) -> float:
    """(1 + rate)^−(year − first_year) [-]."""
    return (1.0 + rate) ** -(year - first_year)
