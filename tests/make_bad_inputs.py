"""(Re)generate the bad-input corpus in ``tests/data/bad/``.

Usage (from the repository root)::

    /tmp/venv/bin/python -m tests.make_bad_inputs          # or: python tests/make_bad_inputs.py

The corpus is one small GOOD pair -- ``good_sites.gpkg`` (layers ``sites`` and
``landscape``, EPSG:28992) and ``good_scenario.toml`` -- plus one file per bad
case. Each bad file is the good file with exactly ONE thing broken, and is named
for what is wrong (``sites_negative_capacity.gpkg``, ``scenario_unknown_key.toml``).
A case pairs its bad file with the good file of the other kind, so the only
problem the loader can report is the one the case is about (except
``sites_many_bad_rows``, which breaks several rows on purpose to check that every
problem is listed, not just the first).

The files are real GeoPackages written with geopandas/pyogrio and real TOML;
they are small (5 rows) and committed. GeoPackages carry a timestamp, so
regenerating changes their bytes but not their content.

``CASES`` is the single table of cases: which files a case uses, what is wrong
and which substrings the error message must contain (file name, row/site id,
column or key, offending value). ``tests/test_bad_inputs.py`` and
``tests/test_cli.py`` read it; add a case here and both test files pick it up.
"""

from __future__ import annotations

import math
import sqlite3
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, Polygon, box

BAD_DIR = Path(__file__).resolve().parent / "data" / "bad"
RD_NEW = "EPSG:28992"

GOOD_SITES = "good_sites.gpkg"
GOOD_SCENARIO = "good_scenario.toml"

# --------------------------------------------------------------------------- good base

#: Landscape: two 4 × 4 km squares near Hardenberg (RD New, metres).
VEEN = box(238_000, 508_000, 242_000, 512_000)
HEIDE = box(242_000, 508_000, 246_000, 512_000)

#: The five good sites; row numbers in messages are 1-based, so F2 is "row 2" and T1 "row 4".
GOOD_ROWS: list[dict[str, object]] = [
    {"site_id": "F1", "name": "Zonneveld Veen", "kind": "solar_field", "status": "candidate",
     "capacity_mw": 7.65, "cost_meur": 4.0, "initiator": "energiecooperatie", "zonneladder": "landbouwgrond",
     "geometry": box(239_000, 509_000, 239_300, 509_300)},  # 9 ha, veenontginning
    {"site_id": "F2", "name": "Zonneveld Heide", "kind": "solar_field", "status": "candidate",
     "capacity_mw": 5.3, "cost_meur": 3.0, "initiator": "belangengroep", "zonneladder": "multifunctioneel",
     "geometry": box(243_000, 509_000, 243_250, 509_250)},  # 6.25 ha, heide_ontginning
    {"site_id": "R1", "name": "Daken bedrijventerrein", "kind": "rooftop_solar", "status": "candidate",
     "capacity_mw": 2.0, "cost_meur": 1.6, "initiator": "commercieel",
     "geometry": box(240_000, 510_000, 240_200, 510_200)},  # 4 ha of roofs, veenontginning
    {"site_id": "T1", "name": "Turbine Veen noord", "kind": "wind_turbine", "status": "candidate",
     "capacity_mw": 4.2, "cost_meur": 5.9, "initiator": "commercieel", "turbine_type": "V136",
     "hub_height_m": 132.0, "rotor_diameter_m": 136.0, "pilot_area": "Veen",
     "geometry": Point(240_500, 511_000)},  # veenontginning, 1.5 km from T2
    {"site_id": "T2", "name": "Turbine Veen zuid", "kind": "wind_turbine", "status": "existing",
     "capacity_mw": 3.0, "cost_meur": 0.0, "initiator": "energiecooperatie", "turbine_type": "E-103",
     "hub_height_m": 98.0, "rotor_diameter_m": 103.0, "pilot_area": "Veen",
     "geometry": Point(240_500, 509_500)},
]

COLUMNS = ("site_id", "name", "kind", "status", "capacity_mw", "yield_gwh", "cost_meur", "initiator", "area_ha",
           "zonneladder", "turbine_type", "hub_height_m", "rotor_diameter_m", "pilot_area")
FLOAT_COLUMNS = ("capacity_mw", "yield_gwh", "cost_meur", "area_ha", "hub_height_m", "rotor_diameter_m")

GOOD_SCENARIO_TEXT = """\
# Base scenario of the bad-input corpus (tests/make_bad_inputs.py). Every
# scenario_*.toml in this folder is this file with one thing broken.
name = "bad-inputs-base"
description = "Five sites on two landscape types; the target is reachable."

[targets]
electricity_gwh = 15.0

[policy]
solar_on_land = "nee_tenzij"
zonneladder = "off"
min_turbine_distance_m = 400

[lik.veenontginning]
allow = ["solar_field", "rooftop_solar", "wind_turbine"]
max_solar_field_ha = 20
max_turbines = 3
impact_per_ha = 0.02
impact_per_turbine = 0.5

[lik.heide_ontginning]
allow = ["solar_field", "rooftop_solar"]
max_solar_field_ha = 10

[solver]
name = "highs"
time_limit_s = 30
gap_rel = 0
"""


def good_rows() -> list[dict[str, object]]:
    """A fresh copy of the good rows, every contract column present (blank = NaN/None)."""
    out = []
    for r in GOOD_ROWS:
        row: dict[str, object] = {c: (math.nan if c in FLOAT_COLUMNS else None) for c in COLUMNS}
        row.update(r)
        out.append(row)
    return out


def sites_frame(rows: list[dict[str, object]], crs: str | None = RD_NEW) -> gpd.GeoDataFrame:
    """Rows → GeoDataFrame with the contract columns in order (extra keys kept at the end)."""
    cols = list(COLUMNS) + sorted({k for r in rows for k in r} - set(COLUMNS) - {"geometry"})
    data = {c: [r.get(c) for r in rows] for c in cols}
    return gpd.GeoDataFrame(data, geometry=[r["geometry"] for r in rows], crs=crs)


def landscape_frame(types: tuple[str, str] = ("veenontginning", "heide_ontginning"),
                    geoms: tuple[object, object] = (VEEN, HEIDE)) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"lik_type": list(types)}, geometry=list(geoms), crs=RD_NEW)


# --------------------------------------------------------------------------- writers


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write ``layers`` into a new GeoPackage, kept small: no spatial index, 512-byte pages
    (a 5-row GeoPackage is ~20 kB instead of ~120 kB; still a standard GeoPackage)."""
    if path.exists():
        path.unlink()
    for name, frame in layers.items():
        kwargs: dict[str, object] = {"layer_options": {"SPATIAL_INDEX": "NO"}}
        if len(frame) == 0:
            kwargs["geometry_type"] = "Unknown"  # nothing to infer the type from
        with warnings.catch_warnings():
            # writing a layer without CRS is the point of the sites_no_crs case
            warnings.filterwarnings("ignore", message="'crs' was not provided", category=UserWarning)
            frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio", **kwargs)
    _compact(path)


def _compact(path: Path) -> None:
    """Rewrite a GeoPackage (SQLite) with 512-byte pages."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA page_size = 512")
        con.execute("VACUUM")
    finally:
        con.close()


def sites_writer(mutate: Callable[[list[dict[str, object]]], None] | None = None, *, crs: str | None = RD_NEW,
                 layer: str = "sites", drop: tuple[str, ...] = (),
                 landscape: gpd.GeoDataFrame | None | bool = True) -> Callable[[Path], None]:
    """A writer for the good sites with ``mutate`` applied to the rows (in place)."""

    def write(path: Path) -> None:
        rows = good_rows()
        if mutate is not None:
            mutate(rows)
        frame = sites_frame(rows, crs=crs).drop(columns=list(drop))
        land = landscape_frame() if landscape is True else landscape
        layers = {layer: frame}
        if isinstance(land, gpd.GeoDataFrame):
            layers["landscape"] = land
        write_gpkg(path, layers)

    return write


def scenario_writer(old: str, new: str) -> Callable[[Path], None]:
    """A writer for the good scenario with ``old`` replaced by ``new`` (exactly once)."""

    def write(path: Path) -> None:
        assert GOOD_SCENARIO_TEXT.count(old) == 1, f"{old!r} must occur once in the good scenario"
        path.write_text(GOOD_SCENARIO_TEXT.replace(old, new), encoding="utf-8")

    return write


def _set(row: int, **values: object) -> Callable[[list[dict[str, object]]], None]:
    """Mutation: set ``values`` on 1-based ``row``."""

    def mutate(rows: list[dict[str, object]]) -> None:
        rows[row - 1].update(values)

    return mutate


def _all(*mutations: Callable[[list[dict[str, object]]], None]) -> Callable[[list[dict[str, object]]], None]:
    def mutate(rows: list[dict[str, object]]) -> None:
        for m in mutations:
            m(rows)

    return mutate


def _write_empty_layer(path: Path) -> None:
    frame = sites_frame(good_rows()).iloc[0:0]
    write_gpkg(path, {"sites": frame, "landscape": landscape_frame()})


def _write_attribute_table(path: Path) -> None:
    """A ``sites`` layer without geometry column (a plain attribute table of two roofs)."""
    import pyogrio

    rows = [r for r in good_rows() if r["kind"] == "rooftop_solar"]
    rows.append({**rows[0], "site_id": "R2"})
    frame = sites_frame(rows).drop(columns="geometry")
    if path.exists():
        path.unlink()
    pyogrio.write_dataframe(pd.DataFrame(frame), path, layer="sites", driver="GPKG")
    _compact(path)


def _write_text(text: str | bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return write


# --------------------------------------------------------------------------- cases

# A case may carry ``xfail="reason"`` for a known library bug: the tests then mark it
# xfail(strict=True), so that the fix shows up as an XPASS and the marker is removed (none today).
#: A self-intersecting "bow tie" polygon in the heide square (valid to write, invalid as a surface).
BOWTIE = Polygon([(243_000, 509_000), (243_250, 509_250), (243_250, 509_000), (243_000, 509_250)])


@dataclass(frozen=True)
class Case:
    """One corpus case: the pair of files it loads and what the message must say."""

    name: str
    #: What is wrong, for people.
    problem: str
    #: File names in ``BAD_DIR``.
    sites: str = GOOD_SITES
    scenario: str = GOOD_SCENARIO
    #: ``True`` for good inputs that must load (and plan).
    good: bool = False
    #: Substrings the ``InputError`` message must contain (besides the bad file's name).
    expect: tuple[str, ...] = ()
    #: Writer of the case's own file (the good pair is written separately).
    write: Callable[[Path], None] | None = field(default=None, compare=False, repr=False)
    #: A known library bug: the tests mark the case ``xfail(strict=True, reason=xfail)``.
    xfail: str | None = None

    @property
    def own_file(self) -> str:
        """The case's own file: the scenario if it is not the good one, else the sites file."""
        return self.scenario if self.scenario != GOOD_SCENARIO else self.sites


def _sites_case(name: str, problem: str, write: Callable[[Path], None], *expect: str, good: bool = False,
                xfail: str | None = None) -> Case:
    return Case(name=name, problem=problem, sites=f"{name}.gpkg", write=write, expect=expect, good=good,
                xfail=xfail)


def _scenario_case(name: str, problem: str, write: Callable[[Path], None], *expect: str, good: bool = False,
                   xfail: str | None = None) -> Case:
    return Case(name=name, problem=problem, scenario=f"{name}.toml", write=write, expect=expect, good=good,
                xfail=xfail)


CASES: tuple[Case, ...] = (
    Case(name="good", problem="nothing: the base pair", good=True),
    _sites_case("good_integer_site_ids", "site_id is an integer column (1..5), as QGIS makes it from a counter",
                sites_writer(_all(*(_set(i, site_id=i) for i in range(1, 6)))), good=True),
    _scenario_case("good_scenario_utf8_bom", "the good scenario saved as UTF-8 with a byte-order mark (Notepad)",
                   _write_text(b"\xef\xbb\xbf" + GOOD_SCENARIO_TEXT.encode("utf-8")), good=True),
    # ---- good variants
    _sites_case("good_sites_epsg4326", "nothing: the good sites in EPSG:4326, must be reprojected to RD New",
                lambda p: write_gpkg(p, {"sites": sites_frame(good_rows()).to_crs("EPSG:4326"),
                                         "landscape": landscape_frame().to_crs("EPSG:4326")}), good=True),
    # ---- the GeoPackage as a whole
    _sites_case("sites_no_crs", "the layers have no coordinate reference system",
                sites_writer(crs=None, landscape=landscape_frame().set_crs(None, allow_override=True)),
                "coordinate reference system", "EPSG:28992", "'sites'"),
    _sites_case("sites_not_a_geopackage", "a text file named .gpkg",
                _write_text("site_id,kind,status\nF1,solar_field,candidate\n"), "GeoPackage"),
    _sites_case("sites_no_sites_layer", "the site layer is called 'locaties' instead of 'sites'",
                sites_writer(layer="locaties"), "no layer named 'sites'", "locaties"),
    _sites_case("sites_empty_layer", "the sites layer has no rows", _write_empty_layer, "no rows"),
    _sites_case("sites_no_geometry_column", "the sites layer is a plain table (rooftop rows, no geometry column)",
                _write_attribute_table, "'sites'", "geometry"),
    _sites_case("sites_missing_column", "the required column cost_meur is missing",
                sites_writer(drop=("cost_meur",)), "cost_meur", "missing"),
    # ---- geometry
    _sites_case("sites_solar_field_point", "solar field F2 is a point",
                sites_writer(_set(2, geometry=Point(243_100, 509_100))),
                "row 2", "site_id 'F2'", "solar_field", "polygon", "Point"),
    _sites_case("sites_turbine_polygon", "turbine T1 is a polygon",
                sites_writer(_set(4, geometry=box(240_450, 510_950, 240_550, 511_050))),
                "row 4", "site_id 'T1'", "wind_turbine", "point", "Polygon"),
    _sites_case("sites_self_intersecting_polygon", "solar field F2 is a self-intersecting bow tie",
                sites_writer(_set(2, geometry=BOWTIE)),
                "row 2", "site_id 'F2'", "invalid polygon", "Self-intersection"),
    _sites_case("sites_rooftop_self_intersecting_polygon", "rooftop R1 is a self-intersecting bow tie",
                sites_writer(_set(3, geometry=BOWTIE)),
                "row 3", "site_id 'R1'", "invalid polygon", "Self-intersection"),
    _sites_case("sites_solar_field_empty_geometry", "solar field F2 has no geometry",
                sites_writer(_set(2, geometry=None)), "row 2", "site_id 'F2'", "solar_field", "polygon"),
    # ---- values
    _sites_case("sites_negative_capacity", "F2 has capacity_mw = -5",
                sites_writer(_set(2, capacity_mw=-5.0)), "row 2", "site_id 'F2'", "capacity_mw", "-5"),
    _sites_case("sites_empty_capacity", "F2 has no capacity_mw (NULL)",
                sites_writer(_set(2, capacity_mw=math.nan)), "row 2", "site_id 'F2'", "capacity_mw"),
    _sites_case("sites_text_capacity", "F2 has capacity_mw = 'veel' (a text column)",
                sites_writer(_all(*(_set(i, capacity_mw=str(r["capacity_mw"])) for i, r in enumerate(GOOD_ROWS, 1)),
                                  _set(2, capacity_mw="veel"))),
                "row 2", "site_id 'F2'", "capacity_mw", "'veel'"),
    _sites_case("sites_negative_cost", "R1 has cost_meur = -1.5",
                sites_writer(_set(3, cost_meur=-1.5)), "row 3", "site_id 'R1'", "cost_meur", "-1.5"),
    _sites_case("sites_unknown_kind", "F2 has kind 'zonnepark'",
                sites_writer(_set(2, kind="zonnepark")), "row 2", "site_id 'F2'", "kind", "'zonnepark'",
                "solar_field"),
    _sites_case("sites_unknown_status", "F2 has status 'gepland'",
                sites_writer(_set(2, status="gepland")), "row 2", "site_id 'F2'", "status", "'gepland'",
                "candidate"),
    _sites_case("sites_unknown_initiator", "F2 has initiator 'bank'",
                sites_writer(_set(2, initiator="bank")), "row 2", "site_id 'F2'", "initiator", "'bank'",
                "energiecooperatie"),
    _sites_case("sites_unknown_zonneladder", "F2 has zonneladder 'dak'",
                sites_writer(_set(2, zonneladder="dak")), "row 2", "site_id 'F2'", "zonneladder", "'dak'"),
    _sites_case("sites_duplicate_site_id", "rows 1 and 2 are both 'F1'",
                sites_writer(_set(2, site_id="F1")), "row 2", "site_id 'F1'", "duplicate", "row 1"),
    _sites_case("sites_blank_site_id", "row 2 has no site_id",
                sites_writer(_set(2, site_id=None)), "row 2", "site_id"),
    _sites_case("sites_unknown_lik_type_column", "F2 sets lik_type 'duinen' in the sites layer",
                sites_writer(_set(2, lik_type="duinen")), "row 2", "site_id 'F2'", "lik_type", "duinen"),
    _sites_case("sites_negative_hub_height", "T1 has hub_height_m = -132",
                sites_writer(_set(4, hub_height_m=-132.0)), "row 4", "site_id 'T1'", "hub_height_m", "-132"),
    # several bad rows: every one must be listed
    _sites_case("sites_many_bad_rows", "four bad rows: F2 capacity, R1 initiator, T1 polygon, T2 status",
                sites_writer(_all(_set(2, capacity_mw=-5.0), _set(3, initiator="bank"),
                                  _set(4, geometry=box(240_450, 510_950, 240_550, 511_050)),
                                  _set(5, status="gebouwd"))),
                "4 problem", "row 2 (site_id 'F2')", "capacity_mw", "row 3 (site_id 'R1')", "'bank'",
                "row 4 (site_id 'T1')", "point", "row 5 (site_id 'T2')", "'gebouwd'"),
    # ---- landscape layer
    _sites_case("sites_landscape_unknown_lik_type", "landscape polygon 2 has lik_type 'duinen'",
                sites_writer(landscape=landscape_frame(types=("veenontginning", "duinen"))),
                "landscape", "row 2", "lik_type", "duinen"),
    _sites_case("sites_landscape_points", "the landscape layer holds points",
                sites_writer(landscape=landscape_frame(geoms=(Point(240_000, 510_000), Point(244_000, 510_000)))),
                "landscape", "row 1", "polygon", "Point"),
    _sites_case("sites_landscape_no_lik_type", "the landscape column is called 'type' instead of 'lik_type'",
                sites_writer(landscape=landscape_frame().rename(columns={"lik_type": "type"})),
                "landscape", "lik_type", "missing"),
    # ---- scenario TOML
    _scenario_case("scenario_not_toml", "a YAML-ish file, not TOML",
                   _write_text("name: bad-inputs-base\ntargets:\n  electricity_gwh: 15\n"), "TOML", "line 1"),
    _scenario_case("scenario_not_utf8", "Latin-1 bytes (é as 0xE9)",
                   _write_text(GOOD_SCENARIO_TEXT.replace("Five sites", "Vijf locaties, caf\u00e9").encode("latin-1")),
                   "UTF-8"),
    _scenario_case("scenario_unknown_key", "typo max_turbine for max_turbines in [lik.veenontginning]",
                   scenario_writer("max_turbines = 3", "max_turbine = 3"),
                   "lik.veenontginning.max_turbine", "unknown key"),
    _scenario_case("scenario_unknown_top_key", "typo [target] for [targets]",
                   scenario_writer("[targets]", "[target]"), "target", "unknown key"),
    _scenario_case("scenario_unknown_lik_type", "a table [lik.duinen] for a landscape type that does not exist",
                   scenario_writer("[lik.heide_ontginning]", "[lik.duinen]"), "lik", "duinen",
                   "unknown landscape type"),
    _scenario_case("scenario_negative_target", "electricity_gwh = -5",
                   scenario_writer("electricity_gwh = 15.0", "electricity_gwh = -5.0"),
                   "targets.electricity_gwh", "-5"),
    _scenario_case("scenario_string_number", "electricity_gwh = \"veel\"",
                   scenario_writer("electricity_gwh = 15.0", 'electricity_gwh = "veel"'),
                   "targets.electricity_gwh", "'veel'"),
    _scenario_case("scenario_bad_policy", "solar_on_land = \"maybe\"",
                   scenario_writer('solar_on_land = "nee_tenzij"', 'solar_on_land = "maybe"'),
                   "policy.solar_on_land", "'maybe'", "nee_tenzij"),
    _scenario_case("scenario_unknown_solver", "[solver] name = \"gurobi\"",
                   scenario_writer('name = "highs"', 'name = "gurobi"'), "solver.name", "'gurobi'", "cbc"),
    _scenario_case("scenario_unknown_allow_kind", "allow lists 'zonnepark'",
                   scenario_writer('allow = ["solar_field", "rooftop_solar"]',
                                   'allow = ["zonnepark", "rooftop_solar"]'),
                   "lik.heide_ontginning.allow", "'zonnepark'"),
    _scenario_case("scenario_missing_name", "no name",
                   scenario_writer('name = "bad-inputs-base"\n', ""), "name", "required"),
)

CASE_BY_NAME: dict[str, Case] = {c.name: c for c in CASES}
GOOD_CASES: tuple[Case, ...] = tuple(c for c in CASES if c.good)
BAD_CASES: tuple[Case, ...] = tuple(c for c in CASES if not c.good)


def write_good(directory: Path = BAD_DIR) -> tuple[Path, Path]:
    """Write the good pair into ``directory``; return (sites, scenario)."""
    directory.mkdir(parents=True, exist_ok=True)
    sites, scen = directory / GOOD_SITES, directory / GOOD_SCENARIO
    write_gpkg(sites, {"sites": sites_frame(good_rows()), "landscape": landscape_frame()})
    scen.write_text(GOOD_SCENARIO_TEXT, encoding="utf-8")
    return sites, scen


def generate(directory: Path = BAD_DIR) -> list[Path]:
    """Write the whole corpus into ``directory`` (deleting stale case files); return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = {GOOD_SITES, GOOD_SCENARIO} | {c.own_file for c in CASES}
    for old in directory.iterdir():
        if old.is_file() and old.suffix in (".gpkg", ".toml") and old.name not in wanted:
            old.unlink()
    written = list(write_good(directory))
    for case in CASES:
        if case.write is None:
            continue
        target = directory / case.own_file
        case.write(target)
        written.append(target)
    return written


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else BAD_DIR
    files = generate(directory)
    print(f"wrote {len(files)} files ({len(BAD_CASES)} bad cases, {len(GOOD_CASES)} good) to {directory}")


if __name__ == "__main__":
    main()
