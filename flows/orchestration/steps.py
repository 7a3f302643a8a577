"""The pipeline's steps as plain functions (the Prefect flow calls them; tests call them directly)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from flows.config import Settings
from flows.ingest.file_index import FileRecord, record_files, usable_records
from flows.ingest.raw_dir import IngestResult, read_raw_dir
from flows.kill_points import kill_point
from flows.orchestration.parallel import extract_local
from flows.orchestration.progress import Progress
from flows.records import Article, Extraction, RejectedInput
from flows.warehouse.load import RECORD_TABLES, LoadResult, known_hashes, latest_batch, load_batch, open_build_db
from flows.warehouse.publish import PublishResult, publish
from flows.warehouse.published import last_publish, publish_of_serving, record_publish


class QualityGateFailed(RuntimeError):
    """dbt tests or GX suites failed: nothing was published."""

    def __init__(self, stage: str, failures: list[str], docs: Path | None = None):
        self.stage, self.failures, self.docs = stage, failures, docs
        lines = [f"{stage} failed; the serving warehouse was left as it was:"] + [f"  - {f}" for f in failures]
        if docs is not None:
            lines.append(f"  GX Data Docs: {docs}")
        super().__init__("\n".join(lines))


@dataclass
class Batch:
    new: list[Article]
    skipped: int
    files: list[FileRecord] = field(default_factory=list)  # files read this run, recorded after the load
    listed: list[str] = field(default_factory=list)  # every file listed this run (read or unchanged)


@dataclass
class RunSummary:
    run_id: str
    ingested: int = 0
    skipped: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_new: int = 0
    records: dict[str, int] = field(default_factory=dict)
    published: bool = False
    published_tables: dict[str, int] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    serving: str = ""
    data_docs: str | None = None
    rejections: list[str] = field(default_factory=list)

    @classmethod
    def of_run(
        cls,
        run_id: str,
        settings: Settings,
        raw: IngestResult,
        rejected: list[RejectedInput],
        *,
        batch: Batch | None = None,
        loaded: LoadResult | None = None,
        report=None,
        dbt=None,
        published: PublishResult | None = None,
    ) -> RunSummary:
        """The summary of a run, built once from what its stages returned (None: the stage did not run)."""
        summary = cls(
            run_id=run_id,
            serving=str(settings.serving),
            skipped=batch.skipped if batch is not None else raw.unchanged,
            duplicates=raw.duplicates,
            rejected=len(rejected),
            records=loaded.records if loaded is not None else dict.fromkeys(RECORD_TABLES, 0),
            rejections=[describe_rejection(r) for r in rejected],
        )
        if loaded is not None:
            summary.ingested, summary.rejected_new = loaded.articles, loaded.rejected
        if report is not None:
            summary.checks["GX suites"] = describe_gx(report)
            summary.data_docs = str(report.data_docs_path) if report.data_docs_path else None
        if dbt is not None:
            summary.checks["dbt build"] = describe_dbt(dbt)
        if published is not None:
            summary.published, summary.published_tables = True, published.tables
        return summary

    def render(self) -> str:
        lines = [
            f"parley run {self.run_id}",
            f"  articles: {self.ingested} ingested, {self.skipped} skipped (already in the warehouse), "
            f"{self.duplicates} duplicates, {self.rejected} rejected ({self.rejected_new} new)",
        ]
        if self.records:
            lines.append("  records this run: " + ", ".join(f"{k} {v}" for k, v in self.records.items()))
        for name, result in self.checks.items():
            lines.append(f"  {name}: {result}")
        if self.published:
            rows = ", ".join(f"{k} {v}" for k, v in self.published_tables.items())
            lines.append(f"  published: {self.serving} ({rows})")
        else:
            lines.append(f"  nothing new to publish; serving file: {self.serving}")
        if self.data_docs:
            lines.append(f"  GX Data Docs: {self.data_docs}")
        for r in self.rejections[:20]:
            lines.append(f"  rejected: {r}")
        if len(self.rejections) > 20:
            lines.append(f"  ... and {len(self.rejections) - 20} more (see the rejected_inputs mart)")
        return "\n".join(lines)


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def ingest(settings: Settings) -> IngestResult:
    """Read the raw directory; files unchanged since they were recorded are replayed, not read."""
    with open_build_db(settings.build_db) as con:
        records = usable_records(con)
    return read_raw_dir(settings.raw_dir, known=records)


def plan_batch(settings: Settings, articles: list[Article], raw: IngestResult | None = None) -> Batch:
    """Articles whose content the warehouse does not hold yet (`raw`: the ingest, for its unchanged files)."""
    with open_build_db(settings.build_db) as con:
        known = known_hashes(con, [a.content_hash for a in articles])
    new = [a for a in articles if a.content_hash not in known]
    if raw is None:
        return Batch(new, len(articles) - len(new))
    listed = raw.files_read + raw.files_unchanged
    return Batch(new, len(articles) - len(new) + raw.unchanged, raw.file_records, listed)


def extract(articles: list[Article], workers: int = 1, batch_size: int = 64) -> list[Extraction]:
    """Parse and extract, in article order, on `workers` local processes (each parses and runs the rules)."""
    out = []
    progress = Progress("extracted", len(articles))  # a line every 5 s and at the end
    for extraction in extract_local(articles, workers, batch_size):
        out.append(extraction)
        progress.advance()
        kill_point("extract.article")
    return out


def extraction_failures(batch: Batch, extractions: list[Extraction]) -> list[RejectedInput]:
    """Articles the rules failed on, as rejections (they are not loaded, and are retried next run)."""
    failed = {e.article_id: e.error for e in extractions if e.error}
    return [
        RejectedInput(
            a.source_file,
            a.source_line,
            "extraction_failed",
            f"article {a.article_id!r} could not be extracted ({failed[a.article_id]}); "
            "it was not loaded and is retried on the next run",
            a.content_hash,
        )
        for a in batch.new
        if a.article_id in failed
    ]


def resolve_people(settings: Settings, extractions: list[Extraction]) -> list[Extraction]:
    """A person named by a bare surname is the one person of that surname known (flows.linking.people)."""
    from flows.linking.people import resolve_surnames

    with open_build_db(settings.build_db) as con:
        return resolve_surnames(con, extractions)


def link(settings: Settings, batch: Batch, extractions: list[Extraction]):
    """Stories, issues, tracks and answers of the extracted articles, against the warehouse's link indexes."""
    from flows.linking.link import link_batch

    with open_build_db(settings.build_db) as con:
        return link_batch(con, batch.new, extractions)


def load(
    settings: Settings,
    run_id: str,
    batch: Batch,
    extractions: list[Extraction],
    rejected: list[RejectedInput],
    links=None,
) -> LoadResult:
    """Load the extracted articles (not those whose extraction failed), their links and the rejections."""
    ok = [e for e in extractions if not e.error]
    loaded_ids = {e.article_id for e in ok}
    with open_build_db(settings.build_db) as con:
        result = load_batch(con, run_id, [a for a in batch.new if a.article_id in loaded_ids], ok, rejected, links)
        record_files(con, batch.files, batch.listed)  # after the commit: a lost update only means a re-read
        return result


def publish_needed(settings: Settings) -> str | None:
    """The landing batch the serving file is behind, or None when it is current."""
    with open_build_db(settings.build_db) as con:
        current = latest_batch(con)
    return serving_behind(settings, current)


def serving_behind(settings: Settings, current: str | None) -> str | None:
    """`current` (the latest landing batch) when the serving file does not hold it yet, else None."""
    if current is None:
        return None
    published = publish_of_serving(settings)
    return current if published is None or published.batch_id != current else None


def transform(settings: Settings, run_id: str):
    from flows.warehouse.dbt_build import run_dbt_build

    result = run_dbt_build(
        settings.build_db,
        log_dir=settings.run_dir(run_id) / "dbt_logs",
        target_dir=settings.state_dir / "dbt_target",
        quiet=True,
    )
    if not result.success:
        from flows.orchestration.operator_faults import from_text

        # a full disk or a damaged file reaches dbt as a node's error text: name the fault, not a failed check
        fault = from_text("\n".join([*result.failure_lines(), *(p.message for p in result.problems)]), settings)
        if fault is not None:
            raise fault
        raise QualityGateFailed("dbt build", result.failure_lines())
    return result


def articles_since_publish(settings: Settings) -> list[str] | None:
    """Articles loaded since the serving file was last published; None (every row) without a publish.

    Rows published before passed their checks then, so GX reads only these articles' rows (keys across
    the whole warehouse are dbt's unique tests on the marts): validation grows with the batch, not the warehouse.
    """
    marker = publish_of_serving(settings)
    if marker is None:
        return None
    with open_build_db(settings.build_db) as con:
        published = con.execute(
            "select loaded_at from landing.batches where batch_id = ?", [marker.batch_id]
        ).fetchone()
        if published is None:
            return None
        rows = con.execute("select article_id from landing.articles where loaded_at > ?", [published[0]]).fetchall()
    return [r[0] for r in rows]


def gx_landing(settings: Settings, run_id: str):
    """The GX landing gate: the new batch's landing rows, before dbt builds on them (flows.quality.validate)."""
    from flows.quality.validate import validate_landing

    report = validate_landing(
        settings.build_db,
        settings.run_dir(run_id),
        article_ids=articles_since_publish(settings),
        data_docs="on_failure",  # a passing run's Data Docs are rendered by `parley docs` (flows.quality.docs)
    )
    if not report.success:
        raise QualityGateFailed("GX validation", report.failed, report.data_docs_path)
    return report


def describe_rejection(r: RejectedInput) -> str:
    return f"{r.file}{f':{r.line}' if r.line else ''} [{r.reason}] {r.detail}"


def describe_dbt(result) -> str:
    return result.summary_lines()[-1]


def describe_gx(report) -> str:
    n = sum(r.n_expectations for r in report.results)
    skipped = sum(1 for r in report.results if r.skipped)
    outcome = "all passed" if report.success else "FAILED"
    return f"{len(report.results)} suites, {n} expectations, {outcome}" + (f" ({skipped} skipped)" if skipped else "")


def publish_marts(settings: Settings, run_id: str, batch_id: str) -> PublishResult:
    result = publish(settings.build_db, settings.serving, run_id, parquet_dir=settings.parquet_dir)
    kill_point("publish.before_marker")
    record_publish(settings, batch_id, run_id, result.sha256)
    return result


KEEP_RUN_DIRS = 20


def prune_run_dirs(settings: Settings, keep: int = KEEP_RUN_DIRS) -> list[Path]:
    """Delete the oldest per-run directories (logs, Data Docs) beyond `keep`; the published run's stays."""
    import shutil

    runs = settings.state_dir / "runs"
    if not runs.is_dir():
        return []
    marker = last_publish(settings)
    published = marker.run_id if marker else None
    dirs = sorted(p for p in runs.iterdir() if p.is_dir())  # run ids sort by start time
    old = [p for p in dirs[:-keep] if p.name != published] if keep > 0 else []
    for p in old:
        shutil.rmtree(p, ignore_errors=True)
    return old
