"""The GX data-quality gate over a fixture build DuckDB (landing tables from flows/records.py, marts by SQL)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import time
from pathlib import Path

import duckdb
import pytest

from flows.records import (
    ACTOR_TYPES,
    NEGOTIATION_STATUSES,
    SPEECH_ACTS,
    STAGING_TABLES,
    STANCES,
    STATEMENT_KINDS,
    Actor,
    ActorMention,
    Article,
    Demand,
    Negotiation,
    Offer,
    RejectedInput,
    Response,
    Statement,
    stable_id,
)
from flows.validate import GX_SOURCE, validate_warehouse

REPO = Path(__file__).resolve().parents[1]
SUITE_DIR = GX_SOURCE / "expectations"
SQL_TYPES = {"str": "varchar", "int": "integer", "bool": "boolean", "list[str]": "varchar[]"}
RUN_COLUMNS = {"run_id": "varchar", "loaded_at": "timestamp"}  # on landing.articles and rejected_inputs
ALLOWED_VALUES = {
    "speech_act": SPEECH_ACTS,
    "stance": STANCES,
    "status": NEGOTIATION_STATUSES,
    "actor_type": ACTOR_TYPES,
    "statement_kind": STATEMENT_KINDS,
}

# the mart columns the suites rely on, built from landing the way dbt would
MARTS_SQL = {
    "dim_articles": "select article_id, source, url, title, published_at, content_hash from landing.articles",
    "dim_actors": """
        select md5(actor_name)[:16] as actor_id, actor_name, any_value(actor_type) as actor_type,
               null::varchar as affiliation_actor_id, flatten(list(aliases)) as aliases,
               any_value(country_code) as country_code
        from landing.actors group by actor_name""",
    "fct_actor_mentions": """
        select mention_id, article_id, md5(actor_name)[:16] as actor_id, actor_name, actor_type,
               mention_text, evidence_text, evidence_start, evidence_end
        from landing.actor_mentions""",
    "fct_statements": """
        select statement_id, article_id, md5(speaker_name)[:16] as speaker_actor_id, speaker_name,
               statement_kind, statement_text, speech_act, evidence_text, evidence_start, evidence_end
        from landing.statements""",
    "fct_demands": """
        select demand_id, article_id, demander_name, addressee_name, demand_text, condition_text,
               threat_text, evidence_text, evidence_start, evidence_end
        from landing.demands""",
    "fct_offers": """
        select offer_id, article_id, offerer_name, recipient_name, offer_text,
               evidence_text, evidence_start, evidence_end
        from landing.offers""",
    "fct_responses": """
        select response_id, article_id, responder_name, stance, to_actor_name, object_text,
               evidence_text, evidence_start, evidence_end
        from landing.responses""",
    "fct_negotiations": """
        select negotiation_id, article_id, negotiation_name, parties, mediator_name, venue, status,
               provisions, evidence_text, evidence_start, evidence_end
        from landing.negotiations""",
    "rejected_inputs": "select file, line, reason, detail from landing.rejected_inputs",
}


def _records(article_id: str) -> dict[str, list]:
    """One clean record of every kind for one article."""
    sentence = "Russia demanded that Ukraine withdraw, Kyiv rejected it."
    ev = {"evidence_text": sentence, "evidence_start": 0, "evidence_end": len(sentence)}
    return {
        "articles": [
            Article(article_id, "wire", f"https://example.org/{article_id}", "Talks", "2025-11-25",
                    sentence, stable_id(sentence), "articles.jsonl", 1)
        ],
        "actors": [
            Actor(article_id, "Russia", "state", ["Moscow"], None, "RU"),
            Actor(article_id, "Ukraine", "state", ["Kyiv"], None, "UA"),
        ],
        "actor_mentions": [
            ActorMention(article_id, stable_id(article_id, "m1"), "Russia", "state", "Russia", 0, 6, **ev)
        ],
        "statements": [
            Statement(article_id, stable_id(article_id, "s1"), "Russia", "Russia", "reported",
                      "Ukraine withdraw", "demand", "demanded", 22, 38, **ev)
        ],
        "demands": [
            Demand(article_id, stable_id(article_id, "d1"), "Russia", "Ukraine", "withdraw",
                   None, None, "demanded", **ev)
        ],
        "offers": [Offer(article_id, stable_id(article_id, "o1"), "Ukraine", None, "talks", None, **ev)],
        "responses": [
            Response(article_id, stable_id(article_id, "r1"), "Ukraine", "reject", "Russia",
                     "withdrawal", "rejected", **ev)
        ],
        "negotiations": [
            Negotiation(article_id, stable_id(article_id, "n1"), "Geneva talks", ["Russia", "Ukraine"],
                        None, "Geneva", "proposed", [], None, **ev)
        ],
    }


def _landing_ddl(table: str) -> str:
    columns = {f.name: SQL_TYPES[f.type.replace(" | None", "")] for f in dataclasses.fields(STAGING_TABLES[table])}
    if table in ("articles", "rejected_inputs"):
        columns |= RUN_COLUMNS
    return f"create table landing.{table} ({', '.join(f'{c} {t}' for c, t in columns.items())})"


def _build_warehouse(path: Path, records: dict[str, list]) -> Path:
    """A build DuckDB: landing tables holding `records`, marts derived from them."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema landing; create schema marts")
        for table in STAGING_TABLES:
            con.execute(_landing_ddl(table))
            rows = [list(dataclasses.astuple(r)) for r in records.get(table, [])]
            if table in ("articles", "rejected_inputs"):
                rows = [[*row, "run-1", "2025-11-25 12:00:00"] for row in rows]
            if rows:
                con.executemany(f"insert into landing.{table} values ({', '.join('?' * len(rows[0]))})", rows)
        for mart, select in MARTS_SQL.items():
            con.execute(f"create table marts.{mart} as {select}")
    return path


def _merge(*parts: dict[str, list]) -> dict[str, list]:
    merged: dict[str, list] = {}
    for part in parts:
        for table, rows in part.items():
            merged.setdefault(table, []).extend(rows)
    return merged


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    rejected = {"rejected_inputs": [RejectedInput("bad.jsonl", 3, "invalid_json", "Line 3 is not JSON.")]}
    return _build_warehouse(tmp_path / "good.duckdb", _merge(_records("a1"), _records("a2"), rejected))


@pytest.fixture
def bad_db(tmp_path: Path) -> Path:
    """Article a1 is clean; a2 has a bad stance, a statement reusing a1's id with blank text, null evidence."""
    good, bad = _records("a1"), _records("a2")
    bad["responses"][0].stance = "shout"
    bad["statements"][0].statement_id = good["statements"][0].statement_id
    bad["statements"][0].statement_text = "  "
    bad["demands"][0].evidence_text = None
    return _build_warehouse(tmp_path / "bad.duckdb", _merge(good, bad))


def _repo_files() -> set[Path]:
    return {p for p in (REPO / "expectations").rglob("*") if p.is_file()}


def test_good_warehouse_passes_and_builds_data_docs(good_db: Path, tmp_path: Path) -> None:
    before = _repo_files()
    started = time.perf_counter()
    report = validate_warehouse(good_db, tmp_path / "work")
    elapsed = time.perf_counter() - started

    assert report.failed == []
    assert report.success
    suites = {r.suite for r in report.results}
    assert {"landing_statements", "marts_fct_statements", "marts_dim_actors", "warehouse"} <= suites
    assert len(suites) == len(list(SUITE_DIR.glob("*.json"))) + 1
    statements = next(r for r in report.results if r.suite == "marts_fct_statements")
    assert (statements.table, statements.rows) == ("marts.fct_statements", 2)
    assert statements.n_expectations > 10
    assert report.data_docs_path is not None
    assert report.data_docs_path.name == "index.html" and report.data_docs_path.is_file()
    assert report.data_docs_path.is_relative_to(tmp_path / "work")
    assert _repo_files() == before, "runtime output must stay out of the repo"
    print(f"validated {len(suites)} suites in {elapsed:.1f}s")


def test_violations_fail_and_are_named(bad_db: Path, tmp_path: Path) -> None:
    report = validate_warehouse(bad_db, tmp_path / "work")

    assert not report.success
    for expected in (
        "expect_column_values_to_be_in_set(stance) on landing.responses: 1 unexpected values ['shout']",
        "expect_column_values_to_be_in_set(stance) on marts.fct_responses: 1 unexpected values ['shout']",
        "expect_column_values_to_match_regex(statement_text) on marts.fct_statements: 1 unexpected values ['  ']",
        "expect_column_values_to_not_be_null(evidence_text) on landing.demands: 1 null values",
        "expect_column_values_to_not_be_null(evidence_text) on marts.fct_demands: 1 null values",
    ):
        assert expected in report.failed
    assert any(f.startswith("expect_column_values_to_be_unique(statement_id) on landing.statements: 2 ")
               for f in report.failed)
    passed = {r.suite for r in report.results if r.success}
    assert {"landing_offers", "marts_fct_negotiations", "warehouse"} <= passed
    assert report.data_docs_path is not None and report.data_docs_path.is_file()


def test_article_subset_validates_only_those_rows_but_keys_over_whole_tables(
    bad_db: Path, tmp_path: Path
) -> None:
    report = validate_warehouse(bad_db, tmp_path / "work", article_ids=["a1"])

    per_table = {r.suite: r for r in report.results}
    assert per_table["landing_responses"].success and per_table["landing_responses"].rows == 1
    assert per_table["marts_dim_actors"].rows == 2  # no article_id column: validated whole
    assert per_table["warehouse"].failed == [
        "expect_column_values_to_be_unique(statement_id) on landing.statements (whole table): 1 duplicate keys",
        "expect_column_values_to_be_unique(statement_id) on marts.fct_statements (whole table): 1 duplicate keys",
    ]
    assert not report.success


def test_missing_table_column_and_empty_marts_fail(good_db: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(good_db)) as con:
        con.execute("drop table marts.fct_offers; delete from marts.dim_articles")
        con.execute("alter table marts.fct_statements drop column speech_act")
    report = validate_warehouse(good_db, tmp_path / "work")

    assert "table marts.fct_offers is missing" in report.failed
    assert any(f.startswith("expect_column_values_to_be_in_set(speech_act) on marts.fct_statements: error:")
               for f in report.failed)
    assert "marts.dim_articles is empty although landing.articles has 2 rows" in report.failed
    # a second run in the same work_dir starts from the committed config again
    again = validate_warehouse(good_db, tmp_path / "work")
    assert sorted(again.failed) == sorted(report.failed)


def _load_build_suites():
    spec = importlib.util.spec_from_file_location("build_suites", REPO / "expectations" / "build_suites.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _suite_files() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SUITE_DIR.glob("*.json"))}


def test_suite_json_is_valid_gx_and_covers_allowed_values() -> None:
    import great_expectations as gx

    suites = _suite_files()
    expected_tables = {f"landing.{t}" for t in STAGING_TABLES} | {f"marts.{t}" for t in MARTS_SQL}
    assert {s["meta"]["table"] for s in suites.values()} == expected_tables
    for name, data in suites.items():
        suite = gx.ExpectationSuite(**data)
        assert suite.name == name and len(suite.expectations) == len(data["expectations"]) > 1

    in_set = [
        (data["meta"]["table"], e["kwargs"]["column"], e["kwargs"]["value_set"])
        for data in suites.values()
        for e in data["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    ]
    for column, values in ALLOWED_VALUES.items():
        checked = [(table, value_set) for table, col, value_set in in_set if col == column]
        assert {table.split(".")[0] for table, _ in checked} == {"landing", "marts"}, column
        assert all(value_set == list(values) for _, value_set in checked), column


def test_suite_json_is_in_sync_with_generator() -> None:
    built = {s.name: json.loads(json.dumps(s.to_json_dict())) for s in _load_build_suites().build_suites()}
    on_disk = _suite_files()
    assert built.keys() == on_disk.keys()
    for name, data in on_disk.items():
        assert built[name]["expectations"] == data["expectations"], (
            f"{name}.json is stale: run .venv/bin/python expectations/build_suites.py"
        )
