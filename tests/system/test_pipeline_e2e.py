"""End to end: the real Prefect flow over sample articles, real DuckDB, real dbt build, real GX."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.orchestration.steps import QualityGateFailed
from tests.support.paths import copy_raw

FACTS = ("fct_statements", "fct_demands", "fct_offers", "fct_responses", "fct_negotiations", "fct_actor_mentions")
SEED = "seed-nh-2025-11-28-putin-assurances"


def _settings(tmp: Path, raw: Path) -> Settings:
    return Settings.resolve(raw, tmp / "warehouse" / "parley.duckdb", workers=1)


def _snapshot(serving: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        out = {}
        for table in ("dim_actors", "dim_articles", *FACTS):
            cols = [
                c[0] for c in con.execute(f"describe {table}").fetchall() if c[0] not in {"ingested_at", "loaded_at"}
            ]
            out[table] = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory, prefect_api):
    """One published warehouse from the seed article plus three dev articles in other formats."""
    from flows.pipeline import parley_run

    tmp = tmp_path_factory.mktemp("e2e")
    raw = copy_raw(
        tmp / "raw",
        [
            "seed.articles.jsonl",
            "voa-2024-04-09-blinken-hamas-ceasefire.html",
            "voa-2019-01-09-us-china-trade-talks.md",
            "voa-2009-07-23-nk-rejects-talks.json",
        ],
    )
    (raw / "broken.json").write_text('{"article_id": "x", "text": ')  # quarantined, not fatal
    settings = _settings(tmp, raw)
    summary = parley_run(settings)
    return settings, summary


def test_run_publishes_every_record_type_for_the_seed(built):
    settings, summary = built
    assert summary.published and summary.ingested == 4 and summary.rejected == 1
    con = duckdb.connect(str(settings.serving), read_only=True)
    try:
        for table in FACTS:
            n = con.execute(f"select count(*) from {table} where article_id = ?", [SEED]).fetchone()[0]
            assert n >= 1, f"{table} has no rows for the seed article"
        assert con.execute("select count(*) from dim_articles").fetchone()[0] == 4
        rej = con.execute("select file, reason from rejected_inputs").fetchall()
        assert rej == [("broken.json", "invalid_json")]
        # evidence offsets point into the article text
        text = con.execute("select statement_text, evidence_text from fct_statements limit 1").fetchone()
        assert text[0] and text[1]
    finally:
        con.close()


def test_rerun_is_idempotent_and_publishes_nothing_new(built):
    from flows.pipeline import parley_run

    settings, _ = built
    before = _snapshot(settings.serving)
    inode = settings.serving.stat().st_ino
    summary = parley_run(settings)
    assert summary.ingested == 0 and summary.skipped == 4 and not summary.published
    assert settings.serving.stat().st_ino == inode
    assert _snapshot(settings.serving) == before


def _tamper(settings: Settings, sql: str) -> None:
    con = duckdb.connect(str(settings.build_db))
    try:
        con.execute(sql)
        # as a re-load would: the articles' rows changed, so incremental models pick them up
        con.execute("update landing.articles set loaded_at = now()::timestamp")
        con.execute("insert into landing.batches values ('tampered-' || gen_random_uuid(), now()::timestamp, 0, 0)")
    finally:
        con.close()


@pytest.mark.parametrize(
    "stage, sql",
    [
        (  # a speaker no actor row names: only dbt's relationships test on the mart sees it
            "dbt build",
            "update landing.statements set speaker_name = 'Nobody Known' "
            "where statement_id = (select min(statement_id) from landing.statements)",
        ),
        (
            "GX validation",
            "update landing.statements set statement_text = '   ' "
            "where statement_id = (select min(statement_id) from landing.statements)",
        ),
    ],
)
def test_failing_checks_block_publish(tmp_path, prefect_api, stage, sql):
    from flows.pipeline import parley_run

    raw = copy_raw(tmp_path / "raw", ["voa-2019-01-09-us-china-trade-talks.md"])
    settings = _settings(tmp_path, raw)
    parley_run(settings)
    before = _snapshot(settings.serving)
    _tamper(settings, sql)
    with pytest.raises(QualityGateFailed) as err:
        parley_run(settings)
    assert err.value.stage == stage and err.value.failures
    assert _snapshot(settings.serving) == before
