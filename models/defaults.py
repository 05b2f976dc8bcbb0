"""Sourced default values. Every number states its unit and where it comes from.

The fact ids (F26, F27, …) refer to ``public_facts_res_overijssel.csv`` of the
project's shared data, which cites the public source of each.
"""

from __future__ import annotations

#: Full-load hours of field and rooftop PV [h/yr]. ETM 2023 (Quintel ETLocal,
#: ``etm_flh_solar_h`` = 950 h) and F27 (750–1,100 kWh/kWp in NL).
FLH_SOLAR_H = 950.0

#: Full-load hours of inland wind [h/yr]. ETM 2023 ``etm_flh_wind_inland_h`` =
#: 2,756 h; F28 (NL onshore 1,750–3,500 h, modern turbines at the high end).
FLH_WIND_H = 2756.0

#: Peak power per hectare of a ground-mounted solar field [MWp/ha]. F26 gives
#: 1.1–1.3 ha/MWp for 2018 parks (0.8–0.9 MWp/ha); we take 0.85.
SOLAR_FIELD_MWP_PER_HA = 0.85

#: Minimum distance between wind turbines [m]. No statutory norm (F31); 400 m is
#: the order of the practical dwelling setback and of ~4 rotor diameters of a
#: 100 m rotor, the usual cross-wind spacing.
MIN_TURBINE_DISTANCE_M = 400.0

#: Conversion [TJ per GWh]: 1 GWh = 3.6e12 J = 3.6 TJ.
TJ_PER_GWH = 3.6

# --- candidate generation from maps (``energie candidates``) ---------------------------------

#: Least distance from a wind turbine to any place polygon with inhabitants [m]. There is no
#: statutory distance (F31); in practice about 400 m follows from the noise norm of 47 dB Lden at
#: dwellings (F30, Activiteitenbesluit). Provinces use other figures (Noord-Holland 600 m, F31).
WIND_SETBACK_M = 400.0

#: Default turbine class of generated candidates: 5.6 MW, the class of the rule of thumb
#: "1 TWh = 50–65 turbines of 5.6 MW" (F25). The rotor [m] and hub height [m] are illustrative
#: for that class (tip height ~195 m), not taken from a source; set them for a real turbine.
TURBINE_CAPACITY_MW = 5.6
TURBINE_ROTOR_DIAMETER_M = 150.0
TURBINE_HUB_HEIGHT_M = 120.0

#: Turbine spacing in rotor diameters [-]: across the prevailing wind and along it. A rule of
#: thumb for wind-farm layouts (3–5 D across, 5–9 D along), not a norm; with a 150 m rotor it
#: gives 600 m × 900 m, above MIN_TURBINE_DISTANCE_M.
TURBINE_SPACING_ACROSS_D = 4.0
TURBINE_SPACING_ALONG_D = 6.0

#: Direction the prevailing wind comes from [degrees clockwise from north]. KNMI Klimaatatlas:
#: in the whole country the prevailing wind lies between south-south-west and west-south-west
#: (quoted at https://www.meteo-julianadorp.nl/Klimaatatlas/Klimaatatlas-windsnelheid.html).
PREVAILING_WIND_FROM_DEG = 225.0

#: Investment of onshore wind [M€/MW]. "De ontwikkel- en bouwkosten bedragen gemiddeld € 1,2
#: miljoen/MW" (https://www.daarkrijgjeenergievan.nl/veelgestelde_vragen/hoeveel-kost-het-om-een-
#: windturbine-te-plaatsen/, undated); the Hardenberg example uses 1.36–1.48 M€/MW.
WIND_MEUR_PER_MW = 1.2

#: Investment of a ground-mounted solar field [M€/MWp]. ASSUMPTION, not a sourced figure: we
#: found no public per-MWp figure to cite. 0.55 is the middle of the indicative 0.46–0.65 M€/MWp
#: of the Hardenberg example (the order of magnitude of PBL's SDE++ advice for ground-mounted
#: PV ≥ 1 MWp). Override it (``--solar-meur-per-mwp``) with a figure you can source.
SOLAR_FIELD_MEUR_PER_MWP = 0.55

# --- lifetimes (phased scenarios) --------------------------------------------------------------

#: Technical lifetime of an onshore wind turbine [yr]. Wiser & Bolinger (LBNL, 2019), "Benchmarking
#: Anticipated Wind Project Lifetimes: Results from a Survey of U.S. Wind Industry Professionals":
#: assumed project lives rose from ~20 years in the early 2000s to ~25 years by the mid-2010s and
#: ~30 years more recently (range 25-40, mean 29.6). 25 years: the vintage of most turbines standing
#: today, and the low end for new ones; give ``lifetime_years`` per site for a longer one.
WIND_LIFETIME_YEARS = 25

#: Technical lifetime of PV, fields and roofs [yr]. ASSUMPTION, not a sourced figure: 25 years is
#: the usual module performance warranty and the lifetime ``energie.facts.accounting.LIFETIME_YEARS``
#: annualises over (PBL's SDE++ advice subsidises 15 of them); we found no public lifetime figure
#: to cite. Give ``lifetime_years`` per site where it is known.
SOLAR_LIFETIME_YEARS = 25

#: Default technical lifetime per site kind [yr].
LIFETIME_YEARS_BY_KIND: dict[str, int] = {
    "solar_field": SOLAR_LIFETIME_YEARS,
    "rooftop_solar": SOLAR_LIFETIME_YEARS,
    "wind_turbine": WIND_LIFETIME_YEARS,
}
