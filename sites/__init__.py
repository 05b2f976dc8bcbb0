"""Reading and writing site data, spatial enrichment, and the built-in examples.

What belongs here: turning GeoPackages and scenario TOML files into validated
``models`` objects (with errors that name the file, row and site id), assigning
landscape (LIK) types from geometry, writing outputs atomically, and the
built-in example catalog. No optimisation happens here.
"""

from sites.calibration import calibrate_to_municipality
from sites.districts import (
    DistrictSet,
    districts_from_frame,
    read_districts,
    write_districts_gpkg,
)
from sites.inputs import PlanningInputs, load_inputs
from sites.reader import read_scenario, read_sites, sites_from_frame

__all__ = [
    "DistrictSet", "PlanningInputs", "calibrate_to_municipality", "districts_from_frame", "load_inputs",
    "read_districts", "read_scenario", "read_sites", "sites_from_frame", "write_districts_gpkg",
]
