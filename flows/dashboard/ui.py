"""What every dashboard page shares: escaping, links between pages, the date filter, data access, cards.

Warehouse text is drawn through `md` (literal Markdown: every ASCII punctuation escaped) or
`html.escape`; links between pages are `<a target="_self">` with url-encoded query params (a
plain Markdown link would open a new tab), and carry the date filter (`from`, `to`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st

from flows.config import Settings
from flows.dashboard import queries as q

T = TypeVar("T")
MAX_CARDS = 50  # records drawn as cards per section; the rest are counted, newest first
STANCE_COLORS = {
    "reject": "red",
    "oppose": "red",
    "accept": "green",
    "welcome": "green",
    "support": "green",
    "skeptical": "orange",
    "conditional": "blue",
}
STATUS_COLORS = {"rejected": "red", "stalled": "orange", "concluded": "green", "amended": "violet"}
# the positions grid's cell colours (light, readable under dark text)
STANCE_FILL = {"support": "#b7e4c7", "oppose": "#f4b6b6", "conditional": "#b9d4f5", "skeptical": "#f7d9a8"}
PERIOD_KEY = "published_between"
_MD_SPECIAL = {c: "\\" + c for c in string.punctuation}


# --- formatting (plain functions) ---


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def md(value: Any) -> str:
    """Text from the warehouse made literal in Streamlit Markdown (no markup, no HTML, no LaTeX, one line)."""
    if is_missing(value):
        return ""
    return " ".join(str(value).split()).translate(str.maketrans(_MD_SPECIAL))


def as_list(value: Any) -> list:
    return [] if is_missing(value) else [v for v in list(value) if not is_missing(v)]


def fmt_date(value: Any) -> str:
    return "undated" if is_missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def plural(n: Any, word: str, many: str | None = None) -> str:
    """`1 story`, `2 stories`."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def badge(value: Any, colors: dict[str, str]) -> str:
    return f":{colors.get(str(value), 'gray')}-background[{md(value)}]" if not is_missing(value) else ""


def page_url(page: str, **params: Any) -> str:
    """`page?query` for a link to another page, with the current date filter; None values left out."""
    query = {k: v for k, v in params.items() if not is_missing(v)}
    for key in ("from", "to"):
        if key in st.query_params and key not in query:
            query[key] = st.query_params[key]
    return f"{page}?{urlencode(query)}" if query else page


def link(page: str, label: Any, **params: Any) -> str:
    """An in-app link (same tab) for Markdown drawn with unsafe_allow_html; the label is made literal."""
    href = html.escape(page_url(page, **params), quote=True)
    return f'<a href="{href}" target="_self">{md(label)}</a>'


def actor_link(actor_id: Any, name: Any, fallback: str = "unspecified") -> str:
    """The actor's name, bold, linking to its page (plain when the record names no resolved actor)."""
    if is_missing(name):
        return f"*{fallback}*"
    if is_missing(actor_id):
        return f"**{md(name)}**"
    return f"**{link('actor', name, actor_id=actor_id)}**"


def issue_link(issue_id: Any, label: Any) -> str:
    if is_missing(issue_id):
        return "*no issue*"
    return link("issue", label if not is_missing(label) else issue_id, issue_id=issue_id)


def table_link(page: str, label: Any, **params: Any) -> str | None:
    """A URL for an st.column_config.LinkColumn whose text is `label` (after '#', see LINK_TEXT)."""
    if not params or any(is_missing(v) for v in params.values()):
        return None
    text = next(iter(params.values())) if is_missing(label) else label
    return page_url(page, **params) + "#" + " ".join(str(text).split())


LINK_TEXT = r"^[^#]*#(.*)$"  # LinkColumn display_text: what follows the first '#'


def article_line(row: Any) -> str:
    """Date, linked title and source of the article a record came from."""
    title = md(row.article_title) or md(row.article_id)
    url = "" if is_missing(row.article_url) else str(row.article_url).strip()
    link_md = f"[{title}](<{url.replace(' ', '%20')}>)" if url.startswith(("http://", "https://")) else title
    source = f" · {md(row.article_source)}" if not is_missing(row.article_source) else ""
    return f"{fmt_date(row.published_at)} · {link_md}{source}"


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


# --- the date filter (sidebar), kept in the URL as ?from=YYYY-MM-DD&to=YYYY-MM-DD ---


def _param_date(key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return None


def date_filter(bounds: tuple[dt.date | None, dt.date | None]) -> q.Period:
    """The sidebar's publication-date range; the whole range is the open period (undated records too)."""
    first, last = bounds
    if first is None or last is None:
        st.session_state["period"] = q.ALL_TIME
        return q.ALL_TIME
    if PERIOD_KEY not in st.session_state:
        st.session_state[PERIOD_KEY] = (_param_date("from") or first, _param_date("to") or last)
    chosen = st.session_state[PERIOD_KEY]
    low = min(first, *chosen[:1])
    high = max(last, *chosen[-1:])
    value = st.sidebar.date_input("Published between", min_value=low, max_value=high, key=PERIOD_KEY)
    start, end = (value[0], value[-1]) if len(value) else (first, last)
    if start > end:
        start, end = end, start
    period = q.ALL_TIME if (start <= first and end >= last) else q.Period(start, end)
    if period.is_open:
        st.query_params.pop("from", None)
        st.query_params.pop("to", None)
    else:
        st.query_params["from"], st.query_params["to"] = start.isoformat(), end.isoformat()
    st.session_state["period"] = period
    return period


def current_period() -> q.Period:
    return st.session_state.get("period", q.ALL_TIME)


def period_text(period: q.Period) -> str:
    if period.is_open:
        return "all dates"
    start = fmt_date(period.start) if period.start else "…"
    end = fmt_date(period.end) if period.end else "…"
    return f"between {start} and {end}"


def empty_state(what: str, period: q.Period) -> None:
    """The message of a page with nothing to show in the chosen dates."""
    if period.is_open:
        st.info(f"The warehouse holds no {what} yet.")
    else:
        st.info(f"No {what} published {period_text(period)}. Widen the date range in the sidebar.")


# --- drawing ---


def markdown(text: str) -> None:
    """Markdown with in-app links (every warehouse value in it went through `md` or `link`)."""
    st.markdown(text, unsafe_allow_html=True)


def evidence_card(headline: str, row: Any, evidence: str | None = None) -> None:
    with st.container(border=True):
        markdown(headline)
        st.markdown(f"> {md(row.evidence_text if evidence is None else evidence)}")
        st.caption(article_line(row))


def table(df: pd.DataFrame, column_config: dict, max_content_rows: int = 40) -> None:
    """A sortable table: as tall as its rows up to `max_content_rows`, then scrolling."""
    height = "content" if len(df) <= max_content_rows else 36 * (max_content_rows + 1)
    st.dataframe(df, hide_index=True, column_config=column_config, height=height)


def cards(df: pd.DataFrame, draw: Callable[[Any], None], what: str) -> None:
    if df.empty:
        st.caption(f"No {what}.")
        return
    if len(df) > MAX_CARDS:
        st.caption(f"Showing {MAX_CARDS} of {len(df)} {what}.")
    for row in df.head(MAX_CARDS).itertuples(index=False):
        draw(row)


def query_choice(key: str, options: list, default: Any = None) -> Any:
    """The value of `?key=` if it is one of `options`, else `default`."""
    wanted = st.query_params.get(key)
    return wanted if wanted in options else default


def actor_picker(actors: pd.DataFrame, label: str, *, key: str, allow_all: bool, legacy_key: str = "") -> str | None:
    """A select box of actors kept in the URL (`?key=actor_id`), so a view can be linked to."""
    names = dict(zip(actors.actor_id, actors.actor_name, strict=True))
    counts = dict(zip(actors.actor_id, actors.n_mentions, strict=True))
    options: list[str | None] = ([None] if allow_all else []) + list(actors.actor_id)
    wanted = st.query_params.get(key) or (st.query_params.get(legacy_key) if legacy_key else None)
    index = options.index(wanted) if wanted in options else 0

    def remember() -> None:
        chosen = st.session_state[key]
        if legacy_key:
            st.query_params.pop(legacy_key, None)
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
