"""Regenerate tests/data/tiny.gpkg (+ tiny.toml is hand-written): python tests/data/make_tiny.py"""

from pathlib import Path

import geopandas as gpd
from shapely import box, Point

HERE = Path(__file__).parent
X, Y = 240_000.0, 510_000.0  # near Hardenberg, RD New [m]

sites = gpd.GeoDataFrame(
    {
        "site_id": ["WT-1", "WT-2", "WT-3", "ZV-1", "ZV-2", "ZV-3", "DAK-1", "DAK-2"],
        "name": ["bestaand", "pilot noord", "pilot zuid", "coop veld", "commercieel veld", "beekdal veld",
                 "bedrijventerrein", "boerderijdaken"],
        "kind": ["wind_turbine"] * 3 + ["solar_field"] * 3 + ["rooftop_solar"] * 2,
        "status": ["existing", "candidate", "candidate", "candidate", "candidate", "candidate", "candidate",
                   "planned"],
        "capacity_mw": [3.0, 5.6, 5.6, 8.5, 12.75, 4.25, 3.0, 1.0],
        "yield_gwh": [None, None, None, None, None, None, None, 0.9],
        "cost_meur": [0.0, 7.8, 7.9, 4.3, 6.2, 2.1, 2.6, 0.0],
        "initiator": ["commercieel", "commercieel", "energiecooperatie", "energiecooperatie", "commercieel",
                      "belangengroep", "gemeente", "agrarisch"],
        "area_ha": [None, None, None, None, None, None, 3.0, 1.0],
        "zonneladder": [None, None, None, "landbouwgrond", "landbouwgrond", "landbouwgrond", None, None],
        "pilot_area": [None, "Pilot", "Pilot", None, None, None, None, None],
    },
    geometry=[Point(X, Y), Point(X + 600, Y + 200), Point(X + 900, Y + 200),
              box(X - 2000, Y - 2000, X - 1684, Y - 1684),  # 10 ha
              box(X - 1500, Y + 1000, X - 1113, Y + 1387),  # ~15 ha
              box(X + 3000, Y - 500, X + 3224, Y - 276),    # ~5 ha in the beekdal
              None, None],
    crs="EPSG:28992",
)
landscape = gpd.GeoDataFrame(
    {"lik_type": ["veenontginning", "beekdal"]},
    geometry=[box(X - 3000, Y - 3000, X + 2500, Y + 3000), box(X + 2500, Y - 3000, X + 4000, Y + 3000)],
    crs="EPSG:28992",
)

if __name__ == "__main__":
    out = HERE / "tiny.gpkg"
    out.unlink(missing_ok=True)
    sites.to_file(out, layer="sites", driver="GPKG", engine="pyogrio")
    landscape.to_file(out, layer="landscape", driver="GPKG", engine="pyogrio")
    print(f"wrote {out}")
