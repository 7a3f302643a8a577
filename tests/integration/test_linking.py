"""Linking across batches against a real build database: id stability, sub-linear lookups, stories.

No spaCy: records are constructed; the stories test uses the text of sample articles in raw/.
"""

from __future__ import annotations

import json
import random

import duckdb

from flows.linking.link import link_batch
from flows.records import Actor
from flows.warehouse.dbt_build import run_dbt_build
from flows.warehouse.load import connect, load_batch
from tests.support.paths import RAW
from tests.unit.linking.conftest import article, demand, extraction, negotiation, response

STATES = ["Russia", "Ukraine", "Iran", "Israel", "Sudan", "China", "Venezuela", "Armenia", "Azerbaijan", "Syria"]
TOPICS = [
    "withdraw troops from the border",
    "release the hostages",
    "lift the sanctions",
    "end uranium enrichment",
    "allow humanitarian aid",
    "hold elections",
    "agree a ceasefire",
    "resume the talks",
]


def synthetic_batch(rng: random.Random, start: int, n_articles: int, per_article: int = 4):
    arts, exs = [], []
    for i in range(start, start + n_articles):
        aid = f"syn-{i:06d}"
        a, b = rng.sample(STATES, 2)
        topic = rng.choice(TOPICS)
        text = f"{a} told {b} to {topic}. Article {i} about {a} and {b}, day {i % 28}. " * 3
        date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        dems = [demand(aid, f"{aid}-d{j}", a, f"{b} must {topic} {j}", b) for j in range(per_article - 2)]
        res = [response(aid, f"{aid}-r", b, "reject", f"the call to {topic}", a)]
        neg = [negotiation(aid, f"{aid}-n", f"{a}-{b} talks on {topic}", [a, b], venue="Geneva")]
        arts.append(article(aid, text, f"{a} and {b}", date))
        exs.append(extraction(aid, demands=dems, responses=res, negotiations=neg))
    return arts, exs


def link_and_load(con, run_id, arts, exs):
    links = link_batch(con, arts, exs)
    load_batch(con, run_id, arts, exs, [], links)
    return links


def ids(con) -> dict[str, tuple]:
    rows = con.execute(
        "select record_id, issue_id, negotiation_track_id, answers_id from landing.record_links order by 1"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_ids_survive_a_second_batch_and_a_rebuild_gives_the_same(tmp_path):
    rng = random.Random(7)
    batch1 = synthetic_batch(rng, 0, 30)
    batch2 = synthetic_batch(rng, 30, 30)
    con = connect(tmp_path / "a.duckdb")
    link_and_load(con, "r1", *batch1)
    after1 = ids(con)
    issues1 = set(con.execute("select issue_id from landing.issues").fetchall())
    link_and_load(con, "r2", *batch2)
    after2 = ids(con)
    assert {k: after2[k] for k in after1} == after1  # batch 1's links and ids untouched
    assert issues1 <= set(con.execute("select issue_id from landing.issues").fetchall())
    assert any(after2[k][0] in {v[0] for v in after1.values()} for k in set(after2) - set(after1))  # joined old

    rebuilt = connect(tmp_path / "b.duckdb")  # from scratch, the same batches
    link_and_load(rebuilt, "r1", *batch1)
    link_and_load(rebuilt, "r2", *batch2)
    assert ids(rebuilt) == after2
    same = "select * exclude (loaded_at, run_id) from landing.{} order by all"
    for table in ("issues", "negotiation_tracks", "story_links"):
        assert con.execute(same.format(table).replace(" exclude (loaded_at, run_id)", "")).fetchall() == (
            rebuilt.execute(same.format(table).replace(" exclude (loaded_at, run_id)", "")).fetchall()
        )


def test_candidate_lookups_grow_with_the_batch_not_the_warehouse(tmp_path):
    rng = random.Random(3)
    con = connect(tmp_path / "w.duckdb")
    probe = synthetic_batch(random.Random(99), 900_000, 5)
    lookups = []
    start = 0
    for size in (200, 800):  # warehouse of 200 articles, then of 1,000
        link_and_load(con, f"r{size}", *synthetic_batch(rng, start, size))
        start += size
        lookups.append(link_batch(con, *probe).lookups)
    total = con.execute("select count(*) from landing.record_links").fetchone()[0]
    assert total == 1000 * 4
    # what the index returns for 5 new articles: the issues and tracks of their keys and the answered
    # actors' records on those issues; bounded by what matches, far below the warehouse
    assert lookups[1] < total / 10
    assert lookups[1] < 5 * lookups[0] + 50


def _copies_of_samples() -> list[dict]:
    rows = [json.loads(line) for line in (RAW / "dev.articles.jsonl").read_text().splitlines() if line.strip()]
    return rows[:3]


def test_syndicated_copies_of_sample_articles_are_one_story_counted_once(tmp_path):
    samples = _copies_of_samples()
    arts, exs = [], []
    for n, s in enumerate(samples):
        original = article(s["article_id"], s["text"], s.get("title"), s.get("published_at") or "2025-01-01")
        body = [p for p in s["text"].splitlines() if p.strip()]
        body = body[:-1] if len(body) > 4 else body  # a copy may also drop the closing paragraph
        copy_text = (
            "By Staff Reporter, Global Wire\n\nUPDATED 14:05 GMT\n\n"
            + "\n\n".join(body[:-1])
            + "\n\nThis story has been republished from Global Wire. Sign up for our newsletter.\n"
        )
        copy = article(f"copy-{n}", copy_text, f"Another headline {n}", s.get("published_at") or "2025-01-01")
        for art in (original, copy):
            arts.append(art)
            exs.append(
                extraction(
                    art.article_id,
                    actors=[Actor(art.article_id, "Russia", "state"), Actor(art.article_id, "Ukraine", "state")],
                    demands=[demand(art.article_id, f"{art.article_id}-d", "Russia", "stop the attacks", "Ukraine")],
                )
            )
    db = tmp_path / "build.duckdb"
    con = connect(db)
    link_and_load(con, "r1", arts[:2], exs[:2])  # an original, then its copy in a later batch
    link_and_load(con, "r2", arts[2:], exs[2:])
    stories = dict(con.execute("select article_id, story_id from landing.story_links").fetchall())
    con.close()
    for n, s in enumerate(samples):
        assert stories[f"copy-{n}"] == stories[s["article_id"]]
    assert len({stories[s["article_id"]] for s in samples}) == len(samples)

    assert run_dbt_build(db, quiet=True).success
    with duckdb.connect(str(db), read_only=True) as wh:
        per_story = wh.execute(
            "select count(distinct story_id), count(*) from marts.dim_articles where story_id is not null"
        ).fetchone()
        assert per_story == (3, 6)
        issues = wh.execute("select n_articles, n_copies, n_demands from marts.dim_issues").fetchall()
        assert sum(r[1] for r in issues) == 6 and sum(r[0] for r in issues) == 3
        assert all(r[2] <= r[0] for r in issues)  # the copy's identical demand counts once per story
        stories_per_position = wh.execute("select n_stories, n_positions from marts.positions_current").fetchall()
        assert stories_per_position and all(n_stories * 2 == n for n_stories, n in stories_per_position)
