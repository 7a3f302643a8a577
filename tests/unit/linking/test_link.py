"""link_batch and Links.write against a real (temporary) build database."""

from __future__ import annotations

from flows.linking.link import link_batch
from flows.warehouse.load import connect, load_batch
from tests.unit.linking.conftest import article, demand, extraction, negotiation, offer, response

TEXT_A = "Russia demanded that Ukraine withdraw troops from Donetsk. Ukraine rejected it. " * 5
TEXT_B = "Ukraine again rejected the Russian demand to withdraw troops from Donetsk and Luhansk. " * 5


def batch_a():
    arts = [article("a", TEXT_A, "Russia demands withdrawal from Donetsk", "2025-01-01")]
    exs = [
        extraction(
            "a",
            demands=[demand("a", "d1", "Russia", "withdraw troops from Donetsk", "Ukraine")],
            offers=[offer("a", "o1", "Russia", "a ceasefire in Ukraine")],
            responses=[
                response("a", "r1", "Ukraine", "reject", "the demand to withdraw troops from Donetsk", "Russia")
            ],
            negotiations=[negotiation("a", "n1", "Istanbul peace talks", ["Russia", "Ukraine"], venue="Istanbul")],
        )
    ]
    return arts, exs


def batch_b():
    arts = [article("b", TEXT_B, "Kyiv rejects Donetsk withdrawal again", "2025-02-01")]
    exs = [
        extraction(
            "b",
            responses=[
                response("b", "r2", "Ukraine", "reject", "Russia's demand to withdraw troops from Donetsk", "Russia")
            ],
            negotiations=[negotiation("b", "n2", "the Istanbul peace talks", ["Ukraine", "Russia"], "stalled")],
        )
    ]
    return arts, exs


def test_links_within_and_across_batches(tmp_path):
    con = connect(tmp_path / "build.duckdb")
    arts, exs = batch_a()
    first = link_batch(con, arts, exs)
    by_id = {r.record_id: r for r in first.record_links}
    assert by_id["r1"].answers_id == "d1" and by_id["r1"].issue_id == by_id["d1"].issue_id
    assert len(first.story_links) == 1 and len(first.negotiation_tracks) == 1
    load_batch(con, "run-1", arts, exs, [], first)

    arts_b, exs_b = batch_b()
    second = link_batch(con, arts_b, exs_b)
    by_id_b = {r.record_id: r for r in second.record_links}
    assert (by_id_b["r2"].answers_id, by_id_b["r2"].answers_article_id) == ("d1", "a")  # an earlier article's demand
    assert by_id_b["r2"].issue_id == by_id["d1"].issue_id
    assert by_id_b["n2"].negotiation_track_id == by_id["n1"].negotiation_track_id  # one track across articles
    assert second.negotiation_tracks == [] and second.issues == []  # nothing new to found
    load_batch(con, "run-2", arts_b, exs_b, [], second)
    n = con.execute("select count(*) from landing.record_links").fetchone()[0]
    assert n == 6


def test_reloading_an_article_replaces_its_links_and_keeps_ids(tmp_path):
    con = connect(tmp_path / "build.duckdb")
    arts, exs = batch_a()
    links = link_batch(con, arts, exs)
    load_batch(con, "run-1", arts, exs, [], links)
    issues = con.execute("select issue_id from landing.issues order by 1").fetchall()
    again = link_batch(con, arts, exs)  # the same article, re-extracted
    assert [r.issue_id for r in again.record_links] == [r.issue_id for r in links.record_links]
    assert again.issues == [] and again.negotiation_tracks == []
    load_batch(con, "run-2", arts, exs, [], again)
    assert con.execute("select issue_id from landing.issues order by 1").fetchall() == issues
    assert con.execute("select count(*) from landing.record_links").fetchone()[0] == 4
    assert con.execute("select count(*) from landing.story_links").fetchone()[0] == 1


def test_a_negotiation_joining_a_track_of_another_issue_takes_the_tracks_issue(tmp_path):
    con = connect(tmp_path / "build.duckdb")
    arts, exs = batch_a()  # the Istanbul talks: no cue of their own, so the article's category
    first = link_batch(con, arts, exs)
    n1 = {r.record_id: r for r in first.record_links}["n1"]
    load_batch(con, "run-1", arts, exs, [], first)
    text = "Ukraine met Russia in Istanbul to discuss sanctions. Ukraine said so. " * 5
    arts_c = [article("c", text, "Sanctions talks in Istanbul", "2025-03-01")]
    exs_c = [
        extraction(
            "c",
            negotiations=[negotiation("c", "n3", "the Istanbul peace talks on sanctions", ["Russia", "Ukraine"])],
            demands=[demand("c", "d3", "Russia", "lift the sanctions on Russian banks in Ukraine", "Ukraine")],
        )
    ]
    third = link_batch(con, arts_c, exs_c)
    by_id = {r.record_id: r for r in third.record_links}
    assert by_id["n3"].negotiation_track_id == n1.negotiation_track_id
    assert by_id["n3"].issue_id == n1.issue_id != by_id["d3"].issue_id
    # no issue founded by n3 is left without records
    used = {r.issue_id for r in third.record_links}
    assert all(i.issue_id in used for i in third.issues)


def test_a_meeting_joining_a_track_of_another_issue_keeps_its_articles_matter(tmp_path):
    con = connect(tmp_path / "build.duckdb")
    text_a = "Freedonia and Sylvania discussed the ceasefire and a truce. The truce holds. " * 5
    arts_a = [article("a", text_a, "Ceasefire in Freedonia", "2026-03-06")]
    exs_a = [extraction("a", negotiations=[negotiation("a", "n1", "ministerial meeting", ["Freedonia", "Sylvania"])])]
    first = link_batch(con, arts_a, exs_a)
    load_batch(con, "run-1", arts_a, exs_a, [], first)
    text_b = "Freedonia and Sylvania discussed sanctions on Freedonia's banks and the embargo. " * 5
    arts_b = [article("b", text_b, "Sanctions on Freedonia", "2026-03-10")]
    exs_b = [extraction("b", negotiations=[negotiation("b", "n2", "ministerial meeting", ["Sylvania", "Freedonia"])])]
    second = link_batch(con, arts_b, exs_b)
    n1 = {r.record_id: r for r in first.record_links}["n1"]
    n2 = {r.record_id: r for r in second.record_links}["n2"]
    assert n2.negotiation_track_id == n1.negotiation_track_id  # the same meeting, going on
    assert n2.issue_id != n1.issue_id  # a meeting takes up the matter of the article that reports it
