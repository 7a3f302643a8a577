"""Actor (`/actor?actor_id=`): its positions per issue, then its records as evidence cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui

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
ROLL_UP_TYPES = {"state", "organization"}  # actors others act for (fct_positions.on_behalf_of_actor_id)


def demand_headline(row: Any) -> str:
    text = (
        f"{ui.actor_link(row.demander_actor_id, row.demander_name)} demands of "
        f"{ui.actor_link(row.addressee_actor_id, row.addressee_name)}: {ui.md(row.demand_text)}"
    )
    if not ui.is_missing(row.condition_text):
        text += f" — *condition:* {ui.md(row.condition_text)}"
    if not ui.is_missing(row.threat_text):
        text += f" — *threat:* {ui.md(row.threat_text)}"
    return text


def offer_headline(row: Any) -> str:
    return (
        f"{ui.actor_link(row.offerer_actor_id, row.offerer_name)} offers "
        f"{ui.actor_link(row.recipient_actor_id, row.recipient_name)}: {ui.md(row.offer_text)}"
    )


def response_headline(row: Any) -> str:
    to = "" if ui.is_missing(row.to_actor_name) else f" to {ui.actor_link(row.to_actor_id, row.to_actor_name)}"
    return (
        f"{ui.actor_link(row.responder_actor_id, row.responder_name)} {ui.badge(row.stance, ui.STANCE_COLORS)}"
        f"{to}: {ui.md(row.object_text)}"
    )


def negotiation_headline(row: Any) -> str:
    name = ui.md(row.negotiation_name)
    if not ui.is_missing(row.negotiation_track_id):
        name = ui.link("tracks", row.negotiation_name, track_id=row.negotiation_track_id)
    parts = [
        f"**{name}** {ui.badge(row.status, ui.STATUS_COLORS)}",
        "Parties: " + (", ".join(ui.md(p) for p in ui.as_list(row.parties)) or "*none named*"),
    ]
    if not ui.is_missing(row.mediator_name):
        parts.append(f"Mediator: {ui.actor_link(row.mediator_actor_id, row.mediator_name)}")
    if not ui.is_missing(row.venue):
        parts.append(f"Venue: {ui.md(row.venue)}")
    provisions = ui.as_list(row.provisions)
    parts.append("Provisions: " + ("; ".join(ui.md(p) for p in provisions) if provisions else "*none recorded*"))
    return "  \n".join(parts)


def statement_headline(row: Any) -> str:
    return (
        f"{ui.actor_link(row.speaker_actor_id, row.speaker_name)} · {ui.md(row.statement_kind)} · "
        f"*{ui.md(row.speech_act)}*  \n“{ui.md(row.statement_text)}”"
    )


HEADLINES: dict[str, Callable[[Any], str]] = {
    "statements": statement_headline,
    "demands_made": demand_headline,
    "demands_received": demand_headline,
    "offers_made": offer_headline,
    "offers_received": offer_headline,
    "responses_made": response_headline,
    "responses_received": response_headline,
    "negotiations": negotiation_headline,
}


def with_issue(headline: Callable[[Any], str]) -> Callable[[Any], str]:
    """The headline followed by the record's issue, linked, when it has one."""

    def draw(row: Any) -> str:
        text = headline(row)
        issue_id = getattr(row, "issue_id", None)
        return text if ui.is_missing(issue_id) else f"{text}  \nIssue: {ui.issue_link(issue_id, row.issue_label)}"

    return draw


def page() -> None:
    st.title("Actor")
    period = ui.current_period()
    actors = ui.fetch(q.actors)
    if actors.empty:
        st.info("The warehouse has no actors yet.")
        return
    actor_id = ui.actor_picker(actors, "Actor", key="actor_id", allow_all=False, legacy_key="actor")
    actor = actors.set_index("actor_id").loc[actor_id]
    roll_up = False
    if actor.actor_type in ROLL_UP_TYPES:
        roll_up = st.toggle(
            "Include what its people and groups said (roll-up)", value=True, help="fct_positions.on_behalf_of_actor_id"
        )
    positions, sections, labels = ui.fetch(
        lambda con: (
            q.actor_positions(con, actor_id, period, roll_up),
            {s: q.actor_records(con, s, actor_id, period) for s in q.ACTOR_SECTIONS},
            q.issue_labels(con),
        )
    )
    st.header(ui.md(actor.actor_name))
    facts = [ui.md(actor.actor_type), f"{actor.n_mentions} mentions in {actor.n_articles} article(s)"]
    if not ui.is_missing(actor.affiliation_name):
        facts.append("affiliated with " + ui.link("actor", actor.affiliation_name, actor_id=actor.affiliation_actor_id))
    aliases = [a for a in ui.as_list(actor.aliases) if a != actor.actor_name]
    if aliases:
        facts.append("also called " + ", ".join(ui.md(a) for a in aliases))
    ui.markdown(" · ".join(facts))
    if period.is_open is False and positions.empty and all(df.empty for df in sections.values()):
        ui.empty_state(f"records of {actor.actor_name}", period)
        return
    st.subheader("Positions by issue")
    if positions.empty:
        st.caption("No positions on any issue.")
    else:
        ui.table(
            positions.assign(
                issue=[ui.table_link("issue", r.issue_label, issue_id=r.issue_id) for r in positions.itertuples()],
                speakers=positions.speakers.map(lambda s: ", ".join(ui.as_list(s))),
            )[["issue", "issue_category", "stance", "last_stated_at", "n_stories", "speakers", "evidence_text"]],
            column_config={
                "issue": st.column_config.LinkColumn("issue", display_text=ui.LINK_TEXT),
                "last_stated_at": st.column_config.DateColumn("last stated"),
                "n_stories": st.column_config.NumberColumn("stories"),
                "issue_category": "category",
                "evidence_text": "latest evidence",
            },
        )
    ui.markdown(" · ".join(f"{SECTION_TITLES[s]}: **{len(df)}**" for s, df in sections.items()))
    for section, df in sections.items():
        st.subheader(SECTION_TITLES[section])
        if "issue_id" in df.columns:
            df = df.assign(issue_label=df.issue_id.map(labels))
        headline = with_issue(HEADLINES[section])
        ui.cards(df, lambda row, h=headline: ui.evidence_card(h(row), row), SECTION_TITLES[section].lower())
