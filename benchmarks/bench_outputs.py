"""Result-file benchmark: map PNG, HTML report, Excel and the ``--out`` GeoPackage (with ``--append``).

Usage (from the repository root)::

    python benchmarks/bench_outputs.py --instances hardenberg 16 4 1 --appends 3 \
        --out benchmarks/results/outputs_2026-11-23.md

Every instance (the Hardenberg example, RES West-Overijssel at each cell size in ha) runs in a fresh
Python process that plans once with HiGHS and then writes every result file the way ``energie plan
--sites … --scenario … --out plan.gpkg --map plan.png --html plan.html --xlsx plan.xlsx`` does: the
CLI's own ``cli.outputs.write_outputs``, with these functions timed inside it (seconds, and the peak
memory each adds over what the process held before it, ``VmHWM`` reset through ``/proc/self/clear_refs``):

* ``read_map_layer``   – the municipalities and exclusions layers of the sites GeoPackage
* ``input_hashes``     – SHA-256 of the input files (for the runs table)
* ``build_document``   – report sections, map layers, site table (``site_frame``, ``map_layers`` inside)
* ``render_plan_map``  – the PNG (``_figure`` = drawing, ``png_bytes`` = rasterising)
* ``render_html``      – the page (``map_data`` = GeoJSON of the map, ``site_table`` = the table's data)
* ``write_xlsx``       – the workbook (``workbook_for`` = cells, ``save_workbook`` = zip)
* ``write_plan_gpkg``  – a new ``--out`` file, then ``--appends`` more runs added with ``--append``
  (``_appendable`` = checking each layer's schema, ``_write_layer`` = writing a layer whole: every
  layer of a new file, only new or changed-schema layers on an append; the rest is the file copy and
  pyogrio appending the new rows)

The appended runs are the same plan under new run names: their layers have the rows a second plan
of the region has, which is what decides the cost of an append. Then the HTML page is opened in
Debian's chromium (``tests/browser.py``'s launcher): time to the load event, until the chosen sites'
paths are in the map and a frame is painted, switching on the "Candidate, not chosen" layer, sorting
the site table, the page's JS heap, the chromium processes' peak RSS, and any console errors.

The RES West-Overijssel instance (real maps, candidates, scenario) comes from ``bench_region.py``;
fresh processes, the source snapshot and the header facts from ``bench_plan.py`` and ``bench_runs.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_plan as bp  # sibling scripts: shared helpers
import bench_region as br
import bench_runs

REPO = bp.REPO
#: Timed functions whose peak memory is measured too (they never run inside one another).
TOP = [("sites.reader", "read_map_layer", "read_map_layer"), ("cli.outputs", "input_hashes", "input_hashes"),
       ("energie.reports.document", "build_document", "build_document"),
       ("energie.reports.plan_map", "render_plan_map", "render_plan_map"),
       ("energie.reports.html", "render_html", "render_html"),
       ("energie.reports.xlsx", "write_xlsx", "write_xlsx"),
       ("sites.plan_store", "write_plan_gpkg", "write_plan_gpkg")]
#: Timed parts inside those (time only).
INNER = [("energie.reports.document", "site_frame", "site_frame"),
         ("energie.reports.document", "map_layers", "map_layers"),
         ("energie.reports.plan_map", "_figure", "map_figure"),
         ("energie.reports.plan_map", "png_bytes", "png_bytes"),
         ("energie.reports.html", "map_data", "map_data"), ("energie.reports.html", "site_table", "site_table"),
         ("energie.reports.xlsx", "workbook_for", "workbook_for"),
         ("energie.reports.xlsx", "save_workbook", "save_workbook"),
         ("sites.plan_store", "_appendable", "gpkg_read_old"), ("sites.plan_store", "_write_layer", "gpkg_write")]


# --------------------------------------------------------------------------- subprocess: memory


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class _Probe:
    """Seconds and calls of wrapped functions by label; for ``memory=True`` also the peak RSS the call
    adds over the RSS before it [MB] (the high-water mark is reset before each such call)."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.extra_mb: dict[str, float] = {}
        self.peak_kb = 0  # the process's peak over the whole run, across resets
        self.last: dict[str, Any] = {}

    def reset_peak(self) -> int:
        self.peak_kb = max(self.peak_kb, _status_kb("VmHWM"))
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return _status_kb("VmRSS")

    def wrap(self, owner: Any, attr: str, label: str, memory: bool = False) -> None:
        original = getattr(owner, attr)
        probe = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            before = probe.reset_peak() if memory else 0
            t = time.perf_counter()
            try:
                out = original(*args, **kwargs)
                probe.last[label] = out
                return out
            finally:
                probe.s[label] = probe.s.get(label, 0.0) + time.perf_counter() - t
                probe.calls[label] = probe.calls.get(label, 0) + 1
                if memory:
                    extra = (_status_kb("VmHWM") - before) / 1024.0
                    probe.extra_mb[label] = max(probe.extra_mb.get(label, 0.0), extra)

        setattr(owner, attr, timed)

    def take(self) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
        out = (self.s, self.calls, self.extra_mb)
        self.s, self.calls, self.extra_mb = {}, {}, {}
        return out


class _TreePeak(bp._ChildPeak):
    """Peak RSS [MB] of this process's descendants whose name starts with ``prefix`` (chromium's
    processes under playwright's driver): the largest single process and the sum, polled."""

    def __init__(self, prefix: str = "chrom", interval_s: float = 0.1) -> None:
        super().__init__(interval_s)
        self.prefix = prefix
        self.one_mb = self.sum_mb = 0.0

    def _poll(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            rss = []
            for p in me.children(recursive=True):
                try:
                    if p.name().startswith(self.prefix):
                        rss.append(p.memory_info().rss / 2**20)
                except psutil.Error:
                    continue
            if rss:
                self.one_mb, self.sum_mb = max(self.one_mb, max(rss)), max(self.sum_mb, sum(rss))
            self._stop.wait(self.interval_s)


# --------------------------------------------------------------------------- subprocess: one instance


def _inputs(instance: str, data: Path, workdir: Path, r: dict[str, Any]) -> tuple[Any, Path | None]:
    """Planning inputs of the instance (``hardenberg`` or a cell size [ha]) and its sites file."""
    from cli.common import load
    from sites.writer import write_gpkg

    if instance == "hardenberg":
        t = time.perf_counter()
        inputs = load("hardenberg", None, None)
        r["prepare_s"] = time.perf_counter() - t
        return inputs, None
    t = time.perf_counter()
    towns, places, exclusions = br.read_maps(data)
    result = br.generate(towns, places, exclusions, float(instance))
    gpkg, toml = workdir / f"es05_{instance}ha.gpkg", workdir / f"es05_{instance}ha.toml"
    write_gpkg(gpkg, result.layers(), force=True)
    br.write_scenario(towns, data, toml)
    del result
    inputs = load(None, gpkg, toml)
    r["prepare_s"] = time.perf_counter() - t
    r["sites_gpkg_mb"] = gpkg.stat().st_size / 1e6
    return inputs, gpkg


def _json_mb(data: Any) -> float:
    """Size of ``data`` as the page embeds it (compact JSON, UTF-8) [MB]."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) / 1e6


def _gpkg_facts(path: Path) -> dict[str, int]:
    import pyogrio

    return {str(name): int(pyogrio.read_info(path, layer=str(name))["features"])
            for name, _ in pyogrio.list_layers(path)}


def run_one(instance: str, time_limit: float, appends: int, data: Path, workdir: Path,
            browser_timeout_s: float) -> dict[str, Any]:
    """Plan the instance once with HiGHS, write every result file, append runs, open the page."""
    import importlib

    from cli.outputs import OutputFiles, write_outputs
    from cli.planning import run_plan

    for module in {m for m, _, _ in TOP + INNER} | {"sites.candidates", "sites.geodata", "sites.boundaries", "sites.region_scenario"}:
        importlib.import_module(module)  # imports before the clocks start
    r: dict[str, Any] = {"instance": instance, "energie_from": str(Path(importlib.import_module("energie").__file__
                                                                         or "").parent.parent)}
    inputs, sites_path = _inputs(instance, data, workdir, r)
    r["n_sites"] = len(inputs.sites)
    t = time.perf_counter()
    planned = run_plan(inputs, sites_path, None, "highs", time_limit)
    r["plan_s"] = time.perf_counter() - t
    p = planned.result
    r.update({"status": p.status.value, "objective_meur": p.objective_meur, "gap": p.gap,
              "selected": len(p.selected), "locked_in": len(p.locked_in), "excluded": len(p.excluded)})
    r["peak_before_outputs_mb"] = _status_kb("VmHWM") / 1024.0

    probe = _Probe()
    for module, attr, label in TOP:
        probe.wrap(importlib.import_module(module), attr, label, memory=True)
    for module, attr, label in INNER:
        probe.wrap(importlib.import_module(module), attr, label)
    out = workdir / f"{instance}_plan.gpkg"
    files = OutputFiles(out=out, map_path=workdir / f"{instance}.png", html=workdir / f"{instance}.html",
                        xlsx=workdir / f"{instance}.xlsx", run_name="run 1", force=True)
    t = time.perf_counter()
    write_outputs(files, p, inputs, render=planned.render, to_json=planned.to_json, layers=planned.layers)
    r["write_outputs_s"] = time.perf_counter() - t
    r["s"], r["calls"], r["extra_mb"] = probe.take()
    doc = probe.last["build_document"]
    r["mapped_sites"] = 0 if doc.layers is None else len(doc.layers.sites)
    r["in_plan_as"] = {} if doc.layers is None else \
        {str(k): int(v) for k, v in doc.layers.sites["in_plan_as"].value_counts().items()}
    r["html_map_json_mb"] = _json_mb(probe.last["map_data"])
    r["html_map_layers_mb"] = {layer["label"]: _json_mb(layer) for layer in probe.last["map_data"]["layers"]}
    r["html_table_json_mb"] = _json_mb(probe.last["site_table"].data)
    r["mb"] = {key: path.stat().st_size / 1e6 for key, path in
               (("png", files.map_path), ("html", files.html), ("xlsx", files.xlsx), ("gpkg", out))
               if path is not None and path.exists()}
    r["gpkg_layers"] = _gpkg_facts(out)
    del doc
    probe.last.clear()

    r["appends"] = []
    for k in range(appends):
        more = OutputFiles(out=out, append=True, run_name=f"run {k + 2}")
        t = time.perf_counter()
        write_outputs(more, p, inputs, render=planned.render, to_json=planned.to_json, layers=planned.layers)
        total = time.perf_counter() - t
        s, _, extra = probe.take()
        r["appends"].append({"runs_after": k + 2, "write_outputs_s": total, "s": s, "extra_mb": extra,
                             "gpkg_mb": out.stat().st_size / 1e6, "rows": sum(_gpkg_facts(out).values())})
    r["peak_py_mb"] = max(probe.peak_kb, _status_kb("VmHWM")) / 1024.0
    if files.html is not None:
        r["browser"] = open_in_chromium(files.html, r["in_plan_as"], browser_timeout_s)
    return r


def _browser_module() -> Any:
    """``tests/browser.py`` by its path (a ``tests`` package elsewhere on sys.path cannot shadow it)."""
    spec = importlib.util.spec_from_file_location("energie_tests_browser", REPO / "tests" / "browser.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


def open_in_chromium(path: Path, in_plan_as: dict[str, int], timeout_s: float) -> dict[str, Any]:
    """Load the page and time what a reader waits for (seconds from the start of navigation)."""
    from playwright.sync_api import Error as PlaywrightError

    tb = _browser_module()
    out: dict[str, Any] = {}
    ms = timeout_s * 1000
    chrome = _TreePeak()
    with tb.browser() as b, chrome:
        context = b.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        context.set_default_timeout(ms)
        context.set_default_navigation_timeout(ms)
        page = context.new_page()
        log = tb.PageLog()
        page.on("request", lambda q: log.requests.append(q.url))
        page.on("console", lambda m: log.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: log.errors.append(str(e)))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        t0 = time.perf_counter()
        try:
            page.goto(path.resolve().as_uri(), wait_until="load")
            out["load_s"] = time.perf_counter() - t0
            out["load_event_end_ms"] = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            if in_plan_as.get("chosen"):
                page.wait_for_selector(".leaflet-sitesChosen-pane path", state="attached")
            page.evaluate(_PAINTED)
            out["sites_drawn_s"] = time.perf_counter() - t0
            out["paths_on_open"] = page.locator(".leaflet-map-pane path").count()
            out["js_heap_open_mb"] = _heap_mb(cdp)
            not_chosen = in_plan_as.get("not_chosen", 0)
            box = page.locator(".leaflet-control-layers label", has_text="Candidate, not chosen").locator("input")
            if not_chosen and box.count() and not box.is_checked():
                t = time.perf_counter()
                box.check()
                page.wait_for_function(f"document.querySelectorAll('.leaflet-sitesNotChosen-pane path').length "
                                       f">= {not_chosen}")
                page.evaluate(_PAINTED)
                out["not_chosen_on_s"] = time.perf_counter() - t
                out["js_heap_all_mb"] = _heap_mb(cdp)
            t = time.perf_counter()
            page.locator("#site-table th", has_text="MW").locator("button").click()
            page.locator("#site-table th[aria-sort='ascending']").wait_for()
            out["sort_s"] = time.perf_counter() - t
        except PlaywrightError as err:  # a timeout is a result here: report where it stopped
            out["error"] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]} after " \
                           f"{time.perf_counter() - t0:.0f} s"
        out["problems"] = log.problems()[:5]
        out["offline_requests"] = tb.offline_requests(log, path)[:5]
        context.close()
    out["chromium_peak_one_mb"], out["chromium_peak_sum_mb"] = chrome.one_mb, chrome.sum_mb
    return out


def _heap_mb(cdp: Any) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return float(metrics.get("JSHeapUsedSize", 0.0)) / 2**20


# --------------------------------------------------------------------------- parent: report


def _label(r: dict[str, Any]) -> str:
    return "Hardenberg (example)" if r["instance"] == "hardenberg" else f"ES05, {float(r['instance']):g} ha cells"


def _s(r: dict[str, Any], key: str) -> float:
    return float(r["s"].get(key, 0.0))


def _f(value: Any, digits: int = 2) -> str:
    return bp._fmt(None if value is None else float(value), digits)


def _append_s(r: dict[str, Any], i: int) -> float | None:
    return r["appends"][i]["s"].get("write_plan_gpkg") if len(r["appends"]) > i else None


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    ok = [r for r in results if "s" in r]
    lines = [
        f"# Result files benchmark {meta['date']}: map PNG, HTML, Excel, GeoPackage with runs",
        "", f"Command: `{meta['command']}`", "",
        (f"Machine: {meta['machine']}. Python {meta['python']}, highspy {meta['highspy']}, matplotlib "
         f"{meta['matplotlib']}, openpyxl {meta['openpyxl']}, pyogrio {meta['pyogrio']} (GDAL {meta['gdal']}), "
         f"playwright {meta['playwright']}, {meta['chromium']}. Commit {meta['commit']}"
         f"{' plus uncommitted changes in cli/, energie/, sites/ or models/' if meta['dirty'] else ''} (source "
         f"digest {meta['source_digest']}, copied before the first row); load average at the start "
         f"{meta['loadavg_start'][0]:.2f}, at the end {meta.get('loadavg_end', [float('nan')])[0]:.2f}. "
         "Each row in a fresh process, one at a time, one run each."),
        "",
        ("Each row plans once with HiGHS (strict zonneladder, the scenario of `energie region-scenario`; the "
         "example's own scenario for Hardenberg) and writes the files as `energie plan --out --map --html --xlsx` "
         "does (`cli.outputs.write_outputs`), then adds runs to the GeoPackage as `--append` does. Seconds are "
         "wall-clock per function; *MB* is the file size (memory: the peak RSS each function added to the process, "
         "its own table). The browser is Debian's chromium, headless, 1280 × 900, no background tiles."),
        *bp.notes_lines(meta),
        "", "## Instances", "",
        ("| instance | sites | on the map | chosen | locked in | not chosen | excluded | plan s | status "
         "| py MB after plan |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        if "s" not in r:
            lines.append(f"| {r['instance']} | {r.get('error', '?')} |" + " |" * 8)
            continue
        c = r["in_plan_as"]
        lines.append(f"| {_label(r)} | {r['n_sites']:,} | {r['mapped_sites']:,} | {c.get('chosen', 0):,} "
                     f"| {c.get('locked_in', 0):,} | {c.get('not_chosen', 0):,} | {c.get('excluded', 0):,} "
                     f"| {r['plan_s']:.2f} | {r['status']} | {r['peak_before_outputs_mb']:,.0f} |")
    lines += ["", "## Seconds and sizes", "",
              ("| instance | build_document s | map PNG s | PNG MB | render_html s | HTML MB | chromium load s "
               "| sites drawn s | write_xlsx s | XLSX MB | GPKG new s | GPKG MB | append s (2nd run) "
               "| append s (last) | all files s | peak MB |"),
              "|---|" + "---:|" * 15]
    for r in ok:
        b, mb = r.get("browser", {}), r["mb"]
        last = len(r["appends"]) - 1
        lines.append(
            f"| {_label(r)} | {_s(r, 'build_document'):.2f} | {_s(r, 'render_plan_map'):.2f} | {_f(mb.get('png'))} "
            f"| {_s(r, 'render_html'):.2f} | {_f(mb.get('html'), 1)} | {_f(b.get('load_s'))} "
            f"| {_f(b.get('sites_drawn_s'))} | {_s(r, 'write_xlsx'):.2f} | {_f(mb.get('xlsx'), 1)} "
            f"| {_s(r, 'write_plan_gpkg'):.2f} | {_f(mb.get('gpkg'), 1)} | {_f(_append_s(r, 0))} "
            f"| {_f(_append_s(r, last)) if last > 0 else '–'} | {r['write_outputs_s']:.2f} | {r['peak_py_mb']:,.0f} |")
    lines += ["", ("*all files s* = the whole `write_outputs` of the first write (document, PNG, HTML, Excel, new "
                   "GeoPackage); *peak MB* = the worker's peak RSS over the whole row, planning included (its "
                   "peak after planning: *py MB after plan* above).")]
    lines += _ratio_lines(ok) + _inner_lines(ok) + _memory_lines(ok) + _append_lines(ok) + _browser_lines(ok)
    return "\n".join(lines) + "\n"


def _ratio_lines(ok: list[dict[str, Any]]) -> list[str]:
    parts = ("build_document", "render_plan_map", "render_html", "write_xlsx", "write_plan_gpkg")
    lines = ["", "## Ratios", "", "Each output's seconds against the plan's (plan = 1) and its share of all files.", "",
             "| instance | plan s | " + " | ".join(parts) + " | shares of all files (same order) |",
             "|---|---:|" + "---:|" * len(parts) + "---|"]
    for r in ok:
        total = r["write_outputs_s"]
        lines.append(f"| {_label(r)} | {r['plan_s']:.2f} | "
                     + " | ".join(f"{_s(r, k) / r['plan_s']:.2f}" for k in parts)
                     + " | " + " / ".join(f"{100 * _s(r, k) / total:.0f} %" for k in parts) + " |")
    region = [r for r in ok if r["instance"] != "hardenberg"]
    if len(region) > 1:
        lines += ["", "Growth from one cell size to the next (each row against the row above it).", "",
                  ("| cells | sites × | build_document × | PNG × | HTML s × | HTML MB × | chromium load × "
                   "| XLSX × | GPKG new × | append × |"), "|---|" + "---:|" * 9]
        for prev, r in itertools.pairwise(region):
            def g(a: float | None, b: float | None) -> str:
                return "–" if not a or not b else f"{a / b:.1f}"
            pb, rb = prev.get("browser", {}), r.get("browser", {})
            lines.append(f"| {float(r['instance']):g} vs {float(prev['instance']):g} ha "
                         f"| {g(r['n_sites'], prev['n_sites'])} "
                         f"| {g(_s(r, 'build_document'), _s(prev, 'build_document'))} "
                         f"| {g(_s(r, 'render_plan_map'), _s(prev, 'render_plan_map'))} "
                         f"| {g(_s(r, 'render_html'), _s(prev, 'render_html'))} "
                         f"| {g(r['mb'].get('html'), prev['mb'].get('html'))} "
                         f"| {g(rb.get('load_s'), pb.get('load_s'))} | {g(_s(r, 'write_xlsx'), _s(prev, 'write_xlsx'))} "
                         f"| {g(_s(r, 'write_plan_gpkg'), _s(prev, 'write_plan_gpkg'))} "
                         f"| {g(_append_s(r, 0), _append_s(prev, 0))} |")
    return lines


def _inner_lines(ok: list[dict[str, Any]]) -> list[str]:
    cols = [("read_map_layer", "read maps"), ("input_hashes", "hashes"), ("site_frame", "site_frame"),
            ("map_layers", "map_layers"), ("map_figure", "PNG: draw"), ("png_bytes", "PNG: rasterise"),
            ("map_data", "HTML: map GeoJSON"), ("site_table", "HTML: table data"), ("workbook_for", "XLSX: cells"),
            ("save_workbook", "XLSX: zip"), ("gpkg_write", "GPKG: write layers")]
    lines = ["", "## Inside the outputs (seconds)", "",
             ("*site_frame* runs twice (once inside *map_layers*); *HTML map JSON MB* is the size of the map's "
              "data block."), "", "| instance | " + " | ".join(c[1] for c in cols) + " | HTML map JSON MB |",
             "|---|" + "---:|" * (len(cols) + 1)]
    for r in ok:
        lines.append(f"| {_label(r)} | " + " | ".join(f"{_s(r, k):.2f}" for k, _ in cols)
                     + f" | {r['html_map_json_mb']:.1f} |")
    lines += ["", "What the HTML holds [MB of JSON]: the site table's data and each map layer.", ""]
    lines += [f"- {_label(r)}: site table {r['html_table_json_mb']:.2f}; map "
              + ", ".join(f"{k} {v:.2f}" for k, v in r["html_map_layers_mb"].items()) for r in ok]
    return lines


def _memory_lines(ok: list[dict[str, Any]]) -> list[str]:
    keys = [k for _, _, k in TOP]
    lines = ["", "## Memory each output adds (MB over the RSS before it)", "",
             "| instance | " + " | ".join(keys) + " | append (last) |", "|---|" + "---:|" * (len(keys) + 1)]
    for r in ok:
        app = r["appends"][-1]["extra_mb"].get("write_plan_gpkg") if r["appends"] else None
        lines.append(f"| {_label(r)} | " + " | ".join(_f(r["extra_mb"].get(k), 0) for k in keys) + f" | {_f(app, 0)} |")
    return lines


def _append_lines(ok: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## GeoPackage: new file and `--append`", "",
             ("An append copies the file, checks each layer's schema and adds only the new rows "
              "(`sites.plan_store.write_plan_gpkg`); a layer whose columns change is written again whole."), "",
             "| instance | runs after | write_plan_gpkg s | schema checks s | write layers whole s | file MB | rows in file |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in ok:
        rows = sum(r["gpkg_layers"].values())
        lines.append(f"| {_label(r)} | 1 | {_s(r, 'write_plan_gpkg'):.2f} | – | {_s(r, 'gpkg_write'):.2f} "
                     f"| {r['mb']['gpkg']:.1f} | {rows:,} |")
        for a in r["appends"]:
            s = a["s"]
            lines.append(f"| | {a['runs_after']} | {s.get('write_plan_gpkg', 0):.2f} | {s.get('gpkg_read_old', 0):.2f} "
                         f"| {s.get('gpkg_write', 0):.2f} | {a['gpkg_mb']:.1f} | {a['rows']:,} |")
    lines += ["", "Rows per layer for one run: " + "; ".join(
        f"{_label(r)}: " + ", ".join(f"{k} {v:,}" for k, v in r["gpkg_layers"].items()) for r in ok) + "."]
    return lines


def _browser_lines(ok: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## The HTML page in chromium", "",
             ("Seconds from the start of navigation: *load* = the load event (the map script runs before it), "
              "*sites drawn* = the chosen sites' paths in the map and two frames painted; then, each on its own: "
              "switching on the \"Candidate, not chosen\" layer (off on opening above 2,000 sites) until all its "
              "paths are in the map and painted, and sorting the site table by MW. *JS heap* after opening / with "
              "every layer on; *chromium MB* the largest chromium process's peak RSS and the sum over its processes."),
             "", ("| instance | HTML MB | load s | loadEventEnd ms | sites drawn s | paths on opening | not chosen on s "
                  "| sort s | JS heap MB | chromium MB | problems |"), "|---|" + "---:|" * 9 + "---|"]
    for r in ok:
        b = r.get("browser", {})
        heap = f"{_f(b.get('js_heap_open_mb'), 0)} / {_f(b.get('js_heap_all_mb'), 0)}"
        probs = "; ".join(b.get("problems", []) + b.get("offline_requests", []) + ([b["error"]] if "error" in b else []))
        lines.append(f"| {_label(r)} | {r['mb'].get('html', 0):.1f} | {_f(b.get('load_s'))} "
                     f"| {_f(b.get('load_event_end_ms'), 0)} | {_f(b.get('sites_drawn_s'))} "
                     f"| {bp._fmt(b.get('paths_on_open'))} | {_f(b.get('not_chosen_on_s'))} | {_f(b.get('sort_s'))} "
                     f"| {heap} | {_f(b.get('chromium_peak_one_mb'), 0)} / {_f(b.get('chromium_peak_sum_mb'), 0)} "
                     f"| {probs or 'none'} |")
    return lines


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    import subprocess
    from importlib import metadata

    import pyogrio

    meta = bp.machine_meta("bench_outputs.py", args.date)
    chromium = subprocess.run([os.environ.get("ENERGIE_CHROMIUM", "/usr/bin/chromium"), "--version"],
                              capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "cli", "energie", "sites", "models"], cwd=REPO,
                           capture_output=True, text=True, check=False).stdout.strip()
    meta.update({"time_limit": args.time_limit, "appends": args.appends, "dirty": bool(dirty),
                 "chromium": re.sub(r"\s+built on.*", "", chromium) or "chromium ?",
                 **{k: metadata.version(k) for k in ("matplotlib", "openpyxl", "pyogrio", "playwright")},
                 "gdal": pyogrio.__gdal_version_string__})
    return meta


# --------------------------------------------------------------------------- parent: orchestration


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", nargs="+", default=["hardenberg", "16", "4", "1"],
                    help="'hardenberg' and/or RES West-Overijssel cell sizes [ha]")
    ap.add_argument("--time-limit", type=float, default=300.0, help="per plan [s]")
    ap.add_argument("--appends", type=int, default=3, help="runs added with --append after the new file")
    ap.add_argument("--browser-timeout", type=float, default=300.0, help="per browser step [s]")
    ap.add_argument("--data", type=Path, default=br.DATA, help="folder with the real data (../shared/data/real)")
    ap.add_argument("--out", type=Path, default=None, help="Markdown results (default results/outputs_<date>.md)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temp dir)")
    ap.add_argument("--date", default=dt.date.today().isoformat())
    ap.add_argument("--render", type=Path, default=None, help="only rewrite --out from an earlier run's JSON")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--instance", help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        result = run_one(args.instance, args.time_limit, args.appends, args.data, args.workdir, args.browser_timeout)
        args.json.write_text(json.dumps(result, indent=2, default=str))
        return 0
    if args.render:
        return bench_runs.render_saved(args.render, args.out, markdown)
    if any(i != "hardenberg" for i in args.instances) and br.missing_files(args.data):
        raise SystemExit(f"real data not found in {args.data} (bench_region.py's ../shared/data/real)")
    out = args.out or HERE / "results" / f"outputs_{args.date}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp, workdir = bench_runs.working_folder(args.workdir, "bench-outputs-")
    src = bp._snapshot(workdir, REPO)
    shutil.copytree(REPO / "cli", src / "cli", ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    bench_runs.use_snapshot(src)
    meta = _meta(args)
    bench_runs.check_snapshot(src, meta["source_digest"])
    raw = out.with_suffix(".json")
    results: list[dict[str, Any]] = []
    try:
        for instance in args.instances:
            js = workdir / f"run_{instance}.json"
            code, _, err = bp._spawn(["--worker", "--instance", instance, "--json", str(js), "--workdir", str(workdir),
                                      "--time-limit", str(args.time_limit), "--appends", str(args.appends),
                                      "--browser-timeout", str(args.browser_timeout), "--data", str(args.data)],
                                     args.time_limit + 8 * args.browser_timeout + 1800, script=Path(__file__))
            if code != 0 or not js.exists():
                last = err.strip().splitlines()[-1] if err.strip() else ""
                results.append({"instance": instance, "error": f"exit {code}: {last}"[:200]})
                print(f"{instance}: FAILED (exit {code})\n{err}", flush=True)
            else:
                results.append(json.loads(js.read_text()))
                r = results[-1]
                print(f"{instance}: {r['n_sites']:,} sites, plan {r['plan_s']:.1f} s, files {r['write_outputs_s']:.1f} s, "
                      + ", ".join(f"{k} {v:.2f} s" for k, v in r["s"].items()), flush=True)
            raw.write_text(json.dumps({"meta": meta, "results": results}, indent=2, default=str))
            out.write_text(markdown(results, meta))
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
