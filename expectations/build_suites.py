"""Write parley's GX expectation suites as JSON into the file context under `expectations/gx/`.

The allowed-value sets come from `flows/records.py`, so after changing a tuple there run
`.venv/bin/python expectations/build_suites.py` and commit the changed JSON files
(`tests/test_validate.py` fails while the JSON and this script disagree).
One suite per table, named `<schema>_<table>` (`landing_statements` checks `landing.statements`).
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from flows.records import (  # noqa: E402
    ACTOR_TYPES,
    NEGOTIATION_STATUSES,
    SPEECH_ACTS,
    STANCES,
    STATEMENT_KINDS,
)

MAX_ROWS = 50_000_000  # a sanity bound, far above any real warehouse
NOT_BLANK = r"\S"  # at least one non-whitespace character

Expectations = list[gxe.Expectation]


def not_null(*columns: str) -> Expectations:
    return [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in columns]


def optional_text(*columns: str) -> Expectations:
    """Null is fine, but a value must not be empty or whitespace only."""
    return [gxe.ExpectColumnValuesToMatchRegex(column=c, regex=NOT_BLANK) for c in columns]


def required_text(*columns: str) -> Expectations:
    return not_null(*columns) + optional_text(*columns)


def one_of(column: str, values: tuple[str, ...]) -> Expectations:
    return [*not_null(column), gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))]


def key(*columns: str) -> Expectations:
    unique = (
        gxe.ExpectColumnValuesToBeUnique(column=columns[0])
        if len(columns) == 1
        else gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns))
    )
    return [*not_null(*columns), unique]


def span(start: str, end: str) -> Expectations:
    """Character offsets: present, non-negative, end not before start."""
    return [
        *not_null(start, end),
        gxe.ExpectColumnValuesToBeBetween(column=start, min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=end, column_B=start, or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    ]


def evidence() -> Expectations:
    return required_text("evidence_text") + span("evidence_start", "evidence_end")


def country_code() -> gxe.Expectation:
    """ISO 3166-1 alpha-3, when known."""
    return gxe.ExpectColumnValuesToMatchRegex(column="country_code", regex=r"^[A-Z]{3}$")  # ISO 3166-1 alpha-3


def rejected_inputs() -> Expectations:
    return [
        *required_text("file", "reason", "detail"),
        gxe.ExpectColumnValuesToMatchRegex(column="reason", regex=r"^[a-z][a-z0-9_]*$"),
        gxe.ExpectColumnValuesToBeBetween(column="line", min_value=0),
    ]


def landing() -> dict[str, Expectations]:
    """Expectations per table of schema `landing` (the loaded records)."""
    return {
        "articles": [
            *key("article_id"),
            *required_text("text", "content_hash", "source_file"),
            *optional_text("source", "url", "title"),
            gxe.ExpectColumnValuesToMatchRegex(column="published_at", regex=r"^\d{4}-\d{2}-\d{2}"),
            *not_null("truncated", "run_id", "loaded_at"),
        ],
        "rejected_inputs": [*rejected_inputs(), *not_null("run_id", "loaded_at")],
        "actors": [
            *key("article_id", "actor_name"),
            *required_text("actor_name"),
            *one_of("actor_type", ACTOR_TYPES),
            *optional_text("affiliation_name"),
            country_code(),
        ],
        "actor_mentions": [
            *key("mention_id"),
            *not_null("article_id"),
            *required_text("actor_name", "mention_text"),
            *one_of("actor_type", ACTOR_TYPES),
            *span("start_char", "end_char"),
            *evidence(),
        ],
        "statements": [
            *key("statement_id"),
            *not_null("article_id"),
            *optional_text("speaker_name", "speaker_mention", "cue_text"),
            *one_of("statement_kind", STATEMENT_KINDS),
            *required_text("statement_text"),
            *one_of("speech_act", SPEECH_ACTS),
            *span("text_start", "text_end"),
            *evidence(),
        ],
        "demands": [
            *key("demand_id"),
            *not_null("article_id"),
            *optional_text("demander_name", "addressee_name", "condition_text", "threat_text", "cue_text"),
            *required_text("demand_text"),
            *evidence(),
        ],
        "offers": [
            *key("offer_id"),
            *not_null("article_id"),
            *optional_text("offerer_name", "recipient_name", "cue_text"),
            *required_text("offer_text"),
            *evidence(),
        ],
        "responses": [
            *key("response_id"),
            *not_null("article_id"),
            *optional_text("responder_name", "to_actor_name", "cue_text"),
            *one_of("stance", STANCES),
            *required_text("object_text"),
            *evidence(),
        ],
        "negotiations": [
            *key("negotiation_id"),
            *not_null("article_id", "parties", "provisions"),
            *required_text("negotiation_name"),
            *optional_text("mediator_name", "venue", "cue_text"),
            *one_of("status", NEGOTIATION_STATUSES),
            *evidence(),
        ],
    }


def marts() -> dict[str, Expectations]:
    """Expectations per table of schema `marts` (what gets published)."""
    return {
        "dim_actors": [
            *key("actor_id"),
            *required_text("actor_name"),
            *one_of("actor_type", ACTOR_TYPES),
            *optional_text("affiliation_actor_id", "affiliation_name"),
            country_code(),
        ],
        "dim_articles": [*key("article_id"), *required_text("content_hash", "source_file")],
        "fct_actor_mentions": [
            *key("mention_id"),
            *not_null("article_id", "actor_id"),
            *required_text("actor_name", "mention_text"),
            *one_of("actor_type", ACTOR_TYPES),
            *span("start_char", "end_char"),
            *evidence(),
        ],
        "fct_statements": [
            *key("statement_id"),
            *not_null("article_id"),
            *optional_text("speaker_actor_id", "speaker_name", "speaker_mention", "cue_text"),
            *one_of("statement_kind", STATEMENT_KINDS),
            *required_text("statement_text"),
            *one_of("speech_act", SPEECH_ACTS),
            *span("text_start", "text_end"),
            *evidence(),
        ],
        "fct_demands": [
            *key("demand_id"),
            *not_null("article_id"),
            *optional_text("demander_name", "addressee_name", "condition_text", "threat_text", "cue_text"),
            *required_text("demand_text"),
            *evidence(),
        ],
        "fct_offers": [
            *key("offer_id"),
            *not_null("article_id"),
            *optional_text("offerer_name", "recipient_name", "cue_text"),
            *required_text("offer_text"),
            *evidence(),
        ],
        "fct_responses": [
            *key("response_id"),
            *not_null("article_id"),
            *optional_text("responder_name", "to_actor_name", "cue_text"),
            *one_of("stance", STANCES),
            *required_text("object_text"),
            *evidence(),
        ],
        "fct_negotiations": [
            *key("negotiation_id"),
            *not_null("article_id", "parties", "provisions"),
            *required_text("negotiation_name"),
            *optional_text("mediator_name", "venue", "cue_text"),
            *one_of("status", NEGOTIATION_STATUSES),
            *evidence(),
        ],
        "rejected_inputs": [*key("rejection_id"), *rejected_inputs()],
    }


def _stable_id(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "parley/gx/" + json.dumps(parts, sort_keys=True)))


def build_suites() -> list[gx.ExpectationSuite]:
    """Every suite, each starting with a sane row count for its table; ids derive from the content."""
    suites = []
    for schema, tables in (("landing", landing()), ("marts", marts())):
        for table, expectations in tables.items():
            name = f"{schema}_{table}"
            row_count = gxe.ExpectTableRowCountToBeBetween(min_value=0, max_value=MAX_ROWS)
            suite = gx.ExpectationSuite(
                name=name,
                id=_stable_id(name),
                expectations=[row_count, *expectations],
                meta={"table": f"{schema}.{table}"},
            )
            for e in suite.expectations:
                e.id = _stable_id(name, e.expectation_type, e.configuration.kwargs)
            suites.append(suite)
    return suites


def write_suites(project_root: Path = HERE) -> list[Path]:
    """(Re)write the suites into the file context at `project_root/gx`, in GX's own JSON format.

    Written directly (not via `context.suites.add`, which draws random ids), so re-running
    the script gives no diff; suites no longer built are removed.
    """
    context = gx.get_context(mode="file", project_root_dir=project_root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.enable_analytics(False)  # also saves the config
    suite_dir = Path(context.root_directory) / "expectations"
    for stale in suite_dir.glob("*.json"):
        stale.unlink()
    for suite in build_suites():
        text = context.expectations_store.serialize(suite)
        (suite_dir / f"{suite.name}.json").write_text(text + "\n", encoding="utf-8")
    return sorted(suite_dir.glob("*.json"))


if __name__ == "__main__":
    for path in write_suites():
        print(path.relative_to(HERE.parent))
