"""The positions dashboard (Streamlit): overview, issues, positions, actors, demands ↔ responses, tracks.

Start it with `parley dashboard` (it runs `streamlit run` on this file with PARLEY_SERVING
set). Each page render opens the serving file read-only, runs its queries and closes it
before drawing, so a `parley run` that publishes a new warehouse is picked up on the
next render and is never blocked by the dashboard. The pages live in `flows.dashboard.views`
(not `pages/`: Streamlit would read a `pages/` folder beside the script as a second, file-based
navigation); what they share (links, the date filter, cards) in `flows.dashboard.ui`.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui
from flows.dashboard.ui import md  # noqa: F401  (re-exported: the escaping the pages use)
from flows.dashboard.views import actor, demands, issue, overview, positions, tracks


def pages() -> list:
    """The navigation: the overview is the default page (served at `/`) and also at `/overview`.

    A default page is served at `/` only, whatever its url_path: `/overview` is a hidden second page.
    """
    return [
        st.Page(overview.page, title="Overview", url_path="home", default=True),
        st.Page(overview.page, title="Overview", url_path="overview", visibility="hidden"),
        st.Page(issue.page, title="Issues", url_path="issue"),
        st.Page(positions.page, title="Positions", url_path="positions"),
        st.Page(actor.page, title="Actor", url_path="actor"),
        st.Page(demands.page, title="Demands ↔ responses", url_path="demands"),
        st.Page(tracks.page, title="Negotiation tracks", url_path="tracks"),
        st.Page(tracks.page, title="Negotiation tracks", url_path="negotiations", visibility="hidden"),  # old links
    ]


def sidebar() -> None:
    """Where the data comes from, the date filter every page applies, and a reload button."""
    path = ui.serving_path()
    st.sidebar.caption(f"Warehouse: `{path}`")
    info, bounds = None, (None, None)
    try:
        with q.open_serving(path) as con:
            info, bounds = q.publish_info(con), q.date_bounds(con)
    except (q.ServingUnavailable, duckdb.Error):
        pass
    ui.date_filter(bounds)
    if info:
        st.sidebar.caption(f"Published {info['published_at']:%Y-%m-%d %H:%M:%S %Z} by run `{info['run_id']}`")
    if st.sidebar.button("Reload data"):
        st.rerun()


def main() -> None:
    st.set_page_config(page_title="parley positions", page_icon="🕊️", layout="wide")
    page = st.navigation(pages())
    sidebar()
    page.run()


if __name__ == "__main__":
    main()
