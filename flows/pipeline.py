"""The Prefect flow: parley's table of contents. The work lives in `flows.orchestration.steps`."""

from __future__ import annotations

from prefect import flow
from prefect.utilities.annotations import quote

from flows.config import Settings
from flows.orchestration import artifacts, parallel, run_records, steps
from flows.orchestration.task_policy import step

# every task retries transient errors (a locked file, an interrupted read) with backoff: flows.orchestration.task_policy
# quote(x): Prefect passes x as it is instead of walking it for futures (seconds per 1,000 articles)
ingest = step(steps.ingest, "ingest raw files")
plan = step(steps.plan_batch, "skip known articles")
extract = step(steps.extract, "extract records")
extract_chunk = step(parallel.extract_chunk, "extract chunk")  # one per chunk, on a Dask cluster
people = step(steps.resolve_people, "resolve people across articles")
link = step(steps.link, "link stories, issues, tracks, answers")
load = step(steps.load, "load landing tables")
gx_landing = step(steps.gx_landing, "GX landing gate")
transform = step(steps.transform, "dbt build")
publish = step(steps.publish_marts, "publish serving warehouse")


@flow(name="parley-run", log_prints=True, on_failure=[artifacts.report_failure])
def parley_run(settings: Settings, distributed: bool = False) -> steps.RunSummary:
    """Ingest -> extract -> people across articles -> link -> load -> GX landing gate -> dbt build -> publish."""
    run_id = steps.new_run_id()
    dbt = report = published = None
    with run_records.recorded_run(settings, run_id):  # the lock, run.json, parley.log, faults checked
        raw = ingest(settings)
        batch = plan(settings, quote(raw.articles), quote(raw))
        extractions = (
            parallel.map_chunks(extract_chunk, batch.new, settings.workers, settings.batch_size)
            if distributed
            else extract(quote(batch.new), settings.workers, settings.batch_size)
        )
        rejected = raw.rejected + steps.extraction_failures(batch, extractions)
        extractions = people(settings, quote(extractions))  # "Guterres" is "António Guterres" of another article
        links = link(settings, quote(batch), quote(extractions))
        loaded = load(settings, run_id, quote(batch), quote(extractions), quote(rejected), quote(links))
        behind = steps.publish_needed(settings)
        if behind is not None:
            report = gx_landing(settings, run_id)  # the new batch's landing rows, before dbt uses them
            dbt = transform(settings, run_id)
            published = publish(settings, run_id, behind)
        steps.prune_run_dirs(settings)
    summary = steps.RunSummary.of_run(
        run_id, settings, raw, rejected, batch=batch, loaded=loaded, report=report, dbt=dbt, published=published
    )
    artifacts.create_run_artifacts(summary, dbt, report)
    print(summary.render())
    return summary


def run(settings: Settings, dask: str | None = None) -> steps.RunSummary:
    """`parley_run`, extracting on local processes, or on a Dask cluster: `dask` is tcp://host:port or "local"."""
    if dask is None:
        return parley_run(settings)
    with parallel.shared_prefect_api():
        flow_on_dask = parley_run.with_options(task_runner=parallel.dask_runner(dask, settings.workers))
        return flow_on_dask(settings, distributed=True)


@flow(name="parley-scheduled", log_prints=True)
def parley_run_deployment(
    raw_dir: str | None = None,
    serving: str | None = None,
    state_dir: str | None = None,
    workers: int | None = None,
    wait_seconds: float = 300.0,
) -> steps.RunSummary:
    """Deployment entry (`parley serve`, prefect.yaml): plain parameters -> Settings -> one `parley_run`.

    Unset locations fall back to PARLEY_* variables, then the defaults (relative to the working
    directory). `wait_seconds`: how long to wait for another run's lock before failing.
    """
    settings = Settings.resolve(raw_dir, serving, state_dir, workers=workers, lock_wait_seconds=wait_seconds)
    if not settings.raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {settings.raw_dir} does not exist")
    return parley_run(settings)
