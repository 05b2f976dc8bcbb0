"""Scenario models: targets, full-load hours, policy, landscape rules, solver settings.

A scenario is read from TOML (see README, "File contract"). Unknown keys are
rejected so that a typo (``max_turbine = 3``) never silently does nothing.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.defaults import FLH_SOLAR_H, FLH_WIND_H, MIN_TURBINE_DISTANCE_M, TJ_PER_GWH
from models.heat import HeatSettings
from models.region import MunicipalityTarget, Region, normalise_gemeente
from models.site import SiteKind, normalise_lik_type

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


#: Target years a scenario may hold.
MIN_TARGET_YEAR = 2020
MAX_TARGET_YEAR = 2100
#: Last year of the first savings rate: ``savings_until_2024`` lowers energy use in each year up to
#: and including it, ``savings_after_2024`` in each year after.
SAVINGS_SWITCH_YEAR = 2024
#: Energy savings [1/yr] when a share reading gives none: 2 %/yr up to 2024 and 1.5 %/yr after.
#: These are the figures of the phasing issue, assumptions rather than sourced facts; a scenario
#: states its own when it knows better.
SAVINGS_UNTIL_2024 = 0.02
SAVINGS_AFTER_2024 = 0.015

Year = Annotated[int, Field(ge=MIN_TARGET_YEAR, le=MAX_TARGET_YEAR)]
SavingsRate = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
#: How a target year's figure was given: a number, a multiple of an earlier year, a share of energy use.
Reading = Literal["absolute", "multiple", "share"]

_READINGS: dict[str, tuple[str, ...]] = {
    "electricity_gwh": ("electricity_gwh",),
    "multiple_of": ("multiple_of", "factor"),
    "share_of_energy_use": ("share_of_energy_use", "base_energy_use_tj", "base_year",
                            "savings_until_2024", "savings_after_2024"),
}
_ONE_READING_HINT = ("electricity_gwh = 434, or multiple_of = 2030 with factor = 2.0, or "
                     "share_of_energy_use = 1.0 with base_energy_use_tj and base_year")


def projected_energy_use_tj(base_tj: float, base_year: int, year: int,
                            savings_until_2024: float = SAVINGS_UNTIL_2024,
                            savings_after_2024: float = SAVINGS_AFTER_2024) -> float:
    """Energy use projected for ``year`` [TJ/yr].

    ``base_tj`` [TJ/yr] in ``base_year``, lowered by ``savings_until_2024`` [1/yr] for each year up to
    and including 2024 and by ``savings_after_2024`` [1/yr] for each later year (compounding).

    Examples
    --------
    >>> round(projected_energy_use_tj(5208.5, 2023, 2050), 1)  # 5,208.5 × 0.98 × 0.985**26
    3445.7
    """
    if year < base_year:
        raise ValueError(f"the projection runs forward: {year} is before the base year {base_year}")
    early = max(0, min(year, SAVINGS_SWITCH_YEAR) - base_year)
    late = year - base_year - early
    return base_tj * (1.0 - savings_until_2024) ** early * (1.0 - savings_after_2024) ** late


class YearTarget(_Strict):
    """The target of one year (``[targets.2050]``), given in exactly one of three readings.

    - ``electricity_gwh``: the figure itself [GWh/yr];
    - ``multiple_of`` (an earlier target year of the scenario) × ``factor`` [-], e.g. "the 2050 task
      is double the 2030 one";
    - ``share_of_energy_use`` (0, 1] of the energy use projected for the year, met by electricity
      (the reading of the Hardenberg 2030 target): ``base_energy_use_tj`` [TJ/yr] in ``base_year``,
      lowered by ``savings_until_2024`` and ``savings_after_2024`` [1/yr] (defaults 0.02 and
      0.015), see ``projected_energy_use_tj``.
    """

    electricity_gwh: NonNeg | None = None
    multiple_of: Year | None = None
    factor: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    share_of_energy_use: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = None
    base_energy_use_tj: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    base_year: Annotated[int, Field(ge=1990, le=MAX_TARGET_YEAR)] | None = None
    savings_until_2024: SavingsRate | None = None
    savings_after_2024: SavingsRate | None = None

    @model_validator(mode="after")
    def _one_reading(self) -> YearTarget:
        given = {name: [k for k in keys if getattr(self, k) is not None] for name, keys in _READINGS.items()}
        used = [name for name, keys in given.items() if keys]
        if not used:
            raise ValueError(f"give one reading: {_ONE_READING_HINT}")
        if len(used) > 1:
            found = "; ".join(", ".join(given[name]) for name in used)
            raise ValueError(f"give one reading, not several (found {found}): {_ONE_READING_HINT}")
        if used == ["multiple_of"] and (self.multiple_of is None or self.factor is None):
            missing = "factor" if self.factor is None else "multiple_of"
            raise ValueError(f"a multiple needs both multiple_of (the earlier year) and factor; {missing} is missing")
        if used == ["share_of_energy_use"]:
            missing_keys = [k for k in ("share_of_energy_use", "base_energy_use_tj", "base_year")
                            if getattr(self, k) is None]
            if missing_keys:
                raise ValueError("a share of energy use needs share_of_energy_use, base_energy_use_tj [TJ/yr] "
                                 f"and base_year; missing: {', '.join(missing_keys)}")
        return self

    @property
    def reading(self) -> Reading:
        if self.electricity_gwh is not None:
            return "absolute"
        return "multiple" if self.multiple_of is not None else "share"


class ResolvedTarget(_Strict):
    """A target year's electricity target [GWh/yr] and the reading it came from (for reports)."""

    year: int
    target_gwh: float
    reading: Reading
    #: multiple: the year multiplied, its target [GWh/yr] and the factor [-].
    multiple_of: int | None = None
    reference_gwh: float | None = None
    factor: float | None = None
    #: share: the share [-], energy use [TJ/yr] in base_year, savings [1/yr], projected use [TJ/yr].
    share: float | None = None
    base_energy_use_tj: float | None = None
    base_year: int | None = None
    savings_until_2024: float | None = None
    savings_after_2024: float | None = None
    energy_use_tj: float | None = None


class Targets(_Strict):
    """Targets: one plan year, or several target years (a phased scenario).

    One plan year: ``[targets] electricity_gwh = 434`` (annual renewable electricity from existing +
    planned + chosen sites [GWh/yr]). Several years: one table per year, named by the year
    (``[targets.2030]``, ``[targets.2050]``), each a ``YearTarget``; ``resolved()`` gives the figures.
    The two forms do not mix.

    Examples
    --------
    >>> t = Targets.model_validate({"2030": {"electricity_gwh": 434},
    ...                             "2050": {"multiple_of": 2030, "factor": 2.0}})
    >>> [(r.year, r.target_gwh, r.reading) for r in t.resolved()]
    [(2030, 434.0, 'absolute'), (2050, 868.0, 'multiple')]
    """

    model_config = ConfigDict(frozen=True, extra="allow")
    #: The per-year tables, keyed by the year as text (TOML table names are text).
    __pydantic_extra__: dict[str, YearTarget] = Field(init=False)

    #: Annual renewable electricity from existing + planned + chosen sites [GWh/yr].
    electricity_gwh: NonNeg | None = None

    @model_validator(mode="before")
    @classmethod
    def _year_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        problems = []
        for key, item in value.items():
            name = str(key).strip()
            if name in cls.model_fields:
                out[name] = item
            elif not name.isdigit():
                problems.append(f"unknown key '{key}' (check the spelling; a per-year table is named by its "
                                "year, e.g. [targets.2030])")
            elif not MIN_TARGET_YEAR <= int(name) <= MAX_TARGET_YEAR:
                problems.append(f"[targets.{name}]: a target year must be {MIN_TARGET_YEAR}–{MAX_TARGET_YEAR}")
            elif str(int(name)) in out:
                problems.append(f"[targets.{name}]: the year {int(name)} is given twice")
            else:
                out[str(int(name))] = item
        if problems:
            raise ValueError("; ".join(problems))
        return out

    @model_validator(mode="after")
    def _check_years(self) -> Targets:
        years = self.years
        if years and self.electricity_gwh is not None:
            raise ValueError("give either electricity_gwh (one plan year) or per-year tables ([targets.2030], "
                             "[targets.2050], ...), not both")
        problems = []
        for year, t in years.items():
            if t.multiple_of is not None and (t.multiple_of >= year or t.multiple_of not in years):
                earlier = ", ".join(str(y) for y in years if y < year) or "none"
                problems.append(f"targets.{year}.multiple_of = {t.multiple_of}: it must name an earlier "
                                f"target year of this scenario (earlier years: {earlier})")
            if t.base_year is not None and t.base_year > year:
                problems.append(f"targets.{year}.base_year = {t.base_year}: the base year must not be after "
                                f"{year} (energy use is projected forward from it)")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def years(self) -> dict[int, YearTarget]:
        """The per-year tables by year, ascending; empty for a one-year scenario."""
        extra = self.model_extra or {}
        return {int(k): extra[k] for k in sorted(extra, key=int)}

    @property
    def is_phased(self) -> bool:
        """Whether the targets are given per year (``[targets.2030]``, ...)."""
        return bool(self.model_extra)

    def resolved(self) -> list[ResolvedTarget]:
        """Each target year's figure [GWh/yr] with its reading, ascending by year."""
        out: dict[int, ResolvedTarget] = {}
        for year, t in self.years.items():  # ascending: a multiple's earlier year is resolved first
            if t.electricity_gwh is not None:
                out[year] = ResolvedTarget(year=year, target_gwh=t.electricity_gwh, reading="absolute")
            elif t.multiple_of is not None and t.factor is not None:
                ref = out[t.multiple_of].target_gwh
                out[year] = ResolvedTarget(year=year, target_gwh=t.factor * ref, reading="multiple",
                                           multiple_of=t.multiple_of, reference_gwh=ref, factor=t.factor)
            else:
                assert t.share_of_energy_use is not None and t.base_energy_use_tj is not None
                assert t.base_year is not None
                s1 = SAVINGS_UNTIL_2024 if t.savings_until_2024 is None else t.savings_until_2024
                s2 = SAVINGS_AFTER_2024 if t.savings_after_2024 is None else t.savings_after_2024
                use_tj = projected_energy_use_tj(t.base_energy_use_tj, t.base_year, year, s1, s2)
                out[year] = ResolvedTarget(
                    year=year, target_gwh=t.share_of_energy_use * use_tj / TJ_PER_GWH, reading="share",
                    share=t.share_of_energy_use, base_energy_use_tj=t.base_energy_use_tj, base_year=t.base_year,
                    savings_until_2024=s1, savings_after_2024=s2, energy_use_tj=use_tj)
        return list(out.values())


class FullLoadHours(_Strict):
    """Full-load hours per kind [h/yr], used when a site gives no ``yield_gwh``.

    Defaults: ETM 2023 (Quintel ETLocal ``etm_flh_solar_h`` = 950 h,
    ``etm_flh_wind_inland_h`` = 2,756 h); see ``models.defaults``.
    """

    solar_field: Annotated[float, Field(gt=0, le=8760)] = FLH_SOLAR_H
    rooftop_solar: Annotated[float, Field(gt=0, le=8760)] = FLH_SOLAR_H
    wind_turbine: Annotated[float, Field(gt=0, le=8760)] = FLH_WIND_H

    def for_kind(self, kind: str) -> float:
        """Full-load hours [h/yr] of ``kind``."""
        return float(getattr(self, kind))


class Policy(_Strict):
    """Municipal policy rules.

    ``solar_on_land``: ``"nee_tenzij"`` admits a candidate solar field on land
    (zonneladder step ``landbouwgrond`` or ``natuur``) only when its initiator is
    an ``energiecooperatie`` or ``belangengroep``; ``"ja"`` admits any.
    ``zonneladder``: ``"strict"`` admits no candidate field on land unless every
    eligible rooftop candidate is chosen; ``"soft"`` charges
    ``objective.zonneladder_penalty_meur_per_gwh`` for each GWh from such fields;
    ``"off"`` ignores the ladder.
    """

    solar_on_land: Literal["nee_tenzij", "ja"] = "nee_tenzij"
    zonneladder: Literal["strict", "soft", "off"] = "strict"
    #: No two turbines (existing included) closer than this [m] (see models.defaults).
    min_turbine_distance_m: NonNeg = MIN_TURBINE_DISTANCE_M


class Objective(_Strict):
    """Objective = Σ cost_meur of chosen candidates + landscape_weight × Σ landscape impact
    (+ the soft-zonneladder charge)."""

    landscape_weight: NonNeg = 1.0
    #: Policy weight [M€ per GWh/yr] for fields on land under ``zonneladder = "soft"``. Not a
    #: cost: 0.5 M€ per GWh/yr is about the investment for 1 GWh/yr of field PV (≈ 1.05 MWp at
    #: ~0.5 M€/MWp), so "soft" roughly doubles the price of land compared with roofs.
    zonneladder_penalty_meur_per_gwh: NonNeg = 0.5
    #: Phased scenarios only: real discount rate [1/yr]. The investment of a site built in a later
    #: period counts (1 + rate)^−(its year − the first target year) times (landscape impact is not
    #: discounted). 0 (default) = undiscounted: the build period then changes no cost, and the plan
    #: builds each site as late as the targets allow. ``energie explain`` annualises at 4 %
    #: (``energie.facts.accounting.DISCOUNT_RATE``), a reasonable non-zero choice.
    discount_rate_per_yr: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] = 0.0


class LikRule(_Strict):
    """What a landscape type (LIK) admits. A type without a table admits only rooftop solar."""

    allow: list[SiteKind] = Field(default_factory=lambda: [SiteKind.ROOFTOP_SOLAR])
    #: Cap on total solar-field area, existing and planned included [ha].
    max_solar_field_ha: NonNeg | None = None
    #: Cap on the number of turbines, existing and planned included.
    max_turbines: Annotated[int, Field(ge=0)] | None = None
    #: Landscape impact of a chosen solar field [M€-equivalent per ha].
    impact_per_ha: NonNeg = 0.0
    #: Landscape impact of a chosen turbine [M€-equivalent per turbine].
    impact_per_turbine: NonNeg = 0.0


DEFAULT_LIK_RULE = LikRule()


class SolverSettings(_Strict):
    """Which solver and how long.

    HiGHS is the default because its worst case is far better on our benchmark
    (benchmarks/README.md, 2026-11-23, 1 thread, gap 1e-4): with the default strict
    zonneladder, 10k sites took HiGHS 2.5 s against CBC 33.7 s (and 195 s with CBC's
    preprocessing on, which also found no plan at 100k in 300 s). With the zonneladder off
    CBC is faster (100k sites: 13.6 s against 47.9 s end to end), so ``name = "cbc"``
    remains a good choice there.
    """

    name: Literal["cbc", "highs"] = "highs"
    time_limit_s: Annotated[float, Field(gt=0)] = 120.0
    #: Relative MIP gap at which the solver may stop [-].
    gap_rel: Annotated[float, Field(ge=0, lt=1)] = 1e-4
    threads: Annotated[int, Field(ge=1)] = 1


class Scenario(_Strict):
    """Everything the optimiser needs besides the sites."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    targets: Targets = Targets()
    full_load_hours: FullLoadHours = FullLoadHours()
    policy: Policy = Policy()
    objective: Objective = Objective()
    lik: dict[str, LikRule] = Field(default_factory=dict)
    solver: SolverSettings = SolverSettings()
    #: Aardgasvrij districts: periods, gas targets, strategies (``models.heat``); none = no heat plan.
    heat: HeatSettings | None = None
    #: The region planned (informative; its total is ``targets.electricity_gwh``).
    region: Region | None = None
    #: Municipalities with their own share, keyed by CBS code (``GM0166``) or the name used in the
    #: sites' ``gemeente`` column (``models.region``).
    municipalities: dict[str, MunicipalityTarget] = Field(default_factory=dict)

    @field_validator("municipalities", mode="before")
    @classmethod
    def _normalise_municipality_keys(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for key, row in value.items():
            canon = normalise_gemeente(str(key))
            if not canon:
                raise ValueError("a municipality key is empty; use its CBS code, e.g. [municipalities.GM0166]")
            if canon in out:
                raise ValueError(f"municipality '{canon}' is given twice (as '{key}')")
            out[canon] = row
        return out

    @property
    def existing_gwh(self) -> float:
        """Existing production outside the sites layer, summed over the municipalities [GWh/yr]."""
        return sum(m.existing_gwh for m in self.municipalities.values())

    @property
    def has_municipal_targets(self) -> bool:
        """Whether any municipality has its own target."""
        return any(m.electricity_gwh is not None or m.electricity_gwh_by_year
                   for m in self.municipalities.values())

    @model_validator(mode="after")
    def _check_municipal_years(self) -> Scenario:
        years = set(self.targets.years)
        problems = []
        for code, m in sorted(self.municipalities.items()):
            extra = sorted(set(m.electricity_gwh_by_year) - years)
            if extra and not years:
                problems.append(f"[municipalities.{code}] electricity_gwh_by_year needs per-year targets "
                                "([targets.2030], ...); in a one-year scenario give electricity_gwh")
            elif extra:
                problems.append(f"[municipalities.{code}] electricity_gwh_by_year gives {extra}, which "
                                f"{'is' if len(extra) == 1 else 'are'} not a target year of the scenario "
                                f"(target years: {', '.join(str(y) for y in sorted(years))})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def municipal_target_gwh(self, gemeente: str, year: int | None = None) -> float | None:
        """A municipality's own target [GWh/yr] in target ``year`` (``None``: a one-year scenario).

        Per-year scenarios: ``electricity_gwh_by_year[year]`` when given; else ``electricity_gwh`` read
        as its share of the *first* target year, scaled like the region's target (the municipality
        keeps its part of the region's task: double in 2050 when the region's is double); else none.

        Examples
        --------
        >>> s = Scenario(name="r", targets={"2030": {"electricity_gwh": 100},
        ...                                 "2050": {"multiple_of": 2030, "factor": 2}},
        ...              municipalities={"GM0001": {"electricity_gwh": 30},
        ...                              "GM0002": {"electricity_gwh_by_year": {2050: 90}}})
        >>> [s.municipal_target_gwh(g, y) for g in ("GM0001", "GM0002") for y in (2030, 2050)]
        [30.0, 60.0, None, 90.0]
        """
        m = self.municipalities.get(gemeente)
        if m is None:
            return None
        if year is None or not self.targets.is_phased:
            return m.electricity_gwh
        if year in m.electricity_gwh_by_year:
            return m.electricity_gwh_by_year[year]
        if m.electricity_gwh is None:
            return None
        resolved = {t.year: t.target_gwh for t in self.targets.resolved()}
        first = resolved[min(resolved)]
        return m.electricity_gwh * (resolved[year] / first if first > 0 else 1.0)

    @field_validator("lik", mode="before")
    @classmethod
    def _normalise_lik_keys(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for key, rule in value.items():
            canon = normalise_lik_type(str(key))
            if canon in out:
                raise ValueError(f"landscape type '{canon}' is given twice (as '{key}')")
            out[canon] = rule
        return out

    def rule_for(self, lik_type: str) -> LikRule:
        """The rule of ``lik_type``; types without a ``[lik.*]`` table admit only rooftop solar."""
        return self.lik.get(lik_type, DEFAULT_LIK_RULE)
