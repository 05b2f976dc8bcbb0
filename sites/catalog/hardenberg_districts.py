"""Built-in example districts of gemeente Hardenberg (GM0160) for the aardgasvrij plan.

Names, dwellings and average gas and electricity use per dwelling are REAL: the rows of
Hardenberg in ETLocal's neighbourhood table (Quintel ``etlocal``, ``db/datasets/nl_datasets.csv``,
commit cd5a85b, built on CBS *Kerncijfers wijken en buurten* of about 2015–2016; the shared data's
``etlocal_buurten_overijssel_kwb2016vintage.csv``): the nine buurten of Wijk 00 Hardenberg (the
town) and the other twelve wijken (villages and countryside) as one district each. Totals:
23,165 dwellings, 36.9 million m³ gas/yr (about 2016; ETLocal 2023 gives 25,102 dwellings and
24.7 million m³ for the municipality: for real runs, `energie heat --calibrate-to` rescales).

ILLUSTRATIVE: the polygons (rectangles at the TOP10NL place's representative point, sized to a
plausible built-up area, so a density can be computed), the heat sources (residual heat at the
industrial estates, the Vecht for aquathermie: assumptions, not studies; Almelo's Bornsestraat
is the kind of study that would confirm one) and the earliest years. ``rural`` marks the four
countryside wijken (Buitengebied West/Noord/Oost and Ane).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import Polygon, box

from sites.catalog.hardenberg import RD_NEW

_AQUA, _REST = "aquathermie", "restwarmte"

#: (cbs_code, name, dwellings, gas m³/dwelling, electricity kWh/dwelling) from the ETLocal table,
#: then (x, y) [m, RD New], built-up area [ha], rural, heat sources, earliest year: illustrative.
_ROWS: list[tuple[Any, ...]] = [
    ("BU01600001", "Overig Stad Hardenberg", 970, 1240, 2530, 237300, 510300, 60, False, "", None),
    ("BU01600002", "Industriegebied", 70, 2090, 4180, 239300, 508700, 40, False, _REST, None),
    ("BU01600003", "Norden en Hazenbos", 815, 1490, 3210, 236900, 509300, 45, False, "", None),
    ("BU01600004", "Heemse-Oost Heemsermars", 670, 1320, 2920, 238900, 510900, 35, False, _AQUA, None),
    ("BU01600005", "Heemse-West Heemserbos", 520, 1740, 3330, 238100, 511400, 40, False, "", 2035),
    ("BU01600006", "Baalder", 1315, 1440, 3290, 236400, 508400, 60, False, _AQUA, None),
    ("BU01600007", "Baalderveld", 1390, 1470, 3630, 235600, 509500, 70, False, "", None),
    ("BU01600008", "Marslanden en bedrijventerrein Haardijk", 1075, 1220, 3500, 239800, 509900, 45, False,
     f"{_REST}; {_AQUA}", None),
    ("BU01600009", "Centrum saneringsgebied", 865, 790, 2270, 237900, 509700, 25, False, _AQUA, None),
    ("WK016001", "Buitengebied van Hardenberg West", 250, 2240, 4560, 229500, 507500, 1000, True, "", None),
    ("WK016002", "Buitengebied Hardenberg Noord", 475, 2190, 4630, 243500, 520000, 1000, True, "", None),
    ("WK016003", "Buitengebied van Hardenberg Oost", 410, 2240, 4550, 246500, 508000, 1000, True, "", None),
    ("WK016004", "Zuidrand", 1345, 1760, 3960, 240300, 501800, 160, False, "", None),
    ("WK016005", "Bergentheim", 1600, 1640, 3670, 238200, 504900, 78, False, "", None),
    ("WK016006", "Lutten", 785, 1840, 3920, 234700, 514200, 109, False, "", None),
    ("WK016007", "Slagharen", 1635, 1640, 3610, 234100, 516200, 99, False, "", None),
    ("WK016008", "Gramsbergen", 1410, 1580, 3560, 241900, 514200, 158, False, _AQUA, None),
    ("WK016009", "De Krim", 810, 1680, 3380, 238300, 518800, 118, False, "", None),
    ("WK016010", "Ane", 285, 2220, 4550, 244200, 516000, 600, True, "", None),
    ("WK016011", "Dedemsvaart", 5035, 1620, 3260, 227700, 512900, 250, False, _REST, None),
    ("WK016012", "Balkbrug", 1435, 1820, 3470, 222900, 513000, 151, False, "", None),
]

_COLUMNS = ("district_id", "name", "dwellings", "gas_m3_per_dwelling", "electricity_kwh_per_dwelling",
            "x", "y", "area_ha", "rural", "heat_sources", "earliest_year")


def _square(cx: float, cy: float, area_ha: float) -> Polygon:
    side = (area_ha * 1e4) ** 0.5
    return box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def build_districts() -> gpd.GeoDataFrame:
    """The example's ``districts`` layer (EPSG:28992), one row per district."""
    records = [dict(zip(_COLUMNS, row, strict=True)) for row in _ROWS]
    for r in records:
        r["gemeente"] = "GM0160"
        r["geometry"] = _square(r.pop("x"), r.pop("y"), r["area_ha"])
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs=RD_NEW)
    return frame[["district_id", "name", "gemeente", "dwellings", "gas_m3_per_dwelling",
                  "electricity_kwh_per_dwelling", "area_ha", "rural", "heat_sources", "earliest_year",
                  "geometry"]]
