"""The shareable HTML report (energie.reports.html): a self-contained page with the terminal
report's figures, an interactive map, sortable tables and a section per what-if.

Plain tests read the HTML; the browser tests open it in Debian's chromium (tests/browser.py):
no console errors, no request to any address, the sites on the map, sorting, a screenshot.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest

from energie.planner.plans import plan_inputs
from energie.reports.blocks import Section, TableBlock, TextBlock, tables
from energie.reports.compare import render_comparison
from energie.reports.document import ReportDocument, build_document, map_layers, site_frame
from energie.reports.html import render_html
from energie.reports.html_tables import SITE_PAGE_ROWS
from energie.reports.terminal import render_plan
from energie.scenarios.whatif import WhatIf, run_whatif
from models import InputError
from sites.inputs import example_inputs
from tests.browser import browser, is_blank_png, keep_artifact, offline_requests, open_page

HOSTILE = "<script>alert(1)</script>"
HOSTILE_TITLE = 'Hardenberg </title><script>alert("t")</script> & co'
SITE_PANES = ["sitesChosen", "sitesLocked", "sitesNotChosen", "sitesExcluded"]
PANE_OF = {"chosen": "sitesChosen", "locked_in": "sitesLocked", "not_chosen": "sitesNotChosen",
           "excluded": "sitesExcluded"}


def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2), dpi=60)
    ax.plot([0, 1, 2], [0, 1, 0], color="tab:orange")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc() -> ReportDocument:
    """Hardenberg's plan and one what-if; a locked-in turbine (on the map and in the report's
    locked-in table) is named like a script, and so are the title and a run fact."""
    inputs = example_inputs("hardenberg")
    inputs = dataclasses.replace(inputs, sites=[s.model_copy(update={"name": HOSTILE}) if s.site_id == "WT-VW-01"
                                                else s for s in inputs.sites])
    plan = plan_inputs(inputs)
    variant = run_whatif(inputs.sites, inputs.scenario, WhatIf(target_scale=1.2))
    landscape = inputs.landscape
    assert landscape is not None
    exclusions = gpd.GeoDataFrame({"source": ["Natura 2000", HOSTILE]},
                                  geometry=list(landscape.geometry.iloc[:2].buffer(-200)), crs=landscape.crs)
    boundaries = gpd.GeoDataFrame({"gemeente": ["GM0160"], "name": ["Hardenberg"]},
                                  geometry=[landscape.union_all()], crs=landscape.crs)
    document = build_document(
        plan, inputs.sites, title=HOSTILE_TITLE, report=render_plan(plan), landscape=landscape,
        exclusions=exclusions, boundaries=boundaries,
        comparisons=[("What if: target × 1.2", render_comparison(variant, "target × 1.2"))],
        run_info={"scenario": "hardenberg-2030", "solver": plan.solver_version, "note": HOSTILE})
    document.map_png = _png()
    return document


@pytest.fixture(scope="module")
def page_html(doc: ReportDocument) -> str:
    return render_html(doc)


class _Tables(HTMLParser):
    """Tables of a page: id, aria-labelledby, header texts, rows of (text, data-v); element texts by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self.by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self._cell: list[str] | None = None
        self._cell_v: str | None = None
        self._texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self._texts[a["id"] or ""] = []
        self._open.append((tag, a.get("id")))
        if tag == "table":
            self.tables.append({"id": a.get("id"), "labelledby": a.get("aria-labelledby"),
                                "class": a.get("class") or "", "head": [], "rows": []})
        elif tag == "tr" and self.tables:
            self._row: list[tuple[str, str | None]] = []
        elif tag in ("td", "th"):
            self._cell, self._cell_v = [], a.get("data-v")

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            t, element_id = self._open.pop()
            if element_id:
                self.by_id[element_id] = "".join(self._texts.pop(element_id, []))
            if t == tag:
                break
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(("".join(self._cell), self._cell_v))
            self._cell = None
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if any(t == "thead" for t, _ in self._open):
                table["head"] = [text for text, _ in self._row]
            else:
                table["rows"].append(self._row)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for element_id in self._texts:
            self._texts[element_id].append(data)


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def _json_block(html: str, element_id: str) -> Any:
    m = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert m, element_id
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- plain tests


def test_every_report_table_and_figure_appears_in_order(doc: ReportDocument, page_html: str) -> None:
    parsed = _parse(page_html)
    report_tables = [t for t in parsed.tables if "sortable" in t["class"] and t["id"] != "site-table"]
    expected = tables(doc.sections)
    assert len(report_tables) == len(expected) >= 10
    for got, (_, block) in zip(report_tables, expected):
        assert parsed.by_id[got["labelledby"]] == block.title
        assert [h.strip() for h in got["head"]] == [c or f"column {i + 1}" for i, c in enumerate(block.columns)]
        assert [[text for text, _ in row] for row in got["rows"]] == [[c.text for c in row] for row in block.rows]
        for row_got, row in zip(got["rows"], block.rows):
            for (_, v), cell, numeric in zip(row_got, row, block.numeric):
                assert (float(v) if v is not None else None) == (cell.number if numeric else None)
        if block.caption:
            assert f'<p class="caption">{_esc(block.caption)}</p>' in page_html


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_every_text_block_appears_with_its_emphasis(doc: ReportDocument, page_html: str) -> None:
    texts = [b for s in doc.sections for b in s.blocks if isinstance(b, TextBlock)]
    assert any(b.title for b in texts)
    for b in texts:
        if b.title:
            assert f">{_esc(b.title)}</h3>" in page_html
            assert _esc(b.text) in page_html
        elif b.emphasis:
            assert f'<div class="note" role="note">{_esc(b.text)}</div>' in page_html
        else:
            assert f'<div class="text">{_esc(b.text)}</div>' in page_html


def test_sections_in_order_with_contents(doc: ReportDocument, page_html: str) -> None:
    ids = re.findall(r'<section id="([^"]+)"', page_html)
    assert ids == ["run", "plan", "static-map", "map", "sites", "what-if-target-1-2"]
    toc = page_html[page_html.index('<nav class="toc"'):page_html.index("</nav>")]
    for section_id in ids:
        assert f'href="#{section_id}"' in toc
    heading = re.search(r'<section id="what-if-target-1-2"[^>]*>\s*<h2[^>]*>([^<]*)</h2>', page_html)
    assert heading and heading.group(1) == "What if: target × 1.2"
    whatif = page_html[page_html.index('<section id="what-if-target-1-2"'):]
    for _, block in tables(doc.sections[1:]):
        assert f">{_esc(block.title)}</h3>" in whatif


def test_run_facts_and_static_map(doc: ReportDocument, page_html: str) -> None:
    assert '<th scope="row">scenario</th><td>hardenberg-2030</td>' in page_html
    assert doc.map_png is not None
    import base64

    assert f'src="data:image/png;base64,{base64.b64encode(doc.map_png).decode()}"' in page_html


def test_user_text_is_escaped(page_html: str) -> None:
    assert HOSTILE not in page_html
    assert "<script>alert" not in page_html
    assert _esc(HOSTILE) in page_html  # locked-in table, site table and run facts show it as text
    assert f"<title>{_esc(HOSTILE_TITLE)}</title>" in page_html
    # JSON data blocks: '<' is \u003c, so no text can close the element
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page_html, re.S):
        assert "<" not in block and ">" not in block
    assert HOSTILE in json.dumps(_json_block(page_html, "map-data"), ensure_ascii=False)
    assert HOSTILE in json.dumps(_json_block(page_html, "site-data"), ensure_ascii=False)


def test_page_is_self_contained(page_html: str) -> None:
    assert not re.search(r"<(script|img|link|iframe|source|video|audio|embed|object)\b[^>]*\s(src|href)=\"(?!data:)",
                         page_html), "only data: URIs may be loaded"
    assert "@import" not in page_html
    urls = set(re.findall(r"url\(([^)]*)\)", page_html))
    assert all(u.startswith(('"data:', "data:", "#default#VML")) for u in urls), urls
    assert "sourceMappingURL" not in page_html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_html)
    assert csp and "default-src &#x27;none&#x27;" in csp.group(1) and "https:" not in csp.group(1)
    assert "tile.openstreetmap.org" not in page_html and _json_block(page_html, "map-data")["tiles"] is None


def test_same_document_same_page(doc: ReportDocument, page_html: str) -> None:
    assert render_html(doc) == page_html
    copy = dataclasses.replace(doc, sections=list(doc.sections), site_table=doc.site_table.copy())
    assert render_html(copy) == page_html


@pytest.mark.parametrize(("tiles", "host"), [("osm", "https://tile.openstreetmap.org"),
                                             ("pdok", "https://service.pdok.nl"),
                                             ("https://tiles.example.nl/{z}/{x}/{y}.png", "https://tiles.example.nl")])
def test_tiles_option_adds_a_background_with_attribution(doc: ReportDocument, tiles: str, host: str) -> None:
    page = render_html(doc, tiles=tiles)
    layer = _json_block(page, "map-data")["tiles"]
    assert layer["url"].startswith(host + "/") and layer["attribution"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and f"img-src data: blob: {host};" in csp.group(1)


def test_unknown_tiles_are_refused(doc: ReportDocument) -> None:
    with pytest.raises(InputError, match="unknown tiles"):
        render_html(doc, tiles="google")
    with pytest.raises(InputError):
        render_html(doc, tiles="http://tiles.example.nl/{z}/{x}/{y}.png")  # not https


def test_map_layers_hold_every_mapped_site_in_wgs84(doc: ReportDocument, page_html: str) -> None:
    data = _json_block(page_html, "map-data")
    assert doc.layers is not None
    site_layers = [layer for layer in data["layers"] if layer.get("sites")]
    features = [f for layer in site_layers for f in layer["data"]["features"]]
    assert sorted(f["properties"]["id"] for f in features) == sorted(doc.layers.sites["site_id"])
    for layer in site_layers:
        assert {f["properties"]["p"] for f in layer["data"]["features"]} == {
            k for k, v in PANE_OF.items() if v == layer["pane"]}
    coords = np.array(re.findall(r"-?\d+\.\d+", json.dumps([f["geometry"] for f in features])), dtype=float)
    lon, lat = coords[0::2], coords[1::2]
    assert ((lon > 3) & (lon < 8)).all() and ((lat > 50) & (lat < 54)).all()
    assert all(len(c.split(".")[1]) <= 6 for c in re.findall(r"\d+\.\d+", json.dumps(features[0]["geometry"])))
    (south, west), (north, east) = data["bounds"]
    assert west <= lon.min() and lon.max() <= east and south <= lat.min() and lat.max() <= north
    turbine = next(f for f in features if f["properties"]["id"] == "WT-VW-01")
    assert turbine["geometry"]["type"] == "Point" and turbine["properties"]["k"] == "wind_turbine"
    assert {layer["id"] for layer in data["layers"]} >= {"landscape", "sitesChosen-solar_field",
                                                         "sitesChosen-wind_turbine"}


def test_site_table_holds_every_site(doc: ReportDocument, page_html: str) -> None:
    data = _json_block(page_html, "site-data")
    assert len(data["rows"]) == len(doc.site_table) == 76
    assert data["plan"] == list(doc.site_table["in_plan_as"])
    site_table = next(t for t in _parse(page_html).tables if t["id"] == "site-table")
    assert len(site_table["rows"]) == min(len(doc.site_table), SITE_PAGE_ROWS)
    row = site_table["rows"][doc.site_table.index[doc.site_table["site_id"] == "ZV-05"][0]]
    assert [text for text, _ in row][:4] == ["ZV-05", "Zonneveld Balkbrug-West", "solar_field", "chosen"]
    head = [h.strip() for h in site_table["head"]]
    area = row[head.index("ha")]
    assert area[0] == "12.0"
    assert float(area[1] or "nan") == pytest.approx(doc.site_table.set_index("site_id").loc["ZV-05", "area_ha"])
    assert "gemeente" not in head  # empty in every row: left out


def test_page_without_map_or_comparisons(doc: ReportDocument) -> None:
    bare = dataclasses.replace(doc, layers=None, map_png=None, sections=doc.sections[:1], run_info={})
    page = render_html(bare)
    assert re.findall(r'<section id="([^"]+)"', page) == ["run", "plan", "sites"]
    assert "Vladimir Agafonkin" not in page and 'id="map-data"' not in page  # no Leaflet, no map data
    assert "No facts about the run were recorded." in page


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def chromium() -> Any:
    with browser() as b:
        yield b


def _site_pane_counts(page: Any) -> dict[str, int]:
    return {pane: page.locator(f".leaflet-{pane}-pane path").count() for pane in SITE_PANES}


def _column(page: Any, table: str, col: int) -> list[str]:
    return page.locator(f"{table} tbody tr td:nth-child({col})").all_text_contents()


def _site_column(page: Any, label: str) -> int:
    """1-based position of a site-table column."""
    heads = [h.strip() for h in page.locator("#site-table thead th").all_text_contents()]
    return heads.index(label) + 1


def _screenshot(page: Any, path: Path) -> bytes:
    page.screenshot(path=str(path), full_page=True)
    keep_artifact(path)
    data = path.read_bytes()
    assert not is_blank_png(data), path
    return data


def test_page_in_a_real_browser(chromium: Any, doc: ReportDocument, page_html: str, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    page, log = open_page(chromium, path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_selector(".leaflet-sitesChosen-pane path")

    # the map shows every mapped site, each group in its own pane
    assert doc.layers is not None
    expected = doc.layers.sites["in_plan_as"].map(PANE_OF).value_counts().to_dict()
    assert _site_pane_counts(page) == {pane: expected.get(pane, 0) for pane in SITE_PANES}
    assert sum(_site_pane_counts(page).values()) == len(doc.layers.sites)
    assert doc.layers.landscape is not None and doc.layers.exclusions is not None
    assert page.locator(".leaflet-landscape-pane path").count() == len(doc.layers.landscape)
    assert page.locator(".leaflet-exclusions-pane path").count() == len(doc.layers.exclusions)
    assert page.locator(".leaflet-boundaries-pane path").count() == 1
    _screenshot(page, tmp_path / "report-hardenberg.png")  # as opened
    page.locator(".leaflet-sitesChosen-pane path").last.hover(force=True)  # a name on hover
    page.locator(".leaflet-tooltip").wait_for()
    assert page.locator(".leaflet-tooltip").inner_text() in set(doc.layers.sites["site_id"] + " " + doc.layers.sites["name"])
    # the layer control switches a group off and on
    control = page.locator(".leaflet-control-layers label", has_text="Excluded by a rule")
    control.locator("input").uncheck()
    assert page.locator(".leaflet-sitesExcluded-pane path").count() == 0
    control.locator("input").check()
    assert page.locator(".leaflet-sitesExcluded-pane path").count() == expected["sitesExcluded"]

    # a numeric column sorts by its numbers; a second click reverses; keyboard works too
    table = "table[aria-labelledby='plan-chosen-sites-names-in-json-out']"
    mw = page.locator(f"{table} th", has_text="MW")
    mw.locator("button").click()
    values = [float(v.replace(",", "")) for v in _column(page, table, 5)]
    assert values == sorted(values) and len(set(values)) > 2
    assert mw.get_attribute("aria-sort") == "ascending"
    mw.locator("button").focus()
    page.keyboard.press("Enter")
    assert [float(v.replace(",", "")) for v in _column(page, table, 5)] == sorted(values, reverse=True)
    assert mw.get_attribute("aria-sort") == "descending"

    # the site table: empty cells last either way; the filter; a link to the map
    gwh = page.locator("#site-table th", has_text="GWh").first
    for _ in range(2):
        gwh.locator("button").click()
        cells = _column(page, "#site-table", _site_column(page, "GWh"))
        filled = [c for c in cells if c]
        assert cells[:len(filled)] == filled and len(filled) < len(cells)
    page.fill("#site-filter", "ZV-0")
    page.locator("#site-count", has_text="of 76").wait_for()
    assert all(c.startswith("ZV-0") for c in _column(page, "#site-table", 1))
    page.select_option("#site-plan", "excluded")
    page.fill("#site-filter", "")
    excluded = int((doc.site_table["in_plan_as"] == "excluded").sum())
    page.locator("#site-count", has_text=f"{excluded} (of 76) sites").wait_for()
    page.select_option("#site-plan", "")
    page.fill("#site-filter", "WT-VW-01")
    page.locator("#site-count", has_text="1 (of 76) sites").wait_for()
    assert page.locator("#site-table tbody td", has_text=HOSTILE).count() == 1  # a name, shown as text
    page.locator("#site-table a.to-map", has_text="WT-VW-01").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "WT-VW-01" in popup.inner_text() and HOSTILE in popup.inner_text()
    assert "wind turbine" in popup.inner_text()
    page.fill("#site-filter", "ZV-10")
    page.locator("#site-count", has_text="1 (of 76) sites").wait_for()
    page.locator("#site-table a.to-map", has_text="ZV-10").click()
    popup = page.locator(".leaflet-popup-content", has_text="ZV-10")  # the last one fades out
    popup.wait_for()
    assert "excluded because" in popup.inner_text()

    assert log.problems() == []
    assert dialogs == []
    assert offline_requests(log, path) == [], "the page asked the network for something"
    page.context.close()


def test_print_and_narrow_screen_layouts(chromium: Any, page_html: str, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    page, log = open_page(chromium, path, width=390, height=844)
    page.wait_for_selector(".leaflet-sitesChosen-pane path")
    # nothing but the tables (which scroll in their own box) is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _screenshot(page, tmp_path / "report-narrow.png")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert page.locator(".toc").is_hidden() and page.locator("#site-filter").is_hidden()
    _screenshot(page, tmp_path / "report-print.png")
    assert log.problems() == [] and offline_requests(log, path) == []
    page.context.close()


def _region_document(n: int) -> ReportDocument:
    """A region-sized document without solving: synthetic sites with a mix of outcomes."""
    from sites.inputs import enrich_sites
    from sites.synthetic import synthetic_landscape, synthetic_sites

    landscape = synthetic_landscape()
    sites = enrich_sites(synthetic_sites(n, seed=3), landscape, "synthetic")
    frame = site_frame(_NoPlan(), sites)  # type: ignore[arg-type]
    outcome = np.array(["chosen", "locked_in", "not_chosen", "excluded"])[np.arange(n) % 4]
    frame["in_plan_as"] = outcome
    frame["yield_gwh"] = frame["capacity_mw"] * 1.1
    layers = map_layers(_NoPlan(), sites, landscape)  # type: ignore[arg-type]
    layers.sites["in_plan_as"] = outcome[layers.sites.index]
    section = Section("Plan", [TextBlock("synthetic", "energieplanner: allocation plan"),
                               TableBlock("Empty", ["a"], [False], [])])
    return ReportDocument(f"Synthetic region, {n:,} sites", [section], layers, frame, {"sites": f"{n:,}"})


class _NoPlan:
    sites: list[Any] = []
    excluded: list[Any] = []


@pytest.mark.slow
def test_region_sized_page_stays_usable(chromium: Any, tmp_path: Path) -> None:
    doc = _region_document(10_000)
    t0 = time.perf_counter()
    html = render_html(doc)
    render_s = time.perf_counter() - t0
    size_mb = len(html.encode("utf-8")) / 1e6
    assert size_mb < 8, f"{size_mb:.1f} MB"
    path = tmp_path / "region.html"
    path.write_text(html, encoding="utf-8")
    t0 = time.perf_counter()
    page, log = open_page(chromium, path)
    page.wait_for_selector(".leaflet-sitesChosen-pane path")
    load_s = time.perf_counter() - t0
    nav = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    # the chosen and locked-in groups start on, the 5,000 others off (BUSY_SITES)
    counts = _site_pane_counts(page)
    assert counts["sitesChosen"] + counts["sitesLocked"] == 5_000 and counts["sitesExcluded"] == 0
    t0 = time.perf_counter()
    page.locator("#site-table th", has_text="MW").locator("button").click()
    page.locator("#site-table th[aria-sort='ascending']").wait_for()
    sort_s = time.perf_counter() - t0
    assert page.locator("#site-table tbody tr").count() == SITE_PAGE_ROWS
    assert log.problems() == [] and offline_requests(log, path) == []
    _screenshot(page, tmp_path / "report-region.png")
    print(f"\n10,000 sites: {size_mb:.1f} MB, render {render_s:.2f} s, load {load_s:.2f} s "
          f"(loadEventEnd {nav:.0f} ms), sort {sort_s:.2f} s")
    assert load_s < 30 and sort_s < 10  # generous: the machine is shared
    page.context.close()


def test_many_candidates_not_chosen_are_left_off_the_interactive_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above MAX_NOT_CHOSEN_ON_MAP the not-chosen group is not embedded (the page stays small) and
    the page says where those candidates are; every other group is still there."""
    import energie.reports.html_map as html_map

    doc = _region_document(2_000)  # 500 of each outcome
    monkeypatch.setattr(html_map, "MAX_NOT_CHOSEN_ON_MAP", 499)
    page = render_html(doc)
    data = _json_block(page, "map-data")
    panes = {layer["pane"] for layer in data["layers"] if layer.get("sites")}
    assert "sitesNotChosen" not in panes and {"sitesChosen", "sitesLocked", "sitesExcluded"} <= panes
    assert "The 500 candidates the plan did not choose are left off this map" in page
    assert "1,500 sites on the map" in page
    monkeypatch.setattr(html_map, "MAX_NOT_CHOSEN_ON_MAP", 500)
    kept = render_html(doc)
    assert "sitesNotChosen" in {layer["pane"] for layer in _json_block(kept, "map-data")["layers"]}
    assert len(kept) > len(page)
