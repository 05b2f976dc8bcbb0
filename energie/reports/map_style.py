"""What every static map of ours shares: the figure, RD New axes, scale bar, north arrow, the PNG,
and drawing a style (``Style``) fast: all polygons of one style as one path, all points as one scatter,
and a legend sample with the very same properties.

The heat map (``energie.reports.heat_map``) and the plan map (``energie.reports.plan_map``) draw on a
matplotlib ``Figure`` with its own Agg canvas (no pyplot: no global backend state, no GUI) and save it
without a software version or time stamp, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.path import Path as MplPath

#: RD New, the Dutch national grid [m].
CRS_RD_NEW = "EPSG:28992"
#: (xmin, ymin, xmax, ymax) [m] in RD New.
Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class Style:
    """How one category of a map is drawn: a polygon (``marker`` empty) or a point marker of ``size``
    [pt²]; ``linewidth`` and ``hatch_linewidth`` in [pt]; colours as matplotlib colours or "none"."""

    face: str
    edge: str
    hatch: str = ""
    hatch_colour: str = "black"
    marker: str = ""
    size: float = 0.0
    linewidth: float = 0.6
    hatch_linewidth: float = 0.8


def new_figure(width_in: float, height_in: float, dpi: float = 100.0, *, constrained: bool = True) -> Figure:
    """A figure [in] with an Agg canvas; ``constrained`` layout makes room for titles and legends,
    without it the caller places the axes itself."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained" if constrained else None)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, *, dpi: float | None = None, tight: bool = False) -> bytes:
    """The figure as PNG without a "Software" entry, so equal figures give equal bytes.

    ``tight`` crops the canvas to its content (the size then depends on the content).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi if dpi is not None else "figure", metadata={"Software": None},
                bbox_inches="tight" if tight else None)
    return buffer.getvalue()


def save_png(fig: Figure, path: Path, *, dpi: float | None = None, tight: bool = False) -> None:
    """Write ``png_bytes(fig)`` to ``path`` (callers pass the temporary path of ``atomic_path``)."""
    path.write_bytes(png_bytes(fig, dpi=dpi, tight=tight))


def polygons_path(geoms: Any) -> MplPath:
    """All polygons of ``geoms`` (shapely, any mix; other geometry types are skipped) as one compound
    matplotlib path, built with numpy alone.

    One path per style draws thousands of features as fast as one. Rings are oriented (exteriors
    counter-clockwise, holes clockwise), so with matplotlib's non-zero fill rule holes stay open and
    overlapping polygons simply add up.
    """
    from matplotlib.path import Path as MplPath

    parts = shapely.get_parts(np.asarray(geoms, dtype=object))  # multipolygons and collections → parts
    polygons = shapely.orient_polygons(parts[shapely.get_type_id(parts) == 3])  # 3: Polygon
    coords, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    if len(coords):
        starts = np.r_[0, np.flatnonzero(np.diff(ring)) + 1]
        codes[starts] = MplPath.MOVETO
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = MplPath.CLOSEPOLY
    return MplPath(coords, codes)


def draw_polygons(ax: Axes, geoms: Any, style: Style, z: float) -> None:
    """All polygons of ``geoms`` (a GeoSeries or shapely array) as one path in ``style`` at level ``z``."""
    from matplotlib.patches import PathPatch

    if len(geoms) == 0:
        return
    patch = PathPatch(polygons_path(geoms), facecolor=style.face, edgecolor=style.edge,
                      linewidth=style.linewidth, hatch=style.hatch or None, hatchcolor=style.hatch_colour,
                      zorder=z)
    patch.set_hatch_linewidth(style.hatch_linewidth)
    ax.add_artist(patch)  # not add_patch: its data-limit update walks every vertex in Python


def draw_points(ax: Axes, geoms: gpd.GeoSeries, style: Style, z: float) -> None:
    """All ``geoms`` (their representative points) as one scatter in ``style``."""
    if len(geoms) == 0:
        return
    points = geoms.representative_point()
    if filled_marker(style.marker):
        ax.scatter(points.x, points.y, s=style.size, marker=style.marker, facecolors=style.face,
                   edgecolors=style.edge, linewidths=style.linewidth, zorder=z)
    else:  # an unfilled marker such as "x" has no face: its colour is the edge
        ax.scatter(points.x, points.y, s=style.size, marker=style.marker, color=style.edge,
                   linewidths=style.linewidth, zorder=z)


def filled_marker(marker: str) -> bool:
    """Whether ``marker`` has a face ("^", "s") or is lines only ("x", "+")."""
    from matplotlib.markers import MarkerStyle

    return bool(MarkerStyle(marker).is_filled())


def legend_handle(style: Style) -> Artist:
    """The legend sample of ``style``, with the same properties the map uses."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if style.marker:
        size = float(np.sqrt(style.size))
        if filled_marker(style.marker):
            return Line2D([], [], linestyle="none", marker=style.marker, markersize=size,
                          markerfacecolor=style.face, markeredgecolor=style.edge, markeredgewidth=style.linewidth)
        return Line2D([], [], linestyle="none", marker=style.marker, markersize=size, color=style.edge,
                      markeredgewidth=style.linewidth)
    outlined = style.edge != "none"  # a landscape sample gets a hairline, so that it has a shape
    patch = Patch(facecolor=style.face, edgecolor=style.edge if outlined else "#BDBDBD",
                  linewidth=style.linewidth if outlined else 0.3, hatch=style.hatch or None,
                  hatchcolor=style.hatch_colour)
    patch.set_hatch_linewidth(style.hatch_linewidth)
    return patch


def blank_handle() -> Artist:
    """A legend sample that draws nothing (for headings and notes)."""
    from matplotlib.patches import Patch

    return Patch(facecolor="none", edgecolor="none")


def section_legend(fig: Figure, entries: list[tuple[str, Artist | None]], *, wrap: int = 44) -> Legend:
    """A figure legend of ``(label, sample)`` entries; a ``None`` sample makes the label a bold section
    heading. Labels longer than ``wrap`` [characters] wrap onto an indented second line."""
    import textwrap

    handles = [h if h is not None else blank_handle() for _, h in entries]
    labels = [textwrap.fill(label, wrap, subsequent_indent="  ") for label, _ in entries]
    legend = fig.legend(handles, labels, loc="upper left", fontsize=8, frameon=False, handlelength=2.8,
                        handleheight=1.8, labelspacing=0.45, borderaxespad=0.0, borderpad=0.0)
    for text, (_, handle) in zip(legend.get_texts(), entries, strict=True):
        if handle is None:
            text.set_fontweight("bold")
    return legend


def legend_beside(fig: Figure, ax: Axes, legend: Legend, area: Bounds, gap: float) -> None:
    """Give the map ``ax`` all of ``area`` (left, bottom, right, top [figure fraction]) that the legend
    and a ``gap`` leave, then put the legend's upper left corner right beside the map's upper right.

    Laid out by hand: constrained layout cuts the y label of an equal-aspect map next to a legend.
    """
    left, bottom, right, top = area
    width = legend.get_window_extent().width / fig.bbox.width
    ax.set_position((left, bottom, right - left - width - gap, top - bottom))
    ax.apply_aspect()  # the equal-aspect map's final box
    box = ax.get_position()
    legend.set_bbox_to_anchor((box.x1 + gap, box.y1))


def rd_new_axes(ax: Axes, bounds: Bounds, *, pad_x: float = 0.05, pad_y: float = 0.15) -> Bounds:
    """Set equal-aspect RD New axes [m] around ``bounds`` and return the padded extent.

    ``pad_x``/``pad_y`` [-] add a share of the width/height on each side: the room below holds the
    scale bar and the room above the north arrow, so neither hides what is mapped.
    """
    xmin, ymin, xmax, ymax = bounds
    span, height = max(xmax - xmin, 1.0), max(ymax - ymin, 1.0)
    extent = (xmin - pad_x * span, ymin - pad_y * height, xmax + pad_x * span, ymax + pad_y * height)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")
    ax.ticklabel_format(style="plain", useOffset=False)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("x [m] (RD New, EPSG:28992)", fontsize=8)
    ax.set_ylabel("y [m] (RD New, EPSG:28992)", fontsize=8)
    return extent


def nice_length_m(span_m: float) -> float:
    """A round scale bar length [m] (1, 2 or 5 × 10^k) of about a fifth of ``span_m`` [m]."""
    target = max(span_m / 5.0, 1.0)
    base = 10.0 ** math.floor(math.log10(target))
    return max(f * base for f in (1.0, 2.0, 5.0) if f * base <= target)


def _length_text(length_m: float) -> str:
    return f"{length_m / 1000.0:g} km" if length_m >= 1000.0 else f"{length_m:g} m"


def scale_bar(ax: Axes, extent: Bounds) -> None:
    """Two-segment black/white bar in the lower left of ``extent`` [m] on a white ground, in km (or m)."""
    from matplotlib.patches import Rectangle

    xmin, ymin, xmax, ymax = extent
    span, height = xmax - xmin, ymax - ymin
    length = nice_length_m(span)
    x0, y0, h = xmin + 0.04 * span, ymin + 0.04 * height, 0.012 * height
    # a white ground, so the bar reads over the landscape too
    ax.add_patch(Rectangle((x0 - 0.02 * span, y0 - 0.015 * height), length + 0.04 * span, 0.075 * height,
                           facecolor="white", edgecolor="none", alpha=0.85, zorder=9))
    for i, face in enumerate(("black", "white")):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, h,
                               facecolor=face, edgecolor="black", linewidth=0.8, zorder=10))
    for x, text in ((x0, "0"), (x0 + length, _length_text(length))):
        ax.text(x, y0 + 1.8 * h, text, ha="center", va="bottom", fontsize=7, zorder=10)


def north_arrow(ax: Axes) -> None:
    """An arrow with "N" in the upper right (RD New grid north; true north differs by < 2°)."""
    ax.annotate("N", xy=(0.95, 0.975), xytext=(0.95, 0.905), xycoords="axes fraction",
                ha="center", va="center", fontsize=10, fontweight="bold", zorder=10,
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 9,
                            "headlength": 8})


__all__ = ["CRS_RD_NEW", "Bounds", "Style", "blank_handle", "draw_points", "draw_polygons", "filled_marker",
           "legend_beside", "legend_handle", "new_figure", "nice_length_m", "north_arrow", "png_bytes",
           "polygons_path", "rd_new_axes", "save_png", "scale_bar", "section_legend"]
