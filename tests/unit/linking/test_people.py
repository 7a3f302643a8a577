"""A bare surname is the one person of that surname known in the batch or the landing tables."""

from __future__ import annotations

import duckdb
import pytest

from flows.linking.people import full_names, resolve_surnames
from flows.records import Actor
from flows.warehouse.landing import create_landing_tables
from tests.unit.linking.conftest import demand, extraction, negotiation


def person(aid: str, name: str, aliases: list[str] | None = None) -> Actor:
    return Actor(aid, name, "person", aliases or [])


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "build.duckdb"))
    create_landing_tables(c)
    yield c
    c.close()


def test_full_names_leave_out_a_surname_two_people_share():
    names = full_names(["Ana Lima", "Jon Park", "Mia Park", "Lima"])
    assert names == {"lima": "Ana Lima"}


def test_a_bare_surname_takes_the_full_name_of_another_batch_article_with_its_records(con):
    first = extraction("a1", actors=[person("a1", "Ana Lima")])
    second = extraction(
        "a2",
        actors=[person("a2", "Lima")],
        demands=[demand("a2", "d1", "Lima", "a ceasefire now", addressee="Lima")],
        negotiations=[negotiation("a2", "n1", "talks", ["Lima", "Jon Park"])],
    )
    out = resolve_surnames(con, [first, second])
    renamed = out[1]
    assert [a.actor_name for a in renamed.actors] == ["Ana Lima"] and renamed.actors[0].aliases == ["Lima"]
    assert (renamed.demands[0].demander_name, renamed.demands[0].addressee_name) == ("Ana Lima", "Ana Lima")
    assert renamed.negotiations[0].parties == ["Ana Lima", "Jon Park"]
    assert second.actors[0].actor_name == "Lima"  # the input is not changed
    assert out[0] is first


def test_a_full_name_already_loaded_is_found_in_the_landing_tables(con):
    con.execute(
        "insert into landing.actors (article_id, actor_name, actor_type, aliases) "
        "values ('old', 'Ana Lima', 'person', [])"
    )
    out = resolve_surnames(con, [extraction("a2", actors=[person("a2", "Lima")])])
    assert out[0].actors[0].actor_name == "Ana Lima"


def test_an_ambiguous_or_unknown_surname_and_non_persons_stay(con):
    batch = [
        extraction("a1", actors=[person("a1", "Jon Park"), person("a1", "Mia Park")]),
        extraction("a2", actors=[person("a2", "Park"), person("a2", "Soto"), Actor("a2", "Lima", "state", [])]),
        extraction("a3", actors=[person("a3", "Ana Lima")]),
    ]
    out = resolve_surnames(con, batch)
    assert [a.actor_name for a in out[1].actors] == ["Park", "Soto", "Lima"]
