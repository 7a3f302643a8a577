"""Read-only queries over the serving warehouse, one DataFrame per question the dashboard asks.

Every caller opens the serving file with `open_serving`, runs its queries and closes it at
once: `parley run` replaces the file by atomic rename, so a short-lived connection always
sees one complete warehouse (the old one or the new one) and never keeps the old file alive.

Every query that lists records takes a `Period` (publication dates, both ends inclusive,
either open); an open period keeps undated records, a bounded one keeps only dated ones.
Values are always bound as parameters; table names come from the constants below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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

# every record with the key its syndicated copies share (story, actor, text; as dim_issues counts records);
# fct_statements has no story_id of its own: its article's
RECORDS_SQL = """
    select 'statements' as record_type, s.published_at, md5(concat_ws('|', coalesce(a.story_id, s.article_id),
           coalesce(s.speaker_name, ''), lower(trim(coalesce(s.statement_text, ''))))) as record_key
    from fct_statements as s left join dim_articles as a on a.article_id = s.article_id
    union all
    select 'demands', published_at, md5(concat_ws('|', coalesce(story_id, article_id),
           coalesce(demander_name, ''), lower(trim(coalesce(demand_text, '')))))
    from fct_demands
    union all
    select 'offers', published_at, md5(concat_ws('|', coalesce(story_id, article_id),
           coalesce(offerer_name, ''), lower(trim(coalesce(offer_text, '')))))
    from fct_offers
    union all
    select 'responses', published_at, md5(concat_ws('|', coalesce(story_id, article_id),
           coalesce(responder_name, ''), lower(trim(coalesce(object_text, '')))))
    from fct_responses
    union all
    select 'negotiations', published_at, md5(concat_ws('|', coalesce(story_id, article_id),
           lower(trim(coalesce(negotiation_name, '')))))
    from fct_negotiations
"""

# what the actor page lists, positions first and the (many) statements last:
# section -> (mart, which rows belong to the actor, the section's own columns)
ACTOR_SECTIONS: dict[str, tuple[str, str, str]] = {
    "demands_made": (
        "fct_demands",
        "f.demander_actor_id = $actor",
        "f.demander_actor_id, f.demander_name, f.addressee_actor_id, f.addressee_name, f.demand_text, "
        "f.condition_text, f.threat_text, f.issue_id",
    ),
    "demands_received": (
        "fct_demands",
        "f.addressee_actor_id = $actor",
        "f.demander_actor_id, f.demander_name, f.addressee_actor_id, f.addressee_name, f.demand_text, "
        "f.condition_text, f.threat_text, f.issue_id",
    ),
    "offers_made": (
        "fct_offers",
        "f.offerer_actor_id = $actor",
        "f.offerer_actor_id, f.offerer_name, f.recipient_actor_id, f.recipient_name, f.offer_text, f.issue_id",
    ),
    "offers_received": (
        "fct_offers",
        "f.recipient_actor_id = $actor",
        "f.offerer_actor_id, f.offerer_name, f.recipient_actor_id, f.recipient_name, f.offer_text, f.issue_id",
    ),
    "responses_made": (
        "fct_responses",
        "f.responder_actor_id = $actor",
        "f.responder_actor_id, f.responder_name, f.stance, f.to_actor_id, f.to_actor_name, f.object_text, f.issue_id",
    ),
    "responses_received": (
        "fct_responses",
        "f.to_actor_id = $actor",
        "f.responder_actor_id, f.responder_name, f.stance, f.to_actor_id, f.to_actor_name, f.object_text, f.issue_id",
    ),
    "negotiations": (
        "fct_negotiations",
        "list_contains(f.party_actor_ids, $actor) or f.mediator_actor_id = $actor",
        "f.negotiation_name, f.status, f.parties, f.mediator_actor_id, f.mediator_name, f.venue, f.provisions, "
        "f.issue_id, f.negotiation_track_id",
    ),
    "statements": (
        "fct_statements",
        "f.speaker_actor_id = $actor",
        "f.speaker_actor_id, f.speaker_name, f.statement_kind, f.speech_act, f.statement_text",
    ),
}

# the records that carry an issue, in one shape (the issue page's timeline and the issue list)
ISSUE_RECORDS_SQL = """
    select 'demand' as record_kind, demand_id as record_id, issue_id, article_id, published_at,
           demander_actor_id as actor_id, demander_name as actor_name, addressee_name as counterpart_name,
           demand_text as record_text, cast(null as varchar) as stance_or_status, evidence_text, evidence_start
    from fct_demands
    union all
    select 'offer', offer_id, issue_id, article_id, published_at, offerer_actor_id, offerer_name, recipient_name,
           offer_text, null, evidence_text, evidence_start
    from fct_offers
    union all
    select 'response', response_id, issue_id, article_id, published_at, responder_actor_id, responder_name,
           to_actor_name, object_text, stance, evidence_text, evidence_start
    from fct_responses
    union all
    select 'negotiation', negotiation_id, issue_id, article_id, published_at, null,
           array_to_string(parties, ', '), mediator_name, negotiation_name, status, evidence_text, evidence_start
    from fct_negotiations
"""

# the article a record came from, for its link (`f` is the fact, `a` is dim_articles)
ARTICLE_COLUMNS = "f.article_id, a.title as article_title, a.url as article_url, a.source as article_source"
ANSWERED = ("all", "answered", "unanswered")


@dataclass(frozen=True)
class Period:
    """Publication dates to show, both ends inclusive; None leaves that end open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None

    def params(self) -> dict[str, dt.date | bool | None]:
        return {"p_start": self.start, "p_end": self.end, "p_open": self.is_open}


ALL_TIME = Period()

# `published_at` lies in the bound period ($p_start, $p_end, $p_open); F_ and R_ for the aliased fact
IN_PERIOD = (
    "($p_open or (published_at is not null and ($p_start is null or published_at >= $p_start)"
    " and ($p_end is null or published_at <= $p_end)))"
)
F_IN_PERIOD = IN_PERIOD.replace("published_at", "f.published_at")
R_IN_PERIOD = IN_PERIOD.replace("published_at", "r.published_at")


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


def _with_period(period: Period, **params: object) -> dict:
    return {**period.params(), **params}


def publish_info(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The run that published this file, or None for a file without the publish marker table."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' and table_name = 'parley_publish'"
    ).fetchone()[0]
    if not present:
        return None
    row = con.execute("select run_id, published_at from parley_publish limit 1").fetchone()
    return {"run_id": row[0], "published_at": row[1]} if row else None


def date_bounds(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The first and last publication date of the warehouse's articles (None, None without dated articles)."""
    first, last = con.execute("select min(published_at), max(published_at) from dim_articles").fetchone()
    return first, last


# --- overview ---


def summary(con: duckdb.DuckDBPyConnection, period: Period = ALL_TIME) -> dict[str, int]:
    """Counts in the period: articles, stories, actors mentioned, each record type (syndicated copies
    once, see RECORDS_SQL); rejected inputs (all)."""
    sql = f"""
        with period_articles as (select * from dim_articles where {IN_PERIOD}),
        period_records as (select * from ({RECORDS_SQL}) where {IN_PERIOD})
        select 'articles' as name, count(*) as n from period_articles
        union all select 'stories', count(distinct coalesce(story_id, article_id)) from period_articles
        union all select 'actors', count(distinct m.actor_id)
            from fct_actor_mentions m join period_articles using (article_id)
        union all select record_type, count(distinct record_key) from period_records group by record_type
        union all select 'rejected_inputs', count(*) from rejected_inputs
    """
    counts = {name: 0 for name in RECORD_TABLES}
    counts.update({name: int(n) for name, n in con.execute(sql, period.params()).fetchall()})
    return counts


def records_over_time(con: duckdb.DuckDBPyConnection, grain: str = "month", period: Period = ALL_TIME) -> pd.DataFrame:
    """Records per type per period of the article's publication date (undated records left out)."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    return _df(
        con,
        f"""
        with dated_records as ({RECORDS_SQL})
        select date_trunc($grain, published_at)::date as period, record_type, count(distinct record_key) as n
        from dated_records
        where published_at is not null and {IN_PERIOD}
        group by all
        order by period, record_type
    """,
        _with_period(period, grain=grain),
    )


def articles(con: duckdb.DuckDBPyConnection, period: Period = ALL_TIME) -> pd.DataFrame:
    """The period's articles, newest first, with their story and record counts."""
    return _df(
        con,
        f"""
        select published_at, title, source, url, article_id, story_id, source_file,
               n_statements, n_demands, n_offers, n_responses, n_negotiations, n_actors
        from dim_articles
        where {IN_PERIOD}
        order by published_at desc nulls last, article_id
    """,
        period.params(),
    )


# --- actors ---


def actors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every canonical actor, the most mentioned first."""
    return _df(
        con,
        """
        select actor_id, actor_name, actor_type, affiliation_actor_id, affiliation_name, aliases,
               n_articles, n_mentions
        from dim_actors
        order by n_mentions desc, actor_name, actor_id
    """,
    )


def actor_records(
    con: duckdb.DuckDBPyConnection, section: str, actor_id: str, period: Period = ALL_TIME
) -> pd.DataFrame:
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
        where ({belongs}) and {F_IN_PERIOD}
        order by f.published_at desc nulls last, f.article_id, f.evidence_start
    """,
        _with_period(period, actor=actor_id),
    )


def actor_positions(
    con: duckdb.DuckDBPyConnection, actor_id: str, period: Period = ALL_TIME, roll_up: bool = False
) -> pd.DataFrame:
    """The actor's latest stance per issue in the period (`roll_up`: also what its people and groups said)."""
    return issue_stances(con, None, period, roll_up, holder=actor_id)


# --- issues and positions ---


def issues(con: duckdb.DuckDBPyConnection, period: Period = ALL_TIME) -> pd.DataFrame:
    """Issues with records in the period: label, category, and the period's records, stories and actors.

    Counted as `dim_issues` counts them (syndicated copies once), so over all dates they are its figures.
    """
    return _df(
        con,
        f"""
        with issue_records as ({ISSUE_RECORDS_SQL}),
        period_records as (
            select r.issue_id, r.record_kind, coalesce(a.story_id, r.article_id) as story_id, r.published_at,
                   case when r.record_kind <> 'negotiation' then r.actor_name end as actor_name,
                   lower(trim(r.record_text)) as record_text
            from issue_records as r left join dim_articles as a on a.article_id = r.article_id
            where r.issue_id is not null and {R_IN_PERIOD}
        )
        -- counted as dim_issues counts: a record of a syndicated copy is the same record (story, kind, actor, text)
        select i.issue_id, i.issue_label, i.issue_category,
               count(distinct (r.story_id, r.record_kind, coalesce(r.actor_name, ''), r.record_text)) as n_records,
               count(distinct r.story_id) as n_stories,
               count(distinct lower(trim(r.actor_name))) as n_actors,
               min(r.published_at) as first_published_at, max(r.published_at) as last_published_at
        from period_records as r
        join dim_issues as i on i.issue_id = r.issue_id
        group by i.issue_id, i.issue_label, i.issue_category
        order by n_stories desc, n_records desc, i.issue_label, i.issue_id
    """,
        period.params(),
    )


def issue_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """issue_id -> issue_label of every issue."""
    return dict(con.execute("select issue_id, issue_label from dim_issues").fetchall())


def issue(con: duckdb.DuckDBPyConnection, issue_id: str) -> dict | None:
    """One issue of `dim_issues` as a dict, or None."""
    df = _df(con, "select * from dim_issues where issue_id = $issue", {"issue": issue_id})
    return None if df.empty else df.iloc[0].to_dict()


def issue_stances(
    con: duckdb.DuckDBPyConnection,
    issue_id: str | None,
    period: Period = ALL_TIME,
    roll_up: bool = False,
    holder: str | None = None,
) -> pd.DataFrame:
    """Who stands where: each holder's latest stance on the issue (or on every issue) in the period.

    A holder is the actor itself, or with `roll_up` the state or organisation it acts for
    (`on_behalf_of_actor_id`), so a state's row includes what its president and delegates said.
    Stories count syndicated copies once. `holder` keeps one holder's rows.
    """
    return _df(
        con,
        f"""
        with period_positions as (
            select case when $roll_up then coalesce(p.on_behalf_of_actor_id, p.actor_id) else p.actor_id end
                       as holder_id, p.*
            from fct_positions as p
            where ($issue is null or p.issue_id = $issue) and {IN_PERIOD}
        ),
        ranked as (
            select *, row_number() over (
                partition by holder_id, issue_id order by published_at desc nulls last, position_id desc
            ) as recency
            from period_positions
        ),
        per_holder as (
            select holder_id, issue_id, count(*) as n_positions,
                   count(distinct coalesce(story_id, article_id)) as n_stories,
                   count(distinct stance) as n_stances,
                   min(published_at) as first_stated_at,
                   list_sort(list_distinct(list(actor_name))) as speakers
            from period_positions group by holder_id, issue_id
        )
        select r.holder_id, coalesce(h.actor_name, r.actor_name) as holder_name, h.actor_type as holder_type,
               r.issue_id, i.issue_label, i.issue_category, r.stance, r.published_at as last_stated_at,
               g.first_stated_at, g.n_positions, g.n_stories, g.n_stances, g.speakers,
               r.actor_name as stated_by, r.evidence_text, r.source_kind, r.source_id, r.article_id,
               a.title as article_title, a.url as article_url, a.source as article_source
        from ranked as r
        join per_holder as g on g.holder_id = r.holder_id and g.issue_id = r.issue_id
        left join dim_actors as h on h.actor_id = r.holder_id
        left join dim_issues as i on i.issue_id = r.issue_id
        left join dim_articles as a on a.article_id = r.article_id
        where r.recency = 1 and ($holder is null or r.holder_id = $holder)
        order by r.stance, g.n_stories desc, holder_name, r.holder_id, i.issue_label
    """,
        _with_period(period, issue=issue_id, holder=holder, roll_up=roll_up),
    )


def issue_timeline(con: duckdb.DuckDBPyConnection, issue_id: str, period: Period = ALL_TIME) -> pd.DataFrame:
    """The issue's demands, offers, responses and negotiations in the period, oldest first, in one shape."""
    return _df(
        con,
        f"""
        with issue_records as ({ISSUE_RECORDS_SQL})
        select f.* exclude (evidence_start), a.title as article_title, a.url as article_url,
               a.source as article_source
        from issue_records as f
        left join dim_articles as a on a.article_id = f.article_id
        where f.issue_id = $issue and {F_IN_PERIOD}
        order by f.published_at nulls last, f.article_id, f.evidence_start
    """,
        _with_period(period, issue=issue_id),
    )


def positions_grid(con: duckdb.DuckDBPyConnection, period: Period = ALL_TIME, max_actors: int = 30) -> pd.DataFrame:
    """Actor × issue cells of `positions_current` (the latest stance) for pairs with a position in the period.

    The `max_actors` actors with the most stories of positions in the period are kept.
    """
    return _df(
        con,
        f"""
        with period_pairs as (
            select actor_id, issue_id, count(distinct coalesce(story_id, article_id)) as n_stories_in_period
            from fct_positions where {IN_PERIOD} group by actor_id, issue_id
        ),
        top_actors as (
            select actor_id from period_pairs group by actor_id
            order by sum(n_stories_in_period) desc, actor_id limit $max_actors
        )
        select c.actor_id, c.actor_name, c.on_behalf_of_actor_id, c.on_behalf_of_name, c.issue_id,
               c.current_stance as stance, c.previous_stance, c.changed_at, c.first_stated_at, c.last_stated_at,
               c.n_stories, c.n_positions, c.latest_evidence_text, i.issue_label, i.issue_category,
               p.n_stories_in_period
        from positions_current as c
        join period_pairs as p on p.actor_id = c.actor_id and p.issue_id = c.issue_id
        join top_actors as t on t.actor_id = c.actor_id
        left join dim_issues as i on i.issue_id = c.issue_id
        order by c.actor_name, i.issue_label
    """,
        _with_period(period, max_actors=max_actors),
    )


def rolled_up_grid(con: duckdb.DuckDBPyConnection, period: Period = ALL_TIME, max_actors: int = 30) -> pd.DataFrame:
    """`positions_grid` with people and groups rolled up to the state or organisation they act for.

    A holder's current stance on an issue is its latest position by anyone acting for it (over all
    dates, as positions_current); pairs and the `max_actors` holders as in `positions_grid`.
    """
    return _df(
        con,
        f"""
        with holder_positions as (
            select coalesce(on_behalf_of_actor_id, actor_id) as holder_id, * from fct_positions
        ),
        period_pairs as (
            select holder_id, issue_id, count(distinct coalesce(story_id, article_id)) as n_stories_in_period
            from holder_positions where {IN_PERIOD} group by holder_id, issue_id
        ),
        top_holders as (
            select holder_id from period_pairs group by holder_id
            order by sum(n_stories_in_period) desc, holder_id limit $max_actors
        ),
        ranked as (
            select *, row_number() over (
                partition by holder_id, issue_id order by published_at desc nulls last, position_id desc
            ) as recency
            from holder_positions
        ),
        per_pair as (
            select holder_id, issue_id, count(distinct coalesce(story_id, article_id)) as n_stories,
                   count(*) as n_positions, min(published_at) as first_stated_at, max(published_at) as last_stated_at
            from holder_positions group by holder_id, issue_id
        )
        select r.holder_id as actor_id, coalesce(h.actor_name, r.on_behalf_of_name, r.actor_name) as actor_name,
               r.issue_id, r.stance, cast(null as varchar) as previous_stance, cast(null as date) as changed_at,
               g.first_stated_at, g.last_stated_at, g.n_stories, g.n_positions,
               r.evidence_text as latest_evidence_text, i.issue_label, i.issue_category, p.n_stories_in_period
        from ranked as r
        join per_pair as g on g.holder_id = r.holder_id and g.issue_id = r.issue_id
        join period_pairs as p on p.holder_id = r.holder_id and p.issue_id = r.issue_id
        join top_holders as t on t.holder_id = r.holder_id
        left join dim_actors as h on h.actor_id = r.holder_id
        left join dim_issues as i on i.issue_id = r.issue_id
        where r.recency = 1
        order by actor_name, i.issue_label
    """,
        _with_period(period, max_actors=max_actors),
    )


def position_evidence(
    con: duckdb.DuckDBPyConnection, actor_id: str, issue_id: str, period: Period = ALL_TIME, roll_up: bool = False
) -> pd.DataFrame:
    """Every position the actor (`roll_up`: or anyone acting for it) took on the issue in the period, newest
    first, with evidence and article."""
    return _df(
        con,
        f"""
        select f.position_id, f.published_at, f.actor_id, f.actor_name, f.on_behalf_of_actor_id, f.issue_id,
               f.stance, f.source_kind, f.source_id, f.story_id, f.evidence_text, {ARTICLE_COLUMNS}
        from fct_positions as f
        left join dim_articles as a on a.article_id = f.article_id
        where (case when $roll_up then coalesce(f.on_behalf_of_actor_id, f.actor_id) else f.actor_id end) = $actor
          and f.issue_id = $issue and {F_IN_PERIOD}
        order by f.published_at desc nulls last, f.position_id
    """,
        _with_period(period, actor=actor_id, issue=issue_id, roll_up=roll_up),
    )


def current_position(con: duckdb.DuckDBPyConnection, actor_id: str, issue_id: str) -> dict | None:
    """The `positions_current` row of an actor × issue, as a dict, or None."""
    df = _df(
        con,
        """
        select c.*, c.current_stance as stance, i.issue_label from positions_current as c
        left join dim_issues as i on i.issue_id = c.issue_id
        where c.actor_id = $actor and c.issue_id = $issue
    """,
        {"actor": actor_id, "issue": issue_id},
    )
    return None if df.empty else df.iloc[0].to_dict()


# --- demands and the responses that answer them ---


def demands_with_responses(
    con: duckdb.DuckDBPyConnection,
    actor_id: str | None = None,
    answered: str = "all",
    period: Period = ALL_TIME,
) -> pd.DataFrame:
    """Each demand in the period with the responses that answer it (`answers_kind = 'demand'`), one row per pair.

    A demand nobody answered has one row with empty response columns; `answered` keeps all,
    only the answered or only the unanswered ones. A response may come from a later article.
    `actor_id` keeps demands where the actor demands, is addressed or responds. The copies of one
    demand in syndicated copies of a story share `demand_key` (story, demander, text, as
    `dim_issues` counts records); `n_responses` and `n_copies` are per key, so a copy of an answered
    demand is answered too; `copy_rank` 1 is the first published copy.
    """
    if answered not in ANSWERED:
        raise ValueError(f"answered must be one of {ANSWERED}, not {answered!r}")
    return _df(
        con,
        f"""
        with answers_to_demands as (
            select r.answers_id as demand_id, r.response_id, r.responder_actor_id, r.responder_name, r.stance,
                   r.object_text as response_text, r.evidence_text as response_evidence,
                   r.published_at as response_published_at, r.article_id as response_article_id,
                   ra.title as response_article_title, ra.url as response_article_url,
                   ra.source as response_article_source
            from fct_responses as r
            left join dim_articles as ra on ra.article_id = r.article_id
            where r.answers_kind = 'demand' and r.answers_id is not null
        ),
        period_demands as (
            select f.*, md5(concat_ws('|', coalesce(f.story_id, f.article_id), coalesce(f.demander_name, ''),
                                      lower(trim(coalesce(f.demand_text, ''))))) as demand_key
            from fct_demands as f
            where {F_IN_PERIOD}
        ),
        copies as (
            select demand_key, count(distinct article_id) as n_copies from period_demands group by demand_key
        ),
        demand_rows as (
            select f.demand_key, c.n_copies,
                   dense_rank() over (partition by f.demand_key order by f.published_at nulls last, f.article_id)
                       as copy_rank,
                   f.demand_id, f.published_at, f.demander_actor_id, f.demander_name,
                   f.addressee_actor_id, f.addressee_name, f.demand_text, f.condition_text, f.threat_text,
                   f.issue_id, i.issue_label, f.evidence_text as demand_evidence, f.evidence_start,
                   r.response_id, r.responder_actor_id, r.responder_name, r.stance, r.response_text,
                   r.response_evidence, r.response_published_at, r.response_article_id, r.response_article_title,
                   r.response_article_url, r.response_article_source,
                   count(r.response_id) over (partition by f.demand_key) as n_responses,
                   {ARTICLE_COLUMNS}
            from period_demands as f
            join copies as c on c.demand_key = f.demand_key
            left join answers_to_demands as r on r.demand_id = f.demand_id
            left join dim_issues as i on i.issue_id = f.issue_id
            left join dim_articles as a on a.article_id = f.article_id
        )
        select * exclude (evidence_start) from demand_rows
        where ($actor is null or demand_key in (
                select demand_key from demand_rows
                where $actor in (demander_actor_id, addressee_actor_id, responder_actor_id)))
          and ($answered = 'all' or ($answered = 'answered') = (n_responses > 0))
        order by published_at desc nulls last, article_id, evidence_start, response_published_at, response_id
    """,
        _with_period(period, actor=actor_id, answered=answered),
    )


# --- negotiation tracks ---


def tracks(
    con: duckdb.DuckDBPyConnection,
    period: Period = ALL_TIME,
    statuses: list[str] | None = None,
    actor_id: str | None = None,
) -> pd.DataFrame:
    """Negotiation tracks with a record in the period, latest first; by latest status and by party or mediator."""
    return _df(
        con,
        f"""
        with period_records as (
            select negotiation_track_id, count(*) as n_records_in_period,
                   count(distinct coalesce(story_id, article_id)) as n_stories_in_period
            from fct_negotiations where {IN_PERIOD} group by negotiation_track_id
        )
        select t.*, i.issue_label, p.n_records_in_period, p.n_stories_in_period
        from dim_negotiation_tracks as t
        join period_records as p on p.negotiation_track_id = t.negotiation_track_id
        left join dim_issues as i on i.issue_id = t.issue_id
        where (len($statuses) = 0 or list_contains($statuses, t.latest_status))
          and ($actor is null or list_contains(t.party_actor_ids, $actor)
               or list_contains(t.mediator_actor_ids, $actor))
        order by t.last_published_at desc nulls last, t.n_articles desc, t.track_name, t.negotiation_track_id
    """,
        _with_period(period, statuses=list(statuses or []), actor=actor_id),
    )


def track(con: duckdb.DuckDBPyConnection, track_id: str) -> dict | None:
    """One track of `dim_negotiation_tracks` with its issue label, parties and mediators (id and name), or None."""
    df = _df(
        con,
        """
        select t.*, i.issue_label,
               (select list({'actor_id': d.actor_id, 'actor_name': d.actor_name} order by d.actor_name)
                from dim_actors as d where list_contains(t.party_actor_ids, d.actor_id)) as party_actors,
               (select list({'actor_id': d.actor_id, 'actor_name': d.actor_name} order by d.actor_name)
                from dim_actors as d where list_contains(t.mediator_actor_ids, d.actor_id)) as mediator_actors
        from dim_negotiation_tracks as t
        left join dim_issues as i on i.issue_id = t.issue_id
        where t.negotiation_track_id = $track
    """,
        {"track": track_id},
    )
    return None if df.empty else df.iloc[0].to_dict()


def track_status_history(con: duckdb.DuckDBPyConnection, track_id: str, period: Period = ALL_TIME) -> pd.DataFrame:
    """The statuses a track took (type-2 by publication date) that were valid at some time in the period."""
    return _df(
        con,
        f"""
        select f.status_seq, f.status, f.valid_from, f.valid_to, f.is_current, f.negotiation_id, f.evidence_text,
               {ARTICLE_COLUMNS}, a.published_at
        from fct_negotiation_status_history as f
        left join dim_articles as a on a.article_id = f.article_id
        where f.negotiation_track_id = $track
          and ($p_open or (($p_end is null or f.valid_from <= $p_end)
                           and ($p_start is null or f.valid_to is null or f.valid_to > $p_start)))
        order by f.status_seq
    """,
        _with_period(period, track=track_id),
    )


def track_records(con: duckdb.DuckDBPyConnection, track_id: str, period: Period = ALL_TIME) -> pd.DataFrame:
    """The track's negotiation records in the period (one per article that reports it), oldest first."""
    return _df(
        con,
        f"""
        select f.negotiation_id, f.published_at, f.negotiation_name, f.status, f.parties, f.party_actor_ids,
               f.mediator_actor_id, f.mediator_name, f.venue, f.provisions, f.evidence_text, {ARTICLE_COLUMNS}
        from fct_negotiations as f
        left join dim_articles as a on a.article_id = f.article_id
        where f.negotiation_track_id = $track and {F_IN_PERIOD}
        order by f.published_at nulls last, f.article_id, f.evidence_start
    """,
        _with_period(period, track=track_id),
    )
