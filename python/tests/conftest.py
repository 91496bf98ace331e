"""Finds the package and the CLI of the build under test.

ECHOTRACE_BUILD names the build folder (scripts/check.sh sets it); default
build/ at the repository root. The tests compare the Python API with the
command line of the same build, so both must come from it."""

import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("ECHOTRACE_BUILD", ROOT / "build"))
sys.path.insert(0, str(BUILD / "python"))
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def cli() -> str:
    path = BUILD / "echotrace"
    if not path.exists():
        pytest.fail(f"no CLI at {path}: build first (cmake --build {BUILD})")
    return str(path)


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    return SHARED_DATA
