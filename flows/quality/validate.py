"""The landing gate: GX validates the new batch's landing rows before dbt builds anything.

What each layer owns (nothing is checked twice):

- the landing DDL (generated from `flows/records.py`) enforces the null constraints at load;
- these GX suites (`expectations/gx/expectations/landing_*.json`, written by
  `python -m flows.quality.schema_files` from the records and `flows.quality.suites`) check
  the landing rows of the articles loaded since the last publish: row checks per table
  (vocabularies, patterns, blank text, offsets, keys), completeness rates and distributions
  over the recent sample (`*_profile`), and records per article against the warehouse so far
  (`landing_batch_volume`);
- dbt's contracts and tests own the marts (`dbt_project/models/marts/_marts.yml`).

GX validates pandas DataFrames read from DuckDB (GX over a DuckDB SQL datasource fails on
every expectation: GX #10738, #11579). The GX objects are built once per run in an ephemeral
context: one pandas data source, one asset per table, one validation definition per suite, run
one after the other with that suite's DataFrame (no checkpoints: a checkpoint passes the same
batch parameters to all its definitions). The Data Docs are rendered once, into
`work_dir/gx/data_docs/`, with their CDN assets made local (`flows.quality.data_docs`): always, or
with `data_docs="on_failure"` (a pipeline run) only when a suite failed; a passing validation then
keeps its suites and results in `work_dir/gx/validation_results.json` (a few hundred kB, no HTML),
and `render_saved_data_docs` renders the same pages from them when they are asked for (`parley docs`).
(`kill_points` are fault injection for the crash tests, not GX checkpoints.)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import duckdb
import pandas as pd

from flows import kill_points
from flows.config import PROJECT_ROOT
from flows.quality import suites as policy
from flows.warehouse.sql import ident

if TYPE_CHECKING:  # GX takes ~2 s to import: only validate_landing pays for it
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.data_context import AbstractDataContext

SUITE_DIR = PROJECT_ROOT / "expectations" / "gx" / "expectations"
DATA_DOCS = Path("gx") / "data_docs"  # inside work_dir
SAVED_RESULTS = Path("gx") / "validation_results.json"  # inside work_dir: a passing run's results, unrendered
DATASOURCE = "landing"
SHOWN_VALUES = 5  # distinct unexpected values quoted per failed expectation


@dataclass
class SuiteResult:
    suite: str
    table: str  # "schema.table"
    success: bool
    n_expectations: int
    failed: list[str] = field(default_factory=list)  # one readable line per failed expectation
    rows: int | None = None  # rows validated (None when the table is missing or the suite was skipped)
    skipped: str | None = None  # why the suite did not run (it then counts as passed)

    @property
    def outcome(self) -> str:
        return "skipped" if self.skipped else "pass" if self.success else "FAIL"


@dataclass
class ValidationReport:
    success: bool
    results: list[SuiteResult]
    data_docs_path: Path | None  # the Data Docs index.html in work_dir

    @property
    def failed(self) -> list[str]:
        return [line for result in self.results for line in result.failed]


@dataclass
class _Plan:
    """One suite to run: its config, the frame to validate, its parameters, or why it is skipped."""

    suite: dict[str, Any]
    table: str
    frame: pd.DataFrame | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    missing: bool = False


def read_suites(suite_dir: Path = SUITE_DIR) -> list[dict[str, Any]]:
    """The suite JSON files, in validation order (row checks, profiles, volume; then by name)."""
    order = {"rows": 0, "profile": 1, "volume": 2}
    suites = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(suite_dir.glob("*.json"))]
    return sorted(suites, key=lambda s: (order.get(s.get("meta", {}).get("kind"), 3), s["name"]))


def validate_landing(
    build_db: Path,
    work_dir: Path,
    *,
    article_ids: list[str] | None = None,
    suite_dir: Path = SUITE_DIR,
    data_docs: str = "always",
) -> ValidationReport:
    """Validate the landing rows of `article_ids` (None: every row) in `build_db`; Data Docs go to `work_dir`:
    rendered `"always"`, or `"on_failure"` (else the results are saved for `render_saved_data_docs`)."""
    if data_docs not in ("always", "on_failure"):
        raise ValueError(f"data_docs must be 'always' or 'on_failure', not {data_docs!r}")
    suites = read_suites(suite_dir)
    with duckdb.connect(str(build_db), read_only=True) as con:
        columns = _table_columns(con)
        plans = [_plan(con, suite, columns, article_ids) for suite in suites]
    work_dir = Path(work_dir)
    (work_dir / SAVED_RESULTS).unlink(missing_ok=True)  # left by an earlier validation in work_dir
    context = _context(work_dir / DATA_DOCS)
    results = [_run(context, plan) for plan in plans]
    success = all(r.success for r in results)
    if data_docs == "always" or not success:
        return ValidationReport(success, results, _build_data_docs(context))
    _save_results(context, plans, work_dir / SAVED_RESULTS)
    return ValidationReport(success, results, None)


def _save_results(context: AbstractDataContext, plans: list[_Plan], path: Path) -> None:
    """The suites that ran and their validation results, as GX serializes them (written atomically)."""
    store = context.validation_results_store
    saved = {
        "suites": [plan.suite for plan in plans if not plan.missing and not plan.skipped],
        "results": [[list(key.to_tuple()), store.serialize(store.get(key))] for key in store.list_keys()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(saved), encoding="utf-8")
    os.replace(tmp, path)


def render_saved_data_docs(work_dir: Path) -> Path | None:
    """Render the Data Docs of the passing validation whose results `validate_landing(data_docs="on_failure")`
    saved in `work_dir` (the same pages it would have rendered then); their index, or None when none are saved."""
    path = Path(work_dir) / SAVED_RESULTS
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

    context = _context(Path(work_dir) / DATA_DOCS)
    for suite in saved["suites"]:
        context.suites.add(gx.ExpectationSuite(**suite))
    store = context.validation_results_store
    for key, text in saved["results"]:
        store.set(ValidationResultIdentifier.from_tuple(tuple(key)), store.deserialize(text))
    return _build_data_docs(context)


def _context(site_dir: Path) -> AbstractDataContext:
    """An ephemeral GX context (nothing written but the Data Docs) with a pandas source and a local site."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    for name in ["great_expectations", *logging.root.manager.loggerDict]:  # GX sets INFO on some of its loggers
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.ERROR)
    shutil.rmtree(site_dir, ignore_errors=True)  # left by an earlier validation in work_dir
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    for site, config in dict(context.variables.data_docs_sites or {}).items():  # the default site: a temp dir
        context.delete_data_docs_site(site)
        default_dir = Path(config.get("store_backend", {}).get("base_directory", ""))
        if default_dir.is_absolute() and default_dir.is_dir() and not any(default_dir.iterdir()):
            default_dir.rmdir()
    context.add_data_docs_site(
        "local_site",
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    context.data_sources.add_pandas(DATASOURCE)
    return context


def _table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """
        select table_name, list(column_name order by ordinal_position)
        from information_schema.columns
        where table_schema = 'landing'
        group by all
        """
    ).fetchall()
    return dict(rows)


def _plan(
    con: duckdb.DuckDBPyConnection, suite: dict[str, Any], columns: dict[str, list[str]], article_ids: list[str] | None
) -> _Plan:
    meta = suite.get("meta", {})
    table = meta.get("table", "").removeprefix("landing.")
    kind = meta.get("kind")
    if table not in columns:
        return _Plan(suite, table, missing=True)
    if kind == "volume":
        return _volume_plan(con, suite, columns, article_ids)
    by_article = "article_id" in columns[table]
    frame = _read_rows(con, table, article_ids if by_article else None)
    if kind != "profile":
        return _Plan(suite, table, frame)
    if by_article and article_ids is not None and frame.empty:
        return _Plan(suite, table, skipped="the batch has no rows of this table")
    if by_article and article_ids is not None and len(frame) < policy.SAMPLE_ROWS:
        frame = pd.concat([frame, _latest_other_rows(con, table, article_ids, policy.SAMPLE_ROWS - len(frame))])
    if len(frame) < policy.MIN_SAMPLE_ROWS:
        return _Plan(suite, table, skipped=f"{len(frame)} rows in the sample, fewer than {policy.MIN_SAMPLE_ROWS}")
    return _Plan(suite, table, frame.reset_index(drop=True))


def _read_rows(con: duckdb.DuckDBPyConnection, table: str, article_ids: list[str] | None) -> pd.DataFrame:
    sql = f"select * from landing.{ident(table)}"
    if article_ids is None:
        return con.execute(sql).df()
    return con.execute(sql + " where article_id in (select unnest($ids::varchar[]))", {"ids": article_ids}).df()


def _latest_other_rows(con: duckdb.DuckDBPyConnection, table: str, article_ids: list[str], n: int) -> pd.DataFrame:
    """Up to `n` rows of articles outside the batch, the most recently loaded articles first."""
    return con.execute(
        f"""
        select t.* from landing.{ident(table)} as t
        join landing.articles as a using (article_id)
        where t.article_id not in (select unnest($ids::varchar[]))
        order by a.loaded_at desc, t.article_id
        limit $n
        """,
        {"ids": article_ids, "n": n},
    ).df()


def _volume_plan(
    con: duckdb.DuckDBPyConnection, suite: dict[str, Any], columns: dict[str, list[str]], article_ids: list[str] | None
) -> _Plan:
    """Records per batch article, one row per article, and the bounds from the warehouse's other articles."""
    tables = [t for t in policy.VOLUME_TABLES if t in columns]
    rows = con.execute(
        "select article_id, (article_id in (select unnest($ids::varchar[])) or $all) as in_batch from landing.articles",
        {"ids": article_ids or [], "all": article_ids is None},
    ).df()
    for table in tables:
        per_article = dict(
            con.execute(f"select article_id, count(*) from landing.{ident(table)} group by article_id").fetchall()
        )
        rows[f"n_{table}"] = [per_article.get(a, 0) for a in rows["article_id"]]
    batch, prior = rows[rows["in_batch"]].reset_index(drop=True), rows[~rows["in_batch"]]
    if batch.empty:
        return _Plan(suite, "articles", skipped="the batch has no articles")
    parameters = volume_parameters(batch, prior, list(policy.VOLUME_TABLES))  # a missing table: no bound
    return _Plan(suite, "articles", batch.drop(columns=["in_batch"]), parameters)


def volume_parameters(batch: pd.DataFrame, prior: pd.DataFrame, tables: list[str]) -> dict[str, Any]:
    """min/max mean records per article for each table: prior mean / VOLUME_FACTOR .. * VOLUME_FACTOR, when
    the warehouse has VOLUME_MIN_PRIOR_ARTICLES other articles and the batch should hold VOLUME_MIN_EXPECTED
    records of the type; else no bound (0 .. none)."""
    parameters: dict[str, Any] = {}
    for table in tables:
        low, high = 0.0, None
        if f"n_{table}" in prior and len(prior) >= policy.VOLUME_MIN_PRIOR_ARTICLES:
            mean = float(prior[f"n_{table}"].mean())
            if mean * len(batch) >= policy.VOLUME_MIN_EXPECTED:
                low, high = mean / policy.VOLUME_FACTOR, mean * policy.VOLUME_FACTOR
        parameters[f"min_{table}_per_article"] = low
        parameters[f"max_{table}_per_article"] = high
    return parameters


def _run(context: AbstractDataContext, plan: _Plan) -> SuiteResult:
    import great_expectations as gx

    suite_config = plan.suite
    name, n = suite_config["name"], len(suite_config.get("expectations", []))
    table = f"landing.{plan.table}"
    if plan.missing:
        return SuiteResult(name, table, False, n, [f"table {table} is missing"])
    if plan.skipped:
        return SuiteResult(name, table, True, n, skipped=plan.skipped)
    suite = context.suites.add(gx.ExpectationSuite(**suite_config))
    source = context.data_sources.get(DATASOURCE)
    try:
        asset = source.get_asset(plan.table)
    except LookupError:
        asset = source.add_dataframe_asset(plan.table)
    batch = asset.add_batch_definition_whole_dataframe(name)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    run = definition.run(
        batch_parameters={"dataframe": plan.frame},
        expectation_parameters=plan.parameters or None,
        result_format="SUMMARY",
    )
    failed = [_describe(r, table) for r in run.results if not r.success]
    kill_points.kill_point("validate.suite")  # a kill point for the crash tests
    return SuiteResult(name, table, bool(run.success), n, failed, rows=len(plan.frame))


def _describe(result: ExpectationValidationResult, table: str) -> str:
    """E.g. "expect_column_values_to_be_in_set(stance) on landing.responses: 2 unexpected values ['x']"."""
    config = result.expectation_config
    kwargs = config.kwargs
    columns = kwargs.get("column") or ", ".join(
        kwargs.get("column_list") or [kwargs[k] for k in ("column_A", "column_B") if k in kwargs]
    )
    head = f"{config.type}({columns}) on {table}"
    error = _exception_message(result.exception_info)
    if error:
        return f"{head}: error: {error}"
    details = result.result or {}
    if "unexpected_count" not in details:
        return f"{head}: observed {_plain(details.get('observed_value'))!r}"
    count = details["unexpected_count"]
    if config.type == "expect_column_values_to_not_be_null":
        mostly = kwargs.get("mostly")
        share = f" ({details.get('unexpected_percent', 0):.0f}%; at most {100 * (1 - mostly):.0f}% allowed)"
        return f"{head}: {count} null values" + (share if mostly is not None else "")
    values = _distinct(_plain(v) for v in details.get("partial_unexpected_list", []))
    return f"{head}: {count} unexpected values {values[:SHOWN_VALUES]!r}"


def _exception_message(info: dict[str, Any] | None) -> str | None:
    """GX reports errors either flat or keyed by metric; return the first message, if any."""
    if not info:
        return None
    entries = [info] if "raised_exception" in info else list(info.values())
    errors = [e for e in entries if isinstance(e, dict) and e.get("raised_exception")]
    return errors[0].get("exception_message") if errors else None


def _plain(value: Any) -> Any:
    """numpy/pandas scalars and arrays as plain Python values, so reprs read well."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    return None if value is pd.NA else value


def _distinct(values: Any) -> list[Any]:
    seen: dict[str, Any] = {}
    for value in values:
        seen.setdefault(repr(value), value)
    return list(seen.values())


def _build_data_docs(context: AbstractDataContext) -> Path | None:
    """Render every suite and validation result of this run, once, with local assets; return the index page."""
    from flows.quality.data_docs import localize_assets

    for url in context.build_data_docs().values():
        if url.startswith("file://"):
            index = Path(url2pathname(urlparse(url).path))
            localize_assets(index.parent)
            return index
    return None
