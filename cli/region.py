"""``energie region-scenario``: a scenario for a RES region's municipalities, to edit and plan."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from cli.common import ForceOpt, app, console, fail
from models import PlannerError


def _region_name(etlocal: Path | None, code: str | None) -> str:
    """``res_naam`` of the region from the ETLocal table, else "RES region <code>"."""
    if etlocal is not None and code and etlocal.is_file():
        with etlocal.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if (row.get("res_code") or "").strip().upper() == code.upper() and row.get("res_naam"):
                    return f"RES {row['res_naam'].strip()}"
    return f"RES region {code}" if code else "region"


@app.command("region-scenario")
def region_scenario(
    boundaries: Annotated[Path, typer.Option("--boundaries", help="Municipality polygons (any CRS), e.g. "
                                             "gemeenten_overijssel_2026_rd.geojson.")],
    out: Annotated[Path, typer.Option("--out", help="Scenario TOML to write.")],
    region: Annotated[Optional[str], typer.Option("--region", help="RES region code, e.g. ES05.")] = None,
    gemeente: Annotated[Optional[list[str]], typer.Option(
        "--gemeente", help="Municipality (CBS code or name); repeatable.")] = None,
    code_column: Annotated[Optional[str], typer.Option(
        "--code-column", help="Column with the CBS code (default: statcode, gm_code, ...).")] = None,
    target_gwh: Annotated[Optional[float], typer.Option(
        "--target-gwh", min=0, help="The region's total [GWh/yr], e.g. 1826.")] = None,
    target_source: Annotated[str, typer.Option("--target-source", help="Where the total comes from.")] = "",
    year: Annotated[Optional[int], typer.Option(
        "--year", min=2020, max=2100, help="The target year of --target-gwh (per-year targets), e.g. 2030.")] = None,
    multiple: Annotated[Optional[list[str]], typer.Option(
        "--multiple", help="A later target year as a multiple of --year, YEAR=FACTOR, e.g. 2050=2.0; repeatable.")] = None,
    existing: Annotated[Optional[Path], typer.Option(
        "--existing", help="ETLocal municipal CSV (etlocal_gemeenten_2023_nl.csv): existing production.")] = None,
    share: Annotated[Optional[list[str]], typer.Option(
        "--share", help="A municipality's own target CODE=GWH[:SOURCE], e.g. GM0166=244:F05; repeatable.")] = None,
    forbid: Annotated[Optional[list[str]], typer.Option(
        "--forbid", help="Kinds a municipality does not want, CODE=KIND[,KIND], e.g. GM1708=wind_turbine.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="Region name (default: from --existing).")] = None,
    min_turbine_distance_m: Annotated[Optional[float], typer.Option(
        "--min-turbine-distance-m", min=0, help="Policy minimum distance between turbines [m] (default 400).")] = None,
    force: ForceOpt = False,
) -> None:
    """Write a region scenario: the total, every municipality with its existing production and share."""
    from sites.boundaries import read_boundaries, select_municipalities
    from sites.region_scenario import (
        etlocal_existing_gwh, parse_forbid, parse_multiple, parse_share, region_scenario_toml,
    )
    from sites.writer import write_text

    try:
        towns = select_municipalities(read_boundaries(boundaries, code_column), region, gemeente or [])
        codes = sorted(towns["gemeente"])
        shares = {}
        for text in share or []:
            code, gwh, source = parse_share(text)
            shares[code] = (gwh, source)
        forbids = dict(parse_forbid(text) for text in forbid or [])
        have = etlocal_existing_gwh(existing, codes) if existing else None
        text = region_scenario_toml(
            towns, region_code=(region or "").upper(), region_name=name or _region_name(existing, region),
            target_gwh=target_gwh, existing=have, shares=shares, forbid=forbids,
            min_turbine_distance_m=min_turbine_distance_m, target_source=target_source, year=year,
            multiples=dict(parse_multiple(t) for t in multiple or []))
        write_text(out, text, force=force)
    except PlannerError as err:
        raise fail(err) from None
    total = sum(v[0] for v in (have or {}).values())
    console().print(Text(f"wrote {out}: {len(codes)} municipalities, {len(shares)} with an own share"
                         + (f", existing production {total:,.1f} GWh/yr" if have else "")), soft_wrap=True)
