"""Shared fixtures: the spaCy model once per session, a Prefect ephemeral API, sample raw dirs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

for _key, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(_key, _value)

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from flows.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def prefect_api():
    """A real, temporary Prefect API (SQLite) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def copy_raw(dest: Path, names: list[str] | None = None) -> Path:
    """Copy sample articles from the repo's raw/ (all, or the named files) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in sorted(RAW.iterdir()):
        if p.is_file() and p.name != "README.md" and (names is None or p.name in names):
            shutil.copy2(p, dest / p.name)
    return dest
