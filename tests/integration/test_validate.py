"""The GX landing gate over real build DuckDBs whose landing tables come from flows/records.py.

Every test runs the committed suites (expectations/gx/expectations/*.json) through real GX and
renders real Data Docs; no marts are involved (dbt's tests own them: tests/integration/test_dbt_project.py).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from flows.quality import suites as policy
from flows.quality.data_docs import remote_assets
from flows.quality.validate import SAVED_RESULTS, read_suites, render_saved_data_docs, validate_landing
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
    stable_id,
)
from flows.warehouse.landing import create_landing_tables

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


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
    """A build DuckDB whose real landing tables hold `records` (loaded_at: one second apart per article)."""
    with duckdb.connect(str(path)) as con:
        create_landing_tables(con)
        for table in LANDING_TABLES:
            rows = [list(dataclasses.astuple(r)) for r in records.get(table, [])]
            if rows:
                columns = ", ".join(f.name for f in dataclasses.fields(LANDING_TABLES[table]))
                params = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into landing.{table} ({columns}) values ({params})", rows)
        con.execute("update landing.articles set run_id = 'run-1'")
        con.execute("update landing.rejected_inputs set run_id = 'run-1'")
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
    return _load_landing(tmp_path / "good.duckdb", _good_records())


@pytest.fixture
def bad_db(tmp_path: Path) -> Path:
    """Article a1 is clean; in a2 a response has a bad stance, a statement reuses a1's statement id,
    has an empty speaker, blank text and a text span ending before it starts, and an actor's country
    code is alpha-2."""
    good, bad = _records("a1"), _records("a2")
    bad["responses"][0].stance = "shout"
    statement = bad["statements"][0]
    statement.statement_id = good["statements"][0].statement_id
    statement.speaker_name = ""
    statement.statement_text = "  "
    statement.text_start = statement.text_end + 1
    bad["actors"][0].country_code = "RU"
    return _load_landing(tmp_path / "bad.duckdb", _merge(good, bad))


def _repo_files() -> set[Path]:
    return {p for p in (REPO / "expectations").rglob("*") if p.is_file()}


def _by_suite(report) -> dict:
    return {r.suite: r for r in report.results}


def test_good_batch_passes_and_renders_offline_data_docs(good_db: Path, tmp_path: Path) -> None:
    before = _repo_files()
    started = time.perf_counter()
    report = validate_landing(good_db, tmp_path / "work")
    elapsed = time.perf_counter() - started

    assert report.failed == [] and report.success
    results = _by_suite(report)
    assert list(results) == [s["name"] for s in read_suites()]
    assert {f"landing_{t}" for t in LANDING_TABLES} | {policy.VOLUME_SUITE} <= results.keys()
    assert not any(name.startswith("marts_") for name in results)
    statements = results["landing_statements"]
    assert (statements.table, statements.rows, statements.outcome) == ("landing.statements", 2, "pass")
    assert statements.n_expectations >= 10
    # two statements are below the profile's sample: skipped, said why, and counted as passed
    profile = results["landing_statements_profile"]
    assert profile.outcome == "skipped" and "fewer than" in profile.skipped and profile.success

    docs = report.data_docs_path
    assert docs is not None and docs.name == "index.html" and docs.is_relative_to(tmp_path / "work")
    assert remote_assets(docs.parent) == {}, "Data Docs must load nothing from the internet"
    index = docs.read_text(encoding="utf-8")
    ran = [r.suite for r in report.results if not r.skipped]
    for suite in ran:  # the index lists every validation, and its page exists
        (page,) = (docs.parent / "validations" / suite).rglob("*.html")
        assert page.relative_to(docs.parent).as_posix() in index
        assert "static/vendor/css/bootstrap.min.css" in page.read_text(encoding="utf-8")
    assert (docs.parent / "static" / "vendor" / "js" / "jquery.min.js").is_file()
    assert _repo_files() == before, "runtime output must stay out of the repo"
    print(f"validated {len(ran)} suites in {elapsed:.1f}s")


def test_violations_fail_and_are_named(bad_db: Path, tmp_path: Path) -> None:
    report = validate_landing(bad_db, tmp_path / "work")

    assert not report.success
    for expected in (
        "expect_column_values_to_be_in_set(stance) on landing.responses: 1 unexpected values ['shout']",
        "expect_column_values_to_match_regex(speaker_name) on landing.statements: 1 unexpected values ['']",
        "expect_column_values_to_match_regex(statement_text) on landing.statements: 1 unexpected values ['  ']",
        "expect_column_pair_values_a_to_be_greater_than_b(text_end, text_start) on landing.statements: "
        "1 unexpected values [[38, 39]]",
        "expect_column_values_to_match_regex(country_code) on landing.actors: 1 unexpected values ['RU']",
    ):
        assert expected in report.failed
    assert any(
        f.startswith("expect_column_values_to_be_unique(statement_id) on landing.statements: 2 ") for f in report.failed
    )
    results = _by_suite(report)
    assert {"landing_offers", "landing_negotiations", "landing_rejected_inputs"} <= {
        name for name, r in results.items() if r.success
    }
    assert results["landing_rejected_inputs"].rows == 0
    assert report.data_docs_path is not None and report.data_docs_path.is_file()


def test_on_failure_a_pass_saves_its_results_and_the_same_data_docs_render_later(good_db: Path, tmp_path: Path):
    """A pipeline run (`data_docs="on_failure"`): a pass renders nothing, and its saved results render the Data
    Docs a pass would have rendered (every suite's page, offline) when they are asked for."""
    work = tmp_path / "work"
    report = validate_landing(good_db, work, data_docs="on_failure")
    assert report.success and report.data_docs_path is None
    assert (work / SAVED_RESULTS).is_file() and not (work / "gx" / "data_docs").exists()

    docs = render_saved_data_docs(work)
    assert docs is not None and docs.name == "index.html" and docs.is_relative_to(work)
    assert remote_assets(docs.parent) == {}
    index = docs.read_text(encoding="utf-8")
    for suite in [r.suite for r in report.results if not r.skipped]:
        (page,) = (docs.parent / "validations" / suite).rglob("*.html")
        assert page.relative_to(docs.parent).as_posix() in index
    assert render_saved_data_docs(tmp_path / "nothing-saved") is None


def test_on_failure_a_failure_renders_its_data_docs_at_once(bad_db: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / SAVED_RESULTS).parent.mkdir(parents=True)
    (work / SAVED_RESULTS).write_text("{}")  # left by an earlier validation in the same directory
    report = validate_landing(bad_db, work, data_docs="on_failure")
    assert not report.success and report.data_docs_path is not None and report.data_docs_path.is_file()
    assert "landing_statements" in report.data_docs_path.read_text(encoding="utf-8")
    assert not (work / SAVED_RESULTS).exists()


def test_a_batch_validates_only_its_articles_rows(bad_db: Path, tmp_path: Path) -> None:
    report = validate_landing(bad_db, tmp_path / "work", article_ids=["a1"])

    assert report.success, report.failed
    results = _by_suite(report)
    assert results["landing_responses"].rows == 1 and results["landing_statements"].rows == 1
    assert results["landing_rejected_inputs"].rows == 0  # no article_id column: validated whole (bad_db has none)
    assert results[policy.VOLUME_SUITE].rows == 1


def test_missing_table_and_column_fail(good_db: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(good_db)) as con:
        con.execute("drop table landing.offers")
        con.execute("alter table landing.statements drop column speech_act")
    report = validate_landing(good_db, tmp_path / "work")

    assert "table landing.offers is missing" in report.failed
    assert any(
        f.startswith("expect_column_values_to_be_in_set(speech_act) on landing.statements: error:")
        for f in report.failed
    )
    again = validate_landing(good_db, tmp_path / "work")  # a second run in the same work_dir starts afresh
    assert sorted(again.failed) == sorted(report.failed)


def _many(n: int, prefix: str = "p") -> dict[str, list]:
    return _merge(*(_records(f"{prefix}{i:02d}") for i in range(n)))


def test_profiles_check_rates_and_distributions_over_the_recent_sample(tmp_path: Path) -> None:
    """25 articles whose demands never name an addressee and whose statements are all assertions."""
    records = _many(25)
    for demand in records["demands"]:
        demand.addressee_name = None
    for statement in records["statements"]:
        statement.speech_act = "assert"
    db = _load_landing(tmp_path / "flat.duckdb", records)

    report = validate_landing(db, tmp_path / "work", article_ids=["p24"])  # one new article, topped up
    results = _by_suite(report)
    demands = results["landing_demands_profile"]
    assert demands.rows == 25  # the new article's demand and the 24 earlier ones
    assert (
        "expect_column_values_to_not_be_null(addressee_name) on landing.demands: 25 null values "
        "(100%; at most 95% allowed)" in demands.failed
    )
    assert results["landing_statements_profile"].failed == [
        "expect_column_unique_value_count_to_be_between(speech_act) on landing.statements: observed 1"
    ]
    assert results["landing_demands"].success and results["landing_demands"].rows == 1
    assert not report.success


def test_volume_compares_records_per_article_with_the_warehouse(tmp_path: Path) -> None:
    """40 articles with one statement each, then a batch of 30 articles without statements."""
    prior, batch = _many(40, "old"), _many(30, "new")
    batch["statements"] = []
    db = _load_landing(tmp_path / "volume.duckdb", _merge(prior, batch))
    new_ids = [f"new{i:02d}" for i in range(30)]

    report = validate_landing(db, tmp_path / "work", article_ids=new_ids)
    volume = _by_suite(report)[policy.VOLUME_SUITE]
    assert volume.rows == 30
    assert volume.failed == ["expect_column_mean_to_be_between(n_statements) on landing.articles: observed 0.0"], (
        volume.failed
    )
    # the same batch measured against a warehouse too small to compare with: no bound
    small = _load_landing(tmp_path / "small.duckdb", _merge(_many(5, "old"), batch))
    assert _by_suite(validate_landing(small, tmp_path / "work2", article_ids=new_ids))[policy.VOLUME_SUITE].success


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_data_docs_render_offline_in_a_browser(good_db: Path, tmp_path: Path) -> None:
    """Headless Chromium with no network: the index's table (drawn by jquery + bootstrap-table) lists the runs."""
    report = validate_landing(good_db, tmp_path / "work")
    index = report.data_docs_path.as_uri()
    browse = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9"]
    dom = subprocess.run([*browse, "--dump-dom", index], capture_output=True, text=True, timeout=120).stdout
    assert "landing_statements" in dom and "validations/landing_statements/" in dom
    assert 'class="bootstrap-table' in dom, "bootstrap-table did not draw the index table"
    shot = tmp_path / "index.png"
    subprocess.run([*browse, f"--screenshot={shot}", "--window-size=1280,900", index], capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 20_000
