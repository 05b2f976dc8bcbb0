"""A region scenario to start from: the region's total, its municipalities, their existing production.

``energie region-scenario`` writes it as TOML for the municipalities of a RES region
(from the same boundaries ``energie candidates`` uses), so that a region can be planned
right after generating its candidates and then edited by hand.

Existing production per municipality comes from the ETLocal 2023 municipal dataset
(Quintel, mostly Klimaatmonitor 2023; ``etlocal_gemeenten_2023_nl.csv``): onshore wind +
solar parks + solar on non-residential roofs [TJ/yr] / 3.6. Roofs of dwellings are left
out because the RES counts large-scale generation only (the Klimaatakkoord's 35 TWh is
"grootschalige" solar and wind; rooftop systems from 15 kWp count, which we approximate by
the non-residential roofs; an assumption, stated in the file written).

Examples
--------
>>> import pandas as pd
>>> towns = pd.DataFrame({"gemeente": ["GM0166"], "name": ["Kampen"]})
>>> text = region_scenario_toml(towns, region_code="ES05", region_name="RES West-Overijssel",
...                             target_gwh=1826, shares={"GM0166": (244.0, "F05")})
>>> import tomllib
>>> tomllib.loads(text)["municipalities"]["GM0166"]["electricity_gwh"]
244.0
"""

from __future__ import annotations

import csv
import math
import textwrap
from pathlib import Path

import pandas as pd

from models import InputError
from models.defaults import TJ_PER_GWH
from models.errors import preview_ids
from models.region import normalise_gemeente

#: ETLocal columns summed as existing large-scale production [TJ/yr].
EXISTING_COLUMNS = ("wind_onshore_prod_TJ", "solar_parks_prod_TJ", "solar_roof_nonres_TJ")
EXISTING_SOURCE = ("ETLocal 2023 (Quintel; Klimaatmonitor 2023): wind_onshore_prod_TJ + solar_parks_prod_TJ "
                   "+ solar_roof_nonres_TJ, / 3.6 TJ per GWh; dwellings' roofs left out (RES counts "
                   "large-scale generation; assumption)")


def parse_share(text: str) -> tuple[str, float, str]:
    """``GM0166=244`` or ``GM0166=244:F05 koggecourant 2021`` → (code, GWh/yr, source)."""
    code, _, rest = text.partition("=")
    value, _, source = rest.partition(":")
    try:
        gwh = float(value)
    except ValueError:
        gwh = math.nan
    if not code.strip() or not math.isfinite(gwh) or gwh < 0:
        raise InputError(f"--share '{text}' is not CODE=GWH[:SOURCE], e.g. GM0166=244:F05 (a number ≥ 0 "
                         "of GWh/yr)")
    return normalise_gemeente(code), gwh, source.strip()


KINDS = ("solar_field", "rooftop_solar", "wind_turbine")


def parse_forbid(text: str) -> tuple[str, list[str]]:
    """``GM1708=wind_turbine`` (or several kinds, comma-separated) → (code, kinds)."""
    code, _, rest = text.partition("=")
    kinds = [k.strip() for k in rest.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if not code.strip() or not kinds or bad:
        raise InputError(f"--forbid '{text}' is not CODE=KIND[,KIND]; kinds: {', '.join(KINDS)}")
    return normalise_gemeente(code), kinds


def etlocal_existing_gwh(path: str | Path, codes: list[str]) -> dict[str, tuple[float, str]]:
    """Existing large-scale production per municipality code [GWh/yr] with its breakdown text."""
    path = Path(path)
    if not path.is_file():
        raise InputError("ETLocal file not found; give etlocal_gemeenten_2023_nl.csv", source=str(path))
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {normalise_gemeente(r.get("geo_id", "")): r for r in csv.DictReader(fh)}
    if not rows or any(c not in next(iter(rows.values())) for c in EXISTING_COLUMNS):
        raise InputError(f"not an ETLocal municipal table: it needs the columns geo_id, "
                         f"{', '.join(EXISTING_COLUMNS)}", source=str(path))
    missing = [c for c in codes if c not in rows]
    if missing:
        raise InputError(f"no row for {preview_ids(missing)} (column geo_id)", source=str(path))
    out: dict[str, tuple[float, str]] = {}
    for code in codes:
        parts = []
        for col in EXISTING_COLUMNS:
            raw = (rows[code].get(col) or "").strip()
            try:
                parts.append(float(raw) / TJ_PER_GWH if raw else 0.0)
            except ValueError:
                raise InputError(f"{code}: {col} = {raw!r} is not a number", source=str(path)) from None
        detail = f"wind {parts[0]:.1f} + solar parks {parts[1]:.1f} + non-residential roofs {parts[2]:.1f}"
        out[code] = (round(sum(parts), 1), detail)
    return out


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_multiple(text: str) -> tuple[int, float]:
    """``"2050=2.0"`` → (2050, 2.0): a later target year as a multiple of the first."""
    year, sep, factor = (t.strip() for t in text.partition("="))
    try:
        if not sep:
            raise ValueError
        out = int(year), float(factor)
    except ValueError:
        raise InputError(f"--multiple needs YEAR=FACTOR, e.g. 2050=2.0 (got '{text}')") from None
    if not out[1] > 0:
        raise InputError(f"--multiple {text}: the factor must be above 0")
    return out


def _targets(target_gwh: float | None, source: str, year: int | None, multiples: dict[int, float]) -> list[str]:
    comment = f"          # {source}" if source else ""
    if year is None:
        if multiples:
            raise InputError("--multiple needs --year (the target year of --target-gwh), e.g. --year 2030")
        return ["[targets]", ("# electricity_gwh = ...          # the region's total [GWh/yr]" if target_gwh is None
                              else f"electricity_gwh = {target_gwh:g}{comment}"), ""]
    if target_gwh is None:
        raise InputError("--year needs --target-gwh (the region's total in that year)")
    early = sorted(y for y in multiples if y <= year)
    if early:
        raise InputError(f"--multiple {early[0]}=…: a multiple must be a later year than --year {year}")
    lines = [f"[targets.{year}]", f"electricity_gwh = {target_gwh:g}{comment}", ""]
    for later, factor in sorted(multiples.items()):
        lines += [f"[targets.{later}]", f"multiple_of = {year}", f"factor = {factor:g}", ""]
    if multiples:
        lines += ["# Each municipality's electricity_gwh is its share in the first year; later years scale it like",
                  "# the region's target. Give electricity_gwh_by_year = {2050 = ...} to set a year yourself.", ""]
    return lines


def region_scenario_toml(municipalities: pd.DataFrame, *, region_code: str, region_name: str,
                         target_gwh: float | None, existing: dict[str, tuple[float, str]] | None = None,
                         shares: dict[str, tuple[float, str]] | None = None,
                         forbid: dict[str, list[str]] | None = None,
                         min_turbine_distance_m: float | None = None, target_source: str = "",
                         year: int | None = None, multiples: dict[int, float] | None = None) -> str:
    """The scenario TOML for ``municipalities`` (columns ``gemeente``, ``name``), sorted by code.

    With ``year`` the total is that year's target (``[targets.<year>]``) and ``multiples`` adds later
    years as multiples of it (``{2050: 2.0}``: "the 2050 task is double"); the municipalities' shares
    then scale like the region's target in the later years (``Scenario.municipal_target_gwh``)."""
    shares = shares or {}
    forbid = forbid or {}
    codes = sorted(municipalities["gemeente"])
    unknown = sorted((set(shares) | set(forbid)) - set(codes))
    if unknown:
        raise InputError(f"--share or --forbid for {preview_ids(unknown)}, which is not among the selected "
                         f"municipalities ({preview_ids(codes)})")
    names = dict(zip(municipalities["gemeente"], municipalities["name"], strict=True))
    slug = (region_code or "region").lower()
    lines = [
        "# Region scenario written by `energie region-scenario`; edit it freely (README, 'Region-wide planning').",
        f"name = {_q(f'res-{slug}')}",
        f"description = {_q(f'{region_name}: {len(codes)} municipalities')}",
        "",
        *_targets(target_gwh, target_source, year, multiples or {}),
        "[region]",
        f"name = {_q(region_name)}",
        f"code = {_q(region_code)}",
        "",
        "[policy]",
        'solar_on_land = "nee_tenzij"   # candidate fields on farmland only from local initiatives',
        'zonneladder = "strict"         # roofs first',
        f"min_turbine_distance_m = {min_turbine_distance_m or 400:g}",
        "",
        "# No public Landschap-Identiteit-Kaart exists for the region: without a landscape layer every",
        "# site is 'onbekend'. Give `energie candidates --landscape` and add [lik.<type>] rules instead.",
        "[lik.onbekend]",
        'allow = ["solar_field", "rooftop_solar", "wind_turbine"]',
        "",
    ]
    if existing:
        lines += textwrap.wrap(f"existing_gwh: {EXISTING_SOURCE}.", 98, initial_indent="# ",
                               subsequent_indent="# ") + [""]
    for code in codes:
        lines.append(f"[municipalities.{code}]")
        lines.append(f"name = {_q(str(names[code]))}")
        if code in shares:
            gwh, source = shares[code]
            lines.append(f"electricity_gwh = {gwh:g}")
            if source:
                lines.append(f"source = {_q(source)}")
        else:
            lines.append("# electricity_gwh = ...   # its own share [GWh/yr], when agreed")
        if existing and code in existing:
            gwh, detail = existing[code]
            lines.append(f"existing_gwh = {gwh:g}   # {detail}")
        if code in forbid:
            lines.append("forbid = [" + ", ".join(_q(k) for k in forbid[code]) + "]")
        lines.append("")
    return "\n".join(lines)


__all__ = ["EXISTING_SOURCE", "etlocal_existing_gwh", "parse_forbid", "parse_multiple", "parse_share",
           "region_scenario_toml"]
