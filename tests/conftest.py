from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI (CI=true) runs the same examples every time, so main stays green for a reason anyone can
# reproduce; local runs keep exploring new examples (that is how the zonneladder case of
# test_whatif was found). A failing example is printed with its seed either way.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SHARED_REAL = REPO.parent / "shared" / "data" / "real"


@pytest.fixture
def tiny_paths() -> tuple[Path, Path]:
    return DATA / "tiny.gpkg", DATA / "tiny.toml"


@pytest.fixture
def shared_real() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip(f"real public data not found at {SHARED_REAL} (the project's ../shared checkout)")
    return SHARED_REAL


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/NAME; UPDATE_SNAPSHOTS=1 rewrites it."""
    path = Path(__file__).parent / "snapshots" / name
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        if os.environ.get("CI") and not path.exists():
            pytest.fail(f"snapshot {name} missing; run UPDATE_SNAPSHOTS=1 pytest locally and commit it")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
