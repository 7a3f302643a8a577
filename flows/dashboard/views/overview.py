"""Overview: counts, records per type over time, and the articles of the chosen dates."""

from __future__ import annotations

import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui

PERIOD_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
METRICS = ("articles", "stories", "actors", *q.RECORD_TABLES)


def page() -> None:
    st.title("Overview")
    period = ui.current_period()
    grain = st.radio("Period", q.GRAINS, index=0, horizontal=True)
    counts, over_time, arts = ui.fetch(
        lambda con: (q.summary(con, period), q.records_over_time(con, grain, period), q.articles(con, period))
    )
    for col, name in zip(st.columns(len(METRICS)), METRICS, strict=True):
        col.metric(name.capitalize(), counts[name])
    if counts["rejected_inputs"]:
        st.caption(f"{counts['rejected_inputs']} input file(s) were rejected (table `rejected_inputs`).")
    if arts.empty:
        ui.empty_state("articles", period)
        return
    st.subheader("Records per type over time")
    if over_time.empty:
        st.caption("No dated records.")
    else:
        labels = over_time.assign(period=over_time.period.dt.strftime(PERIOD_FORMATS[grain]))
        st.bar_chart(labels, x="period", y="n", color="record_type", x_label=grain, y_label="records")
    st.subheader("Articles")
    if len(arts) > ui.MAX_CARDS:
        st.caption(f"The newest {ui.MAX_CARDS} of {len(arts)} articles; all of them are in the table below.")
    links = arts.rename(columns={"title": "article_title", "url": "article_url", "source": "article_source"})
    st.markdown("\n".join(f"- {ui.article_line(r)}" for r in links.head(ui.MAX_CARDS).itertuples(index=False)))
    with st.expander("All articles as a table"):
        ui.table(
            arts,
            column_config={
                "published_at": st.column_config.DateColumn("published"),
                "url": st.column_config.LinkColumn("url"),
            },
        )
