"""The Prefect flow: parley's table of contents. The work lives in `flows.steps`."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import steps
from flows.config import Settings
from flows.lock import run_lock

ingest = task(steps.ingest, name="ingest raw files", cache_policy=NO_CACHE)
plan = task(steps.plan_batch, name="skip known articles", cache_policy=NO_CACHE)
extract = task(steps.extract, name="extract records", cache_policy=NO_CACHE)
load = task(steps.load, name="load landing tables", cache_policy=NO_CACHE)
transform = task(steps.transform, name="dbt build", cache_policy=NO_CACHE)
validate = task(steps.validate, name="GX validation", cache_policy=NO_CACHE)
publish = task(steps.publish_marts, name="publish serving warehouse", cache_policy=NO_CACHE)


@flow(name="parley-run", log_prints=True)
def parley_run(settings: Settings) -> steps.RunSummary:
    """Ingest -> extract -> load -> dbt build -> GX validation -> publish."""
    summary = steps.RunSummary(run_id=steps.new_run_id(), serving=str(settings.serving))
    with run_lock(settings.lock_file, settings.lock_wait_seconds):
        raw = ingest(settings)
        batch = plan(settings, raw.articles)
        extractions = extract(batch.new, settings.workers, settings.batch_size)
        loaded = load(settings, summary.run_id, batch, extractions, raw)
        summary.ingested, summary.skipped, summary.duplicates = len(batch.new), batch.skipped, raw.duplicates
        summary.rejected, summary.rejected_new, summary.records = len(raw.rejected), loaded.rejected, loaded.records
        summary.rejections = [f"{r.file}{f':{r.line}' if r.line else ''} [{r.reason}] {r.detail}"
                              for r in raw.rejected]
        behind = steps.publish_needed(settings)
        if behind is not None:
            dbt = transform(settings, summary.run_id)
            summary.checks["dbt build"] = steps.describe_dbt(dbt)
            report = validate(settings, summary.run_id)
            summary.checks["GX suites"] = steps.describe_gx(report)
            summary.data_docs = str(report.data_docs_path) if report.data_docs_path else None
            published = publish(settings, summary.run_id, behind)
            summary.published, summary.published_tables = True, published.tables
    print(summary.render())
    return summary
