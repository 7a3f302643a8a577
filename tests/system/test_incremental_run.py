"""A run costs what its batch needs: nothing new starts neither Prefect nor dbt; unchanged views are not
re-created while every data test still runs; an unchanged file is not read again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import RAW, copy_raw

PARLEY = Path(sys.executable).with_name("parley")
A, B, C = (
    "voa-2019-01-09-us-china-trade-talks.md",
    "voa-2014-nk-no-talks-planned.txt",
    "voa-2009-07-23-nk-rejects-talks.json",
)


def _run(root: Path, url: str) -> subprocess.CompletedProcess:
    cmd = [str(PARLEY), "run", "--raw-dir", str(root / "raw"), "--serving", str(root / "w" / "parley.duckdb")]
    env = {**os.environ, "PREFECT_API_URL": url, "PARLEY_WORKERS": "1", "PREFECT_LOGGING_LEVEL": "INFO"}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _run_results(state: Path) -> dict[str, str]:
    data = json.loads((state / "dbt_target" / "run_results.json").read_text())
    return {r["unique_id"]: r["status"] for r in data["results"]}


def test_cost_follows_the_batch(tmp_path: Path, prefect_server_url: str) -> None:
    copy_raw(tmp_path / "raw", [A, B])
    state = tmp_path / "w" / ".parley"
    first = _run(tmp_path, prefect_server_url)
    assert "2 ingested" in first.stdout + first.stderr
    full = _run_results(state)
    runs = sorted(p.name for p in (state / "runs").iterdir())

    # nothing new: decided before Prefect, so no flow run (no run directory), no dbt, no Prefect server
    again = _run(tmp_path, prefect_server_url)
    assert "0 ingested, 2 skipped" in again.stdout and "nothing new to publish" in again.stdout
    assert sorted(p.name for p in (state / "runs").iterdir()) == runs
    assert _run_results(state) == full

    # a touched file (same bytes, new mtime) is read again by the flow; it finds nothing new either
    stat = (tmp_path / "raw" / A).stat()
    os.utime(tmp_path / "raw" / A, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = _run(tmp_path, prefect_server_url)
    assert "0 ingested, 2 skipped" in touched.stdout + touched.stderr
    assert len(list((state / "runs").iterdir())) == len(runs) + 1
    assert _run_results(state) == full  # nothing loaded: no dbt build

    # a new article: dbt builds the tables and runs every data test, not the unchanged views nor the unit
    # tests of unchanged models (they check SQL against fixed rows; the first build ran them)
    shutil.copy2(RAW / C, tmp_path / "raw" / C)
    new = _run(tmp_path, prefect_server_url)
    assert "1 ingested, 2 skipped" in new.stdout + new.stderr and "published:" in new.stdout + new.stderr
    built = _run_results(state)
    tests = {u for u in full if u.startswith("test.")}
    assert tests and tests <= set(built) and all(built[u] == "pass" for u in tests)
    assert any(u.startswith("unit_test.") for u in full) and not any(u.startswith("unit_test.") for u in built)
    views = {u for u in full if u.startswith(("model.parley.stg_", "model.parley.int_"))} - set(built)
    assert views, "unchanged staging/intermediate views are not re-created"
    marts = {u for u in full if u.startswith(("model.parley.dim_", "model.parley.fct_"))}
    assert marts <= set(built)
