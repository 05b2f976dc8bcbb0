"""What-if: apply a user's edits to a scenario and sites, re-plan, compare with the baseline.

Edits apply in a fixed order so the result does not depend on option order:
overlay files (in the order given), ``--set`` assignments, forbidden landscape
types and kinds, the target (absolute, then scale), dropped sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from energie.planner.pipeline import PlanResult, run_plan
from energie.scenarios.compare import Comparison, compare_results
from energie.scenarios.overrides import (
    apply_overlay, drop_sites, forbid_kind, forbid_lik, scale_target, set_target, set_value,
)
from models import InputError, Scenario, Site
from models.heat import District


@dataclass(frozen=True)
class WhatIf:
    """A user's edits; all empty means "no change"."""

    overlays: list[str] = field(default_factory=list)
    assignments: list[str] = field(default_factory=list)
    forbid_lik: list[str] = field(default_factory=list)
    forbid_kind: list[str] = field(default_factory=list)
    target_gwh: float | None = None
    target_scale: float | None = None
    drop: list[str] = field(default_factory=list)
    #: Per-year scenarios: the target year ``target_gwh``/``target_scale`` apply to (``None``: scale
    #: every year; ``target_gwh`` then needs a year).
    year: int | None = None

    def describe(self) -> str:
        parts = [f"overlay {o}" for o in self.overlays] + [f"set {a}" for a in self.assignments]
        parts += [f"forbid landscape {t}" for t in self.forbid_lik]
        parts += [f"forbid kind {k}" for k in self.forbid_kind]
        when = "" if self.year is None else f" in {self.year}"
        if self.target_gwh is not None:
            parts.append(f"target {self.target_gwh:g} GWh{when}")
        if self.target_scale is not None:
            parts.append(f"target × {self.target_scale:g}{when}")
        parts += [f"drop {d}" for d in self.drop]
        return "; ".join(parts) or "no change"

    def is_empty(self) -> bool:
        return self.describe() == "no change"


def apply_whatif(sites: list[Site], scenario: Scenario, edits: WhatIf) -> tuple[list[Site], Scenario]:
    """The edited sites and scenario (validated)."""
    for path in edits.overlays:
        scenario = apply_overlay(scenario, path)
    for assignment in edits.assignments:
        scenario = set_value(scenario, assignment)
    for lik in edits.forbid_lik:
        try:
            scenario = forbid_lik(scenario, lik)
        except ValueError as err:
            raise InputError(f"--forbid-lik: {err}") from None
    for kind in edits.forbid_kind:
        scenario = forbid_kind(scenario, kind)
    if edits.target_gwh is not None:
        scenario = set_target(scenario, edits.target_gwh, edits.year)
    if edits.target_scale is not None:
        scenario = scale_target(scenario, edits.target_scale, edits.year)
    if edits.year is not None and edits.target_gwh is None and edits.target_scale is None:
        raise InputError("--year names the target year of --target-gwh or --target-scale; give one of them")
    if edits.drop:
        sites = drop_sites(sites, edits.drop)
    return sites, scenario


def run_whatif(sites: list[Site], scenario: Scenario, edits: WhatIf, solver: str | None = None,
               time_limit_s: float | None = None, districts: list[District] | None = None) -> Comparison:
    """Plan the baseline and the variant of any scenario (one year or per year, municipalities,
    heat) and compare them (year by year for per-year targets)."""
    apply_whatif(sites, scenario, edits)  # bad edits fail before the first solve
    base = run_plan(sites, scenario, districts, solver=solver, time_limit_s=time_limit_s)
    return compare_variant(base, sites, scenario, edits, solver=solver, time_limit_s=time_limit_s,
                           districts=districts)[0]


def compare_variant(base: PlanResult, sites: list[Site], scenario: Scenario, edits: WhatIf,
                    solver: str | None = None, time_limit_s: float | None = None,
                    districts: list[District] | None = None) -> tuple[Comparison, list[Site]]:
    """Plan the variant of ``sites``/``scenario`` under ``edits`` and compare it with ``base`` (planned
    before on the same inputs); also return the variant's sites (for its map and layers)."""
    variant_sites, variant_scenario = apply_whatif(sites, scenario, edits)
    variant = run_plan(variant_sites, variant_scenario, districts, solver=solver, time_limit_s=time_limit_s)
    return compare_results(base, variant, edits.drop), variant_sites


#: Keys of a what-if text (``energie report --whatif``) → the ``energie whatif`` option they mirror.
WHATIF_KEYS = ("target-gwh", "target-scale", "year", "drop", "forbid-lik", "forbid-kind", "set", "overlay")


def parse_whatif(text: str) -> WhatIf:
    """``"target-scale=2; forbid-lik=beekdal; drop=ZV-03,ZV-05"`` → ``WhatIf`` (one comparison).

    Changes are separated by ``;``; each is ``KEY=VALUE`` with KEY one of ``WHATIF_KEYS`` (the
    options of ``energie whatif``); ``drop``, ``forbid-lik`` and ``forbid-kind`` take comma lists."""
    lists: dict[str, list[str]] = {k: [] for k in ("drop", "forbid-lik", "forbid-kind", "set", "overlay")}
    numbers: dict[str, float] = {}
    where = f"--whatif '{text}'"
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, value = (s.strip() for s in part.partition("="))
        key = key.replace("_", "-")
        if not sep or not value:
            raise InputError(f"{where}: '{part}' is not KEY=VALUE; e.g. 'target-scale=2; forbid-lik=beekdal'")
        if key not in WHATIF_KEYS:
            raise InputError(f"{where}: unknown change '{key}'; use one of {', '.join(WHATIF_KEYS)}")
        if key in ("target-gwh", "target-scale", "year"):
            try:
                numbers[key] = float(value)
            except ValueError:
                raise InputError(f"{where}: {key} must be a number (got '{value}')") from None
        elif key in ("set", "overlay"):
            lists[key].append(value)
        else:
            lists[key] += [v.strip() for v in value.split(",") if v.strip()]
    edits = WhatIf(overlays=lists["overlay"], assignments=lists["set"], forbid_lik=lists["forbid-lik"],
                   forbid_kind=lists["forbid-kind"], target_gwh=numbers.get("target-gwh"),
                   target_scale=numbers.get("target-scale"), drop=lists["drop"],
                   year=int(numbers["year"]) if "year" in numbers else None)
    if edits.is_empty():
        raise InputError(f"{where}: no change given; e.g. 'target-scale=2' or 'drop=ZV-03'")
    return edits
