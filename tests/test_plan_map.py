"""The static plan map (``energie.reports.plan_map``): what its legend says, that it reads in black and white,
that it is deterministic and fast on a region, and how it fails.

The Hardenberg example is a real plan (solved once per module). Synthetic layers built here hold every
category at once (for the black-and-white checks) or a region of thousands of cells.
"""

from __future__ import annotations

import io
import itertools
import time
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from energie.planner.plans import plan_inputs
from energie.reports.document import SITE_COLUMNS, MapLayers, map_layers
from energie.reports.map_style import Style, legend_handle, new_figure, nice_length_m, section_legend
from energie.reports.plan_map import (
    LANDSCAPE_STYLES, MAP_SIZE_IN, SITE_STYLES, _figure, render_plan_map, write_plan_map,
)
from models import InputError
from models.site import LIK_TYPES
from sites.inputs import example_inputs

RD = "EPSG:28992"
X0, Y0 = 220_000.0, 500_000.0


# --------------------------------------------------------------------------- layers


@pytest.fixture(scope="module")
def hardenberg() -> MapLayers:
    """The example's plan with a municipality outline and two exclusion sources."""
    inputs = example_inputs("hardenberg")
    plan = plan_inputs(inputs)
    muni = gpd.GeoDataFrame({"gemeente": ["GM0160"], "name": ["Hardenberg"]}, crs=RD,
                            geometry=[shapely.box(218_000, 498_000, 247_000, 521_500)])
    exclusions = gpd.GeoDataFrame({"source": ["Natura 2000", "NNN", "NNN"]}, crs=RD, geometry=[
        shapely.Point(232_000, 519_000).buffer(1500), shapely.box(225_000, 500_000, 228_000, 503_000),
        shapely.Point(243_000, 507_000).buffer(1000)])
    return map_layers(plan, inputs.sites, inputs.landscape, exclusions, muni)


def _sites(rows: list[tuple[str, str, shapely.Geometry]]) -> gpd.GeoDataFrame:
    """A sites layer of ``(kind, in_plan_as, geometry)`` rows, 2 MW each."""
    frame = {c: [""] * len(rows) for c in SITE_COLUMNS}
    frame.update(site_id=[f"S{i:05d}" for i in range(len(rows))], kind=[k for k, _, _ in rows],
                 in_plan_as=[a for _, a, _ in rows], capacity_mw=[2.0] * len(rows))
    return gpd.GeoDataFrame(frame, geometry=[g for _, _, g in rows], crs=RD)


def _every_category() -> MapLayers:
    """One site of every kind × ``in_plan_as``, every LIK type plus three own types, four exclusion
    sources and a municipality: every legend entry the map can have."""
    rows = []
    for i, (kind, status) in enumerate(itertools.product(
            ("solar_field", "rooftop_solar", "wind_turbine"), ("chosen", "locked_in", "not_chosen", "excluded"))):
        x, y = X0 + 1500 * (i % 4), Y0 + 1500 * (i // 4)
        shape = shapely.Point(x, y) if kind == "wind_turbine" else shapely.box(x, y, x + 600, y + 400)
        rows.append((kind, status, shape))
    types = [*LIK_TYPES, "polder", "rivierduinen", "zeeklei"]
    landscape = gpd.GeoDataFrame({"lik_type": types}, crs=RD, geometry=[
        shapely.box(X0 - 1000 + 700 * i, Y0 - 1000, X0 - 300 + 700 * i, Y0 + 5000) for i in range(len(types))])
    sources = ["natura2000.geojson", "/data/nnn.gpkg", "places (built-up)", "places (inhabited)"]
    exclusions = gpd.GeoDataFrame({"source": sources, "applies_to": ["solar_field + wind_turbine"] * 2
                                   + ["solar_field", "wind_turbine"]}, crs=RD,
                                  geometry=[shapely.box(X0 + 1000 * i, Y0 - 900, X0 + 1000 * i + 800, Y0 - 200)
                                            for i in range(4)])
    muni = gpd.GeoDataFrame({"gemeente": ["GM0001"], "name": ["Testdorp"]}, crs=RD,
                            geometry=[shapely.box(X0 - 1500, Y0 - 1500, X0 + 7000, Y0 + 5500)])
    return MapLayers(_sites(rows), landscape, exclusions, muni)


def _region(n_side: int = 60) -> MapLayers:
    """A region: n_side² 25 ha cells over 16 municipalities, a turbine every fourth cell, ten own
    landscape types and six exclusion sources."""
    rng = np.random.default_rng(7)
    ix, iy = (a.ravel() for a in np.meshgrid(np.arange(n_side), np.arange(n_side)))
    cells = shapely.box(X0 + 500 * ix, Y0 + 500 * iy, X0 + 500 * ix + 500, Y0 + 500 * iy + 500)
    status = rng.choice(["chosen", "locked_in", "not_chosen", "excluded"], size=len(cells), p=[0.05, 0.02, 0.83, 0.1])
    turbines = shapely.points(X0 + 500 * ix[::4] + 250, Y0 + 500 * iy[::4] + 250)
    rows = [("solar_field", s, g) for s, g in zip(status, cells, strict=True)]
    rows += [("wind_turbine", s, g) for s, g in zip(status[::4][::-1], turbines, strict=True)]
    side = 500 * n_side / 4
    munis = gpd.GeoDataFrame({"gemeente": [f"GM{i:04d}" for i in range(16)]}, crs=RD, geometry=[
        shapely.box(X0 + side * (i % 4), Y0 + side * (i // 4), X0 + side * (i % 4 + 1), Y0 + side * (i // 4 + 1))
        for i in range(16)])
    landscape = gpd.GeoDataFrame({"lik_type": [f"type{i}" for i in range(10)] * 2}, crs=RD,
                                 geometry=[shapely.box(X0 + 1500 * i, Y0, X0 + 1500 * i + 1400, Y0 + 500 * n_side)
                                           for i in range(20)])
    exclusions = gpd.GeoDataFrame({"source": [f"layer {i}" for i in range(6)]}, crs=RD,
                                  geometry=[shapely.Point(X0 + 4000 * i, Y0 + 9000).buffer(1200) for i in range(6)])
    return MapLayers(_sites(rows), landscape, exclusions, munis)


def _legend(layers: MapLayers) -> list[tuple[str, object]]:
    """(label on one line, sample) of the map's legend."""
    legend = _figure(layers, "t", "s", 100).legends[0]
    return [(" ".join(t.get_text().split()), h) for t, h in zip(legend.get_texts(), legend.legend_handles)]


def _labels(layers: MapLayers) -> list[str]:
    return [label for label, _ in _legend(layers)]


# --------------------------------------------------------------------------- what the map says


def test_hardenberg_legend_counts_the_plan(hardenberg: MapLayers) -> None:
    sites = hardenberg.sites
    labels = _labels(hardenberg)

    def n(kind: tuple[str, ...], status: str) -> int:
        return int((sites["kind"].isin(kind) & (sites["in_plan_as"] == status)).sum())

    def mw(kind: tuple[str, ...], status: str) -> float:
        return float(sites.loc[sites["kind"].isin(kind) & (sites["in_plan_as"] == status), "capacity_mw"].sum())

    solar, field, roof, wind = ("solar_field", "rooftop_solar"), ("solar_field",), ("rooftop_solar",), ("wind_turbine",)
    assert n(field, "chosen") and n(roof, "chosen") and n(wind, "chosen") and n(solar, "excluded")
    assert labels == [
        "Plan",
        f"chosen solar fields ({n(field, 'chosen')}, {mw(field, 'chosen'):.1f} MW)",
        f"chosen rooftop solar ({n(roof, 'chosen')}, {mw(roof, 'chosen'):.1f} MW)",
        f"chosen wind turbines ({n(wind, 'chosen')}, {mw(wind, 'chosen'):.1f} MW)",
        f"existing/planned solar ({n(solar, 'locked_in')}, {mw(solar, 'locked_in'):.1f} MW)",
        f"existing/planned wind turbines ({n(wind, 'locked_in')}, {mw(wind, 'locked_in'):.1f} MW)",
        "Candidates",
        f"solar, not chosen ({n(solar, 'not_chosen')})",
        f"wind turbines, not chosen ({n(wind, 'not_chosen')})",
        f"solar, kept out by a rule ({n(solar, 'excluded')})",
        f"wind turbines, kept out by a rule ({n(wind, 'excluded')})",
        "Areas", "no-go area: NNN", "no-go area: Natura 2000", "municipality boundary (1)",
        "Landscape (LIK)",
        *[t.replace("_", "-") for t in LIK_TYPES if t in set(hardenberg.landscape["lik_type"])],
    ]
    assert labels[-1] == "landgoed" and "onbekend" not in labels  # the example has no unknown polygons


def test_few_municipalities_are_named_many_are_not(hardenberg: MapLayers) -> None:
    texts = [t.get_text() for t in _figure(hardenberg, "t", "", 100).axes[0].texts]
    assert "Hardenberg" in texts
    region = _figure(_region(12), "t", "", 100).axes[0]
    assert not [t for t in region.texts if t.get_text().startswith("GM")]


def test_every_category_has_its_entry_and_sources_read_as_names() -> None:
    labels = _labels(_every_category())
    assert [label.split(" (")[0] for label in labels[:11]] == [
        "Plan", "chosen solar fields", "chosen rooftop solar", "chosen wind turbines", "existing/planned solar",
        "existing/planned wind turbines", "Candidates", "solar, not chosen", "wind turbines, not chosen",
        "solar, kept out by a rule", "wind turbines, kept out by a rule"]
    assert "existing/planned solar (2, 4.0 MW)" in labels  # a locked-in field and a locked-in roof
    assert labels[11:17] == ["Areas", "no-go area: natura2000", "no-go area: nnn",
                             "no-go area: places (built-up), solar fields only",
                             "no-go area: places (inhabited), wind turbines only", "municipality boundary (1)"]
    assert labels[17:] == ["Landscape (LIK)", *[t.replace("_", "-") for t in LIK_TYPES], "polder",
                           "other landscape types (2)"]


def test_a_plan_that_chooses_nothing_says_so(hardenberg: MapLayers) -> None:
    sites = hardenberg.sites.copy()
    sites.loc[sites["in_plan_as"] == "chosen", "in_plan_as"] = "not_chosen"
    labels = _labels(MapLayers(sites))
    assert labels[:4] == ["Plan", labels[1], labels[2], "(no sites chosen)"]
    assert labels[1].startswith("existing/planned solar") and not [x for x in labels if x.startswith("chosen")]


@pytest.mark.parametrize("empty", [None, "empty"])
def test_missing_or_empty_layers_leave_their_sections_out(hardenberg: MapLayers, empty: str | None) -> None:
    def nothing(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
        return None if empty is None or frame is None else frame.iloc[:0]

    layers = MapLayers(hardenberg.sites, nothing(hardenberg.landscape), nothing(hardenberg.exclusions),
                       nothing(hardenberg.boundaries))
    labels = _labels(layers)
    assert "Plan" in labels and "Candidates" in labels
    assert "Areas" not in labels and "Landscape (LIK)" not in labels
    assert Image.open(io.BytesIO(render_plan_map(layers, "t", dpi=60))).size == (720, 510)


def test_sites_in_another_crs_are_drawn_in_rd_new(hardenberg: MapLayers) -> None:
    layers = MapLayers(hardenberg.sites.to_crs("EPSG:4326"))
    ax = _figure(layers, "t", "", 100).axes[0]
    xmin, _, xmax, _ = hardenberg.sites.total_bounds
    assert ax.get_xlim()[0] < xmin < xmax < ax.get_xlim()[1] < 300_000


# --------------------------------------------------------------------------- the picture


def test_png_has_the_size_of_the_dpi_and_fits_legend_and_labels(hardenberg: MapLayers) -> None:
    for dpi in (150, 100):
        image = Image.open(io.BytesIO(render_plan_map(hardenberg, "Hardenberg 2030", "optimal", dpi=dpi)))
        assert image.size == (round(MAP_SIZE_IN[0] * dpi), round(MAP_SIZE_IN[1] * dpi))
        assert image.mode == "RGBA" and "Software" not in image.info
    fig = _figure(hardenberg, "Hardenberg 2030", "optimal", 100)
    fig.canvas.draw()
    inside, ax = fig.bbox, fig.axes[0]
    for artist in (fig.legends[0], ax.yaxis.label, ax.xaxis.label, *fig.texts):
        box = artist.get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
    assert fig.legends[0].get_window_extent().x0 > ax.get_window_extent().x1  # beside the map, not on it


def test_same_layers_give_the_same_bytes(hardenberg: MapLayers) -> None:
    first = render_plan_map(hardenberg, "Hardenberg 2030", "optimal · 434 of 434 GWh/yr")
    assert render_plan_map(hardenberg, "Hardenberg 2030", "optimal · 434 of 434 GWh/yr") == first
    assert render_plan_map(hardenberg, "Hardenberg 2031", "optimal · 434 of 434 GWh/yr") != first


def test_a_region_of_thousands_of_cells_renders_fast() -> None:
    layers, start = _region(60), time.perf_counter()  # 3,600 cells + 900 turbines
    png = render_plan_map(layers, "Region", "synthetic")
    elapsed = time.perf_counter() - start
    assert Image.open(io.BytesIO(png)).size == (1800, 1275)
    labels = _labels(layers)
    assert {"no-go area (6 sources)", "other landscape types (9)", "municipality boundary (16)"} <= set(labels)
    assert elapsed < 15.0, f"{elapsed:.1f} s"  # about 1 s on the shared 2-core machine


def test_a_hole_stays_open_and_overlaps_stay_filled() -> None:
    # both rings clockwise, as files often have them; the box overlaps the ring's south-west corner
    ring = shapely.Polygon([(0, 0), (0, 8), (8, 8), (8, 0)], [[(2, 2), (2, 6), (6, 6), (6, 2)]])
    scaled = [shapely.affinity.affine_transform(g, [500, 0, 0, 500, X0, Y0]) for g in (ring, shapely.box(1, 1, 3, 3))]
    layers = MapLayers(_sites([("solar_field", "locked_in", g) for g in scaled]))
    fig = _figure(layers, "t", "", 100)
    fig.canvas.draw()
    grey, ax = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2), fig.axes[0]

    def at(x: float, y: float) -> float:
        px, py = ax.transData.transform((X0 + 500 * x, Y0 + 500 * y))
        return float(grey[int(fig.bbox.height - py), int(px)])

    assert at(4, 4) > 250 and at(7, 7) < 100 and at(2.5, 2.5) < 100


def test_a_small_field_on_a_large_map_also_gets_a_square() -> None:
    field, far = shapely.box(X0, Y0, X0 + 100, Y0 + 100), shapely.Point(X0 + 60_000, Y0 + 40_000)  # 1 ha, 60 km
    ax = _figure(MapLayers(_sites([("solar_field", "chosen", field), ("wind_turbine", "chosen", far)])),
                 "t", "", 100).axes[0]
    offsets = [c.get_offsets().tolist() for c in ax.collections]
    assert [[X0 + 50, Y0 + 50]] in offsets and [[X0 + 60_000, Y0 + 40_000]] in offsets


# --------------------------------------------------------------------------- black and white


@dataclass(frozen=True)
class Look:
    """What a legend sample shows in black and white: shape, hatch lines, grey of face and edge."""

    shape: str  # "patch", "line" or a marker
    hatch: str  # the hatch's characters, density aside
    face: float | None  # grey level [0–1]; None: hollow
    edge: float | None
    linestyle: str


def _grey(colour: object) -> float | None:
    r, g, b, a = to_rgba(colour)  # type: ignore[arg-type]
    return None if a == 0 else 0.299 * r + 0.587 * g + 0.114 * b


def _look(handle: object) -> Look:
    if isinstance(handle, Patch):
        edge = _grey(handle.get_edgecolor()) if handle.get_linewidth() > 0 else None
        return Look("patch", "".join(sorted(set(handle.get_hatch() or ""))), _grey(handle.get_facecolor()), edge,
                    str(handle.get_linestyle()))
    assert isinstance(handle, Line2D)
    marker = str(handle.get_marker())
    if marker in ("None", "none", ""):
        return Look("line", "", None, _grey(handle.get_color()), str(handle.get_linestyle()))
    return Look(marker, "", _grey(handle.get_markerfacecolor()), _grey(handle.get_markeredgecolor()), "")


def _tell_apart(a: Look, b: Look) -> bool:
    """Distinct in black and white: other shape, hatch lines, hollow or not, line style, or a grey
    level at least 0.2 apart."""
    if (a.shape, a.hatch, a.face is None, a.linestyle) != (b.shape, b.hatch, b.face is None, b.linestyle):
        return True
    if a.face is not None and b.face is not None and abs(a.face - b.face) >= 0.2:
        return True
    return a.edge is not None and b.edge is not None and abs(a.edge - b.edge) >= 0.3


def test_every_legend_sample_differs_from_every_other_in_black_and_white() -> None:
    entries = [(label, h) for label, h in _legend(_every_category()) if label[0].islower()]  # not headings
    assert len(entries) == 9 + 4 + 1 + 9
    same = [(a, b) for (a, ha), (b, hb) in itertools.combinations(entries, 2) if not _tell_apart(_look(ha), _look(hb))]
    assert not same
    # the check is honest: it tells hues of one grey (0.64 and 0.68) and one style twice apart from nothing
    looks = [_look(legend_handle(s)) for s in (Style("#E69F00", "black"), Style("#9AA8F0", "black"),
                                               LANDSCAPE_STYLES["essen"], LANDSCAPE_STYLES["essen"])]
    assert not _tell_apart(looks[0], looks[1]) and not _tell_apart(looks[2], looks[3])


@dataclass(frozen=True)
class Print:
    """A legend sample printed in grey: the mean grey [0–1] of its ink (the non-white pixels) and the
    share of its box that is ink [-]."""

    label: str
    look: Look
    grey: float
    ink: float

    def alike(self, other: Print) -> bool:
        return abs(self.grey - other.grey) < 0.15 and max(self.ink, other.ink) < 1.5 * min(self.ink, other.ink)


def _printed(fig: Figure) -> list[Print]:
    """The samples of the figure's legend (headings left out), printed in grey."""
    fig.canvas.draw()
    grey = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float) @ np.array([0.299, 0.587, 0.114]) / 255
    legend = fig.legends[0]
    prints = []
    for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
        if text.get_fontweight() == "bold":
            continue
        box = handle.get_window_extent().padded(1)  # a line's box is a pixel high
        x0, y0, x1, y1 = (max(round(v), 0) for v in box.extents)
        crop = grey[max(grey.shape[0] - y1, 0):grey.shape[0] - y0, x0:x1]
        ink = crop[crop < 0.96]
        assert ink.size, text.get_text()
        prints.append(Print(text.get_text(), _look(handle), float(ink.mean()), ink.size / crop.size))
    return prints


def _samples(*styles: Style) -> Figure:
    fig = new_figure(6, 8, dpi=150, constrained=False)
    section_legend(fig, [(str(i), legend_handle(style)) for i, style in enumerate(styles)])
    return fig


def test_printed_in_grey_samples_of_one_shape_and_hatch_differ() -> None:
    """On the map as printed in grey, samples that share shape and hatch differ in grey or ink."""
    prints = _printed(_figure(_every_category(), "t", "", 150))
    assert len(prints) == 9 + 4 + 1 + 9
    pairs = [(a, b) for a, b in itertools.combinations(prints, 2)
             if (a.look.shape, a.look.hatch) == (b.look.shape, b.look.hatch)]
    assert len(pairs) >= 6  # e.g. chosen vs locked-in fields, chosen vs locked-in turbines
    assert not [(a.label, b.label) for a, b in pairs if a.alike(b)]
    # the measure is honest: one style printed twice is alike, and so are two hues of one grey
    field, again, blue, turbine, pink = _printed(_samples(
        SITE_STYLES["chosen_field"], SITE_STYLES["chosen_field"],
        Style("#9AA8F0", "black", linewidth=0.7),  # grey 0.68 against the orange's 0.64
        SITE_STYLES["chosen_turbine"], replace(SITE_STYLES["locked_turbine"], face="#CC79A7")))
    assert field.alike(again) and field.alike(blue) and turbine.alike(pink)


# --------------------------------------------------------------------------- writing and failing


def test_nothing_to_map_when_no_site_has_geometry(tmp_path: Path) -> None:
    inputs = example_inputs("hardenberg")
    bare = [s.model_copy(update={"geometry": None}) for s in inputs.sites]
    layers = map_layers(plan_inputs(inputs), bare, inputs.landscape)
    assert layers.sites.empty
    with pytest.raises(InputError, match="nothing to map") as err:
        write_plan_map(layers, tmp_path / "plan.png", "t")
    assert "leave out the map" in str(err.value)
    assert not list(tmp_path.iterdir())


def test_write_refuses_an_existing_file_without_force(hardenberg: MapLayers, tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    path.write_bytes(b"keep me")
    with pytest.raises(InputError, match="--force"):
        write_plan_map(hardenberg, path, "t")
    assert path.read_bytes() == b"keep me"
    assert write_plan_map(hardenberg, path, "t", "s", force=True) == path
    assert path.read_bytes() == render_plan_map(hardenberg, "t", "s")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.png"]


def test_a_failed_render_leaves_the_old_file_and_no_temporary(hardenberg: MapLayers, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.png"
    path.write_bytes(b"old map")
    with pytest.raises(InputError, match="nothing to map"):
        write_plan_map(MapLayers(hardenberg.sites.iloc[:0]), path, "t", force=True)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr("energie.reports.plan_map.png_bytes", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_plan_map(hardenberg, path, "t", force=True)
    with pytest.raises(InputError, match=r"\.png"):
        write_plan_map(hardenberg, tmp_path / "plan.pdf", "t")
    with pytest.raises(InputError, match="dpi"):
        render_plan_map(hardenberg, "t", dpi=10)
    assert path.read_bytes() == b"old map"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.png"]


def test_scale_bar_lengths_are_round() -> None:
    assert [nice_length_m(s) for s in (1_100, 4_000, 33_000, 70_000, 260_000)] == [200, 500, 5_000, 10_000, 50_000]
