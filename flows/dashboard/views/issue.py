"""Issues (`/issue`, `/issue?issue_id=`): the list of issues, and one issue's who-stands-where and timeline."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui

STANCE_ORDER = ("support", "conditional", "skeptical", "oppose")
KIND_LABELS = {"demand": "Demand", "offer": "Offer", "response": "Response", "negotiation": "Negotiation"}


def page() -> None:
    issue_id = st.query_params.get("issue_id")
    if issue_id:
        issue_page(issue_id)
    else:
        issue_list()


def issue_list() -> None:
    st.title("Issues")
    st.caption("The matters actors take sides on, the same across articles; stories count syndicated copies once.")
    period = ui.current_period()
    issues = ui.fetch(lambda con: q.issues(con, period))
    if issues.empty:
        ui.empty_state("issues", period)
        return
    categories = st.multiselect("Category", sorted(issues.issue_category.dropna().unique()))
    if categories:
        issues = issues[issues.issue_category.isin(categories)]
    ui.table(
        issues.assign(issue=[ui.table_link("issue", r.issue_label, issue_id=r.issue_id) for r in issues.itertuples()])[
            ["issue", "issue_category", "n_stories", "n_records", "n_actors", "first_published_at", "last_published_at"]
        ],
        column_config={
            "issue": st.column_config.LinkColumn("issue", display_text=ui.LINK_TEXT, width="large"),
            "issue_category": "category",
            "n_stories": st.column_config.NumberColumn("stories"),
            "n_records": st.column_config.NumberColumn("records"),
            "n_actors": st.column_config.NumberColumn("actors"),
            "first_published_at": st.column_config.DateColumn("first"),
            "last_published_at": st.column_config.DateColumn("last"),
        },
    )


def holder_card(row: Any) -> None:
    with st.container(border=True):
        spoke = [s for s in ui.as_list(row.speakers) if s != row.holder_name]
        via = f"  \n*through* {', '.join(ui.md(s) for s in spoke)}" if spoke else ""
        ui.markdown(f"{ui.actor_link(row.holder_id, row.holder_name)}{via}")
        stories = ui.plural(row.n_stories, "story", "stories")
        mixed = " · changed stance" if row.n_stances > 1 else ""
        st.caption(f"{stories} · last {ui.fmt_date(row.last_stated_at)}{mixed}")
        st.markdown(f"> {ui.md(row.evidence_text)}")


def issue_page(issue_id: str) -> None:
    period = ui.current_period()
    issue = ui.fetch(lambda con: q.issue(con, issue_id))
    if issue is None:
        st.title("Issue")
        st.warning("No such issue in this warehouse.")
        ui.markdown(ui.link("issue", "All issues"))
        return
    st.title(ui.md(issue["issue_label"]) or ui.md(issue_id))
    ui.markdown(
        f"{ui.badge(issue['issue_category'], {})} · {ui.plural(issue['n_records'], 'record')} in "
        f"{ui.plural(issue['n_articles'], 'story', 'stories')} ({ui.plural(issue['n_copies'], 'article')}) · "
        f"{ui.plural(issue['n_actors'], 'actor')} · "
        f"{ui.fmt_date(issue['first_published_at'])} to {ui.fmt_date(issue['last_published_at'])}"
        f" · {ui.link('issue', 'all issues')}"
    )
    roll_up = st.toggle(
        "Roll up to states and organisations",
        value=st.query_params.get("roll_up") == "1",
        help="A person or group counts for the state or organisation it acts for (on_behalf_of_actor_id).",
    )
    if roll_up:
        st.query_params["roll_up"] = "1"
    else:
        st.query_params.pop("roll_up", None)
    stances, timeline, tracks = ui.fetch(
        lambda con: (
            q.issue_stances(con, issue_id, period, roll_up),
            q.issue_timeline(con, issue_id, period),
            q.tracks(con, period),
        )
    )
    related = tracks[tracks.issue_id == issue_id]
    if not related.empty:
        ui.markdown(
            "Negotiation tracks: "
            + ", ".join(ui.link("tracks", r.track_name, track_id=r.negotiation_track_id) for r in related.itertuples())
        )
    if timeline.empty:
        ui.empty_state("records on this issue", period)
        return
    st.subheader("Who stands where")
    if stances.empty:
        st.caption("No actor took a position on it.")
    else:
        present = [s for s in STANCE_ORDER if s in set(stances.stance)]
        present += sorted(set(stances.stance) - set(present))
        if len(present) == 1:  # one camp: its cards side by side
            ui.markdown(f"#### {ui.badge(present[0], ui.STANCE_COLORS)} {len(stances)}")
            cols = st.columns(3)
            for i, row in enumerate(stances.itertuples(index=False)):
                with cols[i % 3]:
                    holder_card(row)
        else:
            for col, stance in zip(st.columns(len(present)), present, strict=True):
                group = stances[stances.stance == stance]
                with col:
                    ui.markdown(f"#### {ui.badge(stance, ui.STANCE_COLORS)} {len(group)}")
                    for row in group.itertuples(index=False):
                        holder_card(row)
    st.subheader("Timeline")
    timeline_chart(timeline)
    ui.table(
        timeline.assign(
            record_kind=timeline.record_kind.map(KIND_LABELS),
            stance_or_status=timeline.stance_or_status.fillna(""),
            actor=[ui.table_link("actor", r.actor_name, actor_id=r.actor_id) for r in timeline.itertuples()],
        )[
            [
                "published_at",
                "record_kind",
                "actor",
                "actor_name",
                "stance_or_status",
                "record_text",
                "counterpart_name",
                "evidence_text",
                "article_title",
            ]
        ],
        column_config={
            "published_at": st.column_config.DateColumn("published"),
            "record_kind": "record",
            "actor": st.column_config.LinkColumn("actor page", display_text=ui.LINK_TEXT),
            "actor_name": "who",
            "stance_or_status": "stance / status",
            "record_text": "what",
            "counterpart_name": "to / with",
            "evidence_text": "evidence",
            "article_title": "article",
        },
    )


def timeline_chart(timeline: pd.DataFrame) -> None:
    dated = timeline[timeline.published_at.notna()].assign(
        record_kind=lambda d: d.record_kind.map(KIND_LABELS),
        stance_or_status=lambda d: d.stance_or_status.fillna("(none)"),
    )
    if dated.empty:
        return
    chart = (
        alt.Chart(dated)
        .mark_circle(size=140, opacity=0.8)
        .encode(
            x=alt.X("published_at:T", title="published", scale=alt.Scale(padding=24)),
            y=alt.Y("record_kind:N", title=None, sort=list(KIND_LABELS.values())),
            color=alt.Color("stance_or_status:N", title="stance / status"),
            tooltip=["published_at:T", "record_kind:N", "actor_name:N", "stance_or_status:N", "record_text:N"],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch")
