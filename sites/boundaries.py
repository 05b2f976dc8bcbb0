"""Municipality boundaries for candidate generation and region scenarios: read them (any CRS →
RD New) with their CBS code, name and RES region, and select a region's or named municipalities.

Bad files are reported as in ``sites.geodata`` (file, layer, rows, fix).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from models import InputError
from models.errors import preview_ids
from sites.geodata import RD_NEW, GeoLayer, find_column, read_layer, row_labels

__all__ = ["read_boundaries", "select_municipalities"]

#: Columns tried, in this order, for the municipality code of the boundaries.
CODE_COLUMNS = ("statcode", "gm_code", "gemeentecode", "gemeente_code", "gmcode", "code")
NAME_COLUMNS = ("statnaam", "gemeentenaam", "gm_naam", "naam", "name")
REGION_COLUMNS = ("res_code",)


def _gemeente_code(value: Any) -> str:
    """A CBS municipality code as ``GM0160``; numbers (160) become codes too; other text stays."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    if isinstance(value, int | np.integer) or (isinstance(value, float) and float(value).is_integer()):
        return f"GM{int(value):04d}"
    text = str(value).strip()
    if re.fullmatch(r"\d{1,4}", text):
        return f"GM{int(text):04d}"
    return text.upper() if re.fullmatch(r"(?i)gm\d{4}", text) else text


def read_boundaries(spec: str | Path, code_column: str | None = None) -> GeoLayer:
    """Municipality polygons with columns ``gemeente`` (code), ``name``, ``res_code``.

    The code column is ``code_column`` or the first of ``statcode``, ``gm_code``,
    ``gemeentecode``, … found; rows with the same code are dissolved into one.
    """
    layer = read_layer(spec, role="boundaries")
    frame = layer.frame
    column = code_column if code_column is not None else find_column(frame, CODE_COLUMNS)
    if column is None or column not in frame.columns:
        what = f"no column '{code_column}'" if code_column else \
            f"no municipality code column (tried {', '.join(CODE_COLUMNS)})"
        raise InputError(f"the boundaries have {what}; columns: "
                         f"{preview_ids([c for c in frame.columns if c != 'geometry'], 12)}. "
                         "Name the code column with --code-column", source=layer.source)
    codes = [_gemeente_code(v) for v in frame[column]]
    blank = [i for i, c in enumerate(codes) if not c]
    if blank:
        raise InputError(f"the boundaries have {len(blank)} row(s) without a code in '{column}' "
                         f"({preview_ids(row_labels(frame, blank))}); fill them in", source=layer.source)
    name_col = find_column(frame, NAME_COLUMNS)
    region_col = find_column(frame, REGION_COLUMNS)
    data = pd.DataFrame({
        "gemeente": codes,
        "name": [str(v).strip() if isinstance(v, str) else c for v, c in
                 zip(frame[name_col] if name_col else codes, codes, strict=True)],
        "res_code": [str(v).strip().upper() if isinstance(v, str) and v.strip() else None
                     for v in (frame[region_col] if region_col else [None] * len(frame))],
    })
    notes = list(layer.notes)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if data["gemeente"].duplicated().any():
        dup = sorted(set(data.loc[data["gemeente"].duplicated(), "gemeente"]))
        notes.append(f"{layer.source}: several rows for {preview_ids(dup)}; dissolved into one polygon each")
    rows = []
    for code, idx in data.groupby("gemeente", sort=True).indices.items():
        parts = geoms[idx]
        first = data.iloc[idx[0]]
        rows.append({"gemeente": code, "name": first["name"], "res_code": first["res_code"],
                     "geometry": parts[0] if len(parts) == 1 else shapely.union_all(parts)})
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)
    return GeoLayer(out, layer.source, tuple(notes))


def select_municipalities(boundaries: GeoLayer, region: str | None = None,
                          gemeenten: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """The municipalities of RES region ``region`` and/or those named (code or name).

    With both, every named municipality must belong to the region. With neither, all.
    """
    frame = boundaries.frame
    chosen = pd.Series(True, index=frame.index)
    if region:
        if frame["res_code"].isna().all():
            raise InputError("the boundaries have no 'res_code' column, so --region cannot be used; "
                             "name the municipalities with --gemeente", source=boundaries.source)
        counts = frame["res_code"].dropna().value_counts().sort_index()
        key = region.strip().upper()
        if key not in counts.index:
            valid = ", ".join(f"{code} ({n} municipalities)" for code, n in counts.items())
            raise InputError(f"unknown RES region '{region}'; the boundaries hold: {valid}",
                             source=boundaries.source)
        chosen &= frame["res_code"] == key
    if gemeenten:
        by_code = {c.upper(): c for c in frame["gemeente"]}
        by_name = {str(n).strip().lower(): c for n, c in zip(frame["name"], frame["gemeente"], strict=True)}
        wanted: list[str] = []
        for item in gemeenten:
            text = _gemeente_code(item)
            code = by_code.get(text.upper()) or by_name.get(str(item).strip().lower())
            if code is None:
                spelled = {k.lower(): k for k in [*by_code.values(), *(str(n).strip() for n in frame["name"])]}
                close = difflib.get_close_matches(str(item).strip().lower(), list(spelled), n=1)
                hint = f" Did you mean '{spelled[close[0]]}'?" if close else ""
                raise InputError(f"unknown municipality '{item}'.{hint} The boundaries hold "
                                 f"{len(frame)}: {preview_ids(sorted(by_code.values()))}",
                                 source=boundaries.source)
            if region and not bool(chosen[frame["gemeente"] == code].iloc[0]):
                raise InputError(f"municipality {code} does not belong to RES region {region.upper()}; "
                                 "drop --region or this --gemeente", source=boundaries.source)
            wanted.append(code)
        chosen &= frame["gemeente"].isin(wanted)
    out = frame.loc[chosen].sort_values("gemeente").reset_index(drop=True)
    if out.empty:
        raise InputError("no municipality selected", source=boundaries.source)
    return out
