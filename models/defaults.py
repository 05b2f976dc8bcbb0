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
