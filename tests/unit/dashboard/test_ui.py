"""The dashboard's shared drawing helpers: warehouse text stays literal, links carry ids safely."""

from __future__ import annotations

import re

from flows.dashboard import ui


def test_markdown_escaping_keeps_warehouse_text_literal():
    assert ui.md("*not bold* $x$ [link](u)\n  # h <b>") == r"\*not bold\* \$x\$ \[link\]\(u\) \# h \<b\>"
    assert ui.md(None) == "" and ui.md(float("nan")) == ""


def test_links_quote_ids_and_escape_labels():
    assert ui.link("actor", "<script>", actor_id='x" onclick="y') == (
        '<a href="actor?actor_id=x%22+onclick%3D%22y" target="_self">\\<script\\></a>'
    )
    assert ui.actor_link(None, "Kyiv") == "**Kyiv**" and ui.actor_link("a1", None) == "*unspecified*"
    assert ui.issue_link(None, "x") == "*no issue*"


def test_table_links_show_their_label_and_need_their_ids():
    url = ui.table_link("issue", "Iran — nuclear #2", issue_id="i 1")
    assert url == "issue?issue_id=i+1#Iran — nuclear #2"
    assert re.match(ui.LINK_TEXT, url).group(1) == "Iran — nuclear #2"
    assert ui.table_link("actor", "Someone", actor_id=None) is None  # an unresolved actor has no page
    assert ui.table_link("issue", None, issue_id="i1") == "issue?issue_id=i1#i1"


def test_plural_and_dates():
    assert (ui.plural(1, "story", "stories"), ui.plural(2, "story", "stories"), ui.plural(3, "actor")) == (
        "1 story",
        "2 stories",
        "3 actors",
    )
    assert ui.fmt_date(None) == "undated"
    assert ui.period_text(ui.q.Period()) == "all dates"
