"""The positions dashboard (Streamlit): overview, actor, demands ↔ responses, negotiation tracks.

Start it with `parley dashboard` (it runs `streamlit run` on this file with PARLEY_SERVING
set). Each page render opens the serving file read-only, runs its queries and closes it
before drawing, so a `parley run` that publishes a new warehouse is picked up on the
next render and is never blocked by the dashboard.
"""

from __future__ import annotations

import math
import os
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from flows.config import Settings
from flows.dashboard import queries as q
from flows.records import NEGOTIATION_STATUSES

T = TypeVar("T")
MAX_CARDS = 50  # records drawn per section; the rest are counted, newest first
STANCE_COLORS = {"reject": "red", "accept": "green", "welcome": "green", "skeptical": "orange", "conditional": "blue"}
PERIOD_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
STATUS_COLORS = {"rejected": "red", "stalled": "orange", "concluded": "green", "amended": "violet"}
SECTION_TITLES = {
    "demands_made": "Demands made",
    "demands_received": "Demands received",
    "offers_made": "Offers made",
    "offers_received": "Offers received",
    "responses_made": "Responses made",
    "responses_received": "Responses to it",
    "negotiations": "Negotiations it is party to",
    "statements": "Statements",
}
_MD_SPECIAL = {c: "\\" + c for c in string.punctuation}


# --- formatting helpers (plain functions, no Streamlit) ---


def md(value: Any) -> str:
    """Text from the warehouse made literal in Streamlit Markdown (no markup, no LaTeX, one line)."""
    if is_missing(value):
        return ""
    return " ".join(str(value).split()).translate(str.maketrans(_MD_SPECIAL))


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def as_list(value: Any) -> list:
    return [] if is_missing(value) else list(value)


def fmt_date(value: Any) -> str:
    return "undated" if is_missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def article_line(row: Any) -> str:
    """Date, linked title and source of the article a record came from."""
    title = md(row.article_title) or md(row.article_id)
    url = "" if is_missing(row.article_url) else str(row.article_url).strip()
    link = f"[{title}](<{url.replace(' ', '%20')}>)" if url.startswith(("http://", "https://")) else title
    source = f" · {md(row.article_source)}" if not is_missing(row.article_source) else ""
    return f"{fmt_date(row.published_at)} · {link}{source}"


def badge(value: Any, colors: dict[str, str]) -> str:
    return f":{colors.get(str(value), 'gray')}-background[{md(value)}]" if not is_missing(value) else ""


def name_or(value: Any, fallback: str = "unspecified") -> str:
    return f"**{md(value)}**" if not is_missing(value) else f"*{fallback}*"


def demand_headline(row: Any) -> str:
    text = f"{name_or(row.demander_name)} demands of {name_or(row.addressee_name)}: {md(row.demand_text)}"
    if not is_missing(row.condition_text):
        text += f" — *condition:* {md(row.condition_text)}"
    if not is_missing(row.threat_text):
        text += f" — *threat:* {md(row.threat_text)}"
    return text


def response_headline(row: Any) -> str:
    to = f" to {name_or(row.to_actor_name)}" if not is_missing(row.to_actor_name) else ""
    return f"{name_or(row.responder_name)} {badge(row.stance, STANCE_COLORS)}{to}: {md(row.object_text)}"


def negotiation_headline(row: Any) -> str:
    parts = [
        f"**{md(row.negotiation_name)}** {badge(row.status, STATUS_COLORS)}",
        "Parties: " + (", ".join(md(p) for p in as_list(row.parties)) or "*none named*"),
    ]
    if not is_missing(row.mediator_name):
        parts.append(f"Mediator: {md(row.mediator_name)}")
    if not is_missing(row.venue):
        parts.append(f"Venue: {md(row.venue)}")
    provisions = as_list(row.provisions)
    parts.append("Provisions: " + ("; ".join(md(p) for p in provisions) if provisions else "*none recorded*"))
    return "  \n".join(parts)


HEADLINES: dict[str, Callable[[Any], str]] = {
    "statements": lambda r: (
        f"{name_or(r.speaker_name)} · {md(r.statement_kind)} · *{md(r.speech_act)}*  \n“{md(r.statement_text)}”"
    ),
    "demands_made": demand_headline,
    "demands_received": demand_headline,
    "offers_made": lambda r: f"{name_or(r.offerer_name)} offers {name_or(r.recipient_name)}: {md(r.offer_text)}",
    "offers_received": lambda r: f"{name_or(r.offerer_name)} offers {name_or(r.recipient_name)}: {md(r.offer_text)}",
    "responses_made": response_headline,
    "responses_received": response_headline,
    "negotiations": negotiation_headline,
}


# --- data access for a page render: one short-lived read-only connection ---


def serving_path() -> Path:
    return Settings.resolve(serving=os.environ.get("PARLEY_SERVING")).serving


def fetch(load: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `load` on a fresh read-only connection, closed before the page draws; stop with a message on failure."""
    try:
        with q.open_serving(serving_path()) as con:
            return load(con)
    except q.ServingUnavailable as e:
        st.warning(str(e), icon="⚠️")
    except duckdb.CatalogException as e:
        st.error(
            f"The warehouse at {serving_path()} is not a parley serving file of this version "
            f"({e}). Rebuild it with `parley run`."
        )
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


# --- drawing ---


def evidence_card(headline: str, row: Any, evidence: str | None = None) -> None:
    with st.container(border=True):
        st.markdown(headline)
        st.markdown(f"> {md(row.evidence_text if evidence is None else evidence)}")
        st.caption(article_line(row))


def cards(df: pd.DataFrame, draw: Callable[[Any], None], what: str) -> None:
    if df.empty:
        st.caption(f"No {what}.")
        return
    if len(df) > MAX_CARDS:
        st.caption(f"Showing the newest {MAX_CARDS} of {len(df)} {what}.")
    for row in df.head(MAX_CARDS).itertuples(index=False):
        draw(row)


def actor_picker(actors: pd.DataFrame, label: str, *, key: str, allow_all: bool) -> str | None:
    """A select box of actors kept in the URL (`?key=actor_id`), so a view can be linked to."""
    names = dict(zip(actors.actor_id, actors.actor_name, strict=True))
    counts = dict(zip(actors.actor_id, actors.n_mentions, strict=True))
    options: list[str | None] = ([None] if allow_all else []) + list(actors.actor_id)
    wanted = st.query_params.get(key)
    index = options.index(wanted) if wanted in options else 0

    def remember() -> None:
        chosen = st.session_state[key]
        if chosen is None:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = chosen

    return st.selectbox(
        label,
        options,
        index=index,
        key=key,
        on_change=remember,
        format_func=lambda a: "All actors" if a is None else f"{names[a]} ({counts[a]} mentions)",
    )


def overview_page() -> None:
    st.title("Overview")
    grain = st.radio("Period", q.GRAINS, index=0, horizontal=True)
    counts, over_time, arts = fetch(lambda con: (q.summary(con), q.records_over_time(con, grain), q.articles(con)))
    labels = ("articles", "actors", *q.RECORD_TABLES)
    for col, name in zip(st.columns(len(labels)), labels, strict=True):
        col.metric(name.capitalize(), counts[name])
    if counts["rejected_inputs"]:
        st.caption(f"{counts['rejected_inputs']} input file(s) were rejected (table `rejected_inputs`).")
    st.subheader("Records per type over time")
    if over_time.empty:
        st.caption("No dated records.")
    else:
        labels = over_time.assign(period=over_time.period.dt.strftime(PERIOD_FORMATS[grain]))
        st.bar_chart(labels, x="period", y="n", color="record_type", x_label=grain, y_label="records")
    st.subheader("Articles")
    if len(arts) > MAX_CARDS:
        st.caption(f"The newest {MAX_CARDS} of {len(arts)} articles; all of them are in the table below.")
    links = arts.rename(columns={"title": "article_title", "url": "article_url", "source": "article_source"})
    st.markdown("\n".join(f"- {article_line(r)}" for r in links.head(MAX_CARDS).itertuples(index=False)))
    with st.expander("All articles as a table"):
        st.dataframe(
            arts,
            hide_index=True,
            column_config={
                "published_at": st.column_config.DateColumn("published"),
                "url": st.column_config.LinkColumn("url"),
            },
        )


def actor_page() -> None:
    st.title("Actor")
    actors = fetch(q.actors)
    if actors.empty:
        st.info("The warehouse has no actors yet.")
        return
    actor_id = actor_picker(actors, "Actor", key="actor", allow_all=False)
    actor = actors.set_index("actor_id").loc[actor_id]
    sections = fetch(lambda con: {s: q.actor_records(con, s, actor_id) for s in q.ACTOR_SECTIONS})
    st.header(md(actor.actor_name))
    facts = [md(actor.actor_type), f"{actor.n_mentions} mentions in {actor.n_articles} article(s)"]
    if not is_missing(actor.affiliation_name):
        facts.append(f"affiliated with {md(actor.affiliation_name)}")
    aliases = [a for a in as_list(actor.aliases) if a != actor.actor_name]
    if aliases:
        facts.append("also called " + ", ".join(md(a) for a in aliases))
    st.caption(" · ".join(facts))
    st.markdown(" · ".join(f"{SECTION_TITLES[s]}: **{len(df)}**" for s, df in sections.items()))
    for section, df in sections.items():
        st.subheader(SECTION_TITLES[section])
        headline = HEADLINES[section]
        cards(df, lambda row, h=headline: evidence_card(h(row), row), SECTION_TITLES[section].lower())


def demands_page() -> None:
    st.title("Demands ↔ responses")
    st.caption(
        "Who demanded what of whom, and who rejected or accepted it: each demand with the responses "
        "addressed to its demander in the same article."
    )
    actors = fetch(q.actors)
    actor_id = actor_picker(actors, "Actor (demander, addressee or responder)", key="actor", allow_all=True)
    answered_only = st.checkbox("Only demands that got a response")
    pairs = fetch(lambda con: q.demands_with_responses(con, actor_id, answered_only))
    demands = pairs.drop_duplicates("demand_id")
    answered = pairs[pairs.stance.notna()]
    cols = st.columns(3)
    cols[0].metric("Demands", len(demands))
    cols[1].metric("Answered", answered.demand_id.nunique())
    cols[2].metric("Rejected", answered[answered.stance == "reject"].demand_id.nunique())
    groups = {demand_id: group for demand_id, group in pairs.groupby("demand_id", sort=False)}
    cards(demands, lambda row: demand_card(row, groups[row.demand_id]), "demands")
    with st.expander("As a table"):
        st.dataframe(pairs.drop(columns=[c for c in pairs.columns if c.endswith("actor_id")]), hide_index=True)


def demand_card(demand: Any, responses: pd.DataFrame) -> None:
    with st.container(border=True):
        st.markdown(demand_headline(demand))
        st.markdown(f"> {md(demand.demand_evidence)}")
        answered = responses[responses.stance.notna()]
        if answered.empty:
            st.markdown(f"↳ *No response to {md(demand.demander_name)} recorded in this article.*")
        for r in answered.itertuples(index=False):
            st.markdown(
                f"↳ {name_or(r.responder_name)} {badge(r.stance, STANCE_COLORS)}: {md(r.response_text)}  \n"
                f"> {md(r.response_evidence)}"
            )
        st.caption(article_line(demand))


def negotiations_page() -> None:
    st.title("Negotiation tracks")
    actors = fetch(q.actors)
    cols = st.columns(2)
    with cols[0]:
        statuses = st.multiselect("Status", NEGOTIATION_STATUSES)
    with cols[1]:
        actor_id = actor_picker(actors, "Party or mediator", key="party", allow_all=True)
    tracks = fetch(lambda con: q.negotiations(con, statuses, actor_id))
    by_status = tracks.status.value_counts()
    st.markdown(" · ".join(f"{badge(s, STATUS_COLORS)} **{n}**" for s, n in by_status.items()) or "")
    cards(tracks, lambda row: evidence_card(negotiation_headline(row), row), "negotiation tracks")


def sidebar() -> None:
    path = serving_path()
    st.sidebar.caption(f"Warehouse: `{path}`")
    try:
        with q.open_serving(path) as con:
            info = q.publish_info(con)
    except (q.ServingUnavailable, duckdb.Error):
        info = None
    if info:
        st.sidebar.caption(f"Published {info['published_at']:%Y-%m-%d %H:%M:%S %Z} by run `{info['run_id']}`")
    if st.sidebar.button("Reload data"):
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="parley positions", page_icon="🕊️", layout="wide")
    page = st.navigation(
        [
            st.Page(overview_page, title="Overview", url_path="overview", default=True),
            st.Page(actor_page, title="Actor", url_path="actor"),
            st.Page(demands_page, title="Demands ↔ responses", url_path="demands"),
            st.Page(negotiations_page, title="Negotiation tracks", url_path="negotiations"),
        ]
    )
    sidebar()
    page.run()


if __name__ == "__main__":
    main()
