"""Pydantic models: the vocabulary of energieplanner.

What belongs here: validated data types for sites (solar fields, rooftop
potential, wind turbines), landscape rules, targets, scenarios and plans, the
sourced defaults they use, and the error hierarchy. Nothing here reads files,
touches geometry libraries beyond holding a shapely object, or solves anything;
``models`` imports no other project package.
"""

from models.errors import InfeasibleError, InputError, PlannerError, SolverError
from models.plan import ExcludedSite, MunicipalityResult, Plan, PlanStatus, RuleUse, SiteResult, TargetResult
from models.region import MunicipalityTarget, Region
from models.scenario import (
    FullLoadHours,
    LikRule,
    Objective,
    Policy,
    Scenario,
    SolverSettings,
    Targets,
)
from models.site import (
    LIK_TYPES,
    Initiator,
    RooftopSolar,
    Site,
    SiteKind,
    SiteStatus,
    SolarField,
    WindTurbine,
    Zonneladder,
    parse_site,
)

__all__ = [
    "MunicipalityResult", "MunicipalityTarget", "Region",
    "LIK_TYPES",
    "ExcludedSite",
    "FullLoadHours",
    "InfeasibleError",
    "Initiator",
    "InputError",
    "LikRule",
    "Objective",
    "Plan",
    "PlanStatus",
    "PlannerError",
    "Policy",
    "RooftopSolar",
    "RuleUse",
    "Scenario",
    "Site",
    "SiteKind",
    "SiteResult",
    "SiteStatus",
    "SolarField",
    "SolverError",
    "SolverSettings",
    "TargetResult",
    "Targets",
    "WindTurbine",
    "Zonneladder",
    "parse_site",
]
