"""Failed quality blocks publish, through the CLI: exit 4, the failing checks named, GX Data Docs given.

Two copies of the published baseline get one bad landing row each (as a faulty extractor would
load it: a new `loaded_at` and a new batch), so the next `parley run` rebuilds: one fails a dbt
test, the other a GX expectation that dbt does not check.
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path

import duckdb
import pytest

from tests.support.reliability import file_sha, read_snapshot, run_all, samples

EXIT_QUALITY = 4
TAMPER = {  # stage -> (bad row, a check that must be named)
    "dbt build": ("update landing.articles set loaded_at = null", "not_null_stg_articles_loaded_at"),
    "GX validation": (
        "update landing.articles set title = '   ', loaded_at = now()::timestamp",
        "expect_column_values_to_match_regex(title) on landing.articles",
    ),
}


def _tamper(build_db: Path, sql: str) -> None:
    con = duckdb.connect(str(build_db))
    try:
        con.execute(sql)
        con.execute("insert into landing.batches values ('tampered', now()::timestamp, 0, 0)")
    finally:
        con.close()


@pytest.fixture(scope="module")
def gated(tmp_path_factory, prefect_server_url):
    baseline, _ = samples(tmp_path_factory, prefect_server_url)
    root = tmp_path_factory.mktemp("quality-gate")
    spaces = {}
    for stage, (sql, _) in TAMPER.items():
        spaces[stage] = baseline.clone(root / stage.split()[0])
        _tamper(spaces[stage].build_db, sql)
    results = run_all({stage: partial(ws.start, prefect_server_url) for stage, ws in spaces.items()})
    return {
        "spaces": spaces,
        "results": results,
        "baseline_sha": file_sha(baseline.serving),
        "baseline": read_snapshot(baseline.serving),
    }


@pytest.mark.parametrize("stage", TAMPER)
def test_failed_check_exits_4_and_names_the_check(gated, stage):
    result = gated["results"][stage]
    assert result.rc == EXIT_QUALITY, result.output[-4000:]
    assert f"{stage} failed; the serving warehouse was left as it was" in result.output
    assert TAMPER[stage][1] in result.output


@pytest.mark.parametrize("stage", TAMPER)
def test_nothing_is_published(gated, stage):
    ws = gated["spaces"][stage]
    assert file_sha(ws.serving) == gated["baseline_sha"]
    assert read_snapshot(ws.serving) == gated["baseline"]
    assert json.loads(ws.marker.read_text())["batch_id"] != "tampered"
    assert ws.leftovers() == []


def test_gx_failure_points_at_the_runs_data_docs(gated):
    output = gated["results"]["GX validation"].output
    match = re.search(r"GX Data Docs: (\S.*index\.html)", output)
    assert match, output[-3000:]
    docs = Path(match.group(1))
    assert docs.is_file() and docs.is_relative_to(gated["spaces"]["GX validation"].state / "runs")
    assert "landing_articles" in docs.read_text(errors="replace") or any(docs.parent.rglob("*landing_articles*"))
