"""Prefect artifacts of a run: counts, quality results, dbt results, a link to the GX Data Docs.

The tables and markdown are built by plain functions from the run's results (tests call
them directly); `create_run_artifacts` hands them to Prefect from inside a flow run, and
`report_failure` is the flow's `on_failure` hook. Every artifact has a key, so the UI's
Artifacts page shows each one as a series across runs (the latest first).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from flows.orchestration.steps import RunSummary
    from flows.quality.validate import ValidationReport
    from flows.warehouse.dbt_build import DbtBuildResult

KEY_COUNTS = "parley-run-counts"
KEY_QUALITY = "parley-quality"
KEY_DBT = "parley-dbt-results"
KEY_DATA_DOCS = "parley-gx-data-docs"


def counts_table(summary: RunSummary) -> list[dict[str, Any]]:
    """One row per count: articles ingested, skipped, duplicates, rejected, then records per type."""
    rows = [
        {"what": "articles ingested", "count": summary.ingested},
        {"what": "articles skipped (already in the warehouse)", "count": summary.skipped},
        {"what": "duplicate articles in this batch", "count": summary.duplicates},
        {"what": "inputs rejected", "count": summary.rejected},
        {"what": "inputs rejected (new this run)", "count": summary.rejected_new},
    ]
    rows += [{"what": f"{kind} extracted", "count": n} for kind, n in summary.records.items()]
    rows += [{"what": f"{table} rows published", "count": n} for table, n in summary.published_tables.items()]
    return rows


def dbt_table(dbt: DbtBuildResult) -> list[dict[str, Any]]:
    """One row per dbt resource type and status, then one per node that did not pass."""
    rows: list[dict[str, Any]] = [
        {"resource": rtype, "status": status, "count": n, "detail": ""}
        for rtype, statuses in sorted(dbt.counts.items())
        for status, n in sorted(statuses.items())
    ]
    rows += [
        {"resource": p.resource_type, "status": p.status, "count": p.failures or 0, "detail": p.describe()}
        for p in dbt.problems
    ]
    return rows


def data_docs_url(path: str | Path | None) -> str | None:
    return Path(path).resolve().as_uri() if path else None


def quality_markdown(
    summary: RunSummary, dbt: DbtBuildResult | None = None, report: ValidationReport | None = None
) -> str:
    """The run's quality results: dbt totals and problems, GX suites, the Data Docs link."""
    lines = [f"# parley run `{summary.run_id}`", ""]
    if dbt is None and report is None:
        lines += [
            "Nothing new since the last publish: dbt and the GX suites did not run, "
            f"and the serving warehouse `{summary.serving}` is unchanged."
        ]
        return "\n".join(lines) + "\n"
    lines.append(f"Published: **{'yes' if summary.published else 'no'}** (`{summary.serving}`)")
    if dbt is not None:
        lines += ["", "## dbt build", "", *(f"- {line}" for line in dbt.summary_lines())]
    if report is not None:
        n = sum(r.n_expectations for r in report.results)
        lines += [
            "",
            "## GX suites",
            "",
            f"{len(report.results)} suites, {n} expectations: **{'all passed' if report.success else 'FAILED'}**",
            "",
            "| suite | table | rows | expectations | result |",
            "|---|---|---:|---:|---|",
        ]
        lines += [
            f"| {r.suite} | {r.table} | {'' if r.rows is None else r.rows} | {r.n_expectations} | "
            f"{r.outcome}{f' ({r.skipped})' if r.skipped else ''} |"
            for r in report.results
        ]
        lines += [f"- {line}" for line in report.failed]
        url = data_docs_url(report.data_docs_path)
        if url:
            lines += ["", f"[GX Data Docs of this run]({url}) (or `parley docs` to serve them)"]
        else:  # a passing validation's Data Docs are rendered on demand
            lines += ["", "GX Data Docs: `parley docs` renders and serves them"]
    return "\n".join(lines) + "\n"


def failure_markdown(flow_run_name: str, message: str | None) -> str:
    return (
        f"# parley run failed: `{flow_run_name}`\n\n"
        "The serving warehouse was left as it was (the last good publish).\n\n"
        f"```\n{message or 'no message'}\n```\n"
    )


def create_run_artifacts(
    summary: RunSummary, dbt: DbtBuildResult | None = None, report: ValidationReport | None = None
) -> list[UUID]:
    """Create this run's artifacts in Prefect (call inside a flow run)."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    ids = [
        create_table_artifact(
            counts_table(summary), key=KEY_COUNTS, description=f"parley run {summary.run_id}: articles and records"
        ),
        create_markdown_artifact(
            quality_markdown(summary, dbt, report),
            key=KEY_QUALITY,
            description=f"parley run {summary.run_id}: dbt and GX results",
        ),
    ]
    if dbt is not None:
        ids.append(
            create_table_artifact(
                dbt_table(dbt), key=KEY_DBT, description=f"parley run {summary.run_id}: dbt build results"
            )
        )
    url = data_docs_url(report.data_docs_path) if report is not None else None
    if url:
        ids.append(
            create_link_artifact(
                url,
                link_text="GX Data Docs",
                key=KEY_DATA_DOCS,
                description=f"parley run {summary.run_id}: GX Data Docs",
            )
        )
    return ids


def report_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Flow `on_failure` hook: a quality artifact saying why the run failed and that nothing was published."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        failure_markdown(flow_run.name, state.message),
        key=KEY_QUALITY,
        description=f"parley flow run {flow_run.name} failed",
    )
