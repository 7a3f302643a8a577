"""The extraction step on a local Dask cluster (prefect-dask) builds the same marts as the default runner."""

from __future__ import annotations

from flows.config import Settings
from flows.orchestration import parallel
from tests.support.paths import copy_raw
from tests.support.reliability import read_snapshot

ARTICLES = [
    "seed.articles.jsonl",
    "voa-2019-01-09-us-china-trade-talks.md",
    "voa-2014-nk-no-talks-planned.txt",
    "voa-2009-07-23-nk-rejects-talks.json",
]


def test_chunks_keep_order_and_cover_every_article():
    articles = list(range(23))
    parts = parallel.chunks(articles, workers=2)
    assert [a for part in parts for a in part] == articles
    assert len(parts) >= 2 * parallel.CHUNKS_PER_WORKER - 1
    big = parallel.chunks(list(range(10_000)), workers=2)
    assert max(map(len, big)) == parallel.MAX_CHUNK and sum(map(len, big)) == 10_000
    assert parallel.chunks([], workers=2) == []


def test_dask_runner_builds_the_same_marts_as_the_default_runner(tmp_path, prefect_api):
    from flows.pipeline import run

    raw = copy_raw(tmp_path / "raw", ARTICLES)
    default = Settings.resolve(raw, tmp_path / "default" / "parley.duckdb", workers=2)
    on_dask = Settings.resolve(raw, tmp_path / "dask" / "parley.duckdb", workers=2)

    summary_default = run(default)
    summary_dask = run(on_dask, dask=parallel.LOCAL_DASK)

    assert summary_dask.published and summary_dask.ingested == len(ARTICLES)
    assert summary_dask.records == summary_default.records
    assert summary_dask.records["statements"] > 0
    snapshot = read_snapshot(on_dask.serving)
    assert snapshot == read_snapshot(default.serving)
    assert len(snapshot["dim_articles"]) == len(ARTICLES)
