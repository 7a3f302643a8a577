"""Positions (`/positions`): actors × issues coloured by current stance; a cell opens its evidence."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from flows.dashboard import queries as q
from flows.dashboard import ui

MAX_ACTORS = 30
MAX_ISSUES = 25
LABEL_CHARS = 38
CELL_MARKS = {"support": "+", "oppose": "−", "conditional": "if", "skeptical": "?"}  # the legend names them


def short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def grid_html(grid: pd.DataFrame, selected: tuple[str | None, str | None], roll_up: bool = False) -> str:
    """The grid as an HTML table: actor rows and issue columns link to their pages, a cell to its evidence."""
    grid = grid.assign(issue_label=grid.issue_label.fillna(grid.issue_id))
    per_issue = grid.groupby("issue_id").agg(label=("issue_label", "first"), n=("actor_id", "count"))
    issue_ids = list(per_issue.sort_values(["n", "label"], ascending=[False, True]).index[:MAX_ISSUES])
    shown = grid[grid.issue_id.isin(issue_ids)]
    actors = shown.groupby("actor_id").actor_name.first().sort_values()
    cells = {(r.actor_id, r.issue_id): r for r in grid.itertuples(index=False)}
    esc = html.escape

    head = "".join(
        f'<th title="{esc(str(per_issue.label[i]))}"><a href="{esc(ui.page_url("issue", issue_id=i))}">'
        f"{esc(short(per_issue.label[i]))}</a></th>"
        for i in issue_ids
    )
    body = []
    for actor_id, name in actors.items():
        row = [f'<th class="actor"><a href="{esc(ui.page_url("actor", actor_id=actor_id))}">{esc(name)}</a></th>']
        for issue_id in issue_ids:
            cell = cells.get((actor_id, issue_id))
            if cell is None:
                row.append("<td></td>")
                continue
            fill = ui.STANCE_FILL.get(cell.stance, "#e0e0e0")
            mark = " selected" if (actor_id, issue_id) == selected else ""
            tip = f"{name} on {cell.issue_label}: {cell.stance}, {ui.plural(cell.n_stories, 'story', 'stories')}"
            href = ui.page_url("positions", actor_id=actor_id, issue_id=issue_id, roll_up="1" if roll_up else None)
            row.append(
                f'<td class="cell{mark}" style="background:{fill}" title="{esc(tip)}">'
                f'<a href="{esc(href)}" data-stance="{esc(cell.stance)}">'
                f"{esc(CELL_MARKS.get(cell.stance, cell.stance))}</a></td>"
            )
        body.append("<tr>" + "".join(row) + "</tr>")
    style = (
        "<style>.pgrid{border-collapse:collapse;font-size:0.8rem}"
        ".pgrid th,.pgrid td{border:1px solid #ddd;padding:3px 6px;white-space:nowrap}"
        ".pgrid thead th{writing-mode:vertical-rl;transform:rotate(180deg);max-height:16rem;text-align:left}"
        ".pgrid th.actor{text-align:left}.pgrid td.cell{text-align:center;min-width:1.6rem;font-weight:600}"
        ".pgrid td.selected{outline:3px solid #333}.pgrid a{color:#1a1a1a;text-decoration:none}</style>"
    )
    return (
        f'{style}<div style="overflow-x:auto"><table class="pgrid"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def evidence(actor_id: str, issue_id: str, period: q.Period, grid: pd.DataFrame, roll_up: bool) -> None:
    """The card of one cell: the current stance (positions_current, or the rolled-up grid's cell) and its evidence."""
    current, rows = ui.fetch(
        lambda con: (
            None if roll_up else q.current_position(con, actor_id, issue_id),
            q.position_evidence(con, actor_id, issue_id, period, roll_up),
        )
    )
    if roll_up:
        cell = grid[(grid.actor_id == actor_id) & (grid.issue_id == issue_id)]
        current = None if cell.empty else cell.iloc[0].to_dict()
    if current is None:
        st.warning("No current position for this actor on this issue.")
        return
    with st.container(border=True):
        changed = ""
        if not ui.is_missing(current.get("previous_stance")) and current.get("previous_stance") != current["stance"]:
            changed = f" · before: {ui.badge(current['previous_stance'], ui.STANCE_COLORS)}"
            if not ui.is_missing(current.get("changed_at")):
                changed += f", changed {ui.fmt_date(current['changed_at'])}"
        ui.markdown(
            f"{ui.actor_link(actor_id, current['actor_name'])} on "
            f"**{ui.issue_link(issue_id, current.get('issue_label'))}**: "
            f"{ui.badge(current['stance'], ui.STANCE_COLORS)}{changed}"
        )
        if roll_up:
            speakers = sorted(set(rows.actor_name) - {current["actor_name"]})
            if speakers:
                st.markdown("*through* " + ", ".join(ui.md(s) for s in speakers))
        st.caption(
            f"first stated {ui.fmt_date(current.get('first_stated_at'))} · last stated "
            f"{ui.fmt_date(current.get('last_stated_at'))} · {ui.plural(current.get('n_stories'), 'story', 'stories')}"
        )
        if rows.empty:
            st.caption(f"No position stated {ui.period_text(period)}.")
        for row in rows.head(ui.MAX_CARDS).itertuples(index=False):
            by = f" · {ui.md(row.actor_name)}" if roll_up else ""
            st.markdown(
                f"{ui.badge(row.stance, ui.STANCE_COLORS)} *{ui.md(row.source_kind)}*{by}  \n"
                f"> {ui.md(row.evidence_text)}"
            )
            st.caption(ui.article_line(row))


def page() -> None:
    st.title("Positions")
    st.caption(
        "Actors × issues, coloured by each actor's latest stance (positions_current) on pairs stated in the chosen "
        "dates; rolled up, a state or organisation's latest stance by anyone acting for it. Click a cell for its "
        "evidence, a name for its page."
    )
    period = ui.current_period()
    roll_up = st.toggle(
        "Roll up to states and organisations",
        value=st.query_params.get("roll_up") == "1",
        help="A person or group counts for the state or organisation it acts for (on_behalf_of_actor_id).",
    )
    if roll_up:
        st.query_params["roll_up"] = "1"
    else:
        st.query_params.pop("roll_up", None)
    load = q.rolled_up_grid if roll_up else q.positions_grid
    grid = ui.fetch(lambda con: load(con, period, MAX_ACTORS))
    actor_id, issue_id = st.query_params.get("actor_id"), st.query_params.get("issue_id")
    if actor_id and issue_id:
        st.subheader("Evidence")
        evidence(actor_id, issue_id, period, grid, roll_up)
    if grid.empty:
        ui.empty_state("positions", period)
        return
    legend = " ".join(f"{ui.badge(s, ui.STANCE_COLORS)} {ui.md(CELL_MARKS[s])}" for s in ui.STANCE_FILL)
    st.markdown(f"{legend} · {grid.actor_id.nunique()} actors, {grid.issue_id.nunique()} issues")
    if grid.issue_id.nunique() > MAX_ISSUES:
        st.caption(f"The {MAX_ISSUES} issues with the most actors are shown; the table below has all of them.")
    st.html(grid_html(grid, (actor_id, issue_id), roll_up))
    with st.expander("As a table"):
        ui.table(
            grid.drop(columns=["actor_id", "issue_id"]),
            column_config={c: st.column_config.DateColumn(c) for c in grid.columns if c.endswith("_at")},
        )
