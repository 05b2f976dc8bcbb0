"""Heat plan models: per district the chosen strategy and year, per strategy and year the totals.

A ``HeatPlan`` rides on a ``Plan`` (``Plan.heat``) so that one report, one JSON and one
checker cover the electricity and the heat side of a coupled plan.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DistrictResult(_Frozen):
    """One district: what it uses now and what the plan does with it.

    ``strategy`` and ``year`` are empty when the district stays on natural gas over the horizon.
    Energy figures are per year once converted: gas saved and green gas used [million m³/yr],
    electricity added [GWh/yr], change in total final energy use [TJ/yr]. ``cost_meur`` is the
    investment [M€]; ``cost_pv_meur`` the same discounted to the first period.
    """

    district_id: str
    name: str
    gemeente: str
    rural: bool
    old_stock: bool
    dwellings: int
    gas_mm3: float
    strategy: str | None
    year: int | None
    cost_meur: float
    cost_pv_meur: float
    gas_saved_mm3: float
    green_gas_mm3: float
    electricity_added_gwh: float
    energy_use_change_tj: float
    #: Strategies this district may not use, with the reason (``strategy: reason``).
    not_eligible: list[str] = []


class GasTargetResult(_Frozen):
    """A gas-saving target year: share asked, natural gas saved by then [million m³/yr]."""

    year: int
    share: float
    target_mm3: float
    saved_mm3: float
    shortfall_mm3: float
    #: Most gas that can be saved by this year under the rules [million m³/yr], when short.
    max_reachable_mm3: float | None = None


class YearTotals(_Frozen):
    """Totals of every district converted by ``year`` [million m³/yr, GWh/yr, TJ/yr]; ``dwellings_new``:
    the dwellings of the districts converting in this period (after the previous period year)."""

    year: int
    dwellings_converted: int
    dwellings_new: int
    gas_saved_mm3: float
    green_gas_mm3: float
    green_gas_cap_mm3: float
    electricity_added_gwh: float
    energy_use_change_tj: float


class StrategyTotals(_Frozen):
    """Totals per strategy over the horizon."""

    strategy: str
    label: str
    districts: int
    dwellings: int
    cost_meur: float
    gas_saved_mm3: float
    green_gas_mm3: float
    electricity_added_gwh: float


class ElectricityCoupling(_Frozen):
    """How the heat plan moved the electricity target of the plan year [GWh/yr]."""

    mode: str
    year: int
    base_target_gwh: float
    heat_electricity_gwh: float
    energy_use_change_tj: float
    target_gwh: float


class CapacityResult(_Frozen):
    """One municipality's conversion capacity in one period [dwellings] and what the plan uses of it."""

    #: ``District.gemeente`` (``no_gemeente`` for the districts without one).
    gemeente: str
    year: int
    #: Years the period spans [yr] and the rate [dwellings/yr]: limit = rate × years.
    years: int
    rate_per_yr: float
    limit_dwellings: float
    converted_dwellings: int
    #: The capacity keeps a district out: one that could convert in this period and converts later or
    #: never does not fit in what is left.
    binding: bool


class DeadlineResult(_Frozen):
    """A start district with a deadline ("aardgasvrij by 2030") and whether the plan meets it."""

    district_id: str
    name: str
    gemeente: str
    deadline_year: int
    dwellings: int
    #: The period the district converts by (``None``: stays on natural gas).
    year: int | None
    met: bool
    #: Converts in the last period its deadline allows while a later one was open to it: the deadline
    #: sets its year.
    binding: bool
    #: Its natural gas still used at the deadline when missed [million m³/yr].
    shortfall_mm3: float


class HeatPlan(_Frozen):
    """The heat side of a plan."""

    periods: list[int]
    discount_rate_per_yr: float
    districts: list[DistrictResult]
    gas_targets: list[GasTargetResult]
    years: list[YearTotals]
    strategies: list[StrategyTotals]
    #: Investment [M€] and its value discounted to the first period [M€].
    cost_meur: float
    cost_pv_meur: float
    gas_mm3: float
    #: How the heat plan moved the electricity target of the plan year (the first period).
    coupling: ElectricityCoupling | None = None
    #: Per-year scenarios: the same for every target year (the first is ``coupling``).
    couplings: list[ElectricityCoupling] = []
    #: Per municipality and period, with ``[heat] max_dwellings_per_yr``: its conversion capacity.
    capacity: list[CapacityResult] = []
    #: Every start district (``District.deadline_year``), by id.
    deadlines: list[DeadlineResult] = []
