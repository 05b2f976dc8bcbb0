"""Plan → JSON document and GeoPackage layers (the ``--json`` / ``--out`` contract)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from energie.reports.summary import excluded_counts, totals_by
from models import Plan, Scenario, Site
from models.heat import District

JSON_SCHEMA_VERSION = 1


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The ``--json`` document (see README, "File contract")."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "scenario": plan.scenario_name,
        "status": plan.status.value,
        "objective": plan.objective_meur,
        "gap": plan.gap,
        "bound": plan.bound_meur,
        "solver": plan.solver_version,
        "solve_time_s": round(plan.solve_time_s, 3),
        "selected": plan.selected,
        "locked_in": plan.locked_in,
        "yield_gwh_total": plan.yield_gwh_total,
        "cost_meur": plan.cost_meur,
        "impact_meur": plan.impact_meur,
        "max_reachable_gwh": plan.max_reachable_gwh,
        "targets": {n: {"target": t.target_gwh, "achieved": t.achieved_gwh, "shortfall": t.shortfall_gwh}
                    for n, t in plan.targets.items()},
        "by_lik": {k: {p: v.as_dict() for p, v in parts.items()} for k, parts in totals_by(plan, "lik_type").items()},
        "by_kind": {k: {p: v.as_dict() for p, v in parts.items()} for k, parts in totals_by(plan, "kind").items()},
        "excluded": {r: {"sites": n, "yield_gwh": y} for r, (n, y) in excluded_counts(plan).items()},
        "binding": [r.model_dump() for r in plan.rules if r.binding],
        "rules": [r.model_dump() for r in plan.rules],
        "messages": plan.messages,
        "heat": None if plan.heat is None else plan.heat.model_dump(mode="json"),
        "existing_gwh": plan.existing_gwh,
        "region": plan.region_name or None,
        "municipalities": [m.model_dump() for m in plan.municipalities],
    }


def plan_layers(plan: Plan, sites: list[Site]) -> dict[str, gpd.GeoDataFrame]:
    """GeoPackage layers: ``plan_sites`` (locked-in and chosen), ``excluded_sites`` (with reason) and, for
    a region plan, ``plan_municipalities`` (one row per municipality, no geometry)."""
    geom = {s.site_id: s.geometry for s in sites}
    rows = [{**s.model_dump(), "in_plan_as": "chosen" if s.chosen else "locked_in"} for s in plan.sites]
    for r in rows:
        r.pop("chosen")
    plan_frame = gpd.GeoDataFrame(rows, geometry=[geom.get(r["site_id"]) for r in rows], crs="EPSG:28992")
    ex_rows = [e.model_dump() for e in plan.excluded]
    ex_frame = gpd.GeoDataFrame(ex_rows, geometry=[geom.get(r["site_id"]) for r in ex_rows], crs="EPSG:28992")
    if not ex_rows:
        ex_frame = gpd.GeoDataFrame({"site_id": [], "reason": []}, geometry=[], crs="EPSG:28992")
    layers = {"plan_sites": plan_frame, "excluded_sites": ex_frame}
    if plan.municipalities:
        # one row per municipality (attribute table; join it to the boundaries in QGIS on gemeente)
        towns = [m.model_dump() for m in plan.municipalities]
        layers["plan_municipalities"] = gpd.GeoDataFrame(towns, geometry=[None] * len(towns), crs="EPSG:28992")
    return layers


def heat_layers(plan: Plan, districts: list[District]) -> dict[str, gpd.GeoDataFrame]:
    """GeoPackage layer ``plan_districts``: every district with its strategy and year (empty when
    it stays on gas), cost and energy figures; polygons when the input had them."""
    if plan.heat is None:
        return {}
    geom = {d.district_id: d.geometry for d in districts}
    rows = []
    for r in plan.heat.districts:
        row = r.model_dump()
        row["not_eligible"] = "; ".join(row["not_eligible"])
        rows.append(row)
    frame = gpd.GeoDataFrame(rows, geometry=[geom.get(r["district_id"]) for r in rows], crs="EPSG:28992")
    return {"plan_districts": frame}


def not_chosen_layer(plan: Plan, sites: list[Site], scenario: Scenario | None = None) -> gpd.GeoDataFrame:
    """GeoPackage layer ``candidates_not_chosen``: eligible candidates the plan left out (the
    ``not_chosen`` rows of ``energie.reports.document.site_frame``, with the yield they would give)."""
    from energie.reports.document import site_frame

    every = site_frame(plan, sites, scenario)
    others = (every["in_plan_as"] == "not_chosen").to_numpy()
    frame = every[others].drop(columns=["in_plan_as", "impact_meur", "reason", "detail"])
    geometry = [s.geometry for s, keep in zip(sites, others, strict=True) if keep]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:28992")


def with_boundaries(layers: dict[str, gpd.GeoDataFrame],
                    boundaries: gpd.GeoDataFrame | None) -> dict[str, gpd.GeoDataFrame]:
    """``plan_municipalities`` with each municipality's polygon when the input had boundaries."""
    towns = layers.get("plan_municipalities")
    if towns is None or boundaries is None or "gemeente" not in boundaries.columns:
        return layers
    shapes = dict(zip(boundaries["gemeente"].astype(str), boundaries.geometry, strict=True))
    joined = gpd.GeoDataFrame(towns.drop(columns=towns.geometry.name),
                              geometry=[shapes.get(str(g)) for g in towns["gemeente"]], crs="EPSG:28992")
    return {**layers, "plan_municipalities": joined}


def run_facts(result: Any, run_name: str, inputs: dict[str, str], command: str, created_utc: str,
              version: str) -> dict[str, Any]:
    """One row of the ``runs`` table for a plan or a phased plan (``result``)."""
    last = result.periods[-1].plan if hasattr(result, "periods") else result
    target = last.targets.get("electricity")
    return {
        "run_name": run_name, "created_utc": created_utc, "scenario": result.scenario_name,
        "plan_type": "phased" if hasattr(result, "periods") else ("heat" if result.heat is not None else "plan"),
        "solver": result.solver, "solver_version": result.solver_version, "status": result.status.value,
        "objective_meur": result.objective_meur, "bound_meur": result.bound_meur, "gap": result.gap,
        "cost_meur": result.cost_meur, "solve_time_s": round(result.solve_time_s, 3),
        "build_time_s": round(result.build_time_s, 3),
        "target_gwh": target.target_gwh if target else None,
        "achieved_gwh": last.yield_gwh_total,
        "shortfall_gwh": target.shortfall_gwh if target else None,
        "chosen_sites": len(last.selected), "locked_in_sites": len(last.locked_in),
        **inputs, "energieplanner_version": version, "command": command,
    }
