"""The GX data-quality gate over fixture build DuckDBs: landing tables from flows/records.py, marts by SQL."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import time
from pathlib import Path

import duckdb
import pytest

from flows.quality.validate import GX_SOURCE, validate_warehouse
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
from flows.warehouse.landing import create_landing_tables

REPO = Path(__file__).resolve().parents[2]
SUITE_DIR = GX_SOURCE / "expectations"
ALLOWED_VALUES = {
    "speech_act": SPEECH_ACTS,
    "stance": STANCES,
    "status": NEGOTIATION_STATUSES,
    "actor_type": ACTOR_TYPES,
    "statement_kind": STATEMENT_KINDS,
}

# marts built from landing roughly the way dbt does, with the columns the suites check
MARTS_SQL = {
    "dim_articles": "select * from landing.articles",
    "dim_actors": """
        select md5(actor_name) as actor_id, actor_name, any_value(actor_type) as actor_type,
               null::varchar as affiliation_actor_id, null::varchar as affiliation_name,
               flatten(list(aliases)) as aliases, any_value(country_code) as country_code
        from landing.actors group by actor_name""",
    "fct_actor_mentions": "select md5(actor_name) as actor_id, * from landing.actor_mentions",
    "fct_statements": "select md5(speaker_name) as speaker_actor_id, * from landing.statements",
    "fct_demands": "select * from landing.demands",
    "fct_offers": "select * from landing.offers",
    "fct_responses": "select * from landing.responses",
    "fct_negotiations": "select * from landing.negotiations",
    "rejected_inputs": """
        select md5(concat_ws('|', file, line, reason)) as rejection_id, * from landing.rejected_inputs""",
}


def _records(article_id: str) -> dict[str, list]:
    """One clean record of every kind for one article."""
    sentence = "Russia demanded that Ukraine withdraw, Kyiv rejected it."
    ev = {"evidence_text": sentence, "evidence_start": 0, "evidence_end": len(sentence)}
    aid = {"article_id": article_id}

    def rid(kind: str) -> str:
        return stable_id(article_id, kind)

    return {
        "articles": [
            Article(
                **aid,
                source="wire",
                url=f"https://example.org/{article_id}",
                title="Talks",
                published_at="2025-11-25",
                text=sentence,
                content_hash=stable_id(sentence),
                source_file="articles.jsonl",
                source_line=1,
            ),
        ],
        "actors": [
            Actor(**aid, actor_name="Russia", actor_type="state", aliases=["Moscow"], country_code="RUS"),
            Actor(**aid, actor_name="Ukraine", actor_type="state", aliases=["Kyiv"], country_code="UKR"),
        ],
        "actor_mentions": [
            ActorMention(
                **aid,
                mention_id=rid("m"),
                actor_name="Russia",
                actor_type="state",
                mention_text="Russia",
                start_char=0,
                end_char=6,
                **ev,
            ),
        ],
        "statements": [
            Statement(
                **aid,
                statement_id=rid("s"),
                speaker_name="Russia",
                speaker_mention="Russia",
                statement_kind="reported",
                statement_text="Ukraine withdraw",
                speech_act="demand",
                cue_text="demanded",
                text_start=22,
                text_end=38,
                **ev,
            ),
        ],
        "demands": [
            Demand(
                **aid,
                demand_id=rid("d"),
                demander_name="Russia",
                addressee_name="Ukraine",
                demand_text="withdraw",
                condition_text=None,
                threat_text=None,
                cue_text="demanded",
                **ev,
            ),
        ],
        "offers": [
            Offer(
                **aid,
                offer_id=rid("o"),
                offerer_name="Ukraine",
                recipient_name=None,
                offer_text="talks",
                cue_text=None,
                **ev,
            ),
        ],
        "responses": [
            Response(
                **aid,
                response_id=rid("r"),
                responder_name="Ukraine",
                stance="reject",
                to_actor_name="Russia",
                object_text="withdrawal",
                cue_text="rejected",
                **ev,
            ),
        ],
        "negotiations": [
            Negotiation(
                **aid,
                negotiation_id=rid("n"),
                negotiation_name="Geneva talks",
                parties=["Russia", "Ukraine"],
                mediator_name=None,
                venue="Geneva",
                status="proposed",
                provisions=[],
                cue_text=None,
                **ev,
            ),
        ],
    }


def _load_landing(path: Path, records: dict[str, list]) -> Path:
    """A build DuckDB whose real landing tables hold `records`."""
    with duckdb.connect(str(path)) as con:
        create_landing_tables(con)
        for table in STAGING_TABLES:
            rows = [list(dataclasses.astuple(r)) for r in records.get(table, [])]
            if rows:
                columns = ", ".join(f.name for f in dataclasses.fields(STAGING_TABLES[table]))
                params = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into landing.{table} ({columns}) values ({params})", rows)
        con.execute("update landing.articles set run_id = 'run-1'")
        con.execute("update landing.rejected_inputs set run_id = 'run-1'")
    return path


def _build_warehouse(path: Path, records: dict[str, list]) -> Path:
    """Landing tables holding `records`, marts derived from them by MARTS_SQL."""
    with duckdb.connect(str(_load_landing(path, records))) as con:
        con.execute("create schema marts")
        for mart, select in MARTS_SQL.items():
            con.execute(f"create table marts.{mart} as {select}")
    return path


def _merge(*parts: dict[str, list]) -> dict[str, list]:
    merged: dict[str, list] = {}
    for part in parts:
        for table, rows in part.items():
            merged.setdefault(table, []).extend(rows)
    return merged


def _good_records() -> dict[str, list]:
    rejected = {"rejected_inputs": [RejectedInput("bad.jsonl", 3, "invalid_json", "Line 3 is not JSON.")]}
    return _merge(_records("a1"), _records("a2"), rejected)


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    return _build_warehouse(tmp_path / "good.duckdb", _good_records())


@pytest.fixture
def bad_db(tmp_path: Path) -> Path:
    """Article a1 is clean; in a2 a response has a bad stance, a statement reuses a1's statement id,
    has an empty speaker, blank text and a text span ending before it starts, and (in the marts
    only: landing's DDL forbids it) a demand has no evidence."""
    good, bad = _records("a1"), _records("a2")
    bad["responses"][0].stance = "shout"
    statement = bad["statements"][0]
    statement.statement_id = good["statements"][0].statement_id
    statement.speaker_name = ""
    statement.statement_text = "  "
    statement.text_start = statement.text_end + 1
    path = _build_warehouse(tmp_path / "bad.duckdb", _merge(good, bad))
    with duckdb.connect(str(path)) as con:
        con.execute("update marts.fct_demands set evidence_text = null where article_id = 'a2'")
    return path


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
        "expect_column_values_to_match_regex(speaker_name) on landing.statements: 1 unexpected values ['']",
        "expect_column_values_to_match_regex(statement_text) on marts.fct_statements: 1 unexpected values ['  ']",
        "expect_column_pair_values_a_to_be_greater_than_b(text_end, text_start) on landing.statements: "
        "1 unexpected values [[38, 39]]",
        "expect_column_values_to_not_be_null(evidence_text) on marts.fct_demands: 1 null values",
    ):
        assert expected in report.failed
    assert any(
        f.startswith("expect_column_values_to_be_unique(statement_id) on landing.statements: 2 ") for f in report.failed
    )
    passed = {r.suite for r in report.results if r.success}
    assert {"landing_offers", "marts_fct_negotiations", "landing_rejected_inputs", "warehouse"} <= passed
    assert next(r for r in report.results if r.suite == "landing_rejected_inputs").rows == 0
    assert report.data_docs_path is not None and report.data_docs_path.is_file()


def test_article_subset_validates_only_those_rows_but_keys_over_whole_tables(bad_db: Path, tmp_path: Path) -> None:
    report = validate_warehouse(bad_db, tmp_path / "work", article_ids=["a1"])

    per_table = {r.suite: r for r in report.results}
    assert per_table["landing_responses"].success and per_table["landing_responses"].rows == 1
    assert per_table["marts_dim_actors"].rows == 2  # no article_id column: validated whole
    assert per_table["warehouse"].failed == [
        f"expect_column_values_to_be_unique(statement_id) on {table} (whole table): 1 duplicate keys"
        for table in ("landing.statements", "marts.fct_statements")
    ]
    assert not report.success


def test_missing_table_column_and_empty_marts_fail(good_db: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(good_db)) as con:
        con.execute("drop table marts.fct_offers; delete from marts.dim_articles")
        con.execute("alter table marts.fct_statements drop column speech_act")
    report = validate_warehouse(good_db, tmp_path / "work")

    assert "table marts.fct_offers is missing" in report.failed
    assert any(
        f.startswith("expect_column_values_to_be_in_set(speech_act) on marts.fct_statements: error:")
        for f in report.failed
    )
    assert "marts.dim_articles is empty although landing.articles has 2 rows" in report.failed
    # a second run in the same work_dir starts from the committed config again
    again = validate_warehouse(good_db, tmp_path / "work")
    assert sorted(again.failed) == sorted(report.failed)


def test_marts_built_by_dbt_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The suites fit the marts the real dbt project builds (not only this file's MARTS_SQL)."""
    from flows.warehouse.dbt_build import run_dbt_build

    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    db = _load_landing(tmp_path / "build.duckdb", _good_records())
    dbt = run_dbt_build(db, log_dir=tmp_path / "dbt_logs", target_dir=tmp_path / "dbt_target", quiet=True)
    assert dbt.success

    report = validate_warehouse(db, tmp_path / "work")
    assert report.failed == []
    assert {r.table: r.rows for r in report.results}["marts.fct_statements"] == 2


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
