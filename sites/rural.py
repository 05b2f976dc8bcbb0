"""Whether a district is rural (buitengebied), from its address density where the data has it.

CBS classes areas by *omgevingsadressendichtheid* (OAD: the average number of addresses within 1 km
of each address, per km²) into five degrees of urbanisation (*stedelijkheid*): ≥ 2,500 zeer sterk,
1,500–2,500 sterk, 1,000–1,500 matig, 500–1,000 weinig stedelijk and **< 500 niet stedelijk** (CBS,
"Stedelijkheid (van een gebied)", begrippen). A district below 500 addresses per km² is rural here.

Three rules, the first the data allows:

1. ``address_density``: the OAD itself (a column ``address_density_per_km2`` or CBS's
   ``omgevingsadressendichtheid``);
2. ``dwelling_density``: dwellings per km² of the district's area (``area_ha``, from the polygon when
   not given) against the same 500. An approximation: dwellings are fewer than addresses (shops,
   firms) and a district's own gross density is lower than the OAD near its rim, so it leans rural;
3. ``name``: the name contains "buitengebied" or "verspreid" (CBS names countryside buurten
   "Buitengebied Olst", "Verspreide huizen Ane") — only when neither density is known.
"""

from __future__ import annotations

from collections import Counter

#: Below this [addresses/km²] an area is *niet stedelijk* (CBS stedelijkheid class 5).
RURAL_BELOW_ADDRESSES_PER_KM2 = 500.0
#: Name parts of countryside buurten in CBS names ("Buitengebied Olst", "Verspreide huizen Ane").
RURAL_WORDS = ("buitengebied", "verspreid")
#: The rules in the order they are tried, with the words the loader's messages use.
RULES = {
    "address_density": f"address density < {RURAL_BELOW_ADDRESSES_PER_KM2:.0f}/km² (CBS stedelijkheid: niet stedelijk)",
    "dwelling_density": f"dwellings per km² of area < {RURAL_BELOW_ADDRESSES_PER_KM2:.0f} (no address density)",
    "name": f"the name rule ({' or '.join(repr(w) for w in RURAL_WORDS)} in the name; no density or area)",
}


def rural_rule(name: str, dwellings: float | None, address_density_per_km2: float | None,
               area_ha: float | None) -> tuple[bool, str]:
    """Whether a district is rural and the rule that decided (a key of ``RULES``).

    Parameters
    ----------
    name : the district's name (CBS buurt name)
    dwellings : number of dwellings [-]
    address_density_per_km2 : CBS omgevingsadressendichtheid [addresses/km²], or ``None``
    area_ha : the district's area [ha], or ``None``

    Examples
    --------
    >>> rural_rule("Dorp", 300, 420.0, None), rural_rule("Buitengebied Dorp", 250, None, 1000.0)
    ((True, 'address_density'), (True, 'dwelling_density'))
    >>> rural_rule("Verspreide huizen Ane", 80, None, None), rural_rule("Centrum", 900, None, 30.0)
    ((True, 'name'), (False, 'dwelling_density'))
    """
    if address_density_per_km2 is not None:
        return address_density_per_km2 < RURAL_BELOW_ADDRESSES_PER_KM2, "address_density"
    if area_ha and dwellings is not None:
        return dwellings / (area_ha / 100.0) < RURAL_BELOW_ADDRESSES_PER_KM2, "dwelling_density"
    return any(word in name.lower() for word in RURAL_WORDS), "name"


def rural_message(decided: list[tuple[bool, str]], what: str) -> str:
    """One sentence: how many of ``what`` are rural and which rule decided for how many."""
    rules = Counter(rule for _, rule in decided)
    how = "; ".join(f"{RULES[r]} for {rules[r]}" for r in RULES if rules[r])
    return f"{sum(r for r, _ in decided)} of {len(decided)} {what} marked rural, by {how}"


__all__ = ["RURAL_BELOW_ADDRESSES_PER_KM2", "RURAL_WORDS", "RULES", "rural_message", "rural_rule"]
