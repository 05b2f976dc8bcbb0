"""Benchmark of heat planning on the real ETLocal buurt table: load, build + solve + check, for CBC
and HiGHS in the same run, at growing numbers of districts.

Sizes: the 70 buurten of Hardenberg (GM0160), all 1,002 plannable buurten of Overijssel, and that
set repeated k times (ids suffixed ``-r<k>``) for larger synthetic instances. Heat only (no sites):
the default heat scenario (20 % less gas by 2030, aardgasvrij by 2050), default strategies.

    .venv/bin/python benchmarks/bench_heat.py --repeat 3 --copies 5 \
        --out benchmarks/results/heat_2026-11-23.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from energie.planner.plans import plan_with_heat
from models.heat import District
from sites.heat_inputs import load_heat_inputs

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
BUURTEN = REAL / "etlocal_buurten_overijssel_kwb2016vintage.csv"


def _copies(districts: list[District], k: int) -> list[District]:
    return [d.model_copy(update={"district_id": f"{d.district_id}-r{c}"}) for c in range(k) for d in districts]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--copies", type=int, default=5, help="largest instance = all buurten × this")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if not BUURTEN.is_file():
        raise SystemExit(f"real data not found at {BUURTEN}; this benchmark needs ../shared")
    t0 = time.perf_counter()
    hb = load_heat_inputs(BUURTEN, "GM0160", None, None, None)
    load_hb = time.perf_counter() - t0
    t0 = time.perf_counter()
    ov = load_heat_inputs(BUURTEN, None, None, None, None)
    load_ov = time.perf_counter() - t0
    cases = [("Hardenberg GM0160", hb.districts, load_hb), ("Overijssel", ov.districts, load_ov),
             (f"Overijssel × {args.copies}", _copies(ov.districts, args.copies), None)]
    rows = []
    for label, districts, load_s in cases:
        objectives = {}
        for solver in ("cbc", "highs"):
            times, solve_times = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                p = plan_with_heat([], districts, hb.scenario, solver=solver, time_limit_s=300)
                times.append(time.perf_counter() - t)
                solve_times.append(p.solve_time_s)
            objectives[solver] = p.objective_meur
            rows.append((label, len(districts), solver, load_s, statistics.median(solve_times),
                         statistics.median(times), p.status.value, p.gap, p.objective_meur))
        a, b = objectives["cbc"], objectives["highs"]
        rows.append((label, len(districts), "HiGHS/CBC objective", None, None, None, "",
                     None, (b or 0) / (a or 1)))
    lines = [f"# Heat planning benchmark ({time.strftime('%Y-%m-%d')})", "",
             f"Command: `python benchmarks/bench_heat.py --repeat {args.repeat} --copies {args.copies}`; "
             f"{platform.python_version()}, {os.cpu_count()} cores, load average "
             f"{os.getloadavg()[0]:.2f} at the end; median of {args.repeat}; time limit 300 s; gap 1e-4.",
             "plan s = build + solve (+ shortfall phases) + assembly + the independent heat checker.", "",
             "| instance | districts | solver | load s | solve s | plan s | status | gap | objective M€ |",
             "|---|---:|---|---:|---:|---:|---|---:|---:|"]
    for label, n, solver, load_s, solve_s, plan_s, status, gap, obj in rows:
        fmt = (lambda v, d=2: "" if v is None else f"{v:,.{d}f}")  # noqa: E731
        lines.append(f"| {label} | {n:,} | {solver} | {fmt(load_s)} | {fmt(solve_s)} | {fmt(plan_s)} | {status} "
                     f"| {'' if gap is None else f'{100 * gap:.4f} %'} | {fmt(obj, 4 if not status else 2)} |")
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
