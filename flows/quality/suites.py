"""The landing GX suites, built from the record definitions plus the batch policy below.

Three kinds, all over the `landing` tables, all run before dbt (`flows.quality.validate`):

- `landing_<table>`: one per landing table, from `records.column` metadata (via
  `flows.warehouse.landing.landing_table`): text columns are not blank, `values` are a
  vocabulary, `pattern` a regex, `minimum` a lower bound, `not_before` a span end, `key` the
  table's key within the batch. Null constraints are not repeated here: the landing DDL
  enforces them at load time. Validated on the new batch's rows.
- `landing_<table>_profile`: what a row check cannot say (completeness rates and
  distributions), over the *recent sample*: the batch's rows, topped up with the latest
  earlier rows to `SAMPLE_ROWS`; skipped when the whole table has fewer than `MIN_SAMPLE_ROWS`.
- `landing_batch_volume`: records per article of the batch against the warehouse so far
  (one row per batch article; bounds passed as suite parameters at run time).

`flows.quality.schema_files` writes them as JSON into `expectations/gx/expectations/`; the run
reads those files. Thresholds were set from the current data with a margin; the figures quoted
were measured on `raw/` (21 articles, `parley run` of 2026-12-04: 181 statements, 55 demands,
15 offers, 22 responses, 39 negotiations).
"""

from __future__ import annotations

import json
import os
import uuid
from typing import TYPE_CHECKING, Any

from flows.records import LANDING_TABLES
from flows.warehouse.landing import LandingColumn, landing_table
from flows.warehouse.load import RECORD_TABLES

if TYPE_CHECKING:
    import great_expectations as gx

NOT_BLANK = r"\S"  # at least one non-whitespace character
SAMPLE_ROWS = 200  # the recent sample a profile suite reads: the batch, topped up with earlier rows
MIN_SAMPLE_ROWS = 20  # below this many rows in the whole table a rate says nothing: the profile is skipped

# (table, column) -> least share of rows with a value, in the recent sample (measured share on raw/)
COMPLETENESS: dict[tuple[str, str], float] = {
    ("statements", "speaker_name"): 0.80,  # 1.00
    ("statements", "cue_text"): 0.80,  # 0.97
    ("demands", "demander_name"): 0.80,  # 1.00
    ("demands", "addressee_name"): 0.05,  # 0.18
    ("offers", "offerer_name"): 0.80,  # 1.00  (recipient_name: 0.00, the rules fill none yet: no floor)
    ("responses", "responder_name"): 0.80,  # 1.00
    ("responses", "to_actor_name"): 0.20,  # 0.50
}
# (table, column) -> least number of distinct values in the recent sample (measured on raw/)
DISTINCT_VALUES: dict[tuple[str, str], int] = {
    ("statements", "speech_act"): 3,  # 9 of 9
    ("responses", "stance"): 2,  # 5 of 5
    ("negotiations", "status"): 2,  # 6 of 7
}
# records per article of a batch against the warehouse so far (steps: flows.quality.validate.volume_parameters)
VOLUME_FACTOR = 3.0  # the batch's mean records per article stays within [prior / 3, prior * 3]
VOLUME_MIN_EXPECTED = 30  # ... checked when the batch should hold at least this many records of the type
VOLUME_MIN_PRIOR_ARTICLES = 20  # ... and the warehouse already holds this many other articles
VOLUME_TABLES = RECORD_TABLES
VOLUME_SUITE = "landing_batch_volume"


def landing_suite_name(table: str) -> str:
    return f"landing_{table}"


def profile_suite_name(table: str) -> str:
    return f"landing_{table}_profile"


def _stable_id(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "parley/gx/" + json.dumps(parts, sort_keys=True)))


def column_expectations(column: LandingColumn) -> list[gx.expectations.Expectation]:
    """The row checks of one landing column, from its `records.column` metadata."""
    import great_expectations.expectations as gxe

    checks = column.checks
    out: list[gxe.Expectation] = []
    if column.sql_type == "varchar" and not column.loaded:
        if "pattern" in checks:
            out.append(gxe.ExpectColumnValuesToMatchRegex(column=column.name, regex=checks["pattern"]))
        elif not column.name.endswith("_id") and "values" not in checks:
            out.append(gxe.ExpectColumnValuesToMatchRegex(column=column.name, regex=NOT_BLANK))
    if "values" in checks:
        out.append(gxe.ExpectColumnValuesToBeInSet(column=column.name, value_set=list(checks["values"])))
    if "minimum" in checks:
        out.append(gxe.ExpectColumnValuesToBeBetween(column=column.name, min_value=checks["minimum"]))
    if "not_before" in checks:
        out.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=column.name,
                column_B=checks["not_before"],
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    return out


def _key_expectation(table: str) -> list[gx.expectations.Expectation]:
    import great_expectations.expectations as gxe

    key = [c.name for c in landing_table(table).columns if c.checks.get("key")]
    if not key:
        return []
    if len(key) == 1:
        return [gxe.ExpectColumnValuesToBeUnique(column=key[0])]
    return [gxe.ExpectCompoundColumnsToBeUnique(column_list=key)]


def _suite(name: str, table: str, kind: str, expectations: list) -> gx.ExpectationSuite:
    import great_expectations as gx

    suite = gx.ExpectationSuite(
        name=name, id=_stable_id(name), expectations=expectations, meta={"table": f"landing.{table}", "kind": kind}
    )
    for e in suite.expectations:
        e.id = _stable_id(name, e.expectation_type, e.configuration.kwargs)
    return suite


def landing_suite(table: str) -> gx.ExpectationSuite:
    """Row checks of one landing table, validated on the batch's rows."""
    expectations = _key_expectation(table)
    for column in landing_table(table).columns:
        expectations += column_expectations(column)
    return _suite(landing_suite_name(table), table, "rows", expectations)


def profile_suites() -> list[gx.ExpectationSuite]:
    """Completeness rates and distributions per table, validated on the recent sample."""
    import great_expectations.expectations as gxe

    per_table: dict[str, list] = {}
    for (table, column), share in COMPLETENESS.items():
        per_table.setdefault(table, []).append(gxe.ExpectColumnValuesToNotBeNull(column=column, mostly=share))
    for (table, column), least in DISTINCT_VALUES.items():
        distinct = gxe.ExpectColumnUniqueValueCountToBeBetween(column=column, min_value=least)
        per_table.setdefault(table, []).append(distinct)
    return [_suite(profile_suite_name(t), t, "profile", e) for t, e in per_table.items()]


def volume_suite() -> gx.ExpectationSuite:
    """Mean records per batch article, within bounds computed from the warehouse at run time."""
    import great_expectations.expectations as gxe

    expectations = [
        gxe.ExpectColumnMeanToBeBetween(
            column=f"n_{table}",
            min_value={"$PARAMETER": f"min_{table}_per_article"},
            max_value={"$PARAMETER": f"max_{table}_per_article"},
        )
        for table in VOLUME_TABLES
    ]
    return _suite(VOLUME_SUITE, "articles", "volume", expectations)


def build_suites() -> list[gx.ExpectationSuite]:
    """Every landing suite, in validation order: row checks per table, profiles, volume."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return [landing_suite(t) for t in LANDING_TABLES] + profile_suites() + [volume_suite()]


def suite_json(suite: gx.ExpectationSuite) -> str:
    """The suite as the JSON file the run reads (stable: same suite, same text)."""
    return json.dumps(suite.to_json_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def parameters_needed(suite: dict[str, Any]) -> set[str]:
    """Names of the suite parameters ({"$PARAMETER": name}) a suite's JSON uses."""
    return {
        value["$PARAMETER"]
        for e in suite.get("expectations", [])
        for value in e.get("kwargs", {}).values()
        if isinstance(value, dict) and "$PARAMETER" in value
    }
