"""A small real serving file for the dashboard's queries: the marts it reads, with a constructed story.

Two articles of one syndicated story (a1, its copy a1c) and a later article (a2), plus an undated one (a3):
Putin (for Russia) demands in a1 (and its copy) that Ukraine withdraw; in a2 Ukraine rejects that demand
(an answer across articles), Russia makes a second demand nothing answers, Ukraine offers a ceasefire that
Russia accepts, and Ukraine welcomes something that is not a record (a response addressed to Russia, the
demander of the unanswered demand, in the same article: what the old same-article join paired wrongly).
The Geneva talks are one track across a1 and a2: scheduled, then stalled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

JAN10, JAN11, MAR5 = dt.date(2025, 1, 10), dt.date(2025, 1, 11), dt.date(2025, 3, 5)
PUTIN, RUSSIA, UKRAINE, UN = "act_putin", "act_russia", "act_ukraine", "act_un"
TERRITORY, CEASEFIRE = "iss_territory", "iss_ceasefire"
GENEVA = "trk_geneva"

TABLES: dict[str, tuple[str, list[tuple]]] = {
    "dim_articles": (
        "article_id varchar, story_id varchar, source varchar, url varchar, title varchar, published_at date, "
        "source_file varchar, n_statements bigint, n_demands bigint, n_offers bigint, n_responses bigint, "
        "n_negotiations bigint, n_actors bigint",
        [
            ("a1", "s1", "Wire", "https://example.org/a1", "Talks open in Geneva", JAN10, "a1.md", 1, 1, 0, 0, 1, 4),
            ("a1c", "s1", "Reprint", "https://example.org/a1c", "Geneva talks open", JAN11, "a1c.md", 0, 1, 0, 0, 0, 2),
            ("a2", "s2", "Wire", "https://example.org/a2", "Kyiv rejects withdrawal", MAR5, "a2.md", 0, 1, 1, 3, 1, 3),
            ("a3", "s3", "Blog", None, "Undated note", None, "a3.md", 0, 0, 0, 0, 0, 0),
        ],
    ),
    "dim_actors": (
        "actor_id varchar, actor_name varchar, actor_type varchar, affiliation_actor_id varchar, "
        "affiliation_name varchar, aliases varchar[], n_articles bigint, n_mentions bigint",
        [
            (PUTIN, "Vladimir Putin", "person", RUSSIA, "Russia", ["Putin"], 2, 3),
            (RUSSIA, "Russia", "state", None, None, ["Moscow"], 3, 5),
            (UKRAINE, "Ukraine", "state", None, None, ["Kyiv"], 3, 6),
            (UN, "United Nations", "organization", None, None, [], 1, 1),
        ],
    ),
    "fct_actor_mentions": (
        "mention_id varchar, article_id varchar, actor_id varchar",
        [("m1", "a1", PUTIN), ("m2", "a1", UKRAINE), ("m3", "a1", UN), ("m4", "a2", UKRAINE), ("m5", "a2", RUSSIA)],
    ),
    "fct_statements": (
        "statement_id varchar, article_id varchar, published_at date, speaker_actor_id varchar, speaker_name varchar, "
        "statement_kind varchar, speech_act varchar, statement_text varchar, evidence_text varchar, "
        "evidence_start integer",
        [("st1", "a1", JAN10, PUTIN, "Vladimir Putin", "direct", "demand", "Leave.", "Putin said: Leave.", 0)],
    ),
    "fct_demands": (
        "demand_id varchar, article_id varchar, published_at date, demander_actor_id varchar, demander_name varchar, "
        "addressee_actor_id varchar, addressee_name varchar, demand_text varchar, condition_text varchar, "
        "threat_text varchar, issue_id varchar, evidence_text varchar, evidence_start integer",
        [
            (
                "d1",
                "a1",
                JAN10,
                PUTIN,
                "Vladimir Putin",
                UKRAINE,
                "Ukraine",
                "withdraw from Donetsk",
                None,
                None,
                TERRITORY,
                "Putin demanded that Ukraine withdraw from Donetsk.",
                10,
            ),
            (
                "d1c",
                "a1c",
                JAN11,
                PUTIN,
                "Vladimir Putin",
                UKRAINE,
                "Ukraine",
                "withdraw from Donetsk",
                None,
                None,
                TERRITORY,
                "Putin demanded that Ukraine withdraw from Donetsk (reprint).",
                10,
            ),
            (
                "d2",
                "a2",
                MAR5,
                RUSSIA,
                "Russia",
                UKRAINE,
                "Ukraine",
                "recognise the annexation",
                None,
                None,
                TERRITORY,
                "Russia demanded that Kyiv recognise the annexation.",
                50,
            ),
        ],
    ),
    "fct_offers": (
        "offer_id varchar, article_id varchar, published_at date, offerer_actor_id varchar, offerer_name varchar, "
        "recipient_actor_id varchar, recipient_name varchar, offer_text varchar, issue_id varchar, "
        "evidence_text varchar, evidence_start integer",
        [
            (
                "o1",
                "a2",
                MAR5,
                UKRAINE,
                "Ukraine",
                RUSSIA,
                "Russia",
                "a ceasefire along the front line",
                CEASEFIRE,
                "Ukraine offered a ceasefire along the front line.",
                90,
            )
        ],
    ),
    "fct_responses": (
        "response_id varchar, article_id varchar, published_at date, responder_actor_id varchar, "
        "responder_name varchar, stance varchar, to_actor_id varchar, to_actor_name varchar, object_text varchar, "
        "issue_id varchar, answers_kind varchar, answers_id varchar, evidence_text varchar, evidence_start integer",
        [
            (
                "r1",
                "a2",
                MAR5,
                UKRAINE,
                "Ukraine",
                "reject",
                PUTIN,
                "Vladimir Putin",
                "the withdrawal demand",
                TERRITORY,
                "demand",
                "d1",
                "Kyiv rejected the withdrawal demand.",
                0,
            ),
            (
                "r2",
                "a2",
                MAR5,
                RUSSIA,
                "Russia",
                "accept",
                UKRAINE,
                "Ukraine",
                "the ceasefire offer",
                CEASEFIRE,
                "offer",
                "o1",
                "Moscow accepted the ceasefire offer.",
                120,
            ),
            (
                "r3",
                "a2",
                MAR5,
                UKRAINE,
                "Ukraine",
                "welcome",
                RUSSIA,
                "Russia",
                "the prisoner exchange",
                CEASEFIRE,
                None,
                None,
                "Kyiv welcomed the prisoner exchange with Russia.",
                150,
            ),
        ],
    ),
    "fct_negotiations": (
        "negotiation_id varchar, article_id varchar, published_at date, negotiation_name varchar, parties varchar[], "
        "party_actor_ids varchar[], mediator_actor_id varchar, mediator_name varchar, venue varchar, "
        "status varchar, provisions varchar[], issue_id varchar, negotiation_track_id varchar, "
        "evidence_text varchar, evidence_start integer, story_id varchar",
        [
            (
                "n1",
                "a1",
                JAN10,
                "Geneva talks",
                ["Russia", "Ukraine"],
                [RUSSIA, UKRAINE],
                UN,
                "United Nations",
                "Geneva",
                "scheduled",
                [],
                CEASEFIRE,
                GENEVA,
                "Talks are to open in Geneva under UN auspices.",
                200,
                "s1",
            ),
            (
                "n2",
                "a2",
                MAR5,
                "Geneva talks",
                ["Russia", "Ukraine"],
                [RUSSIA, UKRAINE],
                None,
                None,
                "Geneva",
                "stalled",
                ["front line freeze"],
                CEASEFIRE,
                GENEVA,
                "The Geneva talks have stalled.",
                220,
                "s2",
            ),
        ],
    ),
    "rejected_inputs": ("rejection_id varchar, file varchar", [("x1", "bad.bin")]),
    "dim_issues": (
        "issue_id varchar, issue_label varchar, issue_category varchar, first_published_at date, "
        "last_published_at date, n_articles bigint, n_copies bigint, n_records bigint, n_actors bigint",
        [
            (TERRITORY, "Ukraine — territory", "territory", JAN10, MAR5, 2, 3, 3, 3),
            (CEASEFIRE, "Ukraine — ceasefire", "ceasefire", JAN10, MAR5, 2, 2, 5, 3),
        ],
    ),
    "dim_negotiation_tracks": (
        "negotiation_track_id varchar, track_name varchar, issue_id varchar, parties varchar[], "
        "party_actor_ids varchar[], mediator_actor_ids varchar[], venues varchar[], first_published_at date, "
        "last_published_at date, latest_status varchar, n_articles bigint, n_records bigint, is_event boolean",
        [
            (
                GENEVA,
                "Geneva talks",
                CEASEFIRE,
                ["Russia", "Ukraine"],
                [RUSSIA, UKRAINE],
                [UN],
                ["Geneva"],
                JAN10,
                MAR5,
                "stalled",
                2,
                2,
                False,
            ),
        ],
    ),
    "fct_negotiation_status_history": (
        "status_history_id varchar, negotiation_track_id varchar, status_seq integer, status varchar, "
        "valid_from date, valid_to date, is_current boolean, article_id varchar, negotiation_id varchar, "
        "story_id varchar, evidence_text varchar",
        [
            (
                "h1",
                GENEVA,
                1,
                "scheduled",
                JAN10,
                MAR5,
                False,
                "a1",
                "n1",
                "s1",
                "Talks are to open in Geneva under UN auspices.",
            ),
            ("h2", GENEVA, 2, "stalled", MAR5, None, True, "a2", "n2", "s2", "The Geneva talks have stalled."),
        ],
    ),
    "fct_positions": (
        "position_id varchar, actor_id varchar, actor_name varchar, on_behalf_of_actor_id varchar, issue_id varchar, "
        "stance varchar, published_at date, article_id varchar, story_id varchar, source_kind varchar, "
        "source_id varchar, evidence_text varchar",
        [
            (
                "p1",
                PUTIN,
                "Vladimir Putin",
                RUSSIA,
                TERRITORY,
                "support",
                JAN10,
                "a1",
                "s1",
                "demand",
                "d1",
                "Putin demanded that Ukraine withdraw from Donetsk.",
            ),
            (
                "p2",
                PUTIN,
                "Vladimir Putin",
                RUSSIA,
                TERRITORY,
                "support",
                JAN11,
                "a1c",
                "s1",
                "demand",
                "d1c",
                "Putin demanded that Ukraine withdraw from Donetsk (reprint).",
            ),
            (
                "p3",
                RUSSIA,
                "Russia",
                RUSSIA,
                TERRITORY,
                "support",
                MAR5,
                "a2",
                "s2",
                "demand",
                "d2",
                "Russia demanded that Kyiv recognise the annexation.",
            ),
            (
                "p4",
                UKRAINE,
                "Ukraine",
                UKRAINE,
                CEASEFIRE,
                "support",
                MAR5,
                "a2",
                "s2",
                "offer",
                "o1",
                "Ukraine offered a ceasefire along the front line.",
            ),
            (
                "p5",
                UKRAINE,
                "Ukraine",
                UKRAINE,
                TERRITORY,
                "oppose",
                MAR5,
                "a2",
                "s2",
                "response",
                "r1",
                "Kyiv rejected the withdrawal demand.",
            ),
            (
                "p6",
                RUSSIA,
                "Russia",
                RUSSIA,
                CEASEFIRE,
                "support",
                MAR5,
                "a2",
                "s2",
                "response",
                "r2",
                "Moscow accepted the ceasefire offer.",
            ),
        ],
    ),
    "positions_current": (
        "position_key varchar, actor_id varchar, actor_name varchar, on_behalf_of_actor_id varchar, "
        "on_behalf_of_name varchar, issue_id varchar, current_stance varchar, first_stated_at date, "
        "last_stated_at date, n_stories bigint, n_positions bigint, previous_stance varchar, changed_at date, "
        "latest_position_id varchar, latest_evidence_text varchar",
        [
            (
                "k1",
                PUTIN,
                "Vladimir Putin",
                RUSSIA,
                "Russia",
                TERRITORY,
                "support",
                JAN10,
                JAN11,
                1,
                2,
                None,
                None,
                "p2",
                "Putin demanded that Ukraine withdraw from Donetsk (reprint).",
            ),
            (
                "k2",
                RUSSIA,
                "Russia",
                RUSSIA,
                "Russia",
                TERRITORY,
                "support",
                MAR5,
                MAR5,
                1,
                1,
                None,
                None,
                "p3",
                "Russia demanded that Kyiv recognise the annexation.",
            ),
            (
                "k3",
                UKRAINE,
                "Ukraine",
                UKRAINE,
                "Ukraine",
                TERRITORY,
                "oppose",
                MAR5,
                MAR5,
                1,
                1,
                None,
                None,
                "p5",
                "Kyiv rejected the withdrawal demand.",
            ),
            (
                "k4",
                UKRAINE,
                "Ukraine",
                UKRAINE,
                "Ukraine",
                CEASEFIRE,
                "support",
                MAR5,
                MAR5,
                1,
                1,
                None,
                None,
                "p4",
                "Ukraine offered a ceasefire along the front line.",
            ),
            (
                "k5",
                RUSSIA,
                "Russia",
                RUSSIA,
                "Russia",
                CEASEFIRE,
                "support",
                MAR5,
                MAR5,
                1,
                1,
                None,
                None,
                "p6",
                "Moscow accepted the ceasefire offer.",
            ),
        ],
    ),
    "parley_publish": (
        "run_id varchar, published_at timestamptz",
        [("run-1", dt.datetime(2025, 3, 6, 12, 0, tzinfo=dt.timezone.utc))],
    ),
}


STORY_FACTS = ("fct_demands", "fct_offers", "fct_responses")  # fct_statements has none, as in the marts


def build_mini_warehouse(path: Path) -> Path:
    """Write the constructed marts to a new DuckDB file at `path`."""
    con = duckdb.connect(str(path))
    try:
        for table, (columns, rows) in TABLES.items():
            con.execute(f"create table {table} ({columns})")
            marks = ", ".join("?" for _ in columns.split(", "))
            con.executemany(f"insert into {table} values ({marks})", rows)
        for table in STORY_FACTS:  # every fact carries its article's story, as in the marts
            con.execute(f"alter table {table} add column story_id varchar")
            con.execute(
                f"update {table} as f set story_id = a.story_id from dim_articles as a "
                "where a.article_id = f.article_id"
            )
        con.execute("alter table fct_positions add column on_behalf_of_name varchar")  # as the mart names it
        con.execute(
            "update fct_positions as p set on_behalf_of_name = a.actor_name from dim_actors as a "
            "where a.actor_id = p.on_behalf_of_actor_id"
        )
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def mini_warehouse(tmp_path_factory) -> Path:
    return build_mini_warehouse(tmp_path_factory.mktemp("dashboard") / "serving.duckdb")
