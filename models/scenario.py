"""Scenario models: targets, full-load hours, policy, landscape rules, solver settings.

A scenario is read from TOML (see README, "File contract"). Unknown keys are
rejected so that a typo (``max_turbine = 3``) never silently does nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.defaults import FLH_SOLAR_H, FLH_WIND_H, MIN_TURBINE_DISTANCE_M
from models.site import SiteKind, normalise_lik_type

NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Targets(_Strict):
    """Targets of the plan year."""

    #: Annual renewable electricity from existing + planned + chosen sites [GWh/yr].
    electricity_gwh: NonNeg | None = None


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
    """Which solver and how long. CBC is the default: it measured faster on our benchmark."""

    name: Literal["cbc", "highs"] = "cbc"
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
