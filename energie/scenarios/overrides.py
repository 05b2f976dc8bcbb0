"""What-if edits of a scenario and a site list, each validated like a file would be.

Every edit returns a new object; nothing is changed in place. Keys are the
TOML paths users see in the scenario file (``policy.solar_on_land``,
``lik.veenontginning.max_turbines``).

Examples
--------
>>> from models import Scenario
>>> s = Scenario(name="x", targets={"electricity_gwh": 100})
>>> set_value(s, "policy.solar_on_land=ja").policy.solar_on_land
'ja'
>>> scale_target(s, 2.0).targets.electricity_gwh
200.0
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from models import InputError, Scenario, Site, SiteKind
from models.errors import preview_ids
from models.site import LIK_TYPES, normalise_lik_type
from sites.scenario_io import scenario_from_dict


def _parse_value(text: str) -> Any:
    """A TOML value (``6``, ``"ja"``, ``ja``, ``["rooftop_solar"]``); bare words are strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def deep_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """``overlay`` on top of ``base``: tables merge key by key, other values replace."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _as_dict(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", exclude_none=False)


def _rebuild(data: dict[str, Any], source: str) -> Scenario:
    return scenario_from_dict(data, source)


def set_value(scenario: Scenario, assignment: str) -> Scenario:
    """Apply ``key.path=value`` (TOML value syntax) and validate the result."""
    if "=" not in assignment:
        raise InputError(f"--set needs KEY=VALUE, e.g. policy.solar_on_land=ja (got '{assignment}')")
    key, _, raw = assignment.partition("=")
    parts = [p.strip() for p in key.strip().split(".") if p.strip()]
    if not parts:
        raise InputError(f"--set has an empty key (got '{assignment}')")
    if parts[0] == "lik" and len(parts) >= 2:
        parts[1] = normalise_lik_type(parts[1])
    patch: dict[str, Any] = {}
    node = patch
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = _parse_value(raw)
    return _rebuild(deep_merge(_as_dict(scenario), patch), f"--set {assignment}")


def apply_overlay(scenario: Scenario, path: str | Path) -> Scenario:
    """Stack a TOML overlay file on the scenario (tables merge, values replace)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("overlay file not found", source=str(path))
    try:
        patch = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"the overlay is not valid TOML: {err}", source=str(path)) from None
    if "lik" in patch and isinstance(patch["lik"], dict):
        patch["lik"] = {normalise_lik_type(k): v for k, v in patch["lik"].items()}
    return _rebuild(deep_merge(_as_dict(scenario), patch), str(path))


def _absolute_years(scenario: Scenario) -> dict[int, float]:
    return {t.year: t.target_gwh for t in scenario.targets.resolved()}


def _with_year_targets(scenario: Scenario, years: dict[int, float]) -> Scenario:
    """Per-year targets given as figures (``[targets.<year>] electricity_gwh``), validated."""
    from models.targets import Targets

    targets = Targets.model_validate({str(y): {"electricity_gwh": float(v)} for y, v in sorted(years.items())})
    return scenario.model_copy(update={"targets": targets})


def _scale_shares(scenario: Scenario, factor: float, year: int | None) -> Scenario:
    """Every municipality's own share × ``factor`` (in ``year`` only, when named)."""
    towns = {}
    for code, m in scenario.municipalities.items():
        if year is None:
            update: dict[str, object] = {
                "electricity_gwh": None if m.electricity_gwh is None else m.electricity_gwh * factor,
                "electricity_gwh_by_year": {y: v * factor for y, v in m.electricity_gwh_by_year.items()}}
        else:
            share = scenario.municipal_target_gwh(code, year)
            by_year = dict(m.electricity_gwh_by_year)
            if share is not None:
                by_year[year] = share * factor
            update = {"electricity_gwh_by_year": by_year}
        towns[code] = m.model_copy(update=update)
    return scenario.model_copy(update={"municipalities": towns})


def _check_year(scenario: Scenario, year: int | None, option: str) -> None:
    years = scenario.targets.years
    if year is not None and not years:
        raise InputError(f"{option} with --year needs per-year targets ([targets.2030], ...); scenario "
                         f"'{scenario.name}' has one plan year")
    if year is not None and year not in years:
        raise InputError(f"--year {year} is not a target year of scenario '{scenario.name}' "
                         f"(target years: {', '.join(str(y) for y in years)})")


def set_target(scenario: Scenario, target_gwh: float, year: int | None = None) -> Scenario:
    """Replace the electricity target [GWh/yr]; with per-year targets, the target of ``year``.

    Later years given as a multiple of ``year`` follow it (they are read when the plan is made).
    """
    if not target_gwh >= 0:
        raise InputError(f"the target must be 0 GWh or more (got {target_gwh})")
    _check_year(scenario, year, "--target-gwh")
    if scenario.targets.is_phased:
        if year is None:
            years = ", ".join(str(y) for y in scenario.targets.years)
            raise InputError(f"--target-gwh on scenario '{scenario.name}' with per-year targets ({years}): name "
                             "the year it is for, e.g. --target-gwh 900 --year 2050 (or use --target-scale, "
                             "which scales every year)")
        data = scenario.targets.model_dump()
        data[str(year)] = {"electricity_gwh": float(target_gwh)}
        from models.targets import Targets

        try:
            targets = Targets.model_validate(data)
        except ValueError as err:
            raise InputError(f"--target-gwh {target_gwh:g} --year {year}: {err}") from None
        return scenario.model_copy(update={"targets": targets})
    return scenario.model_copy(update={"targets": scenario.targets.model_copy(
        update={"electricity_gwh": float(target_gwh)})})


def scale_target(scenario: Scenario, factor: float, year: int | None = None) -> Scenario:
    """Multiply the electricity target and every municipality's own share alike, e.g. 2.0 for "the
    2050 task is double the 2030 one". Per-year targets: every year, or only ``year`` when named
    (each year becomes a figure, ``electricity_gwh``, so that years given as multiples do not
    scale twice)."""
    if not factor > 0:
        raise InputError(f"--target-scale must be above 0 (got {factor})")
    _check_year(scenario, year, "--target-scale")
    if scenario.targets.is_phased:
        years = _absolute_years(scenario)
        if year is None:
            shares = _scale_shares(_materialise_shares(scenario), factor, None)
            return _with_year_targets(shares, {y: v * factor for y, v in years.items()})
        years[year] *= factor
        return _with_year_targets(_scale_shares(_materialise_shares(scenario), factor, year), years)
    if scenario.targets.electricity_gwh is None:
        raise InputError("--target-scale needs a scenario with targets.electricity_gwh")
    return set_target(_scale_shares(scenario, factor, None), scenario.targets.electricity_gwh * factor)


def _materialise_shares(scenario: Scenario) -> Scenario:
    """Each municipality's share per target year as figures (``electricity_gwh_by_year``), so that
    changing the region's targets does not move shares that scaled with them."""
    towns = {}
    for code, m in scenario.municipalities.items():
        by_year = {y: v for y in scenario.targets.years
                   if (v := scenario.municipal_target_gwh(code, y)) is not None}
        towns[code] = m.model_copy(update={"electricity_gwh": None, "electricity_gwh_by_year": by_year})
    return scenario.model_copy(update={"municipalities": towns})


def forbid_lik(scenario: Scenario, lik_type: str) -> Scenario:
    """No new solar fields or turbines in ``lik_type``; roofs on existing buildings stay allowed."""
    canon = normalise_lik_type(lik_type)
    rule = scenario.rule_for(canon)
    allow = [k for k in rule.allow if k == SiteKind.ROOFTOP_SOLAR]
    lik = dict(scenario.lik)
    lik[canon] = rule.model_copy(update={"allow": allow})
    return scenario.model_copy(update={"lik": lik})


def forbid_kind(scenario: Scenario, kind: str) -> Scenario:
    """No new sites of ``kind`` in any landscape type."""
    try:
        k = SiteKind(kind)
    except ValueError:
        raise InputError(f"--forbid-kind must be one of {', '.join(x.value for x in SiteKind)} "
                         f"(got '{kind}')") from None
    lik = {}
    for t in LIK_TYPES:
        rule = scenario.rule_for(t)
        lik[t] = rule.model_copy(update={"allow": [a for a in rule.allow if a != k]})
    return scenario.model_copy(update={"lik": lik})


def drop_sites(sites: list[Site], site_ids: Iterable[str]) -> list[Site]:
    """Remove sites (any status: a dropped planned or existing site is gone from every plan)."""
    wanted = list(dict.fromkeys(site_ids))
    known = {s.site_id for s in sites}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise InputError(f"--drop names site ids that are not in the input: {preview_ids(unknown)}")
    gone = set(wanted)
    return [s for s in sites if s.site_id not in gone]
