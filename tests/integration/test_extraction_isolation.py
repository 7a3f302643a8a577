"""A rule that fails on one article quarantines that article; the rest of the batch goes on."""

from __future__ import annotations

import pytest

import flows.extract as extract
from flows.config import Settings
from flows.orchestration import steps
from tests.support.paths import copy_raw


@pytest.fixture
def one_article_breaks(monkeypatch):
    """Make the rules raise on one article (fault injection on parley's own function)."""
    real = extract.extract_doc
    victim = "voa-2014-nk-no-talks-planned"

    def flaky(article_id, text, doc):
        if article_id == victim:
            raise ValueError("rule bug")
        return real(article_id, text, doc)

    monkeypatch.setattr(extract, "extract_doc", flaky)
    return victim


def test_failed_extraction_is_quarantined_and_the_rest_loads(tmp_path, one_article_breaks):
    raw = copy_raw(tmp_path / "raw", ["voa-2019-01-09-us-china-trade-talks.md", "voa-2014-nk-no-talks-planned.txt"])
    settings = Settings.resolve(raw, tmp_path / "w" / "parley.duckdb", workers=1)
    batch = steps.plan_batch(settings, steps.ingest(settings).articles)
    extractions = steps.extract(batch.new)
    assert [e.error is not None for e in extractions] == [a.article_id == one_article_breaks for a in batch.new]
    failures = steps.extraction_failures(batch, extractions)
    assert [(r.file, r.reason) for r in failures] == [("voa-2014-nk-no-talks-planned.txt", "extraction_failed")]
    assert "ValueError: rule bug" in failures[0].detail
    loaded = steps.load(settings, "run-1", batch, extractions, failures)
    assert loaded.articles == 1 and loaded.rejected == 1
    # the failed article is not in the warehouse, so the next run tries it again
    again = steps.plan_batch(settings, steps.ingest(settings).articles)
    assert [a.article_id for a in again.new] == [one_article_breaks]
