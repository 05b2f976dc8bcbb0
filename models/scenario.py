"""Scenario models: targets, full-load hours, policy, landscape rules, solver settings.

A scenario is read from TOML (see README, "File contract"). Unknown keys are
rejected so that a typo (``max_turbine = 3``) never silently does nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.defaults import FLH_SOLAR_H, FLH_WIND_H, MIN_TURBINE_DISTANCE_M
from models.heat import HeatSettings
from models.region import MunicipalityTarget, Region, normalise_gemeente
from models.site import SiteKind, normalise_lik_type
from models.targets import Targets

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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

    def in_year(self, year: int | None, target_gwh: float | None) -> Scenario:
        """This scenario as one plan year: the electricity target ``target_gwh`` [GWh/yr] and every
        municipality's own share in ``year`` (``municipal_target_gwh``). Not re-validated: a view to
        read a year's plan against (the planner's assembly and the independent checker both use it).

        Examples
        --------
        >>> s = Scenario(name="r", targets={"2030": {"electricity_gwh": 100}, "2050": {"electricity_gwh": 300}},
        ...              municipalities={"GM0001": {"electricity_gwh": 30}})
        >>> v = s.in_year(2050, 300.0)
        >>> v.targets.electricity_gwh, v.municipalities["GM0001"].electricity_gwh
        (300.0, 90.0)
        """
        towns = {g: m.model_copy(update={"electricity_gwh": self.municipal_target_gwh(g, year),
                                         "electricity_gwh_by_year": {}})
                 for g, m in self.municipalities.items()}
        return self.model_copy(update={"targets": Targets(electricity_gwh=target_gwh), "municipalities": towns})

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
