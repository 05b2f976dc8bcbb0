"""Heat planning data: one option per (district, strategy, period) with its numbers. No solver.

``prepare_heat`` lists each district's eligible options (``energie.heat_accounting``) with their
objective coefficient: weight × (1 + r)^−(period − first period) × investment [M€], where ``weight``
is the scenario's green-gas preference (1 for other strategies). The constraints they take part in
(one choice per district, gas saved per target year, green gas per year, the coupling to the
electricity targets) are contributions to the one problem: ``energie.model.contributions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from energie.heat_accounting import (
    StrategyFacts,
    discount_factor,
    not_eligible_reason,
    open_periods,
    strategy_facts,
)
from models.heat import GAS_KWH_PER_M3, District, HeatSettings, HeatStrategy

#: GWh of natural gas per million m³ (8.79 GWh): puts gas and electricity shortfalls on one scale.
GWH_PER_MM3 = GAS_KWH_PER_M3


@dataclass(frozen=True)
class HeatOption:
    """District ``district`` (index) converting to ``facts.strategy`` in period ``year``."""

    district: int
    year: int
    facts: StrategyFacts
    #: Objective coefficient [M€]: weight × discount factor × investment.
    objective_meur: float


@dataclass(frozen=True)
class HeatData:
    """Everything the heat builders need; districts sorted by id."""

    districts: list[District]
    settings: HeatSettings
    options: list[HeatOption]
    #: district id → [(strategy, reason code)] for strategies it may not use.
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]]
    green_gas_cap_m3: float

    @property
    def periods(self) -> list[int]:
        return self.settings.periods

    @property
    def gas_m3(self) -> float:
        return sum(d.gas_m3 for d in self.districts)

    def target_mm3(self, year: int) -> float:
        return self.settings.gas_saved_share[year] * self.gas_m3 / 1e6


def prepare_heat(districts: list[District], settings: HeatSettings) -> HeatData:
    """Eligible options per district, with their numbers and objective coefficients."""
    ordered = sorted(districts, key=lambda d: d.district_id)
    first = settings.periods[0]
    options: list[HeatOption] = []
    not_eligible: dict[str, list[tuple[HeatStrategy, str]]] = {}
    for k, d in enumerate(ordered):
        years = open_periods(d, settings.periods)
        for s in HeatStrategy:
            reason = not_eligible_reason(d, s, settings)
            if reason is not None:
                not_eligible.setdefault(d.district_id, []).append((s, reason))
                continue
            facts = strategy_facts(d, s, settings)
            for year in years:
                disc = discount_factor(year, first, settings.discount_rate_per_yr)
                options.append(HeatOption(k, year, facts, facts.weight * disc * facts.cost_meur))
    dwellings = sum(d.dwellings for d in ordered)
    return HeatData(ordered, settings, options, not_eligible, settings.green_gas_cap_m3(dwellings))


__all__ = ["GWH_PER_MM3", "HeatData", "HeatOption", "prepare_heat"]
