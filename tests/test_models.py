import math

import pytest
from pydantic import ValidationError

from models import Scenario, SolarField, WindTurbine, parse_site
from models.site import normalise_lik_type


def base(**kw):
    return {"site_id": "F1", "kind": "solar_field", "status": "candidate", "capacity_mw": 2.0,
            "cost_meur": 1.0, "area_ha": 2.5, **kw}


def test_discriminated_union_picks_class():
    assert isinstance(parse_site(base()), SolarField)
    wt = parse_site({"site_id": "T", "kind": "wind_turbine", "status": "existing", "capacity_mw": 3,
                     "cost_meur": 0, "x_m": 1, "y_m": 2})
    assert isinstance(wt, WindTurbine) and wt.is_locked_in


@pytest.mark.parametrize("field,value,words", [
    ("capacity_mw", -1.0, "greater than 0"),
    ("capacity_mw", math.nan, "finite"),
    ("cost_meur", -0.1, "greater than or equal to 0"),
    ("status", "maybe", "existing"),
    ("initiator", "bank", "energiecooperatie"),
    ("lik_type", "duinen", "unknown landscape type"),
    ("area_ha", 0.0, "greater than 0"),
])
def test_invalid_values_are_rejected_with_the_field(field, value, words):
    with pytest.raises(ValidationError) as err:
        parse_site(base(**{field: value}))
    text = str(err.value)
    assert field in text and words in text


def test_unknown_kind_and_extra_field_rejected():
    with pytest.raises(ValidationError):
        parse_site(base(kind="biomass"))
    with pytest.raises(ValidationError, match="extra"):
        parse_site(base(colour="red"))


@pytest.mark.parametrize("raw,canon", [("Beekdal", "beekdal"), ("esdorpen", "essen"),
                                       ("heide-/veldontginning", "heide_ontginning")])
def test_lik_aliases(raw, canon):
    assert normalise_lik_type(raw) == canon


def test_lik_typo_suggests():
    with pytest.raises(ValueError, match="Did you mean 'beekdal'"):
        normalise_lik_type("beekdl")


def test_scenario_defaults_and_rules():
    s = Scenario(name="x", lik={"Esdorpen": {"allow": ["solar_field"]}})
    assert s.full_load_hours.solar_field == 950 and s.full_load_hours.wind_turbine == 2756
    assert s.rule_for("essen").allow == ["solar_field"]
    assert [k.value for k in s.rule_for("stuwwal").allow] == ["rooftop_solar"]  # no table: roofs only


def test_scenario_rejects_typos_and_duplicates():
    with pytest.raises(ValidationError, match="max_turbine"):
        Scenario.model_validate({"name": "x", "lik": {"beekdal": {"max_turbine": 3}}})
    with pytest.raises(ValidationError, match="given twice"):
        Scenario.model_validate({"name": "x", "lik": {"essen": {}, "esdorpen": {}}})
    with pytest.raises(ValidationError):
        Scenario.model_validate({"name": "x", "targets": {"electricity_gwh": -5}})
