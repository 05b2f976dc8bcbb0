"""Built-in example: gemeente Hardenberg (GM0160, RES West-Overijssel), plan year 2030.

**The geometries are ILLUSTRATIVE.** Sites and landscape polygons are placed
near the real places (RD coordinates of the TOP10NL *Plaats* polygons and the
CBS 2026 municipal boundary, looked up once and rounded to 50-100 m), but they are
not real parcels, not real turbine positions and not the provincial LIK map
(Catalogus Gebiedskenmerken, which has no public machine-readable copy, see the
shared data README). Costs are indicative orders of magnitude, not quotes.

Numbers and their sources (fact ids refer to ``public_facts_res_overijssel.csv``
of the shared data, which gives the URL of each; ETLocal = Quintel ETLocal 2023,
row GM0160):

* Windpark De Veenwieken: 10 Enercon E-103 of 3 MW, hub 98 m, rotor 103 m (F14),
  5 in Hardenberg and 5 in Ommen (F15); only the Hardenberg five are sites here.
  Their yield is the measured 2023 production, ETLocal ``wind_onshore_prod_TJ`` =
  93 TJ = 25.8 GWh, split evenly. Ommen lies south of Dedemsvaart, so the row
  stands near that border.
* Existing fields: 43 ha approved in December 2018 (F13), here as three parks
  with the names and MWp of the NL-solar list (Heemserpoort 15.3, Hardenberg/
  Kronos Solar 7.5, NPG Solar Dedemsvaart 2.58) plus two illustrative fields
  that bring the total to 43 ha (which parks were in the 2018 batch is not known
  to us), and Zonnepark Kloosterhaar, 16 MW (shared data README). Together
  52.6 MWp ≈ 50 GWh against ETLocal ``solar_parks_prod_TJ`` 190.8 TJ = 53.0 GWh.
* Existing roofs: two aggregates whose yield is ETLocal ``solar_roof_residential_TJ``
  and ``solar_roof_nonres_TJ`` / 3.6 TJ per GWh.
* Wind candidates in the pilots Kloosterhaar-Bergentheim-Sibculo and Diffelen:
  5.6 MW class; 2,756 full-load hours give 15.4 GWh, the low end of F25
  (50–65 × 5.6 MW per TWh = 15–20 GWh each) and consistent with F29. Cost
  1.4 M€/MW: indicative, the order of magnitude of PBL's SDE++ base-amount advice.
* Fields 0.46–0.65 M€/MWp (solar carports 0.85) at 0.85 MWp/ha (F26,
  ``models.defaults``); roofs 0.72–1.0 M€/MWp. The roof candidates (40 MWp) are
  about 4 % of ETLocal's suitable roof area (``residential_roof_pv_km2`` +
  ``nonres_roof_pv_km2`` = 6.65 km²) at an assumed 0.15 kWp/m²: the programmes
  the municipality could run by 2030, not the technical potential.
* Landscape: the Vecht and Reest valleys (beekdal), essen by the old villages (the
  open es of De Lutteres at Oud Lutten among them), a push moraine Kloosterhaar-
  Sibculo (stuwwal, as the issue asking for this example names it), a landgoed zone
  near Rheeze, heath reclamations (place names in -veld, -holt) and elsewhere the
  peat colonies (veenontginning): drawn from place names and river courses.

Existing sites carry ``cost_meur = 0``: their investment is sunk. The target and
its derivation are in ``hardenberg.toml``; ``target_gwh`` repeats the arithmetic.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point, Polygon, box

from models.defaults import SOLAR_FIELD_MWP_PER_HA, TJ_PER_GWH

RD_NEW = "EPSG:28992"

#: ETLocal 2023 values of GM0160 used here (``etlocal_gemeenten_2023_nl.csv``) [TJ/yr, km²].
ETLOCAL_GM0160: dict[str, float] = {
    "derived_total_final_TJ": 5208.54,
    "derived_total_excl_transport_TJ": 3018.97,
    "wind_onshore_prod_TJ": 93.0,
    "solar_parks_prod_TJ": 190.836,
    "solar_roof_residential_TJ": 187.088,
    "solar_roof_nonres_TJ": 422.644,
    "residential_roof_pv_km2": 2.62206,
    "nonres_roof_pv_km2": 4.02891,
}

#: Hardenberg's 2030 goal: 30 % of its own energy use renewable (F11).
RENEWABLE_SHARE_2030 = 0.30


def target_gwh() -> float:
    """The example's electricity target [GWh/yr]: 30 % (F11) of ETLocal 2023 total final
    demand including transport, met by electricity (see ``hardenberg.toml`` for why)."""
    return RENEWABLE_SHARE_2030 * ETLOCAL_GM0160["derived_total_final_TJ"] / TJ_PER_GWH


def _tj_to_gwh(key: str) -> float:
    return round(ETLOCAL_GM0160[key] / TJ_PER_GWH, 2)  # ETLocal [TJ/yr] → [GWh/yr]


#: Turbine types: label, hub height [m], rotor diameter [m].
TURBINE_TYPES: dict[str, tuple[str, float, float]] = {
    "E-103": ("Enercon E-103 EP2, 3.0 MW", 98.0, 103.0),  # F14
    "5.6MW": ("5.6 MW class, generic (e.g. Vestas V150-5.6)", 125.0, 150.0),
}

#: Existing roof PV [MWp]: ETLocal yield / 950 full-load hours.
_ETL_ROOF_RES_MWP = round(_tj_to_gwh("solar_roof_residential_TJ") / 0.95, 2)
_ETL_ROOF_NONRES_MWP = round(_tj_to_gwh("solar_roof_nonres_TJ") / 0.95, 2)
_VW_YIELD_GWH = round(ETLOCAL_GM0160["wind_onshore_prod_TJ"] / TJ_PER_GWH / 5, 2)
_KBS = "Kloosterhaar-Bergentheim-Sibculo"

#: Wind turbines: id, name, status, type, pilot area /
#: MW, cost [M€], x, y [RD m], yield [GWh/yr] (None = full-load hours), intended LIK type.
TURBINES: tuple[tuple[Any, ...], ...] = (
    ("WT-VW-01", "De Veenwieken 1", "existing", "E-103", None,
     3.0, 0.0, 225000, 510300, _VW_YIELD_GWH, "veenontginning"),
    ("WT-VW-02", "De Veenwieken 2", "existing", "E-103", None,
     3.0, 0.0, 225500, 510300, _VW_YIELD_GWH, "veenontginning"),
    ("WT-VW-03", "De Veenwieken 3", "existing", "E-103", None,
     3.0, 0.0, 226000, 510300, _VW_YIELD_GWH, "veenontginning"),
    ("WT-VW-04", "De Veenwieken 4", "existing", "E-103", None,
     3.0, 0.0, 226500, 510300, _VW_YIELD_GWH, "veenontginning"),
    ("WT-VW-05", "De Veenwieken 5", "existing", "E-103", None,
     3.0, 0.0, 227000, 510300, _VW_YIELD_GWH, "veenontginning"),
    # Pilot Kloosterhaar-Bergentheim-Sibculo: a grid ~780 m apart on the peat colony between
    # the villages; KBS-09/10 are alternatives 390 m from two grid positions (spacing rule).
    ("WT-KBS-01", "Gouden Ploeg west", "candidate", "5.6MW", _KBS,
     5.6, 8.1, 237300, 503300, None, "veenontginning"),
    ("WT-KBS-02", "Gouden Ploeg zuid", "candidate", "5.6MW", _KBS,
     5.6, 7.9, 237900, 502800, None, "veenontginning"),
    ("WT-KBS-03", "Bergentheim zuid", "candidate", "5.6MW", _KBS,
     5.6, 7.8, 238500, 503300, None, "veenontginning"),
    ("WT-KBS-04", "Kanaal west", "candidate", "5.6MW", _KBS,
     5.6, 7.8, 238500, 502300, None, "veenontginning"),
    ("WT-KBS-05", "Kanaal midden", "candidate", "5.6MW", _KBS,
     5.6, 7.7, 239100, 502800, None, "veenontginning"),
    ("WT-KBS-06", "Bruchterveld zuid", "candidate", "5.6MW", _KBS,
     5.6, 7.9, 239700, 503300, None, "veenontginning"),
    ("WT-KBS-07", "Kanaal oost", "candidate", "5.6MW", _KBS,
     5.6, 7.8, 239700, 502300, None, "veenontginning"),
    ("WT-KBS-08", "Kloosterhaar west", "candidate", "5.6MW", _KBS,
     5.6, 8.0, 240300, 502800, None, "veenontginning"),
    ("WT-KBS-09", "Kanaal west (alternatief)", "candidate", "5.6MW", _KBS,
     5.6, 7.6, 238200, 502550, None, "veenontginning"),
    ("WT-KBS-10", "Bruchterveld zuid (alternatief)", "candidate", "5.6MW", _KBS,
     5.6, 7.7, 240000, 503050, None, "veenontginning"),
    ("WT-KBS-11", "Sibculo west", "candidate", "5.6MW", _KBS,
     5.6, 7.8, 238500, 500400, None, "stuwwal"),
    # Pilot Diffelen, north-west of the Vecht; DIF-05 is 320–360 m from DIF-03 and DIF-04.
    ("WT-DIF-01", "Diffelen Vechtoever", "candidate", "5.6MW", "Diffelen",
     5.6, 7.7, 234500, 505500, None, "beekdal"),
    ("WT-DIF-02", "Diffelerveld noord", "candidate", "5.6MW", "Diffelen",
     5.6, 8.3, 233500, 507700, None, "heide_ontginning"),
    ("WT-DIF-03", "Diffelerveld midden", "candidate", "5.6MW", "Diffelen",
     5.6, 8.0, 233700, 507000, None, "heide_ontginning"),
    ("WT-DIF-04", "Diffelerveld zuid", "candidate", "5.6MW", "Diffelen",
     5.6, 8.1, 233900, 506350, None, "heide_ontginning"),
    ("WT-DIF-05", "Diffelerveld (alternatief)", "candidate", "5.6MW", "Diffelen",
     5.6, 7.9, 233800, 506700, None, "heide_ontginning"),
)

#: Solar fields: id, name, status, initiator, zonneladder step /
#: MWp, cost [M€/MWp], centre x, y [RD m], width [m], intended LIK type.
#: The rectangle drawn has the area MWp / 0.85 MWp/ha.
FIELDS: tuple[tuple[Any, ...], ...] = (
    ("ZV-B01", "Zonnepark Heemserpoort", "existing", "commercieel", "landbouwgrond",
     15.3, 0.00, 235500, 510700, 500, "veenontginning"),
    ("ZV-B02", "Zonnepark Hardenberg (Kronos Solar)", "existing", "commercieel", "landbouwgrond",
     7.5, 0.00, 233900, 513150, 420, "veenontginning"),
    ("ZV-B03", "Zonnepark NPG Solar Dedemsvaart", "existing", "commercieel", "bebouwd",
     2.58, 0.00, 230600, 512600, 200, "veenontginning"),
    ("ZV-B04", "Zonneveld Slagharen-Oost (illustratief)", "existing", "commercieel", "landbouwgrond",
     5.95, 0.00, 235800, 517000, 350, "veenontginning"),
    ("ZV-B05", "Zonneveld Venebrugge (illustratief)", "existing", "agrarisch", "landbouwgrond",
     5.27, 0.00, 241900, 506900, 310, "heide_ontginning"),
    ("ZV-B06", "Zonnepark Kloosterhaar", "existing", "commercieel", "landbouwgrond",
     16.0, 0.00, 242700, 503100, 560, "veenontginning"),
    # Planned: permit granted, not built (illustrative).
    ("ZV-P01", "Zonneveld Rheezerveen (illustratief)", "planned", "energiecooperatie", "landbouwgrond",
     10.0, 0.55, 232800, 510300, 400, "veenontginning"),
    # Local initiatives on farmland: admitted under nee, tenzij.
    ("ZV-01", "Zonneveld Dedemsvaart-Zuid", "candidate", "energiecooperatie", "landbouwgrond",
     8.5, 0.55, 228800, 510600, 400, "veenontginning"),
    ("ZV-02", "Zonneweide Slagharen-West", "candidate", "energiecooperatie", "landbouwgrond",
     6.8, 0.56, 232200, 516700, 320, "veenontginning"),
    ("ZV-03", "Zonneveld Lutten-Oost", "candidate", "energiecooperatie", "landbouwgrond",
     5.1, 0.57, 236200, 515000, 300, "veenontginning"),
    ("ZV-04", "Zonneweide Kloosterhaar-Oost", "candidate", "energiecooperatie", "landbouwgrond",
     4.25, 0.58, 243300, 502200, 250, "veenontginning"),
    ("ZV-05", "Zonneveld Balkbrug-West", "candidate", "energiecooperatie", "landbouwgrond",
     10.2, 0.53, 219800, 513300, 400, "veenontginning"),
    ("ZV-06", "Zonneveld De Krim-West", "candidate", "belangengroep", "landbouwgrond",
     7.65, 0.55, 236300, 518600, 360, "veenontginning"),
    ("ZV-07", "Zonneweide Ebbenbroek", "candidate", "energiecooperatie", "landbouwgrond",
     5.95, 0.56, 242400, 506100, 300, "heide_ontginning"),
    ("ZV-08", "Zonneveld Bruchterveld-Oost (dorpsbelang)", "candidate", "belangengroep", "landbouwgrond",
     8.5, 0.55, 242300, 504700, 400, "heide_ontginning"),
    ("ZV-09", "Zonneweide Diffelerveld", "candidate", "belangengroep", "landbouwgrond",
     4.25, 0.58, 233100, 508300, 250, "heide_ontginning"),
    # Local initiatives where the landscape rules say no.
    ("ZV-10", "Zonneveld op de Lutteres", "candidate", "energiecooperatie", "landbouwgrond",
     6.8, 0.54, 238300, 516300, 320, "essen"),
    ("ZV-11", "Zonneweide Vechtdal De Haandrik", "candidate", "belangengroep", "landbouwgrond",
     5.1, 0.55, 243500, 516000, 300, "beekdal"),
    ("ZV-12", "Zonneveld Sibculo", "candidate", "energiecooperatie", "landbouwgrond",
     6.8, 0.56, 240600, 499300, 400, "stuwwal"),
    # Commercial and agricultural fields on land: cheaper, but excluded under nee, tenzij.
    ("ZV-13", "Zonnepark Rheezerveen-Noord (ontwikkelaar)", "candidate", "commercieel", "landbouwgrond",
     17.0, 0.46, 230300, 510600, 500, "veenontginning"),
    ("ZV-14", "Zonnepark Heemserveen (ontwikkelaar)", "candidate", "commercieel", "landbouwgrond",
     12.75, 0.47, 234300, 511700, 450, "veenontginning"),
    ("ZV-15", "Zonneweide Anerveen (agrariër)", "candidate", "agrarisch", "landbouwgrond",
     4.25, 0.50, 240400, 518100, 250, "veenontginning"),
    ("ZV-16", "Zonnepark Holtheme (ontwikkelaar)", "candidate", "commercieel", "landbouwgrond",
     12.75, 0.46, 244300, 513500, 450, "heide_ontginning"),
    ("ZV-17", "Zonneweide Venebrugge-Oost (agrariër)", "candidate", "agrarisch", "landbouwgrond",
     5.1, 0.49, 243900, 509000, 300, "heide_ontginning"),
    ("ZV-18", "Zonnepark Bergentheim-West (ontwikkelaar)", "candidate", "commercieel", "landbouwgrond",
     10.2, 0.47, 237000, 502200, 400, "veenontginning"),
    ("ZV-19", "Zonnepark Lutterveld (ontwikkelaar)", "candidate", "commercieel", "landbouwgrond",
     8.5, 0.47, 235200, 520000, 400, "veenontginning"),
    ("ZV-20", "Zonneweide Rheeze (agrariër, landgoedzone)", "candidate", "agrarisch", "landbouwgrond",
     3.4, 0.52, 235000, 508300, 250, "landgoed"),
    ("ZV-21", "Zonnepark heideperceel Mariënberg (ontwikkelaar)", "candidate", "commercieel", "natuur",
     4.25, 0.48, 236700, 503500, 250, "veenontginning"),
    # Built-up and multifunctional land (zonneladder steps 2-3): any initiator.
    ("ZV-22", "Zonneveld voormalige stortplaats (illustratief)", "candidate", "gemeente", "multifunctioneel",
     3.4, 0.62, 229200, 511000, 250, "veenontginning"),
    ("ZV-23", "Zon langs de N34 bij Heemserveen", "candidate", "commercieel", "multifunctioneel",
     2.55, 0.65, 234300, 509500, 500, "veenontginning"),
    ("ZV-24", "Zon langs de N36 bij Mariënberg", "candidate", "commercieel", "multifunctioneel",
     2.55, 0.65, 236900, 502900, 500, "veenontginning"),
    ("ZV-25", "Zonneveld reservegrond Broeklanden-Oost", "candidate", "commercieel", "bebouwd",
     4.25, 0.50, 241600, 507700, 250, "heide_ontginning"),
    ("ZV-26", "Zonneveld uitbreiding Moerheide Dedemsvaart", "candidate", "commercieel", "bebouwd",
     2.55, 0.52, 231400, 512500, 200, "veenontginning"),
    ("ZV-27", "Solar carports parkeerterrein Slagharen", "candidate", "commercieel", "multifunctioneel",
     2.55, 0.85, 235000, 515900, 200, "veenontginning"),
)

#: Rooftop solar: id, name, status, initiator /
#: MWp, cost [M€/MWp], centre x, y [RD m] (None = no geometry), side of the square drawn [m],
#: yield [GWh/yr] (None = full-load hours), intended LIK type.
ROOFS: tuple[tuple[Any, ...], ...] = (
    ("DAK-B01", "Bestaand zon-op-dak woningen (ETLocal 2023)", "existing", None,
     _ETL_ROOF_RES_MWP, 0.0, None, None, 0, _tj_to_gwh("solar_roof_residential_TJ"), "onbekend"),
    ("DAK-B02", "Bestaand zon-op-dak bedrijven en utiliteit (ETLocal 2023)", "existing", None,
     _ETL_ROOF_NONRES_MWP, 0.0, None, None, 0, _tj_to_gwh("solar_roof_nonres_TJ"), "onbekend"),
    ("DAK-P01", "Gemeentelijke gebouwen, tranche 1 (gepland)", "planned", "gemeente",
     1.2, 0.85, 238700, 510300, 150, None, "beekdal"),
    ("DAK-01", "Bedrijventerrein Broeklanden, Hardenberg", "candidate", "commercieel",
     6.0, 0.72, 240500, 507900, 600, None, "veenontginning"),
    ("DAK-02", "Bedrijventerrein Marslanden, Hardenberg", "candidate", "commercieel",
     4.0, 0.74, 237600, 511000, 450, None, "veenontginning"),
    ("DAK-03", "Bedrijventerrein Kalterweg, Dedemsvaart", "candidate", "commercieel",
     3.0, 0.75, 226100, 512300, 400, None, "veenontginning"),
    ("DAK-04", "Bedrijventerrein Moerheide/Rollepaal, Dedemsvaart", "candidate", "commercieel",
     3.5, 0.74, 229600, 513100, 450, None, "veenontginning"),
    ("DAK-05", "Bedrijventerrein Slagharen", "candidate", "commercieel",
     1.8, 0.78, 233700, 515600, 300, None, "veenontginning"),
    ("DAK-06", "Bedrijventerrein Gramsbergen", "candidate", "commercieel",
     1.5, 0.78, 242400, 513700, 300, None, "beekdal"),
    ("DAK-07", "Agrarische daken Balkbrug en Oud Avereest", "candidate", "agrarisch",
     2.5, 0.80, 220500, 512800, 500, None, "veenontginning"),
    ("DAK-08", "Agrarische daken Lutten, Slagharen en De Krim", "candidate", "agrarisch",
     2.5, 0.80, 236500, 517800, 500, None, "veenontginning"),
    ("DAK-09", "Agrarische daken Radewijk en Venebrugge", "candidate", "agrarisch",
     2.0, 0.82, 245000, 508900, 500, None, "heide_ontginning"),
    ("DAK-10", "Agrarische daken Bergentheim en Kloosterhaar", "candidate", "agrarisch",
     2.0, 0.82, 240300, 504200, 500, None, "veenontginning"),
    ("DAK-11", "Woningen Hardenberg (coöperatieprogramma)", "candidate", "energiecooperatie",
     3.0, 0.95, 239200, 511000, 500, None, "beekdal"),
    ("DAK-12", "Woningen Dedemsvaart (coöperatieprogramma)", "candidate", "energiecooperatie",
     2.0, 0.95, 227800, 512900, 500, None, "veenontginning"),
    ("DAK-13", "Woningen Gramsbergen en Ane", "candidate", "energiecooperatie",
     1.0, 0.98, 241900, 514500, 300, None, "beekdal"),
    ("DAK-14", "Woningen Slagharen, Lutten en Schuinesloot", "candidate", "energiecooperatie",
     1.0, 0.98, 233900, 516300, 300, None, "veenontginning"),
    ("DAK-15", "Woningen Bergentheim, Kloosterhaar, Sibculo, Mariënberg", "candidate", "energiecooperatie",
     1.0, 0.98, 238400, 504900, 300, None, "veenontginning"),
    ("DAK-16", "Woningen Balkbrug, De Krim en kleine kernen", "candidate", "energiecooperatie",
     0.8, 1.00, 222800, 513000, 300, None, "veenontginning"),
    ("DAK-17", "Scholen en sporthallen, tranche 2", "candidate", "gemeente",
     1.0, 0.85, 238300, 509700, 200, None, "beekdal"),
    ("DAK-18", "Daken Attractiepark Slagharen", "candidate", "commercieel",
     1.5, 0.78, 234700, 516500, 300, None, "veenontginning"),
)

#: Coarse outline of GM0160 (CBS Gebiedsindelingen 2026 simplified 250 m, buffered 500 m) [RD m];
#: the landscape layer is clipped to it.
OUTLINE: tuple[tuple[int, int], ...] = (
    (234500, 503000), (234300, 502600), (232900, 503800), (231500, 508500), (230600, 509700),
    (229800, 509100), (224300, 509200), (223500, 511500), (218100, 511600), (217900, 512200),
    (216400, 511900), (218300, 520300), (221500, 518100), (222600, 515000), (223200, 515500),
    (223600, 515400), (224100, 516000), (224700, 515700), (225900, 517200), (226400, 515400),
    (226700, 515200), (227000, 515100), (228300, 516600), (229100, 515600), (231100, 515300),
    (230700, 518500), (233600, 520900), (238100, 522000), (245100, 519000), (244600, 518100),
    (244900, 517900), (244600, 516800), (245000, 516800), (246300, 515100), (245800, 512200),
    (249500, 508900), (247600, 508300), (246100, 508600), (245500, 507000), (243600, 507400),
    (245000, 504600), (244400, 499900), (242100, 501000), (241500, 500500), (241200, 498600),
    (239400, 498700), (238200, 497400), (237100, 499300), (236200, 499500), (237300, 501100),
)

#: Landscape (LIK) features in priority order: an earlier feature wins where two overlap.
#: Rows: LIK type, name, "line" (a valley drawn as a band of the given half-width [m] along
#: its course) or "poly" (a polygon; no width), points [RD m]. Everything else inside the
#: outline is veenontginning.
LANDSCAPE: tuple[tuple[str, str, str, Any, Any], ...] = (
    ("beekdal", "Vechtdal", "line", 700, (
        (245300, 516900), (243700, 515700), (242300, 514300), (241000, 513200), (239800, 511600),
        (238800, 510300), (237600, 508700), (236300, 507300), (235000, 505900), (234100, 504700),
        (233200, 503900))),
    ("beekdal", "Reestdal", "line", 500, (
        (218600, 519400), (221100, 517700), (221800, 516100), (222000, 514800), (222500, 514300),
        (223300, 514900), (224300, 515400), (225700, 516200), (225900, 515200), (226400, 514800),
        (227200, 514600), (227900, 515700), (228900, 515100), (229700, 515200), (231600, 514700),
        (231500, 515800))),
    ("essen", "De Lutteres (Oud Lutten)", "poly", None, (
        (237000, 515300), (239600, 515300), (239600, 517400), (237000, 517400))),
    ("essen", "Es van Ane en Anerveen", "poly", None, (
        (239800, 514600), (241300, 515400), (241300, 516500), (239800, 516500))),
    ("essen", "Es van Collendoorn", "poly", None, (
        (236300, 511700), (238000, 511700), (238000, 513500), (236300, 513500))),
    ("essen", "Es van Brucht", "poly", None, (
        (237300, 506300), (239700, 506300), (239700, 507300), (238800, 507900), (237300, 507600))),
    ("essen", "Es van Radewijk", "poly", None, (
        (244800, 509300), (246500, 509300), (246500, 510700), (244800, 510700))),
    ("stuwwal", "Stuwwal Kloosterhaar-Sibculo", "poly", None, (
        (237300, 499200), (238600, 498000), (240600, 498400), (241400, 500300), (241000, 501100),
        (239300, 501300), (238000, 500900))),
    ("landgoed", "Landgoedzone Rheeze-Heemse", "poly", None, (
        (234300, 507900), (235900, 507900), (235900, 509200), (234300, 509200))),
    ("heide_ontginning", "Heideontginningen Radewijk, Venebrugge en Bruchterveld", "poly", None, (
        (240800, 503800), (245500, 503800), (249600, 508800), (245800, 512300), (243000, 512300),
        (241000, 509500), (240800, 507000))),
    ("heide_ontginning", "Heideontginningen Holtheme en Holthone", "poly", None, (
        (242500, 512300), (245800, 512300), (246400, 515100), (245200, 519100), (242000, 519100),
        (242200, 515900))),
    ("heide_ontginning", "Diffelerveld", "poly", None, (
        (232000, 504600), (233800, 503600), (235400, 505800), (235800, 507800), (233700, 509300),
        (231500, 508900))),
)


def _rectangle(cx: float, cy: float, area_ha: float, width_m: float) -> Polygon:
    height = area_ha * 10_000.0 / width_m
    return box(cx - width_m / 2, cy - height / 2, cx + width_m / 2, cy + height / 2)


def _turbine_rows() -> list[dict[str, Any]]:
    rows = []
    for sid, name, status, ttype, pilot, mw, cost, x, y, yld, _ in TURBINES:
        label, hub, rotor = TURBINE_TYPES[ttype]
        rows.append({
            "site_id": sid, "name": name, "kind": "wind_turbine", "status": status, "capacity_mw": mw,
            "yield_gwh": yld, "cost_meur": cost, "initiator": "commercieel", "turbine_type": label,
            "hub_height_m": hub, "rotor_diameter_m": rotor, "pilot_area": pilot, "geometry": Point(x, y),
        })
    return rows


def _field_rows() -> list[dict[str, Any]]:
    rows = []
    for sid, name, status, initiator, step, mwp, rate, cx, cy, width, _ in FIELDS:
        area_ha = mwp / SOLAR_FIELD_MWP_PER_HA
        rows.append({
            "site_id": sid, "name": name, "kind": "solar_field", "status": status, "capacity_mw": mwp,
            "cost_meur": round(mwp * rate, 2), "initiator": initiator, "zonneladder": step,
            "geometry": _rectangle(cx, cy, area_ha, width),
        })
    return rows


def _roof_rows() -> list[dict[str, Any]]:
    rows = []
    for sid, name, status, initiator, mwp, rate, cx, cy, side, yld, _ in ROOFS:
        geom = None if cx is None else box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
        rows.append({
            "site_id": sid, "name": name, "kind": "rooftop_solar", "status": status, "capacity_mw": mwp,
            "yield_gwh": yld, "cost_meur": round(mwp * rate, 2), "initiator": initiator, "geometry": geom,
        })
    return rows


#: The LIK type each site is meant to get from the landscape layer (tests check it).
INTENDED_LIK: dict[str, str] = {row[0]: row[-1] for row in (*TURBINES, *FIELDS, *ROOFS)}

_COLUMNS = (
    "site_id", "name", "kind", "status", "capacity_mw", "yield_gwh", "cost_meur", "initiator",
    "area_ha", "zonneladder", "turbine_type", "hub_height_m", "rotor_diameter_m", "pilot_area",
)


def build_sites() -> gpd.GeoDataFrame:
    """The ``sites`` layer (file contract columns) in EPSG:28992."""
    rows = _turbine_rows() + _field_rows() + _roof_rows()
    data = {col: [row.get(col) for row in rows] for col in _COLUMNS}
    return gpd.GeoDataFrame(data, geometry=[row["geometry"] for row in rows], crs=RD_NEW)


def build_landscape() -> gpd.GeoDataFrame:
    """The ``landscape`` layer: ``lik_type`` polygons (and a ``name``) in EPSG:28992."""
    outline = Polygon(OUTLINE)
    taken = Polygon()
    types, names, geoms = [], [], []
    for lik, name, shape, width, points in LANDSCAPE:
        geom = LineString(points).buffer(width) if shape == "line" else Polygon(points)
        geom = geom.intersection(outline).difference(taken)
        taken = taken.union(geom)
        types.append(lik)
        names.append(name)
        geoms.append(geom)
    rest = outline.difference(taken)
    types.append("veenontginning")
    names.append("Veenkoloniën Dedemsvaart, Slagharen, Lutten, De Krim, Bergentheim, Kloosterhaar")
    geoms.append(rest)
    return gpd.GeoDataFrame({"lik_type": types, "name": names}, geometry=geoms, crs=RD_NEW)
