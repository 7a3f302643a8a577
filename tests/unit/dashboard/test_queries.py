"""The dashboard's queries against a small real DuckDB file (tests/unit/dashboard/conftest.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from flows.dashboard import queries as q
from tests.unit.dashboard.conftest import (
    CEASEFIRE,
    GENEVA,
    JAN10,
    MAR5,
    PUTIN,
    RUSSIA,
    TERRITORY,
    UKRAINE,
    UN,
)

JANUARY = q.Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
MARCH = q.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
FEBRUARY = q.Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
NOTHING = q.Period(dt.date(2030, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture
def con(mini_warehouse):
    with q.open_serving(mini_warehouse) as c:
        yield c


def test_open_serving_is_read_only_and_reports_a_missing_file(mini_warehouse, tmp_path):
    with pytest.raises(q.ServingUnavailable, match="No warehouse at"), q.open_serving(tmp_path / "none.duckdb"):
        pass
    with q.open_serving(mini_warehouse) as con, pytest.raises(duckdb.Error):
        con.execute("create table main.scribble as select 1")


def test_summary_counts_stories_once_and_follows_the_period(con):
    everything = q.summary(con)
    assert (everything["articles"], everything["stories"], everything["demands"]) == (4, 3, 2)  # d1c is d1 in a copy
    assert everything["rejected_inputs"] == 1 and everything["actors"] == 4
    january = q.summary(con, JANUARY)
    assert (january["articles"], january["stories"], january["demands"], january["responses"]) == (2, 1, 1, 0)
    assert q.summary(con, NOTHING)["articles"] == 0


def test_an_open_period_keeps_undated_articles_a_bounded_one_does_not(con):
    assert "a3" in set(q.articles(con).article_id)
    assert set(q.articles(con, q.Period(dt.date(2000, 1, 1), dt.date(2100, 1, 1))).article_id) == {"a1", "a1c", "a2"}
    assert set(q.articles(con, q.Period(start=MAR5)).article_id) == {"a2"}
    assert q.date_bounds(con) == (JAN10, MAR5)


def test_records_over_time_by_grain_and_period(con):
    by_month = q.records_over_time(con, "month")
    demands = by_month[by_month.record_type == "demands"]
    assert dict(zip(demands.period.dt.month, demands.n, strict=True)) == {1: 1, 3: 1}  # the copy counts once
    assert set(q.records_over_time(con, "month", MARCH).period.dt.month) == {3}
    with pytest.raises(ValueError):
        q.records_over_time(con, "week")


def test_issues_count_records_stories_and_actors_in_the_period(con):
    issues = q.issues(con).set_index("issue_id")
    assert issues.loc[TERRITORY, ["n_records", "n_stories", "n_actors"]].tolist() == [3, 2, 3]  # d1 (= d1c), d2, r1
    january = q.issues(con, JANUARY).set_index("issue_id")
    assert january.loc[TERRITORY, ["n_records", "n_stories"]].tolist() == [1, 1]  # the copy is the same record
    assert set(january.index) == {TERRITORY, CEASEFIRE}  # n1 is in January
    assert q.issues(con, NOTHING).empty
    assert q.issue(con, TERRITORY)["issue_category"] == "territory" and q.issue(con, "nope") is None


def test_who_stands_where_and_the_roll_up_to_the_state(con):
    stances = q.issue_stances(con, TERRITORY).set_index("holder_id")
    assert stances.stance.to_dict() == {PUTIN: "support", RUSSIA: "support", UKRAINE: "oppose"}
    assert stances.loc[PUTIN, "n_stories"] == 1 and stances.loc[PUTIN, "n_positions"] == 2
    rolled = q.issue_stances(con, TERRITORY, roll_up=True).set_index("holder_id")
    assert rolled.stance.to_dict() == {RUSSIA: "support", UKRAINE: "oppose"}
    assert rolled.loc[RUSSIA, "n_stories"] == 2 and sorted(rolled.loc[RUSSIA, "speakers"]) == [
        "Russia",
        "Vladimir Putin",
    ]
    assert rolled.loc[RUSSIA, "holder_name"] == "Russia"
    # in January only Putin had spoken; the latest stance is the one of the period
    assert q.issue_stances(con, TERRITORY, JANUARY).holder_id.tolist() == [PUTIN]
    assert set(q.actor_positions(con, RUSSIA, roll_up=True).issue_id) == {TERRITORY, CEASEFIRE}


def test_issue_timeline_lists_the_issues_records_oldest_first(con):
    timeline = q.issue_timeline(con, TERRITORY)
    assert timeline.record_id.tolist() == ["d1", "d1c", "r1", "d2"]  # by date, then place in the article
    assert set(timeline.record_kind) == {"demand", "response"}
    ceasefire = q.issue_timeline(con, CEASEFIRE, MARCH)
    assert set(ceasefire.record_id) == {"o1", "r2", "r3", "n2"}
    assert ceasefire.set_index("record_id").loc["n2", "actor_name"] == "Russia, Ukraine"


def test_positions_grid_is_positions_current_for_pairs_stated_in_the_period(con):
    grid = q.positions_grid(con)
    assert len(grid) == 5
    cells = {(r.actor_id, r.issue_id): r.stance for r in grid.itertuples()}
    assert cells[(UKRAINE, TERRITORY)] == "oppose" and cells[(PUTIN, TERRITORY)] == "support"
    assert set(grid.issue_label) == {"Ukraine — territory", "Ukraine — ceasefire"}
    assert PUTIN not in set(q.positions_grid(con, MARCH).actor_id)
    assert set(q.positions_grid(con, max_actors=1).actor_id) == {RUSSIA}  # 2 stories, tied with Ukraine; by id
    evidence = q.position_evidence(con, UKRAINE, TERRITORY)
    assert evidence.evidence_text.tolist() == ["Kyiv rejected the withdrawal demand."]
    assert evidence.article_title.tolist() == ["Kyiv rejects withdrawal"]
    assert q.current_position(con, UKRAINE, TERRITORY)["stance"] == "oppose"
    assert q.current_position(con, UN, TERRITORY) is None


def test_demands_pair_only_with_the_responses_that_answer_them(con):
    pairs = q.demands_with_responses(con)
    assert pairs.demand_id.nunique() == 3
    answered = pairs[pairs.response_id.notna()]
    # r1 answers d1 from a later article; r3 (to Russia, in d2's article) answers no record and is never paired
    assert list(zip(answered.demand_id, answered.response_id, strict=True)) == [("d1", "r1")]
    assert answered.iloc[0].response_article_title == "Kyiv rejects withdrawal"
    unanswered = q.demands_with_responses(con, answered="unanswered")
    assert set(unanswered.demand_id) == {"d2"} and unanswered.response_id.isna().all()
    # d1c is d1 in a syndicated copy of the story: one demand (one key, two copies), answered
    keys = pairs.drop_duplicates("demand_id").set_index("demand_id")
    assert keys.loc["d1", "demand_key"] == keys.loc["d1c", "demand_key"] != keys.loc["d2", "demand_key"]
    assert keys.loc["d1c", ["n_copies", "n_responses"]].tolist() == [2, 1]
    assert set(q.demands_with_responses(con, answered="answered").demand_id) == {"d1", "d1c"}
    # the actor filter keeps the demand a responder answered, with all of its rows
    assert set(q.demands_with_responses(con, UKRAINE).demand_id) == {"d1", "d1c", "d2"}
    assert set(q.demands_with_responses(con, RUSSIA).demand_id) == {"d2"}
    assert set(q.demands_with_responses(con, period=JANUARY).demand_id) == {"d1", "d1c"}
    with pytest.raises(ValueError):
        q.demands_with_responses(con, answered="maybe")


def test_tracks_by_period_status_and_party(con):
    tracks = q.tracks(con)
    assert tracks.negotiation_track_id.tolist() == [GENEVA] and tracks.latest_status.tolist() == ["stalled"]
    assert tracks.issue_label.tolist() == ["Ukraine — ceasefire"]
    assert q.tracks(con, statuses=["scheduled"]).empty and len(q.tracks(con, statuses=["stalled"])) == 1
    assert len(q.tracks(con, actor_id=UN)) == 1 and q.tracks(con, actor_id=PUTIN).empty
    assert q.tracks(con, JANUARY).n_records_in_period.tolist() == [1] and q.tracks(con, NOTHING).empty
    assert q.track(con, GENEVA)["track_name"] == "Geneva talks" and q.track(con, "nope") is None


def test_track_history_and_records_follow_the_period(con):
    history = q.track_status_history(con, GENEVA)
    assert history.status.tolist() == ["scheduled", "stalled"]
    assert history.article_title.tolist() == ["Talks open in Geneva", "Kyiv rejects withdrawal"]
    assert q.track_status_history(con, GENEVA, FEBRUARY).status.tolist() == ["scheduled"]  # still valid then
    assert q.track_status_history(con, GENEVA, q.Period(dt.date(2025, 6, 1), None)).status.tolist() == ["stalled"]
    assert q.track_records(con, GENEVA).negotiation_id.tolist() == ["n1", "n2"]
    assert q.track_records(con, GENEVA, MARCH).negotiation_id.tolist() == ["n2"]


def test_actor_sections_hold_the_actors_records_in_the_period(con):
    sections = {s: q.actor_records(con, s, UKRAINE) for s in q.ACTOR_SECTIONS}
    assert len(sections["demands_received"]) == 3 and len(sections["responses_made"]) == 2
    assert sections["negotiations"].negotiation_track_id.tolist() == [GENEVA, GENEVA]
    assert len(q.actor_records(con, "demands_received", UKRAINE, JANUARY)) == 2
    for section, df in sections.items():
        assert {"evidence_text", "article_title", "article_url"} <= set(df.columns), section
    with pytest.raises(ValueError):
        q.actor_records(con, "gossip", UKRAINE)


def test_hostile_values_stay_data(con):
    hostile = "x' or 1=1 --"
    assert q.demands_with_responses(con, hostile).empty
    assert q.issue_stances(con, hostile).empty and q.issue_timeline(con, hostile).empty
    assert q.track(con, hostile) is None and q.position_evidence(con, hostile, hostile).empty


def test_a_tracks_parties_and_mediators_come_with_their_ids(con):
    track = q.track(con, GENEVA)
    assert [(a["actor_id"], a["actor_name"]) for a in track["party_actors"]] == [
        (RUSSIA, "Russia"),
        (UKRAINE, "Ukraine"),
    ]
    assert [a["actor_name"] for a in track["mediator_actors"]] == ["United Nations"]
    assert track["issue_label"] == "Ukraine — ceasefire"


def test_the_constructed_warehouse_has_only_columns_the_marts_declare(mini_warehouse):
    """The fixture stays a subset of the real marts (their contracts in _marts.yml), so a query that
    passes here does not read a column the serving file lacks."""
    import yaml

    from flows.config import PROJECT_ROOT

    spec = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "models" / "marts" / "_marts.yml").read_text())
    declared = {m["name"]: {c["name"] for c in m.get("columns", [])} for m in spec["models"]}
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        for table in tables:
            if table == "parley_publish":  # written by publish, not dbt
                continue
            columns = {c for (c,) in con.execute(f"select column_name from (describe {table})").fetchall()}
            assert columns <= declared[table], (table, columns - declared[table])
    finally:
        con.close()


def test_the_first_published_copy_stands_for_a_demand(con):
    pairs = q.demands_with_responses(con).drop_duplicates("demand_id").set_index("demand_id")
    assert pairs.copy_rank.to_dict() == {"d1": 1, "d1c": 2, "d2": 1}


def test_the_rolled_up_grid_counts_people_for_their_state(con):
    grid = q.rolled_up_grid(con)
    cells = {(r.actor_id, r.issue_id): (r.stance, r.n_stories) for r in grid.itertuples()}
    assert cells == {
        (RUSSIA, TERRITORY): ("support", 2),  # Putin's demand (one story, two copies) and Russia's own
        (UKRAINE, TERRITORY): ("oppose", 1),
        (UKRAINE, CEASEFIRE): ("support", 1),
        (RUSSIA, CEASEFIRE): ("support", 1),
    }
    assert set(grid[grid.actor_id == RUSSIA].actor_name) == {"Russia"}
    assert set(q.rolled_up_grid(con, JANUARY).actor_id) == {RUSSIA}  # Putin spoke for Russia in January
    rolled = q.position_evidence(con, RUSSIA, TERRITORY, roll_up=True)
    assert set(rolled.position_id) == {"p1", "p2", "p3"}
    assert set(q.position_evidence(con, RUSSIA, TERRITORY).position_id) == {"p3"}
