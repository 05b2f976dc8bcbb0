"""Calibrate districts to ETLocal's municipal totals (dwellings and household gas of one year).

The buurt table of ``sites.districts`` is of about 2016; ``calibrate_to_municipality`` scales it to
the municipal table's year (ETLocal 2023) with one factor for dwellings and one for gas.
"""

from __future__ import annotations

import math
from pathlib import Path

from models import InputError
from models.errors import preview_ids
from models.heat import GAS_MJ_PER_M3
from sites.districts import DistrictSet, gm_code, read_csv_rows


def _round_to_total(values: list[float], total: int) -> list[int]:
    """Round ``values`` (summing to ``total``) to integers with that sum (largest remainder)."""
    out = [math.floor(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: values[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def calibrate_to_municipality(ds: DistrictSet, gemeenten_csv: str | Path, gemeente: str) -> DistrictSet:
    """Scale dwellings and gas per dwelling so the totals match the ETLocal municipal table.

    Parameters
    ----------
    ds : DistrictSet
        Districts of one municipality (other ``gemeente`` values are refused).
    gemeenten_csv : str or Path
        ETLocal municipal CSV with ``geo_id``, ``dwellings_total`` [-] and ``hh_gas_TJ`` [TJ/yr];
        gas [m³] = TJ × 10⁶ / ``GAS_MJ_PER_M3`` (31.65 MJ/m³, as ETLocal).
    gemeente : str
        CBS municipality code, e.g. ``"GM0160"``.

    Returns
    -------
    DistrictSet
        Dwellings rounded so they sum to ``dwellings_total``; gas per dwelling scaled by one factor
        so the gas total matches; both factors in a new message.
    """
    path, gm = Path(gemeenten_csv), gm_code(gemeente)
    header, rows = read_csv_rows(path)
    missing = [c for c in ("geo_id", "dwellings_total", "hh_gas_TJ") if c not in header]
    if missing:
        raise InputError(f"column(s) missing: {', '.join(missing)}; give the ETLocal municipal table",
                         source=str(path))
    match = [(line, r) for line, r in rows if str(r["geo_id"]).strip().upper() == gm]
    if not match:
        raise InputError(f"gemeente '{gm}' is not in the file ({len(rows)} municipalities, e.g. "
                         f"{preview_ids(r['geo_id'] for _, r in rows)}); a municipality merged since the "
                         "buurt data's year has a new code", source=str(path))
    line, row = match[0]
    others = sorted({d.gemeente for d in ds.districts} - {gm, ""})
    if others:
        raise InputError(f"the districts belong to other municipalities too ({preview_ids(others)}); "
                         f"read them with gemeente='{gm}' first", source=ds.source)
    try:
        dwellings, gas_tj = round(float(row["dwellings_total"])), float(row["hh_gas_TJ"])
    except (TypeError, ValueError):
        raise InputError(f"line {line} ({gm}): dwellings_total and hh_gas_TJ must be numbers (got "
                         f"{row['dwellings_total']!r}, {row['hh_gas_TJ']!r})", source=str(path)) from None
    dwelling_factor = dwellings / max(ds.dwellings, 1)
    counts = _round_to_total([d.dwellings * dwelling_factor for d in ds.districts], dwellings)
    if ds.gas_m3 <= 0 or min(counts, default=0) < 1:
        raise InputError(f"cannot scale {len(ds.districts)} districts ({ds.dwellings:,} dwellings, "
                         f"{ds.gas_m3:,.0f} m³ gas) to {dwellings:,} dwellings without emptying a district",
                         source=ds.source)
    gas_m3 = gas_tj * 1e6 / GAS_MJ_PER_M3
    gas_factor = gas_m3 / sum(n * d.gas_m3_per_dwelling for n, d in zip(counts, ds.districts, strict=True))
    districts = [d.model_copy(update={"dwellings": n, "gas_m3_per_dwelling": d.gas_m3_per_dwelling * gas_factor})
                 for n, d in zip(counts, ds.districts, strict=True)]
    year = str(row.get("analysis_year") or "").strip() or "(year not given)"
    message = (f"dwellings × {dwelling_factor:.3f}, gas per dwelling × {gas_factor:.3f} to match ETLocal "
               f"{year} for {gm} ({dwellings:,} dwellings, household gas {gas_tj:,.1f} TJ = "
               f"{gas_m3 / 1e6:,.2f} million m³; {path.name})")
    return DistrictSet(districts, ds.source, [*ds.messages, message])
