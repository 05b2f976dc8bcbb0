"""Sweep benchmark: wall time of ``energie.scenarios.sweep.run_sweep`` with 1 and 2 worker processes.

Usage (from the repository root)::

    python benchmarks/bench_sweep.py --repeat 3 --out benchmarks/results/sweep_2026-11-23.md

Two instances, each swept over the electricity target with each of ``--solvers`` (CBC and
HiGHS; one solver thread per point, so the workers do not compete with solver threads):

* ``hardenberg`` – the built-in example, ``--target-gwh 200:600:25`` (17 points, ~0.05–0.2 s each);
* ``synthetic``  – the seeded synthetic instance of ``--n-sites`` sites (``sites.synthetic`` +
  ``sites.inputs.enrich_sites``), targets 5,000:40,000:5,000 GWh (8 points, ~0.5–1.5 s each;
  the upper half are shortfalls, which solve two MILPs).

Every (instance, solver, workers) measurement runs in a fresh Python process, with the runs interleaved
(1, 2, 1, 2, …) so that load from other processes on the machine falls on both alike. In that
process the inputs and runs are built first (not timed), then ``run_sweep`` is timed twice:
*cold* (the first pool of the process: starts the fork server, which imports the planner once)
and *warm* (a second pool; the fork server is up, workers fork in milliseconds). *cold* is what
one ``energie sweep`` command pays. With 1 worker there is no pool and both are the same work.

``--engines local dask`` compares the engines instead (``energie.scenarios.sweep.sweep_engine``): the same
sweep with 2 workers in the local process pool and in a Dask ``LocalCluster`` of 2 single-threaded
worker processes started in the measuring process, interleaved (local, dask, local, …), each in a
fresh process. For Dask, *cold* is cluster start (incl. the workers' version check, which imports
the planner on each worker) plus the sweep, what one ``energie sweep --engine dask`` pays; *warm* is a
second sweep on the running cluster; *start* is the cluster start alone. Ratios are dask / local::

    python benchmarks/bench_sweep.py --engines local dask --repeat 3 --out benchmarks/results/sweep_dask_2026-11-23.md

Also recorded: the sum of the points' solve times, the pickled size of one ``ScenarioRun``
(the sites travel with every point) and the time to pickle and unpickle it, the machine's
1-minute load average before the run and the machine-wide busy cores during it (from
``/proc/stat``: busy CPU seconds / wall seconds; it includes other users' processes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 0
RANGES = {"hardenberg": "200:600:25", "synthetic": "5000:40000:5000"}


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine since boot (Linux), else (0, 0)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def _inputs(instance: str, n_sites: int) -> tuple[list[Any], Any]:
    if instance == "hardenberg":
        from sites.inputs import example_inputs

        hb = example_inputs("hardenberg")
        return hb.sites, hb.scenario
    from energie.facts.accounting import yield_gwh
    from sites.inputs import enrich_sites
    from sites.synthetic import synthetic_landscape, synthetic_scenario, synthetic_sites

    sites = enrich_sites(synthetic_sites(n_sites, seed=SEED), synthetic_landscape(), "synthetic")
    upper = sum(yield_gwh(s, synthetic_scenario(n_sites=n_sites)) for s in sites)
    return sites, synthetic_scenario(0.3, upper, n_sites=n_sites)


def run_one(instance: str, workers: int, n_sites: int, solver: str, engine: str = "local") -> dict[str, Any]:
    """Build the runs, then time ``run_sweep`` cold and warm in this (fresh) process."""
    import pickle

    from energie.scenarios.sweep import TARGET_KEY, parse_range, run_sweep, sweep_engine, sweep_runs

    sites, scenario = _inputs(instance, n_sites)
    values = parse_range(RANGES[instance])
    runs = sweep_runs(sites, scenario, TARGET_KEY, values, solver=solver)
    t0 = time.perf_counter()
    blob = pickle.dumps(runs[0])
    pickle.loads(blob)
    pickle_s = time.perf_counter() - t0
    out: dict[str, Any] = {"instance": instance, "solver": solver, "workers": workers, "points": len(runs), "sites": len(sites),
                           "range": RANGES[instance], "pickle_mb": len(blob) / 1e6, "pickle_s": pickle_s,
                           "load_1min": os.getloadavg()[0], "engine": engine}
    if engine == "dask":
        return _run_dask(out, runs, workers)
    for label in ("cold", "warm"):
        busy0, _ = _busy_jiffies()
        t0 = time.perf_counter()
        points = run_sweep(runs, workers=workers)
        wall = time.perf_counter() - t0
        busy1, _ = _busy_jiffies()
        out[f"{label}_s"] = wall
        out[f"{label}_busy_cores"] = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") / wall if busy1 else None
    return _outcome(out, points)


def _run_dask(out: dict[str, Any], runs: list[Any], workers: int) -> dict[str, Any]:
    """Cold = start a LocalCluster (+ version check) and sweep; warm = a second sweep on it."""
    from energie.scenarios.sweep import run_sweep, sweep_engine

    busy0, _ = _busy_jiffies()
    t0 = time.perf_counter()
    with sweep_engine("dask", workers=workers) as engine:
        out["start_s"] = time.perf_counter() - t0
        points = run_sweep(runs, engine=engine)
        out["cold_s"] = time.perf_counter() - t0
        busy1, _ = _busy_jiffies()
        out["cold_busy_cores"] = (busy1 - busy0) / os.sysconf("SC_CLK_TCK") / out["cold_s"] if busy1 else None
        t1 = time.perf_counter()
        points = run_sweep(runs, engine=engine)
        out["warm_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
    out["stop_s"] = time.perf_counter() - t2
    return _outcome(out, points)


def _outcome(out: dict[str, Any], points: list[Any]) -> dict[str, Any]:
    plans = [p.plan for p in points]
    out["solver_version"] = next((p.solver_version for p in plans if p is not None), "?")
    out["solve_sum_s"] = sum(p.solve_time_s for p in plans if p is not None)
    out["statuses"] = [p.status.value if p is not None else "error" for p in plans]
    out["objectives"] = [p.objective_meur if p is not None else None for p in plans]
    out["selected"] = [p.selected if p is not None else None for p in plans]
    return out


def _spawn(instance: str, workers: int, n_sites: int, solver: str, timeout_s: float,
           engine: str = "local") -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        path = Path(tmp) / "out.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", instance, "--workers", str(workers),
               "--n-sites", str(n_sites), "--solver", solver, "--engine", engine, "--json", str(path)]
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout_s, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{instance} {solver} {engine} workers={workers} failed:\n{proc.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(path.read_text())
        return result


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    for key in ("cold_s", "warm_s", "solve_sum_s", "pickle_s", "load_1min", "cold_busy_cores", "start_s", "stop_s"):
        vals = [r[key] for r in runs if r.get(key) is not None]
        out[key] = statistics.median(vals) if vals else None
    out["cold_min"] = min(r["cold_s"] for r in runs)
    out["cold_max"] = max(r["cold_s"] for r in runs)
    out["repeat"] = len(runs)
    return out


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any], agree: dict[tuple[str, str], bool]) -> str:
    lines = [f"# Sweep benchmark {meta['date']}", "",
             f"Command: `{meta['command']}`", "",
             f"Machine: {meta['machine']}. Python {meta['python']}, PuLP {meta['pulp']}, highspy {meta['highspy']}; "
             f"1 solver thread per point; pool start method {meta['start_method']} (preloads the "
             f"planner). Median of {meta['repeat']} runs, each in a fresh process, workers 1 and 2 interleaved. "
             f"Commit {meta['commit']}{' plus uncommitted changes' if meta['dirty'] else ''}.", "",
             "*wall cold* is `run_sweep` in a fresh process (what one `energie sweep` pays: fork server start "
             "included, imports and input loading not); *warm* is a second `run_sweep` in that process. "
             "*speed-up* = wall with 1 worker / wall with 2 (cold, and warm). *Σ solve* is the sum of the "
             "points' solver times. *busy cores* is the whole machine's (other users included) during the cold "
             "run; *load* the 1-minute load average before it.", "",
             "| instance | solver | sites | points | workers | wall cold s | min–max | speed-up cold | wall warm s "
             "| speed-up warm | Σ solve s | busy cores | load | same plans |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    base = {(r["instance"], r["solver"]): r for r in rows if r["workers"] == 1}
    for r in rows:
        b = base.get((r["instance"], r["solver"]))
        cold = _f(b["cold_s"] / r["cold_s"]) if b else "–"
        warm = _f(b["warm_s"] / r["warm_s"]) if b else "–"
        lines.append(
            f"| {r['instance']} | {r['solver']} | {r['sites']:,} | {r['points']} | {r['workers']} | {_f(r['cold_s'])} "
            f"| {_f(r['cold_min'])}–{_f(r['cold_max'])} | {cold} | {_f(r['warm_s'])} | {warm} "
            f"| {_f(r['solve_sum_s'])} | {_f(r['cold_busy_cores'], 1)} | {_f(r['load_1min'], 1)} "
            f"| {'yes' if agree[(r['instance'], r['solver'])] else 'NO'} |")
    lines += ["", "Per point, the run travels pickled to its worker (sites + scenario) and the plan comes back:", "",
              "| instance | solver | ScenarioRun pickle MB | pickle + unpickle s | statuses |", "|---|---|---:|---:|---|"]
    for r in rows:
        if r["workers"] == 1:
            counts = {s: r["statuses"].count(s) for s in dict.fromkeys(r["statuses"])}
            lines.append(f"| {r['instance']} | {r['solver_version']} | {_f(r['pickle_mb'])} | {_f(r['pickle_s'], 3)} | "
                         + ", ".join(f"{n} {s}" for s, n in counts.items()) + " |")
    return "\n".join(lines) + "\n"


def markdown_engines(rows: list[dict[str, Any]], meta: dict[str, Any], agree: dict[tuple[str, str], bool]) -> str:
    """The local pool against a Dask LocalCluster, both with 2 workers, as dask / local ratios."""
    lines = [f"# Sweep engines: local process pool vs Dask LocalCluster, {meta['date']}", "",
             f"Command: `{meta['command']}`", "",
             f"Machine: {meta['machine']}. Python {meta['python']}, PuLP {meta['pulp']}, highspy {meta['highspy']}, "
             f"dask/distributed {meta['distributed']}; 1 solver thread per point. Median of {meta['repeat']} runs, "
             f"each in a fresh process, engines interleaved. Commit {meta['commit']}"
             f"{' plus uncommitted changes' if meta['dirty'] else ''}.", "",
             "*local*: `energie.scenarios.sweep_local.LocalEngine` with 2 processes (fork server, sites sent once "
             "per worker). "
             "*dask*: `sweep_engine('dask', workers=2)`, a `LocalCluster` of 2 single-threaded worker processes "
             "(spawned; each imports the planner at the version check), sites scattered once. *wall cold* is what "
             "one command pays: pool or cluster start plus the sweep (imports and input loading not included); "
             "*start* is the Dask cluster start alone (incl. the version check), *stop* its shutdown (not in "
             "cold); *warm* is a second sweep on the running pool or cluster. *ratio* = dask / local (above 1 = "
             "Dask slower). *busy cores*: the whole machine during the cold run (other users included); *load*: "
             "1-minute load average before it.", "",
             "| instance | solver | sites | points | engine | wall cold s | min–max | ratio cold | wall warm s "
             "| ratio warm | start s | stop s | Σ solve s | busy cores | load | same plans |",
             "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    base = {(r["instance"], r["solver"]): r for r in rows if r["engine"] == "local"}
    for r in rows:
        b = base[(r["instance"], r["solver"])]
        dask_row = r["engine"] == "dask"
        lines.append(
            f"| {r['instance']} | {r['solver']} | {r['sites']:,} | {r['points']} | {r['engine']} | {_f(r['cold_s'])} "
            f"| {_f(r['cold_min'])}–{_f(r['cold_max'])} | {_f(r['cold_s'] / b['cold_s']) if dask_row else '1.00'} "
            f"| {_f(r['warm_s'])} | {_f(r['warm_s'] / b['warm_s']) if dask_row else '1.00'} "
            f"| {_f(r.get('start_s')) if dask_row else '–'} | {_f(r.get('stop_s')) if dask_row else '–'} "
            f"| {_f(r['solve_sum_s'])} | {_f(r['cold_busy_cores'], 1)} | {_f(r['load_1min'], 1)} "
            f"| {'yes' if agree[(r['instance'], r['solver'])] else 'NO'} |")
    return "\n".join(lines) + "\n"


def _dist_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    from importlib import metadata

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from energie.scenarios.sweep_local import _pool_context

    return {
        "date": args.date, "command": "python benchmarks/bench_sweep.py " + " ".join(sys.argv[1:]),
        "machine": f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}",
        "python": platform.python_version(), "pulp": metadata.version("pulp"),
        "highspy": metadata.version("highspy"), "repeat": args.repeat,
        "distributed": _dist_version("distributed"),
        "start_method": _pool_context().get_start_method(), "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "energie", "sites", "models")),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", nargs="+", choices=sorted(RANGES), default=["hardenberg", "synthetic"])
    ap.add_argument("--n-sites", type=int, default=10_000, help="size of the synthetic instance")
    ap.add_argument("--solvers", nargs="+", choices=["cbc", "highs"], default=["cbc", "highs"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900.0, help="per measurement [s]")
    ap.add_argument("--out", type=Path, default=None, help="Markdown (default benchmarks/results/sweep_<date>.md)")
    ap.add_argument("--date", default=dt.date.today().isoformat())
    ap.add_argument("--engines", nargs="+", choices=["local", "dask"], default=None,
                    help="compare engines with 2 workers (e.g. --engines local dask) instead of 1 vs 2 workers")
    ap.add_argument("--worker", choices=sorted(RANGES), help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--solver", default="cbc", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        args.json.write_text(json.dumps(run_one(args.worker, args.workers, args.n_sites, args.solver, args.engine)))
        return 0
    if args.engines:
        return _compare_engines(args)
    rows: list[dict[str, Any]] = []
    agree: dict[tuple[str, str], bool] = {}
    for instance, solver in ((i, s) for i in args.instances for s in args.solvers):
        by_workers: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        for i in range(args.repeat):
            for workers in (1, 2):
                r = _spawn(instance, workers, args.n_sites, solver, args.timeout)
                by_workers[workers].append(r)
                print(f"{instance} {solver} workers={workers} run {i + 1}: cold {r['cold_s']:.2f} s, warm {r['warm_s']:.2f} s, "
                      f"load {r['load_1min']:.1f}", file=sys.stderr)
        one, two = _median(by_workers[1]), _median(by_workers[2])
        agree[(instance, solver)] = all(
            r["statuses"] == one["statuses"] and r["selected"] == one["selected"]
            and all(abs((a or 0) - (b or 0)) < 1e-6 for a, b in zip(r["objectives"], one["objectives"]))
            for r in by_workers[1] + by_workers[2])
        rows += [one, two]
    text = markdown(rows, _meta(args), agree)
    out = args.out or HERE / "results" / f"sweep_{args.date}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _agree(runs: list[dict[str, Any]]) -> bool:
    first = runs[0]
    return all(r["statuses"] == first["statuses"] and r["selected"] == first["selected"]
               and all(abs((a or 0) - (b or 0)) < 1e-6 for a, b in zip(r["objectives"], first["objectives"]))
               for r in runs)


def _compare_engines(args: argparse.Namespace) -> int:
    engines = list(dict.fromkeys(["local", *args.engines]))  # local is the base of the ratios
    rows: list[dict[str, Any]] = []
    agree: dict[tuple[str, str], bool] = {}
    for instance, solver in ((i, s) for i in args.instances for s in args.solvers):
        by_engine: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
        for i in range(args.repeat):
            for engine in engines:
                r = _spawn(instance, 2, args.n_sites, solver, args.timeout, engine)
                by_engine[engine].append(r)
                print(f"{instance} {solver} {engine} run {i + 1}: cold {r['cold_s']:.2f} s, warm {r['warm_s']:.2f} s, "
                      f"load {r['load_1min']:.1f}", file=sys.stderr)
        agree[(instance, solver)] = _agree([r for runs in by_engine.values() for r in runs])
        rows += [_median(by_engine[e]) for e in engines]
    text = markdown_engines(rows, _meta(args), agree)
    out = args.out or HERE / "results" / f"sweep_dask_{args.date}.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
