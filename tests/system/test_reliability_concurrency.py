"""Readers never block and never see partial state; one run at a time; idempotent and incremental.

From the published baseline (article A), B and a copy of A are added to raw/. Two dashboard-like
reader processes watch the serving file: one holds a read-only connection the whole time, one
reconnects for every read. While the test itself holds the run lock (as a run in progress
would), a `parley run` exits 75 at once; then two `parley run --wait` start together, the lock is
released, and one publishes while the other waits and finds nothing left to do. A last run on
the same raw directory changes nothing.
"""

from __future__ import annotations

import time

import pytest

from flows.orchestration.lock import run_lock
from tests.support.reliability import (
    MARTS,
    assert_ok,
    digest,
    file_sha,
    grow,
    query,
    read_snapshot,
    reader_report,
    samples,
    start_reader,
    wait_all,
    wait_for,
)

EXIT_LOCKED = 75
ID_A, ID_B = "voa-2019-01-09-us-china-trade-talks", "voa-2014-nk-no-talks-planned"
CROSS_ARTICLE = ("dim_actors", "rejected_inputs", "dim_issues", "dim_negotiation_tracks", "positions_current")
PER_ARTICLE = [m for m in MARTS if m not in CROSS_ARTICLE]


@pytest.fixture(scope="module")
def contended(tmp_path_factory, prefect_server_url):
    baseline, reference = samples(tmp_path_factory, prefect_server_url)
    root = tmp_path_factory.mktemp("concurrency")
    ws = baseline.clone(root / "ws")
    grow(ws)
    stop = root / "stop-readers"
    hold = start_reader("hold", ws.serving, stop, root / "hold.log")
    poll = start_reader("poll", ws.serving, stop, root / "poll.log")
    try:
        wait_for(lambda: '"first"' in hold.output(), what="the holding reader's first read")
        with run_lock(ws.state / "run.lock"):  # as if another run were in progress
            locked = ws.run(prefect_server_url)
            sha_while_locked = file_sha(ws.serving)
            racers = {name: ws.start(prefect_server_url, "--wait", "600") for name in ("one", "two")}
            deadline = time.monotonic() + 240  # let both reach the lock (harmless if they have not)
            while time.monotonic() < deadline and not all("Beginning flow run" in p.output() for p in racers.values()):
                time.sleep(0.3)
            time.sleep(1.0)
        raced = wait_all(racers)
        time.sleep(1.5)  # one more read by each reader after the publish
    finally:
        stop.touch()
    readers = {"hold": reader_report(hold.wait(60)), "poll": reader_report(poll.wait(60))}
    published = read_snapshot(ws.serving, stable=False)
    inode = ws.serving.stat().st_ino
    again = ws.run(prefect_server_url)
    return {
        "ws": ws,
        "locked": locked,
        "raced": raced,
        "readers": readers,
        "published": published,
        "inode": inode,
        "again": again,
        "sha_while_locked": sha_while_locked,
        "baseline_sha": file_sha(baseline.serving),
        "baseline_file": baseline.serving,
        "baseline_digest": digest(read_snapshot(baseline.serving)),
        "reference": read_snapshot(reference.serving),
        "reference_digest": digest(read_snapshot(reference.serving)),
    }


def test_run_while_another_holds_the_lock_exits_75_with_a_clear_message(contended):
    locked = contended["locked"]
    assert locked.rc == EXIT_LOCKED, locked.output[-3000:]
    assert "another parley run is in progress" in locked.output and "run.lock" in locked.output
    assert contended["sha_while_locked"] == contended["baseline_sha"]


def test_two_runs_started_together_one_publishes_the_other_waits(contended):
    raced = contended["raced"]
    for result in raced.values():
        assert_ok(result)
    outputs = [r.output for r in raced.values()]
    assert sorted("published:" in o for o in outputs) == [False, True]
    assert sum("nothing new to publish" in o for o in outputs) == 1
    assert read_snapshot(contended["ws"].serving) == contended["reference"]


def test_reader_holding_the_file_keeps_its_view_and_sees_the_new_one_on_reconnect(contended):
    hold = contended["readers"]["hold"]
    assert hold["first"] == contended["baseline_digest"]
    assert hold["reads"] > 0 and hold["changed"] == 0 and hold["errors"] == []
    assert hold["after_reconnect"] == contended["reference_digest"]


def test_reconnecting_reader_sees_old_or_new_warehouse_never_a_partial_one(contended):
    poll = contended["readers"]["poll"]
    assert poll["errors"] == []
    assert set(poll["seen"]) == {contended["baseline_digest"], contended["reference_digest"]}


def test_incremental_run_adds_only_the_new_article_and_stores_a_copy_once(contended):
    serving, baseline = contended["ws"].serving, contended["baseline_file"]
    winner = next(r.output for r in contended["raced"].values() if "published:" in r.output)
    assert "1 ingested, 1 skipped (already in the warehouse), 1 duplicates" in winner
    assert sorted(r[0] for r in query(serving, "select article_id from dim_articles")) == [ID_B, ID_A]
    for table in PER_ARTICLE:
        sql = f'select * from "{table}" where article_id = ? order by all'
        assert query(serving, sql, [ID_A]) == query(baseline, sql, [ID_A]), table  # even loaded_at and run_id
        assert {r[0] for r in query(serving, f'select distinct article_id from "{table}"')} <= {ID_A, ID_B}
    assert query(serving, "select count(*) > 0 from fct_actor_mentions where article_id = ?", [ID_B]) == [(True,)]


def test_rerun_on_the_same_raw_dir_changes_nothing(contended):
    ws, again = contended["ws"], contended["again"]
    assert_ok(again)
    assert "0 ingested, 2 skipped" in again.output and "nothing new to publish" in again.output
    assert ws.serving.stat().st_ino == contended["inode"]
    assert read_snapshot(ws.serving, stable=False) == contended["published"]
    assert query(ws.build_db, "select count(*) from landing.articles") == [(2,)]
