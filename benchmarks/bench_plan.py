"""End-to-end planning benchmark: load → prepare → build → solve, and the whole ``plan``.

Usage (from the repository root)::

    python benchmarks/bench_plan.py --sizes 1000 10000 100000 --solvers cbc highs \
        --time-limit 300 --out benchmarks/results/plan_2026-11-23.md

For every size the seeded synthetic instance (``sites.synthetic``) is written to a
real GeoPackage (layers ``sites`` and ``landscape``) and a scenario TOML in a temp
folder; the target is ``--target-share`` × the yield of all sites and the LIK caps
scale with the size (``synthetic_scenario(..., n_sites=n)``).

Every (size, solver) pair then runs in a fresh Python subprocess, so peak memory is
per run, and times separately:

* load     – ``sites.load_inputs`` on the files (read + pydantic validation + LIK enrichment)
* prepare  – ``energie.model.horizon.prepare_horizon`` (``energie.facts.prepare`` and the plan's periods)
* build    – ``energie.model.contributions.build_problem``, the one problem of the pipeline
  (its PuLP model is ``problem.lp``, least cost with the targets' shortfalls fixed at 0)
* solve    – ``energie.engines.solver.solve`` on that least-cost model (with PuLP's hand-over: MPS
  file for CBC, ``addCol``/``addRow`` for HiGHS; the pure solver share is reported too)
* plan     – the whole ``energie.planner.plans.plan``, i.e. ``energie.planner.pipeline.run_plan``
  (prepare + build + solve + assembly with the rule analysis ``energie.rules.rule_uses`` +
  the independent checkers ``energie.check.result.check_result``), on the already loaded
  sites; every solver call it makes (``energie.engines.budget.checked_solve`` →
  ``energie.engines.solver.solve``) is logged.

Peak memory: ``VmHWM`` of the Python worker (HiGHS runs in-process) and, polled
every 20 ms, ``VmHWM`` of the CBC child process (CBC runs as a separate executable).

``--profile-size N`` additionally runs cProfile over load, prepare (``prepare_horizon``),
build (``build_problem``) and the hand-over of ``problem.lp`` to each solver at size N and
writes the top functions next to ``--out`` (``profile_<N>_<date>.txt``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 0


# --------------------------------------------------------------------------- TOML writer


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value} to the scenario TOML")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_text(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for scenario dumps: scalars, lists, nested tables; ``None`` is left out."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    out = ""
    if prefix and (lines or not tables):
        out += f"[{prefix}]\n"
    if lines:
        out += "\n".join(lines) + "\n"
    for key, table in tables:
        name = f"{prefix}.{_toml_key(key)}" if prefix else _toml_key(key)
        out += ("\n" if out else "") + toml_text(table, name)
    return out


# --------------------------------------------------------------------------- helpers


def _vm_hwm_mb() -> float:
    """Peak resident set of this process so far [MB] (Linux ``VmHWM``; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class _ChildPeak:
    """Peak RSS of this process's child processes (the CBC executable), by polling ``VmHWM``.

    ``ru_maxrss`` of a child is useless here: Linux starts it at the parent's high-water
    mark when the child is forked, so a CBC child would report the Python worker's peak.
    """

    def __init__(self, interval_s: float = 0.02) -> None:
        import threading

        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> _ChildPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _children(self) -> list[str]:
        """Child pids that have exec'd (a child that still shares or copies our memory before
        ``exec`` shows our own command name and our own high-water mark, so it is skipped)."""
        me, out = str(os.getpid()), []
        with open(f"/proc/{me}/comm") as fh:
            my_comm = fh.read()
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/stat") as fh:
                        stat = fh.read()
                    if stat.rsplit(")", 1)[1].split()[1] != me:
                        continue
                    with open(f"/proc/{pid}/comm") as fh:
                        if fh.read() != my_comm:
                            out.append(pid)
                except OSError:
                    continue
        return out

    def _poll(self) -> None:
        known: list[str] = []
        ticks = 0
        while not self._stop.is_set():
            if ticks % 5 == 0 or not known:  # rescanning /proc is the costly part
                known = self._children()
            ticks += 1
            for pid in known:
                try:
                    with open(f"/proc/{pid}/status") as fh:
                        for line in fh:
                            if line.startswith("VmHWM:"):
                                self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024.0)
                except OSError:
                    continue
            self._stop.wait(self.interval_s)


class _Timer:
    """Accumulated wall time of wrapped callables, by label (instrumentation only)."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        timer = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timer.s[label] = timer.s.get(label, 0.0) + time.perf_counter() - t

        setattr(owner, attr, timed)

    def take(self) -> dict[str, float]:
        out, self.s = self.s, {}
        return out


def _paths(workdir: Path, n: int) -> tuple[Path, Path, Path]:
    return workdir / f"sites_{n}.gpkg", workdir / f"scenario_{n}.toml", workdir / f"instance_{n}.json"


# --------------------------------------------------------------------------- subprocess: generate


def generate(n: int, workdir: Path, target_share: float, time_limit: float,
             zonneladder: str = "off") -> dict[str, Any]:
    """Write the size-``n`` instance (GeoPackage + scenario TOML) and return its facts."""
    import numpy as np

    from models import Scenario
    from sites.reader import read_scenario
    from sites.synthetic import synthetic_landscape, synthetic_scenario, synthetic_sites
    from sites.writer import write_gpkg

    t0 = time.perf_counter()
    frame = synthetic_sites(n, seed=SEED)
    landscape = synthetic_landscape()
    gpkg, toml, facts_path = _paths(workdir, n)
    write_gpkg(gpkg, {"sites": frame, "landscape": landscape}, force=True)
    flh = Scenario(name="flh").full_load_hours
    hours = np.array([flh.for_kind(k) for k in frame["kind"]])
    # = Σ energie.facts.accounting.yield_gwh over all sites (no yield_gwh column in the synthetic data)
    total_gwh = float((frame["capacity_mw"].to_numpy() * hours / 1000.0).sum())
    scenario = synthetic_scenario(target_share, total_gwh, n_sites=n, zonneladder=zonneladder)
    data = scenario.model_dump(mode="json")
    data["solver"]["time_limit_s"] = float(time_limit)
    toml.write_text(f"# synthetic benchmark scenario, n = {n}, seed = {SEED}\n" + toml_text(data), encoding="utf-8")
    back = read_scenario(toml)
    expected = scenario.model_copy(update={"solver": back.solver})
    if back != expected:
        raise SystemExit(f"scenario TOML round trip differs for n = {n}")
    facts = {
        "n": n, "seed": SEED, "total_yield_gwh": total_gwh, "target_gwh": scenario.targets.electricity_gwh,
        "gpkg_mb": gpkg.stat().st_size / 1e6, "generate_s": time.perf_counter() - t0,
        "kinds": {str(k): int(v) for k, v in frame["kind"].value_counts().items()},
    }
    facts_path.write_text(json.dumps(facts, indent=2))
    return facts


# --------------------------------------------------------------------------- subprocess: one run


def instrument_plan(_unused: Any = None) -> _Timer:
    """A timer over PuLP's hand-over to the solvers and, inside the planning pipeline, over the
    independent checkers (``checker``: ``check_result`` as ``energie.planner.pipeline`` calls it) and
    the rule analysis (``rule_analysis``: ``rule_uses`` as ``energie.planner.assemble`` calls it).

    The argument is ignored (callers used to pass ``energie.planner.plans``, whose names were wrapped)."""
    import pulp

    from energie.planner import assemble, pipeline

    timer = _Timer()
    timer.wrap(pulp.LpProblem, "writeMPS", "write_mps")
    timer.wrap(pulp.COIN_CMD, "solve_CBC", "cbc_cmd")  # PULP_CBC_CMD subclasses COIN_CMD
    timer.wrap(pulp.COIN_CMD, "writesol", "write_warm_start")
    timer.wrap(pulp.COIN_CMD, "readsol_MPS", "read_solution")
    timer.wrap(pulp.HiGHS, "buildSolverModel", "to_highs")
    timer.wrap(pulp.HiGHS, "callSolver", "highs_run")
    timer.wrap(pulp.HiGHS, "findSolutionValues", "from_highs")
    timer.wrap(pipeline, "check_result", "checker")
    timer.wrap(assemble, "rule_uses", "rule_analysis")
    return timer


def log_solves(_unused: Any = None, with_size: bool = False, module: Any = None, attribute: str = "solve",
               model_name: Callable[[Any], str] | None = None) -> list[dict[str, Any]]:
    """Record every solver call the planner makes (model, status, seconds, objective, gap and,
    ``with_size``, the model's variables, rows and nonzeros) in the list returned, by replacing
    ``module.attribute``: by default ``solve`` as looked up in ``energie.engines.budget``, which the
    planner's every ``checked_solve`` calls (a problem without variables is answered there without a
    solver call). ``model_name(problem)`` names a call (default the problem's name). The first
    argument is ignored (callers used to pass ``energie.planner.plans``)."""
    from energie.engines import budget

    target = budget if module is None else module
    calls: list[dict[str, Any]] = []
    inner_solve = getattr(target, attribute)

    def logged_solve(problem: Any, settings: Any, warm_start: Any = None) -> Any:
        size = (problem.numVariables(), problem.numConstraints(),
                sum(len(c) for c in problem.constraints.values())) if with_size else None
        call = {"model": model_name(problem) if model_name else problem.name, "time_limit_s": settings.time_limit_s,
                "warm_start": bool(warm_start), "size": size}
        t = time.perf_counter()
        try:
            res = inner_solve(problem, settings, warm_start)
        except Exception as err:  # a crashed or killed solver: the call still took its time
            calls.append({**call, "status": f"raised {type(err).__name__}", "time_s": time.perf_counter() - t,
                          "objective": None, "gap": None})
            raise
        calls.append({**call, "status": str(res.status), "time_s": res.time_s, "objective": res.objective,
                      "gap": res.gap})
        return res

    setattr(target, attribute, logged_solve)
    return calls


def run_one(n: int, solver: str, workdir: Path, time_limit: float, gap_rel: float | None = None,
            plan_only: bool = False, report: bool = False) -> dict[str, Any]:
    """All phases for one (size, solver) in this (fresh) process (options: see the module docstring)."""
    import gc

    import energie
    from energie.facts.accounting import yield_gwh
    from energie.model.contributions import build_problem
    from energie.model.horizon import prepare_horizon
    from energie.planner.plans import plan
    from energie.planner import pipeline
    from energie.engines.solver import solve
    from models import SolverError
    from sites import load_inputs

    timer = instrument_plan()
    plan_solves = log_solves(with_size=plan_only)

    gpkg, toml, _ = _paths(workdir, n)
    r: dict[str, Any] = {"n": n, "solver": solver, "time_limit_s": time_limit,
                         "energie_from": str(Path(energie.__file__).parent.parent)}
    mem: dict[str, float] = {"start": _vm_hwm_mb()}

    t = time.perf_counter()
    inputs = load_inputs(gpkg, toml)
    r["load_s"] = time.perf_counter() - t
    mem["load"] = _vm_hwm_mb()
    r["n_sites"] = len(inputs.sites)
    gap = {} if gap_rel is None else {"gap_rel": gap_rel}
    settings = inputs.scenario.solver.model_copy(update={"name": solver, "time_limit_s": time_limit, **gap})
    scenario = inputs.scenario.model_copy(update={"solver": settings})
    r["gap_rel"] = settings.gap_rel
    r["plan_only"] = plan_only
    r["yield_all_gwh"] = sum(yield_gwh(s, scenario) for s in inputs.sites)

    if plan_only:
        prepared: list[Any] = []

        def kept_prepare(*args: Any, **kwargs: Any) -> Any:
            prepared.append(prepare_horizon(*args, **kwargs))
            return prepared[-1]

        # the names as plan_problem looks them up
        pipeline.prepare_horizon = kept_prepare
        timer.wrap(pipeline, "prepare_horizon", "prepare")
        timer.wrap(pipeline, "build_problem", "build")
        solve_child_mb = 0.0  # no separate solve
    else:
        t = time.perf_counter()
        horizon = prepare_horizon(inputs.sites, scenario)
        r["prepare_s"] = time.perf_counter() - t
        mem["prepare"] = _vm_hwm_mb()
        _data_facts(r, horizon.data)

        t = time.perf_counter()
        problem = build_problem(horizon)
        r["build_s"] = time.perf_counter() - t
        mem["build"] = _vm_hwm_mb()
        prob = problem.lp  # least cost, every target's shortfall fixed at 0
        r["variables"] = len(prob.variables())
        r["constraints"] = len(prob.constraints)
        r["nonzeros"] = sum(len(c) for c in prob.constraints.values())

        timer.take()
        cpu0 = _children_cpu_s()
        t = time.perf_counter()
        with _ChildPeak() as child:
            res = solve(prob, settings)
        r["solve_s"] = time.perf_counter() - t
        solve_child_mb = child.peak_mb
        r["solve_parts_s"] = _solve_parts(timer.take(), solver, cpu0)
        r["solver_core_s"] = r["solve_parts_s"].get("cbc_process", r["solve_parts_s"].get("highs_run"))
        mem["solve"] = _vm_hwm_mb()
        r["solve_status"] = str(res.status)
        r["objective_meur"] = res.objective
        r["bound_meur"] = res.bound
        r["gap"] = res.gap
        r["solver_version"] = res.solver_version
        del problem, prob, res, horizon
        gc.collect()

    cpu0 = _children_cpu_s()
    t = time.perf_counter()
    with _ChildPeak() as child_plan:
        try:
            p = plan(inputs.sites, scenario if gap else inputs.scenario, solver=solver, time_limit_s=time_limit)
        except SolverError as err:  # e.g. no plan found within the time limit: report it, don't hide it
            p = None
            r["plan_error"] = str(err)
    r["plan_s"] = time.perf_counter() - t
    r["plan_parts_s"] = timer.take()
    mem["plan"] = _vm_hwm_mb()
    if plan_only:
        # prepare, build and solve as timed inside the plan; the solve columns describe the last
        # solver call (the one whose plan is returned), the sizes the first model
        parts = r["plan_parts_s"]
        r["prepare_s"], r["build_s"] = parts.get("prepare", 0.0), parts.get("build", 0.0)
        r["solve_s"] = sum(c["time_s"] for c in plan_solves)
        r["solve_parts_s"] = _solve_parts(dict(parts), solver, cpu0)
        r["solver_core_s"] = r["solve_parts_s"].get("cbc_process", r["solve_parts_s"].get("highs_run"))
        if prepared:
            _data_facts(r, prepared[0].data)
        last = plan_solves[-1] if plan_solves else {}
        r["solve_status"], r["objective_meur"], r["gap"] = last.get("status", "–"), last.get("objective"), \
            last.get("gap")
        r["bound_meur"] = None
        r["variables"], r["constraints"], r["nonzeros"] = plan_solves[0]["size"] if plan_solves else (0, 0, 0)
    r["plan_solves"] = plan_solves
    r["target_gwh"] = scenario.targets.electricity_gwh
    if p is None:
        r["plan_status"] = "error"
        r["plan_objective_meur"] = r["plan_gap"] = r["plan_max_reachable_gwh"] = None
        r["plan_solve_time_s"] = sum(c["time_s"] for c in plan_solves)
        r["plan_messages"] = [r["plan_error"]]
    else:
        r["plan_status"] = str(p.status.value)
        r["plan_objective_meur"] = p.objective_meur
        r["plan_gap"] = p.gap
        r["plan_solve_time_s"] = p.solve_time_s
        r["plan_build_time_s"] = p.build_time_s
        r["plan_selected"] = len(p.selected)
        r["plan_max_reachable_gwh"] = p.max_reachable_gwh
        r["plan_messages"] = p.messages
    r["total_s"] = r["load_s"] + r["plan_s"]
    if report and p is not None:
        from energie.reports.terminal import plan_report_text

        t = time.perf_counter()
        r["report_chars"] = len(plan_report_text(p))
        r["report_s"] = time.perf_counter() - t
        r["total_s"] += r["report_s"]
    r["mem_mb"] = mem
    r["peak_py_mb"] = _vm_hwm_mb()
    r["peak_child_mb"] = max(solve_child_mb, child_plan.peak_mb)
    return r


def _data_facts(r: dict[str, Any], data: Any) -> None:
    """Counts of the prepared planning data (``energie.facts.prepare.PlanningData``, e.g. ``Horizon.data``)."""
    r["candidates"] = len(data.candidates)
    r["excluded"] = len(data.excluded)
    r["locked"] = len(data.locked)
    r["spacing_pairs"] = len(data.conflicts)


def _solve_parts(parts: dict[str, float], solver: str, cbc_cpu0: float) -> dict[str, float]:
    """Timer parts of a solve, with the CBC process's own wall and CPU seconds."""
    if solver == "cbc":
        parts["cbc_cpu"] = _children_cpu_s() - cbc_cpu0
        parts["cbc_process"] = parts.get("cbc_cmd", 0.0) - sum(
            parts.get(k, 0.0) for k in ("write_mps", "write_warm_start", "read_solution"))
    return parts


# --------------------------------------------------------------------------- subprocess: profile


def profiled(report: Any, dump: Path, label: str, what: str, fn: Any, *args: Any, top: int = 30) -> Any:
    """``fn(*args)`` under cProfile: the top functions by own and cumulative time are appended to
    ``report`` (a text stream), the raw stats dumped to ``dump`` (for snakeviz & co.)."""
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    value = fn(*args)
    prof.disable()
    wall = time.perf_counter() - t
    prof.dump_stats(str(dump))
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        body = buf.getvalue()
        body = body[body.find("   ncalls"):] if "   ncalls" in body else body
        report.write(f"\n=== {label}: {wall:.2f} s wall under cProfile, {what}, sorted by {key} ===\n")
        report.write(body)
    print(f"profiled {label}: {wall:.2f} s", flush=True)
    return value


def profile(n: int, workdir: Path, out: Path, top: int = 30) -> None:
    """cProfile of load, prepare (``prepare_horizon``), build (``build_problem``) and the hand-over of
    ``problem.lp`` to CBC (MPS) and HiGHS."""
    import io

    import pulp

    from energie.model.contributions import build_problem
    from energie.model.horizon import prepare_horizon
    from sites import load_inputs

    gpkg, toml, _ = _paths(workdir, n)
    report = io.StringIO()

    def run(label: str, fn: Any, *args: Any) -> Any:
        return profiled(report, workdir / f"profile_{n}.{label}.prof", f"{label}", f"n = {n}", fn, *args, top=top)

    inputs = run("load", load_inputs, gpkg, toml)
    horizon = run("prepare", prepare_horizon, inputs.sites, inputs.scenario)
    lp = run("build", build_problem, horizon).lp
    with tempfile.TemporaryDirectory() as tmp:
        run("write_mps", lp.writeMPS, str(Path(tmp) / "m.mps"), 1)

    def to_highs() -> None:
        solver = pulp.HiGHS(msg=False)
        solver.createAndConfigureSolver(lp)
        solver.buildSolverModel(lp)

    run("to_highs", to_highs)
    out.write_text(report.getvalue())


# --------------------------------------------------------------------------- parent: orchestration


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from repeated runs: median of every time, max of every peak, the rest from run 1."""
    import statistics

    out = dict(runs[0])
    for key, value in runs[0].items():
        if key.endswith("_s") and isinstance(value, float):
            out[key] = statistics.median(r[key] for r in runs)
        elif key.endswith("_parts_s"):
            out[key] = {k: statistics.median(r[key].get(k, 0.0) for r in runs) for k in value}
        elif key.startswith("peak_") or key == "tree_peak_mb":
            out[key] = max(r[key] for r in runs)
    if out.get("solver_core_s") is not None:
        out["solver_core_s"] = statistics.median(r["solver_core_s"] for r in runs)
    out["total_s_min"] = min(r["total_s"] for r in runs)
    out["total_s_max"] = max(r["total_s"] for r in runs)
    out["runs"] = runs
    out["repeat"] = len(runs)
    for key in ("solve_status", "plan_status", "objective_meur"):
        if len({str(r[key]) for r in runs}) > 1:
            out[f"{key}_varies"] = [r[key] for r in runs]
    return out


SNAPSHOT_PACKAGES = ("energie", "sites", "models")


def _source_digest(root: Path) -> str:
    import hashlib

    digest = hashlib.sha1()
    for pkg in SNAPSHOT_PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def _snapshot(workdir: Path, source: Path = REPO) -> Path:
    """Copy the project packages once, so a long run measures one version of the code
    even while others commit (the workers import from here, ahead of the editable install)."""
    import shutil

    src = workdir / "src"
    for pkg in SNAPSHOT_PACKAGES:
        shutil.copytree(source / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    return src


def export_commit(rev: str, dest: Path) -> tuple[Path, str]:
    """The project packages as committed in ``rev`` (``git archive``), in ``dest``; (folder, short hash)."""
    short = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "--format=tar", short, *SNAPSHOT_PACKAGES], cwd=REPO,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, short


_ENV: dict[str, str] | None = None


def cap_memory(limit_gb: float | None) -> None:
    """Cap this worker's address space [GB]; the CBC process it starts inherits the cap."""
    if limit_gb is not None:
        cap = int(limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _spawn(args: list[str], timeout_s: float, script: Path | None = None) -> tuple[int, float, str]:
    """Run ``script`` (default: this one) in a fresh interpreter; return (exit code, ru_maxrss of the
    tree [MB], stderr tail). ``ru_maxrss`` of a child includes its parent's size at fork time."""
    err_path = Path(tempfile.mkstemp(prefix="bench-", suffix=".err")[1])
    with open(err_path, "w") as err, open(os.devnull, "w") as devnull:
        proc = subprocess.Popen([sys.executable, str((script or Path(__file__)).resolve()), *args],
                                stdout=devnull, stderr=err, cwd=REPO, env=_ENV)
        deadline = time.monotonic() + timeout_s
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, ru = os.wait4(proc.pid, 0)
                status = -9
                break
            time.sleep(0.2)
    proc.returncode = 0  # reaped by wait4
    tail = err_path.read_text(errors="replace")[-2000:]
    err_path.unlink()
    code = status if status == -9 else os.waitstatus_to_exitcode(status)
    return code, ru.ru_maxrss / 1024.0, tail


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _gap(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.3g} %"


def notes_lines(meta: dict[str, Any]) -> list[str]:
    """``meta["notes"]``: what the operator saw during the run (added to the JSON by hand, then
    ``--render``), as a Markdown list."""
    notes = meta.get("notes") or []
    return ["", "Notes on this run:", "", *(f"- {n}" for n in notes)] if notes else []


def _solve_cell(r: dict[str, Any]) -> str:
    """Solve seconds, or "–" for a ``--plan-only`` run whose only solver call was killed before this
    script logged solver calls that raise."""
    return "–" if r.get("plan_only") and not r.get("plan_solves") else _fmt(r["solve_s"])


def gap_text(gap_rel: float) -> str:
    """``1e-4`` rather than ``0.0001``."""
    return f"{gap_rel:.0e}".replace("e-0", "e-")


def markdown(results: list[dict[str, Any]], instances: dict[int, dict[str, Any]], meta: dict[str, Any]) -> str:
    with_report = bool(meta.get("report"))
    options = []
    if meta.get("plan_only"):
        options.append("`--plan-only`: there is no separate solve; *prepare*, *build* and *solve* are the "
                       "seconds spent in them inside the one `plan` call (*solve* = every solver call of the "
                       "plan), the solve status, objective and gap those of its last solver call, and the model "
                       "size that of its first model")
    if with_report:
        options.append("*report* is `energie.reports.terminal.plan_report_text` on the plan; "
                       "*total* = load + plan + report")
    if meta.get("mem_limit_gb"):
        options.append(f"each worker and the CBC process it starts were capped at {meta['mem_limit_gb']:g} GB "
                       "of address space (`--mem-limit-gb`)")
    lines = [
        f"# Plan benchmark {meta['date']}",
        "",
        f"Command: `{meta['command']}`",
        "",
        f"Machine: {meta['machine']}. Python {meta['python']}, PuLP {meta['pulp']}, highspy "
        f"{meta['highspy']}; solver threads = 1 (scenario default), "
        f"gap_rel = {gap_text(meta.get('gap_rel') or 1e-4)}, time limit "
        f"{meta['time_limit']:.0f} s per solve (shared by the phases of one `plan`); scenario "
        f"`policy.zonneladder = \"{meta['zonneladder']}\"`; median of {meta['repeat']} runs, each in a fresh "
        f"process. Commit {meta['commit']}"
        f"{' (energie/, sites/, models/ as committed, git archive)' if meta.get('source_commit') else ''}"
        f"{' plus uncommitted changes in energie/, sites/ or models/' if meta['dirty'] else ''}; "
        f"source digest {meta['source_digest']} (sha1 of energie/, sites/, models/ *.py"
        f"{', measured from a copy taken at the start' if meta.get('snapshot') else ''}). Load average "
        f"(1 min) at start {meta['loadavg_start'][0]:.2f}, at end {meta.get('loadavg_end', [float('nan')])[0]:.2f} "
        f"(above ~1 means other processes shared the 2 cores).",
        "",
        "Seconds are wall-clock. *solve* is `energie.engines.solver.solve` including PuLP's hand-over "
        "(MPS file for CBC, addCol/addRow for HiGHS); *core* is the solver alone (wall time of "
        "the CBC process, HiGHS `run()`). *plan* is the whole `energie.planner.plans.plan` on loaded sites "
        "(prepare + build + solve + rule analysis + checker); *total* = load + plan. *py MB* is "
        "the Python worker's peak RSS (HiGHS runs in it; *of which imports* is the RSS right after "
        "importing geopandas/pandas/pydantic/PuLP/highspy), *CBC MB* the CBC process's peak.",
        *(["", "Options: " + "; ".join(options) + "."] if options else []),
        *notes_lines(meta),
        "",
        "## Instances",
        "",
        "| sites | solar fields | roofs | turbines | GeoPackage MB | target GWh | candidates | spacing pairs | variables | constraints | nonzeros |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, inst in sorted(instances.items()):
        run = next((r for r in results if r["n"] == n and r.get("variables")), {})
        k = inst.get("kinds", {})
        lines.append(
            f"| {n:,} | {k.get('solar_field', 0):,} | {k.get('rooftop_solar', 0):,} | {k.get('wind_turbine', 0):,} "
            f"| {inst.get('gpkg_mb', 0):.1f} | {inst.get('target_gwh', 0):,.1f} | {_fmt(run.get('candidates'))} "
            f"| {_fmt(run.get('spacing_pairs'))} | {_fmt(run.get('variables'))} | {_fmt(run.get('constraints'))} "
            f"| {_fmt(run.get('nonzeros'))} |")
    lines += [
        "",
        "## Phases",
        "",
        ("| sites | solver | load s | prepare s | build s | solve s | core s | solve status | objective M€ | gap "
         f"| plan s | plan status | plan gap |{' report s |' if with_report else ''} total s | total min–max "
         "| py MB | of which imports MB | CBC MB |"),
        (f"|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|{'---:|' if with_report else ''}"
         "---:|---:|---:|---:|---:|"),
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['n']:,} | {r['solver']} | {r['error']} |" + " |" * (16 if with_report else 15))
            continue
        report_cell = f" {_fmt(r.get('report_s'))} |" if with_report else ""
        lines.append(
            f"| {r['n']:,} | {r['solver']} | {_fmt(r['load_s'])} | {_fmt(r['prepare_s'])} | {_fmt(r['build_s'])} "
            f"| {_solve_cell(r)} | {_fmt(r['solver_core_s'])} | {r['solve_status']} "
            f"| {_fmt(r['objective_meur'], 3)} | {_gap(r['gap'])} | {_fmt(r['plan_s'])} | {r['plan_status']} "
            f"| {_gap(r['plan_gap'])} |{report_cell} {_fmt(r['total_s'])} "
            f"| {_fmt(r.get('total_s_min'))}–{_fmt(r.get('total_s_max'))} | {r['peak_py_mb']:,.0f} "
            f"| {r['mem_mb']['start']:,.0f} "
            f"| {_fmt(r['peak_child_mb'], 0) if r['solver'] == 'cbc' else '–'} |")
    lines += ["", "## Where the solve time goes", "",
              "| sites | solver | solve s | hand-over s | solver core s | solution back s | rest s |",
              "|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            continue
        p = r["solve_parts_s"]
        if r["solver"] == "cbc":
            hand, core, back = p.get("write_mps", 0.0), p.get("cbc_process", 0.0), p.get("read_solution", 0.0)
        else:
            hand, core, back = p.get("to_highs", 0.0), p.get("highs_run", 0.0), p.get("from_highs", 0.0)
        rest = "–" if _solve_cell(r) == "–" else _fmt(r["solve_s"] - hand - core - back)
        lines.append(f"| {r['n']:,} | {r['solver']} | {_solve_cell(r)} | {_fmt(hand)} | {_fmt(core)} "
                     f"| {_fmt(back)} | {rest} |")
    lines += ["", "Inside `plan`: checker and rule analysis seconds.", "",
              "| sites | solver | plan s | plan solve s | checker s | rule analysis s |",
              "|---:|---|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            continue
        p = r["plan_parts_s"]
        lines.append(f"| {r['n']:,} | {r['solver']} | {_fmt(r['plan_s'])} | {_fmt(r['plan_solve_time_s'])} "
                     f"| {_fmt(p.get('checker'))} | {_fmt(p.get('rule_analysis'))} |")
    lines += ["", "Solver calls inside `plan` (model: status, seconds; every call solves the one problem `plan` "
              "with its own objective: least cost or, when a target is short, the smallest shortfall per "
              "target year, least cost again and the maximum reachable yield).", "",
              "| sites | solver | solver calls |", "|---:|---|---|"]
    for r in results:
        if "error" in r:
            continue
        calls = "; ".join(f"{c['model']}{' (warm)' if c['warm_start'] else ''}: {c['status']}, "
                          f"{c['time_s']:.2f} s of {c['time_limit_s']:.0f}" for c in r.get("plan_solves", []))
        lines.append(f"| {r['n']:,} | {r['solver']} | {calls} |")
    lines += ["", "## HiGHS / CBC", "",
              "| sites | solve | solver core | plan | total | peak MB (Python + CBC process) | solve objective HiGHS − CBC M€ "
              "| plan objective HiGHS − CBC M€ |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sorted(instances):
        by = {r["solver"]: r for r in results if r["n"] == n and "error" not in r}
        if "cbc" not in by or "highs" not in by:
            continue
        c, h = by["cbc"], by["highs"]
        failed = [name for name, r in (("CBC", c), ("HiGHS", h)) if r["plan_status"] == "error"]
        if failed:
            lines.append(f"| {n:,} | {' and '.join(failed)} found no plan in the time limit; no ratio |" + " |" * 6)
            continue

        def ratio(key: str, c: dict = c, h: dict = h) -> str:
            a, b = h.get(key), c.get(key)
            return "–" if not a or not b else f"{a / b:.2f}"

        cm = c["peak_py_mb"] + c["peak_child_mb"]  # both are alive while CBC runs
        dobj = None if c["objective_meur"] is None or h["objective_meur"] is None else \
            h["objective_meur"] - c["objective_meur"]
        lines.append(f"| {n:,} | {ratio('solve_s')} | {ratio('solver_core_s')} | {ratio('plan_s')} "
                     f"| {ratio('total_s')} | {h['peak_py_mb'] / cm:.2f} | {_fmt(dobj, 4)} "
                     f"| {_fmt(h['plan_objective_meur'] - c['plan_objective_meur'], 4)} |")
    msgs = [(r["n"], r["solver"], m) for r in results if "error" not in r for m in r["plan_messages"]]
    if msgs:
        lines += ["", "Plan messages:", ""] + [f"- {n:,} {s}: {m}" for n, s, m in msgs]
    return "\n".join(lines) + "\n"


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    meta = machine_meta("bench_plan.py", args.date)
    meta.update({"time_limit": args.time_limit, "zonneladder": args.zonneladder, "repeat": args.repeat,
                 "gap_rel": args.gap_rel, "plan_only": args.plan_only, "report": args.report,
                 "mem_limit_gb": args.mem_limit_gb})
    return meta


def machine_meta(script: str, date: str) -> dict[str, Any]:
    """Command, machine, versions, commit, source digest and load average for a result header."""
    from importlib import metadata

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": date,
        "command": f"python benchmarks/{script} " + " ".join(sys.argv[1:]),
        "machine": f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}",
        "python": platform.python_version(), "pulp": metadata.version("pulp"),
        "highspy": metadata.version("highspy"),
        "loadavg_start": os.getloadavg(), "source_digest": _source_digest(REPO),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "energie", "sites", "models")),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--solvers", nargs="+", choices=["cbc", "highs"], default=["cbc", "highs"])
    ap.add_argument("--time-limit", type=float, default=300.0, help="per solve [s]")
    ap.add_argument("--target-share", type=float, default=0.2)
    ap.add_argument("--zonneladder", choices=["off", "soft", "strict"], default="off",
                    help="policy.zonneladder of the scenario (synthetic_scenario's default: off)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per (size, solver), each in a fresh process; the tables show medians")
    ap.add_argument("--out", type=Path, default=None, help="Markdown results (default benchmarks/results/plan_<date>.md)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep instances here (default: a temp dir)")
    ap.add_argument("--profile-size", type=int, default=None, help="also cProfile load/prepare/build at this size")
    ap.add_argument("--date", default=dt.date.today().isoformat())
    ap.add_argument("--source", type=Path, default=REPO,
                    help="folder holding the energie/, sites/ and models/ packages to measure (default: this "
                         "repository; e.g. an earlier snapshot, to finish a series on one version)")
    ap.add_argument("--source-commit", default=None, metavar="REV",
                    help="measure the packages as committed in REV (git archive), not the working tree")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="import the live working tree in every worker instead of a copy taken at the start")
    ap.add_argument("--render", type=Path, default=None,
                    help="only rewrite --out from an earlier run's JSON (the .json next to its .md)")
    ap.add_argument("--gap-rel", type=float, default=None,
                    help="relative MIP gap of every solve (default: the scenario's, 1e-4)")
    ap.add_argument("--plan-only", action="store_true",
                    help="no separate prepare/build/solve: time them inside the one plan call (half the wall "
                         "time when the solve dominates)")
    ap.add_argument("--report", action="store_true", help="also time energie.reports.terminal.plan_report_text")
    ap.add_argument("--mem-limit-gb", type=float, default=None,
                    help="cap the address space of each worker and of its CBC process [GB]")
    ap.add_argument("--worker", choices=["generate", "run", "profile"], help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--solver", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        cap_memory(args.mem_limit_gb)
        if args.worker == "generate":
            result: Any = generate(args.n, args.workdir, args.target_share, args.time_limit, args.zonneladder)
        elif args.worker == "run":
            result = run_one(args.n, args.solver, args.workdir, args.time_limit, args.gap_rel, args.plan_only,
                             args.report)
        else:
            profile(args.n, args.workdir, args.json)
            return 0
        args.json.write_text(json.dumps(result, indent=2, default=str))
        return 0

    out = args.out or HERE / "results" / f"plan_{args.date}.md"
    if args.render:
        saved = json.loads(args.render.read_text())
        text = markdown(saved["results"], {int(k): v for k, v in saved["instances"].items()}, saved["meta"])
        out.write_text(text)
        print(text)
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(prefix="bench-plan-") if args.workdir is None else None
    workdir = Path(tmp.name) if tmp else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    common = ["--workdir", str(workdir), "--time-limit", str(args.time_limit),
              "--target-share", str(args.target_share), "--zonneladder", args.zonneladder]
    run_options = [*(["--gap-rel", str(args.gap_rel)] if args.gap_rel is not None else []),
                   *(["--plan-only"] if args.plan_only else []), *(["--report"] if args.report else []),
                   *(["--mem-limit-gb", str(args.mem_limit_gb)] if args.mem_limit_gb else [])]
    instances: dict[int, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    raw = out.with_suffix(".json")
    global _ENV
    committed = None
    if args.source_commit:
        args.source, committed = export_commit(args.source_commit, workdir / "export")
    if not args.no_snapshot:
        src = _snapshot(workdir, args.source.resolve())
        _ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p))
    meta = _meta(args)
    meta["snapshot"] = not args.no_snapshot
    if args.source.resolve() != REPO:  # the command line names --source
        meta["source_digest"] = _source_digest(args.source.resolve())
    if committed:
        meta.update({"commit": committed, "dirty": False, "source_commit": committed})
    if not args.no_snapshot and _source_digest(src) != meta["source_digest"]:
        raise SystemExit("the working tree changed while it was being copied; run again")
    try:
        for n in args.sizes:
            js = workdir / f"gen_{n}.json"
            code, _, err = _spawn(["--worker", "generate", "--n", str(n), "--json", str(js), *common], 3600)
            if code != 0:
                raise SystemExit(f"generating n = {n} failed:\n{err}")
            instances[n] = json.loads(js.read_text())
            print(f"n = {n:,}: instance written in {instances[n]['generate_s']:.1f} s "
                  f"({instances[n]['gpkg_mb']:.1f} MB GeoPackage)", flush=True)
            for solver in args.solvers:
                runs: list[dict[str, Any]] = []
                for k in range(args.repeat):
                    js = workdir / f"run_{n}_{solver}_{k}.json"
                    # the plan's phases share one time limit, plus a separate solve: generous wall limit
                    code, tree_mb, err = _spawn(["--worker", "run", "--n", str(n), "--solver", solver,
                                                 "--json", str(js), *common, *run_options],
                                                4 * args.time_limit + 1800)
                    if code != 0 or not js.exists():
                        why = "killed at the wall limit" if code == -9 else f"exit {code}"
                        last = err.strip().splitlines()[-1] if err.strip() else ""
                        runs = [{"n": n, "solver": solver, "error": f"{why}: {last}"[:200]}]
                        print(f"n = {n:,} {solver}: FAILED ({why})\n{err}", flush=True)
                        break
                    runs.append(json.loads(js.read_text()))
                    runs[-1]["tree_peak_mb"] = tree_mb
                r = runs[0] if "error" in runs[0] else _median_run(runs)
                results.append(r)
                if "error" not in r:
                    print(f"n = {n:,} {solver} (median of {len(runs)}): load {r['load_s']:.2f} s, "
                          f"prepare {r['prepare_s']:.2f} s, build {r['build_s']:.2f} s, solve {r['solve_s']:.2f} s "
                          f"({r['solve_status']}, gap {_gap(r['gap'])}), plan {r['plan_s']:.2f} s "
                          f"({r['plan_status']}), total {r['total_s']:.2f} s [{r['total_s_min']:.2f}–"
                          f"{r['total_s_max']:.2f}], peak {r['peak_py_mb']:.0f} MB py / "
                          f"{r['peak_child_mb']:.0f} MB CBC", flush=True)
                raw.write_text(json.dumps({"meta": meta, "instances": instances, "results": results},
                                          indent=2, default=str))
                out.write_text(markdown(results, instances, meta))
        if args.profile_size:
            n = args.profile_size
            if n not in instances:
                js = workdir / f"gen_{n}.json"
                _spawn(["--worker", "generate", "--n", str(n), "--json", str(js), *common], 3600)
            prof_out = out.parent / f"profile_{n}_{args.date}.txt"
            code, _, err = _spawn(["--worker", "profile", "--n", str(n), "--json", str(prof_out), *common], 3600)
            print(f"profile written to {prof_out}" if code == 0 else f"profiling failed:\n{err}", flush=True)
    finally:
        if tmp:
            tmp.cleanup()
    meta["loadavg_end"] = os.getloadavg()
    raw.write_text(json.dumps({"meta": meta, "instances": instances, "results": results}, indent=2, default=str))
    text = markdown(results, instances, meta)
    out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
