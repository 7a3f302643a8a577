"""Reading the warehouse as analysts do: a DuckDB 1.4 client, Parquet files, the dbt and GX docs.

The DuckDB 1.4 client lives in its own virtualenv (pip from the registry), created once and
kept in pytest's cache directory; it reads the published file in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from tests.support.paths import copy_raw
from tests.support.reliability import MARTS as RELIABILITY_MARTS

pytestmark = pytest.mark.slow  # builds a second virtualenv with an older DuckDB

OLD_DUCKDB = "duckdb>=1.4,<1.5"
MARTS = set(RELIABILITY_MARTS)
ARTICLES = ["voa-2014-nk-no-talks-planned.txt", "voa-2019-01-09-us-china-trade-talks.md"]

# Runs in the DuckDB 1.4 venv: every table of the file and every Parquet file, rows as sorted text.
ROWS = "select columns(*)::varchar from {}"
READER = """
import json, sys, duckdb
serving, parquet_dir = sys.argv[1], sys.argv[2]
con = duckdb.connect(serving, read_only=True)
tables = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'main' order by 1").fetchall()]
out = {"version": duckdb.__version__, "tables": {}, "parquet": {}}
for t in tables:
    out["tables"][t] = sorted(repr(r) for r in con.execute(ROWS.format(f'"{t}"')).fetchall())
    if t != "parley_publish":
        source = f"read_parquet('{parquet_dir}/{t}.parquet')"
        out["parquet"][t] = sorted(repr(r) for r in con.execute(ROWS.format(source)).fetchall())
print(json.dumps(out))
"""


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


@pytest.fixture(scope="session")
def duckdb14(pytestconfig, tmp_path_factory) -> Path:
    """The python of a virtualenv holding only duckdb 1.4 (created once; kept in pytest's cache when it has one)."""
    cache = getattr(pytestconfig, "cache", None)
    venv = cache.mkdir("duckdb14-venv") if cache else tmp_path_factory.mktemp("duckdb14-venv")
    python = _venv_python(venv)
    check = [str(python), "-c", "import duckdb, sys; sys.exit(not duckdb.__version__.startswith('1.4.'))"]
    if python.exists() and subprocess.run(check).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", OLD_DUCKDB], capture_output=True, text=True)
    assert pip.returncode == 0, f"pip install {OLD_DUCKDB} failed:\n{pip.stdout}\n{pip.stderr}"
    subprocess.run(check, check=True)
    return python


def read_with(python: Path, serving: Path, parquet_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-c", f"ROWS = {ROWS!r}\n{READER}", str(serving), str(parquet_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory, prefect_api) -> Settings:
    """A serving file published by the real flow from two sample articles and one rejected input."""
    from flows.pipeline import parley_run

    tmp = tmp_path_factory.mktemp("reading")
    raw = copy_raw(tmp / "raw", ARTICLES)
    (raw / "broken.json").write_text('{"article_id": "x", "text": ')
    settings = Settings.resolve(raw, tmp / "warehouse" / "parley.duckdb", workers=1)
    summary = parley_run(settings)
    assert summary.published
    return settings


def test_duckdb_14_reads_every_mart_as_written(published, duckdb14):
    proc = read_with(duckdb14, published.serving, published.parquet_dir)
    assert proc.returncode == 0, proc.stderr
    old = json.loads(proc.stdout)
    assert old["version"].startswith("1.4.")
    assert set(old["tables"]) == MARTS | {"parley_publish"}
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        for table, rows in old["tables"].items():
            assert rows == sorted(repr(r) for r in con.execute(ROWS.format(f'"{table}"')).fetchall()), table
        assert con.execute("select count(*) from dim_articles").fetchone()[0] == len(ARTICLES)
        assert con.execute("select count(*) from rejected_inputs").fetchone()[0] == 1
        assert con.execute("select count(*) from fct_statements").fetchone()[0] > 0
    finally:
        con.close()


def test_parquet_next_to_the_serving_file_holds_every_mart(published, duckdb14):
    files = {p.stem for p in published.parquet_dir.glob("*.parquet")}
    assert published.parquet_dir.parent == published.serving.parent and files == MARTS
    proc = read_with(duckdb14, published.serving, published.parquet_dir)
    assert proc.returncode == 0, proc.stderr
    old = json.loads(proc.stdout)
    for table in MARTS:
        assert old["parquet"][table] == old["tables"][table], table


def test_a_default_duckdb_2_file_is_what_14_cannot_read(tmp_path, duckdb14):
    """The check above can fail: a file written with duckdb's default storage version does not open in 1.4."""
    if duckdb.__version__.startswith("1."):
        pytest.skip("the writing duckdb is itself 1.x")
    path = tmp_path / "default.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as x")
    proc = read_with(duckdb14, path, tmp_path)
    assert proc.returncode != 0 and "database file with version number" in proc.stderr, proc.stderr


def test_docs_build_and_serve(published, capsys):
    from flows.cli import main
    from flows.quality.docs import serve_docs

    args = ["docs", "--no-serve", "--raw-dir", str(published.raw_dir), "--serving", str(published.serving)]
    assert main(args) == 0
    out = capsys.readouterr().out
    root = published.state_dir / "docs"
    dbt_page, gx_page = root / "dbt" / "static_index.html", root / "gx" / "index.html"
    assert f"dbt docs: {dbt_page}" in out and f"GX Data Docs: {gx_page}" in out
    assert "fct_demands" in dbt_page.read_text() and "landing_statements" in gx_page.read_text()

    server = serve_docs(root, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        index = urllib.request.urlopen(base, timeout=10).read().decode()
        assert 'href="dbt/static_index.html"' in index and 'href="gx/index.html"' in index
        for page in ("dbt/static_index.html", "gx/index.html"):
            with urllib.request.urlopen(base + page, timeout=10) as response:
                assert response.status == 200 and len(response.read()) > 1000
    finally:
        server.shutdown()
        server.server_close()
