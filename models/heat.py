"""Aardgasvrij districts: the district model, the five heat strategies and the ``[heat]`` scenario section.

The strategies follow PBL's *Startanalyse aardgasvrije buurten* (2020; fact F33 of
``public_facts_res_overijssel.csv``): S1 individual electric heat pump (all-electric), S2 heat
network with a mid/high-temperature source, S3 low-temperature heat network, S4 green gas with a
hybrid heat pump, S5 green gas with an HR boiler.

Energy per dwelling (one formula, ``energie.facts.heat_accounting``): the current gas use [m³/yr]
gives the heat demand ``gas × GAS_KWH_PER_M3 × BOILER_EFFICIENCY`` [kWh/yr]; insulation lowers
it by ``insulation_saving``; what remains comes from an individual heat pump (``heat_pump_share``,
electricity = heat / SPF), a heat network (``network_share``, plus ``network_electricity_per_heat``
kWh of electricity per kWh for collective heat pumps and pumping) and a boiler on green gas
(``green_gas_share``). All natural gas is saved (every strategy is aardgasvrij).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

#: Energy content of natural gas [MJ/m³]: 31.65 MJ/m³ (lower heating value of Groningen-quality
#: gas), the conversion ETLocal uses for ``derived_hh_gas_m3_per_dwelling`` (shared data README).
GAS_MJ_PER_M3 = 31.65
GAS_KWH_PER_M3 = GAS_MJ_PER_M3 / 3.6
#: Seasonal efficiency of the gas boiler the heat demand is derived from, and of a green-gas HR
#: boiler [-]: 0.9. Assumption: an HR boiler's 107 % label is on the lower heating value at low
#: return temperatures; 90 % is the usual seasonal figure used for existing homes.
BOILER_EFFICIENCY = 0.9
#: Green gas available per dwelling of the plan [m³/yr]: the Klimaatakkoord (2019) ambition of
#: 2 billion m³ green gas in 2030 (Routekaart Groen Gas, EZK 2020) shared over the ~8 million Dutch
#: dwellings (CBS, 2022) = 250 m³. An upper reading (the ambition is for all sectors); scenarios
#: set ``green_gas_m3_per_dwelling`` or ``green_gas_cap_mm3`` when they know their local supply.
GREEN_GAS_M3_PER_DWELLING = 250.0
#: Real discount rate for the year a district converts [1/yr]: 4 % as ``energie.facts.accounting``.
#: Without discounting the conversion year costs nothing and the plan could not say which
#: districts go first; with it, districts with the cheapest gas savings go first.
HEAT_DISCOUNT_RATE = 0.04
#: Year conversions start in, for the conversion capacity of the first period: 2025. Every
#: municipality had to adopt its Transitievisie Warmte by the end of 2021 (Klimaatakkoord, 2019,
#: Gebouwde omgeving); the first wijkuitvoeringsplannen followed from 2022, and a district needs about three years
#: of participation, tender and street works before homes convert at scale. 2025 is also the earliest
#: year a plan made now can still act on; a plan made later sets the year it is made.
CONVERSION_START_YEAR = 2025
#: The conversion-capacity group of districts without a gemeente, in constraint names and reports.
NO_GEMEENTE = "no_gemeente"


class HeatStrategy(StrEnum):
    """The five Startanalyse strategies (PBL 2020, F33)."""

    ALL_ELECTRIC = "all_electric"
    HEAT_NETWORK_HT = "heat_network_ht"
    HEAT_NETWORK_LT = "heat_network_lt"
    GREEN_GAS_HYBRID = "green_gas_hybrid"
    GREEN_GAS_BOILER = "green_gas_boiler"


GREEN_GAS_STRATEGIES = frozenset({HeatStrategy.GREEN_GAS_HYBRID, HeatStrategy.GREEN_GAS_BOILER})
HEAT_NETWORK_STRATEGIES = frozenset({HeatStrategy.HEAT_NETWORK_HT, HeatStrategy.HEAT_NETWORK_LT})


class HeatSource(StrEnum):
    """Collective heat sources a heat network can use."""

    RESTWARMTE = "restwarmte"      # industrial residual heat
    GEOTHERMIE = "geothermie"      # deep geothermal
    AQUATHERMIE = "aquathermie"    # heat from surface water (TEO) or waste water
    BODEMENERGIE = "bodemenergie"  # shallow ground storage (WKO)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StrategySpec(_Strict):
    """What a strategy costs per dwelling, what it uses and what it needs.

    Costs [€ per dwelling] are investments including insulation; the part that grows with the
    current gas use (``capex_eur_per_m3_gas`` × m³/yr) stands for the extra insulation old,
    draughty homes need. The defaults (``DEFAULT_STRATEGIES``) are ILLUSTRATIVE, chosen inside the
    range of two public averages, €18,500 per household (Ecorys 2018, F35) and €40,000 per dwelling
    in the proeftuinen (EIB 2021, F34), in the order the Startanalyse finds for most buurten (green
    gas options cheapest per dwelling, heat networks only with a source and density). They are not
    the Startanalyse's own per-buurt figures; override them in ``[heat.strategies.<name>]``.
    """

    label: str
    startanalyse: str
    capex_eur_per_dwelling: NonNeg
    capex_eur_per_m3_gas: NonNeg = 0.0
    insulation_saving: Annotated[float, Field(ge=0, lt=1)] = 0.0
    heat_pump_share: Share = 0.0
    heat_pump_spf: Annotated[float, Field(gt=0, le=10)] = 3.0
    network_share: Share = 0.0
    network_electricity_per_heat: NonNeg = 0.0
    green_gas_share: Share = 0.0
    #: A heat network needs one of these sources in the district (empty = none needed).
    needs_sources: list[HeatSource] = []
    #: Minimum density [dwellings/ha]; when a district's area is unknown a rural district fails it.
    min_dwellings_per_ha: NonNeg | None = None

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> StrategySpec:
        total = self.heat_pump_share + self.network_share + self.green_gas_share
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"heat_pump_share + network_share + green_gas_share must be 1, got {total:g}")
        return self


#: Default strategies (ILLUSTRATIVE costs, see ``StrategySpec``). Physical assumptions:
#: heat pump SPF 3.0 (air/water heat pump in an insulated home), 3.5 for a hybrid heat pump (it
#: runs in the mild part of the season and leaves ~30 % of the heat to the boiler); an LT network's
#: collective heat pump and boosters use 0.25 kWh per kWh heat (SPF 4), an HT network's pumps 0.02.
#: Heat networks need 20 dwellings per hectare (gross district area): an assumption for where the
#: Startanalyse finds networks competitive (compact urban buurten), not a sourced threshold.
DEFAULT_STRATEGIES: dict[HeatStrategy, StrategySpec] = {
    HeatStrategy.ALL_ELECTRIC: StrategySpec(
        label="all-electric (heat pump)", startanalyse="S1", capex_eur_per_dwelling=12_000,
        capex_eur_per_m3_gas=8.0, insulation_saving=0.35, heat_pump_share=1.0, heat_pump_spf=3.0),
    HeatStrategy.HEAT_NETWORK_HT: StrategySpec(
        label="heat network, mid/high temperature", startanalyse="S2", capex_eur_per_dwelling=14_000,
        capex_eur_per_m3_gas=2.0, insulation_saving=0.10, network_share=1.0,
        network_electricity_per_heat=0.02, needs_sources=[HeatSource.RESTWARMTE, HeatSource.GEOTHERMIE],
        min_dwellings_per_ha=20.0),
    HeatStrategy.HEAT_NETWORK_LT: StrategySpec(
        label="heat network, low temperature", startanalyse="S3", capex_eur_per_dwelling=18_000,
        capex_eur_per_m3_gas=5.0, insulation_saving=0.25, network_share=1.0,
        network_electricity_per_heat=0.25,
        needs_sources=[HeatSource.AQUATHERMIE, HeatSource.BODEMENERGIE, HeatSource.RESTWARMTE],
        min_dwellings_per_ha=20.0),
    HeatStrategy.GREEN_GAS_HYBRID: StrategySpec(
        label="green gas + hybrid heat pump", startanalyse="S4", capex_eur_per_dwelling=6_000,
        capex_eur_per_m3_gas=3.0, insulation_saving=0.20, heat_pump_share=0.7, heat_pump_spf=3.5,
        green_gas_share=0.3),
    HeatStrategy.GREEN_GAS_BOILER: StrategySpec(
        label="green gas + HR boiler", startanalyse="S5", capex_eur_per_dwelling=2_000,
        capex_eur_per_m3_gas=4.0, insulation_saving=0.20, green_gas_share=1.0),
}


class District(_Strict):
    """A district (buurt or wijk) that leaves natural gas.

    ``gas_m3_per_dwelling`` and ``electricity_kwh_per_dwelling`` are current averages per dwelling
    per year (CBS / Klimaatmonitor). ``rural``: countryside (buitengebied) rather than a village or
    town. ``pre_1965_share``: share of dwellings built before 1965, when known. ``area_ha``: land
    area [ha], from the polygon when not given; used for the density a heat network needs.
    """

    district_id: Annotated[str, Field(min_length=1)]
    name: str = ""
    gemeente: str = ""
    dwellings: Annotated[int, Field(gt=0)]
    gas_m3_per_dwelling: NonNeg
    electricity_kwh_per_dwelling: NonNeg | None = None
    rural: bool = False
    area_ha: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    pre_1965_share: Share | None = None
    heat_sources: list[HeatSource] = []
    #: First year the district can be converted by (a period ending before it is not open to it).
    earliest_year: Annotated[int, Field(ge=2020, le=2100)] | None = None
    #: A start district's deadline: aardgasvrij by this year (it must convert in a period ≤ it); an
    #: elastic target of the plan (``deadline[<district>]``), reported as missed when it cannot be met.
    deadline_year: Annotated[int, Field(ge=2020, le=2100)] | None = None
    #: CBS *omgevingsadressendichtheid* [addresses/km²], when known: the loader's rural rule reads it.
    address_density_per_km2: NonNeg | None = None
    #: Shapely polygon in EPSG:28992, or ``None``; not serialised.
    geometry: Any = Field(default=None, exclude=True, repr=False)

    @field_validator("district_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value).strip() if value is not None else value

    @field_validator("heat_sources", mode="before")
    @classmethod
    def _split_sources(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip().lower() for v in value.replace(";", ",").split(",") if v.strip()]
        return value

    @property
    def gas_m3(self) -> float:
        """Natural gas use of the district [m³/yr]."""
        return self.dwellings * self.gas_m3_per_dwelling

    @property
    def density_dwellings_per_ha(self) -> float | None:
        return None if self.area_ha is None else self.dwellings / self.area_ha

    @property
    def old_stock(self) -> bool:
        """Mostly older homes: at least half built before 1965 (False when unknown)."""
        return self.pre_1965_share is not None and self.pre_1965_share >= 0.5


class StrategyOverride(_Strict):
    """Scenario overrides of one strategy's defaults (any subset of ``StrategySpec``'s numbers)."""

    capex_eur_per_dwelling: NonNeg | None = None
    capex_eur_per_m3_gas: NonNeg | None = None
    insulation_saving: Annotated[float, Field(ge=0, lt=1)] | None = None
    heat_pump_share: Share | None = None
    heat_pump_spf: Annotated[float, Field(gt=0, le=10)] | None = None
    network_share: Share | None = None
    network_electricity_per_heat: NonNeg | None = None
    green_gas_share: Share | None = None
    needs_sources: list[HeatSource] | None = None
    min_dwellings_per_ha: NonNeg | None = None


Coupling = Literal["none", "add_heat_demand", "share_of_energy_use"]


class HeatSettings(_Strict):
    """The ``[heat]`` section of a scenario.

    - ``periods``: the years districts convert by (a district converts in one period or not at all);
    - ``gas_saved_share``: per target year, the share of the districts' natural gas use that must
      be saved by then (``{2030 = 0.2, 2050 = 1.0}``: Hardenberg's 20 % less gas in homes by 2030
      and every home aardgasvrij by 2050);
    - ``forbid``: strategies no district may use; ``strategies``: overrides of the defaults;
    - green gas: at most ``green_gas_cap_mm3`` [million m³/yr] in each year, or when not given
      ``green_gas_m3_per_dwelling`` × all dwellings of the plan;
    - ``rural_green_gas_weight`` / ``old_stock_green_gas_weight``: objective weight [-] on the
      cost of green gas strategies in rural districts / districts of mostly older homes; below 1
      prefers green gas there (a policy weight: reported costs stay the real ones);
    - ``electricity_coupling``: how the heat plan changes the electricity target of the plan year
      (the first period): ``add_heat_demand`` raises it by the electricity the heat strategies
      add by then; ``share_of_energy_use`` reads the target as ``renewable_share`` of total energy
      use, which the heat plan changes (electricity and green gas and network heat added, natural
      gas saved); ``none`` leaves it alone.
    """

    periods: list[Annotated[int, Field(ge=2020, le=2100)]] = [2030, 2040, 2050]
    gas_saved_share: dict[int, Share] = {}
    forbid: list[HeatStrategy] = []
    strategies: dict[HeatStrategy, StrategyOverride] = {}
    green_gas_cap_mm3: NonNeg | None = None
    green_gas_m3_per_dwelling: NonNeg = GREEN_GAS_M3_PER_DWELLING
    discount_rate_per_yr: Annotated[float, Field(ge=0, lt=1)] = HEAT_DISCOUNT_RATE
    rural_green_gas_weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    old_stock_green_gas_weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    electricity_coupling: Coupling = "add_heat_demand"
    renewable_share: Annotated[float, Field(gt=0, le=1)] | None = None
    #: Dwellings a municipality can convert per year [dwellings/yr] (installers, subsidies, street works).
    max_dwellings_per_yr: NonNeg | None = None
    #: Per municipality (``District.gemeente``, e.g. ``{GM0160 = 1200}``) [dwellings/yr]; overrides the above.
    max_dwellings_per_yr_by_gemeente: dict[str, NonNeg] = {}
    conversion_start_year: Annotated[int, Field(ge=2000, le=2100)] = CONVERSION_START_YEAR

    @field_validator("periods")
    @classmethod
    def _periods_sorted(cls, value: list[int]) -> list[int]:
        if not value:
            raise ValueError("give at least one period, e.g. periods = [2030, 2040, 2050]")
        if sorted(set(value)) != value:
            raise ValueError(f"periods must be distinct years in ascending order, got {value}")
        return value

    @model_validator(mode="after")
    def _check(self) -> HeatSettings:
        early = [y for y in self.gas_saved_share if y < self.periods[0]]
        if early:
            raise ValueError(f"gas_saved_share years {early} are before the first period {self.periods[0]}: "
                             "no district can be converted by then")
        if self.electricity_coupling == "share_of_energy_use" and self.renewable_share is None:
            raise ValueError("electricity_coupling = 'share_of_energy_use' needs renewable_share "
                             "(e.g. 0.30 for 30 % of own energy use)")
        for strategy in self.strategies:
            try:
                self.spec(strategy)
            except ValueError as exc:
                first = str(exc).splitlines()
                raise ValueError(f"[heat.strategies.{strategy.value}]: {first[-1].strip()}") from None
        if self.conversion_start_year >= self.periods[0]:
            raise ValueError(f"conversion_start_year {self.conversion_start_year} must be before the first period "
                             f"{self.periods[0]}: the first period would have no years to convert in")
        if len(self.forbid) == len(HeatStrategy):
            raise ValueError("every strategy is forbidden; no district could leave natural gas")
        return self

    def spec(self, strategy: HeatStrategy) -> StrategySpec:
        """The strategy's defaults with this scenario's overrides applied."""
        base = DEFAULT_STRATEGIES[strategy]
        override = self.strategies.get(strategy)
        if override is None:
            return base
        changes = {k: v for k, v in override.model_dump().items() if v is not None}
        return StrategySpec.model_validate({**base.model_dump(), **changes})

    def allowed(self) -> list[HeatStrategy]:
        """Strategies not forbidden, in the fixed order of ``HeatStrategy``."""
        return [s for s in HeatStrategy if s not in self.forbid]

    def green_gas_cap_m3(self, dwellings: int) -> float:
        """Green gas available in each year [m³/yr] for a plan with ``dwellings`` dwellings."""
        if self.green_gas_cap_mm3 is not None:
            return self.green_gas_cap_mm3 * 1e6
        return self.green_gas_m3_per_dwelling * dwellings

    @property
    def has_capacity(self) -> bool:
        """Whether a conversion capacity is set (for every municipality or for some)."""
        return self.max_dwellings_per_yr is not None or bool(self.max_dwellings_per_yr_by_gemeente)

    def dwellings_per_yr(self, gemeente: str) -> float | None:
        """The conversion rate of ``gemeente`` [dwellings/yr]; ``None``: no limit."""
        return self.max_dwellings_per_yr_by_gemeente.get(gemeente, self.max_dwellings_per_yr)

    def period_years(self) -> list[tuple[int, int]]:
        """(period year, years it spans) [yr]: from the previous period or ``conversion_start_year``."""
        starts = [self.conversion_start_year, *self.periods[:-1]]
        return [(year, year - start) for year, start in zip(self.periods, starts, strict=True)]

    def green_gas_weight(self, district: District) -> float:
        """Objective weight on a green gas strategy's cost in ``district`` [-]."""
        weight = 1.0
        if district.rural:
            weight *= self.rural_green_gas_weight
        if district.old_stock:
            weight *= self.old_stock_green_gas_weight
        return weight
