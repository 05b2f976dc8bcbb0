"""Targets: one plan year, or several target years each in one of three readings.

``[targets] electricity_gwh = 434`` is one plan year; ``[targets.2030]``, ``[targets.2050]`` … are
per-year targets, each given as a figure, a multiple of an earlier year or a share of the projected
energy use (``YearTarget``); ``Targets.resolved()`` gives each year's figure with its reading.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.defaults import TJ_PER_GWH

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


__all__ = ["MAX_TARGET_YEAR", "MIN_TARGET_YEAR", "Reading", "ResolvedTarget", "Targets", "YearTarget",
           "projected_energy_use_tj"]
