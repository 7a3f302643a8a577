"""The landing suites follow the records' metadata; the volume bounds follow the warehouse."""

from __future__ import annotations

import pandas as pd

from flows.quality import suites as policy
from flows.quality.validate import volume_parameters
from flows.records import STANCES, STATEMENT_KINDS
from flows.warehouse.landing import landing_table


def _checks(table: str) -> dict[str, list[tuple[str, dict]]]:
    out: dict[str, list[tuple[str, dict]]] = {}
    for e in policy.landing_suite(table).expectations:
        kwargs = e.configuration.kwargs
        column = kwargs.get("column") or kwargs.get("column_A") or ",".join(kwargs.get("column_list", []))
        out.setdefault(column, []).append((e.expectation_type, kwargs))
    return out


def test_row_checks_come_from_the_column_metadata():
    statements = _checks("statements")
    assert [t for t, _ in statements["statement_id"]] == ["expect_column_values_to_be_unique"]
    assert "article_id" not in statements  # an id: the DDL makes it not null, nothing else to say
    kinds = dict(statements["statement_kind"])
    assert kinds["expect_column_values_to_be_in_set"]["value_set"] == list(STATEMENT_KINDS)
    assert [t for t, _ in statements["speaker_name"]] == ["expect_column_values_to_match_regex"]
    (pair,) = [k for t, k in statements["text_end"] if t == "expect_column_pair_values_a_to_be_greater_than_b"]
    assert pair["column_B"] == "text_start" and pair["or_equal"]
    assert dict(statements["text_start"])["expect_column_values_to_be_between"]["min_value"] == 0
    actors = _checks("actors")
    assert dict(actors["country_code"])["expect_column_values_to_match_regex"]["regex"] == "^[A-Z]{3}$"
    assert "article_id,actor_name" in actors  # a compound key
    assert dict(_checks("responses")["stance"])["expect_column_values_to_be_in_set"]["value_set"] == list(STANCES)


def test_no_null_check_repeats_the_ddl():
    for table in ("articles", "statements", "negotiations"):
        types = {e.expectation_type for e in policy.landing_suite(table).expectations}
        assert "expect_column_values_to_not_be_null" not in types
        assert any(not c.nullable for c in landing_table(table).columns)


def test_profiles_hold_the_documented_thresholds():
    profiles = {s.name: s for s in policy.profile_suites()}
    demands = profiles["landing_demands_profile"]
    mostly = {e.configuration.kwargs["column"]: e.configuration.kwargs["mostly"] for e in demands.expectations}
    assert mostly == {"demander_name": 0.8, "addressee_name": 0.05}


def _counts(n_articles: int, per_article: int) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n_articles)], "n_statements": per_article})


def test_volume_bounds_follow_the_warehouse_so_far():
    prior = _counts(policy.VOLUME_MIN_PRIOR_ARTICLES, 6)
    bounded = volume_parameters(_counts(10, 0), prior, ["statements"])
    assert bounded == {"min_statements_per_article": 2.0, "max_statements_per_article": 18.0}
    # too few earlier articles, or too few records expected in the batch: no bound
    assert volume_parameters(_counts(10, 0), prior.head(5), ["statements"])["max_statements_per_article"] is None
    assert volume_parameters(_counts(2, 0), prior, ["statements"]) == {
        "min_statements_per_article": 0.0,
        "max_statements_per_article": None,
    }
