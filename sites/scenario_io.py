"""Scenario TOML → ``models.Scenario`` with errors that name the file and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import InputError, Scenario


def format_validation_error(err: ValidationError, prefix: str = "") -> list[str]:
    """One readable line per pydantic error: ``key.path: message (got value)``."""
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"] if not isinstance(p, int) or True)
        where = f"{prefix}{loc}" if loc else prefix.rstrip(".") or "value"
        msg = e["msg"].removeprefix("Value error, ")
        got = e.get("input")
        got_txt = ""
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling; see README 'File contract')"
        elif e["type"] != "missing" and not isinstance(got, dict | list):
            got_txt = f" (got {got!r})"
        lines.append(f"{where}: {msg}{got_txt}")
    return lines


def scenario_from_dict(data: dict[str, Any], source: str) -> Scenario:
    """Validate a parsed scenario mapping; ``source`` names it in errors."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise InputError(
            "the scenario is not valid; fix these keys", format_validation_error(err), source=source
        ) from None


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file.

    Raises
    ------
    InputError
        When the file is missing, is not TOML, or holds invalid or unknown keys.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("scenario file not found; give an existing .toml file", source=str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Windows editors add a BOM
    except UnicodeDecodeError:
        raise InputError("the scenario is not UTF-8 text; save it as UTF-8", source=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"the scenario is not valid TOML: {err}", source=str(path)) from None
    return scenario_from_dict(data, str(path))
