"""Result files shared by ``energie plan`` and ``energie report``: GeoPackage (with a runs table),
JSON, PNG map, self-contained HTML and Excel.

Every target is checked before anything is solved (exists without --force, is a folder, is one of
the input files, named twice), every file is rendered in memory first and then written atomically
(temp file + rename), so a failed run leaves no half-written or overwritten file behind.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from models import InputError, Plan, Site
from sites.inputs import PlanningInputs

MapOpt = Annotated[Optional[Path], typer.Option(
    "--map", help="Write a PNG map: landscape, chosen and locked-in sites, excluded areas (RD New).")]
HtmlOpt = Annotated[Optional[Path], typer.Option(
    "--html", help="Write the report as one self-contained HTML page (maps, sortable tables; works offline).")]
XlsxOpt = Annotated[Optional[Path], typer.Option("--xlsx", help="Write the report's tables as an Excel workbook.")]
TilesOpt = Annotated[str, typer.Option(
    "--tiles", help="Background of the HTML's interactive map: 'none' (offline), 'osm' (OpenStreetMap), 'pdok' "
                    "(Kadaster BRT) or an https://…{z}/{x}/{y}… URL template; the last three need internet.")]
AppendOpt = Annotated[bool, typer.Option(
    "--append", help="Add this run to an existing --out GeoPackage (layers filtered by run_id; see its runs table).")]
RunNameOpt = Annotated[Optional[str], typer.Option(
    "--run-name", help="Name of this run in the --out GeoPackage's runs table (default: the scenario name).")]

@dataclass(frozen=True)
class OutputFiles:
    """The result files a command was asked to write."""

    out: Path | None = None
    json_path: Path | None = None
    map_path: Path | None = None
    html: Path | None = None
    xlsx: Path | None = None
    tiles: str = "none"
    append: bool = False
    run_name: str | None = None
    force: bool = False
    #: The command's context, for the command line in the runs table.
    context: typer.Context | None = None

    def named(self) -> list[tuple[str, Path]]:
        pairs = [("--out", self.out), ("--json", self.json_path), ("--map", self.map_path),
                 ("--html", self.html), ("--xlsx", self.xlsx)]
        return [(flag, p) for flag, p in pairs if p is not None]

    def check(self, input_files: list[Path]) -> None:
        """Refuse, before any solving, what would fail or destroy a file at the end."""
        from sites.writer import check_writable

        if self.tiles != "none":
            from energie.reports.html_map import tile_layer

            tile_layer(self.tiles)  # refuses an unknown name or a non-https template
        if self.append and self.out is None:
            raise InputError("--append adds a run to the --out GeoPackage; give --out FILE.gpkg too")
        if self.run_name is not None and self.out is None:
            raise InputError("--run-name names the run in the --out GeoPackage; give --out FILE.gpkg too")
        seen: dict[Path, str] = {}
        inputs = {p.resolve() for p in input_files}
        for flag, path in self.named():
            key = path.resolve()
            if key in seen:
                raise InputError(f"{flag} and {seen[key]} name the same file; give each output its own name",
                                 source=str(path))
            seen[key] = flag
            if key in inputs:
                raise InputError(f"{flag} names an input file; it would be overwritten. Give another name",
                                 source=str(path))
            if flag == "--out" and self.append and path.exists():
                from sites.plan_store import read_runs

                if path.is_dir():
                    check_writable(path, True)
                read_runs(path)  # refuses a file that is not a plan GeoPackage
                continue
            if flag == "--map":
                from energie.reports.plan_map import check_map_path

                check_map_path(path)
            if flag == "--out" and path.is_file() and not (self.append or self.force):
                raise InputError("the output exists already; pass --append to add this run to it, or --force to "
                                 "replace it", source=str(path))
            check_writable(path, self.force or (flag == "--out" and self.append))

    @property
    def wants_document(self) -> bool:
        return any(p is not None for p in (self.map_path, self.html, self.xlsx))


@dataclass(frozen=True)
class Variant:
    """A what-if result to add: its heading, terminal report, plan and sites."""

    heading: str
    report: object
    plan: Plan
    sites: list[Site]


def input_hashes(inputs: PlanningInputs, districts: Path | None = None) -> dict[str, str]:
    """File names and SHA-256 of the inputs (for a built-in example: of its catalog sources)."""
    from sites.plan_store import file_sha256, text_sha256

    facts: dict[str, str] = {}
    if "example" in inputs.sources:
        from importlib import resources

        from sites.catalog import example_scenario_text

        name = inputs.sources["example"]
        module_text = resources.files("sites.catalog").joinpath(f"{name}.py").read_text(encoding="utf-8")
        facts["sites_file"] = f"example:{name}"
        facts["sites_sha256"] = text_sha256(module_text)
        facts["scenario_file"] = f"example:{name}"
        facts["scenario_sha256"] = text_sha256(example_scenario_text(name))
    for key in ("sites", "scenario"):
        if key in inputs.sources:
            path = Path(inputs.sources[key])
            facts[f"{key}_file"] = str(path.resolve())
            facts[f"{key}_sha256"] = file_sha256(path)
    if districts is not None:
        facts["districts_file"] = str(districts.resolve())
        facts["districts_sha256"] = file_sha256(districts)
    return facts


def command_line(ctx: typer.Context | None) -> str:
    """The command as the user could type it again: ``energie plan --sites … --out …`` (options
    that differ from their defaults, from the parsed parameters)."""
    if ctx is None or ctx.info_name is None:
        return shlex.join(["energie", *sys.argv[1:]])
    parts = ["energie", ctx.info_name]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None or value is False or value == [] or value == param.default or not param.opts:
            continue
        if value is True:
            parts.append(param.opts[0])
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            parts += [param.opts[0], str(item)]
    return shlex.join(parts)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("energieplanner")
    except PackageNotFoundError:  # running from a source tree without installing
        return "unknown"


def _map_title(result: Any, plan: Plan) -> tuple[str, str]:
    from energie import fmt

    title = f"energieplanner: {result.scenario_name}"
    target = plan.targets.get("electricity")
    year = f" in {result.periods[-1].year}" if hasattr(result, "periods") else ""
    parts = [f"status {result.status.value}"]
    if target is not None:
        parts.append(f"{fmt.num(plan.yield_gwh_total)} of {fmt.num(target.target_gwh)} GWh/yr{year}")
    parts.append(f"{len(plan.selected)} chosen, {len(plan.locked_in)} locked in")
    return title, "; ".join(parts)


def write_outputs(files: OutputFiles, result: Any, inputs: PlanningInputs, *,
                  render: Callable[[Any], object], to_json: Callable[[Any], dict[str, Any]],
                  layers: Callable[[Any, list[Site]], dict[str, Any]],
                  variants: list[Variant] | None = None, districts: Path | None = None) -> None:
    """Render every asked-for file in memory, then write each atomically."""
    from energie.reports.export import not_chosen_layer, plan_layers, run_facts, with_boundaries
    from sites.plan_store import write_plan_gpkg
    from sites.reader import read_map_layer
    from sites.writer import json_text, write_many

    variants = variants or []
    plan: Plan = result.periods[-1].plan if hasattr(result, "periods") else result
    boundaries = exclusions = None
    if "sites" in inputs.sources:
        sites_path = Path(inputs.sources["sites"])
        boundaries = read_map_layer(sites_path, "municipalities")
        exclusions = read_map_layer(sites_path, "exclusions")
    hashes = input_hashes(inputs, districts)
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    facts = run_facts(result, files.run_name or result.scenario_name, hashes, command_line(files.context),
                      created, _version())
    writers: list[tuple[Path, Callable[[Path], object]]] = []
    if files.json_path:
        text = json_text(to_json(result))
        writers.append((files.json_path, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    if files.wants_document:
        writers += _document_writers(files, result, plan, inputs, render, variants, exclusions, boundaries,
                                     _run_info(facts))
    write_many(writers, force=files.force)
    if files.out:
        def gpkg_layers(found: dict[str, Any], p: Plan, sites: list[Site]) -> dict[str, Any]:
            found = with_boundaries(found, boundaries)
            found["candidates_not_chosen"] = not_chosen_layer(p, sites, inputs.scenario)
            if inputs.landscape is not None:
                found["landscape"] = inputs.landscape
            return found

        runs = [(facts, gpkg_layers(layers(result, inputs.sites), plan, inputs.sites))]
        for v in variants:
            runs.append((run_facts(v.plan, v.heading, hashes, facts["command"], created,
                                   facts["energieplanner_version"]),
                         gpkg_layers(plan_layers(v.plan, v.sites), v.plan, v.sites)))
        write_plan_gpkg(files.out, runs, append=files.append, force=files.force)


#: Facts of the runs table that the HTML and Excel show too, with their units.
_SHOWN_FACTS = {"scenario": "", "status": "", "solver_version": "", "objective_meur": "M€", "gap": "",
                "target_gwh": "GWh/yr", "achieved_gwh": "GWh/yr"}


def _run_info(facts: dict[str, Any]) -> dict[str, str]:
    """The run facts a document shows: the runs table's, formatted, plus the input hashes and version
    (not the time or the command line, so the same input gives the same document)."""
    from energie import fmt

    info: dict[str, str] = {}
    for key, unit in _SHOWN_FACTS.items():
        value = facts.get(key)
        if value is None:
            continue
        name = key.removesuffix("_meur").removesuffix("_gwh").removesuffix("_version")
        if key == "gap":
            info[name] = fmt.gap(value)
        elif unit:
            info[name] = f"{fmt.num(value, 2 if unit == 'M€' else 1)} {unit}"
        else:
            info[name] = str(value)
    info.update({k: str(v) for k, v in facts.items() if k.endswith(("_file", "_sha256"))})
    info["energieplanner"] = str(facts["energieplanner_version"])
    return info


def _document_writers(files: OutputFiles, result: Any, plan: Plan, inputs: PlanningInputs,
                      render: Callable[[Any], object], variants: list[Variant], exclusions: Any, boundaries: Any,
                      run_info: dict[str, str]) -> list[tuple[Path, Callable[[Path], object]]]:
    """The map, HTML and Excel, each rendered here and written later by ``write_many``."""
    from energie.reports.document import build_document
    from energie.reports.plan_map import render_plan_map

    title, subtitle = _map_title(result, plan)
    doc = build_document(plan, inputs.sites, title=title, report=render(result),
                         comparisons=[(v.heading, v.report) for v in variants], landscape=inputs.landscape,
                         exclusions=exclusions, boundaries=boundaries, scenario=inputs.scenario,
                         run_info=run_info)
    if files.map_path is not None or (doc.layers is not None and len(doc.layers.sites)):
        # with --map and no site geometry, render_plan_map says there is nothing to map
        assert doc.layers is not None
        doc.map_png = render_plan_map(doc.layers, title, subtitle)
    writers: list[tuple[Path, Callable[[Path], object]]] = []
    if files.map_path is not None and doc.map_png is not None:
        png = doc.map_png
        writers.append((files.map_path, lambda tmp: tmp.write_bytes(png)))
    if files.html is not None:
        from energie.reports.html import render_html

        page = render_html(doc, tiles=None if files.tiles == "none" else files.tiles).encode("utf-8")
        writers.append((files.html, lambda tmp: tmp.write_bytes(page)))
    if files.xlsx is not None:
        from energie.reports.xlsx import workbook_for
        from energie.reports.xlsx_file import save_workbook

        workbook = workbook_for(doc)
        writers.append((files.xlsx, lambda tmp: save_workbook(workbook, tmp)))
    return writers
