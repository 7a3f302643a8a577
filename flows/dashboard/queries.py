"""Read-only queries over the serving warehouse, one DataFrame per question the dashboard asks.

Every caller opens the serving file with `open_serving`, runs its queries and closes it at
once: `parley run` replaces the file by atomic rename, so a short-lived connection always
sees one complete warehouse (the old one or the new one) and never keeps the old file alive.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

GRAINS = ("year", "month", "day")

# record type -> mart; the overview counts and charts these
RECORD_TABLES = {
    "statements": "fct_statements",
    "demands": "fct_demands",
    "offers": "fct_offers",
    "responses": "fct_responses",
    "negotiations": "fct_negotiations",
}

# what the actor page lists, positions first and the (many) statements last:
# section -> (mart, which rows belong to the actor, the section's own columns)
ACTOR_SECTIONS: dict[str, tuple[str, str, str]] = {
    "demands_made": (
        "fct_demands",
        "f.demander_actor_id = $actor",
        "f.demander_name, f.addressee_name, f.demand_text, f.condition_text, f.threat_text",
    ),
    "demands_received": (
        "fct_demands",
        "f.addressee_actor_id = $actor",
        "f.demander_name, f.addressee_name, f.demand_text, f.condition_text, f.threat_text",
    ),
    "offers_made": ("fct_offers", "f.offerer_actor_id = $actor", "f.offerer_name, f.recipient_name, f.offer_text"),
    "offers_received": (
        "fct_offers",
        "f.recipient_actor_id = $actor",
        "f.offerer_name, f.recipient_name, f.offer_text",
    ),
    "responses_made": (
        "fct_responses",
        "f.responder_actor_id = $actor",
        "f.responder_name, f.stance, f.to_actor_name, f.object_text",
    ),
    "responses_received": (
        "fct_responses",
        "f.to_actor_id = $actor",
        "f.responder_name, f.stance, f.to_actor_name, f.object_text",
    ),
    "negotiations": (
        "fct_negotiations",
        "list_contains(f.party_actor_ids, $actor) or f.mediator_actor_id = $actor",
        "f.negotiation_name, f.status, f.parties, f.mediator_name, f.venue, f.provisions",
    ),
    "statements": (
        "fct_statements",
        "f.speaker_actor_id = $actor",
        "f.speaker_name, f.statement_kind, f.speech_act, f.statement_text",
    ),
}

# the article a record came from, for its link (`f` is the fact, `a` is dim_articles)
ARTICLE_COLUMNS = "f.article_id, a.title as article_title, a.url as article_url, a.source as article_source"


class ServingUnavailable(RuntimeError):
    """The serving warehouse is missing or cannot be opened."""


@contextmanager
def open_serving(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the serving file, closed when the block ends."""
    path = Path(path)
    if not path.is_file():
        raise ServingUnavailable(f"No warehouse at {path} yet. Build it with `parley run --serving {path}`.")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as e:  # e.g. replaced between the check and the open, or not a DuckDB file
        raise ServingUnavailable(f"Cannot open the warehouse at {path}: {e}") from e
    try:
        yield con
    finally:
        con.close()


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts: articles, actors, each record type, rejected inputs."""
    tables = {"articles": "dim_articles", "actors": "dim_actors", **RECORD_TABLES, "rejected_inputs": "rejected_inputs"}
    sql = " union all ".join(f"select '{name}' as name, count(*) as n from {table}" for name, table in tables.items())
    return {name: int(n) for name, n in con.execute(sql).fetchall()}


def publish_info(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The run that published this file, or None for a file without the publish marker table."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' and table_name = 'parley_publish'"
    ).fetchone()[0]
    if not present:
        return None
    row = con.execute("select run_id, published_at from parley_publish limit 1").fetchone()
    return {"run_id": row[0], "published_at": row[1]} if row else None


def records_over_time(con: duckdb.DuckDBPyConnection, grain: str = "month") -> pd.DataFrame:
    """Records per type per period of the article's publication date (undated records left out)."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    per_type = " union all ".join(
        f"select '{name}' as record_type, published_at from {table}" for name, table in RECORD_TABLES.items()
    )
    return _df(
        con,
        f"""
        with dated_records as ({per_type})
        select date_trunc($grain, published_at)::date as period, record_type, count(*) as n
        from dated_records
        where published_at is not null
        group by all
        order by period, record_type
    """,
        {"grain": grain},
    )


def articles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every article, newest first, with its record counts."""
    return _df(
        con,
        """
        select published_at, title, source, url, article_id, source_file,
               n_statements, n_demands, n_offers, n_responses, n_negotiations, n_actors
        from dim_articles
        order by published_at desc nulls last, article_id
    """,
    )


def actors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every canonical actor, the most mentioned first."""
    return _df(
        con,
        """
        select actor_id, actor_name, actor_type, affiliation_name, aliases, n_articles, n_mentions
        from dim_actors
        order by n_mentions desc, actor_name, actor_id
    """,
    )


def actor_records(con: duckdb.DuckDBPyConnection, section: str, actor_id: str) -> pd.DataFrame:
    """The actor's records of one `ACTOR_SECTIONS` section, newest first, with evidence and article."""
    if section not in ACTOR_SECTIONS:
        raise ValueError(f"unknown section {section!r}; one of {sorted(ACTOR_SECTIONS)}")
    table, belongs, columns = ACTOR_SECTIONS[section]
    return _df(
        con,
        f"""
        select f.published_at, {columns}, f.evidence_text, {ARTICLE_COLUMNS}
        from {table} as f
        left join dim_articles as a on a.article_id = f.article_id
        where {belongs}
        order by f.published_at desc nulls last, f.article_id, f.evidence_start
    """,
        {"actor": actor_id},
    )


def demands_with_responses(
    con: duckdb.DuckDBPyConnection, actor_id: str | None = None, answered_only: bool = False
) -> pd.DataFrame:
    """Each demand with the responses to its demander in the same article (one row per pair).

    A demand nobody answered has one row with empty responder columns (dropped by
    `answered_only`). `actor_id` keeps demands where the actor demands, is addressed or responds.
    """
    return _df(
        con,
        f"""
        with responses_to_demanders as (
            select article_id, to_actor_id, responder_actor_id, responder_name, stance,
                   object_text as response_text, evidence_text as response_evidence
            from fct_responses
            where to_actor_id is not null
        )
        select f.demand_id, f.published_at, f.demander_actor_id, f.demander_name,
               f.addressee_actor_id, f.addressee_name, f.demand_text, f.condition_text, f.threat_text,
               f.evidence_text as demand_evidence,
               r.responder_actor_id, r.responder_name, r.stance, r.response_text, r.response_evidence,
               {ARTICLE_COLUMNS}
        from fct_demands as f
        left join responses_to_demanders as r
          on r.article_id = f.article_id and r.to_actor_id = f.demander_actor_id
        left join dim_articles as a on a.article_id = f.article_id
        where ($actor is null or $actor in (f.demander_actor_id, f.addressee_actor_id, r.responder_actor_id))
          and (not $answered_only or r.stance is not null)
        order by f.published_at desc nulls last, f.article_id, f.evidence_start, r.responder_name
    """,
        {"actor": actor_id, "answered_only": answered_only},
    )


def negotiations(
    con: duckdb.DuckDBPyConnection, statuses: list[str] | None = None, actor_id: str | None = None
) -> pd.DataFrame:
    """Negotiation tracks (one row per track per article), newest first, optionally filtered."""
    return _df(
        con,
        f"""
        select f.negotiation_id, f.published_at, f.negotiation_name, f.status, f.parties, f.party_actor_ids,
               f.mediator_name, f.venue, f.provisions, f.evidence_text, {ARTICLE_COLUMNS}
        from fct_negotiations as f
        left join dim_articles as a on a.article_id = f.article_id
        where (len($statuses) = 0 or list_contains($statuses, f.status))
          and ($actor is null or list_contains(f.party_actor_ids, $actor) or f.mediator_actor_id = $actor)
        order by f.published_at desc nulls last, f.article_id, f.evidence_start
    """,
        {"statuses": list(statuses or []), "actor": actor_id},
    )
