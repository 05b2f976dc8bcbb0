"""Composed region benchmark: RES West-Overijssel × 2030/2040/2050 × 11 own shares × CBS buurten as heat districts.

Usage (from the repository root)::

    python benchmarks/bench_horizon.py --cell-ha 16 1 --solvers highs cbc --time-limit 600 \
        --out benchmarks/results/horizon_2026-12-04.md

Inputs (written to a temporary folder, never into the repository), from the real data in
``../shared/data/real`` (``--data``), each built the way a user builds them:

* candidates: ``energie candidates --region ES05 … --cell-ha C`` (README, "Region-wide planning");
* the **one-year** scenario: ``energie region-scenario --target-gwh 1826`` (F03) with an own share for
  each of the 11 municipalities (``--share``) and the README's ``--forbid`` of wind in Steenwijkerland
  and Olst-Wijhe. Published shares: Kampen 244 (F05), Ommen 104 (F06), Steenwijkerland 171 GWh
  (F07). The other eight have none published; this benchmark gives each its existing production
  (ETLocal 2023, as ``region-scenario`` writes it) plus a land-area share of what the region's 1,826 GWh
  leaves after the three published shares and the eight's existing production (``SHARE_RULE``), so the
  11 shares add up to 1,826 GWh and every municipality needs new sites;
* the **composed** scenario: the same file with ``[targets.2030] electricity_gwh = 1826``,
  ``[targets.2040] multiple_of = 2030, factor = 1.5``, ``[targets.2050] multiple_of = 2030,
  factor = 2.0`` (the municipalities' ``electricity_gwh`` scale like the region's) and
  ``[heat] periods = [2030, 2040, 2050], gas_saved_share = {2030 = 0.2, 2050 = 1.0}`` (heat pumps'
  electricity raises each year's target: ``add_heat_demand``, the default);
* districts: every buurt of the 11 municipalities in the ETLocal/CBS buurt table, per municipality
  calibrated to ETLocal 2023 (what ``energie heat --gemeente GMxxxx --buurten … --calibrate-to …``
  reads, ``sites.districts.read_districts`` + ``sites.calibration.calibrate_to_municipality``),
  written as one ``districts`` GeoPackage (``--districts``).

Measured, each (cell size, solver, case) as a fresh ``energie plan`` process exactly as a user runs
it (``/usr/bin/time -v``: wall, peak RSS of the largest process of the tree, i.e. Python or CBC),
with ``--json`` for status, objective, bound and gap; a run past ``--cap-s`` (wall) is killed and
recorded as such. Then, once (``--phases-cell``, HiGHS), the composed run in one fresh Python
process with the phases of ``energie.planner.pipeline.run_plan`` timed where they are called:
``prepare_horizon``, ``build_problem``, ``solve_problem`` (each solver call: what it solved, PuLP's
hand-over, HiGHS's run, reading back), ``Outcome`` (reach solves), assemble and ``check_result``.
``--profile`` adds a cProfile of prepare_horizon + build_problem to the phases run.

Run one benchmark at a time (2 cores; see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_plan as bp  # noqa: E402  (the sibling script: helpers shared by the benchmarks)
import bench_region  # noqa: E402  (the region's data files and facts)
import bench_runs  # noqa: E402

REPO = bp.REPO
DATA = bench_region.DATA
FILES = {**bench_region.FILES, "buurten": "etlocal_buurten_overijssel_kwb2016vintage.csv"}
REGION = bench_region.REGION
TARGET_GWH = bench_region.TARGET_GWH
#: Published own shares [GWh/yr] (public_facts_res_overijssel.csv).
PUBLISHED = {"GM0166": (244.0, "F05 koggecourant.nl 2021"), "GM0175": (104.0, "F06 hetroerommen.nl"),
             "GM1708": (171.0, "F07 steenwijkercourant.nl 2021")}
FORBID = ["GM1708=wind_turbine", "GM1773=wind_turbine"]  # as in the README's region run
FACTORS = {2040: 1.5, 2050: 2.0}  # 2040 and 2050 as multiple_of = 2030
GAS_SAVED = {2030: 0.2, 2050: 1.0}
SHARE_RULE = ("benchmark assumption (not published): existing_gwh + land-area share of "
              "(1,826 − published shares − the eight's existing)")
CASES = ("one_year", "composed")


# --------------------------------------------------------------------------- inputs (parent)


def _energie() -> str:
    exe = Path(sys.executable).parent / "energie"
    return str(exe) if exe.exists() else "energie"


def _run_cli(args: list[str], env: dict[str, str] | None) -> float:
    t = time.perf_counter()
    proc = subprocess.run([_energie(), *args], capture_output=True, text=True, env=env, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"energie {' '.join(args[:1])} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t


def own_shares(scenario_toml: Path, data: Path) -> dict[str, tuple[float, str]]:
    """All 11 own shares: the published three, the rest by ``SHARE_RULE``."""
    import geopandas as gpd

    towns = tomllib.loads(scenario_toml.read_text(encoding="utf-8"))["municipalities"]
    frame = gpd.read_file(data / FILES["boundaries"])
    area = {str(r.statcode): float(r.area_km2) for r in frame.itertuples() if r.res_code == REGION}
    others = sorted(g for g in towns if g not in PUBLISHED)
    rest = TARGET_GWH - sum(v for v, _ in PUBLISHED.values()) - sum(towns[g]["existing_gwh"] for g in others)
    total_area = sum(area[g] for g in others)
    shares = dict(PUBLISHED)
    for g in others:
        shares[g] = (round(towns[g]["existing_gwh"] + rest * area[g] / total_area, 1), "benchmark share (land area)")
    return shares


def composed_text(one_year: str) -> str:
    """The one-year region scenario with per-year targets and ``[heat]``."""
    block = re.search(r"^\[targets\]\nelectricity_gwh = [^\n]*\n", one_year, flags=re.M)
    if block is None:
        raise SystemExit("region-scenario wrote no '[targets] electricity_gwh' block; update bench_horizon.py")
    per_year = [f"[targets.2030]\nelectricity_gwh = {TARGET_GWH:g}   # F03\n"]
    per_year += [f"\n[targets.{y}]\nmultiple_of = 2030\nfactor = {f:g}\n" for y, f in FACTORS.items()]
    heat = ("\n[heat]\nperiods = [2030, 2040, 2050]\ngas_saved_share = { "
            + ", ".join(f"{y} = {s:g}" for y, s in GAS_SAVED.items()) + " }\n")
    return one_year[:block.start()] + "".join(per_year) + one_year[block.end():] + heat


def write_districts(data: Path, codes: list[str], path: Path) -> dict[str, Any]:
    """Every buurt of ``codes``, calibrated per municipality to ETLocal 2023, as one GeoPackage."""
    from sites.calibration import calibrate_to_municipality
    from sites.districts import read_districts, write_districts_gpkg

    districts = []
    for g in codes:
        ds = calibrate_to_municipality(read_districts(data / FILES["buurten"], g), data / FILES["etlocal"], g)
        districts += ds.districts
    write_districts_gpkg(districts, path, force=True)
    return {"districts": len(districts), "dwellings": sum(d.dwellings for d in districts),
            "gas_mm3": sum(d.gas_m3 for d in districts) / 1e6}


def build_inputs(workdir: Path, data: Path, cells: list[float], env: dict[str, str] | None) -> dict[str, Any]:
    """Candidates per cell size, both scenarios and the districts, with the seconds each command took."""
    d = {k: str(data / v) for k, v in FILES.items()}
    facts: dict[str, Any] = {"cells": {}}
    base = ["region-scenario", "--region", REGION, "--boundaries", d["boundaries"], "--target-gwh", f"{TARGET_GWH:g}",
            "--target-source", "F03 hetroerommen.nl", "--existing", d["etlocal"], "--force",
            *[a for f in FORBID for a in ("--forbid", f)]]
    first = workdir / "published.toml"
    _run_cli([*base, *[a for g, (v, s) in PUBLISHED.items() for a in ("--share", f"{g}={v:g}:{s}")],
              "--out", str(first)], env)
    shares = own_shares(first, data)
    one = workdir / "one_year.toml"
    facts["region_scenario_s"] = _run_cli(
        [*base, *[a for g, (v, s) in sorted(shares.items()) for a in ("--share", f"{g}={v:g}:{s}")],
         "--out", str(one)], env)
    (workdir / "composed.toml").write_text(composed_text(one.read_text(encoding="utf-8")), encoding="utf-8")
    facts["shares"] = {g: v for g, (v, _) in sorted(shares.items())}
    facts["existing_gwh"] = {g: m["existing_gwh"]
                             for g, m in tomllib.loads(one.read_text(encoding="utf-8"))["municipalities"].items()}
    t = time.perf_counter()
    facts.update(write_districts(data, sorted(shares), workdir / "districts.gpkg"))
    facts["districts_s"] = time.perf_counter() - t
    for cell in cells:
        gpkg = workdir / f"es05_{cell:g}ha.gpkg"
        s = _run_cli(["candidates", "--region", REGION, "--boundaries", d["boundaries"], "--exclude", d["natura2000"],
                      "--exclude", d["nnn"], "--places", d["places"], "--cell-ha", f"{cell:g}", "--out", str(gpkg),
                      "--force"], env)
        facts["cells"][f"{cell:g}"] = {"candidates_s": s, "gpkg_mb": gpkg.stat().st_size / 1e6}
    return facts


# --------------------------------------------------------------------------- one `energie plan` (parent)


def plan_command(workdir: Path, cell: float, case: str, solver: str, time_limit: float) -> list[str]:
    args = ["plan", "--sites", str(workdir / f"es05_{cell:g}ha.gpkg"), "--scenario", str(workdir / f"{case}.toml"),
            "--solver", solver, "--time-limit", f"{time_limit:g}",
            "--json", str(workdir / f"plan_{cell:g}_{case}_{solver}.json"), "--force"]
    if case == "composed":
        args += ["--districts", str(workdir / "districts.gpkg")]
    return args


def _time_v(text: str) -> dict[str, float]:
    out = {}
    for key, pattern in (("peak_mb", r"Maximum resident set size \(kbytes\): (\d+)"),
                         ("user_s", r"User time \(seconds\): ([\d.]+)"), ("sys_s", r"System time \(seconds\): ([\d.]+)")):
        m = re.search(pattern, text)
        if m:
            out[key] = float(m.group(1)) / (1024.0 if key == "peak_mb" else 1.0)
    return out


def run_plan_cli(workdir: Path, cell: float, case: str, solver: str, time_limit: float, cap_s: float,
                 env: dict[str, str] | None) -> dict[str, Any]:
    """One fresh ``energie plan`` under ``/usr/bin/time -v``; killed at ``cap_s`` wall seconds."""
    args = plan_command(workdir, cell, case, solver, time_limit)
    js = Path(args[args.index("--json") + 1])
    js.unlink(missing_ok=True)
    r: dict[str, Any] = {"cell_ha": cell, "case": case, "solver": solver, "time_limit_s": time_limit,
                         "command": "energie " + " ".join(Path(a).name if "/" in a else a for a in args),
                         "loadavg_before": os.getloadavg()[0]}
    err_path = workdir / "time.err"
    t = time.perf_counter()
    with open(err_path, "w") as err, open(workdir / f"plan_{cell:g}_{case}_{solver}.txt", "w") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-v", _energie(), *args], stdout=out, stderr=err, env=env,
                                cwd=REPO, start_new_session=True)
        try:
            code = proc.wait(timeout=cap_s)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            code, killed = proc.wait(), True
    r["wall_s"] = time.perf_counter() - t
    r["exit_code"], r["killed_at_cap"] = code, killed
    r["loadavg_after"] = os.getloadavg()[0]
    r.update(_time_v(err_path.read_text(errors="replace")))
    if killed:
        r.update({"status": f"killed at the {cap_s:.0f} s cap", "objective_meur": None, "gap": None})
    elif js.exists():
        doc = json.loads(js.read_text())
        r.update({"status": doc.get("status"), "objective_meur": doc.get("objective"), "bound_meur": doc.get("bound"),
                  "gap": doc.get("gap"), "solve_time_s": doc.get("solve_time_s"),
                  "messages": doc.get("messages", [])})
    else:
        tail = err_path.read_text(errors="replace").strip().splitlines()
        r.update({"status": f"exit {code}", "objective_meur": None, "gap": None,
                  "error": next((line for line in tail if "error" in line.lower()), tail[0] if tail else "")[:300]})
    return r


# --------------------------------------------------------------------------- phases worker (fresh process)


def phases(workdir: Path, cell: float, solver: str, time_limit: float, case: str, profile_out: Path | None) -> dict[str, Any]:
    """The composed plan in this process, with run_plan's phases timed where the pipeline calls them."""
    t0 = time.perf_counter()
    import pulp

    import energie.planner.elastic as elastic
    import energie.planner.pipeline as pipeline
    from sites.heat_inputs import districts_for_plan
    from sites.inputs import load_sites
    from sites.reader import read_scenario

    r: dict[str, Any] = {"cell_ha": cell, "solver": solver, "case": case, "time_limit_s": time_limit,
                         "imports_s": time.perf_counter() - t0, "energie_from": str(Path(pipeline.__file__).parents[2])}
    t = time.perf_counter()
    sites, _ = load_sites(workdir / f"es05_{cell:g}ha.gpkg")
    scenario = read_scenario(workdir / f"{case}.toml")
    districts = districts_for_plan(workdir / f"es05_{cell:g}ha.gpkg", workdir / "districts.gpkg") \
        if scenario.heat is not None else []
    r["load_s"] = time.perf_counter() - t
    timer = bp._Timer()
    timer.wrap(pulp.HiGHS, "buildSolverModel", "to_highs")
    timer.wrap(pulp.HiGHS, "callSolver", "highs_run")
    timer.wrap(pulp.HiGHS, "findSolutionValues", "from_highs")
    timer.wrap(pulp.LpProblem, "writeMPS", "write_mps")
    timer.wrap(pulp.COIN_CMD, "solve_CBC", "cbc_cmd")
    for name, label in (("prepare_horizon", "prepare_horizon"), ("build_problem", "build_problem"),
                        ("solve_problem", "solve_problem"), ("Outcome", "outcome"), ("assemble_phased", "assemble"),
                        ("_one_period_plan", "assemble"), ("check_result", "check_result"),
                        ("_messages", "messages")):
        timer.wrap(pipeline, name, label)
    calls: list[dict[str, Any]] = []
    inner = elastic.checked_solve

    def logged(problem: Any, settings: Any, warm: Any = None) -> Any:
        caller = sys._getframe(2).f_code.co_name  # checked_solve ← _solve ← solve_problem/_elastic/_build_late/...
        before = dict(timer.s)
        size = (problem.numVariables(), problem.numConstraints())
        t = time.perf_counter()
        res = inner(problem, settings, warm)
        parts = {k: v - before.get(k, 0.0) for k, v in timer.s.items() if v != before.get(k, 0.0)
                 and k in ("to_highs", "highs_run", "from_highs", "write_mps", "cbc_cmd")}
        calls.append({"caller": caller, "size": size, "time_limit_s": settings.time_limit_s, "warm": bool(warm),
                      "status": str(res.status), "wall_s": time.perf_counter() - t, "objective": res.objective,
                      "gap": res.gap, "parts_s": parts})
        return res

    elastic.checked_solve = logged
    if profile_out is not None:
        import cProfile
        import io
        import pstats

        from energie.model.contributions import build_problem
        from energie.model.horizon import prepare_horizon

        prof = cProfile.Profile()
        prof.enable()
        build_problem(prepare_horizon(sites, scenario, districts), "plan")
        prof.disable()
        buf = io.StringIO()
        for key in ("tottime", "cumulative"):
            buf.write(f"\n=== prepare_horizon + build_problem, {cell:g} ha, {case}, sorted by {key} ===\n")
            pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(30)
        profile_out.write_text(buf.getvalue())
        timer.take()
    t = time.perf_counter()
    result = pipeline.run_plan(sites, scenario, districts, solver=solver, time_limit_s=time_limit)
    r["run_plan_s"] = time.perf_counter() - t
    r["parts_s"] = timer.take()
    r["calls"] = calls
    r["sites"], r["districts"] = len(sites), len(districts)
    r["status"], r["objective_meur"], r["gap"] = result.status.value, result.objective_meur, result.gap
    r["peak_mb"] = bp._vm_hwm_mb()
    return r


# --------------------------------------------------------------------------- report


def _f(v: Any, d: int = 1) -> str:
    return bp._fmt(v, d)


def _ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:,.0f}×" if a / b >= 100 else f"{a / b:.2g}×"


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    runs = [r for r in results if r.get("kind") == "cli"]
    ph = [r for r in results if r.get("kind") == "phases"]
    inputs = meta.get("inputs", {})
    end = meta.get("loadavg_end", [float("nan")])[0]
    lines = [
        f"# Composed region benchmark {meta['date']}: ES05 × 2030/2040/2050 × 11 own shares × buurten (heat)",
        "", f"Command: `{meta['command']}`", "",
        (f"Machine: {meta['machine']}. Python {meta['python']}, PuLP {meta['pulp']}, highspy {meta['highspy']}; "
         f"solver threads = 1 (scenario default), gap_rel 1e-4 (default), `--time-limit {meta['time_limit']:g}` "
         f"per plan (shared by its solver calls), wall cap {meta['cap_s']:g} s per command. Commit {meta['commit']}"
         f"{' plus uncommitted changes' if meta['dirty'] else ''}; source digest {meta['source_digest']} (energie/, "
         f"sites/, models/ copied at the start). Load average (1 min) at start {meta['loadavg_start'][0]:.2f}, at end "
         f"{end:.2f}; per row below before/after (above ~1 = another process shared the 2 cores)."),
        *bp.notes_lines(meta), "",
        "## Inputs", "",
        (f"Candidates of `energie candidates --region ES05` (README defaults) per cell size; scenario of "
         f"`energie region-scenario --target-gwh 1826` with 11 own shares and the README's wind forbids "
         f"({', '.join(FORBID)}); composed = the same + `[targets.2030] = 1826`, 2040 = 1.5 × 2030, "
         f"2050 = 2.0 × 2030 (municipal shares scale alike) + `[heat]` gas_saved_share "
         f"{{2030 = 0.2, 2050 = 1.0}}, periods 2030/2040/2050; districts = "
         f"{inputs.get('districts', '?')} buurten of the 11 municipalities ({_f(inputs.get('dwellings'), 0)} "
         f"dwellings, {_f(inputs.get('gas_mm3'))} million m³ gas), calibrated per municipality to ETLocal 2023."),
        "", f"Own shares [GWh/yr] 2030 (× 1.5 in 2040, × 2.0 in 2050); F05–F07 published, the rest: {SHARE_RULE}:", "",
        "| " + " | ".join(inputs.get("shares", {})) + " |", "|" + "---:|" * len(inputs.get("shares", {})),
        "| " + " | ".join(f"{v:g}" + (" (pub.)" if g in PUBLISHED else "") for g, v in inputs.get("shares", {}).items()) + " |",
        "", "| cell ha | `energie candidates` s | GeoPackage MB |", "|---:|---:|---:|",
        *[f"| {c} | {_f(v['candidates_s'], 2)} | {_f(v['gpkg_mb'])} |" for c, v in inputs.get("cells", {}).items()],
        "", "## `energie plan`, fresh process each (as a user runs it)", "",
        ("*wall* = the whole command (interpreter start, load, plan, check, report) from `/usr/bin/time -v`'s "
         "child; *peak MB* = its Maximum resident set size (the largest process of the tree: Python, or the CBC "
         "process when larger); *solve* = the plan's own solve seconds (`--json` solve_time_s)."), "",
        "| cell ha | solver | case | wall s | solve s | status | objective M€ | gap | peak MB | load before/after |",
        "|---:|---|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in runs:
        lines.append(f"| {r['cell_ha']:g} | {r['solver']} | {r['case']} | **{_f(r['wall_s'], 2)}** "
                     f"| {_f(r.get('solve_time_s'), 2)} | {r['status']} | {_f(r.get('objective_meur'), 2)} "
                     f"| {bp._gap(r.get('gap'))} | {_f(r.get('peak_mb'), 0)} "
                     f"| {r['loadavg_before']:.1f} / {r['loadavg_after']:.1f} |")
    lines += ["", "## Composed / one-year (same candidates, same solver)", "",
              "| cell ha | solver | one-year wall s | composed wall s | ratio | goal ≤ 3× | goal < 60 s (HiGHS) |",
              "|---:|---|---:|---:|---:|---|---|"]
    by = {(r["cell_ha"], r["solver"], r["case"]): r for r in runs}
    for (cell, solver, case), r in by.items():
        one = by.get((cell, solver, "one_year"))
        if case != "composed" or one is None:
            continue
        ratio = r["wall_s"] / one["wall_s"] if one["wall_s"] else None
        done = not r.get("killed_at_cap") and str(r.get("status")) in ("optimal", "feasible", "shortfall")
        proven = r.get("status") in ("optimal", "shortfall") and (r.get("gap") or 0) <= 1e-4 + 1e-12
        three = "–" if ratio is None else ("met" if ratio <= 3 and done else "**not met**")
        sixty = "–" if solver != "highs" else ("met" if r["wall_s"] < 60 and proven else "**not met**")
        more = "> " if r.get("killed_at_cap") else ""  # killed: the ratio is a lower bound
        lines.append(f"| {cell:g} | {solver} | {_f(one['wall_s'], 2)} | {more}{_f(r['wall_s'], 2)} "
                     f"| {more}{_ratio(r['wall_s'], one['wall_s'])} "
                     f"| {three} | {sixty} |")
    for r in ph:
        parts = r["parts_s"]
        lines += ["", f"## In-process phases: {r['cell_ha']:g} ha, {r['solver']}, {r['case']} (`run_plan`, one fresh process)", "",
                  (f"{r['sites']:,} sites, {r['districts']:,} districts; imports {_f(r['imports_s'], 2)} s, load (sites, "
                   f"scenario, districts) {_f(r['load_s'], 2)} s, `run_plan` {_f(r['run_plan_s'], 2)} s → {r['status']}, "
                   f"objective {_f(r['objective_meur'], 2)} M€, gap {bp._gap(r['gap'])}, peak {_f(r['peak_mb'], 0)} MB."), "",
                  "| phase | s | share of run_plan |", "|---|---:|---:|"]
        named = ("prepare_horizon", "messages", "build_problem", "solve_problem", "outcome", "assemble", "check_result")
        for k in named:
            if k in parts:
                lines.append(f"| {k} | {_f(parts[k], 2)} | {100 * parts[k] / r['run_plan_s']:.1f} % |")
        rest = r["run_plan_s"] - sum(parts.get(k, 0.0) for k in named)
        lines.append(f"| rest (attach_geometry, glue) | {_f(rest, 2)} | {100 * rest / r['run_plan_s']:.1f} % |")
        lines += ["", "Solver calls (in order; *caller* = the function of `energie.planner.elastic` that solved):", "",
                  "| # | caller | variables × rows | limit s | wall s | hand-over s | solver run s | read back s | status | gap |",
                  "|---:|---|---|---:|---:|---:|---:|---:|---|---:|"]
        for n, c in enumerate(r["calls"], 1):
            p = c["parts_s"]
            hand = p.get("to_highs", 0.0) + p.get("write_mps", 0.0)
            run = p.get("highs_run", p.get("cbc_cmd", 0.0) - p.get("write_mps", 0.0))
            lines.append(f"| {n} | {c['caller']} | {c['size'][0]:,} × {c['size'][1]:,} | {c['time_limit_s']:.0f} "
                         f"| {_f(c['wall_s'], 2)} | {_f(hand, 2)} | {_f(run, 2)} | {_f(p.get('from_highs'), 2)} "
                         f"| {c['status']} | {bp._gap(c['gap'])} |")
    msgs = sorted({m for r in runs for m in r.get("messages", [])})
    if msgs:
        lines += ["", "Plan messages:", ""] + [f"- {m}" for m in msgs]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- parent: orchestration


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell-ha", type=float, nargs="+", default=[16.0, 1.0], help="solar cell sizes [ha]")
    ap.add_argument("--solvers", nargs="+", choices=["highs", "cbc"], default=["highs", "cbc"])
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    ap.add_argument("--time-limit", type=float, default=600.0, help="energie plan --time-limit [s]")
    ap.add_argument("--cap-s", type=float, default=None, help="kill a command after this wall time (default limit + 300 s)")
    ap.add_argument("--phases-cell", type=float, default=None, help="cell size of the in-process phases run (default: smallest)")
    ap.add_argument("--phases-time-limit", type=float, default=None, help="time limit of the phases run (default --time-limit)")
    ap.add_argument("--no-phases", action="store_true", help="skip the in-process phases run")
    ap.add_argument("--profile", action="store_true", help="cProfile prepare_horizon + build_problem in the phases run")
    ap.add_argument("--data", type=Path, default=DATA, help="folder with the real data (../shared/data/real)")
    ap.add_argument("--out", type=Path, default=None, help="Markdown results (default benchmarks/results/horizon_<date>.md)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the inputs here (default: a temp dir)")
    ap.add_argument("--date", default=dt.date.today().isoformat())
    ap.add_argument("--render", type=Path, nargs="+", default=None,
                    help="only rewrite --out from earlier runs' JSON (several: results joined, first one's header)")
    ap.add_argument("--worker", choices=["phases"], help=argparse.SUPPRESS)
    ap.add_argument("--cell", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--solver", default="highs", help=argparse.SUPPRESS)
    ap.add_argument("--case", default="composed", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        result = phases(args.workdir, args.cell, args.solver, args.time_limit, args.case, args.profile_out)
        args.json.write_text(json.dumps(result, indent=2, default=str))
        return 0
    if args.render:
        saved = [json.loads(p.read_text()) for p in args.render]
        meta = saved[0]["meta"]
        results = [r for s in saved for r in s["results"]]
        text = markdown(results, meta)
        (args.out or args.render[0].with_suffix(".md")).write_text(text)
        print(text)
        return 0
    missing = [args.data / v for v in FILES.values() if not (args.data / v).is_file()]
    if missing:
        raise SystemExit(f"real data not found: {', '.join(map(str, missing))} (give --data FOLDER)")
    cap = args.cap_s or args.time_limit + 300.0
    out = args.out or HERE / "results" / f"horizon_{args.date}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = out.with_suffix(".json")
    tmp, workdir = bench_runs.working_folder(args.workdir, "bench-horizon-")
    src = bp._snapshot(workdir, REPO)
    bench_runs.use_snapshot(src)
    env = bp._ENV
    meta = bp.machine_meta("bench_horizon.py", args.date)
    meta.update({"time_limit": args.time_limit, "cap_s": cap, "data": str(args.data)})
    bench_runs.check_snapshot(src, meta["source_digest"])
    results: list[dict[str, Any]] = []

    def save() -> None:
        raw.write_text(json.dumps({"meta": meta, "results": results}, indent=2, default=str))
        out.write_text(markdown(results, meta))

    try:
        meta["inputs"] = build_inputs(workdir, args.data, args.cell_ha, env)
        print(f"inputs in {workdir}: {meta['inputs']['districts']} districts, shares {meta['inputs']['shares']}", flush=True)
        for cell in args.cell_ha:
            for solver in args.solvers:
                for case in args.cases:
                    r = run_plan_cli(workdir, cell, case, solver, args.time_limit, cap, env)
                    r["kind"] = "cli"
                    results.append(r)
                    print(f"{cell:g} ha {solver} {case}: {r['wall_s']:.2f} s, {r['status']}, objective "
                          f"{r.get('objective_meur')}, gap {bp._gap(r.get('gap'))}, peak {r.get('peak_mb', 0):.0f} MB",
                          flush=True)
                    save()
        if not args.no_phases:
            cell = args.phases_cell or min(args.cell_ha)
            js = workdir / "phases.json"
            limit = args.phases_time_limit or args.time_limit
            prof = out.parent / f"profile_horizon_{cell:g}ha_{args.date}.txt" if args.profile else None
            code, _, err = bp._spawn(["--worker", "phases", "--workdir", str(workdir), "--cell", str(cell),
                                      "--time-limit", str(limit), "--json", str(js),
                                      *(["--profile-out", str(prof)] if prof else [])],
                                     cap + 600, script=Path(__file__))
            if code == 0 and js.exists():
                r = json.loads(js.read_text())
                r["kind"] = "phases"
                results.append(r)
                print(f"phases {cell:g} ha: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["parts_s"].items()), flush=True)
            else:
                print(f"phases run failed ({code}):\n{err}", flush=True)
    finally:
        meta["loadavg_end"] = os.getloadavg()
        save()
        if tmp:
            tmp.cleanup()
    print(out.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
