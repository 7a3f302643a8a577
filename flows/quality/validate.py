"""Data-quality gate: run the GX suites of `expectations/gx` over a build DuckDB.

One suite per table (`landing_statements` checks `landing.statements`, `marts_fct_statements`
checks `marts.fct_statements`). GX validates pandas DataFrames read from DuckDB, because GX over
a DuckDB SQL datasource fails on every expectation (GX #10738, #11579). The committed context
(config and suite JSONs) is copied into `work_dir/gx` and run there, so validation results and
Data Docs land in the caller's directory, never in the repo. Cross-table checks GX cannot
express run in SQL afterwards, as the suite `warehouse`.
"""

from __future__ import annotations

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
from flows.warehouse.sql import ident

if TYPE_CHECKING:  # GX takes ~2 s to import: only validate_warehouse pays for it
    from great_expectations import Checkpoint, ExpectationSuite
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.data_context import FileDataContext

GX_SOURCE = PROJECT_ROOT / "expectations" / "gx"
DATASOURCE = "warehouse"
SCHEMAS = ("landing", "marts")
SHOWN_VALUES = 5  # distinct unexpected values quoted per failed expectation


@dataclass
class SuiteResult:
    suite: str
    table: str  # "schema.table"
    success: bool
    n_expectations: int
    failed: list[str] = field(default_factory=list)  # one readable line per failed expectation
    rows: int | None = None  # rows validated (None when the table is missing)


@dataclass
class ValidationReport:
    success: bool
    results: list[SuiteResult]
    data_docs_path: Path | None  # the Data Docs index.html in work_dir

    @property
    def failed(self) -> list[str]:
        return [line for result in self.results for line in result.failed]


def validate_warehouse(
    build_db: Path,
    work_dir: Path,
    *,
    article_ids: list[str] | None = None,
    gx_source: Path = GX_SOURCE,
) -> ValidationReport:
    """Validate the landing tables and marts of `build_db`; results and Data Docs go to `work_dir/gx`.

    With `article_ids`, tables that have an `article_id` column are validated on those
    articles' rows only; key uniqueness is then also checked over the whole tables in SQL.
    """
    context = _working_context(Path(gx_source), Path(work_dir))
    suites = sorted(context.suites.all(), key=lambda s: s.name)
    with duckdb.connect(str(build_db), read_only=True) as con:
        columns = _table_columns(con)
        results = [_validate_table(context, suite, con, columns, article_ids) for suite in suites]
        results.append(_warehouse_checks(con, columns, suites, whole_tables=article_ids is None))
    return ValidationReport(all(r.success for r in results), results, _build_data_docs(context))


def _working_context(gx_source: Path, work_dir: Path) -> FileDataContext:
    """A file context in `work_dir/gx` holding the committed config and suites, plus a pandas source."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    root = work_dir / "gx"
    for runtime_config in ("expectations", "validation_definitions", "checkpoints"):
        shutil.rmtree(root / runtime_config, ignore_errors=True)  # left by an earlier run in work_dir
    (root / "expectations").mkdir(parents=True)
    shutil.copy2(gx_source / "great_expectations.yml", root)
    for suite_file in (gx_source / "expectations").glob("*.json"):
        shutil.copy2(suite_file, root / "expectations")
    context = gx.get_context(mode="file", project_root_dir=work_dir)
    context.data_sources.add_pandas(DATASOURCE)
    return context


def _table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """
        select table_schema || '.' || table_name, list(column_name order by ordinal_position)
        from information_schema.columns
        where table_schema in (select unnest($schemas::varchar[]))
        group by all
        """,
        {"schemas": list(SCHEMAS)},
    ).fetchall()
    return dict(rows)


def _table_of(suite: ExpectationSuite) -> str:
    return suite.meta.get("table") or suite.name.replace("_", ".", 1)


def _validate_table(
    context: FileDataContext,
    suite: ExpectationSuite,
    con: duckdb.DuckDBPyConnection,
    columns: dict[str, list[str]],
    article_ids: list[str] | None,
) -> SuiteResult:
    table = _table_of(suite)
    n_expectations = len(suite.expectations)
    if table not in columns:
        return SuiteResult(suite.name, table, False, n_expectations, [f"table {table} is missing"])
    frame = _read_table(con, table, filter_articles=article_ids if "article_id" in columns[table] else None)
    checkpoint_result = _checkpoint(context, suite).run(batch_parameters={"dataframe": frame})
    (run,) = checkpoint_result.run_results.values()
    failed = [_describe(r, table) for r in run.results if not r.success]
    kill_points.kill_point("validate.suite")  # a kill point for the crash tests
    return SuiteResult(suite.name, table, bool(run.success), n_expectations, failed, rows=len(frame))


def _read_table(con: duckdb.DuckDBPyConnection, table: str, *, filter_articles: list[str] | None) -> pd.DataFrame:
    schema, name = table.split(".")
    sql = f"select * from {ident(schema)}.{ident(name)}"
    if filter_articles is None:
        return con.execute(sql).df()
    return con.execute(sql + " where article_id in (select unnest($ids::varchar[]))", {"ids": filter_articles}).df()


def _checkpoint(context: FileDataContext, suite: ExpectationSuite) -> Checkpoint:
    """A checkpoint validating one dataframe (passed at run time) against `suite`."""
    import great_expectations as gx

    asset = context.data_sources.get(DATASOURCE).add_dataframe_asset(suite.name)
    batch = asset.add_batch_definition_whole_dataframe("whole table")
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
    return context.checkpoints.add(
        gx.Checkpoint(name=suite.name, validation_definitions=[definition], result_format="SUMMARY")
    )


def _describe(result: ExpectationValidationResult, table: str) -> str:
    """E.g. "expect_column_values_to_be_in_set(stance) on marts.fct_responses: 2 unexpected values ['x']"."""
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
        return f"{head}: {count} null values"
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


def _warehouse_checks(
    con: duckdb.DuckDBPyConnection,
    columns: dict[str, list[str]],
    suites: list[ExpectationSuite],
    *,
    whole_tables: bool,
) -> SuiteResult:
    """Checks across tables, in SQL; when the suites saw a subset of rows, also whole-table key uniqueness."""
    failed = _articles_reach_marts(con, columns)
    n_checks = 1
    if not whole_tables:
        for table, key in _single_keys(suites, columns):
            n_checks += 1
            schema, name = table.split(".")
            (duplicates,) = con.execute(
                f"select count({ident(key)}) - count(distinct {ident(key)}) from {ident(schema)}.{ident(name)}"
            ).fetchone()
            if duplicates:
                failed.append(
                    f"expect_column_values_to_be_unique({key}) on {table} (whole table): {duplicates} duplicate keys"
                )
    return SuiteResult("warehouse", "landing+marts", not failed, n_checks, failed)


def _articles_reach_marts(con: duckdb.DuckDBPyConnection, columns: dict[str, list[str]]) -> list[str]:
    if not {"landing.articles", "marts.dim_articles"} <= columns.keys():
        return []  # a missing table already fails its own suite
    (landed,) = con.execute("select count(*) from landing.articles").fetchone()
    (in_marts,) = con.execute("select count(*) from marts.dim_articles").fetchone()
    if landed and not in_marts:
        return [f"marts.dim_articles is empty although landing.articles has {landed} rows"]
    return []


def _single_keys(suites: list[ExpectationSuite], columns: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(table, column) for every single-column uniqueness expectation on an existing column."""
    return [
        (table, e.column)
        for suite in suites
        if (table := _table_of(suite)) in columns
        for e in suite.expectations
        if e.expectation_type == "expect_column_values_to_be_unique" and e.column in columns[table]
    ]


def _build_data_docs(context: FileDataContext) -> Path | None:
    """Render every suite and validation result of this run, once, and return the index page.

    Once rather than an `UpdateDataDocsAction` per checkpoint: that re-renders the index and
    re-copies the static assets for each of the ~18 suites (2.7 s against 0.35 s here).
    """
    for url in context.build_data_docs().values():
        if url.startswith("file://"):
            return Path(url2pathname(urlparse(url).path))
    return None
