"""Region-scale benchmark: RES West-Overijssel (ES05) from the real maps to a checked plan and its report.

Usage (from the repository root)::

    python benchmarks/bench_region.py --cell-ha 16 4 1 --solvers cbc highs --time-limit 300 \
        --out benchmarks/results/region_2026-11-23.md

The run of the README and ``tests/test_region_real.py``, end to end on the real data in
``../shared/data/real`` (``--data``): the 11 municipalities of RES West-Overijssel, Natura 2000 and
NNN excluded, TOP10NL places (built-up areas, 400 m turbine setback), the region's 1,826 GWh (F03)
with the own shares of Kampen 244, Ommen 104 and Steenwijkerland 171 GWh (F05–F07) and the existing
production from ETLocal 2023. Solar cells of each ``--cell-ha`` (16 ha ≈ 5k cells, 4 ha ≈ 26k,
1 ha ≈ 116k: a real 10⁵ instance) plus the turbine lattice.

Every (cell size, gap, solver) runs in a fresh Python process and times, each on its own:

* geodata  – ``sites.geodata``: ``read_boundaries`` + ``select_municipalities`` + ``read_places`` +
  ``read_layer`` for each exclusion layer (read, check, repair, reproject)
* generate – ``sites.candidates.build_constraints`` + ``generate_candidates`` (as ``energie candidates``)
* write    – ``sites.writer.write_gpkg`` of the candidate layers
* load     – ``sites.inputs.load_sites`` on that GeoPackage (read + validate into site models)
* scenario – ``sites.region_scenario.etlocal_existing_gwh`` + ``region_scenario_toml``, written and read
  back with ``sites.reader.read_scenario`` (as ``energie region-scenario``)
* plan     – ``energie.planner.pipeline.run_plan`` (the one problem: ``prepare_horizon``,
  ``build_problem``, ``solve_problem``, assemble, ``check_result``), with prepare, build, every
  solver call, the checker and the rule analysis timed where the pipeline calls them
* report   – ``energie.reports.terminal.plan_report_text``

Peak memory: ``VmHWM`` of the worker (= ``ru_maxrss``; HiGHS runs in it) after each phase, and of
the CBC process polled every 20 ms (``RUSAGE_CHILDREN`` ``ru_maxrss`` is recorded too, but on Linux
it includes the worker's own size at fork time, so it is not the CBC figure).

``--target-gap`` (default 1e-3) adds runs at that gap for the smallest cell size, for the issue's
target "10⁵ candidates to ≤ 0.1 % gap in under 60 s end to end". ``--profile-cell`` adds a cProfile
of candidate generation, ``load_sites``, ``prepare_horizon``, ``build_problem``, the hand-over to HiGHS
and ``solve_problem`` (with a ``TimeBudget``) at that cell size.

Shared machinery (fresh processes, source snapshot, memory polling, header facts) comes from
``bench_plan.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_plan as bp  # the sibling script: helpers shared by the benchmarks
import bench_runs

REPO = bp.REPO
DATA = REPO.parent / "shared" / "data" / "real"
FILES = {
    "boundaries": "gemeenten_overijssel_2026_rd.geojson",
    "natura2000": "natura2000_overijssel_wgs84.geojson",
    "nnn": "nnn_overijssel_wgs84.geojson",
    "places": "top10nl_plaatsen_overijssel_rd.geojson",
    "etlocal": "etlocal_gemeenten_2023_nl.csv",
}
REGION = "ES05"
REGION_NAME = "RES West-Overijssel"
TARGET_GWH = 1826.0  # F03, public_facts_res_overijssel.csv
#: Own shares [GWh/yr] from public_facts_res_overijssel.csv: F05 Kampen, F06 Ommen, F07 Steenwijkerland.
SHARES = {"GM0166": (244.0, "F05"), "GM0175": (104.0, "F06"), "GM1708": (171.0, "F07")}
PHASES = ("geodata", "generate", "write", "load", "scenario", "plan", "report")


def missing_files(data: Path) -> list[Path]:
    return [data / name for name in FILES.values() if not (data / name).is_file()]


# --------------------------------------------------------------------------- subprocess: one run


class _Phases:
    """Wall seconds and the worker's peak RSS after each named phase."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}
        self.mem_mb: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.s[name] = self.s.get(name, 0.0) + time.perf_counter() - t
            self.mem_mb[name] = bp._vm_hwm_mb()


def _gpkg(workdir: Path, cell_ha: float, solver: str, gap_rel: float) -> Path:
    return workdir / f"es05_{cell_ha:g}ha_{solver}_{gap_rel:g}.gpkg"


def read_maps(data: Path) -> tuple[Any, Any, list[Any]]:
    """The region's municipalities, the places layer and the exclusion layers (as ``energie candidates``)."""
    from sites.boundaries import read_boundaries, select_municipalities
    from sites.geodata import read_layer, read_places

    towns = select_municipalities(read_boundaries(data / FILES["boundaries"]), REGION)
    places = read_places(data / FILES["places"])
    exclusions = [read_layer(data / FILES[k], role="exclusion layer") for k in ("natura2000", "nnn")]
    return towns, places, exclusions


def generate(towns: Any, places: Any, exclusions: list[Any], cell_ha: float) -> Any:
    """Solar cells of ``cell_ha`` and turbine positions with the defaults of ``energie candidates``."""
    from sites.candidates import (
        SolarOptions,
        TurbineClass,
        build_constraints,
        generate_candidates,
    )

    wind = TurbineClass()
    constraints = build_constraints([(layer.source, layer.frame) for layer in exclusions], places.frame,
                                    setback_m=wind.setback_m, places_name=places.source)
    return generate_candidates(towns, constraints, solar=SolarOptions(cell_ha=cell_ha), wind=wind)


def write_scenario(towns: Any, data: Path, toml: Path) -> dict[str, tuple[float, str]]:
    """The region scenario of ``energie region-scenario`` in ``toml``; returns the existing production."""
    from sites.region_scenario import etlocal_existing_gwh, region_scenario_toml

    existing = etlocal_existing_gwh(data / FILES["etlocal"], sorted(towns["gemeente"]))
    toml.write_text(region_scenario_toml(
        towns, region_code=REGION, region_name=REGION_NAME, target_gwh=TARGET_GWH, existing=existing,
        shares=SHARES, target_source="F03"), encoding="utf-8")
    return existing


def instrument_pipeline(pipeline: Any, elastic: Any, assemble: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Timers over the one planning problem's phases where ``run_plan`` calls them (*prepare* is added
    by the caller), PuLP's hand-over to the solvers, and a log of every solver call ``solve_problem``
    makes (``energie.planner.elastic``: its caller as the model, status, seconds, gap, size)."""
    import pulp

    timer = bp._Timer()
    timer.wrap(pulp.LpProblem, "writeMPS", "write_mps")
    timer.wrap(pulp.COIN_CMD, "solve_CBC", "cbc_cmd")
    timer.wrap(pulp.COIN_CMD, "writesol", "write_warm_start")
    timer.wrap(pulp.COIN_CMD, "readsol_MPS", "read_solution")
    timer.wrap(pulp.HiGHS, "buildSolverModel", "to_highs")
    timer.wrap(pulp.HiGHS, "callSolver", "highs_run")
    timer.wrap(pulp.HiGHS, "findSolutionValues", "from_highs")
    timer.wrap(pipeline, "build_problem", "build")
    timer.wrap(pipeline, "check_result", "checker")
    timer.wrap(assemble, "rule_uses", "rule_analysis")
    timer.wrap(assemble, "municipal_rule_uses", "rule_analysis")
    timer.wrap(assemble, "municipality_results", "municipality_results")
    # checked_solve ← _solve ← solve_problem, _elastic, …: the calling step names the call
    calls = bp.log_solves(with_size=True, module=elastic, attribute="checked_solve",
                          model_name=lambda _problem: sys._getframe(3).f_code.co_name)
    return timer, calls


def run_one(cell_ha: float, solver: str, gap_rel: float, time_limit: float, data: Path,
            workdir: Path) -> dict[str, Any]:
    """Maps → candidates → GeoPackage → sites → scenario → plan → report, in this (fresh) process."""
    t = time.perf_counter()
    import importlib

    import energie.planner.assemble as assemble
    import energie.planner.elastic as elastic
    import energie.planner.pipeline as pipeline
    from energie.reports.terminal import plan_report_text
    from models import Plan, SolverError
    from sites.inputs import load_sites
    from sites.reader import read_scenario
    from sites.writer import write_gpkg

    for module in ("sites.candidates", "sites.geodata", "sites.boundaries", "sites.region_scenario"):  # imported before the phase clocks start
        importlib.import_module(module)
    r: dict[str, Any] = {"cell_ha": cell_ha, "solver": solver, "gap_rel": gap_rel, "time_limit_s": time_limit,
                         "imports_s": time.perf_counter() - t, "imports_mb": bp._vm_hwm_mb(),
                         "energie_from": str(Path(pipeline.__file__).parents[2])}
    phase = _Phases()
    timer, calls = instrument_pipeline(pipeline, elastic, assemble)
    prepared: list[Any] = []
    prepare_horizon = pipeline.prepare_horizon

    def kept_prepare(*args: Any, **kwargs: Any) -> Any:
        prepared.append(prepare_horizon(*args, **kwargs))
        return prepared[-1]

    pipeline.prepare_horizon = kept_prepare
    timer.wrap(pipeline, "prepare_horizon", "prepare")

    with phase("geodata"):
        towns, places, exclusions = read_maps(data)
    with phase("generate"):
        result = generate(towns, places, exclusions, cell_ha)
    kinds = result.sites["kind"].value_counts()
    r["solar_cells"], r["turbines"] = int(kinds.get("solar_field", 0)), int(kinds.get("wind_turbine", 0))
    r["candidate_gwh"] = float(result.sites["yield_gwh"].sum())
    gpkg = _gpkg(workdir, cell_ha, solver, gap_rel)
    with phase("write"):
        write_gpkg(gpkg, result.layers(), force=True)
    r["gpkg_mb"] = gpkg.stat().st_size / 1e6
    del result
    with phase("load"):
        site_list, _ = load_sites(gpkg)
    r["n_sites"] = len(site_list)
    toml = gpkg.with_suffix(".toml")
    with phase("scenario"):
        existing = write_scenario(towns, data, toml)
        scenario = read_scenario(toml)
    scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(update={"gap_rel": gap_rel})})
    r["existing_gwh"] = sum(v[0] for v in existing.values())

    timer.take()
    cpu0 = bp._children_cpu_s()
    with bp._ChildPeak() as child, phase("plan"):
        try:
            p = pipeline.run_plan(site_list, scenario, solver=solver, time_limit_s=time_limit)
        except SolverError as err:  # no plan within the time limit: report it, don't hide it
            p, r["plan_error"] = None, str(err)
    parts = timer.take()
    r["plan_parts_s"] = parts
    r["solve_parts_s"] = bp._solve_parts(dict(parts), solver, cpu0)
    r["solver_calls"] = calls
    r["solve_s"] = sum(c["time_s"] for c in calls)
    r["variables"], r["constraints"], r["nonzeros"] = calls[0]["size"] if calls else (0, 0, 0)
    if prepared:
        bp._data_facts(r, prepared[0].data)
    if p is not None:
        assert isinstance(p, Plan), "the region benchmark plans one year"
        r.update({"status": p.status.value, "objective_meur": p.objective_meur, "bound_meur": p.bound_meur,
                  "gap": p.gap, "plan_build_time_s": p.build_time_s, "plan_solve_time_s": p.solve_time_s,
                  "selected": len(p.selected), "messages": p.messages,
                  "achieved_gwh": p.targets["electricity"].achieved_gwh if "electricity" in p.targets else None,
                  "chosen_turbines": sum(1 for s in p.sites if s.chosen and s.kind == "wind_turbine"),
                  "chosen_cells": sum(1 for s in p.sites if s.chosen and s.kind == "solar_field")})
        with phase("report"):
            r["report_chars"] = len(plan_report_text(p))
    else:
        r.update({"status": "error", "objective_meur": None, "gap": None, "messages": [r["plan_error"]]})
    r["phase_s"] = phase.s
    r["phase_mem_mb"] = phase.mem_mb
    r["end_to_end_s"] = sum(phase.s.values())
    r["peak_py_mb"] = bp._vm_hwm_mb()
    r["peak_py_ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    r["peak_cbc_mb"] = child.peak_mb
    r["children_ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return r


# --------------------------------------------------------------------------- subprocess: profile


def profile(cell_ha: float, data: Path, workdir: Path, out: Path) -> None:
    """cProfile of candidate generation, ``load_sites``, ``prepare_horizon``, ``build_problem`` (the one
    problem), handing it to HiGHS and ``solve_problem`` (HiGHS, with a ``TimeBudget``) at ``cell_ha``."""
    import pulp

    from energie.model.contributions import build_problem
    from energie.model.horizon import prepare_horizon
    from energie.planner.elastic import solve_problem
    from energie.engines.budget import TimeBudget, with_solver_overrides
    from sites.inputs import load_sites
    from sites.reader import read_scenario
    from sites.writer import write_gpkg

    towns, places, exclusions = read_maps(data)
    report = io.StringIO()
    what = f"RES West-Overijssel, cells of {cell_ha:g} ha"
    result = bp.profiled(report, workdir / "profile_region.generate.prof", "generate", what, generate,
                         towns, places, exclusions, cell_ha)
    gpkg = workdir / f"profile_{cell_ha:g}ha.gpkg"
    write_gpkg(gpkg, result.layers(), force=True)
    what += f", {len(result.sites):,} sites"
    site_list, _ = bp.profiled(report, workdir / "profile_region.load.prof", "load_sites", what, load_sites, gpkg)
    write_scenario(towns, data, workdir / "profile.toml")
    scenario, settings = with_solver_overrides(read_scenario(workdir / "profile.toml"), "highs", None)
    horizon = bp.profiled(report, workdir / "profile_region.prepare.prof", "prepare_horizon", what, prepare_horizon,
                          site_list, scenario)
    problem = bp.profiled(report, workdir / "profile_region.build.prof", "build_problem", what, build_problem,
                          horizon, "plan")

    def to_highs() -> None:
        solver = pulp.HiGHS(msg=False)
        solver.createAndConfigureSolver(problem.lp)
        solver.buildSolverModel(problem.lp)

    bp.profiled(report, workdir / "profile_region.to_highs.prof", "to_highs", what, to_highs)
    bp.profiled(report, workdir / "profile_region.solve.prof", "solve_problem", what,
                lambda: solve_problem(problem, TimeBudget(settings)))
    out.write_text(report.getvalue())


# --------------------------------------------------------------------------- parent: report


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from repeated runs: median phase times, max peaks, the rest from run 1."""
    out = dict(runs[0])
    if len(runs) > 1 and all("phase_s" in r for r in runs):
        out["phase_s"] = {k: statistics.median(r["phase_s"].get(k, 0.0) for r in runs) for k in runs[0]["phase_s"]}
        out["end_to_end_s"] = statistics.median(r["end_to_end_s"] for r in runs)
        for key in ("peak_py_mb", "peak_cbc_mb"):
            out[key] = max(r[key] for r in runs)
    out["end_to_end_min_max"] = (min(r.get("end_to_end_s", 0.0) for r in runs),
                                 max(r.get("end_to_end_s", 0.0) for r in runs))
    out["repeat"] = len(runs)
    return out


def _sec(r: dict[str, Any], key: str) -> str:
    return bp._fmt(r.get("phase_s", {}).get(key))


def _calls(r: dict[str, Any]) -> str:
    return "; ".join(f"{c['model']}{' (warm)' if c['warm_start'] else ''}: {c['status']}, {c['time_s']:.2f} s of "
                     f"{c['time_limit_s']:.0f}, gap {bp._gap(c['gap'])}" for c in r.get("solver_calls", []))


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    end = meta.get("loadavg_end", [float("nan")])[0]
    lines = [
        f"# Region benchmark {meta['date']}: RES West-Overijssel (ES05) from maps",
        "",
        f"Command: `{meta['command']}`",
        "",
        (f"Machine: {meta['machine']}. Python {meta['python']}, PuLP {meta['pulp']}, highspy {meta['highspy']}, "
         f"shapely {meta['shapely']}, geopandas {meta['geopandas']}, pyogrio {meta['pyogrio']} (GDAL {meta['gdal']}); "
         f"solver threads = 1 (scenario default), time limit {meta['time_limit']:.0f} s per plan (shared by its "
         f"solver calls); each run in a fresh process, median of {meta['repeat']}. Commit {meta['commit']}"
         f"{' (energie/, sites/, models/ as committed, git archive)' if meta.get('source_commit') else ''}"
         f"{' plus uncommitted changes in energie/, sites/ or models/' if meta['dirty'] else ''}; source digest "
         f"{meta['source_digest']} (sha1 of energie/, sites/, models/ *.py, measured from a copy taken at the "
         f"start). Load average (1 min) at start {meta['loadavg_start'][0]:.2f}, at end {end:.2f} (above ~1 "
         "means other processes shared the 2 cores)."),
        "",
        (f"Data: `{meta['data']}`: {', '.join(FILES.values())}. Region {REGION} (11 municipalities), target "
         f"{TARGET_GWH:,.0f} GWh (F03), own shares "
         + ", ".join(f"{k} {v[0]:g} GWh ({v[1]})" for k, v in SHARES.items())
         + ", existing production from ETLocal 2023; candidate defaults of `energie candidates` (turbine 5.6 MW, "
         "4 × 6 D lattice, 400 m setback), scenario of `energie region-scenario` (strict zonneladder, nee tenzij)."),
        "",
        ("Seconds are wall-clock, each phase on its own (see the script's docstring): *geodata* reads and checks "
         "the maps, *generate* cuts the candidates, *write* writes the GeoPackage, *load* is `load_sites` on it, "
         "*scenario* writes and reads the region scenario, *plan* is `energie.planner.pipeline.run_plan` (inside it: "
         "*prepare*, *build* = every model built, *solve* = every solver call incl. PuLP's hand-over, "
         "*check* = the independent checker), *report* is the text report. *end to end* = the sum of the seven "
         "phases (interpreter start and imports, ~1–2 s, not included). *py MB* is the worker's peak RSS (HiGHS "
         "runs in it), *CBC MB* the CBC process's peak."),
        *bp.notes_lines(meta),
        "",
        "## Instances",
        "",
        ("| cell ha | solar cells | turbines | candidates | candidate GWh | GeoPackage MB | variables | rows | "
         "nonzeros |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    seen: set[float] = set()
    for r in results:
        if r["cell_ha"] in seen or "phase_s" not in r:
            continue
        seen.add(r["cell_ha"])
        lines.append(f"| {r['cell_ha']:g} | {r['solar_cells']:,} | {r['turbines']:,} | {r.get('candidates', 0):,} "
                     f"| {r['candidate_gwh']:,.0f} | {r['gpkg_mb']:.1f} | {r['variables']:,} | {r['constraints']:,} "
                     f"| {r['nonzeros']:,} |")
    lines += [
        "",
        "## Phases",
        "",
        ("| cell ha | gap_rel | solver | geodata | generate | write | load | scenario | prepare | build | solve "
         "| check | plan | report | **end to end** | status | objective M€ | gap | py MB | CBC MB |"),
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        if "phase_s" not in r:
            lines.append(f"| {r['cell_ha']:g} | {bp.gap_text(r['gap_rel'])} | {r['solver']} | {r['error']} |" + " |" * 16)
            continue
        parts = r["plan_parts_s"]
        lines.append(
            f"| {r['cell_ha']:g} | {bp.gap_text(r['gap_rel'])} | {r['solver']} | {_sec(r, 'geodata')} | {_sec(r, 'generate')} "
            f"| {_sec(r, 'write')} | {_sec(r, 'load')} | {_sec(r, 'scenario')} | {bp._fmt(parts.get('prepare'))} "
            f"| {bp._fmt(parts.get('build'))} | {bp._fmt(r['solve_s'])} | {bp._fmt(parts.get('checker'))} "
            f"| {_sec(r, 'plan')} | {_sec(r, 'report')} | **{bp._fmt(r['end_to_end_s'])}** | {r['status']} "
            f"| {bp._fmt(r['objective_meur'], 2)} | {bp._gap(r['gap'])} | {r['peak_py_mb']:,.0f} "
            f"| {bp._fmt(r['peak_cbc_mb'], 0) if r['solver'] == 'cbc' else '–'} |")
    lines += ["", "Solver calls inside `plan` (model: status, seconds of the time left, gap).", "",
              "| cell ha | gap_rel | solver | solver calls | hand-over s | chosen turbines / cells | achieved GWh |",
              "|---:|---:|---|---|---:|---|---:|"]
    for r in results:
        if "phase_s" not in r:
            continue
        p = r["solve_parts_s"]
        hand = p.get("write_mps", 0.0) + p.get("to_highs", 0.0)
        lines.append(f"| {r['cell_ha']:g} | {bp.gap_text(r['gap_rel'])} | {r['solver']} | {_calls(r)} | {hand:.2f} "
                     f"| {r.get('chosen_turbines', '–')} / {r.get('chosen_cells', '–')} "
                     f"| {bp._fmt(r.get('achieved_gwh'), 1)} |")
    lines += ["", "Peak RSS of the worker after each phase [MB] (imports alone: the first column).", "",
              "| cell ha | gap_rel | solver | imports | " + " | ".join(PHASES) + " | RUSAGE_CHILDREN ru_maxrss |",
              "|---:|---:|---|" + "---:|" * (len(PHASES) + 2)]
    for r in results:
        if "phase_s" not in r:
            continue
        mem = r["phase_mem_mb"]
        lines.append(f"| {r['cell_ha']:g} | {bp.gap_text(r['gap_rel'])} | {r['solver']} | {r['imports_mb']:,.0f} | "
                     + " | ".join(bp._fmt(mem.get(k), 0) for k in PHASES)
                     + f" | {r['children_ru_maxrss_mb']:,.0f} |")
    lines += _ratios(results)
    msgs = sorted({m for r in results for m in r.get("messages", [])})
    if msgs:
        lines += ["", "Plan messages:", ""] + [f"- {m}" for m in msgs]
    return "\n".join(lines) + "\n"


def _ratios(results: list[dict[str, Any]]) -> list[str]:
    ok = {(r["cell_ha"], r["gap_rel"], r["solver"]): r for r in results if "phase_s" in r}
    lines = ["", "## CBC / HiGHS", "", "Time of CBC divided by time of HiGHS (above 1: HiGHS faster).", "",
             "| cell ha | gap_rel | plan | solve | end to end | objective HiGHS − CBC M€ |",
             "|---:|---:|---:|---:|---:|---:|"]
    for (cell, gap, solver), h in ok.items():
        c = ok.get((cell, gap, "cbc"))
        if solver != "highs" or c is None:
            continue

        def ratio(a: float | None, b: float | None) -> str:
            if not a or not b:
                return "–"
            return f"{a / b:,.0f}" if a / b >= 100 else f"{a / b:.3g}"

        dobj = None if h["objective_meur"] is None or c["objective_meur"] is None else \
            h["objective_meur"] - c["objective_meur"]
        lines.append(f"| {cell:g} | {bp.gap_text(gap)} | {ratio(c['phase_s']['plan'], h['phase_s']['plan'])} "
                     f"| {ratio(c['solve_s'], h['solve_s'])} | {ratio(c['end_to_end_s'], h['end_to_end_s'])} "
                     f"| {bp._fmt(dobj, 2)} |")
    cells = sorted({k[0] for k in ok}, reverse=True)
    if len(cells) > 1:
        lines += ["", "Growth with the cell size (each row against the row above it, same solver and gap).", "",
                  ("| cell ha | solver | candidates × | generate × | load × | prepare + build × | solve × "
                   "| end to end × |"), "|---:|---|---:|---:|---:|---:|---:|---:|"]
        for (cell, gap, solver), r in ok.items():
            i = cells.index(cell)
            prev = ok.get((cells[i - 1], gap, solver)) if i else None
            if prev is None:
                continue

            def grow(a: float, b: float) -> str:
                return "–" if not b else f"{a / b:.1f}"

            pb = r["plan_parts_s"].get("prepare", 0.0) + r["plan_parts_s"].get("build", 0.0)
            pb0 = prev["plan_parts_s"].get("prepare", 0.0) + prev["plan_parts_s"].get("build", 0.0)
            lines.append(f"| {cell:g} (vs {cells[i - 1]:g}), gap {bp.gap_text(gap)} | {solver} "
                         f"| {grow(r.get('candidates', 0), prev.get('candidates', 0))} "
                         f"| {grow(r['phase_s']['generate'], prev['phase_s']['generate'])} "
                         f"| {grow(r['phase_s']['load'], prev['phase_s']['load'])} | {grow(pb, pb0)} "
                         f"| {grow(r['solve_s'], prev['solve_s'])} | {grow(r['end_to_end_s'], prev['end_to_end_s'])} |")
    return lines


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    from importlib import metadata

    import pyogrio

    meta = bp.machine_meta("bench_region.py", args.date)
    meta.update({"time_limit": args.time_limit, "repeat": args.repeat, "data": str(args.data),
                 "shapely": metadata.version("shapely"), "geopandas": metadata.version("geopandas"),
                 "pyogrio": metadata.version("pyogrio"), "gdal": pyogrio.__gdal_version_string__})
    return meta


# --------------------------------------------------------------------------- parent: orchestration


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell-ha", type=float, nargs="+", default=[16.0, 4.0, 1.0], help="solar cell sizes [ha]")
    ap.add_argument("--solvers", nargs="+", choices=["cbc", "highs"], default=["cbc", "highs"])
    ap.add_argument("--time-limit", type=float, default=300.0, help="per plan [s]")
    ap.add_argument("--gap-rel", type=float, default=1e-4, help="relative MIP gap (the scenario default)")
    ap.add_argument("--target-gap", type=float, default=1e-3,
                    help="also run the smallest cell size at this gap (0: no)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per row, each in a fresh process (median shown)")
    ap.add_argument("--data", type=Path, default=DATA, help="folder with the real data (../shared/data/real)")
    ap.add_argument("--out", type=Path, default=None,
                    help="Markdown results (default benchmarks/results/region_<date>.md)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the GeoPackages here (default: a temp dir)")
    ap.add_argument("--profile-cell", type=float, default=None,
                    help="also cProfile candidate generation and load_sites at this cell size [ha]")
    ap.add_argument("--source-commit", default=None, metavar="REV",
                    help="measure the packages as committed in REV (git archive), not the working tree")
    ap.add_argument("--mem-limit-gb", type=float, default=None,
                    help="cap the address space of each worker and of its CBC process [GB]")
    ap.add_argument("--date", default=dt.date.today().isoformat())
    ap.add_argument("--render", type=Path, default=None,
                    help="only rewrite --out from an earlier run's JSON (the .json next to its .md)")
    ap.add_argument("--worker", choices=["run", "profile"], help=argparse.SUPPRESS)
    ap.add_argument("--cell", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--solver", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        bp.cap_memory(args.mem_limit_gb)
        if args.worker == "run":
            result = run_one(args.cell, args.solver, args.gap_rel, args.time_limit, args.data, args.workdir)
            args.json.write_text(json.dumps(result, indent=2, default=str))
        else:
            profile(args.cell, args.data, args.workdir, args.json)
        return 0

    if args.render:
        return bench_runs.render_saved(args.render, args.out, markdown)
    absent = missing_files(args.data)
    if absent:
        raise SystemExit(f"real data not found: {', '.join(str(p) for p in absent)}\n"
                         "bench_region.py needs ../shared/data/real beside the repository (or --data FOLDER)")
    out = args.out or HERE / "results" / f"region_{args.date}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp, workdir = bench_runs.working_folder(args.workdir, "bench-region-")
    source, committed = bp.export_commit(args.source_commit, workdir / "export") if args.source_commit \
        else (REPO, None)
    src = bp._snapshot(workdir, source)
    bench_runs.use_snapshot(src)
    meta = _meta(args)
    meta["source_digest"] = bp._source_digest(source)
    if committed:
        meta.update({"commit": committed, "dirty": False, "source_commit": committed})
    bench_runs.check_snapshot(src, meta["source_digest"])
    common = ["--workdir", str(workdir), "--time-limit", str(args.time_limit), "--data", str(args.data),
              *(["--mem-limit-gb", str(args.mem_limit_gb)] if args.mem_limit_gb else [])]
    plan_runs = [(cell, args.gap_rel) for cell in args.cell_ha]
    if args.target_gap and args.target_gap != args.gap_rel:
        plan_runs.append((min(args.cell_ha), args.target_gap))
    results: list[dict[str, Any]] = []
    raw = out.with_suffix(".json")
    try:
        for cell, gap in plan_runs:
            for solver in args.solvers:
                runs: list[dict[str, Any]] = []
                for k in range(args.repeat):
                    js = workdir / f"run_{cell:g}_{gap:g}_{solver}_{k}.json"
                    code, _, err = bp._spawn(["--worker", "run", "--cell", str(cell), "--solver", solver,
                                              "--gap-rel", str(gap), "--json", str(js), *common],
                                             4 * args.time_limit + 1800, script=Path(__file__))
                    if code != 0 or not js.exists():
                        why = "killed at the wall limit" if code == -9 else f"exit {code}"
                        last = err.strip().splitlines()[-1] if err.strip() else ""
                        runs = [{"cell_ha": cell, "gap_rel": gap, "solver": solver, "error": f"{why}: {last}"[:200]}]
                        print(f"{cell:g} ha {solver} gap {gap:g}: FAILED ({why})\n{err}", flush=True)
                        break
                    runs.append(json.loads(js.read_text()))
                    _gpkg(workdir, cell, solver, gap).unlink(missing_ok=True)
                r = _median(runs)
                results.append(r)
                if "phase_s" in r:
                    print(f"{cell:g} ha {solver} gap {gap:g}: {r.get('candidates', 0):,} candidates, "
                          + ", ".join(f"{k} {v:.2f} s" for k, v in r["phase_s"].items())
                          + f"; end to end {r['end_to_end_s']:.2f} s, {r['status']}, gap {bp._gap(r['gap'])}, "
                          f"peak {r['peak_py_mb']:.0f} MB py / {r['peak_cbc_mb']:.0f} MB CBC", flush=True)
                raw.write_text(json.dumps({"meta": meta, "results": results}, indent=2, default=str))
                out.write_text(markdown(results, meta))
        if args.profile_cell:
            prof_out = out.parent / f"profile_region_{args.profile_cell:g}ha_{args.date}.txt"
            code, _, err = bp._spawn(["--worker", "profile", "--cell", str(args.profile_cell), "--json",
                                      str(prof_out), *common], 3600, script=Path(__file__))
            print(f"profile written to {prof_out}" if code == 0 else f"profiling failed:\n{err}", flush=True)
    finally:
        if tmp:
            tmp.cleanup()
    meta["loadavg_end"] = os.getloadavg()
    raw.write_text(json.dumps({"meta": meta, "results": results}, indent=2, default=str))
    text = markdown(results, meta)
    out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
