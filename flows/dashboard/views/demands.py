"""Demands ↔ responses (`/demands`): each demand with the responses that answer it (the `answers` links only).

A response is paired with a demand only when the linker says it answers that demand
(`fct_responses.answers_kind = 'demand'`, `answers_id = demand_id`), in the same article or a later
one; demands nothing answers are listed apart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui
from flows.dashboard.views.actor import demand_headline


def page() -> None:
    st.title("Demands ↔ responses")
    st.caption(
        "Who demanded what of whom, and who rejected or accepted it: each demand with the responses that answer it "
        "(linked by the pipeline, in the same article or a later one). Demands nothing answers are listed below."
    )
    period = ui.current_period()
    actors = ui.fetch(q.actors)
    actor_id = ui.actor_picker(actors, "Actor (demander, addressee or responder)", key="actor_id", allow_all=True)
    pairs = ui.fetch(lambda con: q.demands_with_responses(con, actor_id, "all", period))
    if pairs.empty:
        ui.empty_state("demands", period)
        return
    demands = pairs[pairs.copy_rank == 1].drop_duplicates("demand_key")  # copies: one demand, the first published
    answered = pairs[pairs.response_id.notna()]
    unanswered = demands[demands.n_responses == 0]
    cols = st.columns(4)
    cols[0].metric("Demands", len(demands))
    cols[1].metric("Answered", answered.demand_key.nunique())
    cols[2].metric("Unanswered", len(unanswered))
    cols[3].metric("Rejected", answered[answered.stance == "reject"].demand_key.nunique())
    st.subheader("Answered demands")
    articles = pairs.groupby("demand_key").article_id.agg(set).to_dict()
    groups = {
        key: group.drop_duplicates(["responder_name", "stance", "response_text"])
        for key, group in answered.groupby("demand_key", sort=False)
    }
    ui.cards(
        demands[demands.n_responses > 0],
        lambda row: demand_card(row, groups[row.demand_key], articles[row.demand_key]),
        "answered demands",
    )
    st.subheader("Unanswered demands")
    unanswered_table(unanswered)


def demand_card(demand: Any, responses: pd.DataFrame, articles: set[str]) -> None:
    """A demand (all its syndicated copies) and the responses that answer it, each once."""
    with st.container(border=True):
        ui.markdown(demand_headline(demand))
        if not ui.is_missing(demand.issue_id):
            ui.markdown(f"Issue: {ui.issue_link(demand.issue_id, demand.issue_label)}")
        st.markdown(f"> {ui.md(demand.demand_evidence)}")
        copies = f" · and {ui.plural(demand.n_copies - 1, 'syndicated copy', 'syndicated copies')}"
        st.caption(ui.article_line(demand) + (copies if demand.n_copies > 1 else ""))
        for r in responses.itertuples(index=False):
            where = ""
            if r.response_article_id not in articles:
                where = f" *(in a later article, {ui.fmt_date(r.response_published_at)})*"
            ui.markdown(
                f"↳ {ui.actor_link(r.responder_actor_id, r.responder_name)} {ui.badge(r.stance, ui.STANCE_COLORS)} "
                f"“{ui.md(r.response_text)}”{where}"
            )
            st.markdown(f"> {ui.md(r.response_evidence)}")


def unanswered_table(unanswered: pd.DataFrame) -> None:
    if unanswered.empty:
        st.caption("Every demand here has an answer.")
        return
    ui.table(
        unanswered.assign(
            demander=[
                ui.table_link("actor", r.demander_name, actor_id=r.demander_actor_id) for r in unanswered.itertuples()
            ],
            addressee=[
                ui.table_link("actor", r.addressee_name, actor_id=r.addressee_actor_id) for r in unanswered.itertuples()
            ],
            issue=[ui.table_link("issue", r.issue_label, issue_id=r.issue_id) for r in unanswered.itertuples()],
        )[["published_at", "demander", "addressee", "demand_text", "issue", "demand_evidence", "article_title"]],
        column_config={
            "published_at": st.column_config.DateColumn("published"),
            "demander": st.column_config.LinkColumn("demander", display_text=ui.LINK_TEXT),
            "addressee": st.column_config.LinkColumn("addressee", display_text=ui.LINK_TEXT),
            "issue": st.column_config.LinkColumn("issue", display_text=ui.LINK_TEXT),
            "demand_text": "demand",
            "demand_evidence": "evidence",
            "article_title": "article",
        },
    )
