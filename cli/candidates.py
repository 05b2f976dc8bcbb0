"""``energie candidates``: solar field cells and turbine positions from maps, as a sites GeoPackage."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from cli.common import ForceOpt, NoColorOpt, app, console, fail
from models import InputError, PlannerError
from models.defaults import (
    PREVAILING_WIND_FROM_DEG, SOLAR_FIELD_MEUR_PER_MWP, TURBINE_CAPACITY_MW, TURBINE_HUB_HEIGHT_M,
    TURBINE_ROTOR_DIAMETER_M, TURBINE_SPACING_ACROSS_D, TURBINE_SPACING_ALONG_D, WIND_MEUR_PER_MW,
    WIND_SETBACK_M,
)

def _table(title: str, *columns: str, text_cols: int = 2) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i < text_cols else "right", no_wrap=i < text_cols)
    return table


def render_candidates(result: object) -> Group:
    """The summary per municipality and per layer (plain text cells: paths are not markup)."""
    from energie import fmt
    from sites.candidates import CandidateResult

    assert isinstance(result, CandidateResult)
    per = result.by_municipality
    solar, wind = "cells" in per.columns, "turbines" in per.columns
    cols = ["gemeente", "name"]
    cols += ["cells", "ha", "MWp", "GWh solar"] if solar else []
    roof = "roof_mw" in per.columns
    cols += ["wt", "GWh wind"] if wind else []
    cols += ["MWp roof", "GWh roof"] if roof else []
    cols += ["GWh total"]
    table = _table(f"Candidates per municipality ({len(result.sites):,} sites)", *cols)

    def cells(row: dict[str, float | str]) -> list[str]:
        out_cells = [str(row["gemeente"]), str(row["name"])]
        if solar:
            out_cells += [fmt.num(float(row["cells"]), 0), fmt.num(float(row["solar_ha"]), 0),
                          fmt.num(float(row["solar_mw"]), 0), fmt.num(float(row["solar_gwh"]), 0)]
        if wind:
            out_cells += [fmt.num(float(row["turbines"]), 0), fmt.num(float(row["wind_gwh"]), 0)]
        if roof:
            out_cells += [fmt.num(float(row["roof_mw"]), 0), fmt.num(float(row["roof_gwh"]), 0)]
        return out_cells + [fmt.num(float(row["total_gwh"]), 0)]

    for row in per.to_dict("records"):
        table.add_row(*(Text(c) for c in cells(row)))
    total = per.drop(columns=["gemeente", "name"]).sum(numeric_only=True).to_dict()
    table.add_row(*(Text(c, style="bold") for c in cells({**total, "gemeente": "total", "name": ""})))
    layers = _table("Per layer: its ha inside the selection, the cells and turbine positions it blocks",
                    "layer", "keeps out", "ha", "cells", "turbines")
    for row in result.by_layer.to_dict("records"):
        keeps = [f"{what}{'' if d == 0 else f' ≥ {d:g} m'}" for what, d in
                 (("fields", row["solar_buffer_m"]), ("turbines", row["wind_buffer_m"])) if d == d]
        layers.add_row(*(Text(c) for c in (
            Path(str(row["layer"])).name, ", ".join(keeps), fmt.num(float(row["area_ha"]), 0),
            "–" if row["cells_blocked"] is None or row["cells_blocked"] != row["cells_blocked"]
            else fmt.num(float(row["cells_blocked"]), 0),
            "–" if row["positions_blocked"] is None or row["positions_blocked"] != row["positions_blocked"]
            else fmt.num(float(row["positions_blocked"]), 0))))
    return Group(table, layers)


def _option_lines(solar: object, wind: object, roofs: bool) -> list[str]:
    from sites.candidates import SolarOptions, TurbineClass

    lines = []
    if isinstance(solar, SolarOptions):
        lines.append(f"solar fields: cells of {solar.cell_ha:g} ha ({solar.side_m:.0f} m), {solar.mwp_per_ha:g} MWp/ha, "
                     f"{solar.flh_h:g} h, {solar.meur_per_mwp:g} M€/MWp, initiator {solar.initiator}")
    if isinstance(wind, TurbineClass):
        across, along = wind.spacing_m
        lines.append(f"wind turbines '{wind.name}': {wind.capacity_mw:g} MW, rotor {wind.rotor_diameter_m:g} m, "
                     f"hub {wind.hub_height_m:g} m; {across:g} m across × {along:g} m along the wind from "
                     f"{wind.wind_from_deg:g}°; setback {wind.setback_m:g} m; {wind.flh_h:g} h; "
                     f"{wind.meur_per_mw:g} M€/MW")
    if roofs:
        lines.append("rooftops: ETLocal 2023 roof area minus today's roof PV (assumptions: see README)")
    return lines


@app.command()
def candidates(
    boundaries: Annotated[Path, typer.Option("--boundaries", help="Municipality polygons (any CRS), e.g. CBS gemeenten.")],
    out: Annotated[Path, typer.Option("--out", help="GeoPackage to write (layers sites, municipalities, exclusions, landscape).")],
    places: Annotated[str, typer.Option("--places", help="Place polygons with 'inwoners' (TOP10NL Plaats): built-up areas and the turbine setback.")],
    region: Annotated[Optional[str], typer.Option("--region", help="RES region code (column res_code), e.g. ES05.")] = None,
    gemeente: Annotated[Optional[list[str]], typer.Option("--gemeente", help="Municipality code or name; repeatable.")] = None,
    code_column: Annotated[Optional[str], typer.Option("--code-column", help="Boundaries column with the municipality code (default: statcode, gm_code, gemeentecode, …).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Polygon layer where nothing may come (Natura 2000, NNN, …); FILE or FILE:LAYER; repeatable.")] = None,
    exclude_buffer_m: Annotated[float, typer.Option("--exclude-buffer-m", help="Distance every candidate keeps from the exclusion layers [m].")] = 0.0,
    buffer: Annotated[Optional[list[str]], typer.Option("--buffer", help="FILE[:LAYER]:METRES: turbines keep METRES from its features (roads, rail, water), no solar cell crosses them; repeatable.")] = None,
    landscape: Annotated[Optional[str], typer.Option("--landscape", help="LIK polygons with a 'lik_type' column.")] = None,
    cell_ha: Annotated[float, typer.Option("--cell-ha", help="Area of one solar field cell [ha].")] = 4.0,
    built_up_buffer_m: Annotated[float, typer.Option("--built-up-buffer-m", help="Distance a solar cell keeps from built-up areas [m].")] = 0.0,
    initiator: Annotated[str, typer.Option("--initiator", help="Initiator of the solar fields (under 'nee, tenzij' only energiecooperatie/belangengroep may build on land).")] = "energiecooperatie",
    solar_meur_per_mwp: Annotated[float, typer.Option("--solar-meur-per-mwp", help="Solar field investment [M€/MWp] (default: an assumption, see README).")] = SOLAR_FIELD_MEUR_PER_MWP,
    no_solar: Annotated[bool, typer.Option("--no-solar", help="No solar field cells.")] = False,
    no_wind: Annotated[bool, typer.Option("--no-wind", help="No turbine positions.")] = False,
    turbine_name: Annotated[str, typer.Option("--turbine-name", help="Turbine type written to the sites.")] = "5.6 MW, rotor 150 m",
    turbine_mw: Annotated[float, typer.Option("--turbine-mw", help="Turbine capacity [MW].")] = TURBINE_CAPACITY_MW,
    rotor_m: Annotated[float, typer.Option("--rotor-m", help="Rotor diameter [m].")] = TURBINE_ROTOR_DIAMETER_M,
    hub_m: Annotated[float, typer.Option("--hub-m", help="Hub height [m].")] = TURBINE_HUB_HEIGHT_M,
    setback_m: Annotated[float, typer.Option("--setback-m", help="Least distance from a turbine to a place with inhabitants [m].")] = WIND_SETBACK_M,
    spacing_across: Annotated[float, typer.Option("--spacing-across", help="Turbine spacing across the wind [rotor diameters].")] = TURBINE_SPACING_ACROSS_D,
    spacing_along: Annotated[float, typer.Option("--spacing-along", help="Turbine spacing along the wind [rotor diameters].")] = TURBINE_SPACING_ALONG_D,
    wind_from_deg: Annotated[float, typer.Option("--wind-from-deg", help="Prevailing wind direction the rows follow [° from north]; 0 = axis-aligned.")] = PREVAILING_WIND_FROM_DEG,
    wind_meur_per_mw: Annotated[float, typer.Option("--wind-meur-per-mw", help="Wind investment [M€/MW].")] = WIND_MEUR_PER_MW,
    roofs: Annotated[Optional[Path], typer.Option("--roofs", help="ETLocal municipal CSV: rooftop candidates per municipality from its roof area (assumptions in the README).")] = None,
    roof_kwp_per_m2: Annotated[float, typer.Option("--roof-kwp-per-m2", help="Rooftop peak power per m² of roof area [kWp/m²] (an assumption).")] = 0.15,
    roof_share: Annotated[float, typer.Option("--roof-share", help="Share of the ETLocal roof area used [-].")] = 1.0,
    roof_block_mwp: Annotated[float, typer.Option("--roof-block-mwp", help="Largest rooftop candidate [MWp].")] = 5.0,
    roof_meur_per_mwp: Annotated[float, typer.Option("--roof-meur-per-mwp", help="Rooftop investment [M€/MWp] (an assumption).")] = 0.85,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Generate candidate solar fields (a grid of cells) and wind-turbine positions from maps.

    The output GeoPackage follows the file contract: run `energie plan --sites OUT --scenario S.toml`
    on it directly. Cells and turbines lie inside the selected municipalities and outside every
    --exclude layer; cells outside built-up areas, turbines at least --setback-m from every place with
    inhabitants."""
    from sites.candidates import SolarOptions, TurbineClass, build_constraints, generate_candidates
    from sites.boundaries import read_boundaries, select_municipalities
    from sites.geodata import parse_buffer_spec, read_landscape_layer, read_layer, read_places
    from sites.rooftops import RooftopOptions, rooftop_candidates
    from sites.writer import check_writable, write_gpkg

    out_console = console(no_color)
    try:
        check_writable(out, force)
        if no_solar and no_wind and roofs is None:
            raise InputError("--no-solar and --no-wind together (without --roofs) leave nothing to generate")
        solar = None if no_solar else SolarOptions(cell_ha=cell_ha, built_up_buffer_m=built_up_buffer_m,
                                                   initiator=initiator, meur_per_mwp=solar_meur_per_mwp)
        wind = None if no_wind else TurbineClass(
            name=turbine_name, capacity_mw=turbine_mw, rotor_diameter_m=rotor_m, hub_height_m=hub_m,
            spacing_across_d=spacing_across, spacing_along_d=spacing_along, setback_m=setback_m,
            wind_from_deg=wind_from_deg, meur_per_mw=wind_meur_per_mw)
        buffer_specs = [parse_buffer_spec(b) for b in buffer or []]
        started = time.perf_counter()
        bounds = read_boundaries(boundaries, code_column)
        munis = select_municipalities(bounds, region, gemeente or [])
        place_layer = read_places(places)
        exclusion_layers = [read_layer(spec, role="exclusion layer") for spec in exclude or []]
        buffer_layers = [(read_layer(spec, role="buffer layer", polygons=False), m) for spec, m in buffer_specs]
        land = read_landscape_layer(landscape) if landscape else None
        notes = [*bounds.notes, *place_layer.notes, *(n for layer in exclusion_layers for n in layer.notes),
                 *(n for layer, _ in buffer_layers for n in layer.notes), *(land.notes if land else ())]
        for note in notes:
            out_console.print(Text(f"note: {note}"), soft_wrap=True)
        read_s = time.perf_counter() - started
        constraints = build_constraints(
            [(layer.source, layer.frame) for layer in exclusion_layers], place_layer.frame,
            [(layer.source, layer.frame, m) for layer, m in buffer_layers],
            exclude_buffer_m=exclude_buffer_m, built_up_buffer_m=built_up_buffer_m,
            setback_m=setback_m, places_name=place_layer.source)
        roof_sites = None if roofs is None else rooftop_candidates(
            roofs, list(munis["gemeente"]), dict(zip(munis["gemeente"], munis["name"], strict=True)),
            RooftopOptions(usable_share=roof_share, kwp_per_m2=roof_kwp_per_m2, block_mwp=roof_block_mwp,
                           meur_per_mwp=roof_meur_per_mwp))
        result = generate_candidates(munis, constraints, solar=solar, wind=wind,
                                     landscape=land.frame if land else None, roofs=roof_sites)
        generate_s = time.perf_counter() - started - read_s
        for line in _option_lines(solar, wind, roofs is not None):
            out_console.print(Text(line), soft_wrap=True)
        out_console.print(render_candidates(result))
        if len(result.sites) == 0:
            raise InputError("no candidate is left: every cell and position is excluded (see the table above); "
                             "select more municipalities, a smaller --cell-ha or smaller buffers")
        write_gpkg(out, result.layers(), force=force)
    except PlannerError as err:
        raise fail(err) from None
    out_console.print(Text(
        f"wrote {out} (layers {', '.join(result.layers())}) in {read_s:.1f} s reading + {generate_s:.1f} s "
        f"generating; next: energie plan --sites {out} --scenario SCENARIO.toml"), soft_wrap=True)
