"""Work that grows with the new batch only: parallel extraction in order, GX on the new articles."""

from __future__ import annotations

import shutil

from flows.config import Settings
from flows.ingest.raw_dir import read_raw_dir
from flows.orchestration import parallel, steps
from tests.support.paths import RAW, copy_raw


def test_worker_processes_extract_what_one_process_extracts(monkeypatch):
    articles = read_raw_dir(RAW).articles
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 0)  # use the pool even for a handful of articles
    pooled = list(parallel.extract_local(articles, workers=2))
    alone = list(parallel.extract_local(articles, workers=1))
    assert [e.article_id for e in pooled] == [a.article_id for a in articles]
    assert [e.to_dict() for e in pooled] == [e.to_dict() for e in alone]


def test_after_a_publish_gx_reads_only_the_articles_loaded_since(tmp_path, prefect_api):
    from flows.pipeline import run

    raw = copy_raw(tmp_path / "raw", ["voa-2019-01-09-us-china-trade-talks.md", "voa-2014-nk-no-talks-planned.txt"])
    settings = Settings.resolve(raw, tmp_path / "w" / "parley.duckdb", workers=1)
    assert steps.articles_since_publish(settings) is None  # nothing published yet: validate every row
    assert run(settings).published
    assert steps.articles_since_publish(settings) == []

    shutil.copy2(RAW / "voa-2009-07-23-nk-rejects-talks.json", raw)
    batch = steps.plan_batch(settings, steps.ingest(settings).articles)
    (new,) = [a.article_id for a in batch.new]
    steps.load(settings, "run-2", batch, steps.extract(batch.new), steps.ingest(settings).rejected)
    assert steps.articles_since_publish(settings) == [new]
    report = steps.gx_landing(settings, "run-2")  # before dbt, on the new article's rows only
    rows = {r.suite: r.rows for r in report.results}
    assert rows["landing_articles"] == 1 and rows["landing_batch_volume"] == 1
    assert report.success
    steps.transform(settings, "run-2")
