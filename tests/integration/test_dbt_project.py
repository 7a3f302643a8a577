"""The dbt project, run in process against a temp build DuckDB whose landing tables hold a few records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.records import (
    LANDING_TABLES,
    Actor,
    ActorMention,
    Article,
    Demand,
    Negotiation,
    Offer,
    RejectedInput,
    Response,
    Statement,
)
from flows.warehouse.dbt_build import run_dbt_build, run_dbt_docs
from flows.warehouse.landing import arrow_schema, create_landing_tables, landing_columns

LOADED = dt.datetime(2025, 12, 1, 9, 0, 0)
RELOADED = dt.datetime(2025, 12, 2, 9, 0, 0)
MART_TABLES = (
    "dim_actors",
    "dim_articles",
    "fct_actor_mentions",
    "fct_statements",
    "fct_demands",
    "fct_offers",
    "fct_responses",
    "fct_negotiations",
    "rejected_inputs",
)


def actor_key(name: str) -> str:
    return hashlib.md5(name.lower().encode()).hexdigest()


def insert(con: duckdb.DuckDBPyConnection, table: str, records: list, **load_columns: object) -> None:
    """Insert dataclass records into landing.<table> with parameterised SQL."""
    names = [f.name for f in dataclasses.fields(LANDING_TABLES[table])] + list(load_columns)
    placeholders = ", ".join("?" for _ in names)
    rows = [
        [getattr(r, n) for n in names[: len(names) - len(load_columns)]] + list(load_columns.values()) for r in records
    ]
    con.executemany(f"insert into landing.{table} ({', '.join(names)}) values ({placeholders})", rows)


def evidence(sentence: str, start: int = 0) -> dict:
    return {"evidence_text": sentence, "evidence_start": start, "evidence_end": start + len(sentence)}


PUTIN_SENTENCE = "Ukrainian troops must withdraw from the territories they currently hold, Putin said."


def article(article_id: str, published_at: str | None) -> Article:
    text = f"{PUTIN_SENTENCE} Kyiv rejects the terms."
    return Article(
        article_id=article_id,
        source="National Herald",
        url=None,
        title=f"Title of {article_id}",
        published_at=published_at,
        text=text,
        content_hash=hashlib.sha1(text.encode()).hexdigest(),
        source_file="seed.articles.jsonl",
        source_line=1,
    )


def statement(article_id: str, statement_id: str, speaker: str | None, text: str, act: str = "reject") -> Statement:
    return Statement(
        article_id=article_id,
        statement_id=statement_id,
        speaker_name=speaker,
        speaker_mention="he",
        statement_kind="direct",
        statement_text=text,
        speech_act=act,
        cue_text="said",
        text_start=0,
        text_end=len(text),
        **evidence(PUTIN_SENTENCE),
    )


def load_seed(con: duckdb.DuckDBPyConnection) -> None:
    """Three articles: a1 (tz datetime), a2 (unreadable date), a3 (no date)."""
    create_landing_tables(con)
    insert(
        con,
        "articles",
        [article("a1", "2025-11-28T10:00:00+02:00"), article("a2", "last Tuesday"), article("a3", None)],
        run_id="run-1",
        loaded_at=LOADED,
    )
    insert(
        con,
        "rejected_inputs",
        [RejectedInput("bad.jsonl", 3, "empty", "Line 3 is empty.")],
        run_id="run-1",
        loaded_at=LOADED,
    )
    insert(
        con,
        "actors",
        [
            Actor("a1", "Vladimir Putin", "person", ["Putin"], "Russia"),
            Actor("a1", "Russia", "state", ["Moscow", "Russian"], None, "rus"),  # ISO alpha-3, upper-cased by staging
            Actor("a1", "Ukraine", "state", ["Kyiv"]),
            Actor("a1", "Volodymyr Zelenskyy", "person", ["Zelenskyy"], "Ukraine"),
            Actor("a2", "Vladimir Putin", "person", ["the Kremlin", "Putin"], "Russia"),
            Actor("a2", "Russia", "organization", ["Moscow"]),
            Actor("a3", "Russia", "state", []),
            Actor("a3", "Ukraine", "state", []),
        ],
    )
    insert(
        con,
        "actor_mentions",
        [
            ActorMention("a1", "m1", "Vladimir Putin", "person", "Putin", 75, 80, **evidence(PUTIN_SENTENCE)),
            ActorMention("a1", "m2", "Ukraine", "state", "Kyiv", 87, 91, "Kyiv rejects the terms.", 87, 110),
            ActorMention("a2", "m3", "Vladimir Putin", "person", "Putin", 75, 80, **evidence(PUTIN_SENTENCE)),
        ],
    )
    insert(
        con,
        "statements",
        [
            statement("a1", "st-b", "Vladimir Putin", "complete nonsense"),
            statement("a1", "st-a", "Vladimir Putin", "complete nonsense"),  # same record twice: keep st-a
            statement("a1", "st-c", "Vladimir Putin", "Ukrainian troops must withdraw", act="demand"),
            statement("a2", "st-d", None, "we will see", act="assert"),  # unresolved speaker
        ],
    )
    insert(
        con,
        "demands",
        [
            Demand(
                "a1",
                "d1",
                "Vladimir Putin",
                "Ukraine",
                "withdraw troops from Donetsk and Luhansk",
                "the fighting will stop",
                "achieve it by military means",
                "must",
                **evidence(PUTIN_SENTENCE),
            )
        ],
    )
    insert(
        con,
        "offers",
        [
            Offer(
                "a1",
                "o1",
                "Vladimir Putin",
                None,
                "written assurances of no attack on Europe",
                "ready to",
                **evidence(PUTIN_SENTENCE),
            )
        ],
    )
    insert(
        con,
        "responses",
        [
            Response(
                "a1",
                "r1",
                "Ukraine",
                "reject",
                "Vladimir Putin",
                "withdrawal from Donetsk",
                "rejects",
                "Kyiv rejects the terms.",
                87,
                110,
            )
        ],
    )
    insert(
        con,
        "negotiations",
        [
            Negotiation(
                "a1",
                "n1",
                "US-backed 28-point peace framework",
                ["Russia", "Ukraine"],
                None,
                "Geneva",
                "proposed",
                ["ceasefire along the front line"],
                None,
                **evidence(PUTIN_SENTENCE),
            )
        ],
    )


def make_build_db(directory: Path) -> Path:
    db = directory / "build.duckdb"
    with duckdb.connect(str(db)) as con:
        load_seed(con)
    return db


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {t: query(db, f"select * from marts.{t} order by all") for t in MART_TABLES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    directory = tmp_path_factory.mktemp("dbt_build")
    db = make_build_db(directory)
    return db, run_dbt_build(db, quiet=True)


def test_build_passes_and_puts_work_files_outside_the_repo(built):
    db, result = built
    assert result.success, result.summary_lines()
    assert result.failures == [] and result.error is None
    assert result.counts["model"] == {"pass": 37}  # 25, and the links: 4 staging, 3 intermediate, 5 marts
    assert set(result.counts["test"]) == {"pass"} and result.counts["test"]["pass"] > 50
    assert (db.parent / "dbt" / "target" / "run_results.json").exists()
    assert (db.parent / "dbt" / "logs" / "dbt.log").exists()
    assert result.target_dir == db.parent / "dbt" / "target"
    schemas = {row[0] for row in query(db, "select distinct table_schema from information_schema.tables")}
    assert {"landing", "staging", "intermediate", "marts"} <= schemas


def test_actors_resolve_across_articles(built):
    db, _ = built
    rows = query(
        db,
        "select actor_name, actor_id, actor_type, affiliation_actor_id, affiliation_name, aliases, "
        "country_code, n_articles, n_mentions from marts.dim_actors order by actor_name",
    )
    actors = {r[0]: r for r in rows}
    assert sorted(actors) == ["Russia", "Ukraine", "Vladimir Putin", "Volodymyr Zelenskyy"]
    putin = actors["Vladimir Putin"]
    assert putin[1] == actor_key("Vladimir Putin")
    assert putin[3:] == (actor_key("Russia"), "Russia", ["Putin", "the Kremlin"], None, 2, 2)
    russia = actors["Russia"]
    assert russia[2] == "state"  # 2 articles say state, 1 says organization
    assert russia[5:8] == (["Moscow", "Russian"], "RUS", 3)
    assert actors["Volodymyr Zelenskyy"][3] == actor_key("Ukraine")


def test_facts_are_deduplicated_and_linked(built):
    db, _ = built
    statements = query(
        db,
        "select statement_id, article_id, speaker_actor_id, published_at "
        "from marts.fct_statements order by statement_id",
    )
    assert [s[0] for s in statements] == ["st-a", "st-c", "st-d"]
    assert statements[0][2] == actor_key("Vladimir Putin")
    assert statements[0][3] == dt.date(2025, 11, 28)
    assert statements[2][2:] == (None, None)  # unresolved speaker, unreadable date
    assert query(db, "select demander_actor_id, addressee_actor_id, threat_text from marts.fct_demands") == [
        (actor_key("Vladimir Putin"), actor_key("Ukraine"), "achieve it by military means")
    ]
    assert query(db, "select responder_actor_id, stance, to_actor_id from marts.fct_responses") == [
        (actor_key("Ukraine"), "reject", actor_key("Vladimir Putin"))
    ]
    assert query(db, "select party_actor_ids, provisions from marts.fct_negotiations") == [
        ([actor_key("Russia"), actor_key("Ukraine")], ["ceasefire along the front line"])
    ]
    articles = query(
        db,
        "select article_id, published_at, n_statements, n_demands, n_offers, n_responses, "
        "n_negotiations, n_mentions, n_actors, ingested_at from marts.dim_articles order by 1",
    )
    assert articles == [
        ("a1", dt.date(2025, 11, 28), 2, 1, 1, 1, 1, 2, 4, LOADED),
        ("a2", None, 1, 0, 0, 0, 0, 1, 2, LOADED),
        ("a3", None, 0, 0, 0, 0, 0, 0, 2, LOADED),
    ]
    assert query(db, "select file, line, reason, run_id, rejected_at from marts.rejected_inputs") == [
        ("bad.jsonl", 3, "empty", "run-1", LOADED)
    ]


def test_docs_generate(built, tmp_path):
    db, _ = built
    docs = run_dbt_docs(db, target_dir=tmp_path / "docs")
    assert docs.success, docs.error
    assert docs.index_html is not None and docs.index_html.stat().st_size > 10_000
    assert (tmp_path / "docs" / "catalog.json").exists()


def test_violations_are_reported_by_test_name(tmp_path):
    db = make_build_db(tmp_path)
    with duckdb.connect(str(db)) as con:
        insert(
            con,
            "statements",
            [
                statement("a1", "st-x", "Vladimir Putin", "we will shout", act="shout"),
                statement("a2", "st-c", "Vladimir Putin", "same id, other text"),
            ],
        )
    result = run_dbt_build(db, quiet=True)
    assert not result.success
    by_name = {f.name: f for f in result.failures}
    unique = by_name["unique_fct_statements_statement_id"]
    assert (unique.status, unique.failures, unique.model) == ("fail", 1, "fct_statements")
    assert str(unique) == "dbt test unique_fct_statements_statement_id failed: 1 rows"
    assert str(unique) in result.failure_lines()
    speech_act = [f for f in result.failures if f.model == "fct_statements" and f.column == "speech_act"]
    assert [f.name.startswith("accepted_values_") for f in speech_act] == [True]
    assert result.counts["test"]["fail"] == 2
    assert any(line.startswith("dbt build FAILED") for line in result.summary_lines())


def test_incremental_rebuild_matches_full_refresh(tmp_path):
    db = make_build_db(tmp_path)
    assert run_dbt_build(db, quiet=True).success
    with duckdb.connect(str(db)) as con:  # reload a1 with new statements, drop a3, add a4
        for table in ("articles", "statements"):
            con.execute(f"delete from landing.{table} where article_id = 'a1'")
        for table in LANDING_TABLES:
            if table != "rejected_inputs":
                con.execute(f"delete from landing.{table} where article_id = 'a3'")
        insert(
            con,
            "articles",
            [article("a1", "2025-11-29"), article("a4", "2025-11-30")],
            run_id="run-2",
            loaded_at=RELOADED,
        )
        insert(
            con,
            "statements",
            [
                statement("a1", "st-e", "Ukraine", "the terms are unacceptable"),
                statement("a4", "st-f", "Russia", "we are ready for talks", act="offer"),
            ],
        )
    result = run_dbt_build(db, quiet=True)
    assert result.success, result.summary_lines()
    assert query(db, "select statement_id, article_id, published_at from marts.fct_statements order by 1") == [
        ("st-d", "a2", None),
        ("st-e", "a1", dt.date(2025, 11, 29)),
        ("st-f", "a4", dt.date(2025, 11, 30)),
    ]
    # a1 was reloaded: its old demands (d1) remain only because landing.demands still has them
    assert query(db, "select demand_id, loaded_at from marts.fct_demands") == [("d1", RELOADED)]
    assert query(db, "select count(*) from marts.fct_negotiations") == [(1,)]
    incremental = snapshot(db)
    assert run_dbt_build(db, quiet=True, full_refresh=True).success
    assert snapshot(db) == incremental


def test_landing_tables_follow_the_dataclasses():
    with duckdb.connect() as con:
        assert create_landing_tables(con) == list(LANDING_TABLES)
        create_landing_tables(con)  # idempotent
        for table, record_class in LANDING_TABLES.items():
            described = con.execute(f"describe landing.{table}").fetchall()
            names = [row[0] for row in described]
            expected = [f.name for f in dataclasses.fields(record_class)]
            if table in ("articles", "rejected_inputs"):
                expected += ["run_id", "loaded_at"]
            assert names == expected == [name for name, _ in landing_columns(table)]
        types = {row[0]: (row[1], row[2]) for row in con.execute("describe landing.negotiations").fetchall()}
        assert types["parties"] == ("VARCHAR[]", "NO")
        assert types["mediator_name"] == ("VARCHAR", "YES")
        assert types["evidence_start"] == ("INTEGER", "NO")
        article_types = {row[0]: row[1] for row in con.execute("describe landing.articles").fetchall()}
        assert article_types["truncated"] == "BOOLEAN" and article_types["loaded_at"] == "TIMESTAMP"


def test_arrow_schema_matches_landing_columns():
    negotiations = arrow_schema(Negotiation)
    assert negotiations.names == [f.name for f in dataclasses.fields(Negotiation)]
    assert negotiations.field("parties").type == pa.list_(pa.string())
    assert not negotiations.field("parties").nullable and negotiations.field("venue").nullable
    assert arrow_schema(Article).field("truncated").type == pa.bool_()
    assert arrow_schema(RejectedInput).field("line").type == pa.int32()
    with duckdb.connect() as con:  # an Arrow table of that schema inserts into the landing table by name
        create_landing_tables(con)
        rows = pa.Table.from_pylist(
            [dataclasses.asdict(r) for r in [Offer("a1", "o1", None, None, "talks", None, "We offer talks.", 0, 15)]],
            schema=arrow_schema(Offer),
        )
        con.register("rows", rows)
        con.execute("insert into landing.offers by name select * from rows")
        assert con.execute("select offer_id, evidence_end from landing.offers").fetchall() == [("o1", 15)]


def test_changed_fact_columns_trigger_a_full_refresh(tmp_path):
    db = make_build_db(tmp_path)
    first = run_dbt_build(db, quiet=True)
    assert first.success and not first.full_refresh
    with duckdb.connect(str(db)) as con:  # as if the table was built by an older version of the model
        con.execute("alter table marts.fct_offers add column legacy_note varchar")
    result = run_dbt_build(db, quiet=True)
    assert result.success and result.full_refresh, result.summary_lines()
    columns = [row[0] for row in query(db, "describe marts.fct_offers")]
    assert "legacy_note" not in columns and columns[:2] == ["offer_id", "article_id"]
    assert query(db, "select offer_id from marts.fct_offers") == [("o1",)]


def test_marts_not_null_columns_are_contract_constraints(tmp_path):
    """The marts' not-null columns are enforced by their contracts (DuckDB NOT NULL), not one test node each;
    a fact table built before its contract declared them is rebuilt once, so the constraint holds there too."""
    db = make_build_db(tmp_path)
    first = run_dbt_build(db, quiet=True)
    assert first.success and not first.full_refresh
    not_null_tests = [uid.split(".")[2] for uid in first.unique_ids if uid.split(".")[2].startswith("not_null_")]
    assert not_null_tests and all(name.startswith("not_null_stg_") for name in not_null_tests)  # staging views
    with duckdb.connect(str(db)) as con:
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into marts.fct_offers (offer_id) values (null)")
        con.execute("create or replace table marts.fct_offers as select * from marts.fct_offers")  # no constraints
    result = run_dbt_build(db, quiet=True)
    assert result.success and result.full_refresh, result.summary_lines()
    with duckdb.connect(str(db)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("insert into marts.fct_offers (offer_id) values (null)")
    again = run_dbt_build(db, quiet=True)
    assert again.success and not again.full_refresh


def test_unit_tests_run_when_their_model_or_definition_changed(tmp_path, monkeypatch):
    """Unit tests check SQL against fixed rows: a batch on an unchanged project does not run them again; a
    changed model runs its unit tests, and a changed unit test runs (with its model) and blocks when it fails."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parents[2] / "dbt_project", project)
    monkeypatch.setenv("PARLEY_DBT_PROJECT_DIR", str(project))
    db = make_build_db(tmp_path)

    def unit_tests(result) -> list[str]:
        assert result.success, result.summary_lines()
        return sorted(u.split(".")[-1] for u in result.unique_ids if u.startswith("unit_test."))

    assert len(unit_tests(run_dbt_build(db, quiet=True))) == 3  # no kept manifest: all of them
    assert unit_tests(run_dbt_build(db, quiet=True)) == []
    model = project / "models" / "intermediate" / "int_positions.sql"
    model.write_text(model.read_text() + "\n-- changed\n")
    assert unit_tests(run_dbt_build(db, quiet=True)) == ["positions_map_stances_and_roll_up_to_the_state"]
    spec = project / "models" / "intermediate" / "_intermediate.yml"
    row = "        - {record_id: d1, answers_kind: null, answers_id: null, answers_article_id: null, story_id: s1}"
    assert row in spec.read_text()
    spec.write_text(spec.read_text().replace(row, row.replace("s1}", "s2}")))
    failed = run_dbt_build(db, quiet=True)
    assert not failed.success
    assert [p.name for p in failed.failures] == ["answers_resolve_only_to_surviving_records"]


def test_references_test_names_the_column_of_a_missing_parent(tmp_path):
    """A model's relationships are one `references` test: a value with no parent row fails it, by column."""
    db = make_build_db(tmp_path)
    assert run_dbt_build(db, quiet=True).success
    with duckdb.connect(str(db)) as con:
        (article,) = con.execute("select article_id from marts.fct_statements limit 1").fetchone()
        con.execute("delete from marts.dim_articles where article_id = ?", [article])
    result = run_dbt_build(db, select="test_name:references", quiet=True)  # the tests alone, over those tables
    assert not result.success
    failed = {p.model: p for p in result.failures}
    assert "fct_statements" in failed and failed["fct_statements"].name.startswith("references_fct_statements")
    assert failed["fct_statements"].failures >= 1
    assert "dim_actors" not in failed  # its references hold
    with duckdb.connect(str(db)) as con:
        sql = (result.target_dir / "compiled").rglob("references_fct_statements*.sql")
        rows = con.execute(next(sql).read_text()).fetchall()
    assert ("article_id", article) in rows


def test_relative_work_dirs_keep_the_manifest_where_the_next_build_reads_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_build_db(tmp_path)
    for _ in range(2):  # the second build selects against the kept manifest (state:modified+)
        result = run_dbt_build(
            Path("build.duckdb"), target_dir=Path("t/dbt_target"), log_dir=Path("t/logs"), quiet=True
        )
        assert result.success, result.summary_lines()
    assert (tmp_path / "t" / "dbt_state" / "manifest.json").is_file()
    assert not any(u.startswith("model.parley.stg_") for u in result.unique_ids)  # unchanged views not re-created
