"""Site models: solar fields, rooftop potential and wind turbines.

A site is anything that can generate renewable electricity at a place. The
three kinds form a discriminated union on ``kind`` so that a row from a
GeoPackage validates into exactly one class. Locked-in sites (``existing``,
``planned``) count toward targets and caps; ``candidate`` sites are what the
optimiser chooses from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from models.defaults import LIFETIME_YEARS_BY_KIND
from models.region import normalise_gemeente


class SiteKind(StrEnum):
    """What a site is; the ``kind`` column of the ``sites`` layer."""

    SOLAR_FIELD = "solar_field"
    ROOFTOP_SOLAR = "rooftop_solar"
    WIND_TURBINE = "wind_turbine"


class SiteStatus(StrEnum):
    """``existing`` and ``planned`` sites are locked in; ``candidate`` sites are optional."""

    EXISTING = "existing"
    PLANNED = "planned"
    CANDIDATE = "candidate"


class Initiator(StrEnum):
    """Who proposes the site. Under *nee, tenzij* only local initiatives may build on land."""

    ENERGIECOOPERATIE = "energiecooperatie"
    BELANGENGROEP = "belangengroep"
    COMMERCIEEL = "commercieel"
    GEMEENTE = "gemeente"
    AGRARISCH = "agrarisch"


#: Initiators allowed to build a solar field on land under ``solar_on_land = "nee_tenzij"``.
LOCAL_INITIATORS = frozenset({Initiator.ENERGIECOOPERATIE, Initiator.BELANGENGROEP})


class Zonneladder(StrEnum):
    """Step of the *zonneladder* (solar ladder) a solar field stands on.

    Roofs (step 1) are ``rooftop_solar`` sites. A field is on ``bebouwd`` (unused
    land inside built-up area, step 2), ``multifunctioneel`` (parking, dikes,
    landfill, along infrastructure, step 3), ``landbouwgrond`` (farmland, step 4)
    or ``natuur`` (step 5). The *nee, tenzij* and zonneladder policies apply to
    fields on land: ``landbouwgrond`` and ``natuur``.
    """

    BEBOUWD = "bebouwd"
    MULTIFUNCTIONEEL = "multifunctioneel"
    LANDBOUWGROND = "landbouwgrond"
    NATUUR = "natuur"


#: Zonneladder steps that count as "solar on land".
LAND_STEPS = frozenset({Zonneladder.LANDBOUWGROND, Zonneladder.NATUUR})

#: Landscape types of the Landschap-Identiteit-Kaart (LIK) we know, plus
#: ``onbekend`` for sites outside every landscape polygon.
LIK_TYPES: tuple[str, ...] = (
    "beekdal",
    "essen",
    "veenontginning",
    "heide_ontginning",
    "stuwwal",
    "landgoed",
    "onbekend",
)

#: Spellings users write for the same LIK type.
LIK_ALIASES: dict[str, str] = {
    "esdorpen": "essen",
    "essen/esdorpen": "essen",
    "es": "essen",
    "heideontginning": "heide_ontginning",
    "heide-ontginning": "heide_ontginning",
    "veldontginning": "heide_ontginning",
    "heide-/veldontginning": "heide_ontginning",
    "beekdalen": "beekdal",
    "stuwwallen": "stuwwal",
    "landgoederen": "landgoed",
}


def normalise_lik_type(value: str) -> str:
    """Return the canonical LIK type for ``value`` or raise ``ValueError`` with the valid ones."""
    key = str(value).strip().lower().replace(" ", "_")
    key = LIK_ALIASES.get(key, key)
    if key not in LIK_TYPES:
        import difflib

        close = difflib.get_close_matches(key, LIK_TYPES, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown landscape type '{value}'.{hint} Valid: {', '.join(LIK_TYPES)}")
    return key


class SiteBase(BaseModel):
    """Fields every site has. Units are in the names."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    site_id: Annotated[str, Field(min_length=1, max_length=100)]
    name: str = ""
    status: SiteStatus
    #: Installed capacity [MW] (MWp for PV).
    capacity_mw: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    #: Annual yield [GWh/yr]; ``None`` = capacity × full-load hours of the kind / 1000.
    yield_gwh: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    #: Investment [M€].
    cost_meur: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    initiator: Initiator = Initiator.COMMERCIEEL
    #: LIK landscape type of the site (set by spatial enrichment).
    lik_type: str = "onbekend"
    #: Phased scenarios only: the year an existing site came, or a planned site will come, into
    #: operation; for a candidate, the first year it may be built. Empty: from the first target year.
    #: A site counts from the first target year at or after it. One-year scenarios ignore it.
    year: Annotated[int, Field(ge=1950, le=2100)] | None = None
    #: Phased scenarios only: technical lifetime [yr]; the site stops counting in target years at or
    #: after ``year + lifetime_years`` (a candidate: its build year + lifetime). Empty: the default of
    #: its kind (``models.defaults.LIFETIME_YEARS_BY_KIND``). One-year scenarios ignore it.
    lifetime_years: Annotated[int, Field(ge=1, le=100)] | None = None
    #: Candidates only: the ``site_id`` of the existing or planned site of the same kind it replaces
    #: (repowering): same place, new capacity and cost; in operation only once that site has retired.
    repowers: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    #: Municipality the site lies in, as its CBS code (``GM0160``) or name; set by ``energie
    #: candidates`` from the boundaries. Only sites inside a municipality count for its own target
    #: (scenario ``[municipalities]``). Empty: counts for the region's target only.
    gemeente: Annotated[str, Field(max_length=100)] | None = None
    #: Shapely geometry in EPSG:28992, or ``None``; not serialised.
    geometry: Any = Field(default=None, exclude=True, repr=False)

    @field_validator("site_id")
    @classmethod
    def _strip_id(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("site_id is empty")
        return value

    @field_validator("gemeente")
    @classmethod
    def _norm_gemeente(cls, value: str | None) -> str | None:
        return None if value is None else (normalise_gemeente(value) or None)

    @field_validator("lik_type")
    @classmethod
    def _check_lik(cls, value: str) -> str:
        return normalise_lik_type(value)

    @property
    def is_locked_in(self) -> bool:
        """``True`` for existing and planned sites, which every plan contains."""
        return self.status is not SiteStatus.CANDIDATE

    @property
    def life_years(self) -> int:
        """Technical lifetime [yr]: ``lifetime_years`` or the default of the kind."""
        return self.lifetime_years or LIFETIME_YEARS_BY_KIND[str(getattr(self, "kind", "solar_field"))]


class SolarField(SiteBase):
    """Ground-mounted PV on a polygon."""

    kind: Literal["solar_field"] = "solar_field"
    #: Fenced area [ha]; from the polygon when the file leaves it empty.
    area_ha: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    zonneladder: Zonneladder = Zonneladder.LANDBOUWGROND

    @property
    def on_land(self) -> bool:
        """Whether the field takes farmland or nature (zonneladder step 4 or 5)."""
        return self.zonneladder in LAND_STEPS


class RooftopSolar(SiteBase):
    """PV potential on a cluster of roofs or a district's roofs (zonneladder step 1)."""

    kind: Literal["rooftop_solar"] = "rooftop_solar"
    #: Roof area used [ha], informative only.
    area_ha: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None


class WindTurbine(SiteBase):
    """One wind turbine position (a point in RD New)."""

    kind: Literal["wind_turbine"] = "wind_turbine"
    #: RD New coordinates of the tower [m].
    x_m: Annotated[float, Field(allow_inf_nan=False)]
    y_m: Annotated[float, Field(allow_inf_nan=False)]
    turbine_type: str = ""
    hub_height_m: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    rotor_diameter_m: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    #: Name of the wind pilot area (zoekgebied) the position belongs to.
    pilot_area: str | None = None


Site = Annotated[SolarField | RooftopSolar | WindTurbine, Field(discriminator="kind")]

_SITE_ADAPTER: TypeAdapter[SolarField | RooftopSolar | WindTurbine] = TypeAdapter(Site)


def repowering_problems(sites: list[SolarField | RooftopSolar | WindTurbine]) -> list[tuple[str, str]]:
    """(site id, problem and fix) for every ``repowers`` that names no existing or planned site of the
    same kind, or stands on a site that is not a candidate; empty when all are sound.

    Examples
    --------
    >>> old = parse_site({"kind": "rooftop_solar", "site_id": "R0", "status": "existing", "capacity_mw": 1,
    ...                   "cost_meur": 0})
    >>> new = parse_site({"kind": "wind_turbine", "site_id": "T1", "status": "candidate", "capacity_mw": 3,
    ...                   "cost_meur": 4, "x_m": 0, "y_m": 0, "repowers": "R0"})
    >>> repowering_problems([old, new])
    [('T1', "repowers 'R0', a rooftop_solar; a site can only repower one of its own kind (wind_turbine)")]
    """
    by_id = {s.site_id: s for s in sites}
    out: list[tuple[str, str]] = []
    for s in sites:
        if s.repowers is None:
            continue
        old = by_id.get(s.repowers)
        if s.status is not SiteStatus.CANDIDATE:
            out.append((s.site_id, f"repowers is for candidates, this site is {s.status.value}; clear it, or "
                                   "make the site a candidate"))
        elif old is None:
            out.append((s.site_id, f"repowers '{s.repowers}', which is no site_id of the sites layer; give the "
                                   "site_id of the existing or planned site it replaces"))
        elif not old.is_locked_in:
            out.append((s.site_id, f"repowers '{s.repowers}', a candidate; only an existing or planned site "
                                   "can be repowered"))
        elif old.kind != s.kind:
            out.append((s.site_id, f"repowers '{s.repowers}', a {old.kind}; a site can only repower one of its "
                                   f"own kind ({s.kind})"))
    return out


def parse_site(data: dict[str, Any]) -> SolarField | RooftopSolar | WindTurbine:
    """Validate one site record (a dict with a ``kind`` key) into its class.

    Examples
    --------
    >>> s = parse_site({"kind": "wind_turbine", "site_id": "T1", "status": "candidate",
    ...                 "capacity_mw": 3.0, "cost_meur": 4.2, "x_m": 240000, "y_m": 512000})
    >>> s.kind, s.is_locked_in
    ('wind_turbine', False)
    """
    return _SITE_ADAPTER.validate_python(data)
