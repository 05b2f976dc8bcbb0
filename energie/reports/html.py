"""The report as one self-contained HTML page, to share with people who have no energieplanner.

The page holds everything inline: styles, scripts (Leaflet 1.9.4, vendored in
``energie/reports/static``, and ``static/report.js``), the map layers as JSON and the static map as a
``data:`` URI, so it opens without internet. Its Content-Security-Policy allows only those inline scripts and styles
(by hash) and ``data:`` images, plus the tile server when ``tiles`` asks for a background map, so
the page cannot reach any other address even by mistake. The same document gives the same page,
byte for byte.

Contents: run facts, the plan (every block of the terminal report, in order), the static map,
the interactive map, the full site table (filter box), one section per what-if comparison.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from energie.reports.blocks import Section
from energie.reports.document import ReportDocument
from energie.reports.html_map import BUSY_SITES, left_off_map, legend, map_data, tile_hosts
from energie.reports.html_tables import Ids, block_html, esc, run_info_html, site_table

#: The layer-control icon as inline SVG (Leaflet's CSS asks for images/layers.png).
_LAYERS_ICON = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 26 26'><g fill='none' stroke='#333' "
                "stroke-width='1.6' stroke-linejoin='round'><path d='M13 4 23 9 13 14 3 9z' fill='#cfd8dc'/>"
                "<path d='M3 13l10 5 10-5'/><path d='M3 17l10 5 10-5'/></g></svg>")


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    """A file of ``energie/reports/static`` as text."""
    return (resources.files("energie.reports") / "static" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def leaflet_css() -> str:
    """Leaflet's CSS without references to its image files (none is shipped with the page)."""
    icon = 'url("data:image/svg+xml,' + quote(_LAYERS_ICON, safe="/:=' ") + '")'
    css = static_text("leaflet.css")
    for image in ("images/layers.png", "images/layers-2x.png"):
        css = css.replace(f"url({image})", icon)
    return css.replace("url(images/marker-icon.png)", "none")


@lru_cache(maxsize=None)
def leaflet_js() -> str:
    """Leaflet without its source-map comment (the map file is not shipped)."""
    return "\n".join(line for line in static_text("leaflet.js").splitlines()
                     if not line.startswith("//# sourceMappingURL="))


def json_script(element_id: str, data: Any) -> str:
    """``data`` as a JSON data block; ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc. so
    that no text (a site name such as ``</script>``) can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def _csp(scripts: list[str], styles: list[str], tiles: str | None) -> str:
    hosts = " ".join(tile_hosts(tiles))
    return "; ".join([
        "default-src 'none'", "script-src " + " ".join(_hash(s) for s in scripts),
        "style-src " + " ".join(_hash(s) for s in styles), f"img-src data: blob:{' ' + hosts if hosts else ''}",
        "base-uri 'none'", "form-action 'none'"])


def _inline(tag: str, source: str) -> str:
    if f"</{tag}" in source.lower():
        raise ValueError(f"an inline <{tag}> cannot contain '</{tag}'")
    return f"<{tag}>{source}</{tag}>"


class _Page:
    """Sections of the page and the table of contents that lists them."""

    def __init__(self) -> None:
        self.ids = Ids()
        self.parts: list[str] = []
        self.toc: list[tuple[str, str, list[tuple[str, str]]]] = []

    def section(self, key: str, title: str, body: str, children: list[tuple[str, str]] | None = None,
                element_id: str | None = None) -> None:
        sid = element_id or self.ids.make(key)
        self.toc.append((sid, title, children or []))
        self.parts.append(f'<section id="{sid}" aria-labelledby="{sid}-h">\n<h2 id="{sid}-h">{esc(title)}</h2>\n'
                          f"{body}\n</section>")

    def report_section(self, key: str, section: Section) -> None:
        """A section of the report: every block in order; titled blocks are listed in the contents."""
        sid = self.ids.make(key)
        body, children = [], []
        for block in section.blocks:
            bid = self.ids.make(sid, block.title or "text")
            body.append(block_html(block, bid))
            if block.title:
                children.append((bid, block.title))
        self.section(key, section.title, "\n".join(body), children, element_id=sid)

    def toc_html(self) -> str:
        items = []
        for sid, title, children in self.toc:
            sub = "".join(f'<li><a href="#{cid}">{esc(ct)}</a></li>' for cid, ct in children)
            items.append(f'<li><a href="#{sid}">{esc(title)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
        return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{"".join(items)}</ol></nav>'


def _swatch(shape: str, style: dict[str, Any]) -> str:
    """A legend symbol drawn like the map draws it (SVG presentation attributes, no style)."""
    stroke = esc(style.get("color", "#333"))
    fill = esc(style.get("fillColor", "none")) if style.get("fill", True) else "none"
    common = (f'stroke="{stroke}" stroke-width="{min(float(style.get("weight", 1)), 2)}" fill="{fill}" '
              f'fill-opacity="{style.get("fillOpacity", 0.2)}" stroke-opacity="{style.get("opacity", 1)}"')
    dash = f' stroke-dasharray="{esc(style["dashArray"])}"' if "dashArray" in style else ""
    if shape == "point":
        body = f'<circle cx="9" cy="7" r="5" {common}{dash}/>'
    elif shape == "line":
        body = f'<path d="M1 7h16" {common}{dash}/>'
    else:
        body = f'<rect x="1.5" y="1.5" width="15" height="11" {common}{dash}/>'
    return f'<svg class="swatch" width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">{body}</svg>'


def _legend_html(doc: ReportDocument) -> str:
    assert doc.layers is not None
    groups = []
    for heading, entries in legend(doc.layers):
        items = "".join(f'<li title="{esc(e["title"])}">' + "".join(_swatch(s, e["style"]) for s in e["shapes"])
                        + f" {esc(e['label'])}</li>" for e in entries)
        groups.append(f"<div><h3>{esc(heading)}</h3><ul>{items}</ul></div>")
    return f'<div class="legend" aria-label="Legend">{"".join(groups)}</div>'


def _map_section(doc: ReportDocument, tiles: str | None) -> tuple[str, str]:
    """The interactive map's HTML and its data block."""
    assert doc.layers is not None
    left_off = left_off_map(doc.layers.sites)
    n = len(doc.layers.sites) - left_off
    background = "no background map (the page works offline)" if tiles is None else "background map from the web"
    busy = (f" With more than {BUSY_SITES:,} sites, the excluded and not-chosen ones start switched off."
            if n > BUSY_SITES else "")
    if left_off:
        busy += (f" The {left_off:,} candidates the plan did not choose are left off this map to keep the page "
                 "small; they are in the site table, on the static map and in the --out GeoPackage.")
    body = (f'<p class="hint">{n:,} sites on the map; {background}. Hover for a name, click for figures; the '
            "layer control (top right) switches groups on and off; a site id in the site table zooms here."
            f"{busy}</p>\n"
            '<div id="leaflet-map" class="map" role="region" aria-label="Interactive map of the sites" '
            'tabindex="0"></div>\n<noscript><p class="note">The interactive map needs JavaScript.</p></noscript>\n'
            + _legend_html(doc))
    return body, json_script("map-data", map_data(doc.layers, tiles))


def render_html(doc: ReportDocument, *, tiles: str | None = None) -> str:
    """The whole report as one self-contained HTML page.

    Parameters
    ----------
    doc
        The document (``energie.reports.document.build_document``).
    tiles
        Background map of the interactive map: ``None`` (default: none, no request to any
        network address), ``"osm"`` (OpenStreetMap), ``"pdok"`` (Kadaster's BRT-Achtergrondkaart)
        or an ``https://`` URL template with ``{z}``, ``{x}`` and ``{y}``.

    Examples
    --------
    >>> page = render_html(doc)                       # doctest: +SKIP
    >>> Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP
    """
    page = _Page()
    page.section("run", "Run", run_info_html(doc.run_info))
    sections = list(doc.sections)
    if sections:
        page.report_section("plan", sections[0])
    if doc.map_png is not None:
        uri = "data:image/png;base64," + base64.b64encode(doc.map_png).decode("ascii")
        page.section("static-map", "Map", f'<figure class="static-map"><img src="{uri}" alt="Map of the plan: '
                     'chosen, locked-in, not chosen and excluded sites on the landscape types"></figure>')
    data = ""
    if doc.layers is not None and len(doc.layers.sites):
        body, data = _map_section(doc, tiles)
        page.section("map", "Interactive map", body, element_id="map")
    sites = site_table(doc.site_table, _mapped_ids(doc))
    page.section("sites", "All sites", sites.html, element_id="sites")
    for section in sections[1:]:
        page.report_section(section.title, section)
    styles = ([leaflet_css()] if data else []) + [static_text("report.css")] + ([sites.print_css] if sites.print_css else [])
    scripts = [leaflet_js(), static_text("report.js")] if data else [static_text("report.js")]
    head = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp(scripts, styles, tiles))}">',
        '<meta name="generator" content="energieplanner">', f"<title>{esc(doc.title)}</title>",
        '<link rel="icon" href="data:,">', *(_inline("style", s) for s in styles), "</head>"])
    body = "\n".join([
        "<body>", f'<header class="top"><h1>{esc(doc.title)}</h1>'
        '<p class="sub">energieplanner report: where solar fields, rooftop solar and wind turbines go</p></header>',
        page.toc_html(), "<main>", *page.parts, "</main>",
        '<footer><p>Made with energieplanner. Tables sort when you click a column header.'
        + (" The map uses Leaflet (BSD-2-Clause)." if data else "") + "</p></footer>",
        json_script("site-data", sites.data), data, *(_inline("script", s) for s in scripts), "</body>", "</html>", ""])
    return head + "\n" + body


def _mapped_ids(doc: ReportDocument) -> set[str]:
    if doc.layers is None:
        return set()
    return {str(v) for v in doc.layers.sites["site_id"]}
