"""Negotiation tracks (`/tracks`, `/tracks?track_id=`): the list, and one track's status over time and articles."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui
from flows.records import NEGOTIATION_STATUSES


def page() -> None:
    track_id = st.query_params.get("track_id")
    if track_id:
        track_page(track_id)
    else:
        track_list()


def joined(values: Any) -> str:
    return ", ".join(str(v) for v in ui.as_list(values))


def track_list() -> None:
    st.title("Negotiation tracks")
    st.caption("The same plan, talks or meeting series across articles, by latest status.")
    period = ui.current_period()
    actors = ui.fetch(q.actors)
    cols = st.columns(2)
    with cols[0]:
        statuses = st.multiselect("Latest status", NEGOTIATION_STATUSES)
    with cols[1]:
        actor_id = ui.actor_picker(actors, "Party or mediator", key="party", allow_all=True)
    tracks = ui.fetch(lambda con: q.tracks(con, period, statuses, actor_id))
    if tracks.empty:
        ui.empty_state("negotiation tracks", period)
        return
    by_status = tracks.latest_status.value_counts()
    st.markdown(" · ".join(f"{ui.badge(s, ui.STATUS_COLORS)} **{n}**" for s, n in by_status.items()))
    table = tracks.assign(
        track=[ui.table_link("tracks", r.track_name, track_id=r.negotiation_track_id) for r in tracks.itertuples()],
        issue=[ui.table_link("issue", r.issue_label, issue_id=r.issue_id) for r in tracks.itertuples()],
        parties=tracks.parties.map(joined),
        venues=tracks.venues.map(joined),
    )
    ui.table(
        table[
            ["track", "latest_status", "issue", "parties", "venues", "first_published_at", "last_published_at"]
            + ["n_articles"]
        ],
        column_config={
            "track": st.column_config.LinkColumn("track", display_text=ui.LINK_TEXT, width="medium"),
            "issue": st.column_config.LinkColumn("issue", display_text=ui.LINK_TEXT),
            "latest_status": "latest status",
            "first_published_at": st.column_config.DateColumn("first"),
            "last_published_at": st.column_config.DateColumn("last"),
            "n_articles": st.column_config.NumberColumn("stories"),
        },
    )


def history_chart(history: pd.DataFrame, last: Any) -> None:
    """Each status as a bar from valid_from to valid_to (the track's last date for the current one)."""
    dated = history[history.valid_from.notna()]
    if dated.empty:
        return
    end = pd.Timestamp(last) if not ui.is_missing(last) else dated.valid_from.max()
    until = dated.valid_to.fillna(end)
    bars = dated.assign(valid_until=until.where(until > dated.valid_from, dated.valid_from + pd.Timedelta(days=1)))
    chart = (
        alt.Chart(bars)
        .mark_bar(height=26)
        .encode(
            x=alt.X("valid_from:T", title="publication date"),
            x2="valid_until:T",
            y=alt.Y("status:N", title=None),
            color=alt.Color("status:N", legend=None),
            tooltip=["status:N", "valid_from:T", "valid_to:T", "article_title:N"],
        )
        .properties(height=60 + 30 * bars.status.nunique())
    )
    st.altair_chart(chart, width="stretch")


def history_card(row: Any) -> None:
    with st.container(border=True):
        until = ui.fmt_date(row.valid_to) if not ui.is_missing(row.valid_to) else "now (current status)"
        st.markdown(f"{ui.badge(row.status, ui.STATUS_COLORS)} {ui.fmt_date(row.valid_from)} → {until}")
        st.markdown(f"> {ui.md(row.evidence_text)}")
        st.caption(ui.article_line(row))


def track_page(track_id: str) -> None:
    period = ui.current_period()
    track, history, records = ui.fetch(
        lambda con: (
            q.track(con, track_id),
            q.track_status_history(con, track_id, period),
            q.track_records(con, track_id, period),
        )
    )
    if track is None:
        st.title("Negotiation track")
        st.warning("No such negotiation track in this warehouse.")
        ui.markdown(ui.link("tracks", "All negotiation tracks"))
        return
    st.title(ui.md(track["track_name"]))
    ui.markdown(
        f"{ui.badge(track['latest_status'], ui.STATUS_COLORS)} · issue: "
        f"{ui.issue_link(track['issue_id'], track.get('issue_label'))}"
        f" · {ui.plural(track['n_articles'], 'story', 'stories')}, {ui.fmt_date(track['first_published_at'])} to "
        f"{ui.fmt_date(track['last_published_at'])} · {ui.link('tracks', 'all tracks')}"
    )
    parties = [ui.actor_link(a["actor_id"], a["actor_name"]) for a in ui.as_list(track["party_actors"])]
    mediators = [ui.actor_link(a["actor_id"], a["actor_name"]) for a in ui.as_list(track["mediator_actors"])]
    lines = ["**Parties:** " + (", ".join(parties) or "*none named*")]
    lines.append("**Mediator:** " + (", ".join(mediators) or "*none named*"))
    lines.append("**Venues:** " + (", ".join(ui.md(v) for v in ui.as_list(track.get("venues"))) or "*none named*"))
    ui.markdown("  \n".join(lines))
    if records.empty and history.empty:
        ui.empty_state("records of this track", period)
        return
    st.subheader("Status over time")
    history_chart(history, track["last_published_at"])
    ui.cards(history, history_card, "statuses")
    st.subheader("Articles")
    ui.cards(records, record_card, "articles reporting the track")


def record_card(row: Any) -> None:
    parts = [f"{ui.badge(row.status, ui.STATUS_COLORS)} **{ui.md(row.negotiation_name)}**"]
    ids, names = ui.as_list(row.party_actor_ids), ui.as_list(row.parties)
    parties = [ui.actor_link(i, n) for i, n in zip(ids, names, strict=False)]
    parts.append("Parties: " + (", ".join(parties) or "*none named*"))
    if not ui.is_missing(row.mediator_name):
        parts.append(f"Mediator: {ui.actor_link(row.mediator_actor_id, row.mediator_name)}")
    if not ui.is_missing(row.venue):
        parts.append(f"Venue: {ui.md(row.venue)}")
    provisions = ui.as_list(row.provisions)
    if provisions:
        parts.append("Provisions: " + "; ".join(ui.md(p) for p in provisions))
    ui.evidence_card("  \n".join(parts), row)
